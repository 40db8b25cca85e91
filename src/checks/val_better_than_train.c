/*
 * val-better-than-train (scram-check; checks.md's "validation consistently
 * better than training").
 *
 * Condition at epoch e: for each of the last `sustain` epochs i (default 5,
 * consecutive, ending at e), loss[i] > 0 and val_loss[i] are finite and
 *   val_loss[i] < ratio * loss[i]   (default ratio 0.8).
 * Only losses are compared: a high val_acc alone never fires it. The streak
 * keeps out the first epochs, where Keras's training loss is the mean over an
 * epoch in which the model was still learning fast while val_loss is measured
 * at its end, so val_loss < loss there is expected.
 *
 * Values: since_epoch (first epoch of the streak), streak, loss and val_loss
 * (at e), now_ratio (val_loss / loss at e).
 * Cost: O(1) per step.
 */
#include <math.h>

#include "checks.h"
#include "common.h"

enum { P_RATIO, P_SUSTAIN };

static const struct param_def params[] = {
	{ "ratio", PARAM_NUMBER, 0.8, NULL, 0, 1, NULL,
	  "val_loss below this share of loss counts" },
	{ "sustain", PARAM_COUNT, 5, NULL, 1, 1e6, NULL,
	  "for this many consecutive epochs" },
};

static const char *const keys[] = {
	"since_epoch", "streak", "loss", "val_loss", "now_ratio"
};

struct state {
	size_t streak;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	(void)state;
	if (!check_has(ctx->run, ROLE_LOSS) || !check_has(ctx->run, ROLE_VAL_LOSS)) {
		*why = "no loss and val_loss series";
		return -1;
	}
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double l = 0, v = 0;
	int below = check_finite(ctx->run, ROLE_LOSS, e, &l) &&
		    check_finite(ctx->run, ROLE_VAL_LOSS, e, &v) &&
		    l > 0 && v < ctx->param[P_RATIO].num * l;
	s->streak = below ? s->streak + 1 : 0;
	if (s->streak < (size_t)ctx->param[P_SUSTAIN].num)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_epoch(out, "since_epoch", e - s->streak + 1);
	values_num(out, "streak", (double)s->streak);
	values_num(out, "loss", l);
	values_num(out, "val_loss", v);
	values_num(out, "now_ratio", v / l);
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_val_better_than_train = {
	.name = "val-better-than-train",
	.summary = "val_loss stays well below the training loss",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
