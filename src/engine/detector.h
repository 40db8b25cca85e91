/*
 * Detectors: the conditions behind the rules, one per file in src/checks/.
 *
 * A detector is stepped through a run one epoch at a time (e = 1..N, in
 * order) and says after each step whether its condition holds on epochs
 * 1..e. It must never look past epoch e, and should cost O(1) amortized per
 * step so that a replay stays O(N). The engine allocates state_size zeroed
 * bytes of state per rule and run, and calls release (when set) at the end.
 *
 * Adding a detector touches its own file, its line in checks/checks.h and one
 * line of checks/table.c (or table_batch.c).
 */
#ifndef SCRAM_DETECTOR_H
#define SCRAM_DETECTOR_H

#include <stddef.h>

#include "../model/run.h"

enum param_type {
	PARAM_NUMBER,		/* a double within [min, max] */
	PARAM_WORD,		/* one of the words in choices ("|"-separated) */
	PARAM_COUNT		/* a whole number within [min, max] (epochs, a window) */
};

struct param_def {
	const char *name;
	enum param_type type;
	double def;		/* PARAM_NUMBER default */
	const char *def_word;	/* PARAM_WORD default */
	double min, max;	/* PARAM_NUMBER bounds, inclusive */
	const char *choices;	/* PARAM_WORD: "auto|acc|loss" */
	const char *doc;	/* one line for --explain */
};

struct param_value {
	double num;
	const char *word;	/* points into the def's choices copy held by the rule */
};

/* The values a detector reports when it fires; they fill the rule's text. */
#define VALUES_MAX 20
struct value {
	const char *key;	/* static */
	int is_word;
	double num;
	char word[64];
};

struct values {
	size_t n;
	struct value kv[VALUES_MAX];
};

/*
 * The table step() gets when the replay will not keep what it writes (a
 * check after the rule was detected): values_* then do nothing, so a rule
 * that holds for a million epochs formats nothing per epoch. Never written.
 */
extern struct values values_discard;

void values_num(struct values *v, const char *key, double num);
void values_word(struct values *v, const char *key, const char *word);
/* An epoch as a person counts it (1-based); stored as a number. */
void values_epoch(struct values *v, const char *key, size_t epoch);
const struct value *values_get(const struct values *v, const char *key);

struct detector_ctx {
	const struct run *run;
	const struct param_value *param;	/* in the order of the def's params */
	size_t total_epochs;	/* T (replay.md) */
	int classes;		/* --classes, 0 when not given */
};

struct detector {
	const char *name;
	const char *summary;	/* one line: what it tests */
	const struct param_def *params;
	size_t n_params;
	/* Keys the detector may put in values (for validating rule texts). */
	const char *const *value_keys;
	size_t n_value_keys;
	size_t state_size;
	/*
	 * May the detector run on this run? 0 yes; -1 no, with *why set to a
	 * static reason ("no val_acc series") shown under --verbose.
	 */
	int (*prepare)(void *state, const struct detector_ctx *ctx, const char **why);
	/* Step to epoch e (1-based). 1 when the condition holds on 1..e, and
	 * then out holds the values (out arrives empty). */
	int (*step)(void *state, const struct detector_ctx *ctx, size_t e,
		    struct values *out);
	void (*release)(void *state);	/* may be NULL */
	/*
	 * May be NULL: step() through epochs from..to (from <= to) in one
	 * call, the replay's hot path (check_scan in checks/common.h makes it
	 * from step). With out == &values_discard, every epoch is stepped and
	 * the last that held is returned; otherwise the scan stops at the
	 * first that holds, with its values in out, and returns it. 0: none
	 * held.
	 */
	size_t (*scan)(void *state, const struct detector_ctx *ctx, size_t from, size_t to,
		       struct values *out);
	/*
	 * Kinds (1u << KIND_LOSS ...) the detector judges on every series: each
	 * train or validation series of these kinds not already in a role gets
	 * a state of its own, bound as loss (train) or val_loss (validation).
	 * A score (mAP, F1, Spearman) is bound as val_acc, validation only, and
	 * its view keeps the run's training loss as the training side.
	 * 0: only the roles.
	 */
	unsigned each;
};

/* NULL-terminated tables: epoch-history detectors (checks/table.c) and
 * batch-statistics detectors (checks/table_batch.c). */
extern const struct detector *const detector_table[];
extern const struct detector *const batch_detector_table[];

const struct detector *detector_find(const char *name);
/* Index of a parameter of d, or -1. */
int detector_param_index(const struct detector *d, const char *name);

#endif
