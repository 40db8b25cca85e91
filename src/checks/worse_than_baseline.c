/*
 * worse-than-baseline (scram-check; --baseline): a run whose best result is far
 * worse than a reference run's, or than the median of the runs audited with
 * it. No single-run rule sees this: a run trained on shuffled labels or the
 * wrong data set can have a smooth, healthy-looking curve.
 *
 * Condition at epoch e, comparing validation series when both the run and the
 * reference have them, else the training ones:
 *   min(loss[1..e]) > ref_loss * loss_ratio, or
 *   max(acc[1..e])  < ref_acc - acc_drop.
 * The rule file judges it at the end of the run only (judgment: 1), since a
 * run is worse than its reference's best at almost every earlier epoch.
 * Defaults: loss_ratio 1.5, acc_drop 0.1. The ref_* parameters are set by
 * --baseline (-1: not set); without them the rule does not run.
 *
 * Values: metric, value, reference, ratio or drop, variant "acc" for accuracy.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_REF_LOSS, P_REF_VAL_LOSS, P_REF_ACC, P_REF_VAL_ACC, P_LOSS_RATIO, P_ACC_DROP };

static const struct param_def params[] = {
	{ "ref_loss", PARAM_NUMBER, -1, NULL, -1, 1e300, NULL, "reference's minimum loss (set by --baseline)" },
	{ "ref_val_loss", PARAM_NUMBER, -1, NULL, -1, 1e300, NULL, "reference's minimum val_loss (set by --baseline)" },
	{ "ref_acc", PARAM_NUMBER, -1, NULL, -1, 1, NULL, "reference's best accuracy (set by --baseline)" },
	{ "ref_val_acc", PARAM_NUMBER, -1, NULL, -1, 1, NULL, "reference's best val accuracy (set by --baseline)" },
	{ "loss_ratio", PARAM_NUMBER, 1.5, NULL, 1, 1e6, NULL, "fire when the best loss is this many times the reference's" },
	{ "acc_drop", PARAM_NUMBER, 0.1, NULL, 0, 1, NULL, "fire when the best accuracy is this far below the reference's" },
};

static const char *const keys[] = {
	"metric", "value", "reference", "ratio", "drop", "variant"
};

struct state {
	enum role loss_role, acc_role;
	double ref_loss, ref_acc;
	double best_loss, best_acc;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	const struct param_value *p = ctx->param;
	s->ref_loss = s->ref_acc = -1;
	s->best_loss = s->best_acc = NAN;
	if (p[P_REF_VAL_LOSS].num >= 0 && run_role(ctx->run, ROLE_VAL_LOSS)) {
		s->loss_role = ROLE_VAL_LOSS;
		s->ref_loss = p[P_REF_VAL_LOSS].num;
	} else if (p[P_REF_LOSS].num >= 0 && run_role(ctx->run, ROLE_LOSS)) {
		s->loss_role = ROLE_LOSS;
		s->ref_loss = p[P_REF_LOSS].num;
	}
	if (p[P_REF_VAL_ACC].num >= 0 && run_role(ctx->run, ROLE_VAL_ACC)) {
		s->acc_role = ROLE_VAL_ACC;
		s->ref_acc = p[P_REF_VAL_ACC].num;
	} else if (p[P_REF_ACC].num >= 0 && run_role(ctx->run, ROLE_ACC)) {
		s->acc_role = ROLE_ACC;
		s->ref_acc = p[P_REF_ACC].num;
	}
	if (s->ref_loss < 0 && s->ref_acc < 0) {
		*why = "no --baseline, or no series in common with it";
		return -1;
	}
	return 0;
}

static void track(double *best, double x, int want_max)
{
	if (isfinite(x) && (isnan(*best) || (want_max ? x > *best : x < *best)))
		*best = x;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e, struct values *out)
{
	struct state *s = state;
	const struct param_value *p = ctx->param;
	if (s->ref_loss >= 0)
		track(&s->best_loss, run_role(ctx->run, s->loss_role)[e - 1], 0);
	if (s->ref_acc >= 0)
		track(&s->best_acc, run_role(ctx->run, s->acc_role)[e - 1], 1);
	if (s->ref_acc >= 0 && isfinite(s->best_acc) &&
	    s->best_acc < s->ref_acc - p[P_ACC_DROP].num) {
		values_word(out, "metric", run_role_name(ctx->run, s->acc_role));
		values_num(out, "value", s->best_acc);
		values_num(out, "reference", s->ref_acc);
		values_num(out, "drop", s->ref_acc - s->best_acc);
		values_word(out, "variant", "acc");
		return 1;
	}
	if (s->ref_loss > 0 && isfinite(s->best_loss) &&
	    s->best_loss > s->ref_loss * p[P_LOSS_RATIO].num) {
		values_word(out, "metric", run_role_name(ctx->run, s->loss_role));
		values_num(out, "value", s->best_loss);
		values_num(out, "reference", s->ref_loss);
		values_num(out, "ratio", s->best_loss / s->ref_loss);
		return 1;
	}
	return 0;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_worse_than_baseline = {
	.name = "worse-than-baseline",
	.summary = "the run's best loss or accuracy is far worse than the baseline's",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
