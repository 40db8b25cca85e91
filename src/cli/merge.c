/*
 * --merge FILE...: the reverse of render/jsonl.c. Every field a renderer
 * reads is taken back from the document, so the report printed from merged
 * documents is byte for byte the one a single process prints. What cannot be
 * taken back is refused, never guessed: a document written with other rules
 * (their fingerprint differs), another schedule, or another schema version.
 */
#include "merge.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../model/run.h"
#include "../render/jsonl.h"
#include "../util/number.h"
#include "../util/xalloc.h"

/* One document being read: where, and the first thing wrong with it. */
struct doc {
	struct merge *m;
	const struct ruleset *rules;
	char err[512];
};

static int fail(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct doc *d, const char *fmt, ...)
{
	if (d->err[0])
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *intern(struct merge *m, const char *s)
{
	for (size_t i = 0; i < m->n_pool; i++)
		if (strcmp(m->pool[i], s) == 0)
			return m->pool[i];
	m->pool = xreallocarray(m->pool, m->n_pool + 1, sizeof(char *));
	return m->pool[m->n_pool++] = xstrdup(s);
}

/* A string member; NULL with the error set when absent or not a string
 * (or NULL without one when null is allowed and found). */
static const char *get_str(struct doc *d, const cJSON *o, const char *key, int nullable)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsString(v))
		return v->valuestring;
	if (nullable && cJSON_IsNull(v))
		return NULL;
	fail(d, "'%s' is not a string%s", key, nullable ? " or null" : "");
	return NULL;
}

static char *dup_str(struct doc *d, const cJSON *o, const char *key, int nullable)
{
	const char *s = get_str(d, o, key, nullable);
	return s ? xstrdup(s) : NULL;
}

/* A whole number 0 <= n < 2^53. */
static size_t get_count(struct doc *d, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble < 9007199254740992.0) ||
	    floor(v->valuedouble) != v->valuedouble) {
		fail(d, "'%s' is not a whole number", key);
		return 0;
	}
	return (size_t)v->valuedouble;
}

/* A number as jsonl.c writes it: a JSON number, or "NaN", "Infinity",
 * "-Infinity", "-0". */
static int get_double(struct doc *d, const cJSON *v, const char *what, double *out)
{
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 0;
	}
	if (cJSON_IsString(v) && (strcmp(v->valuestring, "NaN") == 0 ||
				  strcmp(v->valuestring, "Infinity") == 0 ||
				  strcmp(v->valuestring, "-Infinity") == 0 ||
				  strcmp(v->valuestring, "-0") == 0))
		return parse_number(v->valuestring, strlen(v->valuestring), out);
	return fail(d, "%s is not a number", what);
}

static const cJSON *get_array(struct doc *d, const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsArray(v))
		fail(d, "'%s' is not an array", key);
	return cJSON_IsArray(v) ? v : NULL;
}

/* An array of strings into a new vector. */
static char **get_strings(struct doc *d, const cJSON *o, const char *key, size_t *n)
{
	*n = 0;
	const cJSON *a = get_array(d, o, key);
	if (!a)
		return NULL;
	size_t len = (size_t)cJSON_GetArraySize(a);
	char **v = len ? xcalloc(len, sizeof(char *)) : NULL;
	const cJSON *it;
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it)) {
			fail(d, "'%s' holds something other than strings", key);
			break;
		}
		v[(*n)++] = xstrdup(it->valuestring);
	}
	return v;
}

/* An enum spelled by name(i) for i in [0, n): its index, or -1. */
static int get_enum(struct doc *d, const cJSON *o, const char *key, int nullable,
		    const char *(*name)(int), int n)
{
	const char *s = get_str(d, o, key, nullable);
	if (!s)
		return d->err[0] ? -1 : 0;
	for (int i = 0; i < n; i++)
		if (name(i) && strcmp(name(i), s) == 0)
			return i;
	fail(d, "'%s' is '%s', which this scram-check does not know", key, s);
	return -1;
}

static const char *axis_name_i(int i)
{
	return axis_point_name((enum axis)i);
}

static const char *framework_name_i(int i)
{
	return framework_name((enum framework)i);
}

static const char *kind_name_i(int i)
{
	return metric_kind_name((enum metric_kind)i);
}

static const char *split_name_i(int i)
{
	return metric_split_name((enum metric_split)i);
}

/* Per-point coordinates, n of them, or NULL for null. */
static double *get_coords(struct doc *d, const cJSON *o, const char *key, size_t n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsNull(a))
		return NULL;
	if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != n) {
		fail(d, "'%s' is not null or an array of %zu numbers", key, n);
		return NULL;
	}
	double *v = xcalloc(n ? n : 1, sizeof(double));
	size_t i = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, a)
		get_double(d, x, key, &v[i++]);
	return v;
}

static struct run *get_run(struct doc *d, const cJSON *o)
{
	const char *path = get_str(d, o, "path", 0), *label = get_str(d, o, "label", 0);
	const char *format = get_str(d, o, "format", 0);
	if (!path || !label || !format)
		return NULL;
	struct run *run = run_new(path, intern(d->m, format));
	free(run->label);
	run->label = xstrdup(label);
	run->segment = get_count(d, o, "segment");
	run->stats_path = dup_str(d, o, "batch_stats", 1);
	size_t n = get_count(d, o, "epochs");
	const cJSON *ss = get_array(d, o, "series");
	const cJSON *s;
	cJSON_ArrayForEach(s, ss) {
		const char *name = get_str(d, s, "name", 0);
		if (!name)
			break;
		run_add_series(run, name);
	}
	for (size_t e = 0; e < n && !d->err[0]; e++)
		run_add_epoch(run, 0);
	size_t k = 0;
	cJSON_ArrayForEach(s, ss) {
		const cJSON *vs = get_array(d, s, "values");
		if (!vs || (size_t)cJSON_GetArraySize(vs) != n) {
			fail(d, "series '%s' does not hold %zu values", run->series[k].name, n);
			break;
		}
		size_t e = 0;
		const cJSON *v;
		cJSON_ArrayForEach(v, vs) {
			double x;
			if (!cJSON_IsNull(v) && get_double(d, v, "a series value", &x) == 0)
				run_set(run, k, e, x);
			e++;
		}
		k++;
	}
	k = 0;
	cJSON_ArrayForEach(s, ss) {
		if (k >= run->n_series)
			break;
		int kind = get_enum(d, s, "kind", 0, kind_name_i, KIND_COUNT);
		int split = get_enum(d, s, "split", 0, split_name_i, SPLIT_TEST + 1);
		run->series[k].kind = kind < 0 ? 0 : (unsigned char)kind;
		run->series[k].split = split < 0 ? 0 : (unsigned char)split;
		k++;
	}
	int axis = get_enum(d, o, "axis", 0, axis_name_i, AXIS_STEP + 1);
	int fw = get_enum(d, o, "framework", 1, framework_name_i, FW_COUNT);
	run->axis = axis < 0 ? AXIS_EPOCH : (enum axis)axis;
	run->framework = fw < 0 ? FW_UNKNOWN : (enum framework)fw;
	run->at_step = get_coords(d, o, "at_step", n);
	run->at_epoch = get_coords(d, o, "at_epoch", n);
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(o, "steps");
	if (cJSON_IsObject(steps) && !d->err[0])
		run->steps = get_run(d, steps);
	else if (!cJSON_IsNull(steps))
		fail(d, "'steps' is not an object or null");
	const cJSON *roles = cJSON_GetObjectItemCaseSensitive(o, "roles");
	if (!cJSON_IsObject(roles))
		fail(d, "'roles' is not an object");
	for (int r = 0; r < ROLE_COUNT && !d->err[0]; r++) {
		const char *name = get_str(d, roles, role_name((enum role)r), 1);
		if (name && (run->role[r] = run_find_series(run, name)) < 0)
			fail(d, "role %s names no series ('%s')", role_name((enum role)r), name);
	}
	size_t n_notes;
	char **notes = get_strings(d, o, "notes", &n_notes);
	for (size_t i = 0; i < n_notes; i++) {
		run_note(run, "%s", notes[i]);
		free(notes[i]);
	}
	free(notes);
	if (d->err[0]) {
		run_free(run);
		return NULL;
	}
	return run;
}

static int get_values(struct doc *d, const cJSON *a, struct values *out)
{
	out->n = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, a) {
		if (out->n == VALUES_MAX)
			return fail(d, "more than %d values in a finding", VALUES_MAX);
		struct value *kv = &out->kv[out->n];
		memset(kv, 0, sizeof(*kv));
		const char *key = get_str(d, v, "key", 0);
		if (!key)
			return -1;
		kv->key = intern(d->m, key);
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(v, "word");
		if (w) {
			if (!cJSON_IsString(w) || strlen(w->valuestring) >= sizeof(kv->word))
				return fail(d, "value '%s' is not a word of under %zu bytes", key,
					    sizeof(kv->word));
			kv->is_word = 1;
			strcpy(kv->word, w->valuestring);
		} else if (get_double(d, cJSON_GetObjectItemCaseSensitive(v, "number"),
				      "a finding's value", &kv->num)) {
			return -1;
		}
		out->n++;
	}
	return 0;
}

static int get_finding(struct doc *d, const cJSON *o, struct finding *f)
{
	memset(f, 0, sizeof(*f));
	const char *id = get_str(d, o, "rule", 0), *sev = get_str(d, o, "severity", 0);
	if (!id || !sev)
		return -1;
	f->rule = ruleset_find(d->rules, id);
	if (!f->rule)
		return fail(d, "unknown rule '%s'", id);
	if (strcmp(sev, severity_name(f->rule->severity)) != 0)
		return fail(d, "rule '%s' is %s here, %s in the document", id,
			    severity_name(f->rule->severity), sev);
	f->detected_epoch = get_count(d, o, "detected_epoch");
	f->onset_epoch = get_count(d, o, "onset_epoch");
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "persists");
	if (!cJSON_IsBool(p))
		return fail(d, "'persists' is not true or false");
	f->persists = cJSON_IsTrue(p);
	f->line = (long)get_count(d, o, "line");
	int axis = get_enum(d, o, "axis", 0, axis_name_i, AXIS_STEP + 1);
	int fw = get_enum(d, o, "framework", 1, framework_name_i, FW_COUNT);
	f->axis = axis < 0 ? AXIS_EPOCH : (enum axis)axis;
	f->framework = fw < 0 ? FW_UNKNOWN : (enum framework)fw;
	if (get_double(d, cJSON_GetObjectItemCaseSensitive(o, "step"), "'step'", &f->at_step) ||
	    get_double(d, cJSON_GetObjectItemCaseSensitive(o, "epoch"), "'epoch'", &f->at_epoch))
		return -1;
	const char *where = get_str(d, o, "where", 0), *onset = get_str(d, o, "onset_where", 0);
	if (!where || !onset)
		return -1;
	if (strlen(where) >= sizeof(f->where) || strlen(onset) >= sizeof(f->onset_where))
		return fail(d, "'where' or 'onset_where' is longer than %zu bytes", sizeof(f->where));
	strcpy(f->where, where);
	strcpy(f->onset_where, onset);
	f->recovered_epoch = get_count(d, o, "recovered_epoch");
	const char *rec = get_str(d, o, "recovered_where", 0);
	if (!rec)
		return -1;
	if (strlen(rec) >= sizeof(f->recovered_where))
		return fail(d, "'recovered_where' is longer than %zu bytes",
			    sizeof(f->recovered_where));
	strcpy(f->recovered_where, rec);
	const cJSON *cause = cJSON_GetObjectItemCaseSensitive(o, "cause");
	if (!cJSON_IsNumber(cause) || cause->valuedouble < -1 || cause->valuedouble > 1e6 ||
	    floor(cause->valuedouble) != cause->valuedouble)
		return fail(d, "'cause' is not -1 or a finding's index");
	f->cause = (int)cause->valuedouble;
	const cJSON *vs = get_array(d, o, "values");
	if (!vs || get_values(d, vs, &f->values))
		return -1;
	f->title = dup_str(d, o, "title", 1);
	f->message = dup_str(d, o, "message", 1);
	f->why = dup_str(d, o, "why", 1);
	f->fix = dup_str(d, o, "fix", 1);
	f->snippet = dup_str(d, o, "snippet", 1);
	const cJSON *sn = cJSON_GetObjectItemCaseSensitive(o, "snippets");
	if (!cJSON_IsObject(sn))
		return fail(d, "'snippets' is not an object");
	const cJSON *x;
	cJSON_ArrayForEach(x, sn) {
		int k;
		for (k = 1; k < FW_COUNT; k++)
			if (strcmp(framework_name((enum framework)k), x->string) == 0)
				break;
		if (k == FW_COUNT || !cJSON_IsString(x) || f->snippet_fw[k])
			return fail(d, "snippet '%s' is not a framework's text", x->string);
		f->snippet_fw[k] = xstrdup(x->valuestring);
	}
	f->snippet_pytorch = f->snippet_fw[FW_PYTORCH];
	return d->err[0] ? -1 : 0;
}

static int get_result(struct doc *d, const cJSON *o, struct run_result *res)
{
	memset(res, 0, sizeof(*res));
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(o, "scram_check_jsonl");
	if (!cJSON_IsNumber(schema))
		return fail(d, "not a scram-check JSON Lines document (written by --format jsonl)");
	if (schema->valuedouble != JSONL_SCHEMA)
		return fail(d, "schema %g, but this scram-check reads schema %d",
			    schema->valuedouble, JSONL_SCHEMA);
	const char *sched = get_str(d, o, "schedule", 0), *fp = get_str(d, o, "rules", 0);
	if (!sched || !fp)
		return -1;
	if (!d->m->schedule[0])
		snprintf(d->m->schedule, sizeof(d->m->schedule), "%s", sched);
	else if (strcmp(d->m->schedule, sched) != 0)
		return fail(d, "checked with --schedule %s, the documents before with %s", sched,
			    d->m->schedule);
	char mine[24];
	snprintf(mine, sizeof(mine), "%016" PRIx64, jsonl_rules_fingerprint(d->rules));
	if (strcmp(fp, mine) != 0)
		return fail(d, "written with other rules (fingerprint %s, here %s); "
			    "give --merge the --rules, --enable, --disable and --set of the analysis",
			    fp, mine);
	res->path = dup_str(d, o, "path", 0);
	res->label = dup_str(d, o, "label", 0);
	const char *format = get_str(d, o, "format", 1);
	res->format = format ? intern(d->m, format) : NULL;
	res->epochs = get_count(d, o, "epochs");
	res->checks_run = get_count(d, o, "checks_run");
	res->steps = get_count(d, o, "steps");
	res->step_checks = get_count(d, o, "step_checks");
	res->error = dup_str(d, o, "error", 1);
	res->warnings = get_strings(d, o, "warnings", &res->n_warnings);
	res->skipped = get_strings(d, o, "skipped", &res->n_skipped);
	const cJSON *run = cJSON_GetObjectItemCaseSensitive(o, "run");
	if (cJSON_IsObject(run))
		res->run = get_run(d, run);
	else if (!cJSON_IsNull(run))
		fail(d, "'run' is not an object or null");
	const cJSON *fs = get_array(d, o, "findings");
	if (d->err[0])
		return -1;
	size_t n = (size_t)cJSON_GetArraySize(fs);
	res->f = n ? xcalloc(n, sizeof(*res->f)) : NULL;
	const cJSON *f;
	cJSON_ArrayForEach(f, fs) {
		struct finding *x = &res->f[res->n_f];
		if (get_finding(d, f, x)) {
			finding_release(x);
			break;
		}
		res->n_f++;
	}
	return d->err[0] ? -1 : 0;
}

static int read_file(struct merge *m, const char *path, const struct ruleset *rules,
		     struct run_result **out, size_t *n_out, size_t *cap)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(stderr, "scram-check: cannot read '%s': %s\n", name, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t len = 0;
	ssize_t n;
	long lineno = 0;
	int rc = 0;
	while ((n = getline(&line, &len, f)) >= 0) {
		lineno++;
		size_t k = (size_t)n;
		while (k && (line[k - 1] == '\n' || line[k - 1] == '\r'))
			k--;
		if (k == 0)
			continue;
		struct doc d = { m, rules, "" };
		cJSON *o = cJSON_ParseWithLength(line, k);
		if (!cJSON_IsObject(o)) {
			fail(&d, "not a JSON document");
		} else {
			xgrow(out, cap, *n_out + 1, sizeof(**out));
			if (get_result(&d, o, &(*out)[*n_out]) == 0)
				++*n_out;
			else
				run_result_release(&(*out)[*n_out]);
		}
		cJSON_Delete(o);
		if (d.err[0]) {
			fprintf(stderr, "scram-check: '%s': line %ld: %s\n", name, lineno, d.err);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "scram-check: cannot read '%s': %s\n", name, strerror(errno));
		rc = -1;
	}
	free(line);
	if (!is_stdin)
		fclose(f);
	return rc;
}

int merge_read(struct merge *m, char *const *paths, size_t n_paths,
	       const struct ruleset *rules, struct run_result **out, size_t *n_out)
{
	size_t cap = 0;
	*out = NULL;
	*n_out = 0;
	for (size_t i = 0; i < n_paths; i++)
		if (read_file(m, paths[i], rules, out, n_out, &cap))
			return -1;
	if (*n_out == 0) {
		fprintf(stderr, "scram-check: --merge: no run documents in the files given\n");
		return -1;
	}
	return 0;
}

void merge_release(struct merge *m)
{
	for (size_t i = 0; i < m->n_pool; i++)
		free(m->pool[i]);
	free(m->pool);
	memset(m, 0, sizeof(*m));
}
