#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

static void fail(const char *what)
{
	fprintf(stderr, "scram-check: %s: %s\n", what, errno ? strerror(errno) : "out of memory");
	exit(2);
}

void spool_open(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->f = open_memstream(&s->buf, &s->len);
	if (!s->f) {
		fputs("scram-check: out of memory (a report buffer)\n", stderr);
		exit(2);
	}
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
		fail("a report buffer");
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
	s->len = 0;
	s->f = t;
	s->disk = 1;
}

void spool_copy(struct spool *s, FILE *out)
{
	if (!s->disk) {
		if (fflush(s->f) != 0) {
			fputs("scram-check: out of memory (a report buffer)\n", stderr);
			exit(2);
		}
		fwrite(s->buf, 1, s->len, out);
		return;
	}
	errno = 0;
	if (fflush(s->f) != 0 || fseeko(s->f, 0, SEEK_SET) != 0)
		fail("a temporary report file");
	char b[1 << 16];
	size_t k;
	while ((k = fread(b, 1, sizeof(b), s->f)) > 0)
		fwrite(b, 1, k, out);
	if (ferror(s->f) || fseeko(s->f, 0, SEEK_END) != 0)
		fail("a temporary report file");
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
