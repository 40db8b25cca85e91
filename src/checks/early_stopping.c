/*
 * early-stopping (scram-check; checks.md's "plateau where early stopping
 * would have saved epochs"), with Keras EarlyStopping's own arithmetic.
 *
 * The monitored series (default auto: val_loss when the run has it, else
 * val_acc) improves at epoch i when a[i] < best - min_delta (a loss) or
 * a[i] > best + min_delta (an accuracy); the first value is the first best.
 * With E the last epoch that improved and P = patience (default 5, as the
 * snippet; min_delta 0 as Keras), EarlyStopping would have stopped after
 * epoch E + P. Condition at epoch e: e >= E + P + 1, i.e. the epochs
 * E+P+1..e were trained for nothing. It stops holding when the series
 * improves again. NaN and missing values never improve.
 *
 * Values: monitor (as the file spells it, which is the name Keras's
 * monitor= wants), best_epoch (E), best, stop_epoch (E + P), saved
 * (e - E - P), mode ("min" or "max", Lightning's mode=), better ("<" or
 * ">": the PyTorch snippet's comparison), hf_metric (the name Hugging
 * Face's metric_for_best_model takes: the monitor without a "val_" or
 * "eval_" prefix, which the Trainer adds back) and greater ("True" or
 * "False": its greater_is_better).
 * Cost: O(1) per step.
 */
#include <math.h>
#include <string.h>

#include "checks.h"
#include "common.h"

enum { P_MONITOR, P_PATIENCE, P_MIN_DELTA };

static const struct param_def params[] = {
	{ "monitor", PARAM_WORD, 0, "auto", 0, 0, "auto|val_loss|val_acc|loss|acc",
	  "the series early stopping watches; auto: val_loss, else val_acc" },
	{ "patience", PARAM_COUNT, 5, NULL, 0, 1e6, NULL,
	  "epochs without improvement before stopping (Keras patience)" },
	{ "min_delta", PARAM_NUMBER, 0, NULL, 0, 1e300, NULL,
	  "the smallest change that counts as an improvement (Keras min_delta)" },
};

static const char *const keys[] = {
	"monitor", "best_epoch", "best", "stop_epoch", "saved", "mode", "better",
	"hf_metric", "greater"
};

struct state {
	enum role role;
	int maximize;
	int seen;
	double best;
	size_t best_epoch;
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	const char *m = ctx->param[P_MONITOR].word;
	int r;
	if (strcmp(m, "auto") == 0)
		r = check_has(ctx->run, ROLE_VAL_LOSS) ? ROLE_VAL_LOSS
		  : check_has(ctx->run, ROLE_VAL_ACC) ? ROLE_VAL_ACC : -1;
	else
		r = role_parse(m);
	if (r < 0 || !check_has(ctx->run, (enum role)r)) {
		*why = "no validation series to monitor";
		return -1;
	}
	s->role = (enum role)r;
	s->maximize = r == ROLE_ACC || r == ROLE_VAL_ACC;
	return 0;
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	double min_delta = ctx->param[P_MIN_DELTA].num;
	double x;
	if (check_value(ctx->run, s->role, e, &x) && !isnan(x)) {
		int better = !s->seen ||
			(s->maximize ? x > s->best + min_delta : x < s->best - min_delta);
		if (better) {
			s->seen = 1;
			s->best = x;
			s->best_epoch = e;
		}
	}
	size_t patience = (size_t)ctx->param[P_PATIENCE].num;
	if (!s->seen || e < s->best_epoch + patience + 1)
		return 0;
	/* Nothing to write when the replay discards the values. */
	if (out == &values_discard)
		return 1;
	values_word(out, "monitor", run_role_name(ctx->run, s->role));
	values_epoch(out, "best_epoch", s->best_epoch);
	values_num(out, "best", s->best);
	values_epoch(out, "stop_epoch", s->best_epoch + patience);
	values_num(out, "saved", (double)(e - s->best_epoch - patience));
	values_word(out, "mode", s->maximize ? "max" : "min");
	values_word(out, "better", s->maximize ? ">" : "<");
	const char *name = run_role_name(ctx->run, s->role);
	if (strncmp(name, "val_", 4) == 0 && name[4])
		name += 4;
	else if (strncmp(name, "eval_", 5) == 0 && name[5])
		name += 5;
	values_word(out, "hf_metric", name);
	values_word(out, "greater", s->maximize ? "True" : "False");
	return 1;
}


CHECK_SCAN_FN static size_t scan(void *state, const struct detector_ctx *ctx, size_t from,
				 size_t to, struct values *out)
{
	return check_scan(step, state, ctx, from, to, out);
}

const struct detector detector_early_stopping = {
	.name = "early-stopping",
	.summary = "training went on long after validation stopped improving",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.scan = scan,
};
