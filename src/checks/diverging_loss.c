/*
 * diverging-loss (scram-check; the "loss diverging after a minimum" of
 * checks.md's further checks).
 *
 * Condition at epoch e, on `series` (default loss) a with m = min(a[1..e]) > 0
 * and first = a[1] (the first finite value): for each of the last `sustain`
 * epochs i (default 2, consecutive, ending at e), a[i] is finite and
 *   a[i] >= factor * m            (default factor 2), and
 *   a[i] - m >= giveback * (first - m)   (default giveback 0.25).
 * The loss climbed well above its best and stayed there without becoming
 * NaN (which is nan-loss's finding). sustain keeps a single noisy epoch from
 * firing; giveback keeps a loss that has fallen by orders of magnitude from
 * firing on noise near zero (1e-4 -> 3e-4 is a factor of 3 but gives back
 * nothing of a fall from 2.3): it must have lost at least a quarter of the
 * ground it had gained. A loss that never fell (first = m) passes giveback.
 * Missing and non-finite values break the streak.
 *
 * Values: series, min and min_epoch, now (a[e]), ratio (now / min),
 * since_epoch (the first epoch of the streak), first.
 * Cost: O(1) per step (running minimum and a streak counter).
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_SERIES, P_FACTOR, P_SUSTAIN, P_GIVEBACK };

static const struct param_def params[] = {
	{ "series", PARAM_WORD, 0, "loss", 0, 0, "loss|val_loss",
	  "the loss to watch" },
	{ "factor", PARAM_NUMBER, 2, NULL, 1, 1e12, NULL,
	  "the loss is this many times its minimum so far" },
	{ "sustain", PARAM_COUNT, 2, NULL, 1, 1e6, NULL,
	  "for this many consecutive epochs" },
	{ "giveback", PARAM_NUMBER, 0.25, NULL, 0, 1, NULL,
	  "and has lost at least this share of its fall from the first value" },
};

static const char *const keys[] = {
	"series", "min", "min_epoch", "now", "ratio", "since_epoch", "first"
};

struct state {
	enum role role;
	int seen;
	double first, min;
	size_t min_epoch;
	size_t streak;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	return check_role_param(ctx->run, ctx->param[P_SERIES].word, &s->role, why);
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double factor = ctx->param[P_FACTOR].num;
	double giveback = ctx->param[P_GIVEBACK].num;
	double x;
	if (!check_finite(ctx->run, s->role, e, &x)) {
		s->streak = 0;
		return 0;
	}
	if (!s->seen) {
		s->seen = 1;
		s->first = s->min = x;
		s->min_epoch = e;
	} else if (x < s->min) {
		s->min = x;
		s->min_epoch = e;
	}
	int up = s->min > 0 && x >= factor * s->min &&
		 x - s->min >= giveback * (s->first - s->min);
	s->streak = up ? s->streak + 1 : 0;
	if (s->streak < (size_t)ctx->param[P_SUSTAIN].num)
		return 0;
	values_word(out, "series", run_role_name(ctx->run, s->role));
	values_num(out, "min", s->min);
	values_epoch(out, "min_epoch", s->min_epoch);
	values_num(out, "now", x);
	values_num(out, "ratio", x / s->min);
	values_epoch(out, "since_epoch", e - s->streak + 1);
	values_num(out, "first", s->first);
	return 1;
}

const struct detector detector_diverging_loss = {
	.name = "diverging-loss",
	.summary = "the loss climbed well above its minimum and stayed there",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
};
