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

/*
 * A report is written as its runs come: render_begin; for each run, as soon
 * as it is done, render_draw (in any thread, in any order), then in input
 * order render_put; then render_end. The drawing, most of the work, is
 * done in parallel; the putting is one thread at a time. After its
 * render_put a run is freed, so a format whose document opens with totals (text's closing table, JUnit, SARIF, HTML) keeps the
 * run's rendered text or a small summary of it, never the run. Formats of
 * their own (render.c's table) fill a struct renderer, one file each, as
 * detectors do.
 */
struct tally;

struct renderer {
	const char *name;
	/* Its state for one report; what begin writes to out comes first. */
	void *(*begin)(FILE *out, const struct report *rep);
	/*
	 * A run's part of the document, drawn from res alone: called from any
	 * thread, for runs in any order, it changes neither st nor rep and
	 * does not read rep->runs or rep->n_runs. It keeps nothing of res.
	 */
	void *(*draw)(const void *st, const struct report *rep, const struct run_result *res);
	/*
	 * The part of the next run in input order (run_no counts from 1, and
	 * rep->n_runs is run_no): written to out or kept in st. res is the run
	 * the part was drawn from, still whole. Frees part.
	 */
	void (*put)(void *st, FILE *out, const struct report *rep, const struct run_result *res,
		    void *part, size_t run_no);
	/* The rest of the document, with rep->n_runs final and t the totals;
	 * frees st. */
	void (*end)(void *st, FILE *out, const struct report *rep, const struct tally *t);
};

extern const struct renderer renderer_text, renderer_json, renderer_sarif,
	renderer_github, renderer_junit, renderer_html, renderer_jsonl;

/* The renderer for a --format name, or NULL. */
const struct renderer *render_find(const char *format);

/* One report being written (render.c): the renderer, its state, the totals. */
struct render;

/* Start the report of rep (its runs and n_runs are not read) on out. */
struct render *render_begin(const struct renderer *fmt, FILE *out, const struct report *rep);
/* A run's part, from the run complete with its series: thread-safe, and
 * nothing of res is kept. */
void *render_draw(const struct render *r, const struct run_result *res);
/* The next run in input order, still whole, and its part (freed here). */
void render_put(struct render *r, const struct run_result *res, void *part);
/* Both at once. */
void render_run(struct render *r, const struct run_result *res);
/* Finish the document and free r; returns the exit status (report_exit_status). */
int render_end(struct render *r);
/* The whole report of rep->runs at once (--merge, --follow, tests); the runs
 * stay the caller's. */
void render_report(const struct renderer *fmt, FILE *out, const struct report *rep);

/* One finding as text, as soon as it is detected (--follow). */
void render_text_finding(FILE *out, const struct report *rep,
			 const struct run_result *res, const struct finding *f);

/* The one-line summary of a run (and its notes) as text. */
void render_text_summary(FILE *out, const struct report *rep, const struct run_result *res);

/* Severity counts over all runs, and the number of unreadable runs. */
struct tally {
	size_t runs, unreadable, errors, warnings, infos;
};
/* Add one run to t (t->runs included). */
void report_tally_run(struct tally *t, const struct run_result *res);
/* Does a finding of res fail the gate (--fail-on, --strict, known ones pass)? */
int report_run_fails(const struct report *rep, const struct run_result *res);
/* The exit status output.md defines: 2 unreadable, 1 finding >= fail_on, else 0. */
int report_exit_status(const struct report *rep);

#endif
