#include "replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"
#include "causes.h"
#include "wording.h"

int schedule_parse(struct schedule *s, const char *spec, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (strcmp(spec, "every") == 0) {
		s->kind = SCHED_EVERY;
		return 0;
	}
	if (strcmp(spec, "final") == 0) {
		s->kind = SCHED_FINAL;
		return 0;
	}
	if (strncmp(spec, "interval:", 9) == 0) {
		char *end;
		unsigned long k = strtoul(spec + 9, &end, 10);
		if (end == spec + 9 || *end || k == 0 || k > 1000000 || spec[9] == '-') {
			snprintf(err, errlen, "--schedule interval:K takes a whole number K >= 1, not '%s'",
				 spec + 9);
			return -1;
		}
		s->kind = SCHED_INTERVAL;
		s->k = k;
		return 0;
	}
	if (strcmp(spec, "adaptive") == 0 || strncmp(spec, "adaptive:", 9) == 0) {
		s->kind = SCHED_ADAPTIVE;
		s->a = 0.2;
		s->b = 0.4;
		s->k = 10;
		if (spec[8] == '\0')
			return 0;
		double a, b;
		unsigned long k;
		int used = 0;
		if (sscanf(spec + 9, "%lf,%lf,%lu%n", &a, &b, &k, &used) != 3 ||
		    spec[9 + used] != '\0' || !(a >= 0 && a <= b && b <= 1) || k == 0 ||
		    k > 1000000 || strchr(spec + 9, '-')) {
			snprintf(err, errlen,
				 "--schedule adaptive:a,b,k needs 0 <= a <= b <= 1 and a whole k >= 1, not '%s'",
				 spec + 9);
			return -1;
		}
		s->a = a;
		s->b = b;
		s->k = k;
		return 0;
	}
	snprintf(err, errlen,
		 "unknown schedule '%s' (every, interval:K, adaptive[:a,b,k], final)", spec);
	return -1;
}

void schedule_describe(const struct schedule *s, char *buf, size_t len)
{
	switch (s->kind) {
	case SCHED_EVERY:
		snprintf(buf, len, "every");
		break;
	case SCHED_FINAL:
		snprintf(buf, len, "final");
		break;
	case SCHED_INTERVAL:
		snprintf(buf, len, "interval:%lu", s->k);
		break;
	case SCHED_ADAPTIVE:
		snprintf(buf, len, "adaptive:%g,%g,%lu", s->a, s->b, s->k);
		break;
	}
}

/* floor(f * T) without 0.3 * 10 = 2.9999... surprises. */
static size_t frac_floor(double f, size_t T)
{
	return (size_t)floor(f * (double)T + 1e-9);
}

int schedule_checks(const struct schedule *s, size_t e, size_t T)
{
	switch (s->kind) {
	case SCHED_EVERY:
		return 1;
	case SCHED_FINAL:
		return 0;
	case SCHED_INTERVAL:
		return (e - 1) % s->k == 0;
	case SCHED_ADAPTIVE: {
		/* e <= aT: nothing; aT < e <= bT: every epoch; later: every k-th
		 * epoch counted from the window's last epoch, floor(bT). */
		size_t lo = frac_floor(s->a, T), hi = frac_floor(s->b, T);
		if (e <= lo)
			return 0;
		if (e <= hi)
			return 1;
		return (e - hi) % s->k == 0;
	}
	}
	return 0;
}

size_t judgment_epoch(double judgment, size_t T)
{
	/* The first e with e >= judgment * T, and never before epoch 1. */
	double x = judgment * (double)T - 1e-9;
	size_t e = x <= 1 ? 1 : (size_t)ceil(x);
	return e;
}

/*
 * What a replay costs per epoch is one step of each rule state, taken in a
 * detector's own loop (scan) where it has one, so that no call is made per
 * epoch; the rest happens only at a check where a rule holds. Detectors
 * write their values only when the replay will keep them: at the check that
 * detects the rule, and for "values: last" at the final check (at every
 * check of a live run, whose final check is not known yet). At every other
 * step they write into a discarding table that drops them, so a rule that
 * holds for a million epochs formats and copies nothing per epoch, and a
 * rule state carries two pointers instead of two 1.7 KB value tables.
 */
struct rule_state {
	const struct rule *rule;
	void *state;		/* in the replay's one block of detector states */
	struct detector_ctx ctx;	/* set at each replay_advance */
	int usable;		/* prepare() accepted the run */
	int bound;		/* one more series of the kinds the detector judges */
	enum role bind_role;	/* the role that series plays in the view */
	int bind_series;	/* its index in the run */
	int bind_loss;		/* the run's training loss, kept in the view (-1: not) */
	struct run view;	/* bound: the run with only that series in a role */
	size_t judge_from;	/* first epoch the rule runs at */
	size_t onset;		/* 0: not yet */
	size_t detected;	/* 0: not yet */
	int holds_last;		/* held at the latest check */
	size_t since;		/* values: last: the check that began the stretch
				 * of holding checks in progress; 0: none */
	size_t recovered;	/* first check after the last one that held; 0: none */
	struct values *at_detect;	/* NULL until detected */
	struct values *at_last;	/* at the latest check that held (values: last) */
};

struct replay {
	const struct ruleset *rules;
	struct replay_opts opts;
	struct rule_state *rs;
	size_t n_rs, cap_rs;
	char *states;		/* every rule state's detector state, zeroed */
	struct values *scratch;	/* where step() writes values that are kept */
	size_t stepped;		/* epochs stepped so far */
	size_t checks_run;
	size_t last_check;
	char **skipped;
	size_t n_skipped;
};

/* What a rule state judges: the run itself, or a view with one series bound. */
static const struct run *state_run(struct rule_state *s, const struct run *run)
{
	if (!s->bound)
		return run;
	/* Refreshed at every use: a live run grows and moves its arrays. */
	s->view = *run;
	for (int r = 0; r < ROLE_COUNT; r++)
		s->view.role[r] = -1;
	s->view.role[s->bind_role] = s->bind_series;
	if (s->bind_loss >= 0)
		s->view.role[ROLE_LOSS] = s->bind_loss;
	return &s->view;
}

static struct detector_ctx make_ctx(const struct replay *rp, const struct rule *rule,
				    const struct run *run)
{
	struct detector_ctx ctx;
	ctx.run = run;
	ctx.param = rule->param;
	ctx.total_epochs = rp->opts.total_epochs ? rp->opts.total_epochs : run->n_epochs;
	ctx.classes = rp->opts.classes;
	return ctx;
}

/* Does the rule judge points of this axis? */
static int rule_on_axis(const struct rule *rule, enum axis axis)
{
	return (rule->axes & (1u << axis)) != 0;
}

static int series_in_role(const struct run *run, size_t i)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (run->role[r] == (int)i)
			return 1;
	return 0;
}

/*
 * Does series i have a value other than exactly 0? A loss component that is
 * 0 at every point is one the task does not use (YOLO's cls_loss with one
 * class, kobj_loss or rle_loss of pose models that do not compute them), not
 * a training that stopped: it is not judged on its own. A run's loss and
 * val_loss are judged whatever they hold (a loss of 0 everywhere is masked
 * labels).
 */
static int series_has_values(const struct run *run, size_t i)
{
	for (size_t k = 0; k < run->n_epochs; k++)
		if (!run_is_missing(&run->series[i], k) && run->series[i].v[k] != 0)
			return 1;
	return 0;
}

static struct rule_state *add_state(struct replay *rp, const struct rule *rule, size_t T)
{
	xgrow(&rp->rs, &rp->cap_rs, rp->n_rs + 1, sizeof(*rp->rs));
	struct rule_state *s = &rp->rs[rp->n_rs++];
	memset(s, 0, sizeof(*s));
	s->rule = rule;
	s->judge_from = rp->opts.defer_judged && rule->judgment > 0
				? (size_t)-1 : judgment_epoch(rule->judgment, T);
	return s;
}

static int prepare_state(struct replay *rp, struct rule_state *s, const struct run *run,
			 const char **why)
{
	struct detector_ctx ctx = make_ctx(rp, s->rule, state_run(s, run));
	*why = "its inputs are missing";
	return s->rule->det->prepare ? s->rule->det->prepare(s->state, &ctx, why) == 0 : 1;
}

/* A detector state's size in the block, keeping every state aligned. */
static size_t state_span(const struct rule *rule)
{
	size_t a = _Alignof(max_align_t), n = rule->det->state_size;
	return (n + a - 1) / a * a;
}

struct replay *replay_new(const struct ruleset *rules, const struct replay_opts *opts,
			  const struct run *run)
{
	struct replay *rp = xcalloc(1, sizeof(*rp));
	rp->rules = rules;
	rp->opts = *opts;
	rp->scratch = xmalloc(sizeof(*rp->scratch));
	size_t T = opts->total_epochs ? opts->total_epochs : run->n_epochs;
	/* Room for a state per rule and a few bound series, grown only past
	 * that. */
	xgrow(&rp->rs, &rp->cap_rs, rules->n + 8, sizeof(*rp->rs));
	/* The states first, then one zeroed block for what their detectors
	 * keep, then prepare() in the same order. */
	for (size_t i = 0; i < rules->n; i++) {
		const struct rule *rule = &rules->v[i];
		if (!rule->enabled || !rule_on_axis(rule, run->axis))
			continue;
		add_state(rp, rule, T);
		/* Every other series of the kinds the detector judges gets a
		 * state of its own: a run with box, class and DFL losses is
		 * judged on each. */
		for (size_t k = 0; rule->det->each && k < run->n_series; k++) {
			const struct series *se = &run->series[k];
			int score = se->kind == KIND_SCORE;
			if (!(rule->det->each & (1u << se->kind)) || se->split == SPLIT_TEST ||
			    (score && se->split != SPLIT_VAL) ||
			    series_in_role(run, k) || !series_has_values(run, k))
				continue;
			struct rule_state *b = add_state(rp, rule, T);
			b->bound = 1;
			b->bind_series = (int)k;
			b->bind_role = score ? ROLE_VAL_ACC
				     : se->split == SPLIT_VAL ? ROLE_VAL_LOSS : ROLE_LOSS;
			b->bind_loss = score ? run->role[ROLE_LOSS] : -1;
		}
	}
	size_t total = 0;
	for (size_t i = 0; i < rp->n_rs; i++)
		total += state_span(rp->rs[i].rule);
	rp->states = xcalloc(1, total ? total : 1);
	total = 0;
	for (size_t i = 0; i < rp->n_rs; i++) {
		struct rule_state *s = &rp->rs[i];
		s->state = rp->states + total;
		total += state_span(s->rule);
		const char *why;
		s->usable = prepare_state(rp, s, run, &why);
		if (!s->usable && !s->bound) {
			rp->skipped = xreallocarray(rp->skipped, rp->n_skipped + 1, sizeof(char *));
			rp->skipped[rp->n_skipped++] = xasprintf("%s: not run: %s", s->rule->id, why);
		}
	}
	return rp;
}

/* The exact [snippet FRAMEWORK] section, or NULL. */
static const char *snippet_for(const struct rule *r, const char *fw)
{
	for (size_t i = 0; i < r->n_sec; i++)
		if (strcmp(r->sec[i].name, "snippet") == 0 && r->sec[i].variant &&
		    strcmp(r->sec[i].variant, fw) == 0)
			return r->sec[i].text;
	return NULL;
}

/* A copy of the values in use (the slots past n are never read). */
static struct values *values_dup(const struct values *v)
{
	struct values *d = xmalloc(sizeof(*d));
	d->n = v->n;
	memcpy(d->kv, v->kv, v->n * sizeof(v->kv[0]));
	return d;
}
static char *expand_worded(const struct rule *r, const char *text, enum axis axis,
			   const struct values *values, const struct values *builtins)
{
	char *worded = point_wording(text, axis);
	char *out = rule_expand(r, worded ? worded : text, values, builtins);
	free(worded);
	return out;
}


static void fill_finding(const struct replay *rp, const struct rule_state *s,
			 const struct run *run, struct finding *f)
{
	memset(f, 0, sizeof(*f));
	f->cause = -1;
	f->rule = s->rule;
	f->detected_epoch = s->detected;
	f->onset_epoch = s->onset;
	f->persists = s->holds_last;
	/* A "values: last" finding that holds at the end is told with the
	 * values of the stretch of checks it holds in then, not of its first
	 * detection (early-stopping: the best epoch of the whole run, not the
	 * first plateau): it is shown where that stretch began, so that its
	 * head ("epoch 28") and its title ("stopped improving at epoch 22;
	 * would have ended at 27") tell one story. detected_epoch stays the
	 * first detection. */
	size_t at = s->rule->values_last && s->holds_last && s->since ? s->since : s->detected;
	f->line = at <= run->n_epochs ? run->line[at - 1] : 0;
	f->axis = run->axis;
	f->at_step = run->at_step && at <= run->n_epochs ? run->at_step[at - 1] : NAN;
	f->at_epoch = run->at_epoch && at <= run->n_epochs ? run->at_epoch[at - 1] : NAN;
	run_point_describe(run, at - 1, f->where, sizeof(f->where));
	f->recovered_epoch = s->holds_last ? 0 : s->recovered;
	if (f->recovered_epoch)
		run_point_describe(run, f->recovered_epoch - 1, f->recovered_where,
				   sizeof(f->recovered_where));
	if (s->onset)
		run_point_describe(run, s->onset - 1, f->onset_where, sizeof(f->onset_where));
	f->values = s->rule->values_last && s->holds_last ? *s->at_last : *s->at_detect;
	struct values b = { 0 };
	values_epoch(&b, "detected_epoch", s->detected);
	values_epoch(&b, "onset_epoch", s->onset);
	values_num(&b, "epochs", (double)run->n_epochs);
	values_num(&b, "total_epochs",
		   (double)(rp->opts.total_epochs ? rp->opts.total_epochs : run->n_epochs));
	const struct value *variant = values_get(&f->values, "variant");
	const char *var = variant && variant->is_word ? variant->word : NULL;
	const struct rule *r = s->rule;
	/* The prose says "epoch"; on evaluations and steps the word follows
	 * the axis (never in snippets: eval_strategy="epoch" is code). */
	f->title = expand_worded(r, r->title, run->axis, &f->values, &b);
	f->message = expand_worded(r, rule_section(r, "message", var), run->axis, &f->values, &b);
	f->why = expand_worded(r, rule_section(r, "why", var), run->axis, &f->values, &b);
	f->fix = expand_worded(r, rule_section(r, "fix", var), run->axis, &f->values, &b);
	f->snippet = rule_expand(r, rule_section(r, "snippet", var), &f->values, &b);
	for (int fw = 1; fw < FW_COUNT; fw++) {
		const char *t = snippet_for(r, framework_name((enum framework)fw));
		f->snippet_fw[fw] = t ? rule_expand(r, t, &f->values, &b) : NULL;
	}
	f->snippet_pytorch = f->snippet_fw[FW_PYTORCH];
	f->framework = run->framework;
}

/* Epochs a rule steps through before the next rule takes the same ones. */
#define REPLAY_BLOCK 4096

/* A finding detected during replay_advance, told in epoch order at its end. */
struct detection {
	size_t epoch, state;
	struct finding f;
};

static int detection_cmp(const void *a, const void *b)
{
	const struct detection *x = a, *y = b;
	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	return x->state < y->state ? -1 : x->state > y->state;
}

/* What the rules' advances over one call's new epochs share. */
struct stretch {
	size_t base;		/* the first new epoch */
	size_t final;		/* the epoch of the final check, 0 when none */
	const unsigned char *map;	/* bit e - base: a check; NULL: every epoch is one */
	struct detection **det;	/* NULL, or findings to tell at the end */
	size_t *n_det, *cap_det;
};

/* Is epoch e a check? */
static int is_check(const struct stretch *sp, size_t e)
{
	return !sp->map || e == sp->final ||
	       (sp->map[(e - sp->base) / 8] >> ((e - sp->base) % 8) & 1);
}

/*
 * A validation score bound as val_acc (overfitting on mAP, F1, a Spearman
 * correlation: every one a run logs) says what another state of its rule may
 * say already, and correlated scores fall together: a rule reports one
 * finding per run, its own roles' if they have one, else the earliest
 * score's (the first in order on a tie).
 */
static int shadowed(const struct replay *rp, size_t i)
{
	const struct rule_state *s = &rp->rs[i];
	if (!s->bound || s->bind_role != ROLE_VAL_ACC)
		return 0;
	for (size_t j = 0; j < rp->n_rs; j++) {
		const struct rule_state *o = &rp->rs[j];
		if (j == i || o->rule != s->rule || !o->detected)
			continue;
		if (!o->bound || o->bind_role != ROLE_VAL_ACC)
			return 1;
		if (o->detected < s->detected || (o->detected == s->detected && j < i))
			return 1;
	}
	return 0;
}

/*
 * Rule state i holds at check e and its values v are kept: as the latest of
 * a "values: last" rule, as the detection's the first time. The state's
 * standing (onset, holds_last, recovered) is up to date.
 */
static void keep_values(struct replay *rp, size_t i, size_t e, struct values *v,
			const struct stretch *sp)
{
	struct rule_state *s = &rp->rs[i];
	if (s->rule->values_last) {
		/* Keep v as the latest values; the old ones become scratch. */
		struct values *old = s->at_last;
		s->at_last = v;
		rp->scratch = old ? old : xmalloc(sizeof(*rp->scratch));
	}
	if (s->detected)
		return;
	s->detected = e;
	s->at_detect = values_dup(v);
	if (sp->det && !shadowed(rp, i)) {
		xgrow(sp->det, sp->cap_det, *sp->n_det + 1, sizeof(**sp->det));
		struct detection *d = &(*sp->det)[(*sp->n_det)++];
		d->epoch = e;
		d->state = i;
		fill_finding(rp, s, s->ctx.run, &d->f);
	}
}

/*
 * Step one rule state through epochs from..to. Rule by rule rather than epoch
 * by epoch: the states are independent, so the order changes nothing but
 * what stays in registers (the detector, its state, where the rule stands),
 * and a rule before its judgment point only accumulates.
 */
static void advance_state(struct replay *rp, size_t i, size_t from, size_t to,
			  const struct stretch *sp)
{
	struct rule_state *s = &rp->rs[i];
	int (*step)(void *, const struct detector_ctx *, size_t, struct values *) =
		s->rule->det->step;
	size_t (*scan)(void *, const struct detector_ctx *, size_t, size_t, struct values *) =
		s->rule->det->scan;
	void *st = s->state;
	const struct detector_ctx *ctx = &s->ctx;
	const unsigned char *map = sp->map;
	int is_last = sp->final != 0;
	size_t e = from;
	/* Before the judgment point the rule never holds: nothing is kept,
	 * and a check there only says that it did not hold. */
	int checked = 0;
	if (scan && e <= to && e < s->judge_from) {
		size_t end = to < s->judge_from - 1 ? to : s->judge_from - 1;
		scan(st, ctx, e, end, &values_discard);
		for (checked = !map; map && e <= end; e++)
			checked |= is_check(sp, e);
		e = end + 1;
	}
	for (; e <= to && e < s->judge_from; e++) {
		step(st, ctx, e, &values_discard);
		checked |= is_check(sp, e);
	}
	if (checked)
		s->holds_last = 0;
	if (scan && !map && !s->rule->values_last) {
		/* As below, each stretch in one call: until the detection, and
		 * after it, where the last epoch that held says where the rule
		 * stands. */
		if (e <= to && !s->detected) {
			struct values *v = rp->scratch;
			size_t h = scan(st, ctx, e, to, v);
			if (!h) {
				s->holds_last = 0;
				return;
			}
			if (!s->onset)
				s->onset = h;
			s->holds_last = 1;
			s->recovered = 0;
			keep_values(rp, i, h, v, sp);
			e = h + 1;
		}
		if (e > to)
			return;
		size_t last = scan(st, ctx, e, to, &values_discard);
		s->holds_last = last == to;
		if (last)
			s->recovered = last == to ? 0 : last + 1;
		else if (!s->recovered)
			s->recovered = e;
		return;
	}
	if (!map && !s->rule->values_last) {
		/* The common case, every epoch a check and values kept only
		 * at the detection: until it, each step writes its values
		 * for keeps; after it, none does and only whether the rule
		 * still holds counts. */
		for (; e <= to && !s->detected; e++) {
			struct values *v = rp->scratch;
			v->n = 0;	/* the slots past n are never read */
			if (step(st, ctx, e, v) != 1) {
				s->holds_last = 0;
				continue;
			}
			if (!s->onset)
				s->onset = e;
			s->holds_last = 1;
			s->recovered = 0;
			keep_values(rp, i, e, v, sp);
		}
		size_t recovered = s->recovered;
		int holds = s->holds_last;
		for (; e <= to; e++) {
			holds = step(st, ctx, e, &values_discard) == 1;
			if (holds)
				recovered = 0;
			else if (!recovered)
				recovered = e;
		}
		s->recovered = recovered;
		s->holds_last = holds;
		return;
	}
	int values_last = s->rule->values_last;
	for (; e <= to; e++) {
		int check = is_check(sp, e);
		/* Are the values of this step kept if the rule holds? */
		int keep = check && (!s->detected || (values_last && (e == sp->final || !is_last)));
		struct values *v = &values_discard;
		if (keep) {
			v = rp->scratch;
			v->n = 0;
		}
		int holds = step(st, ctx, e, v) == 1;
		if (holds && !s->onset)
			s->onset = e;
		if (!check)
			continue;
		if (holds && !s->holds_last)
			s->since = e;
		s->holds_last = holds;
		if (holds)
			s->recovered = 0;
		else if (s->detected && !s->recovered)
			s->recovered = e;
		if (holds && keep)
			keep_values(rp, i, e, v, sp);
	}
}

void replay_advance(struct replay *rp, const struct run *run, int is_last,
		    replay_detect_fn on_detect, void *arg)
{
	size_t from = rp->stepped + 1, to = run->n_epochs;
	if (from > to)
		return;
	size_t T = rp->opts.total_epochs ? rp->opts.total_epochs : run->n_epochs;
	/* The run holds still while it is stepped: its views and contexts are
	 * set once per call, not once per epoch. */
	for (size_t i = 0; i < rp->n_rs; i++)
		rp->rs[i].ctx = make_ctx(rp, rp->rs[i].rule, state_run(&rp->rs[i], run));
	/* The checks among the new epochs, worked out once for every rule
	 * (none to work out when every epoch is one). */
	unsigned char *map = NULL;
	if (rp->opts.schedule.kind == SCHED_EVERY) {
		rp->checks_run += to - from + 1;
		rp->last_check = to;
	} else {
		map = xcalloc((to - from) / 8 + 1, 1);
	}
	for (size_t e = from; map && e <= to; e++) {
		int check = schedule_checks(&rp->opts.schedule, e, T) || (is_last && e == to);
		if (check)
			map[(e - from) / 8] |= (unsigned char)(1u << ((e - from) % 8));
		if (check) {
			rp->checks_run++;
			rp->last_check = e;
		}
	}
	struct detection *det = NULL;
	size_t n_det = 0, cap_det = 0;
	struct stretch sp = { from, is_last ? to : 0, map, on_detect ? &det : NULL,
			      &n_det, &cap_det };
	/* A block of epochs at a time, every rule through it: what the rules
	 * read of a block stays in the cache from one rule to the next. */
	for (size_t b = from; b <= to; b += REPLAY_BLOCK) {
		size_t end = to - b < REPLAY_BLOCK ? to : b + REPLAY_BLOCK - 1;
		for (size_t i = 0; i < rp->n_rs; i++)
			if (rp->rs[i].usable)
				advance_state(rp, i, b, end, &sp);
	}
	rp->stepped = to;
	free(map);
	/* Told as an epoch-by-epoch replay finds them: by epoch, then rule. */
	if (n_det > 1)
		qsort(det, n_det, sizeof(*det), detection_cmp);
	for (size_t k = 0; k < n_det; k++) {
		on_detect(&det[k].f, arg);
		finding_release(&det[k].f);
	}
	free(det);
}

void replay_finish(struct replay *rp, const struct run *run, struct run_result *res)
{
	res->epochs = run->n_epochs;
	res->checks_run = rp->checks_run;
	for (size_t i = 0; i < rp->n_rs; i++) {
		struct rule_state *s = &rp->rs[i];
		if (s->detected && !shadowed(rp, i)) {
			res->f = xreallocarray(res->f, res->n_f + 1, sizeof(*res->f));
			fill_finding(rp, s, state_run(s, run), &res->f[res->n_f++]);
		}
		if (s->rule->det->release)
			s->rule->det->release(s->state);
		free(s->at_detect);
		free(s->at_last);
	}
	free(rp->scratch);
	free(rp->states);
	run_result_sort(res);
	res->skipped = rp->skipped;
	res->n_skipped = rp->n_skipped;
	free(rp->rs);
	free(rp);
}

/* The series a finding is about, when the detector names one. */
static const char *finding_series(const struct finding *f)
{
	const struct value *v = values_get(&f->values, "series");
	return v && v->is_word ? v->word : NULL;
}

/*
 * A rule that judges both the run's points and its steps may see the same
 * series twice (Hugging Face's per-evaluation loss is the mean of the
 * steps'): the step finding is the earlier and more precise one, so the
 * other goes.
 */
static void drop_step_duplicates(struct run_result *res, size_t n_main)
{
	size_t out = 0;
	for (size_t i = 0; i < res->n_f; i++) {
		struct finding *f = &res->f[i];
		int dup = 0;
		for (size_t k = n_main; i < n_main && k < res->n_f && !dup; k++) {
			const struct finding *g = &res->f[k];
			const char *a = finding_series(f), *b = finding_series(g);
			dup = g->rule == f->rule && (!a || !b || strcmp(a, b) == 0);
		}
		if (dup)
			finding_release(f);
		else
			res->f[out++] = *f;
	}
	res->n_f = out;
}

void replay_run(const struct ruleset *rules, const struct replay_opts *opts,
		const struct run *run, struct run_result *res)
{
	struct replay *rp = replay_new(rules, opts, run);
	replay_advance(rp, run, 1, NULL, NULL);
	replay_finish(rp, run, res);
	if (!run->steps || run->steps->n_epochs == 0) {
		causes_link(res);
		return;
	}
	/* The steps: every logged step is a check (the log is the schedule). */
	struct replay_opts so = *opts;
	so.schedule.kind = SCHED_EVERY;
	so.total_epochs = 0;
	so.defer_judged = 0;
	struct run_result sr;
	memset(&sr, 0, sizeof(sr));
	struct replay *sp = replay_new(rules, &so, run->steps);
	replay_advance(sp, run->steps, 1, NULL, NULL);
	replay_finish(sp, run->steps, &sr);
	size_t n_main = res->n_f;
	res->f = xreallocarray(res->f, n_main + sr.n_f + 1, sizeof(*res->f));
	if (sr.n_f)	/* sr.f is NULL when the steps gave no finding */
		memcpy(res->f + n_main, sr.f, sr.n_f * sizeof(*sr.f));
	res->n_f = n_main + sr.n_f;
	free(sr.f);
	res->steps = run->steps->n_epochs;
	res->step_checks = sr.checks_run;
	/* A rule that ran on the steps was not skipped after all. */
	for (size_t i = 0; i < sr.n_skipped; i++)
		free(sr.skipped[i]);
	free(sr.skipped);
	drop_step_duplicates(res, n_main);
	run_result_sort(res);
	causes_link(res);
}
