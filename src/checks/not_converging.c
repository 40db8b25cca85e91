/*
 * not-converging (AUTOTRAINER not_converge).
 *
 * Condition: max(val_acc[1..e]) < satisfied_acc and max(acc[1..e]) <
 * satisfied_acc (default 0.7, AUTOTRAINER's Theta). The rule adds the
 * judgment point 0.3: before it, low accuracy is just the start of a run.
 * A run with only one of acc and val_acc is judged on that one; a series
 * with no value so far (all missing or NaN) does not count.
 *
 * And, unless window is 0, the accuracy is no longer rising: the best of the
 * two has not gained min_gain (default 0.01) within the last window (default
 * 3) epochs. Why: AUTOTRAINER's test alone fires on every healthy run that is
 * still climbing steadily when the judgment point comes (0.38, 0.47, 0.53 ...
 * after 3 of 9 epochs): that run is converging, just not there yet. Gains are
 * measured from an anchor (the best when it last rose by min_gain), so a slow
 * steady climb counts as rising and a noisy plateau does not. window = 0
 * gives the source's test.
 *
 * With no training accuracy the run is judged on val_acc alone; fit_loss
 * (default 0: off; the rule sets 0.5) lets the training loss stand in for
 * the training side: once it fell to (1 - fit_loss) of its first value the
 * model fitted its training data, and a low validation accuracy is a
 * failure to generalize (overfitting), not a run that does not converge.
 *
 * Values: best (the higher of the two maxima), best_series and best_epoch
 * (where it was reached), max_acc, max_acc_epoch, max_val_acc,
 * max_val_acc_epoch (each when the run has that series), last_gain_epoch
 * (when the best last rose by min_gain).
 * Cost: O(1) per step (running maxima).
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_SATISFIED, P_MIN_GAIN, P_WINDOW, P_FIT_LOSS };

static const struct param_def params[] = {
	{ "satisfied_acc", PARAM_NUMBER, 0.7, NULL, 0, 1, NULL,
	  "an accuracy that counts as having learned" },
	{ "min_gain", PARAM_NUMBER, 0.01, NULL, 0, 1, NULL,
	  "a rise of the best accuracy by this much counts as still rising" },
	{ "window", PARAM_COUNT, 3, NULL, 0, 1e6, NULL,
	  "no finding while it rose within this many epochs (0: AUTOTRAINER's test)" },
	{ "fit_loss", PARAM_NUMBER, 0, NULL, 0, 1, NULL,
	  "with no training accuracy: no finding once the training loss fell by this share of its first value (0: off)" },
};

static const char *const keys[] = {
	"best", "best_series", "best_epoch", "max_acc", "max_acc_epoch",
	"max_val_acc", "max_val_acc_epoch", "last_gain_epoch"
};

static const enum role roles[2] = { ROLE_ACC, ROLE_VAL_ACC };

struct state {
	int seen[2];
	double max[2];
	size_t max_epoch[2];
	int anchored;
	double anchor;
	size_t anchor_epoch;
	struct loss_fit loss;
	/* The parameters, read once. */
	double satisfied, min_gain, fit;
	size_t window;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	if (check_prepare_accuracies(state, ctx, why) < 0)
		return -1;
	if (!check_accuracy_is_classification(ctx->run)) {
		*why = check_accuracy_why(ctx->run);
		return -1;
	}
	struct state *s = state;
	s->satisfied = ctx->param[P_SATISFIED].num;
	s->min_gain = ctx->param[P_MIN_GAIN].num;
	s->fit = ctx->param[P_FIT_LOSS].num;
	s->window = (size_t)ctx->param[P_WINDOW].num;
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double satisfied = s->satisfied;
	for (int k = 0; k < 2; k++) {
		double x;
		if (check_value(ctx->run, roles[k], e, &x) && !isnan(x) &&
		    (!s->seen[k] || x > s->max[k])) {
			s->seen[k] = 1;
			s->max[k] = x;
			s->max_epoch[k] = e;
		}
	}
	loss_fit_step(&s->loss, ctx->run, e);
	if (!s->seen[0] && !s->seen[1])
		return 0;
	/* No training accuracy: the training loss is the training side's
	 * evidence. One that fell by fit_loss of its first value fitted the
	 * training data; a validation accuracy that stays low then is a
	 * failure to generalize (overfitting's finding), not a run that does
	 * not converge. Unless validation sits at the level of guessing now
	 * (val_loss ln C, val_acc 1/C): then the fall was from a blow-up to
	 * a model that learned nothing. */
	double fit = s->fit;
	if (!s->seen[0] && loss_fit_done(&s->loss, fit) &&
	    !check_chance_classes(ctx->run, ROLE_VAL_LOSS, ROLE_VAL_ACC, e, CHANCE_ACC_MARGIN))
		return 0;
	/* fmax of two maxima, never NaN, without the call (as maxsd) */
	double top = !s->seen[1] ? s->max[0] : !s->seen[0] ? s->max[1]
		   : s->max[0] > s->max[1] ? s->max[0] : s->max[1];
	if (!s->anchored || top >= s->anchor + s->min_gain) {
		s->anchored = 1;
		s->anchor = top;
		s->anchor_epoch = e;
	}
	size_t window = s->window;
	if (window > 0 && e - s->anchor_epoch < window)
		return 0;
	int best = -1;
	for (int k = 0; k < 2; k++) {
		if (!s->seen[k])
			continue;
		if (s->max[k] >= satisfied)
			return 0;
		if (best < 0 || s->max[k] > s->max[best])
			best = k;
	}
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_num(out, "best", s->max[best]);
	values_word(out, "best_series", run_role_name(ctx->run, roles[best]));
	values_epoch(out, "best_epoch", s->max_epoch[best]);
	if (s->seen[0]) {
		values_num(out, "max_acc", s->max[0]);
		values_epoch(out, "max_acc_epoch", s->max_epoch[0]);
	}
	if (s->seen[1]) {
		values_num(out, "max_val_acc", s->max[1]);
		values_epoch(out, "max_val_acc_epoch", s->max_epoch[1]);
	}
	values_epoch(out, "last_gain_epoch", s->anchor_epoch);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_not_converging = {
	.name = "not-converging",
	.summary = "accuracy never reached a satisfying level",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
