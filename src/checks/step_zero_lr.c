/*
 * zero-learning-rate (scram-check; issue 10: "learning_rate 0 on every step
 * passes").
 *
 * Condition at point e, on the learning-rate series (role lr, else the first
 * training series of kind lr): of the n finite values logged at points
 * 1..e, z are exactly 0, and
 *   n >= min_points (default 5) and z >= share * n (default share 0.5).
 * An optimizer whose learning rate is 0 never moves the weights, whatever
 * the loss does. A schedule that decays to exactly 0 at its last step, or
 * a warm-up that starts from 0, has one or two zeros among many values and
 * stays quiet; "most of the steps" is the share.
 *
 * Values: series, zeros, points (n), share_pct (100 z / n), first_zero (the
 * first zero's point, as a person reads it), unit ("logged steps"...),
 * nonzero (the largest value logged; variant "all" when every value is 0).
 * Cost: O(1) per step (two counters).
 */
#include <math.h>

#include "checks.h"
#include "common.h"
#include "step_common.h"

enum { P_SHARE, P_MIN_POINTS };

static const struct param_def params[] = {
	{ "share", PARAM_NUMBER, 0.5, NULL, 0.01, 1, NULL,
	  "at least this share of the logged learning rates is exactly 0" },
	{ "min_points", PARAM_NUMBER, 5, NULL, 1, 1e9, NULL,
	  "among at least this many logged values" },
};

static const char *const keys[] = {
	"series", "zeros", "points", "share_pct", "first_zero", "unit", "largest",
	"variant"
};

struct state {
	int idx;
	size_t n, z;
	size_t first_zero;
	double largest;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	s->idx = ctx->run->role[ROLE_LR];
	if (s->idx < 0)
		s->idx = step_find_kind(ctx->run, KIND_LR);
	if (s->idx < 0) {
		*why = "no learning-rate series";
		return -1;
	}
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double x;
	if (step_value(ctx->run, s->idx, e, &x) && isfinite(x)) {
		s->n++;
		if (x == 0) {
			if (!s->z)
				s->first_zero = e;
			s->z++;
		} else if (fabs(x) > s->largest) {
			s->largest = fabs(x);
		}
	}
	if (s->n < (size_t)ctx->param[P_MIN_POINTS].num || s->z == 0 ||
	    (double)s->z < ctx->param[P_SHARE].num * (double)s->n)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", ctx->run->series[s->idx].name);
	values_num(out, "zeros", (double)s->z);
	values_num(out, "points", (double)s->n);
	values_num(out, "share_pct", floor(100.0 * (double)s->z / (double)s->n));
	step_where(out, "first_zero", ctx->run, s->first_zero);
	values_word(out, "unit", step_unit(ctx->run));
	if (s->z == s->n)
		values_word(out, "variant", "all");
	else
		values_num(out, "largest", s->largest);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_zero_learning_rate = {
	.name = "zero-learning-rate",
	.summary = "the learning rate is exactly 0 on most logged points",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
