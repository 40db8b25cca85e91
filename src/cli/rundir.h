/*
 * Folders that are one training run: a TensorBoard log dir (event files, or
 * Keras' train/ and validation/ subfolders; Lightning version_N/, HF
 * runs/<date>/), an MLflow file-store run, a Hugging Face output dir of
 * checkpoint-N snapshots of trainer_state.json, a W&B offline run folder.
 * Folder audits count these as runs, not as the files inside them.
 */
#ifndef SCRAM_RUNDIR_H
#define SCRAM_RUNDIR_H

#include "../read/reader.h"

enum rundir_kind {
	RUNDIR_NONE,
	RUNDIR_TENSORBOARD,
	RUNDIR_KERAS_TB,	/* train/ and validation/ subfolders of event files */
	RUNDIR_MLFLOW,
	RUNDIR_HF_OUTPUT,
	RUNDIR_WANDB
};

/* What kind of run folder dir is, or RUNDIR_NONE. */
enum rundir_kind rundir_detect(const char *dir);
/*
 * The same of a folder just listed: names[0..n) are its entries but hidden
 * ones, sorted by strcmp (a listing that could not be read is no listing:
 * ask rundir_detect). The folder is not listed again, and the files and
 * subfolders the answer hangs on are looked for only when listed.
 */
enum rundir_kind rundir_detect_listed(const char *dir, char *const *names, size_t n);
/* Is this file one that a run folder of its parent reads (an event file)? */
int rundir_owns_file(const char *name);
/* Is this file directly in a run folder of that kind read as part of its run
 * (a Hugging Face output folder's trainer_state.json)? */
int rundir_owns_member(enum rundir_kind kind, const char *name);
/* Should a folder walk skip this subfolder of a run folder of that kind?
 * (A Hugging Face output folder's runs/ holds the TensorBoard logs of the
 * same run: read once, from trainer_state.json.) */
int rundir_owns_subdir(enum rundir_kind kind, const char *name);
/* Is dir/name the runs/ logging folder of a Hugging Face output folder (one
 * with trainer_state.json, or checkpoint-N snapshots of it)? */
int rundir_hf_logging_dir(const char *dir, const char *name);
/* Read the run(s) of a run folder: 0, or -1 with err set. */
int rundir_read(const char *dir, enum rundir_kind kind, struct run_list *out,
		struct read_error *err);

#endif
