#include "step_common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/sortd.h"

int step_find_kind(const struct run *run, enum metric_kind kind)
{
	for (size_t i = 0; i < run->n_series; i++) {
		const struct series *s = &run->series[i];
		if (s->kind != kind || s->split != SPLIT_TRAIN)
			continue;
		for (size_t k = 0; k < run->n_epochs; k++)
			if (!run_is_missing(s, k))
				return (int)i;
	}
	return -1;
}

void step_where(struct values *out, const char *key, const struct run *run, size_t e)
{
	if (out == &values_discard)
		return;
	char buf[96];
	run_point_describe(run, e - 1, buf, sizeof(buf));
	values_word(out, key, buf);
}

const char *step_unit(const struct run *run)
{
	switch (run->axis) {
	case AXIS_STEP:
		return "logged steps";
	case AXIS_EVAL:
		return "evaluations";
	case AXIS_EPOCH:
		break;
	}
	return "epochs";
}

double step_median(double *v, size_t n)
{
	/* util/sortd.c's selection: the same middle values. */
	return sortd_median(v, n);
}

/* The first index of sorted[0..n) whose value is not below x. */
static size_t lower_bound(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void step_window_push(struct step_window *w, size_t cap, double x)
{
	if (cap > STEP_WINDOW_MAX)
		cap = STEP_WINDOW_MAX;
	size_t m = w->n;	/* values in the sorted copy */
	if (w->n < cap) {
		w->ring[(w->head + w->n) % cap] = x;
		w->n++;
	} else {
		/* The oldest leaves the sorted copy (which of equal values
		 * goes makes no difference). */
		size_t at = lower_bound(w->sorted, m, w->ring[w->head]);
		memmove(w->sorted + at, w->sorted + at + 1, (m - at - 1) * sizeof(double));
		m--;
		w->ring[w->head] = x;
		w->head = (w->head + 1) % cap;
	}
	size_t at = lower_bound(w->sorted, m, x);
	memmove(w->sorted + at + 1, w->sorted + at, (m - at) * sizeof(double));
	w->sorted[at] = x;
}

double step_window_median(const struct step_window *w)
{
	size_t n = w->n;
	double hi = w->sorted[n / 2];
	if (n % 2 || n / 2 == 0)
		return hi;
	return (w->sorted[n / 2 - 1] + hi) / 2;
}

/*
 * The deviations |v - m| in increasing order are a merge of the values at or
 * above m walking right (v - m) and those below walking left (m - v, which
 * is exactly |v - m|: rounding is symmetric). The middle one or two of them.
 */
double step_window_mad(const struct step_window *w, double m)
{
	const double *v = w->sorted;
	size_t n = w->n, right = lower_bound(v, n, m), left = right;
	double cur = 0, prev = 0;
	for (size_t t = 0; t <= n / 2; t++) {
		prev = cur;
		if (left > 0 && (right == n || m - v[left - 1] <= v[right] - m))
			cur = m - v[--left];
		else
			cur = v[right++] - m;
	}
	if (n % 2 || n / 2 == 0)
		return cur;
	return (prev + cur) / 2;
}

/* What "%.3e" and back gives; the slow path of step_sig4. */
static double sig4_printed(double x)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%.3e", x);
	double y;
	sscanf(buf, "%lf", &y);
	return y;
}

/*
 * Bit for bit what printing x with "%.3e" and reading it back gives, without
 * printing: the four digits m of x * 10^-q (q = exponent - 3) by one rounded
 * multiplication or division, then m * 10^q rounded once (Clinger's fast path: m <= 10^4 and
 * 10^|q| <= 10^22 are exact doubles), as strtod rounds it. m = 10^4 is right
 * too: printf then writes 1.000e(q+4), the same number. A product within
 * 1e-7 of a rounding tie or of 1000, or an exponent beyond the fast path,
 * takes the printing path: the one rounding of r is at most 2^-40 away from
 * the exact |x| * 10^-q, far inside that margin.
 */
double step_sig4(double x)
{
	static const double p10[23] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
	};
	if (x == 0 || !isfinite(x))
		return x;
	double ax = fabs(x);
	/* log10(2) * the binary exponent: the decimal one, or one below. */
	int q = (int)floor((double)ilogb(ax) * 0.30102999566398120) - 3;
	for (int tries = 0; tries < 3; tries++) {
		if (q < -22 || q > 22)
			return sig4_printed(x);
		double r = q < 0 ? ax * p10[-q] : ax / p10[q];
		if (r < 1000 - 1e-7) {
			q--;
			continue;
		}
		if (r >= 10000) {
			q++;
			continue;
		}
		double fl = floor(r), frac = r - fl;
		if (fabs(frac - 0.5) < 1e-7 || r < 1000 + 1e-7)
			return sig4_printed(x);
		double m = fl + (frac > 0.5);
		double y = q < 0 ? m / p10[-q] : m * p10[q];
		return x < 0 ? -y : y;
	}
	return sig4_printed(x);
}
