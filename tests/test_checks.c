/*
 * The epoch-history detectors (src/checks/), each stepped by hand through
 * small runs built in memory, with the epochs at which the condition holds
 * and the values reported worked out on paper. Values are multiples of 1/4
 * or 1/8 where a comparison sits exactly on a threshold, so that ties are
 * ties in binary too.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/common.h"
#include "engine/detector.h"
#include "model/run.h"
#include "util/xalloc.h"
#include "testutil.h"

/* A cell the file left empty. */
#define MISS (-7777.0)
#define TOL 1e-9

/* A run with columns named in cols ("acc,loss,val_acc,val_loss") and n rows. */
static struct run *mkrun(const char *cols, size_t n, const double *rows)
{
	struct run *run = run_new("test.csv", "keras-csv");
	char buf[256];
	size_t idx[16], nc = 0;
	snprintf(buf, sizeof(buf), "%s", cols);
	for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
		idx[nc++] = run_add_series(run, tok);
	for (size_t e = 0; e < n; e++) {
		run_add_epoch(run, (long)e + 2);
		for (size_t c = 0; c < nc; c++)
			if (rows[e * nc + c] != MISS)
				run_set(run, idx[c], e, rows[e * nc + c]);
	}
	run_map_roles(run);
	return run;
}

struct harness {
	const struct detector *d;
	struct param_value p[16];
	int classes;
};

static void h_init(struct harness *h, const char *name)
{
	memset(h, 0, sizeof(*h));
	h->d = detector_find(name);
	ck_assert_msg(h->d != NULL, "no detector %s", name);
	ck_assert_uint_le(h->d->n_params, 16);
	for (size_t i = 0; i < h->d->n_params; i++) {
		h->p[i].num = h->d->params[i].def;
		h->p[i].word = h->d->params[i].def_word;
	}
}

static void h_num(struct harness *h, const char *name, double x)
{
	int i = detector_param_index(h->d, name);
	ck_assert_int_ge(i, 0);
	h->p[i].num = x;
}

static void h_word(struct harness *h, const char *name, const char *w)
{
	int i = detector_param_index(h->d, name);
	ck_assert_int_ge(i, 0);
	h->p[i].word = w;
}

static int key_declared(const struct detector *d, const char *key)
{
	for (size_t i = 0; i < d->n_value_keys; i++)
		if (strcmp(d->value_keys[i], key) == 0)
			return 1;
	return 0;
}

/*
 * Step the detector through every epoch of run, as the replay does. holds
 * gets one '0' or '1' per epoch; out (when not NULL) the values reported at
 * epoch at. Returns what prepare returned (holds is "" when it refused).
 */
static int h_run(const struct harness *h, const struct run *run, char *holds,
		 size_t at, struct values *out)
{
	struct detector_ctx ctx = {
		.run = run, .param = h->p, .total_epochs = run->n_epochs,
		.classes = h->classes,
	};
	void *state = xcalloc(1, h->d->state_size ? h->d->state_size : 1);
	const char *why = NULL;
	holds[0] = '\0';
	int rc = h->d->prepare(state, &ctx, &why);
	if (rc == 0) {
		for (size_t e = 1; e <= run->n_epochs; e++) {
			struct values v;
			memset(&v, 0, sizeof(v));
			int on = h->d->step(state, &ctx, e, &v);
			ck_assert_msg(on || v.n == 0, "%s reported values without firing",
				      h->d->name);
			for (size_t k = 0; k < v.n; k++)
				ck_assert_msg(key_declared(h->d, v.kv[k].key),
					      "%s reports undeclared %s", h->d->name,
					      v.kv[k].key);
			holds[e - 1] = on ? '1' : '0';
			holds[e] = '\0';
			if (out && e == at)
				*out = v;
		}
	} else {
		ck_assert_msg(why != NULL && *why, "%s refused without a reason", h->d->name);
	}
	if (h->d->release)
		h->d->release(state);
	free(state);
	return rc;
}

static double num(const struct values *v, const char *key)
{
	const struct value *x = values_get(v, key);
	ck_assert_msg(x != NULL, "no value %s", key);
	ck_assert_msg(!x->is_word, "value %s is a word", key);
	return x->num;
}

static const char *word(const struct values *v, const char *key)
{
	const struct value *x = values_get(v, key);
	ck_assert_msg(x != NULL, "no value %s", key);
	ck_assert_msg(x->is_word, "value %s is a number", key);
	return x->word;
}

#define NROWS(a, cols) (sizeof(a) / sizeof((a)[0]) / (cols))

/* ---- every detector ---------------------------------------------------- */

START_TEST(test_table_well_formed)
{
	for (size_t i = 0; detector_table[i]; i++) {
		const struct detector *d = detector_table[i];
		ck_assert_ptr_eq(detector_find(d->name), d);
		for (const char *c = d->name; *c; c++)
			ck_assert_msg((*c >= 'a' && *c <= 'z') || *c == '-',
				      "%s is not kebab-case", d->name);
		ck_assert_ptr_nonnull(d->summary);
		ck_assert(d->prepare != NULL);
		ck_assert(d->step != NULL);
		for (size_t k = 0; k < d->n_params; k++) {
			const struct param_def *p = &d->params[k];
			ck_assert_ptr_nonnull(p->doc);
			if (p->type != PARAM_WORD) {
				ck_assert_msg(p->min <= p->def && p->def <= p->max,
					      "%s.%s default out of bounds", d->name, p->name);
				ck_assert_msg(p->type != PARAM_COUNT || floor(p->def) == p->def,
					      "%s.%s default not whole", d->name, p->name);
			} else {
				size_t n = strlen(p->def_word);
				const char *at = strstr(p->choices, p->def_word);
				ck_assert_msg(at && (at == p->choices || at[-1] == '|') &&
					      (at[n] == '\0' || at[n] == '|'),
					      "%s.%s default not a choice", d->name, p->name);
			}
			/* Only overfitting's `epochs` (the brief's name) shadows
			 * the built-in {epochs}; it reports `steps` instead. */
			if (strcmp(d->name, "overfitting") != 0)
				ck_assert_str_ne(p->name, "epochs");
		}
		for (size_t k = 0; k < d->n_value_keys; k++) {
			static const char *const builtin[] = {
				"detected_epoch", "onset_epoch", "epochs", "total_epochs"
			};
			for (size_t b = 0; b < 4; b++)
				ck_assert_str_ne(d->value_keys[k], builtin[b]);
			for (size_t j = k + 1; j < d->n_value_keys; j++)
				ck_assert_str_ne(d->value_keys[k], d->value_keys[j]);
		}
	}
}
END_TEST

/* Every detector on random runs with NaN, infinities and empty cells: no
 * crash, no undeclared key, and none fires on a run without its inputs. */
START_TEST(test_random_runs_all_detectors)
{
	uint32_t seed = 12345;
	for (int trial = 0; trial < 40; trial++) {
		size_t n = (size_t)trial % 17;
		double *rows = xcalloc(n * 4 + 1, sizeof(double));
		for (size_t i = 0; i < n * 4; i++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = (seed >> 16) % 100;
			rows[i] = r < 5 ? NAN : r < 8 ? INFINITY : r < 12 ? MISS
				: r < 14 ? -(double)r / 100 : (double)r / 100;
		}
		struct run *run = mkrun("acc,loss,val_acc,val_loss", n, rows);
		for (size_t i = 0; detector_table[i]; i++) {
			struct harness h;
			char holds[32];
			h_init(&h, detector_table[i]->name);
			h.classes = trial % 3 == 0 ? 0 : 2 + trial % 5;
			/* the rule files' departures that the detectors' own
			 * defaults leave off */
			int k;
			if (trial % 2 && (k = detector_param_index(h.d, "big")) >= 0)
				h.p[k].num = 0.1;
			if (trial % 2 && (k = detector_param_index(h.d, "ended")) >= 0)
				h.p[k].num = 2;
			h_run(&h, run, holds, 0, NULL);
		}
		run_free(run);
		free(rows);
	}
	/* Only a learning rate: every detector declines, with a reason, but
	 * the one that judges the learning rate itself. */
	static const double lr[] = { 0.1, 0.01 };
	struct run *run = mkrun("lr", 2, lr);
	for (size_t i = 0; detector_table[i]; i++) {
		struct harness h;
		if (strcmp(detector_table[i]->name, "zero-learning-rate") == 0)
			continue;
		char holds[8];
		h_init(&h, detector_table[i]->name);
		h.classes = 10;
		ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	}
	run_free(run);
}
END_TEST

/*
 * scan() is step() in a loop: on random runs, one state stepped epoch by
 * epoch and another scanned in chunks of random length, as the replay scans
 * (stopping at the first epoch that holds, with its values, until one did;
 * then discarding, the last epoch that held), agree on every epoch and
 * every value.
 */
START_TEST(test_scan_matches_step)
{
	uint32_t seed = 777;
	for (int trial = 0; trial < 60; trial++) {
		size_t n = 1 + (size_t)trial * 3 % 70;
		double *rows = xcalloc(n * 4 + 1, sizeof(double));
		double level = 1;
		for (size_t i = 0; i < n * 4; i++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t r = (seed >> 16) % 100;
			/* Mostly a noisy level that drifts, with plateaus, spikes,
			 * zeros, NaN, infinities and empty cells now and then. */
			level *= trial % 2 ? 0.99 : 1.01;
			rows[i] = r < 2 ? NAN : r < 3 ? INFINITY : r < 5 ? MISS : r < 8 ? 0
				: r < 10 ? 1e4 : r < 30 ? rows[i >= 4 ? i - 4 : i]
				: level * (0.5 + (double)r / 200);
		}
		struct run *run = mkrun(trial % 3 ? "acc,loss,val_acc,val_loss"
					: "loss,val_loss,lr,acc", n, rows);
		for (size_t i = 0; detector_table[i]; i++) {
			const struct detector *d = detector_table[i];
			if (!d->scan)
				continue;
			struct harness h;
			h_init(&h, d->name);
			h.classes = 10;
			struct detector_ctx ctx = {
				.run = run, .param = h.p, .total_epochs = n, .classes = 10,
			};
			void *a = xcalloc(1, d->state_size ? d->state_size : 1);
			void *b = xcalloc(1, d->state_size ? d->state_size : 1);
			const char *why;
			int ra = d->prepare(a, &ctx, &why), rb = d->prepare(b, &ctx, &why);
			ck_assert_int_eq(ra, rb);
			char holds[80] = "";
			struct values at[80];
			for (size_t e = 1; ra == 0 && e <= n; e++) {
				memset(&at[e - 1], 0, sizeof(at[e - 1]));
				holds[e - 1] = d->step(a, &ctx, e, &at[e - 1]) == 1;
			}
			int held = 0;
			for (size_t e = 1; ra == 0 && e <= n;) {
				seed = seed * 1103515245u + 12345u;
				size_t to = e + (seed >> 16) % 9;
				if (to > n)
					to = n;
				if (held) {
					size_t last = 0;
					for (size_t k = e; k <= to; k++)
						if (holds[k - 1])
							last = k;
					ck_assert_uint_eq(d->scan(b, &ctx, e, to, &values_discard), last);
					e = to + 1;
					continue;
				}
				struct values v;
				memset(&v, 0xff, sizeof(v));
				size_t first = 0;
				for (size_t k = e; k <= to && !first; k++)
					if (holds[k - 1])
						first = k;
				size_t got = d->scan(b, &ctx, e, to, &v);
				ck_assert_msg(got == first, "%s: scan %zu..%zu gave %zu, not %zu",
					      d->name, e, to, got, first);
				if (got) {
					const struct values *w = &at[got - 1];
					ck_assert_msg(v.n == w->n, "%s at %zu: %zu values, not %zu", d->name, got, v.n, w->n);
					for (size_t k = 0; k < v.n; k++) {
						ck_assert_str_eq(v.kv[k].key, w->kv[k].key);
						ck_assert_int_eq(v.kv[k].is_word, w->kv[k].is_word);
						ck_assert(memcmp(&v.kv[k].num, &w->kv[k].num,
								 sizeof(double)) == 0);
						if (v.kv[k].is_word)
							ck_assert_str_eq(v.kv[k].word, w->kv[k].word);
					}
				}
				held = got != 0;
				e = got ? got + 1 : to + 1;
			}
			if (d->release) {
				d->release(a);
				d->release(b);
			}
			free(a);
			free(b);
		}
		run_free(run);
		free(rows);
	}
}
END_TEST

/* ---- nan-loss ---------------------------------------------------------- */

START_TEST(test_nan_loss)
{
	static const double rows[] = {
		1.0, 1.1,
		0.5, 0.6,
		NAN, 0.7,
		0.4, INFINITY,
	};
	struct run *run = mkrun("loss,val_loss", NROWS(rows, 2), rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "nan-loss");
	ck_assert_int_eq(h_run(&h, run, holds, 4, &v), 0);
	ck_assert_str_eq(holds, "0011");
	ck_assert_str_eq(word(&v, "series"), "loss");
	ck_assert_double_eq(num(&v, "epoch"), 3);
	ck_assert_str_eq(word(&v, "value"), "NaN");
	ck_assert_double_eq(num(&v, "last_finite"), 0.5);
	ck_assert_double_eq(num(&v, "last_finite_epoch"), 2);
	ck_assert_ptr_null(values_get(&v, "variant"));
	{
		/* Issue 14 item 4: finite again the next epoch: no longer holds. */
		static const double back[] = { 1.0, 1.1, NAN, 1.0, 0.9, 0.8, 0.7, 0.75 };
		struct run *r2 = mkrun("loss,val_loss", NROWS(back, 2), back);
		ck_assert_int_eq(h_run(&h, r2, holds, 4, &v), 0);
		ck_assert_str_eq(holds, "0100");
		run_free(r2);
	}
	run_free(run);

	/* Bad from the first epoch, in val_loss; an empty cell is no NaN. */
	static const double first[] = {
		MISS, -INFINITY,
		1.0, 0.5,
	};
	run = mkrun("loss,val_loss", 2, first);
	ck_assert_int_eq(h_run(&h, run, holds, 1, &v), 0);
	/* Finite again at epoch 2: it no longer holds (seen, recovered). */
	ck_assert_str_eq(holds, "10");
	ck_assert_str_eq(word(&v, "series"), "val_loss");
	ck_assert_str_eq(word(&v, "value"), "-Infinity");
	ck_assert_str_eq(word(&v, "variant"), "first");
	run_free(run);

	/* NaN at epoch 2, finite again at 3: held at 2 only. */
	static const double back[] = { 1.0, NAN, 0.5, 0.4 };
	run = mkrun("loss", 4, back);
	h_run(&h, run, holds, 2, &v);
	ck_assert_str_eq(holds, "0100");
	ck_assert_double_eq(num(&v, "epoch"), 2);
	run_free(run);

	static const double empty[] = { 1.0, MISS, 0.5 };
	run = mkrun("loss", 3, empty);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	run_free(run);
}
END_TEST

/* ---- exploding-loss ---------------------------------------------------- */

START_TEST(test_exploding_loss)
{
	static const double rows[] = { 0.5, 0.4, 50, 5000, 20 };
	struct run *run = mkrun("loss", 5, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "exploding-loss");
	h_run(&h, run, holds, 5, &v);
	ck_assert_str_eq(holds, "00011");
	ck_assert_str_eq(word(&v, "series"), "loss");
	ck_assert_double_eq(num(&v, "epoch"), 4);
	ck_assert_double_eq(num(&v, "value"), 5000);
	ck_assert_double_eq(num(&v, "low"), 0.4);
	ck_assert_double_eq(num(&v, "low_epoch"), 2);
	ck_assert_double_eq(num(&v, "peak"), 5000);
	ck_assert_double_eq(num(&v, "peak_epoch"), 4);
	/* The bar itself counts (>=). */
	h_num(&h, "large_loss", 50);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00111");
	run_free(run);

	/* A regression loss in large units that falls: quiet by default, and
	 * AUTOTRAINER's literal test (growth 0) fires from the first epoch. */
	static const double reg[] = { 1e6, 5e5, 1e5, 2e5 };
	run = mkrun("loss", 4, reg);
	h_init(&h, "exploding-loss");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000");
	h_num(&h, "growth", 0);
	h_run(&h, run, holds, 4, &v);
	ck_assert_str_eq(holds, "1111");
	ck_assert_str_eq(word(&v, "variant"), "first");
	ck_assert_double_eq(num(&v, "value"), 1e6);
	ck_assert_ptr_null(values_get(&v, "low"));
	run_free(run);

	/* Infinity is nan-loss's; val_loss is watched too. */
	static const double inf[] = {
		0.5, 0.5,
		INFINITY, 0.6,
		0.4, 2000,
	};
	run = mkrun("loss,val_loss", 3, inf);
	h_init(&h, "exploding-loss");
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "001");
	ck_assert_str_eq(word(&v, "series"), "val_loss");
	ck_assert_double_eq(num(&v, "low"), 0.5);
	run_free(run);
}
END_TEST

/* ---- negative-loss ----------------------------------------------------- */

START_TEST(test_negative_loss)
{
	static const double rows[] = {
		0.5, 0.5,
		0.2, 0.3,
		-0.1, 0.2,
		-0.3, -0.5,
		0.1, 0.1,
	};
	struct run *run = mkrun("loss,val_loss", 5, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "negative-loss");
	h_run(&h, run, holds, 5, &v);
	ck_assert_str_eq(holds, "00111");
	ck_assert_str_eq(word(&v, "series"), "loss");
	ck_assert_double_eq(num(&v, "epoch"), 3);
	ck_assert_double_eq(num(&v, "value"), -0.1);
	ck_assert_double_eq(num(&v, "min"), -0.3);
	ck_assert_double_eq(num(&v, "min_epoch"), 4);
	run_free(run);

	/* Zero is not negative; -Infinity is nan-loss's. */
	static const double zero[] = { 0.0, -INFINITY, 0.0 };
	run = mkrun("loss", 3, zero);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	run_free(run);

	/* Negative from its first value: a loss negative by design (a
	 * likelihood without its constant), unless started_negative is 1. */
	static const double design[] = { -3.9e6, -3.94e6, -3.938e6 };
	run = mkrun("loss", 3, design);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	h_num(&h, "started_negative", 1);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "111");
	run_free(run);
}
END_TEST

/* ---- overfitting ------------------------------------------------------- */

/* SCRAM's and AUTOTRAINER's tests as published, without the margins the
 * defaults add. */
static void scram_literal(struct harness *h)
{
	h_num(h, "min_fall", 0);
	h_num(h, "min_rise", 0);
	h_num(h, "min_since", 0);
}

START_TEST(test_overfitting_acc)
{
	/* acc, val_acc */
	static const double rows[] = {
		0.5, 0.5,
		0.6, 0.625,
		0.7, 0.5625,
		0.8, 0.5,
		0.9, 0.4375,
		0.95, 0.46875,
	};
	struct run *run = mkrun("acc,val_acc", 6, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "overfitting");
	scram_literal(&h);
	ck_assert_int_eq(h_run(&h, run, holds, 5, &v), 0);
	/* Epoch 6 breaks the pattern, but val_acc stays below its best:
	 * the run has not recovered, so it still holds. */
	ck_assert_str_eq(holds, "000111");
	ck_assert_double_eq(num(&v, "best_epoch"), 2);
	ck_assert_double_eq(num(&v, "best"), 0.625);
	ck_assert_double_eq(num(&v, "val_now"), 0.4375);
	ck_assert_double_eq(num(&v, "val_change"), 0.1875);
	ck_assert_double_eq(num(&v, "from_epoch"), 3);
	ck_assert_double_eq(num(&v, "train_from"), 0.7);
	ck_assert_double_eq(num(&v, "train_now"), 0.9);
	ck_assert_double_eq_tol(num(&v, "train_change"), 0.2, TOL);
	ck_assert_str_eq(word(&v, "val_series"), "val_acc");
	ck_assert_str_eq(word(&v, "train_series"), "acc");
	ck_assert_double_eq(num(&v, "steps"), 2);
	ck_assert_ptr_null(values_get(&v, "variant"));

	h_num(&h, "epochs", 3);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000011");
	h_num(&h, "epochs", 1);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "001111");
	run_free(run);

	/* Equal is not a decrease (SCRAM's test is strict); a NaN breaks the
	 * steps into and out of it (epochs 4 and 5). */
	static const double flat[] = {
		0.5, 0.75,
		0.6, 0.75,
		0.7, 0.5,
		0.8, NAN,
		0.9, 0.25,
		0.95, 0.125,
	};
	run = mkrun("acc,val_acc", 6, flat);
	h_init(&h, "overfitting");
	scram_literal(&h);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000");
	h_num(&h, "epochs", 1);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "001001");
	run_free(run);
}
END_TEST

START_TEST(test_overfitting_recovers)
{
	/* Fires at epoch 4, holds while val_acc stays 0.02 or more below its best
	 * (0.8), and stops holding once it is back within 0.02: persists is no. */
	static const double rows[] = {
		0.5, 0.7,
		0.6, 0.8,
		0.7, 0.75,
		0.8, 0.7,
		0.8, 0.72,
		0.8, 0.79,
	};
	struct run *run = mkrun("acc,val_acc", 6, rows);
	struct harness h;
	char holds[16];
	h_init(&h, "overfitting");
	h_num(&h, "min_since", 0);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000110");
	run_free(run);
}
END_TEST

START_TEST(test_overfitting_loss)
{
	/* loss, val_loss: no accuracy, so auto means the loss variant. */
	static const double rows[] = {
		1.0, 0.9,
		0.8, 0.7,
		0.6, 0.75,
		0.5, 0.8,
		0.495, 0.9,
	};
	struct run *run = mkrun("loss,val_loss", 5, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "overfitting");
	scram_literal(&h);
	ck_assert_int_eq(h_run(&h, run, holds, 4, &v), 0);
	/* Epoch 5's loss fell by less than epsilon, but val_loss is still above
	 * its best: no recovery. */
	ck_assert_str_eq(holds, "00011");
	ck_assert_str_eq(word(&v, "variant"), "loss");
	ck_assert_double_eq(num(&v, "best_epoch"), 2);
	ck_assert_double_eq(num(&v, "best"), 0.7);
	ck_assert_double_eq(num(&v, "val_now"), 0.8);
	ck_assert_double_eq_tol(num(&v, "val_change"), 0.1, TOL);
	ck_assert_double_eq(num(&v, "from_epoch"), 2);
	ck_assert_double_eq(num(&v, "train_from"), 0.8);
	ck_assert_double_eq(num(&v, "train_now"), 0.5);
	ck_assert_double_eq_tol(num(&v, "train_change"), 0.3, TOL);
	ck_assert_str_eq(word(&v, "val_series"), "val_loss");
	/* A smaller epsilon lets epoch 5's fall of 0.005 count. */
	h_num(&h, "epsilon", 0.001);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00011");
	/* on = acc without accuracy: refused. */
	h_word(&h, "on", "acc");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	run_free(run);

	/* With accuracy present, on = loss still reads the losses. */
	static const double both[] = {
		0.5, 1.0, 0.5, 0.9,
		0.6, 0.8, 0.6, 0.7,
		0.7, 0.6, 0.7, 0.75,
		0.8, 0.5, 0.8, 0.8,
	};
	run = mkrun("acc,loss,val_acc,val_loss", 4, both);
	h_init(&h, "overfitting");
	scram_literal(&h);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000");
	h_word(&h, "on", "loss");
	h_run(&h, run, holds, 4, &v);
	ck_assert_str_eq(holds, "0001");
	ck_assert_str_eq(word(&v, "variant"), "loss");
	run_free(run);
}
END_TEST

/* ---- oscillating-loss (ol_judge) --------------------------------------- */

/* The spec's arithmetic on a[0..n-1], recomputed from scratch: O(n^2) over
 * all prefixes, which is the point of comparing. */
static size_t ol_reference(const double *a, size_t n, double threshold)
{
	double *pk = xcalloc(n + 1, sizeof(double));
	double *tr = xcalloc(n + 1, sizeof(double));
	size_t np = 0, nt = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		if (a[i] - a[i - 1] >= 0 && a[i] - a[i + 1] >= 0)
			pk[np++] = a[i];
		if (a[i] - a[i - 1] <= 0 && a[i] - a[i + 1] <= 0)
			tr[nt++] = a[i];
	}
	size_t count = 0;
	for (size_t k = 0; k < np && k < nt; k++)
		if (pk[k] - tr[k] >= threshold)
			count++;
	free(pk);
	free(tr);
	return count;
}

static struct run *mkseries(const char *name, const double *a, size_t n)
{
	return mkrun(name, n, a);
}

START_TEST(test_ol_alternating)
{
	static const double a[] = { 0.5, 0.625, 0.5, 0.625, 0.5, 0.625 };
	struct run *run = mkseries("acc", a, 6);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "oscillating-loss");
	h_num(&h, "noise", 0);	/* the literal ol_judge */
	h_run(&h, run, holds, 6, &v);
	/* e=4: pair (0.625 @2, 0.5 @3) counts, 1 >= 0.8; e=5: 1 >= 1.0;
	 * e=6: second pair, 2 >= 1.2. */
	ck_assert_str_eq(holds, "000111");
	ck_assert_double_eq(num(&v, "count"), 2);
	ck_assert_double_eq(num(&v, "n"), 6);
	ck_assert_double_eq(num(&v, "needed"), 2);
	ck_assert_double_eq(num(&v, "peaks"), 2);
	ck_assert_double_eq(num(&v, "troughs"), 2);
	ck_assert_double_eq(num(&v, "swing"), 0.125);
	ck_assert_double_eq(num(&v, "swing_peak_epoch"), 2);
	ck_assert_double_eq(num(&v, "swing_trough_epoch"), 3);
	ck_assert_str_eq(word(&v, "series"), "acc");
	/* A swing exactly at the threshold counts (>=); just above, not. */
	h_num(&h, "threshold", 0.125);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000111");
	h_num(&h, "threshold", 0.126);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000");
	run_free(run);
}
END_TEST

START_TEST(test_ol_signed_pairs)
{
	/* Trough first: the k-th peak pairs with the k-th trough whatever their
	 * order, and the difference is signed. Troughs 0.25 @2, 0.75 @5; peaks
	 * 1.0 @4, 0.875 @6 (epoch 3 is neither). Pairs: 1.0 - 0.25 = 0.75 and
	 * 0.875 - 0.75 = 0.125. */
	static const double a[] = { 0.5, 0.25, 0.375, 1.0, 0.75, 0.875, 0.125 };
	struct run *run = mkseries("val_acc", a, 7);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "oscillating-loss");
	h_num(&h, "noise", 0);	/* the literal ol_judge */
	h_word(&h, "series", "val_acc");
	h_num(&h, "threshold", 0.25);
	h_num(&h, "rate", 0);
	h_run(&h, run, holds, 7, &v);
	ck_assert_str_eq(holds, "1111111");
	ck_assert_double_eq(num(&v, "count"), 1);
	ck_assert_double_eq(num(&v, "swing"), 0.75);
	ck_assert_double_eq(num(&v, "swing_peak_epoch"), 4);
	ck_assert_double_eq(num(&v, "swing_trough_epoch"), 2);
	h_num(&h, "threshold", 0.125);
	h_run(&h, run, holds, 7, &v);
	ck_assert_double_eq(num(&v, "count"), 2);
	/* A NaN can misalign the lists so that a peak pairs with a higher
	 * trough: peak 0.25 @2; epochs 3 to 5 touch the NaN; trough 0.75 @6.
	 * The signed difference -0.5 never counts, even at threshold 0. */
	static const double neg[] = { 0, 0.25, 0, NAN, 1, 0.75, 1 };
	run_free(run);
	run = mkseries("acc", neg, 7);
	h_init(&h, "oscillating-loss");
	h_num(&h, "noise", 0);	/* the literal ol_judge */
	h_num(&h, "rate", 0);
	h_num(&h, "threshold", 0);
	h_run(&h, run, holds, 7, &v);
	ck_assert_double_eq(num(&v, "count"), 0);
	ck_assert_double_eq(num(&v, "peaks"), 1);
	ck_assert_double_eq(num(&v, "troughs"), 1);
	ck_assert_double_eq(num(&v, "swing"), -0.5);
	run_free(run);
}
END_TEST

START_TEST(test_ol_flat_and_short)
{
	struct harness h;
	struct values v;
	char holds[16];
	/* Flat: every interior point is both a peak and a trough, pairs of 0. */
	static const double flat[] = { 1, 1, 1, 1 };
	struct run *run = mkseries("acc", flat, 4);
	h_init(&h, "oscillating-loss");
	h_num(&h, "noise", 0);	/* the literal ol_judge */
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000");
	h_num(&h, "threshold", 0);
	h_num(&h, "rate", 0.5);
	h_run(&h, run, holds, 4, &v);
	/* e=3: 1 pair, 1 >= 1.5 no; e=4: 2 >= 2. */
	ck_assert_str_eq(holds, "0001");
	ck_assert_double_eq(num(&v, "peaks"), 2);
	ck_assert_double_eq(num(&v, "troughs"), 2);
	ck_assert_double_eq(num(&v, "swing"), 0);
	run_free(run);

	/* Lengths 0 to 3: no pair can form before 4 points. */
	static const double a[] = { 0, 1, 0 };
	for (size_t n = 0; n <= 3; n++) {
		run = mkseries("acc", a, n);
		h_init(&h, "oscillating-loss");
		h_num(&h, "noise", 0);	/* the literal ol_judge */
		h_num(&h, "threshold", 0.25);
		ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), n ? 0 : -1);
		ck_assert_str_eq(holds, n == 0 ? "" : n == 1 ? "0" : n == 2 ? "00" : "000");
		/* rate 0: count 0 >= 0 holds at every epoch. */
		h_num(&h, "rate", 0);
		h_run(&h, run, holds, n, &v);
		ck_assert_str_eq(holds, n == 0 ? "" : n == 1 ? "1" : n == 2 ? "11" : "111");
		if (n)
			ck_assert_double_eq(num(&v, "count"), 0);
		run_free(run);
	}
}
END_TEST

START_TEST(test_ol_nan)
{
	/* Epoch 2 is NaN: it and its neighbour (epoch 3) are neither peak nor
	 * trough. Peak 0.75 @4, trough 0.25 @5: one pair of 0.5 at e = 6. */
	static const double a[] = { 0.5, NAN, 0.5, 0.75, 0.25, 0.75 };
	struct run *run = mkseries("acc", a, 6);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "oscillating-loss");
	h_num(&h, "noise", 0);	/* the literal ol_judge */
	h_num(&h, "threshold", 0.25);
	h_num(&h, "rate", 0.1);
	h_run(&h, run, holds, 6, &v);
	ck_assert_str_eq(holds, "000001");
	ck_assert_double_eq(num(&v, "count"), 1);
	ck_assert_double_eq(num(&v, "peaks"), 1);
	ck_assert_double_eq(num(&v, "troughs"), 1);
	ck_assert_double_eq(num(&v, "swing"), 0.5);
	ck_assert_double_eq(num(&v, "swing_peak_epoch"), 4);
	ck_assert_double_eq(num(&v, "swing_trough_epoch"), 5);
	run_free(run);
}
END_TEST

/*
 * big: two reversals by big moves (0.1 and 4 standard errors of a change,
 * in and out of an extremum) fire whatever the rate; a collapse in steps,
 * whose early peaks ol_judge pairs with its late troughs, never comes back
 * and does not. The rule's values on 300 and 500 validation samples (bench/
 * eval's healthy-circles-1, which the label rule calls oscillating, and
 * diverge-clf-11).
 */
START_TEST(test_ol_big)
{
	static const double swings[] = {
		183, 160, 198, 156, 156, 221, 284, 159, 273, 259,
		229, 270, 280, 271, 266, 280, 282, 271, 286, 289,
	};
	static const double collapse[] = {
		383, 399, 409, 410, 413, 431, 441, 452, 457, 453,
		433, 460, 436, 447, 426, 413, 388, 381, 402, 363,
		348, 332, 263, 301, 307, 306, 335, 294, 311, 271,
	};
	double a[30];
	struct harness h;
	struct values v;
	char holds[64];
	for (size_t i = 0; i < 20; i++)
		a[i] = swings[i] / 300;
	struct run *run = mkseries("val_acc", a, 20);
	h_init(&h, "oscillating-loss");
	h_word(&h, "series", "val_acc");
	h_num(&h, "threshold", 0.02);
	h_num(&h, "min_count", 2);
	h_run(&h, run, holds, 20, &v);
	ck_assert_msg(strchr(holds, '1') == NULL, "without big: %s", holds);
	h_num(&h, "big", 0.1);
	h_run(&h, run, holds, 20, &v);
	/* extrema after the skip (4 epochs; the plateau 156 at 4-5 starts in
	 * it): 284 at 7, 159 at 8 (in by 0.42, out by 0.38: the first
	 * reversal, known at epoch 10 when 273 turns), 273 at 9 (out to the
	 * trough 229 at 11 by 0.147: the second, known at epoch 12) */
	ck_assert_str_eq(holds, "00000000000111111111");
	ck_assert_str_eq(word(&v, "variant"), "big");
	ck_assert_double_eq(num(&v, "samples"), 300);
	ck_assert_double_eq_tol(num(&v, "min_swing"), 0.1, TOL);
	ck_assert_double_ge(num(&v, "count"), 2);
	ck_assert_double_eq(num(&v, "needed"), 2);
	/* the literal test (noise = 0, as every profile sets it) has no big:
	 * with a threshold no pair reaches, nothing fires */
	h_num(&h, "noise", 0);
	h_num(&h, "threshold", 0.45);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_msg(strchr(holds, '1') == NULL, "noise 0: %s", holds);
	run_free(run);

	for (size_t i = 0; i < 30; i++)
		a[i] = collapse[i] / 500;
	run = mkseries("val_acc", a, 30);
	h_num(&h, "noise", 2);
	h_num(&h, "threshold", 0.02);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_msg(strchr(holds, '1') == NULL, "collapse: %s", holds);
	run_free(run);
}
END_TEST

START_TEST(test_ol_matches_reference)
{
	uint32_t seed = 7;
	for (int trial = 0; trial < 200; trial++) {
		size_t n = 1 + (size_t)trial % 60;
		double *a = xcalloc(n, sizeof(double));
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1664525u + 1013904223u;
			uint32_t r = seed >> 24;
			/* Few distinct values, so ties and flats are common. */
			a[i] = r < 8 ? NAN : (double)(r % 6) * 0.02;
		}
		struct run *run = mkseries("acc", a, n);
		struct harness h;
		char holds[64], holds0[64];
		double threshold = trial % 2 ? 0.03 : 0.04;
		h_init(&h, "oscillating-loss");
		h_num(&h, "noise", 0);	/* the literal ol_judge */
		h_num(&h, "threshold", threshold);
		h_run(&h, run, holds, 0, NULL);
		h_num(&h, "rate", 0);
		for (size_t e = 1; e <= n; e++) {
			struct values v;
			h_run(&h, run, holds0, e, &v);
			size_t want = ol_reference(a, e, threshold);
			ck_assert_msg(num(&v, "count") == (double)want,
				      "trial %d prefix %zu: count %g, reference %zu",
				      trial, e, num(&v, "count"), want);
			char fire = (double)want >= 0.2 * (double)e ? '1' : '0';
			ck_assert_msg(holds[e - 1] == fire, "trial %d prefix %zu", trial, e);
		}
		run_free(run);
		free(a);
	}
}
END_TEST

/* ---- not-converging ---------------------------------------------------- */

START_TEST(test_not_converging)
{
	static const double rows[] = {
		0.3, 0.35,
		0.5, 0.55,
		0.6, 0.65,
		0.7, 0.6,
	};
	struct run *run = mkrun("accuracy,val_accuracy", 4, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "not-converging");
	h_num(&h, "window", 0);	/* AUTOTRAINER's test */
	h_run(&h, run, holds, 3, &v);
	/* 0.7 is satisfied_acc itself: not below it. */
	ck_assert_str_eq(holds, "1110");
	ck_assert_double_eq(num(&v, "best"), 0.65);
	ck_assert_str_eq(word(&v, "best_series"), "val_accuracy");
	ck_assert_double_eq(num(&v, "best_epoch"), 3);
	ck_assert_double_eq(num(&v, "max_acc"), 0.6);
	ck_assert_double_eq(num(&v, "max_acc_epoch"), 3);
	ck_assert_double_eq(num(&v, "max_val_acc"), 0.65);
	h_num(&h, "satisfied_acc", 0.5);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "1000");
	run_free(run);

	/* Only training accuracy, with a NaN that must not count as a max. */
	static const double one[] = { 0.2, NAN, 0.4 };
	run = mkrun("acc", 3, one);
	h_init(&h, "not-converging");
	h_num(&h, "window", 0);
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "111");
	ck_assert_double_eq(num(&v, "best"), 0.4);
	ck_assert_ptr_null(values_get(&v, "max_val_acc"));
	run_free(run);

	/* By default, not while still rising: the best gained 0.01 or more
	 * within the last 3 epochs. Anchor 0.5 @1, 0.6 @2; 0.605 is no gain of
	 * 0.01; at e=5 three epochs without one; 0.625 @6 rises again. */
	static const double plateau[] = { 0.5, 0.6, 0.6, 0.605, 0.6, 0.625 };
	run = mkrun("acc", 6, plateau);
	h_init(&h, "not-converging");
	h_run(&h, run, holds, 5, &v);
	ck_assert_str_eq(holds, "000010");
	ck_assert_double_eq(num(&v, "last_gain_epoch"), 2);
	ck_assert_double_eq(num(&v, "best"), 0.605);
	run_free(run);

	/* A regression's Keras "accuracy": a loss of 0.05 cannot be the
	 * cross-entropy of an accuracy of 0.17, so neither accuracy rule runs. */
	static const double reg[] = {
		0.10, 0.09,
		0.08, 0.13,
		0.07, 0.15,
		0.06, 0.16,
	};
	run = mkrun("loss,accuracy", 4, reg);
	h_init(&h, "not-converging");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	h_init(&h, "slow-convergence");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	run_free(run);

	/* An accuracy frozen at one value near 0 while the loss halves (and
	 * stays above the cross-entropy bound): no classification's either. */
	static const double frozen[] = {
		3.88, 0.00025,
		3.03, 0.00025,
		2.49, 0.00025,
		1.89, 0.00025,
		1.95, 0.00025,
	};
	run = mkrun("loss,accuracy", 5, frozen);
	h_init(&h, "not-converging");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	run_free(run);
	/* The same accuracy with a loss that fell by less than half: a stuck
	 * classifier, judged. */
	static const double stuck[] = {
		3.88, 0.00025,
		3.60, 0.00025,
		3.20, 0.00025,
		2.10, 0.00025,
		2.00, 0.00025,
	};
	run = mkrun("loss,accuracy", 5, stuck);
	h_init(&h, "not-converging");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), 0);
	run_free(run);
	/* A classifier stuck on a 90% majority class keeps its accuracy while
	 * its loss halves (0.69 to the prior's 0.33): judged, not a regression. */
	static const double majority[] = {
		0.69, 0.9,
		0.45, 0.9,
		0.36, 0.9,
		0.33, 0.9,
		0.33, 0.9,
	};
	run = mkrun("loss,accuracy", 5, majority);
	h_init(&h, "not-converging");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), 0);
	run_free(run);
}
END_TEST

/* ---- slow-convergence -------------------------------------------------- */

START_TEST(test_slow_convergence)
{
	static const double rows[] = {
		0.5, 0.45,
		0.503, 0.451,
		0.51, 0.455,
		0.512, 0.48,
	};
	struct run *run = mkrun("acc,val_acc", 4, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "slow-convergence");
	h_run(&h, run, holds, 3, &v);
	/* e=1: no gain yet; e=4: val_acc gained 0.025. */
	ck_assert_str_eq(holds, "0110");
	ck_assert_double_eq_tol(num(&v, "gain"), 0.007, TOL);
	ck_assert_double_eq_tol(num(&v, "gain_acc"), 0.007, TOL);
	ck_assert_double_eq(num(&v, "gain_acc_epoch"), 3);
	ck_assert_double_eq_tol(num(&v, "gain_val_acc"), 0.004, TOL);
	ck_assert_double_eq(num(&v, "gain_val_acc_epoch"), 3);
	ck_assert_double_eq(num(&v, "best"), 0.51);
	run_free(run);

	/* Near the ceiling is done, not slow, unless converged_acc is off. */
	static const double high[] = { 0.92, 0.925, 0.93 };
	run = mkrun("acc", 3, high);
	h_init(&h, "slow-convergence");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	h_num(&h, "converged_acc", 2);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "011");
	run_free(run);
}
END_TEST

/* ---- diverging-loss ---------------------------------------------------- */

START_TEST(test_diverging_loss)
{
	static const double rows[] = { 2.0, 1.0, 0.5, 0.9, 1.2, 1.5, 0.4 };
	struct run *run = mkrun("loss", 7, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "diverging-loss");
	/* The first version: factor 2, sustain 2, giveback 0.25, no noise. */
	h_num(&h, "factor", 2);
	h_num(&h, "sustain", 2);
	h_num(&h, "giveback", 0.25);
	h_num(&h, "noise", 0);
	h_run(&h, run, holds, 6, &v);
	/* 0.9 < 2 x 0.5; 1.2 and 1.5 are above, two epochs running. */
	ck_assert_str_eq(holds, "0000010");
	ck_assert_str_eq(word(&v, "series"), "loss");
	ck_assert_double_eq(num(&v, "min"), 0.5);
	ck_assert_double_eq(num(&v, "min_epoch"), 3);
	ck_assert_double_eq(num(&v, "now"), 1.5);
	ck_assert_double_eq(num(&v, "ratio"), 3);
	ck_assert_double_eq(num(&v, "since_epoch"), 5);
	ck_assert_double_eq(num(&v, "first"), 2);
	h_num(&h, "sustain", 1);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000110");
	/* The defaults: too short a climb for sustain 3. */
	h_init(&h, "diverging-loss");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000000");
	run_free(run);

	/* A sustained climb beyond noise fires; swings of the same height that
	 * come back (oscillation) do not. */
	static const double climb[] = {
		2.0, 1.0, 0.6, 0.5, 0.52, 0.49, 0.51, 0.5, 1.6, 1.7, 1.8, 1.9
	};
	run = mkrun("loss", 12, climb);
	h_run(&h, run, holds, 11, &v);
	ck_assert_str_eq(holds, "000000000011");
	ck_assert_double_eq(num(&v, "min"), 0.49);
	ck_assert_double_eq(num(&v, "since_epoch"), 9);
	ck_assert_double_eq_tol(num(&v, "level"), 0.49 + 0.5 * (2.0 - 0.49), TOL);
	ck_assert(num(&v, "sigma") > 0.04 && num(&v, "sigma") < 0.06);
	run_free(run);
	static const double swing[] = {
		2.0, 1.0, 0.6, 0.5, 0.52, 0.49, 1.6, 1.7, 0.5, 0.51, 1.8, 1.7, 0.5, 0.52
	};
	run = mkrun("loss", 14, swing);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000000000000");
	run_free(run);

	/* Noise near zero after a large fall gives back nothing: quiet, unless
	 * giveback is 0. */
	static const double tiny[] = { 2.0, 0.01, 0.001, 0.003, 0.004 };
	run = mkrun("loss", 5, tiny);
	h_init(&h, "diverging-loss");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000");
	h_num(&h, "noise", 0);
	h_num(&h, "sustain", 2);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000");
	h_num(&h, "giveback", 0);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00001");
	run_free(run);

	/* Climbing from the start; a NaN breaks the streak. */
	static const double up[] = { 1, 1.5, 2.5, 3 };
	run = mkrun("loss", 4, up);
	h_init(&h, "diverging-loss");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000");	/* 3 and 2.5 are within 5 noise widths */
	h_num(&h, "noise", 0);
	h_num(&h, "sustain", 2);
	h_num(&h, "factor", 2);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0001");
	run_free(run);
	static const double gap[] = { 1, 0.5, 1.25, NAN, 1.25, 1.5 };
	run = mkrun("val_loss", 6, gap);
	h_word(&h, "series", "val_loss");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000001");
	h_word(&h, "series", "loss");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	run_free(run);
}
END_TEST

/* ---- loss-not-decreasing ----------------------------------------------- */

START_TEST(test_loss_not_decreasing)
{
	static const double rows[] = { 1.0, 0.999, 0.995, 1.001, 0.992, 0.98 };
	struct run *run = mkrun("loss", 6, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "loss-not-decreasing");
	ck_assert_double_eq(h.p[detector_param_index(h.d, "after")].num, 10);
	h_num(&h, "after", 5);
	h_run(&h, run, holds, 5, &v);
	ck_assert_str_eq(holds, "000010");
	ck_assert_str_eq(word(&v, "series"), "loss");
	ck_assert_double_eq(num(&v, "first"), 1);
	ck_assert_double_eq(num(&v, "first_epoch"), 1);
	ck_assert_double_eq(num(&v, "min"), 0.992);
	ck_assert_double_eq(num(&v, "min_epoch"), 5);
	ck_assert_double_eq_tol(num(&v, "fall_pct"), 0.8, 1e-6);
	ck_assert_double_eq(num(&v, "tolerance_pct"), 1);
	ck_assert_double_eq(num(&v, "seen"), 5);
	h_num(&h, "after", 3);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "001110");
	run_free(run);

	/* A loss that went up is not falling either; the first epoch with a
	 * value starts the count. */
	static const double late[] = { MISS, 0.5, 0.6, 0.7, 0.8, 0.9, 0.25 };
	run = mkrun("loss", 7, late);
	h_init(&h, "loss-not-decreasing");
	h_num(&h, "after", 5);
	h_run(&h, run, holds, 6, &v);
	ck_assert_str_eq(holds, "0000010");
	ck_assert_double_eq(num(&v, "first_epoch"), 2);
	ck_assert_double_eq(num(&v, "seen"), 5);
	ck_assert_double_eq(num(&v, "fall_pct"), 0);
	run_free(run);

	/* Only finite values count: a loss that turned NaN is not also "not
	 * decreasing"; after = 3 counts epochs 1, 2 and 5. */
	static const double nan[] = { 1.0, 1.0, NAN, INFINITY, 1.0, NAN };
	run = mkrun("loss", 6, nan);
	h_num(&h, "after", 3);
	h_run(&h, run, holds, 5, &v);
	ck_assert_str_eq(holds, "000011");
	ck_assert_double_eq(num(&v, "seen"), 3);
	run_free(run);

	/* A loss that does not move at all is dead from its third value. */
	static const double flat[] = { 0.48743418, 0.48743412, 0.48743403, 0.48743409 };
	run = mkrun("loss", 4, flat);
	h_init(&h, "loss-not-decreasing");
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "0011");
	ck_assert_str_eq(word(&v, "variant"), "flat");
	h_num(&h, "flat", 0);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "0000");
	run_free(run);

	/* A loss that climbed past twice its first value is unstable, not
	 * dead: the divergence and oscillation rules' finding. */
	static const double wild[] = { 1.2, 1.8, 3.8, 3.8, 5.4, 4.4, 2.2, 2.7, 1.8, 3.5, 2.8 };
	run = mkrun("loss", 11, wild);
	h_init(&h, "loss-not-decreasing");
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000000000");
	h_num(&h, "ceiling", 0);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00000000011");
	run_free(run);
}
END_TEST

/* ---- early-stopping ---------------------------------------------------- */

START_TEST(test_early_stopping)
{
	static const double rows[] = {
		1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.74, 0.73, 0.76, 0.69, 0.7
	};
	struct run *run = mkrun("val_loss", 11, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "early-stopping");
	h_run(&h, run, holds, 9, &v);
	/* Best at 3; patience 5 stops after 8; epoch 9 was wasted; epoch 10
	 * improves again. */
	ck_assert_str_eq(holds, "00000000100");
	ck_assert_str_eq(word(&v, "monitor"), "val_loss");
	ck_assert_double_eq(num(&v, "best_epoch"), 3);
	ck_assert_double_eq(num(&v, "best"), 0.7);
	ck_assert_double_eq(num(&v, "stop_epoch"), 8);
	ck_assert_double_eq(num(&v, "saved"), 1);
	ck_assert_str_eq(word(&v, "mode"), "min");
	h_num(&h, "patience", 2);
	h_run(&h, run, holds, 9, &v);
	ck_assert_str_eq(holds, "00000111100");
	ck_assert_double_eq(num(&v, "saved"), 4);
	/* min_delta: 0.69 is not 0.05 below 0.7, nor 0.8 below 1.0 - 0.05...
	 * best stays at epoch 3 (0.7 < 0.8 - 0.05). */
	h_num(&h, "min_delta", 0.05);
	h_run(&h, run, holds, 11, &v);
	ck_assert_str_eq(holds, "00000111111");
	ck_assert_double_eq(num(&v, "best_epoch"), 3);
	ck_assert_double_eq(num(&v, "saved"), 6);
	run_free(run);

	/* Only val_acc: auto monitors it, and equal is no improvement. */
	static const double acc[] = { 0.5, 0.6, 0.6, 0.59, 0.6 };
	run = mkrun("val_accuracy", 5, acc);
	h_init(&h, "early-stopping");
	h_num(&h, "patience", 2);
	h_run(&h, run, holds, 5, &v);
	ck_assert_str_eq(holds, "00001");
	ck_assert_str_eq(word(&v, "monitor"), "val_accuracy");
	ck_assert_str_eq(word(&v, "mode"), "max");
	ck_assert_double_eq(num(&v, "best_epoch"), 2);
	h_word(&h, "monitor", "val_loss");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	run_free(run);
}
END_TEST

/* ---- initial-loss ------------------------------------------------------ */

START_TEST(test_initial_loss)
{
	static const double high[] = { 8.0, 2.0, 1.0 };
	struct run *run = mkrun("loss", 3, high);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "initial-loss");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);	/* no --classes */
	h.classes = 10;
	/* 8.0 > 3 ln 10 = 6.91, but 2.0 at epoch 2 is back near ln 10: a
	 * blow-up within epoch 1, not a bad start. */
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	h_num(&h, "confirm", 0);	/* the checklist's test: the first alone */
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "111");
	ck_assert_double_eq(num(&v, "first"), 8);
	ck_assert_double_eq(num(&v, "first_epoch"), 1);
	ck_assert_double_eq_tol(num(&v, "expected"), log(10.0), TOL);
	ck_assert_double_eq_tol(num(&v, "ratio"), 8 / log(10.0), TOL);
	ck_assert_double_eq(num(&v, "classes"), 10);
	ck_assert_ptr_null(values_get(&v, "variant"));
	h.classes = 1000;	/* 3 ln 1000 = 20.7 */
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	run_free(run);

	/* A bad start stays high and falls (testdata/real/digits-bad-init.csv);
	 * a loss that climbs at epoch 2 is unstable, not a bad start. */
	static const double bad[] = { 144.2, 65.7, 34.3 };
	run = mkrun("loss", 3, bad);
	h_init(&h, "initial-loss");
	h.classes = 10;
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "011");
	ck_assert_double_eq(num(&v, "first"), 144.2);
	ck_assert_double_eq(num(&v, "second"), 65.7);
	ck_assert_double_eq(num(&v, "second_epoch"), 2);
	run_free(run);
	static const double climbs[] = { 8.4, 38.2, 20.0 };
	run = mkrun("loss", 3, climbs);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	run_free(run);

	/* A low first loss is expected from a fast learner: only with low. */
	static const double low[] = { MISS, 0.2, 0.1 };
	run = mkrun("loss", 3, low);
	h_init(&h, "initial-loss");
	h.classes = 10;
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000");
	h_num(&h, "low", 0.1);	/* 0.2 < 0.23 */
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "011");
	ck_assert_str_eq(word(&v, "variant"), "low");
	ck_assert_double_eq(num(&v, "first_epoch"), 2);
	run_free(run);

	/* A NaN first loss decides nothing here (nan-loss reports it). */
	static const double nan1[] = { NAN, 100 };
	run = mkrun("loss", 2, nan1);
	h_init(&h, "initial-loss");
	h.classes = 2;
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00");
	run_free(run);
}
END_TEST

/* ---- val-better-than-train --------------------------------------------- */

START_TEST(test_val_better_than_train)
{
	static const double rows[] = {
		1, 0.7, 1, 0.7, 1, 0.9, 1, 0.7, 1, 0.7,
		1, 0.7, 1, 0.7, 1, 0.7, 1, 0.75, 1, 0.8,
	};
	struct run *run = mkrun("loss,val_loss", 10, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "val-better-than-train");
	h_run(&h, run, holds, 9, &v);
	/* Streak from 4; 0.8 is not below 0.8 x 1. */
	ck_assert_str_eq(holds, "0000000110");
	ck_assert_double_eq(num(&v, "since_epoch"), 4);
	ck_assert_double_eq(num(&v, "streak"), 6);
	ck_assert_double_eq(num(&v, "loss"), 1);
	ck_assert_double_eq(num(&v, "val_loss"), 0.75);
	ck_assert_double_eq(num(&v, "now_ratio"), 0.75);
	run_free(run);

	/* A high val_acc alone, with equal losses, never fires. */
	static const double acc[] = {
		0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.9, 0.5,
		0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.9, 0.5,
	};
	run = mkrun("acc,loss,val_acc,val_loss", 6, acc);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "000000");
	run_free(run);
}
END_TEST

/* ---- stuck-at-chance --------------------------------------------------- */

START_TEST(test_stuck_at_chance)
{
	static const double rows[] = {
		0.2, 0.25,
		0.25, 0.28125,
		0.28, 0.3,
		0.3125, 0.29,
	};
	struct run *run = mkrun("acc,val_acc", 4, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "stuck-at-chance");
	ck_assert_int_eq(h_run(&h, run, holds, 0, NULL), -1);
	h.classes = 4;
	/* on = auto: val_acc alone, whose best (0.3) never passes 0.25 + 0.05. */
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "1111");
	ck_assert_double_eq(num(&v, "best"), 0.3);
	ck_assert_str_eq(word(&v, "best_series"), "val_acc");
	/* on = both: limit 0.3 (inclusive); acc's 0.3125 escapes it at epoch 4. */
	h_word(&h, "on", "both");
	h_run(&h, run, holds, 3, &v);
	ck_assert_str_eq(holds, "1110");
	ck_assert_double_eq(num(&v, "best"), 0.3);
	ck_assert_str_eq(word(&v, "best_series"), "val_acc");
	ck_assert_double_eq(num(&v, "best_epoch"), 3);
	ck_assert_double_eq(num(&v, "chance"), 0.25);
	ck_assert_double_eq_tol(num(&v, "limit"), 0.3, TOL);
	ck_assert_double_eq(num(&v, "classes"), 4);
	h_num(&h, "margin", 0);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "1000");
	run_free(run);
}
END_TEST

/*
 * Without --classes, C is read from the run: the loss beside the accuracy is
 * ln C and the accuracy names the same C. A loss on its way down to ln 10
 * passes ln 11 (2.398) with an accuracy of 0.1: no C until both agree.
 */
START_TEST(test_stuck_at_chance_inferred)
{
	/* loss, val_loss, val_acc: the fine-tune that blew up, then sat at
	 * ln 10 with an accuracy of 0.1 (bench/eval's nan-0 shape) */
	static const double dead[] = {
		8000, 2.721, 0.1,
		2.45, 2.413, 0.1,
		2.40, 2.365, 0.1,
		2.36, 2.352, 0.1,
		2.31, 2.3035, 0.1,
	};
	struct run *run = mkrun("loss,val_loss,val_acc", 5, dead);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "stuck-at-chance");
	ck_assert_int_eq(h_run(&h, run, holds, 5, &v), 0);
	ck_assert_str_eq(holds, "00001");
	ck_assert_double_eq(num(&v, "classes"), 10);
	ck_assert_str_eq(word(&v, "variant"), "inferred");
	ck_assert_str_eq(word(&v, "loss_series"), "val_loss");
	ck_assert_double_eq_tol(num(&v, "loss_now"), 2.3035, TOL);
	/* --classes given wins and is not "inferred" */
	h.classes = 10;
	h_run(&h, run, holds, 2, &v);
	ck_assert_str_eq(holds, "11111");
	ck_assert_ptr_null(values_get(&v, "variant"));
	run_free(run);

	/* A binary run at ln 2 and 0.5 at first, which then learns: the best
	 * accuracy leaves chance and the rule stops holding. */
	static const double learns[] = {
		0.70, 0.6935, 0.5,
		0.69, 0.6925, 0.52,
		0.50, 0.45, 0.81,
		0.30, 0.31, 0.90,
	};
	run = mkrun("loss,val_loss,val_acc", 4, learns);
	h.classes = 0;
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "1100");
	run_free(run);

	/* check_chance_classes itself */
	static const double pairs[] = {
		2.302585, 0.1, 10,
		2.397895, 0.1, 0,	/* ln 11 with 1/10 */
		0.693147, 0.5, 2,
		0.693147, 0.6, 0,	/* 1/0.6 rounds to 2 but 0.6 is 0.1 from 1/2 */
		0.70, 0.47, 2,
		1.098612, 0.3333, 3,
		1.20, 0.3333, 0,	/* 9% above ln 3 */
		0.40, 0.5, 0,		/* below ln 2 */
		4.60517, 0.01, 100,
		0.693147, 0, 0,
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i += 3) {
		double row[2] = { pairs[i], pairs[i + 1] };
		run = mkrun("val_loss,val_acc", 1, row);
		ck_assert_msg(check_chance_classes(run, ROLE_VAL_LOSS, ROLE_VAL_ACC, 1, 0.05) ==
				      (int)pairs[i + 2],
			      "loss %g acc %g: %d, expected %g", pairs[i], pairs[i + 1],
			      check_chance_classes(run, ROLE_VAL_LOSS, ROLE_VAL_ACC, 1, 0.05),
			      pairs[i + 2]);
		run_free(run);
	}
}
END_TEST

/* The defaults: a fall of 0.02 from a best at least 3 epochs back. */
START_TEST(test_overfitting_defaults)
{
	/* acc, val_acc: the dip at epochs 3-4 (0.0125 below the best at 2) is
	 * a wobble; at 6-7 the best (epoch 5) is 2 epochs back; at 8 it is 3
	 * back and 0.03125 lower. */
	static const double rows[] = {
		0.5, 0.5,
		0.6, 0.75,
		0.61, 0.7475,
		0.62, 0.7375,
		0.63, 0.8,
		0.64, 0.79,
		0.65, 0.78,
		0.66, 0.76875,
	};
	struct run *run = mkrun("acc,val_acc", 8, rows);
	struct harness h;
	struct values v;
	char holds[16];
	h_init(&h, "overfitting");
	h_run(&h, run, holds, 8, &v);
	ck_assert_str_eq(holds, "00000001");
	ck_assert_double_eq(num(&v, "best_epoch"), 5);
	ck_assert_double_eq_tol(num(&v, "val_change"), 0.03125, TOL);
	scram_literal(&h);
	h_run(&h, run, holds, 0, NULL);
	ck_assert_str_eq(holds, "00010011");
	run_free(run);

	/* loss variant: val_loss 10% above its best. */
	static const double loss[] = {
		1.0, 1.0,
		0.8, 0.5,
		0.6, 0.52,
		0.5, 0.54,
		0.4, 0.56,
	};
	run = mkrun("loss,val_loss", 5, loss);
	h_init(&h, "overfitting");
	h_run(&h, run, holds, 0, NULL);
	/* e=4: 8% above, best 2 epochs back; e=5: 12% above, 3 back. */
	ck_assert_str_eq(holds, "00001");
	run_free(run);
}
END_TEST

static Suite *checks_suite(void)
{
	Suite *s = suite_create("checks");
	TCase *tc = tcase_create("detectors");
	/* The O(n^2) reference comparison takes seconds on a loaded machine. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_table_well_formed);
	tcase_add_test(tc, test_random_runs_all_detectors);
	tcase_add_test(tc, test_scan_matches_step);
	tcase_add_test(tc, test_nan_loss);
	tcase_add_test(tc, test_exploding_loss);
	tcase_add_test(tc, test_negative_loss);
	tcase_add_test(tc, test_overfitting_acc);
	tcase_add_test(tc, test_overfitting_loss);
	tcase_add_test(tc, test_overfitting_recovers);
	tcase_add_test(tc, test_overfitting_defaults);
	tcase_add_test(tc, test_ol_alternating);
	tcase_add_test(tc, test_ol_signed_pairs);
	tcase_add_test(tc, test_ol_flat_and_short);
	tcase_add_test(tc, test_ol_nan);
	tcase_add_test(tc, test_ol_matches_reference);
	tcase_add_test(tc, test_ol_big);
	tcase_add_test(tc, test_not_converging);
	tcase_add_test(tc, test_slow_convergence);
	tcase_add_test(tc, test_diverging_loss);
	tcase_add_test(tc, test_loss_not_decreasing);
	tcase_add_test(tc, test_early_stopping);
	tcase_add_test(tc, test_initial_loss);
	tcase_add_test(tc, test_val_better_than_train);
	tcase_add_test(tc, test_stuck_at_chance);
	tcase_add_test(tc, test_stuck_at_chance_inferred);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(checks_suite());
}
