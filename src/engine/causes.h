/*
 * One root cause: linking findings that follow from another (finding.cause)
 * and ordering each run's findings primary first, consequences after it.
 * Works in place on a run_result; allocates nothing it keeps.
 */
#ifndef SCRAM_CAUSES_H
#define SCRAM_CAUSES_H

#include "finding.h"

/* Call after the findings are sorted (run_result_sort). */
void causes_link(struct run_result *res);

/* Every rule id the relations name, in turn (i from 0); NULL past the last.
 * For a test that each is a built-in rule: a misspelt id links nothing. */
const char *causes_rule_id(size_t i);

#endif
