/*
 * overfitting (SCRAM, after cs231n; the loss variant is AUTOTRAINER's
 * test_turn_bad).
 *
 * Condition at epoch e, with k = epochs (default 2):
 * - accuracy variant: val_acc fell and acc rose at each of the last k steps,
 *   val_acc[e-k] > ... > val_acc[e] and acc[e-k] < ... < acc[e] (strict, as
 *   SCRAM wrote it);
 * - loss variant: val_loss rose and loss fell by at least epsilon (default
 *   0.01, AUTOTRAINER's smallest step that counts) at each of the last k
 *   steps: val_loss[i] - val_loss[i-1] >= epsilon and
 *   loss[i-1] - loss[i] >= epsilon for i = e-k+1..e.
 * A missing or NaN value breaks the streak (NaN compares false).
 * Parameter `on` picks the variant: auto (accuracy when the run has acc and
 * val_acc, else loss), acc or loss.
 *
 * And the margins (defaults; min_fall = min_rise = min_since = 0 give the
 * sources' tests): the best epoch lies at least min_since (3) epochs back,
 * and val_acc is at least min_fall (0.02) below its best, or val_loss at
 * least min_rise (0.1, a share of the best) above its best. Why: SCRAM's
 * pattern alone fires on the passing wobbles of healthy runs (on 9 of the 42
 * healthy runs of ../shared/corpus/public, with falls as small as 0.0002);
 * with the margins it fires on 1, and still on 6 of the 22 overfitting runs.
 *
 * Once the pattern has fired, the condition keeps holding while validation
 * stays that far from its best (by min_fall, or min_rise; any amount when
 * they are 0), so that `persists` tells whether the run recovered rather than
 * whether the last two epochs happened to fall. Detection and onset are the
 * pattern's; the values are those of the epoch it fired.
 *
 * Values: best_epoch and best (the best checkpoint: where val_acc peaked, or
 * val_loss was lowest, first occurrence), val_now and val_change (how far
 * val_acc has fallen / val_loss risen since), from_epoch (e - k), train_from,
 * train_now and train_change (acc's rise / loss's fall since from_epoch),
 * val_series, train_series (as the file spells them), steps (= k), and
 * variant "loss" for the loss variant.
 * Cost: O(1) per step (two streak counters and the running best).
 */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "common.h"

enum { P_EPOCHS, P_ON, P_EPSILON, P_MIN_FALL, P_MIN_RISE, P_MIN_SINCE };

static const struct param_def params[] = {
	{ "epochs", PARAM_COUNT, 2, NULL, 1, 1000, NULL,
	  "consecutive epochs of validation getting worse while training improves" },
	{ "on", PARAM_WORD, 0, "auto", 0, 0, "auto|acc|loss",
	  "accuracy or loss; auto: accuracy when the run has it" },
	{ "epsilon", PARAM_NUMBER, 0.01, NULL, 0, 1e300, NULL,
	  "loss variant: the smallest step of a loss that counts" },
	{ "min_fall", PARAM_NUMBER, 0.02, NULL, 0, 1, NULL,
	  "accuracy variant: val_acc at least this far below its best (0: SCRAM)" },
	{ "min_rise", PARAM_NUMBER, 0.1, NULL, 0, 1e6, NULL,
	  "loss variant: val_loss at least this share above its best (0: off)" },
	{ "min_since", PARAM_COUNT, 3, NULL, 0, 1e6, NULL,
	  "the best epoch at least this many epochs ago (0: SCRAM)" },
};

static const char *const keys[] = {
	"best_epoch", "best", "val_now", "val_change", "from_epoch",
	"train_from", "train_now", "train_change", "val_series", "train_series",
	"steps", "variant"
};

struct state {
	int on_loss;
	enum role train, val;
	size_t streak;		/* steps ending at e that fit the pattern */
	int have_best;
	double best;
	size_t best_epoch;
	int fired;		/* the pattern fired and validation has not recovered */
	struct values at_fire;
};

/* Is validation value v still worse than the best by the margin? */
static int still_worse(const struct state *s, const struct detector_ctx *ctx, double v)
{
	if (s->on_loss) {
		double rise = ctx->param[P_MIN_RISE].num * fabs(s->best);
		return rise > 0 ? v - s->best >= rise : v > s->best;
	}
	double fall = ctx->param[P_MIN_FALL].num;
	return fall > 0 ? s->best - v >= fall : v < s->best;
}

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	const char *on = ctx->param[P_ON].word;
	int has_acc = check_has(ctx->run, ROLE_ACC) && check_has(ctx->run, ROLE_VAL_ACC);
	int has_loss = check_has(ctx->run, ROLE_LOSS) && check_has(ctx->run, ROLE_VAL_LOSS);
	if (strcmp(on, "acc") == 0 || (strcmp(on, "auto") == 0 && has_acc)) {
		if (!has_acc) {
			*why = "no acc and val_acc series";
			return -1;
		}
		s->on_loss = 0;
		s->train = ROLE_ACC;
		s->val = ROLE_VAL_ACC;
	} else {
		if (!has_loss) {
			*why = strcmp(on, "loss") == 0 ? "no loss and val_loss series"
				: "neither acc and val_acc nor loss and val_loss series";
			return -1;
		}
		s->on_loss = 1;
		s->train = ROLE_LOSS;
		s->val = ROLE_VAL_LOSS;
	}
	return 0;
}

/* Did validation get worse and training better from epoch e-1 to e? */
static int worse_and_better(const struct state *s, const struct detector_ctx *ctx,
			    size_t e)
{
	double t0, t1, v0, v1;
	if (e < 2 || !check_value(ctx->run, s->train, e - 1, &t0) ||
	    !check_value(ctx->run, s->train, e, &t1) ||
	    !check_value(ctx->run, s->val, e - 1, &v0) ||
	    !check_value(ctx->run, s->val, e, &v1))
		return 0;
	if (!s->on_loss)
		return v0 > v1 && t0 < t1;
	double eps = ctx->param[P_EPSILON].num;
	return v1 - v0 >= eps && t0 - t1 >= eps;
}

static int pattern(struct state *s, const struct detector_ctx *ctx, size_t e,
		   struct values *out);

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double v;
	if (check_value(ctx->run, s->val, e, &v) && !isnan(v) &&
	    (!s->have_best || (s->on_loss ? v < s->best : v > s->best))) {
		s->have_best = 1;
		s->best = v;
		s->best_epoch = e;
	}
	s->streak = worse_and_better(s, ctx, e) ? s->streak + 1 : 0;
	if (pattern(s, ctx, e, out))
		return 1;
	if (s->fired) {
		double now;
		s->fired = check_value(ctx->run, s->val, e, &now) && !isnan(now) &&
			   still_worse(s, ctx, now);
		if (s->fired) {
			/* values_discard is never written (detector.h): it is
			 * one table for every thread. */
			if (out != &values_discard)
				*out = s->at_fire;
			return 1;
		}
	}
	return 0;
}

/* The pattern with its margins, at epoch e; fills out when it holds. */
static int pattern(struct state *s, const struct detector_ctx *ctx, size_t e,
		   struct values *out)
{
	size_t k = (size_t)ctx->param[P_EPOCHS].num;
	if (s->streak < k || !s->have_best)
		return 0;
	if (e - s->best_epoch < (size_t)ctx->param[P_MIN_SINCE].num)
		return 0;

	double t_from = 0, t_now = 0, v_now = 0;
	/* The streak guarantees all three values are present. */
	check_value(ctx->run, s->train, e - k, &t_from);
	check_value(ctx->run, s->train, e, &t_now);
	check_value(ctx->run, s->val, e, &v_now);
	if (s->on_loss ? v_now - s->best < ctx->param[P_MIN_RISE].num * fabs(s->best)
		       : s->best - v_now < ctx->param[P_MIN_FALL].num)
		return 0;
	values_epoch(out, "best_epoch", s->best_epoch);
	values_num(out, "best", s->best);
	values_num(out, "val_now", v_now);
	values_num(out, "val_change", s->on_loss ? v_now - s->best : s->best - v_now);
	values_epoch(out, "from_epoch", e - k);
	values_num(out, "train_from", t_from);
	values_num(out, "train_now", t_now);
	values_num(out, "train_change", s->on_loss ? t_from - t_now : t_now - t_from);
	values_word(out, "val_series", run_role_name(ctx->run, s->val));
	values_word(out, "train_series", run_role_name(ctx->run, s->train));
	values_num(out, "steps", (double)k);
	if (s->on_loss)
		values_word(out, "variant", "loss");
	s->fired = 1;
	s->at_fire = *out;
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_overfitting = {
	.name = "overfitting",
	.summary = "validation gets worse while training gets better",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
