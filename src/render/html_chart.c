/*
 * Decimation and encoding of the HTML report's chart data (html_chart.h).
 * A column that holds many points keeps its mean (the trend, as the terminal
 * chart draws it) and, in mode 3, its min and max (the noise band the mean
 * hides); a NaN or an infinity is never averaged away but listed in BAD.
 */
#include "html_chart.h"

#include <math.h>
#include <stdlib.h>

#include "../model/run.h"
#include "../util/xalloc.h"

struct column {
	long double sum;	/* of the finite values (or their logs) */
	double min, max;
	size_t n;
	int bad;
};

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The code of x in [lo, hi]; halved so that a range near +-1e308 cannot overflow. */
static unsigned code_of(double x, double lo, double hi)
{
	double span = hi / 2 - lo / 2;
	if (!(span > 0))
		return 0;
	double t = (x / 2 - lo / 2) / span;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return (unsigned)lround(t * HTML_CODE_MAX);
}

/* Codes are written in pairs: 18 bits, three characters. */
struct coder {
	FILE *out;
	unsigned held;
	int have;
};

static void put_code(struct coder *w, unsigned q)
{
	if (!w->have) {
		w->held = q;
		w->have = 1;
		return;
	}
	unsigned v = w->held << 9 | q;
	fputc(b64[(v >> 12) & 63], w->out);
	fputc(b64[(v >> 6) & 63], w->out);
	fputc(b64[v & 63], w->out);
	w->have = 0;
}

void html_series_data(FILE *out, const double *v, const unsigned char *missing, size_t n,
		      size_t cols, int minmax)
{
	if (cols > n)
		cols = n;
	if (!cols) {
		fputs("n1,0,0,0,;", out);	/* no columns, no codes */
		return;
	}
	/* Log mode when every finite value is positive: the page can then
	 * draw the series on a log axis without losing the small values. */
	int logm = 0, pos = 1;
	for (size_t i = 0; i < n; i++)
		if (!(missing && missing[i]) && !run_value_missing(v[i]) && isfinite(v[i])) {
			logm = 1;
			if (!(v[i] > 0)) {
				pos = 0;
				break;
			}
		}
	logm &= pos;
	struct column *col = xcalloc(cols, sizeof(*col));
	for (size_t c = 0; c < cols; c++) {
		col[c].min = INFINITY;
		col[c].max = -INFINITY;
	}
	for (size_t c = 0, i = 0; c < cols; c++) {
		size_t end = (size_t)((double)(c + 1) * (double)n / (double)cols);
		if (c + 1 == cols || end > n)
			end = n;
		for (; i < end; i++) {
			/* Missing (no value logged): a gap, not a NaN mark. */
			if ((missing && missing[i]) || run_value_missing(v[i]))
				continue;
			double x = v[i];
			if (!isfinite(x)) {
				col[c].bad = 1;
				continue;
			}
			if (logm)
				x = log10(x);
			col[c].sum += x;
			col[c].n++;
			col[c].min = x < col[c].min ? x : col[c].min;
			col[c].max = x > col[c].max ? x : col[c].max;
		}
	}
	double lo = INFINITY, hi = -INFINITY;
	int three = 0;
	for (size_t c = 0; c < cols; c++) {
		if (!col[c].n)
			continue;
		lo = col[c].min < lo ? col[c].min : lo;
		hi = col[c].max > hi ? col[c].max : hi;
		three |= col[c].n > 1;
	}
	three &= minmax;
	if (!(lo <= hi))
		lo = hi = 0;
	/* The bounds as the page will read them, so that codes decode to them. */
	char los[32], his[32];
	snprintf(los, sizeof(los), "%.6g", lo);
	snprintf(his, sizeof(his), "%.6g", hi);
	double rlo = strtod(los, NULL), rhi = strtod(his, NULL);
	fprintf(out, "%c%c,%zu,%s,%s,", logm ? 'l' : 'n', three ? '3' : '1', cols, los, his);
	int first = 1;
	for (size_t c = 0; c < cols; c++)
		if (col[c].bad) {
			fprintf(out, first ? "%zu" : ".%zu", c);
			first = 0;
		}
	fputc(';', out);
	struct coder w = { out, 0, 0 };
	for (size_t c = 0; c < cols; c++) {
		if (!col[c].n) {
			put_code(&w, HTML_CODE_GAP);
			if (three) {
				put_code(&w, HTML_CODE_GAP);
				put_code(&w, HTML_CODE_GAP);
			}
			continue;
		}
		double mean = (double)(col[c].sum / (long double)col[c].n);
		put_code(&w, code_of(mean, rlo, rhi));
		if (three) {
			put_code(&w, code_of(col[c].min, rlo, rhi));
			put_code(&w, code_of(col[c].max, rlo, rhi));
		}
	}
	if (w.have)
		put_code(&w, HTML_CODE_GAP);
	free(col);
}
