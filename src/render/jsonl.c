/*
 * --format jsonl: one JSON document per run per line (schema in
 * scram-check(1), JSON LINES). Unlike --format json, a document holds the
 * whole run the renderers draw from (every series, the role mapping, notes)
 * and the findings with all their fields, so that --merge can rebuild the
 * report of many such lines in any format, byte for byte.
 *
 * Numbers that JSON cannot hold are strings: "NaN", "Infinity", "-Infinity",
 * and "-0" (cJSON would print -0.0 as 0). A missing value is null. Other
 * numbers are written here, not by cJSON, whose shortest form is only
 * approximately the double: the fewest digits that read back bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../util/number.h"
#include "../util/spool.h"
#include "../util/xalloc.h"
#include "jsonl.h"
#include "render.h"

static cJSON *number(double x)
{
	if (isnan(x))
		return cJSON_CreateString("NaN");
	if (isinf(x))
		return cJSON_CreateString(x > 0 ? "Infinity" : "-Infinity");
	if (x == 0 && signbit(x))
		return cJSON_CreateString("-0");
	char buf[40];
	for (int prec = 15; prec <= 17; prec++) {
		int n = snprintf(buf, sizeof(buf), "%.*g", prec, x);
		double back;
		if (prec == 17 || (parse_number(buf, (size_t)n, &back) == 0 && back == x))
			break;
	}
	return cJSON_CreateRaw(buf);
}

static cJSON *string_or_null(const char *s)
{
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *strings(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		*h ^= s[i];
		*h *= 0x100000001b3U;
	}
}

static void fnv_str(uint64_t *h, const char *s)
{
	if (s)
		fnv(h, s, strlen(s) + 1);
	else
		fnv(h, "\xff", 1);
}

static void fnv_num(uint64_t *h, double x)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%.17g", x);
	fnv_str(h, buf);
}

uint64_t jsonl_rules_fingerprint(const struct ruleset *rules)
{
	uint64_t h = 0xcbf29ce484222325U;
	for (size_t i = 0; i < rules->n; i++) {
		const struct rule *r = &rules->v[i];
		fnv_str(&h, r->id);
		fnv_num(&h, (double)r->enabled);
		fnv_str(&h, severity_name(r->severity));
		fnv_num(&h, r->judgment);
		fnv_num(&h, (double)r->values_last);
		fnv_num(&h, (double)r->axes);
		fnv_num(&h, (double)r->sticky);
		fnv_str(&h, r->source);
		fnv_str(&h, r->reads);
		fnv_str(&h, r->title);
		fnv_str(&h, r->summary);
		for (size_t k = 0; r->det && r->param && k < r->det->n_params; k++) {
			if (r->det->params[k].type == PARAM_WORD)
				fnv_str(&h, r->param[k].word);
			else
				fnv_num(&h, r->param[k].num);
		}
		for (size_t k = 0; k < r->n_sec; k++) {
			fnv_str(&h, r->sec[k].name);
			fnv_str(&h, r->sec[k].variant);
			fnv_str(&h, r->sec[k].text);
		}
	}
	return h;
}

static cJSON *finding_jsonl(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", f->rule->id);
	cJSON_AddStringToObject(o, "severity", severity_name(f->rule->severity));
	cJSON_AddNumberToObject(o, "detected_epoch", (double)f->detected_epoch);
	cJSON_AddNumberToObject(o, "onset_epoch", (double)f->onset_epoch);
	cJSON_AddBoolToObject(o, "persists", f->persists);
	cJSON_AddNumberToObject(o, "line", (double)f->line);
	cJSON_AddStringToObject(o, "axis", axis_point_name(f->axis));
	cJSON_AddItemToObject(o, "step", number(f->at_step));
	cJSON_AddItemToObject(o, "epoch", number(f->at_epoch));
	cJSON_AddStringToObject(o, "where", f->where);
	cJSON_AddStringToObject(o, "onset_where", f->onset_where);
	cJSON_AddNumberToObject(o, "recovered_epoch", (double)f->recovered_epoch);
	cJSON_AddStringToObject(o, "recovered_where", f->recovered_where);
	cJSON_AddNumberToObject(o, "cause", (double)f->cause);
	cJSON_AddItemToObject(o, "framework", string_or_null(framework_name(f->framework)));
	cJSON *vs = cJSON_AddArrayToObject(o, "values");
	for (size_t i = 0; i < f->values.n; i++) {
		const struct value *kv = &f->values.kv[i];
		cJSON *v = cJSON_CreateObject();
		cJSON_AddStringToObject(v, "key", kv->key);
		if (kv->is_word)
			cJSON_AddStringToObject(v, "word", kv->word);
		else
			cJSON_AddItemToObject(v, "number", number(kv->num));
		cJSON_AddItemToArray(vs, v);
	}
	cJSON_AddItemToObject(o, "title", string_or_null(f->title));
	cJSON_AddItemToObject(o, "message", string_or_null(f->message));
	cJSON_AddItemToObject(o, "why", string_or_null(f->why));
	cJSON_AddItemToObject(o, "fix", string_or_null(f->fix));
	cJSON_AddItemToObject(o, "snippet", string_or_null(f->snippet));
	cJSON *sn = cJSON_AddObjectToObject(o, "snippets");
	for (int fw = 1; fw < FW_COUNT; fw++)
		if (f->snippet_fw[fw])
			cJSON_AddStringToObject(sn, framework_name((enum framework)fw), f->snippet_fw[fw]);
	return o;
}

/* Per-point coordinates: null when the run has none, NaN where a point has none. */
static cJSON *coords(const double *v, size_t n)
{
	if (!v)
		return cJSON_CreateNull();
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, number(v[i]));
	return a;
}

static cJSON *run_jsonl(const struct run *run)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", run->path);
	cJSON_AddStringToObject(o, "label", run->label);
	cJSON_AddStringToObject(o, "format", run->format);
	cJSON_AddNumberToObject(o, "segment", (double)run->segment);
	cJSON_AddItemToObject(o, "batch_stats", string_or_null(run->stats_path));
	cJSON_AddNumberToObject(o, "epochs", (double)run->n_epochs);
	cJSON_AddStringToObject(o, "axis", axis_point_name(run->axis));
	cJSON_AddItemToObject(o, "framework", string_or_null(framework_name(run->framework)));
	cJSON_AddItemToObject(o, "at_step", coords(run->at_step, run->n_epochs));
	cJSON_AddItemToObject(o, "at_epoch", coords(run->at_epoch, run->n_epochs));
	cJSON *roles = cJSON_AddObjectToObject(o, "roles");
	for (int r = 0; r < ROLE_COUNT; r++)
		cJSON_AddItemToObject(roles, role_name((enum role)r),
				      string_or_null(run_role_name(run, (enum role)r)));
	cJSON_AddItemToObject(o, "notes", strings(run->notes, run->n_notes));
	cJSON *ss = cJSON_AddArrayToObject(o, "series");
	for (size_t i = 0; i < run->n_series; i++) {
		const struct series *s = &run->series[i];
		cJSON *so = cJSON_CreateObject();
		cJSON_AddStringToObject(so, "name", s->name);
		cJSON_AddStringToObject(so, "kind", metric_kind_name((enum metric_kind)s->kind));
		cJSON_AddStringToObject(so, "split", metric_split_name((enum metric_split)s->split));
		cJSON *v = cJSON_AddArrayToObject(so, "values");
		for (size_t e = 0; e < run->n_epochs; e++)
			cJSON_AddItemToArray(v, run_is_missing(s, e) ? cJSON_CreateNull()
							      : number(s->v[e]));
		cJSON_AddItemToArray(ss, so);
	}
	cJSON_AddItemToObject(o, "steps", run->steps ? run_jsonl(run->steps) : cJSON_CreateNull());
	return o;
}

/* The rules' fingerprint, once per report. */
struct jsonl_state {
	char fp[24];
};

static void *jsonl_begin(FILE *out, const struct report *rep)
{
	(void)out;
	struct jsonl_state *st = xcalloc(1, sizeof(*st));
	snprintf(st->fp, sizeof(st->fp), "%016llx",
		 rep->rules ? (unsigned long long)jsonl_rules_fingerprint(rep->rules) : 0ULL);
	return st;
}

static void *jsonl_draw(const void *arg, const struct report *rep, const struct run_result *res)
{
	const struct jsonl_state *st = arg;
	struct spool *sp = spool_new();
	FILE *out = sp->f;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "scram_check_jsonl", JSONL_SCHEMA);
	cJSON_AddStringToObject(o, "version", VERSION);
	cJSON_AddStringToObject(o, "schedule", rep->schedule);
	cJSON_AddStringToObject(o, "rules", st->fp);
	cJSON_AddStringToObject(o, "path", res->path);
	cJSON_AddStringToObject(o, "label", res->label);
	cJSON_AddItemToObject(o, "format", string_or_null(res->format));
	cJSON_AddNumberToObject(o, "epochs", (double)res->epochs);
	cJSON_AddNumberToObject(o, "checks_run", (double)res->checks_run);
	cJSON_AddNumberToObject(o, "steps", (double)res->steps);
	cJSON_AddNumberToObject(o, "step_checks", (double)res->step_checks);
	cJSON_AddItemToObject(o, "error", string_or_null(res->error));
	cJSON_AddItemToObject(o, "warnings", strings(res->warnings, res->n_warnings));
	cJSON_AddItemToObject(o, "skipped", strings(res->skipped, res->n_skipped));
	cJSON_AddItemToObject(o, "run", res->run ? run_jsonl(res->run) : cJSON_CreateNull());
	cJSON *fs = cJSON_AddArrayToObject(o, "findings");
	for (size_t k = 0; k < res->n_f; k++)
		cJSON_AddItemToArray(fs, finding_jsonl(&res->f[k]));
	char *text = cJSON_PrintUnformatted(o);
	if (text) {
		fputs(text, out);
		fputc('\n', out);
		free(text);
	}
	cJSON_Delete(o);
	return sp;
}

static void jsonl_put(void *st, FILE *out, const struct report *rep,
		      const struct run_result *res, void *part, size_t run_no)
{
	(void)st;
	(void)rep;
	(void)res;
	(void)run_no;
	spool_put(part, out);
}

static void jsonl_end(void *st, FILE *out, const struct report *rep, const struct tally *t)
{
	(void)out;
	(void)rep;
	(void)t;
	free(st);
}

const struct renderer renderer_jsonl = { "jsonl", jsonl_begin, jsonl_draw, jsonl_put,
					   jsonl_end };
