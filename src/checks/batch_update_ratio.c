/*
 * update-ratio (the "Checklist for Debugging Neural Networks"; cs231n's
 * rule of thumb that an update should be about 1e-3 of the weights).
 *
 * Condition at epoch e: per layer with a finite update_norm and a positive
 * finite weight_norm that epoch, ratio = update_norm / weight_norm (of the
 * epoch's means); the median of the ratios over those layers (the mean of
 * the middle two for an even count) is < low (variant "low": learning rate
 * too low) or > high (variant "high": too high). Defaults low = 1e-5,
 * high = 1e-1.
 *
 * Values: epoch, median, layers (those beyond the same bound), lr (the
 * epoch's mean learning rate, when recorded), variant.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "checks_batch.h"

enum { P_LOW, P_HIGH };

static const struct param_def params[] = {
	{ "low", PARAM_NUMBER, 1e-5, NULL, 0, 1e12, NULL,
	  "fire when the median update/weight ratio is below this" },
	{ "high", PARAM_NUMBER, 1e-1, NULL, 0, 1e12, NULL,
	  "fire when the median update/weight ratio is above this" },
};

static const char *const keys[] = {
	"epoch", "median", "layers", "lr", "variant"
};

struct state {
	double *ratio;		/* n_layers, scratch for the median */
};

static int prepare(void *state, const struct detector_ctx *ctx, const char **why)
{
	struct state *s = state;
	const struct stats *st = batch_stats(ctx, why);
	if (!st)
		return -1;
	for (size_t l = 0; l < st->n_layers; l++)
		if (stats_layer_seen(st, l, LSTAT_UPDATE_NORM) &&
		    stats_layer_seen(st, l, LSTAT_WEIGHT_NORM)) {
			s->ratio = xmalloc(st->n_layers * sizeof(*s->ratio));
			return 0;
		}
	*why = "no <layer>/update_norm and <layer>/weight_norm keys";
	return -1;
}

static double layer_ratio(const struct stats *st, size_t e, size_t l)
{
	double u = stats_layer(st, e - 1, l, LSTAT_UPDATE_NORM);
	double w = stats_layer(st, e - 1, l, LSTAT_WEIGHT_NORM);
	if (!isfinite(u) || !isfinite(w) || !(w > 0))
		return NAN;
	return u / w;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int step(void *state, const struct detector_ctx *ctx, size_t e,
		struct values *out)
{
	struct state *s = state;
	const struct stats *st = ctx->run->stats;
	if (!batch_has_epoch(st, e))
		return 0;
	size_t n = 0;
	for (size_t l = 0; l < st->n_layers; l++) {
		double r = layer_ratio(st, e, l);
		if (!isnan(r))
			s->ratio[n++] = r;
	}
	if (n == 0)
		return 0;
	qsort(s->ratio, n, sizeof(*s->ratio), cmp_double);
	double median = n % 2 ? s->ratio[n / 2] : (s->ratio[n / 2 - 1] + s->ratio[n / 2]) / 2;
	double low = ctx->param[P_LOW].num, high = ctx->param[P_HIGH].num;
	int too_low = median < low;
	if (!too_low && !(median > high))
		return 0;
	struct batch_names names;
	memset(&names, 0, sizeof(names));
	for (size_t l = 0; l < st->n_layers; l++) {
		double r = layer_ratio(st, e, l);
		if (too_low ? r < low : r > high)
			batch_names_add(&names, st->layer[l]);
	}
	values_epoch(out, "epoch", e);
	values_num(out, "median", median);
	values_word(out, "layers", batch_names_text(&names));
	double lr = stats_input(st, e - 1, ISTAT_LR);
	if (isfinite(lr))
		values_num(out, "lr", lr);
	values_word(out, "variant", too_low ? "low" : "high");
	return 1;
}

static void release(void *state)
{
	struct state *s = state;
	free(s->ratio);
}

const struct detector detector_update_ratio = {
	.name = "update-ratio",
	.summary = "the median update/weight norm ratio is far from 1e-3",
	.params = params,
	.n_params = sizeof(params) / sizeof(params[0]),
	.value_keys = keys,
	.n_value_keys = sizeof(keys) / sizeof(keys[0]),
	.state_size = sizeof(struct state),
	.prepare = prepare,
	.step = step,
	.release = release,
};
