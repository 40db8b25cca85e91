#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"

static const char *const layer_keys[LSTAT_COUNT] = {
	"grad_norm", "grad_zero_frac", "size", "weight_norm", "update_norm",
	"act_mean_abs", "act_zero_frac"
};

static const char *const input_keys[ISTAT_COUNT] = {
	"x_min", "x_max", "x_mean", "x_std", "loss", "lr"
};

const char *stats_layer_key(enum layer_stat what)
{
	return layer_keys[what];
}

const char *stats_input_key(enum input_stat what)
{
	return input_keys[what];
}

int stats_layer_parse(const char *suffix)
{
	for (int i = 0; i < LSTAT_COUNT; i++)
		if (strcmp(layer_keys[i], suffix) == 0)
			return i;
	return -1;
}

int stats_input_parse(const char *key)
{
	for (int i = 0; i < ISTAT_COUNT; i++)
		if (strcmp(input_keys[i], key) == 0)
			return i;
	return -1;
}

void stats_free(struct stats *stats)
{
	if (!stats)
		return;
	for (size_t i = 0; i < stats->n_layers; i++)
		free(stats->layer[i]);
	free(stats->layer);
	free(stats->layer_seen);
	for (size_t e = 0; e < stats->n_stored; e++) {
		free(stats->epoch[e].layer);
		free(stats->epoch[e].layer_present);
	}
	free(stats->epoch);
	free(stats->epoch_no);
	free(stats);
}

const struct stats_epoch *stats_epoch_at(const struct stats *stats, size_t epoch)
{
	size_t lo = 0, hi = stats->n_stored;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (stats->epoch_no[mid] < epoch)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < stats->n_stored && stats->epoch_no[lo] == epoch ? &stats->epoch[lo] : NULL;
}

size_t stats_records(const struct stats *stats, size_t epoch)
{
	const struct stats_epoch *se = stats_epoch_at(stats, epoch);
	return se ? se->records : 0;
}

double stats_layer(const struct stats *stats, size_t epoch, size_t layer,
		   enum layer_stat what)
{
	const struct stats_epoch *se = stats_epoch_at(stats, epoch);
	if (!se || layer >= stats->n_layers || !se->layer)
		return NAN;
	return se->layer[layer * LSTAT_COUNT + what];
}

double stats_input(const struct stats *stats, size_t epoch, enum input_stat what)
{
	const struct stats_epoch *se = stats_epoch_at(stats, epoch);
	return se ? se->input[what] : NAN;
}

int stats_layer_present(const struct stats *stats, size_t epoch, size_t layer,
			enum layer_stat what)
{
	const struct stats_epoch *se = stats_epoch_at(stats, epoch);
	if (!se || layer >= stats->n_layers || !se->layer_present)
		return 0;
	return se->layer_present[layer] >> what & 1u;
}

int stats_input_present(const struct stats *stats, size_t epoch, enum input_stat what)
{
	const struct stats_epoch *se = stats_epoch_at(stats, epoch);
	return se && (se->input_present >> what & 1u);
}

int stats_layer_seen(const struct stats *stats, size_t layer, enum layer_stat what)
{
	return layer < stats->n_layers && (stats->layer_seen[layer] >> what & 1u);
}

int stats_input_seen(const struct stats *stats, enum input_stat what)
{
	return stats->input_seen >> what & 1u;
}

/*
 * A running aggregate. x_min and x_max keep the extreme in sum; the others
 * the sum of finite values. The first non-finite value is kept apart because
 * it decides the epoch's statistic whatever the others are.
 */
struct acc {
	double sum;
	double bad;
	size_t n;
	int has_bad;
};

struct bepoch {
	size_t no;		/* the 0-based epoch */
	size_t records;
	struct acc input[ISTAT_COUNT];
	struct acc *layer;	/* layer_cap * LSTAT_COUNT */
};

struct stats_builder {
	const char *format;
	char **layer;
	unsigned *layer_seen;
	size_t n_layers, layer_cap;
	/* Epochs in order of first appearance, found through an open-addressing
	 * table (epoch -> index + 1): memory follows the records, not the
	 * epoch numbers. */
	struct bepoch *epoch;
	size_t n_epochs, epoch_cap;
	size_t *slot;
	size_t n_slots;		/* a power of two, > 2 * n_epochs */
	size_t last;		/* index of the epoch used last: records come in runs */
	unsigned input_seen;
	size_t records;
};

struct stats_builder *stats_builder_new(const char *format)
{
	struct stats_builder *b = xcalloc(1, sizeof(*b));
	b->format = format;
	return b;
}

void stats_builder_free(struct stats_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_layers; i++)
		free(b->layer[i]);
	free(b->layer);
	free(b->layer_seen);
	for (size_t e = 0; e < b->n_epochs; e++)
		free(b->epoch[e].layer);
	free(b->epoch);
	free(b->slot);
	free(b);
}

size_t stats_builder_layer(struct stats_builder *b, const char *name, size_t len)
{
	for (size_t i = 0; i < b->n_layers; i++)
		if (strncmp(b->layer[i], name, len) == 0 && b->layer[i][len] == '\0')
			return i;
	if (b->n_layers == b->layer_cap) {
		size_t old = b->layer_cap;
		b->layer_cap = old ? 2 * old : 8;
		b->layer = xreallocarray(b->layer, b->layer_cap, sizeof(*b->layer));
		b->layer_seen = xreallocarray(b->layer_seen, b->layer_cap,
					      sizeof(*b->layer_seen));
		/* Layers are few and appear early: regrowing every epoch's
		 * array here is rare. */
		for (size_t e = 0; e < b->n_epochs; e++) {
			if (!b->epoch[e].layer)
				continue;
			b->epoch[e].layer = xreallocarray(b->epoch[e].layer,
				b->layer_cap * LSTAT_COUNT, sizeof(struct acc));
			memset(b->epoch[e].layer + old * LSTAT_COUNT, 0,
			       (b->layer_cap - old) * LSTAT_COUNT * sizeof(struct acc));
		}
	}
	b->layer[b->n_layers] = xstrndup(name, len);
	b->layer_seen[b->n_layers] = 0;
	return b->n_layers++;
}

static size_t hash_epoch(size_t epoch, size_t mask)
{
	return (size_t)((epoch * 0x9E3779B97F4A7C15ull) >> 17) & mask;
}

static void rehash(struct stats_builder *b)
{
	size_t n = b->n_slots ? b->n_slots * 2 : 64;
	free(b->slot);
	b->slot = xcalloc(n, sizeof(*b->slot));
	b->n_slots = n;
	for (size_t i = 0; i < b->n_epochs; i++) {
		size_t h = hash_epoch(b->epoch[i].no, n - 1);
		while (b->slot[h])
			h = (h + 1) & (n - 1);
		b->slot[h] = i + 1;
	}
}

static struct bepoch *builder_epoch(struct stats_builder *b, size_t epoch)
{
	if (b->last < b->n_epochs && b->epoch[b->last].no == epoch)
		return &b->epoch[b->last];
	if (2 * (b->n_epochs + 1) >= b->n_slots)
		rehash(b);
	size_t mask = b->n_slots - 1, h = hash_epoch(epoch, mask);
	while (b->slot[h]) {
		if (b->epoch[b->slot[h] - 1].no == epoch) {
			b->last = b->slot[h] - 1;
			return &b->epoch[b->last];
		}
		h = (h + 1) & mask;
	}
	size_t cap = b->epoch_cap;
	xgrow(&b->epoch, &cap, b->n_epochs + 1, sizeof(*b->epoch));
	b->epoch_cap = cap;
	struct bepoch *be = &b->epoch[b->n_epochs];
	memset(be, 0, sizeof(*be));
	be->no = epoch;
	b->slot[h] = ++b->n_epochs;
	b->last = b->n_epochs - 1;
	return be;
}

void stats_builder_record(struct stats_builder *b, size_t epoch)
{
	builder_epoch(b, epoch)->records++;
	b->records++;
}

static void acc_add(struct acc *a, double v, int extreme)
{
	if (!isfinite(v)) {
		if (!a->has_bad) {
			a->has_bad = 1;
			a->bad = v;
		}
		return;
	}
	if (extreme < 0)
		a->sum = a->n == 0 || v < a->sum ? v : a->sum;
	else if (extreme > 0)
		a->sum = a->n == 0 || v > a->sum ? v : a->sum;
	else
		a->sum += v;
	a->n++;
}

static double acc_value(const struct acc *a, int extreme)
{
	if (a->has_bad)
		return a->bad;
	if (a->n == 0)
		return NAN;
	return extreme ? a->sum : a->sum / (double)a->n;
}

static int acc_present(const struct acc *a)
{
	return a->n > 0 || a->has_bad;
}

static int input_extreme(enum input_stat what)
{
	return what == ISTAT_X_MIN ? -1 : what == ISTAT_X_MAX ? 1 : 0;
}

void stats_builder_input(struct stats_builder *b, size_t epoch,
			 enum input_stat what, double v)
{
	acc_add(&builder_epoch(b, epoch)->input[what], v, input_extreme(what));
	b->input_seen |= 1u << what;
}

void stats_builder_layer_value(struct stats_builder *b, size_t epoch,
			       size_t layer, enum layer_stat what, double v)
{
	struct bepoch *be = builder_epoch(b, epoch);
	if (!be->layer)
		be->layer = xcalloc(b->layer_cap * LSTAT_COUNT, sizeof(struct acc));
	acc_add(&be->layer[layer * LSTAT_COUNT + what], v, 0);
	b->layer_seen[layer] |= 1u << what;
}

size_t stats_builder_epochs(const struct stats_builder *b)
{
	return b->n_epochs;
}

static int cmp_bepoch(const void *a, const void *b)
{
	size_t x = ((const struct bepoch *)a)->no, y = ((const struct bepoch *)b)->no;
	return x < y ? -1 : x > y;
}

struct stats *stats_builder_finish(struct stats_builder *b)
{
	struct stats *st = xcalloc(1, sizeof(*st));
	st->format = b->format;
	st->layer = b->layer;
	st->layer_seen = b->layer_seen;
	st->n_layers = b->n_layers;
	st->input_seen = b->input_seen;
	st->records = b->records;
	if (b->n_epochs > 1)
		qsort(b->epoch, b->n_epochs, sizeof(*b->epoch), cmp_bepoch);
	st->n_stored = b->n_epochs;
	st->n_epochs = b->n_epochs ? b->epoch[b->n_epochs - 1].no + 1 : 0;
	st->epoch = xcalloc(b->n_epochs ? b->n_epochs : 1, sizeof(*st->epoch));
	st->epoch_no = xcalloc(b->n_epochs ? b->n_epochs : 1, sizeof(*st->epoch_no));
	for (size_t e = 0; e < b->n_epochs; e++) {
		struct bepoch *be = &b->epoch[e];
		struct stats_epoch *se = &st->epoch[e];
		st->epoch_no[e] = be->no;
		se->records = be->records;
		for (int i = 0; i < ISTAT_COUNT; i++) {
			se->input[i] = acc_value(&be->input[i],
						 input_extreme((enum input_stat)i));
			if (acc_present(&be->input[i]))
				se->input_present |= 1u << i;
		}
		if (b->n_layers && be->layer) {
			se->layer = xmalloc(b->n_layers * LSTAT_COUNT * sizeof(double));
			se->layer_present = xcalloc(b->n_layers, sizeof(unsigned));
			for (size_t k = 0; k < b->n_layers * LSTAT_COUNT; k++) {
				se->layer[k] = acc_value(&be->layer[k], 0);
				if (acc_present(&be->layer[k]))
					se->layer_present[k / LSTAT_COUNT] |=
						1u << (k % LSTAT_COUNT);
			}
		}
		free(be->layer);
	}
	free(b->epoch);
	free(b->slot);
	b->slot = NULL;
	b->n_slots = 0;
	b->last = 0;
	b->layer = NULL;
	b->layer_seen = NULL;
	b->n_layers = b->layer_cap = 0;
	b->epoch = NULL;
	b->n_epochs = b->epoch_cap = 0;
	b->input_seen = 0;
	b->records = 0;
	return st;
}

int stats_match(const struct stats *st, size_t history_epochs, char *msg, size_t len)
{
	size_t first = 0, last = 0, inside = 0, outside = 0;
	size_t out_first = 0;
	for (size_t k = 0; k < st->n_stored; k++) {
		size_t e = st->epoch_no[k];
		if (!st->epoch[k].records)
			continue;
		if (!first)
			first = e + 1;
		last = e + 1;
		if (e < history_epochs) {
			inside++;
		} else {
			if (!outside)
				out_first = e + 1;
			outside++;
		}
	}
	if (len)
		msg[0] = '\0';
	if (!first) {
		snprintf(msg, len, "the batch statistics hold no records");
		return -1;
	}
	if (!inside) {
		char span[64];
		if (first == last)
			snprintf(span, sizeof(span), "epoch %zu", first);
		else
			snprintf(span, sizeof(span), "epochs %zu-%zu", first, last);
		snprintf(msg, len, "no epoch in common: the batch statistics cover %s "
			 "but the history has %zu epoch%s", span, history_epochs,
			 history_epochs == 1 ? "" : "s");
		return -1;
	}
	if (outside) {
		char span[64];
		if (out_first == last)
			snprintf(span, sizeof(span), "epoch %zu", last);
		else
			snprintf(span, sizeof(span), "epochs %zu-%zu", out_first, last);
		snprintf(msg, len, "the batch statistics of %s lie beyond the "
			 "history's %zu epoch%s and are ignored", span,
			 history_epochs, history_epochs == 1 ? "" : "s");
		return 1;
	}
	return 0;
}
