/*
 * CSV histories: Keras CSVLogger ("keras-csv"), pandas to_csv ("pandas-csv"),
 * Lightning metrics.csv ("lightning-csv"), per-batch logs and plain CSV with
 * numeric columns ("csv"). See ../shared/spec/history-formats.md.
 *
 * Decisions the spec leaves open, and why:
 * - The separator is the most frequent of , ; TAB outside quotes in the
 *   header line (comma on a tie): CSVLogger(separator=';') exists.
 * - The epoch column is the one named "epoch" in any case, or pandas' unnamed
 *   index. Without one, rows are epochs in file order.
 * - An epoch at or below the previous one that is 0 or the file's first epoch
 *   starts a new segment: Keras append=True after a restart. Each segment is
 *   its own run. Any other repeat or step back is an error naming the line:
 *   merging or reordering would put values at the wrong epoch, silently.
 *   Gaps (epoch 244 missing) are kept in file order, with a note.
 * - Lightning and per-batch files have several rows per epoch by design:
 *   Lightning rows merge (the last non-empty value wins), per-batch rows
 *   average (the mean of the finite values, as Keras reports an epoch).
 * - A column whose first value is text or an array is skipped with a note; a
 *   later non-number in a numeric column is an error (a corrupt row).
 * - The file is read in one pass over its bytes, row by row, each value
 *   parsed in place into the run's series: no table of every cell. Lines
 *   with quotes (or a carriage return inside) go to libcsv, the others are
 *   split in place the way libcsv would split them (blanks around a cell
 *   dropped). Column kinds come from the first value of each column, read
 *   ahead from the first data rows (the whole file only for a column that
 *   has no value anywhere, or to tell Lightning from per-batch rows). A
 *   Lightning file is read three times: which columns are per step needs
 *   every row. Errors come in file order: the first wrong line is named.
 * - Honest limits: a row has at most CSV_MAX_FIELDS fields and a line (or a
 *   quoted row) at most CSV_MAX_LINE bytes; past them the error names the
 *   limit and the line.
 * - Duplicated column names are an error: no way to tell which one is meant.
 * - Negative or fractional epochs are errors.
 */
#include <csv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "reader.h"

/* More fields than any history has (20,000 metric columns are read). */
#define CSV_MAX_FIELDS 100000
/* A longer line is no row of numbers (a 2 MiB column name is read). */
#define CSV_MAX_LINE ((size_t)16 << 20)

/* A cell: in the file itself, or in the scanner's text for a quoted one. */
struct cell {
	const char *s;
	size_t len;
};

/* The row the scanner returned last; valid until the next call. */
struct row {
	struct cell *cells;
	size_t n;
	long line;		/* where the row began */
};

/* The rows of one stretch of lines that libcsv parsed (quoted cells). */
struct table {
	struct strbuf text;	/* cells back to back, each NUL-terminated */
	size_t *off, *len;	/* per cell */
	size_t n_cells, cap_cells;
	size_t *first, *count;	/* per row: its cells */
	long *lines;
	size_t n_rows, cap_rows;
	size_t row_first;	/* first cell of the row being parsed */
	long line;		/* line being fed to the parser */
	long row_line;		/* line where that row began; 0 between rows */
	int too_wide;		/* a row has more than CSV_MAX_FIELDS fields */
};

/* Rows one at a time from the file's bytes. */
struct scan {
	const char *buf;
	size_t len;
	size_t pos;		/* next line starts here */
	long line;		/* lines read so far */
	char sep;
	struct row row;
	size_t cap;		/* cells of row */
	struct table t;		/* rows from libcsv, returned from next */
	size_t next;
	size_t t_pos, t_end;	/* where the lines of those rows start and end */
	long t_line, t_end_line;
	struct csv_parser p;
	int p_ready;
	size_t ok;		/* bytes before ok are checked text (reader.h) */
};

/* Where a scan stands between two rows: to go back there. */
struct scan_mark {
	size_t pos;		/* a line, or the first of libcsv's lines */
	long line;
	size_t next;		/* 0, or how many of libcsv's rows were read */
};

enum col_kind { COL_UNSEEN, COL_NUMBER, COL_TEXT, COL_ARRAY, COL_EPOCH, COL_STEP, COL_INDEX };
enum csv_mode { MODE_ROWS, MODE_EPOCH, MODE_LIGHTNING, MODE_BATCH };

struct csv_ctx {
	const char *path;
	struct scan sc;
	char sep;
	long header_line;
	unsigned char *unnamed;	/* per column: the header cell is empty */
	struct scan_mark data;	/* the first data row */
	size_t n_cols;
	enum col_kind *kind;
	long *series;		/* per column: series index, or -1 */
	size_t n_series;
	int epoch_col, step_col;
	int any_missing;	/* some data cell is empty */
	int pandas_nan_noted;	/* the note about empty cells as NaN was made */
	char **names;
	/* per column whose first value is text: its line and the value, for
	 * the error when the column names a metric */
	long *text_line;
	char **text_cell;
	enum csv_mode mode;
	const char *format;
	struct run **runs;
	size_t n_runs, cap_runs;
	long *seg_line;		/* first line of each segment */
	double prev_epoch, first_epoch;
	int have_prev;
	/* per-batch means of the open epoch */
	double *sum, *nonfinite;
	size_t *count;
	size_t batch_rows, max_rows;
	/* notes that hold for every segment */
	char **notes;
	size_t n_notes;
	size_t data_rows;	/* rows after the header, empty ones included */
	long empty_rows, first_empty;
	long gaps;
	char gap_note[160];
	size_t comma_decimals;
	/* MODE_EPOCH: the epoch number of each point of the current run, kept
	 * as first + i while they follow on (no array), else in ep_num */
	double ep_first;
	int ep_listed;
	double *ep_num;
	size_t cap_ep_num;
	size_t resumes;
	char resume_note[300];
	/* Lightning: per column enum lt_col, series in the epochs and steps */
	unsigned char *lt;
	long *ep_idx, *st_idx;
	int lt_open;		/* an epoch point is open */
	double lt_max_step;	/* largest step of the open epoch */
	double *fast_v;		/* fast_row: the row's values, per column */
};

static const char *cell_str(const struct row *r, size_t i)
{
	return r->cells[i].s;
}

static size_t cell_len(const struct row *r, size_t i)
{
	return r->cells[i].len;
}

/* At most max bytes of a cell, for a message, never cutting a character. */
static int quote_len(const char *s, size_t n, size_t max)
{
	return (int)utf8_prefix(s, n < max ? n : max);
}

static void on_cell(void *s, size_t len, void *data)
{
	struct table *t = data;
	if (t->n_cells - t->row_first >= CSV_MAX_FIELDS) {
		t->too_wide = 1;
		return;
	}
	if (t->n_cells == t->cap_cells) {
		size_t cap = t->cap_cells;
		xgrow(&t->off, &cap, t->n_cells + 1, sizeof(*t->off));
		t->len = xreallocarray(t->len, cap, sizeof(*t->len));
		t->cap_cells = cap;
	}
	t->off[t->n_cells] = t->text.len;
	t->len[t->n_cells] = len;
	t->n_cells++;
	if (len)
		strbuf_add(&t->text, s, len);
	strbuf_addc(&t->text, '\0');
}

static void on_row(int c, void *data)
{
	(void)c;
	struct table *t = data;
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows;
		xgrow(&t->first, &cap, t->n_rows + 1, sizeof(*t->first));
		t->count = xreallocarray(t->count, cap, sizeof(*t->count));
		t->lines = xreallocarray(t->lines, cap, sizeof(*t->lines));
		t->cap_rows = cap;
	}
	t->first[t->n_rows] = t->row_first;
	t->count[t->n_rows] = t->n_cells - t->row_first;
	t->lines[t->n_rows] = t->row_line ? t->row_line : t->line;
	t->n_rows++;
	t->row_first = t->n_cells;
	t->row_line = 0;
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

static void scan_init(struct scan *sc, const char *buf, size_t len, char sep, long line)
{
	memset(sc, 0, sizeof(*sc));
	sc->buf = buf;
	sc->len = len;
	sc->sep = sep;
	sc->line = line;
}

static void scan_release(struct scan *sc)
{
	if (sc->p_ready)
		csv_free(&sc->p);
	strbuf_release(&sc->t.text);
	free(sc->t.off);
	free(sc->t.len);
	free(sc->t.first);
	free(sc->t.count);
	free(sc->t.lines);
	free(sc->row.cells);
}

static int scan_quoted(struct scan *sc, struct read_error *err);

/*
 * Before a line or a quoted stretch is used: its bytes are UTF-8 without a
 * NUL byte (reader.h: the reader checks a large file's text as it reads).
 * -1 at a bad byte; reader.c then names it, as the file's error.
 */
static int scan_vouch(struct scan *sc, size_t upto, struct read_error *err)
{
	if (upto <= sc->ok)
		return 0;
	sc->ok = utf8_scan((const unsigned char *)sc->buf, sc->len, sc->ok, upto, 1);
	if (sc->ok >= upto)
		return 0;
	read_error_set(err, 0, "not text");
	return -1;
}

static struct scan_mark scan_mark(const struct scan *sc)
{
	if (sc->next < sc->t.n_rows)
		return (struct scan_mark){ sc->t_pos, sc->t_line, sc->next };
	return (struct scan_mark){ sc->pos, sc->line, 0 };
}

/* Go back to a mark (the rows after it are read again). */
static int scan_seek(struct scan *sc, struct scan_mark m, struct read_error *err)
{
	if (m.next > 0 && sc->t.n_rows > 0 && sc->t_pos == m.pos) {
		/* Back into the rows libcsv made last: no need to parse again. */
		sc->next = m.next;
		sc->pos = sc->t_end;
		sc->line = sc->t_end_line;
		return 0;
	}
	if (sc->p_ready) {
		/* A fresh parser: the old one may have been mid-row. */
		csv_free(&sc->p);
		sc->p_ready = 0;
	}
	sc->pos = m.pos;
	sc->line = m.line;
	sc->next = sc->t.n_rows = 0;
	if (m.next == 0)
		return 0;
	if (scan_quoted(sc, err))
		return -1;
	sc->next = m.next;
	return 0;
}

static void row_room(struct scan *sc, size_t n)
{
	if (n > sc->cap)
		xgrow(&sc->row.cells, &sc->cap, n, sizeof(*sc->row.cells));
}

static void error_too_wide(struct read_error *err, long line)
{
	read_error_set(err, line, "more than %d fields, the most a row may have", CSV_MAX_FIELDS);
}

static void error_too_long(struct read_error *err, long line)
{
	read_error_set(err, line, "a line longer than %zu MiB, the most a row may be",
		       CSV_MAX_LINE >> 20);
}

/*
 * Lines with quotes or a carriage return inside go to libcsv, with the
 * lines after them while a quoted cell is open; the rows it makes wait in
 * sc->t. A row's line is where it began (a quoted cell may span lines).
 */
static int scan_quoted(struct scan *sc, struct read_error *err)
{
	struct table *t = &sc->t;
	if (!sc->p_ready) {
		if (csv_init(&sc->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
			read_error_set(err, 0, "cannot start the CSV parser");
			return -1;
		}
		csv_set_delim(&sc->p, (unsigned char)sc->sep);
		/* libcsv grows a field by the block size: large blocks keep a
		 * 16 MiB cell to a few reallocations. */
		csv_set_blk_size(&sc->p, (size_t)1 << 20);
		sc->p_ready = 1;
	}
	t->text.len = 0;
	t->n_cells = t->n_rows = t->row_first = 0;
	t->row_line = 0;
	sc->next = 0;
	sc->t_pos = sc->pos;
	sc->t_line = sc->line;
	/* Where the stretch ends, before libcsv copies any of it: a quote
	 * left open over megabytes is refused at once. */
	size_t quotes = 0, start = sc->pos, end = sc->pos;
	long first = 0, lines = 0;
	do {
		const char *line = sc->buf + end;
		const char *nl = memchr(line, '\n', sc->len - end);
		size_t n = nl ? (size_t)(nl - line) + 1 : sc->len - end;
		lines++;
		if (!first && !is_blank(line, n))
			first = sc->line + lines;
		if (end + n - start > CSV_MAX_LINE) {
			error_too_long(err, first ? first : sc->line + lines);
			return -1;
		}
		for (const char *q = line; (q = memchr(q, '"', n - (size_t)(q - line))); q++)
			quotes++;
		end += n;
	} while ((quotes & 1) && end < sc->len);
	if (scan_vouch(sc, end, err))
		return -1;
	quotes = 0;
	int ended = 0;
	do {
		const char *line = sc->buf + sc->pos;
		const char *nl = memchr(line, '\n', sc->len - sc->pos);
		size_t n = nl ? (size_t)(nl - line) + 1 : sc->len - sc->pos;
		t->line = ++sc->line;
		if (!t->row_line && !is_blank(line, n))
			t->row_line = t->line;
		for (const char *q = line; (q = memchr(q, '"', n - (size_t)(q - line))); q++)
			quotes++;
		if (csv_parse(&sc->p, line, n, on_cell, on_row, t) != n) {
			read_error_set(err, t->line, "malformed quoting: a quote inside an "
				       "unquoted field, or text after a closing quote");
			return -1;
		}
		if (t->too_wide) {
			error_too_wide(err, t->row_line ? t->row_line : t->line);
			return -1;
		}
		sc->pos += n;
		ended = nl != NULL;
	} while ((quotes & 1) && sc->pos < sc->len);
	if (sc->pos >= sc->len && (!ended || (quotes & 1))) {
		if (csv_fini(&sc->p, on_cell, on_row, t) != 0) {
			read_error_set(err, t->row_line ? t->row_line : t->line,
				       "unterminated quoted field");
			return -1;
		}
		if (t->too_wide) {
			error_too_wide(err, t->row_line ? t->row_line : t->line);
			return -1;
		}
	}
	sc->t_end = sc->pos;
	sc->t_end_line = sc->line;
	return 0;
}

/*
 * The next row: 1, or 0 at the end, or -1 with err set. Lines of blanks
 * only are no rows (as libcsv has it); ",," is a row of empty cells.
 */
static int scan_next(struct scan *sc, struct read_error *err)
{
	const char sep = sc->sep;
	for (;;) {
		if (sc->next < sc->t.n_rows) {
			struct table *t = &sc->t;
			size_t r = sc->next++, n = t->count[r];
			row_room(sc, n);
			for (size_t i = 0; i < n; i++)
				sc->row.cells[i] = (struct cell){ t->text.buf + t->off[t->first[r] + i],
								  t->len[t->first[r] + i] };
			sc->row.n = n;
			sc->row.line = t->lines[r];
			return 1;
		}
		if (sc->pos >= sc->len)
			return 0;
		const char *line = sc->buf + sc->pos;
		const char *nl = memchr(line, '\n', sc->len - sc->pos);
		size_t n = nl ? (size_t)(nl - line) + 1 : sc->len - sc->pos;
		if (scan_vouch(sc, sc->pos + n, err))
			return -1;
		size_t end = nl ? n - 1 : n;
		while (end && line[end - 1] == '\r')
			end--;
		if (memchr(line, '"', end) || memchr(line, '\r', end)) {
			if (scan_quoted(sc, err))
				return -1;
			continue;
		}
		if (n > CSV_MAX_LINE) {
			error_too_long(err, sc->line + 1);
			return -1;
		}
		sc->pos += n;
		sc->line++;
		size_t i = 0;
		while (i < end && (line[i] == ' ' || line[i] == '\t') && line[i] != sep)
			i++;
		if (i == end)
			continue;
		/* Split at the separator; blanks around each cell go, as libcsv
		 * drops them from unquoted fields. */
		size_t k = 0, from = 0;
		for (;;) {
			const char *s = memchr(line + from, sep, end - from);
			size_t to = s ? (size_t)(s - line) : end;
			size_t a = from, b = to;
			/* Blanks are at most ' ': one test for most cells. */
			while (a < b && (unsigned char)line[a] <= ' ' &&
			       (line[a] == ' ' || line[a] == '\t'))
				a++;
			while (b > a && (unsigned char)line[b - 1] <= ' ' &&
			       (line[b - 1] == ' ' || line[b - 1] == '\t'))
				b--;
			if (k == CSV_MAX_FIELDS) {
				error_too_wide(err, sc->line);
				return -1;
			}
			row_room(sc, k + 1);
			sc->row.cells[k++] = (struct cell){ line + a, b - a };
			if (!s)
				break;
			from = to + 1;
		}
		sc->row.n = k;
		sc->row.line = sc->line;
		return 1;
	}
}
/*
 * The most frequent of , ; TAB outside quotes on the first line holding any
 * (a title line such as "model_history_log" may come before the header).
 */
static char pick_separator(const char *buf, size_t len)
{
	size_t i = 0, n[3] = { 0, 0, 0 };
	int quoted = 0;
	for (int lines = 0; i < len && lines < 5; i++) {
		if (buf[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			n[0] += buf[i] == ',', n[1] += buf[i] == ';', n[2] += buf[i] == '\t';
		if (buf[i] == '\n' && !quoted && (lines++, n[0] + n[1] + n[2] > 0))
			break;
	}
	if (n[1] > n[0] && n[1] >= n[2])
		return ';';
	if (n[2] > n[0] && n[2] > n[1])
		return '\t';
	return ',';
}

static void ctx_note(struct csv_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void ctx_note(struct csv_ctx *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->notes = xreallocarray(c->notes, c->n_notes + 1, sizeof(*c->notes));
	c->notes[c->n_notes++] = xstrdup(buf);
}

/* A header name without surrounding blanks; unnamed ones get "column N". */
static char *col_name(const struct row *header, size_t col)
{
	const char *s = cell_str(header, col);
	size_t n = cell_len(header, col);
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return xasprintf("column %zu", col + 1);
	return xstrndup(s, n);
}

static int is_step_name(const char *s)
{
	static const char *const names[] = { "step", "batch", "iteration", "iter",
					     "global_step", "batch_idx" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i]) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorting keeps 20,000 columns fast; a pairwise check would be quadratic. */
static int check_duplicates(char **names, size_t n, long line, struct read_error *err)
{
	char **sorted = xreallocarray(NULL, n ? n : 1, sizeof(*sorted));
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	int rc = 0;
	for (size_t i = 1; i < n && rc == 0; i++)
		if (strcmp(sorted[i - 1], sorted[i]) == 0) {
			read_error_set(err, line, "column '%s' appears twice", sorted[i]);
			rc = -1;
		}
	free(sorted);
	return rc;
}

/* Find the epoch and step columns; check the names. */
static int scan_header(struct csv_ctx *c, struct read_error *err)
{
	char **names = c->names;
	c->epoch_col = c->step_col = -1;
	for (size_t i = 0; i < c->n_cols; i++) {
		c->kind[i] = COL_UNSEEN;
		int unnamed = c->unnamed[i];
		if (c->epoch_col < 0 && (strcasecmp(names[i], "epoch") == 0 ||
					 (i == 0 && unnamed))) {
			c->epoch_col = (int)i;
			c->kind[i] = COL_EPOCH;
		} else if (c->step_col < 0 && is_step_name(names[i])) {
			c->step_col = (int)i;
			c->kind[i] = COL_STEP;
		}
	}
	/* R's write.csv: row names in an unnamed first column, and an epoch column. */
	if (c->epoch_col == 0 && c->unnamed[0]) {
		for (size_t i = 1; i < c->n_cols; i++)
			if (strcasecmp(names[i], "epoch") == 0) {
				c->kind[0] = COL_INDEX;
				c->kind[i] = COL_EPOCH;
				c->epoch_col = (int)i;
				if (c->step_col == (int)i)
					c->step_col = -1;
				ctx_note(c, "the unnamed first column (row names) is skipped; "
					 "'%s' numbers the epochs", names[i]);
				break;
			}
	}
	size_t numeric_names = 0;
	for (size_t i = 0; i < c->n_cols; i++) {
		double v;
		numeric_names += parse_number(names[i], strlen(names[i]), &v) == 0;
	}
	if (numeric_names == c->n_cols) {
		read_error_set(err, c->header_line,
			       "the first row holds numbers, not column names; add a header row");
		return -1;
	}
	return check_duplicates(names, c->n_cols, c->header_line, err);
}

static int row_is_empty(const struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (!is_blank(cell_str(r, i), cell_len(r, i)))
			return 0;
	return 1;
}

/*
 * A decimal longer than parse_number takes (64 characters and more: a
 * Decimal or mpmath value written in full): the same characters, strtod.
 */
static int long_number(const char *s, size_t n, double *v)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n < 64 || n > 4096)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || strchr(".eE+-", s[i])))
			return -1;
	char *tmp = xstrndup(s, n), *end;
	*v = strtod(tmp, &end);
	int rc = end == tmp + n ? 0 : -1;
	free(tmp);
	return rc;
}

/* parse_number, also taking a decimal comma when ';' separates the cells. */
static int cell_number(struct csv_ctx *c, const char *s, size_t n, double *v)
{
	if (parse_number(s, n, v) == 0 || long_number(s, n, v) == 0)
		return 0;
	const char *comma = memchr(s, ',', n);
	if (c->sep != ';' || !comma || n >= 64 || memchr(comma + 1, ',', n - (size_t)(comma - s) - 1))
		return -1;
	char tmp[64];
	memcpy(tmp, s, n);
	tmp[comma - s] = '.';
	if (parse_number(tmp, n, v))
		return -1;
	c->comma_decimals++;
	return 0;
}

/* For a cell that is a number written with a decimal comma in a file whose
 * cells are separated by commas: say so, rather than only "not a number". */
static const char *comma_hint(const struct csv_ctx *c, const char *s, size_t n)
{
	const char *comma = memchr(s, ',', n);
	double v;
	if (c->sep == ';' || !comma || n >= 64 || memchr(comma + 1, ',', n - (size_t)(comma - s) - 1))
		return "";
	char tmp[64];
	memcpy(tmp, s, n);
	tmp[comma - s] = '.';
	if (parse_number(tmp, n, &v))
		return "";
	return " (a decimal comma: with ',' between cells, write 1.5, not \"1,5\"; "
	       "or separate the cells with ';')";
}

static void classify_cell(struct csv_ctx *c, size_t col, const char *s, size_t n)
{
	if (is_missing_marker(s, n)) {
		c->any_missing = 1;
		return;
	}
	if (c->kind[col] != COL_UNSEEN)
		return;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	double v;
	if (*s == '[' || *s == '(')
		c->kind[col] = COL_ARRAY;
	else
		c->kind[col] = cell_number(c, s, n, &v) == 0 ? COL_NUMBER : COL_TEXT;
}

/* "0,5", "-12,25": a decimal comma (what Excel writes in many locales). */
static int decimal_comma(const char *s, size_t n)
{
	size_t i = 0, digits = 0, commas = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i < n && s[i] == '-')
		i++;
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == ',' && digits && !commas)
			commas++;
		else
			return 0;
	}
	return commas == 1 && s[n - 1] != ',';
}

/*
 * Check a data row's width and decide the kind of each column still unseen
 * from its first value. 1 for a row to read, 0 for an empty one, -1 with
 * err set.
 */
static int check_row(struct csv_ctx *c, const struct row *row, struct read_error *err)
{
	if (row_is_empty(row))
		return 0;
	if (row->n != c->n_cols) {
		read_error_set(err, row->line, "expected %zu fields, found %zu", c->n_cols, row->n);
		return -1;
	}
	return 1;
}

/* Look ahead from the first data row until every column has its kind (and,
 * when the mode hangs on it, until a missing cell shows), then go back. */
static int classify_columns(struct csv_ctx *c, struct read_error *err)
{
	/* Lightning or per-batch: a missing cell anywhere decides. */
	int need_missing = c->epoch_col == 0 && c->step_col >= 0 &&
			   strcmp(c->names[0], "epoch") == 0 &&
			   strcmp(c->names[c->step_col], "step") == 0;
	size_t unseen = 0;
	for (size_t i = 0; i < c->n_cols; i++)
		unseen += c->kind[i] == COL_UNSEEN;
	int rc = 0;
	while ((unseen || (need_missing && !c->any_missing)) &&
	       (rc = scan_next(&c->sc, err)) > 0) {
		const struct row *row = &c->sc.row;
		int k = check_row(c, row, err);
		if (k < 0)
			return -1;
		if (k == 0)
			continue;
		for (size_t i = 0; i < c->n_cols; i++) {
			const char *s = cell_str(row, i);
			size_t n = cell_len(row, i);
			enum col_kind before = c->kind[i];
			classify_cell(c, i, s, n);
			if (before != COL_UNSEEN || c->kind[i] == COL_UNSEEN)
				continue;
			unseen--;
			if (c->kind[i] == COL_TEXT && decimal_comma(s, n)) {
				read_error_set(err, row->line, "column '%s': '%.*s' is a number with "
					       "a decimal comma, quoted between commas; save the file "
					       "with a decimal point, or with ';' between fields",
					       c->names[i], quote_len(s, n, 40), s);
				return -1;
			}
			if (c->kind[i] == COL_TEXT) {
				c->text_line[i] = row->line;
				c->text_cell[i] = xstrndup(s, (size_t)quote_len(s, n, 40));
			}
		}
		file_release_before(c->sc.buf, c->sc.pos);
	}
	if (rc < 0)
		return -1;
	return scan_seek(&c->sc, c->data, err);
}
/* List the columns found, for the "no metric columns" error. */
static void list_columns(char **names, size_t n, char *out, size_t outlen)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && off + 1 < outlen; i++) {
		int w = snprintf(out + off, outlen - off, "%s'%s'", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	if (off >= outlen && outlen > 4)
		strcpy(out + outlen - 4, "...");
}

/* Does the name play a role the checks know (loss, val_loss, acc, ...)? */
static int names_role(const char *name)
{
	struct run *probe = run_new("", "csv");
	run_add_series(probe, name);
	run_set(probe, 0, run_add_epoch(probe, 0), 0);
	int any = 0;
	run_map_roles(probe);
	for (int r = 0; r < ROLE_COUNT; r++)
		any |= probe->role[r] >= 0 && r != ROLE_LR;
	run_free(probe);
	return any;
}

/* The error for the first non-number of a metric column, with line and
 * column: its first value, since the column's kind came from it. */
static int text_in_metric(struct csv_ctx *c, size_t col, struct read_error *err)
{
	const char *s = c->text_cell[col];
	read_error_set(err, c->text_line[col], "column %zu '%s': '%s' is not a number%s",
		       col + 1, c->names[col], s, comma_hint(c, s, strlen(s)));
	return -1;
}

static int assign_series(struct csv_ctx *c, struct read_error *err)
{
	char **names = c->names;
	char skipped[256] = "";
	size_t n_skipped = 0;
	for (size_t i = 0; i < c->n_cols; i++) {
		c->series[i] = -1;
		if (c->kind[i] == COL_NUMBER || c->kind[i] == COL_UNSEEN) {
			c->series[i] = (long)c->n_series++;
		} else if (c->kind[i] == COL_TEXT && names_role(names[i])) {
			/* A loss or accuracy column that holds a word: a corrupt
			 * file, not a column of labels to pass over. */
			return text_in_metric(c, i, err);
		} else if (c->kind[i] == COL_TEXT || c->kind[i] == COL_ARRAY) {
			if (n_skipped++ < 4) {
				size_t off = strlen(skipped);
				snprintf(skipped + off, sizeof(skipped) - off, "%s'%s' (%s)",
					 off ? ", " : "", names[i],
					 c->kind[i] == COL_TEXT ? "text" : "array values");
			}
		}
	}
	if (n_skipped)
		ctx_note(c, "%zu column%s skipped, not numbers: %s%s", n_skipped,
			 n_skipped == 1 ? "" : "s", skipped, n_skipped > 4 ? ", ..." : "");
	if (c->n_series == 0) {
		char list[400];
		list_columns(names, c->n_cols, list, sizeof(list));
		read_error_set(err, c->header_line, "no metric columns (found %s)", list);
		return -1;
	}
	return 0;
}

static int has_name(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/*
 * Ultralytics results.csv (YOLOv5 and v8+): per-epoch rows with train/ and
 * val/ losses and metrics/ scores (v5 pads every name to 20 columns, which
 * col_name trims), x/lr0 or lr/pg0 learning rates.
 */
static int is_yolo(char **names, size_t n)
{
	int losses = 0, marks = 0;
	for (size_t i = 0; i < n; i++) {
		losses += strncmp(names[i], "train/", 6) == 0 || strncmp(names[i], "val/", 4) == 0;
		marks += strncmp(names[i], "metrics/", 8) == 0 || strncmp(names[i], "x/lr", 4) == 0 ||
			 strncmp(names[i], "lr/pg", 5) == 0;
	}
	return losses > 0 && marks > 0;
}

/* Where the log came from, for the snippets. */
static enum framework csv_framework(const struct csv_ctx *c)
{
	if (c->mode == MODE_LIGHTNING)
		return FW_LIGHTNING;
	if (strcmp(c->format, "yolo-csv") == 0)
		return FW_YOLO;
	if (strcmp(c->format, "keras-csv") == 0)
		return FW_KERAS;
	return FW_UNKNOWN;
}

static void decide_mode(struct csv_ctx *c)
{
	char **names = c->names;
	int lightning = c->epoch_col >= 0 && c->step_col >= 0 &&
			strcmp(names[c->epoch_col], "epoch") == 0 &&
			strcmp(names[c->step_col], "step") == 0 &&
			(c->epoch_col != 0 || c->any_missing);
	if (c->epoch_col < 0) {
		c->mode = MODE_ROWS;
		c->format = has_name(names, c->n_cols, "loss") ? "pandas-csv" : "csv";
	} else if (lightning) {
		c->mode = MODE_LIGHTNING;
		c->format = "lightning-csv";
	} else if (c->step_col >= 0) {
		c->mode = MODE_BATCH;
		c->format = "csv";
	} else {
		c->mode = MODE_EPOCH;
		if (c->unnamed[c->epoch_col])
			c->format = "pandas-csv";
		else if (is_yolo(names, c->n_cols))
			c->format = "yolo-csv";
		else if (c->epoch_col == 0 && strcmp(names[0], "epoch") == 0)
			c->format = "keras-csv";
		else
			c->format = "csv";
	}
}

static struct run *cur_run(const struct csv_ctx *c)
{
	return c->runs[c->n_runs - 1];
}

static void start_segment(struct csv_ctx *c, long line)
{
	struct run *run = run_new(c->path, c->format);
	for (size_t i = 0; i < c->n_cols; i++)
		if (c->series[i] >= 0)
			run_add_series(run, c->names[i]);
	run->header_line = c->header_line;
	/* The first run's rows, guessed from the bytes left (rows of numbers
	 * take some 32 bytes or more): a short history fills its series in one
	 * allocation. At most 4096: a large one grows as before. */
	if (c->n_runs == 0) {
		size_t left = c->sc.len - c->sc.pos, guess = left / 32 + 1;
		if (left > ((size_t)4 << 20) && (c->mode == MODE_EPOCH || c->mode == MODE_ROWS)) {
			/* A large file of one point a row: as many rows as the
			 * first one's length gives, and an eighth more, in one
			 * allocation (room not filled is never touched, so costs
			 * no memory). Per-batch rows make far fewer points. */
			const char *row = c->sc.buf + c->sc.pos;
			const char *nl = memchr(row, '\n', left < 65536 ? left : 65536);
			size_t len = nl ? (size_t)(nl - row) + 1 : 65536;
			guess = left / (len < 8 ? 8 : len);
			run_reserve(run, guess + guess / 8 + 1);
		} else {
			run_reserve(run, guess < 4096 ? guess : 4096);
		}
	}
	xgrow(&c->runs, &c->cap_runs, c->n_runs + 1, sizeof(*c->runs));
	c->seg_line = xreallocarray(c->seg_line, c->cap_runs, sizeof(*c->seg_line));
	c->seg_line[c->n_runs] = line;
	c->runs[c->n_runs++] = run;
}

static void batch_add(struct csv_ctx *c, size_t s, double v)
{
	if (isfinite(v)) {
		c->sum[s] += v;
		c->count[s]++;
	} else if (isnan(v) || c->nonfinite[s] == 0) {
		c->nonfinite[s] = v;	/* 0 means none: a non-finite value is never 0 */
	}
}

/* Close the open per-batch epoch: the mean of the finite values, else the non-finite one. */
static void batch_flush(struct csv_ctx *c)
{
	if (c->mode != MODE_BATCH || c->n_runs == 0 || cur_run(c)->n_epochs == 0)
		return;
	struct run *run = cur_run(c);
	size_t ep = run->n_epochs - 1;
	for (size_t s = 0; s < c->n_series; s++) {
		if (c->count[s])
			run_set(run, s, ep, c->sum[s] / (double)c->count[s]);
		else if (c->nonfinite[s] != 0)
			run_set(run, s, ep, c->nonfinite[s]);
		c->sum[s] = 0;
		c->count[s] = 0;
		c->nonfinite[s] = 0;
	}
}

static int set_cells(struct csv_ctx *c, const struct row *row, size_t ep,
		     struct read_error *err)
{
	struct run *run = cur_run(c);
	for (size_t i = 0; i < c->n_cols; i++) {
		if (c->series[i] < 0)
			continue;
		const char *s = cell_str(row, i);
		size_t n = cell_len(row, i);
		double v;
		/* Most cells: a plain number, without blanks around it (the
		 * fast path is what parse_number would try first). */
		if (n && ((s[0] >= '0' && s[0] <= '9') || s[0] == '-') &&
		    ((n < 64 && parse_decimal_fast(s, n, &v)) || parse_number(s, n, &v) == 0)) {
			if (c->mode == MODE_BATCH)
				batch_add(c, (size_t)c->series[i], v);
			else
				run_set(run, (size_t)c->series[i], ep, v);
			continue;
		}
		if (n == 0 && c->mode == MODE_EPOCH && strcmp(c->format, "pandas-csv") == 0) {
			/* DataFrame.to_csv writes NaN as an empty cell, and a
			 * history's lists are all as long: empty here is NaN. */
			run_set(run, (size_t)c->series[i], ep, NAN);
			if (!c->pandas_nan_noted++)
				run_note(run, "empty cells read as NaN, as pandas writes them (first: "
					 "column '%s', line %ld)", c->names[i], row->line);
			continue;
		}
		if (is_missing_marker(s, n))
			continue;
		if (cell_number(c, s, n, &v)) {
			read_error_set(err, row->line, "column '%s': '%.*s' is not a number%s",
				       c->names[i], quote_len(s, n, 40), s, comma_hint(c, s, n));
			return -1;
		}
		if (c->mode == MODE_BATCH)
			batch_add(c, (size_t)c->series[i], v);
		else
			run_set(run, (size_t)c->series[i], ep, v);
	}
	return 0;
}

static int new_epoch(struct csv_ctx *c, const struct row *row, struct read_error *err)
{
	batch_flush(c);
	if (c->n_runs == 0)
		start_segment(c, row->line);
	c->batch_rows = 1;
	size_t ep = run_add_epoch(cur_run(c), row->line);
	return set_cells(c, row, ep, err);
}

/* Another row of the open epoch (Lightning, per-batch). */
static int same_epoch(struct csv_ctx *c, const struct row *row, struct read_error *err)
{
	if (++c->batch_rows > c->max_rows)
		c->max_rows = c->batch_rows;
	return set_cells(c, row, cur_run(c)->n_epochs - 1, err);
}

static int parse_epoch(const struct csv_ctx *c, const struct row *row, double *e,
		       struct read_error *err)
{
	const char *s = cell_str(row, (size_t)c->epoch_col);
	size_t n = cell_len(row, (size_t)c->epoch_col);
	/* Most epochs are a few digits: their value at once (below 10^15,
	 * exact, whole and in range: the checks below hold). */
	if (n && n < 16) {
		uint64_t k = 0;
		size_t i = 0;
		while (i < n && (unsigned)(s[i] - '0') <= 9)
			k = k * 10 + (uint64_t)(s[i++] - '0');
		if (i == n) {
			*e = (double)k;
			return 0;
		}
	}
	if (parse_number(s, n, e) || !isfinite(*e) || floor(*e) != *e) {
		read_error_set(err, row->line, "epoch '%.*s' is not a whole number",
			       quote_len(s, n, 40), s);
		return -1;
	}
	if (*e < 0) {
		read_error_set(err, row->line, "epoch %.0f is negative", *e);
		return -1;
	}
	/* Beyond 2^53 doubles skip whole numbers: epochs would compare and
	 * print wrong. */
	if (*e > 9007199254740991.0) {
		read_error_set(err, row->line, "epoch '%.*s' is too large", quote_len(s, n, 40), s);
		return -1;
	}
	return 0;
}

static void note_gap(struct csv_ctx *c, const struct row *row, double e)
{
	if (c->gaps++ == 0)
		snprintf(c->gap_note, sizeof(c->gap_note),
			 "epoch numbers skip from %.0f to %.0f at line %ld", c->prev_epoch, e,
			 row->line);
}

/* The epoch number of point i of the current run (MODE_EPOCH). */
static double ep_at(const struct csv_ctx *c, size_t i)
{
	return c->ep_listed ? c->ep_num[i] : c->ep_first + (double)i;
}

/* Point n - 1 of the current run is epoch e. */
static void ep_push(struct csv_ctx *c, size_t n, double e)
{
	if (n == 1 && !c->ep_listed) {
		c->ep_first = e;
		return;
	}
	if (!c->ep_listed && e == c->ep_first + (double)(n - 1))
		return;
	if (!c->ep_listed) {
		/* A gap: from here on the numbers are listed. */
		xgrow(&c->ep_num, &c->cap_ep_num, n, sizeof(*c->ep_num));
		for (size_t i = 0; i + 1 < n; i++)
			c->ep_num[i] = c->ep_first + (double)i;
		c->ep_listed = 1;
	}
	xgrow(&c->ep_num, &c->cap_ep_num, n, sizeof(*c->ep_num));
	c->ep_num[n - 1] = e;
}

/*
 * Keras fit(initial_epoch=k) after a restart, with CSVLogger(append=True):
 * the epoch counter falls back to k > 0 and the same run goes on. The rows
 * of epochs k and later already read are replaced by the newer ones. 1 when
 * the current run holds epoch e (the overlap was dropped), else 0.
 */
static int resume_at(struct csv_ctx *c, const struct row *row, double e)
{
	struct run *run = cur_run(c);
	size_t i = run->n_epochs;
	while (i > 0 && ep_at(c, i - 1) >= e)
		i--;
	if (i == run->n_epochs || ep_at(c, i) != e)
		return 0;
	size_t dropped = run->n_epochs - i;
	while (run->n_epochs > i)
		run_drop_last(run);
	c->resumes++;
	if (c->resumes == 1)
		snprintf(c->resume_note, sizeof(c->resume_note),
			 "the epoch counter falls back from %.0f to %.0f at line %ld: training "
			 "resumed (Keras initial_epoch=%.0f, CSVLogger append=True); the %zu "
			 "earlier row%s of epochs %.0f to %.0f are replaced by the newer ones",
			 c->prev_epoch, e, row->line, e, dropped, dropped == 1 ? "" : "s", e,
			 c->prev_epoch);
	return 1;
}

static int take_epoch_row(struct csv_ctx *c, const struct row *row, struct read_error *err)
{
	double e;
	int merge = c->mode == MODE_LIGHTNING || c->mode == MODE_BATCH;
	const char *s = cell_str(row, (size_t)c->epoch_col);
	if (is_missing_marker(s, cell_len(row, (size_t)c->epoch_col))) {
		if (c->mode == MODE_LIGHTNING && c->have_prev)
			return same_epoch(c, row, err);
		read_error_set(err, row->line, "missing epoch number");
		return -1;
	}
	if (parse_epoch(c, row, &e, err))
		return -1;
	if (!c->have_prev && c->n_runs == 0) {
		c->first_epoch = e;
	} else if (c->have_prev) {
		int back = e < c->prev_epoch || (e == c->prev_epoch && !merge);
		if (e < c->prev_epoch && e > 0 && e != c->first_epoch && c->mode == MODE_EPOCH &&
		    resume_at(c, row, e)) {
			/* Rows from epoch e on are the newer ones; resume_at dropped the old. */
		} else if (back && (e == 0 || e == c->first_epoch)) {
			batch_flush(c);
			start_segment(c, row->line);
			c->ep_listed = 0;
		} else if (e == c->prev_epoch && merge) {
			return same_epoch(c, row, err);
		} else if (e == c->prev_epoch) {
			read_error_set(err, row->line, "epoch %.0f repeats", e);
			return -1;
		} else if (back) {
			read_error_set(err, row->line,
				       "epoch %.0f comes after epoch %.0f; epochs must increase "
				       "(only a fall back to %.0f starts a new run)",
				       e, c->prev_epoch, c->first_epoch);
			return -1;
		} else if (e > c->prev_epoch + 1 && c->mode == MODE_EPOCH) {
			note_gap(c, row, e);
		}
	}
	c->prev_epoch = e;
	c->have_prev = 1;
	if (new_epoch(c, row, err))
		return -1;
	if (c->mode == MODE_EPOCH)
		ep_push(c, cur_run(c)->n_epochs, e);
	return 0;
}

/*
 * Lightning's CSVLogger writes one row per logging call: step rows (values
 * logged in training_step, every log_every_n_steps), validation rows and
 * epoch rows (on_epoch values) at the step of the epoch's last batch, and
 * LearningRateMonitor rows (lr-Adam) with an empty epoch. A column is a step
 * column when its name says so (`*_step`, `lr-*`) or when the file shows it
 * logged per step: twice in one epoch, or before the epoch's last step, or
 * on a row without an epoch. Step columns go to the steps, one point per
 * logged step; the others (`*_epoch`, validation) to the epochs. A step
 * column without a `_step` suffix (self.log in training_step, on_step only)
 * also goes to the epochs as the epoch's mean: one batch never stands for an
 * epoch. `*_step` columns have their `*_epoch` twin; lr-* stays on the steps.
 */
enum lt_col { LT_EPOCH, LT_STEP, LT_BOTH };

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcasecmp(s + n - m, end) == 0;
}

static double row_number(const struct row *row, int col)
{
	double v;
	if (col < 0)
		return NAN;
	const char *s = cell_str(row, (size_t)col);
	size_t n = cell_len(row, (size_t)col);
	if (is_missing_marker(s, n) || parse_number(s, n, &v) || !isfinite(v))
		return NAN;
	return v;
}

static int has_cell(const struct row *row, size_t col)
{
	return !is_missing_marker(cell_str(row, col), cell_len(row, col));
}

/*
 * Which columns are logged per step; see above. Two passes over the rows:
 * the largest step of each block (a run of rows of one epoch; rows without
 * one do not break it), then the columns, block by block.
 */
static int lt_classify(struct csv_ctx *c, struct read_error *err)
{
	size_t nc = c->n_cols;
	double *block_max = NULL;
	size_t cap = 0, nb = 0;
	double prev = NAN;
	int rc;
	while ((rc = scan_next(&c->sc, err)) > 0) {
		const struct row *row = &c->sc.row;
		int k = check_row(c, row, err);
		if (k < 0) {
			/* A short or long row is the file's error; counting on
			 * past it would leave the second pass more blocks than
			 * this one sized (found by fuzz_csv). */
			free(block_max);
			return -1;
		}
		if (k == 0)
			continue;
		double e = row_number(row, c->epoch_col);
		if (isnan(e))
			continue;
		if (nb == 0 || e != prev) {
			xgrow(&block_max, &cap, nb + 1, sizeof(*block_max));
			block_max[nb++] = -INFINITY;
		}
		prev = e;
		double s = row_number(row, c->step_col);
		if (s > block_max[nb - 1])
			block_max[nb - 1] = s;
		file_release_before(c->sc.buf, c->sc.pos);
	}
	if (rc < 0) {
		free(block_max);
		return -1;
	}
	size_t *last_block = xcalloc(nc, sizeof(*last_block)), *in_block = xcalloc(nc, sizeof(*in_block));
	for (size_t i = 0; i < nc; i++) {
		const char *n = c->names[i];
		c->lt[i] = ends_with(n, "_step") || strncasecmp(n, "lr-", 3) == 0 ? LT_STEP : LT_EPOCH;
		last_block[i] = (size_t)-1;
	}
	if (scan_seek(&c->sc, c->data, err)) {
		free(block_max);
		return -1;
	}
	size_t b = 0;
	int started = 0;
	prev = NAN;
	while ((rc = scan_next(&c->sc, err)) > 0) {
		const struct row *row = &c->sc.row;
		if (row_is_empty(row) || row->n != nc)
			continue;
		double e = row_number(row, c->epoch_col), s = row_number(row, c->step_col);
		if (!isnan(e)) {
			if (started && e != prev)
				b++;
			started = 1;
			prev = e;
		}
		for (size_t i = 0; i < nc; i++) {
			if (c->series[i] < 0 || c->lt[i] != LT_EPOCH || !has_cell(row, i) ||
			    ends_with(c->names[i], "_epoch"))
				continue;
			int per_step = isnan(e);
			if (!per_step) {
				in_block[i] = last_block[i] == b ? in_block[i] + 1 : 1;
				last_block[i] = b;
				per_step = in_block[i] > 1 ||
					   (!isnan(s) && b < nb && s < block_max[b]);
			}
			if (per_step)
				c->lt[i] = LT_BOTH;
		}
		file_release_before(c->sc.buf, c->sc.pos);
	}
	free(block_max);
	free(last_block);
	free(in_block);
	if (rc < 0)
		return -1;
	return scan_seek(&c->sc, c->data, err);
}

static void lt_flush(struct csv_ctx *c)
{
	if (c->n_runs == 0 || !c->lt_open)
		return;
	struct run *run = cur_run(c);
	size_t ep = run->n_epochs - 1;
	for (size_t i = 0; i < c->n_cols; i++) {
		long s = c->ep_idx[i];
		if (s < 0 || c->lt[i] != LT_BOTH)
			continue;
		if (c->count[s])
			run_set(run, (size_t)s, ep, c->sum[s] / (double)c->count[s]);
		c->sum[s] = 0;
		c->count[s] = 0;
	}
	run_set_coords(run, ep, c->lt_max_step, NAN);
	c->lt_open = 0;
}

static void lt_segment(struct csv_ctx *c, long line)
{
	lt_flush(c);
	struct run *run = run_new(c->path, c->format);
	run->framework = FW_LIGHTNING;
	run->header_line = c->header_line;
	struct run *st = run_steps(run);
	for (size_t i = 0; i < c->n_cols; i++) {
		c->ep_idx[i] = c->st_idx[i] = -1;
		if (c->series[i] < 0)
			continue;
		if (c->lt[i] != LT_STEP)
			c->ep_idx[i] = (long)run_add_series(run, c->names[i]);
		if (c->lt[i] != LT_EPOCH)
			c->st_idx[i] = (long)run_add_series(st, c->names[i]);
	}
	xgrow(&c->runs, &c->cap_runs, c->n_runs + 1, sizeof(*c->runs));
	c->seg_line = xreallocarray(c->seg_line, c->cap_runs, sizeof(*c->seg_line));
	c->seg_line[c->n_runs] = line;
	c->runs[c->n_runs++] = run;
	c->have_prev = 0;
}

static int lt_cell(struct csv_ctx *c, const struct row *row, size_t i, double *v,
		   struct read_error *err)
{
	const char *s = cell_str(row, i);
	size_t n = cell_len(row, i);
	if (is_missing_marker(s, n))
		return 1;
	if (cell_number(c, s, n, v)) {
		read_error_set(err, row->line, "column '%s': '%.*s' is not a number",
			       c->names[i], quote_len(s, n, 40), s);
		return -1;
	}
	return 0;
}

static int lt_row(struct csv_ctx *c, const struct row *row, struct read_error *err)
{
	double e = NAN;
	if (has_cell(row, (size_t)c->epoch_col) && parse_epoch(c, row, &e, err))
		return -1;
	double step = row_number(row, c->step_col);
	if (c->n_runs == 0)
		lt_segment(c, row->line);
	if (!isnan(e)) {
		if (!c->have_prev) {
			if (c->n_runs == 1 && cur_run(c)->n_epochs == 0)
				c->first_epoch = e;
		} else if (e < c->prev_epoch) {
			if (e != 0 && e != c->first_epoch) {
				read_error_set(err, row->line,
					       "epoch %.0f comes after epoch %.0f; epochs must increase "
					       "(only a fall back to %.0f starts a new run)",
					       e, c->prev_epoch, c->first_epoch);
				return -1;
			}
			lt_segment(c, row->line);
		}
		if (!c->have_prev || e != c->prev_epoch || !c->lt_open) {
			lt_flush(c);
			run_add_epoch(cur_run(c), row->line);
			c->lt_open = 1;
			c->lt_max_step = NAN;
		}
		c->prev_epoch = e;
		c->have_prev = 1;
		if (!isnan(step) && !(step <= c->lt_max_step))
			c->lt_max_step = step;
	}
	struct run *run = cur_run(c), *st = run->steps;
	long sp = -1;
	for (size_t i = 0; i < c->n_cols; i++) {
		if (c->series[i] < 0)
			continue;
		double v;
		int rc = lt_cell(c, row, i, &v, err);
		if (rc < 0)
			return -1;
		if (rc)
			continue;
		if (c->st_idx[i] >= 0) {
			if (sp < 0) {
				/* Rows of one step (lr and training) are one point. */
				size_t last = st->n_epochs;
				if (last && st->at_step && !isnan(step) && st->at_step[last - 1] == step)
					sp = (long)last - 1;
				else
					sp = (long)run_add_epoch(st, row->line);
				run_set_coords(st, (size_t)sp, step, e);
			}
			run_set(st, (size_t)c->st_idx[i], (size_t)sp, v);
		}
		if (c->ep_idx[i] >= 0 && !isnan(e)) {
			size_t s = (size_t)c->ep_idx[i];
			if (c->lt[i] == LT_BOTH) {
				c->sum[s] += v;
				c->count[s]++;
			} else {
				run_set(run, s, run->n_epochs - 1, v);
			}
		}
	}
	return 0;
}

static int lightning_rows(struct csv_ctx *c, struct read_error *err)
{
	c->lt = xcalloc(c->n_cols, sizeof(*c->lt));
	c->ep_idx = xcalloc(c->n_cols, sizeof(*c->ep_idx));
	c->st_idx = xcalloc(c->n_cols, sizeof(*c->st_idx));
	if (lt_classify(c, err))
		return -1;
	size_t rows = 0;
	int rc;
	while ((rc = scan_next(&c->sc, err)) > 0) {
		const struct row *row = &c->sc.row;
		c->data_rows++;
		int k = check_row(c, row, err);
		if (k < 0)
			return -1;
		if (k == 0) {
			if (c->empty_rows++ == 0)
				c->first_empty = row->line;
			continue;
		}
		rows++;
		if (lt_row(c, row, err))
			return -1;
		file_release_before(c->sc.buf, c->sc.pos);
	}
	if (rc < 0)
		return -1;
	lt_flush(c);
	char both[200] = "", step_only[200] = "";
	size_t nb = 0, ns = 0;
	for (size_t i = 0; i < c->n_cols; i++) {
		if (c->series[i] < 0 || c->lt[i] == LT_EPOCH)
			continue;
		char *buf = c->lt[i] == LT_BOTH ? both : step_only;
		size_t *n = c->lt[i] == LT_BOTH ? &nb : &ns;
		size_t off = strlen(buf);
		if ((*n)++ < 4)
			snprintf(buf + off, 200 - off, "%s'%s'", off ? ", " : "", c->names[i]);
	}
	size_t steps = 0, epochs = 0;
	for (size_t k = 0; k < c->n_runs; k++) {
		struct run *run = c->runs[k];
		if (run->n_epochs == 0 && run->steps && run->steps->n_epochs) {
			/* Only rows without an epoch: the steps are the run. */
			run_note(run, "no row has an epoch number");
		}
		steps += run->steps ? run->steps->n_epochs : 0;
		epochs += run->n_epochs;
		if (run->steps && run->steps->n_epochs == 0) {
			run_free(run->steps);
			run->steps = NULL;
		}
	}
	if (epochs == 0 && steps == 0) {
		read_error_set(err, 0, "no epochs: every row after the header is empty");
		return -1;
	}
	if (steps)
		ctx_note(c, "Lightning metrics.csv: %zu rows into %zu epochs and %zu logged "
			 "steps%s%s%s%s", rows, epochs, steps,
			 ns ? "; on the steps only: " : "", step_only,
			 nb ? "; logged per step, so each epoch holds their mean: " : "", both);
	else if (rows > epochs)
		ctx_note(c, "Lightning metrics.csv: %zu rows into %zu epochs", rows, epochs);
	return 0;
}

/*
 * The common row, read where it lies: plain decimals in the metric columns
 * (parse_decimal_prefix), a whole number in the epoch column, printable
 * ASCII without quotes in the columns read for nothing, each cell ended by
 * the separator and the last by the line's end. No split into cells first,
 * no search of the line for quotes or carriage returns. The point is added
 * and 1 returned; 0 when anything else comes (a blank around a cell, a
 * quote, an empty or text cell, NaN, an epoch that does not follow on the
 * last, a line too long, ...): then nothing was changed and scan_next and
 * the general path read the row, as they read every row before.
 */
static int fast_row(struct csv_ctx *c)
{
	struct scan *sc = &c->sc;
	if (sc->next < sc->t.n_rows || sc->pos >= sc->len || c->n_runs == 0)
		return 0;
	const char *line = sc->buf + sc->pos, *p = line, *end = sc->buf + sc->len;
	const char sep = sc->sep;
	double e = 0;
	for (size_t i = 0; i < c->n_cols; i++) {
		if (c->series[i] >= 0) {
			p = parse_decimal_prefix(p, end, &c->fast_v[i]);
			if (!p)
				return 0;
		} else if ((int)i == c->epoch_col) {
			/* As parse_epoch's own fast path: up to 15 digits. */
			const char *d = p;
			uint64_t k = 0;
			while (p < end && p - d < 15 && (unsigned)(*p - '0') <= 9)
				k = k * 10 + (uint64_t)(*p++ - '0');
			if (p == d)
				return 0;
			e = (double)k;
		} else {
			while (p < end && *p != sep) {
				unsigned char ch = (unsigned char)*p;
				if (ch < ' ' || ch > '~' || ch == '"') {
					if (ch != '\t')
						break;
				}
				p++;
			}
		}
		if (i + 1 < c->n_cols) {
			if (p == end || *p != sep)
				return 0;
			p++;
		}
	}
	if (p < end && *p == '\r')
		p++;
	if (p < end) {
		if (*p != '\n')
			return 0;
		p++;
	} else if (p[-1] == '\r') {
		return 0;	/* a carriage return that ends the file */
	}
	if ((size_t)(p - line) > CSV_MAX_LINE)
		return 0;
	if (c->mode == MODE_EPOCH) {
		if (!c->have_prev || e != c->prev_epoch + 1)
			return 0;
		c->prev_epoch = e;
	}
	struct run *run = cur_run(c);
	size_t ep = run_add_epoch(run, ++sc->line);
	for (size_t i = 0; i < c->n_cols; i++)
		if (c->series[i] >= 0)
			run->series[c->series[i]].v[ep] = c->fast_v[i];
	if (c->mode == MODE_EPOCH)
		ep_push(c, run->n_epochs, e);
	sc->pos += (size_t)(p - line);
	/* Every byte taken is printable ASCII, a tab or a line's end: text
	 * (and sc->ok was at the line's start or past it). */
	if (sc->ok < sc->pos)
		sc->ok = sc->pos;
	c->data_rows++;
	return 1;
}

/* Rows of plain numbers can take fast_row. */
static int fast_rows_apply(const struct csv_ctx *c)
{
	if (c->mode != MODE_ROWS && c->mode != MODE_EPOCH)
		return 0;
	if (c->epoch_col >= 0 && c->series[c->epoch_col] >= 0)
		return 0;
	return 1;
}

static int take_rows(struct csv_ctx *c, struct read_error *err)
{
	if (c->mode == MODE_LIGHTNING)
		return lightning_rows(c, err);
	int rc, fast = fast_rows_apply(c);
	if (fast)
		c->fast_v = xcalloc(c->n_cols, sizeof(*c->fast_v));
	size_t release_at = 0;
	for (;;) {
		if (fast && fast_row(c)) {
			/* Pages are given back a MiB at a time: asked every 64 KiB. */
			if (c->sc.pos >= release_at) {
				file_release_before(c->sc.buf, c->sc.pos);
				release_at = c->sc.pos + ((size_t)64 << 10);
			}
			continue;
		}
		if ((rc = scan_next(&c->sc, err)) <= 0)
			break;
		const struct row *row = &c->sc.row;
		c->data_rows++;
		int k = check_row(c, row, err);
		if (k < 0)
			return -1;
		if (k == 0) {
			if (c->empty_rows++ == 0)
				c->first_empty = row->line;
			continue;
		}
		if (c->mode == MODE_ROWS ? new_epoch(c, row, err) : take_epoch_row(c, row, err))
			return -1;
		file_release_before(c->sc.buf, c->sc.pos);
	}
	if (rc < 0)
		return -1;
	file_release_before(c->sc.buf, c->sc.pos);
	batch_flush(c);
	if (c->n_runs == 0) {
		read_error_set(err, 0, "no epochs: every row after the header is empty");
		return -1;
	}
	return 0;
}

static void file_notes(struct csv_ctx *c)
{
	size_t rows = c->data_rows - (size_t)c->empty_rows, epochs = 0;
	for (size_t i = 0; i < c->n_runs; i++)
		epochs += c->runs[i]->n_epochs;
	if (c->mode == MODE_BATCH && c->max_rows > 1)
		ctx_note(c, "per-batch rows: each epoch is the mean of its rows' finite values "
			 "(%zu rows into %zu epochs; column '%s' ignored)", rows, epochs,
			 c->names[c->step_col]);
	if (c->resumes)
		ctx_note(c, "%s%s", c->resume_note, c->resumes > 1 ? " (and later resumes alike)" : "");
	if (c->gaps)
		ctx_note(c, "%s (%ld gap%s); rows are read in file order", c->gap_note,
			 c->gaps, c->gaps == 1 ? "" : "s");
	if (c->empty_rows)
		ctx_note(c, "%ld empty row%s skipped (first at line %ld)", c->empty_rows,
			 c->empty_rows == 1 ? "" : "s", c->first_empty);
	if (c->comma_decimals)
		ctx_note(c, "%zu values written with a decimal comma", c->comma_decimals);
}

static void finish_runs(struct csv_ctx *c, struct run_list *out)
{
	file_notes(c);
	for (size_t k = 0; k < c->n_runs; k++) {
		struct run *run = c->runs[k];
		if (c->n_runs > 1) {
			free(run->label);
			run->label = xasprintf("%s (run %zu of %zu, from line %ld)", c->path,
					       k + 1, c->n_runs, c->seg_line[k]);
			run->segment = k + 1;
			run_note(run, "the epoch counter falls back %zu time%s (training restarted "
				 "into the same log): read as %zu runs; this is run %zu, from line %ld",
				 c->n_runs - 1, c->n_runs == 2 ? "" : "s", c->n_runs, k + 1,
				 c->seg_line[k]);
		}
		for (size_t i = 0; i < c->n_notes; i++)
			run_note(run, "%s", c->notes[i]);
		run->framework = csv_framework(c);
		if (run->steps)
			run->steps->framework = run->framework;
		run_map_roles(run);
		run_list_push(out, run);
	}
	c->n_runs = 0;
}

/*
 * The header row, past a title line ("model_history_log") above it: one
 * cell, then a wider row. Leaves the scan on the first data row and the
 * header's cells in c->sc.row. 0, or -1 with err set.
 */
static int find_header(struct csv_ctx *c, struct read_error *err)
{
	struct scan_mark at[6];
	size_t width[6], got = 0;
	char *title = NULL;
	int rc = 0;
	/* The first rows, up to the one after a possible header. */
	while (got < 6) {
		at[got] = scan_mark(&c->sc);
		if ((rc = scan_next(&c->sc, err)) <= 0)
			break;
		width[got] = c->sc.row.n;
		if (got == 0 && c->sc.row.n == 1) {
			const char *s = cell_str(&c->sc.row, 0);
			title = xstrndup(s, (size_t)quote_len(s, cell_len(&c->sc.row, 0), 40));
		}
		if (width[got++] != 1)
			break;
	}
	if (rc < 0) {
		free(title);
		return -1;
	}
	size_t h = 0;
	while (h < 4 && h + 1 < got && width[h] == 1 && width[h + 1] > 1)
		h++;
	if (h)
		ctx_note(c, "%zu line%s above the header skipped (first: '%s')", h,
			 h == 1 ? "" : "s", title);
	free(title);
	if (got == 0) {
		read_error_set(err, 0, "header only, no epochs");
		return -1;
	}
	/* Back to the header, and read it again. */
	if (scan_seek(&c->sc, at[h], err) || scan_next(&c->sc, err) < 0)
		return -1;
	return 0;
}

static int csv_build(struct csv_ctx *c, struct read_error *err)
{
	if (find_header(c, err))
		return -1;
	const struct row *header = &c->sc.row;
	c->header_line = header->line;
	c->n_cols = header->n;
	c->names = xcalloc(c->n_cols, sizeof(*c->names));
	c->unnamed = xcalloc(c->n_cols, sizeof(*c->unnamed));
	for (size_t i = 0; i < c->n_cols; i++) {
		c->names[i] = col_name(header, i);
		c->unnamed[i] = cell_len(header, i) == 0;
	}
	/* Is there a row after the header (an empty one counts)? */
	c->data = scan_mark(&c->sc);
	int more = scan_next(&c->sc, err);
	if (more < 0 || scan_seek(&c->sc, c->data, err))
		return -1;
	if (!more) {
		read_error_set(err, 0, "header only, no epochs");
		return -1;
	}
	c->kind = xcalloc(c->n_cols, sizeof(*c->kind));
	c->series = xcalloc(c->n_cols, sizeof(*c->series));
	c->text_line = xcalloc(c->n_cols, sizeof(*c->text_line));
	c->text_cell = xcalloc(c->n_cols, sizeof(*c->text_cell));
	if (scan_header(c, err) || classify_columns(c, err))
		return -1;
	decide_mode(c);
	if (assign_series(c, err))
		return -1;
	c->sum = xcalloc(c->n_series, sizeof(*c->sum));
	c->nonfinite = xcalloc(c->n_series, sizeof(*c->nonfinite));
	c->count = xcalloc(c->n_series, sizeof(*c->count));
	return take_rows(c, err);
}

static void ctx_release(struct csv_ctx *c)
{
	scan_release(&c->sc);
	for (size_t i = 0; c->names && i < c->n_cols; i++)
		free(c->names[i]);
	free(c->names);
	for (size_t i = 0; c->text_cell && i < c->n_cols; i++)
		free(c->text_cell[i]);
	free(c->text_cell);
	free(c->fast_v);
	free(c->text_line);
	free(c->unnamed);
	free(c->kind);
	free(c->series);
	for (size_t i = 0; i < c->n_runs; i++)
		run_free(c->runs[i]);
	free(c->runs);
	free(c->seg_line);
	free(c->sum);
	free(c->nonfinite);
	free(c->count);
	free(c->ep_num);
	free(c->lt);
	free(c->ep_idx);
	free(c->st_idx);
	for (size_t i = 0; i < c->n_notes; i++)
		free(c->notes[i]);
	free(c->notes);
}

/* Excel's separator hint, a first line "sep=," (or "sep=;"): its separator, or 0. */
static char excel_sep(const char *buf, size_t len, size_t *skip)
{
	size_t i = 0;
	if (i < len && buf[i] == '"')
		i++;
	if (len - i < 5 || strncasecmp(buf + i, "sep=", 4) != 0)
		return 0;
	char sep = buf[i + 4];
	if (sep != ',' && sep != ';' && sep != '\t' && sep != '|')
		return 0;
	i += 5;
	if (i < len && buf[i] == '"')
		i++;
	while (i < len && buf[i] == '\r')
		i++;
	if (i < len && buf[i] != '\n')
		return 0;
	*skip = i < len ? i + 1 : i;
	return sep;
}

static int csv_read(const char *path, const char *buf, size_t len,
		    struct run_list *out, struct read_error *err)
{
	struct csv_ctx c;
	memset(&c, 0, sizeof(c));
	c.path = path;
	size_t skip = 0;
	c.sep = excel_sep(buf, len, &skip);
	if (c.sep) {
		/* Line numbers stay those of the file. */
		ctx_note(&c, "line 1 'sep=%s' (Excel's separator hint) skipped",
			 c.sep == '\t' ? "\\t" : (char[]){ c.sep, '\0' });
		buf += skip;
		len -= skip;
	} else {
		c.sep = pick_separator(buf, len);
	}
	scan_init(&c.sc, buf, len, c.sep, skip ? 1 : 0);
	/* The Excel hint line is text: sniffed, and checked ahead (reader.c). */
	size_t vouched = text_vouched_get();
	c.sc.ok = vouched < skip ? 0 : vouched - skip < len ? vouched - skip : len;
	int rc = csv_build(&c, err);
	if (vouched >= skip && vouched < SIZE_MAX)
		text_vouched_set(c.sc.ok + skip);
	if (rc == 0)
		finish_runs(&c, out);
	ctx_release(&c);
	return rc;
}

/*
 * Does one line look like a row of names (not a log line with "key: value")?
 * 2 when it has an '=' (a log's "loss=0.5", or a name such as
 * "recall@k=3"): only a numeric row of as many fields below makes it one.
 */
static int header_like(const char *s, size_t n, char sep, size_t *fields)
{
	*fields = 1;
	size_t letters = 0;
	int eq = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == sep)
			(*fields)++;
		else if (s[i] == '=')
			eq = 1;
		else if (s[i] == ':' && i + 1 < n && s[i + 1] == ' ')
			return 0;
		else if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))
			letters++;
	}
	return letters == 0 ? 0 : eq ? 2 : 1;
}

/* Are all fields of this line numbers or missing? */
static int numeric_line(const char *s, size_t n, char sep)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != sep)
			continue;
		double v;
		if (!is_missing_marker(s + start, i - start) &&
		    parse_number(s + start, i - start, &v) && s[start] != '"')
			return 0;
		start = i + 1;
	}
	return 1;
}

static int is_metric_name(const char *s, size_t n)
{
	static const char *const words[] = { "loss", "acc", "mae", "mse", "auc", "lr" };
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t k = strlen(words[w]);
		for (size_t i = 0; i + k <= n; i++)
			if (strncasecmp(s + i, words[w], k) == 0)
				return 1;
	}
	return 0;
}

static int csv_sniff(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i == len)
		return 0;
	if (buf[i] == '{' || buf[i] == '[')
		return 5;
	const char *line = buf + i, *nl = memchr(line, '\n', len - i);
	size_t n = nl ? (size_t)(nl - line) : len - i;
	while (n && line[n - 1] == '\r')
		n--;
	size_t skip = 0;
	char sep = excel_sep(line, len - i, &skip);
	if (sep) {
		line += skip;
		nl = memchr(line, '\n', len - (size_t)(line - buf));
		n = nl ? (size_t)(nl - line) : len - (size_t)(line - buf);
		while (n && line[n - 1] == '\r')
			n--;
	} else {
		sep = pick_separator(line, len - i);
	}
	size_t fields;
	int like = header_like(line, n, sep, &fields);
	if (!like)
		return 0;
	if (fields < 2 && is_metric_name(line, n))
		return 40;
	if (fields < 2 && nl && memchr(nl + 1, sep, len - (size_t)(nl + 1 - buf))) {
		/* A title line above the header. */
		line = nl + 1;
		nl = memchr(line, '\n', len - (size_t)(line - buf));
		n = nl ? (size_t)(nl - line) : len - (size_t)(line - buf);
		while (n && line[n - 1] == '\r')
			n--;
		if (!header_like(line, n, sep, &fields))
			return 0;
	}
	if (fields < 2)
		return 0;
	if (!nl)
		return like == 2 ? 0 : 30;
	/* A clean header followed by a numeric row beats a log with commas in it. */
	const char *next = nl + 1, *nl2 = memchr(next, '\n', len - (size_t)(next - buf));
	size_t m = nl2 ? (size_t)(nl2 - next) : len - (size_t)(next - buf);
	while (m && next[m - 1] == '\r')
		m--;
	if (like == 2) {
		size_t row_fields;
		header_like(next, m, sep, &row_fields);
		return row_fields == fields && numeric_line(next, m, sep) ? 70 : 0;
	}
	return numeric_line(next, m, sep) ? 70 : 30;
}

const struct reader reader_csv = { "csv", csv_sniff, csv_read, 1 };
