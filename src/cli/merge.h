/*
 * --merge: rebuild the run results of an audit from the JSON Lines documents
 * that --format jsonl wrote (render/jsonl.h), in the order given, so that the
 * report of runs analyzed by many processes is the one a single process
 * would have printed. A struct merge owns the strings the results point to
 * (format names, value keys): release it after the results.
 */
#ifndef SCRAM_MERGE_H
#define SCRAM_MERGE_H

#include <stddef.h>

#include "../engine/finding.h"
#include "../engine/rules.h"

struct merge {
	char schedule[64];	/* as the documents spell it */
	char **pool;		/* interned strings */
	size_t n_pool;
};

/*
 * Read every document of the files ("-" is standard input) into *out, in
 * order. The documents must have been written with rules identical to
 * these. 0, or -1 after printing "scram-check: 'FILE': line N: what".
 */
int merge_read(struct merge *m, char *const *paths, size_t n_paths,
	       const struct ruleset *rules, struct run_result **out, size_t *n_out);
void merge_release(struct merge *m);

#endif
