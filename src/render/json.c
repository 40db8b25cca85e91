/*
 * The JSON report (output.md, "JSON (for programs)"), built with cJSON.
 * NaN and infinities are written as the strings "NaN", "Infinity" and
 * "-Infinity" so that the document stays valid JSON.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "render.h"

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
	return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *finding_json(const struct finding *f)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "rule", f->rule->id);
	cJSON_AddStringToObject(o, "severity", severity_name(f->rule->severity));
	cJSON_AddStringToObject(o, "title", f->title);
	cJSON_AddNumberToObject(o, "detected_epoch", (double)f->detected_epoch);
	cJSON_AddNumberToObject(o, "onset_epoch", (double)f->onset_epoch);
	cJSON_AddBoolToObject(o, "persists", f->persists);
	if (f->known)
		cJSON_AddBoolToObject(o, "known", 1);
	if (f->line > 0)
		cJSON_AddNumberToObject(o, "line", (double)f->line);
	else
		cJSON_AddNullToObject(o, "line");
	cJSON *v = cJSON_AddObjectToObject(o, "values");
	for (size_t i = 0; i < f->values.n; i++) {
		const struct value *kv = &f->values.kv[i];
		cJSON_AddItemToObject(v, kv->key, kv->is_word ? cJSON_CreateString(kv->word)
							      : number(kv->num));
	}
	cJSON_AddStringToObject(o, "message", f->message ? f->message : "");
	cJSON_AddStringToObject(o, "why", f->why ? f->why : "");
	cJSON_AddStringToObject(o, "fix", f->fix ? f->fix : "");
	cJSON_AddStringToObject(o, "snippet", f->snippet ? f->snippet : "");
	cJSON_AddItemToObject(o, "snippet_pytorch", string_or_null(f->snippet_pytorch));
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

static cJSON *strings(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static cJSON *run_json(const struct run_result *res)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "path", res->path);
	cJSON_AddStringToObject(o, "label", res->label);
	cJSON_AddItemToObject(o, "format", string_or_null(res->format));
	const struct run *run = res->run;
	cJSON_AddItemToObject(o, "batch_stats", string_or_null(run ? run->stats_path : NULL));
	cJSON_AddNumberToObject(o, "segment", run ? (double)run->segment : 0);
	cJSON_AddNumberToObject(o, "epochs", (double)res->epochs);
	cJSON_AddNumberToObject(o, "checks_run", (double)res->checks_run);
	cJSON_AddItemToObject(o, "error", string_or_null(res->error));
	if (run)
		cJSON_AddItemToObject(o, "series", series_json(run));
	else
		cJSON_AddNullToObject(o, "series");
	cJSON_AddItemToObject(o, "notes", run ? strings(run->notes, run->n_notes)
					      : cJSON_CreateArray());
	cJSON_AddItemToObject(o, "warnings", strings(res->warnings, res->n_warnings));
	cJSON_AddItemToObject(o, "skipped", strings(res->skipped, res->n_skipped));
	cJSON *fs = cJSON_AddArrayToObject(o, "findings");
	for (size_t i = 0; i < res->n_f; i++)
		cJSON_AddItemToArray(fs, finding_json(&res->f[i]));
	return o;
}

void render_json(FILE *out, const struct report *rep)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *tool = cJSON_AddObjectToObject(doc, "tool");
	cJSON_AddStringToObject(tool, "name", "scram-check");
	cJSON_AddStringToObject(tool, "version", VERSION);
	cJSON_AddStringToObject(doc, "schedule", rep->schedule);
	cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
	for (size_t i = 0; i < rep->n_runs; i++)
		cJSON_AddItemToArray(runs, run_json(&rep->runs[i]));
	struct tally t;
	report_tally(rep, &t);
	cJSON *sum = cJSON_AddObjectToObject(doc, "summary");
	cJSON_AddNumberToObject(sum, "runs", (double)t.runs);
	cJSON_AddNumberToObject(sum, "unreadable", (double)t.unreadable);
	cJSON_AddNumberToObject(sum, "errors", (double)t.errors);
	cJSON_AddNumberToObject(sum, "warnings", (double)t.warnings);
	cJSON_AddNumberToObject(sum, "infos", (double)t.infos);
	char *text = cJSON_Print(doc);
	if (text) {
		fputs(text, out);
		fputc('\n', out);
		free(text);
	}
	cJSON_Delete(doc);
}
