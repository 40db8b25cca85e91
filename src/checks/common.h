/*
 * Helpers the epoch-history detectors share: reading one value of a role at
 * one epoch, the way every detector must (a missing cell is not a value),
 * and the noise of a whole series. The noise functions are worked out once
 * per run and role (several rules ask for the same) and kept as a few
 * numbers in run->memo; the run stays owned by its caller.
 */
#ifndef SCRAM_CHECKS_COMMON_H
#define SCRAM_CHECKS_COMMON_H

#include <math.h>
#include <stddef.h>

#include "../engine/detector.h"
#include "../model/run.h"

/*
 * The value of role at epoch e (1-based) in *x. 1 when the run has the role
 * and the file had a value there (NaN and infinities are values), else 0.
 * Inline: every detector reads a few values at every step of every replay.
 */
static inline int check_value(const struct run *run, enum role role, size_t e, double *x)
{
	int idx = run->role[role];
	if (idx < 0 || e == 0 || e > run->n_epochs)
		return 0;
	double v = run->series[idx].v[e - 1];
	if (run_value_missing(v))
		return 0;
	*x = v;
	return 1;
}

/* As check_value, and the value is finite. */
static inline int check_finite(const struct run *run, enum role role, size_t e, double *x)
{
	return check_value(run, role, e, x) && isfinite(*x);
}

/* Does the run have the role with at least one value? */
static inline int check_has(const struct run *run, enum role role)
{
	return run->role[role] >= 0;
}

/*
 * fmax without the call, for the per-epoch paths: the other number when one
 * is NaN, else x > y ? x : y, which is x86-64's maxsd and so what glibc's
 * fmax gives there for 0 against -0 too.
 */
static inline double check_fmax(double x, double y)
{
	return isnan(y) ? x : isnan(x) ? y : x > y ? x : y;
}

/*
 * The training loss's first and lowest finite values so far: with no
 * training accuracy, not-converging and slow-convergence take a loss that
 * fell by fit_loss of its first value as evidence that the model fits its
 * training data (their fit_loss parameter).
 */
struct loss_fit {
	int have;
	double first, low;
};

static inline void loss_fit_step(struct loss_fit *f, const struct run *run, size_t e)
{
	double l;
	if (!check_finite(run, ROLE_LOSS, e, &l))
		return;
	if (!f->have) {
		f->have = 1;
		f->first = f->low = l;
	} else if (l < f->low) {
		f->low = l;
	}
}

/* Has the loss fallen to (1 - fit) of its first value (fit > 0)? */
static inline int loss_fit_done(const struct loss_fit *f, double fit)
{
	return fit > 0 && f->have && f->first > 0 && f->low <= (1 - fit) * f->first;
}

/*
 * A detector's scan (detector.h) made from its step, in a function marked
 * CHECK_SCAN_FN: called with the file's own step, the compiler inlines step
 * into the loop, so the replay's hot path has no call per epoch and keeps
 * the state and context in registers.
 */
#if defined(__GNUC__)
#define CHECK_SCAN_FN __attribute__((flatten))
#else
#define CHECK_SCAN_FN
#endif
static inline size_t check_scan(int (*step)(void *, const struct detector_ctx *, size_t,
					    struct values *),
				void *state, const struct detector_ctx *ctx, size_t from,
				size_t to, struct values *out)
{
	int stop = out != &values_discard;
	size_t last = 0;
	for (size_t e = from; e <= to; e++) {
		if (stop)
			out->n = 0;	/* out arrives empty at every step */
		if (step(state, ctx, e, out) == 1) {
			last = e;
			if (stop)
				break;
		}
	}
	return last;
}

/*
 * The role a word parameter names ("loss", "val_acc"...) in *role; 0 when the
 * run has it, else -1 with *why set.
 */
int check_role_param(const struct run *run, const char *word, enum role *role,
		     const char **why);

/*
 * Ready-made prepare functions for detectors that need a loss (loss or
 * val_loss) or an accuracy (acc or val_acc) and nothing else.
 */
int check_prepare_losses(void *state, const struct detector_ctx *ctx, const char **why);
int check_prepare_accuracies(void *state, const struct detector_ctx *ctx, const char **why);

/*
 * A loss series' noise per epoch: the robust standard deviation of the
 * second-difference residual over its consecutive finite values,
 *   sigma = 1.4826 * median |x[i] - (x[i-1] + x[i+1]) / 2| / sqrt(1.5)
 * (a smooth trend, falling or climbing, adds almost nothing; one spike moves
 * the median by one place), the estimate bench/eval/LABELS.md uses. Computed
 * over the whole series, as overfitting-gap does: the noise is a property of
 * the data and the batch order, not of the dynamics a detector judges, and an
 * estimate from the first few epochs is no estimate. 0 with fewer than three
 * consecutive finite values. Cost: O(n log n).
 */
double check_loss_noise(const struct run *run, enum role role);
/*
 * An accuracy series' noise per epoch: the larger of check_loss_noise and,
 * when its values are multiples of 1/n (a set of n samples, n <= 5000), the
 * binomial standard error sqrt(p (1 - p) / n) at its median p (clamped to
 * [0.01, 0.99]). *n_out gets n, 0 when no such grid shows. Cost: O(n log n).
 */
double check_accuracy_noise(const struct run *run, enum role role, double *n_out);
/*
 * check_accuracy_noise as it was when the run had its first n epochs (n <=
 * the run's length): for a detector that needs it only when it fires, and
 * must give what prepare() would have worked out (a followed run grows).
 */
double check_accuracy_noise_at(const struct run *run, enum role role, size_t n, double *n_out);
/*
 * The binomial floor of an accuracy's noise: values on a grid of step g > 1/5000
 * (the smallest step between distinct finite values, a set of 1/g samples) give
 * sqrt(p (1 - p) g) at the median p (clamped to [0.01, 0.99]); 0 otherwise.
 */
double check_binomial_floor(const struct run *run, enum role role);
/*
 * The sample count n of a series whose values in [0, 1] are fractions k/n
 * (at least 4 such values, 4 distinct; n tried as m / the smallest step,
 * m = 1..4, n <= 5000), or 0 when they fit no such grid. *median gets the
 * median of those values when n is found.
 */
size_t check_granularity(const struct run *run, enum role role, double *median);

/*
 * Can the run's accuracies be a classifier's, trained by the run's losses?
 * A misclassified example gives its true class a probability of at most 1/2,
 * so a cross-entropy is at least (1 - acc) * ln 2. 1 unless, for the pair
 * loss/acc or val_loss/val_acc, more than half of the epochs with both
 * finite (at least 3) have loss < margin * (1 - acc) * ln 2 (margin 0.5
 * leaves room for focal and smoothed losses): then the loss is no
 * cross-entropy of what the accuracy counts, most likely a regression whose
 * Keras "accuracy" is exact equality of floats (a mean squared error of 0.05
 * with "accuracy" 0.17). Runs without a loss count as classifiers.
 *
 * Nor when, for either pair, the accuracy keeps one value of at most 0.05
 * (at least 3 finite values, all equal) while its loss falls to half its
 * first value or less: a classifier whose cross-entropy halves gives its
 * true classes far more probability, and some example crosses over; a
 * regression's exact-equality "accuracy" stays at 0.00025 all along (a
 * public docking model, loss 3.88 to 1.89). A classifier stuck on its
 * majority class keeps its accuracy too, but at the class's share, not
 * near 0; a stuck one near 0 does not halve its loss.
 */
enum accuracy_kind {
	ACCURACY_CLASSIFICATION, ACCURACY_BELOW_CROSS_ENTROPY, ACCURACY_FROZEN
};
int check_accuracy_is_classification(const struct run *run);
/* Why a run's accuracy is not a classification's (NULL when it is). */
const char *check_accuracy_why(const struct run *run);

/*
 * A classifier that has learned nothing gives every class the same
 * probability: its cross-entropy is ln C and its accuracy 1/C (on balanced
 * classes). check_chance_classes returns that C (2 to 1000) when, at epoch e,
 * the loss of role lrole is within CHANCE_LOSS_TOL (relative) of ln C and the
 * accuracy a of role arole names the same C (1/a rounds to it) and is within
 * margin of 1/C: two measurements agreeing on one number of classes; else 0.
 * stuck-at-chance reads C from it when --classes is not given, and
 * not-converging does not take a training loss that fell to the level of
 * guessing as evidence that the model fits (a loss of 41,229 in the first
 * steps of a fine-tune, then ln 10 with an accuracy of 0.1 at every
 * evaluation). CHANCE_ACC_MARGIN is stuck-at-chance's default margin, for
 * the rules that only ask.
 */
#define CHANCE_LOSS_TOL 0.02
#define CHANCE_ACC_MARGIN 0.05
int check_chance_classes(const struct run *run, enum role lrole, enum role arole, size_t e,
			 double margin);

/*
 * Are the run's losses a classifier's cross-entropy, by epoch e? It has an
 * accuracy (acc or val_acc) that is a classification's
 * (check_accuracy_is_classification) and above 0.05 at some epoch up to e
 * (a regression's exact-match "accuracy" stays near 0). A cross-entropy is
 * never negative and starts near ln C: a negative value, or one of 1e3, is
 * broken whatever came before it (negative-loss's started_negative and
 * exploding-loss's growth, which spare regressions, do not apply).
 */
int check_cross_entropy_at(const struct run *run, size_t e);

#endif
