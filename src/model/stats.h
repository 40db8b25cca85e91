/*
 * Batch statistics (../shared/spec/batch-stats.md), aggregated per epoch.
 *
 * A struct stats owns its layer names and per-epoch arrays; stats_free
 * releases it. The reader streams the file and keeps only the per-epoch
 * aggregates, so memory grows with epochs x layers, never with batches.
 * Every statistic is NaN when the file did not have it for that epoch.
 */
#ifndef SCRAM_STATS_H
#define SCRAM_STATS_H

#include <stddef.h>

struct read_error;

enum layer_stat {
	LSTAT_GRAD_NORM,
	LSTAT_GRAD_ZERO_FRAC,
	LSTAT_SIZE,
	LSTAT_WEIGHT_NORM,
	LSTAT_UPDATE_NORM,
	LSTAT_ACT_MEAN_ABS,
	LSTAT_ACT_ZERO_FRAC,
	LSTAT_COUNT
};

enum input_stat {
	ISTAT_X_MIN,
	ISTAT_X_MAX,
	ISTAT_X_MEAN,
	ISTAT_X_STD,
	ISTAT_LOSS,
	ISTAT_LR,
	ISTAT_COUNT
};

struct stats_epoch {
	size_t records;		/* 0: the file has no record of this epoch */
	double input[ISTAT_COUNT];
	double *layer;		/* n_layers * LSTAT_COUNT, layer-major */
	/* Bit i: statistic i had a value (finite or not) this epoch, which
	 * tells a NaN from the file apart from an absent one. */
	unsigned input_present;
	unsigned *layer_present;	/* n_layers */
};

struct stats {
	const char *format;	/* "stats-jsonl" or "stats-csv" */
	char **layer;		/* names, in forward order (first appearance) */
	size_t n_layers;
	/* Only the epochs that have records, in order of epoch: a sparse
	 * epoch number (999999 in a three-line file) never sizes memory. */
	struct stats_epoch *epoch;
	size_t *epoch_no;	/* the 0-based epoch of each entry, increasing */
	size_t n_stored;	/* entries in epoch and epoch_no */
	size_t n_epochs;	/* the largest epoch + 1 (0 when none) */
	/* Which statistics appear anywhere in the file (bit i: stat i), so a
	 * detector can say up front that its inputs are absent. */
	unsigned input_seen;
	unsigned *layer_seen;	/* per layer */
	size_t records;		/* records read in all */
};

/* Epochs beyond this are refused: the per-epoch arrays are indexed by epoch. */
#define STATS_MAX_EPOCH 1000000

void stats_free(struct stats *stats);

/* The aggregates of a 0-based epoch, or NULL when it has no record. */
const struct stats_epoch *stats_epoch_at(const struct stats *stats, size_t epoch);
/* Records of a 0-based epoch (0 when none). */
size_t stats_records(const struct stats *stats, size_t epoch);

/* The aggregate of one layer statistic, NaN when absent. */
double stats_layer(const struct stats *stats, size_t epoch, size_t layer,
		   enum layer_stat what);
/* The aggregate of one input statistic, NaN when absent. */
double stats_input(const struct stats *stats, size_t epoch, enum input_stat what);
/* Did the epoch have a value (finite or not) of this statistic? */
int stats_layer_present(const struct stats *stats, size_t epoch, size_t layer,
			enum layer_stat what);
int stats_input_present(const struct stats *stats, size_t epoch, enum input_stat what);
/* Does the file hold this statistic for this layer at all? */
int stats_layer_seen(const struct stats *stats, size_t layer, enum layer_stat what);
int stats_input_seen(const struct stats *stats, enum input_stat what);

/* The key suffix of a layer statistic ("grad_norm"), the key of an input
 * statistic ("x_min"); and the reverse, -1 when the name is none. */
const char *stats_layer_key(enum layer_stat what);
const char *stats_input_key(enum input_stat what);
int stats_layer_parse(const char *suffix);
int stats_input_parse(const char *key);

/*
 * Building the aggregates, one value at a time, for the reader and for
 * tests. Only running sums are kept (per epoch, statistic and layer).
 * stats_builder_finish hands over a struct stats (the builder stays the
 * caller's, empty); stats_builder_free frees the builder and what it holds.
 */
struct stats_builder;

struct stats_builder *stats_builder_new(const char *format);
void stats_builder_free(struct stats_builder *b);
/* The index of a layer, added at the end when new. */
size_t stats_builder_layer(struct stats_builder *b, const char *name, size_t len);
/* Count one record of an epoch (epoch <= STATS_MAX_EPOCH). */
void stats_builder_record(struct stats_builder *b, size_t epoch);
void stats_builder_input(struct stats_builder *b, size_t epoch,
			 enum input_stat what, double v);
void stats_builder_layer_value(struct stats_builder *b, size_t epoch,
			       size_t layer, enum layer_stat what, double v);
struct stats *stats_builder_finish(struct stats_builder *b);
/* How many distinct epochs the builder holds so far. */
size_t stats_builder_epochs(const struct stats_builder *b);

/*
 * Read a stats file (JSON Lines or CSV, picked by content) in fixed-size
 * chunks. 0 with *out set (the caller frees it with stats_free), or -1 with
 * err set to one line ("line 12: record has no epoch").
 */
int stats_read(const char *path, struct stats **out, struct read_error *err);

/*
 * Do the statistics' epochs lie within a history of history_epochs epochs?
 * 0 all of them; 1 only some (msg holds a warning); -1 none (msg holds an
 * error). Epochs in msg are 1-based, as everything shown to a person.
 */
int stats_match(const struct stats *st, size_t history_epochs, char *msg, size_t len);

#endif
