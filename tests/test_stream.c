/*
 * Histories mapped, not copied (util/file.c: file_map_open and
 * file_release_before), and the streaming CSV reader: its honest limits,
 * and tricky files whose rows it splits itself, in place, checked against
 * the values they hold and against the same file with every cell quoted
 * (which takes libcsv's path for every line).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/run.h"
#include "read/reader.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "testutil.h"

static struct run_list runs;
static struct read_error err;
static char dir[64];

static void setup(void)
{
	memset(&runs, 0, sizeof(runs));
	memset(&err, 0, sizeof(err));
	snprintf(dir, sizeof(dir), "/tmp/scram-stream-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	run_list_release(&runs);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *write_file(const char *name, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static const struct series *series(const struct run *run, const char *name)
{
	int i = run_find_series(run, name);
	ck_assert_msg(i >= 0, "no series '%s'", name);
	return &run->series[i];
}

/* ---- mapping ---- */

/* A mapped file (FILE_MAP_MIN_BYTES or more) whose size is a whole number
 * of pages still ends in a NUL byte: the reservation is one byte longer than
 * the file. */
START_TEST(test_map_page_multiple)
{
	long page = sysconf(_SC_PAGESIZE);
	for (size_t pages = 0; pages <= 2; pages++) {
		size_t len = (FILE_MAP_MIN_BYTES + (size_t)page - 1) / (size_t)page * (size_t)page +
			     (size_t)page * pages;
		struct strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, "epoch,loss\n");
		for (int e = 0; sb.len + 16 < len; e++)
			strbuf_addf(&sb, "%d,0.5\n", e);
		/* Up to the page: a line of blanks (no row), the last byte '\n'. */
		while (sb.len < len - 1)
			strbuf_addc(&sb, ' ');
		strbuf_addc(&sb, '\n');
		char *path = write_file("p.csv", sb.buf, len);
		struct file_map m;
		ck_assert_int_eq(file_map_open(path, &m, &err), 0);
		ck_assert_uint_eq(m.len, len);
		ck_assert_ptr_nonnull(m.base);
		ck_assert_int_eq(m.buf[len], '\0');
		ck_assert_int_eq(memcmp(m.buf, sb.buf, len), 0);
		file_map_close(&m);
		ck_assert_int_eq(history_read(path, &runs, &err), 0);
		ck_assert_uint_gt(runs.v[0]->n_epochs, 10);
		run_list_release(&runs);
		memset(&runs, 0, sizeof(runs));
		free(path);
		strbuf_release(&sb);
	}
}
END_TEST

/* A file that shrinks under its mapping (a program rewriting it while it is
 * read) raises SIGBUS past its new end: the guard makes that an error. */
struct shrink {
	const char *path;
	const struct file_map *map;
	size_t sum;
};

static int shrink_then_read(void *arg)
{
	struct shrink *s = arg;
	ck_assert_int_eq(truncate(s->path, 0), 0);
	for (size_t i = 0; i < s->map->len; i++)
		s->sum += (unsigned char)s->map->buf[i];
	return 7;
}

static int no_shrink(void *arg)
{
	struct shrink *s = arg;
	s->sum = s->map->len;
	return 7;
}

/* A small file is read, not mapped: its copy ends in a NUL byte too. */
START_TEST(test_map_small_is_read)
{
	const char *text = "epoch,loss\n0,1\n1,0.5\n";
	char *path = write_file("small.csv", text, strlen(text));
	struct file_map m;
	ck_assert_int_eq(file_map_open(path, &m, &err), 0);
	ck_assert_ptr_null(m.base);
	ck_assert_ptr_nonnull(m.copy);
	ck_assert_uint_eq(m.len, strlen(text));
	ck_assert_int_eq(m.buf[m.len], '\0');
	ck_assert_int_eq(memcmp(m.buf, text, m.len), 0);
	file_map_close(&m);
	free(path);
}
END_TEST

START_TEST(test_map_shrinks_while_read)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = FILE_MAP_MIN_BYTES + (size_t)page * 3;
	char *text = xmalloc(len);
	memset(text, '1', len);
	char *path = write_file("s.csv", text, len);
	struct file_map m;
	ck_assert_int_eq(file_map_open(path, &m, &err), 0);
	struct shrink s = { path, &m, 0 };
	ck_assert_int_eq(file_map_guard(no_shrink, &s, &err), 7);
	ck_assert_int_eq(file_map_guard(shrink_then_read, &s, &err), -2);
	ck_assert_msg(strstr(err.msg, "shrank while it was read"), "%s", err.msg);
	file_map_close(&m);
	/* The guard is gone again: a later read works as before. */
	memset(&err, 0, sizeof(err));
	free(path);
	path = write_file("t.csv", "epoch,loss\n0,1\n1,0.5\n", 21);
	ck_assert_int_eq(history_read(path, &runs, &err), 0);
	free(path);
	free(text);
}
END_TEST

START_TEST(test_map_empty)
{
	char *path = write_file("e.csv", "", 0);
	struct file_map m;
	ck_assert_int_eq(file_map_open(path, &m, &err), 0);
	ck_assert_uint_eq(m.len, 0);
	ck_assert_int_eq(m.buf[0], '\0');
	file_map_close(&m);
	ck_assert_int_eq(history_read(path, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "empty file");
	free(path);
}
END_TEST

/* A FIFO is refused at once, never opened for a blocking read. */
START_TEST(test_map_fifo)
{
	char *path = xasprintf("%s/f.csv", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	struct file_map m;
	ck_assert_int_eq(file_map_open(path, &m, &err), -1);
	ck_assert_str_eq(err.msg, "not a regular file");
	ck_assert_int_eq(history_read(path, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "not a regular file");
	ck_assert_uint_eq(runs.n, 0);
	free(path);
}
END_TEST

/* Pages given back behind the cursor come back from the file when read
 * again: a Lightning file (read three times) of 12 MiB reads right. */
START_TEST(test_release_and_read_again)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "epoch,step,train_loss_step,val_loss,train_loss_epoch\n");
	size_t step = 0;
	int e;
	for (e = 0; sb.len < ((size_t)12 << 20); e++) {
		for (int b = 0; b < 9; b++, step++)
			strbuf_addf(&sb, "%d,%zu,%.6f,,\n", e, step, 1.0 / (double)(step + 1));
		strbuf_addf(&sb, "%d,%zu,,%.6f,\n", e, step - 1, 2.0 / (e + 1));
		strbuf_addf(&sb, "%d,%zu,,,%.6f\n", e, step - 1, 3.0 / (e + 1));
	}
	char *path = write_file("l.csv", sb.buf, sb.len);
	ck_assert_int_eq(history_read(path, &runs, &err), 0);
	ck_assert_uint_eq(runs.n, 1);
	const struct run *r = runs.v[0];
	ck_assert_str_eq(r->format, "lightning-csv");
	ck_assert_uint_eq(r->n_epochs, (size_t)e);
	ck_assert_ptr_nonnull(r->steps);
	ck_assert_uint_eq(r->steps->n_epochs, step);
	ck_assert(fabs(series(r, "val_loss")->v[e - 1] - 2.0 / e) < 1e-6);
	ck_assert(fabs(series(r->steps, "train_loss_step")->v[step - 1] - 1.0 / (double)step) < 1e-6);
	free(path);
	strbuf_release(&sb);
}
END_TEST

/* ---- limits ---- */

START_TEST(test_csv_too_many_fields)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "epoch");
	for (int i = 0; i < 100000; i++)
		strbuf_adds(&sb, ",m");
	strbuf_adds(&sb, "\n0,1\n");
	ck_assert_int_eq(history_read_buffer("t", sb.buf, sb.len, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "line 1: more than 100000 fields, the most a row may have");
	/* The same past a quoted cell (libcsv's path), on line 2. */
	sb.len = 0;
	strbuf_adds(&sb, "epoch,loss\n\"0\"");
	for (int i = 0; i < 100000; i++)
		strbuf_adds(&sb, ",1");
	strbuf_adds(&sb, "\n");
	ck_assert_int_eq(history_read_buffer("t", sb.buf, sb.len, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "line 2: more than 100000 fields, the most a row may have");
	ck_assert_uint_eq(runs.n, 0);
	strbuf_release(&sb);
}
END_TEST

/* 63 MiB of commas: refused at its first line, without a cell per comma. */
START_TEST(test_csv_line_too_long)
{
	size_t n = (size_t)17 << 20;
	char *buf = xmalloc(n + 32);
	strcpy(buf, "epoch,loss\n");
	size_t off = strlen(buf);
	memset(buf + off, '9', n);
	memcpy(buf + off + n, "\n", 2);
	ck_assert_int_eq(history_read_buffer("t", buf, off + n + 1, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "line 2: a line longer than 16 MiB, the most a row may be");
	/* A quoted cell that never closes, over lines. */
	buf[off] = '"';
	for (size_t i = off + 1000; i < off + n; i += 1000)
		buf[i] = '\n';
	ck_assert_int_eq(history_read_buffer("t", buf, off + n + 1, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "line 2: a line longer than 16 MiB, the most a row may be");
	/* A 2 MiB column name is still a name. */
	strcpy(buf, "epoch,loss,");
	memset(buf + 11, 'x', (size_t)2 << 20);
	strcpy(buf + 11 + ((size_t)2 << 20), "\n0,1.0,2.0\n1,0.5,1.5\n");
	ck_assert_int_eq(history_read_buffer("t", buf, strlen(buf), &runs, &err), 0);
	ck_assert_uint_eq(runs.v[0]->n_epochs, 2);
	free(buf);
}
END_TEST

/* ---- tricky files ---- */

struct tricky {
	const char *text;
	const char *format;
	size_t epochs;
	const char *name;	/* a series, and its values ("-" missing) */
	const char *values;
	const char *lines;	/* the file line of each point */
};

static const struct tricky tricky[] = {
	/* CRLF, blanks around cells, an empty row of separators */
	{ "epoch , loss ,val_loss\r\n 0 , 0.5 , 0.6\r\n,,\r\n1,\t0.25 ,\r\n", "keras-csv", 2,
	  "loss", "0.5 0.25", "2 4" },
	/* CR-only line ends (one line for the splitter: libcsv's rows) */
	{ "epoch,loss\r0,1\r1,0.5\r2,0.25\r", "keras-csv", 3, "loss", "1 0.5 0.25", "1 1 1" },
	/* a quoted header name over two lines, then plain rows */
	{ "epoch,\"lo\nss\",acc\n0,1,0.1\n1,NA,0.2\n2,0.5,null\n", "keras-csv", 3, "lo\nss",
	  "1 - 0.5", "3 4 5" },
	/* a quoted cell spanning lines in the middle of plain rows */
	{ "epoch,loss,note\n0,1,\"a\nb\"\n1,0.5,c\n2,0.25,\"d\"\"e\"\n", "keras-csv", 3,
	  "loss", "1 0.5 0.25", "2 4 5" },
	/* a lone CR inside a line ends a row */
	{ "epoch,loss\n0,1\r1,0.5\n2,0.25\n", "keras-csv", 3, "loss", "1 0.5 0.25", "2 2 3" },
	/* tab-separated, blank cells, a missing marker */
	{ "epoch\tloss\tacc\n0\t1\t \n1\t N/A \t0.5\n", "keras-csv", 2, "loss", "1 -",
	  "2 3" },
	/* Excel's sep= line and decimal commas */
	{ "sep=;\nepoch;loss\n0;1,5\n1;0,5\n", "keras-csv", 2, "loss", "1.5 0.5", "3 4" },
	/* a title line above the header, no final newline */
	{ "model_history_log\nepoch,loss\n0,1\n1,0.5", "keras-csv", 2, "loss", "1 0.5", "3 4" },
	/* a resume (initial_epoch) after a gap: the overlap is replaced */
	{ "epoch,loss\n0,1\n1,0.9\n3,0.7\n4,0.6\n3,0.65\n4,0.55\n5,0.5\n", "keras-csv", 5,
	  "loss", "1 0.9 0.65 0.55 0.5", "2 3 6 7 8" },
	/* a column with no value before its last row */
	{ "epoch,loss,lr\n0,1,\n1,0.5,\n2,0.25,0.001\n", "keras-csv", 3, "lr", "- - 0.001",
	  "2 3 4" },
	/* pandas: empty cells are NaN */
	{ ",loss,val_loss\n0,1,\n1,0.5,0.4\n", "pandas-csv", 2, "val_loss", "nan 0.4", "2 3" },
	/* per-batch rows: the mean of each epoch */
	{ "epoch,batch,loss\n0,0,1\n0,1,3\n1,0,0.5\n1,1,1.5\n", "csv", 2, "loss", "2 1", "2 4" },
};

/* Every cell of a CSV (lines ending in a newline, no quotes) quoted. */
static char *quote_all(const char *text, char sep)
{
	struct strbuf sb = STRBUF_INIT;
	int open = 0;
	for (const char *p = text; *p; p++) {
		if (!open) {
			strbuf_addc(&sb, '"');
			open = 1;
		}
		if (*p == sep || *p == '\n') {
			strbuf_addc(&sb, '"');
			strbuf_addc(&sb, *p);
			open = 0;
		} else {
			strbuf_addc(&sb, *p);
		}
	}
	if (open)
		strbuf_addc(&sb, '"');
	return strbuf_detach(&sb);
}

static void check_tricky(const struct tricky *t, const struct run *r)
{
	ck_assert_str_eq(r->format, t->format);
	ck_assert_uint_eq(r->n_epochs, t->epochs);
	const struct series *s = series(r, t->name);
	const char *v = t->values, *l = t->lines;
	for (size_t i = 0; i < t->epochs; i++) {
		while (*v == ' ')
			v++;
		if (*v == '-') {
			ck_assert_msg(run_is_missing(s, i), "%s: point %zu not missing", t->text, i);
			v++;
		} else {
			char *end;
			double want = strtod(v, &end);
			v = end;
			ck_assert_msg(!run_is_missing(s, i), "%s: point %zu missing", t->text, i);
			ck_assert_msg(isnan(want) ? isnan(s->v[i]) : s->v[i] == want,
				      "%s: point %zu is %g, not %g", t->text, i, s->v[i], want);
		}
		char *end;
		long want_line = strtol(l, &end, 10);
		l = end;
		ck_assert_msg(r->line[i] == (uint32_t)want_line, "%s: point %zu on line %u, not %ld",
			      t->text, i, r->line[i], want_line);
	}
}

START_TEST(test_csv_tricky)
{
	const struct tricky *t = &tricky[_i];
	ck_assert_msg(history_read_buffer("t", t->text, strlen(t->text), &runs, &err) == 0,
		      "%s: %s", t->text, err.msg);
	check_tricky(t, runs.v[0]);
	/* The file mapped gives the same. */
	char *path = write_file("t.csv", t->text, strlen(t->text));
	struct run_list again = { 0 };
	ck_assert_int_eq(history_read(path, &again, &err), 0);
	ck_assert_uint_eq(again.n, runs.n);
	check_tricky(t, again.v[0]);
	run_list_release(&again);
	free(path);
}
END_TEST

/* Plain rows split in place and the same rows with every cell quoted
 * (libcsv) give the same runs, bit for bit. */
START_TEST(test_csv_quoted_same)
{
	static const char *const texts[] = {
		"epoch,loss,val_loss\n0,1,1.1\n1,0.5,\n2,nan,0.3\n3,-inf,1e-300\n",
		"epoch,loss\n0,1\n1,2\n0,3\n1,4\n",
		",loss,acc\n0,1,0.1\n1,0.5,\n",
		"step,loss\n0,1\n10,0.9\n20,0.8\n",
		"epoch,step,train_loss_step,val_loss\n0,0,1,\n0,1,0.9,\n0,1,,0.8\n1,2,0.7,\n"
		"1,3,0.6,\n1,3,,0.5\n",
	};
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		struct run_list a = { 0 }, b = { 0 };
		char *q = quote_all(texts[k], ',');
		ck_assert_msg(history_read_buffer("t", texts[k], strlen(texts[k]), &a, &err) == 0,
			      "%s: %s", texts[k], err.msg);
		ck_assert_msg(history_read_buffer("t", q, strlen(q), &b, &err) == 0, "%s: %s", q,
			      err.msg);
		ck_assert_uint_eq(a.n, b.n);
		for (size_t r = 0; r < a.n; r++) {
			for (const struct run *x = a.v[r], *y = b.v[r]; x || y;
			     x = x->steps, y = y->steps) {
				ck_assert(x && y);
				ck_assert_str_eq(x->format, y->format);
				ck_assert_uint_eq(x->n_epochs, y->n_epochs);
				ck_assert_uint_eq(x->n_series, y->n_series);
				ck_assert_uint_eq(x->n_notes, y->n_notes);
				for (size_t s = 0; s < x->n_series; s++) {
					ck_assert_str_eq(x->series[s].name, y->series[s].name);
					ck_assert_int_eq(memcmp(x->series[s].v, y->series[s].v,
								x->n_epochs * sizeof(double)), 0);
				}
				ck_assert_int_eq(memcmp(x->line, y->line,
							x->n_epochs * sizeof(*x->line)), 0);
			}
		}
		run_list_release(&a);
		run_list_release(&b);
		free(q);
	}
}
END_TEST

/* Memory follows the data: a missing value is 8 bytes like any other. */
START_TEST(test_missing_payload)
{
	double m = run_missing();
	ck_assert(isnan(m));
	ck_assert(run_value_missing(m));
	ck_assert(!run_value_missing(NAN));
	ck_assert(!run_value_missing(-NAN));
	ck_assert(!run_value_missing(strtod("nan", NULL)));
	struct run *r = run_new("t", "csv");
	run_add_series(r, "loss");
	size_t e = run_add_epoch(r, 3);
	ck_assert(run_is_missing(&r->series[0], e));
	run_set(r, 0, e, m);	/* a NaN with the payload is stored as a NaN */
	ck_assert(!run_is_missing(&r->series[0], e));
	ck_assert(isnan(r->series[0].v[e]));
	ck_assert_uint_eq(r->line[e], 3);
	run_free(r);
}
END_TEST

static Suite *stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *map = tcase_create("map");
	tcase_add_checked_fixture(map, setup, teardown);
	tcase_set_timeout(map, 120);
	tcase_add_test(map, test_map_page_multiple);
	tcase_add_test(map, test_map_small_is_read);
	tcase_add_test(map, test_map_shrinks_while_read);
	tcase_add_test(map, test_map_empty);
	tcase_add_test(map, test_map_fifo);
	tcase_add_test(map, test_release_and_read_again);
	suite_add_tcase(s, map);
	TCase *csv = tcase_create("csv");
	tcase_add_checked_fixture(csv, setup, teardown);
	tcase_set_timeout(csv, 120);
	tcase_add_test(csv, test_csv_too_many_fields);
	tcase_add_test(csv, test_csv_line_too_long);
	tcase_add_loop_test(csv, test_csv_tricky, 0, (int)(sizeof(tricky) / sizeof(tricky[0])));
	tcase_add_test(csv, test_csv_quoted_same);
	tcase_add_test(csv, test_missing_payload);
	suite_add_tcase(s, csv);
	return s;
}

int main(void)
{
	return run_suite(stream_suite());
}
