#include "baseline.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include <stdio.h>
#include <string.h>

#include "../util/xalloc.h"

static double extreme(const struct run *run, enum role role, int want_max)
{
	const double *v = run_role(run, role);
	double best = NAN;
	for (size_t i = 0; v && i < run->n_epochs; i++)
		if (isfinite(v[i]) && (isnan(best) || (want_max ? v[i] > best : v[i] < best)))
			best = v[i];
	return best;
}

void best_metrics_of(const struct run *run, struct best_metrics *out)
{
	out->loss = extreme(run, ROLE_LOSS, 0);
	out->val_loss = extreme(run, ROLE_VAL_LOSS, 0);
	out->acc = extreme(run, ROLE_ACC, 1);
	out->val_acc = extreme(run, ROLE_VAL_ACC, 1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(const struct best_metrics *v, size_t n, size_t offset)
{
	double *tmp = xcalloc(n ? n : 1, sizeof(double));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double x = *(const double *)((const char *)&v[i] + offset);
		if (isfinite(x))
			tmp[k++] = x;
	}
	double m = NAN;
	if (k) {
		qsort(tmp, k, sizeof(double), cmp_double);
		m = k % 2 ? tmp[k / 2] : (tmp[k / 2 - 1] + tmp[k / 2]) / 2;
	}
	free(tmp);
	return m;
}

void best_metrics_median(const struct best_metrics *v, size_t n, struct best_metrics *out)
{
	out->loss = median(v, n, offsetof(struct best_metrics, loss));
	out->val_loss = median(v, n, offsetof(struct best_metrics, val_loss));
	out->acc = median(v, n, offsetof(struct best_metrics, acc));
	out->val_acc = median(v, n, offsetof(struct best_metrics, val_acc));
}
