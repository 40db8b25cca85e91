/*
 * --format junit: the JUnit XML that CI servers read as test results (GitLab's
 * artifacts:reports:junit, Jenkins, Azure). There is no single JUnit schema;
 * this keeps to the subset every reader accepts (the Ant/Jenkins
 * junit-10.xsd shape): testsuites > testsuite > testcase, with failure,
 * error, skipped and system-out.
 *
 * Each history is a suite and each enabled rule a test case of it, so a
 * clean run shows as passing tests rather than as nothing. A finding at or
 * above --fail-on is a failure, one below it is printed in the case's
 * system-out (seen, but not failing the pipeline, as the exit code says); a
 * rule the run could not be checked by is skipped; an unreadable history is
 * a suite with one case in error.
 */
#include <stdlib.h>
#include <string.h>

#include "../util/escape.h"
#include "../util/spool.h"
#include "../util/xalloc.h"
#include "render.h"

/* The name of the test case that stands for reading an unreadable history. */
#define JUNIT_READ_CASE "read"

static int junit_fails(const struct report *rep, const struct finding *f)
{
	return rep->fail_on != SEV_NONE && f->rule->severity >= rep->fail_on && !f->known;
}

static size_t junit_enabled_rules(const struct report *rep)
{
	size_t n = 0;
	for (size_t i = 0; rep->rules && i < rep->rules->n; i++)
		n += rep->rules->v[i].enabled != 0;
	return n;
}

static int junit_same_rule(const struct finding *f, const struct rule *r)
{
	return f->rule == r || strcmp(f->rule->id, r->id) == 0;
}

/*
 * Failed test cases of a run: enabled rules with a finding at or above
 * --fail-on. Counted per case, not per finding, so failures <= tests as
 * readers expect.
 */
static size_t junit_failures(const struct report *rep, const struct run_result *res)
{
	size_t n = 0;
	for (size_t i = 0; rep->rules && i < rep->rules->n; i++) {
		const struct rule *r = &rep->rules->v[i];
		if (!r->enabled)
			continue;
		for (size_t j = 0; j < res->n_f; j++) {
			if (junit_same_rule(&res->f[j], r) && junit_fails(rep, &res->f[j])) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* The reason a rule was skipped on this run: res->skipped holds "id: why". */
static const char *junit_skip_reason(const struct run_result *res, const char *id)
{
	size_t n = strlen(id);
	for (size_t i = 0; i < res->n_skipped; i++) {
		const char *s = res->skipped[i];
		if (strncmp(s, id, n) == 0 && s[n] == ':')
			return s[n + 1] == ' ' ? s + n + 2 : s + n + 1;
	}
	return NULL;
}

/* message, then the fix: what a reader of the test report needs to act. */
static void junit_body(FILE *out, const struct finding *f)
{
	xmlesc_fputs(out, f->message, 0);
	if (f->fix && *f->fix) {
		fputs("\nFix: ", out);
		xmlesc_fputs(out, f->fix, 0);
	}
}

static void junit_case(FILE *out, const struct report *rep, const struct run_result *res,
		       const struct rule *r)
{
	fputs("    <testcase classname=\"", out);
	xmlesc_fputs(out, res->path, 1);
	fputs("\" name=\"", out);
	xmlesc_fputs(out, r->id, 1);
	const char *why = junit_skip_reason(res, r->id);
	int any = why != NULL;
	for (size_t i = 0; !any && i < res->n_f; i++)
		any = junit_same_rule(&res->f[i], r);
	if (!any) {
		fputs("\"/>\n", out);
		return;
	}
	fputs("\">\n", out);

	int quiet_findings = 0;
	for (size_t i = 0; i < res->n_f; i++) {
		const struct finding *f = &res->f[i];
		if (!junit_same_rule(f, r))
			continue;
		if (!junit_fails(rep, f)) {
			quiet_findings++;
			continue;
		}
		fputs("      <failure message=\"", out);
		xmlesc_fputs(out, f->title ? f->title : r->id, 1);
		fprintf(out, "\" type=\"%s\">", severity_name(r->severity));
		junit_body(out, f);
		fputs("</failure>\n", out);
	}
	if (quiet_findings) {
		fputs("      <system-out>", out);
		int first = 1;
		for (size_t i = 0; i < res->n_f; i++) {
			const struct finding *f = &res->f[i];
			if (!junit_same_rule(f, r) || junit_fails(rep, f))
				continue;
			if (!first)
				fputs("\n\n", out);
			first = 0;
			fprintf(out, "%s: ", severity_name(r->severity));
			xmlesc_fputs(out, f->title ? f->title : r->id, 0);
			fputc('\n', out);
			junit_body(out, f);
		}
		fputs("</system-out>\n", out);
	}
	if (why) {
		fputs("      <skipped message=\"", out);
		xmlesc_fputs(out, why, 1);
		fputs("\"/>\n", out);
	}
	fputs("    </testcase>\n", out);
}

static void junit_unreadable(FILE *out, const struct run_result *res)
{
	fputs("  <testsuite name=\"", out);
	xmlesc_fputs(out, res->label ? res->label : res->path, 1);
	fputs("\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n", out);
	fputs("    <testcase classname=\"", out);
	xmlesc_fputs(out, res->path, 1);
	fputs("\" name=\"" JUNIT_READ_CASE "\">\n      <error message=\"", out);
	xmlesc_fputs(out, res->error, 1);
	fputs("\"/>\n    </testcase>\n  </testsuite>\n", out);
}

static void junit_suite(FILE *out, const struct report *rep, const struct run_result *res)
{
	size_t skipped = 0;
	for (size_t i = 0; rep->rules && i < rep->rules->n; i++) {
		const struct rule *r = &rep->rules->v[i];
		skipped += r->enabled && junit_skip_reason(res, r->id);
	}
	fputs("  <testsuite name=\"", out);
	xmlesc_fputs(out, res->label ? res->label : res->path, 1);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		junit_enabled_rules(rep), junit_failures(rep, res), skipped);
	for (size_t i = 0; rep->rules && i < rep->rules->n; i++)
		if (rep->rules->v[i].enabled)
			junit_case(out, rep, res, &rep->rules->v[i]);
	if (res->n_warnings) {
		fputs("    <system-err>", out);
		for (size_t i = 0; i < res->n_warnings; i++) {
			if (i)
				fputc('\n', out);
			xmlesc_fputs(out, res->warnings[i], 0);
		}
		fputs("</system-err>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

/* The suites wait in a spool: the document opens with their totals. */
struct junit_state {
	struct spool suites;
	size_t tests, failures, errors;
};

static void *junit_begin(FILE *out, const struct report *rep)
{
	(void)out;
	(void)rep;
	struct junit_state *st = xcalloc(1, sizeof(*st));
	spool_open(&st->suites);
	return st;
}

/* A run's suite, and what it adds to the totals. */
struct junit_part {
	struct spool text;
	size_t tests, failures, errors;
};

static void *junit_draw(const void *st, const struct report *rep, const struct run_result *res)
{
	(void)st;
	struct junit_part *p = xcalloc(1, sizeof(*p));
	spool_open(&p->text);
	if (res->error) {
		p->tests = 1;
		p->errors = 1;
		junit_unreadable(p->text.f, res);
	} else {
		p->tests = junit_enabled_rules(rep);
		p->failures = junit_failures(rep, res);
		junit_suite(p->text.f, rep, res);
	}
	return p;
}

static void junit_put(void *arg, FILE *out, const struct report *rep,
		      const struct run_result *res, void *part, size_t run_no)
{
	struct junit_state *st = arg;
	struct junit_part *p = part;
	(void)out;
	(void)rep;
	(void)res;
	(void)run_no;
	st->tests += p->tests;
	st->failures += p->failures;
	st->errors += p->errors;
	spool_copy(&p->text, st->suites.f);
	spool_spill(&st->suites, SPOOL_SPILL_BYTES);
	spool_release(&p->text);
	free(p);
}

static void junit_end(void *arg, FILE *out, const struct report *rep, const struct tally *t)
{
	struct junit_state *st = arg;
	(void)rep;
	(void)t;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"scram-check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
		st->tests, st->failures, st->errors);
	spool_copy(&st->suites, out);
	fputs("</testsuites>\n", out);
	spool_release(&st->suites);
	free(st);
}

const struct renderer renderer_junit = { "junit", junit_begin, junit_draw, junit_put,
					   junit_end };
