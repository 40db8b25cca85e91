/*
 * Accepted findings (--write-baseline, --baseline-file): a file that records
 * the findings a project has accepted, one per line, so that a CI gate fails
 * only on new ones (as ruff's and Psalm's baselines do). Not --baseline,
 * which compares runs with a reference run.
 *
 * A finding is known when the file has a line with its rule id, its run (the
 * label: the path as given, and the run of a file with several) and its onset
 * epoch: all three stay the same when training appends epochs to the history
 * (the replay is causal), except the onset of a rule with a judgment point
 * (not judged before a fraction of the run), which moves later as the run
 * grows: for those a recorded onset at or before the finding's matches.
 */
#ifndef SCRAM_KNOWN_H
#define SCRAM_KNOWN_H

#include <stddef.h>

#include "../engine/finding.h"
#include "../util/strbuf.h"

/* The lines of a file of accepted findings, sorted by run for the look-up. */
struct known {
	char *text;		/* the file, its fields cut in place */
	struct known_line *v;
	size_t n;
};

/* Read path. 0, or -1 with err set ("'FILE': line N: ..."). */
int known_load(struct known *k, const char *path, char *err, size_t errlen);
/* Mark res's findings the file lists as known; returns how many it marked. */
size_t known_mark(const struct known *k, struct run_result *res);
void known_release(struct known *k);

/* Append a line per finding of res to lines; returns how many. */
size_t known_add(struct strbuf *lines, const struct run_result *res);
/* Write the header and lines to path. 0, or -1 with err set. */
int known_save(const char *path, const struct strbuf *lines, char *err, size_t errlen);

#endif
