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
		strbuf_addf(sb, " %ld", run->line[i]);
	strbuf_addc(sb, '\n');
	dump_doubles(sb, "at_step", run->at_step, run->n_epochs);
	dump_doubles(sb, "at_epoch", run->at_epoch, run->n_epochs);
	for (size_t s = 0; s < run->n_series; s++) {
		const struct series *se = &run->series[s];
		strbuf_addf(sb, "series '%s' kind=%d split=%d:", se->name, se->kind, se->split);
		for (size_t i = 0; i < run->n_epochs; i++) {
			if (se->missing[i])
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
