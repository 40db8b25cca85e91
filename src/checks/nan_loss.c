/*
 * nan-loss (SCRAM "unconventional hyperparameters"; AUTOTRAINER nan_loss).
 *
 * Condition at epoch e: loss or val_loss became NaN or +-Inf at some epoch
 * i <= e, and one of them is still non-finite at e (its last value so far,
 * missing cells skipped). A missing value (an empty cell, NA, null) is not a
 * NaN loss. A loss that is finite again later (a skipped batch, a loss
 * scaler that backed off, a resumed run) makes the finding "seen at epoch i,
 * recovered by epoch j"; the rule is sticky, so it still fails the gate: the
 * weights may have taken the NaN in.
 *
 * Values: series, epoch (first non-finite), value ("NaN", "Infinity"...),
 * last_finite and last_finite_epoch (the series' last finite value before it,
 * when there is one); variant "first" when there is none.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

struct state {
	int fired;
	size_t epoch;		/* first bad epoch, 1-based */
	int role;
	double bad;
	int bad_now[2];		/* the series' last value so far is non-finite */
	double last_finite[2];
	size_t last_finite_epoch[2];
};

static const char *const keys[] = {
	"series", "epoch", "value", "last_finite", "last_finite_epoch", "variant"
};

static const char *spell(double x)
{
	return isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	static const enum role roles[2] = { ROLE_LOSS, ROLE_VAL_LOSS };
	for (int k = 0; k < 2; k++) {
		double x;
		if (!check_value(ctx->run, roles[k], e, &x))
			continue;
		s->bad_now[k] = !isfinite(x);
		if (!s->bad_now[k] && !s->fired) {
			s->last_finite[k] = x;
			s->last_finite_epoch[k] = e;
		} else if (s->bad_now[k] && !s->fired) {
			s->fired = 1;
			s->epoch = e;
			s->role = k;
			s->bad = x;
		}
	}
	if (!s->fired || (!s->bad_now[0] && !s->bad_now[1]))
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", run_role_name(ctx->run, roles[s->role]));
	values_epoch(out, "epoch", s->epoch);
	values_word(out, "value", spell(s->bad));
	if (s->last_finite_epoch[s->role]) {
		values_num(out, "last_finite", s->last_finite[s->role]);
		values_epoch(out, "last_finite_epoch", s->last_finite_epoch[s->role]);
	} else {
		values_word(out, "variant", "first");
	}
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_nan_loss = {
	.name = "nan-loss",
	.summary = "loss or val_loss is NaN or infinite at some epoch",
	.params = NULL,
	.n_params = 0,
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = check_prepare_losses,
	.step = step,
	.scan = scan,
};
