#include "step_common.h"

#include <math.h>
#include <stdio.h>

int step_find_kind(const struct run *run, enum metric_kind kind)
{
	for (size_t i = 0; i < run->n_series; i++) {
		const struct series *s = &run->series[i];
		if (s->kind != kind || s->split != SPLIT_TRAIN)
			continue;
		for (size_t k = 0; k < run->n_epochs; k++)
			if (!run_is_missing(s, k))
				return (int)i;
	}
	return -1;
}

int step_value(const struct run *run, int idx, size_t e, double *x)
{
	if (idx < 0 || e == 0 || e > run->n_epochs || run_is_missing(&run->series[idx], e - 1))
		return 0;
	*x = run->series[idx].v[e - 1];
	return 1;
}

void step_where(struct values *out, const char *key, const struct run *run, size_t e)
{
	char buf[96];
	run_point_describe(run, e - 1, buf, sizeof(buf));
	values_word(out, key, buf);
}

const char *step_unit(const struct run *run)
{
	switch (run->axis) {
	case AXIS_STEP:
		return "logged steps";
	case AXIS_EVAL:
		return "evaluations";
	case AXIS_EPOCH:
		break;
	}
	return "epochs";
}

/* Hoare's selection: the k-th smallest of v[0..n-1]. */
static double select_kth(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

double step_median(double *v, size_t n)
{
	double hi = select_kth(v, n, n / 2);
	if (n % 2)
		return hi;
	/* The lower middle is the largest of the half below. */
	double lo = v[0];
	for (size_t i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return n / 2 == 0 ? hi : (lo + hi) / 2;
}

double step_sig4(double x)
{
	if (x == 0 || !isfinite(x))
		return x;
	char buf[32];
	snprintf(buf, sizeof(buf), "%.3e", x);
	double y;
	sscanf(buf, "%lf", &y);
	return y;
}
