/*
 * slow-descent (scram-check): the training loss falls, steadily and as fast
 * at the end as at the start, but has covered only a small part of the way:
 * the steps are too small (a learning rate too low), not the model at its
 * limit.
 *
 * Condition at epoch e (judged from the rule's judgment point on), on the
 * training loss a[1..e] (its finite values), with t = floor(e / 3) >= 2:
 * - first = a[1] > 0 and the fall so far, first - min(a[1..e]), is below
 *   fell (default 0.25) of first: the loss is still near where it began;
 * - the first third fell by f1 = a[1] - a[1 + t] > 0 and the last third by
 *   f3 = a[e - t] - a[e], with pace * f1 <= f3 <= f1 / pace (default pace
 *   0.7): the same pace throughout. A run that converges falls fast first
 *   and levels off (f3 a small share of f1); one whose loss speeds up is
 *   starting to learn (after a warm-up, a plateau, or resumed near its
 *   floor), not stepping too short;
 * - f3 > noise (default 3) * sigma * sqrt 2, sigma the loss's noise per
 *   epoch (common.h's check_loss_noise): the last third really fell; a flat
 *   noisy loss that does not learn at all is loss-not-decreasing's.
 * Measured on bench/eval's development corpus: every run labeled slow whose
 * loss is logged per epoch has f3 / f1 between 0.9 and 1.5 and a fall under
 * 8% of its first value; healthy runs have f3 / f1 under 0.3 (a converging
 * curve bends) or fell most of the way.
 *
 * Values: series, first, now, fell_pct (the fall so far, percent of first),
 * pace_first and pace_last (f1 / t and f3 / t, per epoch), third (t).
 * Cost: O(1) per step (a running minimum); O(n log n) once in prepare.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_FELL, P_PACE, P_NOISE };

static const struct param_def params[] = {
	{ "fell", PARAM_NUMBER, 0.25, NULL, 0, 1, NULL,
	  "the loss has fallen less than this share of its first value" },
	{ "pace", PARAM_NUMBER, 0.7, NULL, 0, 1e6, NULL,
	  "its last third fell between this share and its inverse of what its first third fell" },
	{ "noise", PARAM_NUMBER, 3, NULL, 0, 1e6, NULL,
	  "and by more than this many noise widths of the loss (times sqrt 2)" },
};

static const char *const keys[] = {
	"series", "first", "now", "fell_pct", "pace_first", "pace_last", "third"
};

struct state {
	double sigma;
	double min;
	int seen;
	double first;		/* the loss at epoch 1, when first_ok (finite) */
	int first_ok;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	if (!check_has(ctx->run, ROLE_LOSS)) {
		*why = "no loss series";
		return -1;
	}
	s->sigma = check_loss_noise(ctx->run, ROLE_LOSS);
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double x, mid, late;
	int finite = check_finite(ctx->run, ROLE_LOSS, e, &x);
	if (finite && (!s->seen || x < s->min)) {
		s->min = x;
		s->seen = 1;
	}
	if (e == 1)	/* epoch 1's value does not change (steps start there) */
		s->first_ok = finite;
	if (e == 1 && finite)
		s->first = x;
	/* Every test must pass, and each reads values that stay put: the
	 * cheap ones (the fall so far) first. */
	size_t t = e / 3;
	double first = s->first;
	if (t < 2 || !finite || !s->first_ok || !(first > 0) ||
	    !(first - s->min < ctx->param[P_FELL].num * first) ||
	    !check_finite(ctx->run, ROLE_LOSS, 1 + t, &mid) ||
	    !check_finite(ctx->run, ROLE_LOSS, e - t, &late))
		return 0;
	double f1 = first - mid, f3 = late - x;
	if (!(f1 > 0) ||
	    !(f3 >= ctx->param[P_PACE].num * f1) ||
	    !(f3 * ctx->param[P_PACE].num <= f1) ||
	    !(f3 > ctx->param[P_NOISE].num * s->sigma * sqrt(2.0)))
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", run_role_name(ctx->run, ROLE_LOSS));
	values_num(out, "first", first);
	values_num(out, "now", x);
	values_num(out, "fell_pct", 100 * (first - s->min) / first);
	values_num(out, "pace_first", f1 / (double)t);
	values_num(out, "pace_last", f3 / (double)t);
	values_num(out, "third", (double)t);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_slow_descent = {
	.name = "slow-descent",
	.summary = "the loss falls steadily but has covered only a small part of the way",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
