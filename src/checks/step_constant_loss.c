/*
 * constant-loss (scram-check; issue 10: "loss exactly zero, or constant to
 * four digits over many steps: label masking, leakage, or no learning").
 *
 * Condition at point e, on the loss and the validation loss (and, through
 * `each`, every other loss series): either
 *   the last `points` finite values (default 10), consecutive, are equal
 *   when rounded to four significant digits, and that value v is at least
 *   floor (default 0.5) times the series' first value, or v = 0 and the
 *   value before the streak (if any) was at least drop_from; or
 *   at least `points` finite values are logged and at least zero_share
 *   (default 0.5) of them are exactly 0; or
 *   the loss fell to exactly 0 from drop_from or more (default 0.1) at the
 *   point before, drops times (default 3).
 * A loss that learns moves in its fourth digit from one logged point to the
 * next; one that does not is computed on nothing (every label masked to
 * -100, an empty batch), on an answer the model is given (leakage), or by a
 * model whose weights do not change. The second test catches a loss that is
 * 0 on most steps between a few real values (a run whose batches are mostly
 * masked, or that logs 0.0 for skipped steps); the third a loss that is 0
 * between large values (Hannibal0420's aborted run: 9.7, 0.0, 8.7, 0.0,
 * 11.1...). No loss falls from 0.1 to exactly 0 in one logged step, even
 * rounded to four decimals as Hugging Face logs it; a memorizing run that
 * creeps down to 0.0003 and then logs 0.0 does not count. floor likewise: a
 * loss that fell to less than half its first value and then moves less than
 * its fourth digit per point learned and converged (a Whisper fine-tune
 * logged as 0.0003 ten times, HF keeping four decimals; a smooth loss over
 * 200000 epochs); a loss that never learned stays near where it began.
 *
 * Values: series, value (the constant, rounded), points (the streak's or the
 * zeros' count), since (where the streak started), logged (finite values so
 * far), unit, pattern (the title's words for the variant); variant "zero" when the streak is of 0, "zeros" for the
 * share, "drops" for the drops (points is then their count).
 * Cost: O(1) per step.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "common.h"
#include "step_common.h"

enum { P_POINTS, P_ZERO_SHARE, P_DROPS, P_DROP_FROM, P_FLOOR };

static const struct param_def params[] = {
	{ "points", PARAM_NUMBER, 10, NULL, 2, 1e9, NULL,
	  "this many consecutive logged values equal to four significant digits" },
	{ "zero_share", PARAM_NUMBER, 0.5, NULL, 0.01, 1, NULL,
	  "or at least this share of the values exactly 0" },
	{ "drops", PARAM_NUMBER, 3, NULL, 1, 1e9, NULL,
	  "or the loss fell to exactly 0 this many times" },
	{ "drop_from", PARAM_NUMBER, 0.1, NULL, 0, 1e300, NULL,
	  "from at least this value at the point before" },
	{ "floor", PARAM_NUMBER, 0.5, NULL, 0, 1, NULL,
	  "a constant below this share of the first value is a converged loss" },
};

static const char *const keys[] = {
	"series", "value", "points", "since", "logged", "unit", "variant", "pattern"
};

static const enum role roles[2] = { ROLE_LOSS, ROLE_VAL_LOSS };

struct track {
	double ref_x;		/* the first value of the streak */
	double ref;		/* its four digits, once have_ref */
	int have_ref;
	size_t streak, since;
	size_t n, zeros, drops;
	double prev, first;
	double before;		/* the value before the streak; NaN: none */
};

struct state {
	struct track t[2];
	int fired, which;
	const char *variant;
	double value;
	size_t points, since, logged;
};

/* The streak's value to four digits, worked out when first needed. */
static double track_ref(struct track *t)
{
	if (!t->have_ref) {
		t->ref = step_sig4(t->ref_x);
		t->have_ref = 1;
	}
	return t->ref;
}

/*
 * Does x have the streak's four digits? Two values with the same four digits
 * lie within one unit of the fourth digit, at most 1e-3 of the larger: farther
 * apart (most points of a loss that moves) they differ without rounding.
 * Exactly: both lie within half a unit u of the same decimal d, and u is at
 * most a thousandth of each (a unit of the fourth of four digits), so
 * |x - y| <= (|x| + |y|) / 2000; the test allows 0.1% more for the rounding
 * of the test itself. Tiny values (where distinct decimals can round to one
 * subnormal double) keep the wider margin of 2e-3.
 * When the digits were worked out, *sx has x's (a new streak starts from
 * them) and *have_sx is 1.
 */
static inline int close_enough(const struct track *t, double x)
{
	double ax = fabs(x), ar = fabs(t->ref_x);
	double m = ax > ar ? ax : ar;	/* fmax of two finite numbers */
	return !(fabs(x - t->ref_x) > (m >= 1e-290 ? 1.001e-3 : 2e-3) * m);
}

/* The rest of the test, once close_enough passed. */
static int same_sig4(struct track *t, double x, double *sx, int *have_sx)
{
	*sx = step_sig4(x);
	*have_sx = 1;
	return *sx == track_ref(t);
}

/* Is a streak of the value ref a loss that does not learn (not a converged one)? */
static int stuck(struct track *t, const struct detector_ctx *ctx)
{
	double r = track_ref(t);
	return r != 0 ? fabs(r) >= ctx->param[P_FLOOR].num * fabs(t->first)
		      : isnan(t->before) || t->before >= ctx->param[P_DROP_FROM].num;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	if (s->fired && out == &values_discard)
		return 1;
	/* Read once: the tracks' doubles could alias the parameters. */
	size_t need = (size_t)ctx->param[P_POINTS].num;
	size_t drops = (size_t)ctx->param[P_DROPS].num;
	double drop_from = ctx->param[P_DROP_FROM].num;
	double zero_share = ctx->param[P_ZERO_SHARE].num;
	for (int k = 0; k < 2 && !s->fired; k++) {
		struct track *t = &s->t[k];
		double x;
		if (!step_value(ctx->run, ctx->run->role[roles[k]], e, &x) || !isfinite(x))
			continue;
		double sx = 0;
		int have_sx = 0;
		if (t->streak && close_enough(t, x) && same_sig4(t, x, &sx, &have_sx)) {
			t->streak++;
		} else {
			t->before = t->n ? t->prev : NAN;
			t->ref_x = x;
			t->ref = sx;
			t->have_ref = have_sx;
			t->streak = 1;
			t->since = e;
		}
		if (!t->n)
			t->first = x;
		if (x == 0 && t->n && t->prev >= drop_from)
			t->drops++;
		t->prev = x;
		t->n++;
		t->zeros += x == 0;
		if (t->streak >= need && stuck(t, ctx)) {
			s->fired = 1;
			s->which = k;
			s->value = track_ref(t);
			s->points = t->streak;
			s->since = t->since;
			s->logged = t->n;
		} else if (t->zeros && t->n >= need &&	/* zero_share >= 0.01 */
			   (double)t->zeros >= zero_share * (double)t->n) {
			s->fired = 1;
			s->which = k;
			s->variant = "zeros";
			s->value = 0;
			s->points = t->zeros;
			s->since = 0;
			s->logged = t->n;
		} else if (t->drops >= drops) {
			s->fired = 1;
			s->which = k;
			s->variant = "drops";
			s->value = 0;
			s->points = t->drops;
			s->since = 0;
			s->logged = t->n;
		}
	}
	/* Once it fired it holds to the end: what follows is only the
	 * values, which a replay that discards them need not format. */
	if (!s->fired || out == &values_discard)
		return s->fired;
	values_word(out, "series", run_role_name(ctx->run, roles[s->which]));
	values_num(out, "value", s->value);
	values_num(out, "points", (double)s->points);
	if (s->since)
		step_where(out, "since", ctx->run, s->since);
	values_num(out, "logged", (double)s->logged);
	values_word(out, "unit", step_unit(ctx->run));
	const char *variant = s->variant ? s->variant : s->value == 0 ? "zero" : NULL;
	if (variant)
		values_word(out, "variant", variant);
	/* The title's words, since a title has no variants. */
	char pattern[64];
	const char *unit = step_unit(ctx->run);
	if (s->variant && strcmp(s->variant, "drops") == 0)
		snprintf(pattern, sizeof(pattern), "fell to exactly 0 %zu times", s->points);
	else if (s->variant)
		snprintf(pattern, sizeof(pattern), "is exactly 0 on %zu of %zu %s", s->points,
			 s->logged, unit);
	else
		snprintf(pattern, sizeof(pattern), "is %.4g on %zu %s in a row", s->value,
			 s->points, unit);
	values_word(out, "pattern", pattern);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_constant_loss = {
	.name = "constant-loss",
	.summary = "the loss is exactly 0, or the same to four digits, over many points",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = check_prepare_losses,
	.step = step,
	.scan = scan,
	.each = 1u << KIND_LOSS,
};
