/*
 * The JSON report (output.md, "JSON (for programs)"), built with cJSON.
 * NaN and infinities are written as the strings "NaN", "Infinity" and
 * "-Infinity" so that the document stays valid JSON; strings are made valid
 * UTF-8, and controls cJSON leaves raw are escaped (util/escape.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "../util/escape.h"
#include "../util/spool.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "json_splice.h"
#include "render.h"

/* Every string comes from a file or a rule: made valid UTF-8 first, since
 * cJSON copies bytes as they are. */
static cJSON *string(const char *s)
{
	char *clean = utf8_clean(s);
	cJSON *o = cJSON_CreateString(clean);
	free(clean);
	return o;
}

static void add_string(cJSON *obj, const char *key, const char *s)
{
	cJSON_AddItemToObject(obj, key, string(s));
}

static cJSON *number(double x)
{
	if (isnan(x))
		return cJSON_CreateString("NaN");
	if (isinf(x))
		return cJSON_CreateString(x > 0 ? "Infinity" : "-Infinity");
	return cJSON_CreateNumber(x);
}

static cJSON *string_or_null(const char *s)
{
	return s ? string(s) : cJSON_CreateNull();
}

static cJSON *finding_json(const struct finding *f, const struct run_result *res)
{
	cJSON *o = cJSON_CreateObject();
	add_string(o, "rule", f->rule->id);
	add_string(o, "severity", severity_name(f->rule->severity));
	add_string(o, "title", f->title);
	cJSON_AddNumberToObject(o, "detected_epoch", (double)f->detected_epoch);
	cJSON_AddNumberToObject(o, "onset_epoch", (double)f->onset_epoch);
	cJSON_AddBoolToObject(o, "persists", f->persists);
	cJSON_AddBoolToObject(o, "sticky", f->rule->sticky);
	if (f->cause >= 0 && (size_t)f->cause < res->n_f)
		cJSON_AddStringToObject(o, "caused_by", res->f[f->cause].rule->id);
	else
		cJSON_AddNullToObject(o, "caused_by");
	if (f->recovered_epoch)
		cJSON_AddStringToObject(o, "recovered_at", f->recovered_where);
	else
		cJSON_AddNullToObject(o, "recovered_at");
	cJSON_AddStringToObject(o, "axis", axis_point_name(f->axis));
	cJSON_AddStringToObject(o, "where", f->where);
	cJSON_AddItemToObject(o, "step", isnan(f->at_step) ? cJSON_CreateNull() : number(f->at_step));
	cJSON_AddItemToObject(o, "epoch", isnan(f->at_epoch) ? cJSON_CreateNull()
							     : number(f->at_epoch));
	if (f->known)
		cJSON_AddBoolToObject(o, "known", 1);
	if (f->line > 0)
		cJSON_AddNumberToObject(o, "line", (double)f->line);
	else
		cJSON_AddNullToObject(o, "line");
	cJSON *v = cJSON_AddObjectToObject(o, "values");
	for (size_t i = 0; i < f->values.n; i++) {
		const struct value *kv = &f->values.kv[i];
		char *key = utf8_clean(kv->key);
		cJSON_AddItemToObject(v, key, kv->is_word ? string(kv->word) : number(kv->num));
		free(key);
	}
	add_string(o, "message", f->message ? f->message : "");
	add_string(o, "why", f->why ? f->why : "");
	add_string(o, "fix", f->fix ? f->fix : "");
	add_string(o, "snippet", f->snippet ? f->snippet : "");
	cJSON_AddItemToObject(o, "snippet_pytorch", string_or_null(f->snippet_pytorch));
	cJSON *sn = cJSON_AddObjectToObject(o, "snippets");
	for (int fw = 1; fw < FW_COUNT; fw++)
		if (f->snippet_fw[fw])
			cJSON_AddStringToObject(sn, framework_name((enum framework)fw), f->snippet_fw[fw]);
	return o;
}

static cJSON *series_json(const struct run *run)
{
	cJSON *o = cJSON_CreateObject();
	for (int r = 0; r < ROLE_COUNT; r++)
		cJSON_AddItemToObject(o, role_name((enum role)r),
				      string_or_null(run_role_name(run, (enum role)r)));
	return o;
}

/* Every series with its kind, split and axis (--series shows the same). */
static cJSON *metrics_json(const struct run *run)
{
	cJSON *a = cJSON_CreateArray();
	for (const struct run *t = run; t; t = t->steps)
		for (size_t i = 0; i < t->n_series; i++) {
			const struct series *se = &t->series[i];
			cJSON *m = cJSON_CreateObject();
			cJSON_AddStringToObject(m, "name", se->name);
			cJSON_AddStringToObject(m, "kind", metric_kind_name((enum metric_kind)se->kind));
			cJSON_AddStringToObject(m, "split",
						metric_split_name((enum metric_split)se->split));
			cJSON_AddStringToObject(m, "axis", axis_point_name(t->axis));
			cJSON_AddItemToArray(a, m);
		}
	return a;
}

static cJSON *strings(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, string(v[i]));
	return a;
}

static cJSON *run_json(const struct run_result *res)
{
	cJSON *o = cJSON_CreateObject();
	add_string(o, "path", res->path);
	add_string(o, "label", res->label);
	cJSON_AddItemToObject(o, "format", string_or_null(res->format));
	const struct run *run = res->run;
	cJSON_AddItemToObject(o, "batch_stats", string_or_null(run ? run->stats_path : NULL));
	cJSON_AddNumberToObject(o, "segment", run ? (double)run->segment : 0);
	cJSON_AddNumberToObject(o, "epochs", (double)res->epochs);
	cJSON_AddNumberToObject(o, "checks_run", (double)res->checks_run);
	cJSON_AddStringToObject(o, "axis", axis_point_name(run ? run->axis : AXIS_EPOCH));
	cJSON_AddNumberToObject(o, "steps", (double)res->steps);
	cJSON_AddItemToObject(o, "framework",
			      string_or_null(run ? framework_name(run->framework) : NULL));
	cJSON_AddItemToObject(o, "error", string_or_null(res->error));
	if (run)
		cJSON_AddItemToObject(o, "series", series_json(run));
	else
		cJSON_AddNullToObject(o, "series");
	cJSON_AddItemToObject(o, "metrics", run ? metrics_json(run) : cJSON_CreateArray());
	cJSON_AddItemToObject(o, "notes", run ? strings(run->notes, run->n_notes)
					      : cJSON_CreateArray());
	cJSON_AddItemToObject(o, "warnings", strings(res->warnings, res->n_warnings));
	cJSON_AddItemToObject(o, "skipped", strings(res->skipped, res->n_skipped));
	cJSON *fs = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < res->n_f; i++)
		cJSON_AddItemToArray(fs, finding_json(&res->f[i], res));
	return o;
}

/* The document around the runs: its summary holds t (zeros at the start). */
static cJSON *json_frame(const struct report *rep, const struct tally *t, cJSON **runs)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
	add_string(tool, "name", "scram-check");
	add_string(tool, "version", VERSION);
	add_string(doc, "schedule", rep->schedule);
	*runs = cJSON_AddArrayToObject(doc, "runs");
	cJSON *sum = cJSON_AddObjectToObject(doc, "summary");
	cJSON_AddNumberToObject(sum, "runs", (double)t->runs);
	cJSON_AddNumberToObject(sum, "unreadable", (double)t->unreadable);
	cJSON_AddNumberToObject(sum, "errors", (double)t->errors);
	cJSON_AddNumberToObject(sum, "warnings", (double)t->warnings);
	cJSON_AddNumberToObject(sum, "infos", (double)t->infos);
	return doc;
}

static void *json_begin(FILE *out, const struct report *rep)
{
	struct json_splice *js = xcalloc(1, sizeof(*js));
	struct tally none = { 0 };
	cJSON *runs, *doc = json_frame(rep, &none, &runs);
	json_splice_init(js, doc, runs);
	cJSON_Delete(doc);
	json_splice_head(js, out);
	return js;
}

static void *json_draw(const void *st, const struct report *rep, const struct run_result *res)
{
	(void)rep;
	struct spool *sp = spool_new();
	cJSON *o = run_json(res);
	json_splice_draw(st, sp->f, o);
	cJSON_Delete(o);
	return sp;
}

static void json_put(void *st, FILE *out, const struct report *rep, const struct run_result *res,
		     void *part, size_t run_no)
{
	(void)rep;
	(void)res;
	(void)run_no;
	json_splice_next(st, out);
	spool_put(part, out);
}

static void json_end(void *st, FILE *out, const struct report *rep, const struct tally *t)
{
	struct json_splice *js = st, end;
	cJSON *runs, *doc = json_frame(rep, t, &runs);
	json_splice_init(&end, doc, runs);
	cJSON_Delete(doc);
	json_splice_tail(&end, out);
	fputc('\n', out);
	json_splice_release(&end);
	json_splice_release(js);
	free(js);
}

const struct renderer renderer_json = { "json", json_begin, json_draw, json_put, json_end };
