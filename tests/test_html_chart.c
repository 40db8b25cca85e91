/*
 * The HTML report's chart data (html_chart.h): written, then decoded here as
 * html.js decodes it, for the cases that break naive charts: NaN, infinity
 * and missing values, one point, a million points, values that are not all
 * positive (linear mode), a range near +-1e308.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/html_chart.h"
#include "model/run.h"
#include "testutil.h"

struct decoded {
	char mode[3];
	size_t cols;
	double lo, hi;
	char bad[256];
	size_t n_codes;
	unsigned *code;
	size_t chars;
};

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *encode(const double *v, const unsigned char *miss, size_t n, size_t cols, int mm)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	html_series_data(f, v, miss, n, cols, mm);
	fclose(f);
	return buf;
}

static void decode(const char *s, struct decoded *d)
{
	memset(d, 0, sizeof(*d));
	const char *semi = strchr(s, ';');
	ck_assert_ptr_nonnull(semi);
	char head[512];
	ck_assert_uint_lt((size_t)(semi - s), sizeof(head));
	memcpy(head, s, (size_t)(semi - s));
	head[semi - s] = 0;
	char *save = NULL, *tok = strtok_r(head, ",", &save);
	ck_assert_uint_eq(strlen(tok), 2);
	strcpy(d->mode, tok);
	d->cols = strtoul(strtok_r(NULL, ",", &save), NULL, 10);
	d->lo = strtod(strtok_r(NULL, ",", &save), NULL);
	d->hi = strtod(strtok_r(NULL, ",", &save), NULL);
	tok = strtok_r(NULL, ",", &save);
	snprintf(d->bad, sizeof(d->bad), "%s", tok ? tok : "");
	ck_assert(isfinite(d->lo) && isfinite(d->hi) && d->lo <= d->hi);
	const char *c = semi + 1;
	d->chars = strlen(c);
	ck_assert_uint_eq(d->chars % 3, 0);
	d->code = calloc(d->chars / 3 * 2 + 1, sizeof(unsigned));
	for (size_t i = 0; i + 2 < d->chars; i += 3) {
		unsigned v = 0;
		for (int k = 0; k < 3; k++) {
			const char *p = strchr(b64, c[i + (size_t)k]);
			ck_assert_ptr_nonnull(p);
			v = v << 6 | (unsigned)(p - b64);
		}
		d->code[d->n_codes++] = v >> 9;
		d->code[d->n_codes++] = v & 511;
	}
	size_t k = d->mode[1] == '3' ? 3 : 1;
	ck_assert_uint_eq(d->n_codes, (d->cols * k + 1) / 2 * 2);
}

/* The value a code stands for, as html.js computes it. */
static double value(const struct decoded *d, unsigned q)
{
	double t = q / (double)HTML_CODE_MAX, x = d->lo * (1 - t) + d->hi * t;
	return d->mode[0] == 'l' ? pow(10, x) : x;
}

START_TEST(short_series_exact_points)
{
	double v[5] = { 2.0, 1.0, 0.5, 0.25, 0.125 };
	char *s = encode(v, NULL, 5, 400, 1);
	struct decoded d;
	decode(s, &d);
	/* All positive: log mode; five points, five columns, one code each. */
	ck_assert_str_eq(d.mode, "l1");
	ck_assert_uint_eq(d.cols, 5);
	ck_assert_str_eq(d.bad, "");
	for (size_t i = 0; i < 5; i++)
		ck_assert_double_eq_tol(value(&d, d.code[i]), v[i], v[i] * 0.01);
	ck_assert_uint_eq(d.code[5], HTML_CODE_GAP);	/* the pad of an odd count */
	free(d.code);
	free(s);
}
END_TEST

START_TEST(nan_inf_missing)
{
	double v[6] = { 1.0, NAN, -0.5, INFINITY, 0.0, 3.0 };
	unsigned char miss[6] = { 0, 0, 0, 0, 1, 0 };
	char *s = encode(v, miss, 6, 400, 1);
	struct decoded d;
	decode(s, &d);
	/* A negative value: linear. NaN and inf are BAD columns and gaps;
	 * the missing value is a gap only. */
	ck_assert_str_eq(d.mode, "n1");
	ck_assert_str_eq(d.bad, "1.3");
	ck_assert_uint_eq(d.code[1], HTML_CODE_GAP);
	ck_assert_uint_eq(d.code[3], HTML_CODE_GAP);
	ck_assert_uint_eq(d.code[4], HTML_CODE_GAP);
	ck_assert_double_eq_tol(value(&d, d.code[0]), 1.0, 0.01);
	ck_assert_double_eq_tol(value(&d, d.code[2]), -0.5, 0.01);
	ck_assert_double_eq_tol(value(&d, d.code[5]), 3.0, 0.01);
	ck_assert(strstr(s, "nan") == NULL && strstr(s, "inf") == NULL);
	free(d.code);
	free(s);
}
END_TEST

/* The run model marks a missing value in the value itself (run_missing):
 * a gap, never a "bad" (NaN) column. */
START_TEST(model_missing_payload)
{
	double v[6] = { 1.0, NAN, -0.5, INFINITY, run_missing(), 3.0 };
	char *s = encode(v, NULL, 6, 400, 1);
	struct decoded d;
	decode(s, &d);
	ck_assert_str_eq(d.bad, "1.3");
	ck_assert_uint_eq(d.code[4], HTML_CODE_GAP);
	free(d.code);
	free(s);
}
END_TEST

START_TEST(million_points_three_codes)
{
	size_t n = 1000000;
	double *v = malloc(n * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = 1.0 + (i % 2 ? 0.5 : -0.5) + (double)i / (double)n;	/* noise around a ramp */
	v[777777] = NAN;
	char *s = encode(v, NULL, n, 400, 1);
	struct decoded d;
	decode(s, &d);
	/* 400 columns of mean, min, max: 600 characters, whatever n. */
	ck_assert_str_eq(d.mode, "l3");
	ck_assert_uint_eq(d.cols, 400);
	ck_assert_uint_eq(d.chars, 1800);
	ck_assert_str_eq(d.bad, "311");	/* 777777 * 400 / 1e6 */
	for (size_t c = 0; c < 400; c++) {
		double mean = value(&d, d.code[3 * c]), lo = value(&d, d.code[3 * c + 1]),
		       hi = value(&d, d.code[3 * c + 2]);
		ck_assert(lo <= mean * 1.01 && mean <= hi * 1.01);
		ck_assert_double_eq_tol(hi - lo, 1.0, 0.05);	/* the noise band kept */
	}
	/* Without minmax (sparklines), the means only. */
	char *s1 = encode(v, NULL, n, 48, 0);
	struct decoded d1;
	decode(s1, &d1);
	ck_assert_str_eq(d1.mode, "l1");
	ck_assert_uint_eq(d1.cols, 48);
	free(d.code);
	free(d1.code);
	free(s);
	free(s1);
	free(v);
}
END_TEST

START_TEST(edge_sizes_and_ranges)
{
	struct decoded d;
	double one = 0.7;
	char *s = encode(&one, NULL, 1, 400, 1);
	decode(s, &d);
	ck_assert_uint_eq(d.cols, 1);
	ck_assert_double_eq_tol(value(&d, d.code[0]), 0.7, 0.001);
	free(d.code);
	free(s);
	s = encode(NULL, NULL, 0, 400, 1);
	decode(s, &d);
	ck_assert_uint_eq(d.cols, 0);
	ck_assert_uint_eq(d.n_codes, 0);
	free(d.code);
	free(s);
	double huge[4] = { 1e308, -1.7e308, 1.5e308, -1e308 };
	s = encode(huge, NULL, 4, 400, 1);
	decode(s, &d);
	ck_assert_str_eq(d.mode, "n1");
	for (size_t i = 0; i < 4; i++) {
		double x = value(&d, d.code[i]);
		ck_assert(isfinite(x));
		ck_assert_double_eq_tol(x / 1e308, huge[i] / 1e308, 0.02);
	}
	free(d.code);
	free(s);
	double nans[3] = { NAN, NAN, NAN };
	s = encode(nans, NULL, 3, 400, 1);
	decode(s, &d);
	ck_assert_str_eq(d.bad, "0.1.2");
	for (size_t i = 0; i < 3; i++)
		ck_assert_uint_eq(d.code[i], HTML_CODE_GAP);
	free(d.code);
	free(s);
}
END_TEST

static Suite *html_chart_suite(void)
{
	Suite *s = suite_create("html_chart");
	TCase *tc = tcase_create("html_chart");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, short_series_exact_points);
	tcase_add_test(tc, nan_inf_missing);
	tcase_add_test(tc, model_missing_payload);
	tcase_add_test(tc, million_points_three_codes);
	tcase_add_test(tc, edge_sizes_and_ranges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(html_chart_suite());
}
