/*
 * Batch statistics: the reader (both encodings, aggregation, errors), the
 * batch detectors stepped over hand-built statistics, and the runs in
 * testdata/stats/ (each fires its checks and no other).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/checks_batch.h"
#include "read/reader.h"
#include "model/run.h"
#include "model/stats.h"
#include "testutil.h"

/* ---- helpers ---- */

static char tmp_path[64];

static const char *write_tmp(const char *text, size_t len)
{
	snprintf(tmp_path, sizeof(tmp_path), "/tmp/test_stats_XXXXXX");
	int fd = mkstemp(tmp_path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return tmp_path;
}

static struct stats *read_text(const char *text)
{
	struct stats *st = NULL;
	struct read_error err;
	err.msg[0] = '\0';
	const char *path = write_tmp(text, strlen(text));
	int rc = stats_read(path, &st, &err);
	unlink(path);
	ck_assert_msg(rc == 0, "stats_read failed: %s", err.msg);
	return st;
}

static void read_fails(const char *text, size_t len, const char *msg)
{
	struct stats *st = NULL;
	struct read_error err;
	err.msg[0] = '\0';
	const char *path = write_tmp(text, len);
	int rc = stats_read(path, &st, &err);
	unlink(path);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_null(st);
	ck_assert_str_eq(err.msg, msg);
}

#define FAILS(text, msg) read_fails(text, sizeof(text) - 1, msg)

#define EPS 1e-12

/* Steps d over epochs 1..n of st with the given parameters (NULL: the
 * defaults). pattern gets 'X' per epoch that fired, '.' otherwise; last gets
 * the values of the last epoch that fired. Returns prepare's result. */
static int run_detector(const struct detector *d, struct stats *st,
			const double *param, size_t n, char *pattern,
			struct values *last, const char **why)
{
	struct run run;
	memset(&run, 0, sizeof(run));
	run.stats = st;
	run.n_epochs = n;
	struct param_value pv[8];
	ck_assert_uint_le(d->n_params, 8);
	for (size_t k = 0; k < d->n_params; k++) {
		pv[k].num = param ? param[k] : d->params[k].def;
		pv[k].word = NULL;
	}
	struct detector_ctx ctx = { &run, pv, n, 0 };
	void *state = calloc(1, d->state_size);
	const char *reason = NULL;
	int rc = d->prepare(state, &ctx, &reason);
	if (why)
		*why = reason;
	if (rc == 0) {
		for (size_t e = 1; e <= n; e++) {
			struct values v;
			v.n = 0;
			int f = d->step(state, &ctx, e, &v);
			pattern[e - 1] = f ? 'X' : '.';
			if (f && last)
				*last = v;
		}
		pattern[n] = '\0';
	}
	if (d->release)
		d->release(state);
	free(state);
	return rc;
}

static double num(const struct values *v, const char *key)
{
	const struct value *x = values_get(v, key);
	ck_assert_msg(x != NULL, "no value %s", key);
	ck_assert_msg(!x->is_word, "%s is a word", key);
	return x->num;
}

static const char *word(const struct values *v, const char *key)
{
	const struct value *x = values_get(v, key);
	ck_assert_msg(x != NULL, "no value %s", key);
	ck_assert_msg(x->is_word, "%s is a number", key);
	return x->word;
}

/* ---- reader ---- */

static const char jsonl_basic[] =
	"{\"epoch\": 0, \"batch\": 0, \"x_min\": 0.0, \"x_max\": 5, \"x_mean\": 1, \"loss\": 1.0, \"b/grad_norm\": 2, \"a/grad_norm\": 4, \"a/size\": 10}\n"
	"{\"epoch\": 0, \"batch\": 5, \"x_min\": -1, \"x_max\": 3, \"x_mean\": 2, \"loss\": 2.0, \"b/grad_norm\": 4, \"a/grad_norm\": null}\n"
	"\n"
	"{\"epoch\": 0, \"batch\": 10, \"x_min\": 2, \"x_max\": 7, \"x_mean\": 6, \"loss\": 6.0, \"c/weight_norm\": 1.5, \"b/grad_norm\": 9}\n"
	"{\"epoch\": 1, \"batch\": 0, \"x_min\": 1, \"x_max\": 2, \"loss\": 0.5, \"a/grad_norm\": 1, \"note\": \"NaN Infinity\", \"cfg\": {\"k\": [1, 2]}, \"a/unknown\": 3}\n";

START_TEST(test_jsonl_aggregation)
{
	struct stats *st = read_text(jsonl_basic);
	ck_assert_str_eq(st->format, "stats-jsonl");
	ck_assert_uint_eq(st->n_epochs, 2);
	ck_assert_uint_eq(st->records, 4);
	ck_assert_uint_eq(stats_records(st, 0), 3);
	ck_assert_uint_eq(stats_records(st, 1), 1);
	/* x_min the least, x_max the largest, the rest means. */
	ck_assert_double_eq(stats_input(st, 0, ISTAT_X_MIN), -1);
	ck_assert_double_eq(stats_input(st, 0, ISTAT_X_MAX), 7);
	ck_assert_double_eq_tol(stats_input(st, 0, ISTAT_X_MEAN), 3, EPS);
	ck_assert_double_eq_tol(stats_input(st, 0, ISTAT_LOSS), 3, EPS);
	ck_assert_nan(stats_input(st, 0, ISTAT_X_STD));
	ck_assert_nan(stats_input(st, 1, ISTAT_X_MEAN));
	ck_assert_double_eq(stats_input(st, 1, ISTAT_LOSS), 0.5);
	/* Layer order is first appearance: b, a (first record), c (third). */
	ck_assert_uint_eq(st->n_layers, 3);
	ck_assert_str_eq(st->layer[0], "b");
	ck_assert_str_eq(st->layer[1], "a");
	ck_assert_str_eq(st->layer[2], "c");
	ck_assert_double_eq_tol(stats_layer(st, 0, 0, LSTAT_GRAD_NORM), 5, EPS);
	/* null is a missing value, not a zero: the mean of 4 alone. */
	ck_assert_double_eq(stats_layer(st, 0, 1, LSTAT_GRAD_NORM), 4);
	ck_assert_double_eq(stats_layer(st, 0, 1, LSTAT_SIZE), 10);
	ck_assert_double_eq(stats_layer(st, 0, 2, LSTAT_WEIGHT_NORM), 1.5);
	ck_assert_nan(stats_layer(st, 1, 0, LSTAT_GRAD_NORM));
	ck_assert_double_eq(stats_layer(st, 1, 1, LSTAT_GRAD_NORM), 1);
	ck_assert(stats_layer_seen(st, 1, LSTAT_SIZE));
	ck_assert(!stats_layer_seen(st, 0, LSTAT_SIZE));
	ck_assert(!stats_layer_present(st, 1, 0, LSTAT_GRAD_NORM));
	ck_assert(stats_input_seen(st, ISTAT_X_MEAN));
	ck_assert(!stats_input_seen(st, ISTAT_LR));
	stats_free(st);
}
END_TEST

START_TEST(test_csv_same_as_jsonl)
{
	struct stats *st = read_text(
		"epoch,batch,x_min,x_max,x_mean,loss,b/grad_norm,a/grad_norm,a/size,c/weight_norm,note\r\n"
		"0,0,0.0,5,1,1.0,2,4,10,,x\r\n"
		"0,5,-1,3,2,2.0,4,,,,\r\n"
		"0,10,2,7,6,6.0,9,,,1.5,\"a, b\"\r\n"
		"1,0,1,2,,0.5,,1,,,\r\n");
	ck_assert_str_eq(st->format, "stats-csv");
	ck_assert_uint_eq(st->n_epochs, 2);
	ck_assert_uint_eq(stats_records(st, 0), 3);
	ck_assert_double_eq(stats_input(st, 0, ISTAT_X_MIN), -1);
	ck_assert_double_eq(stats_input(st, 0, ISTAT_X_MAX), 7);
	ck_assert_double_eq_tol(stats_input(st, 0, ISTAT_X_MEAN), 3, EPS);
	ck_assert_nan(stats_input(st, 1, ISTAT_X_MEAN));
	/* Layer order is the header's: b, a, c. */
	ck_assert_uint_eq(st->n_layers, 3);
	ck_assert_str_eq(st->layer[0], "b");
	ck_assert_str_eq(st->layer[1], "a");
	ck_assert_str_eq(st->layer[2], "c");
	ck_assert_double_eq_tol(stats_layer(st, 0, 0, LSTAT_GRAD_NORM), 5, EPS);
	ck_assert_double_eq(stats_layer(st, 0, 1, LSTAT_GRAD_NORM), 4);
	ck_assert_double_eq(stats_layer(st, 0, 2, LSTAT_WEIGHT_NORM), 1.5);
	ck_assert_double_eq(stats_layer(st, 1, 1, LSTAT_GRAD_NORM), 1);
	stats_free(st);
}
END_TEST

START_TEST(test_nonfinite)
{
	struct stats *st = read_text(
		"{\"epoch\": 0, \"loss\": 1, \"x_max\": 3, \"a/grad_norm\": 2, \"a/weight_norm\": 1}\n"
		"{\"epoch\": 0, \"loss\": NaN, \"x_max\": Infinity, \"a/grad_norm\": 4, \"a/weight_norm\": -Infinity}\n"
		"{\"epoch\":1,\"loss\":NaN,\"x_min\":-Infinity,\"a/grad_norm\":3,\"NaN\":\"Infinity\"}\n"
		"{\"epoch\": 1, \"loss\": 2, \"a/grad_norm\": 5}\n");
	ck_assert_nan(stats_input(st, 0, ISTAT_LOSS));
	ck_assert(isinf(stats_input(st, 0, ISTAT_X_MAX)) && stats_input(st, 0, ISTAT_X_MAX) > 0);
	ck_assert_double_eq(stats_layer(st, 0, 0, LSTAT_GRAD_NORM), 3);
	ck_assert(isinf(stats_layer(st, 0, 0, LSTAT_WEIGHT_NORM)) &&
		  stats_layer(st, 0, 0, LSTAT_WEIGHT_NORM) < 0);
	ck_assert(stats_layer_present(st, 0, 0, LSTAT_WEIGHT_NORM));
	/* A non-finite value makes the epoch's statistic non-finite, whatever
	 * the finite ones around it. */
	ck_assert_nan(stats_input(st, 1, ISTAT_LOSS));
	ck_assert(isinf(stats_input(st, 1, ISTAT_X_MIN)) && stats_input(st, 1, ISTAT_X_MIN) < 0);
	ck_assert_double_eq(stats_layer(st, 1, 0, LSTAT_GRAD_NORM), 4);
	ck_assert(!stats_layer_present(st, 1, 0, LSTAT_WEIGHT_NORM));
	ck_assert_nan(stats_layer(st, 1, 0, LSTAT_WEIGHT_NORM));
	stats_free(st);
}
END_TEST

START_TEST(test_csv_nonfinite_and_bom)
{
	struct stats *st = read_text(
		"\xEF\xBB\xBF" "epoch,loss,fc/grad_norm\n0,nan,1\n0,1,inf\n1,1,NA\n1,3,2\n2,-Infinity,");
	ck_assert_uint_eq(st->n_epochs, 3);
	ck_assert_nan(stats_input(st, 0, ISTAT_LOSS));
	ck_assert(isinf(stats_layer(st, 0, 0, LSTAT_GRAD_NORM)));
	ck_assert_double_eq(stats_input(st, 1, ISTAT_LOSS), 2);
	ck_assert_double_eq(stats_layer(st, 1, 0, LSTAT_GRAD_NORM), 2);
	/* The last line has no newline. */
	ck_assert_uint_eq(stats_records(st, 2), 1);
	ck_assert(isinf(stats_input(st, 2, ISTAT_LOSS)));
	ck_assert(!stats_layer_present(st, 2, 0, LSTAT_GRAD_NORM));
	stats_free(st);
}
END_TEST

/* Issue 14 item 8: a sparse epoch number never sizes an allocation. */
START_TEST(test_sparse_epoch_number)
{
	struct stats *st = read_text(
		"{\"epoch\": 999999, \"loss\": 4, \"fc/grad_norm\": 1}\n"
		"{\"epoch\": 0, \"loss\": 1}\n{\"epoch\": 500000, \"loss\": 2}\n");
	ck_assert_uint_eq(st->n_epochs, 1000000);
	ck_assert_uint_eq(st->n_stored, 3);
	ck_assert_uint_eq(stats_records(st, 999999), 1);
	ck_assert_uint_eq(stats_records(st, 1), 0);
	ck_assert_double_eq(stats_input(st, 500000, ISTAT_LOSS), 2);
	ck_assert_double_eq(stats_layer(st, 999999, 0, LSTAT_GRAD_NORM), 1);
	ck_assert_nan(stats_layer(st, 0, 0, LSTAT_GRAD_NORM));
	ck_assert_ptr_null(st->epoch[0].layer);	/* no layer values, no array */
	stats_free(st);
}
END_TEST

/* Issue 14 item 5: values outside the spec's ranges and duplicate keys. */
START_TEST(test_ranges_and_duplicates)
{
	FAILS("{\"epoch\": 0, \"a/grad_zero_frac\": 5}\n", "line 1: 'a/grad_zero_frac' is 5, outside [0, 1]");
	FAILS("{\"epoch\": 0, \"a/act_zero_frac\": -0.1}\n", "line 1: 'a/act_zero_frac' is -0.10000000000000001, outside [0, 1]");
	FAILS("{\"epoch\": 0, \"a/size\": -3}\n", "line 1: 'a/size' is -3, below 0");
	FAILS("{\"epoch\": 0, \"a/size\": 2.5}\n", "line 1: 'a/size' is 2.5, not a whole number");
	FAILS("{\"epoch\": 0, \"a/grad_norm\": -1}\n", "line 1: 'a/grad_norm' is -1, below 0");
	FAILS("{\"epoch\": 0, \"x_std\": -1}\n", "line 1: 'x_std' is -1, below 0");
	FAILS("{\"epoch\": 0, \"epoch\": 1}\n", "line 1: key 'epoch' appears twice in the record");
	FAILS("{\"batch\": 0, \"epoch\": 0, \"batch\": 1}\n", "line 1: key 'batch' appears twice in the record");
	FAILS("epoch,a/grad_zero_frac\n0,0.5\n1,1.5\n", "line 3: 'a/grad_zero_frac' is 1.5, outside [0, 1]");
	/* NaN and infinities are values, for the detectors to report. */
	struct stats *st = read_text("{\"epoch\": 0, \"a/grad_zero_frac\": NaN, \"a/grad_norm\": Infinity}\n"
				     "{\"epoch\": 1, \"a/grad_zero_frac\": 1, \"a/grad_norm\": 0}\n");
	ck_assert_nan(stats_layer(st, 0, 0, LSTAT_GRAD_ZERO_FRAC));
	stats_free(st);
}
END_TEST

START_TEST(test_unsorted_and_gaps)
{
	struct stats *st = read_text(
		"{\"epoch\": 3, \"loss\": 4}\n{\"epoch\": 0, \"loss\": 1}\n{\"epoch\": 3.0, \"loss\": 6}\n");
	ck_assert_uint_eq(st->n_epochs, 4);
	ck_assert_uint_eq(stats_records(st, 0), 1);
	ck_assert_uint_eq(stats_records(st, 1), 0);
	ck_assert_uint_eq(stats_records(st, 2), 0);
	ck_assert_uint_eq(stats_records(st, 3), 2);
	ck_assert_nan(stats_input(st, 1, ISTAT_LOSS));
	ck_assert_double_eq(stats_input(st, 3, ISTAT_LOSS), 5);
	stats_free(st);
}
END_TEST

/* Far more than one read chunk, so that lines cross chunk boundaries. */
START_TEST(test_many_records)
{
	size_t n = 30000;
	char *text = malloc(n * 64);
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len,
			"{\"epoch\": %zu, \"batch\": %zu, \"loss\": %zu, \"l1/grad_norm\": 2}\n",
			i / 1000, i % 1000, i % 1000);
	const char *path = write_tmp(text, len);
	free(text);
	struct stats *st = NULL;
	struct read_error err;
	int rc = stats_read(path, &st, &err);
	unlink(path);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(st->n_epochs, 30);
	ck_assert_uint_eq(st->records, n);
	for (size_t e = 0; e < 30; e++) {
		ck_assert_uint_eq(st->epoch[e].records, 1000);
		/* mean of 0..999 */
		ck_assert_double_eq_tol(stats_input(st, e, ISTAT_LOSS), 499.5, 1e-9);
		ck_assert_double_eq(stats_layer(st, e, 0, LSTAT_GRAD_NORM), 2);
	}
	stats_free(st);
}
END_TEST

START_TEST(test_jsonl_errors)
{
	FAILS("{\"epoch\": 0}\n{\"epoch\": 0}\n{\"batch\": 3, \"loss\": 1}\n",
	      "line 3: record has no epoch");
	FAILS("{\"epoch\": 0}\n{\"epoch\": null}\n", "line 2: record has no epoch");
	FAILS("{\"epoch\": -1, \"loss\": 1}\n",
	      "line 1: epoch must be a non-negative integer, found '-1'");
	FAILS("\n\n{\"epoch\": 1.5}\n",
	      "line 3: epoch must be a non-negative integer, found '1.5'");
	FAILS("{\"epoch\": \"2\"}\n",
	      "line 1: epoch must be a non-negative integer, found '\"2\"'");
	FAILS("{\"epoch\": NaN}\n",
	      "line 1: epoch must be a non-negative integer, found 'NaN'");
	FAILS("{\"epoch\": 2000000}\n",
	      "line 1: epoch 2000000 is beyond the largest supported (1000000)");
	FAILS("{\"epoch\": 0, \"loss\": \"high\"}\n",
	      "line 1: 'loss' is not a number: \"high\"");
	FAILS("{\"epoch\": 0}\n{\"epoch\": 0, \"fc1/grad_norm\": true}\n",
	      "line 2: 'fc1/grad_norm' is not a number: true");
	/* A quoted NaN is a string, not Python's bare NaN. */
	FAILS("{\"epoch\": 0, \"loss\": \"NaN\"}\n",
	      "line 1: 'loss' is not a number: \"NaN\"");
	FAILS("{\"epoch\": 0}\n{\"epoch\": 1, \"loss\": 1\n",
	      "line 2: invalid JSON at column 23");
	FAILS("{\"epoch\": 0, \"loss\": nan}\n", "line 1: invalid JSON at column 22");
	FAILS("{\"epoch\": 0} {\"epoch\": 1}\n",
	      "line 1: invalid JSON at column 14: text after the record");
	FAILS("{\"epoch\": 0}\n[1, 2]\n", "line 2: expected a JSON object");
	FAILS("{\"epoch\": 0}\n{\"epoch\": 1, \"loss\": 1\0}\n",
	      "line 2: binary data (byte 0x00 at column 23)");
}
END_TEST

START_TEST(test_csv_errors)
{
	FAILS("epoch,loss,fc/grad_norm\n0,1,2\n1,2\n",
	      "line 3: expected 3 fields, found 2");
	FAILS("epoch,loss\n0,1\n0,1,5\n", "line 3: expected 2 fields, found 3");
	FAILS("batch,loss\n0,1\n", "line 1: no epoch column in the header");
	FAILS("epoch,loss\n0,1\n,2\n", "line 3: record has no epoch");
	FAILS("epoch,loss\n-2,1\n",
	      "line 2: epoch must be a non-negative integer, found '-2'");
	FAILS("epoch,loss\n0,1\nx,1\n",
	      "line 3: epoch must be a non-negative integer, found 'x'");
	FAILS("epoch,loss\n0,1\n1,0.5\n2,abc\n", "line 4: 'loss' is not a number: 'abc'");
	FAILS("epoch,loss\n0,1\n1,\"2\n", "line 3: malformed CSV: unterminated quoted field");
	FAILS("epoch,loss\n0,\x01\n", "line 2: binary data (byte 0x01 at column 3)");
}
END_TEST

START_TEST(test_file_errors)
{
	FAILS("", "the file is empty");
	FAILS(" \n\n\t\n", "the file is empty");
	struct stats *st = NULL;
	struct read_error err;
	ck_assert_int_eq(stats_read("testdata/stats/no-such-file.jsonl", &st, &err), -1);
	ck_assert_str_eq(err.msg, "cannot open: no such file or directory");
	ck_assert_ptr_null(st);
}
END_TEST

START_TEST(test_match)
{
	struct stats *st = read_text("{\"epoch\": 1}\n{\"epoch\": 2}\n{\"epoch\": 4}\n");
	char msg[256];
	ck_assert_int_eq(stats_match(st, 5, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "");
	ck_assert_int_eq(stats_match(st, 3, msg, sizeof(msg)), 1);
	ck_assert_str_eq(msg, "the batch statistics of epoch 5 lie beyond the history's "
			 "3 epochs and are ignored");
	ck_assert_int_eq(stats_match(st, 2, msg, sizeof(msg)), 1);
	ck_assert_str_eq(msg, "the batch statistics of epochs 3-5 lie beyond the history's "
			 "2 epochs and are ignored");
	ck_assert_int_eq(stats_match(st, 1, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "no epoch in common: the batch statistics cover epochs 2-5 but the history has 1 epoch");
	stats_free(st);
	st = read_text("epoch,loss\n");
	ck_assert_uint_eq(st->n_epochs, 0);
	ck_assert_int_eq(stats_match(st, 3, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "the batch statistics hold no records");
	stats_free(st);
}
END_TEST

/* ---- detectors over built statistics ---- */

static void input(struct stats_builder *b, size_t e, double lo, double hi,
		  double mu, double sd)
{
	stats_builder_record(b, e);
	stats_builder_input(b, e, ISTAT_X_MIN, lo);
	stats_builder_input(b, e, ISTAT_X_MAX, hi);
	stats_builder_input(b, e, ISTAT_X_MEAN, mu);
	stats_builder_input(b, e, ISTAT_X_STD, sd);
}

START_TEST(test_improper_normalization)
{
	struct stats_builder *b = stats_builder_new("test");
	input(b, 0, -3, 4, 0.01, 1.0);		/* standardized */
	input(b, 1, 0, 255, 100, 80);		/* raw pixels */
	input(b, 2, -1000, 20, -300, 90);	/* far out, not pixels */
	/* epoch 3 (index 3) has no records */
	input(b, 4, 0, 1, 0.5, 0.3);		/* within range */
	input(b, 5, -2, 2, 0.2, 1.6);		/* out of range, std 1.6 > 1.5 */
	input(b, 6, -2, 2, 1.2, 1.0);		/* out of range, |mean| > 1 */
	stats_builder_input(b, 3, ISTAT_LOSS, 1);	/* no record counted */
	struct stats *st = stats_builder_finish(b);
	stats_builder_free(b);
	const struct detector *d = &detector_improper_normalization;
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(d, st, NULL, 7, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, ".XX..XX");
	ck_assert_double_eq(num(&v, "epoch"), 7);
	ck_assert_double_eq(num(&v, "observed"), 2);
	ck_assert_ptr_null(values_get(&v, "variant"));
	ck_assert_int_eq(run_detector(d, st, NULL, 2, pat, &v, NULL), 0);
	ck_assert_str_eq(word(&v, "variant"), "pixels");
	ck_assert_double_eq(num(&v, "x_max"), 255);
	ck_assert_double_eq(num(&v, "x_mean"), 100);
	ck_assert_int_eq(run_detector(d, st, NULL, 3, pat, &v, NULL), 0);
	ck_assert_double_eq(num(&v, "observed"), 1000);
	ck_assert_ptr_null(values_get(&v, "variant"));
	/* SCRAM's literal test: anything outside [-1, 1]. */
	const double literal[] = { 1, 0, 0 };
	ck_assert_int_eq(run_detector(d, st, literal, 7, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "XXX..XX");
	/* A wider range. */
	const double wide[] = { 300, 1.5, 1 };
	ck_assert_int_eq(run_detector(d, st, wide, 7, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "..X....");
	stats_free(st);
}
END_TEST

static struct stats *grads(size_t n_epochs, const double (*g)[3], const char *const *names)
{
	struct stats_builder *b = stats_builder_new("test");
	size_t l0 = stats_builder_layer(b, "input_norm", 10);	/* no grad_norm */
	size_t idx[3];
	for (int k = 0; k < 3; k++)
		idx[k] = stats_builder_layer(b, names[k], strlen(names[k]));
	for (size_t e = 0; e < n_epochs; e++) {
		stats_builder_record(b, e);
		stats_builder_layer_value(b, e, l0, LSTAT_SIZE, 10);
		for (int k = 0; k < 3; k++)
			if (!isnan(g[e][k]) || e == 5)
				stats_builder_layer_value(b, e, idx[k], LSTAT_GRAD_NORM, g[e][k]);
	}
	struct stats *st = stats_builder_finish(b);
	stats_builder_free(b);
	return st;
}

static const char *const gnames[3] = { "dense", "dense_1", "dense_2" };

START_TEST(test_vanishing_gradient)
{
	const double g[4][3] = {
		{ 1e-5, 5, 0.1 },	/* rate 1e-4, first 1e-5: fires */
		{ 1e-3, 5, 10 },	/* rate 1e-4, but first 1e-3 >= 1e-4 */
		{ 5e-5, 5, 0.01 },	/* rate 5e-3 >= 1e-3 */
		{ 9e-8, 1, 1e-3 },	/* rate 9e-5, first 9e-8: fires */
	};
	struct stats *st = grads(4, g, gnames);
	const struct detector *d = &detector_vanishing_gradient;
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(d, st, NULL, 4, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "X..X");
	ck_assert_str_eq(word(&v, "first_layer"), "dense");
	ck_assert_str_eq(word(&v, "last_layer"), "dense_2");
	ck_assert_double_eq_tol(num(&v, "rate"), 9e-5, 1e-18);
	ck_assert_double_eq(num(&v, "first_grad"), 9e-8);
	ck_assert_double_eq(num(&v, "epoch"), 4);
	stats_free(st);

	/* One layer with gradients: nothing to compare. */
	struct stats_builder *b = stats_builder_new("test");
	stats_builder_record(b, 0);
	stats_builder_layer_value(b, 0, stats_builder_layer(b, "fc", 2), LSTAT_GRAD_NORM, 1);
	st = stats_builder_finish(b);
	stats_builder_free(b);
	const char *why;
	ck_assert_int_eq(run_detector(d, st, NULL, 1, pat, NULL, &why), -1);
	ck_assert_str_eq(why, "only one layer has <layer>/grad_norm keys");
	stats_free(st);
}
END_TEST

START_TEST(test_exploding_gradient)
{
	const double g[6][3] = {
		{ 100, 5, 1 },		/* rate 100 > 70 */
		{ 70, 5, 1 },		/* rate 70: not above */
		{ 1, INFINITY, 1 },	/* non-finite in dense_1 */
		{ 1, 1, 1 },
		{ 1, NAN, 1 },		/* NaN as absent: not recorded, so quiet */
		{ 1, NAN, 1 },		/* epoch 6: the NaN is recorded */
	};
	struct stats *st = grads(6, g, gnames);
	const struct detector *d = &detector_exploding_gradient;
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(d, st, NULL, 6, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "X.X..X");
	ck_assert_str_eq(word(&v, "variant"), "nonfinite");
	ck_assert_str_eq(word(&v, "layer"), "dense_1");
	ck_assert_str_eq(word(&v, "value"), "NaN");
	ck_assert_int_eq(run_detector(d, st, NULL, 3, pat, &v, NULL), 0);
	ck_assert_str_eq(word(&v, "value"), "Infinity");
	ck_assert_int_eq(run_detector(d, st, NULL, 1, pat, &v, NULL), 0);
	ck_assert_double_eq(num(&v, "rate"), 100);
	ck_assert_str_eq(word(&v, "first_layer"), "dense");
	ck_assert_str_eq(word(&v, "layer"), "dense");
	ck_assert_ptr_null(values_get(&v, "variant"));
	const double low[] = { 50 };
	ck_assert_int_eq(run_detector(d, st, low, 2, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "XX");
	stats_free(st);

	const char *why;
	ck_assert_int_eq(run_detector(d, NULL, NULL, 1, pat, NULL, &why), -1);
	ck_assert_str_eq(why, "no batch statistics");
	struct stats_builder *b = stats_builder_new("test");
	stats_builder_record(b, 0);
	stats_builder_input(b, 0, ISTAT_LOSS, 1);
	st = stats_builder_finish(b);
	stats_builder_free(b);
	ck_assert_int_eq(run_detector(d, st, NULL, 1, pat, NULL, &why), -1);
	ck_assert_str_eq(why, "no <layer>/grad_norm keys");
	ck_assert_int_eq(run_detector(&detector_vanishing_gradient, st, NULL, 1, pat,
				      NULL, &why), -1);
	ck_assert_str_eq(why, "no <layer>/grad_norm keys");
	stats_free(st);
}
END_TEST

static void zero(struct stats_builder *b, size_t e, size_t l, double z, double size)
{
	stats_builder_layer_value(b, e, l, LSTAT_GRAD_ZERO_FRAC, z);
	if (!isnan(size))
		stats_builder_layer_value(b, e, l, LSTAT_SIZE, size);
}

START_TEST(test_dying_relu)
{
	struct stats_builder *b = stats_builder_new("test");
	size_t a = stats_builder_layer(b, "a", 1), c = stats_builder_layer(b, "c", 1);
	for (size_t e = 0; e < 4; e++)
		stats_builder_record(b, e);
	zero(b, 0, a, 1.0, 100);
	zero(b, 0, c, 0.6, 900);	/* (100 + 540) / 1000 = 0.64 */
	zero(b, 1, a, 0.5, 100);
	zero(b, 1, c, 0.8, 900);	/* (50 + 720) / 1000 = 0.77 */
	zero(b, 2, a, 0.9, NAN);
	zero(b, 2, c, 0.6, 900);	/* a has no size: equal, 0.75 */
	zero(b, 3, a, 0.7, 1);
	zero(b, 3, c, 0.7, 1);		/* exactly gamma: fires */
	struct stats *st = stats_builder_finish(b);
	stats_builder_free(b);
	const struct detector *d = &detector_dying_relu;
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(d, st, NULL, 4, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, ".XXX");
	ck_assert_int_eq(run_detector(d, st, NULL, 2, pat, &v, NULL), 0);
	ck_assert_double_eq_tol(num(&v, "share"), 0.77, 1e-12);
	ck_assert_str_eq(word(&v, "layers"), "c");
	ck_assert_str_eq(word(&v, "worst_layer"), "c");
	ck_assert_str_eq(word(&v, "weighting"), "by size");
	ck_assert_int_eq(run_detector(d, st, NULL, 3, pat, &v, NULL), 0);
	ck_assert_double_eq_tol(num(&v, "share"), 0.75, 1e-12);
	ck_assert_str_eq(word(&v, "weighting"), "equally");
	ck_assert_str_eq(word(&v, "layers"), "a");
	const double g6[] = { 0.6 };
	ck_assert_int_eq(run_detector(d, st, g6, 4, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "XXXX");
	stats_free(st);
}
END_TEST

static void upd(struct stats_builder *b, size_t e, size_t l, double u, double w)
{
	stats_builder_layer_value(b, e, l, LSTAT_UPDATE_NORM, u);
	stats_builder_layer_value(b, e, l, LSTAT_WEIGHT_NORM, w);
}

START_TEST(test_update_ratio)
{
	struct stats_builder *b = stats_builder_new("test");
	size_t l[4];
	const char *names[4] = { "conv1", "conv2", "fc1", "fc2" };
	for (int k = 0; k < 4; k++)
		l[k] = stats_builder_layer(b, names[k], strlen(names[k]));
	for (size_t e = 0; e < 4; e++)
		stats_builder_record(b, e);
	/* ratios 1e-3, 1e-6, 1e-7 (fc2 has no weight norm): median 1e-6, low */
	upd(b, 0, l[0], 2e-3, 2);
	upd(b, 0, l[1], 1e-6, 1);
	upd(b, 0, l[2], 4e-7, 4);
	stats_builder_layer_value(b, 0, l[3], LSTAT_UPDATE_NORM, 1);
	stats_builder_input(b, 0, ISTAT_LR, 1e-6);
	/* ratios 0.5, 0.2, 1e-3, 0.3: median (0.2 + 0.3) / 2 = 0.25, high */
	upd(b, 1, l[0], 1, 2);
	upd(b, 1, l[1], 0.2, 1);
	upd(b, 1, l[2], 1e-3, 1);
	upd(b, 1, l[3], 0.3, 1);
	/* ratios 1e-3, 2e-3, 1e-1 exactly: median 2e-3, quiet */
	upd(b, 2, l[0], 1e-3, 1);
	upd(b, 2, l[1], 2e-3, 1);
	upd(b, 2, l[2], 0.1, 1);
	/* weight norm 0 only: no ratio at all */
	upd(b, 3, l[0], 1, 0);
	struct stats *st = stats_builder_finish(b);
	stats_builder_free(b);
	const struct detector *d = &detector_update_ratio;
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(d, st, NULL, 4, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "XX..");
	ck_assert_str_eq(word(&v, "variant"), "high");
	ck_assert_double_eq_tol(num(&v, "median"), 0.25, 1e-15);
	ck_assert_str_eq(word(&v, "layers"), "conv1, conv2, fc2");
	ck_assert_ptr_null(values_get(&v, "lr"));
	ck_assert_int_eq(run_detector(d, st, NULL, 1, pat, &v, NULL), 0);
	ck_assert_str_eq(word(&v, "variant"), "low");
	ck_assert_double_eq_tol(num(&v, "median"), 1e-6, 1e-20);
	ck_assert_str_eq(word(&v, "layers"), "conv2, fc1");
	ck_assert_double_eq(num(&v, "lr"), 1e-6);
	const double tight[] = { 1e-3, 1e-2 };
	ck_assert_int_eq(run_detector(d, st, tight, 4, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "XX..");
	const double looser[] = { 1e-7, 1 };
	ck_assert_int_eq(run_detector(d, st, looser, 4, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, "....");
	stats_free(st);
}
END_TEST

START_TEST(test_nan_gradient)
{
	struct stats_builder *b = stats_builder_new("test");
	size_t a = stats_builder_layer(b, "a", 1), c = stats_builder_layer(b, "c", 1);
	for (size_t e = 0; e < 4; e++) {
		stats_builder_record(b, e);
		stats_builder_layer_value(b, e, a, LSTAT_GRAD_NORM, 1);
		stats_builder_layer_value(b, e, a, LSTAT_WEIGHT_NORM, 1);
	}
	stats_builder_layer_value(b, 1, c, LSTAT_WEIGHT_NORM, INFINITY);
	stats_builder_layer_value(b, 2, a, LSTAT_GRAD_NORM, NAN);
	struct stats *st = stats_builder_finish(b);
	stats_builder_free(b);
	const struct detector *d = &detector_nan_gradient;
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(d, st, NULL, 4, pat, &v, NULL), 0);
	/* Once the weights are gone, the finding stays with its first epoch. */
	ck_assert_str_eq(pat, ".XXX");
	ck_assert_double_eq(num(&v, "epoch"), 2);
	ck_assert_str_eq(word(&v, "layer"), "c");
	ck_assert_str_eq(word(&v, "stat"), "weight_norm");
	ck_assert_str_eq(word(&v, "value"), "Infinity");
	ck_assert_int_eq(run_detector(d, st, NULL, 1, pat, &v, NULL), 0);
	ck_assert_str_eq(pat, ".");
	stats_free(st);
}
END_TEST

START_TEST(test_names_list)
{
	struct batch_names n;
	memset(&n, 0, sizeof(n));
	for (int i = 0; i < 12; i++) {
		char name[32];
		snprintf(name, sizeof(name), "block%d_conv", i);
		batch_names_add(&n, name);
	}
	ck_assert_str_eq(batch_names_text(&n),
			 "block0_conv, block1_conv, block2_conv and 9 more");
	memset(&n, 0, sizeof(n));
	batch_names_add(&n, "a_layer_name_so_long_that_it_does_not_fit_in_the_list_at_all");
	ck_assert_str_eq(batch_names_text(&n), "1 layer");
}
END_TEST

/* ---- the runs in testdata/stats ---- */

struct expect {
	const char *run;
	const char *fires[3];	/* every other batch detector stays quiet */
};

static const struct expect expects[] = {
	{ "raw-pixels", { "improper-normalization" } },
	{ "standardized", { NULL } },
	{ "healthy-sgd", { NULL } },
	{ "vanishing-sigmoid", { "vanishing-gradient", "update-ratio" } },
	{ "exploding-init", { "exploding-gradient" } },
	{ "dead-relu", { "dying-relu", "update-ratio" } },
	{ "lr-high", { "update-ratio" } },
	{ "lr-low", { "update-ratio" } },
	{ "nan-gradient", { "nan-gradient", "exploding-gradient" } },
};

static size_t history_rows(const char *run)
{
	char path[256];
	snprintf(path, sizeof(path), "testdata/stats/%s/history.csv", run);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	size_t lines = 0;
	int c;
	while ((c = fgetc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	return lines - 1;	/* the header */
}

static void check_run(const char *run, const char *file, const char *const *fires)
{
	char path[256];
	snprintf(path, sizeof(path), "testdata/stats/%s/%s", run, file);
	struct stats *st = NULL;
	struct read_error err;
	ck_assert_msg(stats_read(path, &st, &err) == 0, "%s: %s", path, err.msg);
	size_t n = history_rows(run);
	char msg[256];
	ck_assert_int_eq(stats_match(st, n, msg, sizeof(msg)), 0);
	for (size_t i = 0; batch_detector_table[i]; i++) {
		const struct detector *d = batch_detector_table[i];
		int expected = 0;
		for (int k = 0; k < 3 && fires[k]; k++)
			expected |= strcmp(fires[k], d->name) == 0;
		char pat[64];
		const char *why = NULL;
		int rc = run_detector(d, st, NULL, n, pat, NULL, &why);
		ck_assert_msg(rc == 0, "%s: %s skipped: %s", path, d->name, why);
		int fired = strchr(pat, 'X') != NULL;
		ck_assert_msg(fired == expected, "%s: %s %s (%s)", path, d->name,
			      fired ? "fired" : "did not fire", pat);
	}
	stats_free(st);
}

START_TEST(test_testdata_runs)
{
	const struct expect *x = &expects[_i];
	check_run(x->run, "stats.jsonl", x->fires);
	if (strcmp(x->run, "raw-pixels") == 0)
		check_run(x->run, "stats.csv", x->fires);
}
END_TEST

/* The epochs a run's checks fire at, for the runs where they are exact. */
START_TEST(test_testdata_onsets)
{
	struct stats *st = NULL;
	struct read_error err;
	ck_assert_int_eq(stats_read("testdata/stats/nan-gradient/stats.jsonl", &st, &err), 0);
	char pat[16];
	struct values v;
	ck_assert_int_eq(run_detector(&detector_nan_gradient, st, NULL, 8, pat, &v, NULL), 0);
	/* The input batch was poisoned in epoch 4 (0-based 3). */
	ck_assert_str_eq(pat, "...XXXXX");
	ck_assert_double_eq(num(&v, "epoch"), 4);
	ck_assert_str_eq(word(&v, "layer"), "fc1");
	ck_assert_str_eq(word(&v, "stat"), "grad_norm");
	stats_free(st);
	ck_assert_int_eq(stats_read("testdata/stats/raw-pixels/stats.csv", &st, &err), 0);
	ck_assert_int_eq(run_detector(&detector_improper_normalization, st, NULL, 8, pat, &v,
				      NULL), 0);
	ck_assert_str_eq(pat, "XXXXXXXX");
	ck_assert_str_eq(word(&v, "variant"), "pixels");
	ck_assert_double_eq(num(&v, "x_min"), 0);
	ck_assert_double_eq(num(&v, "x_max"), 256);
	stats_free(st);
	/* SCRAM's literal test fires on standardized inputs; the default not. */
	ck_assert_int_eq(stats_read("testdata/stats/standardized/stats.jsonl", &st, &err), 0);
	const double literal[] = { 1, 0, 0 };
	ck_assert_int_eq(run_detector(&detector_improper_normalization, st, literal, 8, pat,
				      &v, NULL), 0);
	ck_assert_str_eq(pat, "XXXXXXXX");
	ck_assert_uint_eq(st->n_layers, 2);
	ck_assert_str_eq(st->layer[0], "fc1");
	ck_assert_str_eq(st->layer[1], "fc2");
	stats_free(st);
}
END_TEST

static Suite *stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("reader");
	tcase_add_test(tc, test_jsonl_aggregation);
	tcase_add_test(tc, test_csv_same_as_jsonl);
	tcase_add_test(tc, test_nonfinite);
	tcase_add_test(tc, test_csv_nonfinite_and_bom);
	tcase_add_test(tc, test_unsorted_and_gaps);
	tcase_add_test(tc, test_sparse_epoch_number);
	tcase_add_test(tc, test_ranges_and_duplicates);
	tcase_add_test(tc, test_many_records);
	tcase_add_test(tc, test_jsonl_errors);
	tcase_add_test(tc, test_csv_errors);
	tcase_add_test(tc, test_file_errors);
	tcase_add_test(tc, test_match);
	suite_add_tcase(s, tc);
	tc = tcase_create("detectors");
	tcase_add_test(tc, test_improper_normalization);
	tcase_add_test(tc, test_vanishing_gradient);
	tcase_add_test(tc, test_exploding_gradient);
	tcase_add_test(tc, test_dying_relu);
	tcase_add_test(tc, test_update_ratio);
	tcase_add_test(tc, test_nan_gradient);
	tcase_add_test(tc, test_names_list);
	suite_add_tcase(s, tc);
	tc = tcase_create("testdata");
	tcase_add_loop_test(tc, test_testdata_runs, 0,
			    (int)(sizeof(expects) / sizeof(expects[0])));
	tcase_add_test(tc, test_testdata_onsets);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(stats_suite());
}
