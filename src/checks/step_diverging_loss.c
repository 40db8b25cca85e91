/*
 * diverging-step-loss (scram-check; issue 10: "divergence on any axis: the
 * training-loss rule works on steps, with smoothing that step noise does not
 * fool"). diverging-loss's test, on a running median of the steps.
 *
 * Condition at point e, on the training loss (role loss, else the first
 * training loss series): let s[e] be the median of the last w finite
 * values (w = window, default 21, or a sixth of a shorter run's T points
 * but at least 5; none until the window is full), m the lowest
 * s so far and f the first s. For each of the last `sustain` points i with
 * an s (default 5, consecutive, ending at e):
 *   s[i] >= factor * m                (default factor 1.5), and
 *   s[i] - m >= giveback * (f - m)    (default giveback 0.25), and
 *   s[i] - m >= noise * 1.4826 d      (default noise 5; d the median
 *                                      absolute deviation of the window
 *                                      whose median was m).
 * A step loss is noisy (a batch of long sequences, a hard batch) and spikes
 * now and then; the median of 21 logged steps moves only when more than
 * half of them moved, so a lone spike (loss-spike's finding) does not
 * count, and a climb that holds does. giveback as in diverging-loss: a loss
 * that fell by orders of magnitude must give back a quarter of its fall.
 * noise: a per-batch loss can be heavy-tailed (a healthy Lightning run
 * logging one batch's loss, 0.02 to 3.4 around 0.2, has running medians
 * that wander between 0.16 and 0.54, 4.4 robust deviations); a run that
 * diverges climbs 9 to 38 of them (keanuspies' QLoRA run, 6 to 23).
 *
 * Values: series, min and min_at (the lowest running median and where),
 * now (the running median at e), ratio (now / min), since (the first point
 * of the streak), first (f), window.
 * Cost: O(window) per step, window <= 255: O(1).
 */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "common.h"
#include "step_common.h"

enum { P_FACTOR, P_SUSTAIN, P_GIVEBACK, P_WINDOW, P_NOISE };

#define WINDOW_MAX 255

static const struct param_def params[] = {
	{ "factor", PARAM_NUMBER, 1.5, NULL, 1, 1e12, NULL,
	  "the running median is this many times its lowest value" },
	{ "sustain", PARAM_NUMBER, 5, NULL, 1, 1e6, NULL,
	  "for this many consecutive logged points" },
	{ "giveback", PARAM_NUMBER, 0.25, NULL, 0, 1, NULL,
	  "and has lost at least this share of its fall from the first value" },
	{ "window", PARAM_NUMBER, 21, NULL, 1, WINDOW_MAX, NULL,
	  "the running median is over this many logged points" },
	{ "noise", PARAM_NUMBER, 5, NULL, 0, 1e6, NULL,
	  "and is this many robust standard deviations of the best window above its low" },
};

static const char *const keys[] = {
	"series", "min", "min_at", "now", "ratio", "since", "first", "window"
};

struct state {
	int idx;
	struct step_window win;
	int seen;
	double first, min, mad_at_min;
	size_t min_at;
	size_t streak;
	size_t since;
	double now;
	size_t window;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	s->idx = ctx->run->role[ROLE_LOSS];
	if (s->idx < 0)
		s->idx = step_find_kind(ctx->run, KIND_LOSS);
	if (s->idx < 0) {
		*why = "no training loss series";
		return -1;
	}
	return 0;
}

static void update(struct state *s, const struct detector_ctx *ctx, size_t window,
		   size_t e, double x)
{
	step_window_push(&s->win, window, x);
	if (s->win.n < window)
		return;
	double med = step_window_median(&s->win);
	if (!s->seen || med < s->min) {
		if (!s->seen)
			s->first = med;
		s->seen = 1;
		s->min = med;
		s->min_at = e;
		s->mad_at_min = step_window_mad(&s->win, med);
	}
	int up = s->min > 0 && med >= ctx->param[P_FACTOR].num * s->min &&
		 med - s->min >= ctx->param[P_GIVEBACK].num * (s->first - s->min) &&
		 med - s->min >= ctx->param[P_NOISE].num * 1.4826 * s->mad_at_min;
	if (up && !s->streak)
		s->since = e;
	s->streak = up ? s->streak + 1 : 0;
	s->now = med;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	/* A short run gets a shorter window (a sixth of it, at least 5), or its
	 * first median would come after its best steps. */
	if (!s->window) {
		size_t w = (size_t)ctx->param[P_WINDOW].num, short_w = ctx->total_epochs / 6;
		s->window = short_w < w ? (short_w < 5 ? (w < 5 ? w : 5) : short_w) : w;
	}
	size_t window = s->window;
	double x;
	/* A point without a finite loss (a row with only the learning rate)
	 * leaves everything as it was. */
	if (step_value(ctx->run, s->idx, e, &x) && isfinite(x))
		update(s, ctx, window, e, x);
	if (s->streak < (size_t)ctx->param[P_SUSTAIN].num)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", ctx->run->series[s->idx].name);
	values_num(out, "min", s->min);
	step_where(out, "min_at", ctx->run, s->min_at);
	values_num(out, "now", s->now);
	values_num(out, "ratio", s->now / s->min);
	step_where(out, "since", ctx->run, s->since);
	values_num(out, "first", s->first);
	values_num(out, "window", (double)window);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_diverging_step_loss = {
	.name = "diverging-step-loss",
	.summary = "the running median of the step loss climbed well above its minimum",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
