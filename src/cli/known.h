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

/* Mark the findings listed in path as known. 0, or -1 with err set. */
int known_apply(const char *path, struct run_result *runs, size_t n_runs,
		size_t *n_known, char *err, size_t errlen);
/* Write every finding to path. 0, or -1 with err set. */
int known_write(const char *path, const struct run_result *runs, size_t n_runs,
		size_t *n_written, char *err, size_t errlen);

#endif
