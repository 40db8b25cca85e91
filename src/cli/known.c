#include "known.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/file.h"
#include "../util/xalloc.h"

#define KNOWN_HEADER "# scram-check accepted findings 1"

/*
 * One line a finding: RULE TAB RUN TAB ONSET TAB TITLE. The title is for the
 * people who read the file in a diff; matching ignores it. A tab or newline
 * in a run label (a file name can hold one) is written as a space.
 */
static void put_field(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

int known_write(const char *path, const struct run_result *runs, size_t n_runs,
		size_t *n_written, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	*n_written = 0;
	if (!f) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, KNOWN_HEADER "\n# rule\trun\tonset epoch\ttitle\n");
	for (size_t i = 0; i < n_runs; i++)
		for (size_t k = 0; k < runs[i].n_f; k++) {
			const struct finding *fd = &runs[i].f[k];
			put_field(f, fd->rule->id);
			fputc('\t', f);
			put_field(f, runs[i].label);
			fprintf(f, "\t%zu\t", fd->onset_epoch);
			put_field(f, fd->title ? fd->title : "");
			fputc('\n', f);
			(*n_written)++;
		}
	if (fclose(f) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Copy of a label as it is written, for comparing with a file's field. */
static int same_field(const char *label, const char *field, size_t n)
{
	size_t i = 0;
	for (; label[i] && i < n; i++) {
		char c = label[i] == '\t' || label[i] == '\n' || label[i] == '\r' ? ' ' : label[i];
		if (c != field[i])
			return 0;
	}
	return i == n && !label[i];
}

int known_apply(const char *path, struct run_result *runs, size_t n_runs,
		size_t *n_known, char *err, size_t errlen)
{
	char *text;
	size_t len;
	struct read_error rerr;
	*n_known = 0;
	if (slurp_file(path, (size_t)64 << 20, &text, &len, &rerr)) {
		snprintf(err, errlen, "'%s': %s", path, rerr.msg);
		return -1;
	}
	long lineno = 0;
	int rc = 0;
	for (char *p = text; *p && rc == 0;) {
		char *nl = strchr(p, '\n');
		char *end = nl ? nl : p + strlen(p);
		char *next = nl ? nl + 1 : end;
		lineno++;
		if (end > p && end[-1] == '\r')
			end--;
		*end = '\0';
		if (*p == '#' || *p == '\0') {
			p = next;
			continue;
		}
		char *f[4] = { p, NULL, NULL, NULL };
		int nf = 1;
		for (char *q = p; *q && nf < 4; q++)
			if (*q == '\t') {
				*q = '\0';
				f[nf++] = q + 1;
			}
		char *stop;
		errno = 0;
		unsigned long onset = nf >= 3 ? strtoul(f[2], &stop, 10) : 0;
		if (nf < 3 || !*f[2] || *stop || errno) {
			snprintf(err, errlen, "'%s': line %ld: expected RULE<tab>RUN<tab>ONSET-EPOCH",
				 path, lineno);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n_runs; i++) {
			if (!same_field(runs[i].label, f[1], strlen(f[1])))
				continue;
			for (size_t k = 0; k < runs[i].n_f; k++) {
				struct finding *fd = &runs[i].f[k];
				/* A rule with a judgment point is not judged before
				 * a fraction of the run: as the run grows, so does
				 * its onset. */
				int same = fd->onset_epoch == onset ||
					   (fd->rule->judgment > 0 && onset <= fd->onset_epoch);
				if (!fd->known && same && strcmp(fd->rule->id, f[0]) == 0) {
					fd->known = 1;
					(*n_known)++;
				}
			}
		}
		p = next;
	}
	free(text);
	return rc;
}
