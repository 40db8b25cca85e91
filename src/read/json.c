/*
 * JSON histories: json.dump(history.history) and its oddities
 * ("history-json"), record lists ("json-records"), pandas to_json
 * ("pandas-json") and Hugging Face trainer_state.json ("hf-trainer-state").
 * See ../shared/spec/history-formats.md.
 *
 * Python writes NaN, Infinity and -Infinity as bare tokens, which cJSON
 * refuses. Before parsing, each such token outside strings becomes `null`,
 * and a side table records, for every null-like token in document order,
 * what it was; after parsing, a walk in document order (cJSON keeps it)
 * turns those nulls back into numbers. Unlike sentinel numbers this cannot
 * collide with a real value, and strings are never touched.
 *
 * Decisions: a numeric string ("0.5") counts as its number, with a note; a
 * non-numeric string, object, list or boolean where a number belongs is an
 * error naming the key and the element (1-based, as epochs are shown);
 * a key that appears twice is an error; `epoch`/`epochs` lists are the epoch
 * numbering, not a series. run->line is 0 for JSON: cJSON keeps no positions.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/namemap.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "reader.h"

#define JSON_MAX_DEPTH 512

/* What each null-like token was, in document order. */
enum special { SP_NULL, SP_NAN, SP_INF, SP_NEG_INF };

struct prepared {
	struct strbuf text;
	unsigned char *special;
	size_t n_special, cap_special;
};

/* Series name -> index; keys point at strings that outlive the map. */
struct jctx {
	const char *path;
	struct run *run;
	struct name_map names;
	size_t string_numbers;
	int nested;		/* reading the text of a Python repr string */
	int nested_key;		/* reading the one member of {"0": {...}} */
	char cut_note[300];	/* the file was cut short: what was read */
	size_t max_cells;	/* series x epochs allowed, from the file size */
	struct read_error *err;
	const char *src;	/* the file's text */
	size_t src_len;
	long *entry_lines;	/* trainer_state.json: line of each log entry */
	size_t n_entry_lines;
};

static long line_of(const char *buf, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static void push_special(struct prepared *p, enum special sp)
{
	xgrow(&p->special, &p->cap_special, p->n_special + 1, 1);
	p->special[p->n_special++] = (unsigned char)sp;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A bare word outside strings at buf[i]; returns its length and rewrites it. */
static size_t take_word(const char *buf, size_t len, size_t i, struct prepared *p)
{
	size_t n = buf[i] == '-' ? 1 : 0;
	while (i + n < len && is_alpha(buf[i + n]))
		n++;
	static const struct { const char *word; enum special sp; } words[] = {
		{ "null", SP_NULL }, { "NaN", SP_NAN }, { "Infinity", SP_INF },
		{ "-Infinity", SP_NEG_INF },
	};
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		if (strlen(words[w].word) == n && memcmp(buf + i, words[w].word, n) == 0) {
			push_special(p, words[w].sp);
			strbuf_adds(&p->text, "null");
			return n;
		}
	strbuf_add(&p->text, buf + i, n);
	return n;
}

/*
 * Copy buf into p->text with Python's bare tokens replaced (see the top of
 * the file), refusing nesting deeper than JSON_MAX_DEPTH before cJSON sees it.
 */
static int json_prepare(const char *buf, size_t len, struct prepared *p,
			struct read_error *err)
{
	size_t depth = 0, span = 0;
	int in_string = 0;
	for (size_t i = 0; i < len;) {
		char c = buf[i];
		if (in_string) {
			i += c == '\\' && i + 1 < len ? 2 : 1;
			in_string = c != '"';
			continue;
		}
		if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH) {
				read_error_set(err, line_of(buf, i),
					       "nesting deeper than %d levels", JSON_MAX_DEPTH);
				return -1;
			}
		} else if (c == ']' || c == '}') {
			depth -= depth > 0;
		} else if (is_alpha(c) || (c == '-' && i + 1 < len && is_alpha(buf[i + 1]))) {
			if (i > span)
				strbuf_add(&p->text, buf + span, i - span);
			i += take_word(buf, len, i, p);
			span = i;
			continue;
		}
		i++;
	}
	if (len > span)
		strbuf_add(&p->text, buf + span, len - span);
	if (!p->text.buf)
		strbuf_adds(&p->text, "");
	return 0;
}

/* Turn the nulls that were NaN or infinities back into numbers. */
static void restore_specials(cJSON *item, const struct prepared *p, size_t *k)
{
	for (; item; item = item->next) {
		if (cJSON_IsNull(item)) {
			unsigned char sp = *k < p->n_special ? p->special[*k] : SP_NULL;
			(*k)++;
			if (sp == SP_NULL)
				continue;
			item->type = cJSON_Number;
			item->valueint = 0;
			item->valuedouble = sp == SP_NAN ? NAN : sp == SP_INF ? INFINITY : -INFINITY;
		} else if (item->child) {
			restore_specials(item->child, p, k);
		}
	}
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Up to 20 bytes of the rest of the line, for an error message. */
static size_t excerpt_len(const char *s)
{
	size_t n = 0;
	while (n < 20 && s[n] && s[n] != '\n' && s[n] != '\r')
		n++;
	return n;
}

static cJSON *json_parse_at(const char *buf, size_t len, struct read_error *err,
			    int *at_end);

static cJSON *json_parse(const char *buf, size_t len, struct read_error *err)
{
	int at_end;
	return json_parse_at(buf, len, err, &at_end);
}

/* As json_parse; *at_end says whether a failure is at the end of the text. */
static cJSON *json_parse_at(const char *buf, size_t len, struct read_error *err,
			    int *at_end)
{
	struct prepared p;
	*at_end = 0;
	memset(&p, 0, sizeof(p));
	cJSON *root = NULL;
	if (json_prepare(buf, len, &p, err))
		goto out;
	const char *end = NULL;
	root = cJSON_ParseWithLengthOpts(p.text.buf, p.text.len, &end, 0);
	size_t at = end ? (size_t)(end - p.text.buf) : 0;
	if (!root) {
		size_t rest = at;
		while (rest < p.text.len && is_ws(p.text.buf[rest]))
			rest++;
		/* cJSON stops at the last character of a number cut by the end. */
		size_t tail = rest;
		while (tail < p.text.len && !is_ws(p.text.buf[tail]) && p.text.buf[tail] != ',')
			tail++;
		while (tail < p.text.len && is_ws(p.text.buf[tail]))
			tail++;
		*at_end = tail >= p.text.len;
		if (rest >= p.text.len)
			read_error_set(err, line_of(p.text.buf, at),
				       "JSON ends early (truncated file?)");
		else
			read_error_set(err, line_of(p.text.buf, at), "JSON syntax error near '%.*s'",
				       (int)excerpt_len(p.text.buf + at), p.text.buf + at);
		goto out;
	}
	while (at < p.text.len && is_ws(p.text.buf[at]))
		at++;
	if (at < p.text.len) {
		read_error_set(err, line_of(p.text.buf, at),
			       "unexpected text after the JSON document");
		cJSON_Delete(root);
		root = NULL;
		goto out;
	}
	size_t k = 0;
	restore_specials(root, &p, &k);
out:
	strbuf_release(&p.text);
	free(p.special);
	return root;
}

static const char *kind_of(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsNull(v))
		return "null";
	return "not a number";
}

/* A number, null (missing: returns 1) or a numeric string; -1 otherwise. */
static int json_number(struct jctx *j, const cJSON *v, double *out)
{
	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 0;
	}
	if (cJSON_IsNull(v))
		return 1;
	if (cJSON_IsString(v) && v->valuestring) {
		size_t n = strlen(v->valuestring);
		if (is_missing_marker(v->valuestring, n))
			return 1;
		if (parse_number(v->valuestring, n, out) == 0) {
			j->string_numbers++;
			return 0;
		}
	}
	return -1;
}

/*
 * Keys times epochs is the memory a run takes; a sparse file (each record a
 * new key) could ask for far more than its size. A real history spends at
 * least two bytes of text per value; four times more cells than bytes (plus
 * a million, for lists of different lengths) is refused.
 */
static int cells_fit(struct jctx *j, size_t series, size_t epochs)
{
	if ((double)series * (double)epochs <= (double)j->max_cells)
		return 1;
	read_error_set(j->err, 0, "%zu keys over %zu epochs: far more values than the file "
		       "holds; not a training history", series, epochs);
	return 0;
}

/* The series of this name, added when new; -1 with j->err set when too many. */
static long series_of(struct jctx *j, const char *name)
{
	long idx = name_map_get(&j->names, name);
	if (idx >= 0)
		return idx;
	if (!cells_fit(j, j->run->n_series + 1, j->run->n_epochs))
		return -1;
	size_t s = run_add_series(j->run, name);
	name_map_put(&j->names, j->run->series[s].name, s);
	return (long)s;
}

/* Grow the run to n epochs; -1 with j->err set when too many. */
static int ensure_epochs(struct jctx *j, size_t n)
{
	if (n > j->run->n_epochs && !cells_fit(j, j->run->n_series, n))
		return -1;
	while (j->run->n_epochs < n)
		run_add_epoch(j->run, 0);
	return 0;
}

static void list_keys(const cJSON *obj, char *out, size_t outlen)
{
	size_t off = 0;
	out[0] = '\0';
	for (const cJSON *m = obj ? obj->child : NULL; m && off + 1 < outlen; m = m->next) {
		int w = snprintf(out + off, outlen - off, "%s'%s'", off ? ", " : "",
				 m->string ? m->string : "");
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (off >= outlen && outlen > 4)
		strcpy(out + outlen - 4, "...");
	if (!out[0])
		snprintf(out, outlen, "none");
}

static int is_epoch_key(const char *k)
{
	return strcmp(k, "epoch") == 0 || strcmp(k, "epochs") == 0;
}

/* One list of a dict of lists; element i is epoch (i + 1) * stride - 1. */
static int read_list_every(struct jctx *j, const cJSON *list, size_t stride,
			   struct read_error *err)
{
	const char *key = list->string;
	if (name_map_get(&j->names, key) >= 0) {
		read_error_set(err, 0, "key '%.*s' appears twice", utf8_cut(key, 60), key);
		return -1;
	}
	long s = series_of(j, key);
	size_t i = 0;
	if (s < 0)
		return -1;
	for (const cJSON *v = list->child; v; v = v->next, i++) {
		double x;
		int rc = json_number(j, v, &x);
		if (rc < 0) {
			read_error_set(err, 0, "key '%.*s': element %zu is %s, not a number",
				       utf8_cut(key, 60), key, i + 1, kind_of(v));
			return -1;
		}
		size_t ep = (i + 1) * stride - 1;
		if (ensure_epochs(j, ep + 1))
			return -1;
		if (rc == 0)
			run_set(j->run, (size_t)s, ep, x);
	}
	return 0;
}

static int is_validation_key(const char *k)
{
	return strncmp(k, "val_", 4) == 0 || strncmp(k, "val/", 4) == 0 ||
	       strncmp(k, "validation", 10) == 0 || strncmp(k, "valid_", 6) == 0;
}

/*
 * Lists of a dict of lists must be as long as each other, but for Keras'
 * fit(validation_freq=k): the val_* lists hold one value every k epochs.
 * The stride of each list, or -1 with err set when a length fits no rule
 * (lining such lists up from epoch 1 would put values at the wrong epochs).
 */
static int list_strides(const cJSON *obj, size_t *stride_k, size_t *n_val, size_t *n_max,
			struct read_error *err)
{
	size_t n = 0;
	const char *longest = NULL;
	*stride_k = 1;
	*n_val = 0;
	for (const cJSON *m = obj->child; m; m = m->next)
		if (m->string && cJSON_IsArray(m) && !is_epoch_key(m->string) &&
		    (size_t)cJSON_GetArraySize(m) > n) {
			n = (size_t)cJSON_GetArraySize(m);
			longest = m->string;
		}
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (!m->string || !cJSON_IsArray(m) || is_epoch_key(m->string))
			continue;
		size_t len = (size_t)cJSON_GetArraySize(m);
		if (len == n || len == 0)
			continue;
		size_t k = n / len;
		if (is_validation_key(m->string) && n % len == 0 && (*stride_k == 1 || *stride_k == k)) {
			*stride_k = k;
			(*n_val)++;
			continue;
		}
		read_error_set(err, 0, "key '%.60s' holds %zu value%s but '%.60s' holds %zu: lists "
			       "of different lengths%s; they cannot be lined up epoch by epoch",
			       m->string, len, len == 1 ? "" : "s", longest, n,
			       is_validation_key(m->string) ? " that fit no validation_freq" : "");
		return -1;
	}
	*n_max = n;
	return 0;
}

/* {"loss": [...], "val_loss": [...]}: see list_strides for lengths. */
static int read_lists(struct jctx *j, const cJSON *obj, struct read_error *err)
{
	size_t skipped = 0, k, n_val, n_max;
	const char *first_skipped = NULL;
	if (list_strides(obj, &k, &n_val, &n_max, err))
		return -1;
	for (const cJSON *m = obj->child; m; m = m->next) {
		if (!m->string || (cJSON_IsArray(m) && is_epoch_key(m->string)))
			continue;
		if (!cJSON_IsArray(m)) {
			if (!skipped++)
				first_skipped = m->string;
			continue;
		}
		size_t len = (size_t)cJSON_GetArraySize(m);
		if (read_list_every(j, m, k > 1 && len * k == n_max ? k : 1, err))
			return -1;
	}
	if (k > 1)
		run_note(j->run, "%zu validation list%s hold%s one value every %zu epochs "
			 "(Keras validation_freq=%zu): placed at epochs %zu, %zu, ...", n_val,
			 n_val == 1 ? "" : "s", n_val == 1 ? "s" : "", k, k, k, 2 * k);
	if (j->run->n_epochs == 0) {
		char keys[400];
		list_keys(obj, keys, sizeof(keys));
		read_error_set(err, 0, "no numeric lists (keys found: %s)", keys);
		return -1;
	}
	if (skipped)
		run_note(j->run, "%zu key%s not holding a list skipped (first: '%.*s')", skipped,
			 skipped == 1 ? "" : "s", utf8_cut(first_skipped, 60), first_skipped);
	return 0;
}

/* [{"epoch": 0, "loss": 1.2}, ...]: one record per epoch, in order. */
static int read_records(struct jctx *j, const cJSON *arr, struct read_error *err)
{
	size_t i = 0;
	double prev = -INFINITY;
	for (const cJSON *rec = arr->child; rec; rec = rec->next, i++) {
		if (!cJSON_IsObject(rec)) {
			read_error_set(err, 0, "element %zu is %s, not a record", i + 1, kind_of(rec));
			return -1;
		}
		/* Records are epochs in list order; one whose own epoch number
		 * does not increase would be read at the wrong epoch. */
		const cJSON *num = cJSON_GetObjectItemCaseSensitive(rec, "epoch");
		if (cJSON_IsNumber(num)) {
			if (num->valuedouble <= prev) {
				read_error_set(err, 0, "element %zu: epoch %g comes after epoch %g; "
					       "epochs must increase", i + 1, num->valuedouble, prev);
				return -1;
			}
			prev = num->valuedouble;
		}
		size_t ep = j->run->n_epochs;
		if (ensure_epochs(j, ep + 1))
			return -1;
		for (const cJSON *m = rec->child; m; m = m->next) {
			if (!m->string || is_epoch_key(m->string))
				continue;
			double x;
			int rc = json_number(j, m, &x);
			if (rc < 0) {
				read_error_set(err, 0, "element %zu: key '%.*s' is %s, not a number",
					       i + 1, utf8_cut(m->string, 60), m->string, kind_of(m));
				return -1;
			}
			long s = series_of(j, m->string);
			if (s < 0)
				return -1;
			if (rc == 0)
				run_set(j->run, (size_t)s, ep, x);
		}
	}
	return 0;
}

/* pandas orient=columns: {"loss": {"0": 1.2, "1": 0.9}}; index keys in first-seen order. */
static int read_columns(struct jctx *j, const cJSON *obj, struct read_error *err)
{
	struct name_map rows = { NULL, NULL, 0, 0 };
	int rc = 0;
	for (const cJSON *col = obj->child; col && rc == 0; col = col->next) {
		if (!col->string || !cJSON_IsObject(col) || is_epoch_key(col->string))
			continue;
		if (name_map_get(&j->names, col->string) >= 0) {
			read_error_set(err, 0, "key '%.*s' appears twice", utf8_cut(col->string, 60),
				       col->string);
			rc = -1;
			break;
		}
		long s = series_of(j, col->string);
		if (s < 0) {
			rc = -1;
			break;
		}
		for (const cJSON *v = col->child; v && rc == 0; v = v->next) {
			long ep = name_map_get(&rows, v->string ? v->string : "");
			if (ep < 0 && ensure_epochs(j, j->run->n_epochs + 1)) {
				rc = -1;
				break;
			}
			if (ep < 0) {
				ep = (long)j->run->n_epochs - 1;
				name_map_put(&rows, v->string ? v->string : "", (size_t)ep);
			}
			double x;
			int got = json_number(j, v, &x);
			if (got < 0) {
				read_error_set(err, 0, "key '%.*s': row '%.*s' is %s, not a number",
					       utf8_cut(col->string, 60), col->string,
					       utf8_cut(v->string ? v->string : "", 20),
					       v->string ? v->string : "", kind_of(v));
				rc = -1;
			} else if (got == 0) {
				run_set(j->run, (size_t)s, (size_t)ep, x);
			}
		}
	}
	name_map_release(&rows);
	return rc;
}

/*
 * Hugging Face trainer_state.json. log_history holds, in order, training
 * entries (loss, grad_norm, learning_rate every logging_steps), evaluation
 * entries (eval_*), and at the end one summary entry (train_runtime,
 * train_loss...). Training entries are the run's steps (run_steps), one
 * point each, at their step and fractional epoch. The run's own points are
 * the evaluations (AXIS_EVAL, at the step and epoch of the evaluation entry),
 * each also holding the mean of the training values logged since the one
 * before; without evaluations they are epochs, ceil(epoch) grouping the
 * entries (AXIS_EPOCH). Summary and predict_/test_ entries are no history.
 */
struct hf_group {
	double *sum;		/* per series: training values summed */
	size_t *count;
	size_t cap;
	int open, has_train, has_eval;
	double eval_epoch, eval_step;
	double last_step, last_epoch;	/* of the entry that closes the point */
	long last_line;
	size_t groups, entries, early_evals;
};

/* The steps of a run being read: their own names. */
struct hf_steps {
	struct run *run;
	struct name_map names;
	size_t nonfinite_grad, first_nonfinite_entry;
	double first_nonfinite_step;
};

static int has_key_prefix(const cJSON *e, const char *prefix)
{
	size_t n = strlen(prefix);
	for (const cJSON *m = e->child; m; m = m->next)
		if (m->string && strncmp(m->string, prefix, n) == 0)
			return 1;
	return 0;
}

static int is_eval_entry(const cJSON *e)
{
	return has_key_prefix(e, "eval_");
}

/* The entry Trainer.train logs at its end: runtime, mean loss, FLOPs. */
static int is_summary_entry(const cJSON *e)
{
	if (cJSON_GetObjectItemCaseSensitive(e, "train_runtime"))
		return 1;
	return cJSON_GetObjectItemCaseSensitive(e, "total_flos") &&
	       !cJSON_GetObjectItemCaseSensitive(e, "loss") && !is_eval_entry(e);
}

/*
 * The line of each log_history entry's '{' in the file: cJSON keeps no
 * positions, so the text is walked once (strings skipped, depth counted).
 */
static long *hf_entry_lines(const char *buf, size_t len, size_t *n)
{
	long *lines = NULL, line = 1;
	size_t cap = 0, depth = 0, log_depth = 0;
	const char *key = NULL;
	size_t key_len = 0;
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (c == '\n') {
			line++;
		} else if (c == '"') {
			size_t start = ++i;
			while (i < len && buf[i] != '"') {
				if (buf[i] == '\\')
					i++;
				else if (buf[i] == '\n')
					line++;
				i++;
			}
			if (depth == 1) {
				key = buf + start;
				key_len = i - start;
			}
		} else if (c == '[' || c == '{') {
			if (c == '{' && log_depth && depth == log_depth) {
				xgrow(&lines, &cap, *n + 1, sizeof(*lines));
				lines[(*n)++] = line;
			}
			depth++;
			if (c == '[' && depth == 2 && !log_depth && key && key_len == 11 &&
			    memcmp(key, "log_history", 11) == 0)
				log_depth = 2;
		} else if (c == ']' || c == '}') {
			if (depth == log_depth)
				log_depth = 0;
			depth -= depth > 0;
		}
	}
	return lines;
}

static long hf_line(const struct jctx *j, size_t entry)
{
	return entry < j->n_entry_lines ? j->entry_lines[entry] : 0;
}

static void hf_close(struct jctx *j, struct hf_group *g)
{
	if (!g->open)
		return;
	size_t ep = j->run->n_epochs - 1;
	for (size_t s = 0; s < j->run->n_series && s < g->cap; s++) {
		if (g->count[s])
			run_set(j->run, s, ep, g->sum[s] / (double)g->count[s]);
		g->sum[s] = 0;
		g->count[s] = 0;
	}
	if (g->has_eval)
		run_set_coords(j->run, ep, g->eval_step, g->eval_epoch);
	else
		run_set_coords(j->run, ep, g->last_step, NAN);
	j->run->line[ep] = g->last_line;
	g->open = g->has_train = g->has_eval = 0;
}

static int hf_open(struct jctx *j, struct hf_group *g)
{
	if (g->open)
		return 0;
	if (ensure_epochs(j, j->run->n_epochs + 1))
		return -1;
	g->open = 1;
	g->groups++;
	return 0;
}

/* eval_loss is the validation loss; eval_accuracy the validation accuracy. */
static const char *hf_name(const char *key, char *buf, size_t len)
{
	if (strncmp(key, "eval_", 5) != 0)
		return key;
	if (strcmp(key, "eval_loss") == 0 || strcmp(key, "eval_accuracy") == 0) {
		snprintf(buf, len, "val_%s", key + 5);
		return buf;
	}
	return key;
}

static void hf_reserve(struct hf_group *g, size_t n)
{
	if (n <= g->cap)
		return;
	size_t cap = n > 2 * g->cap ? n : 2 * g->cap;
	g->sum = xreallocarray(g->sum, cap, sizeof(*g->sum));
	g->count = xreallocarray(g->count, cap, sizeof(*g->count));
	for (size_t i = g->cap; i < cap; i++) {
		g->sum[i] = 0;
		g->count[i] = 0;
	}
	g->cap = cap;
}

static int is_coord_key(const char *k)
{
	return strcmp(k, "epoch") == 0 || strcmp(k, "step") == 0;
}

static int hf_take(struct jctx *j, struct hf_group *g, const cJSON *e, int eval,
		   struct read_error *err)
{
	for (const cJSON *m = e->child; m; m = m->next) {
		/* A gradient norm is judged on the steps; a mean of norms is no norm. */
		if (!m->string || is_coord_key(m->string) || strcmp(m->string, "grad_norm") == 0)
			continue;
		double x;
		int rc = json_number(j, m, &x);
		if (rc < 0) {
			read_error_set(err, hf_line(j, g->entries - 1),
				       "log_history entry %zu: key '%.*s' is %s, not a number",
				       g->entries, utf8_cut(m->string, 60), m->string, kind_of(m));
			return -1;
		}
		char buf[128];
		long si = series_of(j, hf_name(m->string, buf, sizeof(buf)));
		if (si < 0)
			return -1;
		size_t s = (size_t)si;
		if (rc)
			continue;
		hf_reserve(g, j->run->n_series);
		/* The learning rate and evaluations: the last value; training values: the mean. */
		if (eval || strcmp(m->string, "learning_rate") == 0)
			run_set(j->run, s, j->run->n_epochs - 1, x);
		else {
			g->sum[s] += x;
			g->count[s]++;
		}
	}
	return 0;
}

/* A training entry as one point of the steps. */
static int hf_step(struct jctx *j, struct hf_steps *st, const cJSON *e, size_t entry,
		   double step, double epoch)
{
	struct run *sr = st->run;
	if (!cells_fit(j, sr->n_series, sr->n_epochs + 1))
		return -1;
	size_t p = run_add_epoch(sr, hf_line(j, entry));
	run_set_coords(sr, p, step, epoch);
	int loss_finite = 0, grad_bad = 0;
	for (const cJSON *m = e->child; m; m = m->next) {
		if (!m->string || is_coord_key(m->string))
			continue;
		double x;
		if (json_number(j, m, &x) != 0)
			continue;	/* hf_take reports what is not a number */
		long s = name_map_get(&st->names, m->string);
		if (s < 0) {
			if (!cells_fit(j, sr->n_series + 1, sr->n_epochs))
				return -1;
			s = (long)run_add_series(sr, m->string);
			name_map_put(&st->names, sr->series[s].name, (size_t)s);
		}
		run_set(sr, (size_t)s, p, x);
		if (strcmp(m->string, "loss") == 0)
			loss_finite = isfinite(x);
		else if (strcmp(m->string, "grad_norm") == 0)
			grad_bad = !isfinite(x);
	}
	if (grad_bad && loss_finite && st->nonfinite_grad++ == 0)
		st->first_nonfinite_step = step;
	return 0;
}

/* Group by evaluation: an evaluation closes the point it belongs to. */
static int hf_entry_by_eval(struct jctx *j, struct hf_group *g, const cJSON *e,
			    double step, double epoch, struct read_error *err)
{
	int eval = is_eval_entry(e);
	if (eval && epoch == 0 && j->run->n_epochs == 0 && !g->open) {
		g->early_evals++;	/* a baseline evaluation before any training */
		return 0;
	}
	/* Several eval datasets log one entry each at the same step. */
	int same_eval = eval && epoch == g->eval_epoch &&
			(step == g->eval_step || (isnan(step) && isnan(g->eval_step)));
	if (g->open && g->has_eval && !same_eval)
		hf_close(j, g);
	if (hf_open(j, g))
		return -1;
	if (eval) {
		g->has_eval = 1;
		g->eval_epoch = epoch;
		g->eval_step = step;
		g->last_line = hf_line(j, g->entries - 1);
	} else {
		g->has_train = 1;
	}
	return hf_take(j, g, e, eval, err);
}

/* Without evaluations: epoch k holds the entries with ceil(epoch) == k. */
static int hf_entry_by_ceil(struct jctx *j, struct hf_group *g, const cJSON *e,
			    double step, double epoch, double *key, struct read_error *err)
{
	double k = ceil(epoch) < 1 ? 1 : ceil(epoch);
	if (g->open && k != *key)
		hf_close(j, g);
	*key = k;
	if (hf_open(j, g))
		return -1;
	g->last_step = step;
	g->last_line = hf_line(j, g->entries - 1);
	return hf_take(j, g, e, 0, err);
}

static int hf_has_eval(const cJSON *log)
{
	for (const cJSON *e = log->child; e; e = e->next)
		if (cJSON_IsObject(e) && is_eval_entry(e) && !is_summary_entry(e))
			return 1;
	return 0;
}

static double number_or_nan(const cJSON *e, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

static void hf_notes(struct jctx *j, const struct hf_group *g, const struct hf_steps *st,
		     int by_eval, size_t summaries, size_t others)
{
	/* The step table may be gone already (freed when empty). */
	size_t steps = j->run->steps ? j->run->steps->n_epochs : 0;
	if (by_eval)
		run_note(j->run, "trainer_state.json: %zu training entries are the steps; %zu "
			 "evaluations are the points, each also holding the mean of the training "
			 "values logged since the one before; eval_loss is read as val_loss",
			 steps, g->groups);
	else
		run_note(j->run, "trainer_state.json without evaluations: %zu training entries are "
			 "the steps; grouped by ceil(epoch) into %zu epochs (their mean)",
			 steps, g->groups);
	if (g->early_evals)
		run_note(j->run, "%zu evaluation%s at epoch 0, before training, skipped",
			 g->early_evals, g->early_evals == 1 ? "" : "s");
	if (summaries)
		run_note(j->run, "the final summary entry (train_runtime) is skipped");
	if (others)
		run_note(j->run, "%zu predict_/test_ entr%s skipped: test-set results, not "
			 "training", others, others == 1 ? "y" : "ies");
	if (st->nonfinite_grad)
		run_note(j->run, "grad_norm is NaN or infinite at %zu logged step%s (first: step "
			 "%.0f) while the logged loss is finite: step losses that were NaN or "
			 "infinite too are left out of the logged mean by the Trainer's "
			 "logging_nan_inf_filter (on by default), so a finite loss does not "
			 "show them",
			 st->nonfinite_grad, st->nonfinite_grad == 1 ? "" : "s",
			 st->first_nonfinite_step);
}

static int read_hf(struct jctx *j, const cJSON *log, struct read_error *err)
{
	struct hf_group g;
	memset(&g, 0, sizeof(g));
	g.eval_epoch = g.eval_step = NAN;
	struct hf_steps st;
	memset(&st, 0, sizeof(st));
	j->run->framework = FW_TRANSFORMERS;
	st.run = run_steps(j->run);
	int by_eval = hf_has_eval(log), rc = 0;
	size_t summaries = 0, others = 0;
	double key = 0, epoch = 0;
	for (const cJSON *e = log->child; e && rc == 0; e = e->next) {
		g.entries++;
		if (!cJSON_IsObject(e)) {
			read_error_set(err, hf_line(j, g.entries - 1),
				       "log_history entry %zu is %s, not an object",
				       g.entries, kind_of(e));
			rc = -1;
			break;
		}
		if (is_summary_entry(e)) {
			summaries++;
			continue;
		}
		if (has_key_prefix(e, "predict_") || has_key_prefix(e, "test_")) {
			others++;
			continue;
		}
		double ep = number_or_nan(e, "epoch"), step = number_or_nan(e, "step");
		if (!isnan(ep))
			epoch = ep;
		int eval = is_eval_entry(e);
		if (!eval && hf_step(j, &st, e, g.entries - 1, step, isnan(ep) ? NAN : epoch)) {
			rc = -1;
			break;
		}
		rc = by_eval ? hf_entry_by_eval(j, &g, e, step, epoch, err)
			     : hf_entry_by_ceil(j, &g, e, step, epoch, &key, err);
	}
	size_t trailing = 0;
	if (rc == 0 && by_eval && g.open && !g.has_eval && j->run->n_epochs > 1) {
		/* Training entries after the last evaluation: no evaluation point. */
		trailing = 1;
		run_drop_last(j->run);
		g.open = 0;
		g.groups--;
		for (size_t s = 0; s < g.cap; s++)
			g.sum[s] = 0, g.count[s] = 0;
	}
	if (rc == 0)
		hf_close(j, &g);
	free(g.sum);
	free(g.count);
	name_map_release(&st.names);
	if (st.run->n_epochs == 0) {
		run_free(j->run->steps);
		j->run->steps = NULL;
	}
	if (rc == 0) {
		if (by_eval)
			j->run->axis = AXIS_EVAL;
		hf_notes(j, &g, &st, by_eval, summaries, others);
		if (trailing)
			run_note(j->run, "the training entries after the last evaluation are "
				 "judged on the steps only");
	}
	return rc;
}

/* Append s[0..n) to out with \x escapes as JSON \u00 ones. */
static size_t py_escape(const char *s, size_t n, struct strbuf *out)
{
	if (n >= 4 && s[1] == 'x') {
		strbuf_adds(out, "\\u00");
		strbuf_add(out, s + 2, 2);
		return 4;
	}
	if (n >= 2 && s[1] == '\'') {
		strbuf_addc(out, '\'');
		return 2;
	}
	strbuf_add(out, s, n >= 2 ? 2 : 1);
	return n >= 2 ? 2 : 1;
}

/* A Python string literal at s (quote q) as a JSON string; returns its length. */
static size_t py_string(const char *s, size_t n, struct strbuf *out)
{
	char q = s[0];
	size_t i = 1;
	strbuf_addc(out, '"');
	while (i < n && s[i] != q) {
		if (s[i] == '\\')
			i += py_escape(s + i, n - i, out);
		else {
			if (s[i] == '"')
				strbuf_addc(out, '\\');
			strbuf_addc(out, s[i++]);
		}
	}
	strbuf_addc(out, '"');
	return i < n ? i + 1 : i;
}

static int is_ident(char c)
{
	return is_alpha(c) || c == '_' || c == '.' || (c >= '0' && c <= '9');
}

/* A bare Python word: None/True/False/nan/inf; np.float64( wrappers vanish. */
static size_t py_word(const char *s, size_t n, struct strbuf *out, char *stack,
		      size_t *depth)
{
	size_t k = 0;
	while (k < n && is_ident(s[k]))
		k++;
	static const char *const map[][2] = {
		{ "None", "null" }, { "True", "true" }, { "False", "false" },
		{ "nan", "NaN" }, { "inf", "Infinity" },
	};
	if (k < n && s[k] == '(' && *depth < JSON_MAX_DEPTH) {
		stack[(*depth)++] = 'd';
		return k + 1;
	}
	for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++)
		if (strlen(map[m][0]) == k && memcmp(s, map[m][0], k) == 0) {
			strbuf_adds(out, map[m][1]);
			return k;
		}
	strbuf_add(out, s, k);
	return k;
}

/* Python dict repr to JSON text: quotes, None/True/False, nan/inf, tuples. */
static void py_to_json(const char *s, size_t n, struct strbuf *out)
{
	char stack[JSON_MAX_DEPTH];
	size_t depth = 0;
	for (size_t i = 0; i < n;) {
		char c = s[i];
		if (c == '\'' || c == '"') {
			i += py_string(s + i, n - i, out);
		} else if (is_alpha(c) || c == '_') {
			i += py_word(s + i, n - i, out, stack, &depth);
		} else if (c == '(' || c == ')') {
			if (c == '(' && depth < JSON_MAX_DEPTH)
				stack[depth++] = 't';
			if (c == '(' || (depth && stack[--depth] == 't'))
				strbuf_addc(out, c == '(' ? '[' : ']');
			i++;
		} else {
			strbuf_addc(out, c);
			i++;
		}
	}
	if (!out->buf)
		strbuf_adds(out, "");
}

static int json_read_text(struct jctx *j, const char *buf, size_t len,
			  struct read_error *err);

static int read_repr(struct jctx *j, const cJSON *root, struct read_error *err)
{
	if (j->nested || !root->valuestring) {
		read_error_set(err, 0, "a JSON string, not a history");
		return -1;
	}
	struct strbuf text = STRBUF_INIT;
	py_to_json(root->valuestring, strlen(root->valuestring), &text);
	size_t i = 0;
	while (i < text.len && is_ws(text.buf[i]))
		i++;
	if (i == text.len || (text.buf[i] != '{' && text.buf[i] != '[')) {
		strbuf_release(&text);
		read_error_set(err, 0, "a JSON string, not a history");
		return -1;
	}
	j->nested = 1;
	int rc = json_read_text(j, text.buf, text.len, err);
	strbuf_release(&text);
	if (rc == 0)
		run_note(j->run, "the file is a JSON string holding a Python dict repr "
			 "(json.dump(str(history))); read as the dict it spells");
	return rc;
}

static int count_kind(const cJSON *obj, int (*is)(const cJSON *))
{
	int n = 0;
	for (const cJSON *m = obj->child; m; m = m->next)
		n += is(m) != 0;
	return n;
}

static int is_list(const cJSON *v)
{
	return cJSON_IsArray(v);
}

static int is_dict(const cJSON *v)
{
	return cJSON_IsObject(v);
}

static int is_summary_object(const cJSON *root);

static int read_object(struct jctx *j, const cJSON *root, struct read_error *err)
{
	if (is_summary_object(root)) {
		read_error_set(err, 0, "a final summary of a run, not a history: last values "
			       "only (as all_results.json, eval_results.json, train_results.json "
			       "or wandb-summary.json hold them)");
		return -1;
	}
	const cJSON *log = cJSON_GetObjectItemCaseSensitive(root, "log_history");
	const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(root, "metrics");
	if (cJSON_IsArray(log)) {
		j->run->format = "hf-trainer-state";
		if (!j->nested)
			j->entry_lines = hf_entry_lines(j->src, j->src_len, &j->n_entry_lines);
		return read_hf(j, log, err);
	}
	if (log) {
		read_error_set(err, 0, "'log_history' is %s, not a list of log entries",
			       kind_of(log));
		return -1;
	}
	/* {"0": {"loss": [...]}}: one history kept under a single key (k-fold code). */
	if (root->child && !root->child->next && cJSON_IsObject(root->child) &&
	    count_kind(root->child, is_list) > 0 && !j->nested_key) {
		j->nested_key = 1;
		int rc = read_object(j, root->child, err);
		if (rc == 0)
			run_note(j->run, "the history is nested under the single key '%.60s'",
				 root->child->string ? root->child->string : "");
		return rc;
	}
	const cJSON *epochs = cJSON_GetObjectItemCaseSensitive(root, "epochs");
	if (cJSON_IsObject(metrics) && cJSON_IsArray(epochs)) {
		if (read_lists(j, metrics, err))
			return -1;
		size_t listed = (size_t)cJSON_GetArraySize(epochs);
		if (listed != j->run->n_epochs)
			run_note(j->run, "'epochs' lists %zu epochs but the metrics hold %zu; "
				 "the metrics are read as epochs 1 to %zu", listed,
				 j->run->n_epochs, j->run->n_epochs);
		return 0;
	}
	if (count_kind(root, is_list) == 0 && count_kind(root, is_dict) > 0) {
		j->run->format = "pandas-json";
		if (read_columns(j, root, err))
			return -1;
		if (j->run->n_epochs)
			return 0;
	}
	return read_lists(j, root, err);
}

static int read_array(struct jctx *j, const cJSON *root, struct read_error *err)
{
	if (!root->child) {
		read_error_set(err, 0, "an empty list, no epochs");
		return -1;
	}
	if (cJSON_IsObject(root->child)) {
		j->run->format = "json-records";
		return read_records(j, root, err);
	}
	if (cJSON_IsNumber(root->child) || cJSON_IsNull(root->child)) {
		/* A bare list of numbers names no metric: a loss, an accuracy
		 * or anything else. Guessing "loss" invented findings. */
		read_error_set(err, 0, "a bare list of numbers names no metric; "
			       "save the history as {\"loss\": [...]}");
		return -1;
	}
	read_error_set(err, 0, "a list of %s values, not a history", kind_of(root->child) + 2);
	return -1;
}

/*
 * A json.dump cut short (the process killed mid-write; the file ends inside
 * a list): the length up to the end of the last complete member of the
 * top-level object or list, or 0 when there is none or the text is whole.
 * *key is the member being written when the file ended, if any.
 */
static size_t cut_json_end(const char *buf, size_t len, char *root, const char **key,
			   size_t *key_len)
{
	size_t depth = 0, last = 0;
	const char *k = NULL;
	size_t kl = 0;
	*root = 0;
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];
		if (c == '"') {
			size_t start = ++i;
			while (i < len && buf[i] != '"')
				i += buf[i] == '\\' ? 2 : 1;
			if (depth == 1 && *root == '{') {
				k = i < len ? buf + start : NULL;	/* NULL: the key is cut */
				kl = i < len ? i - start : 0;
			}
		} else if (c == '[' || c == '{') {
			if (depth++ == 0)
				*root = c;
		} else if (c == ']' || c == '}') {
			if (depth == 0)
				return 0;
			if (--depth == 1)
				last = i + 1;
			else if (depth == 0)
				return 0;	/* whole: not cut */
		}
	}
	*key = k;
	*key_len = kl;
	return depth > 0 ? last : 0;
}

/* The line of the last character that is not white space. */
static long count_lines(const char *buf, size_t len)
{
	while (len && is_ws(buf[len - 1]))
		len--;
	return line_of(buf, len);
}

static cJSON *parse_cut(struct jctx *j, const char *buf, size_t len, struct read_error *err)
{
	char root;
	const char *key;
	size_t key_len;
	size_t end = cut_json_end(buf, len, &root, &key, &key_len);
	if (!end)
		return NULL;
	struct strbuf text = STRBUF_INIT;
	strbuf_add(&text, buf, end);
	strbuf_addc(&text, root == '{' ? '}' : ']');
	struct read_error e2;
	cJSON *r = json_parse(text.buf, text.len, &e2);
	strbuf_release(&text);
	if (!r)
		return NULL;
	if (root == '{' && key)
		snprintf(j->cut_note, sizeof(j->cut_note), "the file ends at line %ld inside "
			 "'%.*s' (a json.dump cut short?): the complete lists before it are read, "
			 "'%.*s' is dropped", count_lines(buf, len), (int)(key_len > 60 ? 60 : key_len),
			 key, (int)(key_len > 60 ? 60 : key_len), key);
	else
		snprintf(j->cut_note, sizeof(j->cut_note), "the file ends at line %ld inside an "
			 "unfinished element (a json.dump cut short?): the complete ones are read",
			 count_lines(buf, len));
	(void)err;
	return r;
}

static int json_read_text(struct jctx *j, const char *buf, size_t len,
			  struct read_error *err)
{
	int at_end;
	cJSON *root = json_parse_at(buf, len, err, &at_end);
	if (!root && !j->nested && at_end)
		root = parse_cut(j, buf, len, err);
	if (!root)
		return -1;
	int rc;
	if (cJSON_IsObject(root))
		rc = read_object(j, root, err);
	else if (cJSON_IsArray(root))
		rc = read_array(j, root, err);
	else if (cJSON_IsString(root))
		rc = read_repr(j, root, err);
	else {
		read_error_set(err, 0, "the JSON document is %s, not an object or a list",
			       cJSON_IsNumber(root) ? "a number" : kind_of(root));
		rc = -1;
	}
	cJSON_Delete(root);
	return rc;
}

static int json_read(const char *path, const char *buf, size_t len,
		     struct run_list *out, struct read_error *err)
{
	struct jctx j;
	memset(&j, 0, sizeof(j));
	j.path = path;
	j.err = err;
	j.max_cells = 4 * len + ((size_t)1 << 20);
	j.run = run_new(path, "history-json");
	j.src = buf;
	j.src_len = len;
	int rc = json_read_text(&j, buf, len, err);
	if (rc == 0 && j.run->n_epochs == 0) {
		read_error_set(err, 0, "no epochs: every list is empty");
		rc = -1;
	}
	name_map_release(&j.names);
	free(j.entry_lines);
	if (rc) {
		run_free(j.run);
		return -1;
	}
	if (j.cut_note[0])
		run_note(j.run, "warning: %s", j.cut_note);
	if (j.string_numbers)
		run_note(j.run, "%zu number%s written as strings", j.string_numbers,
			 j.string_numbers == 1 ? " was" : "s were");
	run_map_roles(j.run);
	run_list_push(out, j.run);
	return 0;
}

/*
 * A document that starts with a string is JSON only when that string is all
 * of it (json.dump(str(history))): a quoted CSV header ("epoch","loss", as
 * QUOTE_ALL, R and W&B write it) starts so too.
 */
static int json_sniff(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && is_ws(buf[i]))
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '['))
		return 100;
	if (i == len || buf[i] != '"')
		return 0;
	for (i++; i < len && buf[i] != '"'; i++)
		if (buf[i] == '\\')
			i++;
	for (i++; i < len && is_ws(buf[i]); i++)
		;
	return i >= len ? 100 : 0;
}

const struct reader reader_json = { "json", json_sniff, json_read };

/*
 * A final summary: a flat object of last values as Trainer.save_metrics
 * (all_results.json, train_results.json, eval_results.json) or W&B
 * (wandb-summary.json) write it. Lists mean a history; W&B's own keys (_wandb,
 * _step, _runtime) and media entries ({"_type": ...}) may be objects.
 */
static int is_summary_object(const cJSON *root)
{
	if (!cJSON_IsObject(root) || !root->child)
		return 0;
	int marked = 0;
	for (const cJSON *m = root->child; m; m = m->next) {
		const char *k = m->string ? m->string : "";
		if (cJSON_IsArray(m))
			return 0;
		if (cJSON_IsObject(m) && k[0] != '_' &&
		    !cJSON_GetObjectItemCaseSensitive(m, "_type"))
			return 0;
		if (strcmp(k, "_wandb") == 0 || strcmp(k, "_runtime") == 0 ||
		    strcmp(k, "train_runtime") == 0 || strncmp(k, "eval_", 5) == 0 ||
		    strncmp(k, "predict_", 8) == 0 || strncmp(k, "test_", 5) == 0)
			marked = 1;
	}
	return marked;
}

int history_is_summary(const char *buf, size_t len)
{
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	size_t i = 0;
	while (i < len && is_ws(buf[i]))
		i++;
	/* A summary is small and flat; anything else is not one. */
	if (i == len || buf[i] != '{' || len > ((size_t)1 << 20) || memchr(buf, '[', len))
		return 0;
	struct read_error err;
	memset(&err, 0, sizeof(err));
	cJSON *root = json_parse(buf, len, &err);
	int yes = root && is_summary_object(root);
	cJSON_Delete(root);
	return yes;
}

/* Same JSON value, NaN equal to NaN (cJSON_Compare says NaN != NaN). */
static int same_value(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return a->valuedouble == b->valuedouble ||
		       (isnan(a->valuedouble) && isnan(b->valuedouble));
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
			return 0;
		for (const cJSON *m = a->child; m; m = m->next) {
			const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, m->string);
			if (!o || !same_value(m, o))
				return 0;
		}
		return 1;
	}
	return cJSON_Compare(a, b, 1);
}

static cJSON *parse_quiet(const char *buf, size_t len)
{
	struct read_error err;
	memset(&err, 0, sizeof(err));
	char *copy = xstrndup(buf, len);
	cJSON *root = json_parse(copy, len, &err);
	free(copy);
	return root;
}

int history_hf_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	cJSON *ra = parse_quiet(a, alen), *rb = parse_quiet(b, blen);
	int rc = 0;
	const cJSON *la = cJSON_GetObjectItemCaseSensitive(ra, "log_history");
	const cJSON *lb = cJSON_GetObjectItemCaseSensitive(rb, "log_history");
	if (!cJSON_IsArray(la) || !cJSON_IsArray(lb))
		goto out;
	const cJSON *ma = cJSON_GetObjectItemCaseSensitive(ra, "max_steps");
	const cJSON *mb = cJSON_GetObjectItemCaseSensitive(rb, "max_steps");
	if ((ma || mb) && (!ma || !mb || !same_value(ma, mb)))
		goto out;
	const cJSON *ea = la->child, *eb = lb->child;
	for (; ea && eb; ea = ea->next, eb = eb->next)
		if (!same_value(ea, eb))
			goto out;
	rc = ea ? -1 : 1;
out:
	cJSON_Delete(ra);
	cJSON_Delete(rb);
	return rc;
}
