/*
 * The JSON reader: its tokenizer (read/jsontok.h) token by token, and a
 * differential test: every JSON file under testdata/ and the shared corpus
 * read now gives the runs (or the error) that the cJSON-tree reader gave,
 * as recorded in tests/json-expect.tsv (one line per file: a 64-bit hash of
 * a dump of every field of every run, and a short summary a person can
 * read). JSON_EXPECT_UPDATE=FILE writes the table from this build instead.
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/run.h"
#include "read/jsontok.h"
#include "read/reader.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "testutil.h"

#define EXPECT_FILE "tests/json-expect.tsv"

/* ---- dumping runs ---- */

static void dump_doubles(struct strbuf *sb, const char *what, const double *v, size_t n)
{
	strbuf_addf(sb, "%s:", what);
	if (!v) {
		strbuf_adds(sb, " none\n");
		return;
	}
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, " %a", v[i]);
	strbuf_addc(sb, '\n');
}

static void dump_run(struct strbuf *sb, const struct run *run, int depth)
{
	strbuf_addf(sb, "run %d: path=%s label=%s format=%s segment=%zu axis=%d fw=%d "
		    "points=%zu header=%ld series=%zu\n", depth, run->path, run->label,
		    run->format, run->segment, (int)run->axis, (int)run->framework,
		    run->n_epochs, run->header_line, run->n_series);
	for (int r = 0; r < ROLE_COUNT; r++)
		strbuf_addf(sb, "role %d = %d\n", r, run->role[r]);
	strbuf_adds(sb, "line:");
	for (size_t i = 0; i < run->n_epochs; i++)
		strbuf_addf(sb, " %ld", (long)run->line[i]);
	strbuf_addc(sb, '\n');
	dump_doubles(sb, "at_step", run->at_step, run->n_epochs);
	dump_doubles(sb, "at_epoch", run->at_epoch, run->n_epochs);
	for (size_t s = 0; s < run->n_series; s++) {
		const struct series *se = &run->series[s];
		strbuf_addf(sb, "series '%s' kind=%d split=%d:", se->name, se->kind, se->split);
		for (size_t i = 0; i < run->n_epochs; i++) {
			if (run_is_missing(se, i))
				strbuf_adds(sb, " -");
			else
				strbuf_addf(sb, " %a", se->v[i]);
		}
		strbuf_addc(sb, '\n');
	}
	for (size_t i = 0; i < run->n_notes; i++)
		strbuf_addf(sb, "note: %s\n", run->notes[i]);
	if (run->steps)
		dump_run(sb, run->steps, depth + 1);
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int slurp(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, n);
	fclose(f);
	if (!sb.buf)
		strbuf_adds(&sb, "");
	*buf = sb.buf;
	*len = sb.len;
	return 0;
}

/* One line of the table for a file: name, hash, summary. */
static void describe_file(const char *path, const char *name, struct strbuf *line)
{
	struct run_list runs;
	struct read_error err;
	memset(&runs, 0, sizeof(runs));
	memset(&err, 0, sizeof(err));
	struct strbuf dump = STRBUF_INIT;
	int rc = history_read(path, &runs, &err);
	char *buf = NULL;
	size_t len = 0;
	int summary = slurp(path, &buf, &len) == 0 && history_is_summary(buf, len);
	free(buf);
	if (rc) {
		strbuf_addf(&dump, "error: %s\n", err.msg);
	} else {
		for (size_t i = 0; i < runs.n; i++)
			dump_run(&dump, runs.v[i], 0);
	}
	strbuf_addf(&dump, "summary=%d\n", summary);
	uint64_t h = fnv1a(dump.buf, dump.len);
	strbuf_addf(line, "%s\t%016llx\t", name, (unsigned long long)h);
	if (rc)
		strbuf_addf(line, "error: %s", err.msg);
	else
		strbuf_addf(line, "%s, %zu run%s, %zu points, %zu steps%s",
			    runs.v[0]->format, runs.n, runs.n == 1 ? "" : "s",
			    runs.v[0]->n_epochs,
			    runs.v[0]->steps ? runs.v[0]->steps->n_epochs : 0,
			    summary ? ", summary" : "");
	strbuf_addc(line, '\n');
	strbuf_release(&dump);
	run_list_release(&runs);
}

struct paths {
	char **v;
	size_t n, cap;
};

static int is_json_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
	       (n > 6 && strcmp(name + n - 6, ".jsonl") == 0);
}

static void collect(const char *dir, struct paths *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			collect(p, out);
			free(p);
		} else if (S_ISREG(st.st_mode) && is_json_name(e->d_name)) {
			xgrow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pairs of trainer states: history_hf_prefix over each, hashed. */
static void describe_prefixes(const struct paths *p, struct strbuf *out)
{
	struct strbuf all = STRBUF_INIT;
	size_t n_hf = 0;
	char **bufs = xcalloc(p->n, sizeof(*bufs));
	size_t *lens = xcalloc(p->n, sizeof(*lens));
	for (size_t i = 0; i < p->n; i++)
		if (strstr(p->v[i], "trainer_state") && slurp(p->v[i], &bufs[i], &lens[i]) == 0)
			n_hf++;
	for (size_t i = 0; i < p->n; i++)
		for (size_t k = 0; k < p->n; k++)
			if (bufs[i] && bufs[k]) {
				int rc = history_hf_prefix(bufs[i], lens[i], bufs[k], lens[k]);
				strbuf_addf(&all, "%d", rc);
				if (rc && i != k)
					strbuf_addf(out, "#prefix %d\t%s\t%s\n", rc, p->v[i], p->v[k]);
			}
	strbuf_addf(out, "#prefixes of %zu trainer states\t%016llx\n", n_hf,
		    (unsigned long long)fnv1a(all.buf ? all.buf : "", all.len));
	for (size_t i = 0; i < p->n; i++)
		free(bufs[i]);
	free(bufs);
	free(lens);
	strbuf_release(&all);
}


/* Inline documents: shapes, errors and oddities the files do not all cover. */
static const char *const inline_cases[] = {
	"{\"loss\": [1, 2, 3], \"val_loss\": [3, 2, 1]}",
	"{\"loss\": [1, NaN, Infinity, -Infinity, null], \"acc\": [0.1, 0.2, 0.3, 0.4, 0.5]}",
	"{\"loss\": [1, 2, 3, 4, 5, 6], \"val_loss\": [1, 2], \"val_acc\": [3, 4]}",
	"{\"loss\": [1, 2, 3, 4, 5, 6], \"val_loss\": [1, 2], \"val_acc\": [3, 4, 5]}",
	"{\"loss\": [1, 2, 3, 4, 5, 6], \"val_loss\": [1, 2, 3, 4]}",
	"{\"val_loss\": [1, 2], \"loss\": [1, 2, 3, 4, 5, 6], \"lr\": 0.1}",
	"{\"loss\": [1, 2, 3], \"loss\": [4, 5, 6]}",
	"{\"loss\": [1, \"x\", 3], \"val_loss\": [1]}",
	"{\"loss\": [1, \"x\", 3], \"val_loss\": [1, 2, 3]}",
	"{\"loss\": [1, \"2\", \"NaN\", \"null\", \" 4 \"]}",
	"{\"loss\": [1, [2], 3]}",
	"{\"loss\": [1, {\"a\": 2}, 3]}",
	"{\"loss\": [1, true, 3]}",
	"{\"epoch\": [0, 1, 2], \"loss\": [1, 2, 3]}",
	"{\"epochs\": [0, 1, 2], \"metrics\": {\"loss\": [1, 2, 3]}}",
	"{\"metrics\": {\"loss\": [1, 2]}, \"epochs\": [0, 1, 2]}",
	"{\"0\": {\"loss\": [1, 2, 3], \"val_loss\": [2, 3, 4]}}",
	"{\"fold\": {\"loss\": [1, 2, 3]}, \"x\": 1}",
	"{\"loss\": {\"0\": 1.5, \"1\": 1.2}, \"acc\": {\"0\": 0.5, \"1\": 0.6, \"2\": 0.7}}",
	"{\"loss\": {\"0\": 1.5, \"1\": \"x\"}}",
	"{\"loss\": {}, \"acc\": {}}",
	"{\"loss\": [1, 2], \"config\": {\"lr\": 0.1}, \"name\": \"x\"}",
	"{\"eval_loss\": 0.5, \"train_runtime\": 10}",
	"{\"_wandb\": {\"runtime\": 5}, \"loss\": 0.3, \"img\": {\"_type\": \"image\"}}",
	"{\"loss\": 0.3, \"acc\": 0.9}",
	"[{\"epoch\": 0, \"loss\": 1}, {\"epoch\": 1, \"loss\": 0.5, \"acc\": 0.2}]",
	"[{\"loss\": 1}, {\"loss\": NaN}, {\"loss\": \"-Infinity\"}]",
	"[{\"epoch\": 2, \"loss\": 1}, {\"epoch\": 1, \"loss\": 0.5}]",
	"[{\"loss\": 1}, 5]",
	"[{\"loss\": [1]}]",
	"[{\"loss\": 1, \"loss\": 2}]",
	"[]",
	"[1, 2, 3]",
	"[null, 2]",
	"[\"a\", \"b\"]",
	"[[1, 2]]",
	"[true]",
	"\"{'loss': [1.0, nan, inf], 'acc': (0.1, 0.2, 0.3)}\"",
	"\"{'loss': [np.float64(1.0), np.float64(0.5)], 'name': 'it\\\\'s', 'x': None}\"",
	"\"just a string\"",
	"{\"loss\": [1, 2, 3], \"val_loss\": [1, 2",
	"{\"loss\": [1, 2, 3], \"val_loss\": [1, 2, \"x\"",
	"{\"loss\": [1, 2, 3], \"val_",
	"{\"loss\": [1, 2, 3], \"val_loss\"",
	"{\"loss\": [1, 2, 3]",
	"{\"loss\": [1, 2, 3],",
	"{\"loss\": [1, 2",
	"[{\"loss\": 1}, {\"loss\": 2}, {\"loss\": 3",
	"[{\"loss\": 1}, {\"loss\": 2}, 5, {\"loss\": 3",
	"[1, 2",
	"{\"a\": 1, \"loss\": [1, 2",
	"{\"loss\": [1, 2 3]}",
	"{\"loss\": [1, 2,, 3]}",
	"{\"loss\": [1, 2],}",
	"{\"loss\" [1, 2]}",
	"{loss: [1, 2]}",
	"{\"loss\": [1, nan]}",
	"{\"loss\": [1, -nan]}",
	"{\"loss\": [1, +1]}",
	"{\"loss\": [1, .5]}",
	"{\"loss\": [01, 1., -.5, 1.e3, -0, 1E+2, 1e-400, 1e400, -1e400]}",
	"{\"loss\": [1e, 2]}",
	"{\"loss\": [1.2.3]}",
	"{\"loss\": [-]}",
	"{\"loss\": [0x10]}",
	"{\"loss\": [123456789012345678901234567890123456789012345678901234567890123456789.5]}",
	"{\"loss\": [0.1234567890123456789012345678901234567890123456789012345678901234567890]}",
	"{\"loss\": [1, 2]}\n\nx",
	"{\"loss\": [1, 2]}\n{\"loss\": [3]}",
	"{\"loss\": [1, 2]} ",
	"{\"l\\u00f6ss\": [1, 2], \"a\\\"b\": [3, 4], \"t\\ta\\/b\": [5, 6]}",
	"{\"\\ud83d\\ude00\": [1, 2]}",
	"{\"\\ud83d\": [1, 2]}",
	"{\"\\ude00x\": [1, 2]}",
	"{\"\\u0041\\u00e9\\u4e2d\": [1, 2]}",
	"{\"a\\qb\": [1, 2]}",
	"{\"a\\u12\": [1, 2]}",
	"{\"loss\": [1, 2], \"x\": \"unterminated",
	"{\"lo\nss\": [1, 2]}",
	"{\"loss\": [1, 2], \"x\": tru}",
	"{\"loss\": [1, 2], \"x\": True}",
	"{\"loss\": [1, 2], \"x\": Infinity, \"y\": -Infinity, \"z\": NaN}",
	"{\"loss\": [\"NaN\", \"Infinity\", \"nan\", \"inf\", \"-inf\"]}",
	"{\"log_history\": []}",
	"{\"log_history\": {}}",
	"{\"log_history\": [5]}",
	"{\"log_history\": [{\"loss\": 1, \"step\": 1, \"epoch\": 0.5}, {\"loss\": 0.5, \"step\": 2, \"epoch\": 1.0}]}",
	"{\"loss\": [1, 2], \"log_history\": [{\"loss\": 1, \"step\": 1, \"epoch\": 0.5}], \"max_steps\": 3}",
	"{\"log_history\": [{\"loss\": 1, \"step\": 1, \"epoch\": 0.5}], \"log_history\": 5}",
	"{\"log_history\": [{\"loss\": \"x\", \"step\": 1, \"epoch\": 0.5}]}",
	"{\"log_history\": [{\"loss\": [1], \"step\": 1, \"epoch\": 0.5}]}",
	"{\"log_history\": [{\"eval_loss\": 1, \"step\": 0, \"epoch\": 0}, {\"loss\": 2, \"step\": 1, \"epoch\": 0.5, \"grad_norm\": NaN}, {\"loss\": 1.5, \"step\": 2, \"epoch\": 1.0, \"grad_norm\": Infinity, \"learning_rate\": 0.1}, {\"eval_loss\": 1.2, \"eval_acc\": 0.5, \"step\": 2, \"epoch\": 1.0}, {\"eval_loss\": 1.3, \"step\": 2, \"epoch\": 1.0}, {\"loss\": 1.1, \"step\": 3, \"epoch\": 1.5}, {\"train_runtime\": 3, \"train_loss\": 1.0, \"step\": 3, \"epoch\": 1.5}, {\"test_loss\": 1, \"step\": 3}]}",
	"{\"log_history\": [{\"loss\": 1, \"step\": 1, \"epoch\": 0.5}, {\"loss\": 0.8, \"step\": 2, \"epoch\": 1.0}, {\"eval_loss\": 0.7, \"step\": 2, \"epoch\": 1.0}, {\"loss\": 0.6, \"step\": 3, \"epoch\": 1.5}, {\"loss\": 0.5, \"step\": 4, \"epoch\": 2.0}]}",
	"{\"log_history\": [{\"loss\": 1, \"step\": 1}, {\"loss\": 0.8, \"epoch\": \"1\"}, {\"total_flos\": 5}, {\"total_flos\": 5, \"loss\": 1, \"epoch\": 2}]}",
	"{\n  \"log_history\": [\n    {\n      \"loss\": 1,\n      \"step\": 1,\n      \"epoch\": 1\n    },\n    {\n      \"loss\": \"bad\",\n      \"step\": 2\n    }\n  ]\n}",
	"{\n  \"log_history\": [\n    {\"loss\": 1, \"step\": 1, \"epoch\": 1},\n    {\"eval_loss\": 2, \"step\": 1, \"epoch\": 1},\n    {\"loss\": 0.5, \"step\": 2, \"epoch\": 2}\n  ],\n  \"max_steps\": 2\n}",
	"{\"log_history\": [{\"loss\": 1, \"step\": 1, \"epoch\": 0.5}, {\"loss\": 2, \"step\": 2, \"epoch\": 1",
	"{\"0\": {\"log_history\": [{\"loss\": 1, \"step\": 1, \"epoch\": 1}]}}",
	"{\"loss\": [1, 2, 3], \"val_loss\": [1, 2, 3], \"lr\": [0.1]}",
	"{\"loss\": [], \"val_loss\": []}",
	"{\"loss\": [null, null]}",
	"{}",
	"{\"a\": {\"b\": {\"c\": [1]}}}",
	"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
	"  \n\t{\"loss\": [1,\n2,\r\n3]}\r\n",
	"{\"loss\": [1, 2]}\n{\"loss\": [3, 4]}\n",
	"{\"epoch\": 0, \"loss\": 1.0}\n{\"epoch\": 1, \"loss\": 0.5}\n",
	/* JSON Lines (read since the streaming reader; before, errors). */
	"{\"epoch\": 0, \"loss\": 1.0}\r\n\r\n{\"epoch\": 1, \"loss\": NaN, \"acc\": \"0.5\"}\r\n",
	"{\"epoch\": 0, \"loss\": 1.0}\n{\"epoch\": 1, \"loss\": 0.5}\n{\"epoch\": 2, \"lo",
	"{\"epoch\": 0, \"loss\": 1.0}\n{\"epoch\": 1, \"loss\": 0.5}\n{\"epoch\": 2, \"loss\" 1}\n{\"epoch\": 3}",
	"{\"epoch\": 0, \"loss\": 1.0}\n{\"epoch\": 1, \"loss\": [0.5]}\n",
	"{\"epoch\": 0, \"loss\": 1.0}\n{\"epoch\": 0, \"loss\": 0.5}\n",
	"{\"epoch\": 0, \"loss\": 1.0}\n[1]\n",
	"{\"epoch\": 0, \"loss\": 1.0} {\"epoch\": 1, \"loss\": 0.5}\n",
	"{\"loss\": 1.0, \"cfg\": {\"a\": 1}}\n{\"loss\": 0.5}\n",
	"{\"step\": 1, \"loss\": 1.0}\n{\"step\": 2, \"loss\": 0.5}\n{\"step\": 3, \"loss\": 0.25, \"eval_loss\": 0.7}\n",
};

static void describe_inline(struct strbuf *out)
{
	for (size_t i = 0; i < sizeof(inline_cases) / sizeof(inline_cases[0]); i++) {
		struct run_list runs;
		struct read_error err;
		memset(&runs, 0, sizeof(runs));
		memset(&err, 0, sizeof(err));
		struct strbuf dump = STRBUF_INIT;
		const char *t = inline_cases[i];
		int rc = history_read_buffer("t", t, strlen(t), &runs, &err);
		if (rc)
			strbuf_addf(&dump, "error: %s\n", err.msg);
		else
			for (size_t r = 0; r < runs.n; r++)
				dump_run(&dump, runs.v[r], 0);
		strbuf_addf(&dump, "summary=%d\n", history_is_summary(t, strlen(t)));
		strbuf_addf(out, "inline %zu\t%016llx\t", i + 1,
			    (unsigned long long)fnv1a(dump.buf, dump.len));
		if (rc)
			strbuf_addf(out, "error: %s", err.msg);
		else
			strbuf_addf(out, "%s, %zu run%s, %zu points, %zu steps", runs.v[0]->format,
				    runs.n, runs.n == 1 ? "" : "s", runs.v[0]->n_epochs,
				    runs.v[0]->steps ? runs.v[0]->steps->n_epochs : 0);
		strbuf_addc(out, '\n');
		strbuf_release(&dump);
		run_list_release(&runs);
	}
	/* Prefix pairs among the trainer states above. */
	for (size_t i = 0; i < sizeof(inline_cases) / sizeof(inline_cases[0]); i++)
		for (size_t k = 0; k < sizeof(inline_cases) / sizeof(inline_cases[0]); k++) {
			const char *a = inline_cases[i], *b = inline_cases[k];
			if (!strstr(a, "log_history") || !strstr(b, "log_history"))
				continue;
			int rc = history_hf_prefix(a, strlen(a), b, strlen(b));
			if (rc)
				strbuf_addf(out, "inline prefix %zu %zu\t%d\n", i + 1, k + 1, rc);
		}
}

static void describe_all(struct strbuf *out, int with_corpus)
{
	struct paths p = { NULL, 0, 0 };
	collect("testdata", &p);
	if (with_corpus)
		collect(CORPUS_DIR, &p);
	qsort(p.v, p.n, sizeof(*p.v), cmp_str);
	for (size_t i = 0; i < p.n; i++)
		describe_file(p.v[i], p.v[i], out);
	describe_prefixes(&p, out);
	describe_inline(out);
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i]);
	free(p.v);
}


/* ---- the tokenizer ---- */

static struct jtok tk;
static struct jt_token tok;

static void tk_open(const char *text)
{
	jt_init(&tk, text, strlen(text));
}

static enum jt_kind tk_next(void)
{
	return jt_next(&tk, &tok);
}

static void expect_kind(enum jt_kind k)
{
	enum jt_kind got = tk_next();
	ck_assert_msg(got == k, "token %d, expected %d (err %d at %zu)", got, k, tk.err,
		      tk.err_off);
}

static void expect_num(double v)
{
	expect_kind(JT_NUMBER);
	ck_assert_msg(memcmp(&tok.num, &v, sizeof(v)) == 0 || (isnan(v) && isnan(tok.num)),
		      "number %a, expected %a", tok.num, v);
}

static void expect_str(enum jt_kind k, const char *want)
{
	expect_kind(k);
	char *out = xmalloc(tok.len + 1);
	jt_decode(&tok, out);
	ck_assert_str_eq(out, want);
	free(out);
}

/* The document fails with e at offset off, line line. */
static void expect_fail(const char *text, enum jt_error e, size_t off, long line)
{
	tk_open(text);
	enum jt_kind k;
	while ((k = tk_next()) != JT_ERROR && k != JT_EOF)
		;
	ck_assert_msg(k == JT_ERROR, "'%s' did not fail", text);
	ck_assert_msg(tk.err == e && tk.err_off == off && tk.err_line == line,
		      "'%s': error %d at %zu line %ld, expected %d at %zu line %ld", text,
		      tk.err, tk.err_off, tk.err_line, e, off, line);
	/* An error repeats. */
	ck_assert_int_eq(tk_next(), JT_ERROR);
}

START_TEST(test_tok_kinds)
{
	tk_open(" {\"a\" : [1, -2.5e3, \"s\", true, false, null, {}, []], \"b\": {\"c\": 0}}\n");
	expect_kind(JT_OBJ_BEGIN);
	ck_assert_uint_eq(jt_depth(&tk), 1);
	expect_str(JT_KEY, "a");
	expect_kind(JT_ARR_BEGIN);
	ck_assert_uint_eq(jt_depth(&tk), 2);
	expect_num(1);
	ck_assert_int_eq(tok.special, 0);
	expect_num(-2.5e3);
	expect_str(JT_STRING, "s");
	expect_kind(JT_TRUE);
	expect_kind(JT_FALSE);
	expect_kind(JT_NULL);
	expect_kind(JT_OBJ_BEGIN);
	expect_kind(JT_OBJ_END);
	expect_kind(JT_ARR_BEGIN);
	expect_kind(JT_ARR_END);
	expect_kind(JT_ARR_END);
	expect_str(JT_KEY, "b");
	expect_kind(JT_OBJ_BEGIN);
	ck_assert_int_eq(jt_skip(&tk, &tok), 0);
	expect_kind(JT_OBJ_END);
	ck_assert_uint_eq(jt_depth(&tk), 0);
	expect_kind(JT_EOF);
	expect_kind(JT_EOF);
	/* A bare value is a document too. */
	tk_open("\"x\"");
	expect_str(JT_STRING, "x");
	expect_kind(JT_EOF);
}
END_TEST

START_TEST(test_tok_python_specials)
{
	tk_open("[NaN, Infinity, -Infinity, \"NaN\", -0, 1e400, -1e400, 1e-400]");
	expect_kind(JT_ARR_BEGIN);
	expect_num(NAN);
	ck_assert_int_eq(tok.special, 1);
	expect_num(INFINITY);
	ck_assert_int_eq(tok.special, 1);
	expect_num(-INFINITY);
	ck_assert_int_eq(tok.special, 1);
	expect_str(JT_STRING, "NaN");
	expect_num(-0.0);
	ck_assert(signbit(tok.num));
	expect_num(INFINITY);
	ck_assert_int_eq(tok.special, 0);
	expect_num(-INFINITY);
	expect_num(0);
	expect_kind(JT_ARR_END);
	expect_kind(JT_EOF);
	/* Only these spellings, and only outside strings. */
	expect_fail("[nan]", JT_E_SYNTAX, 1, 1);
	expect_fail("[inf]", JT_E_SYNTAX, 1, 1);
	expect_fail("[-NaN]", JT_E_SYNTAX, 1, 1);
	expect_fail("[NaNx]", JT_E_SYNTAX, 1, 1);
	expect_fail("[-Infinityx]", JT_E_SYNTAX, 1, 1);
	expect_fail("[Infinit]", JT_E_SYNTAX, 1, 1);
	expect_fail("[1 NaN]", JT_E_SYNTAX, 3, 1);
	expect_fail("[tru]", JT_E_SYNTAX, 1, 1);
	expect_fail("[True]", JT_E_SYNTAX, 1, 1);
}
END_TEST

START_TEST(test_tok_escapes)
{
	tk_open("[\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t\", \"\\u00e9\\u4e2d\\uD83D\\uDE00\", "
		"\"a\\u0000b\", \"\\uZZZZx\", \"plain\"]");
	expect_kind(JT_ARR_BEGIN);
	expect_str(JT_STRING, "q\"b\\s/b\bf\fn\nr\rt\t");
	ck_assert_int_eq(tok.escaped, 1);
	expect_str(JT_STRING, "\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");
	/* \u0000 ends the string, as it always did (C strings). */
	expect_str(JT_STRING, "a");
	/* Bad hex digits are U+0000, as cJSON read them. */
	expect_str(JT_STRING, "");
	expect_str(JT_STRING, "plain");
	ck_assert_int_eq(tok.escaped, 0);
	expect_kind(JT_ARR_END);
	/* Lone or broken surrogates, unknown escapes: at the backslash. */
	expect_fail("[\"\\ud83d\"]", JT_E_SYNTAX, 2, 1);
	expect_fail("[\"ab\\ude00\"]", JT_E_SYNTAX, 4, 1);
	expect_fail("[\"\\ud83d\\u0041\"]", JT_E_SYNTAX, 2, 1);
	expect_fail("[\"\\ud83dxxxxxx\"]", JT_E_SYNTAX, 2, 1);
	expect_fail("[\"\\q\"]", JT_E_SYNTAX, 2, 1);
	expect_fail("[\"\\u12\"]", JT_E_SYNTAX, 2, 1);
	/* A raw newline in a string counts as a line. */
	tk_open("[\"a\nb\",\n1]");
	expect_kind(JT_ARR_BEGIN);
	expect_str(JT_STRING, "a\nb");
	expect_num(1);
	ck_assert_int_eq(tok.line, 3);
}
END_TEST

START_TEST(test_tok_depth)
{
	char deep[2 * JT_MAX_DEPTH + 8];
	for (int n = JT_MAX_DEPTH; n <= JT_MAX_DEPTH + 1; n++) {
		memset(deep, '[', (size_t)n);
		memset(deep + n, ']', (size_t)n);
		deep[2 * n] = '\0';
		tk_open(deep);
		enum jt_kind k;
		while ((k = tk_next()) != JT_ERROR && k != JT_EOF)
			;
		if (n == JT_MAX_DEPTH) {
			ck_assert_int_eq(k, JT_EOF);
		} else {
			ck_assert_int_eq(k, JT_ERROR);
			ck_assert_int_eq(tk.err, JT_E_DEPTH);
			ck_assert_uint_eq(tk.err_off, JT_MAX_DEPTH);
		}
	}
}
END_TEST

START_TEST(test_tok_cut_and_syntax)
{
	/* Cut short: at the last byte; an unterminated string one byte in. */
	expect_fail("{\"a\": [1, 2", JT_E_SYNTAX, 10, 1);
	expect_fail("{\n \"loss\": [1, 2,\n", JT_E_SYNTAX, 17, 2);
	expect_fail("{\"a\": \"abc", JT_E_SYNTAX, 7, 1);
	expect_fail("{\"a\"", JT_E_SYNTAX, 3, 1);
	expect_fail("[", JT_E_SYNTAX, 0, 1);
	/* Where cJSON put it: a name that is no string one byte in. */
	expect_fail("{loss: 1}", JT_E_SYNTAX, 2, 1);
	expect_fail("{\"a\": 1,}", JT_E_SYNTAX, 8, 1);
	expect_fail("{\"a\" 1}", JT_E_SYNTAX, 5, 1);
	expect_fail("[1 2]", JT_E_SYNTAX, 3, 1);
	expect_fail("[1,,2]", JT_E_SYNTAX, 3, 1);
	expect_fail("[1}", JT_E_SYNTAX, 2, 1);
	expect_fail("{\"a\": 1]", JT_E_SYNTAX, 7, 1);
	expect_fail("[+1]", JT_E_SYNTAX, 1, 1);
	expect_fail("[.5]", JT_E_SYNTAX, 1, 1);
	expect_fail("[-]", JT_E_SYNTAX, 1, 1);
	expect_fail("[1e]", JT_E_SYNTAX, 2, 1);
	expect_fail("[1.2.3]", JT_E_SYNTAX, 4, 1);
	expect_fail("[0x10]", JT_E_SYNTAX, 2, 1);
	/* After the document: only blanks, and \f is none there. */
	expect_fail("{}\n\nx", JT_E_TRAILING, 4, 3);
	expect_fail("{} \f", JT_E_TRAILING, 3, 1);
	expect_fail("{}{}", JT_E_TRAILING, 2, 1);
	/* Inside, every control byte is a blank, as it was. */
	tk_open("[\f1\v]");
	expect_kind(JT_ARR_BEGIN);
	expect_num(1);
	expect_kind(JT_ARR_END);
	expect_kind(JT_EOF);
	/* A cut document closed by a tail, the buffer untouched. */
	const char *cut = "{\"a\": [1, 2], \"b\": [3";
	jt_init(&tk, cut, 12);
	jt_set_tail(&tk, "}");
	expect_kind(JT_OBJ_BEGIN);
	expect_str(JT_KEY, "a");
	expect_kind(JT_ARR_BEGIN);
	expect_num(1);
	expect_num(2);
	expect_kind(JT_ARR_END);
	expect_kind(JT_OBJ_END);
	expect_kind(JT_EOF);
}
END_TEST

START_TEST(test_tok_lenient_numbers)
{
	tk_open("[01, 1., -.5, 1.e3, 1E+2, 00.5]");
	expect_kind(JT_ARR_BEGIN);
	expect_num(1);
	expect_num(1);
	expect_num(-0.5);
	expect_num(1000);
	expect_num(100);
	expect_num(0.5);
	expect_kind(JT_ARR_END);
}
END_TEST

/* Numbers of every length, bit for bit what strtod gives. */
START_TEST(test_tok_numbers_exact)
{
	static const char *const cases[] = {
		"0.40837979316711426", "1e-05", "0.00020000001", "9007199254740993",
		"123456789012345678901234567890123456789012345678901234567890123456789.5",
		"0.1234567890123456789012345678901234567890123456789012345678901234567890",
		"2.2250738585072011e-308", "4.9406564584124654e-324", "1.7976931348623157e308",
		"1.7976931348623159e308", "-0.0", "0.000000000000000000000000000000000000001e39",
		"100000000000000000000000000000000000000000000000000000000000000000000000000001",
		"7.2057594037927933e16", "9.999999999999999e22", "8.98846567431158e307",
	};
	struct strbuf doc = STRBUF_INIT;
	strbuf_addc(&doc, '[');
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		strbuf_addf(&doc, "%s%s", i ? ", " : "", cases[i]);
	/* And random ones, as Python's repr and %g write them. */
	srand(13);
	char b[64];
	struct strbuf all = STRBUF_INIT;
	for (int i = 0; i < 100000; i++) {
		double x = ldexp((double)rand() / RAND_MAX, rand() % 200 - 100);
		snprintf(b, sizeof(b), i % 3 ? "%.17g" : i % 2 ? "%.6g" : "%.9e", x);
		strbuf_addf(&doc, ", %s", b);
		strbuf_addf(&all, "%s\n", b);
	}
	strbuf_addc(&doc, ']');
	tk_open(doc.buf);
	expect_kind(JT_ARR_BEGIN);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_num(strtod(cases[i], NULL));
	for (char *line = all.buf; *line;) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		expect_num(strtod(line, NULL));
		line = nl + 1;
	}
	expect_kind(JT_ARR_END);
	expect_kind(JT_EOF);
	strbuf_release(&doc);
	strbuf_release(&all);
}
END_TEST

START_TEST(test_tok_lines)
{
	tk_open("{\n  \"a\": [\n    1,\n    2\n  ]\n}\n");
	expect_kind(JT_OBJ_BEGIN);
	ck_assert_int_eq(tok.line, 1);
	expect_kind(JT_KEY);
	ck_assert_int_eq(tok.line, 2);
	ck_assert_uint_eq(tok.off, 4);
	expect_kind(JT_ARR_BEGIN);
	expect_num(1);
	ck_assert_int_eq(tok.line, 3);
	expect_num(2);
	ck_assert_int_eq(tok.line, 4);
	expect_kind(JT_ARR_END);
	ck_assert_int_eq(tok.line, 5);
	expect_kind(JT_OBJ_END);
	expect_kind(JT_EOF);
}
END_TEST

START_TEST(test_differential)
{
	int corpus = corpus_present();
	struct strbuf got = STRBUF_INIT;
	describe_all(&got, corpus);
	const char *update = getenv("JSON_EXPECT_UPDATE");
	if (update) {
		FILE *f = fopen(update, "w");
		ck_assert_ptr_nonnull(f);
		fwrite(got.buf, 1, got.len, f);
		fclose(f);
	}
	char *want;
	size_t want_len;
	ck_assert_int_eq(slurp(EXPECT_FILE, &want, &want_len), 0);
	/* Compare line by line; without the corpus, only the lines it has. */
	size_t mismatches = 0, compared = 0;
	for (char *line = got.buf; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		int is_corpus = strncmp(line, CORPUS_DIR, strlen(CORPUS_DIR)) == 0 ||
				line[0] == '#';
		char *hit = NULL;
		/* The same line must be in the table. */
		char *key = xstrndup(line, n);
		for (char *w = want; w && *w;) {
			char *wn = strchr(w, '\n');
			size_t wl = wn ? (size_t)(wn - w) : strlen(w);
			if (wl == n && memcmp(w, line, n) == 0) {
				hit = w;
				break;
			}
			w = wn ? wn + 1 : NULL;
		}
		if (!hit && (corpus || !is_corpus)) {
			fprintf(stderr, "differs from %s: %s\n", EXPECT_FILE, key);
			mismatches++;
		}
		compared++;
		free(key);
		line = nl ? nl + 1 : NULL;
	}
	ck_assert_uint_gt(compared, 100);
	ck_assert_msg(mismatches == 0, "%zu files read differently (see above)", mismatches);
	free(want);
	strbuf_release(&got);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("tokenizer");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_tok_kinds);
	tcase_add_test(tc, test_tok_python_specials);
	tcase_add_test(tc, test_tok_escapes);
	tcase_add_test(tc, test_tok_depth);
	tcase_add_test(tc, test_tok_cut_and_syntax);
	tcase_add_test(tc, test_tok_lenient_numbers);
	tcase_add_test(tc, test_tok_numbers_exact);
	tcase_add_test(tc, test_tok_lines);
	suite_add_tcase(s, tc);
	TCase *diff = tcase_create("differential");
	tcase_set_timeout(diff, 300);
	tcase_add_test(diff, test_differential);
	suite_add_tcase(s, diff);
	return s;
}

int main(void)
{
	return run_suite(json_suite());
}
