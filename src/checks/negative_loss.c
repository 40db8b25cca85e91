/*
 * negative-loss (AUTOTRAINER check_abnormal_value).
 *
 * Condition: some finite loss[i] or val_loss[i], i <= e, is < 0. Cross-entropy,
 * mean squared error and the other usual losses cannot be negative, so a
 * negative value means the loss does not fit the model's outputs. -Infinity
 * is left to nan-loss.
 *
 * Unless started_negative is 1, a series whose first finite value is already
 * negative is left alone: that is a loss negative by design (a negative
 * log-likelihood of a continuous density without its constant, Keras's
 * CosineSimilarity), not a loss that broke; measured: the one public history
 * with a negative loss (PtychoPINN, a Poisson likelihood at -3.9e6 from its
 * first epoch) is such a loss. started_negative = 1 is AUTOTRAINER's test.
 * A classifier's loss (common.h's check_cross_entropy_at: the run has a
 * classification's accuracy) is a cross-entropy, never negative by design:
 * a public MLflow run logged train_loss -1.96e13 at its one epoch, with
 * val_accuracy 0.499 on cats and dogs.
 *
 * Parameters: started_negative (0: a loss negative from its first value is
 * negative by design; 1: it counts too).
 * Values: series, epoch (first negative value), value (that value), min and
 * min_epoch (the lowest value of that series so far).
 * Cost: O(1) per step.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

static const char *const keys[] = {
	"series", "epoch", "value", "min", "min_epoch"
};

static const enum role roles[2] = { ROLE_LOSS, ROLE_VAL_LOSS };

enum { P_STARTED };

static const struct param_def params[] = {
	{ "started_negative", PARAM_NUMBER, 0, NULL, 0, 1, NULL,
	  "1: also a loss negative from its first value (AUTOTRAINER); 0: that is by design" },
};

struct state {
	int fired;
	int which;
	size_t epoch;
	double value;
	int seen[2];
	int by_design[2];
	double min[2];
	size_t min_epoch[2];
};

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	for (int k = 0; k < 2; k++) {
		double x;
		if (!check_finite(ctx->run, roles[k], e, &x))
			continue;
		if (!s->seen[k] && x < 0 && ctx->param[P_STARTED].num < 0.5 &&
		    !check_cross_entropy_at(ctx->run, e))
			s->by_design[k] = 1;
		if (!s->fired && x < 0 && !s->by_design[k]) {
			s->fired = 1;
			s->which = k;
			s->epoch = e;
			s->value = x;
		}
		if (!s->seen[k] || x < s->min[k]) {
			s->min[k] = x;
			s->min_epoch[k] = e;
		}
		s->seen[k] = 1;
	}
	if (!s->fired)
		return 0;
	int k = s->which;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", run_role_name(ctx->run, roles[k]));
	values_epoch(out, "epoch", s->epoch);
	values_num(out, "value", s->value);
	values_num(out, "min", s->min[k]);
	values_epoch(out, "min_epoch", s->min_epoch[k]);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_negative_loss = {
	.name = "negative-loss",
	.summary = "loss or val_loss went below zero",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = check_prepare_losses,
	.step = step,
	.scan = scan,
};
