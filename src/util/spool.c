#include "spool.h"

#include <stdlib.h>
#include <string.h>

void spool_open(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f) {
		fputs("scram-check: out of memory (a report buffer)\n", stderr);
		exit(2);
	}
}

void spool_copy(struct spool *s, FILE *out)
{
	if (!s->f)
		return;		/* never written to */
	if (fflush(s->f) != 0) {
		fputs("scram-check: out of memory (a report buffer)\n", stderr);
		exit(2);
	}
	fwrite(s->buf, 1, s->len, out);
}

void spool_release(struct spool *s)
{
	if (s->f)
		fclose(s->f);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

struct spool *spool_new(void)
{
	struct spool *s = malloc(sizeof(*s));
	if (!s) {
		fputs("scram-check: out of memory (a report buffer)\n", stderr);
		exit(2);
	}
	spool_open(s);
	return s;
}

void spool_put(struct spool *s, FILE *out)
{
	spool_copy(s, out);
	spool_release(s);
	free(s);
}
