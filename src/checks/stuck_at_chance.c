/*
 * stuck-at-chance (scram-check; checks.md's "accuracy stuck at chance").
 *
 * With C = --classes >= 2, guessing gets accuracy 1/C. Condition at epoch e,
 * with on = both: max(acc[1..e], val_acc[1..e]) <= 1/C + margin; with
 * on = auto (the default): the same on val_acc alone when the run has it, else
 * on acc. A network that memorizes shuffled labels lifts its training accuracy
 * well above chance while validation stays there (testdata/real/
 * digits-shuffled-memorize.csv), so the default looks where generalization
 * shows; on = both is the test as first written. (default margin 0.05, in
 * accuracy: 0.55 for 2 classes, 0.15 for 10). The rule adds the judgment
 * point 0.3 so that the first epochs of a slow start do not count. With
 * imbalanced classes, always answering the majority class scores more than
 * 1/C, so a stuck model can escape this test; it never fires falsely for that
 * reason. Without --classes, C is read from the run at each check (common.h's
 * check_chance_classes): the loss beside the accuracy judged (val_loss with
 * val_acc, loss with acc) is ln C and that accuracy is within margin of 1/C
 * now, the two numbers a model that gives every class the same probability
 * shows; a run that never reached that point, or whose loss is not a
 * cross-entropy of C classes, is not judged. Like not-converging, it does
 * not run on a regression's Keras "accuracy" (common.h's
 * check_accuracy_is_classification).
 *
 * Values: best, best_series, best_epoch, chance (1/C), limit (1/C + margin),
 * classes; read from the run: loss_series, loss_now and variant "inferred".
 * Cost: O(1) per step.
 */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "common.h"

enum { P_MARGIN, P_ON };

static const struct param_def params[] = {
	{ "margin", PARAM_NUMBER, 0.05, NULL, 0, 1, NULL,
	  "accuracy within this of 1/classes is chance" },
	{ "on", PARAM_WORD, 0, "auto", 0, 0, "auto|both",
	  "auto: val_acc when the run has it, else acc; both: the best of the two" },
};

static const char *const keys[] = {
	"best", "best_series", "best_epoch", "chance", "limit", "classes", "loss_series",
	"loss_now", "variant"
};

static const enum role roles[2] = { ROLE_ACC, ROLE_VAL_ACC };

struct state {
	enum role lrole, arole;	/* the pair C is read from, without --classes */
	int seen;
	int which;
	double best;
	size_t best_epoch;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	if (ctx->classes < 2) {
		int val = check_has(ctx->run, ROLE_VAL_ACC) && check_has(ctx->run, ROLE_VAL_LOSS);
		s->lrole = val ? ROLE_VAL_LOSS : ROLE_LOSS;
		s->arole = val ? ROLE_VAL_ACC : ROLE_ACC;
		if (!check_has(ctx->run, s->lrole) || !check_has(ctx->run, s->arole)) {
			*why = "needs --classes (2 or more), or a loss beside the accuracy to read them from";
			return -1;
		}
	}
	if (check_prepare_accuracies(state, ctx, why) < 0)
		return -1;
	if (!check_accuracy_is_classification(ctx->run)) {
		*why = check_accuracy_why(ctx->run);
		return -1;
	}
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	int only_val = strcmp(ctx->param[P_ON].word, "auto") == 0 &&
		       check_has(ctx->run, ROLE_VAL_ACC);
	for (int k = only_val ? 1 : 0; k < 2; k++) {
		double x;
		if (check_value(ctx->run, roles[k], e, &x) && !isnan(x) &&
		    (!s->seen || x > s->best)) {
			s->seen = 1;
			s->which = k;
			s->best = x;
			s->best_epoch = e;
		}
	}
	if (!s->seen)
		return 0;
	double margin = ctx->param[P_MARGIN].num;
	/* No C has a chance level above 1/2: a run whose best accuracy
	 * passed 1/2 + margin never holds again (best only grows). */
	if (s->best > 0.5 + margin)
		return 0;
	int classes = ctx->classes;
	if (classes < 2 &&
	    !(classes = check_chance_classes(ctx->run, s->lrole, s->arole, e, margin)))
		return 0;
	double chance = 1.0 / classes;
	double limit = chance + margin;
	if (!(s->best <= limit))
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_num(out, "best", s->best);
	values_word(out, "best_series", run_role_name(ctx->run, roles[s->which]));
	values_epoch(out, "best_epoch", s->best_epoch);
	values_num(out, "chance", chance);
	values_num(out, "limit", limit);
	values_num(out, "classes", (double)classes);
	if (ctx->classes < 2) {
		double l = 0;
		check_finite(ctx->run, s->lrole, e, &l);
		values_word(out, "loss_series", run_role_name(ctx->run, s->lrole));
		values_num(out, "loss_now", l);
		values_word(out, "variant", "inferred");
	}
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_stuck_at_chance = {
	.name = "stuck-at-chance",
	.summary = "accuracy stays at the level of guessing",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
