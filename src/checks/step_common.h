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
/* The value of series idx at point e (1-based) in *x; 0 when missing. */
int step_value(const struct run *run, int idx, size_t e, double *x);
/* Point e (1-based) as a person reads it, into a word value. */
void step_where(struct values *out, const char *key, const struct run *run, size_t e);
/* What the run's points are called, plural: "steps", "epochs", "evaluations". */
const char *step_unit(const struct run *run);
/* The median of v[0..n-1] (n >= 1); reorders v. O(n) expected. */
double step_median(double *v, size_t n);
/* x rounded to four significant digits (0 stays 0). */
double step_sig4(double x);

#endif
