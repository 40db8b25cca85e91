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
static void put_field(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		strbuf_addc(sb, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

size_t known_add(struct strbuf *lines, const struct run_result *res)
{
	for (size_t k = 0; k < res->n_f; k++) {
		const struct finding *fd = &res->f[k];
		put_field(lines, fd->rule->id);
		strbuf_addc(lines, '\t');
		put_field(lines, res->label);
		strbuf_addf(lines, "\t%zu\t", fd->onset_epoch);
		put_field(lines, fd->title ? fd->title : "");
		strbuf_addc(lines, '\n');
	}
	return res->n_f;
}

int known_save(const char *path, const struct strbuf *lines, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	fputs(KNOWN_HEADER "\n# rule\trun\tonset epoch\ttitle\n", f);
	fwrite(strbuf_str(lines), 1, lines->len, f);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

struct known_line {
	const char *rule, *run;	/* in the file's text */
	unsigned long onset;
	size_t order;		/* the line's place in the file */
};

static int cmp_line(const void *a, const void *b)
{
	const struct known_line *x = a, *y = b;
	int c = strcmp(x->run, y->run);
	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

int known_load(struct known *k, const char *path, char *err, size_t errlen)
{
	size_t len, cap = 0;
	struct read_error rerr;
	memset(k, 0, sizeof(*k));
	if (slurp_file(path, (size_t)64 << 20, &k->text, &len, &rerr)) {
		snprintf(err, errlen, "'%s': %s", path, rerr.msg);
		return -1;
	}
	long lineno = 0;
	for (char *p = k->text; *p;) {
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
			known_release(k);
			return -1;
		}
		xgrow(&k->v, &cap, k->n + 1, sizeof(*k->v));
		k->v[k->n] = (struct known_line){ f[0], f[1], onset, k->n };
		k->n++;
		p = next;
	}
	if (k->n > 1)
		qsort(k->v, k->n, sizeof(*k->v), cmp_line);
	return 0;
}

size_t known_mark(const struct known *k, struct run_result *res)
{
	/* The label as the file holds it. */
	struct strbuf run = STRBUF_INIT;
	put_field(&run, res->label);
	const char *label = strbuf_str(&run);
	size_t lo = 0, hi = k->n, marked = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->v[mid].run, label) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The run's lines, in the file's order. */
	for (size_t i = lo; i < k->n && strcmp(k->v[i].run, label) == 0; i++)
		for (size_t j = 0; j < res->n_f; j++) {
			struct finding *fd = &res->f[j];
			/* A rule with a judgment point is not judged before a
			 * fraction of the run: as the run grows, so does its onset. */
			int same = fd->onset_epoch == k->v[i].onset ||
				   (fd->rule->judgment > 0 && k->v[i].onset <= fd->onset_epoch);
			if (!fd->known && same && strcmp(fd->rule->id, k->v[i].rule) == 0) {
				fd->known = 1;
				marked++;
			}
		}
	strbuf_release(&run);
	return marked;
}

void known_release(struct known *k)
{
	free(k->text);
	free(k->v);
	memset(k, 0, sizeof(*k));
}
