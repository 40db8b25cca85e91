#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/sortd.h"
#include "../util/xalloc.h"

int check_value(const struct run *run, enum role role, size_t e, double *x)
{
	int idx = run->role[role];
	if (idx < 0 || e == 0 || e > run->n_epochs)
		return 0;
	const struct series *s = &run->series[idx];
	if (run_is_missing(s, e - 1))
		return 0;
	*x = s->v[e - 1];
	return 1;
}

int check_finite(const struct run *run, enum role role, size_t e, double *x)
{
	return check_value(run, role, e, x) && isfinite(*x);
}

int check_has(const struct run *run, enum role role)
{
	return run->role[role] >= 0;
}

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

double check_loss_noise(const struct run *run, enum role role)
{
	const double *v = run_role(run, role);
	size_t n = run->n_epochs, k = 0;
	if (!v || n < 3)
		return 0;
	double *r = xcalloc(n, sizeof(double));
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

int check_accuracy_is_classification(const struct run *run)
{
	static const enum role pairs[2][2] = {
		{ ROLE_LOSS, ROLE_ACC }, { ROLE_VAL_LOSS, ROLE_VAL_ACC }
	};
	for (int k = 0; k < 2; k++) {
		size_t both = 0, below = 0;
		for (size_t e = 1; e <= run->n_epochs; e++) {
			double l, a;
			if (!check_finite(run, pairs[k][0], e, &l) ||
			    !check_finite(run, pairs[k][1], e, &a) || a < 0 || a > 1)
				continue;
			both++;
			below += l < 0.5 * (1 - a) * log(2.0);
		}
		if (both >= 3 && 2 * below > both)
			return 0;
	}
	return 1;
}

double check_accuracy_noise(const struct run *run, enum role role, double *n_out)
{
	double sigma = check_loss_noise(run, role);
	const double *v = run_role(run, role);
	size_t n = run->n_epochs, m = 0;
	*n_out = 0;
	if (!v || n < 4)
		return sigma;
	double *x = xcalloc(n, sizeof(double));
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			x[m++] = v[i];
	if (m >= 4) {
		sortd(x, m);
		double gap = 0;
		size_t distinct = 1;
		for (size_t i = 1; i < m; i++) {
			double d = x[i] - x[i - 1];
			if (d > 1e-6) {
				distinct++;
				if (gap == 0 || d < gap)
					gap = d;
			}
		}
		/* A grid shows: every value is a multiple of the smallest gap. */
		int grid = distinct >= 3 && gap > 1.0 / 5000;
		for (size_t i = 0; grid && i < m; i++) {
			double k = x[i] / gap;
			if (fabs(k - round(k)) > 0.02)
				grid = 0;
		}
		if (grid) {
			double p = x[m / 2];
			p = p < 0.01 ? 0.01 : p > 0.99 ? 0.99 : p;
			double se = sqrt(p * (1 - p) * gap);
			*n_out = round(1 / gap);
			if (se > sigma)
				sigma = se;
		}
	}
	free(x);
	return sigma;
}
