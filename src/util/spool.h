/*
 * A spool: text written through a FILE * into memory, to be copied out
 * later (open_memstream). Renderers whose document opens with totals write
 * each run's part into one as the run comes, and the spool, not the run, is
 * what they keep. The caller holds the struct; spool_release frees the text.
 *
 * A spool that gathers a whole audit (the text report's warnings, a SARIF
 * document's results, JUnit's suites) would hold the report of every run in
 * memory: 54-73 MB for 10,000 runs. spool_spill moves one that has grown past
 * a limit to an unlinked temporary file in $TMPDIR (else /tmp), so that an
 * audit's memory is bounded by the runs in flight, not by the archive; where
 * no temporary file can be made it stays in memory, as before.
 */
#ifndef SCRAM_SPOOL_H
#define SCRAM_SPOOL_H

#include <stdio.h>

struct spool {
	FILE *f;		/* write here */
	char *buf;		/* the text so far, valid after a flush */
	size_t len;
	size_t cap;		/* of buf (spool.c's own) */
	int disk;		/* spilled: f is a temporary file */
};

/* The size past which the audit-wide spools of the renderers spill. */
#define SPOOL_SPILL_BYTES ((size_t)1 << 20)

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
	s->disk = 0;
}
/* The stream to write to, opened on first use. */
static inline FILE *spool_file(struct spool *s)
{
	if (!s->f)
		spool_open(s);
	return s->f;
}
/* Past limit bytes, move the spool's text to a temporary file (see above). */
void spool_spill(struct spool *s, size_t limit);
/* Copy what was written so far to out. */
void spool_copy(struct spool *s, FILE *out);
/* Close and free. A zeroed spool may be released. */
void spool_release(struct spool *s);
/* The same for a spool of its own (a run's part of a report). */
struct spool *spool_new(void);
/* Copy it to out, then close and free it. */
void spool_put(struct spool *s, FILE *out);

#endif
