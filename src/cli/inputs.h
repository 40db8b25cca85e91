/*
 * The inputs of one invocation: the history files named on the command line
 * or found in folders, each analyzed into one or more run results (a file can
 * hold several runs). A struct inputs owns its paths and results until
 * inputs_take_results hands the results over.
 */
#ifndef SCRAM_INPUTS_H
#define SCRAM_INPUTS_H

#include <stddef.h>

#include "../engine/finding.h"
#include "../engine/rules.h"
#include "options.h"

struct input {
	char *path;
	char *error;		/* found unreadable while collecting, or NULL */
	int rundir;		/* a run folder (enum rundir_kind), or 0 for a file */
	struct run_result *res;	/* filled by input_analyze */
	size_t n_res;
};

struct inputs {
	struct input *v;
	size_t n;
	size_t cap;
};

/* Expand the PATH operands: files as given, folders searched (recursively
 * with -r) for histories, in a stable sorted order. */
void inputs_collect(struct inputs *in, const struct options *opt);
/* Read, pair with batch statistics, and replay one input. Thread-safe. */
void input_analyze(struct input *in, const struct ruleset *rules,
		   const struct options *opt);
/* Move every result out, in input order; returns how many. */
size_t inputs_take_results(struct inputs *in, struct run_result **out);
void inputs_release(struct inputs *in);

/* Is this file name a batch-statistics file rather than a history? */
int is_stats_name(const char *name);

/* --follow: watch one history as it grows (follow.c). Returns the exit status. */
int follow_history(const char *path, const struct ruleset *rules,
		   const struct options *opt, int color);

#endif
