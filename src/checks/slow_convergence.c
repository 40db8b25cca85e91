/*
 * slow-convergence (AUTOTRAINER sc_accuracy).
 *
 * Condition: the largest single-epoch gain max_i (a[i+1] - a[i]), i+1 <= e,
 * is below delta (default 0.01) for both acc and val_acc, and neither has
 * reached converged_acc (default 0.9). A run with only one of the two is
 * judged on that one; a series needs two consecutive values for a gain.
 * The rule adds the judgment point 0.3.
 *
 * Why converged_acc: AUTOTRAINER's test alone fires on every fine-tuned or
 * easy run that is near its ceiling after the first epoch (acc 0.97, 0.975,
 * 0.98 ... gains well under 0.01), which is not slow but done. Setting it
 * above 1 (the bound is 2) gives the source's literal test.
 *
 * fit_loss (default 0 here, 0.5 in the rule file): with no training
 * accuracy, a training loss that fell to (1 - fit_loss) of its first value
 * shows an optimization that works: a fine-tune logging eval_accuracy alone,
 * flat at 0.88 from its first evaluation while its loss falls from 0.7 to
 * 0.05, is at its ceiling (or overfitting), not slow. not-converging judges
 * the same evidence the same way.
 *
 * Values: gain_acc and gain_acc_epoch (the largest gain of acc and the epoch
 * it ended at), gain_val_acc and gain_val_acc_epoch, gain (the larger of the
 * two), best (the highest accuracy so far).
 * Cost: O(1) per step.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_DELTA, P_CONVERGED, P_NOISE, P_FIT_LOSS };

static const struct param_def params[] = {
	{ "delta", PARAM_NUMBER, 0.01, NULL, 0, 1, NULL,
	  "a single-epoch accuracy gain below this is slow" },
	{ "converged_acc", PARAM_NUMBER, 0.9, NULL, 0, 2, NULL,
	  "no finding once accuracy reached this (above 1: never; the source's test)" },
	{ "noise", PARAM_NUMBER, 0, NULL, 0, 100, NULL,
	  "a gain counts beyond this many noise widths of an epoch-to-epoch change (0: off)" },
	{ "fit_loss", PARAM_NUMBER, 0, NULL, 0, 1, NULL,
	  "without a training accuracy, no finding once the training loss fell by this share of its first value (0: off)" },
};

static const char *const keys[] = {
	"gain", "gain_acc", "gain_acc_epoch", "gain_val_acc", "gain_val_acc_epoch",
	"best", "noise_acc", "noise_val_acc"
};

static const enum role roles[2] = { ROLE_ACC, ROLE_VAL_ACC };

struct state {
	int have_gain[2];
	double gain[2];
	size_t gain_epoch[2];
	int have_best;
	double best;
	double sd[2];		/* noise of an epoch-to-epoch change, per series */
	/* noise = 0: sd is needed only for the values, and is worked out when
	 * they are written, as of the run's length at prepare() (n0). */
	int sd_later[2];
	size_t n0;
	struct loss_fit loss;	/* the training loss's first and lowest */
	/* Each series' value at the epoch before, NaN when it had none: the
	 * step before read it already. */
	double prev[2];
	/* The parameters, read once, and whether the run has a training
	 * accuracy. */
	double delta, converged, noise, fit;
	int has_acc;
};

/* Does the run have the role, with every finite value within 1e300? */
static int bounded(const struct run *run, enum role role)
{
	const double *v = run_role(run, role);
	if (!v)
		return 0;
	for (size_t i = 0; i < run->n_epochs; i++)
		if (isfinite(v[i]) && fabs(v[i]) > 1e300)
			return 0;
	return 1;
}

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	if (check_prepare_accuracies(state, ctx, why) < 0)
		return -1;
	if (!check_accuracy_is_classification(ctx->run)) {
		*why = check_accuracy_why(ctx->run);
		return -1;
	}
	struct state *s = state;
	s->delta = ctx->param[P_DELTA].num;
	s->converged = ctx->param[P_CONVERGED].num;
	s->noise = ctx->param[P_NOISE].num;
	s->n0 = ctx->run->n_epochs;
	for (int k = 0; k < 2; k++) {
		double n;
		s->prev[k] = NAN;
		/* A noise of values all within 1e300 is finite, so 0 times it
		 * is 0 and the test needs no noise: two sorts saved per run. */
		if (s->noise == 0 && bounded(ctx->run, roles[k]))
			s->sd_later[k] = 1;
		else
			s->sd[k] = check_has(ctx->run, roles[k])
				   ? sqrt(2.0) * check_accuracy_noise(ctx->run, roles[k], &n) : 0;
	}
	s->fit = ctx->param[P_FIT_LOSS].num;
	s->has_acc = check_has(ctx->run, ROLE_ACC);
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double delta = s->delta;
	double converged = s->converged;
	for (int k = 0; k < 2; k++) {
		double x, prev = s->prev[k];
		if (!check_value(ctx->run, roles[k], e, &x) || isnan(x)) {
			s->prev[k] = NAN;
			continue;
		}
		s->prev[k] = x;
		if (!s->have_best || x > s->best) {
			s->have_best = 1;
			s->best = x;
		}
		if (isnan(prev))
			continue;
		double g = x - prev;
		if (!s->have_gain[k] || g > s->gain[k]) {
			s->have_gain[k] = 1;
			s->gain[k] = g;
			s->gain_epoch[k] = e;
		}
	}
	loss_fit_step(&s->loss, ctx->run, e);
	if (!s->have_gain[0] && !s->have_gain[1])
		return 0;
	/* No training accuracy: the training loss is the training side's
	 * evidence. One that fell by fit_loss of its first value is an
	 * optimization that works (as not-converging judges it); a validation
	 * accuracy that stays flat then is the task's ceiling or overfitting,
	 * and a higher learning rate is the wrong advice. */
	double fit = s->fit;
	if (!s->has_acc && loss_fit_done(&s->loss, fit))
		return 0;
	if (s->best >= converged)
		return 0;
	for (int k = 0; k < 2; k++)
		if (s->have_gain[k] &&
		    !(s->gain[k] - s->noise * s->sd[k] < delta))
			return 0;
	double g = -INFINITY;
	for (int k = 0; k < 2; k++)
		if (s->have_gain[k] && s->gain[k] > g)
			g = s->gain[k];
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_num(out, "gain", g);
	if (s->have_gain[0]) {
		values_num(out, "gain_acc", s->gain[0]);
		values_epoch(out, "gain_acc_epoch", s->gain_epoch[0]);
	}
	if (s->have_gain[1]) {
		values_num(out, "gain_val_acc", s->gain[1]);
		values_epoch(out, "gain_val_acc_epoch", s->gain_epoch[1]);
	}
	values_num(out, "best", s->best);
	for (int k = 0; k < 2; k++) {
		double n;
		if (s->sd_later[k]) {
			s->sd[k] = sqrt(2.0) * check_accuracy_noise_at(ctx->run, roles[k], s->n0, &n);
			s->sd_later[k] = 0;
		}
	}
	if (s->have_gain[0])
		values_num(out, "noise_acc", s->sd[0]);
	if (s->have_gain[1])
		values_num(out, "noise_val_acc", s->sd[1]);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_slow_convergence = {
	.name = "slow-convergence",
	.summary = "accuracy improves by less than delta per epoch",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
