#include "reader.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../util/xalloc.h"

/* A sniff score at which no later reader can do better: the rest are not asked. */
#define SNIFF_CERTAIN 70

/* In order of how cheaply they decide. */
static const struct reader *const readers[] = {
	&reader_wandb_csv,	/* first: its quoted "RUN - METRIC" header is also CSV */
	&reader_json,
	&reader_csv,
	&reader_text,
};
#define N_READERS (sizeof(readers) / sizeof(readers[0]))

/* Binary formats, sniffed on the raw bytes before the text checks. */
static const struct reader *const binary_readers[] = {
	&reader_tfevents,
	&reader_mlflow_db,
};
#define N_BINARY_READERS (sizeof(binary_readers) / sizeof(binary_readers[0]))

/*
 * The text readers' verdict on the last whole buffer a folder walk sniffed
 * in place (history_sniff_terminated): history_read_if then reads the same
 * bytes at the same address, and need not ask every sniffer again. Set and
 * used on one thread within one history_read_if, cleared around it.
 */
static _Thread_local struct {
	const char *buf;
	size_t len;
	const struct reader *best;
	int score;
} sniffed;

static void sniffed_clear(void)
{
	sniffed.buf = NULL;
	sniffed.best = NULL;
}

static const struct reader *binary_reader_for(const char *buf, size_t len)
{
	for (size_t i = 0; i < N_BINARY_READERS; i++)
		if (binary_readers[i]->sniff(buf, len) > 0)
			return binary_readers[i];
	return NULL;
}

int missing_marker_at(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	static const char *const markers[] = { "NA", "N/A", "null", "None", "nil" };
	if (len == 0)
		return 1;
	/* Every marker starts with an n: a number is turned away at once
	 * (this is asked of every epoch cell). */
	if (*s != 'n' && *s != 'N')
		return 0;
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (strlen(markers[i]) == len && strncasecmp(s, markers[i], len) == 0)
			return 1;
	return 0;
}

static long line_at(const char *buf, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/*
 * UTF-16 with a byte-order mark (what Windows PowerShell's > and Tee-Object
 * write) as UTF-8, without the mark: a new buffer of *out_len bytes, or NULL
 * with err set. Returns NULL and leaves err alone when there is no mark.
 */
static char *utf16_decode(const char *buf, size_t len, size_t *out_len, const char **which,
			  struct read_error *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len < 2 || !((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return NULL;
	int le = u[0] == 0xFF;
	*which = le ? "UTF-16LE" : "UTF-16BE";
	char *out = xmalloc(len / 2 * 3 + 4);
	size_t o = 0;
	for (size_t i = 2; i + 1 < len; i += 2) {
		unsigned c = le ? (unsigned)u[i] | (unsigned)u[i + 1] << 8
				: (unsigned)u[i] << 8 | (unsigned)u[i + 1];
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < len) {
			unsigned d = le ? (unsigned)u[i + 2] | (unsigned)u[i + 3] << 8
					: (unsigned)u[i + 2] << 8 | (unsigned)u[i + 3];
			if (d >= 0xDC00 && d <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
				i += 2;
			}
		}
		if ((c >= 0xD800 && c <= 0xDFFF) || c == 0) {
			read_error_set(err, 0, "%s text with %s at byte offset %zu", *which,
				       c ? "an unpaired surrogate" : "a NUL character", i);
			free(out);
			return NULL;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xC0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xE0 | c >> 12);
			out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[o++] = (char)(0xF0 | c >> 18);
			out[o++] = (char)(0x80 | (c >> 12 & 0x3F));
			out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (c & 0x3F));
		}
	}
	if (len % 2) {
		read_error_set(err, 0, "%s text of an odd number of bytes (cut short?)", *which);
		free(out);
		return NULL;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* The first checks of a text: empty, UTF-16 with a byte-order mark. */
static int check_text_start(const char *buf, size_t len, struct read_error *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len == 0) {
		read_error_set(err, 0, "empty file");
		return -1;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		read_error_set(err, 0, "UTF-16 text; save the history as UTF-8");
		return -1;
	}
	return 0;
}

/*
 * Bytes from..until of the text: the first NUL byte or invalid UTF-8
 * sequence, if any, as the error. One pass, ASCII 8 bytes at a time; with
 * release, the pages are given back as it goes.
 */
static int check_text_bytes(const char *buf, size_t len, size_t from, size_t *until,
			    int release, struct read_error *err)
{
	/* *until moves past a sequence that spans it: the next check starts
	 * at a character, not inside one. */
	const unsigned char *u = (const unsigned char *)buf;
	size_t bad = from;
	while (bad < *until) {
		size_t step = *until - bad > ((size_t)1 << 20) ? bad + ((size_t)1 << 20) : *until;
		size_t at = utf8_scan(u, len, bad, step, 1);
		if (release)
			file_release_before(buf, at < len ? at : len);
		bad = at;
		if (at < step)
			break;
	}
	if (bad >= *until) {
		*until = bad;
		return 0;
	}
	/* A NUL byte anywhere after a bad sequence says more: binary data. */
	const char *nul = buf[bad] == '\0' ? buf + bad : memchr(buf + bad, '\0', len - bad);
	if (nul) {
		bad = (size_t)(nul - buf);
		/* UTF-16 without a BOM shows as every other byte NUL (and
		 * only those: a file of zeros is binary data). */
		if (len >= 4 && bad <= 1 &&
		    ((buf[0] && !buf[1] && buf[2] && !buf[3]) ||
		     (!buf[0] && buf[1] && !buf[2] && buf[3])))
			read_error_set(err, 0, "UTF-16 text; save the history as UTF-8");
		else
			read_error_set(err, line_at(buf, bad),
				       "binary data (NUL byte at offset %zu); not a training history",
				       bad);
		return -1;
	}
	read_error_set(err, line_at(buf, bad),
		       "invalid UTF-8 (byte 0x%02X at offset %zu); not a text history", u[bad], bad);
	return -1;
}

/* The last checks: not only white space, not a web page. */
static int check_text_end(const char *buf, size_t len, struct read_error *err)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i == len) {
		read_error_set(err, 0, "file holds only white space");
		return -1;
	}
	if (len - i >= 5 && (strncasecmp(buf + i, "<!doc", 5) == 0 ||
			     strncasecmp(buf + i, "<html", 5) == 0 ||
			     strncasecmp(buf + i, "<?xml", 5) == 0)) {
		read_error_set(err, line_at(buf, i),
			       "looks like an HTML or XML page, not a training history");
		return -1;
	}
	return 0;
}

/*
 * Text checked as it is read. A file of more than TEXT_AHEAD bytes has its
 * first TEXT_AHEAD checked before the sniffers look; a reader that checks
 * its own bytes (checks_text: the CSV reader) reads the rest unchecked and
 * says how far it vouched for them (text_vouched_set), and the bytes it did
 * not vouch for are checked after it. Whatever the reader made of them, a
 * NUL byte or invalid UTF-8 anywhere is the file's error, as when the whole
 * file is checked first: one pass over a large file instead of two (and its
 * pages mapped in once).
 */
#ifndef TEXT_AHEAD
#define TEXT_AHEAD ((size_t)1 << 20)
#endif
static _Thread_local size_t text_vouched = SIZE_MAX;

size_t text_vouched_get(void)
{
	return text_vouched;
}

void text_vouched_set(size_t upto)
{
	text_vouched = upto;
}

/* Does any run from index from on hold a value (finite or not)? */
static int has_values(const struct run_list *list, size_t from)
{
	for (size_t i = from; i < list->n; i++) {
		const struct run *run = list->v[i];
		for (const struct run *t = run; t; t = t->steps)
			for (size_t s = 0; s < t->n_series; s++)
				for (size_t e = 0; e < t->n_epochs; e++)
					if (!run_is_missing(&t->series[s], e))
						return 1;
	}
	return 0;
}

static int read_decoded(const char *path, const char *buf, size_t len,
			struct run_list *out, struct read_error *err);

/* history_read_buffer over a buffer known to end in a NUL byte (buf[len]). */
static int read_terminated(const char *path, const char *buf, size_t len,
			   struct run_list *out, struct read_error *err)
{
	/* Binary formats first: their bytes may look like anything. */
	const struct reader *bin = binary_reader_for(buf, len);
	if (bin) {
		size_t before = out->n;
		int brc = bin->read(path, buf, len, out, err);
		if (brc == 0 && out->n == before) {
			read_error_set(err, 0, "no runs found");
			brc = -1;
		}
		return brc;
	}
	const char *which = NULL;
	size_t n = 0;
	char *dec = utf16_decode(buf, len, &n, &which, err);
	if (!dec && which)
		return -1;
	if (!dec)
		return read_decoded(path, buf, len, out, err);
	size_t before = out->n;
	int rc = read_decoded(path, dec, n, out, err);
	free(dec);
	for (size_t i = before; rc == 0 && i < out->n; i++)
		run_note(out->v[i], "decoded from %s (it begins with a byte-order mark, as "
			 "Windows PowerShell's > writes text)", which);
	return rc;
}

int history_read_buffer(const char *path, const char *buf, size_t len,
			struct run_list *out, struct read_error *err)
{
	sniffed_clear();
	char *copy = xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	int rc = read_terminated(path, copy, len, out, err);
	free(copy);
	return rc;
}

/* buf[len] is a NUL byte: the readers get buf itself, without the BOM. */
static int read_decoded(const char *path, const char *buf, size_t len,
			struct run_list *out, struct read_error *err)
{
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	size_t ahead = len > TEXT_AHEAD ? TEXT_AHEAD : len;
	size_t all = len;
	if (check_text_start(buf, len, err) || check_text_bytes(buf, len, 0, &ahead, 0, err))
		return -1;
	if (check_text_end(buf, len, err)) {
		/* A NUL byte or bad UTF-8 further on is the first error. */
		check_text_bytes(buf, len, ahead, &all, 1, err);
		return -1;
	}
	const char *copy = buf;
	const struct reader *best = NULL;
	int best_score = 0;
	if (sniffed.buf == buf && sniffed.len == len) {
		best = sniffed.best;
		best_score = sniffed.score;
	} else {
		for (size_t i = 0; i < N_READERS && best_score < SNIFF_CERTAIN; i++) {
			int s = readers[i]->sniff(copy, len);
			if (s > best_score) {
				best_score = s;
				best = readers[i];
			}
		}
	}
	sniffed_clear();
	if (ahead < len && !(best && best->checks_text)) {
		if (check_text_bytes(buf, len, ahead, &all, 1, err))
			return -1;
		ahead = len;
	}
	/* What the sniffers looked at (all of a one-line file) is given back;
	 * the reader maps it in again as it goes. */
	file_release_before(buf, len);
	int rc;
	if (!best) {
		read_error_set(err, 1, "not a training history this tool can read "
			       "(no CSV header, JSON or epoch log found)");
		rc = -1;
	} else {
		size_t before = out->n;
		text_vouched_set(ahead);
		rc = best->read(path, copy, len, out, err);
		size_t vouched = text_vouched_get();
		text_vouched_set(SIZE_MAX);
		if (vouched < len && check_text_bytes(buf, len, vouched, &all, 1, err)) {
			while (out->n > before)
				run_free(out->v[--out->n]);
			if (before == 0)
				run_list_release(out);
			return -1;
		}
		if (rc == 0 && out->n == before) {
			read_error_set(err, 0, "no epochs found");
			rc = -1;
		} else if (rc == 0 && !has_values(out, before)) {
			/* Every cell NA, empty or null: "N epochs, no findings"
			 * would say the run was checked when nothing was. */
			read_error_set(err, 0, "no values: every metric of every epoch is missing "
				       "(empty, NA or null)");
			/* As it was: also the array, when the reader made it. */
			while (out->n > before)
				run_free(out->v[--out->n]);
			if (before == 0)
				run_list_release(out);
			rc = -1;
		}
	}
	return rc;
}

struct guarded {
	const char *path;
	const struct file_map *map;
	struct run_list *out;
	struct read_error *err;
	size_t before;
};

static int guarded_read(void *arg)
{
	struct guarded *g = arg;
	return read_terminated(g->path, g->map->buf, g->map->len, g->out, g->err);
}

struct guarded_if {
	struct guarded g;
	int (*want)(const char *buf, size_t len, void *arg);
	void *arg;
};

static int guarded_read_if(void *arg)
{
	struct guarded_if *gi = arg;
	if (!gi->want(gi->g.map->buf, gi->g.map->len, gi->arg))
		return 1;
	return guarded_read(&gi->g);
}

int history_read_if(const char *path, int (*want)(const char *buf, size_t len, void *arg),
		    void *arg, struct run_list *out, struct read_error *err)
{
	struct file_map map;
	sniffed_clear();
	if (file_map_open(path, &map, err))
		return -2;
	struct guarded_if gi = { { path, &map, out, err, out->n }, want, arg };
	/* Only a mapping can raise SIGBUS; a file read into memory needs no
	 * guard (whose sigsetjmp costs a system call per file). */
	int rc = map.base ? file_map_guard(guarded_read_if, &gi, err) : guarded_read_if(&gi);
	if (rc == -2) {
		out->n = gi.g.before;
		rc = -1;
	}
	sniffed_clear();
	file_map_close(&map);
	return rc;
}

static int want_all(const char *buf, size_t len, void *arg)
{
	(void)buf;
	(void)len;
	(void)arg;
	return 1;
}

int history_read(const char *path, struct run_list *out, struct read_error *err)
{
	/* history_read_if's -2 (the file cannot be opened) is an error too. */
	int rc = history_read_if(path, want_all, NULL, out, err);
	return rc == -2 ? -1 : rc;
}

/* history_sniff; terminated: buf[len] is a NUL byte, so the sniffers can
 * have buf itself rather than a copy. */
static const char *sniff_name(const char *buf, size_t len, int terminated)
{
	const struct reader *bin = binary_reader_for(buf, len);
	if (bin)
		return bin->name;
	const char *which = NULL;
	size_t n = 0;
	struct read_error e;
	char *dec = utf16_decode(buf, len, &n, &which, &e);
	if (dec) {
		const char *name = sniff_name(dec, n, 1);
		sniffed_clear();	/* dec is gone */
		free(dec);
		return name;
	}
	if (which)
		return NULL;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (len == 0 || memchr(buf, '\0', len))
		return NULL;
	char *copy = terminated ? NULL : xstrndup(buf, len);
	const char *text = copy ? copy : buf;
	int best = 0;
	const struct reader *r = NULL;
	for (size_t i = 0; i < N_READERS && best < SNIFF_CERTAIN; i++) {
		int s = readers[i]->sniff(text, len);
		if (s > best) {
			best = s;
			r = readers[i];
		}
	}
	if (!copy) {
		sniffed.buf = text;
		sniffed.len = len;
		sniffed.best = r;
		sniffed.score = best;
	}
	free(copy);
	return r ? r->name : NULL;
}

const char *history_sniff(const char *buf, size_t len)
{
	return sniff_name(buf, len, 0);
}

const char *history_sniff_terminated(const char *buf, size_t len)
{
	return sniff_name(buf, len, 1);
}
