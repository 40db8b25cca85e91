/*
 * --format jsonl and --merge on a run the CLI tests cannot make yet: one
 * logged per step (its step table, coordinates, evaluations) with findings
 * on both axes. Written, read back, and rendered again in every format, the
 * report must be the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "cli/merge.h"
#include "engine/replay.h"
#include "engine/rules.h"
#include "model/run.h"
#include "render/render.h"

/* A run of 6 evaluations over 600 steps whose loss explodes at step 310. */
static struct run *step_run(void)
{
	struct run *run = run_new("hf/trainer_state.json", "hf-trainer-state");
	run->axis = AXIS_EVAL;
	run->framework = FW_TRANSFORMERS;
	size_t vl = run_add_series(run, "eval_loss"), va = run_add_series(run, "eval_accuracy");
	for (size_t i = 0; i < 6; i++) {
		size_t p = run_add_epoch(run, (long)(10 + i));
		run_set_coords(run, p, (double)(100 * (i + 1)), 0.5 * (double)(i + 1));
		run_set(run, vl, p, i < 3 ? 1.0 - 0.1 * (double)i : NAN);
		run_set(run, va, p, 0.5 + 0.01 * (double)i);
	}
	struct run *st = run_steps(run);
	size_t l = run_add_series(st, "loss"), lr = run_add_series(st, "learning_rate");
	for (size_t i = 0; i < 600; i++) {
		size_t p = run_add_epoch(st, (long)(100 + i));
		run_set_coords(st, p, (double)(i + 1), (double)(i + 1) / 200.0);
		run_set(st, l, p, i < 310 ? 2.0 - 0.001 * (double)i : (i == 311 ? -0.0 : INFINITY));
		if (i % 7)
			run_set(st, lr, p, 1e-4 * (1 + sin((double)i)));
	}
	run_note(run, "a note with \"quotes\"\nand a newline");
	run_map_roles(run);
	return run;
}

static char *render(const struct renderer *fn, const struct report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	render_report(fn, f, rep);
	fclose(f);
	return buf;
}

START_TEST(test_step_run_round_trip)
{
	struct ruleset rules = { 0 };
	char err[512];
	ck_assert_msg(ruleset_load_dir(&rules, "rules", err, sizeof(err)) == 0, "%s", err);
	/* No shipped rule judges steps yet: let nan-loss judge both axes. */
	struct rule *nan = ruleset_find(&rules, "nan-loss");
	ck_assert_ptr_nonnull(nan);
	nan->axes |= 1u << AXIS_STEP;
	struct replay_opts opts = { 0 };
	struct run_result res[2];
	memset(res, 0, sizeof(res));
	res[0].path = strdup("hf/trainer_state.json");
	res[0].label = strdup("hf/trainer_state.json");
	res[0].run = step_run();
	res[0].format = res[0].run->format;
	replay_run(&rules, &opts, res[0].run, &res[0]);
	size_t on_steps = 0;
	for (size_t i = 0; i < res[0].n_f; i++)
		on_steps += res[0].f[i].axis == AXIS_STEP;
	ck_assert_msg(res[0].n_f > on_steps && on_steps >= 1,
		      "%zu findings, %zu on the steps: not both axes", res[0].n_f, on_steps);
	res[1].path = strdup("bad.csv");
	res[1].label = strdup("bad.csv");
	res[1].error = strdup("line 2: expected 2 fields, found 1");
	struct report rep = { 0 };
	rep.schedule = "every";
	rep.runs = res;
	rep.n_runs = 2;
	rep.rules = &rules;
	rep.fail_on = SEV_WARNING;
	rep.verbose = 1;
	rep.chart = 1;

	char path[] = "/tmp/scram-merge-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	render_report(&renderer_jsonl, f, &rep);
	fclose(f);

	struct merge m = { 0 };
	struct run_result *back = NULL;
	size_t n_back = 0;
	char *paths[] = { path };
	ck_assert_int_eq(merge_read(&m, paths, 1, &rules, &back, &n_back), 0);
	unlink(path);
	ck_assert_int_eq(n_back, 2);
	ck_assert_ptr_nonnull(back[0].run->steps);
	ck_assert_int_eq(back[0].steps, res[0].steps);

	struct report rep2 = rep;
	rep2.schedule = m.schedule;
	rep2.runs = back;
	static const char *const formats[] = { "text", "json", "jsonl", "sarif", "github",
					       "junit", "html" };
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *a = render(render_find(formats[i]), &rep);
		char *b = render(render_find(formats[i]), &rep2);
		ck_assert_msg(strcmp(a, b) == 0, "%s differs after the merge", formats[i]);
		free(a);
		free(b);
	}
	ck_assert_int_eq(report_exit_status(&rep), report_exit_status(&rep2));
	for (size_t i = 0; i < n_back; i++)
		run_result_release(&back[i]);
	free(back);
	merge_release(&m);
	run_result_release(&res[0]);
	run_result_release(&res[1]);
	ruleset_release(&rules);
}
END_TEST

static Suite *merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_step_run_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(merge_suite());
}
