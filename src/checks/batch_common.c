/* Helpers shared by the batch-statistics detectors (checks_batch.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checks_batch.h"

const struct stats *batch_stats(const struct detector_ctx *ctx, const char **why)
{
	if (!ctx->run || !ctx->run->stats) {
		*why = "no batch statistics";
		return NULL;
	}
	return ctx->run->stats;
}

int batch_has_epoch(const struct stats *st, size_t e)
{
	return e >= 1 && stats_records(st, e - 1) > 0;
}

int batch_grad_ends(const struct stats *st, size_t *first, size_t *last,
		    const char **why)
{
	size_t n = 0;
	for (size_t l = 0; l < st->n_layers; l++) {
		if (!stats_layer_seen(st, l, LSTAT_GRAD_NORM))
			continue;
		if (n++ == 0)
			*first = l;
		*last = l;
	}
	if (n == 0) {
		*why = "no <layer>/grad_norm keys";
		return -1;
	}
	if (n == 1) {
		*why = "only one layer has <layer>/grad_norm keys";
		return -1;
	}
	return 0;
}

const char *batch_spell(double x)
{
	return isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
}

/* Room kept at the end of the text for " and 999 more". */
#define NAMES_TAIL 14

void batch_names_add(struct batch_names *list, const char *name)
{
	size_t used = strlen(list->text);
	size_t need = strlen(name) + (list->n ? 2 : 0);
	if (list->shown == list->n && used + need < sizeof(list->text) - NAMES_TAIL) {
		snprintf(list->text + used, sizeof(list->text) - used, "%s%s",
			 list->n ? ", " : "", name);
		list->shown++;
	}
	list->n++;
}

const char *batch_names_text(struct batch_names *list)
{
	size_t used = strlen(list->text);
	if (list->shown < list->n) {
		if (list->shown == 0)
			snprintf(list->text, sizeof(list->text), "%zu layer%s", list->n,
				 list->n == 1 ? "" : "s");
		else
			snprintf(list->text + used, sizeof(list->text) - used,
				 " and %zu more", list->n - list->shown);
	}
	return list->text;
}
