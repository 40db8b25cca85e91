/*
 * JSON Lines: one document per run, the unit a scale-out job writes and
 * --merge (cli/merge.c) reads back. The schema is in scram-check(1), JSON
 * LINES; what it must hold is what every renderer reads from a run_result.
 */
#ifndef SCRAM_JSONL_H
#define SCRAM_JSONL_H

#include <stdint.h>

#include "../engine/rules.h"

/* The "scram_check_jsonl" member: bumped when a document's meaning changes. */
#define JSONL_SCHEMA 1

/*
 * A fingerprint of everything in the rule set a report shows: ids, whether
 * each is on, severities, parameters and texts. Documents carry it so that
 * --merge refuses to render them with different rules.
 */
uint64_t jsonl_rules_fingerprint(const struct ruleset *rules);

#endif
