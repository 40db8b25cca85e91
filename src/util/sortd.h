/*
 * Sorting and selecting doubles in place, without a comparison callback and
 * without scratch memory: what the noise estimates of src/checks/ need over
 * a whole series (a million epochs) and over a few dozen values alike.
 *
 * The values must not be NaN. The order is the one `<` gives, so the sorted
 * array holds the same values in the same places as qsort with
 * (x > y) - (x < y) would leave them, except that -0.0 comes before 0.0
 * (qsort leaves the two in either order; they compare equal).
 */
#ifndef SCRAM_SORTD_H
#define SCRAM_SORTD_H

#include <stddef.h>

/* Sort v[0..n-1] ascending: a quicksort for a few hundred values, an in-place
 * byte-wise radix sort (O(n), at most 8 passes) beyond. */
void sortd(double *v, size_t n);
/*
 * The k-th smallest (0-based) of v[0..n-1], k < n; reorders v so that
 * v[0..k-1] <= v[k] <= v[k+1..n-1]. O(n) expected, O(n) passes at worst.
 */
double sortd_select(double *v, size_t n, size_t k);
/* The median of v[0..n-1] (n >= 1), the mean of the middle two when n is
 * even, computed as (lo + hi) / 2 exactly as from a sorted array; reorders v. */
double sortd_median(double *v, size_t n);

#endif
