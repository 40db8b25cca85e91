/*
 * The batch-statistics reader (batch-stats.md): JSON Lines or CSV, picked
 * by the first non-blank byte ('{' is JSON Lines). The file is read in
 * fixed-size chunks and cut into lines here; each line goes to cJSON or to
 * libcsv and its values straight into a stats_builder, so memory stays
 * bounded by epochs x layers however many records the file holds.
 */
#include "../model/stats.h"

#include <csv.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "jsontok.h"
#include "reader.h"

#define CHUNK_BYTES 65536
/* A record is one line; one this long is not a stats record. */
#define LINE_MAX_BYTES ((size_t)4 << 20)
/* The aggregates are kept for every epoch up to the last and every layer
 * (about 60 bytes each): past these a small file could ask for more memory
 * than the machine has. A network has hundreds of layers, not thousands. */
#define STATS_MAX_LAYERS 10000
#define STATS_MAX_CELLS ((size_t)1 << 22)

/* Python's json writes these bare; cJSON does not take them. They are
 * rewritten in place, before parsing, to one-character strings of a control
 * byte padded to the same length (so cJSON's error columns stay right). A raw
 * control byte cannot come from the file: lines holding one are refused as
 * binary data. */
#define MARK_NAN '\x01'
#define MARK_INF '\x02'
#define MARK_NEG_INF '\x03'

enum key_kind { KEY_IGNORE, KEY_EPOCH, KEY_BATCH, KEY_INPUT, KEY_LAYER };

/* A member of a record as json_line_fast reads it. */
struct fast_member {
	size_t name;		/* offset into sreader.names */
	int kind;		/* 0 a number, 1 null, 2 anything else */
	double v;
};

struct key_map {
	char *key;		/* the cache's copy (JSON) or the column name (CSV) */
	enum key_kind kind;
	int stat;		/* enum input_stat or enum layer_stat */
	size_t layer;
};

struct sreader {
	struct stats_builder *b;
	struct read_error *err;
	long line;
	int failed;
	size_t n_epochs;	/* the largest epoch so far + 1 */
	size_t n_layers;
	/* JSON: the key classification of the previous record, by position:
	 * records almost always repeat the same keys in the same order. */
	struct key_map *cache;
	size_t n_cache;
	/* JSON: the current record's members (json_line_fast) */
	struct fast_member *fm;
	size_t n_fm, cap_fm;
	char *names;
	size_t names_cap;
	/* CSV */
	struct csv_parser csv;
	int have_header;
	struct key_map *col;
	size_t n_col;
	long header_line;
	int epoch_col;
	size_t field;		/* fields of the current row so far */
	double *val;		/* per column, this row */
	unsigned char *present;
	long bad_col;		/* first column holding a non-number, or -1 */
	struct strbuf bad_text;
};

static int fail(struct sreader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Would the aggregates of n_epochs x n_layers take too much memory? */
static int check_size(struct sreader *r)
{
	if (r->n_layers > STATS_MAX_LAYERS)
		return fail(r, "more than %d layers; not per-batch statistics of one network",
			    STATS_MAX_LAYERS);
	size_t held = r->b ? stats_builder_epochs(r->b) : 0;
	if (r->n_layers && held > STATS_MAX_CELLS / r->n_layers)
		return fail(r, "%zu epochs with %zu layers: more epochs times layers than %zu; "
			    "not per-batch statistics of one run", held, r->n_layers,
			    STATS_MAX_CELLS);
	return 0;
}

static void classify(struct sreader *r, const char *key, struct key_map *m)
{
	m->kind = KEY_IGNORE;
	m->stat = 0;
	m->layer = 0;
	if (strcmp(key, "epoch") == 0) {
		m->kind = KEY_EPOCH;
		return;
	}
	if (strcmp(key, "batch") == 0) {
		m->kind = KEY_BATCH;
		return;
	}
	int s = stats_input_parse(key);
	if (s >= 0) {
		m->kind = KEY_INPUT;
		m->stat = s;
		return;
	}
	/* A layer's name holds no '/', but names from frameworks that nest
	 * scopes might: split at the last one and keep the rest as the name. */
	const char *slash = strrchr(key, '/');
	if (!slash || slash == key)
		return;
	s = stats_layer_parse(slash + 1);
	if (s < 0)
		return;
	m->kind = KEY_LAYER;
	m->stat = s;
	m->layer = stats_builder_layer(r->b, key, (size_t)(slash - key));
	/* A new layer: stop at once past the limit (each costs a scan of the
	 * others). */
	if (m->layer >= r->n_layers) {
		r->n_layers = m->layer + 1;
		check_size(r);
	}
}

/*
 * The range batch-stats.md gives each statistic: a fraction in [0, 1], a
 * count or a norm not below 0. A value outside it is a broken file, not a
 * finding: it would drive the detectors. NaN and infinities are findings.
 */
static int check_range(struct sreader *r, const struct key_map *m, double v)
{
	if (!isfinite(v) || m->kind == KEY_IGNORE || m->kind == KEY_EPOCH || m->kind == KEY_BATCH)
		return 0;
	int frac = 0, nonneg = 0, whole = 0;
	if (m->kind == KEY_LAYER) {
		frac = m->stat == LSTAT_GRAD_ZERO_FRAC || m->stat == LSTAT_ACT_ZERO_FRAC;
		whole = m->stat == LSTAT_SIZE;
		nonneg = !frac;
	} else {
		nonneg = m->stat == ISTAT_X_STD || m->stat == ISTAT_LR;
	}
	char num[40];
	snprintf(num, sizeof(num), "%.17g", v);
	if (frac && (v < 0 || v > 1))
		return fail(r, "'%s' is %s, outside [0, 1]", m->key, num);
	if (nonneg && v < 0)
		return fail(r, "'%s' is %s, below 0", m->key, num);
	if (whole && v != floor(v))
		return fail(r, "'%s' is %s, not a whole number", m->key, num);
	return 0;
}

static void add_value(struct sreader *r, const struct key_map *m, size_t epoch,
		      double v)
{
	if (check_range(r, m, v))
		return;
	if (m->kind == KEY_INPUT)
		stats_builder_input(r->b, epoch, (enum input_stat)m->stat, v);
	else if (m->kind == KEY_LAYER)
		stats_builder_layer_value(r->b, epoch, m->layer,
					  (enum layer_stat)m->stat, v);
}

/* Record the first error only: later ones are consequences of it. */
static int fail(struct sreader *r, const char *fmt, ...)
{
	if (!r->failed) {
		char msg[sizeof(r->err->msg)];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		r->failed = 1;
		read_error_set(r->err, r->line, "%s", msg);
	}
	return -1;
}

/* An epoch must be a whole number >= 0 (3.0 is 3: pandas writes floats). */
static int check_epoch(struct sreader *r, double v, const char *text, size_t *epoch)
{
	if (!isfinite(v) || v < 0 || v != floor(v))
		return fail(r, "epoch must be a non-negative integer, found '%s'", text);
	if (v > STATS_MAX_EPOCH)
		return fail(r, "epoch %s is beyond the largest supported (%d)", text,
			    STATS_MAX_EPOCH);
	*epoch = (size_t)v;
	if (*epoch >= r->n_epochs)
		r->n_epochs = *epoch + 1;
	return check_size(r);
}

/* ---- JSON Lines ---- */

static int is_delim(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == ':' || c == '[' ||
	       c == ']' || c == '{' || c == '}' || c == '\r' || c == '\n';
}

static int word_at(const char *s, size_t i, size_t len, const char *w, size_t wlen)
{
	return i + wlen <= len && memcmp(s + i, w, wlen) == 0 &&
	       (i + wlen == len || is_delim(s[i + wlen])) &&
	       (i == 0 || is_delim(s[i - 1]));
}

static void mark(char *s, char c, size_t width)
{
	s[0] = '"';
	s[1] = c;
	s[2] = '"';
	memset(s + 3, ' ', width - 3);
}

static void rewrite_nonfinite(char *s, size_t len)
{
	int in_str = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == 'N' && word_at(s, i, len, "NaN", 3)) {
			mark(s + i, MARK_NAN, 3);
			i += 2;
		} else if (c == 'I' && word_at(s, i, len, "Infinity", 8)) {
			mark(s + i, MARK_INF, 8);
			i += 7;
		} else if (c == '-' && word_at(s, i, len, "-Infinity", 9)) {
			mark(s + i, MARK_NEG_INF, 9);
			i += 8;
		}
	}
}

/* 0 with *v set; 1 when missing (null); -1 when not a number. */
static int json_number(const cJSON *item, double *v)
{
	if (cJSON_IsNumber(item)) {
		*v = item->valuedouble;
		return 0;
	}
	if (cJSON_IsNull(item))
		return 1;
	if (cJSON_IsString(item) && item->valuestring[0] && !item->valuestring[1]) {
		switch (item->valuestring[0]) {
		case MARK_NAN: *v = NAN; return 0;
		case MARK_INF: *v = INFINITY; return 0;
		case MARK_NEG_INF: *v = -INFINITY; return 0;
		default: break;
		}
	}
	return -1;
}

static void json_text(const cJSON *item, char *buf, size_t len)
{
	double v;
	if (json_number(item, &v) == 0 && !isfinite(v)) {
		snprintf(buf, len, "%s", isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	char *p = cJSON_PrintUnformatted(item);
	snprintf(buf, len, "%s", p ? p : "?");
	free(p);
}

static const struct key_map *json_key(struct sreader *r, size_t pos, const char *key)
{
	if (pos >= r->n_cache) {
		r->cache = xreallocarray(r->cache, pos + 1, sizeof(*r->cache));
		for (size_t i = r->n_cache; i <= pos; i++)
			r->cache[i].key = NULL;
		r->n_cache = pos + 1;
	}
	struct key_map *m = &r->cache[pos];
	if (!m->key || strcmp(m->key, key) != 0) {
		free(m->key);
		m->key = xstrdup(key);
		classify(r, key, m);
	}
	return m;
}

/*
 * The epoch (or batch) key twice in one record ({"epoch": 1, "epoch": 2}):
 * which one is meant cannot be told, and taking the first was silent.
 */
static const char *duplicate_key(const cJSON *obj)
{
	int epochs = 0, batches = 0;
	for (const cJSON *it = obj->child; it; it = it->next) {
		if (!it->string)
			continue;
		if (strcmp(it->string, "epoch") == 0 && epochs++)
			return it->string;
		if (strcmp(it->string, "batch") == 0 && batches++)
			return it->string;
	}
	return NULL;
}

/*
 * The common record, read with the pull tokenizer (read/jsontok.h) in
 * place: no tree, no rewriting of NaN. Anything it does not take as plainly
 * valid (a syntax error, a missing or odd epoch, a value that is no number,
 * a repeated epoch or batch key, a bare NaN not between delimiters as
 * rewrite_nonfinite wants it) goes to json_line, which gives the message.
 * Returns 1 when it did not decide.
 */
static int json_line_fast(struct sreader *r, const char *s, size_t len)
{
	struct jtok t;
	struct jt_token k, v;
	jt_init(&t, s, len);
	if (jt_next(&t, &k) != JT_OBJ_BEGIN)
		return 1;
	size_t used = 0, epoch_at = (size_t)-1;
	int epochs = 0, batches = 0;
	r->n_fm = 0;
	for (;;) {
		if (jt_next(&t, &k) == JT_OBJ_END)
			break;
		if (k.kind != JT_KEY || jt_next(&t, &v) == JT_ERROR)
			return 1;
		if (used + k.len + 1 > r->names_cap) {
			r->names_cap = 2 * (used + k.len + 1) + 256;
			r->names = xrealloc(r->names, r->names_cap);
		}
		char *name = r->names + used;
		jt_decode(&k, name);
		xgrow(&r->fm, &r->cap_fm, r->n_fm + 1, sizeof(*r->fm));
		struct fast_member *m = &r->fm[r->n_fm++];
		m->name = used;
		used += strlen(name) + 1;
		if (strcmp(name, "epoch") == 0 && epochs++ == 0)
			epoch_at = r->n_fm - 1;
		if (strcmp(name, "batch") == 0 && batches++)
			return 1;
		if (epochs > 1)
			return 1;
		if (v.kind == JT_NUMBER) {
			if (v.special && !(v.off > 0 && is_delim(s[v.off - 1]) &&
					   (t.p >= s + len || is_delim(*t.p))))
				return 1;
			m->kind = 0;
			m->v = v.num;
		} else if (v.kind == JT_NULL) {
			m->kind = 1;
		} else {
			m->kind = 2;
			if (jt_skip(&t, &v))
				return 1;
		}
	}
	if (jt_next(&t, &k) != JT_EOF || epoch_at == (size_t)-1)
		return 1;
	double ev = r->fm[epoch_at].v;
	if (r->fm[epoch_at].kind != 0 || !isfinite(ev) || ev < 0 || ev != floor(ev) ||
	    ev > STATS_MAX_EPOCH)
		return 1;
	for (size_t i = 0; i < r->n_fm; i++)
		if (r->fm[i].kind == 2)
			return 1;
	size_t epoch;
	if (check_epoch(r, ev, "", &epoch) < 0)
		return -1;
	stats_builder_record(r->b, epoch);
	for (size_t i = 0; i < r->n_fm; i++) {
		const struct key_map *m = json_key(r, i, r->names + r->fm[i].name);
		if (r->failed)
			return -1;
		if (m->kind == KEY_IGNORE || m->kind == KEY_EPOCH || r->fm[i].kind)
			continue;
		add_value(r, m, epoch, r->fm[i].v);
	}
	return r->failed ? -1 : 0;
}

static int json_line(struct sreader *r, char *s, size_t len)
{
	int fast = json_line_fast(r, s, len);
	if (fast <= 0)
		return fast;
	rewrite_nonfinite(s, len);
	const char *end = NULL;
	cJSON *obj = cJSON_ParseWithLengthOpts(s, len, &end, 0);
	if (!obj) {
		const char *at = cJSON_GetErrorPtr();
		return fail(r, "invalid JSON at column %ld",
			    at && at >= s && at <= s + len ? (long)(at - s) + 1 : 1L);
	}
	int rc = 0;
	char text[64];
	for (const char *p = end; p && p < s + len; p++)
		if (!strchr(" \t\r\n", *p)) {
			rc = fail(r, "invalid JSON at column %ld: text after the record",
				  (long)(p - s) + 1);
			goto out;
		}
	if (!cJSON_IsObject(obj)) {
		rc = fail(r, "expected a JSON object");
		goto out;
	}
	const char *dup = duplicate_key(obj);
	if (dup) {
		rc = fail(r, "key '%s' appears twice in the record", dup);
		goto out;
	}
	const cJSON *ep = cJSON_GetObjectItemCaseSensitive(obj, "epoch");
	double v;
	int got = ep ? json_number(ep, &v) : 1;
	if (got == 1) {
		rc = fail(r, "record has no epoch");
		goto out;
	}
	size_t epoch;
	if (got < 0) {
		json_text(ep, text, sizeof(text));
		rc = fail(r, "epoch must be a non-negative integer, found '%s'", text);
		goto out;
	}
	json_text(ep, text, sizeof(text));
	if (check_epoch(r, v, text, &epoch) < 0) {
		rc = -1;
		goto out;
	}
	stats_builder_record(r->b, epoch);
	size_t pos = 0;
	for (const cJSON *it = obj->child; it; it = it->next, pos++) {
		if (!it->string)
			continue;
		const struct key_map *m = json_key(r, pos, it->string);
		if (r->failed) {
			rc = -1;
			goto out;
		}
		if (m->kind == KEY_IGNORE || m->kind == KEY_EPOCH)
			continue;
		got = json_number(it, &v);
		if (got < 0) {
			json_text(it, text, sizeof(text));
			rc = fail(r, "'%s' is not a number: %s", it->string, text);
			goto out;
		}
		if (got == 0)
			add_value(r, m, epoch, v);
	}
out:
	cJSON_Delete(obj);
	return rc;
}

/* ---- CSV ---- */

static void csv_field(void *data, size_t len, void *ctx)
{
	struct sreader *r = ctx;
	const char *s = data ? data : "";
	size_t i = r->field++;
	if (r->failed)
		return;
	if (!r->have_header) {
		r->col = xreallocarray(r->col, r->n_col + 1, sizeof(*r->col));
		struct key_map *m = &r->col[r->n_col++];
		m->key = xstrndup(s, len);
		classify(r, m->key, m);
		if (m->kind == KEY_EPOCH && r->epoch_col < 0)
			r->epoch_col = (int)i;
		return;
	}
	if (i >= r->n_col || r->col[i].kind == KEY_IGNORE)
		return;
	r->present[i] = 0;
	if (is_missing_marker(s, len))
		return;
	if (parse_number(s, len, &r->val[i]) != 0) {
		if (r->bad_col < 0) {
			r->bad_col = (long)i;
			strbuf_reset(&r->bad_text);
			strbuf_add(&r->bad_text, s, len > 40 ? 40 : len);
		}
		return;
	}
	r->present[i] = 1;
}

static void csv_row(int term, void *ctx)
{
	struct sreader *r = ctx;
	(void)term;
	size_t n = r->field;
	r->field = 0;
	if (r->failed)
		return;
	if (!r->have_header) {
		r->have_header = 1;
		r->header_line = r->line;
		if (r->epoch_col < 0) {
			fail(r, "no epoch column in the header");
			return;
		}
		if (check_size(r) < 0)
			return;
		r->val = xcalloc(r->n_col ? r->n_col : 1, sizeof(*r->val));
		r->present = xcalloc(r->n_col ? r->n_col : 1, 1);
		return;
	}
	if (n != r->n_col) {
		fail(r, "expected %zu fields, found %zu", r->n_col, n);
		return;
	}
	if (r->bad_col >= 0) {
		const char *col = r->col[r->bad_col].key;
		if (r->bad_col == r->epoch_col)
			fail(r, "epoch must be a non-negative integer, found '%s'",
			     strbuf_str(&r->bad_text));
		else
			fail(r, "'%s' is not a number: '%s'", col, strbuf_str(&r->bad_text));
		return;
	}
	size_t ec = (size_t)r->epoch_col;
	if (!r->present[ec]) {
		fail(r, "record has no epoch");
		return;
	}
	char text[64];
	snprintf(text, sizeof(text), "%.17g", r->val[ec]);
	size_t epoch;
	if (check_epoch(r, r->val[ec], text, &epoch) < 0)
		return;
	stats_builder_record(r->b, epoch);
	for (size_t i = 0; i < n; i++)
		if (r->present[i])
			add_value(r, &r->col[i], epoch, r->val[i]);
}

static int csv_line(struct sreader *r, const char *s, size_t len)
{
	if (csv_parse(&r->csv, s, len, csv_field, csv_row, r) != len)
		return fail(r, "malformed CSV: %s", csv_strerror(csv_error(&r->csv)));
	return r->failed ? -1 : 0;
}

/* ---- lines ---- */

static int check_binary(struct sreader *r, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f') {
			return fail(r, "binary data (byte 0x%02x at column %zu)", c, i + 1);
		}
	}
	return 0;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f", s[i]))
			return 0;
	return 1;
}

/* UTF-16 starts with a BOM (FF FE, FE FF) or, without one, a NUL in its
 * first two bytes. */
static int is_utf16(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	return len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
			     u[0] == 0 || u[1] == 0);
}

/* One line, with its '\n' when it had one. */
static int one_line(struct sreader *r, int jsonl, char *s, size_t len)
{
	r->line++;
	if (r->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		len -= 3;
	}
	if (r->line == 1 && is_utf16(s, len))
		return fail(r, "UTF-16 text; save the batch statistics as UTF-8");
	if (check_binary(r, s, len) < 0)
		return -1;
	if (jsonl < 0)		/* blank lines before the first record */
		return 0;
	if (jsonl)
		return is_blank(s, len) ? 0 : json_line(r, s, len);
	return csv_line(r, s, len);
}

static void sreader_release(struct sreader *r)
{
	free(r->fm);
	free(r->names);
	for (size_t i = 0; i < r->n_cache; i++)
		free(r->cache[i].key);
	free(r->cache);
	for (size_t i = 0; i < r->n_col; i++)
		free(r->col[i].key);
	free(r->col);
	free(r->val);
	free(r->present);
	strbuf_release(&r->bad_text);
	csv_free(&r->csv);
	stats_builder_free(r->b);
}

/* The format from the first non-blank byte of the file: -1 while unknown. */
static int sniff(const char *s, size_t len, int at_start)
{
	size_t i = 0;
	if (at_start && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++)
		if (!strchr(" \t\r\n\f", s[i]))
			return s[i] == '{';
	return -1;
}

int stats_read(const char *path, struct stats **out, struct read_error *err)
{
	FILE *f = open_regular(path, err);
	if (!f)
		return -1;
	struct sreader r;
	memset(&r, 0, sizeof(r));
	r.err = err;
	r.epoch_col = -1;
	r.bad_col = -1;
	strbuf_init(&r.bad_text);
	csv_init(&r.csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	int jsonl = -1;
	int at_start = 1;
	char *buf = xmalloc(CHUNK_BYTES);
	struct strbuf part = STRBUF_INIT;	/* a line cut by the chunk's end */
	size_t n;
	while (!r.failed && (n = fread(buf, 1, CHUNK_BYTES, f)) > 0) {
		if (jsonl < 0) {
			jsonl = sniff(buf, n, at_start);
			at_start = 0;
			if (jsonl >= 0)
				r.b = stats_builder_new(jsonl ? "stats-jsonl" : "stats-csv");
		}
		size_t start = 0;
		for (size_t i = 0; i < n && !r.failed; i++) {
			if (buf[i] != '\n')
				continue;
			if (part.len) {
				strbuf_add(&part, buf + start, i + 1 - start);
				one_line(&r, jsonl, part.buf, part.len);
				strbuf_reset(&part);
			} else {
				one_line(&r, jsonl, buf + start, i + 1 - start);
			}
			start = i + 1;
		}
		if (r.failed)
			break;
		strbuf_add(&part, buf + start, n - start);
		if (part.len > LINE_MAX_BYTES) {
			r.line++;
			fail(&r, "a line longer than %zu bytes", LINE_MAX_BYTES);
		}
	}
	if (!r.failed && ferror(f)) {
		read_error_set(err, 0, "%s", strerror(errno));
		r.failed = 1;
	}
	if (!r.failed && part.len && jsonl >= 0)
		one_line(&r, jsonl, part.buf, part.len);
	if (!r.failed && jsonl == 0 &&
	    csv_fini(&r.csv, csv_field, csv_row, &r) != 0)
		fail(&r, "malformed CSV: unterminated quoted field");
	if (!r.failed && jsonl < 0) {
		read_error_set(err, 0, "the file is empty");
		r.failed = 1;
	}
	if (!r.failed && jsonl == 0 && !r.have_header) {
		read_error_set(err, 0, "the file is empty");
		r.failed = 1;
	}
	strbuf_release(&part);
	free(buf);
	if (f != stdin)
		fclose(f);
	if (!r.failed)
		*out = stats_builder_finish(r.b);
	sreader_release(&r);
	return r.failed ? -1 : 0;
}
