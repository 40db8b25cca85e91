/*
 * One root cause: after every rule ran on a run, findings that follow from
 * another finding are linked to it (finding.cause) and placed right after
 * it, so that a report leads with what to fix first and never gives a run
 * opposite fixes as if they were separate problems. The relations, which
 * scram-check(1) documents under CAUSES:
 *
 * 1. A non-finite loss or gradient (nan-loss, nan-gradient,
 *    nonfinite-grad-norm, exploding-loss) comes first: every other finding
 *    whose onset is at or after its onset is a consequence (the weights are
 *    gone; nothing after that says anything about the set-up).
 * 2. An optimizer or signal problem (zero-learning-rate, dying-relu,
 *    vanishing-gradient, exploding-gradient, improper-normalization,
 *    constant-loss) explains a run that does not learn: not-converging,
 *    slow-convergence, slow-descent, loss-not-decreasing, stuck-at-chance,
 *    stalled-loss, update-ratio, initial-loss. Exploding gradients and unnormalized
 *    inputs also explain dying-relu: one update that large pushes a ReLU's
 *    pre-activation below zero for every input, and it never recovers; and
 *    an exploding-loss that starts no earlier than they do or was over its
 *    bar from the first value (the first loss of a network whose gradients
 *    explode, or fed raw pixels, is huge).
 * 3. A learning rate too high shows as divergence or oscillation. Both at
 *    once on a run are told apart on the diverging series after the
 *    divergence began: a sustained climb (at most one fall by a third or more
 *    from one point to the next) is divergence, and the oscillation its
 *    consequence; swings (two falls or more) are oscillation, and the
 *    "divergence" was its peaks; a divergence seen only at the run's last
 *    epoch is a consequence of an oscillation that began before it. Either
 *    explains slow-convergence, whose advice (raise the learning rate) would
 *    be the opposite fix, not-converging, and an exploding-loss whose onset
 *    is at or after its own. A divergence
 *    seen on the logged steps and on the epochs is one climb: the earlier
 *    finding explains the later.
 * 4. Overfitting explains early-stopping's advice.
 * A finding is linked to the first cause that explains it, in that order.
 */
#include "causes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"

static int in(const char *id, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(id, *list) == 0)
			return 1;
	return 0;
}

static const char *const nonfinite[] = {
	"nan-loss", "nan-gradient", "nonfinite-grad-norm", "exploding-loss", NULL
};
static const char *const signal[] = {
	"zero-learning-rate", "dying-relu", "vanishing-gradient", "exploding-gradient",
	"improper-normalization", "constant-loss", NULL
};
static const char *const not_learning[] = {
	"not-converging", "slow-convergence", "slow-descent", "loss-not-decreasing",
	"stuck-at-chance", "stalled-loss", "update-ratio", "initial-loss", NULL
};
static const char *const too_hot[] = {
	"diverging-loss", "diverging-step-loss", "oscillating-loss", "oscillating-val-acc",
	"oscillating-val-loss", "grad-norm-spike", NULL
};
static const char *const too_hot_effects[] = {
	"slow-convergence", "slow-descent", "not-converging", "stuck-at-chance",
	"loss-not-decreasing", "stalled-loss", "early-stopping", NULL
};
static const char *const divergence[] = {
	"diverging-loss", "diverging-step-loss", NULL
};
static const char *const oscillation[] = {
	"oscillating-loss", "oscillating-val-acc", "oscillating-val-loss", NULL
};
static const char *const kills_relu[] = {
	"exploding-gradient", "improper-normalization", NULL
};

const char *causes_rule_id(size_t i)
{
	static const char *const *const lists[] = {
		nonfinite, signal, not_learning, too_hot, too_hot_effects, divergence,
		oscillation, kills_relu
	};
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++)
		for (const char *const *id = lists[k]; *id; id++)
			if (i-- == 0)
				return *id;
	return NULL;
}

/* Onset on a common footing: the fraction of the run it lies at. */
static double onset_frac(const struct finding *f, const struct run_result *res)
{
	size_t n = f->axis == AXIS_STEP ? res->steps : res->epochs;
	size_t o = f->onset_epoch ? f->onset_epoch : f->detected_epoch;
	return n ? (double)o / (double)n : 0;
}

/*
 * Falls by a third or more from one point to the next on the series a
 * divergence finding names, from its streak's start to the end of the run.
 */
static size_t falls_after(const struct finding *d, const struct run_result *res)
{
	const struct run *run = d->axis == AXIS_STEP && res->run ? res->run->steps : res->run;
	const struct value *name = values_get(&d->values, "series");
	const struct value *since = values_get(&d->values, "since_epoch");
	if (!run || !name || !name->is_word)
		return 0;
	int idx = run_find_series(run, name->word);
	if (idx < 0)
		return 0;
	size_t from = since && !since->is_word && since->num >= 1 ? (size_t)since->num - 1
								  : d->onset_epoch ? d->onset_epoch - 1 : 0;
	const double *v = run->series[idx].v;
	size_t falls = 0;
	for (size_t i = from + 1; i < run->n_epochs; i++)
		if (isfinite(v[i]) && isfinite(v[i - 1]) && v[i - 1] > 0 && v[i] < v[i - 1] / 1.5)
			falls++;
	return falls;
}

/* Which lists a rule id is on, as bits: the pairs of a run's findings are
 * judged with these, not with string compares over every list. */
enum {
	C_NONFINITE = 1 << 0,
	C_SIGNAL = 1 << 1,
	C_NOT_LEARNING = 1 << 2,
	C_TOO_HOT = 1 << 3,
	C_TOO_HOT_EFFECT = 1 << 4,
	C_DIVERGENCE = 1 << 5,
	C_OSCILLATION = 1 << 6,
	C_KILLS_RELU = 1 << 7,
	C_EXPLODING_LOSS = 1 << 8,	/* "exploding-loss" */
	C_DYING_RELU = 1 << 9,		/* "dying-relu" */
	C_EARLY_STOPPING = 1 << 10,	/* "early-stopping" */
	C_OVERFITTING = 1 << 11,	/* "overfitting", "overfitting-loss" */
};

static unsigned classes_of(const char *id)
{
	unsigned m = 0;
	m |= in(id, nonfinite) ? C_NONFINITE : 0;
	m |= in(id, signal) ? C_SIGNAL : 0;
	m |= in(id, not_learning) ? C_NOT_LEARNING : 0;
	m |= in(id, too_hot) ? C_TOO_HOT : 0;
	m |= in(id, too_hot_effects) ? C_TOO_HOT_EFFECT : 0;
	m |= in(id, divergence) ? C_DIVERGENCE : 0;
	m |= in(id, oscillation) ? C_OSCILLATION : 0;
	m |= in(id, kills_relu) ? C_KILLS_RELU : 0;
	m |= strcmp(id, "exploding-loss") == 0 ? C_EXPLODING_LOSS : 0;
	m |= strcmp(id, "dying-relu") == 0 ? C_DYING_RELU : 0;
	m |= strcmp(id, "early-stopping") == 0 ? C_EARLY_STOPPING : 0;
	m |= strcmp(id, "overfitting") == 0 || strcmp(id, "overfitting-loss") == 0
		? C_OVERFITTING : 0;
	return m;
}

/* Does the finding's text variant say word? */
static int variant_is(const struct finding *f, const char *word)
{
	const struct value *v = values_get(&f->values, "variant");
	return v && v->is_word && strcmp(v->word, word) == 0;
}

/* An exploding-loss over the bar from the series' first value. */
static int from_first(const struct finding *f)
{
	return strcmp(f->rule->id, "exploding-loss") == 0 && variant_is(f, "first");
}

/* A divergence found only at the run's last epoch (diverging-loss's "ended"). */
static int ended(const struct finding *d)
{
	return variant_is(d, "ended");
}

/* Does c explain f (c != f)? cm and fm: their classes_of. */
static int explains(const struct finding *c, unsigned cm, const struct finding *f,
		    unsigned fm, const struct run_result *res)
{
	if (cm & C_NONFINITE) {
		if ((fm & C_NONFINITE) && !(fm & C_EXPLODING_LOSS) && (cm & C_EXPLODING_LOSS))
			return 0;	/* a NaN is never explained by a large loss */
		/* A loss that blew up no earlier than the gradients or the raw
		 * inputs that blow it up, or was over the bar from its first
		 * value (broken by the set-up, whenever a detector saw it):
		 * they are its cause (relation 2). */
		if ((cm & C_EXPLODING_LOSS) && (fm & C_KILLS_RELU) &&
		    (onset_frac(f, res) <= onset_frac(c, res) + 1e-9 || from_first(c)))
			return 0;
		return onset_frac(f, res) >= onset_frac(c, res) - 1e-9 || (fm & C_NOT_LEARNING);
	}
	if (cm & C_SIGNAL)
		return (fm & C_NOT_LEARNING) || ((cm & C_KILLS_RELU) && (fm & C_DYING_RELU)) ||
		       ((cm & C_KILLS_RELU) && (fm & C_EXPLODING_LOSS) &&
			(onset_frac(f, res) >= onset_frac(c, res) - 1e-9 || from_first(f)));
	if (cm & C_TOO_HOT) {
		if (fm & C_TOO_HOT_EFFECT)
			return 1;
		/* A loss that diverged or swung, then blew up past the
		 * exploding limit: the same learning rate, at its worst. */
		if ((cm & (C_DIVERGENCE | C_OSCILLATION)) && (fm & C_EXPLODING_LOSS))
			return onset_frac(f, res) >= onset_frac(c, res);
		/* One climb seen on two axes (diverging-step-loss on the
		 * logged steps, diverging-loss on their epoch means): the
		 * earlier explains the later. */
		if ((cm & C_DIVERGENCE) && (fm & C_DIVERGENCE))
			return onset_frac(c, res) < onset_frac(f, res);
		/* Divergence and oscillation at once: climb or swings? A
		 * divergence seen only at the run's end (diverging-loss's
		 * "ended") has no climb to tell apart: like an exploding-loss,
		 * it follows an oscillation that began before it. */
		if ((cm & C_DIVERGENCE) && (fm & C_OSCILLATION))
			return ended(c) ? onset_frac(f, res) >= onset_frac(c, res)
					: falls_after(c, res) < 2;
		if ((cm & C_OSCILLATION) && (fm & C_DIVERGENCE))
			return ended(f) ? onset_frac(f, res) >= onset_frac(c, res)
					: falls_after(f, res) >= 2;
		return 0;
	}
	if (cm & C_OVERFITTING)
		return (fm & C_EARLY_STOPPING) != 0;
	return 0;
}

/* How early in the relations a cause stands: lower explains first. */
static int rank(unsigned m)
{
	if (m & C_NONFINITE)
		return (m & C_EXPLODING_LOSS) ? 1 : 0;
	if (m & C_SIGNAL)
		return 2;
	if (m & C_TOO_HOT)
		return 3;
	return 4;
}

/* Is a a better root than b: earlier in the relations, then the earlier
 * onset, then the first in order? */
static int better_root(const struct run_result *res, const unsigned *cls, size_t a, size_t b)
{
	if (rank(cls[a]) != rank(cls[b]))
		return rank(cls[a]) < rank(cls[b]);
	double oa = onset_frac(&res->f[a], res), ob = onset_frac(&res->f[b], res);
	if (oa != ob)
		return oa < ob;
	return a < b;
}

/*
 * Each finding's cause, taken alone, can close a loop of three or more: a
 * loss that swings (the oscillation explains the later explosion), then
 * blows up at the epoch its divergence is seen (the explosion explains what
 * starts with it), a climb (the divergence explains the oscillation, its
 * peaks). Such a loop has no primary, and a report of primaries and their
 * consequences would show none of them. Its best root (rank, onset, order)
 * becomes the primary; the others keep their causes.
 */
static void break_cycles(const struct run_result *res, int *cause, const unsigned *cls,
			 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* Walk n steps from i: still linked after n means a loop, and
		 * the walk is then inside it. */
		int c = (int)i;
		for (size_t hops = 0; c >= 0 && hops < n; hops++)
			c = cause[c];
		if (c < 0)
			continue;
		size_t root = (size_t)c;
		for (int k = cause[c]; k != c; k = cause[k])
			if (better_root(res, cls, (size_t)k, root))
				root = (size_t)k;
		cause[root] = -1;
	}
}

void causes_link(struct run_result *res)
{
	size_t n = res->n_f;
	if (n < 2)
		return;
	int *cause = xcalloc(n, sizeof(int));
	unsigned *cls = xreallocarray(NULL, n, sizeof(*cls));
	for (size_t i = 0; i < n; i++)
		cls[i] = classes_of(res->f[i].rule->id);
	for (size_t i = 0; i < n; i++) {
		cause[i] = -1;
		int best = -1;
		for (size_t k = 0; k < n; k++) {
			if (k == i || !explains(&res->f[k], cls[k], &res->f[i], cls[i], res))
				continue;
			/* Mutual explanation (two non-finite findings): the
			 * earlier onset, then the first in order, is the cause. */
			if (explains(&res->f[i], cls[i], &res->f[k], cls[k], res) &&
			    (onset_frac(&res->f[i], res) < onset_frac(&res->f[k], res) ||
			     (onset_frac(&res->f[i], res) == onset_frac(&res->f[k], res) && i < k)))
				continue;
			if (best < 0 || rank(cls[k]) < rank(cls[best]))
				best = (int)k;
		}
		cause[i] = best;
	}
	break_cycles(res, cause, cls, n);
	free(cls);
	/* Follow chains to the root, so that consequences hang off a primary. */
	int linked = 0;
	for (size_t i = 0; i < n; i++) {
		int c = cause[i];
		for (size_t hops = 0; c >= 0 && cause[c] >= 0 && hops < n; hops++)
			c = cause[c];
		if (c == (int)i)
			c = -1;
		res->f[i].cause = c;
		linked |= c >= 0;
	}
	free(cause);
	if (!linked)
		return;		/* all primaries: the order stands */
	/* Reorder: each primary (in the sorted order), then its consequences.
	 * Every finding is placed once (a consequence's root is a primary):
	 * out needs no zeroing, and findings are large. */
	struct finding *out = xreallocarray(NULL, n, sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (res->f[i].cause >= 0)
			continue;
		size_t at = k;
		out[k++] = res->f[i];
		for (size_t j = 0; j < n; j++)
			if (res->f[j].cause == (int)i) {
				out[k] = res->f[j];
				out[k++].cause = (int)at;
			}
	}
	if (k == n)	/* always: the chains end at primaries */
		memcpy(res->f, out, n * sizeof(*out));
	free(out);
}
