/*
 * nan-loss (SCRAM "unconventional hyperparameters"; AUTOTRAINER nan_loss).
 *
 * Condition: loss[i] or val_loss[i] is NaN or +-Inf for some i <= e. It
 * holds on while loss or val_loss stays non-finite (or missing): a run whose
 * losses are finite again at a later epoch no longer holds, so the finding
 * does not persist. A missing value (an empty cell, NA, null) is not a NaN loss.
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
	if (!s->fired) {
		for (int k = 0; k < 2; k++) {
			const double *v = run_role(ctx->run, roles[k]);
			int idx = ctx->run->role[roles[k]];
			if (!v || ctx->run->series[idx].missing[e - 1])
				continue;
			if (isfinite(v[e - 1])) {
				s->last_finite[k] = v[e - 1];
				s->last_finite_epoch[k] = e;
			} else if (!s->fired) {
				s->fired = 1;
				s->epoch = e;
				s->role = k;
				s->bad = v[e - 1];
			}
		}
	}
	if (!s->fired)
		return 0;
	if (e > s->epoch) {
		/* Still holds while loss or val_loss is non-finite (or not
		 * logged) at e; both finite again: the run recovered. */
		int bad = 0, seen = 0;
		for (int k = 0; k < 2; k++) {
			const double *v = run_role(ctx->run, roles[k]);
			int idx = ctx->run->role[roles[k]];
			if (!v || ctx->run->series[idx].missing[e - 1])
				continue;
			seen = 1;
			bad |= !isfinite(v[e - 1]);
		}
		if (seen && !bad)
			return 0;
	}
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
};
