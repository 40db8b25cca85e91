/*
 * The step-axis detectors (src/checks/step_*.c) and their rules: each
 * detector stepped by hand through small step runs built in memory, then
 * the rules replayed over real step logs (testdata/step-rules/, see its
 * README) that must fire them or must stay quiet.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/step_common.h"
#include "engine/detector.h"
#include "engine/finding.h"
#include "engine/replay.h"
#include "engine/rules.h"
#include "model/run.h"
#include "read/reader.h"
#include "util/xalloc.h"
#include "testutil.h"

#define MISS (-7777.0)

/* A step run with columns cols ("loss,grad_norm,learning_rate") and n rows,
 * logged every 10 steps, 100 steps an epoch. */
static struct run *mksteps(const char *cols, size_t n, const double *rows)
{
	struct run *run = run_new("trainer_state.json", "hf-trainer-state");
	run->axis = AXIS_STEP;
	char buf[256];
	size_t idx[8], nc = 0;
	snprintf(buf, sizeof(buf), "%s", cols);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
		idx[nc++] = run_add_series(run, tok);
	for (size_t e = 0; e < n; e++) {
		run_add_epoch(run, 0);
		run_set_coords(run, e, 10.0 * (double)(e + 1), (double)(e + 1) / 10.0);
		for (size_t c = 0; c < nc; c++)
			if (rows[e * nc + c] != MISS)
				run_set(run, idx[c], e, rows[e * nc + c]);
	}
	run_map_roles(run);
	return run;
}

struct harness {
	const struct detector *d;
	struct param_value p[8];
};

static void h_init(struct harness *h, const char *name)
{
	memset(h, 0, sizeof(*h));
	h->d = detector_find(name);
	ck_assert_msg(h->d != NULL, "no detector %s", name);
	for (size_t i = 0; i < h->d->n_params; i++) {
		h->p[i].num = h->d->params[i].def;
		h->p[i].word = h->d->params[i].def_word;
	}
}

static void h_set(struct harness *h, const char *name, double x, const char *w)
{
	int i = detector_param_index(h->d, name);
	ck_assert_int_ge(i, 0);
	h->p[i].num = x;
	h->p[i].word = w;
}

/* Step through every point; holds gets '0'/'1' per point, out the values at
 * point `at` (0: the last). Returns prepare's answer. */
static int h_run(const struct harness *h, const struct run *run, char *holds,
		 size_t at, struct values *out)
{
	struct detector_ctx ctx = { .run = run, .param = h->p, .total_epochs = run->n_epochs };
	void *state = xcalloc(1, h->d->state_size);
	const char *why = NULL;
	holds[0] = '\0';
	int rc = h->d->prepare(state, &ctx, &why);
	for (size_t e = 1; rc == 0 && e <= run->n_epochs; e++) {
		struct values v;
		memset(&v, 0, sizeof(v));
		int on = h->d->step(state, &ctx, e, &v);
		ck_assert_msg(on || v.n == 0, "%s reported values without firing", h->d->name);
		holds[e - 1] = on ? '1' : '0';
		holds[e] = '\0';
		if (out && (e == at || (at == 0 && e == run->n_epochs)))
			*out = v;
	}
	free(state);
	return rc;
}

static double num(const struct values *v, const char *key)
{
	const struct value *x = values_get(v, key);
	ck_assert_msg(x && !x->is_word, "no number %s", key);
	return x->num;
}

static const char *word(const struct values *v, const char *key)
{
	const struct value *x = values_get(v, key);
	ck_assert_msg(x && x->is_word, "no word %s", key);
	return x->word;
}

START_TEST(test_median)
{
	double a[] = { 5, 1, 4, 2, 3 };
	ck_assert_double_eq(step_median(a, 5), 3);
	double b[] = { 7, 1, 3, 5 };
	ck_assert_double_eq(step_median(b, 4), 4);
	double c[] = { 2, 2, 2, 9, 2, 2 };
	ck_assert_double_eq(step_median(c, 6), 2);
	double d[] = { 1 };
	ck_assert_double_eq(step_median(d, 1), 1);
	/* Against a sort, on awkward inputs with ties. */
	for (unsigned seed = 1; seed < 200; seed++) {
		double v[37], s[37];
		size_t n = 1 + seed % 37;
		unsigned x = seed;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			v[i] = s[i] = (double)((x >> 16) % 7);
		}
		for (size_t i = 1; i < n; i++)
			for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
				double t = s[j];
				s[j] = s[j - 1];
				s[j - 1] = t;
			}
		double want = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
		ck_assert_double_eq(step_median(v, n), want);
	}
	ck_assert_double_eq(step_sig4(2.30259), 2.303);
	ck_assert_double_eq(step_sig4(0.000123456), 0.0001235);
	ck_assert_double_eq(step_sig4(0), 0);
}
END_TEST

START_TEST(test_zero_lr_all)
{
	double rows[8];
	for (int i = 0; i < 8; i++)
		rows[i] = 0;
	struct run *run = mksteps("learning_rate", 8, rows);
	struct harness h;
	h_init(&h, "zero-learning-rate");
	char holds[16];
	struct values v;
	ck_assert_int_eq(h_run(&h, run, holds, 0, &v), 0);
	ck_assert_str_eq(holds, "00001111");	/* min_points 5 */
	ck_assert_double_eq(num(&v, "zeros"), 8);
	ck_assert_str_eq(word(&v, "variant"), "all");
	ck_assert_str_eq(word(&v, "first_zero"), "step 10 (epoch 0.10)");
	ck_assert_str_eq(word(&v, "unit"), "logged steps");
	run_free(run);
}
END_TEST

START_TEST(test_zero_lr_schedule_ends_at_0)
{
	/* Warm-up from 0, a decay to exactly 0 at the end: two zeros of ten. */
	const double rows[] = { 0, 1e-4, 2e-4, 2e-4, 1.5e-4, 1e-4, 5e-5, 2e-5, 1e-5, 0 };
	struct run *run = mksteps("learning_rate", 10, rows);
	struct harness h;
	h_init(&h, "zero-learning-rate");
	char holds[16];
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000");
	/* Three zeros of the first five fire, with the largest value. */
	const double half[] = { 1e-3, 1e-3, 0, 0, 0, 0 };
	struct run *r2 = mksteps("learning_rate", 6, half);
	struct values v;
	h_run(&h, r2, holds, 0, &v);
	ck_assert_str_eq(holds, "000011");
	ck_assert_double_eq(num(&v, "largest"), 1e-3);
	ck_assert_double_eq(num(&v, "share_pct"), 66);
	run_free(run);
	run_free(r2);
}
END_TEST

START_TEST(test_zero_lr_refuses)
{
	const double rows[] = { 1, 2 };
	struct run *run = mksteps("loss", 2, rows);
	struct harness h;
	h_init(&h, "zero-learning-rate");
	char holds[8];
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	run_free(run);
}
END_TEST

START_TEST(test_grad_norm_spike)
{
	/* A settled level 1..2 for ten points, then 30 at point 11. */
	const double rows[] = { 1, 1.5, 2, 1, 1.5, 2, 1, 1.5, 2, 1.5, 30, 1.5, 1 };
	struct run *run = mksteps("grad_norm", 13, rows);
	struct harness h;
	h_init(&h, "spike");
	h_set(&h, "min_spikes", 1, NULL);
	char holds[16];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	ck_assert_str_eq(holds, "0000000000111");
	ck_assert_double_eq(num(&v, "value"), 30);
	ck_assert_double_eq(num(&v, "median"), 1.5);
	ck_assert_double_eq(num(&v, "ratio"), 20);
	ck_assert_double_eq(num(&v, "history"), 10);
	ck_assert_double_eq(num(&v, "spikes"), 1);
	ck_assert_str_eq(word(&v, "spike_at"), "step 110 (epoch 1.10)");
	/* 14 is under factor 10 x the median 1.5. */
	double low[13];
	memcpy(low, rows, sizeof(low));
	low[10] = 14;
	struct run *r2 = mksteps("grad_norm", 13, low);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000000");
	run_free(run);
	run_free(r2);
}
END_TEST

START_TEST(test_grad_norm_spike_warmup_and_noise)
{
	/* The largest value first (a fresh model) is no spike: no history. */
	const double warm[] = { 286, 40, 30, 25, 30, 35, 28, 26, 30, 27, 29, 31 };
	struct run *run = mksteps("grad_norm", 12, warm);
	struct harness h;
	h_init(&h, "spike");
	h_set(&h, "min_spikes", 1, NULL);
	char holds[16];
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000000000");
	/* Noisy history (MAD 4 around 5): 50 is 10 x the median but only
	 * 45 / 5.93 = 7.6 robust deviations above it. */
	const double noisy[] = { 1, 9, 5, 1, 9, 5, 1, 9, 5, 50 };
	struct run *r2 = mksteps("grad_norm", 10, noisy);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000");
	h_set(&h, "noise", 5, NULL);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000001");
	run_free(run);
	run_free(r2);
}
END_TEST

START_TEST(test_grad_norm_spike_confirmed)
{
	/* grad_norm, loss: a spike at point 11 with the loss unmoved, a second
	 * spike at 15. */
	const double rows[] = {
		1, 2, 1.5, 2, 2, 2, 1, 2, 1.5, 2, 1, 2, 2, 2, 1.5, 2, 1, 2, 1.5, 2,
		30, 2, 1.5, 2, 1, 2, 2, 2, 40, 2, 1, 2,
	};
	struct run *run = mksteps("grad_norm,loss", 16, rows);
	struct harness h;
	h_init(&h, "spike");
	char holds[32];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	ck_assert_str_eq(holds, "0000000000000011");
	ck_assert_double_eq(num(&v, "spikes"), 2);
	ck_assert_str_eq(word(&v, "spike_at"), "step 110 (epoch 1.10)");
	/* One spike at 11, and the loss triples at the point after it. */
	const double jump[] = {
		1, 2, 1.5, 2, 2, 2, 1, 2, 1.5, 2, 1, 2, 2, 2, 1.5, 2, 1, 2, 1.5, 2,
		30, 2, 1.5, 6, 1, 2,
	};
	struct run *r2 = mksteps("grad_norm,loss", 13, jump);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000011");
	/* One spike alone: quiet. */
	struct run *r3 = mksteps("grad_norm,loss", 13, rows);
	h_run(&h, r3, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000000");
	run_free(run);
	run_free(r2);
	run_free(r3);
}
END_TEST

START_TEST(test_nonfinite_grad_norm)
{
	/* Three isolated NaNs in 25 points, the loss finite. */
	double rows[25 * 2];
	for (int i = 0; i < 25; i++) {
		rows[2 * i] = 1.0;
		rows[2 * i + 1] = (i == 2 || i == 9 || i == 17) ? NAN : 0.5;
	}
	struct run *run = mksteps("loss,grad_norm", 25, rows);
	struct harness per, iso;
	h_init(&per, "nonfinite-grad-norm");
	h_init(&iso, "nonfinite-grad-norm");
	h_set(&iso, "mode", 0, "isolated");
	char holds[32], want[32];
	struct values v;
	h_run(&per, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000000000000000000");
	h_run(&iso, run, holds, 0, &v);
	ck_assert_str_eq(holds, "0000000000000000000000001");
	ck_assert_double_eq(num(&v, "count"), 3);
	ck_assert_double_eq(num(&v, "points"), 25);
	ck_assert_double_eq(num(&v, "longest"), 1);
	ck_assert_str_eq(word(&v, "first_at"), "step 30 (epoch 0.30)");
	ck_assert_str_eq(word(&v, "value"), "NaN");
	ck_assert_ptr_null(values_get(&v, "variant"));
	/* The loss turns NaN at point 12: persistent from there; the info
	 * is then never given. */
	rows[2 * 11] = NAN;
	struct run *r2 = mksteps("loss,grad_norm", 25, rows);
	h_run(&per, r2, holds, 12, &v);
	memset(want, '0', 11);
	memset(want + 11, '1', 14);
	want[25] = '\0';
	ck_assert_str_eq(holds, want);
	ck_assert_str_eq(word(&v, "variant"), "loss");
	ck_assert_str_eq(word(&v, "loss_bad_at"), "step 120 (epoch 1.20)");
	h_run(&iso, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000000000000000000");
	run_free(run);
	run_free(r2);
}
END_TEST

START_TEST(test_nonfinite_grad_norm_streak_and_share)
{
	/* Ten infinities in a row from point 3. */
	double rows[15];
	for (int i = 0; i < 15; i++)
		rows[i] = i >= 2 && i < 12 ? INFINITY : 1;
	struct run *run = mksteps("grad_norm", 15, rows);
	struct harness h;
	h_init(&h, "nonfinite-grad-norm");
	char holds[32];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	ck_assert_str_eq(holds, "000000000001111");
	ck_assert_str_eq(word(&v, "value"), "Infinity");
	ck_assert_double_eq(num(&v, "longest"), 10);
	/* Every fourth of twenty: share 0.25 >= 0.2 once 20 are logged. */
	double r20[20];
	for (int i = 0; i < 20; i++)
		r20[i] = i % 4 == 3 ? NAN : 1;
	struct run *r2 = mksteps("grad_norm", 20, r20);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000000000000000001");
	run_free(run);
	run_free(r2);
}
END_TEST

START_TEST(test_constant_loss)
{
	/* 2.30259 and 2.30261 are 2.303 both: constant from point 3. */
	double rows[13] = { 2.5, 2.4 };
	for (int i = 2; i < 13; i++)
		rows[i] = i % 2 ? 2.30259 : 2.30261;
	struct run *run = mksteps("loss", 13, rows);
	struct harness h;
	h_init(&h, "constant-loss");
	char holds[16];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	ck_assert_str_eq(holds, "0000000000011");
	ck_assert_double_eq(num(&v, "value"), 2.303);
	ck_assert_double_eq(num(&v, "points"), 10);
	ck_assert_str_eq(word(&v, "since"), "step 30 (epoch 0.30)");
	ck_assert_ptr_null(values_get(&v, "variant"));
	/* A loss that moves in its fourth digit never fires. */
	for (int i = 2; i < 13; i++)
		rows[i] = 2.30 + 0.001 * (i % 3);
	struct run *r2 = mksteps("loss", 13, rows);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000000");
	run_free(run);
	run_free(r2);
}
END_TEST

START_TEST(test_constant_loss_zeros)
{
	/* Exactly 0 everywhere: variant zero at point 10. */
	double z[12] = { 0 };
	struct run *run = mksteps("loss", 12, z);
	struct harness h;
	h_init(&h, "constant-loss");
	char holds[16];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	ck_assert_str_eq(holds, "000000000111");
	ck_assert_str_eq(word(&v, "variant"), "zero");
	/* 0 between large values: three drops from >= 0.1. */
	const double drops[] = { 9.7, 0, 8.7, 9, 0, 11, 0, 10 };
	struct run *r2 = mksteps("loss", 8, drops);
	h_run(&h, r2, holds, 0, &v);
	ck_assert_str_eq(holds, "00000011");
	ck_assert_str_eq(word(&v, "variant"), "drops");
	ck_assert_double_eq(num(&v, "points"), 3);
	/* A loss that creeps down to 0.0003 and then logs 0.0: no drop. */
	const double creep[] = { 0.01, 0.003, 0.0005, 0.0003, 0, 0.0002, 0, 0.0001, 0 };
	struct run *r3 = mksteps("loss", 9, creep);
	h_run(&h, r3, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000000");
	run_free(run);
	run_free(r2);
	run_free(r3);
}
END_TEST

START_TEST(test_diverging_step_loss)
{
	/* Window 5, sustain 2: 4 falling to 1 (noisy), then a climb to 3. */
	const double rows[] = { 4, 3.5, 3, 2.5, 2, 1, 1.2, 0.8, 1, 1.1, 0.9, 1,
				3, 3.2, 2.9, 3.1, 3, 3.3 };
	struct run *run = mksteps("loss", 18, rows);
	struct harness h;
	h_init(&h, "diverging-step-loss");
	h_set(&h, "window", 5, NULL);
	h_set(&h, "sustain", 2, NULL);
	char holds[32];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	/* Medians from point 5: 3, 2.5, 2, 1.2, 1, 1, 1, 1, 1, 1, 1.1, 3, 3, 3.
	 * min 1 at point 9 (window 0.8 1 1.1 0.9... MAD 0.1); at 15 the median
	 * of 0.9 1 3 3.2 2.9 is 2.9: up; at 16 it is 3.0: the second. */
	ck_assert_str_eq(holds, "000000000000000111");
	ck_assert_double_eq(num(&v, "min"), 1);
	ck_assert_str_eq(word(&v, "min_at"), "step 90 (epoch 0.90)");
	ck_assert_str_eq(word(&v, "since"), "step 150 (epoch 1.50)");
	/* One spike in the window does not move the median. */
	const double spike[] = { 4, 3.5, 3, 2.5, 2, 1, 1.2, 0.8, 1, 1.1, 30, 1, 1, 0.9, 1 };
	struct run *r2 = mksteps("loss", 15, spike);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000000000000");
	/* A climb to 1.7 times the low, far beyond the low window's noise,
	 * is divergence at the default factor (1.5), not at the old 2. */
	const double climb[] = { 2, 1.5, 1.2, 1.05, 1, 0.98, 1.02, 1, 0.99, 1.01, 1,
				 1.7, 1.72, 1.69, 1.71, 1.7, 1.73, 1.7 };
	struct run *r3 = mksteps("loss", 18, climb);
	h_run(&h, r3, holds, 0, &v);
	ck_assert_str_eq(holds, "000000000000001111");
	ck_assert(fabs(num(&v, "ratio") - 1.7) < 0.02);
	h_set(&h, "factor", 2, NULL);
	h_run(&h, r3, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000000000000000");
	run_free(run);
	run_free(r2);
	run_free(r3);
}
END_TEST

START_TEST(test_stalled_loss)
{
	/* 20 points around 2.3: the last fifth no better than the first. */
	double rows[20];
	for (int i = 0; i < 20; i++)
		rows[i] = 2.30 + (i % 2 ? 0.01 : -0.01);
	struct run *run = mksteps("loss", 20, rows);
	struct harness h;
	h_init(&h, "stalled-loss");
	char holds[32];
	struct values v;
	h_run(&h, run, holds, 0, &v);
	ck_assert_str_eq(holds, "00000000000000000001");
	ck_assert_double_eq(num(&v, "part_points"), 4);
	ck_assert_double_eq(num(&v, "start"), 2.30);
	ck_assert_double_eq(num(&v, "gain_pct"), 0);
	/* A fall of 5% is progress. */
	for (int i = 16; i < 20; i++)
		rows[i] = 2.18;
	struct run *r2 = mksteps("loss", 20, rows);
	h_run(&h, r2, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000000000000000000");
	/* Nineteen points are too few. */
	struct run *r3 = mksteps("loss", 19, rows);
	h_run(&h, r3, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000000000000000");
	/* Ending higher than it began: the "higher" wording, not "-30% lower". */
	for (int i = 16; i < 20; i++)
		rows[i] = 3.0;
	struct run *r4 = mksteps("loss", 20, rows);
	h_run(&h, r4, holds, 0, &v);
	ck_assert_str_eq(holds, "00000000000000000001");
	ck_assert_str_eq(word(&v, "variant"), "higher");
	ck_assert_double_eq(num(&v, "rise_pct"), 30.4);
	run_free(run);
	run_free(r2);
	run_free(r3);
	run_free(r4);
}
END_TEST

START_TEST(test_stalled_loss_resumed)
{
	double rows[20];
	for (int i = 0; i < 20; i++)
		rows[i] = 3.5;
	struct run *run = mksteps("loss", 20, rows);
	for (size_t i = 0; i < 20; i++)
		run_set_coords(run, i, 140000.0 + 1000.0 * (double)i, NAN);
	struct harness h;
	h_init(&h, "stalled-loss");
	char holds[32];
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000000000000000000");
	run_free(run);
}
END_TEST

/* A step log as to-steps-csv.py writes it, as a run on the step axis. */
static struct run_list load_steps(const char *path)
{
	struct run_list l = { 0 };
	struct read_error re;
	ck_assert_msg(history_read(path, &l, &re) == 0, "%s: %s", path, re.msg);
	struct run *run = l.v[0];
	run->axis = AXIS_STEP;
	run->framework = FW_TRANSFORMERS;
	int is = run_find_series(run, "at_step"), ie = run_find_series(run, "at_epoch");
	for (size_t i = 0; i < run->n_epochs; i++)
		run_set_coords(run, i, is >= 0 ? run->series[is].v[i] : NAN,
			       ie >= 0 ? run->series[ie].v[i] : NAN);
	return l;
}

/* The ids of the findings of the rules on a step log, sorted, "," joined. */
static void judge(const struct ruleset *set, const char *path, char *ids, size_t len)
{
	struct run_list l = load_steps(path);
	struct replay_opts o = { 0 };
	o.schedule.kind = SCHED_EVERY;
	struct run_result res = { 0 };
	replay_run(set, &o, l.v[0], &res);
	const char *v[32];
	size_t n = 0;
	for (size_t i = 0; i < res.n_f && n < 32; i++)
		v[n++] = res.f[i].rule->id;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	ids[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(ids + strlen(ids), len - strlen(ids), "%s%s", i ? "," : "", v[i]);
	res.run = NULL;
	for (size_t i = 0; i < res.n_f; i++)
		finding_release(&res.f[i]);
	free(res.f);
	for (size_t i = 0; i < res.n_skipped; i++)
		free(res.skipped[i]);
	free(res.skipped);
	run_list_release(&l);
}

static const struct {
	const char *file;
	const char *ids;
} real_runs[] = {
	{ "fires/keanuspies-diverge.csv", "diverging-step-loss" },
	{ "fires/hannibal-zero-drops.csv", "constant-loss" },
	{ "fires/rishikarpe-masked.csv", "constant-loss" },
	{ "fires/0xero7-v15-stalled.csv", "stalled-loss" },
	{ "fires/gen-lr-zero.csv", "stalled-loss,zero-learning-rate" },
	{ "fires/gen-lr-high.csv", "grad-norm-spike" },
	{ "fires/gen-shuffled-labels.csv", "stalled-loss" },
	{ "fires/gen-fp16-persistent.csv", "constant-loss,nonfinite-grad-norm" },
	{ "fires/gen-fp16-isolated.csv", "skipped-overflow-steps" },
	{ "quiet/catherineyellow-lr-to-0.csv", "" },
	{ "quiet/akhmetvaleev-warmup-grad.csv", "" },
	{ "quiet/kleinschock-noisy-batches.csv", "" },
	{ "quiet/0xero7-v5-resumed.csv", "" },
	{ "quiet/hughuang12-plateau.csv", "" },
	{ "quiet/hannibal-run2.csv", "" },
	{ "quiet/eve-ning-lr-monitor.csv", "" },
	{ "quiet/gen-healthy.csv", "" },
	{ "quiet/gen-memorize.csv", "" },
};

START_TEST(test_real_step_logs)
{
	struct ruleset set = { 0 };
	char err[512];
	ck_assert_msg(ruleset_load_dir(&set, "rules", err, sizeof(err)) == 0, "%s", err);
	char path[256], ids[512];
	snprintf(path, sizeof(path), "testdata/step-rules/%s", real_runs[_i].file);
	judge(&set, path, ids, sizeof(ids));
	ck_assert_msg(strcmp(ids, real_runs[_i].ids) == 0, "%s: fired '%s', expected '%s'",
		      real_runs[_i].file, ids, real_runs[_i].ids);
	ruleset_release(&set);
}
END_TEST

/* The findings say where on the step axis, and the texts are filled. */
START_TEST(test_real_step_finding_text)
{
	struct ruleset set = { 0 };
	char err[512];
	ck_assert_msg(ruleset_load_dir(&set, "rules", err, sizeof(err)) == 0, "%s", err);
	struct run_list l = load_steps("testdata/step-rules/fires/gen-lr-high.csv");
	struct replay_opts o = { 0 };
	o.schedule.kind = SCHED_EVERY;
	struct run_result res = { 0 };
	replay_run(&set, &o, l.v[0], &res);
	ck_assert_uint_eq(res.n_f, 1);
	const struct finding *f = &res.f[0];
	ck_assert_str_eq(f->where, "step 50 (epoch 0.59)");
	ck_assert_int_eq(f->axis, AXIS_STEP);
	ck_assert_double_eq(f->at_step, 50);
	ck_assert_ptr_nonnull(strstr(f->message, "At step 50 (epoch 0.59) the grad_norm was 96.63"));
	ck_assert_ptr_nonnull(strstr(finding_snippet(f), "max_grad_norm=1.0"));
	for (size_t i = 0; i < res.n_f; i++)
		finding_release(&res.f[i]);
	free(res.f);
	for (size_t i = 0; i < res.n_skipped; i++)
		free(res.skipped[i]);
	free(res.skipped);
	run_list_release(&l);
	ruleset_release(&set);
}
END_TEST

static Suite *steps_suite(void)
{
	Suite *s = suite_create("steps");
	TCase *tc = tcase_create("detectors");
	tcase_add_test(tc, test_median);
	tcase_add_test(tc, test_zero_lr_all);
	tcase_add_test(tc, test_zero_lr_schedule_ends_at_0);
	tcase_add_test(tc, test_zero_lr_refuses);
	tcase_add_test(tc, test_grad_norm_spike);
	tcase_add_test(tc, test_grad_norm_spike_warmup_and_noise);
	tcase_add_test(tc, test_grad_norm_spike_confirmed);
	tcase_add_test(tc, test_nonfinite_grad_norm);
	tcase_add_test(tc, test_nonfinite_grad_norm_streak_and_share);
	tcase_add_test(tc, test_constant_loss);
	tcase_add_test(tc, test_constant_loss_zeros);
	tcase_add_test(tc, test_diverging_step_loss);
	tcase_add_test(tc, test_stalled_loss);
	tcase_add_test(tc, test_stalled_loss_resumed);
	suite_add_tcase(s, tc);
	TCase *real = tcase_create("real");
	tcase_set_timeout(real, 30);
	tcase_add_loop_test(real, test_real_step_logs, 0,
			    (int)(sizeof(real_runs) / sizeof(real_runs[0])));
	tcase_add_test(real, test_real_step_finding_text);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return run_suite(steps_suite());
}
