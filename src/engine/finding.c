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
