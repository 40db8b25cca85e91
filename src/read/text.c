/*
 * Free-text training logs: Keras console output saved with tee
 * ("keras-console": an `Epoch 3/50` line, then a progress line
 * `... - loss: 0.3125 - accuracy: 0.9012`) and lines holding an epoch number
 * and key/value pairs ("text-log": `INFO:Epoch 1: Train Loss=0.0717, ...`,
 * `Epoch: [1/100], training loss: 1.646285, training accuracy: 67.0000%`).
 *
 * How a log is read, and why:
 * - A line's text is what a terminal would show last: the part after the
 *   last carriage return, with each backspace erasing a character
 *   (progress-bar redraws).
 * - An epoch line opens an epoch; pairs on it and on the lines after it, up
 *   to the next epoch line, fill that epoch, the last value of a key winning
 *   (the final redraw of a progress bar holds the epoch's totals). A line with
 *   the same epoch number again (ModelCheckpoint's `Epoch 00003: val_loss
 *   improved`) adds to the same epoch.
 * - An epoch number below the previous one starts a new run segment, as a
 *   restarted training appended to the same log.
 * - A value ending in % is divided by 100. Keys must start with a letter, so
 *   timestamps never become keys; values that are not numbers (`ETA: 0s`)
 *   are ignored.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/namemap.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"
#include "reader.h"

#define KEY_MAX 64

/* Series name -> index; keys point at the run's series names. */
struct pair {
	char key[KEY_MAX + 1];
	double value;
};

struct text_ctx {
	const char *path;
	struct run **runs;
	size_t n_runs, cap_runs;
	long *seg_line;
	struct name_map names;	/* of the current run */
	double epoch_num;	/* as the log numbers it */
	int open;		/* an epoch of the current run is open */
	int open_has_values;
	int pairs_on_epoch_line, pairs_after;	/* for the format name */
	struct strbuf line;	/* the cleaned current line */
	size_t max_cells;	/* series x epochs allowed, from the file size */
	int too_big;
	size_t checkpoint_lines, test_lines;	/* skipped, for the notes */
};

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* What a terminal shows last: after the last \r, backspaces applied; at
 * most max bytes of it. */
static void clean_line_max(const char *s, size_t n, struct strbuf *out, size_t max)
{
	strbuf_reset(out);
	while (n && s[n - 1] == '\r')
		n--;
	for (size_t i = n; i > 0; i--)
		if (s[i - 1] == '\r') {
			s += i;
			n -= i;
			break;
		}
	for (size_t i = 0; i < n && out->len < max; i++) {
		if (s[i] != '\b')
			strbuf_addc(out, s[i]);
		else if (out->len)
			out->buf[--out->len] = '\0';
	}
	if (!out->buf)
		strbuf_adds(out, "");
}

static void clean_line(const char *s, size_t n, struct strbuf *out)
{
	clean_line_max(s, n, out, (size_t)-1);
}

/*
 * The first "epoch N" in the line (also "Epoch: [N/M]", "epoch=N",
 * "Epoch 00003"). Returns 1 and where the text after it starts.
 */
static int find_epoch(const char *s, size_t n, double *num, size_t *rest)
{
	for (size_t i = 0; i + 5 <= n; i++) {
		if ((s[i] | 0x20) != 'e' || strncasecmp(s + i, "epoch", 5) != 0 ||
		    (i > 0 && is_alpha(s[i - 1])))
			continue;
		size_t j = i + 5;
		while (j < n && strchr(" :=[#(", s[j]) && s[j])
			j++;
		size_t d = j;
		while (j < n && is_digit(s[j]) && j - d < 9)
			j++;
		if (j == d || (j < n && (is_digit(s[j]) || s[j] == '.')))
			continue;
		*num = strtod(s + d, NULL);
		if (j < n && s[j] == '/') {
			j++;
			while (j < n && is_digit(s[j]))
				j++;
		}
		if (j < n && (s[j] == ']' || s[j] == ')'))
			j++;
		*rest = j;
		return 1;
	}
	return 0;
}

static int is_delim(const char *s, size_t i)
{
	char c = s[i];
	if (strchr(",;|\t[](){}", c) && c)
		return 1;
	/* Keras separates its fields with " - ". */
	return c == '-' && i > 0 && s[i - 1] == ' ' && s[i + 1] == ' ';
}

/* Trimmed key in s[from..to); 0 when it is not a plausible metric name. */
static int take_key(const char *s, size_t from, size_t to, char *key)
{
	while (from < to && s[from] == ' ')
		from++;
	while (to > from && s[to - 1] == ' ')
		to--;
	if (to == from || to - from > KEY_MAX || !is_alpha(s[from]))
		return 0;
	for (size_t i = from; i < to; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && !strchr(" _./-@", s[i]))
			return 0;
	memcpy(key, s + from, to - from);
	key[to - from] = '\0';
	return 1;
}

/* The number after a separator; its end in *end. */
static int take_value(const char *s, size_t n, size_t i, double *v, size_t *end)
{
	while (i < n && s[i] == ' ')
		i++;
	size_t start = i;
	/* parse_number takes under 64 bytes: a longer token is no number, and
	 * stopping there keeps a line of "k:1:1:1..." linear. */
	while (i < n && i - start < 64 && !strchr(" ,;|)]}\t", s[i]))
		i++;
	*end = i;
	size_t len = i - start;
	int percent = len > 1 && s[start + len - 1] == '%';
	if (parse_number(s + start, len - (size_t)percent, v))
		return 0;
	if (percent)
		*v /= 100.0;
	return 1;
}

static struct run *cur_run(const struct text_ctx *t)
{
	return t->n_runs ? t->runs[t->n_runs - 1] : NULL;
}

/* A log where every line names new keys would need far more memory than text. */
static int cells_fit(struct text_ctx *t, size_t series, size_t epochs)
{
	if ((double)series * (double)epochs > (double)t->max_cells)
		t->too_big = 1;
	return !t->too_big;
}

static void set_pair(struct text_ctx *t, const char *key, double v)
{
	struct run *run = cur_run(t);
	long s = name_map_get(&t->names, key);
	if (t->too_big)
		return;
	if (s < 0 && !cells_fit(t, run->n_series + 1, run->n_epochs))
		return;
	if (s < 0) {
		s = (long)run_add_series(run, key);
		name_map_put(&t->names, run->series[s].name, (size_t)s);
	}
	run_set(run, (size_t)s, run->n_epochs - 1, v);
	t->open_has_values = 1;
}

/* Set every "key: number" / "key=number" in s[from..n) on the open epoch. */
static size_t take_pairs(struct text_ctx *t, const char *s, size_t n, size_t from)
{
	size_t kstart = from, found = 0;
	for (size_t i = from; i < n; i++) {
		if (is_delim(s, i)) {
			kstart = i + 1;
			continue;
		}
		if (s[i] != ':' && s[i] != '=')
			continue;
		char key[KEY_MAX + 1];
		double v;
		size_t end;
		int ok = take_key(s, kstart, i, key) && take_value(s, n, i + 1, &v, &end);
		kstart = i + 1;
		if (!ok)
			continue;
		found++;
		if (t->open)
			set_pair(t, key, v);
		i = end - 1;
		kstart = end;
	}
	return found;
}

static void start_run(struct text_ctx *t, long line)
{
	xgrow(&t->runs, &t->cap_runs, t->n_runs + 1, sizeof(*t->runs));
	t->seg_line = xreallocarray(t->seg_line, t->cap_runs, sizeof(*t->seg_line));
	t->seg_line[t->n_runs] = line;
	t->runs[t->n_runs++] = run_new(t->path, "text-log");
	name_map_release(&t->names);
	t->open = 0;
}

static void open_epoch(struct text_ctx *t, double e, long line)
{
	if (!cur_run(t) || (t->open && e < t->epoch_num))
		start_run(t, line);
	if (!cells_fit(t, cur_run(t)->n_series, cur_run(t)->n_epochs + 1))
		return;
	run_add_epoch(cur_run(t), line);
	t->epoch_num = e;
	t->open = 1;
	t->open_has_values = 0;
}

static int has_word(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, w, k) == 0)
			return 1;
	return 0;
}

/*
 * Lines that name an epoch but are no epoch row: a checkpoint or reload
 * message quoting the best epoch ("-> saved best model (epoch=20,
 * val_loss=1.05)"), whose values belong to an epoch already read. Keras'
 * own "Epoch 00003: val_loss improved" stays (it names the current epoch).
 */
static int is_checkpoint_line(const char *s, size_t n)
{
	return (has_word(s, n, "(epoch=") || has_word(s, n, "(epoch ")) &&
	       (has_word(s, n, "sav") || has_word(s, n, "checkpoint") ||
		has_word(s, n, "best") || has_word(s, n, "load") || has_word(s, n, "restor"));
}

/* "Test accuracy: 0.93", "test_loss=..." after training: test-set results. */
static int is_test_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && !is_alpha(s[i]))
		i++;
	return n - i >= 4 && strncasecmp(s + i, "test", 4) == 0 &&
	       (n - i == 4 || !is_alpha(s[i + 4]) || strncasecmp(s + i + 4, "ing", 3) != 0);
}

static void take_line(struct text_ctx *t, const char *s, size_t n, long line)
{
	double e;
	size_t rest;
	if (is_checkpoint_line(s, n)) {
		t->checkpoint_lines++;
		return;
	}
	if (is_test_line(s, n) && !find_epoch(s, n, &e, &rest)) {
		t->test_lines++;
		return;
	}
	if (find_epoch(s, n, &e, &rest)) {
		if (!t->open || e != t->epoch_num)
			open_epoch(t, e, line);
		if (take_pairs(t, s, n, rest))
			t->pairs_on_epoch_line = 1;
	} else if (t->open && take_pairs(t, s, n, 0)) {
		t->pairs_after = 1;
	}
}

static void text_release(struct text_ctx *t)
{
	for (size_t i = 0; i < t->n_runs; i++)
		run_free(t->runs[i]);
	free(t->runs);
	free(t->seg_line);
	name_map_release(&t->names);
	strbuf_release(&t->line);
}

/* An interrupted training leaves an "Epoch N/M" line with nothing after it. */
static void drop_empty_last(struct text_ctx *t)
{
	struct run *run = cur_run(t);
	if (run && t->open && !t->open_has_values && run->n_epochs) {
		run->n_epochs--;
		run_note(run, "the last epoch line (line %ld) has no values; dropped",
			 (long)run->line[run->n_epochs]);
	}
	if (run && run->n_epochs == 0 && t->n_runs > 1) {
		run_free(run);
		t->n_runs--;
	}
}

static void finish(struct text_ctx *t, struct run_list *out)
{
	const char *format = t->pairs_after && !t->pairs_on_epoch_line ? "keras-console"
								      : "text-log";
	for (size_t k = 0; k < t->n_runs; k++) {
		struct run *run = t->runs[k];
		run->format = format;
		if (t->n_runs > 1) {
			free(run->label);
			run->label = xasprintf("%s (run %zu of %zu, from line %ld)", t->path,
					       k + 1, t->n_runs, t->seg_line[k]);
			run->segment = k + 1;
			run_note(run, "the epoch number falls back %zu time%s (training restarted "
				 "into the same log): read as %zu runs; this is run %zu, from line %ld",
				 t->n_runs - 1, t->n_runs == 2 ? "" : "s", t->n_runs, k + 1,
				 t->seg_line[k]);
		}
		if (strcmp(format, "keras-console") == 0)
			run->framework = FW_KERAS;
		if (t->checkpoint_lines)
			run_note(run, "%zu checkpoint line%s quoting an epoch ('(epoch=N, ...)') "
				 "skipped: not epoch rows", t->checkpoint_lines,
				 t->checkpoint_lines == 1 ? "" : "s");
		if (t->test_lines)
			run_note(run, "%zu line%s of test-set results ('Test ...') skipped: not "
				 "training", t->test_lines, t->test_lines == 1 ? "" : "s");
		run_map_roles(run);
		run_list_push(out, run);
	}
	t->n_runs = 0;
}

/* Runs with no values at all (epoch lines only) are not a history. */
static int check_values(const struct text_ctx *t, struct read_error *err)
{
	for (size_t k = 0; k < t->n_runs; k++)
		if (t->runs[k]->n_series && t->runs[k]->n_epochs)
			return 0;
	read_error_set(err, 0, "epoch lines found, but no \"name: value\" pairs");
	return -1;
}

static int text_read(const char *path, const char *buf, size_t len,
		     struct run_list *out, struct read_error *err)
{
	struct text_ctx t;
	memset(&t, 0, sizeof(t));
	t.path = path;
	t.max_cells = 4 * len + ((size_t)1 << 20);
	long line = 0;
	for (size_t pos = 0; pos < len && !t.too_big;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		clean_line(buf + pos, n, &t.line);
		take_line(&t, t.line.buf, t.line.len, ++line);
		pos += n + 1;
		file_release_before(buf, pos < len ? pos : len);
	}
	drop_empty_last(&t);
	int rc = check_values(&t, err);
	if (t.too_big) {
		read_error_set(err, 0, "more distinct names than the log has values; "
			       "not a training history");
		rc = -1;
	}
	if (rc == 0)
		finish(&t, out);
	text_release(&t);
	return rc;
}

/* At least two epoch lines with pairs on them or on the lines after them. */
/* How far into a file the sniffer looks: two epoch lines show up long before. */
#define SNIFF_LIMIT 65536

static int text_sniff(const char *buf, size_t len)
{
	/* The limit counts the text a terminal would show: a progress bar
	 * redrawn with carriage returns makes one long line of each epoch, its
	 * totals at the end, and only its last redraw counts. */
	size_t shown = 0;
	struct strbuf sb = STRBUF_INIT;
	struct text_ctx t;
	memset(&t, 0, sizeof(t));
	int hits = 0, pending = 0;
	for (size_t pos = 0; pos < len && shown < SNIFF_LIMIT && hits < 2;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos, rest;
		double e;
		/* Past the limit the line ends the look: no copy of all of it
		 * (a file of 60 MiB on one line). */
		clean_line_max(buf + pos, n, &sb, SNIFF_LIMIT + 1);
		shown += sb.len + 1;
		if (find_epoch(sb.buf, sb.len, &e, &rest)) {
			pending = 1;
			if (take_pairs(&t, sb.buf, sb.len, rest))
				hits++, pending = 0;
		} else if (pending && take_pairs(&t, sb.buf, sb.len, 0)) {
			hits++;
			pending = 0;
		}
		pos += n + 1;
	}
	strbuf_release(&sb);
	return hits >= 2 ? 60 : 0;
}

const struct reader reader_text = { "text-log", text_sniff, text_read, 0 };
