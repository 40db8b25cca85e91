/*
 * loss-not-decreasing (scram-check; checks.md's "loss not decreasing").
 *
 * Condition at epoch e, on `series` (default loss) a, with first = the first
 * finite value (at epoch f), m = min of the finite a[f..e] and c = the number
 * of finite values among a[f..e]:
 *   c >= after (default 10)  and  first - m <= tolerance * |first|
 * (default tolerance 0.01): after 10 epochs the loss has not fallen by more
 * than 1% below where it started. Why 10 and not 5: on real runs a noisy
 * loss can take 8 epochs to start falling (5 fired on 3 of the 42 healthy
 * runs of ../shared/corpus/public, 10 on none). A dead run: the learning
 * rate is far too low, the gradients do not reach the weights (frozen
 * layers, a detached tensor), or the labels carry no signal. Once the loss has fallen that far
 * the condition never holds again.
 *
 * Values: series, first and first_epoch, min and min_epoch, fall_pct (how
 * far the minimum is below first, in percent of |first|), tolerance_pct,
 * seen (c, the finite values counted).
 * Cost: O(1) per step.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_SERIES, P_AFTER, P_TOLERANCE, P_NOISE, P_FLAT, P_CEILING };

static const struct param_def params[] = {
	{ "series", PARAM_WORD, 0, "loss", 0, 0, "loss|val_loss",
	  "the loss to watch" },
	{ "after", PARAM_COUNT, 10, NULL, 2, 1e6, NULL,
	  "judge once the loss has this many epochs" },
	{ "tolerance", PARAM_NUMBER, 0.01, NULL, 0, 1, NULL,
	  "a fall of at most this share of the first value is no fall" },
	{ "noise", PARAM_NUMBER, 0, NULL, 0, 100, NULL,
	  "nor is a fall of at most this many noise widths of the series (0: off)" },
	{ "flat", PARAM_NUMBER, 1e-4, NULL, 0, 1, NULL,
	  "from the third epoch, a loss that moved by at most this share of its first value is dead (0: off)" },
	{ "ceiling", PARAM_NUMBER, 2, NULL, 0, 1e12, NULL,
	  "no finding once the loss climbed above this many times its first value: unstable, not dead (0: off)" },
};

static const char *const keys[] = {
	"series", "first", "first_epoch", "min", "min_epoch", "fall_pct",
	"tolerance_pct", "seen", "sigma", "max", "variant"
};

struct state {
	enum role role;
	int seen;
	double first, min, max;
	double sigma;
	size_t first_epoch, min_epoch;
	size_t counted;
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
	double x;
	if (check_finite(ctx->run, s->role, e, &x)) {
		if (!s->seen) {
			s->seen = 1;
			s->first = s->min = s->max = x;
			s->first_epoch = s->min_epoch = e;
		} else if (x < s->min) {
			s->min = x;
			s->min_epoch = e;
		}
		if (x > s->max)
			s->max = x;
		s->counted++;
	}
	if (!s->seen)
		return 0;
	size_t counted = s->counted;
	double tol = ctx->param[P_TOLERANCE].num;
	double scale = fabs(s->first);
	double flat = ctx->param[P_FLAT].num;
	int dead = flat > 0 && counted >= 3 && s->max - s->min <= flat * scale;
	double bar = check_fmax(tol * scale, ctx->param[P_NOISE].num * s->sigma);
	if (!dead && (counted < (size_t)ctx->param[P_AFTER].num ||
		      !(s->first - s->min <= bar)))
		return 0;
	double ceiling = ctx->param[P_CEILING].num;
	if (ceiling > 0 && s->first > 0 && s->max > ceiling * s->first)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", run_role_name(ctx->run, s->role));
	values_num(out, "first", s->first);
	values_epoch(out, "first_epoch", s->first_epoch);
	values_num(out, "min", s->min);
	values_epoch(out, "min_epoch", s->min_epoch);
	values_num(out, "fall_pct", scale > 0 ? 100 * (s->first - s->min) / scale : 0);
	values_num(out, "tolerance_pct", 100 * tol);
	values_num(out, "seen", (double)counted);
	values_num(out, "sigma", s->sigma);
	values_num(out, "max", s->max);
	if (dead)
		values_word(out, "variant", "flat");
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_loss_not_decreasing = {
	.name = "loss-not-decreasing",
	.summary = "the loss has not fallen below its first value",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
