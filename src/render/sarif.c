/*
 * --format sarif: SARIF 2.1.0 (OASIS, errata 01), the format GitHub code
 * scanning and most CI dashboards import. One SARIF run for the whole
 * invocation; every enabled rule is a reportingDescriptor of the driver, and
 * every finding of every history a result pointing at the history's row.
 * Histories that could not be read are tool execution notifications, not
 * results: they are failures of the tool's input, not findings about a run.
 *
 * Built with cJSON so that quoting is never hand-rolled; strings are first
 * made valid UTF-8 (paths and column names come from the user's files), and
 * NaN or infinite values are written as strings, never as bare numbers.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/wrap.h"
#include "../util/escape.h"
#include "../util/spool.h"
#include "../util/strbuf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "json_splice.h"
#include "render.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const char *sarif_level(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

/* Add a string member, repaired to valid UTF-8 (cJSON copies bytes as they are). */
static void sarif_add_string(cJSON *obj, const char *key, const char *s)
{
	char *clean = utf8_clean(s);
	cJSON_AddStringToObject(obj, key, clean);
	free(clean);
}

/* {"text": s}: the SARIF message and multiformatMessageString shape. */
static cJSON *sarif_text(const char *s)
{
	cJSON *m = cJSON_CreateObject();
	sarif_add_string(m, "text", s);
	return m;
}

/* A number, or "NaN"/"Infinity"/"-Infinity" as output.md spells them for JSON. */
static void sarif_add_number(cJSON *obj, const char *key, double x)
{
	if (isnan(x))
		cJSON_AddStringToObject(obj, key, "NaN");
	else if (isinf(x))
		cJSON_AddStringToObject(obj, key, x > 0 ? "Infinity" : "-Infinity");
	else
		cJSON_AddNumberToObject(obj, key, x);
}

/*
 * A path as given, as a URI reference (RFC 3986): every byte but the
 * unreserved ones and "/" percent-encoded, so spaces, "%", "#", "?" and a ":"
 * that would pass for a scheme all survive. Relative paths stay relative, as
 * GitHub resolves them against the checkout; absolute ones become file URIs.
 */
static char *sarif_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, path[0] == '/' ? "file://" : "");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || c == '/') {
			strbuf_addc(&sb, (char)c);
		} else {
			strbuf_addc(&sb, '%');
			strbuf_addc(&sb, hex[c >> 4]);
			strbuf_addc(&sb, hex[c & 15]);
		}
	}
	return strbuf_detach(&sb);
}

/*
 * A rule's text without a finding's values: {id} and the {param}
 * placeholders take the rule's id and parameter values ("more than {threshold}" → "more than 0.02"), and
 * the others, which only a finding can fill, show as what they stand for
 * ("{series} became {value}" → "<series> became <value>"), which reads as a
 * template, as a rule's description is; in Markdown (keep_unknown 2) as
 * code, `value`, since GitHub drops a bare <value> as an HTML tag. In code
 * (keep_unknown 1) unknown braces stay, since code has braces.
 */
static char *sarif_generic_text(const struct rule *r, const char *text, int keep_unknown)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "");
	const char *p = text ? text : "";
	while (*p) {
		size_t klen = 0;
		if (*p == '{')
			while (p[1 + klen] == '_' || (p[1 + klen] >= 'a' && p[1 + klen] <= 'z') ||
			       (p[1 + klen] >= '0' && p[1 + klen] <= '9'))
				klen++;
		if (*p != '{' || klen == 0 || p[1 + klen] != '}') {
			strbuf_addc(&sb, *p++);
			continue;
		}
		const char *key = p + 1;
		int done = 0;
		if (klen == 2 && strncmp(key, "id", 2) == 0) {
			strbuf_adds(&sb, r->id);
			done = 1;
		}
		for (size_t i = 0; !done && r->det && r->param && i < r->det->n_params; i++) {
			const struct param_def *d = &r->det->params[i];
			if (strlen(d->name) != klen || strncmp(d->name, key, klen) != 0)
				continue;
			if (d->type == PARAM_WORD) {
				strbuf_adds(&sb, r->param[i].word ? r->param[i].word : "");
			} else {
				char num[64];
				strbuf_adds(&sb, format_number(r->param[i].num, num, sizeof(num)));
			}
			done = 1;
			break;
		}
		if (!done && keep_unknown == 2) {
			strbuf_addc(&sb, '`');
			strbuf_add(&sb, key, klen);
			strbuf_addc(&sb, '`');
		} else if (!done && keep_unknown) {
			strbuf_add(&sb, p, klen + 2);
		} else if (!done) {
			strbuf_addc(&sb, '<');
			strbuf_add(&sb, key, klen);
			strbuf_addc(&sb, '>');
		}
		p += klen + 2;
	}
	/* Prose: the rule file's line breaks are not the reader's. */
	if (keep_unknown != 1) {
		char *u = wrap_unfold(strbuf_str(&sb));
		strbuf_release(&sb);
		return u;
	}
	return strbuf_detach(&sb);
}

static cJSON *sarif_rule(const struct rule *r)
{
	cJSON *d = cJSON_CreateObject();
	sarif_add_string(d, "id", r->id);
	sarif_add_string(d, "name", r->id);

	cJSON_AddItemToObject(d, "shortDescription", sarif_text(rule_summary(r)));

	const char *why = rule_section(r, "why", NULL);
	if (why) {
		char *t = sarif_generic_text(r, why, 0);
		cJSON_AddItemToObject(d, "fullDescription", sarif_text(t));
		free(t);
	}

	const char *fix = rule_section(r, "fix", NULL);
	const char *snippet = rule_section(r, "snippet", NULL);
	if (fix || snippet) {
		char *f = sarif_generic_text(r, fix ? fix : "", 0);
		cJSON *help = sarif_text(f);
		if (snippet) {
			/* Viewers that render Markdown (GitHub does) show the
			 * snippet as code. */
			char *code = sarif_generic_text(r, snippet, 1);
			char *fmd = sarif_generic_text(r, fix ? fix : "", 2);
			struct strbuf md = STRBUF_INIT;
			strbuf_addf(&md, "%s%s```python\n%s\n```\n", fmd, *fmd ? "\n\n" : "", code);
			free(fmd);
			sarif_add_string(help, "markdown", strbuf_str(&md));
			strbuf_release(&md);
			free(code);
		}
		cJSON_AddItemToObject(d, "help", help);
		free(f);
	}

	cJSON *conf = cJSON_AddObjectToObject(d, "defaultConfiguration");
	cJSON_AddStringToObject(conf, "level", sarif_level(r->severity));

	cJSON *props = cJSON_AddObjectToObject(d, "properties");
	if (r->source)
		sarif_add_string(props, "source", r->source);
	cJSON *tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("deep-learning"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("training"));
	return d;
}

/* Index of the finding's rule among the driver's rules (the enabled ones), or -1. */
static int sarif_rule_index(const struct ruleset *set, const struct rule *r)
{
	int k = 0;
	for (size_t i = 0; set && i < set->n; i++) {
		const struct rule *x = &set->v[i];
		if (!x->enabled)
			continue;
		if (x == r || strcmp(x->id, r->id) == 0)
			return k;
		k++;
	}
	return -1;
}

/* locations[0] of a result or notification: the history, and its row when known. */
static cJSON *sarif_locations(const char *path, long line)
{
	cJSON *locs = cJSON_CreateArray();
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
	char *uri = sarif_uri(path);
	cJSON_AddStringToObject(art, "uri", uri);
	free(uri);
	if (line > 0) {
		cJSON *region = cJSON_AddObjectToObject(phys, "region");
		cJSON_AddNumberToObject(region, "startLine", (double)line);
	}
	cJSON_AddItemToArray(locs, loc);
	return locs;
}

static cJSON *sarif_result(const struct report *rep, const struct run_result *res,
			   const struct finding *f)
{
	const struct rule *r = f->rule;
	cJSON *o = cJSON_CreateObject();
	sarif_add_string(o, "ruleId", r->id);
	int idx = sarif_rule_index(rep->rules, r);
	if (idx >= 0)
		cJSON_AddNumberToObject(o, "ruleIndex", idx);
	cJSON_AddStringToObject(o, "level", sarif_level(r->severity));
	if (f->known)
		cJSON_AddStringToObject(o, "baselineState", "unchanged");

	/* The title first, as a sentence: viewers may show only the first one. */
	struct strbuf msg = STRBUF_INIT;
	strbuf_adds(&msg, f->title ? f->title : r->id);
	if (f->message && *f->message)
		strbuf_addf(&msg, ". %s", f->message);
	cJSON_AddItemToObject(o, "message", sarif_text(strbuf_str(&msg)));
	strbuf_release(&msg);

	cJSON_AddItemToObject(o, "locations", sarif_locations(res->path, f->line));
	/* A consequence points at the finding it follows from (causes.c). */
	if (f->cause >= 0 && (size_t)f->cause < res->n_f) {
		const struct finding *c = &res->f[f->cause];
		cJSON *rel = sarif_locations(res->path, c->line);
		cJSON *loc = cJSON_GetArrayItem(rel, 0);
		cJSON_AddNumberToObject(loc, "id", 0);
		char text[256];
		snprintf(text, sizeof(text), "caused by %s at %s", c->rule->id, c->where);
		cJSON_AddItemToObject(loc, "message", sarif_text(text));
		cJSON_AddItemToObject(o, "relatedLocations", rel);
	}

	cJSON *props = cJSON_AddObjectToObject(o, "properties");
	sarif_add_string(props, "where", f->where);
	sarif_add_string(props, "axis", axis_point_name(f->axis));
	if (f->cause >= 0 && (size_t)f->cause < res->n_f)
		sarif_add_string(props, "caused_by", res->f[f->cause].rule->id);
	cJSON_AddNumberToObject(props, "detected_epoch", (double)f->detected_epoch);
	cJSON_AddNumberToObject(props, "onset_epoch", (double)f->onset_epoch);
	cJSON_AddBoolToObject(props, "persists", f->persists);
	if (res->label && strcmp(res->label, res->path) != 0)
		sarif_add_string(props, "run", res->label);
	if (f->fix && *f->fix)
		sarif_add_string(props, "fix", f->fix);
	cJSON *vals = cJSON_AddObjectToObject(props, "values");
	for (size_t i = 0; i < f->values.n; i++) {
		const struct value *v = &f->values.kv[i];
		if (v->is_word)
			sarif_add_string(vals, v->key, v->word);
		else
			sarif_add_number(vals, v->key, v->num);
	}
	return o;
}

static cJSON *sarif_notification(const char *level, const char *path, const char *text)
{
	cJSON *n = cJSON_CreateObject();
	cJSON_AddStringToObject(n, "level", level);
	cJSON_AddItemToObject(n, "message", sarif_text(text));
	cJSON_AddItemToObject(n, "locations", sarif_locations(path, 0));
	return n;
}

/*
 * The document around the results: the invocation (whether every history
 * was read, and the notifications) comes before them, so the results wait
 * in a spool, already printed, and the notifications in notes.
 */
struct sarif_state {
	struct json_splice items;	/* the results' indentation and count */
	struct spool results;
	cJSON *notes;
	int ok;
};

/* The document without its results; notes are moved into it when given. */
static cJSON *sarif_frame(const struct report *rep, int ok, cJSON *notes, cJSON **results)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(root, "version", "2.1.0");
	cJSON *runs = cJSON_AddArrayToObject(root, "runs");
	cJSON *run = cJSON_CreateObject();
	cJSON_AddItemToArray(runs, run);

	cJSON *tool = cJSON_AddObjectToObject(run, "tool");
	cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON_AddStringToObject(driver, "name", "scram-check");
	cJSON_AddStringToObject(driver, "version", VERSION);
	cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
	for (size_t i = 0; rep->rules && i < rep->rules->n; i++)
		if (rep->rules->v[i].enabled)
			cJSON_AddItemToArray(rules, sarif_rule(&rep->rules->v[i]));

	cJSON *invocations = cJSON_AddArrayToObject(run, "invocations");
	cJSON *inv = cJSON_CreateObject();
	cJSON_AddItemToArray(invocations, inv);
	/* executionSuccessful says whether the tool did its job, not whether it
	 * found anything: false exactly when the exit code is 2 for a bad input. */
	cJSON_AddBoolToObject(inv, "executionSuccessful", ok);
	if (notes && cJSON_GetArraySize(notes) > 0)
		cJSON_AddItemToObject(inv, "toolExecutionNotifications", notes);
	else
		cJSON_Delete(notes);

	*results = cJSON_AddArrayToObject(run, "results");
	return root;
}

static void *sarif_begin(FILE *out, const struct report *rep)
{
	(void)out;
	struct sarif_state *st = xcalloc(1, sizeof(*st));
	cJSON *results, *root = sarif_frame(rep, 1, NULL, &results);
	json_splice_init(&st->items, root, results);
	cJSON_Delete(root);
	spool_open(&st->results);
	st->notes = cJSON_CreateArray();
	st->ok = 1;
	return st;
}

/* A run's results, printed, and its notifications. */
struct sarif_part {
	struct spool results;
	size_t n_results;
	cJSON *notes;
	int unreadable;
};

static void *sarif_draw(const void *arg, const struct report *rep, const struct run_result *res)
{
	const struct sarif_state *st = arg;
	struct sarif_part *p = xcalloc(1, sizeof(*p));
	p->notes = cJSON_CreateArray();
	if (res->error) {
		struct strbuf t = STRBUF_INIT;
		strbuf_addf(&t, "cannot read '%s': %s", res->path, res->error);
		cJSON_AddItemToArray(p->notes, sarif_notification("error", res->path,
								  strbuf_str(&t)));
		strbuf_release(&t);
		p->unreadable = 1;
	}
	/* Notes on a readable run (a guessed series, a pairing) are
	 * what the text format prints under the run. */
	for (size_t j = 0; j < res->n_warnings; j++)
		cJSON_AddItemToArray(p->notes, sarif_notification("note", res->path,
								  res->warnings[j]));
	spool_open(&p->results);
	for (size_t j = 0; j < res->n_f; j++) {
		cJSON *o = sarif_result(rep, res, &res->f[j]);
		if (p->n_results++)
			fputs(", ", p->results.f);
		json_splice_draw(&st->items, p->results.f, o);
		cJSON_Delete(o);
	}
	return p;
}

static void sarif_put(void *arg, FILE *out, const struct report *rep,
		      const struct run_result *res, void *part, size_t run_no)
{
	struct sarif_state *st = arg;
	struct sarif_part *p = part;
	(void)out;
	(void)rep;
	(void)res;
	(void)run_no;
	if (p->unreadable)
		st->ok = 0;
	cJSON *n;
	while ((n = cJSON_DetachItemFromArray(p->notes, 0)))
		cJSON_AddItemToArray(st->notes, n);
	cJSON_Delete(p->notes);
	if (p->n_results) {
		json_splice_next(&st->items, st->results.f);
		spool_copy(&p->results, st->results.f);
		spool_spill(&st->results, SPOOL_SPILL_BYTES);
	}
	spool_release(&p->results);
	free(p);
}

static void sarif_end(void *arg, FILE *out, const struct report *rep, const struct tally *t)
{
	struct sarif_state *st = arg;
	struct json_splice doc;
	(void)t;
	cJSON *results, *root = sarif_frame(rep, st->ok, st->notes, &results);
	json_splice_init(&doc, root, results);
	cJSON_Delete(root);
	json_splice_head(&doc, out);
	spool_copy(&st->results, out);
	json_splice_tail(&doc, out);
	fputc('\n', out);
	json_splice_release(&doc);
	json_splice_release(&st->items);
	spool_release(&st->results);
	free(st);
}

const struct renderer renderer_sarif = { "sarif", sarif_begin, sarif_draw, sarif_put,
					   sarif_end };
