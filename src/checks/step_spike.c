/*
 * spike: rules grad-norm-spike and loss-spike (scram-check; issue 10: "a
 * grad_norm of 672 passes"; a loss that goes 1.4 -> 24 -> 7.5).
 *
 * Condition at point e, on `series`: the first training gradient-norm
 * series (grad_norm), or the loss (role loss, else the first training
 * loss series). Let H
 * be the finite values of the last `window` points before e (default 50),
 * m their median and d their median absolute deviation. x = grad_norm[e]
 * is a spike when
 *   |H| >= min_history (default 8), m > 0,
 *   x >= factor * m            (default factor 10), and
 *   x - m >= noise * 1.4826 d  (default noise 10: ten robust standard
 *                               deviations).
 * The condition holds from the min_spikes-th spike on (default 2), or from
 * the first whose training loss, at the spike or at the next logged point,
 * is at least loss_jump times (default 1.5) the loss logged just before the
 * spike: a lone spike that did no harm (a healthy t5 run logs grad_norm
 * 35.6 once among values of 2 to 3, its loss unmoved) is left alone, one
 * that threw the loss up (2.28 to 23.1) or that repeats is not. Median and MAD rather than
 * mean and standard deviation, so that one spike does not hide the next
 * and a noisy but healthy run (grad_norm 0.5 to 3 from step to step) stays
 * quiet; min_history keeps the warm-up out (a freshly initialized model
 * often logs its largest gradient norm first: 286 at step 25, then 25 to 50,
 * is not a spike above a settled level, and there is no level yet).
 *
 * Values: series, value (the first spike), median, ratio (value / median),
 * history (|H|), spike_at (where), spikes (how many so far), largest and
 * largest_ratio (the largest spike so far); the text uses the last check.
 * Cost: O(window) per step, window <= 256: O(1).
 */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "common.h"
#include "step_common.h"

enum { P_SERIES, P_FACTOR, P_NOISE, P_WINDOW, P_MIN_HISTORY, P_MIN_SPIKES, P_LOSS_JUMP };

#define WINDOW_MAX 256

static const struct param_def params[] = {
	{ "series", PARAM_WORD, 0, "grad_norm", 0, 0, "grad_norm|loss",
	  "the gradient norm or the training loss" },
	{ "factor", PARAM_NUMBER, 10, NULL, 1, 1e12, NULL,
	  "a spike is at least this many times the running median" },
	{ "noise", PARAM_NUMBER, 10, NULL, 0, 1e6, NULL,
	  "and this many robust standard deviations (1.4826 MAD) above it" },
	{ "window", PARAM_NUMBER, 50, NULL, 4, WINDOW_MAX, NULL,
	  "the running median is over this many preceding logged points" },
	{ "min_history", PARAM_NUMBER, 8, NULL, 2, WINDOW_MAX, NULL,
	  "no spike before this many values are known" },
	{ "min_spikes", PARAM_NUMBER, 2, NULL, 1, 1e9, NULL,
	  "fire at this many spikes..." },
	{ "loss_jump", PARAM_NUMBER, 1.5, NULL, 0, 1e12, NULL,
	  "...or at one, when the loss there or at the next point is this many times the loss before it (0: off)" },
};

static const char *const keys[] = {
	"series", "value", "median", "ratio", "history", "spike_at", "spikes",
	"largest", "largest_ratio"
};

struct state {
	int idx;
	struct step_window win;
	size_t spikes;
	double value, median, ratio;
	size_t history;
	size_t at;
	double largest, largest_ratio;
	int confirmed;
	int pending;		/* a spike at the last point, its loss not yet judged */
	double loss_before;	/* the loss before that spike; NaN when unknown */
	double loss_prev;	/* the last finite loss seen */
	int loss_idx;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	if (strcmp(ctx->param[P_SERIES].word, "loss") == 0) {
		s->idx = ctx->run->role[ROLE_LOSS];
		if (s->idx < 0)
			s->idx = step_find_kind(ctx->run, KIND_LOSS);
		*why = "no training loss series";
	} else {
		s->idx = step_find_kind(ctx->run, KIND_GRAD_NORM);
		*why = "no gradient-norm series";
	}
	if (s->idx < 0)
		return -1;
	s->loss_idx = ctx->run->role[ROLE_LOSS] >= 0 ? ctx->run->role[ROLE_LOSS]
						      : step_find_kind(ctx->run, KIND_LOSS);
	s->loss_prev = NAN;
	return 0;
}

/* Did the loss l (the spike's or the next point's) jump? */
static void judge_loss(struct state *s, const struct detector_ctx *ctx, double l)
{
	double jump = ctx->param[P_LOSS_JUMP].num;
	if (jump > 0 && isfinite(l) && s->loss_before > 0 && l >= jump * s->loss_before)
		s->confirmed = 1;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	size_t window = (size_t)ctx->param[P_WINDOW].num;
	double l = NAN, x;
	if (!step_value(ctx->run, s->loss_idx, e, &l))
		l = NAN;
	/* A spike at the point before is judged by the loss here too. */
	if (s->pending)
		judge_loss(s, ctx, l);
	s->pending = 0;
	if (step_value(ctx->run, s->idx, e, &x) && isfinite(x)) {
		if (s->win.n >= (size_t)ctx->param[P_MIN_HISTORY].num) {
			double m = step_window_median(&s->win);
			/* The MAD only for a value that is factor times the
			 * median: O(window) each, and most values are not. */
			if (m > 0 && x >= ctx->param[P_FACTOR].num * m &&
			    x - m >= ctx->param[P_NOISE].num * 1.4826 * step_window_mad(&s->win, m)) {
				if (!s->spikes) {
					s->value = x;
					s->median = m;
					s->ratio = x / m;
					s->history = s->win.n;
					s->at = e;
				}
				s->spikes++;
				if (s->spikes >= (size_t)ctx->param[P_MIN_SPIKES].num)
					s->confirmed = 1;
				s->loss_before = s->loss_prev;
				s->pending = 1;
				judge_loss(s, ctx, l);
				if (x / m > s->largest_ratio) {
					s->largest = x;
					s->largest_ratio = x / m;
				}
			}
		}
		step_window_push(&s->win, window, x);
	}
	if (isfinite(l))
		s->loss_prev = l;
	if (!s->confirmed)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", ctx->run->series[s->idx].name);
	values_num(out, "value", s->value);
	values_num(out, "median", s->median);
	values_num(out, "ratio", s->ratio);
	values_num(out, "history", (double)s->history);
	step_where(out, "spike_at", ctx->run, s->at);
	values_num(out, "spikes", (double)s->spikes);
	values_num(out, "largest", s->largest);
	values_num(out, "largest_ratio", s->largest_ratio);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_spike = {
	.name = "spike",
	.summary = "the gradient norm or the loss jumped far above its running median",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
