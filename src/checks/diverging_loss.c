/*
 * diverging-loss (scram-check; the "loss diverging after a minimum" of
 * checks.md's further checks).
 *
 * Condition at epoch e, on `series` (default loss) a, with m = min(a[1..e])
 * > 0 reached at epoch b, top = max(a[1..b]) (the highest value before the
 * minimum) and sigma the series' noise per epoch (common.h's
 * check_loss_noise), the level
 *   L = max(factor * m, m + noise * sigma, m + giveback * (top - m))
 * (defaults factor 1.5, noise 5, giveback 0.5): each of the last `sustain`
 * epochs (default 3, ending at e) is finite and above L. The loss climbed
 * back well above its best, beyond its own noise, gave back at least half
 * the ground it had gained, and stayed there: a sustained climb, the
 * definition bench/eval/LABELS.md measures. A loss that swings (too high a
 * learning rate the run survives) jumps by many times its minimum, but by
 * few of its own noise widths, and falls back; that is oscillation. NaN is
 * nan-loss's finding: non-finite values break the streak. A loss that never
 * fell (top = m) passes giveback.
 *
 * Why these defaults (measured on bench/eval's development corpus and
 * ../shared/corpus/public): the first version (factor 2, sustain 2, giveback
 * 0.25, no noise) fired on 8 of 14 oscillating runs, whose loss jumps to
 * 3-15 x its minimum for two epochs and comes back, and on a healthy
 * Lightning run's last-batch train_loss. noise = 0, giveback = 0.25,
 * factor = 2, sustain = 2 give that version.
 *
 * ended (default 0: off): at the run's last epoch (e = T, the planned or
 * the logged length; under --follow the latest epoch, so that a spike the
 * run then recovers from is reported as recovered), a loss at least its
 * first value and ended times its minimum, and the highest since the
 * minimum (a climb to the end, not an oscillating run that ends on a peak
 * lower than its earlier ones), also holds, however short the streak: the
 * run ended in a blow-up, its last weights worse than the ones it started
 * from (a public regression's loss 3.88, falling to 1.89, then 3.97 at its
 * last epoch), which no sustained test can see. variant "ended".
 *
 * Values: series, min and min_epoch, now (a[e]), ratio (now / min),
 * since_epoch (the first epoch of the streak, or e), first, level (L), sigma;
 * end_epoch (e) with variant "ended".
 * Cost: O(1) per step; O(n log n) once in prepare (the noise).
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_SERIES, P_FACTOR, P_SUSTAIN, P_GIVEBACK, P_NOISE, P_ENDED };

static const struct param_def params[] = {
	{ "series", PARAM_WORD, 0, "loss", 0, 0, "loss|val_loss",
	  "the loss to watch" },
	{ "factor", PARAM_NUMBER, 1.5, NULL, 1, 1e12, NULL,
	  "the loss is this many times its minimum so far" },
	{ "sustain", PARAM_COUNT, 3, NULL, 1, 1e6, NULL,
	  "for this many consecutive epochs" },
	{ "giveback", PARAM_NUMBER, 0.5, NULL, 0, 1, NULL,
	  "and has lost at least this share of its fall from its earlier highest" },
	{ "noise", PARAM_NUMBER, 5, NULL, 0, 1e6, NULL,
	  "and is this many noise widths of the series above the minimum (0: off)" },
	{ "ended", PARAM_NUMBER, 0, NULL, 0, 1e12, NULL,
	  "or, at the last epoch, above its first value, this many times its minimum and its highest since (0: off)" },
};

static const char *const keys[] = {
	"series", "min", "min_epoch", "now", "ratio", "since_epoch", "first",
	"level", "sigma", "variant", "end_epoch"
};

struct state {
	enum role role;
	int seen;
	double first, min, top, highest;
	double after;		/* the highest since the minimum (ended) */
	size_t min_epoch;
	size_t streak;
	double sigma;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	if (check_role_param(ctx->run, ctx->param[P_SERIES].word, &s->role, why) < 0)
		return -1;
	s->sigma = check_loss_noise(ctx->run, s->role);
	return 0;
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
		s->first = s->min = s->top = s->highest = s->after = x;
		s->min_epoch = e;
	} else {
		if (x > s->highest)
			s->highest = x;
		if (x > s->after)
			s->after = x;
		if (x < s->min) {
			s->min = x;
			s->min_epoch = e;
			s->top = s->highest;
			s->after = x;
		}
	}
	double sigma = s->sigma;
	double level = check_fmax(factor * s->min,
				  check_fmax(s->min + ctx->param[P_NOISE].num * sigma,
					     s->min + giveback * (s->top - s->min)));
	int up = s->min > 0 && x >= level && x > s->min;
	s->streak = up ? s->streak + 1 : 0;
	int ended = 0;
	if (s->streak < (size_t)ctx->param[P_SUSTAIN].num) {
		double k = ctx->param[P_ENDED].num;
		/* The run's end: the loss is back above where it started, far
		 * above its best, and no swing since the minimum went as high
		 * (an oscillating run that happens to end on a peak). */
		if (!(k > 0 && e == ctx->total_epochs && s->min > 0 && x >= s->first &&
		      x >= k * s->min && x > s->min && x >= s->after))
			return 0;
		ended = 1;
	}
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", run_role_name(ctx->run, s->role));
	values_num(out, "min", s->min);
	values_epoch(out, "min_epoch", s->min_epoch);
	values_num(out, "now", x);
	values_num(out, "ratio", x / s->min);
	values_epoch(out, "since_epoch", s->streak ? e - s->streak + 1 : e);
	values_num(out, "first", s->first);
	values_num(out, "level", level);
	values_num(out, "sigma", sigma);
	if (ended) {
		values_word(out, "variant", "ended");
		values_epoch(out, "end_epoch", e);
	}
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_diverging_loss = {
	.name = "diverging-loss",
	.summary = "the loss climbed well above its minimum, beyond noise, and stayed there",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
