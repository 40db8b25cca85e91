/*
 * --baseline RUN|median: reading the reference run(s) and handing their best
 * metrics to the worse-than-baseline rule (engine/baseline.h).
 */
#ifndef SCRAM_REFERENCE_H
#define SCRAM_REFERENCE_H

#include <stddef.h>

#include "../engine/rules.h"
#include "inputs.h"

/*
 * --baseline SPEC: SPEC is a history file (its last run is the reference) or
 * "median" (the median of the best metrics of every run in `in`). Sets the
 * worse-than-baseline rule's ref_* parameters and enables it. 0, or -1 with
 * a message in err.
 */
int baseline_apply(struct ruleset *rules, const char *spec, const struct inputs *in,
		   char *err, size_t errlen);

#endif
