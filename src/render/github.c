/*
 * --format github: GitHub Actions workflow commands, one per finding, which
 * the runner turns into annotations on the file (docs.github.com, "Workflow
 * commands for GitHub Actions": setting an error/warning/notice message).
 *
 *   ::error file=PATH,line=L,title=ID::TITLE: MESSAGE
 *
 * The title is the rule id, as output.md says (it is what --disable and
 * --explain take); the finding's own title opens the message. The runner splits a command at "::" and its properties at ","
 * and "=", and ends it at a newline, so data and properties are escaped the
 * way the runner's own toolkit (@actions/core escapeData/escapeProperty)
 * does it (util/escape.c), and other control bytes are shown escaped.
 */
#include <stdio.h>

#include "../util/escape.h"
#include "../util/spool.h"
#include "render.h"

/* The command for a severity: GitHub has no "info", its lowest is "notice". */
static const char *gh_command(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

static void gh_put_data(FILE *out, const char *s)
{
	gh_fputs(out, s, 0);
}

static void gh_put_property(FILE *out, const char *s)
{
	gh_fputs(out, s, 1);
}

static void gh_finding(FILE *out, const struct run_result *res, const struct finding *f)
{
	const struct rule *r = f->rule;
	/* A known finding (--baseline-file) stays visible without alarming. */
	fprintf(out, "::%s file=", f->known ? "notice" : gh_command(r->severity));
	gh_put_property(out, res->path);
	if (f->line > 0)
		fprintf(out, ",line=%ld", f->line);
	fputs(",title=", out);
	gh_put_property(out, r->id);
	fputs("::", out);
	/* The fix travels with the message: an annotation is all a reader of
	 * the pull request sees. */
	gh_put_data(out, f->title ? f->title : r->id);
	if (f->message && *f->message) {
		gh_put_data(out, ": ");
		gh_put_data(out, f->message);
	}
	if (f->fix && *f->fix) {
		gh_put_data(out, "\nFix: ");
		gh_put_data(out, f->fix);
	}
	fputc('\n', out);
}

static void *gh_begin(FILE *out, const struct report *rep)
{
	(void)out;
	(void)rep;
	return NULL;
}

static void *gh_draw(const void *st, const struct report *rep, const struct run_result *res)
{
	(void)st;
	(void)rep;
	struct spool *sp = spool_new();
	if (res->error) {
		fputs("::error file=", sp->f);
		gh_put_property(sp->f, res->path);
		fputs("::cannot read: ", sp->f);
		gh_put_data(sp->f, res->error);
		fputc('\n', sp->f);
		return sp;
	}
	for (size_t j = 0; j < res->n_f; j++)
		gh_finding(sp->f, res, &res->f[j]);
	return sp;
}

static void gh_put(void *st, FILE *out, const struct report *rep, const struct run_result *res,
		   void *part, size_t run_no)
{
	(void)st;
	(void)rep;
	(void)res;
	(void)run_no;
	spool_put(part, out);
}

static void gh_end(void *st, FILE *out, const struct report *rep, const struct tally *t)
{
	(void)st;
	(void)out;
	(void)rep;
	(void)t;
}

const struct renderer renderer_github = { "github", gh_begin, gh_draw, gh_put, gh_end };
