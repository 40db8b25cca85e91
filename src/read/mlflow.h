/*
 * MLflow tracking stores: a file-store run folder (mlruns/<exp>/<run>/ with
 * meta.yaml and metrics/<key> files of "timestamp value step" lines, keys
 * with '/' as nested folders) and the SQLite store (mlflow.db, reader
 * reader_mlflow_db in reader.h). Runs read are appended to a run_list, which
 * owns them.
 */
#ifndef SCRAM_MLFLOW_H
#define SCRAM_MLFLOW_H

#include "reader.h"

/* Is dir an MLflow file-store run folder (meta.yaml with a run_id)? */
int mlflow_is_run_dir(const char *dir);
/* Is dir an MLflow experiment folder (meta.yaml with an experiment_id and
 * no run_id)? */
int mlflow_is_experiment_dir(const char *dir);
/* Read one run folder: 0, or -1 with err set (a run without metrics too). */
int mlflow_read_run_dir(const char *dir, struct run_list *out, struct read_error *err);

#endif
