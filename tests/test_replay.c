/* Schedules (replay.md), judgment points, and the replay's detected/onset/persists. */
#include <string.h>

#include "testutil.h"

#include "engine/causes.h"
#include "engine/replay.h"
#include "engine/rules.h"
#include "model/run.h"

/* The epochs 1..N a schedule checks, as "1,2,5" (final check not included). */
static void checked(const char *spec, size_t T, char *out, size_t len)
{
	struct schedule s;
	char err[256];
	ck_assert_int_eq(schedule_parse(&s, spec, err, sizeof(err)), 0);
	out[0] = '\0';
	for (size_t e = 1; e <= T; e++)
		if (schedule_checks(&s, e, T)) {
			size_t n = strlen(out);
			snprintf(out + n, len - n, "%s%zu", n ? "," : "", e);
		}
}

START_TEST(test_every)
{
	char buf[256];
	checked("every", 5, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,2,3,4,5");
}
END_TEST

START_TEST(test_interval)
{
	char buf[256];
	checked("interval:5", 17, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,6,11,16");
	checked("interval:1", 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1,2,3");
}
END_TEST

START_TEST(test_adaptive_default)
{
	char buf[512];
	/* T = 50: none while e <= 10; every epoch 11..20; then 30, 40, 50. */
	checked("adaptive", 50, buf, sizeof(buf));
	ck_assert_str_eq(buf, "11,12,13,14,15,16,17,18,19,20,30,40,50");
	checked("adaptive:0.2,0.4,10", 50, buf, sizeof(buf));
	ck_assert_str_eq(buf, "11,12,13,14,15,16,17,18,19,20,30,40,50");
	/* T = 12: window 2 < e <= 4 (floor 2.4 = 4? no: 0.4*12 = 4.8 -> 4). */
	checked("adaptive", 12, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3,4");
	checked("adaptive:0.1,0.5,3", 20, buf, sizeof(buf));
	ck_assert_str_eq(buf, "3,4,5,6,7,8,9,10,13,16,19");
}
END_TEST

START_TEST(test_final)
{
	char buf[256];
	checked("final", 9, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_bad_schedules)
{
	struct schedule s;
	char err[256];
	const char *bad[] = { "interval:0", "interval:", "interval:-3", "interval:2x",
			      "adaptive:0.5,0.2,10", "adaptive:0.2,0.4", "adaptive:0.2,0.4,0",
			      "adaptive:0.2,1.5,10", "sometimes", "", "every:1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(schedule_parse(&s, bad[i], err, sizeof(err)) == -1,
			      "'%s' accepted", bad[i]);
	ck_assert_int_eq(schedule_parse(&s, "sometimes", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown schedule 'sometimes' (every, interval:K, adaptive[:a,b,k], final)");
}
END_TEST

START_TEST(test_describe)
{
	struct schedule s;
	char err[256], buf[64];
	schedule_parse(&s, "adaptive", err, sizeof(err));
	schedule_describe(&s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "adaptive:0.2,0.4,10");
	schedule_parse(&s, "interval:3", err, sizeof(err));
	schedule_describe(&s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "interval:3");
}
END_TEST

START_TEST(test_judgment_epoch)
{
	ck_assert_uint_eq(judgment_epoch(0, 50), 1);
	ck_assert_uint_eq(judgment_epoch(0.3, 50), 15);
	ck_assert_uint_eq(judgment_epoch(0.3, 10), 3);	/* 0.3 * 10 is 3.0000000000000004 */
	ck_assert_uint_eq(judgment_epoch(0.3, 11), 4);	/* 3.3 -> 4 */
	ck_assert_uint_eq(judgment_epoch(1, 7), 7);
	ck_assert_uint_eq(judgment_epoch(0.3, 1), 1);
}
END_TEST

/* A rule on the nan-loss detector with the given judgment point. */
static void nan_rule(struct ruleset *set, const char *judgment)
{
	char text[512], err[256];
	snprintf(text, sizeof(text),
		 "id: nan-loss\ndetector: nan-loss\nseverity: error\njudgment: %s\n"
		 "title: {series} became {value}\n[message]\nm {epoch}\n[why]\nw\n[fix]\nf\n"
		 "[snippet]\ns {x}\n", judgment);
	set->v = calloc(1, sizeof(*set->v));
	set->n = 1;
	ck_assert_msg(rule_parse(&set->v[0], "t.rule", text, err, sizeof(err)) == 0, "%s", err);
}

/* loss: 1, 1, NaN at `bad`, then NaN; n epochs. */
static struct run *nan_run(size_t n, size_t bad)
{
	struct run *run = run_new("t.csv", "keras-csv");
	size_t s = run_add_series(run, "loss");
	for (size_t i = 0; i < n; i++) {
		run_add_epoch(run, (long)i + 2);
		run_set(run, s, i, i + 1 >= bad ? NAN : 1.0);
	}
	run_map_roles(run);
	return run;
}

static struct run_result replay_with(const char *sched, const char *judgment, size_t n,
				     size_t bad, struct ruleset *set, struct run **run)
{
	struct replay_opts o = { 0 };
	char err[256];
	ck_assert_int_eq(schedule_parse(&o.schedule, sched, err, sizeof(err)), 0);
	nan_rule(set, judgment);
	*run = nan_run(n, bad);
	struct run_result res = { 0 };
	replay_run(set, &o, *run, &res);
	return res;
}

START_TEST(test_replay_every)
{
	struct ruleset set = { 0 };
	struct run *run;
	struct run_result res = replay_with("every", "0", 10, 4, &set, &run);
	ck_assert_uint_eq(res.checks_run, 10);
	ck_assert_uint_eq(res.n_f, 1);
	ck_assert_uint_eq(res.f[0].detected_epoch, 4);
	ck_assert_uint_eq(res.f[0].onset_epoch, 4);
	ck_assert_int_eq(res.f[0].persists, 1);
	ck_assert_int_eq(res.f[0].line, 5);	/* epoch 4 sits on line 5 */
	ck_assert_str_eq(res.f[0].title, "loss became NaN");
	ck_assert_str_eq(res.f[0].message, "m 4");
	ck_assert_str_eq(res.f[0].snippet, "s {x}");	/* unknown braces stay in code */
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
}
END_TEST

START_TEST(test_replay_interval_delay)
{
	struct ruleset set = { 0 };
	struct run *run;
	/* interval:5 checks 1, 6, 11 and the final 12: NaN from 4 is caught at 6. */
	struct run_result res = replay_with("interval:5", "0", 12, 4, &set, &run);
	ck_assert_uint_eq(res.checks_run, 4);
	ck_assert_uint_eq(res.f[0].detected_epoch, 6);
	ck_assert_uint_eq(res.f[0].onset_epoch, 4);
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
}
END_TEST

START_TEST(test_replay_final_and_judgment)
{
	struct ruleset set = { 0 };
	struct run *run;
	struct run_result res = replay_with("final", "0", 12, 4, &set, &run);
	ck_assert_uint_eq(res.checks_run, 1);
	ck_assert_uint_eq(res.f[0].detected_epoch, 12);
	ck_assert_uint_eq(res.f[0].onset_epoch, 4);
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
	/* judgment 0.5 of 12 epochs: not before epoch 6, so onset is 6. */
	res = replay_with("every", "0.5", 12, 4, &set, &run);
	ck_assert_uint_eq(res.f[0].detected_epoch, 6);
	ck_assert_uint_eq(res.f[0].onset_epoch, 6);
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
}
END_TEST

START_TEST(test_replay_quiet_and_skipped)
{
	struct ruleset set = { 0 };
	struct run *run;
	struct run_result res = replay_with("every", "0", 6, 99, &set, &run);
	ck_assert_uint_eq(res.n_f, 0);
	ck_assert_uint_eq(res.checks_run, 6);
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
	/* A run without loss: the rule is skipped and says why. */
	nan_rule(&set, "0");
	run = run_new("t.csv", "csv");
	size_t s = run_add_series(run, "mae");
	run_add_epoch(run, 2);
	run_set(run, s, 0, 1.0);
	run_map_roles(run);
	struct replay_opts o = { 0 };
	res = (struct run_result){ 0 };
	replay_run(&set, &o, run, &res);
	ck_assert_uint_eq(res.n_f, 0);
	ck_assert_uint_eq(res.n_skipped, 1);
	ck_assert_str_eq(res.skipped[0], "nan-loss: not run: no loss or val_loss series");
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
}
END_TEST

static size_t detections;
static void count_detect(const struct finding *f, void *arg)
{
	(void)arg;
	ck_assert_uint_eq(f->detected_epoch, 3);
	detections++;
}

START_TEST(test_replay_incremental)
{
	/* Feeding epochs in two parts gives the same result as one pass. */
	struct ruleset set = { 0 };
	nan_rule(&set, "0");
	struct run *run = run_new("t.csv", "keras-csv");
	size_t s = run_add_series(run, "loss");
	run_map_roles(run);
	struct replay_opts o = { 0 };
	struct replay *rp = NULL;
	for (size_t i = 0; i < 5; i++) {
		run_add_epoch(run, (long)i + 2);
		run_set(run, s, i, i == 2 ? INFINITY : 0.5);
		run_map_roles(run);
		if (!rp)
			rp = replay_new(&set, &o, run);
		replay_advance(rp, run, i == 4, count_detect, NULL);
	}
	struct run_result res = { 0 };
	replay_finish(rp, run, &res);
	ck_assert_uint_eq(detections, 1);
	ck_assert_uint_eq(res.n_f, 1);
	ck_assert_str_eq(res.f[0].title, "loss became Infinity");
	run_result_release(&res);
	run_free(run);
	ruleset_release(&set);
}
END_TEST

/*
 * Causes taken one finding at a time can close a loop: an oscillation
 * (onset 16) explains the explosion at 22, the explosion explains the
 * divergence seen at the same epoch, and the divergence (a climb: no falls
 * on a run without the series) explains the oscillation. The loop still
 * gets a primary, the best root of it (exploding-loss: non-finite first),
 * and every finding is shown under it.
 */
START_TEST(test_causes_loop_has_a_primary)
{
	static struct rule expl = { .id = "exploding-loss" }, div = { .id = "diverging-loss" },
			   osc = { .id = "oscillating-val-loss" }, early = { .id = "early-stopping" };
	const struct rule *rules[] = { &expl, &div, &osc, &early };
	const size_t onset[] = { 22, 22, 16, 9 };
	struct finding f[4];
	memset(f, 0, sizeof(f));
	for (size_t i = 0; i < 4; i++) {
		f[i].rule = rules[i];
		f[i].onset_epoch = f[i].detected_epoch = onset[i];
		f[i].axis = AXIS_EPOCH;
		f[i].cause = -1;
	}
	struct run_result res = { 0 };
	res.epochs = 30;
	res.f = f;
	res.n_f = 4;
	causes_link(&res);
	size_t primaries = 0;
	for (size_t i = 0; i < 4; i++) {
		if (f[i].cause < 0) {
			primaries++;
			continue;
		}
		ck_assert_int_lt(f[i].cause, 4);
		ck_assert_int_lt(f[f[i].cause].cause, 0);	/* hangs off a primary */
	}
	ck_assert_uint_eq(primaries, 1);
	ck_assert_str_eq(f[0].rule->id, "exploding-loss");
	ck_assert_int_lt(f[0].cause, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("schedules");
	tcase_add_test(tc, test_every);
	tcase_add_test(tc, test_interval);
	tcase_add_test(tc, test_adaptive_default);
	tcase_add_test(tc, test_final);
	tcase_add_test(tc, test_bad_schedules);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_judgment_epoch);
	suite_add_tcase(s, tc);
	tc = tcase_create("replay");
	tcase_add_test(tc, test_replay_every);
	tcase_add_test(tc, test_replay_interval_delay);
	tcase_add_test(tc, test_replay_final_and_judgment);
	tcase_add_test(tc, test_replay_quiet_and_skipped);
	tcase_add_test(tc, test_replay_incremental);
	tcase_add_test(tc, test_causes_loop_has_a_primary);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
