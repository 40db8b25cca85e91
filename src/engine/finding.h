/*
 * Findings and per-run results: what the replay produces and every renderer
 * reads. A run_result owns its findings, strings and run; run_result_release
 * frees them.
 */
#ifndef SCRAM_FINDING_H
#define SCRAM_FINDING_H

#include <stddef.h>

#include "../model/run.h"
#include "detector.h"
#include "rules.h"

struct finding {
	const struct rule *rule;
	size_t detected_epoch;	/* 1-based: first scheduled check that fired */
	size_t onset_epoch;	/* 1-based: first epoch it would have fired */
	int persists;		/* still holds at the last check */
	int known;		/* in the --baseline-file: reported, never failing */
	long line;		/* file line of the detected epoch's row, 0 if none */
	enum axis axis;		/* what detected_epoch and onset_epoch count */
	double at_step;		/* the detected point's logged step, or NaN */
	double at_epoch;	/* its logged (fractional) epoch, or NaN */
	char where[96];		/* the detected point for people: "epoch 5",
				 * "step 155 (epoch 1.03)", "evaluation 12 (step 1200, epoch 1.2)" */
	char onset_where[96];	/* the onset point likewise; "" when none */
	size_t recovered_epoch;	/* !persists: the first check at which it no longer
				 * held after its last one (1-based), else 0 */
	char recovered_where[96];
	int cause;		/* index in the run's findings of the finding this one
				 * follows from (causes.c), or -1: a primary finding */
	enum framework framework;	/* the run's, for picking a snippet */
	struct values values;	/* the detector's values at detection */
	char *title;		/* texts with the values filled in */
	char *message;
	char *why;
	char *fix;
	char *snippet;
	char *snippet_pytorch;	/* == snippet_fw[FW_PYTORCH]; not freed on its own */
	char *snippet_fw[FW_COUNT];	/* [snippet FRAMEWORK] sections, or NULL */
};

/*
 * Does the finding count for --fail-on? A finding that no longer held at the
 * end of the run (the run recovered) does not, unless its rule is sticky
 * (a NaN loss is) or strict is set (--strict).
 */
int finding_gates(const struct finding *f, int strict);

/* Free a finding's texts. */
void finding_release(struct finding *f);
/* dst becomes a copy of src with texts of its own (release it alike). */
void finding_copy(struct finding *dst, const struct finding *src);
/* The snippet for the run's framework when the rule has one, else the plain one. */
const char *finding_snippet(const struct finding *f);

struct run_result {
	char *path;		/* as given */
	char *label;		/* path, or the segment's label */
	const char *format;	/* NULL when unreadable */
	struct run *run;	/* NULL when unreadable */
	char *error;		/* NULL when read, else the one-line reason */
	size_t epochs;		/* points of the run's own axis */
	size_t checks_run;
	size_t steps;		/* logged steps judged, 0 when none */
	size_t step_checks;
	struct finding *f;
	size_t n_f;
	char **skipped;		/* "id: why" for rules that could not run */
	size_t n_skipped;
	char **warnings;	/* things the user should know (notes, pairing) */
	size_t n_warnings;
};

void run_result_release(struct run_result *res);
/* dst becomes a copy of src without its run (dst->run is NULL): what a
 * report keeps of a run once its series are freed. Release it alike. */
void run_result_copy(struct run_result *dst, const struct run_result *src);
void run_result_warn(struct run_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The most severe finding of a run; SEV_NONE when there is none. */
enum severity run_result_worst(const struct run_result *res);
/* Findings sorted most severe first, then by detected epoch, then id. */
void run_result_sort(struct run_result *res);

#endif
