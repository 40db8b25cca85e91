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
 * Noise (scram-check; noise = 0 is the literal test above): an accuracy
 * measured on n samples moves in steps of 1/n, and two measurements of one
 * model differ by sqrt(2 p (1 - p) / n) from sampling alone. When the series'
 * values are all multiples of 1/n (n found from the smallest gap between
 * values, up to 5000; a validation set's size is fixed before training, so
 * reading it from the whole series looks at no future dynamics), a pair
 * counts only when its swing is at least threshold and at least
 * noise * sqrt(2 p (1 - p) / n) (p the series' median) and noise + 0.5
 * samples. With 38 validation samples one sample is 2.6 points: a swing of
 * one sample is noise, not oscillation.
 *
 * Two more departures hold only when noise > 0, so that noise = 0 stays
 * ol_judge exactly:
 * - a run of equal values (a plateau: a quantized accuracy staying on one
 *   sample count) is one point, a peak when both neighbouring distinct
 *   values are lower, a trough when both are higher. Literally a flat point
 *   is both, so a staircase rise 0.80, 0.80, 0.82, 0.87, 0.87, 0.98 makes
 *   "swings" of its steps although it never goes down; a staircase is
 *   monotone. The extremum's epoch is the plateau's first.
 * - extrema in the first skip (0.2) of the run's T epochs do not count: the
 *   fast rise of the first epochs and its transients are learning, not
 *   oscillation (the judgment point 0.3 already says that the early epochs
 *   cannot show a settled behaviour).
 * Losses (series loss or val_loss) have no sampling grid; for them
 * ratio > 0 and fall_share > 0 put the swing on the run's own scale: a pair
 * counts only when the peak is at least ratio times the trough and
 * peak - trough is at least fall_share of the series' fall so far (its first
 * value minus its lowest), so that the wobbles of a loss near 0 (0.005 to
 * 0.014) do not count and a loss jumping from 0.005 to 0.24 and back does.
 * min_count (default 0) is a floor under rate * n: one hump (up, then down)
 * in a short run is not an oscillation; swinging back and forth is.
 * big (default 0: off; with noise > 0 and a sampling grid only): a
 * reversal, an extremum reached by a move of at least big and big_noise (4)
 * standard errors of a change and left by another such move the other way,
 * is not noise however few there are, so max(min_count, 2) of them fire
 * whatever the rate: a validation accuracy on 300 samples that goes 0.95,
 * 0.53, 0.91, 0.76, 0.93 mid-run and then settles swung hard four times,
 * which the rate (4 pairs in 20 epochs, ol_judge's pairing of the k-th peak
 * with the k-th trough) does not see. Consecutive moves, not ol_judge's
 * pairs: a collapse in steps (0.92, 0.87, 0.89, 0.76, 0.80, 0.53) pairs
 * early peaks with late troughs into big "swings", but never comes back.
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
#include <string.h>

#include "../util/xalloc.h"
#include "checks.h"
#include "common.h"

enum {
	P_SERIES, P_THRESHOLD, P_RATE, P_NOISE, P_SKIP, P_RATIO, P_FALL_SHARE, P_LEGS, P_MIN_COUNT,
	P_BIG, P_BIG_NOISE
};

static const struct param_def params[] = {
	{ "series", PARAM_WORD, 0, "acc", 0, 0, "acc|val_acc|loss|val_loss",
	  "the series to judge (AUTOTRAINER: acc; the thesis: val_acc)" },
	{ "threshold", PARAM_NUMBER, 0.03, NULL, 0, 1e300, NULL,
	  "a peak-trough pair counts when the peak is this much above the trough" },
	{ "rate", PARAM_NUMBER, 0.2, NULL, 0, 1, NULL,
	  "fire when the pairs that count are at least this share of the epochs" },
	{ "noise", PARAM_NUMBER, 2, NULL, 0, 100, NULL,
	  "swings must exceed this many sampling standard errors (0: the literal test)" },
	{ "skip", PARAM_NUMBER, 0.2, NULL, 0, 1, NULL,
	  "extrema in this first share of the epochs do not count (only when noise > 0)" },
	{ "ratio", PARAM_NUMBER, 0, NULL, 0, 1e300, NULL,
	  "losses: a pair counts only when the peak is this many times the trough (0: off)" },
	{ "fall_share", PARAM_NUMBER, 0, NULL, 0, 1, NULL,
	  "losses: and the swing is this share of the series' fall so far (0: off)" },
	{ "legs", PARAM_COUNT, 0, NULL, 0, 1, NULL,
	  "1: score every move from one extremum to the next, rising or falling (0: ol_judge's k-th peak with k-th trough)" },
	{ "min_count", PARAM_COUNT, 0, NULL, 0, 1e6, NULL,
	  "and at least this many swings count, however short the run (0: rate alone)" },
	{ "big", PARAM_NUMBER, 0, NULL, 0, 1, NULL,
	  "accuracies: max(min_count, 2) turns by moves of at least this, in and out, fire whatever the rate (0: off)" },
	{ "big_noise", PARAM_NUMBER, 4, NULL, 0, 100, NULL,
	  "and moves of at least this many sampling standard errors of a change" },
};

static const char *const keys[] = {
	"series", "count", "n", "needed", "peaks", "troughs", "swing",
	"swing_peak_epoch", "swing_trough_epoch", "min_swing", "samples", "one_sample", "variant",
	"skip_epochs", "ratio", "fall", "min_fall_swing", "big_noise", "rate_needed"
};

struct extremum {
	double v;
	size_t epoch;		/* 1-based */
};

/* A list of extrema of which only the unpaired tail is kept: entry k (of
 * n ever pushed, k >= first) is v[at + k - first]; a pair is scored once,
 * when it forms. */
struct extrema {
	struct extremum *v;
	size_t n, cap;
	size_t first, at;
};

struct state {
	enum role role;
	double min_swing;	/* the threshold after noise */
	size_t samples;		/* the n found from the values' granularity, or 0 */
	struct extrema peaks, troughs;
	size_t count;
	double big_min;		/* a big move's size, or 0: off */
	size_t big_count;	/* big reversals: big moves in and out */
	int have_bl;		/* the last extremum, for big reversals */
	double bl_v, bl_leg;	/* its value and the move into it (0: none) */
	int have_swing;
	double swing;
	size_t swing_peak, swing_trough;
	/* noise > 0: plateaus are one point; early extrema are skipped */
	int smooth;
	size_t skip_until;	/* extrema at epochs <= this do not count */
	double pv;		/* the distinct value before the current plateau */
	double cv;		/* the current plateau's value */
	size_t ce;		/* its first epoch */
	double first, low;	/* the series' first and lowest finite values */
	int have_last;		/* legs: the previous extremum */
	struct extremum last;
	int have_first;
	/* The parameters, read once. */
	double rate, min_count, ratio, fall_share;
	int legs;
};

static void extrema_push(struct extrema *x, double v, size_t epoch)
{
	size_t kept = x->n - x->first;
	if (x->at > 0 && x->at + kept == x->cap && x->at >= kept) {
		/* The forgotten head is at least as long as the tail: slide
		 * the tail down (amortized O(1) per entry). */
		memmove(x->v, x->v + x->at, kept * sizeof(*x->v));
		x->at = 0;
	}
	if (x->at + kept == x->cap)
		xgrow(&x->v, &x->cap, x->at + kept + 1, sizeof(*x->v));
	x->v[x->at + kept].v = v;
	x->v[x->at + kept].epoch = epoch;
	x->n++;
}

static const struct extremum *extrema_at(const struct extrema *x, size_t k)
{
	return &x->v[x->at + k - x->first];
}

/* Forget entries up to k: paired and scored, never read again. */
static void extrema_drop_to(struct extrema *x, size_t k)
{
	x->at += k + 1 - x->first;
	x->first = k + 1;
}

/* Score pair k (both lists have it) once, when it forms. */
static void score_pair(struct state *s, const struct extremum *p, const struct extremum *t,
		       double threshold, const struct detector_ctx *ctx)
{
	double d = p->v - t->v;
	int counts = d >= threshold;
	(void)ctx;
	double ratio = s->ratio, share = s->fall_share;
	if (counts && ratio > 0 && !(t->v > 0 && p->v >= ratio * t->v))
		counts = 0;
	if (counts && share > 0 && s->have_first && !(d >= share * (s->first - s->low)))
		counts = 0;
	if (counts)
		s->count++;
	if (!s->have_swing || d > s->swing) {
		s->have_swing = 1;
		s->swing = d;
		s->swing_peak = p->epoch;
		s->swing_trough = t->epoch;
	}
}

static void pair_formed(struct state *s, size_t k, double threshold,
			const struct detector_ctx *ctx)
{
	score_pair(s, extrema_at(&s->peaks, k), extrema_at(&s->troughs, k), threshold, ctx);
	/* Keep only what later pairs need: O(1) memory while the lists
	 * alternate. */
	extrema_drop_to(&s->peaks, k);
	extrema_drop_to(&s->troughs, k);
}

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	if (check_role_param(ctx->run, ctx->param[P_SERIES].word, &s->role, why))
		return -1;
	double noise = ctx->param[P_NOISE].num, median = 0.5;
	s->min_swing = ctx->param[P_THRESHOLD].num;
	s->samples = 0;
	s->smooth = noise > 0;
	s->skip_until = s->smooth ? (size_t)floor(ctx->param[P_SKIP].num * (double)ctx->total_epochs) : 0;
	s->pv = s->cv = NAN;
	s->rate = ctx->param[P_RATE].num;
	s->min_count = ctx->param[P_MIN_COUNT].num;
	s->ratio = ctx->param[P_RATIO].num;
	s->fall_share = ctx->param[P_FALL_SHARE].num;
	s->legs = ctx->param[P_LEGS].num > 0;
	if (noise > 0 && (s->role == ROLE_ACC || s->role == ROLE_VAL_ACC)) {
		size_t n = check_granularity(ctx->run, s->role, &median);
		if (n) {
			double p = median < 0.01 ? 0.01 : median > 0.99 ? 0.99 : median;
			double se = sqrt(2 * p * (1 - p) / (double)n);
			double floor_ = fmax(noise * se, (noise + 0.5) / (double)n);
			s->samples = n;
			if (floor_ > s->min_swing)
				s->min_swing = floor_;
			double big = ctx->param[P_BIG].num;
			if (big > 0)
				s->big_min = fmax(fmax(big, ctx->param[P_BIG_NOISE].num * se), s->min_swing);
		}
	}
	return 0;
}

static void add_extremum(struct state *s, int peak, int trough, double v, size_t epoch,
			 double threshold, const struct detector_ctx *ctx)
{
	if (s->big_min > 0) {
		double leg = s->have_bl ? fabs(v - s->bl_v) : 0;
		if (s->bl_leg >= s->big_min && leg >= s->big_min)
			s->big_count++;
		s->bl_v = v;
		s->bl_leg = leg;
		s->have_bl = 1;
	}
	if (s->legs) {
		/* Every move from one extremum to the next (they alternate once
		 * plateaus are one point). */
		struct extremum now = { v, epoch };
		if (s->have_last && peak != trough) {
			if (peak)
				score_pair(s, &now, &s->last, threshold, ctx);
			else
				score_pair(s, &s->last, &now, threshold, ctx);
		}
		s->last = now;
		s->have_last = 1;
		/* Only the counts are read in this mode: nothing is kept. */
		s->peaks.n += peak != 0;
		s->troughs.n += trough != 0;
		return;
	}
	if (peak) {
		extrema_push(&s->peaks, v, epoch);
		if (s->peaks.n <= s->troughs.n)
			pair_formed(s, s->peaks.n - 1, threshold, ctx);
	}
	if (trough) {
		extrema_push(&s->troughs, v, epoch);
		if (s->troughs.n <= s->peaks.n)
			pair_formed(s, s->troughs.n - 1, threshold, ctx);
	}
}

static inline double value_or_nan(const struct detector_ctx *ctx, enum role role, size_t e)
{
	double x;
	return check_value(ctx->run, role, e, &x) ? x : NAN;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double threshold = s->min_swing;
	double x = value_or_nan(ctx, s->role, e);
	/* The first and lowest values are read only with fall_share. */
	if (s->fall_share > 0 && isfinite(x)) {
		if (!s->have_first) {
			s->first = s->low = x;
			s->have_first = 1;
		} else if (x < s->low) {
			s->low = x;
		}
	}
	if (s->smooth) {
		/* Plateaus are one point; the current one ends when x differs. */
		if (!isfinite(x)) {
			s->pv = s->cv = NAN;
		} else if (isnan(s->cv)) {
			s->cv = x;
			s->ce = e;
		} else if (x != s->cv) {
			/* pv is finite or NaN (it was a plateau's value), and
			 * NaN compares false: no isfinite needed. */
			int peak = s->cv > s->pv && s->cv > x;
			int trough = s->cv < s->pv && s->cv < x;
			/* Neither: nothing to add (an epoch in the skip adds
			 * nothing either). */
			if ((peak || trough) && s->ce > s->skip_until)
				add_extremum(s, peak, trough, s->cv, s->ce, threshold, ctx);
			s->pv = s->cv;
			s->cv = x;
			s->ce = e;
		}
	} else if (e >= 3) {
		/* Epoch e - 1 is interior now. */
		double prev = value_or_nan(ctx, s->role, e - 2);
		double mid = value_or_nan(ctx, s->role, e - 1);
		double next = x;
		int peak = mid - prev >= 0 && mid - next >= 0;
		int trough = mid - prev <= 0 && mid - next <= 0;
		if (peak || trough)
			add_extremum(s, peak, trough, mid, e - 1, threshold, ctx);
	}
	/* fmax of two numbers, neither NaN, without the call (x86-64's
	 * fmax is maxsd: x > y ? x : y, which settles 0 against -0 too). */
	double rate_e = s->rate * (double)e;
	double need = rate_e > s->min_count ? rate_e : s->min_count;
	int holds = (double)s->count >= need;
	/* Few swings, but big ones. */
	double big_need = s->min_count > 2 ? s->min_count : 2;
	int big = !holds && (double)s->big_count >= big_need;
	if (!(holds || big) || out == &values_discard)
		return holds || big;
	values_word(out, "series", run_role_name(ctx->run, s->role));
	values_num(out, "count", (double)(big ? s->big_count : s->count));
	values_num(out, "n", (double)e);
	values_num(out, "needed", ceil(big ? big_need : need));
	values_num(out, "peaks", (double)s->peaks.n);
	values_num(out, "troughs", (double)s->troughs.n);
	values_num(out, "min_swing", big ? s->big_min : s->min_swing);
	if (big) {
		values_num(out, "samples", (double)s->samples);
		values_num(out, "one_sample", 1.0 / (double)s->samples);
		values_num(out, "big_noise", ctx->param[P_BIG_NOISE].num);
		values_num(out, "rate_needed", ceil(need));
		values_word(out, "variant", "big");
	} else if (s->samples && s->min_swing > ctx->param[P_THRESHOLD].num) {
		values_num(out, "samples", (double)s->samples);
		values_num(out, "one_sample", 1.0 / (double)s->samples);
		values_word(out, "variant", "noise");
	}
	if (s->skip_until)
		values_num(out, "skip_epochs", (double)s->skip_until);
	if (s->ratio > 0)
		values_num(out, "ratio", s->ratio);
	if (s->fall_share > 0 && s->have_first) {
		values_num(out, "fall", s->first - s->low);
		values_num(out, "min_fall_swing", s->fall_share * (s->first - s->low));
	}
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


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
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
	.scan = scan,
	.release = release,
};
