/*
 * src/read/: one reader per format; the only stage that parses files.
 * Uses model/ and util/.
 *
 * History readers and the table that picks one by content.
 *
 * Each reader turns a whole file (already checked to be non-empty UTF-8 text
 * without NUL bytes, BOM removed) into one or more runs appended to a
 * run_list, which owns them. On failure a reader leaves the list as it was
 * and fills a read_error with one line: what is wrong, and where.
 */
#ifndef SCRAM_READER_H
#define SCRAM_READER_H

#include <stddef.h>

#include "../model/run.h"
#include "../util/file.h"
#include "../util/number.h"
#include "../util/utf8.h"

/*
 * Largest history read into memory; a larger file is refused. A million
 * epochs of a dozen metrics fit in well under this, and reading takes about
 * 16 times the file's size at the peak, so 64 MiB keeps that near 1 GiB.
 */
#define HISTORY_MAX_BYTES ((size_t)64 << 20)

struct reader {
	const char *name;
	/* 0: not this format; larger: more certain. buf is NUL-terminated. */
	int (*sniff)(const char *buf, size_t len);
	/* 0 on success, -1 with err set. buf is NUL-terminated (buf[len] == 0). */
	int (*read)(const char *path, const char *buf, size_t len,
		    struct run_list *out, struct read_error *err);
};

extern const struct reader reader_csv;	/* read_csv.c: Keras, pandas, Lightning, plain CSV */
extern const struct reader reader_json;	/* read_json.c: history dicts, pandas, records, HF */
extern const struct reader reader_text;	/* read_text.c: console and free-text logs */
extern const struct reader reader_wandb_csv;	/* wandb.c: W&B chart panel CSV exports */
/* Binary formats: sniffed on the raw bytes, before the text checks. */
extern const struct reader reader_tfevents;	/* tfevents.c: TensorBoard event files */
extern const struct reader reader_mlflow_db;	/* mlflow.c: an MLflow SQLite store */

/* Read the history at path ("-" is standard input). 0 or -1 as above. */
int history_read(const char *path, struct run_list *out, struct read_error *err);
/* The same over a buffer of len bytes (need not be NUL-terminated). */
int history_read_buffer(const char *path, const char *buf, size_t len,
			struct run_list *out, struct read_error *err);
/* Which reader would take a file that starts so ("csv", "json",
 * "text-log"), or NULL when none would. */
const char *history_sniff(const char *buf, size_t len);


/* Is the string a missing-value marker: empty, NA, N/A, null, None? */
int is_missing_marker(const char *s, size_t len);

#endif
