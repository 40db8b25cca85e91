/*
 * stalled-loss (scram-check; issue 10: "no improvement: the last part of the
 * run no better than the first").
 *
 * Condition, judged once at the run's last point T, on the training loss
 * (role loss, else the first training loss series) with n finite values,
 * n >= min_points (default 20): let k = max(3, floor(part * n)) (default
 * part 0.2), a the median of the first k values and b the median of the
 * last k. The run stalled when
 *   a > 0 and b >= (1 - min_gain) * a      (default min_gain 0.02).
 * Medians of a fifth of the run each, so that the step noise of a loss
 * that does not learn (2.29 to 2.33 around ln 10 for ten classes) cancels,
 * and a few good or bad steps at either end do not decide. A loss that is
 * exactly 0 all along is constant-loss's finding (a = 0). A run whose
 * first logged step is more than a quarter of its last was resumed from a
 * checkpoint (0Xero7's Lightning run logs steps 140749 to 196999): its
 * start is not in the log, and it is not judged.
 *
 * Values: series, start (a), end (b), gain_pct (100 (a - b) / a, negative
 * when it got worse), part_points (k), points (n), unit; variant "higher"
 * and rise_pct (100 (b - a) / a) when it got worse.
 * Cost: O(1) per step, and O(n) once at the last point.
 */
#include <math.h>
#include <stdlib.h>

#include "checks.h"
#include "common.h"
#include "step_common.h"
#include "../util/xalloc.h"

enum { P_PART, P_MIN_GAIN, P_MIN_POINTS };

static const struct param_def params[] = {
	{ "part", PARAM_NUMBER, 0.2, NULL, 0.01, 0.5, NULL,
	  "compare the median of this first share of the run with the last" },
	{ "min_gain", PARAM_NUMBER, 0.02, NULL, 0, 1, NULL,
	  "the last part must be at least this share below the first" },
	{ "min_points", PARAM_NUMBER, 20, NULL, 6, 1e9, NULL,
	  "judge only runs with at least this many logged values" },
};

static const char *const keys[] = {
	"series", "start", "end", "gain_pct", "part_points", "points", "unit", "variant",
	"rise_pct"
};

struct state {
	int idx;
	size_t n;
	int judged, fired;
	double a, b;
	size_t k;
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

/* The median of the first (from_end 0) or last k finite values of 1..e. */
static double part_median(const struct run *run, int idx, size_t e, size_t k, int from_end)
{
	double *buf = xreallocarray(NULL, k, sizeof(double));
	size_t got = 0;
	for (size_t i = 0; i < e && got < k; i++) {
		size_t p = from_end ? e - i : i + 1;
		double x;
		if (step_value(run, idx, p, &x) && isfinite(x))
			buf[got++] = x;
	}
	double m = step_median(buf, got);
	free(buf);
	return m;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double x;
	if (step_value(ctx->run, s->idx, e, &x) && isfinite(x))
		s->n++;
	if (!s->judged && e >= ctx->total_epochs) {
		s->judged = 1;
		const double *at = ctx->run->at_step;
		int resumed = at && at[0] > 0.25 * at[e - 1];
		if (s->n >= (size_t)ctx->param[P_MIN_POINTS].num && !resumed) {
			size_t k = (size_t)floor(ctx->param[P_PART].num * (double)s->n);
			s->k = k < 3 ? 3 : k;
			s->a = part_median(ctx->run, s->idx, e, s->k, 0);
			s->b = part_median(ctx->run, s->idx, e, s->k, 1);
			s->fired = s->a > 0 && s->b >= (1 - ctx->param[P_MIN_GAIN].num) * s->a;
		}
	}
	if (!s->fired)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "series", ctx->run->series[s->idx].name);
	values_num(out, "start", s->a);
	values_num(out, "end", s->b);
	values_num(out, "gain_pct", round(1000 * (s->a - s->b) / s->a) / 10);
	if (s->b > s->a) {
		/* Worse at the end: "-66.4% lower" would be no sentence. */
		values_word(out, "variant", "higher");
		values_num(out, "rise_pct", round(1000 * (s->b - s->a) / s->a) / 10);
	}
	values_num(out, "part_points", (double)s->k);
	values_num(out, "points", (double)s->n);
	values_word(out, "unit", step_unit(ctx->run));
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_stalled_loss = {
	.name = "stalled-loss",
	.summary = "the last part of the run's loss is no better than the first",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
