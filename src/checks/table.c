/* The epoch-history detectors: one line each (tmux's cmd_table in spirit). */
#include "checks.h"

const struct detector *const detector_table[] = {
	&detector_nan_loss,
	&detector_exploding_loss,
	&detector_negative_loss,
	&detector_overfitting,
	&detector_overfitting_gap,
	&detector_oscillating_loss,
	&detector_not_converging,
	&detector_slow_convergence,
	&detector_diverging_loss,
	&detector_loss_not_decreasing,
	&detector_early_stopping,
	&detector_initial_loss,
	&detector_val_better_than_train,
	&detector_stuck_at_chance,
	&detector_worse_than_baseline,
	&detector_zero_learning_rate,
	&detector_spike,
	&detector_nonfinite_grad_norm,
	&detector_constant_loss,
	&detector_diverging_step_loss,
	&detector_stalled_loss,
	&detector_slow_descent,
	NULL
};
