/*
 * exploding-loss (AUTOTRAINER check_large_loss).
 *
 * Condition: some finite loss[i] or val_loss[i], i <= e, is >= large_loss
 * (default 1e3) and, unless growth is 0, also >= growth (default 10) times
 * the lowest value the same series had before epoch i.
 *
 * Why growth: AUTOTRAINER's test is the bare threshold, which fires on every
 * healthy regression run whose mean squared error is counted in large units
 * (house prices: a loss of 1e9 that falls all along). An exploding loss is one
 * that grew; growth = 0 gives the source's literal test. A classifier's
 * loss (common.h's check_cross_entropy_at) is a cross-entropy, which starts
 * near ln C: at the bar it exploded whatever it was before, so growth does
 * not apply (a one-epoch MLflow run with val_loss 3.3e13). Non-finite values
 * are left to nan-loss, so that one event does not give two findings.
 *
 * Parameters: large_loss (1e3, >= 0), growth (10, 0..1e12).
 * Values: series, epoch (first epoch over the bar), value (the loss there),
 * low and low_epoch (the lowest value before it; absent with variant "first"
 * when the very first value was over the bar), peak and peak_epoch (the
 * largest value of that series so far).
 * Cost: O(1) per step (running minimum and maximum per series).
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_LARGE, P_GROWTH };

static const struct param_def params[] = {
	{ "large_loss", PARAM_NUMBER, 1e3, NULL, 0, 1e300, NULL,
	  "a loss at or above this is exploding" },
	{ "growth", PARAM_NUMBER, 10, NULL, 0, 1e12, NULL,
	  "and it must be this many times the lowest earlier value (0: off)" },
};

static const char *const keys[] = {
	"series", "epoch", "value", "low", "low_epoch", "peak", "peak_epoch",
	"variant"
};

static const enum role roles[2] = { ROLE_LOSS, ROLE_VAL_LOSS };

struct state {
	int fired;
	int which;		/* index into roles of the series that fired */
	size_t epoch;
	double value;
	double low_at_fire;
	size_t low_epoch_at_fire;
	int seen[2];
	double low[2];
	size_t low_epoch[2];
	double peak[2];
	size_t peak_epoch[2];
};

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double large = ctx->param[P_LARGE].num;
	double growth = ctx->param[P_GROWTH].num;
	for (int k = 0; k < 2; k++) {
		double x;
		if (!check_finite(ctx->run, roles[k], e, &x))
			continue;
		int grew = growth == 0 || (s->seen[k] && x >= growth * s->low[k]);
		/* A classifier's cross-entropy starts near ln C: at the bar it
		 * blew up, however it started (checked only then: rare). */
		if (!s->fired && x >= large && !grew && check_cross_entropy_at(ctx->run, e))
			grew = 1;
		if (!s->fired && x >= large && grew) {
			s->fired = 1;
			s->which = k;
			s->epoch = e;
			s->value = x;
			s->low_at_fire = s->low[k];
			s->low_epoch_at_fire = s->seen[k] ? s->low_epoch[k] : 0;
		}
		if (!s->seen[k] || x < s->low[k]) {
			s->low[k] = x;
			s->low_epoch[k] = e;
		}
		if (!s->seen[k] || x > s->peak[k]) {
			s->peak[k] = x;
			s->peak_epoch[k] = e;
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
	if (s->low_epoch_at_fire) {
		values_num(out, "low", s->low_at_fire);
		values_epoch(out, "low_epoch", s->low_epoch_at_fire);
	} else {
		values_word(out, "variant", "first");
	}
	values_num(out, "peak", s->peak[k]);
	values_epoch(out, "peak_epoch", s->peak_epoch[k]);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_exploding_loss = {
	.name = "exploding-loss",
	.summary = "loss or val_loss grew to a very large value",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = check_prepare_losses,
	.step = step,
	.scan = scan,
};
