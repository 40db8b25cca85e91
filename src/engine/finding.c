#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"

void finding_release(struct finding *f)
{
	free(f->title);
	free(f->message);
	free(f->why);
	free(f->fix);
	free(f->snippet);
	for (int i = 0; i < FW_COUNT; i++)
		free(f->snippet_fw[i]);
	f->snippet_pytorch = NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void finding_copy(struct finding *dst, const struct finding *src)
{
	*dst = *src;
	dst->title = dup_or_null(src->title);
	dst->message = dup_or_null(src->message);
	dst->why = dup_or_null(src->why);
	dst->fix = dup_or_null(src->fix);
	dst->snippet = dup_or_null(src->snippet);
	for (int i = 0; i < FW_COUNT; i++)
		dst->snippet_fw[i] = dup_or_null(src->snippet_fw[i]);
	/* Never a text of its own (finding.h). */
	dst->snippet_pytorch = dst->snippet_fw[FW_PYTORCH];
}

static char **dup_strings(char *const *v, size_t n)
{
	if (!n)
		return NULL;
	char **d = xcalloc(n, sizeof(*d));
	for (size_t i = 0; i < n; i++)
		d[i] = xstrdup(v[i]);
	return d;
}

void run_result_copy(struct run_result *dst, const struct run_result *src)
{
	*dst = *src;
	dst->run = NULL;
	dst->path = dup_or_null(src->path);
	dst->label = dup_or_null(src->label);
	dst->error = dup_or_null(src->error);
	dst->f = src->n_f ? xcalloc(src->n_f, sizeof(*dst->f)) : NULL;
	for (size_t i = 0; i < src->n_f; i++)
		finding_copy(&dst->f[i], &src->f[i]);
	dst->skipped = dup_strings(src->skipped, src->n_skipped);
	dst->warnings = dup_strings(src->warnings, src->n_warnings);
}

int finding_gates(const struct finding *f, int strict)
{
	return f->persists || f->rule->sticky || strict;
}

const char *finding_snippet(const struct finding *f)
{
	if (f->framework > FW_UNKNOWN && f->framework < FW_COUNT && f->snippet_fw[f->framework])
		return f->snippet_fw[f->framework];
	return f->snippet;
}

void run_result_release(struct run_result *res)
{
	for (size_t i = 0; i < res->n_f; i++)
		finding_release(&res->f[i]);
	free(res->f);
	for (size_t i = 0; i < res->n_skipped; i++)
		free(res->skipped[i]);
	free(res->skipped);
	for (size_t i = 0; i < res->n_warnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	free(res->path);
	free(res->label);
	free(res->error);
	run_free(res->run);
	memset(res, 0, sizeof(*res));
}

void run_result_warn(struct run_result *res, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	res->warnings = xreallocarray(res->warnings, res->n_warnings + 1, sizeof(char *));
	res->warnings[res->n_warnings++] = msg;
}

enum severity run_result_worst(const struct run_result *res)
{
	enum severity worst = SEV_NONE;
	for (size_t i = 0; i < res->n_f; i++)
		if (res->f[i].rule->severity > worst)
			worst = res->f[i].rule->severity;
	return worst;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	if (x->rule->severity != y->rule->severity)
		return x->rule->severity > y->rule->severity ? -1 : 1;
	if (x->axis != y->axis)
		return x->axis == AXIS_STEP ? 1 : -1;
	if (x->detected_epoch != y->detected_epoch)
		return x->detected_epoch < y->detected_epoch ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

void run_result_sort(struct run_result *res)
{
	if (res->n_f > 1)
		qsort(res->f, res->n_f, sizeof(*res->f), cmp_finding);
}
