/*
 * src/model/: the run model every later stage reads. Uses only util/.
 *
 * The run model: one training run as named series of doubles over points of
 * one time axis. Read this header first.
 *
 * - A struct run is a table of points: n_epochs points (the name is kept from
 *   when every run was a Keras table; a point is an epoch, an evaluation or a
 *   step, as `axis` says), each with its file line and, when the log gives
 *   them, the optimizer step and the fractional epoch it was logged at.
 * - Its series are per-point arrays of doubles (NaN where missing) with a
 *   kind (loss, score, error, learning rate, gradient norm...) and a split
 *   (train, validation, test), decided from the name by metric_classify.
 * - Runs logged per step (Hugging Face, Lightning, TensorBoard) also carry
 *   their training steps in `steps`, a struct run of its own on AXIS_STEP.
 *   The points of the two are never forced onto one grid: the run's own
 *   points are per epoch or per evaluation (what the epoch rules judge), the
 *   steps are what the step rules judge.
 *
 * A struct run owns everything it points to (names, values, notes, batch
 * statistics, its steps); run_free releases it all. Readers build runs;
 * everything after the readers only reads them. Point indexes here are
 * 0-based (index i is the (i+1)-th point, for Keras the row whose `epoch` is
 * i); everything shown to a person is 1-based.
 */
#ifndef SCRAM_RUN_H
#define SCRAM_RUN_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The series the checks know by meaning. */
enum role {
	ROLE_LOSS,
	ROLE_VAL_LOSS,
	ROLE_ACC,
	ROLE_VAL_ACC,
	ROLE_LR,
	ROLE_COUNT
};

/* What a run's points are. */
enum axis {
	AXIS_EPOCH,		/* one per completed epoch (Keras, per-epoch CSVs) */
	AXIS_EVAL,		/* one per evaluation (HF eval entries every N steps) */
	AXIS_STEP		/* one per logged optimizer step */
};

/* What a series measures, which says which way is better. */
enum metric_kind {
	KIND_OTHER,		/* nothing a rule judges (runtime, samples/s...) */
	KIND_LOSS,		/* lower is better */
	KIND_SCORE,		/* higher is better: accuracy, f1, mAP, IoU, bleu... */
	KIND_ERROR,		/* lower is better: wer, mae, rmse, perplexity... */
	KIND_LR,		/* a learning rate */
	KIND_GRAD_NORM,		/* a gradient norm */
	KIND_COUNT
};

enum metric_split { SPLIT_TRAIN, SPLIT_VAL, SPLIT_TEST };

/* Where a log came from: picks the snippet a person can paste. */
enum framework {
	FW_UNKNOWN,
	FW_KERAS,
	FW_PYTORCH,
	FW_LIGHTNING,
	FW_TRANSFORMERS,
	FW_YOLO,
	FW_COUNT
};

struct series {
	char *name;		/* as the file spells it */
	double *v;		/* n_epochs values; RUN_MISSING where missing */
	/* Always NULL: missing values are RUN_MISSING in v (run_is_missing).
	 * Kept one release for code not yet converted; do not use. */
	unsigned char *missing;
	unsigned char kind;	/* enum metric_kind, set by run_map_roles */
	unsigned char split;	/* enum metric_split, likewise */
};

/*
 * A value the file did not have (empty, NA, null) is a NaN of its own: a
 * quiet NaN with a payload no parser, no arithmetic on numbers and no
 * run_set ever makes, so a series costs 8 bytes per point. As a number it is
 * a NaN like any other: code that only asks isnan or isfinite is unchanged.
 */
#define RUN_MISSING_BITS UINT64_C(0x7ff800004d495353)	/* "MISS" */

static inline int run_value_missing(double v)
{
	uint64_t b;
	memcpy(&b, &v, sizeof(b));
	return b == RUN_MISSING_BITS;
}

/* The missing value itself. */
static inline double run_missing(void)
{
	uint64_t b = RUN_MISSING_BITS;
	double v;
	memcpy(&v, &b, sizeof(v));
	return v;
}

/* Is point i of series s missing from the file? */
static inline int run_is_missing(const struct series *s, size_t i)
{
	return run_value_missing(s->v[i]);
}

struct stats;			/* batch statistics, see stats.h */
struct check_memo;		/* see checks/common.c */

struct run {
	char *path;		/* the file, as the user named it */
	char *label;		/* path, or "path (run 2 of 3)" for a segment */
	const char *format;	/* static: "keras-csv", "history-json", ... */
	size_t segment;		/* 1-based segment of the file, 0 when it has one */
	size_t n_epochs;
	size_t cap;		/* allocated epochs of every series */
	uint32_t *line;		/* per epoch: 1-based line of the file, 0 if unknown
				 * (or past 2^32: 4 bytes a point, not 8) */
	long header_line;	/* line of the header row, 0 if none */
	struct series *series;
	size_t n_series;
	size_t series_cap;
	int role[ROLE_COUNT];	/* index into series, or -1 */
	char **notes;		/* what the reader wants the user to know */
	size_t n_notes;
	struct stats *stats;	/* per-epoch batch aggregates, or NULL */
	char *stats_path;	/* where they came from, or NULL */
	enum axis axis;		/* what the points are; AXIS_EPOCH unless a reader says */
	enum framework framework;	/* FW_UNKNOWN unless the reader can tell */
	double *at_step;	/* per point: the step the log gives, NaN if none; or NULL */
	double *at_epoch;	/* per point: the (fractional) epoch logged; or NULL */
	struct run *steps;	/* training points per step (AXIS_STEP), or NULL */
	/* What the checks derived from the whole series (checks/common.c),
	 * once per run; NULL until asked. Values are not changed once a
	 * replay has begun. */
	struct check_memo *memo;
};

struct run *run_new(const char *path, const char *format);
void run_free(struct run *run);

/* Add a series (all epochs missing so far); returns its index. */
size_t run_add_series(struct run *run, const char *name);
/* Index of the series with this exact name, or -1. */
int run_find_series(const struct run *run, const char *name);
/* Append one epoch whose values are all missing; returns its index. */
size_t run_add_epoch(struct run *run, long line);
/* Room for n points in every series, for a reader that can guess how many
 * come: fewer reallocations than growing from 8. */
void run_reserve(struct run *run, size_t n);
/* Set a value; NaN and infinities are values, not missing ones (a NaN with
 * the missing payload is stored as a plain NaN). Inline: readers call it
 * for every cell. */
static inline void run_set(struct run *run, size_t series, size_t epoch, double value)
{
	if (run_value_missing(value))
		value = NAN;
	run->series[series].v[epoch] = value;
}
/* Where point i lies: the step and the (fractional) epoch the log gives;
 * NaN for one it does not give. */
void run_set_coords(struct run *run, size_t point, double step, double epoch);
/* The run's step table, made on first use (same path and label, AXIS_STEP). */
struct run *run_steps(struct run *run);
/* Drop the last point (all its values); for readers that opened one too many. */
void run_drop_last(struct run *run);

void run_note(struct run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Classify every series (kind and split, see metric_classify), decide which
 * play the roles (loss, val_loss, acc, val_acc, lr) from their names, and
 * rescale accuracies written as percentages; the same for the step table.
 * Readers call it once the run is complete.
 */
void run_map_roles(struct run *run);

/*
 * The kind and split of a series from its name, by the table in kinds.c
 * (documented in scram-check(1), METRICS): "val_loss" is a validation loss,
 * "train/box_loss" a training loss, "eval_wer" a validation error,
 * "metrics/mAP50(B)" a validation score. --series overrides come first.
 */
void metric_classify(const char *name, enum metric_kind *kind, enum metric_split *split);
/* Add an override "NAME=KIND[:SPLIT]" (--series); 0, or -1 with err set.
 * Call before any run is read: the table is shared by every thread. */
/* Is the series an accuracy (acc, val_accuracy, top1_acc; not jaccard)? */
int metric_is_accuracy(const char *name);
int metric_override_add(const char *spec, char *err, size_t errlen);
void metric_overrides_clear(void);
const char *metric_kind_name(enum metric_kind kind);	/* "loss", "score"... */
const char *metric_split_name(enum metric_split split);	/* "train", "val", "test" */
const char *framework_name(enum framework fw);		/* "keras"... NULL for unknown */
/* "epoch", "evaluation" or "step": what one point of the axis is called. */
const char *axis_point_name(enum axis axis);
/*
 * Can any rule judge this run: a loss, score or error series (train or
 * validation) with a value, in the run or its steps? 0 when none, with the
 * reason in why ("no loss, score or error series" or "only test-set results").
 */
int run_has_judgeable(const struct run *run, const char **why);
/* Point i (0-based) as a person reads it: "epoch 5", "evaluation 12 (step
 * 1200, epoch 1.2)", "step 155 (epoch 1.03)". */
void run_point_describe(const struct run *run, size_t i, char *buf, size_t len);
/* The values of a role, or NULL when the run has no such series. */
const double *run_role(const struct run *run, enum role role);
const char *run_role_name(const struct run *run, enum role role);
/* The canonical name of a role: "loss", "val_loss", "acc", "val_acc", "lr". */
const char *role_name(enum role role);
/* Parse a canonical role name; -1 if it is none. */
int role_parse(const char *name);

/* A list of runs; the list owns them. */
struct run_list {
	struct run **v;
	size_t n;
	size_t cap;
};

void run_list_push(struct run_list *list, struct run *run);
void run_list_release(struct run_list *list);

#endif
