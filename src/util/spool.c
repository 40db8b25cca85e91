/* fopencookie, where the C library has it: a spool without a stdio buffer. */
#define _GNU_SOURCE 1

#include "spool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "xalloc.h"

static void spool_oom(void)
{
	fputs("scram-check: out of memory (a report buffer)\n", stderr);
	exit(2);
}

#ifdef __GLIBC__
/*
 * A spool is a stream that flushes into its buffer: glibc's open_memstream
 * zeroes an 8 KiB buffer for every stream (calloc), and a report opens one
 * for every run with a finding; a cookie stream's buffer is a plain malloc
 * on first write. buf and len are current after a flush, as
 * open_memstream's are.
 */
static ssize_t spool_write(void *cookie, const char *data, size_t n)
{
	struct spool *s = cookie;
	if (s->len + n + 1 > s->cap)
		xgrow(&s->buf, &s->cap, s->len + n + 1, 1);
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return (ssize_t)n;
}

void spool_open(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->cap = 256;
	s->buf = xmalloc(s->cap);
	s->buf[0] = '\0';
	s->f = fopencookie(s, "w", (cookie_io_functions_t){ NULL, spool_write, NULL, NULL });
	if (!s->f)
		spool_oom();
}
#else
void spool_open(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f)
		spool_oom();
}
#endif

void spool_copy(struct spool *s, FILE *out)
{
	if (!s->f)
		return;		/* never written to */
	if (fflush(s->f) != 0)
		spool_oom();
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
	if (!s)
		spool_oom();
	spool_open(s);
	return s;
}

void spool_put(struct spool *s, FILE *out)
{
	spool_copy(s, out);
	spool_release(s);
	free(s);
}
