/*
 * oscillating-loss (AUTOTRAINER ol_judge; the 2023 thesis on oscillating loss).
 *
 * Condition, on the series `series` (default acc) a[1..n] with n = e, exactly
 * as checks.md gives ol_judge:
 * 1. an interior index i (1 < i < n) is a peak when a[i] - a[i-1] >= 0 and
 *    a[i] - a[i+1] >= 0, a trough when a[i] - a[i-1] <= 0 and
 *    a[i] - a[i+1] <= 0 (non-strict: a flat point is both; NaN compares
 *    false, so a NaN point, or one next to a NaN, is neither);
 * 2. the k-th peak is paired with the k-th trough, k < min(#peaks, #troughs),
 *    and count = the number of pairs with peak - trough >= threshold (signed);
 * 3. it holds when count >= rate * n.
 * Defaults threshold 0.03, rate 0.2 (AUTOTRAINER's zeta and eta); the rule
 * adds the judgment point 0.3. A missing value is read as NaN.
 *
 * Incremental: index i becomes interior when a[i+1] arrives, so each step
 * classifies one point, appends it to the peak and/or trough list, and scores
 * the pair it completes (a new pair forms exactly when the shorter list
 * grows). O(1) amortized per step; the lists hold only values and epochs.
 *
 * Values: series (as the file spells it), count, n, needed (the smallest count
 * that fires: ceil(rate * n)), peaks, troughs, swing (the largest
 * peak - trough over the pairs) with swing_peak_epoch and swing_trough_epoch.
 */
#include <math.h>
#include <stdlib.h>

#include "../util/xalloc.h"
#include "checks.h"
#include "common.h"

enum { P_SERIES, P_THRESHOLD, P_RATE };

static const struct param_def params[] = {
	{ "series", PARAM_WORD, 0, "acc", 0, 0, "acc|val_acc|loss|val_loss",
	  "the series to judge (AUTOTRAINER: acc; the thesis: val_acc)" },
	{ "threshold", PARAM_NUMBER, 0.03, NULL, 0, 1e300, NULL,
	  "a peak-trough pair counts when the peak is this much above the trough" },
	{ "rate", PARAM_NUMBER, 0.2, NULL, 0, 1, NULL,
	  "fire when the pairs that count are at least this share of the epochs" },
};

static const char *const keys[] = {
	"series", "count", "n", "needed", "peaks", "troughs", "swing",
	"swing_peak_epoch", "swing_trough_epoch"
};

struct extremum {
	double v;
	size_t epoch;		/* 1-based */
};

struct extrema {
	struct extremum *v;
	size_t n, cap;
};

struct state {
	enum role role;
	struct extrema peaks, troughs;
	size_t count;
	int have_swing;
	double swing;
	size_t swing_peak, swing_trough;
};

static void extrema_push(struct extrema *x, double v, size_t epoch)
{
	xgrow(&x->v, &x->cap, x->n + 1, sizeof(*x->v));
	x->v[x->n].v = v;
	x->v[x->n].epoch = epoch;
	x->n++;
}

/* Score pair k (both lists have it) once, when it forms. */
static void pair_formed(struct state *s, size_t k, double threshold)
{
	const struct extremum *p = &s->peaks.v[k], *t = &s->troughs.v[k];
	double d = p->v - t->v;
	if (d >= threshold)
		s->count++;
	if (!s->have_swing || d > s->swing) {
		s->have_swing = 1;
		s->swing = d;
		s->swing_peak = p->epoch;
		s->swing_trough = t->epoch;
	}
}

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	return check_role_param(ctx->run, ctx->param[P_SERIES].word, &s->role, why);
}

static double value_or_nan(const struct detector_ctx *ctx, enum role role, size_t e)
{
	double x;
	return check_value(ctx->run, role, e, &x) ? x : NAN;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double threshold = ctx->param[P_THRESHOLD].num;
	double rate = ctx->param[P_RATE].num;
	if (e >= 3) {
		/* Epoch e - 1 is interior now. */
		double prev = value_or_nan(ctx, s->role, e - 2);
		double mid = value_or_nan(ctx, s->role, e - 1);
		double next = value_or_nan(ctx, s->role, e);
		int peak = mid - prev >= 0 && mid - next >= 0;
		int trough = mid - prev <= 0 && mid - next <= 0;
		if (peak) {
			extrema_push(&s->peaks, mid, e - 1);
			if (s->peaks.n <= s->troughs.n)
				pair_formed(s, s->peaks.n - 1, threshold);
		}
		if (trough) {
			extrema_push(&s->troughs, mid, e - 1);
			if (s->troughs.n <= s->peaks.n)
				pair_formed(s, s->troughs.n - 1, threshold);
		}
	}
	double need = rate * (double)e;
	if (!((double)s->count >= need))
		return 0;
	values_word(out, "series", run_role_name(ctx->run, s->role));
	values_num(out, "count", (double)s->count);
	values_num(out, "n", (double)e);
	values_num(out, "needed", ceil(need));
	values_num(out, "peaks", (double)s->peaks.n);
	values_num(out, "troughs", (double)s->troughs.n);
	if (s->have_swing) {
		values_num(out, "swing", s->swing);
		values_epoch(out, "swing_peak_epoch", s->swing_peak);
		values_epoch(out, "swing_trough_epoch", s->swing_trough);
	}
	return 1;
}

static void release(void *state)
{
	struct state *s = state;
	free(s->peaks.v);
	free(s->troughs.v);
}

const struct detector detector_oscillating_loss = {
	.name = "oscillating-loss",
	.summary = "the curve swings up and down instead of settling (ol_judge)",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.release = release,
};
