/*
 * src/render/: one renderer per output format. Uses engine/, model/, util/.
 *
 * Renderers: one per output format, each a function over the same report
 * (GoAccess's output_* in spirit). They are the only code that prints
 * findings.
 */
#ifndef SCRAM_RENDER_H
#define SCRAM_RENDER_H

#include <stdio.h>

#include "../engine/finding.h"
#include "../engine/rules.h"

struct report {
	const char *schedule;		/* as schedule_describe spells it */
	struct run_result *runs;
	size_t n_runs;
	const struct ruleset *rules;
	enum severity fail_on;		/* SEV_NONE: never fail */
	int strict;			/* --strict: recovered findings fail too */
	int quiet;			/* -q: one line per finding */
	int verbose;
	int color;
	int chart;			/* --chart: a terminal chart after each run's summary */
	int width;			/* text: columns to fill; 0 for 80 */
	/* html: the runs that get a section of their own, charts and findings:
	 * those with a finding at this severity or above (SEV_NONE: every run),
	 * and unreadable ones; HTML_DETAILS_AUTO: every run of a one-run
	 * report, else SEV_WARNING; HTML_DETAILS_NONE: none (--html-details). */
	int html_details;
};

#define HTML_DETAILS_AUTO (-1)
#define HTML_DETAILS_NONE 4

typedef void (*render_fn)(FILE *out, const struct report *rep);

void render_text(FILE *out, const struct report *rep);
void render_json(FILE *out, const struct report *rep);
void render_sarif(FILE *out, const struct report *rep);
void render_github(FILE *out, const struct report *rep);
void render_junit(FILE *out, const struct report *rep);
void render_html(FILE *out, const struct report *rep);
/* One document per run per line, for --merge (jsonl.h). */
void render_jsonl(FILE *out, const struct report *rep);

/* One finding as text, as soon as it is detected (--follow). */
void render_text_finding(FILE *out, const struct report *rep,
			 const struct run_result *res, const struct finding *f);

/* The one-line summary of a run (and its notes) as text. */
void render_text_summary(FILE *out, const struct report *rep, const struct run_result *res);

/* The renderer for a --format name, or NULL. */
render_fn render_find(const char *format);

/* Severity counts over all runs, and the number of unreadable runs. */
struct tally {
	size_t runs, unreadable, errors, warnings, infos;
};
void report_tally(const struct report *rep, struct tally *t);
/* The exit status output.md defines: 2 unreadable, 1 finding >= fail_on, else 0. */
int report_exit_status(const struct report *rep);

#endif
