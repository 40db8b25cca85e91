/*
 * The run model: metric kinds and splits from names (the METRICS table of
 * scram-check(1)), --series overrides, roles found by kind when no name
 * matches, points described on their axis, step tables, and the "nothing to
 * check" test.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/run.h"
#include "testutil.h"

static void expect(const char *name, enum metric_kind kind, enum metric_split split)
{
	enum metric_kind k;
	enum metric_split s;
	metric_classify(name, &k, &s);
	if (k != kind || s != split)
		ck_abort_msg("'%s': got %s/%s, expected %s/%s", name, metric_kind_name(k),
			     metric_split_name(s), metric_kind_name(kind), metric_split_name(split));
}

START_TEST(kinds_from_names)
{
	expect("loss", KIND_LOSS, SPLIT_TRAIN);
	expect("val_loss", KIND_LOSS, SPLIT_VAL);
	expect("mean_loss", KIND_LOSS, SPLIT_TRAIN);
	expect("train/box_loss", KIND_LOSS, SPLIT_TRAIN);
	expect("val/dfl_loss", KIND_LOSS, SPLIT_VAL);
	expect("G_loss", KIND_LOSS, SPLIT_TRAIN);
	expect("loss/train", KIND_LOSS, SPLIT_TRAIN);
	expect("Loss/val", KIND_LOSS, SPLIT_VAL);
	expect("eval_loss", KIND_LOSS, SPLIT_VAL);
	expect("train_loss_step", KIND_LOSS, SPLIT_TRAIN);
	expect("epoch_loss", KIND_LOSS, SPLIT_TRAIN);
	expect("cost/cross_entropy", KIND_LOSS, SPLIT_TRAIN);
	expect("val/rmse_loss", KIND_LOSS, SPLIT_VAL);
	expect("accuracy", KIND_SCORE, SPLIT_TRAIN);
	expect("val_acc", KIND_SCORE, SPLIT_VAL);
	expect("valacc", KIND_SCORE, SPLIT_VAL);
	expect("metrics/mAP50(B)", KIND_SCORE, SPLIT_VAL);
	expect("metrics/mAP_0.5:0.95", KIND_SCORE, SPLIT_VAL);
	expect("metrics/precision", KIND_SCORE, SPLIT_VAL);
	expect("eval_f1", KIND_SCORE, SPLIT_VAL);
	expect("eval_rouge-1", KIND_SCORE, SPLIT_VAL);
	expect("val_dice_coef", KIND_SCORE, SPLIT_VAL);
	expect("mAP", KIND_SCORE, SPLIT_TRAIN);
	expect("test/accuracy", KIND_SCORE, SPLIT_TEST);
	expect("eval_wer", KIND_ERROR, SPLIT_VAL);
	expect("val_mae", KIND_ERROR, SPLIT_VAL);
	expect("train_perplexity_step", KIND_ERROR, SPLIT_TRAIN);
	expect("learning_rate", KIND_LR, SPLIT_TRAIN);
	expect("lr", KIND_LR, SPLIT_TRAIN);
	expect("lr-Adam", KIND_LR, SPLIT_TRAIN);
	expect("x/lr0", KIND_LR, SPLIT_TRAIN);
	expect("lr/pg2", KIND_LR, SPLIT_TRAIN);
	expect("grad_norm", KIND_GRAD_NORM, SPLIT_TRAIN);
	expect("eval_runtime", KIND_OTHER, SPLIT_VAL);
	expect("train_samples_per_second", KIND_OTHER, SPLIT_TRAIN);
	expect("total_flos", KIND_OTHER, SPLIT_TRAIN);
	expect("epoch", KIND_OTHER, SPLIT_TRAIN);
	expect("created_at", KIND_OTHER, SPLIT_TRAIN);
	expect("hp_metric", KIND_OTHER, SPLIT_TRAIN);
	expect("foo", KIND_OTHER, SPLIT_TRAIN);
	ck_assert(metric_is_accuracy("val_categorical_accuracy"));
	ck_assert(!metric_is_accuracy("val_jaccard"));
	/* top-k with k > 1 is no plain accuracy (chance k/C); top-1 is. */
	ck_assert(!metric_is_accuracy("top5_acc"));
	ck_assert(!metric_is_accuracy("val_top_5_accuracy"));
	ck_assert(!metric_is_accuracy("acc_top10"));
	ck_assert(metric_is_accuracy("top1_acc"));
	ck_assert(metric_is_accuracy("val_top_1_accuracy"));
	ck_assert(metric_is_accuracy("top_acc"));
}
END_TEST

START_TEST(overrides_win)
{
	char err[256];
	ck_assert_int_eq(metric_override_add("foo=loss", err, sizeof(err)), 0);
	ck_assert_int_eq(metric_override_add("bar=score:val", err, sizeof(err)), 0);
	ck_assert_int_eq(metric_override_add("val_loss=other", err, sizeof(err)), 0);
	expect("foo", KIND_LOSS, SPLIT_TRAIN);
	expect("bar", KIND_SCORE, SPLIT_VAL);
	expect("val_loss", KIND_OTHER, SPLIT_VAL);
	expect("foobar", KIND_OTHER, SPLIT_TRAIN);	/* exact names only */
	ck_assert_int_eq(metric_override_add("x=speed", err, sizeof(err)), -1);
	ck_assert(strstr(err, "kind must be") != NULL);
	ck_assert_int_eq(metric_override_add("x=loss:holdout", err, sizeof(err)), -1);
	ck_assert_int_eq(metric_override_add("=loss", err, sizeof(err)), -1);
	metric_overrides_clear();
	expect("foo", KIND_OTHER, SPLIT_TRAIN);
}
END_TEST

static struct run *two_series(const char *a, const char *b, size_t n)
{
	struct run *run = run_new("x.csv", "csv");
	size_t sa = run_add_series(run, a), sb = run_add_series(run, b);
	for (size_t i = 0; i < n; i++) {
		size_t p = run_add_epoch(run, (long)i + 2);
		run_set(run, sa, p, 1.0 / (double)(i + 1));
		run_set(run, sb, p, 2.0 / (double)(i + 1));
	}
	run_map_roles(run);
	return run;
}

START_TEST(roles_by_kind)
{
	struct run *run = two_series("train/box_loss", "val/box_loss", 3);
	ck_assert_str_eq(run_role_name(run, ROLE_LOSS), "train/box_loss");
	ck_assert_str_eq(run_role_name(run, ROLE_VAL_LOSS), "val/box_loss");
	ck_assert_ptr_null(run_role_name(run, ROLE_ACC));
	const char *why = NULL;
	ck_assert(run_has_judgeable(run, &why));
	run_free(run);

	/* mAP is a score, not an accuracy: no acc role, still judgeable. */
	run = two_series("metrics/mAP50(B)", "time", 3);
	ck_assert_ptr_null(run_role_name(run, ROLE_VAL_ACC));
	ck_assert(run_has_judgeable(run, &why));
	run_free(run);

	run = two_series("foo", "bar", 3);
	ck_assert(!run_has_judgeable(run, &why));
	ck_assert_str_eq(why, "no loss, score or error series");
	run_free(run);

	run = two_series("test_loss_final", "test_acc_final", 1);
	/* Test results alone are not a history of training... unless a role
	 * took them as validation, which the name tables do for test_loss. */
	run_free(run);
	run = two_series("predict_loss", "predict_runtime", 1);
	ck_assert(!run_has_judgeable(run, &why));
	ck_assert(strstr(why, "test-set") != NULL);
	run_free(run);
}
END_TEST

START_TEST(points_described)
{
	char buf[96];
	struct run *run = two_series("loss", "val_loss", 3);
	run_point_describe(run, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "epoch 3");
	run->axis = AXIS_EVAL;
	run_set_coords(run, 1, 1200, 1.2);
	run_point_describe(run, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "evaluation 2 (step 1200, epoch 1.20)");
	run_point_describe(run, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "evaluation 1");

	struct run *st = run_steps(run);
	ck_assert_int_eq(st->axis, AXIS_STEP);
	ck_assert_ptr_eq(run_steps(run), st);
	size_t s = run_add_series(st, "loss");
	for (size_t i = 0; i < 40; i++) {
		size_t p = run_add_epoch(st, (long)i + 10);
		run_set(st, s, p, 1.0);
		run_set_coords(st, p, (double)(i + 1) * 5, (double)(i + 1) / 40.0);
	}
	run_point_describe(st, 30, buf, sizeof(buf));
	ck_assert_str_eq(buf, "step 155 (epoch 0.78)");
	run_point_describe(st, 39, buf, sizeof(buf));
	ck_assert_str_eq(buf, "step 200 (epoch 1)");
	/* Coordinates survive growth. */
	ck_assert_double_eq(st->at_step[0], 5);
	run_drop_last(st);
	ck_assert_uint_eq(st->n_epochs, 39);
	run_map_roles(run);
	ck_assert_str_eq(run_role_name(st, ROLE_LOSS), "loss");
	run_free(run);	/* frees the steps too (valgrind/ASan check) */
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");
	tcase_add_test(tc, kinds_from_names);
	tcase_add_test(tc, overrides_win);
	tcase_add_test(tc, roles_by_kind);
	tcase_add_test(tc, points_described);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(model_suite());
}
