/*
 * nonfinite-grad-norm and skipped-overflow-steps (scram-check; issue
 * 10: "a few isolated NaN/inf steps under mixed precision are an info;
 * persistent ones, or with the loss going bad, an error").
 *
 * On the first training gradient-norm series g and the loss (role loss).
 * Let c be the non-finite values of g among the n finite or non-finite ones
 * logged at points 1..e, and r the longest run of consecutive non-finite
 * ones. The non-finite gradient norms are persistent at e when c >= 1 and
 *   r >= streak (default 10), or
 *   n >= min_points (default 20) and c >= share * n (default 0.2), or
 *   the loss is non-finite at some point since the first non-finite g.
 * mode persistent (rule nonfinite-grad-norm): the condition holds from the
 * first point at which they are persistent.
 * mode isolated (rule skipped-overflow-steps): holds at the run's last
 * point when c >= 1 and they never were persistent: a dynamic loss scaler
 * (fp16) skips the step whose gradients overflowed and lowers its scale, so
 * a few skipped steps, even a handful in a row while the scale settles at
 * the start, are how mixed precision works. Deciding at the end keeps a
 * run whose skipped steps later become persistent from getting both.
 *
 * Values: series, count (c), points (n), longest (r), first_at (the first
 * non-finite point), value ("NaN", "Infinity"), loss_bad_at (where the loss
 * went non-finite; variant "loss" then), unit.
 * Cost: O(1) per step.
 */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "common.h"
#include "step_common.h"

enum { P_MODE, P_STREAK, P_SHARE, P_MIN_POINTS };

static const struct param_def params[] = {
	{ "mode", PARAM_WORD, 0, "persistent", 0, 0, "persistent|isolated",
	  "persistent: fire when they persist; isolated: at the end, when they never did" },
	{ "streak", PARAM_NUMBER, 10, NULL, 1, 1e9, NULL,
	  "this many non-finite values in a row are persistent" },
	{ "share", PARAM_NUMBER, 0.2, NULL, 0, 1, NULL,
	  "so is this share of all the logged values" },
	{ "min_points", PARAM_NUMBER, 20, NULL, 1, 1e9, NULL,
	  "once at least this many are logged" },
};

static const char *const keys[] = {
	"series", "count", "points", "longest", "first_at", "value", "loss_bad_at",
	"unit", "variant"
};

struct state {
	int idx;
	int isolated;
	size_t n, c, run, longest;
	size_t first, loss_bad;
	double first_value;
	int persistent;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	s->isolated = strcmp(ctx->param[P_MODE].word, "isolated") == 0;
	s->idx = step_find_kind(ctx->run, KIND_GRAD_NORM);
	if (s->idx < 0) {
		*why = "no gradient-norm series";
		return -1;
	}
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double x;
	if (step_value(ctx->run, s->idx, e, &x)) {
		s->n++;
		if (isfinite(x)) {
			s->run = 0;
		} else {
			if (!s->c) {
				s->first = e;
				s->first_value = x;
			}
			s->c++;
			if (++s->run > s->longest)
				s->longest = s->run;
		}
	}
	double l;
	if (s->c && !s->loss_bad && ctx->run->role[ROLE_LOSS] >= 0 &&
	    step_value(ctx->run, ctx->run->role[ROLE_LOSS], e, &l) && !isfinite(l))
		s->loss_bad = e;
	if (s->c && !s->persistent)
		s->persistent = s->longest >= (size_t)ctx->param[P_STREAK].num ||
				(s->n >= (size_t)ctx->param[P_MIN_POINTS].num &&
				 (double)s->c >= ctx->param[P_SHARE].num * (double)s->n) ||
				s->loss_bad;
	if (s->isolated ? !(s->c && !s->persistent && e >= ctx->total_epochs)
			: !s->persistent)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", ctx->run->series[s->idx].name);
	values_num(out, "count", (double)s->c);
	values_num(out, "points", (double)s->n);
	values_num(out, "longest", (double)s->longest);
	step_where(out, "first_at", ctx->run, s->first);
	values_word(out, "value", isnan(s->first_value) ? "NaN"
			  : s->first_value > 0 ? "Infinity" : "-Infinity");
	values_word(out, "unit", step_unit(ctx->run));
	if (s->loss_bad) {
		step_where(out, "loss_bad_at", ctx->run, s->loss_bad);
		values_word(out, "variant", "loss");
	}
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_nonfinite_grad_norm = {
	.name = "nonfinite-grad-norm",
	.summary = "the gradient norm is NaN or infinite at some logged points",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
