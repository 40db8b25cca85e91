/*
 * src/util/: helpers with no knowledge of training (allocation, strings, UTF-8,
 * escaping, files, numbers). Includes nothing above it.
 *
 * Allocation that cannot fail: on exhaustion these report and exit(2), so the
 * rest of the program never checks for NULL (GoAccess's xmalloc.c does the same).
 * Memory returned is owned by the caller and released with free().
 */
#ifndef SCRAM_XALLOC_H
#define SCRAM_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* xrealloc for an array of nmemb elements, failing cleanly on overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

/* xgrow's reallocation, when the array is full. */
void xgrow_slow(void *array, size_t *cap, size_t need, size_t elem);

/* Grow *array (of *cap elements of size elem) so it holds at least need.
 * Inline: it is called for every point appended, and mostly has room. */
static inline void xgrow(void *array, size_t *cap, size_t need, size_t elem)
{
	if (need > *cap)
		xgrow_slow(array, cap, need, elem);
}

#endif
