/*
 * TensorBoard event files and run folders: the TFRecord framing and its
 * corruptions, scalar encodings (simple_value, float/half/double tensors),
 * the axis each writer's tags go to, and the folders that are one run
 * (testdata/tfevents/, written by its make.py; testdata/rundirs/).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/rundir.h"
#include "model/run.h"
#include "read/reader.h"
#include "read/tfevents.h"
#include "testutil.h"
#include "util/file.h"

#define TD "testdata/tfevents/"
#define RD "testdata/rundirs/"

static struct run_list runs;
static struct read_error err;

static void setup(void)
{
	memset(&runs, 0, sizeof(runs));
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	run_list_release(&runs);
}

static char *slurp(const char *path, size_t *len)
{
	char *buf;
	struct read_error e;
	ck_assert_msg(slurp_file(path, 1 << 24, &buf, len, &e) == 0, "%s: %s", path, e.msg);
	return buf;
}

static const struct series *series(const struct run *run, const char *name)
{
	int i = run_find_series(run, name);
	ck_assert_msg(i >= 0, "no series %s", name);
	return &run->series[i];
}

static int has_note(const struct run *run, const char *part)
{
	for (size_t i = 0; i < run->n_notes; i++)
		if (strstr(run->notes[i], part))
			return 1;
	return 0;
}

START_TEST(simple_values_per_epoch)
{
	ck_assert_int_eq(history_read(TD "good.tfevents", &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_str_eq(r->format, "tfevents");
	ck_assert_uint_eq(r->n_epochs, 6);
	ck_assert_int_eq(r->axis, AXIS_EPOCH);
	for (size_t s = 0; s < 6; s++) {
		ck_assert_double_eq_tol(series(r, "loss")->v[s], 1.0 / (double)(s + 1), 1e-6);
		ck_assert_double_eq_tol(series(r, "val_loss")->v[s], 1.2 / (double)(s + 1), 1e-6);
	}
	ck_assert_ptr_null(r->steps);
}
END_TEST

START_TEST(corrupt_data_and_length)
{
	size_t len;
	char *buf = slurp(TD "good.tfevents", &len);
	buf[42 + 12 + 5] ^= 0x40;
	ck_assert_int_eq(history_read_buffer("t", buf, len, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "byte 42: record checksum does not match (a corrupt TFRecord)");
	buf[42 + 12 + 5] ^= 0x40;
	buf[42 + 1] ^= 0x01;
	ck_assert_int_eq(history_read_buffer("t", buf, len, &runs, &err), -1);
	ck_assert_str_eq(err.msg, "byte 42: record length checksum does not match "
			 "(a corrupt TFRecord)");
	ck_assert_uint_eq(runs.n, 0);
	free(buf);
}
END_TEST

/* Every prefix of a file: a partial last record is read up to, with a note. */
START_TEST(every_truncation)
{
	size_t len;
	char *buf = slurp(TD "good.tfevents", &len);
	size_t ok = 0;
	unsigned char *at_boundary = calloc(len + 1, 1);
	for (size_t off = 0; off + 8 <= len;) {
		uint64_t rec = 0;
		for (int i = 7; i >= 0; i--)
			rec = rec << 8 | (unsigned char)buf[off + (size_t)i];
		off += 16 + (size_t)rec;
		if (off <= len)
			at_boundary[off] = 1;
	}
	for (size_t n = 1; n < len; n++) {
		struct run_list l = { 0 };
		struct read_error e;
		if (history_read_buffer("t", buf, n, &l, &e) == 0) {
			ok++;
			ck_assert_msg(l.v[0]->n_epochs <= 6, "prefix %zu", n);
			ck_assert_msg(at_boundary[n] || has_note(l.v[0], "ends inside a record"),
				      "prefix %zu", n);
		} else {
			ck_assert_uint_eq(l.n, 0);
		}
		run_list_release(&l);
	}
	ck_assert_uint_gt(ok, 0);
	free(at_boundary);
	free(buf);
}
END_TEST

START_TEST(same_step_in_record_order)
{
	ck_assert_int_eq(history_read(TD "tf1-same-step.tfevents", &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_uint_eq(r->n_epochs, 5);
	ck_assert_double_eq_tol(series(r, "cost")->v[1], 0.6, 1e-6);
	ck_assert_nan(series(r, "cost")->v[2]);
	ck_assert(has_note(r, "same step"));
}
END_TEST

START_TEST(keras_train_and_validation)
{
	enum rundir_kind k = rundir_detect(TD "keras-overfit");
	ck_assert_int_eq(k, RUNDIR_KERAS_TB);
	ck_assert_int_eq(rundir_read(TD "keras-overfit", k, &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_int_eq(r->framework, FW_KERAS);
	ck_assert_uint_eq(r->n_epochs, 10);
	ck_assert_int_eq(series(r, "val_loss")->split, SPLIT_VAL);
	ck_assert_double_eq_tol(series(r, "val_loss")->v[9], 0.97, 1e-6);
	ck_assert_double_eq_tol(series(r, "accuracy")->v[0], 0.6, 1e-6);
	ck_assert_int_eq(run_find_series(r, "dense/kernel_0"), -1);
}
END_TEST

START_TEST(hf_steps_and_evaluations)
{
	const char *d = TD "hf-runs/Dec05_05-05-28_host";
	ck_assert_int_eq(rundir_detect(d), RUNDIR_TENSORBOARD);
	ck_assert_int_eq(rundir_read(d, RUNDIR_TENSORBOARD, &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_int_eq(r->framework, FW_TRANSFORMERS);
	ck_assert_int_eq(r->axis, AXIS_EVAL);
	ck_assert_uint_eq(r->n_epochs, 4);
	ck_assert_double_eq(r->at_step[1], 20);
	ck_assert_double_eq_tol(r->at_epoch[1], 1.0, 1e-6);
	ck_assert_ptr_nonnull(r->steps);
	ck_assert_uint_eq(r->steps->n_epochs, 40);
	ck_assert_double_eq_tol(series(r->steps, "loss")->v[0], 2.0 / 1.05, 1e-5);
	ck_assert_double_eq_tol(r->steps->at_epoch[0], 0.05, 1e-6);
	ck_assert_int_eq(run_find_series(r->steps, "train_loss"), -1);
}
END_TEST

START_TEST(lightning_epochs_and_steps)
{
	const char *d = TD "lightning/version_0";
	ck_assert_int_eq(rundir_read(d, rundir_detect(d), &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_int_eq(r->framework, FW_LIGHTNING);
	ck_assert_uint_eq(r->n_epochs, 6);
	ck_assert_double_eq_tol(series(r, "val_loss")->v[5], 1.4 - 0.75, 1e-6);
	ck_assert_uint_eq(r->steps->n_epochs, 24);
	ck_assert_double_eq(r->steps->at_epoch[23], 5);
}
END_TEST

START_TEST(restart_half_and_double)
{
	const char *d = TD "restart";
	ck_assert_int_eq(rundir_read(d, rundir_detect(d), &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_uint_eq(r->n_epochs, 8);
	/* Step 3 again in the second file: its values replace the first's. */
	ck_assert_double_eq_tol(series(r, "loss")->v[3], 0.6, 1e-3);
	ck_assert_double_eq_tol(series(r, "val_loss")->v[3], 0.85, 1e-12);
	ck_assert_double_eq_tol(series(r, "loss")->v[0], 1.0, 1e-3);
	ck_assert(has_note(r, "restart"));
}
END_TEST

START_TEST(dir_split)
{
	ck_assert_int_eq(tb_dir_of("logs/validation/events.out.tfevents.1"), TB_DIR_VAL);
	ck_assert_int_eq(tb_dir_of("logs/train/events.out.tfevents.1"), TB_DIR_TRAIN);
	ck_assert_int_eq(tb_dir_of("events.out.tfevents.1"), TB_DIR_NONE);
	ck_assert_int_eq(tb_dir_of("logs/x/events"), TB_DIR_NONE);
}
END_TEST

START_TEST(mlflow_folders_and_db)
{
	ck_assert_int_eq(rundir_detect(RD "mlruns/1"), RUNDIR_NONE);
	const char *d = RD "mlruns/1/bbbb2222";
	ck_assert_int_eq(rundir_detect(d), RUNDIR_MLFLOW);
	ck_assert_int_eq(rundir_read(d, RUNDIR_MLFLOW, &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_uint_eq(r->n_epochs, 8);
	ck_assert_double_eq_tol(series(r, "val/loss")->v[7], 1.02, 1e-12);
	ck_assert(has_note(r, "unfinished"));
	run_list_release(&runs);
	ck_assert_int_eq(history_read(RD "mlflow.db", &runs, &err), 0);
	ck_assert_uint_eq(runs.n, 2);
	ck_assert_str_eq(runs.v[0]->format, "mlflow-db");
	ck_assert_str_eq(runs.v[1]->label, RD "mlflow.db (run wild-cat-2)");
	ck_assert_nan(series(runs.v[1], "loss")->v[2]);
	ck_assert(has_note(runs.v[1], "unfinished"));
}
END_TEST

START_TEST(hf_output_and_wandb)
{
	ck_assert_int_eq(rundir_detect(RD "hf-output"), RUNDIR_HF_OUTPUT);
	ck_assert_int_eq(rundir_read(RD "hf-output", RUNDIR_HF_OUTPUT, &runs, &err), 0);
	ck_assert_uint_eq(runs.n, 2);
	ck_assert(has_note(runs.v[1], "prefixes of it): checkpoint-10"));
	run_list_release(&runs);
	ck_assert_int_eq(history_read(RD "wandb-export.csv", &runs, &err), 0);
	ck_assert_uint_eq(runs.n, 2);
	ck_assert_str_eq(runs.v[0]->format, "wandb-csv");
	ck_assert_int_eq(run_find_series(runs.v[0], "train/loss__MIN"), -1);
	ck_assert_uint_eq(runs.v[1]->steps->n_epochs, 7);
	run_list_release(&runs);
	const char *w = RD "wandb/run-20240101_000000-abcd1234";
	ck_assert_int_eq(rundir_detect(w), RUNDIR_WANDB);
	ck_assert_int_eq(rundir_read(w, RUNDIR_WANDB, &runs, &err), -1);
	ck_assert(strstr(err.msg, "a summary, not a history") != NULL);
	/* History rows from the binary log, one spanning three blocks. */
	w = RD "wandb/run-20240102_000000-nanrun01";
	ck_assert_int_eq(rundir_read(w, RUNDIR_WANDB, &runs, &err), 0);
	const struct run *r = runs.v[0];
	ck_assert_str_eq(r->format, "wandb");
	ck_assert_int_eq(r->framework, FW_TRANSFORMERS);
	ck_assert_uint_eq(r->steps->n_epochs, 13);
	ck_assert_double_eq(r->steps->at_step[0], 10);
	ck_assert_double_eq_tol(r->steps->at_epoch[1], 0.5, 1e-12);
	ck_assert_double_eq_tol(series(r->steps, "loss")->v[1], 2.0 / 1.3, 1e-12);
	ck_assert_nan(series(r->steps, "loss")->v[12]);
	ck_assert_double_eq(r->steps->at_step[12], 130);
	run_list_release(&runs);
	ck_assert_int_eq(rundir_read(RD "wandb/run-20240103_000000-badcrc01", RUNDIR_WANDB,
				     &runs, &err), -1);
	ck_assert_str_eq(err.msg, "'run-badcrc01.wandb': byte 7: record checksum does not "
			 "match (a corrupt .wandb file)");
}
END_TEST

/* Every event file and run folder of the shared corpus reads or says why not. */
START_TEST(corpus_formats)
{
	if (!corpus_present())
		return;
	static const char *const ok[] = {
		"formats/tfevents/TheCodeheadMT__TensorBoard-Tutorial/archive/logs/imdb-model-1690485351",
		"formats/tfevents/Abdul-AA__Text-Generation-With-LSTM/lightning_logs/version_0",
		"formats/mlflow/Anirudh2465__Tooth-Pathology/runs/mlflow/859370485327238821/"
		"d868beba89a54d998a31417b7f053730",
		"formats/mlflow/10-Academy-Batch-4-Week-4__Swahili-Speech-To-Text/mlruns/1/"
		"ed05f9cd599442fe9a0c9222184710b8",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CORPUS_DIR, ok[i]);
		enum rundir_kind k = rundir_detect(path);
		ck_assert_msg(k != RUNDIR_NONE, "%s", path);
		ck_assert_msg(rundir_read(path, k, &runs, &err) == 0, "%s: %s", path, err.msg);
		ck_assert_uint_gt(runs.v[runs.n - 1]->n_epochs, 5);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tfevents");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, simple_values_per_epoch);
	tcase_add_test(tc, corrupt_data_and_length);
	tcase_add_test(tc, every_truncation);
	tcase_add_test(tc, same_step_in_record_order);
	tcase_add_test(tc, keras_train_and_validation);
	tcase_add_test(tc, hf_steps_and_evaluations);
	tcase_add_test(tc, lightning_epochs_and_steps);
	tcase_add_test(tc, restart_half_and_double);
	tcase_add_test(tc, dir_split);
	tcase_add_test(tc, mlflow_folders_and_db);
	tcase_add_test(tc, hf_output_and_wandb);
	tcase_add_test(tc, corpus_formats);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(suite());
}
