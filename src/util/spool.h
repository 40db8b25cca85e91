/*
 * A spool: text written through a FILE * into memory, to be copied out
 * later (open_memstream). Renderers whose document opens with totals write
 * each run's part into one as the run comes, and the spool, not the run, is
 * what they keep. The caller holds the struct; spool_release frees the text.
 */
#ifndef SCRAM_SPOOL_H
#define SCRAM_SPOOL_H

#include <stdio.h>

struct spool {
	FILE *f;		/* write here */
	char *buf;		/* the text so far, valid after a flush */
	size_t len;
	size_t cap;		/* of buf (spool.c's own) */
};

/* Open an empty spool; out of memory ends the program (xalloc.h). */
void spool_open(struct spool *s);
/*
 * An empty spool that opens its stream only when first written to, through
 * spool_file: a run's part with nothing at some severity (most runs) costs
 * no stream for it. Copied or released unopened, it is empty.
 */
static inline void spool_init(struct spool *s)
{
	s->f = NULL;
	s->buf = NULL;
	s->len = s->cap = 0;
}
/* The stream to write to, opened on first use. */
static inline FILE *spool_file(struct spool *s)
{
	if (!s->f)
		spool_open(s);
	return s->f;
}
/* Copy what was written so far to out. */
void spool_copy(struct spool *s, FILE *out);
/* Close and free. A zeroed spool may be released. */
void spool_release(struct spool *s);
/* The same for a spool of its own (a run's part of a report). */
struct spool *spool_new(void);
/* Copy it to out, then close and free it. */
void spool_put(struct spool *s, FILE *out);

#endif
