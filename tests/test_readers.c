/*
 * The history readers: every format and edge case of
 * ../shared/spec/history-formats.md on small files in testdata/formats/
 * (see its README.md) or inline buffers, the exact error messages, and the
 * whole shared corpus when it is present.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "read/reader.h"
#include "model/run.h"
#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"

#define TD "testdata/formats/"

static struct run_list runs;
static struct read_error err;

static void setup(void)
{
	memset(&runs, 0, sizeof(runs));
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	run_list_release(&runs);
}

/* Read a file that must read; returns its first run. */
static struct run *read_ok(const char *path, size_t n_runs)
{
	int rc = history_read(path, &runs, &err);
	ck_assert_msg(rc == 0, "%s: %s", path, err.msg);
	ck_assert_uint_eq(runs.n, n_runs);
	return runs.v[0];
}

static struct run *read_text_ok(const char *text)
{
	int rc = history_read_buffer("t", text, strlen(text), &runs, &err);
	ck_assert_msg(rc == 0, "%s", err.msg);
	return runs.v[0];
}

static void expect_error(const char *text, size_t len, const char *msg)
{
	ck_assert_int_eq(history_read_buffer("t", text, len, &runs, &err), -1);
	ck_assert_str_eq(err.msg, msg);
	ck_assert_uint_eq(runs.n, 0);
}

#define EXPECT_ERROR(text, msg) expect_error(text, strlen(text), msg)

static const struct series *series(const struct run *run, const char *name)
{
	int i = run_find_series(run, name);
	ck_assert_msg(i >= 0, "no series '%s'", name);
	return &run->series[i];
}

static double val(const struct run *run, const char *name, size_t epoch)
{
	ck_assert_uint_lt(epoch, run->n_epochs);
	const struct series *s = series(run, name);
	ck_assert_msg(!run_is_missing(s, epoch), "'%s' epoch %zu is missing", name, epoch);
	return s->v[epoch];
}

static int missing(const struct run *run, const char *name, size_t epoch)
{
	return run_is_missing(series(run, name), epoch);
}

static void assert_role(const struct run *run, enum role role, const char *name)
{
	const char *got = run_role_name(run, role);
	if (!name) {
		ck_assert_msg(got == NULL, "role %s is '%s'", role_name(role), got);
		return;
	}
	ck_assert_msg(got && strcmp(got, name) == 0, "role %s is '%s', not '%s'",
		      role_name(role), got ? got : "(none)", name);
}

static int has_note(const struct run *run, const char *part)
{
	for (size_t i = 0; i < run->n_notes; i++)
		if (strstr(run->notes[i], part))
			return 1;
	return 0;
}

#define ck_assert_val(run, name, ep, x) ck_assert_double_eq_tol(val(run, name, ep), x, 1e-12)

/* ---- CSV ---- */

START_TEST(test_keras_tf2)
{
	struct run *r = read_ok(TD "keras_tf2.csv", 1);
	ck_assert_str_eq(r->format, "keras-csv");
	ck_assert_uint_eq(r->n_epochs, 3);
	ck_assert_uint_eq(r->segment, 0);
	ck_assert_int_eq(r->header_line, 1);
	ck_assert_int_eq(r->line[0], 2);
	ck_assert_int_eq(r->line[2], 4);
	ck_assert_val(r, "loss", 0, 1.25);
	ck_assert_nan(val(r, "loss", 1));	/* nan is a value, not a missing one */
	ck_assert(isinf(val(r, "loss", 2)) && val(r, "loss", 2) < 0);
	ck_assert(isinf(val(r, "val_loss", 2)) && val(r, "val_loss", 2) > 0);
	ck_assert(missing(r, "val_accuracy", 1));	/* NA */
	assert_role(r, ROLE_LOSS, "loss");
	assert_role(r, ROLE_ACC, "accuracy");
	assert_role(r, ROLE_VAL_ACC, "val_accuracy");
	assert_role(r, ROLE_LR, "learning_rate");
	ck_assert_val(r, "learning_rate", 2, 0.0005);
}
END_TEST

START_TEST(test_keras_tf1_semicolon_crcrlf)
{
	struct run *r = read_ok(TD "keras_tf1_semicolon.csv", 1);
	ck_assert_str_eq(r->format, "keras-csv");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_uint_eq(r->n_series, 5);
	ck_assert_int_eq(r->line[1], 3);
	ck_assert_val(r, "lr", 0, 0.00020000001);
	ck_assert_val(r, "val_loss", 1, 1.75);
	assert_role(r, ROLE_ACC, "acc");
	assert_role(r, ROLE_VAL_ACC, "val_acc");
	assert_role(r, ROLE_LR, "lr");
}
END_TEST

START_TEST(test_keras_restart_segments)
{
	read_ok(TD "keras_restart.csv", 2);
	struct run *a = runs.v[0], *b = runs.v[1];
	ck_assert_uint_eq(a->segment, 1);
	ck_assert_uint_eq(b->segment, 2);
	ck_assert_uint_eq(a->n_epochs, 3);
	ck_assert_uint_eq(b->n_epochs, 2);
	ck_assert_str_eq(a->label, TD "keras_restart.csv (run 1 of 2, from line 2)");
	ck_assert_str_eq(b->label, TD "keras_restart.csv (run 2 of 2, from line 5)");
	ck_assert_int_eq(b->line[0], 5);
	ck_assert_val(b, "loss", 0, 0.75);
	ck_assert_val(a, "val_loss", 2, 1.0);
	ck_assert(has_note(b, "restarted"));
	assert_role(b, ROLE_VAL_LOSS, "val_loss");
}
END_TEST

START_TEST(test_keras_every_row_epoch_zero)
{
	read_text_ok("epoch,accuracy,loss\n0,0.75,33.5\n0,0.5,314.25\n0,0.625,14.75\n");
	ck_assert_uint_eq(runs.n, 3);
	ck_assert_uint_eq(runs.v[2]->n_epochs, 1);
	ck_assert_uint_eq(runs.v[2]->segment, 3);
	ck_assert_val(runs.v[1], "loss", 0, 314.25);
}
END_TEST

START_TEST(test_one_based_capital_epoch)
{
	struct run *r = read_ok(TD "keras_one_based.csv", 1);
	ck_assert_str_eq(r->format, "csv");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_uint_eq(r->n_series, 3);
	assert_role(r, ROLE_LOSS, "TrainLoss");
	assert_role(r, ROLE_VAL_LOSS, "ValLoss");
	assert_role(r, ROLE_LR, "LR");
	ck_assert_val(r, "ValLoss", 1, 95.5);
}
END_TEST

START_TEST(test_pandas_index)
{
	struct run *r = read_ok(TD "pandas_index.csv", 1);
	ck_assert_str_eq(r->format, "pandas-csv");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_uint_eq(r->n_series, 4);	/* the index is the epoch, not a series */
	/* pandas writes NaN as an empty cell, and its lists are all as long:
	 * an empty cell is a NaN, not a missing value. */
	ck_assert(!missing(r, "val_accuracy", 0));
	ck_assert_nan(r->series[run_find_series(r, "val_accuracy")].v[0]);
	ck_assert_uint_eq(r->n_notes, 1);
	ck_assert_val(r, "accuracy", 1, 0.875);
	assert_role(r, ROLE_VAL_ACC, "val_accuracy");
}
END_TEST

START_TEST(test_pandas_no_index)
{
	struct run *r = read_ok(TD "pandas_noindex.csv", 1);
	ck_assert_str_eq(r->format, "pandas-csv");
	ck_assert_uint_eq(r->n_epochs, 3);
	ck_assert_int_eq(r->line[2], 4);
	ck_assert_val(r, "loss", 2, 0.25);
	assert_role(r, ROLE_VAL_LOSS, "val_loss");
}
END_TEST

START_TEST(test_plain_csv)
{
	struct run *r = read_text_ok("step_time,train loss,validation loss\n1.5,0.5,0.75\n");
	ck_assert_str_eq(r->format, "csv");
	assert_role(r, ROLE_LOSS, "train loss");
	assert_role(r, ROLE_VAL_LOSS, "validation loss");
}
END_TEST

START_TEST(test_single_metric_column)
{
	struct run *r = read_text_ok("loss\n0.5\n0.25\n");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_val(r, "loss", 1, 0.25);
}
END_TEST

START_TEST(test_lightning)
{
	struct run *r = read_ok(TD "lightning_metrics.csv", 1);
	ck_assert_str_eq(r->format, "lightning-csv");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_int_eq(run_find_series(r, "step"), -1);
	ck_assert_int_eq(r->line[0], 2);
	ck_assert_int_eq(r->line[1], 6);
	ck_assert_val(r, "train_loss_epoch", 0, 0.625);
	ck_assert_val(r, "train_loss_epoch", 1, 0.375);
	ck_assert_int_eq(run_find_series(r, "train_loss_step"), -1);	/* on the steps */
	ck_assert_val(r, "val_loss", 1, 0.75);
	assert_role(r, ROLE_LOSS, "train_loss_epoch");
	assert_role(r, ROLE_VAL_ACC, "val_accuracy");
	ck_assert_int_eq(r->framework, FW_LIGHTNING);
	ck_assert(has_note(r, "3 logged steps"));
	const struct run *st = r->steps;
	ck_assert_uint_eq(st->n_epochs, 3);
	ck_assert_val(st, "train_loss_step", 1, 0.5);
	ck_assert_double_eq(st->at_step[1], 99);
	ck_assert_double_eq(st->at_epoch[2], 1);
	ck_assert_int_eq(st->line[2], 6);
	ck_assert_int_eq(run_find_series(st, "val_loss"), -1);
}
END_TEST

START_TEST(test_per_batch)
{
	struct run *r = read_ok(TD "per_batch.csv", 1);
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_int_eq(run_find_series(r, "Batch"), -1);
	ck_assert_val(r, "Gen Loss", 0, 2.0);
	ck_assert_val(r, "Gen Loss", 1, 1.0);
	ck_assert_val(r, "loss", 0, 3.0);	/* mean of the finite 2 and 4 */
	ck_assert_nan(val(r, "loss", 1));	/* no finite value: NaN, not missing */
	ck_assert_int_eq(r->line[1], 5);
	assert_role(r, ROLE_LOSS, "loss");
	ck_assert(has_note(r, "per-batch"));
}
END_TEST

START_TEST(test_empty_row_float_epoch)
{
	struct run *r = read_ok(TD "empty_row_float_epoch.csv", 1);
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_int_eq(r->line[0], 3);
	ck_assert_val(r, "accuracy", 1, 0.625);
	ck_assert(has_note(r, "1 empty row skipped (first at line 2)"));
}
END_TEST

START_TEST(test_array_column_skipped)
{
	struct run *r = read_ok(TD "array_column.csv", 1);
	ck_assert_uint_eq(r->n_series, 1);
	ck_assert_int_eq(run_find_series(r, "per_class"), -1);
	ck_assert(has_note(r, "'per_class' (array values)"));
	ck_assert_val(r, "loss", 1, 0.25);
}
END_TEST

START_TEST(test_title_line_decimal_comma)
{
	struct run *r = read_ok(TD "title_line.csv", 1);
	ck_assert_int_eq(r->header_line, 2);
	ck_assert_int_eq(r->line[0], 3);
	ck_assert_val(r, "accuracy", 0, 0.5);
	ck_assert_val(r, "loss", 0, 1.25);
	ck_assert(has_note(r, "model_history_log"));
}
END_TEST

START_TEST(test_text_column_skipped)
{
	struct run *r = read_text_ok("epoch,loss,enable_dropout\n1,0.5,True\n2,0.25,False\n");
	ck_assert_uint_eq(r->n_series, 1);
	ck_assert(has_note(r, "'enable_dropout' (text)"));
}
END_TEST

START_TEST(test_csv_errors)
{
	EXPECT_ERROR("epoch,loss\n", "header only, no epochs");
}
END_TEST

START_TEST(test_csv_ragged)
{
	EXPECT_ERROR("epoch,loss,acc\n0,0.5,0.1\n1,0.4\n", "line 3: expected 3 fields, found 2");
}
END_TEST

START_TEST(test_csv_not_a_number)
{
	EXPECT_ERROR("epoch,loss\n0,0.5\n1,abc\n", "line 3: column 'loss': 'abc' is not a number");
}
END_TEST

START_TEST(test_csv_no_metric_columns)
{
	EXPECT_ERROR("epoch,name\n0,abc\n", "line 1: no metric columns (found 'epoch', 'name')");
}
END_TEST

START_TEST(test_csv_unterminated_quote)
{
	EXPECT_ERROR("epoch,loss\n0,0.5\n1,\"0.5\n2,0.4\n", "line 3: unterminated quoted field");
}
END_TEST

START_TEST(test_csv_duplicate_column)
{
	EXPECT_ERROR("epoch,loss,loss\n0,1,2\n", "line 1: column 'loss' appears twice");
}
END_TEST

START_TEST(test_csv_repeated_epoch)
{
	EXPECT_ERROR("epoch,loss\n0,1\n1,2\n1,3\n", "line 4: epoch 1 repeats");
}
END_TEST

START_TEST(test_csv_out_of_order)
{
	EXPECT_ERROR("epoch,loss\n0,1\n2,2\n1,3\n",
		     "line 4: epoch 1 comes after epoch 2; epochs must increase "
		     "(only a fall back to 0 starts a new run)");
}
END_TEST

START_TEST(test_csv_negative_epoch)
{
	EXPECT_ERROR("epoch,loss\n0,1\n-1,2\n", "line 3: epoch -1 is negative");
}
END_TEST

START_TEST(test_csv_fractional_epoch)
{
	EXPECT_ERROR("epoch,loss\n0.5,1\n", "line 2: epoch '0.5' is not a whole number");
}
END_TEST

START_TEST(test_csv_numbers_as_header)
{
	/* The dispatcher finds no header first; the CSV reader says why. */
	const char *text = "0.5,0.25\n0.4,0.2\n";
	ck_assert_int_eq(reader_csv.sniff(text, strlen(text)), 0);
	ck_assert_int_eq(reader_csv.read("t", text, strlen(text), &runs, &err), -1);
	ck_assert_str_eq(err.msg,
			 "line 1: the first row holds numbers, not column names; add a header row");
	ck_assert_uint_eq(runs.n, 0);
}
END_TEST

START_TEST(test_csv_long_line)
{
	/* A 2 MB text cell is read (and skipped: it is text). */
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "epoch,loss,comment\n0,0.5,\"");
	for (int i = 0; i < (2 << 20) / 8; i++)
		strbuf_adds(&sb, "abcdefg ");
	strbuf_adds(&sb, "\"\n");
	ck_assert_int_eq(history_read_buffer("t", sb.buf, sb.len, &runs, &err), 0);
	ck_assert_val(runs.v[0], "loss", 0, 0.5);
	strbuf_release(&sb);
}
END_TEST

/*
 * A CSV of more than a MiB is checked as text while it is read (reader.h,
 * text_vouched_get): a bad byte anywhere is still the file's error, named
 * as when the whole file is checked first, and a character that spans the
 * first MiB's end is no bad byte.
 */
static void big_csv(struct strbuf *sb, size_t rows)
{
	strbuf_adds(sb, "epoch,loss,val_loss,note\n");
	for (size_t i = 0; i < rows; i++)
		strbuf_addf(sb, "%zu,0.%04zu,0.25,%s\n", i, 9999 - i % 9000,
			    i % 1000 == 7 ? "\"a, quoted note\"" : "plain note");
}

static long line_of(const char *s, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

/* sb with byte b at off: the error the whole file's check gives. */
static void expect_bad_byte(struct strbuf *sb, size_t off, unsigned char b, const char *what)
{
	char keep = sb->buf[off], want[200];
	sb->buf[off] = (char)b;
	if (b == 0)
		snprintf(want, sizeof(want),
			 "line %ld: binary data (NUL byte at offset %zu); not a training history",
			 line_of(sb->buf, off), off);
	else
		snprintf(want, sizeof(want),
			 "line %ld: invalid UTF-8 (byte 0x%02X at offset %zu); not a text history",
			 line_of(sb->buf, off), b, off);
	int rc = history_read_buffer("t", sb->buf, sb->len, &runs, &err);
	ck_assert_msg(rc == -1, "%s: read", what);
	ck_assert_msg(strcmp(err.msg, want) == 0, "%s: '%s', want '%s'", what, err.msg, want);
	ck_assert_uint_eq(runs.n, 0);
	sb->buf[off] = keep;
}

START_TEST(test_csv_checked_as_read)
{
	struct strbuf sb = STRBUF_INIT;
	big_csv(&sb, 80000);
	ck_assert_uint_gt(sb.len, (size_t)2 << 20);
	ck_assert_int_eq(history_read_buffer("t", sb.buf, sb.len, &runs, &err), 0);
	ck_assert_uint_eq(runs.v[0]->n_epochs, 80000);
	ck_assert_val(runs.v[0], "loss", 79999, 0.2);	/* "0.2000" */
	run_list_release(&runs);
	memset(&runs, 0, sizeof(runs));

	/* Past the first MiB: in a number, in a column read for nothing, in a
	 * quoted cell, in the last byte. */
	const char *far = strchr(strchr(sb.buf + (3 << 19), '\n'), ',');
	size_t at = (size_t)(far - sb.buf) + 3;
	expect_bad_byte(&sb, at, 0xFF, "in a number");
	const char *note = strstr(sb.buf + (3 << 19), "plain");
	expect_bad_byte(&sb, (size_t)(note - sb.buf) + 2, 0xC3, "in a skipped column");
	const char *quoted = strstr(sb.buf + (3 << 19), "quoted");
	expect_bad_byte(&sb, (size_t)(quoted - sb.buf), 0x80, "in a quoted cell");
	expect_bad_byte(&sb, sb.len - 1, 0xFE, "the last byte");
	expect_bad_byte(&sb, sb.len - 1, 0x00, "a NUL at the end");
	/* A NUL after a bad sequence: binary data, at the NUL. */
	sb.buf[at] = (char)0xFF;
	expect_bad_byte(&sb, sb.len - 1, 0x00, "a NUL after a bad byte");
	sb.buf[at] = '0';
	/* In the first MiB: checked before the sniffers. */
	expect_bad_byte(&sb, 40, 0xFF, "in the first MiB");
	strbuf_release(&sb);

	/* A two-byte character across the first MiB's end is text. */
	struct strbuf t = STRBUF_INIT;
	strbuf_adds(&t, "epoch,loss,note\n");
	size_t i = 0;
	while (t.len < ((size_t)1 << 20) - 40)
		strbuf_addf(&t, "%zu,0.5,x\n", i++);
	strbuf_addf(&t, "%zu,0.5,", i++);
	while (t.len < ((size_t)1 << 20) - 1)
		strbuf_addc(&t, 'y');
	strbuf_adds(&t, "\xc3\xa9\n");
	for (size_t k = 0; k < 1000; k++)
		strbuf_addf(&t, "%zu,0.5,\xc3\xa9t\xc3\xa9\n", i++);
	ck_assert_int_eq(history_read_buffer("t", t.buf, t.len, &runs, &err), 0);
	ck_assert_uint_eq(runs.v[0]->n_epochs, i);
	strbuf_release(&t);
}
END_TEST

START_TEST(test_csv_many_columns)
{
	enum { COLS = 20000 };
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "epoch");
	for (int i = 0; i < COLS; i++)
		strbuf_addf(&sb, ",m%d", i);
	for (int row = 0; row < 3; row++) {
		strbuf_addf(&sb, "\n%d", row);
		for (int i = 0; i < COLS; i++)
			strbuf_addf(&sb, ",%d.5", i % 10);
	}
	strbuf_addc(&sb, '\n');
	clock_t t0 = clock();
	ck_assert_int_eq(history_read_buffer("t", sb.buf, sb.len, &runs, &err), 0);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	fprintf(stderr, "20,000 columns x 3 rows (%zu bytes) read in %.3f s\n", sb.len, secs);
	ck_assert_uint_eq(runs.v[0]->n_series, COLS);
	ck_assert_val(runs.v[0], "m19999", 2, 9.5);
	/* 0.02 s optimized; sanitizers and valgrind copy on every realloc. */
	ck_assert_msg(secs < 10.0, "20,000 columns took %.1f s", secs);
	strbuf_release(&sb);
}
END_TEST

/* ---- JSON ---- */

START_TEST(test_history_json)
{
	struct run *r = read_ok(TD "history.json", 1);
	ck_assert_str_eq(r->format, "history-json");
	ck_assert_uint_eq(r->n_epochs, 4);
	ck_assert_int_eq(r->line[0], 0);
	ck_assert_val(r, "loss", 0, 1.5);
	ck_assert_nan(val(r, "loss", 1));
	ck_assert(isinf(val(r, "loss", 2)) && val(r, "loss", 2) > 0);
	ck_assert(isinf(val(r, "loss", 3)) && val(r, "loss", 3) < 0);
	/* Half as long: validation_freq=2, values at epochs 2 and 4. */
	ck_assert(missing(r, "val_loss", 0));
	ck_assert_val(r, "val_loss", 1, 1.75);
	ck_assert(missing(r, "val_loss", 3));	/* null */
	ck_assert(has_note(r, "validation_freq=2"));
	ck_assert_int_eq(run_find_series(r, "note"), -1);
	ck_assert(has_note(r, "'note'"));
	assert_role(r, ROLE_ACC, "accuracy");
	assert_role(r, ROLE_VAL_ACC, NULL);
}
END_TEST

START_TEST(test_json_nan_in_strings_untouched)
{
	/* A string holding NaN must not shift the NaN that follows it. */
	struct run *r = read_text_ok("{\"s\": \"NaN null \\\" NaN\", \"loss\": [null, NaN, 1]}");
	ck_assert(missing(r, "loss", 0));
	ck_assert_nan(val(r, "loss", 1));
	ck_assert_val(r, "loss", 2, 1.0);
}
END_TEST

START_TEST(test_epochs_metrics_json)
{
	struct run *r = read_ok(TD "epochs_metrics.json", 1);
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_int_eq(run_find_series(r, "epochs"), -1);
	assert_role(r, ROLE_LR, "learning_rate");
	ck_assert_val(r, "val_loss", 1, 1.5);
}
END_TEST

START_TEST(test_json_records)
{
	struct run *r = read_ok(TD "records.json", 1);
	ck_assert_str_eq(r->format, "json-records");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_int_eq(run_find_series(r, "epoch"), -1);
	ck_assert_nan(val(r, "val_loss", 1));
	assert_role(r, ROLE_LOSS, "train_loss");
}
END_TEST

START_TEST(test_pandas_json_columns)
{
	struct run *r = read_ok(TD "pandas_columns.json", 1);
	ck_assert_str_eq(r->format, "pandas-json");
	ck_assert_uint_eq(r->n_epochs, 3);
	ck_assert(missing(r, "val_accuracy", 1));
	ck_assert_val(r, "val_accuracy", 2, 0.875);
	ck_assert_val(r, "loss", 1, 0.75);
	assert_role(r, ROLE_VAL_ACC, "val_accuracy");
}
END_TEST

START_TEST(test_python_repr_string)
{
	struct run *r = read_ok(TD "python_repr.json", 1);
	ck_assert_str_eq(r->format, "history-json");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_nan(val(r, "val_accuracy", 1));
	ck_assert_val(r, "loss", 1, 0.5);	/* np.float64(0.5) */
	assert_role(r, ROLE_VAL_LOSS, "val_loss");
	ck_assert(has_note(r, "Python dict repr"));
}
END_TEST

START_TEST(test_hf_trainer_state)
{
	struct run *r = read_ok(TD "trainer_state.json", 1);
	ck_assert_str_eq(r->format, "hf-trainer-state");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_val(r, "loss", 0, 0.5);	/* mean of 0.75 and 0.25 */
	ck_assert_val(r, "loss", 1, 0.125);
	ck_assert_int_eq(run_find_series(r, "grad_norm"), -1);	/* on the steps only */
	ck_assert_val(r, "learning_rate", 0, 0.0001);	/* the last one */
	ck_assert_val(r, "val_loss", 1, 0.5);
	ck_assert_val(r, "val_accuracy", 0, 0.5);
	ck_assert_val(r, "eval_runtime", 1, 3.5);
	ck_assert_int_eq(run_find_series(r, "train_loss"), -1);
	assert_role(r, ROLE_LOSS, "loss");
	assert_role(r, ROLE_VAL_LOSS, "val_loss");
	assert_role(r, ROLE_VAL_ACC, "val_accuracy");
	assert_role(r, ROLE_LR, "learning_rate");
	ck_assert(has_note(r, "train_runtime"));
	ck_assert_int_eq(r->axis, AXIS_EVAL);
	ck_assert_int_eq(r->framework, FW_TRANSFORMERS);
	char where[80];
	run_point_describe(r, 1, where, sizeof(where));
	ck_assert_str_eq(where, "evaluation 2 (step 40, epoch 2)");
	/* The training entries are the steps, each at its own line. */
	const struct run *st = r->steps;
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(st->axis, AXIS_STEP);
	ck_assert_uint_eq(st->n_epochs, 3);
	ck_assert_val(st, "loss", 0, 0.75);
	ck_assert_val(st, "grad_norm", 0, 2.0);
	ck_assert_int_eq(run_find_series(st, "eval_loss"), -1);
	ck_assert_double_eq(st->at_step[1], 20);
	ck_assert_double_eq(st->at_epoch[1], 1);
	ck_assert_int_eq(st->line[0], 5);
	ck_assert_int_eq(st->line[2], 8);
	ck_assert_int_eq(r->line[0], 7);
	ck_assert_int_eq(r->line[1], 9);
}
END_TEST

START_TEST(test_hf_without_eval)
{
	struct run *r = read_ok(TD "trainer_state_noeval.json", 1);
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_val(r, "loss", 0, 1.5);
	ck_assert_val(r, "loss", 1, 0.375);
	ck_assert_val(r, "learning_rate", 1, 1e-05);
}
END_TEST

START_TEST(test_json_truncated)
{
	EXPECT_ERROR("{\n \"loss\": [1, 2,\n", "line 2: JSON ends early (truncated file?)");
}
END_TEST

START_TEST(test_json_syntax)
{
	EXPECT_ERROR("{\n \"loss\": [1, 2 3]}", "line 2: JSON syntax error near '3]}'");
}
END_TEST

START_TEST(test_json_trailing_garbage)
{
	EXPECT_ERROR("{\"loss\": [1]}\n\nx", "line 3: unexpected text after the JSON document");
}
END_TEST

START_TEST(test_json_string_element)
{
	EXPECT_ERROR("{\"loss\": [1, \"abc\"]}", "key 'loss': element 2 is a string, not a number");
}
END_TEST

START_TEST(test_json_object_element)
{
	EXPECT_ERROR("{\"loss\": [1, {\"a\": 1}]}",
		     "key 'loss': element 2 is an object, not a number");
}
END_TEST

START_TEST(test_json_deep)
{
	size_t n = 100000;
	char *deep = xmalloc(n + 1);
	memset(deep, '[', n);
	deep[n] = '\0';
	expect_error(deep, n, "line 1: nesting deeper than 512 levels");
	free(deep);
}
END_TEST

START_TEST(test_json_no_lists)
{
	EXPECT_ERROR("{\"loss\": [], \"name\": \"x\"}",
		     "no numeric lists (keys found: 'loss', 'name')");
}
END_TEST

START_TEST(test_json_not_a_history)
{
	EXPECT_ERROR("[\"a\", \"b\"]", "a list of string values, not a history");
}
END_TEST

START_TEST(test_json_plain_string)
{
	EXPECT_ERROR("\"just text\"", "a JSON string, not a history");
}
END_TEST

START_TEST(test_json_empty_list)
{
	EXPECT_ERROR("[]", "an empty list, no epochs");
}
END_TEST

START_TEST(test_json_duplicate_key)
{
	EXPECT_ERROR("{\"loss\": [1], \"loss\": [2]}", "key 'loss' appears twice");
}
END_TEST

/* ---- text logs ---- */

START_TEST(test_keras_console)
{
	struct run *r = read_ok(TD "keras_console.log", 1);
	ck_assert_str_eq(r->format, "keras-console");
	ck_assert_uint_eq(r->n_epochs, 2);
	ck_assert_int_eq(r->line[0], 2);
	ck_assert_int_eq(r->line[1], 4);
	ck_assert_val(r, "loss", 0, 0.5);	/* the last redraw, not 0.9 */
	ck_assert_val(r, "loss", 1, 0.25);	/* after the backspaces */
	ck_assert_val(r, "val_accuracy", 1, 0.8125);
	ck_assert_int_eq(run_find_series(r, "ETA"), -1);
	assert_role(r, ROLE_VAL_ACC, "val_accuracy");
}
END_TEST

START_TEST(test_text_log)
{
	struct run *r = read_ok(TD "text_log.log", 1);
	ck_assert_str_eq(r->format, "text-log");
	ck_assert_uint_eq(r->n_epochs, 3);
	ck_assert_int_eq(r->line[2], 3);
	ck_assert_val(r, "Val Loss", 2, 0.0432);
	assert_role(r, ROLE_LOSS, "Train Loss");
	assert_role(r, ROLE_VAL_LOSS, "Val Loss");
}
END_TEST

START_TEST(test_text_percent_restart)
{
	read_ok(TD "text_percent_restart.log", 2);
	struct run *a = runs.v[0], *b = runs.v[1];
	ck_assert_val(a, "training accuracy", 1, 0.695);
	ck_assert_val(b, "training loss", 1, 0.610966);
	ck_assert_uint_eq(b->segment, 2);
	ck_assert_str_eq(b->label, TD "text_percent_restart.log (run 2 of 2, from line 3)");
	assert_role(a, ROLE_ACC, "training accuracy");
}
END_TEST

START_TEST(test_text_no_pairs)
{
	EXPECT_ERROR("Epoch 1/2\nEpoch 2/2\n",
		     "line 1: not a training history this tool can read "
		     "(no CSV header, JSON or epoch log found)");
}
END_TEST

/* ---- sniffing ---- */

START_TEST(test_sniff_order)
{
	const char *json = "{\"loss\": [1, 2]}";
	const char *csv = "epoch,loss\n0,1\n1,0.5\n";
	const char *log = "Epoch: [1/2], training loss: 1.5, acc: 50%\n"
			  "Epoch: [2/2], training loss: 1.2, acc: 60%\n";
	ck_assert_int_gt(reader_json.sniff(json, strlen(json)),
			 reader_csv.sniff(json, strlen(json)));
	ck_assert_int_gt(reader_csv.sniff(csv, strlen(csv)), 0);
	ck_assert_int_eq(reader_text.sniff(csv, strlen(csv)), 0);
	ck_assert_int_gt(reader_text.sniff(log, strlen(log)), reader_csv.sniff(log, strlen(log)));
	ck_assert_int_eq(reader_text.sniff("Epoch 1 done\nEpoch 2 done\n", 26), 0);
}
END_TEST

/* ---- step-logged runs and real-shaped broken files (testdata/steps-real) ---- */

#define SR "testdata/steps-real/"

static char *slurp(const char *path, size_t *len)
{
	char *buf;
	struct read_error e;
	ck_assert_msg(slurp_file(path, READ_WHOLE_MAX_BYTES, &buf, len, &e) == 0, "%s", path);
	return buf;
}

START_TEST(test_hf_eval_steps)
{
	struct run *r = read_ok(SR "hf-eval-steps/trainer_state.json", 1);
	ck_assert_int_eq(r->axis, AXIS_EVAL);
	ck_assert_uint_eq(r->n_epochs, 12);
	char where[80];
	run_point_describe(r, 11, where, sizeof(where));
	ck_assert_str_eq(where, "evaluation 12 (step 240, epoch 2.82)");
	ck_assert_ptr_nonnull(r->steps);
	ck_assert_uint_eq(r->steps->n_epochs, 25);
	ck_assert_int_eq(r->steps->framework, FW_TRANSFORMERS);
	const struct series *g = series(r->steps, "grad_norm");
	ck_assert_int_eq(g->kind, KIND_GRAD_NORM);
	ck_assert_int_eq(series(r, "val_loss")->split, SPLIT_VAL);
}
END_TEST

START_TEST(test_hf_healthy_steps)
{
	struct run *r = read_ok(SR "hf-healthy/trainer_state.json", 1);
	ck_assert_uint_eq(r->n_epochs, 3);
	ck_assert_uint_eq(r->steps->n_epochs, 51);
	ck_assert_double_eq(r->at_step[0], 85);
	ck_assert_double_eq(r->at_epoch[2], 3);
	ck_assert_int_eq(run_find_series(r->steps, "train_loss"), -1);
	ck_assert(!has_note(r, "logging_nan_inf_filter"));
}
END_TEST

START_TEST(test_hf_fp16_filter_note)
{
	struct run *r = read_ok(SR "hf-fp16-isolated/trainer_state.json", 1);
	ck_assert(has_note(r, "at 3 logged steps (first: step 74)"));
	ck_assert(has_note(r, "logging_nan_inf_filter"));
	ck_assert(!isfinite(val(r->steps, "grad_norm", 73)));
}
END_TEST

START_TEST(test_hf_summaries)
{
	static const char *const files[] = {
		SR "hf-healthy/all_results.json", SR "hf-healthy/eval_results.json",
		SR "hf-healthy/train_results.json",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		char *buf = slurp(files[i], &len);
		ck_assert_msg(history_is_summary(buf, len), "%s", files[i]);
		free(buf);
		ck_assert_int_eq(history_read(files[i], &runs, &err), -1);
		ck_assert_msg(strstr(err.msg, "a final summary of a run, not a history"), "%s",
			      err.msg);
	}
	static const char wandb[] = "{\"train/loss\": 1.5378, \"_step\": 20, \"_runtime\": 4717.2, "
				    "\"train_runtime\": 4713.12, \"_wandb\": {\"runtime\": 4716}}";
	ck_assert(history_is_summary(wandb, strlen(wandb)));
	ck_assert(history_is_summary("{\"_wandb\": {\"runtime\": 13}}", 27));
	/* Histories are not summaries. */
	size_t len;
	char *buf = slurp(SR "hf-healthy/trainer_state.json", &len);
	ck_assert(!history_is_summary(buf, len));
	free(buf);
	ck_assert(!history_is_summary("{\"loss\": [1, 2], \"eval_loss\": [1, 2]}", 37));
	ck_assert(!history_is_summary("{\"loss\": 0.5}", 13));
}
END_TEST

START_TEST(test_hf_prefix)
{
	size_t nf, n1, n2, n3, n4;
	char *final = slurp(SR "hf-eval-steps/trainer_state.json", &nf);
	char *c100 = slurp(SR "hf-eval-steps/checkpoint-100/trainer_state.json", &n1);
	char *c255 = slurp(SR "hf-eval-steps/checkpoint-255/trainer_state.json", &n2);
	char *c60 = slurp(SR "hf-eval-steps/checkpoint-60/trainer_state.json", &n3);
	char *other = slurp(SR "hf-healthy/trainer_state.json", &n4);
	ck_assert_int_eq(history_hf_prefix(c100, n1, final, nf), 1);
	ck_assert_int_eq(history_hf_prefix(final, nf, c100, n1), -1);
	ck_assert_int_eq(history_hf_prefix(c255, n2, final, nf), 1);
	ck_assert_int_eq(history_hf_prefix(c100, n1, c255, n2), 1);
	ck_assert_int_eq(history_hf_prefix(final, nf, final, nf), 1);
	/* An earlier run left in the same folder: another max_steps. */
	ck_assert_int_eq(history_hf_prefix(c60, n3, final, nf), 0);
	/* Same max_steps, other entries. */
	ck_assert_int_eq(history_hf_prefix(other, n4, final, nf), 0);
	ck_assert_int_eq(history_hf_prefix("{}", 2, final, nf), 0);
	ck_assert_int_eq(history_hf_prefix("{\"log", 5, final, nf), 0);
	free(final);
	free(c100);
	free(c255);
	free(c60);
	free(other);
}
END_TEST

START_TEST(test_broken_but_real)
{
	struct run *r = read_ok(SR "broken/quoted-all.csv", 1);
	ck_assert_uint_eq(r->n_epochs, 20);
	run_list_release(&runs);
	r = read_ok(SR "broken/excel-sep-line.csv", 1);
	ck_assert(has_note(r, "sep=,"));
	ck_assert_int_eq(r->line[0], 3);
	run_list_release(&runs);
	r = read_ok(SR "broken/at-equals-names.csv", 1);
	ck_assert_int_ge(run_find_series(r, "val_recall@k=3"), 0);
	run_list_release(&runs);
	r = read_ok(SR "broken/powershell-utf16.csv", 1);
	ck_assert(has_note(r, "decoded from UTF-16LE"));
	ck_assert_uint_eq(r->n_epochs, 20);
	run_list_release(&runs);
	r = read_ok(SR "broken/history-nested.json", 1);
	ck_assert(has_note(r, "nested under the single key '0'"));
	run_list_release(&runs);
	r = read_ok(SR "broken/history-cut.json", 1);
	ck_assert_uint_eq(r->n_epochs, 80);
	ck_assert_int_eq(run_find_series(r, "val_accuracy"), -1);
	ck_assert(has_note(r, "ends at line 293 inside 'val_accuracy'"));
	run_list_release(&runs);
	r = read_ok(SR "broken/history-validation-freq5.json", 1);
	ck_assert(missing(r, "val_loss", 3));
	ck_assert(!missing(r, "val_loss", 4));
	ck_assert(!missing(r, "val_loss", 19));
	run_list_release(&runs);
	r = read_ok(SR "broken/console-checkpoints.log", 1);
	ck_assert_uint_eq(r->n_epochs, 30);
	ck_assert_int_eq(run_find_series(r, "Test accuracy"), -1);
	run_list_release(&runs);
	r = read_ok(SR "keras-resumed-initial-epoch.csv", 1);
	ck_assert_uint_eq(r->n_epochs, 25);
	ck_assert_int_eq(r->line[10], 15);	/* the newer epoch 10 */
	ck_assert_int_eq(r->framework, FW_KERAS);
}
END_TEST

START_TEST(test_broken_errors)
{
	EXPECT_ERROR("epoch,loss\n\"0\",\"1,5\"\n",
		     "line 2: column 'loss': '1,5' is a number with a decimal comma, quoted "
		     "between commas; save the file with a decimal point, or with ';' between "
		     "fields");
	EXPECT_ERROR("{\"loss\": [1, 2, 3], \"val_loss\": [1, 2]}",
		     "key 'val_loss' holds 2 values but 'loss' holds 3: lists of different "
		     "lengths that fit no validation_freq; they cannot be lined up epoch by epoch");
	/* A fall back to an epoch the run never had is still an error. */
	EXPECT_ERROR("epoch,loss\n0,1\n2,2\n1,3\n",
		     "line 4: epoch 1 comes after epoch 2; epochs must increase "
		     "(only a fall back to 0 starts a new run)");
	static const char be[] = "\xFE\xFF\0e\0p\0o\0c\0h\0,\0l\0o\0s\0s\0\n\0" "0\0,\0" "1\0\n\0" "1\0,\0" "2";
	struct run *r;
	ck_assert_int_eq(history_read_buffer("t", be, sizeof(be) - 1, &runs, &err), 0);
	r = runs.v[0];
	ck_assert(has_note(r, "UTF-16BE"));
	ck_assert_val(r, "loss", 1, 2);
}
END_TEST

START_TEST(test_yolo_framework)
{
	struct run *r = read_text_ok("               epoch,      train/box_loss,   metrics/mAP_0.5,"
				     "       val/box_loss,               x/lr0\n"
				     "                   0,                0.1,               0.2,"
				     "                0.1,                0.01\n"
				     "                   1,               0.09,               0.3,"
				     "               0.09,                0.01\n");
	ck_assert_str_eq(r->format, "yolo-csv");
	ck_assert_int_eq(r->framework, FW_YOLO);
	ck_assert_int_ge(run_find_series(r, "train/box_loss"), 0);
}
END_TEST

/* ---- the shared corpus ---- */

struct corpus_count {
	size_t files, runs, epochs, with_loss, obvious, failed;
};

/* "loss", "train_loss", "val_loss" in any case: a loss a role must find. */
static int obvious_loss(const struct run *run)
{
	for (size_t i = 0; i < run->n_series; i++) {
		const char *n = run->series[i].name;
		if (strcasecmp(n, "loss") == 0 || strcasecmp(n, "train_loss") == 0 ||
		    strcasecmp(n, "val_loss") == 0)
			return 1;
	}
	return 0;
}

static void corpus_file(const char *path, struct corpus_count *c)
{
	struct run_list l = { NULL, 0, 0 };
	struct read_error e;
	c->files++;
	if (history_read(path, &l, &e)) {
		fprintf(stderr, "corpus: %s: %s\n", path, e.msg);
		c->failed++;
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct run *r = l.v[i];
		c->runs++;
		c->epochs += r->n_epochs;
		if (obvious_loss(r)) {
			c->obvious++;
			if (r->role[ROLE_LOSS] >= 0 || r->role[ROLE_VAL_LOSS] >= 0)
				c->with_loss++;
			else
				fprintf(stderr, "corpus: %s: no loss role mapped\n", path);
		}
	}
	run_list_release(&l);
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

/* Every file of dir (recursing when asked) but SOURCES.tsv and the README. */
static void corpus_dir(const char *dir, int recurse, struct corpus_count *c)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "SOURCES.tsv") == 0 ||
		    ends_with(de->d_name, ".md"))
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (recurse)
				corpus_dir(path, 1, c);
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			corpus_file(path, c);
		}
		free(path);
	}
	closedir(d);
}

START_TEST(test_corpus)
{
	if (!corpus_present())
		return;
	struct corpus_count pub = { 0 }, ol = { 0 };
	corpus_dir(CORPUS_DIR "/public", 0, &pub);
	corpus_dir(CORPUS_DIR "/autotrainer-ol", 1, &ol);
	fprintf(stderr, "corpus public: %zu files read, %zu runs, %zu epochs, "
		"%zu/%zu runs with a loss column have a loss role\n",
		pub.files - pub.failed, pub.runs, pub.epochs, pub.with_loss, pub.obvious);
	fprintf(stderr, "corpus autotrainer-ol: %zu files read, %zu runs, %zu epochs, "
		"%zu/%zu runs with a loss column have a loss role\n",
		ol.files - ol.failed, ol.runs, ol.epochs, ol.with_loss, ol.obvious);
	ck_assert_uint_eq(pub.failed, 0);
	ck_assert_uint_eq(ol.failed, 0);
	ck_assert_uint_gt(pub.files, 0);
	ck_assert_uint_eq(ol.files, 1054);
	ck_assert_uint_eq(pub.with_loss, pub.obvious);
	ck_assert_uint_eq(ol.with_loss, ol.obvious);
}
END_TEST

static Suite *readers_suite(void)
{
	Suite *s = suite_create("readers");
	TCase *steps = tcase_create("steps");
	tcase_add_checked_fixture(steps, setup, teardown);
	tcase_add_test(steps, test_hf_eval_steps);
	tcase_add_test(steps, test_hf_healthy_steps);
	tcase_add_test(steps, test_hf_fp16_filter_note);
	tcase_add_test(steps, test_hf_summaries);
	tcase_add_test(steps, test_hf_prefix);
	tcase_add_test(steps, test_broken_but_real);
	tcase_add_test(steps, test_broken_errors);
	tcase_add_test(steps, test_yolo_framework);
	suite_add_tcase(s, steps);

	TCase *csv = tcase_create("csv");
	tcase_add_checked_fixture(csv, setup, teardown);
	tcase_set_timeout(csv, 60);
	tcase_add_test(csv, test_keras_tf2);
	tcase_add_test(csv, test_keras_tf1_semicolon_crcrlf);
	tcase_add_test(csv, test_keras_restart_segments);
	tcase_add_test(csv, test_keras_every_row_epoch_zero);
	tcase_add_test(csv, test_one_based_capital_epoch);
	tcase_add_test(csv, test_pandas_index);
	tcase_add_test(csv, test_pandas_no_index);
	tcase_add_test(csv, test_plain_csv);
	tcase_add_test(csv, test_single_metric_column);
	tcase_add_test(csv, test_lightning);
	tcase_add_test(csv, test_per_batch);
	tcase_add_test(csv, test_empty_row_float_epoch);
	tcase_add_test(csv, test_array_column_skipped);
	tcase_add_test(csv, test_title_line_decimal_comma);
	tcase_add_test(csv, test_text_column_skipped);
	tcase_add_test(csv, test_csv_errors);
	tcase_add_test(csv, test_csv_ragged);
	tcase_add_test(csv, test_csv_not_a_number);
	tcase_add_test(csv, test_csv_no_metric_columns);
	tcase_add_test(csv, test_csv_unterminated_quote);
	tcase_add_test(csv, test_csv_duplicate_column);
	tcase_add_test(csv, test_csv_repeated_epoch);
	tcase_add_test(csv, test_csv_out_of_order);
	tcase_add_test(csv, test_csv_negative_epoch);
	tcase_add_test(csv, test_csv_fractional_epoch);
	tcase_add_test(csv, test_csv_numbers_as_header);
	tcase_add_test(csv, test_csv_long_line);
	tcase_add_test(csv, test_csv_checked_as_read);
	tcase_add_test(csv, test_csv_many_columns);
	suite_add_tcase(s, csv);

	TCase *json = tcase_create("json");
	tcase_add_checked_fixture(json, setup, teardown);
	tcase_add_test(json, test_history_json);
	tcase_add_test(json, test_json_nan_in_strings_untouched);
	tcase_add_test(json, test_epochs_metrics_json);
	tcase_add_test(json, test_json_records);
	tcase_add_test(json, test_pandas_json_columns);
	tcase_add_test(json, test_python_repr_string);
	tcase_add_test(json, test_hf_trainer_state);
	tcase_add_test(json, test_hf_without_eval);
	tcase_add_test(json, test_json_truncated);
	tcase_add_test(json, test_json_syntax);
	tcase_add_test(json, test_json_trailing_garbage);
	tcase_add_test(json, test_json_string_element);
	tcase_add_test(json, test_json_object_element);
	tcase_add_test(json, test_json_deep);
	tcase_add_test(json, test_json_no_lists);
	tcase_add_test(json, test_json_not_a_history);
	tcase_add_test(json, test_json_plain_string);
	tcase_add_test(json, test_json_empty_list);
	tcase_add_test(json, test_json_duplicate_key);
	suite_add_tcase(s, json);

	TCase *text = tcase_create("text");
	tcase_add_checked_fixture(text, setup, teardown);
	tcase_add_test(text, test_keras_console);
	tcase_add_test(text, test_text_log);
	tcase_add_test(text, test_text_percent_restart);
	tcase_add_test(text, test_text_no_pairs);
	tcase_add_test(text, test_sniff_order);
	suite_add_tcase(s, text);

	TCase *corpus = tcase_create("corpus");
	tcase_set_timeout(corpus, 300);
	tcase_add_test(corpus, test_corpus);
	suite_add_tcase(s, corpus);
	return s;
}

int main(void)
{
	return run_suite(readers_suite());
}
