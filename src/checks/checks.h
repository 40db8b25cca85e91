/*
 * src/checks/: one detector per file, and the tables. Uses engine/, model/, util/.
 *
 * Every detector, for the tables in table.c and table_batch.c. */
#ifndef SCRAM_CHECKS_H
#define SCRAM_CHECKS_H

#include "../engine/detector.h"

/* From the epoch history. */
extern const struct detector detector_nan_loss;
extern const struct detector detector_exploding_loss;
extern const struct detector detector_negative_loss;
extern const struct detector detector_overfitting;
extern const struct detector detector_overfitting_gap;
extern const struct detector detector_oscillating_loss;
extern const struct detector detector_not_converging;
extern const struct detector detector_slow_convergence;
extern const struct detector detector_diverging_loss;
extern const struct detector detector_loss_not_decreasing;
extern const struct detector detector_early_stopping;
extern const struct detector detector_initial_loss;
extern const struct detector detector_val_better_than_train;
extern const struct detector detector_stuck_at_chance;
/* On a run's logged steps (step_*.c). */
extern const struct detector detector_zero_learning_rate;
extern const struct detector detector_spike;
extern const struct detector detector_nonfinite_grad_norm;
extern const struct detector detector_constant_loss;
extern const struct detector detector_diverging_step_loss;
extern const struct detector detector_stalled_loss;
extern const struct detector detector_slow_descent;
/* Against a reference run (--baseline; src/baseline.c sets its parameters). */
extern const struct detector detector_worse_than_baseline;

/* From batch statistics: declared in checks_batch.h. */
#include "checks_batch.h"

#endif
