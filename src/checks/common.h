/*
 * Helpers the epoch-history detectors share: reading one value of a role at
 * one epoch, the way every detector must (a missing cell is not a value).
 * Nothing here allocates; the run stays owned by its caller.
 */
#ifndef SCRAM_CHECKS_COMMON_H
#define SCRAM_CHECKS_COMMON_H

#include <stddef.h>

#include "../engine/detector.h"
#include "../model/run.h"

/*
 * The value of role at epoch e (1-based) in *x. 1 when the run has the role
 * and the file had a value there (NaN and infinities are values), else 0.
 */
int check_value(const struct run *run, enum role role, size_t e, double *x);
/* As check_value, and the value is finite. */
int check_finite(const struct run *run, enum role role, size_t e, double *x);
/* Does the run have the role with at least one value? */
int check_has(const struct run *run, enum role role);

/*
 * The role a word parameter names ("loss", "val_acc"...) in *role; 0 when the
 * run has it, else -1 with *why set.
 */
int check_role_param(const struct run *run, const char *word, enum role *role,
		     const char **why);

/*
 * Ready-made prepare functions for detectors that need a loss (loss or
 * val_loss) or an accuracy (acc or val_acc) and nothing else.
 */
int check_prepare_losses(void *state, const struct detector_ctx *ctx, const char **why);
int check_prepare_accuracies(void *state, const struct detector_ctx *ctx, const char **why);

#endif
