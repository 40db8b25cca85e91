/*
 * Helpers the step-axis detectors (step_*.c) share: finding a series by its
 * kind, reading one point of it, naming a point as a person reads it, and a
 * median over a small buffer. Nothing here keeps memory; the run stays owned
 * by its caller.
 */
#ifndef SCRAM_CHECKS_STEP_COMMON_H
#define SCRAM_CHECKS_STEP_COMMON_H

#include <stddef.h>

#include "../engine/detector.h"
#include "../model/run.h"

/* The first training series of this kind with a value, or -1. */
int step_find_kind(const struct run *run, enum metric_kind kind);
/* The value of series idx at point e (1-based) in *x; 0 when missing.
 * Inline: read at every step. */
static inline int step_value(const struct run *run, int idx, size_t e, double *x)
{
	if (idx < 0 || e == 0 || e > run->n_epochs || run_is_missing(&run->series[idx], e - 1))
		return 0;
	*x = run->series[idx].v[e - 1];
	return 1;
}
/* Point e (1-based) as a person reads it, into a word value. */
void step_where(struct values *out, const char *key, const struct run *run, size_t e);
/* What the run's points are called, plural: "steps", "epochs", "evaluations". */
const char *step_unit(const struct run *run);
/* The median of v[0..n-1] (n >= 1); reorders v. O(n) expected (sortd_median). */
double step_median(double *v, size_t n);

/*
 * The last values of a series in a window of at most STEP_WINDOW_MAX, kept
 * in arrival order (a ring) and sorted, so that the median is read off and
 * the median absolute deviation is one merge walk: O(window) memmove per
 * value instead of two selections over a copy. The results are bit for bit
 * step_median's over the ring (and over |ring - m|). Values must not be NaN.
 */
#define STEP_WINDOW_MAX 256
struct step_window {
	double ring[STEP_WINDOW_MAX];
	double sorted[STEP_WINDOW_MAX];
	size_t n, head;
};
/* Add x; once n == cap, the oldest value leaves. */
void step_window_push(struct step_window *w, size_t cap, double x);
/* step_median of the values (n >= 1). */
double step_window_median(const struct step_window *w);
/* step_median of |value - m| over the values (n >= 1). */
double step_window_mad(const struct step_window *w, double m);

/* x rounded to four significant digits (0 stays 0). */
double step_sig4(double x);

#endif
