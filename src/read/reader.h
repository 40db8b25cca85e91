/*
 * src/read/: one reader per format; the only stage that parses files.
 * Uses model/ and util/.
 *
 * History readers and the table that picks one by content.
 *
 * Each reader turns a whole file (already checked to be non-empty UTF-8 text
 * without NUL bytes, BOM removed; past its first MiB, a reader with
 * checks_text checks the bytes itself as it reads them) into one or more runs appended to a
 * run_list, which owns them. The file is mapped read-only, not copied; a
 * reader that goes through it in order calls file_release_before (util/file.h)
 * as it goes, so that a history of any size costs memory only for its runs. On failure a reader leaves the list as it was
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
 * Histories are mapped, not copied, and have no size cap (history_read).
 * This is the most read whole into memory of a file whose format is not
 * streamed (a W&B .wandb store, an MLflow metrics file, a TensorBoard log
 * probed in a folder, a growing log under --follow); the message says so.
 */
#define READ_WHOLE_MAX_BYTES ((size_t)64 << 20)

struct reader {
	const char *name;
	/* 0: not this format; larger: more certain. buf is NUL-terminated. */
	int (*sniff)(const char *buf, size_t len);
	/* 0 on success, -1 with err set. buf is NUL-terminated (buf[len] == 0). */
	int (*read)(const char *path, const char *buf, size_t len,
		    struct run_list *out, struct read_error *err);
	/* 1: read may be given bytes not yet checked as text (past
	 * text_vouched_get()); it checks each before it uses it and says how
	 * far it did with text_vouched_set. */
	int checks_text;
};

/*
 * Bytes of the buffer being read known to be UTF-8 without NUL bytes: those
 * before text_vouched_get() (SIZE_MAX: all). A reader with checks_text moves
 * it on as it checks what it reads; reader.c checks the rest after it.
 */
size_t text_vouched_get(void);
void text_vouched_set(size_t upto);

extern const struct reader reader_csv;	/* read_csv.c: Keras, pandas, Lightning, plain CSV */
extern const struct reader reader_json;	/* read_json.c: history dicts, pandas, records, HF */
extern const struct reader reader_text;	/* read_text.c: console and free-text logs */
extern const struct reader reader_wandb_csv;	/* wandb.c: W&B chart panel CSV exports */
/* Binary formats: sniffed on the raw bytes, before the text checks. */
extern const struct reader reader_tfevents;	/* tfevents.c: TensorBoard event files */
extern const struct reader reader_mlflow_db;	/* mlflow.c: an MLflow SQLite store */

/* Read the history at path ("-" is standard input). 0 or -1 as above. */
int history_read(const char *path, struct run_list *out, struct read_error *err);
/*
 * history_read for a file found in a folder: want(buf, len, arg) sees the
 * mapped bytes first and says whether they are a history to read (nonzero)
 * or not (0: returns 1, nothing read). -2 when the file cannot be opened or
 * mapped (err set); else as history_read.
 */
int history_read_if(const char *path, int (*want)(const char *buf, size_t len, void *arg),
		    void *arg, struct run_list *out, struct read_error *err);
/* The same over a buffer of len bytes (need not be NUL-terminated). */
int history_read_buffer(const char *path, const char *buf, size_t len,
			struct run_list *out, struct read_error *err);
/* Which reader would take a file that starts so ("csv", "json",
 * "text-log"), or NULL when none would. */
const char *history_sniff(const char *buf, size_t len);
/* The same for a buf whose buf[len] is a NUL byte (no copy is made). */
const char *history_sniff_terminated(const char *buf, size_t len);


/*
 * Is the text a final summary of a run rather than a history: a flat JSON
 * object of last values (Trainer.save_metrics' all_results.json,
 * eval_results.json, train_results.json; W&B's wandb-summary.json)? Folder
 * audits pass over such files; named explicitly they are an error.
 */
int history_is_summary(const char *buf, size_t len);
/*
 * Two trainer_state.json texts (an output folder's checkpoint-N snapshots
 * and its final state): 1 when a's log_history is a prefix of b's (or the
 * same), -1 when b's is a prefix of a's, 0 when neither (another run: a
 * different max_steps or different entries) or either is no trainer state.
 */
int history_hf_prefix(const char *a, size_t alen, const char *b, size_t blen);

/* is_missing_marker out of line. */
int missing_marker_at(const char *s, size_t len);
/* Is the string a missing-value marker: empty, NA, N/A, null, None? Inline
 * for the commonest answer, asked of every cell: one that starts with a
 * digit is a value (every marker starts with an n, after any blanks). */
static inline int is_missing_marker(const char *s, size_t len)
{
	if (len && (unsigned)(s[0] - '0') <= 9)
		return 0;
	return missing_marker_at(s, len);
}

#endif
