/*
 * The terminal chart over runs built by hand: one whole chart compared
 * exactly, then the cases that break naive charts (NaN and infinity, a
 * single epoch, 100,000 epochs, a range of many decades) and the placement
 * of the finding markers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "testutil.h"

/* A run with the given role series (names as Keras writes them), n epochs of missing values. */
static struct run *make_run(size_t n, int with_acc)
{
	struct run *run = run_new("h.csv", "keras-csv");
	run_add_series(run, "loss");
	run_add_series(run, "val_loss");
	if (with_acc) {
		run_add_series(run, "accuracy");
		run_add_series(run, "val_accuracy");
	}
	for (size_t i = 0; i < n; i++)
		run_add_epoch(run, (long)i + 2);
	return run;
}

/* Series index by name; the test's own runs always have it. */
static size_t series(const struct run *run, const char *name)
{
	int idx = run_find_series(run, name);
	ck_assert_int_ge(idx, 0);
	return (size_t)idx;
}

static char *chart(const struct run *run, const struct finding *f, size_t n_f, int w, int h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out);
	chart_print(out, run, f, n_f, w, h, 0);
	fclose(out);
	return buf;
}

/* The k-th line (0-based) of text, copied into line; 0 when there are fewer lines. */
static int nth_line(const char *text, int k, char *line, size_t len)
{
	const char *p = text;
	for (int i = 0; i < k; i++) {
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
	}
	if (!*p)
		return 0;
	size_t n = strcspn(p, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	return 1;
}

static struct rule rule_overfit = { .id = "overfitting", .severity = SEV_WARNING };
static struct rule rule_nan = { .id = "nan-loss", .severity = SEV_ERROR };

START_TEST(five_epochs_exact)
{
	static const double loss[] = { 3.0, 2.1, 1.2, 0.4, 0.0 };
	static const double val[] = { 3.0, 2.9, 2.0, 2.2, 2.8 };
	struct run *run = make_run(5, 0);
	for (size_t i = 0; i < 5; i++) {
		run_set(run, 0, i, loss[i]);
		run_set(run, 1, i, val[i]);
	}
	run_map_roles(run);
	struct finding f = { .rule = &rule_overfit, .detected_epoch = 3, .onset_epoch = 3 };
	char *got = chart(run, &f, 1, 30, 4);
	/* Width 30 leaves 27 columns after "3 |"; epochs 1..5 fall on columns
	 * 0, 7, 13, 20, 26, and rows 0..3 stand for 3, 2, 1, 0. */
	const char *want =
		"loss  * training  o validation\n"
		"  # both\n"
		"3 |#      o                  o\n"
		"  |       *     o      o\n"
		"  |             *\n"
		"0 |                    *     *\n"
		"  +---------------------------\n"
		"   1          epoch          5\n"
		"                ^\n"
		"   ^ 3 overfitting\n";
	ck_assert_str_eq(got, want);
	free(got);
	run_free(run);
}
END_TEST

START_TEST(nan_and_missing)
{
	struct run *run = make_run(5, 0);
	size_t l = series(run, "loss"), v = series(run, "val_loss");
	run_set(run, l, 0, 1.0);
	run_set(run, l, 1, 0.5);
	run_set(run, l, 2, NAN);
	run_set(run, l, 3, INFINITY);
	run_set(run, l, 4, -INFINITY);
	run_set(run, v, 0, 1.0);
	/* val_loss epochs 2..5 missing: blank, never '!' */
	run_map_roles(run);
	char *got = chart(run, NULL, 0, 30, 4);
	/* The finite values alone set the scale: 1 at the top, 0.5 at the bottom. */
	char line[256];
	ck_assert(nth_line(got, 1, line, sizeof(line)));
	ck_assert_str_eq(line, "  # both  ! NaN or infinite");
	ck_assert(nth_line(got, 2, line, sizeof(line)));
	ck_assert_str_eq(line, "  1 |#           !     !     !");
	ck_assert(nth_line(got, 5, line, sizeof(line)));
	ck_assert_str_eq(line, "0.5 |      *");
	ck_assert_ptr_null(strstr(got, "nan"));
	ck_assert_ptr_null(strstr(got, "-inf"));
	free(got);
	run_free(run);
}
END_TEST

START_TEST(all_values_nan)
{
	struct run *run = make_run(3, 0);
	for (size_t i = 0; i < 3; i++)
		run_set(run, 0, i, NAN);
	run_map_roles(run);
	char *got = chart(run, NULL, 0, 30, 4);
	char line[256];
	ck_assert(nth_line(got, 2, line, sizeof(line)));
	ck_assert_str_eq(line, "  |!            !            !");
	ck_assert_ptr_null(strstr(got, "nan"));
	free(got);
	run_free(run);
}
END_TEST

START_TEST(single_epoch)
{
	struct run *run = make_run(1, 1);
	run_set(run, series(run, "loss"), 0, 0.412);
	run_set(run, series(run, "accuracy"), 0, 0.5);
	run_set(run, series(run, "val_accuracy"), 0, 0.75);
	run_map_roles(run);
	struct finding f = { .rule = &rule_nan, .detected_epoch = 1 };
	char *got = chart(run, &f, 1, 40, 5);
	/* One loss value: labelled on the middle row, where the point is. */
	ck_assert_ptr_nonnull(strstr(got, "0.412 |*\n"));
	ck_assert_ptr_nonnull(strstr(got, " 0.75 |o\n"));
	ck_assert_ptr_nonnull(strstr(got, "  0.5 |*\n"));
	ck_assert_ptr_nonnull(strstr(got, "accuracy  * training  o validation"));
	/* The x-axis has the one epoch; the marker sits under it. */
	ck_assert_ptr_nonnull(strstr(got, "\n       1             epoch\n"));
	ck_assert_ptr_nonnull(strstr(got, "\n       ^\n       ^ 1 nan-loss\n"));
	free(got);
	run_free(run);
}
END_TEST

/*
 * Every line at most width characters; with legend_too 0, except the legend
 * (an item such as "^ 77778 oscillating-val-acc" is wider than the narrowest
 * chart, and goes on a line of its own).
 */
static void assert_width(const char *text, int width, int legend_too)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		size_t lead = strspn(p, " ");
		int legend = p[lead] == '^' && p[lead + 1] == ' ';
		ck_assert_msg((int)n <= width || (legend && !legend_too), "line of %zu > %d: %.*s",
			      n, width, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

START_TEST(hundred_thousand_epochs)
{
	const size_t n = 100000;
	struct run *run = make_run(n, 1);
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / (double)n;
		run_set(run, 0, i, 2.0 * exp(-3 * t) + 0.01 * sin((double)i));
		run_set(run, 1, i, 2.1 * exp(-2 * t) + 0.3 * t);
		run_set(run, 2, i, 1 - exp(-4 * t));
		run_set(run, 3, i, 0.9 - 0.8 * exp(-4 * t));
	}
	run_set(run, 0, 77777, NAN);
	run_map_roles(run);
	struct finding f[2] = {
		{ .rule = &rule_nan, .detected_epoch = 77778 },
		{ .rule = &rule_overfit, .detected_epoch = 60000 },
	};
	char *got = chart(run, f, 2, 72, 10);
	assert_width(got, 72, 1);
	ck_assert_ptr_nonnull(strstr(got, "100000\n"));
	ck_assert_ptr_nonnull(strstr(got, "^ 60000 overfitting  ^ 77778 nan-loss\n"));
	ck_assert_ptr_nonnull(strchr(got, '!'));
	free(got);

	/* Out-of-range sizes are clamped, not trusted. */
	got = chart(run, f, 2, 100000, 1000);
	assert_width(got, CHART_MAX_WIDTH, 1);
	free(got);
	got = chart(run, f, 2, -5, 0);
	assert_width(got, CHART_MIN_WIDTH, 0);
	int lines = 0;
	for (const char *p = got; *p; p++)
		lines += *p == '\n';
	/* Titles wrapped to 4 lines (loss) and 3 (accuracy), two panels of 4
	 * rows, an axis and the epochs; then markers and one line per legend item. */
	ck_assert_int_eq(lines, 4 + 3 + 2 * (CHART_MIN_HEIGHT + 2) + 1 + 2);
	free(got);
	run_free(run);
}
END_TEST

START_TEST(log_scale_switch)
{
	struct run *run = make_run(6, 0);
	static const double wide[] = { 1000, 100, 10, 1, 0.1, 0.01 };
	for (size_t i = 0; i < 6; i++)
		run_set(run, 0, i, wide[i]);
	run_map_roles(run);
	char *got = chart(run, NULL, 0, 40, 6);
	ck_assert_ptr_nonnull(strstr(got, "(log scale)"));
	/* Even decades make a straight line: one point per row. */
	ck_assert_ptr_nonnull(strstr(got, " 1e3 |*\n"));
	ck_assert_ptr_nonnull(strstr(got, "0.01 |                                 *\n"));
	ck_assert_ptr_nonnull(strstr(got, "     |       *\n"));
	free(got);
	run_free(run);

	/* Two decades: linear. */
	run = make_run(3, 0);
	run_set(run, 0, 0, 10);
	run_set(run, 0, 1, 1);
	run_set(run, 0, 2, 0.1);
	run_map_roles(run);
	got = chart(run, NULL, 0, 40, 6);
	ck_assert_ptr_null(strstr(got, "log"));
	free(got);
	run_free(run);

	/* A negative loss cannot go on a log scale. */
	ck_assert_int_eq(chart_log_scale(wide, NULL, 6), 1);
	static const double neg[] = { 1000, -0.01, 0.01 };
	ck_assert_int_eq(chart_log_scale(neg, NULL, 3), 0);
	static const double nanv[] = { NAN, 1e5, INFINITY, 1 };
	ck_assert_int_eq(chart_log_scale(NULL, nanv, 4), 1);
}
END_TEST

START_TEST(marker_columns)
{
	/* 490 epochs in 49 columns: 10 epochs a column. Loss 1 then 0 keeps
	 * the labels one character wide, so width 52 leaves 49 columns. */
	const size_t n = 490;
	struct run *run = make_run(n, 0);
	for (size_t i = 0; i < n; i++)
		run_set(run, 0, i, i < n / 2 ? 1 : 0);
	run_map_roles(run);
	struct finding f[3] = {
		{ .rule = &rule_overfit, .detected_epoch = 255 },	/* index 254: column 25 */
		{ .rule = &rule_nan, .detected_epoch = 1 },		/* column 0 */
		{ .rule = &rule_nan, .detected_epoch = 9999 },	/* past the end: last column */
	};
	char *got = chart(run, f, 3, 52, 4);
	char want[128];
	snprintf(want, sizeof(want), "\n   ^%*s^%*s^\n", 24, "", 22, "");
	ck_assert_msg(strstr(got, want) != NULL, "no marker row in:\n%s", got);
	ck_assert_ptr_nonnull(strstr(got, "   ^ 1 nan-loss  ^ 255 overfitting  ^ 9999 nan-loss\n"));
	/* The axis is 49 columns long. */
	ck_assert_ptr_nonnull(strstr(got, "  +-------------------------------------------------\n"));
	free(got);
	run_free(run);
}
END_TEST

START_TEST(empty_runs)
{
	char *got = chart(NULL, NULL, 0, 72, 10);
	ck_assert_str_eq(got, "");
	free(got);
	struct run *run = make_run(0, 0);
	run_map_roles(run);
	got = chart(run, NULL, 0, 72, 10);
	ck_assert_str_eq(got, "(no epochs to chart)\n");
	free(got);
	run_free(run);

	run = run_new("h.csv", "keras-csv");
	run_add_series(run, "lr");
	run_add_epoch(run, 2);
	run_set(run, 0, 0, 0.1);
	run_map_roles(run);
	got = chart(run, NULL, 0, 72, 10);
	ck_assert_str_eq(got, "(no loss or accuracy to chart)\n");
	free(got);
	run_free(run);
}
END_TEST

START_TEST(labels_and_columns)
{
	char buf[32];
	ck_assert_str_eq(chart_label(0.412, buf, sizeof(buf)), "0.412");
	ck_assert_str_eq(chart_label(1e-4, buf, sizeof(buf)), "1e-4");
	ck_assert_str_eq(chart_label(-0.000125, buf, sizeof(buf)), "-1.25e-4");
	ck_assert_str_eq(chart_label(2.5e6, buf, sizeof(buf)), "2.5e6");
	ck_assert_str_eq(chart_label(13.158, buf, sizeof(buf)), "13.2");
	ck_assert_str_eq(chart_label(0, buf, sizeof(buf)), "0");
	ck_assert_str_eq(chart_label(1, buf, sizeof(buf)), "1");
	ck_assert_str_eq(chart_label(0.001, buf, sizeof(buf)), "0.001");

	ck_assert_uint_eq(chart_column(0, 1, 50), 0);
	ck_assert_uint_eq(chart_column(0, 2, 50), 0);
	ck_assert_uint_eq(chart_column(1, 2, 50), 49);
	ck_assert_uint_eq(chart_column(99, 100, 10), 9);
	ck_assert_uint_eq(chart_column(10, 100, 10), 1);
	ck_assert_uint_eq(chart_column(1000, 100, 10), 9);
	size_t prev = 0;
	for (size_t i = 0; i < 200000; i += 7) {
		size_t c = chart_column(i, 200000, 61);
		ck_assert_uint_ge(c, prev);
		ck_assert_uint_lt(c, 61);
		prev = c;
	}
}
END_TEST

START_TEST(buckets_mean_and_bad)
{
	static const double v[] = { 1, 3, NAN, 5, 7, 9 };
	static const unsigned char miss[] = { 0, 0, 0, 0, 1, 0 };
	struct chart_bucket b[3];
	chart_bucket_fill(b, 3, v, miss, 6, 0);
	ck_assert_uint_eq(b[0].n, 2);
	ck_assert_double_eq(b[0].sum, 4);
	ck_assert_int_eq(b[0].bad, 0);
	ck_assert_uint_eq(b[1].n, 1);	/* NaN flagged, not averaged */
	ck_assert_int_eq(b[1].bad, 1);
	ck_assert_uint_eq(b[2].n, 1);	/* the missing 7 counts for nothing */
	ck_assert_double_eq(b[2].sum, 9);
}
END_TEST

/* Issue 14 item 16: values near +-1e308 overflowed hi - lo and the bucket
 * sums: every point was drawn on the top row. */
START_TEST(huge_values)
{
	static const double loss[] = { 1.5e308, -1.7e308, 1e308, -1e308 };
	struct run *run = make_run(4, 0);
	for (size_t i = 0; i < 4; i++)
		run_set(run, 0, i, loss[i]);
	run_map_roles(run);
	char *got = chart(run, NULL, 0, 30, 4);
	char line[128];
	/* Rows 0..3 are lines 1..4 (after the legend); the lowest value is on
	 * the bottom row, the highest on the top row. */
	ck_assert(nth_line(got, 1, line, sizeof(line)));
	ck_assert_ptr_nonnull(strstr(line, "1.5e308 |*"));
	ck_assert(nth_line(got, 4, line, sizeof(line)));
	ck_assert_msg(strstr(line, "-1.7e308 |") && strchr(line, '*'), "bottom row: %s", line);
	free(got);
	struct chart_bucket b[1];
	chart_bucket_fill(b, 1, loss, NULL, 4, 0);
	ck_assert(isfinite((double)(b[0].sum / (long double)b[0].n)));
	run_free(run);
}
END_TEST

static Suite *chart_suite(void)
{
	Suite *s = suite_create("chart");
	TCase *tc = tcase_create("chart");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, five_epochs_exact);
	tcase_add_test(tc, nan_and_missing);
	tcase_add_test(tc, all_values_nan);
	tcase_add_test(tc, single_epoch);
	tcase_add_test(tc, hundred_thousand_epochs);
	tcase_add_test(tc, log_scale_switch);
	tcase_add_test(tc, marker_columns);
	tcase_add_test(tc, empty_runs);
	tcase_add_test(tc, huge_values);
	tcase_add_test(tc, labels_and_columns);
	tcase_add_test(tc, buckets_mean_and_bad);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(chart_suite());
}
