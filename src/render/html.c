/*
 * The HTML report (--format html): one self-contained HTML5 page for people
 * who are not ML experts, to open in a browser or attach to a ticket. No
 * network: the style and the script are inline. Every string from a file or
 * a rule goes through xmlesc_fputs, and the markup is also well-formed XML
 * (void elements closed, the script in a CDATA section), so that both HTML
 * and XML tools can check it.
 *
 * The page, top down: the counts; the rules that fired (severity, runs
 * affected, links to them); with several runs an overview, one line and a
 * sparkline per run, worst first; then a section for each run worth reading
 * (--html-details: by default every run of a one-run report, else those
 * with a warning or an error, and unreadable ones), with its charts and its
 * findings, each root cause followed by the findings that follow from it;
 * last, when several runs have sections, what each rule means, once.
 *
 * The charts are drawn by the page's script (html.js) from compact data that
 * html_chart.c writes, decimated to at most CHART_COLS columns: a report of a
 * thousand runs stays a few megabytes, and the script draws each chart at the
 * width the browser gives it (a phone as well as a desktop).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/escape.h"
#include "../util/spool.h"
#include "../util/xalloc.h"
#include "html_assets.h"
#include "html_chart.h"
#include "render.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

/* About one column per pixel of a wide chart. */
#define CHART_COLS 400
#define SPARK_COLS 48
/* Up to this many runs, a rule's row lists them all; beyond, in <details>. */
#define RULE_LINKS_INLINE 12
/* Beyond this many run sections, a report is an audit: consequences and infos
 * are one line each, and the overview's sparklines reuse the charts' data. */
#define COMPACT_RUNS 50

static void put_lines(FILE *out, const char *const *lines)
{
	for (; *lines; lines++)
		fputs(*lines, out);
}

/* A chart drawn from a run's series: all but the caption's hint, shown only
 * when the page has one run section (known at the end). */
struct html_fig {
	char *head;		/* <figure ...><figcaption>Title */
	const char *hint;	/* static, or NULL */
	char *tail;		/* </figcaption>... the data ...</figure> */
};

/* A run that may get a section: its result without the run, what the
 * section reads of the run, and its charts. */
struct held {
	struct run_result res;	/* run_result_copy: res.run is NULL */
	size_t run_no;
	int has_run;		/* the run was read */
	enum axis axis;
	char **notes;
	size_t n_notes;
	struct html_fig fig[3];
	size_t n_fig;
};

/* What the page keeps of every run: its overview line. */
struct html_row {
	char *label;
	char *error;
	int level;		/* run_level */
	size_t n_f;
	size_t epochs;
	size_t order;		/* 0-based input order */
	char *ids;		/* the rules that fired, escaped, or "-" */
	char *spark;		/* the sparkline's attributes */
	int detailed;		/* has a section (decided at the end) */
};

/* Per rule of the rule set: the runs it fired in. */
struct html_rule {
	size_t *which;		/* 0-based, in order */
	size_t n_which, cap;
	size_t rec;		/* of those, runs where every finding recovered */
};

struct page {
	const struct report *rep;
	enum severity details;	/* runs at this severity or worse get a section */
	int all;		/* every run gets one */
	size_t n_detailed;
	struct html_row *rows;	/* per run */
	struct html_rule *rules;	/* per rule of rep->rules */
	int dedupe;		/* rule texts once, at the end */
	int compact;		/* more than COMPACT_RUNS sections */
	const struct finding **canon;	/* per rule: the finding whose texts are shown */
	const size_t *canon_run;	/* and its run, 1-based */
	size_t prefix;		/* length of the folder every label starts with */
	/* Sections written before the prefix is known leave their labels to
	 * the end, marked here (html_state's); NULL: written whole. */
	struct html_state *later;
};

static void label_later(struct html_state *st, size_t run);

static void esc(FILE *out, const char *s)
{
	xmlesc_fputs(out, s, 0);
}

static void esc_n(FILE *out, const char *s, size_t n)
{
	char *t = xstrndup(s, n);
	xmlesc_fputs(out, t, 0);
	free(t);
}

/* A path that may break after each "/" (and only there) in a narrow window. */
static void esc_path(FILE *out, const char *s)
{
	const char *slash;
	while ((slash = strchr(s, '/')) && slash[1]) {
		esc_n(out, s, (size_t)(slash - s) + 1);
		fputs("<wbr/>", out);
		s = slash + 1;
	}
	esc(out, s);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The CSS class suffix of a severity. */
static const char *sev_class(enum severity s)
{
	return s == SEV_NONE ? "ok" : severity_name(s);
}

static void badge(FILE *out, const char *cls, const char *text)
{
	fprintf(out, "<span class=\"badge sev-%s\">", cls);
	esc(out, text);
	fputs("</span>", out);
}

static int run_level(const struct run_result *r)
{
	return r->error ? 4 : (int)run_result_worst(r);
}

static size_t rule_index(const struct page *pg, const struct finding *f)
{
	const struct ruleset *rs = pg->rep->rules;
	if (!rs || f->rule < rs->v || f->rule >= rs->v + rs->n)
		return (size_t)-1;
	return (size_t)(f->rule - rs->v);
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Are f's rule texts those shown once for its rule? */
static int texts_shared(const struct page *pg, const struct finding *f)
{
	if (!pg->dedupe)
		return 0;
	size_t r = rule_index(pg, f);
	if (r == (size_t)-1 || !pg->canon[r])
		return 0;
	const struct finding *c = pg->canon[r];
	return same(f->why, c->why) && same(f->fix, c->fix) &&
	       same(finding_snippet(f), finding_snippet(c)) &&
	       same(f->snippet_pytorch, c->snippet_pytorch);
}

/* ---- charts: data for html.js ---- */

static void series_attr(FILE *out, const char *name, const struct run *run, enum role role,
			size_t cols, int minmax)
{
	int idx = run->role[role];
	if (idx < 0)
		return;
	const struct series *s = &run->series[idx];
	fprintf(out, " %s=\"", name);
	html_series_data(out, s->v, s->missing, run->n_epochs, cols, minmax);
	fputc('"', out);
}

/* The series' names, for the legend the script draws. */
static void name_attr(FILE *out, const char *attr, const struct run *run, enum role role)
{
	if (run->role[role] < 0)
		return;
	fprintf(out, " %s=\"", attr);
	xmlesc_fputs(out, run_role_name(run, role), 1);
	fputc('"', out);
}

/* The label of the first and last points: epochs 1..n, or the logged steps. */
static void x_range(const struct run *run, double *x0, double *x1)
{
	*x0 = 1;
	*x1 = (double)run->n_epochs;
	if (run->axis == AXIS_STEP && run->at_step && run->n_epochs > 1) {
		double a = run->at_step[0], b = run->at_step[run->n_epochs - 1];
		if (isfinite(a) && isfinite(b) && b > a) {
			*x0 = a;
			*x1 = b;
		}
	}
}

/*
 * A chart: the figure says what it shows (data-kind loss or score; data-x the
 * axis, "epoch" when absent; data-ax "s" for the step axis; data-n points;
 * data-x0, data-x1 what the first and last are called, 1 and n when absent),
 * its plot the series (data-a training, data-b validation) and their names
 * (data-na, data-nb).
 */
static void chart(struct html_fig *fig, size_t *n_fig, const struct run *run, enum role train,
		  enum role val, const char *kind, const char *title, const char *hint)
{
	if (!run || !run->n_epochs || (run->role[train] < 0 && run->role[val] < 0))
		return;
	size_t cols = run->n_epochs < CHART_COLS ? run->n_epochs : CHART_COLS;
	double x0, x1;
	x_range(run, &x0, &x1);
	struct spool sp;
	spool_open(&sp);
	FILE *out = sp.f;
	fprintf(out, "<figure class=\"chart\" data-kind=\"%s\" data-n=\"%zu\"", kind, run->n_epochs);
	if (run->axis != AXIS_EPOCH)
		fprintf(out, " data-x=\"%s\"", axis_point_name(run->axis));
	if (run->axis == AXIS_STEP)
		fputs(" data-ax=\"s\"", out);
	if (x0 != 1 || x1 != (double)run->n_epochs)
		fprintf(out, " data-x0=\"%.15g\" data-x1=\"%.15g\"", x0, x1);
	fprintf(out, ">\n<figcaption>%s", title);
	fflush(out);
	size_t head = sp.len;
	fputs("</figcaption>\n<div class=\"plot\"", out);
	name_attr(out, "data-na", run, train);
	name_attr(out, "data-nb", run, val);
	series_attr(out, "data-a", run, train, cols, 1);
	series_attr(out, "data-b", run, val, cols, 1);
	fputs("></div>\n</figure>\n", out);
	fflush(out);
	fig = &fig[(*n_fig)++];
	fig->head = xstrndup(sp.buf, head);
	fig->hint = hint;
	fig->tail = xstrndup(sp.buf + head, sp.len - head);
	spool_release(&sp);
}

/* The charts of a run, drawn while its series are there. */
static void charts_draw(struct held *h, const struct run *run)
{
	chart(h->fig, &h->n_fig, run, ROLE_LOSS, ROLE_VAL_LOSS, "loss", "Loss",
	      "Lower is better. Validation loss rising while training loss falls means the "
	      "model memorizes instead of learning.");
	chart(h->fig, &h->n_fig, run, ROLE_ACC, ROLE_VAL_ACC, "score", "Accuracy",
	      "Higher is better; 1 means every example right.");
	if (run->steps)
		chart(h->fig, &h->n_fig, run->steps, ROLE_LOSS, ROLE_VAL_LOSS, "loss",
		      "Loss per logged step", NULL);
}

static void charts(FILE *out, const struct page *pg, const struct held *h)
{
	fputs("<div class=\"charts\">\n", out);
	for (size_t i = 0; i < h->n_fig; i++) {
		fputs(h->fig[i].head, out);
		if (h->fig[i].hint && pg->n_detailed <= 1)
			fprintf(out, " <span class=\"hint\">%s</span>", h->fig[i].hint);
		fputs(h->fig[i].tail, out);
	}
	fputs("</div>\n", out);
}

/* The series a run's sparkline shows: validation loss, else training loss.
 * The attributes, drawn while the series are there. */
static char *spark_data(const struct run *run)
{
	struct spool sp;
	spool_open(&sp);
	for (const struct run *t = run; t; t = t->steps) {
		enum role r = t->role[ROLE_VAL_LOSS] >= 0 ? ROLE_VAL_LOSS : ROLE_LOSS;
		if (t->role[r] < 0 || !t->n_epochs)
			continue;
		series_attr(sp.f, "data-s", t, r, SPARK_COLS, 0);
		fputs(" title=\"", sp.f);
		xmlesc_fputs(sp.f, run_role_name(t, r), 1);
		fputc('"', sp.f);
		break;
	}
	fflush(sp.f);
	char *data = xstrndup(sp.buf, sp.len);
	spool_release(&sp);
	return data;
}

/* In an audit, a run with a section lends its sparkline its first chart's data. */
static void sparkline(FILE *out, const struct page *pg, const struct html_row *row, size_t run_no)
{
	fputs("<td class=\"sp\"", out);
	if (pg->compact && row->detailed) {
		fprintf(out, " data-r=\"%zu\"></td>", run_no);
		return;
	}
	fputs(row->spark, out);
	fputs("></td>", out);
}

/* ---- text ---- */

/* Does a line start a list item or code, whose line break must stay? */
static int keeps_break(const char *line)
{
	if ((line[0] == '-' || line[0] == '*') && line[1] == ' ')
		return 1;
	if (line[0] == ' ' || line[0] == '\t')
		return 1;
	const char *d = line;
	while (*d >= '0' && *d <= '9')
		d++;
	return d > line && (*d == '.' || *d == ')') && d[1] == ' ';
}

/*
 * Rule texts may be hard-wrapped for the terminal. In a browser they read
 * better reflowed: a blank line starts a paragraph, a list item or an
 * indented line keeps its line break, and any other break is a space.
 */
static void text_block(FILE *out, const char *cls, const char *lead, const char *text)
{
	if (!text || !*text)
		return;
	int open = 0, first = 1;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		p += n + (p[n] == '\n');
		size_t blank = strspn(line, " \t\r");
		if (line[blank] == '\0') {
			if (open)
				fputs("</p>\n", out);
			open = 0;
			free(line);
			continue;
		}
		if (!open) {
			fprintf(out, "<p class=\"text%s%s\">", cls ? " " : "", cls ? cls : "");
			if (lead && first)
				fprintf(out, "<strong>%s</strong> ", lead);
			open = 1;
			first = 0;
		} else {
			fputs(keeps_break(line) ? "<br/>" : " ", out);
		}
		esc(out, line);
		free(line);
	}
	if (open)
		fputs("</p>\n", out);
}

/* Why, fix and snippets of a finding. */
static void rule_texts(FILE *out, const struct finding *f)
{
	text_block(out, "why", NULL, f->why);
	text_block(out, "fix", "Fix:", f->fix);
	const char *snip = finding_snippet(f);
	if (snip && *snip) {
		fputs("<pre><code>", out);
		esc(out, snip);
		fputs("</code></pre>\n", out);
	}
	if (f->snippet_pytorch && *f->snippet_pytorch && snip != f->snippet_pytorch) {
		fputs("<details><summary>The same in PyTorch</summary><pre><code>", out);
		esc(out, f->snippet_pytorch);
		fputs("</code></pre></details>\n", out);
	}
}

static void finding_head(FILE *out, const struct finding *f)
{
	const char *sev = sev_class(f->rule->severity);
	fputs("<h3>", out);
	badge(out, sev, severity_name(f->rule->severity));
	fputc(' ', out);
	esc(out, f->title);
	fputs(" <code class=\"rule\">[", out);
	esc(out, f->rule->id);
	fputs("]</code>", out);
	if (!f->persists)
		fputs(" <span class=\"badge tag\">recovered</span>", out);
	if (f->known)
		fputs(" <span class=\"badge tag\">known</span>", out);
	fputs("</h3>\n", out);
}

static void finding_open(FILE *out, const struct finding *f, const char *extra, size_t run_no,
			 size_t k, int with_id)
{
	fprintf(out, "<article class=\"finding sev-%s%s%s\"", sev_class(f->rule->severity),
		f->persists ? "" : " recovered", extra);
	if (with_id)
		fprintf(out, " id=\"run-%zu-f%zu\"", run_no, k + 1);
	if (f->detected_epoch)
		fprintf(out, " data-at=\"%zu\" data-ax=\"%s\"", f->detected_epoch,
			f->axis == AXIS_STEP ? "s" : "e");
	fputs(">\n", out);
	finding_head(out, f);
}

static void where_line(FILE *out, const struct report *rep, const struct finding *f, int close)
{
	fputs("<p class=\"where\">Detected at ", out);
	esc(out, f->where);
	if (f->line > 0)
		fprintf(out, ", line %ld", f->line);
	fputc('.', out);
	if (f->onset_epoch && f->onset_epoch < f->detected_epoch && *f->onset_where) {
		size_t late = f->detected_epoch - f->onset_epoch;
		const char *unit = f->axis == AXIS_EPOCH ? "epoch" : f->axis == AXIS_EVAL
			? "evaluation" : "logged step";
		fputs(" It was visible from ", out);
		esc(out, f->onset_where);
		fputs("; the ", out);
		esc(out, rep->schedule);
		fprintf(out, " schedule caught it %zu %s%s later.", late, unit, late == 1 ? "" : "s");
	}
	if (close)
		fputs("</p>\n", out);
}

static void recovered_line(FILE *out, const struct finding *f)
{
	if (f->persists)
		return;
	/* Said once at the top of the page; here only where it recovered. */
	fputs("<p class=\"rec\">", out);
	if (f->recovered_epoch) {
		fputs("Recovered by ", out);
		esc(out, f->recovered_where);
		fprintf(out, ": it no longer held at the end%s.</p>\n",
			f->rule->sticky ? "" : ", so it does not fail the run");
	} else {
		fputs("By the end of the run this no longer held: the run recovered.</p>\n", out);
	}
}

static void rule_link(FILE *out, const struct finding *f)
{
	fputs("<p class=\"text more\">Why it matters and how to fix it: <a href=\"#rule-", out);
	xmlesc_fputs(out, f->rule->id, 1);
	fputs("\">", out);
	esc(out, f->rule->id);
	fputs("</a>.</p>\n", out);
}

static void finding_html(FILE *out, const struct page *pg, const struct run_result *res,
			 size_t run_no, size_t k, size_t n_cons)
{
	const struct finding *f = &res->f[k];
	finding_open(out, f, "", run_no, k, n_cons > 0);
	where_line(out, pg->rep, f, 0);
	if (n_cons)
		fprintf(out, " <strong class=\"first\">Fix this first: %zu other finding%s below "
			"follow%s from it.</strong>", n_cons, n_cons == 1 ? "" : "s",
			n_cons == 1 ? "s" : "");
	fputs("</p>\n", out);
	recovered_line(out, f);
	text_block(out, NULL, NULL, f->message);
	if (texts_shared(pg, f))
		rule_link(out, f);
	else
		rule_texts(out, f);
	fputs("</article>\n", out);
}

/* A finding that follows from another: what was seen, and where to look. */
static void consequence_html(FILE *out, const struct page *pg, const struct run_result *res,
			     size_t run_no, size_t k)
{
	const struct finding *f = &res->f[k], *c = &res->f[f->cause];
	finding_open(out, f, " consequence", run_no, k, 0);
	where_line(out, pg->rep, f, 0);
	fprintf(out, " A consequence of <a href=\"#run-%zu-f%d\">", run_no, f->cause + 1);
	esc(out, c->rule->id);
	fputs("</a> above: fix that first.</p>\n", out);
	recovered_line(out, f);
	text_block(out, NULL, NULL, f->message);
	fputs("</article>\n", out);
}

/*
 * In an audit (more than COMPACT_RUNS sections), one list item per finding:
 * severity, title, rule id, where, whether it recovered; the message and a
 * link to the rule's text only for a root cause at warning or error. The
 * findings that follow from a cause are a list inside its item.
 */
static void finding_li(FILE *out, const struct page *pg, const struct run_result *res,
		       size_t run_no, size_t k, size_t n_cons)
{
	const struct finding *f = &res->f[k];
	const char *sev = sev_class(f->rule->severity);
	fprintf(out, "<li class=\"finding sev-%s%s%s\"", sev, f->persists ? "" : " recovered",
		n_cons ? " cause-group" : "");
	if (n_cons)
		fprintf(out, " id=\"run-%zu-f%zu\"", run_no, k + 1);
	if (f->detected_epoch)
		fprintf(out, " data-at=\"%zu\"%s", f->detected_epoch,
			f->axis == AXIS_STEP ? " data-ax=\"s\"" : "");
	fprintf(out, "><b class=\"sev\">%s</b> ", severity_name(f->rule->severity));
	esc(out, f->title);
	fputs(" <code>", out);
	esc(out, f->rule->id);
	fputs("</code> <span class=\"at\">", out);
	esc(out, f->where);
	if (!f->persists && f->recovered_epoch) {
		fputs(", recovered by ", out);
		esc(out, f->recovered_where);
	} else if (!f->persists) {
		fputs(", recovered", out);
	}
	fputs(f->known ? ", known</span>" : "</span>", out);
	if (n_cons)
		fputs(" <strong class=\"first\">fix this first</strong>", out);
	if (f->cause < 0 && f->rule->severity >= SEV_WARNING) {
		text_block(out, NULL, NULL, f->message);
		/* The fix may name this run's epochs; the rest is the rule's. */
		size_t r = rule_index(pg, f);
		if (r != (size_t)-1 && pg->canon[r] && !same(f->fix, pg->canon[r]->fix))
			text_block(out, "fix", "Fix:", f->fix);
		fputs("<p class=\"text more\"><a href=\"#rule-", out);
		xmlesc_fputs(out, f->rule->id, 1);
		fputs("\">Why, and how to fix it</a></p>\n", out);
	}
}

static void findings_list(FILE *out, const struct page *pg, const struct run_result *res,
			  size_t run_no)
{
	if (!res->n_f)
		return;
	unsigned char *done = xcalloc(res->n_f, 1);
	fputs("<ul class=\"findings\">\n", out);
	for (int s = SEV_ERROR; s >= SEV_INFO; s--)
		for (size_t k = 0; k < res->n_f; k++) {
			if ((int)res->f[k].rule->severity != s || res->f[k].cause >= 0)
				continue;
			size_t n_cons = 0;
			for (size_t j = 0; j < res->n_f; j++)
				n_cons += res->f[j].cause == (int)k;
			finding_li(out, pg, res, run_no, k, n_cons);
			done[k] = 1;
			if (n_cons) {
				fputs("<ul class=\"consequences\">\n", out);
				for (size_t j = 0; j < res->n_f; j++)
					if (res->f[j].cause == (int)k) {
						finding_li(out, pg, res, run_no, j, 0);
						fputs("</li>\n", out);
						done[j] = 1;
					}
				fputs("</ul>", out);
			}
			fputs("</li>\n", out);
		}
	for (size_t k = 0; k < res->n_f; k++)
		if (!done[k]) {
			finding_li(out, pg, res, run_no, k, 0);
			fputs("</li>\n", out);
		}
	fputs("</ul>\n", out);
	free(done);
}

static void findings(FILE *out, const struct page *pg, const struct run_result *res,
		     size_t run_no)
{
	unsigned char *done = xcalloc(res->n_f ? res->n_f : 1, 1);
	for (int s = SEV_ERROR; s >= SEV_INFO; s--)
		for (size_t k = 0; k < res->n_f; k++) {
			const struct finding *f = &res->f[k];
			if ((int)f->rule->severity != s || f->cause >= 0)
				continue;
			size_t n_cons = 0;
			for (size_t j = 0; j < res->n_f; j++)
				n_cons += res->f[j].cause == (int)k;
			if (n_cons)
				fputs("<div class=\"cause-group\">\n", out);
			finding_html(out, pg, res, run_no, k, n_cons);
			done[k] = 1;
			if (!n_cons)
				continue;
			fputs("<div class=\"consequences\">\n", out);
			for (size_t j = 0; j < res->n_f; j++)
				if (res->f[j].cause == (int)k) {
					consequence_html(out, pg, res, run_no, j);
					done[j] = 1;
				}
			fputs("</div>\n</div>\n", out);
		}
	/* A consequence of a consequence, should causes_link ever make one. */
	for (size_t k = 0; k < res->n_f; k++)
		if (!done[k])
			finding_html(out, pg, res, run_no, k, 0);
	free(done);
}

static void counts_line(FILE *out, const struct page *pg, const struct held *h)
{
	const struct report *rep = pg->rep;
	const struct run_result *res = &h->res;
	size_t c[4] = { 0 };
	for (size_t i = 0; i < res->n_f; i++)
		c[res->f[i].rule->severity]++;
	const char *unit = h->has_run ? axis_point_name(h->axis) : "epoch";
	fputs(pg->compact ? "<p class=\"meta\">" : "<p class=\"meta\">Read as ", out);
	esc(out, res->format);
	fprintf(out, "%s %zu %s%s", pg->compact ? "," : ";", res->epochs, unit,
		res->epochs == 1 ? "" : "s");
	if (res->steps)
		fprintf(out, " and %zu logged %s", res->steps, plural(res->steps, "step", "steps"));
	if (pg->compact) {
		/* The findings list below says the rest. */
		fputs(".</p>\n", out);
		return;
	} else {
		fprintf(out, ", %zu %s (", res->checks_run, plural(res->checks_run, "check", "checks"));
		esc(out, rep->schedule);
		fputs(" schedule). ", out);
	}
	if (!res->n_f) {
		badge(out, "ok", "ok");
		fputs(" No problems found.", out);
	}
	static const char *const one[4] = { "", "info", "warning", "error" };
	static const char *const many[4] = { "", "infos", "warnings", "errors" };
	for (int s = SEV_ERROR; s >= SEV_INFO && res->n_f; s--) {
		if (pg->compact && !c[s])
			continue;
		char text[48];
		snprintf(text, sizeof(text), "%zu %s", c[s], plural(c[s], one[s], many[s]));
		/* A zero count is not an alarm: a neutral badge. */
		badge(out, c[s] ? severity_name((enum severity)s) : "zero", text);
		fputc(' ', out);
	}
	fputs("</p>\n", out);
}

static void run_html(FILE *out, const struct page *pg, const struct held *h)
{
	const struct run_result *res = &h->res;
	size_t run_no = h->run_no;
	fprintf(out, "<section class=\"run\" id=\"run-%zu\">\n<h2>", run_no);
	if (pg->rep->n_runs > 1)
		fprintf(out, "<span class=\"no\">%zu</span> ", run_no);
	/* In an audit, under the folder the overview names. */
	if (pg->later)
		label_later(pg->later, run_no - 1);
	else
		esc_path(out, res->label + (pg->compact ? pg->prefix : 0));
	fputs("</h2>\n", out);
	if (res->error) {
		fputs("<p>", out);
		badge(out, "unread", "unreadable");
		fputs(" This file could not be read: ", out);
		esc(out, res->error);
		fputs("</p>\n</section>\n", out);
		return;
	}
	counts_line(out, pg, h);
	if (h->n_notes || res->n_warnings) {
		fputs("<ul class=\"notes\">\n", out);
		for (size_t i = 0; i < h->n_notes; i++) {
			fputs("<li>Note: ", out);
			esc(out, h->notes[i]);
			fputs("</li>\n", out);
		}
		for (size_t i = 0; i < res->n_warnings; i++) {
			fputs("<li>Warning: ", out);
			esc(out, res->warnings[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (h->has_run)
		charts(out, pg, h);
	if (pg->compact)
		findings_list(out, pg, res, run_no);
	else
		findings(out, pg, res, run_no);
	fputs("</section>\n", out);
}

/* ---- the summaries at the top ---- */

/* Worst first: unreadable, then by severity, then more findings; then in
 * input order, so that -j never changes it. */
static int cmp_worst_first(const void *a, const void *b)
{
	const struct html_row *x = *(const struct html_row *const *)a;
	const struct html_row *y = *(const struct html_row *const *)b;
	if (x->level != y->level)
		return y->level - x->level;
	if (x->n_f != y->n_f)
		return x->n_f > y->n_f ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void run_anchor(FILE *out, const struct page *pg, size_t i)
{
	fprintf(out, "<a href=\"#%s%zu\">%zu</a>", pg->rows[i].detailed ? "run-" : "r-", i + 1,
		i + 1);
}

/* One row per rule that fired: its severity, how many runs, which. */
static void rules_summary(FILE *out, const struct page *pg)
{
	const struct report *rep = pg->rep;
	const struct ruleset *rs = rep->rules;
	size_t nr = rs ? rs->n : 0;
	/* Most severe first, then the most runs, then by id (the set's order). */
	size_t *order = xcalloc(nr ? nr : 1, sizeof(*order)), n = 0;
	for (size_t k = 0; k < nr; k++)
		if (pg->rules[k].n_which)
			order[n++] = k;
	if (!n)
		goto done;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			const struct rule *x = &rs->v[order[j]], *y = &rs->v[order[j - 1]];
			size_t rx = pg->rules[order[j]].n_which, ry = pg->rules[order[j - 1]].n_which;
			if (!(x->severity > y->severity || (x->severity == y->severity && rx > ry)))
				break;
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	fputs("<section id=\"rules\">\n<h2>Rules that fired</h2>\n<table class=\"rules\">\n"
	      "<thead><tr><th>rule</th><th>severity</th><th>runs</th><th>which</th></tr></thead>\n"
	      "<tbody>\n", out);
	for (size_t o = 0; o < n; o++) {
		size_t k = order[o];
		const struct rule *rule = &rs->v[k];
		const struct html_rule *hr = &pg->rules[k];
		fputs("<tr><td><a href=\"#", out);
		if (pg->dedupe && pg->canon[k]) {
			fputs("rule-", out);
			xmlesc_fputs(out, rule->id, 1);
		} else {
			/* The run whose section shows the rule's text. */
			size_t first = 0;
			while (first < hr->n_which && !pg->rows[hr->which[first]].detailed)
				first++;
			if (first < hr->n_which)
				fprintf(out, "run-%zu", hr->which[first] + 1);
			else
				fputs("overview", out);
		}
		fputs("\"><code>", out);
		esc(out, rule->id);
		fputs("</code></a></td><td>", out);
		badge(out, sev_class(rule->severity), severity_name(rule->severity));
		fprintf(out, "</td><td class=\"num\">%zu of %zu", hr->n_which, rep->n_runs);
		if (hr->rec)
			fprintf(out, "<br/><small>%zu recovered</small>", hr->rec);
		fputs("</td><td class=\"which\">", out);
		int fold = hr->n_which > RULE_LINKS_INLINE;
		if (fold)
			fprintf(out, "<details><summary>%zu runs</summary>", hr->n_which);
		for (size_t i = 0; i < hr->n_which; i++) {
			fputs(i ? " " : "", out);
			run_anchor(out, pg, hr->which[i]);
		}
		fputs(fold ? "</details></td></tr>\n" : "</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
done:
	free(order);
}

/* The folder every label starts with ("" when they share none). */
static size_t common_folder(const struct html_row *rows, size_t n_rows)
{
	if (n_rows < 2)
		return 0;
	const char *a = rows[0].label;
	size_t n = strlen(a);
	for (size_t i = 1; i < n_rows && n; i++) {
		const char *b = rows[i].label;
		size_t k = 0;
		while (k < n && a[k] && a[k] == b[k])
			k++;
		n = k;
	}
	while (n && a[n - 1] != '/')
		n--;
	return n;
}

static void overview(FILE *out, const struct page *pg)
{
	const struct report *rep = pg->rep;
	const struct html_row **order = xcalloc(rep->n_runs ? rep->n_runs : 1, sizeof(*order));
	for (size_t i = 0; i < rep->n_runs; i++)
		order[i] = &pg->rows[i];
	qsort(order, rep->n_runs, sizeof(*order), cmp_worst_first);
	fputs("<section id=\"overview\">\n<h2>Runs, worst first</h2>\n<p class=\"meta\">", out);
	if (pg->prefix) {
		fputs("Under <code class=\"path\">", out);
		char *pre = xstrndup(pg->rows[0].label, pg->prefix);
		esc_path(out, pre);
		free(pre);
		fputs("</code>. ", out);
	}
	if (pg->all)
		fputs("Every run has a section below.", out);
	else if (pg->n_detailed)
		fprintf(out, "The %zu %s with %s have a section below; "
			"<code>--html-details all</code> gives every run one.", pg->n_detailed,
			plural(pg->n_detailed, "run", "runs"),
			pg->details == SEV_ERROR ? "an error" : pg->details == SEV_WARNING
			? "a warning or an error" : "a finding");
	else
		fputs("No run has a section below; <code>--html-details all</code> gives "
		      "every run one.", out);
	fputs(" The trend is the validation loss (or the training loss) over the run.</p>\n"
	      "<table class=\"runs\">\n<thead><tr><th class=\"n\">#</th><th>run</th>"
	      "<th class=\"n\">epochs</th><th>worst</th><th>trend</th><th>rules fired</th>"
	      "</tr></thead>\n<tbody>\n", out);
	for (size_t o = 0; o < rep->n_runs; o++) {
		const struct html_row *r = order[o];
		size_t i = r->order;
		fprintf(out, "<tr id=\"r-%zu\"><td class=\"n\">%zu</td><td class=\"p\">", i + 1, i + 1);
		if (r->detailed)
			fprintf(out, "<a href=\"#run-%zu\">", i + 1);
		esc_path(out, r->label + pg->prefix);
		fputs(r->detailed ? "</a></td>" : "</td>", out);
		if (r->error) {
			fputs("<td class=\"n\">-</td><td>", out);
			badge(out, "unread", "unreadable");
			fputs("</td><td></td><td>", out);
			esc(out, r->error);
			fputs("</td></tr>\n", out);
			continue;
		}
		enum severity w = (enum severity)r->level;
		fprintf(out, "<td class=\"n\">%zu</td><td>", r->epochs);
		badge(out, sev_class(w), w ? severity_name(w) : "ok");
		fputs("</td>", out);
		sparkline(out, pg, r, i + 1);
		fputs("<td class=\"ids\">", out);
		fputs(r->ids, out);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
	free(order);
}

/* What each rule means, once: the texts of its first finding shown. */
static void rule_texts_section(FILE *out, const struct page *pg)
{
	const struct ruleset *rs = pg->rep->rules;
	int any = 0;
	for (size_t k = 0; k < rs->n; k++) {
		const struct finding *f = pg->canon[k];
		if (!f)
			continue;
		if (!any++)
			fputs("<section id=\"rule-texts\">\n<h2>What the rules mean</h2>\n", out);
		fprintf(out, "<article class=\"rule sev-%s\" id=\"rule-", sev_class(rs->v[k].severity));
		xmlesc_fputs(out, rs->v[k].id, 1);
		fputs("\">\n<h3>", out);
		badge(out, sev_class(rs->v[k].severity), severity_name(rs->v[k].severity));
		fputs(" <code>", out);
		esc(out, rs->v[k].id);
		fputs("</code></h3>\n", out);
		rule_texts(out, f);
		if (pg->compact)
			fprintf(out, "<p class=\"meta\">Numbers in this text are those of run %zu, "
				"the first with this finding; a run whose fix differs shows its "
				"own.</p>\n", pg->canon_run[k]);
		fputs("</article>\n", out);
	}
	if (any)
		fputs("</section>\n", out);
}

/* ---- the report as its runs come ---- */

/* What the page keeps until its end: a line per run, the runs that may get
 * a section (without their series), and per rule the runs it fired in. */
struct html_state {
	struct html_row *rows;
	size_t n_rows, cap_rows;
	struct held *held;
	size_t n_held, cap_held;
	struct html_rule *rules;	/* per rule of rep->rules */
	/* The runs with a section in a report of several, so far, and per
	 * rule the first of their findings whose texts are shown (a copy;
	 * rule NULL while none). */
	size_t n_detailed;
	struct finding *canon;
	const struct finding **canon_ptr;	/* &canon[k], or NULL */
	size_t *canon_run;
	/*
	 * Beyond COMPACT_RUNS sections the page is an audit, whatever comes
	 * next: the sections are written as their runs are put, into sections,
	 * and held no more. Their labels lose the folder every label shares,
	 * known at the end: they go in then, at marks.
	 */
	int compact;
	struct spool sections;
	struct html_mark {
		size_t at;	/* offset in sections */
		size_t run;	/* 0-based */
	} *marks;
	size_t n_marks, cap_marks;
};

static void label_later(struct html_state *st, size_t run)
{
	fflush(st->sections.f);
	xgrow(&st->marks, &st->cap_marks, st->n_marks + 1, sizeof(*st->marks));
	st->marks[st->n_marks++] = (struct html_mark){ st->sections.len, run };
}

/* --html-details as it stands for a report of several runs. */
static int details_of_several(const struct report *rep)
{
	return rep->html_details == HTML_DETAILS_AUTO ? SEV_WARNING : rep->html_details;
}

static void *html_begin(FILE *out, const struct report *rep)
{
	(void)out;
	struct html_state *st = xcalloc(1, sizeof(*st));
	size_t nr = rep->rules ? rep->rules->n : 0;
	st->rules = xcalloc(nr ? nr : 1, sizeof(*st->rules));
	st->canon = xcalloc(nr ? nr : 1, sizeof(*st->canon));
	st->canon_ptr = xcalloc(nr ? nr : 1, sizeof(*st->canon_ptr));
	st->canon_run = xcalloc(nr ? nr : 1, sizeof(*st->canon_run));
	spool_open(&st->sections);
	return st;
}

static void html_row_fill(struct html_row *row, const struct run_result *res, size_t order)
{
	memset(row, 0, sizeof(*row));
	row->label = xstrdup(res->label);
	row->error = res->error ? xstrdup(res->error) : NULL;
	row->level = run_level(res);
	row->n_f = res->n_f;
	row->epochs = res->epochs;
	row->order = order;
	row->spark = spark_data(res->run);
	struct spool sp;
	spool_open(&sp);
	size_t shown = 0;
	for (size_t k = 0; k < res->n_f; k++) {
		size_t dup = 0;
		for (size_t j = 0; j < k; j++)
			dup |= res->f[j].rule == res->f[k].rule;
		if (dup)
			continue;
		fputs(shown++ ? ", " : "", sp.f);
		esc(sp.f, res->f[k].rule->id);
	}
	if (!shown)
		fputc('-', sp.f);
	fflush(sp.f);
	row->ids = xstrndup(sp.buf, sp.len);
	spool_release(&sp);
}

/* What a section shows of the run itself: its axis, notes and charts. */
static void held_draw(struct held *h, const struct run *run)
{
	if (!run)
		return;
	h->has_run = 1;
	h->axis = run->axis;
	h->n_notes = run->n_notes;
	h->notes = xcalloc(h->n_notes ? h->n_notes : 1, sizeof(*h->notes));
	for (size_t i = 0; i < h->n_notes; i++)
		h->notes[i] = xstrdup(run->notes[i]);
	charts_draw(h, run);
}

static void held_release(struct held *h)
{
	run_result_release(&h->res);
	for (size_t i = 0; i < h->n_notes; i++)
		free(h->notes[i]);
	free(h->notes);
	for (size_t i = 0; i < h->n_fig; i++) {
		free(h->fig[i].head);
		free(h->fig[i].tail);
	}
}

/* A run's overview line, and what its section needs of the run when it
 * gets one in a report of several runs. */
struct html_part {
	struct html_row row;
	struct held held;
	int drawn;		/* held has the run's charts */
};

static void *html_draw(const void *st, const struct report *rep, const struct run_result *res)
{
	(void)st;
	struct html_part *p = xcalloc(1, sizeof(*p));
	html_row_fill(&p->row, res, 0);
	int d = details_of_several(rep);
	if (d != HTML_DETAILS_NONE && (d == SEV_NONE || run_level(res) >= d)) {
		held_draw(&p->held, res->run);
		p->drawn = 1;
	}
	return p;
}

/* The first root finding of each rule among the runs with a section: the
 * one whose texts the page shows once. */
static void canon_note(struct html_state *st, const struct report *rep,
		       const struct run_result *res, size_t run_no)
{
	const struct ruleset *rs = rep->rules;
	for (size_t k = 0; rs && k < res->n_f; k++) {
		const struct finding *f = &res->f[k];
		if (f->rule < rs->v || f->rule >= rs->v + rs->n || f->cause >= 0)
			continue;
		size_t ri = (size_t)(f->rule - rs->v);
		if (st->canon_ptr[ri])
			continue;
		finding_copy(&st->canon[ri], f);
		st->canon_ptr[ri] = &st->canon[ri];
		st->canon_run[ri] = run_no;
	}
}

/* A section of an audit (more than COMPACT_RUNS sections), written now. */
static void section_now(struct html_state *st, const struct report *rep, const struct held *h)
{
	struct page pg;
	memset(&pg, 0, sizeof(pg));
	pg.rep = rep;
	pg.rows = st->rows;
	pg.rules = st->rules;
	pg.n_detailed = st->n_detailed;
	pg.dedupe = rep->rules && rep->rules->n;
	pg.compact = 1;
	pg.canon = st->canon_ptr;
	pg.canon_run = st->canon_run;
	pg.later = st;
	run_html(st->sections.f, &pg, h);
}

static void html_put(void *arg, FILE *out, const struct report *rep,
		     const struct run_result *res, void *part, size_t run_no)
{
	struct html_state *st = arg;
	struct html_part *p = part;
	(void)out;
	xgrow(&st->rows, &st->cap_rows, st->n_rows + 1, sizeof(*st->rows));
	p->row.order = run_no - 1;
	st->rows[st->n_rows++] = p->row;
	const struct ruleset *rs = rep->rules;
	for (size_t k = 0; k < res->n_f; k++) {
		const struct rule *rule = res->f[k].rule;
		size_t dup = 0;
		for (size_t j = 0; j < k; j++)
			dup |= res->f[j].rule == rule;
		if (dup || !rs || rule < rs->v || rule >= rs->v + rs->n)
			continue;
		struct html_rule *hr = &st->rules[rule - rs->v];
		xgrow(&hr->which, &hr->cap, hr->n_which + 1, sizeof(*hr->which));
		hr->which[hr->n_which++] = run_no - 1;
		int all_rec = 1;
		for (size_t j = k; j < res->n_f; j++)
			if (res->f[j].rule == rule && res->f[j].persists)
				all_rec = 0;
		hr->rec += all_rec;
	}
	int d = details_of_several(rep);
	int detailed = d != HTML_DETAILS_NONE && (d == SEV_NONE || run_level(res) >= d);
	if (detailed) {
		st->n_detailed++;
		canon_note(st, rep, res, run_no);
	}
	if (detailed && !st->compact && st->n_detailed > COMPACT_RUNS) {
		/* An audit from now on: the sections held so far go out. */
		st->compact = 1;
		for (size_t i = 0; i < st->n_held; i++) {
			if (d == SEV_NONE || st->rows[st->held[i].run_no - 1].level >= d)
				section_now(st, rep, &st->held[i]);
			held_release(&st->held[i]);
		}
		st->n_held = 0;
	}
	if (detailed && st->compact) {
		struct held h = p->held;
		h.res = *res;	/* lent, not copied */
		h.run_no = run_no;
		section_now(st, rep, &h);
		memset(&h.res, 0, sizeof(h.res));
		held_release(&h);
		free(p);
		return;
	}
	/* Kept when the run may get a section: the first run also when it
	 * turns out to be the only one. */
	if (!detailed && !(rep->html_details == HTML_DETAILS_AUTO && run_no == 1)) {
		held_release(&p->held);
		free(p);
		return;
	}
	xgrow(&st->held, &st->cap_held, st->n_held + 1, sizeof(*st->held));
	struct held *h = &st->held[st->n_held++];
	*h = p->held;
	if (!p->drawn)
		held_draw(h, res->run);
	run_result_copy(&h->res, res);
	h->run_no = run_no;
	free(p);
}

static void page_init(struct page *pg, const struct report *rep, struct html_state *st)
{
	memset(pg, 0, sizeof(*pg));
	pg->rep = rep;
	pg->rows = st->rows;
	pg->rules = st->rules;
	int d = rep->html_details;
	if (d == HTML_DETAILS_AUTO)
		d = rep->n_runs == 1 ? SEV_NONE : SEV_WARNING;
	pg->all = d == SEV_NONE;
	pg->details = d == HTML_DETAILS_NONE ? SEV_NONE : (enum severity)d;
	for (size_t i = 0; i < st->n_rows; i++) {
		struct html_row *r = &st->rows[i];
		r->detailed = d != HTML_DETAILS_NONE && (pg->all || r->level >= d);
		pg->n_detailed += r->detailed;
	}
	size_t nr = rep->rules ? rep->rules->n : 0;
	pg->dedupe = pg->n_detailed > 1 && nr;
	pg->compact = pg->n_detailed > COMPACT_RUNS;
	/* Consequences show no rule text of their own (canon_note); a page of
	 * one section shows every text in place. */
	pg->canon = pg->dedupe ? st->canon_ptr : NULL;
	pg->canon_run = st->canon_run;
	pg->prefix = common_folder(st->rows, st->n_rows);
}

/* The sections of an audit, written as their runs came, with their labels. */
static void audit_sections(FILE *out, const struct page *pg, struct html_state *st)
{
	fflush(st->sections.f);
	size_t done = 0;
	for (size_t i = 0; i < st->n_marks; i++) {
		fwrite(st->sections.buf + done, 1, st->marks[i].at - done, out);
		esc_path(out, st->rows[st->marks[i].run].label + pg->prefix);
		done = st->marks[i].at;
	}
	fwrite(st->sections.buf + done, 1, st->sections.len - done, out);
}

static void html_state_free(struct html_state *st, size_t n_rules)
{
	for (size_t i = 0; i < st->n_rows; i++) {
		free(st->rows[i].label);
		free(st->rows[i].error);
		free(st->rows[i].ids);
		free(st->rows[i].spark);
	}
	free(st->rows);
	for (size_t i = 0; i < st->n_held; i++)
		held_release(&st->held[i]);
	free(st->held);
	for (size_t k = 0; k < n_rules; k++) {
		free(st->rules[k].which);
		if (st->canon_ptr[k])
			finding_release(&st->canon[k]);
	}
	free(st->rules);
	free(st->canon);
	free(st->canon_ptr);
	free(st->canon_run);
	spool_release(&st->sections);
	free(st->marks);
	free(st);
}

static void html_end(void *arg, FILE *out, const struct report *rep, const struct tally *t)
{
	struct html_state *st = arg;
	struct page pg;
	page_init(&pg, rep, st);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>scram-check: ", out);
	if (rep->n_runs == 1)
		esc(out, st->rows[0].label);
	else
		fprintf(out, "%zu runs", rep->n_runs);
	fputs("</title>\n<style>\n", out);
	put_lines(out, html_style);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>Training check</h1>\n<p class=\"lead\">",
	      out);
	fprintf(out, "%zu %s checked (", t->runs, plural(t->runs, "run", "runs"));
	esc(out, rep->schedule);
	fprintf(out, " schedule): %zu %s, %zu %s, %zu %s", t->errors,
		plural(t->errors, "error", "errors"), t->warnings,
		plural(t->warnings, "warning", "warnings"), t->infos, plural(t->infos, "info", "infos"));
	if (t->unreadable)
		fprintf(out, ", %zu unreadable", t->unreadable);
	fputs(". An <em>error</em> means training broke; a <em>warning</em>, that the model "
	      "probably trained badly; an <em>info</em> is a hint. A finding marked "
	      "<em>recovered</em> no longer held at the end of the run: it does not fail the "
	      "run unless its rule is sticky or <code>--strict</code> is given.</p>\n", out);
	if (pg.n_detailed > 1)
		fputs("<p class=\"lead\">In the charts, lower loss and higher accuracy are better; "
		      "each line marked with a rule id is where that rule fired.</p>\n", out);
	fputs("<noscript><p class=\"note\">The charts are drawn by this page's script, which "
	      "is off: the findings below are complete without them.</p></noscript>\n"
	      "</header>\n", out);
	rules_summary(out, &pg);
	if (rep->n_runs > 1)
		overview(out, &pg);
	if (st->compact)
		audit_sections(out, &pg, st);
	for (size_t i = 0; i < st->n_held; i++)
		if (st->rows[st->held[i].run_no - 1].detailed)
			run_html(out, &pg, &st->held[i]);
	if (pg.dedupe)
		rule_texts_section(out, &pg);
	fputs("<footer>Made by scram-check " VERSION ".</footer>\n<script>//<![CDATA[\n", out);
	put_lines(out, html_script);
	fputs("//]]></script>\n</body>\n</html>\n", out);
	html_state_free(st, rep->rules ? rep->rules->n : 0);
}

const struct renderer renderer_html = { "html", html_begin, html_draw, html_put, html_end };
