/*
 * The speed-ups behind the noise estimates and constant-loss, against what
 * they replace: util/sortd.c against qsort (the same values in the same
 * places, medians bit for bit), step_sig4 against printing with "%.3e" and
 * reading back (random, tie and boundary values).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/step_common.h"
#include "util/sortd.h"
#include "testutil.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Values of one of several shapes: spread, few distinct, sorted, reversed. */
static void fill(double *v, size_t n, int shape)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t u = next();
		switch (shape) {
		case 0:
			v[i] = ((double)(u >> 11) * 0x1p-53 - 0.5) * pow(10, (double)(u % 9) - 4);
			break;
		case 1:
			v[i] = (double)(u % 7) / 8;	/* a coarse grid: many ties */
			break;
		case 2:
			v[i] = (double)i * 0.001;
			break;
		case 3:
			v[i] = (double)(n - i);
			break;
		default:
			memcpy(&v[i], &u, sizeof(u));
			if (isnan(v[i]))
				v[i] = (double)(u % 1000);
			break;
		}
	}
}

START_TEST(sort_matches_qsort)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 24, 25, 48, 49, 85, 300, 512, 513, 5000, 70000 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		size_t bytes = (n ? n : 1) * sizeof(double);
		double *a = malloc(bytes), *b = malloc(bytes), *orig = malloc(bytes);
		for (int shape = 0; shape < 5; shape++) {
			fill(orig, n, shape);
			memcpy(a, orig, n * sizeof(double));
			memcpy(b, orig, n * sizeof(double));
			qsort(a, n, sizeof(double), cmp_double);
			sortd(b, n);
			ck_assert_msg(memcmp(a, b, n * sizeof(double)) == 0, "n %zu shape %d", n, shape);
			for (size_t t = 0; n && t < 3; t++) {
				size_t k = t == 0 ? n / 2 : t == 1 ? 0 : n - 1;
				memcpy(b, orig, n * sizeof(double));
				double x = sortd_select(b, n, k);
				ck_assert_msg(memcmp(&x, &a[k], sizeof(x)) == 0, "select n %zu k %zu", n, k);
				for (size_t i = 0; i < n; i++)
					ck_assert(i < k ? b[i] <= x : i > k ? b[i] >= x : b[i] == x);
				memcpy(b, orig, n * sizeof(double));
				double m = sortd_median(b, n);
				double want = n % 2 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
				ck_assert_msg(memcmp(&m, &want, sizeof(m)) == 0, "median n %zu", n);
			}
		}
		free(a);
		free(b);
		free(orig);
	}
}
END_TEST

static double sig4_printed(double x)
{
	if (x == 0 || !isfinite(x))
		return x;
	char buf[32];
	snprintf(buf, sizeof(buf), "%.3e", x);
	return strtod(buf, NULL);
}

START_TEST(sig4_matches_printf)
{
	for (long i = 0; i < 300000; i++) {
		uint64_t u = next();
		double x;
		switch (i % 5) {
		case 0:
			memcpy(&x, &u, sizeof(x));
			if (!isfinite(x))
				x = 1;
			break;
		case 1:
			x = (double)(u % 100000000) / pow(10, (double)(next() % 12));
			break;
		case 2:	/* ties: half way between two four-digit numbers */
			x = ((double)(u % 9000 + 1000) + 0.5) * pow(10, (double)((int)(next() % 30) - 15));
			break;
		case 3:	/* float32 values, as Keras logs them */
			x = (float)((double)(u >> 11) * 0x1p-53 * pow(10, (double)((int)(next() % 20) - 10)));
			break;
		default:	/* near the decade boundaries */
			x = (9999.5 + ((double)(u % 2001) - 1000) * 1e-6) * pow(10, (double)((int)(next() % 20) - 10));
			break;
		}
		if (next() & 1)
			x = -x;
		double a = step_sig4(x), b = sig4_printed(x);
		ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "%.17g: %.17g, printf %.17g", x, a, b);
	}
}
END_TEST

/* The sorted window gives step_median's medians and MADs, over windows of
 * every size, with repeated values, huge ones and negative ones: the same
 * doubles (== : which of 0 and -0 is the middle one may differ, as it does
 * between two selection orders). */
START_TEST(window_matches_step_median)
{
	static const size_t caps[] = { 1, 2, 3, 4, 5, 8, 21, 50, 256 };
	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		size_t cap = caps[c];
		struct step_window w;
		memset(&w, 0, sizeof(w));
		double ring[STEP_WINDOW_MAX], buf[STEP_WINDOW_MAX];
		size_t n = 0, head = 0;
		for (long i = 0; i < 6000; i++) {
			uint64_t u = next();
			double x;
			switch (u % 4) {
			case 0:	/* few distinct values: ties everywhere */
				x = (double)(next() % 5);
				break;
			case 1:
				x = (double)(next() >> 11) * 0x1p-53 * 10 - 5;
				break;
			case 2:
				x = (float)((double)(next() >> 11) * 0x1p-53);
				break;
			default:
				x = (next() & 1 ? 1e300 : -1e-300) * (double)(next() % 7);
				break;
			}
			step_window_push(&w, cap, x);
			if (n < cap) {
				ring[n++] = x;
			} else {
				ring[head] = x;
				head = (head + 1) % cap;
			}
			ck_assert_uint_eq(w.n, n);
			memcpy(buf, ring, n * sizeof(double));
			double m = step_median(buf, n), a = step_window_median(&w);
			ck_assert_msg(m == a, "median %.17g vs %.17g", a, m);
			for (size_t k = 0; k < n; k++)
				buf[k] = fabs(ring[k] - m);
			double d = step_median(buf, n), b = step_window_mad(&w, m);
			ck_assert_msg(d == b, "mad %.17g vs %.17g", b, d);
		}
	}
}
END_TEST

static Suite *sortd_suite(void)
{
	Suite *s = suite_create("sortd");
	TCase *tc = tcase_create("sortd");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sort_matches_qsort);
	tcase_add_test(tc, sig4_matches_printf);
	tcase_add_test(tc, window_matches_step_median);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(sortd_suite());
}
