/*
 * initial-loss (the "Checklist for Debugging Neural Networks": check the
 * loss at initialization; Karpathy's "verify loss @ init").
 *
 * With C = --classes >= 2, a classifier that knows nothing predicts 1/C for
 * every class, and its cross-entropy is ln C. Condition: the first finite
 * loss (first = loss at the first epoch that has one) satisfies
 *   first > high * ln C   (default high 3), or
 *   first < low * ln C    (default low 0: off).
 * Why generous: a Keras history's first loss is the mean over all of epoch 1,
 * not the loss at initialization, so it is already lower than ln C, often by
 * far (MNIST: ~0.2 against ln 10 = 2.3) on a healthy run; a low bound would
 * fire on every fast learner, and is off by default. A first-epoch mean that
 * is still 3 x ln C means the model started out confidently wrong: an output
 * layer with a large scale, logits passed where probabilities were expected,
 * or labels that do not match the loss. Needs --classes.
 *
 * Unless confirm is 0, the high test also needs the second loss (the next
 * epoch with one): above high * ln C too, and not above the first. Why: a
 * first-epoch mean is also high when a too-high learning rate blew the loss
 * up within epoch 1 (8 x ln C, 26 x ln C), after a normal start; then the
 * loss drops back to about ln C at epoch 2, or climbs on. Measured on
 * bench/eval's development corpus, whose generator records the true loss at
 * initialization: the first-epoch test alone fired on 14 runs whose loss at
 * initialization was ln C (oscillating, diverging, NaN runs) out of 27; with
 * the second loss, on 1. A bad start stays high and falls slowly
 * (testdata/real/digits-bad-init.csv: 62, 29, 15 x ln 10). confirm = 0 is the
 * checklist's test on the first value alone.
 *
 * Values: first, first_epoch, expected (ln C), ratio (first / ln C),
 * classes, second and second_epoch with variant "second" (when confirm used
 * them), variant "low" when it fired on the low bound.
 * Cost: O(1) per step (decided at the first value, then repeated).
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_HIGH, P_LOW, P_CONFIRM };

static const struct param_def params[] = {
	{ "high", PARAM_NUMBER, 3, NULL, 1, 1e6, NULL,
	  "the first loss above this many times ln(classes) is too high" },
	{ "low", PARAM_NUMBER, 0, NULL, 0, 1, NULL,
	  "the first loss below this share of ln(classes) is too low (0: off)" },
	{ "confirm", PARAM_NUMBER, 1, NULL, 0, 1, NULL,
	  "1: the second loss must be too high as well, and not above the first; 0: the first alone" },
};

static const char *const keys[] = {
	"first", "first_epoch", "expected", "ratio", "classes", "second",
	"second_epoch", "variant"
};

struct state {
	int decided;
	int fired;
	int low;
	double first;
	size_t first_epoch;
	int pending;		/* the first was high; waiting for the second */
	double second;
	size_t second_epoch;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	(void)state;
	if (ctx->classes < 2) {
		*why = "needs --classes (2 or more)";
		return -1;
	}
	if (!check_has(ctx->run, ROLE_LOSS)) {
		*why = "no loss series";
		return -1;
	}
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double expected = log((double)ctx->classes);
	double x;
	double high = ctx->param[P_HIGH].num * expected;
	if (s->pending && check_value(ctx->run, ROLE_LOSS, e, &x)) {
		s->pending = 0;
		s->second = x;
		s->second_epoch = e;
		if (isfinite(x) && x > high && x <= s->first)
			s->fired = 1;
	} else if (!s->decided && check_value(ctx->run, ROLE_LOSS, e, &x)) {
		/* A NaN first loss is nan-loss's finding, not this one's. */
		s->decided = 1;
		s->first = x;
		s->first_epoch = e;
		double low = ctx->param[P_LOW].num;
		if (isfinite(x) && x > high) {
			if (ctx->param[P_CONFIRM].num >= 0.5)
				s->pending = 1;
			else
				s->fired = 1;
		} else if (isfinite(x) && low > 0 && x < low * expected) {
			s->fired = s->low = 1;
		}
	}
	if (!s->fired)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_num(out, "first", s->first);
	values_epoch(out, "first_epoch", s->first_epoch);
	values_num(out, "expected", expected);
	values_num(out, "ratio", s->first / expected);
	values_num(out, "classes", (double)ctx->classes);
	if (s->second_epoch) {
		values_num(out, "second", s->second);
		values_epoch(out, "second_epoch", s->second_epoch);
		values_word(out, "variant", "second");
	}
	if (s->low)
		values_word(out, "variant", "low");
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_initial_loss = {
	.name = "initial-loss",
	.summary = "the first loss is far from ln(classes)",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
