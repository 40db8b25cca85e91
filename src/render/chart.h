/*
 * Charts of a run's loss and accuracy: a compact terminal chart (text
 * --chart) and the scaling the HTML report's SVG charts share with it, so
 * that both pick the same log scale and put an epoch in the same bucket.
 *
 * Nothing here keeps memory: chart_print writes and returns, and the helpers
 * fill what the caller hands them.
 */
#ifndef SCRAM_CHART_H
#define SCRAM_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "../engine/finding.h"
#include "../model/run.h"

/* The bounds chart_print clamps width and height to. */
#define CHART_MIN_WIDTH 20
#define CHART_MAX_WIDTH 200
#define CHART_MIN_HEIGHT 4
#define CHART_MAX_HEIGHT 40

/*
 * Print a chart of run's loss and val_loss, and below it (when the run has
 * them) acc and val_acc, over its epochs: `*` training, `o` validation, `#`
 * both in one cell, `!` at the top edge where a value is NaN or infinite.
 * Under the x-axis, a `^` marks the detected epoch of each finding in f, and
 * a legend names the rule of each. width is the whole line (y-axis labels
 * included), height the rows of each panel; both are clamped to the bounds
 * above. color adds ANSI colors. A NULL run prints nothing.
 */
void chart_print(FILE *out, const struct run *run, const struct finding *f, size_t n_f,
		 int width, int height, int color);

/*
 * Is a log scale better for these series (either may be NULL)? Yes when every
 * finite value is positive and they span more than 3 decades.
 */
int chart_log_scale(const double *a, const double *b, size_t n);

/*
 * The column (0..cols-1) of 0-based epoch i when n epochs are drawn in cols
 * columns: spread evenly when n <= cols, bucketed in order when n > cols.
 */
size_t chart_column(size_t i, size_t n, size_t cols);

/* Per column of one series: what its bucket of epochs held. */
struct chart_bucket {
	/* Of the finite values (log10 of them on a log scale); long double so
	 * that values near 1e308 add up without overflowing. */
	long double sum;
	size_t n;		/* finite values */
	int bad;		/* some value was NaN or infinite */
};

/*
 * Fill cols buckets (zeroed here) from the values v of a run of n epochs;
 * missing[i] (may be NULL) marks values the file did not have, which count
 * for nothing.
 */
void chart_bucket_fill(struct chart_bucket *b, size_t cols, const double *v,
		       const unsigned char *missing, size_t n, int log_scale);

/* An axis label: 3 significant digits, 0.412, 1e-4, 2.3e+6 as 2.3e6. Returns buf. */
char *chart_label(double x, char *buf, size_t len);

#endif
