/*
 * TensorBoard event files (events.out.tfevents.*): TFRecord framing and the
 * few protobuf fields that hold scalars, gathered into a tb_log that one or
 * more files of a run add to; tb_log_run turns it into a struct run.
 *
 * The caller holds a struct tb_log (tb_log_init/tb_log_release); the log owns
 * its tags, values and notes; the run tb_log_run returns is the caller's.
 */
#ifndef SCRAM_TFEVENTS_H
#define SCRAM_TFEVENTS_H

#include <stddef.h>

#include "../util/namemap.h"
#include "reader.h"

/* Which folder of a Keras log dir a file sits in: it gives the split. */
enum tb_dir { TB_DIR_NONE, TB_DIR_TRAIN, TB_DIR_VAL };

struct tb_scalar {
	size_t tag;		/* index into tb_log.tag */
	size_t file;		/* 0-based order in which files were added */
	size_t seq;		/* record order across the log */
	double step;
	double value;
};

struct tb_log {
	char **tag;		/* key: a split letter ('-', 't', 'v') then the tag */
	unsigned char *skip;	/* per tag: 1 when its plugin is not scalars */
	size_t n_tags, tag_cap;
	struct name_map map;
	struct tb_scalar *v;
	size_t n, cap;
	size_t n_files;
	size_t records;
	size_t skipped;		/* non-scalar values (histograms, images, text...) */
	char **notes;
	size_t n_notes;
};

void tb_log_init(struct tb_log *log);
void tb_log_release(struct tb_log *log);
/*
 * Add the scalars of one event file. A corrupt record is an error naming its
 * byte offset (0 or -1 with err set; the log may then hold part of the file);
 * a partial last record ends the file with a note.
 */
int tb_log_add(struct tb_log *log, const char *buf, size_t len, enum tb_dir dir,
	       struct read_error *err);
/* Add one scalar as another store gives it (W&B history rows): the same
 * tag conventions then decide its axis. */
void tb_log_push(struct tb_log *log, const char *tag, double step, double value);
/* The run the log holds, with its notes; NULL with err set when there are
 * no scalar values. */
struct run *tb_log_run(struct tb_log *log, const char *path, struct read_error *err);
/* The split a file's folder gives: "validation/" or "train/" right above it. */
enum tb_dir tb_dir_of(const char *path);
/* Does the buffer start with a TFRecord whose length checksum holds? */
int tfevents_sniff(const char *buf, size_t len);

#endif
