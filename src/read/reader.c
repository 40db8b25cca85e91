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

static const struct reader *binary_reader_for(const char *buf, size_t len)
{
	for (size_t i = 0; i < N_BINARY_READERS; i++)
		if (binary_readers[i]->sniff(buf, len) > 0)
			return binary_readers[i];
	return NULL;
}

int is_missing_marker(const char *s, size_t len)
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

/* Checks every reader can rely on; returns 0 or -1 with err set. */
static int check_text(const char *buf, size_t len, struct read_error *err)
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
	const char *nul = memchr(buf, '\0', len);
	if (nul) {
		/* UTF-16 without a BOM shows as every other byte NUL. */
		if (len >= 4 && (buf[1] == '\0' || buf[0] == '\0') && (nul - buf) <= 1)
			read_error_set(err, 0, "UTF-16 text; save the history as UTF-8");
		else
			read_error_set(err, line_at(buf, (size_t)(nul - buf)),
				       "binary data (NUL byte at offset %zu); not a training history",
				       (size_t)(nul - buf));
		return -1;
	}
	size_t bad = utf8_invalid_at(u, len);
	if (bad < len) {
		read_error_set(err, line_at(buf, bad),
			       "invalid UTF-8 (byte 0x%02X at offset %zu); not a text history",
			       u[bad], bad);
		return -1;
	}
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

/* Does any run from index from on hold a value (finite or not)? */
static int has_values(const struct run_list *list, size_t from)
{
	for (size_t i = from; i < list->n; i++) {
		const struct run *run = list->v[i];
		for (const struct run *t = run; t; t = t->steps)
			for (size_t s = 0; s < t->n_series; s++)
				for (size_t e = 0; e < t->n_epochs; e++)
					if (!t->series[s].missing[e])
						return 1;
	}
	return 0;
}

int history_read_buffer(const char *path, const char *buf, size_t len,
			struct run_list *out, struct read_error *err)
{
	const struct reader *bin = binary_reader_for(buf, len);
	if (bin) {
		char *raw = xmalloc(len + 1);
		memcpy(raw, buf, len);
		raw[len] = '\0';
		size_t before = out->n;
		int brc = bin->read(path, raw, len, out, err);
		free(raw);
		if (brc == 0 && out->n == before) {
			read_error_set(err, 0, "no runs found");
			brc = -1;
		}
		return brc;
	}
	/* Readers get a NUL-terminated private copy without the BOM. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (check_text(buf, len, err))
		return -1;
	char *copy = xstrndup(buf, len);
	const struct reader *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < N_READERS && best_score < SNIFF_CERTAIN; i++) {
		int s = readers[i]->sniff(copy, len);
		if (s > best_score) {
			best_score = s;
			best = readers[i];
		}
	}
	int rc;
	if (!best) {
		read_error_set(err, 1, "not a training history this tool can read "
			       "(no CSV header, JSON or epoch log found)");
		rc = -1;
	} else {
		size_t before = out->n;
		rc = best->read(path, copy, len, out, err);
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
	free(copy);
	return rc;
}

int history_read(const char *path, struct run_list *out, struct read_error *err)
{
	char *buf;
	size_t len;
	if (slurp_file(path, HISTORY_MAX_BYTES, &buf, &len, err))
		return -1;
	int rc = history_read_buffer(path, buf, len, out, err);
	free(buf);
	return rc;
}

const char *history_sniff(const char *buf, size_t len)
{
	const struct reader *bin = binary_reader_for(buf, len);
	if (bin)
		return bin->name;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (len == 0 || memchr(buf, '\0', len))
		return NULL;
	char *copy = xstrndup(buf, len);
	int best = 0;
	const char *name = NULL;
	for (size_t i = 0; i < N_READERS && best < SNIFF_CERTAIN; i++) {
		int s = readers[i]->sniff(copy, len);
		if (s > best) {
			best = s;
			name = readers[i]->name;
		}
	}
	free(copy);
	return name;
}
