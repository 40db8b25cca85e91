/*
 * --baseline: the reference a run is compared with (issue: failures no single-
 * run rule can see, such as shuffled labels or the wrong data set). The
 * reference is one run's best metrics, or the median of every analyzed run's.
 */
#ifndef SCRAM_BASELINE_H
#define SCRAM_BASELINE_H

#include "../model/run.h"
#include "rules.h"

/* Best values of a run; NaN where the run lacks the series. */
struct best_metrics {
	double loss;		/* minimum training loss */
	double val_loss;	/* minimum validation loss */
	double acc;		/* maximum training accuracy */
	double val_acc;		/* maximum validation accuracy */
};

void best_metrics_of(const struct run *run, struct best_metrics *out);
/* The element-wise median of n metrics (NaN entries ignored). */
void best_metrics_median(const struct best_metrics *v, size_t n, struct best_metrics *out);

#endif
