/*
 * JSON histories: json.dump(history.history) and its oddities
 * ("history-json"), record lists ("json-records"), pandas to_json
 * ("pandas-json") and Hugging Face trainer_state.json ("hf-trainer-state").
 * See ../shared/spec/history-formats.md.
 *
 * The common shapes are read in one pass over the buffer, token by token
 * (jsontok.h: Python's bare NaN, Infinity and -Infinity are number tokens,
 * so nothing is rewritten and the buffer is never written to), each number
 * going straight into its series: a dict of lists, a list of records, and a
 * trainer_state.json's log_history one entry at a time. No tree of the
 * document is built for them, so they are read at any size.
 *
 * Other shapes (pandas orient=columns, a history nested under one key,
 * {"epochs": [...], "metrics": {...}}, final summaries, a Python repr in a
 * JSON string) are decided on a cJSON tree built from the same tokens: the
 * members of the top-level object that are not lists are kept as small
 * trees while streaming, and a document whose shape needs more than
 * JSON_TREE_MAX_BYTES of tree is refused, saying so.
 *
 * Decisions: a numeric string ("0.5") counts as its number, with a note; a
 * non-numeric string, object, list or boolean where a number belongs is an
 * error naming the key and the element (1-based, as epochs are shown);
 * a key that appears twice is an error; `epoch`/`epochs` lists are the epoch
 * numbering, not a series. A syntax error anywhere is reported before what
 * the content means: an error in the content stops the reading but not the
 * tokenizing of the rest. run->line is 0 for JSON but for trainer states,
 * where a point's line is its log entry's.
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
#include "jsontok.h"
#include "reader.h"

#define JSON_MAX_DEPTH JT_MAX_DEPTH

/*
 * Largest document read as a tree, for the shapes not streamed; members of
 * the top-level object kept as trees while streaming share this budget.
 */
#define JSON_TREE_MAX_BYTES ((size_t)16 << 20)

/* Streaming: the document needs a tree (json_read_tree). */
#define NEEDS_TREE 1

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
	/* Streaming: the first error in what the content means (reported
	 * once the rest is known to be well-formed JSON). */
	int failed;
	struct read_error content_err;
	size_t tree_budget;	/* bytes of text still allowed as trees */
	size_t tree_stop;	/* build_tree gives up past this offset */
	int lines_cut;		/* JSON Lines read up to a last line cut short */
	char *scratch;		/* decoded strings */
	size_t scratch_cap;
};

static long line_of(const char *buf, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Up to 20 bytes of the rest of the line, for an error message. */
static size_t excerpt_len(const char *s, const char *end)
{
	size_t n = 0;
	while (n < 20 && s + n < end && s[n] && s[n] != '\n' && s[n] != '\r')
		n++;
	return n;
}

/* The decoded string of a key or string token, in j->scratch. */
static char *tok_str(struct jctx *j, const struct jt_token *tok)
{
	if (tok->len + 1 > j->scratch_cap) {
		j->scratch_cap = tok->len + 64;
		j->scratch = xrealloc(j->scratch, j->scratch_cap);
	}
	jt_decode(tok, j->scratch);
	return j->scratch;
}

/* A cJSON tree of the value whose first token is tok; NULL on a syntax error. */
static cJSON *build_tree(struct jctx *j, struct jtok *t, struct jt_token *tok)
{
	switch (tok->kind) {
	case JT_NUMBER:
		return cJSON_CreateNumber(tok->num);
	case JT_STRING:
		return cJSON_CreateString(tok_str(j, tok));
	case JT_TRUE:
		return cJSON_CreateTrue();
	case JT_FALSE:
		return cJSON_CreateFalse();
	case JT_NULL:
		return cJSON_CreateNull();
	case JT_OBJ_BEGIN:
	case JT_ARR_BEGIN: {
		int obj = tok->kind == JT_OBJ_BEGIN;
		cJSON *c = obj ? cJSON_CreateObject() : cJSON_CreateArray();
		for (;;) {
			struct jt_token x;
			jt_next(t, &x);
			if (x.kind == JT_OBJ_END || x.kind == JT_ARR_END)
				return c;
			if (x.off > j->tree_stop) {
				cJSON_Delete(c);
				return NULL;
			}
			char *name = NULL;
			if (x.kind == JT_KEY) {
				name = xstrdup(tok_str(j, &x));
				jt_next(t, &x);
			}
			cJSON *v = x.kind == JT_ERROR ? NULL : build_tree(j, t, &x);
			if (!v) {
				free(name);
				cJSON_Delete(c);
				return NULL;
			}
			if (obj)
				cJSON_AddItemToObject(c, name, v);
			else
				cJSON_AddItemToArray(c, v);
			free(name);
		}
	}
	default:
		return NULL;
	}
}

/*
 * The message of a syntax error, as it has always read; *at_end says
 * whether it is at the end of the text (a document cut short).
 */
static void syntax_error(const struct jtok *t, struct read_error *err, int *at_end)
{
	const char *buf = t->buf;
	size_t len = t->len, at = t->err_off;
	*at_end = 0;
	if (t->err == JT_E_DEPTH) {
		read_error_set(err, t->err_line, "nesting deeper than %d levels", JSON_MAX_DEPTH);
		return;
	}
	if (t->err == JT_E_TRAILING) {
		read_error_set(err, t->err_line, "unexpected text after the JSON document");
		return;
	}
	size_t rest = at;
	while (rest < len && is_ws(buf[rest]))
		rest++;
	/* cJSON stopped at the last character of a number cut by the end. */
	size_t tail = rest;
	while (tail < len && !is_ws(buf[tail]) && buf[tail] != ',')
		tail++;
	while (tail < len && is_ws(buf[tail]))
		tail++;
	*at_end = tail >= len;
	if (rest >= len)
		read_error_set(err, t->err_line, "JSON ends early (truncated file?)");
	else
		read_error_set(err, t->err_line, "JSON syntax error near '%.*s'",
			       (int)excerpt_len(buf + at, buf + len), buf + at);
}

/* Record the first error in the content; reading stops there. */
static int content_error(struct jctx *j)
{
	j->failed = 1;
	return -1;
}

#define FAIL(j, ...) \
	((j)->failed ? -1 : (read_error_set(&(j)->content_err, __VA_ARGS__), content_error(j)))

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

static const char *tok_kind(enum jt_kind k)
{
	switch (k) {
	case JT_STRING:
		return "a string";
	case JT_OBJ_BEGIN:
		return "an object";
	case JT_ARR_BEGIN:
		return "a list";
	case JT_TRUE:
	case JT_FALSE:
		return "a boolean";
	case JT_NUMBER:
		return "a number";
	case JT_NULL:
		return "null";
	default:
		return "not a number";
	}
}

/* A string as a number: 0, missing (1), or not one (-1). */
static int string_number(struct jctx *j, const char *s, double *out)
{
	size_t n = strlen(s);
	if (is_missing_marker(s, n))
		return 1;
	if (parse_number(s, n, out) == 0) {
		j->string_numbers++;
		return 0;
	}
	return -1;
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
	if (cJSON_IsString(v) && v->valuestring)
		return string_number(j, v->valuestring, out);
	return -1;
}

/* The same for a token. */
static int tok_number(struct jctx *j, const struct jt_token *tok, double *out)
{
	if (tok->kind == JT_NUMBER) {
		*out = tok->num;
		return 0;
	}
	if (tok->kind == JT_NULL)
		return 1;
	if (tok->kind == JT_STRING)
		return string_number(j, tok_str(j, tok), out);
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
	if (!j->failed)
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

/*
 * One flat object of a list (a record, a log_history entry): its members as
 * names and scalar values; lists and objects only by their kind. Names and
 * strings live in one arena reused from entry to entry.
 */
enum jv { JV_NUM, JV_NULL, JV_STR, JV_OBJ, JV_ARR, JV_BOOL };

/* The names a log_history entry is read by, told apart once per member. */
enum jkey {
	K_OTHER, K_EPOCH, K_STEP, K_LOSS, K_GRAD_NORM, K_LEARNING_RATE, K_TRAIN_RUNTIME,
	K_TOTAL_FLOS, K_EVAL_LOSS, K_EVAL_ACCURACY, K_EVAL_OTHER, K_PREDICT, K_TEST
};

struct jmember {
	size_t name, str;	/* offsets into the arena */
	enum jv kind;
	enum jkey key;
	double num;
};

struct jentry {
	struct jmember *m;
	size_t n, cap;
	char *arena;
	size_t used, arena_cap;
	long line;		/* of its '{', 0 when unknown */
	unsigned has;		/* 1 << enum jkey of each key it holds */
	long first[K_EVAL_OTHER];	/* the first member named so, or -1 */
};

static enum jkey key_of(const char *s)
{
	switch (s[0]) {
	case 'e':
		if (strcmp(s, "epoch") == 0)
			return K_EPOCH;
		if (strncmp(s, "eval_", 5) != 0)
			return K_OTHER;
		return strcmp(s + 5, "loss") == 0 ? K_EVAL_LOSS :
		       strcmp(s + 5, "accuracy") == 0 ? K_EVAL_ACCURACY : K_EVAL_OTHER;
	case 's':
		return strcmp(s, "step") == 0 ? K_STEP : K_OTHER;
	case 'l':
		return strcmp(s, "loss") == 0 ? K_LOSS :
		       strcmp(s, "learning_rate") == 0 ? K_LEARNING_RATE : K_OTHER;
	case 'g':
		return strcmp(s, "grad_norm") == 0 ? K_GRAD_NORM : K_OTHER;
	case 't':
		return strcmp(s, "train_runtime") == 0 ? K_TRAIN_RUNTIME :
		       strcmp(s, "total_flos") == 0 ? K_TOTAL_FLOS :
		       strncmp(s, "test_", 5) == 0 ? K_TEST : K_OTHER;
	case 'p':
		return strncmp(s, "predict_", 8) == 0 ? K_PREDICT : K_OTHER;
	default:
		return K_OTHER;
	}
}

static size_t entry_put(struct jentry *e, const char *s)
{
	size_t n = strlen(s) + 1;
	if (e->used + n > e->arena_cap) {
		e->arena_cap = 2 * (e->used + n) + 64;
		e->arena = xrealloc(e->arena, e->arena_cap);
	}
	memcpy(e->arena + e->used, s, n);
	e->used += n;
	return e->used - n;
}

static struct jmember *entry_add(struct jentry *e, const char *name, enum jv kind)
{
	xgrow(&e->m, &e->cap, e->n + 1, sizeof(*e->m));
	struct jmember *m = &e->m[e->n++];
	m->name = entry_put(e, name);
	m->kind = kind;
	m->key = key_of(name);
	m->num = 0;
	m->str = 0;
	if (m->key < K_EVAL_OTHER && !(e->has & 1u << m->key))
		e->first[m->key] = (long)(e->n - 1);
	e->has |= 1u << m->key;
	return m;
}

static void entry_clear(struct jentry *e)
{
	e->n = 0;
	e->used = 0;
	e->has = 0;
}

/* Has e a member named so (k < K_EVAL_OTHER), or one of the prefix (k >= K_EVAL_OTHER)? */
static int entry_has(const struct jentry *e, enum jkey k)
{
	return (e->has >> k) & 1;
}

static void entry_release(struct jentry *e)
{
	free(e->m);
	free(e->arena);
}

static const char *mname(const struct jentry *e, const struct jmember *m)
{
	return e->arena + m->name;
}

/* Read an object whose '{' was just read into e; -1 on a syntax error. */
static int entry_read(struct jctx *j, struct jtok *t, struct jentry *e)
{
	entry_clear(e);
	for (;;) {
		struct jt_token k, v;
		jt_next(t, &k);
		if (k.kind == JT_OBJ_END)
			return 0;
		if (k.kind != JT_KEY)
			return -1;
		size_t at = e->n;
		entry_add(e, tok_str(j, &k), JV_NULL);
		struct jmember *m = &e->m[at];
		switch (jt_next(t, &v)) {
		case JT_NUMBER:
			m->kind = JV_NUM;
			m->num = v.num;
			break;
		case JT_NULL:
			break;
		case JT_TRUE:
		case JT_FALSE:
			m->kind = JV_BOOL;
			break;
		case JT_STRING: {
			size_t s = entry_put(e, tok_str(j, &v));
			m = &e->m[at];
			m->kind = JV_STR;
			m->str = s;
			break;
		}
		case JT_OBJ_BEGIN:
		case JT_ARR_BEGIN:
			m->kind = v.kind == JT_OBJ_BEGIN ? JV_OBJ : JV_ARR;
			if (jt_skip(t, &v))
				return -1;
			break;
		default:
			return -1;
		}
	}
}

/* The same from a tree (the shapes read as one). */
static void entry_from_tree(const cJSON *obj, struct jentry *e)
{
	entry_clear(e);
	e->line = 0;
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (!c->string)
			continue;
		enum jv kind = cJSON_IsNumber(c) ? JV_NUM : cJSON_IsString(c) ? JV_STR :
			       cJSON_IsObject(c) ? JV_OBJ : cJSON_IsArray(c) ? JV_ARR :
			       cJSON_IsBool(c) ? JV_BOOL : JV_NULL;
		struct jmember *m = entry_add(e, c->string, kind);
		m->num = kind == JV_NUM ? c->valuedouble : 0;
		if (kind == JV_STR) {
			size_t s = entry_put(e, c->valuestring ? c->valuestring : "");
			e->m[e->n - 1].str = s;
		}
	}
}

static const struct jmember *entry_get(const struct jentry *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(mname(e, &e->m[i]), name) == 0)
			return &e->m[i];
	return NULL;
}

static const char *member_kind(const struct jmember *m)
{
	static const char *const names[] = { "a number", "null", "a string", "an object",
					     "a list", "a boolean" };
	return names[m->kind];
}

static int member_number(struct jctx *j, const struct jentry *e, const struct jmember *m,
			 double *out)
{
	switch (m->kind) {
	case JV_NUM:
		*out = m->num;
		return 0;
	case JV_NULL:
		return 1;
	case JV_STR:
		return string_number(j, e->arena + m->str, out);
	default:
		return -1;
	}
}

static int is_epoch_key(const char *k);
static long series_of(struct jctx *j, const char *name);
static int ensure_epochs(struct jctx *j, size_t n);

/*
 * Records: [{"epoch": 0, "loss": 1.2}, ...], one epoch each, in order; or
 * the same one per line (JSON Lines), where errors and epochs name the line.
 */
struct records {
	size_t i;
	double prev;
	int lines;		/* JSON Lines */
};

static int record_add(struct jctx *j, struct records *r, const struct jentry *e)
{
	r->i++;
	const char *what = r->lines ? "record" : "element";
	long line = r->lines ? e->line : 0;
	/* Records are epochs in list order; one whose own epoch number
	 * does not increase would be read at the wrong epoch. */
	const struct jmember *num = entry_get(e, "epoch");
	if (num && num->kind == JV_NUM) {
		if (num->num <= r->prev)
			return FAIL(j, line, "%s %zu: epoch %g comes after epoch %g; "
				    "epochs must increase", what, r->i, num->num, r->prev);
		r->prev = num->num;
	}
	size_t ep = j->run->n_epochs;
	if (ensure_epochs(j, ep + 1))
		return content_error(j);
	j->run->line[ep] = line;
	for (size_t k = 0; k < e->n; k++) {
		const struct jmember *m = &e->m[k];
		const char *name = mname(e, m);
		if (is_epoch_key(name))
			continue;
		double x;
		int rc = member_number(j, e, m, &x);
		if (rc < 0)
			return FAIL(j, line, "%s %zu: key '%.*s' is %s, not a number",
				    what, r->i, utf8_cut(name, 60), name, member_kind(m));
		long s = series_of(j, name);
		if (s < 0)
			return content_error(j);
		if (rc == 0)
			run_set(j->run, (size_t)s, ep, x);
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
 *
 * Whether there is an evaluation is known only at the end, and entries are
 * read once: both groupings are kept until the first evaluation entry, when
 * the one by ceil(epoch) is dropped (until then it has one point per epoch,
 * and the one by evaluation a single open point).
 */
struct hf_group {
	double *sum;		/* per series: training values summed */
	size_t *count;
	size_t cap;
	int open, has_train, has_eval;
	double eval_epoch, eval_step;
	double last_step, last_epoch;	/* of the entry that closes the point */
	long last_line;
	size_t groups, early_evals;
	double key;		/* by ceil(epoch): the epoch of the open point */
};

/* One grouping: its own run of points and names. */
struct hf_points {
	struct run *run;
	struct name_map names;
	struct hf_group g;
};

/* The steps of a run being read: their own names. */
struct hf_steps {
	struct run *run;
	struct name_map names;
	size_t nonfinite_grad;
	double first_nonfinite_step;
};

struct hf_reader {
	struct hf_points by_eval, by_ceil;
	int ceil_alive, seen_eval;
	struct hf_steps st;
	size_t entries, summaries, others;
	double epoch;
};

static int is_eval_entry(const struct jentry *e)
{
	return (e->has & (1u << K_EVAL_LOSS | 1u << K_EVAL_ACCURACY | 1u << K_EVAL_OTHER)) != 0;
}

/* The entry Trainer.train logs at its end: runtime, mean loss, FLOPs. */
static int is_summary_entry(const struct jentry *e)
{
	if (entry_has(e, K_TRAIN_RUNTIME))
		return 1;
	return entry_has(e, K_TOTAL_FLOS) && !entry_has(e, K_LOSS) && !is_eval_entry(e);
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
static const char *hf_name(const struct jentry *e, const struct jmember *m)
{
	return m->key == K_EVAL_LOSS ? "val_loss" :
	       m->key == K_EVAL_ACCURACY ? "val_accuracy" : mname(e, m);
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

static int is_coord_key(const struct jmember *m)
{
	return m->key == K_EPOCH || m->key == K_STEP;
}

static int hf_take(struct jctx *j, struct hf_group *g, const struct jentry *e, size_t entry,
		   int eval)
{
	for (size_t i = 0; i < e->n; i++) {
		const struct jmember *m = &e->m[i];
		const char *key = mname(e, m);
		/* A gradient norm is judged on the steps; a mean of norms is no norm. */
		if (is_coord_key(m) || m->key == K_GRAD_NORM)
			continue;
		double x;
		int rc = member_number(j, e, m, &x);
		if (rc < 0)
			return FAIL(j, e->line, "log_history entry %zu: key '%.*s' is %s, not a number",
				    entry, utf8_cut(key, 60), key, member_kind(m));
		long si = series_of(j, hf_name(e, m));
		if (si < 0)
			return content_error(j);
		size_t s = (size_t)si;
		if (rc)
			continue;
		hf_reserve(g, j->run->n_series);
		/* The learning rate and evaluations: the last value; training values: the mean. */
		if (eval || m->key == K_LEARNING_RATE)
			run_set(j->run, s, j->run->n_epochs - 1, x);
		else {
			g->sum[s] += x;
			g->count[s]++;
		}
	}
	return 0;
}

static int cells_fit(struct jctx *j, size_t series, size_t epochs);

/* A training entry as one point of the steps. */
static int hf_step(struct jctx *j, struct hf_steps *st, const struct jentry *e,
		   double step, double epoch)
{
	struct run *sr = st->run;
	if (!cells_fit(j, sr->n_series, sr->n_epochs + 1))
		return content_error(j);
	size_t p = run_add_epoch(sr, e->line);
	run_set_coords(sr, p, step, epoch);
	int loss_finite = 0, grad_bad = 0;
	for (size_t i = 0; i < e->n; i++) {
		const struct jmember *m = &e->m[i];
		if (is_coord_key(m))
			continue;
		const char *key = mname(e, m);
		double x;
		if (member_number(j, e, m, &x) != 0)
			continue;	/* hf_take reports what is not a number */
		long s = name_map_get(&st->names, key);
		if (s < 0) {
			if (!cells_fit(j, sr->n_series + 1, sr->n_epochs))
				return content_error(j);
			s = (long)run_add_series(sr, key);
			name_map_put(&st->names, sr->series[s].name, (size_t)s);
		}
		run_set(sr, (size_t)s, p, x);
		if (m->key == K_LOSS)
			loss_finite = isfinite(x);
		else if (m->key == K_GRAD_NORM)
			grad_bad = !isfinite(x);
	}
	if (grad_bad && loss_finite && st->nonfinite_grad++ == 0)
		st->first_nonfinite_step = step;
	return 0;
}

/* Group by evaluation: an evaluation closes the point it belongs to. */
static int hf_entry_by_eval(struct jctx *j, struct hf_group *g, const struct jentry *e,
			    size_t entry, double step, double epoch)
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
		return content_error(j);
	if (eval) {
		g->has_eval = 1;
		g->eval_epoch = epoch;
		g->eval_step = step;
		g->last_line = e->line;
	} else {
		g->has_train = 1;
	}
	return hf_take(j, g, e, entry, eval);
}

/* Without evaluations: epoch k holds the entries with ceil(epoch) == k. */
static int hf_entry_by_ceil(struct jctx *j, struct hf_group *g, const struct jentry *e,
			    size_t entry, double step, double epoch)
{
	double k = ceil(epoch) < 1 ? 1 : ceil(epoch);
	if (g->open && k != g->key)
		hf_close(j, g);
	g->key = k;
	if (hf_open(j, g))
		return content_error(j);
	g->last_step = step;
	g->last_line = e->line;
	return hf_take(j, g, e, entry, 0);
}

/* The first member named k (epoch, step) as a finite number, else NaN. */
static double number_or_nan(const struct jentry *e, enum jkey k)
{
	const struct jmember *m = entry_has(e, k) ? &e->m[e->first[k]] : NULL;
	return m && m->kind == JV_NUM && isfinite(m->num) ? m->num : NAN;
}

/* Make p the run j reads into (and back). */
static void points_enter(struct jctx *j, struct hf_points *p)
{
	j->run = p->run;
	j->names = p->names;
}

static void points_leave(struct jctx *j, struct hf_points *p)
{
	p->names = j->names;
	memset(&j->names, 0, sizeof(j->names));
}

static void points_release(struct hf_points *p)
{
	free(p->g.sum);
	free(p->g.count);
	name_map_release(&p->names);
}

/* Start reading log_history into j->run (which must have no series yet). */
static void hf_begin(struct jctx *j, struct hf_reader *h)
{
	memset(h, 0, sizeof(*h));
	j->run->format = "hf-trainer-state";
	j->run->framework = FW_TRANSFORMERS;
	h->by_eval.run = j->run;
	h->by_eval.names = j->names;
	memset(&j->names, 0, sizeof(j->names));
	h->by_ceil.run = run_new(j->path, "hf-trainer-state");
	h->by_ceil.run->framework = FW_TRANSFORMERS;
	h->by_eval.g.eval_epoch = h->by_eval.g.eval_step = NAN;
	h->by_ceil.g.eval_epoch = h->by_ceil.g.eval_step = NAN;
	h->ceil_alive = 1;
	h->st.run = run_steps(j->run);
}

/* One element of log_history (e NULL: not an object, of kind `what`). */
static int hf_entry(struct jctx *j, struct hf_reader *h, const struct jentry *e,
		    const char *what)
{
	size_t entry = ++h->entries;
	if (!e)
		return FAIL(j, 0, "log_history entry %zu is %s, not an object", entry, what);
	if (is_summary_entry(e)) {
		h->summaries++;
		return 0;
	}
	if (entry_has(e, K_PREDICT) || entry_has(e, K_TEST)) {
		h->others++;
		return 0;
	}
	double ep = number_or_nan(e, K_EPOCH), step = number_or_nan(e, K_STEP);
	if (!isnan(ep))
		h->epoch = ep;
	int eval = is_eval_entry(e);
	if (eval && h->ceil_alive) {
		/* There are evaluations: they are the points. */
		h->ceil_alive = 0;
		h->seen_eval = 1;
		points_release(&h->by_ceil);
		run_free(h->by_ceil.run);
		h->by_ceil.run = NULL;
	}
	j->run = h->by_eval.run;
	if (!eval && hf_step(j, &h->st, e, step, isnan(ep) ? NAN : h->epoch))
		return -1;
	points_enter(j, &h->by_eval);
	int rc = hf_entry_by_eval(j, &h->by_eval.g, e, entry, step, h->epoch);
	points_leave(j, &h->by_eval);
	if (rc == 0 && h->ceil_alive) {
		points_enter(j, &h->by_ceil);
		rc = hf_entry_by_ceil(j, &h->by_ceil.g, e, entry, step, h->epoch);
		points_leave(j, &h->by_ceil);
	}
	j->run = h->by_eval.run;
	return rc;
}

static void hf_notes(struct jctx *j, const struct hf_reader *h, const struct hf_group *g,
		     int by_eval)
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
	if (h->summaries)
		run_note(j->run, "the final summary entry (train_runtime) is skipped");
	if (h->others)
		run_note(j->run, "%zu predict_/test_ entr%s skipped: test-set results, not "
			 "training", h->others, h->others == 1 ? "y" : "ies");
	if (h->st.nonfinite_grad)
		run_note(j->run, "grad_norm is NaN or infinite at %zu logged step%s (first: step "
			 "%.0f) while the logged loss is finite: step losses that were NaN or "
			 "infinite too are left out of the logged mean by the Trainer's "
			 "logging_nan_inf_filter (on by default), so a finite loss does not "
			 "show them",
			 h->st.nonfinite_grad, h->st.nonfinite_grad == 1 ? "" : "s",
			 h->st.first_nonfinite_step);
}

/* The end of log_history: j->run becomes the grouping that holds (rc 0),
 * or what the caller frees. */
static int hf_end(struct jctx *j, struct hf_reader *h, int rc)
{
	int by_eval = !h->ceil_alive;
	struct hf_points *p = by_eval ? &h->by_eval : &h->by_ceil;
	struct hf_points *other = by_eval ? &h->by_ceil : &h->by_eval;
	if (!by_eval) {
		/* The steps move to the grouping that holds. */
		p->run->steps = h->by_eval.run->steps;
		h->by_eval.run->steps = NULL;
	}
	if (other->run) {
		points_release(other);
		run_free(other->run);
		other->run = NULL;
	}
	points_enter(j, p);
	memset(&p->names, 0, sizeof(p->names));
	struct hf_group *g = &p->g;
	size_t trailing = 0;
	if (rc == 0 && by_eval && g->open && !g->has_eval && j->run->n_epochs > 1) {
		/* Training entries after the last evaluation: no evaluation point. */
		trailing = 1;
		run_drop_last(j->run);
		g->open = 0;
		g->groups--;
		for (size_t s = 0; s < g->cap; s++)
			g->sum[s] = 0, g->count[s] = 0;
	}
	if (rc == 0)
		hf_close(j, g);
	free(g->sum);
	free(g->count);
	name_map_release(&h->st.names);
	if (h->st.run->n_epochs == 0) {
		run_free(j->run->steps);
		j->run->steps = NULL;
	}
	if (rc == 0) {
		if (by_eval)
			j->run->axis = AXIS_EVAL;
		hf_notes(j, h, g, by_eval);
		if (trailing)
			run_note(j->run, "the training entries after the last evaluation are "
				 "judged on the steps only");
	}
	return rc;
}

/* log_history as a tree (a trainer state nested in an odd shape). */
static int read_hf_tree(struct jctx *j, const cJSON *log)
{
	struct hf_reader h;
	struct jentry e;
	memset(&e, 0, sizeof(e));
	hf_begin(j, &h);
	int rc = 0;
	for (const cJSON *c = log->child; c && rc == 0; c = c->next) {
		if (cJSON_IsObject(c)) {
			entry_from_tree(c, &e);
			rc = hf_entry(j, &h, &e, NULL);
		} else {
			rc = hf_entry(j, &h, NULL, kind_of(c));
		}
	}
	entry_release(&e);
	return hf_end(j, &h, rc);
}

/* log_history from the tokens, its '[' just read. */
static int read_hf_stream(struct jctx *j, struct jtok *t)
{
	struct hf_reader h;
	struct jentry e;
	memset(&e, 0, sizeof(e));
	hf_begin(j, &h);
	int rc = 0, syntax = 0;
	for (;;) {
		struct jt_token tok;
		jt_next(t, &tok);
		if (tok.kind == JT_ARR_END)
			break;
		if (tok.kind == JT_ERROR) {
			syntax = 1;
			break;
		}
		if (rc) {
			if (jt_skip(t, &tok)) {
				syntax = 1;
				break;
			}
			continue;
		}
		if (tok.kind == JT_OBJ_BEGIN) {
			if (entry_read(j, t, &e)) {
				syntax = 1;
				break;
			}
			e.line = j->nested ? 0 : tok.line;
			rc = hf_entry(j, &h, &e, NULL);
		} else {
			rc = hf_entry(j, &h, NULL, tok_kind(tok.kind));
			if (jt_skip(t, &tok)) {
				syntax = 1;
				break;
			}
		}
	}
	entry_release(&e);
	hf_end(j, &h, rc || syntax ? -1 : 0);
	return syntax ? -2 : rc;
}

/* ---- the shapes read as trees ---- */

static int read_records_tree(struct jctx *j, const cJSON *arr)
{
	struct records r = { 0, -INFINITY, 0 };
	struct jentry e;
	memset(&e, 0, sizeof(e));
	int rc = 0;
	for (const cJSON *rec = arr->child; rec && rc == 0; rec = rec->next) {
		if (!cJSON_IsObject(rec)) {
			rc = FAIL(j, 0, "element %zu is %s, not a record", r.i + 1, kind_of(rec));
			break;
		}
		entry_from_tree(rec, &e);
		rc = record_add(j, &r, &e);
	}
	entry_release(&e);
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


static int json_read_text(struct jctx *j, const char *buf, size_t len);

static int read_repr_text(struct jctx *j, const char *s, struct read_error *err)
{
	if (j->nested || !s) {
		read_error_set(err, 0, "a JSON string, not a history");
		return -1;
	}
	struct strbuf text = STRBUF_INIT;
	py_to_json(s, strlen(s), &text);
	size_t i = 0;
	while (i < text.len && is_ws(text.buf[i]))
		i++;
	if (i == text.len || (text.buf[i] != '{' && text.buf[i] != '[')) {
		strbuf_release(&text);
		read_error_set(err, 0, "a JSON string, not a history");
		return -1;
	}
	j->nested = 1;
	int rc = json_read_text(j, text.buf, text.len);
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
		return read_hf_tree(j, log);
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
		return read_records_tree(j, root);
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


/* ---- streaming ---- */

/* A member of the top-level object as it streams by. */
struct member {
	char *key;
	char kind;		/* 'a' list, 'o' object, 's' anything else */
	size_t len;		/* a list's length */
	cJSON *tree;		/* what is not a list, kept */
};

struct members {
	struct member *v;
	size_t n, cap;
};

static void members_release(struct members *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].key);
		cJSON_Delete(m->v[i].tree);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static void json_reset(struct jctx *j)
{
	run_free(j->run);
	j->run = run_new(j->path, "history-json");
	name_map_release(&j->names);
	memset(&j->names, 0, sizeof(j->names));
	j->string_numbers = 0;
	j->failed = 0;
	memset(&j->content_err, 0, sizeof(j->content_err));
}

static size_t tok_here(const struct jtok *t)
{
	return t->p >= t->buf && t->p <= t->buf + t->len ? (size_t)(t->p - t->buf) : t->len;
}

/*
 * A list member of a dict of lists, its '[' just read: element i into epoch i
 * of the series (validation_freq strides are placed at the end). -2 on a
 * syntax error; content errors are recorded and the list is still counted.
 */
static int stream_list(struct jctx *j, struct jtok *t, struct member *m)
{
	long s = -1;
	if (!j->failed && !is_epoch_key(m->key)) {
		if (name_map_get(&j->names, m->key) >= 0)
			FAIL(j, 0, "key '%.*s' appears twice", utf8_cut(m->key, 60), m->key);
		else if ((s = series_of(j, m->key)) < 0)
			content_error(j);
	}
	size_t i = 0;
	for (;; i++) {
		struct jt_token tok;
		jt_next(t, &tok);
		if (tok.kind == JT_ARR_END)
			break;
		if (tok.kind == JT_ERROR)
			return -2;
		if (s >= 0 && !j->failed) {
			double x;
			int rc = tok_number(j, &tok, &x);
			if (rc < 0)
				FAIL(j, 0, "key '%.*s': element %zu is %s, not a number",
				     utf8_cut(m->key, 60), m->key, i + 1, tok_kind(tok.kind));
			else if (i >= j->run->n_epochs && ensure_epochs(j, i + 1))
				content_error(j);
			else if (rc == 0)
				run_set(j->run, (size_t)s, i, x);
		}
		if ((tok.kind == JT_OBJ_BEGIN || tok.kind == JT_ARR_BEGIN) && jt_skip(t, &tok))
			return -2;
	}
	m->len = i;
	return 0;
}

/* The value at p of a series, and whether it is missing. */
static int series_get(const struct run *run, size_t s, size_t i, double *v)
{
	*v = run->series[s].v[i];
	return run_value_missing(*v);
}

static void series_clear(struct run *run, size_t s, size_t i)
{
	run->series[s].v[i] = run_missing();
}

/* Element i of a list read at epoch i moves to epoch (i + 1) * k - 1. */
static void spread(struct run *run, size_t s, size_t len, size_t k)
{
	for (size_t i = len; i-- > 0;) {
		size_t to = (i + 1) * k - 1;
		double v;
		int miss = series_get(run, s, i, &v);
		series_clear(run, s, i);
		if (!miss)
			run_set(run, s, to, v);
	}
}

/* The end of a dict of lists read as it streamed: what read_lists decides. */
static int finish_lists(struct jctx *j, struct members *ms)
{
	size_t n = 0, k = 1, n_val = 0, skipped = 0;
	const char *longest = NULL, *first_skipped = NULL;
	for (size_t i = 0; i < ms->n; i++)
		if (ms->v[i].kind == 'a' && !is_epoch_key(ms->v[i].key) && ms->v[i].len > n) {
			n = ms->v[i].len;
			longest = ms->v[i].key;
		}
	for (size_t i = 0; i < ms->n; i++) {
		const struct member *m = &ms->v[i];
		if (m->kind != 'a' || is_epoch_key(m->key) || m->len == n || m->len == 0)
			continue;
		size_t q = n / m->len;
		if (is_validation_key(m->key) && n % m->len == 0 && (k == 1 || k == q)) {
			k = q;
			n_val++;
			continue;
		}
		read_error_set(j->err, 0, "key '%.60s' holds %zu value%s but '%.60s' holds %zu: "
			       "lists of different lengths%s; they cannot be lined up epoch by epoch",
			       m->key, m->len, m->len == 1 ? "" : "s", longest, n,
			       is_validation_key(m->key) ? " that fit no validation_freq" : "");
		return -1;
	}
	if (j->failed)
		return -1;
	for (size_t i = 0; i < ms->n; i++) {
		const struct member *m = &ms->v[i];
		if (m->kind != 'a') {
			if (!skipped++)
				first_skipped = m->key;
			continue;
		}
		if (k > 1 && !is_epoch_key(m->key) && m->len * k == n && m->len)
			spread(j->run, (size_t)name_map_get(&j->names, m->key), m->len, k);
	}
	if (k > 1)
		run_note(j->run, "%zu validation list%s hold%s one value every %zu epochs "
			 "(Keras validation_freq=%zu): placed at epochs %zu, %zu, ...", n_val,
			 n_val == 1 ? "" : "s", n_val == 1 ? "s" : "", k, k, k, 2 * k);
	if (j->run->n_epochs == 0) {
		char keys[400];
		size_t off = 0;
		keys[0] = '\0';
		for (size_t i = 0; i < ms->n && off + 1 < sizeof(keys); i++) {
			int w = snprintf(keys + off, sizeof(keys) - off, "%s'%s'", off ? ", " : "",
					 ms->v[i].key);
			if (w < 0)
				break;
			off += (size_t)w;
		}
		if (off >= sizeof(keys))
			strcpy(keys + sizeof(keys) - 4, "...");
		if (!keys[0])
			snprintf(keys, sizeof(keys), "none");
		read_error_set(j->err, 0, "no numeric lists (keys found: %s)", keys);
		return -1;
	}
	if (skipped)
		run_note(j->run, "%zu key%s not holding a list skipped (first: '%.*s')", skipped,
			 skipped == 1 ? "" : "s", utf8_cut(first_skipped, 60), first_skipped);
	return 0;
}

static int read_object(struct jctx *j, const cJSON *root, struct read_error *err);

static const struct member *member_named(const struct members *ms, const char *key)
{
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->v[i].key, key) == 0)
			return &ms->v[i];
	return NULL;
}

/*
 * The top-level object, its '{' just read. Lists stream into series as a
 * dict of lists; log_history streams as a trainer state; other members are
 * kept as small trees for the shapes decided on them.
 */
static int stream_lines(struct jctx *j, struct jtok *t, const struct members *first,
			long first_line);

static int stream_object(struct jctx *j, struct jtok *t, long first_line)
{
	struct members ms = { NULL, 0, 0 };
	int rc = 0, hf = 0;
	size_t n_lists = 0, n_objects = 0;
	for (;;) {
		struct jt_token k, v;
		jt_next(t, &k);
		if (k.kind == JT_OBJ_END)
			break;
		if (k.kind != JT_KEY) {
			rc = -2;
			goto out;
		}
		char *key = xstrdup(tok_str(j, &k));
		jt_next(t, &v);
		if (v.kind == JT_ERROR) {
			free(key);
			rc = -2;
			goto out;
		}
		if (hf) {
			/* A trainer state: nothing else is read. */
			free(key);
			if (jt_skip(t, &v)) {
				rc = -2;
				goto out;
			}
			continue;
		}
		if (v.kind == JT_ARR_BEGIN && strcmp(key, "log_history") == 0 &&
		    !member_named(&ms, "log_history")) {
			free(key);
			members_release(&ms);
			json_reset(j);
			hf = 1;
			rc = read_hf_stream(j, t);
			if (rc == -2)
				goto out;
			continue;
		}
		xgrow(&ms.v, &ms.cap, ms.n + 1, sizeof(*ms.v));
		struct member *m = &ms.v[ms.n++];
		memset(m, 0, sizeof(*m));
		m->key = key;
		if (v.kind == JT_ARR_BEGIN) {
			m->kind = 'a';
			n_lists++;
			if (stream_list(j, t, m)) {
				rc = -2;
				goto out;
			}
			continue;
		}
		m->kind = v.kind == JT_OBJ_BEGIN ? 'o' : 's';
		n_objects += m->kind == 'o' || v.kind == JT_ARR_BEGIN;
		size_t start = v.off;
		j->tree_stop = start + j->tree_budget;
		m->tree = build_tree(j, t, &v);
		if (!m->tree) {
			rc = t->err ? -2 : NEEDS_TREE;
			goto out;
		}
		size_t used = tok_here(t) - start;
		if (used > j->tree_budget) {
			rc = NEEDS_TREE;
			goto out;
		}
		j->tree_budget -= used;
	}
	if (hf)
		goto out;
	const struct member *log = member_named(&ms, "log_history");
	const struct member *metrics = member_named(&ms, "metrics");
	const struct member *epochs = member_named(&ms, "epochs");
	if (n_lists == 0 && n_objects == 0 && jt_next_document(t)) {
		/* Flat records one per line: JSON Lines. */
		rc = stream_lines(j, t, &ms, first_line);
	} else if (n_lists == 0) {
		/* No lists: a summary, pandas columns, a nested history...: as a tree. */
		cJSON *root = cJSON_CreateObject();
		for (size_t i = 0; i < ms.n; i++) {
			cJSON_AddItemToObject(root, ms.v[i].key, ms.v[i].tree);
			ms.v[i].tree = NULL;
		}
		json_reset(j);
		rc = read_object(j, root, j->err);
		cJSON_Delete(root);
	} else if (log) {
		rc = -1;
		read_error_set(j->err, 0, "'log_history' is %s, not a list of log entries",
			       kind_of(log->tree));
	} else if (metrics && metrics->kind == 'o' && epochs && epochs->kind == 'a') {
		json_reset(j);
		rc = read_lists(j, metrics->tree, j->err);
		if (rc == 0 && epochs->len != j->run->n_epochs)
			run_note(j->run, "'epochs' lists %zu epochs but the metrics hold %zu; "
				 "the metrics are read as epochs 1 to %zu", epochs->len,
				 j->run->n_epochs, j->run->n_epochs);
	} else {
		rc = finish_lists(j, &ms);
	}
out:
	members_release(&ms);
	return rc;
}

/*
 * JSON Lines of flat records ({"epoch": 0, "loss": 1.2} a line), the first
 * already read (its members in first), the tokenizer at the second. A last
 * line cut short (a log being written, a process killed) is dropped with a
 * note, as a cut json.dump is.
 */
static int stream_lines(struct jctx *j, struct jtok *t, const struct members *first,
			long first_line)
{
	struct records r = { 0, -INFINITY, 1 };
	struct jentry e;
	memset(&e, 0, sizeof(e));
	cJSON *obj = cJSON_CreateObject();
	for (size_t i = 0; i < first->n; i++)
		cJSON_AddItemReferenceToObject(obj, first->v[i].key, first->v[i].tree);
	json_reset(j);
	j->run->format = "json-lines";
	entry_from_tree(obj, &e);
	cJSON_Delete(obj);
	e.line = first_line;
	int rc = record_add(j, &r, &e);
	do {
		struct jt_token tok;
		jt_next(t, &tok);
		long line = tok.line;
		if (tok.kind == JT_OBJ_BEGIN && entry_read(j, t, &e) == 0) {
			e.line = line;
			if (!j->failed)
				rc = record_add(j, &r, &e);
			continue;
		}
		int at_end;
		struct read_error ignored;
		syntax_error(t, &ignored, &at_end);
		if (!at_end || j->failed) {
			rc = -2;
			break;
		}
		snprintf(j->cut_note, sizeof(j->cut_note), "the file ends at line %ld inside a "
			 "record (cut short?): the %zu complete lines before it are read", line,
			 r.i);
		j->lines_cut = 1;
		break;
	} while (jt_next_document(t));
	entry_release(&e);
	return rc;
}

/* The top-level list, its '[' just read: records, or what it is not. */
static int stream_array(struct jctx *j, struct jtok *t)
{
	struct records r = { 0, -INFINITY, 0 };
	struct jentry e;
	memset(&e, 0, sizeof(e));
	int rc = 0;
	for (size_t i = 0;; i++) {
		struct jt_token tok;
		jt_next(t, &tok);
		if (tok.kind == JT_ARR_END) {
			if (i == 0)
				rc = FAIL(j, 0, "an empty list, no epochs");
			break;
		}
		if (tok.kind == JT_ERROR) {
			rc = -2;
			break;
		}
		if (i == 0 && tok.kind != JT_OBJ_BEGIN) {
			if (tok.kind == JT_NUMBER || tok.kind == JT_NULL)
				/* A bare list of numbers names no metric: a loss, an accuracy
				 * or anything else. Guessing "loss" invented findings. */
				rc = FAIL(j, 0, "a bare list of numbers names no metric; "
					  "save the history as {\"loss\": [...]}");
			else
				rc = FAIL(j, 0, "a list of %s values, not a history",
					  tok_kind(tok.kind) + 2);
		}
		if (i == 0 && tok.kind == JT_OBJ_BEGIN)
			j->run->format = "json-records";
		if (tok.kind == JT_OBJ_BEGIN && !j->failed) {
			if (entry_read(j, t, &e)) {
				rc = -2;
				break;
			}
			rc = record_add(j, &r, &e);
			continue;
		}
		if (!j->failed)
			rc = FAIL(j, 0, "element %zu is %s, not a record", i + 1, tok_kind(tok.kind));
		if (jt_skip(t, &tok)) {
			rc = -2;
			break;
		}
	}
	entry_release(&e);
	return rc;
}

static int read_repr_text(struct jctx *j, const char *s, struct read_error *err);

/* One pass over the document: 0, -1 (content), -2 (syntax) or NEEDS_TREE. */
static int stream_doc(struct jctx *j, struct jtok *t)
{
	struct jt_token tok;
	jt_next(t, &tok);
	switch (tok.kind) {
	case JT_OBJ_BEGIN:
		return stream_object(j, t, tok.line);
	case JT_ARR_BEGIN:
		return stream_array(j, t);
	case JT_STRING: {
		char *s = xstrndup(tok.s, tok.len);
		jt_decode(&tok, s);
		/* The rest must be blank before the string means anything. */
		struct jt_token end;
		if (jt_next(t, &end) != JT_EOF) {
			free(s);
			return -2;
		}
		int rc = read_repr_text(j, s, j->err);
		free(s);
		return rc;
	}
	case JT_ERROR:
		return -2;
	default:
		read_error_set(j->err, 0, "the JSON document is %s, not an object or a list",
			       tok_kind(tok.kind));
		return -1;
	}
}

/* A whole tree of the document, and what it holds. */
static int tree_doc(struct jctx *j, struct jtok *t)
{
	struct jt_token tok;
	jt_next(t, &tok);
	j->tree_stop = (size_t)-1;
	cJSON *root = tok.kind == JT_ERROR ? NULL : build_tree(j, t, &tok);
	if (!root)
		return -2;
	struct jt_token end;
	if (jt_next(t, &end) != JT_EOF) {
		cJSON_Delete(root);
		return -2;
	}
	int rc;
	if (cJSON_IsObject(root))
		rc = read_object(j, root, j->err);
	else if (cJSON_IsArray(root))
		rc = read_array(j, root, j->err);
	else if (cJSON_IsString(root))
		rc = read_repr_text(j, root->valuestring, j->err);
	else {
		read_error_set(j->err, 0, "the JSON document is %s, not an object or a list",
			       cJSON_IsNumber(root) ? "a number" : kind_of(root));
		rc = -1;
	}
	cJSON_Delete(root);
	return rc;
}

/* One pass over buf[0..len) (then tail): 0, -1, -2 (syntax, t says) or NEEDS_TREE. */
static int read_pass(struct jctx *j, const char *buf, size_t len, const char *tail, int tree,
		     struct jtok *t)
{
	jt_init(t, buf, len);
	if (tail)
		jt_set_tail(t, tail);
	j->tree_budget = JSON_TREE_MAX_BYTES;
	int rc = tree ? tree_doc(j, t) : stream_doc(j, t);
	if (rc == NEEDS_TREE || rc == -2 || j->lines_cut)
		return rc;
	/* Whatever the content, the rest must be well-formed JSON. */
	struct jt_token tok;
	enum jt_kind k;
	while ((k = jt_next(t, &tok)) != JT_EOF && k != JT_ERROR)
		;
	if (k == JT_ERROR)
		return -2;
	return rc < 0 ? -1 : rc;
}

/* Read a document, streamed or as a tree; a cut one up to its cut. */
static int read_doc(struct jctx *j, const char *buf, size_t len, const char *tail,
		    struct jtok *t)
{
	int rc = read_pass(j, buf, len, tail, 0, t);
	if (rc == NEEDS_TREE) {
		json_reset(j);
		if (len > JSON_TREE_MAX_BYTES) {
			read_error_set(j->err, 0, "a JSON document of %zu MiB in a shape read whole "
				       "(pandas orient=columns, a history nested under a key, "
				       "\"metrics\" beside \"epochs\", or a large object beside the "
				       "lists): only up to %zu MiB is read; save it as a dict of "
				       "lists, records or JSON Lines", len >> 20,
				       JSON_TREE_MAX_BYTES >> 20);
			return -1;
		}
		rc = read_pass(j, buf, len, tail, 1, t);
	}
	return rc;
}

static int json_read_text(struct jctx *j, const char *buf, size_t len)
{
	struct jtok t;
	int rc = read_doc(j, buf, len, NULL, &t);
	if (rc != -2)
		return rc;
	int at_end;
	json_reset(j);
	syntax_error(&t, j->err, &at_end);
	if (j->nested || !at_end)
		return -1;
	/* A json.dump cut short: read up to the last complete member. */
	char root;
	const char *key;
	size_t key_len;
	size_t end = cut_json_end(buf, len, &root, &key, &key_len);
	if (!end)
		return -1;
	struct read_error saved = *j->err;
	struct jtok t2;
	rc = read_doc(j, buf, end, root == '{' ? "}" : "]", &t2);
	if (rc == -2) {
		json_reset(j);
		*j->err = saved;
		return -1;
	}
	if (root == '{' && key)
		snprintf(j->cut_note, sizeof(j->cut_note), "the file ends at line %ld inside "
			 "'%.*s' (a json.dump cut short?): the complete lists before it are read, "
			 "'%.*s' is dropped", count_lines(buf, len), (int)(key_len > 60 ? 60 : key_len),
			 key, (int)(key_len > 60 ? 60 : key_len), key);
	else
		snprintf(j->cut_note, sizeof(j->cut_note), "the file ends at line %ld inside an "
			 "unfinished element (a json.dump cut short?): the complete ones are read",
			 count_lines(buf, len));
	return rc;
}

static int json_read(const char *path, const char *buf, size_t len,
		     struct run_list *out, struct read_error *err)
{
	struct jctx j;
	memset(&j, 0, sizeof(j));
	j.path = path;
	j.err = &j.content_err;
	j.max_cells = 4 * len + ((size_t)1 << 20);
	j.run = run_new(path, "history-json");
	int rc = json_read_text(&j, buf, len);
	if (rc == 0 && j.run->n_epochs == 0) {
		read_error_set(j.err, 0, "no epochs: every list is empty");
		rc = -1;
	}
	name_map_release(&j.names);
	free(j.scratch);
	if (rc) {
		*err = j.content_err;
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

const struct reader reader_json = { "json", json_sniff, json_read, 0 };

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

/* A whole small document as a tree, or NULL when it is no JSON. */
static cJSON *parse_tree(const char *buf, size_t len)
{
	struct jctx j;
	struct jtok t;
	struct jt_token tok;
	memset(&j, 0, sizeof(j));
	j.tree_stop = (size_t)-1;
	jt_init(&t, buf, len);
	jt_next(&t, &tok);
	cJSON *root = tok.kind == JT_ERROR ? NULL : build_tree(&j, &t, &tok);
	if (root && jt_next(&t, &tok) != JT_EOF) {
		cJSON_Delete(root);
		root = NULL;
	}
	free(j.scratch);
	return root;
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
	cJSON *root = parse_tree(buf, len);
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

/*
 * history_hf_prefix streams both texts side by side: their log_history
 * entries are compared one pair at a time (each a small tree), so two
 * trainer states of a million steps take no more memory than two entries.
 */
struct prefix_side {
	struct jtok t;
	cJSON *max_steps;	/* its first max_steps, once seen */
	int ended;		/* its log_history has no more entries */
};

/* Up to the first log_history's '[': 0 when there is none (or no JSON). */
static int prefix_open(struct jctx *j, struct prefix_side *p, const char *buf, size_t len)
{
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	jt_init(&p->t, buf, len);
	struct jt_token k, v;
	if (jt_next(&p->t, &k) != JT_OBJ_BEGIN)
		return 0;
	for (;;) {
		if (jt_next(&p->t, &k) != JT_KEY)
			return 0;
		const char *key = tok_str(j, &k);
		int is_log = strcmp(key, "log_history") == 0;
		int is_max = strcmp(key, "max_steps") == 0;
		if (jt_next(&p->t, &v) == JT_ERROR)
			return 0;
		if (is_log)
			return v.kind == JT_ARR_BEGIN;
		if (is_max && !p->max_steps) {
			if (!(p->max_steps = build_tree(j, &p->t, &v)))
				return 0;
		} else if (jt_skip(&p->t, &v)) {
			return 0;
		}
	}
}

/* The next entry as a tree; NULL at the end of the list (p->ended) or on an error. */
static cJSON *prefix_entry(struct jctx *j, struct prefix_side *p)
{
	struct jt_token v;
	if (jt_next(&p->t, &v) == JT_ARR_END) {
		p->ended = 1;
		return NULL;
	}
	return v.kind == JT_ERROR ? NULL : build_tree(j, &p->t, &v);
}

/* After log_history: the rest of the members, then the end. 0 when no JSON. */
static int prefix_close(struct jctx *j, struct prefix_side *p)
{
	while (!p->ended) {
		cJSON *e = prefix_entry(j, p);
		if (!e && !p->ended)
			return 0;
		cJSON_Delete(e);
	}
	struct jt_token k, v;
	for (;;) {
		if (jt_next(&p->t, &k) == JT_OBJ_END)
			break;
		if (k.kind != JT_KEY)
			return 0;
		int is_max = strcmp(tok_str(j, &k), "max_steps") == 0;
		if (jt_next(&p->t, &v) == JT_ERROR)
			return 0;
		if (is_max && !p->max_steps) {
			if (!(p->max_steps = build_tree(j, &p->t, &v)))
				return 0;
		} else if (jt_skip(&p->t, &v)) {
			return 0;
		}
	}
	return jt_next(&p->t, &k) == JT_EOF;
}

int history_hf_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	struct jctx j;
	struct prefix_side pa, pb;
	memset(&j, 0, sizeof(j));
	memset(&pa, 0, sizeof(pa));
	memset(&pb, 0, sizeof(pb));
	j.tree_stop = (size_t)-1;
	int rc = 0;
	if (!prefix_open(&j, &pa, a, alen) || !prefix_open(&j, &pb, b, blen))
		goto out;
	for (;;) {
		cJSON *ea = prefix_entry(&j, &pa);
		if (!ea && !pa.ended)
			goto out;
		cJSON *eb = ea ? prefix_entry(&j, &pb) : NULL;
		if (ea && !eb && !pb.ended) {
			cJSON_Delete(ea);
			goto out;
		}
		int same = ea && eb && same_value(ea, eb);
		cJSON_Delete(ea);
		cJSON_Delete(eb);
		if (!ea || !eb)
			break;
		if (!same)
			goto out;
	}
	int a_longer = !pa.ended;
	if (!prefix_close(&j, &pa) || !prefix_close(&j, &pb))
		goto out;
	const cJSON *ma = pa.max_steps, *mb = pb.max_steps;
	if ((ma || mb) && (!ma || !mb || !same_value(ma, mb)))
		goto out;
	rc = a_longer ? -1 : 1;
out:
	cJSON_Delete(pa.max_steps);
	cJSON_Delete(pb.max_steps);
	free(j.scratch);
	return rc;
}
