#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/sortd.h"
#include "../util/xalloc.h"

static int need_either(const struct run *run, enum role a, enum role b,
		       const char *missing, const char **why)
{
	if (check_has(run, a) || check_has(run, b))
		return 0;
	*why = missing;
	return -1;
}

int check_prepare_losses(void *state, const struct detector_ctx *ctx, const char **why)
{
	(void)state;
	return need_either(ctx->run, ROLE_LOSS, ROLE_VAL_LOSS, "no loss or val_loss series", why);
}

int check_prepare_accuracies(void *state, const struct detector_ctx *ctx, const char **why)
{
	(void)state;
	return need_either(ctx->run, ROLE_ACC, ROLE_VAL_ACC, "no acc or val_acc series", why);
}

int check_role_param(const struct run *run, const char *word, enum role *role,
		     const char **why)
{
	int r = role_parse(word);
	if (r < 0 || !check_has(run, (enum role)r)) {
		*why = "the run has no such series";
		return -1;
	}
	*role = (enum role)r;
	return 0;
}

/*
 * What the checks derive from a whole series, computed once per run: several
 * rules ask for the same noise of the same role (each once per run), and each
 * answer costs a copy and a sort of the series. Only numbers are kept, so the
 * memo costs no memory per epoch; the sorted copy lives while one role's
 * numbers are worked out. The memo belongs to the run (run_free frees it) and
 * is made again if the run grew (--follow's re-parses are new runs anyway).
 */
struct check_memo {
	size_t n_epochs;		/* the run's length when computed */
	signed char classification;	/* -1 not yet, else enum accuracy_kind */
	unsigned char have_noise[ROLE_COUNT], have_profile[ROLE_COUNT];
	double noise[ROLE_COUNT];	/* check_loss_noise */
	struct profile {
		double acc_se;		/* the grid's binomial SE (check_accuracy_noise) */
		double acc_n;		/* its n, 0 when no grid shows */
		double floor_se;	/* check_binomial_floor */
		size_t gran_n;		/* check_granularity */
		double gran_median;
	} profile[ROLE_COUNT];
};

static struct check_memo *memo_of(const struct run *run)
{
	/* The run is the caller's; the memo is a cache of pure functions of
	 * its values, so filling it changes nothing a reader sees. */
	struct run *r = (struct run *)run;
	if (!r->memo)
		r->memo = xmalloc(sizeof(*r->memo));
	else if (r->memo->n_epochs == run->n_epochs)
		return r->memo;
	memset(r->memo, 0, sizeof(*r->memo));
	r->memo->n_epochs = run->n_epochs;
	r->memo->classification = -1;
	return r->memo;
}

/* check_loss_noise over v[0..n-1], without the memo. */
static double noise_of(const double *v, size_t n)
{
	size_t k = 0;
	if (!v || n < 3)
		return 0;
	double *r = xmalloc(n * sizeof(double));
	for (size_t i = 1; i + 1 < n; i++)
		if (isfinite(v[i - 1]) && isfinite(v[i]) && isfinite(v[i + 1]))
			r[k++] = fabs(v[i] - (v[i - 1] + v[i + 1]) / 2);
	double sigma = 0;
	if (k) {
		double med = sortd_median(r, k);
		sigma = 1.4826 * med / sqrt(1.5);
	}
	free(r);
	return sigma;
}

double check_loss_noise(const struct run *run, enum role role)
{
	const double *v = run_role(run, role);
	size_t n = run->n_epochs;
	if (!v || n < 3)
		return 0;
	struct check_memo *m = memo_of(run);
	if (m->have_noise[role])
		return m->noise[role];
	m->have_noise[role] = 1;
	m->noise[role] = noise_of(v, n);
	return m->noise[role];
}

/* Does an accuracy a stay at one value of at most 0.05 (at least 3 finite
 * values) while its loss l falls to half its first finite value or less? */
static int frozen_near_zero(const double *l, const double *a, size_t n)
{
	size_t k = 0;
	double a0 = 0, l0 = 0, low = 0;
	int have_l = 0;
	for (size_t e = 0; e < n; e++) {
		if (isfinite(a[e])) {
			if (!k++)
				a0 = a[e];
			else if (a[e] != a0)
				return 0;
		}
		if (isfinite(l[e])) {
			if (!have_l++)
				l0 = low = l[e];
			else if (l[e] < low)
				low = l[e];
		}
	}
	return k >= 3 && a0 >= 0 && a0 <= 0.05 && have_l && l0 > 0 && low <= 0.5 * l0;
}

static int accuracy_kind(const struct run *run)
{
	static const enum role pairs[2][2] = {
		{ ROLE_LOSS, ROLE_ACC }, { ROLE_VAL_LOSS, ROLE_VAL_ACC }
	};
	struct check_memo *m = memo_of(run);
	if (m->classification >= 0)
		return m->classification;
	m->classification = ACCURACY_CLASSIFICATION;
	for (int k = 0; k < 2; k++) {
		const double *l = run_role(run, pairs[k][0]), *a = run_role(run, pairs[k][1]);
		if (!l || !a)
			continue;
		size_t both = 0, below = 0;
		/* Missing values are NaN payloads: not finite, so skipped. */
		for (size_t e = 0; e < run->n_epochs; e++) {
			if (!isfinite(l[e]) || !isfinite(a[e]) || a[e] < 0 || a[e] > 1)
				continue;
			both++;
			below += l[e] < 0.5 * (1 - a[e]) * log(2.0);
		}
		if (both >= 3 && 2 * below > both) {
			m->classification = ACCURACY_BELOW_CROSS_ENTROPY;
			break;
		}
		if (frozen_near_zero(l, a, run->n_epochs)) {
			m->classification = ACCURACY_FROZEN;
			break;
		}
	}
	return m->classification;
}

int check_accuracy_is_classification(const struct run *run)
{
	return accuracy_kind(run) == ACCURACY_CLASSIFICATION;
}

int check_cross_entropy_at(const struct run *run, size_t e)
{
	static const enum role accs[2] = { ROLE_ACC, ROLE_VAL_ACC };
	int seen = 0;
	for (int k = 0; k < 2 && !seen; k++)
		for (size_t i = 1; i <= e && i <= run->n_epochs && !seen; i++) {
			double a;
			seen = check_finite(run, accs[k], i, &a) && a > 0.05 && a <= 1;
		}
	return seen && check_accuracy_is_classification(run);
}

int check_chance_classes(const struct run *run, enum role lrole, enum role arole, size_t e,
			 double margin)
{
	double l, a;
	/* The cheap tests first: an accuracy above 1/2 + margin is no C's
	 * chance, and most epochs of most runs stop here. */
	if (!check_finite(run, arole, e, &a) || !(a > 0 && a <= 0.5 + margin) ||
	    !check_finite(run, lrole, e, &l))
		return 0;
	/* ln 2 to ln 1000, with the tolerance on either side */
	if (!(l >= (1 - CHANCE_LOSS_TOL) * M_LN2 && l <= (1 + CHANCE_LOSS_TOL) * log(1000.0)))
		return 0;
	double c = floor(exp(l) + 0.5);
	if (c < 2)
		c = 2;
	if (!(fabs(l - log(c)) <= CHANCE_LOSS_TOL * log(c)))
		return 0;
	/* The accuracy names the same C (1/a rounds to it), not merely one
	 * within margin: ln 10 and ln 11 lie 4% apart, and a loss on its way
	 * down to ln 10 passes ln 11 on the way. */
	if (floor(1 / a + 0.5) != c || !(fabs(a - 1 / c) <= margin))
		return 0;
	return (int)c;
}

const char *check_accuracy_why(const struct run *run)
{
	switch (accuracy_kind(run)) {
	case ACCURACY_BELOW_CROSS_ENTROPY:
		return "the loss is too low to be a cross-entropy of that accuracy (a regression?)";
	case ACCURACY_FROZEN:
		return "the accuracy never moved from one value near 0 while the loss fell by half "
		       "(a regression's Keras accuracy?)";
	default:
		return NULL;
	}
}

/* Are all values within rounding of multiples of 1/n? */
static int fits_grid(const double *v, size_t k, size_t n)
{
	for (size_t i = 0; i < k; i++) {
		double x = v[i] * (double)n;
		if (fabs(x - floor(x + 0.5)) > 6e-5 * (double)n + 1e-6)
			return 0;
	}
	return 1;
}

/* The smallest step between distinct sorted values (> 1e-6), 0 if none,
 * and how many distinct values there are. */
static double smallest_gap(const double *x, size_t m, size_t *distinct)
{
	double gap = 0;
	*distinct = m ? 1 : 0;
	for (size_t i = 1; i < m; i++) {
		double d = x[i] - x[i - 1];
		if (d > 1e-6) {
			(*distinct)++;
			if (gap == 0 || d < gap)
				gap = d;
		}
	}
	return gap;
}

static double clamp_p(double p)
{
	return p < 0.01 ? 0.01 : p > 0.99 ? 0.99 : p;
}

/*
 * Does the series show, without sorting, that its smallest step between
 * distinct values (smallest_gap, over all its finite values and over those
 * in [0, 1]) is below 1/5000? Then it has no grid of at most 5000 samples,
 * and every number of its profile is 0: a finer grid than 1/5000 is no
 * grid (check_accuracy_noise, check_binomial_floor), and the granularity's
 * first candidate 1/g is over 5000 already.
 *
 * The test: a, the first finite value in [4e-4, 0.9998], and b, the highest
 * of the cnt values in (a, a + w], w = 1.9e-4. Sorted, the steps from a to
 * b are exact (Sterbenz: the values are within a factor 2 of each other) and
 * add up to b - a; were none of them over 1e-6, b - a would be at most
 * cnt * 1e-6. So b - a over that (with room for rounding) means some step
 * over 1e-6 and at most w lies inside [0, 1]. An accuracy measured on a real
 * set of samples has no two values that close and takes the sort.
 */
static int profile_without_grid(const double *v, size_t n)
{
	const double w = 1.9e-4;
	size_t i = 0;
	while (i < n && !(isfinite(v[i]) && v[i] >= 4e-4 && v[i] <= 0.9998))
		i++;
	if (i == n)
		return 0;
	double a = v[i], b = a;
	size_t cnt = 0;
	for (size_t k = 0; k < n; k++)
		if (v[k] > a && v[k] <= a + w) {	/* NaN is neither */
			cnt++;
			if (v[k] > b)
				b = v[k];
		}
	return cnt > 0 && b - a > (double)(cnt + 1) * 1.01e-6;
}

/* One sort of a role's finite values, and every number taken from it. */
static void profile_compute(const double *v, size_t n, struct profile *pr)
{
	size_t m = 0;
	memset(pr, 0, sizeof(*pr));
	if (!v || n < 4 || profile_without_grid(v, n))
		return;
	double *x = xmalloc(n * sizeof(double));
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			x[m++] = v[i];
	if (m < 4)
		goto done;
	sortd(x, m);
	size_t distinct;
	double gap = smallest_gap(x, m, &distinct);
	/* check_accuracy_noise: a grid shows when every value is a multiple
	 * of the smallest gap. */
	int grid = distinct >= 3 && gap > 1.0 / 5000;
	for (size_t i = 0; grid && i < m; i++) {
		double k = x[i] / gap;
		if (fabs(k - round(k)) > 0.02)
			grid = 0;
	}
	if (grid) {
		double p = clamp_p(x[m / 2]);
		pr->acc_se = sqrt(p * (1 - p) * gap);
		pr->acc_n = round(1 / gap);
	}
	/* check_binomial_floor: the gap alone. */
	if (gap > 1.0 / 5000) {
		double p = clamp_p(x[m / 2]);
		pr->floor_se = sqrt(p * (1 - p) * gap);
	}
	/* check_granularity: the values in [0, 1], a stretch of the sorted. */
	size_t lo = 0, hi = m;
	while (lo < m && x[lo] < 0)
		lo++;
	while (hi > lo && x[hi - 1] > 1)
		hi--;
	size_t k = hi - lo;
	if (k >= 4) {
		const double *u = x + lo;
		pr->gran_median = u[k / 2];
		size_t dist;
		double g = smallest_gap(u, k, &dist);
		for (size_t mult = 1; dist >= 4 && g > 0 && mult <= 4 && !pr->gran_n; mult++) {
			double c = (double)mult / g;
			if (c > 5000)
				break;
			size_t cand = (size_t)floor(c + 0.5);
			if (cand >= 2 && fits_grid(u, k, cand))
				pr->gran_n = cand;
		}
	}
done:
	free(x);
}

static const struct profile *profile_of(const struct run *run, enum role role)
{
	struct check_memo *memo = memo_of(run);
	struct profile *pr = &memo->profile[role];
	if (memo->have_profile[role])
		return pr;
	memo->have_profile[role] = 1;
	profile_compute(run_role(run, role), run->n_epochs, pr);
	return pr;
}

double check_accuracy_noise(const struct run *run, enum role role, double *n_out)
{
	double sigma = check_loss_noise(run, role);
	const struct profile *pr = profile_of(run, role);
	*n_out = pr->acc_n;
	return pr->acc_se > sigma ? pr->acc_se : sigma;
}

double check_accuracy_noise_at(const struct run *run, enum role role, size_t n, double *n_out)
{
	if (n == run->n_epochs)
		return check_accuracy_noise(run, role, n_out);
	const double *v = run_role(run, role);
	struct profile pr;
	double sigma = noise_of(v, n);
	profile_compute(v, n, &pr);
	*n_out = pr.acc_n;
	return pr.acc_se > sigma ? pr.acc_se : sigma;
}

double check_binomial_floor(const struct run *run, enum role role)
{
	return profile_of(run, role)->floor_se;
}

size_t check_granularity(const struct run *run, enum role role, double *median)
{
	const struct profile *pr = profile_of(run, role);
	if (pr->gran_n)
		*median = pr->gran_median;
	return pr->gran_n;
}
