/*
 * The terminal chart (text --chart). Plain ASCII, so that it survives any
 * terminal, pager, CI log or e-mail; colors only when asked.
 *
 * Each panel (loss, then accuracy) is drawn in a grid of height rows by as
 * many columns as the width leaves after the y-axis labels. Epochs map to
 * columns with chart_column: a short run is spread over the width, a long one
 * bucketed. A bucket is drawn at the MEAN of its finite values (on a log
 * scale, the mean of their logs): the trend is what a reader looks for in a
 * run of 200,000 epochs, and min/max would paint a solid band of noise. What
 * a mean would hide, a NaN or infinity, is kept apart: any non-finite value
 * in a bucket puts a `!` at the top edge of that column.
 *
 * The y-axis spans the min and max of the raw finite values (not of the
 * bucket means), so the labels are values the run really had.
 */
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../engine/rules.h"

/* Cell bits: which series fell in a cell. */
#define CELL_TRAIN 1
#define CELL_VAL 2
#define CELL_BAD 4
#define CELL_MARK 8

#define LABEL_MAX 16

int chart_log_scale(const double *a, const double *b, size_t n)
{
	double lo = INFINITY, hi = -INFINITY;
	const double *s[2] = { a, b };
	for (int k = 0; k < 2; k++) {
		if (!s[k])
			continue;
		for (size_t i = 0; i < n; i++) {
			double x = s[k][i];
			if (!isfinite(x))
				continue;
			if (x <= 0)
				return 0;
			if (x < lo)
				lo = x;
			if (x > hi)
				hi = x;
		}
	}
	return hi > lo && hi / lo > 1e3;
}

size_t chart_column(size_t i, size_t n, size_t cols)
{
	if (n <= 1 || cols <= 1)
		return 0;
	if (i >= n)
		i = n - 1;
	if (n <= cols)		/* rounded, so the last epoch is the last column */
		return (i * (cols - 1) + (n - 1) / 2) / (n - 1);
	/* Bucketed; in double so that no product of sizes can overflow. */
	size_t c = (size_t)((double)i * (double)cols / (double)n);
	return c < cols ? c : cols - 1;
}

void chart_bucket_fill(struct chart_bucket *b, size_t cols, const double *v,
		       const unsigned char *missing, size_t n, int log_scale)
{
	memset(b, 0, cols * sizeof(*b));
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		if ((missing && missing[i]) || run_value_missing(v[i]))
			continue;
		struct chart_bucket *c = &b[chart_column(i, n, cols)];
		double x = v[i];
		if (!isfinite(x) || (log_scale && x <= 0)) {
			c->bad = 1;
			continue;
		}
		c->sum += log_scale ? log10(x) : (long double)x;
		c->n++;
	}
}

char *chart_label(double x, char *buf, size_t len)
{
	if (!isfinite(x))
		return format_number(x, buf, len);
	if (x != 0 && fabs(x) < 1e-3) {
		/* 0.0001 is easy to misread; 1e-4 is not. */
		snprintf(buf, len, "%.2e", x);
	} else {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "%.3g", x);
		snprintf(buf, len, "%s", tmp);
	}
	/* Tidy the exponent and mantissa: 1.00e-04 -> 1e-4, 2.50e+06 -> 2.5e6. */
	char *e = strchr(buf, 'e');
	if (!e)
		return buf;
	char mant[32], exp[16];
	size_t m = (size_t)(e - buf);
	if (m >= sizeof(mant))
		return buf;
	memcpy(mant, buf, m);
	mant[m] = '\0';
	if (strchr(mant, '.')) {
		char *z = mant + m;
		while (z > mant && z[-1] == '0')
			*--z = '\0';
		if (z > mant && z[-1] == '.')
			z[-1] = '\0';
	}
	const char *d = e + 1;
	int neg = *d == '-';
	if (*d == '-' || *d == '+')
		d++;
	while (*d == '0' && d[1])
		d++;
	snprintf(exp, sizeof(exp), "%s%s", neg ? "-" : "", d);
	snprintf(buf, len, "%se%s", mant, exp);
	return buf;
}

struct panel {
	const char *title;
	const double *v[2];		/* training, validation; NULL when absent */
	const unsigned char *miss[2];
	int log_scale;
	double lo, hi;			/* of the finite values, log10 on a log scale */
	int any_value;			/* some finite value to scale by */
	int any_bad;
	char top[LABEL_MAX], bottom[LABEL_MAX];
	struct chart_bucket b[2][CHART_MAX_WIDTH];
};

static void panel_init(struct panel *p, const struct run *run, const char *title,
		       enum role train, enum role val, int may_log)
{
	memset(p, 0, sizeof(*p));
	p->title = title;
	enum role roles[2] = { train, val };
	for (int k = 0; k < 2; k++) {
		int idx = run->role[roles[k]];
		if (idx < 0)
			continue;
		p->v[k] = run->series[idx].v;
		p->miss[k] = run->series[idx].missing;
	}
	p->log_scale = may_log && chart_log_scale(p->v[0], p->v[1], run->n_epochs);
	p->lo = INFINITY;
	p->hi = -INFINITY;
	for (int k = 0; k < 2; k++) {
		if (!p->v[k])
			continue;
		for (size_t i = 0; i < run->n_epochs; i++) {
			if ((p->miss[k] && p->miss[k][i]) || run_value_missing(p->v[k][i]))
				continue;
			double x = p->v[k][i];
			if (!isfinite(x) || (p->log_scale && x <= 0)) {
				p->any_bad = 1;
				continue;
			}
			x = p->log_scale ? log10(x) : x;
			if (x < p->lo)
				p->lo = x;
			if (x > p->hi)
				p->hi = x;
			p->any_value = 1;
		}
	}
	if (p->any_value) {
		chart_label(p->log_scale ? pow(10, p->hi) : p->hi, p->top, sizeof(p->top));
		chart_label(p->log_scale ? pow(10, p->lo) : p->lo, p->bottom, sizeof(p->bottom));
	}
}

/* The row (0 = top) of a value in plotted space. */
static int value_row(const struct panel *p, double y, int height)
{
	if (!(p->hi > p->lo))
		return (height - 1) / 2;
	/* Halved when hi - lo overflows (a range near +-1e308). */
	double r = isfinite(p->hi - p->lo)
		   ? (p->hi - y) / (p->hi - p->lo) * (height - 1)
		   : (p->hi / 2 - y / 2) / (p->hi / 2 - p->lo / 2) * (height - 1);
	int row = (int)lround(r);
	return row < 0 ? 0 : row >= height ? height - 1 : row;
}

static const char *cell_color(char c)
{
	switch (c) {
	case '*':
		return "\033[36m";
	case 'o':
		return "\033[33m";
	case '#':
		return "\033[1m";
	case '!':
		return "\033[1;31m";
	case '^':
		return "\033[1;35m";
	}
	return "";
}

static char cell_char(unsigned char cell)
{
	if (cell & CELL_BAD)
		return '!';
	if (cell & CELL_MARK)
		return '^';
	if ((cell & (CELL_TRAIN | CELL_VAL)) == (CELL_TRAIN | CELL_VAL))
		return '#';
	if (cell & CELL_TRAIN)
		return '*';
	if (cell & CELL_VAL)
		return 'o';
	return ' ';
}

/* One row: a left margin, then cells up to the last non-empty one (no trailing blanks). */
static void emit_cells(FILE *out, const char *margin, const unsigned char *cells,
		       size_t cols, int color)
{
	size_t end = cols;
	while (end > 0 && !cells[end - 1])
		end--;
	fputs(margin, out);
	for (size_t c = 0; c < end; c++) {
		char ch = cell_char(cells[c]);
		if (color && ch != ' ')
			fprintf(out, "%s%c\033[0m", cell_color(ch), ch);
		else
			fputc(ch, out);
	}
	fputc('\n', out);
}

/*
 * Items on a line, two spaces apart, wrapped before an item that would pass
 * the width (an item longer than the width gets a line of its own).
 */
struct wrap {
	FILE *out;
	int width;
	int at;			/* columns on the current line; 0: none yet */
	const char *first;	/* margin of the first line */
	const char *next;	/* margin of the lines after it */
	int color;
};

/* One item: a glyph (0: none) and text. */
static void wrap_item(struct wrap *w, char glyph, const char *text)
{
	int len = (int)strlen(text) + (glyph ? 2 : 0);
	if (w->at && w->at + 2 + len > w->width) {
		fputc('\n', w->out);
		w->at = -1;
	}
	if (w->at <= 0) {
		const char *m = w->at == 0 ? w->first : w->next;
		fputs(m, w->out);
		w->at = (int)strlen(m);
	} else {
		fputs("  ", w->out);
		w->at += 2;
	}
	if (glyph && w->color)
		fprintf(w->out, "%s%c\033[0m ", cell_color(glyph), glyph);
	else if (glyph)
		fprintf(w->out, "%c ", glyph);
	fputs(text, w->out);
	w->at += len;
}

static void wrap_end(struct wrap *w)
{
	fputc('\n', w->out);
}

/* "1", "epoch" centered when it fits, and n right-aligned under the last column. */
static void emit_epoch_axis(FILE *out, int lw, size_t cols, size_t n)
{
	char last[32], line[CHART_MAX_WIDTH + 1];
	snprintf(last, sizeof(last), "%zu", n);
	size_t ll = strlen(last);
	memset(line, ' ', cols);
	line[cols] = '\0';
	line[0] = '1';
	if (n > 1 && ll + 2 <= cols)
		memcpy(line + cols - ll, last, ll);
	static const char word[] = "epoch";
	size_t wl = sizeof(word) - 1;
	size_t at = (cols - wl) / 2;
	if (cols >= wl + 2 * (ll + 2) && at > 2 && at + wl + 1 < cols - ll)
		memcpy(line + at, word, wl);
	size_t end = cols;
	while (end > 0 && line[end - 1] == ' ')
		end--;
	line[end] = '\0';
	fprintf(out, "%*s  %s\n", lw, "", line);
}

static void panel_print(FILE *out, const struct panel *p, size_t n, size_t cols,
			int width, int height, int lw, int color)
{
	/* The title names what is drawn, and only that. */
	struct wrap w = { out, width, 0, "", "  ", color };
	wrap_item(&w, 0, p->title);
	if (p->v[0])
		wrap_item(&w, '*', "training");
	if (p->v[1])
		wrap_item(&w, 'o', "validation");
	if (p->v[0] && p->v[1])
		wrap_item(&w, '#', "both");
	if (p->any_bad)
		wrap_item(&w, '!', "NaN or infinite");
	if (p->log_scale)
		wrap_item(&w, 0, "(log scale)");
	wrap_end(&w);

	unsigned char grid[CHART_MAX_HEIGHT][CHART_MAX_WIDTH];
	memset(grid, 0, sizeof(grid));
	for (int k = 0; k < 2; k++) {
		if (!p->v[k])
			continue;
		for (size_t c = 0; c < cols; c++) {
			const struct chart_bucket *b = &p->b[k][c];
			if (b->n)
				grid[value_row(p, (double)(b->sum / (long double)b->n), height)][c] |=
					k == 0 ? CELL_TRAIN : CELL_VAL;
			if (b->bad)
				grid[0][c] |= CELL_BAD;
		}
	}
	/* A flat series (one value) is labelled on its own row only. */
	int flat = !(p->hi > p->lo);
	int mid = (height - 1) / 2;
	char margin[LABEL_MAX + 4];
	for (int r = 0; r < height; r++) {
		const char *label = "";
		if (p->any_value) {
			if (flat)
				label = r == mid ? p->top : "";
			else
				label = r == 0 ? p->top : r == height - 1 ? p->bottom : "";
		}
		snprintf(margin, sizeof(margin), "%*s |", lw, label);
		emit_cells(out, margin, grid[r], cols, color);
	}
	fprintf(out, "%*s +", lw, "");
	for (size_t c = 0; c < cols; c++)
		fputc('-', out);
	fputc('\n', out);
	emit_epoch_axis(out, lw, cols, n);
}

/* Findings in order of detected epoch (then as given), for the legend. */
static void sort_by_epoch(const struct finding **v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1]->detected_epoch > v[j]->detected_epoch; j--) {
			const struct finding *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void markers_print(FILE *out, const struct finding *f, size_t n_f, size_t n,
			  size_t cols, int width, int lw, int color)
{
	/* There are 22 rules, each fires at most once a run: 64 is never reached,
	 * and past it a marker would be one more '^' among dozens anyway. */
	enum { LEGEND_MAX = 64 };
	const struct finding *v[LEGEND_MAX];
	size_t nv = 0;
	unsigned char row[CHART_MAX_WIDTH] = { 0 };
	for (size_t k = 0; k < n_f && nv < LEGEND_MAX; k++) {
		if (!f[k].rule || f[k].detected_epoch == 0)
			continue;
		v[nv++] = &f[k];
		size_t e = f[k].detected_epoch > n ? n : f[k].detected_epoch;
		row[chart_column(e - 1, n, cols)] = CELL_MARK;
	}
	if (!nv)
		return;
	sort_by_epoch(v, nv);
	char margin[LABEL_MAX + 4];
	snprintf(margin, sizeof(margin), "%*s  ", lw, "");
	emit_cells(out, margin, row, cols, color);

	/* The legend, wrapped at the width, each item whole on one line. */
	struct wrap w = { out, width, 0, margin, margin, color };
	for (size_t k = 0; k < nv; k++) {
		char item[160];
		snprintf(item, sizeof(item), "%zu %s", v[k]->detected_epoch, v[k]->rule->id);
		wrap_item(&w, '^', item);
	}
	wrap_end(&w);
}

void chart_print(FILE *out, const struct run *run, const struct finding *f, size_t n_f,
		 int width, int height, int color)
{
	if (!run)
		return;
	width = width < CHART_MIN_WIDTH ? CHART_MIN_WIDTH
	      : width > CHART_MAX_WIDTH ? CHART_MAX_WIDTH : width;
	height = height < CHART_MIN_HEIGHT ? CHART_MIN_HEIGHT
	       : height > CHART_MAX_HEIGHT ? CHART_MAX_HEIGHT : height;
	size_t n = run->n_epochs;
	if (n == 0) {
		fprintf(out, "(no epochs to chart)\n");
		return;
	}
	struct panel panels[2];		/* about 20 KiB: no allocation to fail or free */
	size_t np = 0;
	if (run->role[ROLE_LOSS] >= 0 || run->role[ROLE_VAL_LOSS] >= 0)
		panel_init(&panels[np++], run, "loss", ROLE_LOSS, ROLE_VAL_LOSS, 1);
	if (run->role[ROLE_ACC] >= 0 || run->role[ROLE_VAL_ACC] >= 0)
		panel_init(&panels[np++], run, "accuracy", ROLE_ACC, ROLE_VAL_ACC, 0);
	if (!np) {
		fprintf(out, "(no loss or accuracy to chart)\n");
		return;
	}
	/* One label width for both panels, so that their columns line up with the markers. */
	int lw = 1;
	for (size_t k = 0; k < np; k++) {
		int t = (int)strlen(panels[k].top), b = (int)strlen(panels[k].bottom);
		lw = t > lw ? t : lw;
		lw = b > lw ? b : lw;
	}
	size_t cols = (size_t)(width - lw - 2);
	for (size_t k = 0; k < np; k++)
		for (int s = 0; s < 2; s++)
			chart_bucket_fill(panels[k].b[s], cols, panels[k].v[s], panels[k].miss[s],
					  n, panels[k].log_scale);
	for (size_t k = 0; k < np; k++)
		panel_print(out, &panels[k], n, cols, width, height, lw, color);
	markers_print(out, f, n_f, n, cols, width, lw, color);
}
