/* fopencookie, where the C library has it: a spool without a stdio buffer. */
#define _GNU_SOURCE 1

#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

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

static void spool_fail(const char *what)
{
	fprintf(stderr, "scram-check: %s: %s\n", what, errno ? strerror(errno) : "out of memory");
	exit(2);
}

/* An empty temporary file that is gone once closed; NULL if none can be made. */
static FILE *temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *path = xasprintf("%s/scram-check-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	unlink(path);
	free(path);
	FILE *f = fdopen(fd, "w+");
	if (!f)
		close(fd);
	return f;
}

void spool_spill(struct spool *s, size_t limit)
{
	if (s->disk || !s->f)
		return;
	if (fflush(s->f) != 0)
		spool_oom();
	if (s->len < limit)
		return;
	FILE *t = temp_file();
	if (!t)
		return;		/* no temporary folder: stay in memory */
	if (fwrite(s->buf, 1, s->len, t) != s->len || fflush(t) != 0) {
		fclose(t);
		return;
	}
	fclose(s->f);
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
	s->f = t;
	s->disk = 1;
}

void spool_copy(struct spool *s, FILE *out)
{
	if (!s->f)
		return;		/* never written to */
	if (!s->disk) {
		if (fflush(s->f) != 0)
			spool_oom();
		fwrite(s->buf, 1, s->len, out);
		return;
	}
	errno = 0;
	if (fflush(s->f) != 0 || fseeko(s->f, 0, SEEK_SET) != 0)
		spool_fail("a temporary report file");
	char b[1 << 16];
	size_t k;
	while ((k = fread(b, 1, sizeof(b), s->f)) > 0)
		fwrite(b, 1, k, out);
	if (ferror(s->f) || fseeko(s->f, 0, SEEK_END) != 0)
		spool_fail("a temporary report file");
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
