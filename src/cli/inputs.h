/*
 * The inputs of one invocation: the history files named on the command line
 * or found in folders, each analyzed into one or more run results (a file can
 * hold several runs). A struct inputs owns its paths and results; the
 * report frees each input's results once it has written them.
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
	/* Batch statistics beside it, found when its folder was listed (a
	 * folder is listed once, not once per history): */
	int stats_known;	/* 1: stats and stats_several below are set */
	char *stats;		/* the file, or NULL for none */
	int stats_several;	/* more than one candidate was there */
	/*
	 * Found by a folder search and not sniffed yet: input_analyze reads it,
	 * and from the same bytes decides whether it is a history at all; a file
	 * that is not gives no result.
	 */
	int sniff;
	int is_history;		/* sniff: it was one */
	size_t operand;		/* the PATH operand it was found under */
	/*
	 * A folder operand's "no training history found" (in error), held back
	 * until its files were sniffed: it stands when no other input of the
	 * operand was a history or an error.
	 */
	int if_empty;
	struct run_result *res;	/* filled by input_analyze */
	size_t n_res;
};

struct inputs {
	struct input *v;
	size_t n;
	size_t cap;
};

/*
 * Expand the PATH operands: files as given, folders searched (recursively
 * with -r) for histories, in a stable sorted order. With defer_sniff, files
 * found in folders are sniffed later by input_analyze (in the worker that
 * reads them anyway) rather than here; inputs_settle_at then decides what
 * the sniffing left.
 */
void inputs_collect(struct inputs *in, const struct options *opt, int defer_sniff);
/* Read, pair with batch statistics, and replay one input. Thread-safe. */
void input_analyze(struct input *in, const struct ruleset *rules,
		   const struct options *opt);
/*
 * After input_analyze of input i and of every input before it, settled in
 * order: the held-back "no training history found" error of a folder that
 * held none. found carries from one call to the next (0 at first).
 */
void inputs_settle_at(struct inputs *in, size_t i, int *found);
void inputs_release(struct inputs *in);

/* Is this file name a batch-statistics file rather than a history? */
int is_stats_name(const char *name);

/* --follow: watch one history as it grows (follow.c). Returns the exit status. */
int follow_history(const char *path, const struct ruleset *rules,
		   const struct options *opt, int color);

#endif
