/*
 * The batch-statistics detectors (batch-stats.md), for table_batch.c, and
 * the few helpers they share (batch_common.c). The detectors only read
 * ctx->run->stats; step(e) looks at the aggregates of epoch e alone
 * (index e - 1), never at later epochs.
 */
#ifndef SCRAM_CHECKS_BATCH_H
#define SCRAM_CHECKS_BATCH_H

#include <stddef.h>

#include "../engine/detector.h"
#include "../model/stats.h"

extern const struct detector detector_improper_normalization;
extern const struct detector detector_vanishing_gradient;
extern const struct detector detector_exploding_gradient;
extern const struct detector detector_dying_relu;
extern const struct detector detector_update_ratio;
extern const struct detector detector_nan_gradient;

/* The run's batch statistics, or NULL with *why = "no batch statistics". */
const struct stats *batch_stats(const struct detector_ctx *ctx, const char **why);
/* Are there records of epoch e (1-based) in st? */
int batch_has_epoch(const struct stats *st, size_t e);
/* The first and last layer (in forward order) with a grad_norm anywhere in
 * the file; -1 with *why set when there are fewer than two. */
int batch_grad_ends(const struct stats *st, size_t *first, size_t *last,
		    const char **why);
/* "NaN", "Infinity" or "-Infinity" for a non-finite x. */
const char *batch_spell(double x);

/* A list of layer names for a message, "fc1, fc2 and 3 more", that fits the
 * 64 bytes of a word value. */
struct batch_names {
	char text[64];
	size_t n;		/* names added */
	size_t shown;		/* names that fit in text */
};
void batch_names_add(struct batch_names *list, const char *name);
/* Finish the text ("... and 3 more") and return it. */
const char *batch_names_text(struct batch_names *list);

#endif
