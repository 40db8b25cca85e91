/*
 * src/model/: the run model every later stage reads. Uses only util/.
 *
 * The run model: one training run as named per-epoch series of doubles.
 *
 * A struct run owns everything it points to (names, values, notes, batch
 * statistics); run_free releases it all. Readers build runs; everything after
 * the readers only reads them. Epoch indexes here are 0-based (index i is the
 * (i+1)-th completed epoch, the row whose Keras `epoch` is i); everything shown
 * to a person is 1-based.
 */
#ifndef SCRAM_RUN_H
#define SCRAM_RUN_H

#include <stddef.h>

/* The series the checks know by meaning. */
enum role {
	ROLE_LOSS,
	ROLE_VAL_LOSS,
	ROLE_ACC,
	ROLE_VAL_ACC,
	ROLE_LR,
	ROLE_COUNT
};

struct series {
	char *name;		/* as the file spells it */
	double *v;		/* n_epochs values; NaN where missing */
	unsigned char *missing;	/* 1 where the file had no value (empty, NA, null) */
};

struct stats;			/* batch statistics, see stats.h */

struct run {
	char *path;		/* the file, as the user named it */
	char *label;		/* path, or "path (run 2 of 3)" for a segment */
	const char *format;	/* static: "keras-csv", "history-json", ... */
	size_t segment;		/* 1-based segment of the file, 0 when it has one */
	size_t n_epochs;
	size_t cap;		/* allocated epochs of every series */
	long *line;		/* per epoch: 1-based line of the file, 0 if unknown */
	long header_line;	/* line of the header row, 0 if none */
	struct series *series;
	size_t n_series;
	size_t series_cap;
	int role[ROLE_COUNT];	/* index into series, or -1 */
	char **notes;		/* what the reader wants the user to know */
	size_t n_notes;
	struct stats *stats;	/* per-epoch batch aggregates, or NULL */
	char *stats_path;	/* where they came from, or NULL */
};

struct run *run_new(const char *path, const char *format);
void run_free(struct run *run);

/* Add a series (all epochs missing so far); returns its index. */
size_t run_add_series(struct run *run, const char *name);
/* Index of the series with this exact name, or -1. */
int run_find_series(const struct run *run, const char *name);
/* Append one epoch whose values are all missing; returns its index. */
size_t run_add_epoch(struct run *run, long line);
/* Set a value; NaN and infinities are values, not missing ones. */
void run_set(struct run *run, size_t series, size_t epoch, double value);

void run_note(struct run *run, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Decide which series play the roles (loss, val_loss, acc, val_acc, lr) from
 * their names, and rescale accuracies written as percentages. Readers call it
 * once the run is complete.
 */
void run_map_roles(struct run *run);
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
