#include <sys/mman.h>
#include <stdint.h>
#include "run.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "stats.h"

struct run *run_new(const char *path, const char *format)
{
	struct run *run = xcalloc(1, sizeof(*run));
	run->path = xstrdup(path);
	run->label = xstrdup(path);
	run->format = format;
	for (int r = 0; r < ROLE_COUNT; r++)
		run->role[r] = -1;
	return run;
}

void run_free(struct run *run)
{
	if (!run)
		return;
	for (size_t i = 0; i < run->n_series; i++) {
		free(run->series[i].name);
		free(run->series[i].v);
	}
	free(run->series);
	for (size_t i = 0; i < run->n_notes; i++)
		free(run->notes[i]);
	free(run->notes);
	free(run->line);
	free(run->at_step);
	free(run->at_epoch);
	run_free(run->steps);
	free(run->path);
	free(run->label);
	free(run->stats_path);
	stats_free(run->stats);
	free(run->memo);
	free(run);
}

/* Room for cap points, those from `from` to `to` missing. The room past
 * the points is left untouched: realloc maps large blocks lazily, so a
 * doubled capacity costs memory only as the points fill it. */
static void huge(void *p, size_t bytes)
{
	if (bytes < ((size_t)8 << 20))
		return;
	uintptr_t a = ((uintptr_t)p + ((2u << 20) - 1)) & ~(uintptr_t)((2u << 20) - 1);
	uintptr_t b = ((uintptr_t)p + bytes) & ~(uintptr_t)((2u << 20) - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_HUGEPAGE);
}

static void series_alloc(struct series *s, size_t cap, size_t from, size_t to)
{
	s->v = xreallocarray(s->v, cap ? cap : 1, sizeof(*s->v));
	huge(s->v, cap * sizeof(*s->v));
	double miss = run_missing();
	for (size_t i = from; i < to; i++)
		s->v[i] = miss;
}

static void coords_alloc(double **v, size_t cap, size_t to)
{
	int fresh = *v == NULL;
	*v = xreallocarray(*v, cap ? cap : 1, sizeof(**v));
	for (size_t i = 0; fresh && i < to; i++)
		(*v)[i] = NAN;
}

size_t run_add_series(struct run *run, const char *name)
{
	xgrow(&run->series, &run->series_cap, run->n_series + 1, sizeof(*run->series));
	struct series *s = &run->series[run->n_series];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	series_alloc(s, run->cap, 0, run->n_epochs);
	return run->n_series++;
}

int run_find_series(const struct run *run, const char *name)
{
	for (size_t i = 0; i < run->n_series; i++)
		if (strcmp(run->series[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Every per-point array to the run's capacity (line is the caller's). */
static void points_alloc(struct run *run)
{
	for (size_t i = 0; i < run->n_series; i++)
		series_alloc(&run->series[i], run->cap, 0, 0);
	if (run->at_step)
		coords_alloc(&run->at_step, run->cap, 0);
	if (run->at_epoch)
		coords_alloc(&run->at_epoch, run->cap, 0);
}

size_t run_add_epoch(struct run *run, long line)
{
	size_t n = run->n_epochs;
	if (n + 1 > run->cap) {
		xgrow(&run->line, &run->cap, n + 1, sizeof(*run->line));
		points_alloc(run);
	}
	double miss = run_missing();
	for (size_t i = 0; i < run->n_series; i++)
		run->series[i].v[n] = miss;
	if (run->at_step)
		run->at_step[n] = NAN;
	if (run->at_epoch)
		run->at_epoch[n] = NAN;
	run->line[n] = line > 0 && line <= (long)UINT32_MAX ? (uint32_t)line : 0;
	return run->n_epochs++;
}

void run_reserve(struct run *run, size_t n)
{
	if (n <= run->cap)
		return;
	run->line = xreallocarray(run->line, n, sizeof(*run->line));
	huge(run->line, n * sizeof(*run->line));
	run->cap = n;
	points_alloc(run);
}

void run_set_coords(struct run *run, size_t point, double step, double epoch)
{
	if (!isnan(step)) {
		if (!run->at_step)
			coords_alloc(&run->at_step, run->cap, run->n_epochs);
		run->at_step[point] = step;
	}
	if (!isnan(epoch)) {
		if (!run->at_epoch)
			coords_alloc(&run->at_epoch, run->cap, run->n_epochs);
		run->at_epoch[point] = epoch;
	}
}

struct run *run_steps(struct run *run)
{
	if (!run->steps) {
		run->steps = run_new(run->path, run->format);
		free(run->steps->label);
		run->steps->label = xstrdup(run->label);
		run->steps->axis = AXIS_STEP;
		run->steps->framework = run->framework;
	}
	return run->steps;
}

void run_drop_last(struct run *run)
{
	if (run->n_epochs == 0)
		return;
	size_t i = --run->n_epochs;
	for (size_t k = 0; k < run->n_series; k++) {
		run->series[k].v[i] = run_missing();
	}
	if (run->at_step)
		run->at_step[i] = NAN;
	if (run->at_epoch)
		run->at_epoch[i] = NAN;
}

void run_note(struct run *run, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *note = xvasprintf(fmt, ap);
	va_end(ap);
	run->notes = xreallocarray(run->notes, run->n_notes + 1, sizeof(char *));
	run->notes[run->n_notes++] = note;
}

/* Lower case, letters and digits only: "Val Loss" and "val_loss" are alike. */
static void squash(const char *in, char *out, size_t outlen)
{
	size_t j = 0;
	/* ASCII by hand: the program runs in the C locale, where isalnum and
	 * tolower mean exactly this, without a call a character. */
	for (; *in && j + 1 < outlen; in++) {
		unsigned char c = (unsigned char)*in;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			out[j++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			out[j++] = (char)(c - 'A' + 'a');
	}
	out[j] = '\0';
}

/*
 * Names each role goes by, best first. The first set is what Keras writes;
 * the rest are what hand-written loops, pandas exports, Lightning and
 * Hugging Face logs call the same thing (seen in ../shared/corpus/public).
 */
static const char *const role_names[ROLE_COUNT][16] = {
	[ROLE_LOSS] = { "loss", "trainloss", "trainingloss", "losstrain",
			"trainlossepoch", "lossepoch", "avgtrainloss", NULL },
	[ROLE_VAL_LOSS] = { "valloss", "validationloss", "validloss",
			    "evalloss", "vallossepoch", "lossval", "avgvalloss",
			    "valavgloss", "testloss", NULL },
	[ROLE_ACC] = { "acc", "accuracy", "trainacc", "trainaccuracy",
		       "trainingaccuracy", "trainingacc", "accepoch",
		       "categoricalaccuracy", "sparsecategoricalaccuracy",
		       "binaryaccuracy", "trainaccepoch", NULL },
	[ROLE_VAL_ACC] = { "valacc", "valaccuracy", "validationaccuracy",
			   "validationacc", "validaccuracy", "validacc",
			   "evalaccuracy", "valcategoricalaccuracy",
			   "valsparsecategoricalaccuracy", "valbinaryaccuracy",
			   "valaccepoch", "testaccuracy", "testacc", NULL },
	[ROLE_LR] = { "lr", "learningrate", NULL },
};

static int series_has_value(const struct series *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!run_is_missing(s, i))
			return 1;
	return 0;
}

static void rescale_percent(struct run *run, enum role role)
{
	int idx = run->role[role];
	if (idx < 0)
		return;
	struct series *s = &run->series[idx];
	double max = -INFINITY;
	for (size_t i = 0; i < run->n_epochs; i++)
		if (isfinite(s->v[i]) && s->v[i] > max)
			max = s->v[i];
	if (!(max > 1.0 && max <= 100.0))
		return;
	for (size_t i = 0; i < run->n_epochs; i++)
		if (!run_is_missing(s, i))
			s->v[i] /= 100.0;
	run_note(run, "'%s' looks like a percentage (up to %g); read as a fraction",
		 s->name, max);
}

/* When no series goes by a role's usual names, the first of its kind. */
static void map_by_kind(struct run *run)
{
	static const struct {
		enum role role;
		enum metric_kind kind;
		enum metric_split split;
	} want[] = {
		{ ROLE_LOSS, KIND_LOSS, SPLIT_TRAIN },
		{ ROLE_VAL_LOSS, KIND_LOSS, SPLIT_VAL },
		{ ROLE_ACC, KIND_SCORE, SPLIT_TRAIN },
		{ ROLE_VAL_ACC, KIND_SCORE, SPLIT_VAL },
		{ ROLE_LR, KIND_LR, SPLIT_TRAIN },
	};
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		if (run->role[want[k].role] >= 0)
			continue;
		for (size_t i = 0; i < run->n_series; i++) {
			const struct series *s = &run->series[i];
			if (s->kind != want[k].kind || !series_has_value(s, run->n_epochs))
				continue;
			if (want[k].kind != KIND_LR && s->split != want[k].split)
				continue;
			if (want[k].kind == KIND_SCORE && !metric_is_accuracy(s->name))
				continue;
			run->role[want[k].role] = (int)i;
			break;
		}
	}
}

void run_map_roles(struct run *run)
{
	char sq[128];
	for (size_t i = 0; i < run->n_series; i++) {
		enum metric_kind kind;
		enum metric_split split;
		metric_classify(run->series[i].name, &kind, &split);
		run->series[i].kind = (unsigned char)kind;
		run->series[i].split = (unsigned char)split;
	}
	/* Each role goes to the series whose name is earliest in its list (the
	 * first such series on a tie); each name is squashed once. */
	int best[ROLE_COUNT], best_rank[ROLE_COUNT];
	for (int r = 0; r < ROLE_COUNT; r++) {
		best[r] = -1;
		best_rank[r] = 99;
	}
	for (size_t i = 0; i < run->n_series; i++) {
		if (!series_has_value(&run->series[i], run->n_epochs))
			continue;
		squash(run->series[i].name, sq, sizeof(sq));
		for (int r = 0; r < ROLE_COUNT; r++)
			for (int k = 0; k < best_rank[r] && role_names[r][k]; k++)
				if (sq[0] == role_names[r][k][0] && strcmp(sq, role_names[r][k]) == 0) {
					best[r] = (int)i;
					best_rank[r] = k;
					break;
				}
	}
	for (int r = 0; r < ROLE_COUNT; r++)
		run->role[r] = best[r];
	/* "test" stands in for validation only when there is nothing better. */
	for (int r = ROLE_VAL_LOSS; r <= ROLE_VAL_ACC; r += 2) {
		int idx = run->role[r];
		if (idx >= 0) {
			squash(run->series[idx].name, sq, sizeof(sq));
			if (strncmp(sq, "test", 4) == 0)
				run_note(run, "no validation series; '%s' is used as validation",
					 run->series[idx].name);
		}
	}
	map_by_kind(run);
	rescale_percent(run, ROLE_ACC);
	rescale_percent(run, ROLE_VAL_ACC);
	if (run->steps)
		run_map_roles(run->steps);
}

static int judgeable_kind(unsigned char kind)
{
	return kind == KIND_LOSS || kind == KIND_SCORE || kind == KIND_ERROR;
}

/* 1: a train or validation series of a judged kind; 2: only test ones; 0: none. */
static int judgeable_in(const struct run *run)
{
	int test = 0;
	for (size_t i = 0; i < run->n_series; i++) {
		const struct series *s = &run->series[i];
		if (!judgeable_kind(s->kind) || !series_has_value(s, run->n_epochs))
			continue;
		if (s->split != SPLIT_TEST)
			return 1;
		test = 1;
	}
	/* A test series standing in for validation (a role) counts. */
	for (int r = 0; r < ROLE_COUNT; r++)
		if (r != ROLE_LR && run->role[r] >= 0 &&
		    series_has_value(&run->series[run->role[r]], run->n_epochs))
			return 1;
	return test ? 2 : 0;
}

int run_has_judgeable(const struct run *run, const char **why)
{
	int a = judgeable_in(run), b = run->steps ? judgeable_in(run->steps) : 0;
	if (a == 1 || b == 1 || run->stats)
		return 1;
	*why = a == 2 || b == 2 ? "only test-set results, not a history of training"
				: "no loss, score or error series";
	return 0;
}

static void describe_epoch(double e, char *buf, size_t len)
{
	if (e == floor(e) && fabs(e) < 1e15)
		snprintf(buf, len, "%.0f", e);
	else
		snprintf(buf, len, "%.2f", e);
}

void run_point_describe(const struct run *run, size_t i, char *buf, size_t len)
{
	double step = run->at_step && i < run->n_epochs ? run->at_step[i] : NAN;
	double ep = run->at_epoch && i < run->n_epochs ? run->at_epoch[i] : NAN;
	char e[32] = "";
	/* Asked for every finding: the epoch's text only when it is shown,
	 * and "epoch N" without printf. */
	if (run->axis != AXIS_EPOCH && !isnan(ep))
		describe_epoch(ep, e, sizeof(e));
	switch (run->axis) {
	case AXIS_EPOCH: {
		char tmp[32], *p = tmp + sizeof(tmp);
		size_t k = i + 1;
		*--p = '\0';
		do
			*--p = (char)('0' + k % 10);
		while ((k /= 10) > 0);
		p -= 6;
		memcpy(p, "epoch ", 6);
		size_t n = (size_t)(tmp + sizeof(tmp) - 1 - p);
		if (len) {
			n = n < len - 1 ? n : len - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
		}
		break;
	}
	case AXIS_EVAL:
		if (!isnan(step) && !isnan(ep))
			snprintf(buf, len, "evaluation %zu (step %.0f, epoch %s)", i + 1, step, e);
		else if (!isnan(step))
			snprintf(buf, len, "evaluation %zu (step %.0f)", i + 1, step);
		else if (!isnan(ep))
			snprintf(buf, len, "evaluation %zu (epoch %s)", i + 1, e);
		else
			snprintf(buf, len, "evaluation %zu", i + 1);
		break;
	case AXIS_STEP:
		if (isnan(step))
			snprintf(buf, len, "logged step %zu", i + 1);
		else if (!isnan(ep))
			snprintf(buf, len, "step %.0f (epoch %s)", step, e);
		else
			snprintf(buf, len, "step %.0f", step);
		break;
	}
}

const char *axis_point_name(enum axis axis)
{
	static const char *const names[] = { "epoch", "evaluation", "step" };
	return names[axis];
}

const double *run_role(const struct run *run, enum role role)
{
	int idx = run->role[role];
	return idx < 0 ? NULL : run->series[idx].v;
}

const char *run_role_name(const struct run *run, enum role role)
{
	int idx = run->role[role];
	return idx < 0 ? NULL : run->series[idx].name;
}

static const char *const canonical[ROLE_COUNT] = {
	"loss", "val_loss", "acc", "val_acc", "lr"
};

const char *role_name(enum role role)
{
	return canonical[role];
}

int role_parse(const char *name)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (strcmp(name, canonical[r]) == 0)
			return r;
	return -1;
}

void run_list_push(struct run_list *list, struct run *run)
{
	xgrow(&list->v, &list->cap, list->n + 1, sizeof(*list->v));
	list->v[list->n++] = run;
}

void run_list_release(struct run_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		run_free(list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = list->cap = 0;
}
