/*
 * Weights & Biases: the CSV a chart panel exports (reader_wandb_csv in
 * reader.h) and offline run folders (wandb/run-DATE-ID/ with files/ and a
 * binary run-ID.wandb). Runs read are appended to a run_list, which owns them.
 */
#ifndef SCRAM_WANDB_H
#define SCRAM_WANDB_H

#include "reader.h"

/* Is dir a W&B run folder (run-*, offline-run-* with files/ or a .wandb)? */
int wandb_is_run_dir(const char *dir);
/* Read its history: 0, or -1 with err set (a folder with only a summary). */
int wandb_read_run_dir(const char *dir, struct run_list *out, struct read_error *err);

/* The history rows of a run-ID.wandb file (header ":W&B", LevelDB-log
 * blocks of 32 KiB, zlib CRC-32 per record, Record protobufs): one run
 * labelled label; 0, or -1 with err set naming a byte offset. */
int wandb_read_history(const char *label, const char *buf, size_t len,
		       struct run_list *out, struct read_error *err);

#endif
