/*
 * The HTML report (--format html): one self-contained HTML5 page for people
 * who are not ML experts, to open in a browser or attach to a ticket. No
 * network: the style is inline, the charts are inline SVG, there is no
 * script. Every string from a file or a rule goes through xmlesc_fputs, and
 * the markup is also well-formed XML (void elements closed, SVG in the SVG
 * namespace), so that both HTML and XML tools can check it.
 *
 * Per run: a header, a chart of loss and one of accuracy with a marker at
 * each finding's detected epoch, then the findings, most severe first. With
 * several runs, a table of all of them first, worst first.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/escape.h"
#include "../util/xalloc.h"
#include "chart.h"
#include "render.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

/* Longer runs are bucketed (chart_column) so the page stays small. */
#define SVG_COLS_MAX 600
/* Up to this many points, each epoch also gets a dot: a line alone hides
 * single epochs, and with one epoch there is no line at all. */
#define SVG_DOTS_MAX 60

#define SVG_W 720
#define SVG_H 240
#define PAD_L 60
#define PAD_R 16
#define PAD_T 30
#define PAD_B 34
#define PLOT_W (SVG_W - PAD_L - PAD_R)
#define PLOT_H (SVG_H - PAD_T - PAD_B)

static const char style[] =
	"body{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
	"max-width:960px;margin:0 auto;padding:1rem 1.25rem;color:#1b1b1b;background:#fff}\n"
	"h1{font-size:1.6rem;margin:.5rem 0}\n"
	"h2{font-size:1.25rem;margin:2.5rem 0 .5rem;padding-bottom:.25rem;"
	"border-bottom:2px solid #ddd;overflow-wrap:anywhere}\n"
	"h3{font-size:1.05rem;margin:.25rem 0}\n"
	".lead,.meta,.where{color:#444}\n"
	".badge{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:.78rem;"
	"font-weight:600;color:#fff;text-transform:uppercase;vertical-align:.1em}\n"
	".badge.sev-error{background:#b71c1c}.badge.sev-warning{background:#a14d00}"
	".badge.sev-info{background:#1557a0}.badge.sev-ok{background:#2e7d32}"
	".badge.sev-unread{background:#555}.badge.sev-zero{background:#e0e0e0;color:#444}\n"
	".finding{border-left:5px solid #999;padding:.5rem 1rem;margin:1rem 0;background:#fafafa}\n"
	".finding.sev-error{border-color:#b71c1c}.finding.sev-warning{border-color:#a14d00}"
	".finding.sev-info{border-color:#1557a0}\n"
	".text{margin:.4rem 0}\n"
	"code.rule{font-size:.85rem;color:#555}\n"
	"pre{background:#f0f0f0;padding:.6rem .8rem;overflow-x:auto;font-size:.85rem;margin:.5rem 0}\n"
	"details{margin:.25rem 0}summary{cursor:pointer;color:#333}\n"
	"table{border-collapse:collapse;width:100%;font-size:.92rem}\n"
	"th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}\n"
	"td.num{text-align:right}td.path{overflow-wrap:anywhere}\n"
	"figure{margin:1rem 0}figcaption{font-weight:600}figcaption .hint{font-weight:400;color:#555}\n"
	"svg{width:100%;height:auto;max-width:720px;display:block}\n"
	"svg text{font:12px system-ui,sans-serif;fill:#444}\n"
	"svg .grid{stroke:#e4e4e4}svg .axis{stroke:#888}\n"
	"svg .train{stroke:#1f5fa8;fill:none;stroke-width:2}\n"
	"svg .val{stroke:#d95f02;fill:none;stroke-width:2;stroke-dasharray:7 4}\n"
	"svg circle.train{fill:#1f5fa8;stroke:none}svg circle.val{fill:#d95f02;stroke:none}\n"
	"svg .bad{fill:#b71c1c;font-weight:700}\n"
	"svg .mk line{stroke-width:1.5;opacity:.8}\n"
	"svg .mk.sev-error line,svg .mk.sev-error path{stroke:#b71c1c;fill:#b71c1c}\n"
	"svg .mk.sev-warning line,svg .mk.sev-warning path{stroke:#a14d00;fill:#a14d00}\n"
	"svg .mk.sev-info line,svg .mk.sev-info path{stroke:#1557a0;fill:#1557a0}\n"
	/* After the severity colors and as specific: the wide hit area stays
	 * invisible (it was painted as a 10-pixel bar). */
	"svg .mk line.hit{stroke:transparent;stroke-width:10}\n"
	"footer{margin-top:3rem;color:#777;font-size:.85rem}\n";

static void esc(FILE *out, const char *s)
{
	xmlesc_fputs(out, s, 0);
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

/* One chart: a series pair, bucketed, its range, and where the epochs fall. */
struct svg_chart {
	const struct run *run;
	size_t n, cols;
	enum role role[2];		/* training, validation */
	const double *v[2];
	const unsigned char *miss[2];
	int log_scale;
	double lo, hi;			/* plotted space */
	int any_bad;
	struct chart_bucket *b[2];
	size_t *first, *last;		/* 0-based epochs of each column */
};

static double svg_x(const struct svg_chart *c, size_t col)
{
	if (c->cols <= 1)
		return PAD_L + PLOT_W / 2.0;
	return PAD_L + (double)col * PLOT_W / (double)(c->cols - 1);
}

/* Only called with a finite y inside [lo, hi], so no NaN reaches the SVG. */
static double svg_y(const struct svg_chart *c, double y)
{
	/* Halved when hi - lo overflows (a range near +-1e308). */
	double t = isfinite(c->hi - c->lo) ? (c->hi - y) / (c->hi - c->lo)
					   : (c->hi / 2 - y / 2) / (c->hi / 2 - c->lo / 2);
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return PAD_T + t * PLOT_H;
}

static double bucket_mean(const struct chart_bucket *b)
{
	return (double)(b->sum / (long double)b->n);
}

static int svg_chart_init(struct svg_chart *c, const struct run *run, enum role train,
			  enum role val, int may_log)
{
	memset(c, 0, sizeof(*c));
	c->run = run;
	c->n = run->n_epochs;
	c->role[0] = train;
	c->role[1] = val;
	for (int k = 0; k < 2; k++) {
		int idx = run->role[c->role[k]];
		if (idx >= 0) {
			c->v[k] = run->series[idx].v;
			c->miss[k] = run->series[idx].missing;
		}
	}
	if (!c->n || (!c->v[0] && !c->v[1]))
		return 0;
	c->cols = c->n < SVG_COLS_MAX ? c->n : SVG_COLS_MAX;
	c->log_scale = may_log && chart_log_scale(c->v[0], c->v[1], c->n);
	/* The range of the plotted points (bucket means), so that the lines fill
	 * the plot; each dot's hover title gives its value. */
	c->lo = INFINITY;
	c->hi = -INFINITY;
	for (int k = 0; k < 2; k++) {
		c->b[k] = xcalloc(c->cols, sizeof(*c->b[k]));
		chart_bucket_fill(c->b[k], c->cols, c->v[k], c->miss[k], c->n, c->log_scale);
		for (size_t col = 0; col < c->cols; col++) {
			const struct chart_bucket *b = &c->b[k][col];
			c->any_bad |= b->bad;
			if (!b->n)
				continue;
			double y = bucket_mean(b);
			c->lo = y < c->lo ? y : c->lo;
			c->hi = y > c->hi ? y : c->hi;
		}
	}
	if (!(c->lo <= c->hi)) {	/* nothing finite: only the NaN marks */
		c->lo = 0;
		c->hi = 1;
	} else if (!(c->hi > c->lo)) {	/* flat: centre it */
		double d = c->lo != 0 ? fabs(c->lo) * 0.1 : 0.5;
		c->lo -= d;
		c->hi += d;
	}
	c->first = xcalloc(c->cols, sizeof(*c->first));
	c->last = xcalloc(c->cols, sizeof(*c->last));
	for (size_t i = c->n; i-- > 0;)
		c->first[chart_column(i, c->n, c->cols)] = i;
	for (size_t i = 0; i < c->n; i++)
		c->last[chart_column(i, c->n, c->cols)] = i;
	return 1;
}

static void svg_chart_release(struct svg_chart *c)
{
	free(c->b[0]);
	free(c->b[1]);
	free(c->first);
	free(c->last);
}

static void svg_label(FILE *out, double x, double y, const char *anchor, const char *text)
{
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
	esc(out, text);
	fputs("</text>\n", out);
}

/* "epoch 5" or "epochs 5-9" for a column, 1-based. */
static void column_epochs(const struct svg_chart *c, size_t col, char *buf, size_t len)
{
	if (c->first[col] == c->last[col])
		snprintf(buf, len, "epoch %zu", c->first[col] + 1);
	else
		snprintf(buf, len, "epochs %zu-%zu", c->first[col] + 1, c->last[col] + 1);
}

static void svg_series(FILE *out, const struct svg_chart *c, int k, const char *cls,
		       const char *name)
{
	if (!c->v[k])
		return;
	/* A gap (missing or non-finite values only) breaks the line. */
	fprintf(out, "<path class=\"%s\" d=\"", cls);
	int pen = 0;
	for (size_t col = 0; col < c->cols; col++) {
		const struct chart_bucket *b = &c->b[k][col];
		if (!b->n) {
			pen = 0;
			continue;
		}
		fprintf(out, "%s%.1f %.1f", pen ? " L" : (col ? " M" : "M"), svg_x(c, col),
			svg_y(c, bucket_mean(b)));
		pen = 1;
	}
	fputs("\"><title>", out);
	esc(out, name);
	fputs("</title></path>\n", out);
	if (c->cols > SVG_DOTS_MAX)
		return;
	for (size_t col = 0; col < c->cols; col++) {
		const struct chart_bucket *b = &c->b[k][col];
		if (!b->n)
			continue;
		double y = bucket_mean(b);
		char val[32], ep[48];
		chart_label(c->log_scale ? pow(10, y) : y, val, sizeof(val));
		column_epochs(c, col, ep, sizeof(ep));
		fprintf(out, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>", cls,
			svg_x(c, col), svg_y(c, y));
		esc(out, name);
		fprintf(out, " %s at %s</title></circle>\n", val, ep);
	}
}

static void svg_chart_print(FILE *out, const struct svg_chart *c, const struct run_result *res,
			    const char *title, const char *hint)
{
	const struct run *run = c->run;
	fprintf(out, "<figure>\n<figcaption>%s%s <span class=\"hint\">", title,
		c->log_scale ? " (log scale)" : "");
	esc(out, hint);
	fprintf(out, "</span></figcaption>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"%s over %zu %s\">\n", SVG_W, SVG_H, title, c->n,
		plural(c->n, "epoch", "epochs"));

	/* Gridlines and y labels at the bottom, middle and top of the range. */
	for (int g = 0; g <= 2; g++) {
		double y = isfinite(c->hi - c->lo) ? c->lo + (c->hi - c->lo) * g / 2.0
						   : c->lo + (c->hi / 2 - c->lo / 2) * g;
		double py = svg_y(c, y);
		char lab[32];
		chart_label(c->log_scale ? pow(10, y) : y, lab, sizeof(lab));
		fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			PAD_L, py, PAD_L + PLOT_W, py);
		svg_label(out, PAD_L - 6, py + 4, "end", lab);
	}
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PAD_L,
		PAD_T + PLOT_H, PAD_L + PLOT_W, PAD_T + PLOT_H);
	char ep[32];
	svg_label(out, svg_x(c, 0), PAD_T + PLOT_H + 16, c->cols > 1 ? "start" : "middle", "1");
	if (c->n > 1) {
		snprintf(ep, sizeof(ep), "%zu", c->n);
		svg_label(out, svg_x(c, c->cols - 1), PAD_T + PLOT_H + 16, "end", ep);
	}
	svg_label(out, PAD_L + PLOT_W / 2.0, PAD_T + PLOT_H + 30, "middle", "epoch");

	/* Legend across the top. */
	double lx = PAD_L;
	static const char *const cls[2] = { "train", "val" };
	static const char *const what[2] = { "training", "validation" };
	for (int k = 0; k < 2; k++) {
		if (!c->v[k])
			continue;
		fprintf(out, "<line class=\"%s\" x1=\"%.1f\" y1=\"12\" x2=\"%.1f\" y2=\"12\"/>\n",
			cls[k], lx, lx + 24);
		char lab[160];
		snprintf(lab, sizeof(lab), "%s (%.100s)", what[k], run_role_name(run, c->role[k]));
		svg_label(out, lx + 30, 16, "start", lab);
		lx += 30 + 7.0 * (double)strlen(lab) + 18;
	}
	if (c->any_bad) {
		fprintf(out, "<text class=\"bad\" x=\"%.1f\" y=\"16\">!</text>\n", lx);
		svg_label(out, lx + 10, 16, "start", "NaN or infinite");
	}

	svg_series(out, c, 0, "train", what[0]);
	svg_series(out, c, 1, "val", what[1]);

	/* Non-finite values: a red "!" on the top edge, never a coordinate. */
	for (size_t col = 0; col < c->cols; col++) {
		int k0 = c->v[0] && c->b[0][col].bad, k1 = c->v[1] && c->b[1][col].bad;
		if (!k0 && !k1)
			continue;
		char eps[48];
		column_epochs(c, col, eps, sizeof(eps));
		fprintf(out, "<text class=\"bad\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"<title>%s%s%s: NaN or infinite at %s</title>!</text>\n",
			svg_x(c, col), PAD_T - 2, k0 ? what[0] : "", k0 && k1 ? " and " : "",
			k1 ? what[1] : "", eps);
	}

	/* A marker at each finding's detected epoch; hover names the rule. */
	for (size_t k = 0; k < res->n_f; k++) {
		const struct finding *f = &res->f[k];
		if (!f->detected_epoch)
			continue;
		size_t e = f->detected_epoch > c->n ? c->n : f->detected_epoch;
		double x = svg_x(c, chart_column(e - 1, c->n, c->cols));
		fprintf(out, "<g class=\"mk sev-%s\"><title>", sev_class(f->rule->severity));
		esc(out, f->rule->id);
		fputs(": ", out);
		esc(out, f->title);
		fprintf(out, " (detected at epoch %zu)</title>", f->detected_epoch);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x, PAD_T, x,
			PAD_T + PLOT_H);
		fprintf(out, "<line class=\"hit\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x,
			PAD_T, x, PAD_T + PLOT_H);
		fprintf(out, "<path d=\"M%.1f %d l-5 8 h10 z\"/></g>\n", x, PAD_T + PLOT_H);
	}
	fputs("</svg>\n</figure>\n", out);
}

static void charts(FILE *out, const struct run_result *res)
{
	struct svg_chart c;
	if (svg_chart_init(&c, res->run, ROLE_LOSS, ROLE_VAL_LOSS, 1))
		svg_chart_print(out, &c, res, "Loss",
				"Lower is better. Validation loss rising while training loss "
				"falls means the model memorizes instead of learning.");
	svg_chart_release(&c);
	if (svg_chart_init(&c, res->run, ROLE_ACC, ROLE_VAL_ACC, 0))
		svg_chart_print(out, &c, res, "Accuracy",
				"Higher is better; 1 means every example right.");
	svg_chart_release(&c);
}

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
 * Rule texts are hard-wrapped for the terminal. In a browser they read
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

static void finding_html(FILE *out, const struct report *rep, const struct run_result *res,
			 size_t run_no, size_t k)
{
	const struct finding *f = &res->f[k];
	const char *sev = sev_class(f->rule->severity);
	fprintf(out, "<article class=\"finding sev-%s\" id=\"run-%zu-%s-%zu\">\n<h3>", sev, run_no,
		"finding", k + 1);
	badge(out, sev, severity_name(f->rule->severity));
	fputc(' ', out);
	esc(out, f->title);
	fputs(" <code class=\"rule\">[", out);
	esc(out, f->rule->id);
	fputs("]</code></h3>\n<p class=\"where\">", out);
	fprintf(out, "Detected at epoch %zu", f->detected_epoch);
	if (f->line > 0)
		fprintf(out, " (line %ld of the file)", f->line);
	fputc('.', out);
	if (f->onset_epoch && f->onset_epoch < f->detected_epoch) {
		size_t late = f->detected_epoch - f->onset_epoch;
		fprintf(out, " It was visible from epoch %zu; the ", f->onset_epoch);
		esc(out, rep->schedule);
		fprintf(out, " schedule caught it %zu %s later.", late, plural(late, "epoch", "epochs"));
	}
	if (!f->persists)
		fputs(" By the end of the run this no longer held: the run recovered.", out);
	fputs("</p>\n", out);
	text_block(out, NULL, NULL, f->message);
	text_block(out, "why", NULL, f->why);
	text_block(out, "fix", "Fix:", f->fix);
	if (f->snippet && *f->snippet) {
		fputs("<pre><code>", out);
		esc(out, f->snippet);
		fputs("</code></pre>\n", out);
	}
	if (f->snippet_pytorch && *f->snippet_pytorch) {
		fputs("<details><summary>The same in PyTorch</summary><pre><code>", out);
		esc(out, f->snippet_pytorch);
		fputs("</code></pre></details>\n", out);
	}
	fputs("</article>\n", out);
}

static void run_html(FILE *out, const struct report *rep, const struct run_result *res,
		     size_t run_no)
{
	fprintf(out, "<section class=\"run\" id=\"run-%zu\">\n<h2>", run_no);
	esc(out, res->label);
	fputs("</h2>\n", out);
	if (res->error) {
		fputs("<p>", out);
		badge(out, "unread", "unreadable");
		fputs(" This file could not be read: ", out);
		esc(out, res->error);
		fputs("</p>\n</section>\n", out);
		return;
	}
	size_t c[4] = { 0 };
	for (size_t i = 0; i < res->n_f; i++)
		c[res->f[i].rule->severity]++;
	fputs("<p class=\"meta\">Read as ", out);
	esc(out, res->format);
	fprintf(out, "; %zu %s, %zu %s (", res->epochs, plural(res->epochs, "epoch", "epochs"),
		res->checks_run, plural(res->checks_run, "check", "checks"));
	esc(out, rep->schedule);
	fputs(" schedule). ", out);
	if (!res->n_f) {
		badge(out, "ok", "ok");
		fputs(" No problems found.", out);
	}
	static const char *const one[4] = { "", "info", "warning", "error" };
	static const char *const many[4] = { "", "infos", "warnings", "errors" };
	for (int s = SEV_ERROR; s >= SEV_INFO && res->n_f; s--) {
		char text[48];
		snprintf(text, sizeof(text), "%zu %s", c[s], plural(c[s], one[s], many[s]));
		/* A zero count is not an alarm: a neutral badge. */
		badge(out, c[s] ? severity_name((enum severity)s) : "zero", text);
		fputc(s > SEV_INFO ? ' ' : '.', out);
	}
	fputs("</p>\n", out);
	const struct run *run = res->run;
	if ((run && run->n_notes) || res->n_warnings) {
		fputs("<ul class=\"notes\">\n", out);
		for (size_t i = 0; run && i < run->n_notes; i++) {
			fputs("<li>Note: ", out);
			esc(out, run->notes[i]);
			fputs("</li>\n", out);
		}
		for (size_t i = 0; i < res->n_warnings; i++) {
			fputs("<li>Warning: ", out);
			esc(out, res->warnings[i]);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (run)
		charts(out, res);
	for (int s = SEV_ERROR; s >= SEV_INFO; s--)
		for (size_t k = 0; k < res->n_f; k++)
			if ((int)res->f[k].rule->severity == s)
				finding_html(out, rep, res, run_no, k);
	fputs("</section>\n", out);
}

/* Worst first: unreadable, then by severity, then more findings; stable. */
static int worse(const struct run_result *x, const struct run_result *y)
{
	int wx = x->error ? 4 : (int)run_result_worst(x);
	int wy = y->error ? 4 : (int)run_result_worst(y);
	if (wx != wy)
		return wx > wy;
	return x->n_f > y->n_f;
}

static void summary_table(FILE *out, const struct report *rep)
{
	size_t *order = xcalloc(rep->n_runs, sizeof(*order));
	for (size_t i = 0; i < rep->n_runs; i++)
		order[i] = i;
	for (size_t i = 1; i < rep->n_runs; i++)
		for (size_t j = i; j > 0 && worse(&rep->runs[order[j]], &rep->runs[order[j - 1]]); j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	fputs("<table>\n<thead><tr><th>run</th><th>epochs</th><th>worst</th>"
	      "<th>rules fired</th></tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < rep->n_runs; i++) {
		const struct run_result *r = &rep->runs[order[i]];
		fprintf(out, "<tr><td class=\"path\"><a href=\"#run-%zu\">", order[i] + 1);
		esc(out, r->label);
		fputs("</a></td>", out);
		if (r->error) {
			fputs("<td class=\"num\">-</td><td>", out);
			badge(out, "unread", "unreadable");
			fputs("</td><td>", out);
			esc(out, r->error);
			fputs("</td></tr>\n", out);
			continue;
		}
		enum severity w = run_result_worst(r);
		fprintf(out, "<td class=\"num\">%zu</td><td>", r->epochs);
		badge(out, sev_class(w), w ? severity_name(w) : "ok");
		fputs("</td><td>", out);
		for (size_t k = 0; k < r->n_f; k++) {
			fputs(k ? ", " : "", out);
			esc(out, r->f[k].rule->id);
		}
		if (!r->n_f)
			fputc('-', out);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
	free(order);
}

void render_html(FILE *out, const struct report *rep)
{
	struct tally t;
	report_tally(rep, &t);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>scram-check: ", out);
	if (rep->n_runs == 1)
		esc(out, rep->runs[0].label);
	else
		fprintf(out, "%zu runs", rep->n_runs);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
		"<h1>Training check</h1>\n<p class=\"lead\">", style);
	fprintf(out, "%zu %s checked (", t.runs, plural(t.runs, "run", "runs"));
	esc(out, rep->schedule);
	fprintf(out, " schedule): %zu %s, %zu %s, %zu %s", t.errors,
		plural(t.errors, "error", "errors"), t.warnings,
		plural(t.warnings, "warning", "warnings"), t.infos, plural(t.infos, "info", "infos"));
	if (t.unreadable)
		fprintf(out, ", %zu unreadable", t.unreadable);
	fputs(". An <em>error</em> means training broke; a <em>warning</em>, that the model "
	      "probably trained badly; an <em>info</em> is a hint.</p>\n</header>\n", out);
	if (rep->n_runs > 1)
		summary_table(out, rep);
	for (size_t i = 0; i < rep->n_runs; i++)
		run_html(out, rep, &rep->runs[i], i + 1);
	fputs("<footer>Made by scram-check " VERSION ".</footer>\n</body>\n</html>\n", out);
}
