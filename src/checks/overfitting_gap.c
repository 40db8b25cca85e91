/*
 * overfitting-gap (scram-check): overfitting as users see it, the
 * validation loss climbing from its best while the training loss still
 * falls. SCRAM's two-epoch pattern (detector "overfitting", rule
 * overfitting-scram) misses the common shape of real overfit runs (val_loss
 * rising slowly, with noise, while val_acc stays flat) and fires on the
 * wobbles of small validation sets; this test asks for an effect beyond the
 * series' own noise, sustained.
 *
 * Condition at epoch e, loss variant (the run has loss and val_loss; on =
 * auto or loss): with b the epoch of the lowest val_loss in 1..e (first
 * occurrence) and w = the last `sustain` epochs (default 3) of 1..e:
 * - e - b >= sustain (the best lies at least that far back);
 * - min(val_loss over w) - val_loss[b] > max((noise + bias(b)) * sigma,
 *   min_rise * |val_loss[b]|), defaults noise 3 and min_rise 0.05: every
 *   epoch of the window is worse than the best by more than three noise
 *   widths and 5%; bias(b) (min_bias below) is how far the lowest of b noisy
 *   values lies below their level, so that the rise is counted from the level
 *   the best stands for, not from a lucky epoch;
 * - and by more than giveback (0.05) of the ground validation gained from
 *   its first value to its best (a loss from 1.0 to 0.015 that is 0.019 now
 *   is a model growing confident, not a worse one);
 * - e - b >= since_share * e (default 0.2): a stretch long for the run, not
 *   a passing bump of a long noisy run;
 * - mean(loss over w) < (1 - train_gain) * loss[b] (default 0.03): the
 *   training loss still fell since, by more than a wobble (the gap widens; a
 *   run whose training loss rises too is diverging, not overfitting).
 * sigma is the validation series' noise per epoch: 1.4826 * the median of
 * |val[i] - (val[i-1] + val[i+1]) / 2| / sqrt(1.5), the robust deviation of
 * the second-difference residual, which a steady trend (the climb being
 * judged) does not move, over epochs 1..e: what has been seen by then (a decaying
 * learning rate shrinks the noise tenfold over a long run, and the quiet
 * last epochs must not set the bar for the first).
 * Accuracy variant (no losses, or on = acc): the same on val_acc falling from
 * its highest, acc rising; sigma is the larger of the robust estimate and,
 * when the values are multiples of 1/n, the binomial sqrt(p(1-p)/n).
 * Score variant (no loss pair and no accuracy pair, but val_acc and a
 * training loss: a validation score such as mAP, F1 or a Spearman
 * correlation, which the replay binds as val_acc on every run that has one,
 * or an evaluation accuracy logged without its loss): val_acc falling from
 * its highest while the training loss still falls. sigma is the robust
 * estimate (with the binomial floor when the values show a grid), and the
 * score must have risen from its first value by more than noise widths
 * before its best (one that never learned has nothing to overfit). A
 * precision or a recall is not judged alone: the two trade against each
 * other as the model's confidence moves.
 * Once it holds it keeps holding until validation comes back within the
 * margin of its best (persists then says whether the run recovered).
 *
 * Values: val_series, train_series, best, best_epoch, val_now, val_change
 * (how far val got worse), change_pct, train_then, train_now, sigma, saved
 * (epochs early stopping at the best would have saved), variant "acc".
 * Cost: O(sustain) per step plus an insertion into the sorted changes
 * (O(n) worst case, O(1) typical).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/xalloc.h"
#include "checks.h"
#include "common.h"

enum { P_ON, P_SUSTAIN, P_NOISE, P_MIN_RISE, P_SINCE_SHARE, P_TRAIN_GAIN, P_GIVEBACK };

static const struct param_def params[] = {
	{ "on", PARAM_WORD, 0, "auto", 0, 0, "auto|acc|loss",
	  "losses or accuracies; auto: losses when the run has both" },
	{ "sustain", PARAM_COUNT, 3, NULL, 1, 1e6, NULL,
	  "epochs in a row that validation stays worse than its best" },
	{ "noise", PARAM_NUMBER, 3, NULL, 0, 100, NULL,
	  "by more than this many noise widths of the validation series" },
	{ "min_rise", PARAM_NUMBER, 0.05, NULL, 0, 1e6, NULL,
	  "and by more than this share of the best value" },
	{ "since_share", PARAM_NUMBER, 0.2, NULL, 0, 1, NULL,
	  "the best epoch lies at least this share of the run so far back" },
	{ "train_gain", PARAM_NUMBER, 0.03, NULL, 0, 1, NULL,
	  "training improved by at least this share since the best epoch" },
	{ "giveback", PARAM_NUMBER, 0.05, NULL, 0, 1, NULL,
	  "validation gave back at least this share of its improvement from the first epoch" },
};

static const char *const keys[] = {
	"val_series", "train_series", "best", "best_epoch", "val_now", "val_change",
	"change_pct", "train_then", "train_now", "sigma", "saved", "variant"
};

struct state {
	enum role train, val;
	int higher_better;	/* accuracy variant */
	int train_higher;	/* the training side is an accuracy (else a loss) */
	int score;		/* score variant: val_acc against the training loss */
	double sigma;
	double best;
	size_t best_epoch;	/* 1-based; 0 before any value */
	double first;		/* the first finite validation value */
	int have_first;
	int fired;
	double floor;		/* binomial floor (accuracies), or 0 */
	/* The residuals so far as two heaps: lo (a max-heap) holds the nd / 2
	 * smallest, hi (a min-heap) the rest, so hi[0] is the one at sorted
	 * index nd / 2; O(log n) per epoch where keeping them sorted cost O(n). */
	double *lo, *hi;
	size_t nlo, nhi, caplo, caphi, nd;
	/* Residuals not in the heaps yet: they go in only when sigma is read
	 * (the median of a set does not depend on the order it arrived in),
	 * so an epoch that cannot hold costs no heap work. */
	double *pend;
	size_t npend, cappend;
	/* min_bias(bias_epoch), kept: it changes only with the best epoch. */
	size_t bias_epoch;
	double bias;
	/* The parameters, read once. */
	size_t sustain;
	double since_share, noise, min_rise, giveback, train_gain;
	double prev, prev2;	/* the last two finite validation values */
	int have_prev;		/* how many (counted up to 2 and beyond) */
};

/*
 * The robust part, over the epochs seen so far (what a monitor has seen by
 * then: the noise changes with the run, a decaying learning rate makes a
 * validation loss that jumped by 0.004 at epoch 10 move by 0.0005 at epoch
 * 400, and the quiet last epochs must not set the bar for the first): the
 * residuals |v[i] - (v[i-1] + v[i+1]) / 2| are kept sorted as they arrive
 * (for independent noise of deviation s they have deviation s sqrt(1.5)).
 */
/* Heap of n values, h[0] first: sign 1 a min-heap, -1 a max-heap. */
static void heap_push(double **h, size_t *n, size_t *cap, double x, int sign)
{
	if (*n == *cap)
		xgrow(h, cap, *n + 1, sizeof(**h));
	size_t i = (*n)++;
	while (i > 0 && sign * (*h)[(i - 1) / 2] > sign * x) {
		(*h)[i] = (*h)[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	(*h)[i] = x;
}

static double heap_pop(double *h, size_t *n, int sign)
{
	double top = h[0], x = h[--*n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && sign * h[c + 1] < sign * h[c])
			c++;
		if (!(sign * h[c] < sign * x))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = x;
	return top;
}

static void add_change(struct state *s, double d)
{
	if (s->nhi && d >= s->hi[0])
		heap_push(&s->hi, &s->nhi, &s->caphi, d, 1);
	else
		heap_push(&s->lo, &s->nlo, &s->caplo, d, -1);
	s->nd++;
	while (s->nlo > s->nd / 2)
		heap_push(&s->hi, &s->nhi, &s->caphi, heap_pop(s->lo, &s->nlo, -1), 1);
	while (s->nlo < s->nd / 2)
		heap_push(&s->lo, &s->nlo, &s->caplo, heap_pop(s->hi, &s->nhi, 1), -1);
}

static double current_sigma(struct state *s)
{
	for (size_t i = 0; i < s->npend; i++)
		add_change(s, s->pend[i]);
	s->npend = 0;
	/* A long stretch without a read left a long buffer: what it held is
	 * in the heaps now, and the run's memory stays one double a point. */
	if (s->cappend > 64) {
		free(s->pend);
		s->pend = NULL;
		s->cappend = 0;
	}
	double sigma = s->nd ? 1.4826 * s->hi[0] / sqrt(1.5) : 0;
	return check_fmax(sigma, s->floor);
}

/* Does name hold word, in any case? */
static int contains_ci(const char *name, const char *word)
{
	size_t n = strlen(word);
	for (; name && *name; name++)
		if (strncasecmp(name, word, n) == 0)
			return 1;
	return 0;
}

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	const char *on = ctx->param[P_ON].word;
	int losses = check_has(ctx->run, ROLE_LOSS) && check_has(ctx->run, ROLE_VAL_LOSS);
	int accs = check_has(ctx->run, ROLE_ACC) && check_has(ctx->run, ROLE_VAL_ACC);
	int score = !losses && !accs && on[0] == 'a' && on[1] == 'u' &&
		    check_has(ctx->run, ROLE_LOSS) && check_has(ctx->run, ROLE_VAL_ACC);
	const char *vname = score ? run_role_name(ctx->run, ROLE_VAL_ACC) : NULL;
	if (score && (contains_ci(vname, "precision") || contains_ci(vname, "recall"))) {
		/* They trade against each other as the model's confidence
		 * moves: one falling alone is not a worse model. */
		*why = "precision and recall are not judged alone";
		return -1;
	}
	if (score) {
		s->train = ROLE_LOSS;
		s->val = ROLE_VAL_ACC;
		s->higher_better = 1;
		s->train_higher = 0;
		s->score = 1;
	} else if (on[0] == 'l' || (on[0] == 'a' && on[1] == 'u' && losses)) {
		if (!losses) {
			*why = "no loss and val_loss series";
			return -1;
		}
		s->train = ROLE_LOSS;
		s->val = ROLE_VAL_LOSS;
		s->higher_better = 0;
	} else {
		if (!accs) {
			*why = "no loss and val_loss, nor acc and val_acc series";
			return -1;
		}
		s->train = ROLE_ACC;
		s->val = ROLE_VAL_ACC;
		s->higher_better = 1;
		s->train_higher = 1;
	}
	s->floor = s->higher_better ? check_binomial_floor(ctx->run, s->val) : 0;
	s->sustain = (size_t)ctx->param[P_SUSTAIN].num;
	s->since_share = ctx->param[P_SINCE_SHARE].num;
	s->noise = ctx->param[P_NOISE].num;
	s->min_rise = ctx->param[P_MIN_RISE].num;
	s->giveback = ctx->param[P_GIVEBACK].num;
	s->train_gain = ctx->param[P_TRAIN_GAIN].num;
	return 0;
}

/*
 * How far below its level the lowest of N noisy values lies, in noise
 * widths: the expected minimum of N independent normal values,
 * a - (ln ln N + ln 4 pi) / (2 a) with a = sqrt(2 ln N) (the extreme-value
 * expansion; 1.5 for 13 values, 2.1 for 50, a little under the exact 1.7
 * and 2.25). The best validation value is such a minimum: on a flat noisy
 * series the later epochs lie that far above it with nothing getting worse.
 */
static double min_bias(double n)
{
	if (n < 3)
		return 0;
	double a = sqrt(2 * log(n));
	return a - (log(log(n)) + log(4 * M_PI)) / (2 * a);
}

/* "Better" in the series' direction. */
static int better(const struct state *s, double a, double b)
{
	return s->higher_better ? a > b : a < b;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	size_t sustain = s->sustain;
	double v;
	if (check_finite(ctx->run, s->val, e, &v)) {
		/* The second-difference residual of the point before: a
		 * steady trend (the climb being judged) is not noise. */
		if (s->have_prev >= 2) {
			if (s->npend == s->cappend)
				xgrow(&s->pend, &s->cappend, s->npend + 1, sizeof(*s->pend));
			s->pend[s->npend++] = fabs(s->prev - (s->prev2 + v) / 2);
		}
		s->prev2 = s->prev;
		s->prev = v;
		s->have_prev++;
		if (!s->have_first) {
			s->first = v;
			s->have_first = 1;
		}
		if (!s->best_epoch || better(s, v, s->best)) {
			s->best = v;
			s->best_epoch = e;
		}
	}
	double share = s->since_share * (double)e;
	if (!s->best_epoch || e - s->best_epoch < sustain ||
	    (double)(e - s->best_epoch) < share)
		return s->fired = 0;
	/* The window's best validation value and training mean. */
	double wbest = NAN, tsum = 0;
	size_t tn = 0;
	for (size_t i = e - sustain + 1; i <= e; i++) {
		double x;
		if (!check_finite(ctx->run, s->val, i, &x))
			return s->fired = 0;
		if (isnan(wbest) || better(s, x, wbest))
			wbest = x;
		if (check_finite(ctx->run, s->train, i, &x)) {
			tsum += x;
			tn++;
		}
	}
	/* Three logarithms: worked out again only when the best moved. */
	if (s->bias_epoch != s->best_epoch) {
		s->bias = min_bias((double)s->best_epoch);
		s->bias_epoch = s->best_epoch;
	}
	double bias = s->bias;
	s->sigma = current_sigma(s);
	double margin = check_fmax((s->noise + bias) * s->sigma, s->min_rise * fabs(s->best));
	/* A validation loss that fell from 1.0 to 0.015 and is 0.019 now has
	 * given back nothing that matters: a growing confidence, not a worse
	 * model. */
	margin = check_fmax(margin, s->giveback * fabs(s->first - s->best));
	double worse = s->higher_better ? s->best - wbest : wbest - s->best;
	double tb;
	if (!(worse > margin) || !tn || !check_finite(ctx->run, s->train, s->best_epoch, &tb))
		return s->fired = 0;
	/* A score that never rose beyond its noise learned nothing to
	 * overfit (an SSIM at 0.0009 going to 0.0004 before the model
	 * starts to learn). */
	if (s->score && !(s->best - s->first > s->noise * s->sigma))
		return s->fired = 0;
	double tmean = tsum / (double)tn;
	/* Training still improved since the best epoch (the gap widens), by
	 * more than a wobble. */
	double gain = s->train_higher ? tmean - tb : tb - tmean;
	if (!(gain > s->train_gain * fabs(tb)))
		return s->fired = 0;
	s->fired = 1;
	double now = 0, tnow = tmean;
	check_finite(ctx->run, s->val, e, &now);
	check_finite(ctx->run, s->train, e, &tnow);
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "val_series", run_role_name(ctx->run, s->val));
	values_word(out, "train_series", run_role_name(ctx->run, s->train));
	values_num(out, "best", s->best);
	values_epoch(out, "best_epoch", s->best_epoch);
	values_num(out, "val_now", now);
	values_num(out, "val_change", fabs(now - s->best));
	values_num(out, "change_pct", s->best != 0 ? 100 * fabs(now - s->best) / fabs(s->best) : 0);
	values_num(out, "train_then", tb);
	values_num(out, "train_now", tnow);
	values_num(out, "sigma", s->sigma);
	values_num(out, "saved", (double)(e - s->best_epoch));
	if (s->score)
		values_word(out, "variant", "score");
	else if (s->higher_better)
		values_word(out, "variant", "acc");
	return 1;
}

static void release(void *state)
{
	struct state *s = state;
	free(s->lo);
	free(s->hi);
	free(s->pend);
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_overfitting_gap = {
	.name = "overfitting-gap",
	.summary = "validation got worse than its best, beyond noise, while training improved",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
	.release = release,
	.each = 1u << KIND_SCORE,
};
