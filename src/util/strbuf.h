/*
 * A growable NUL-terminated string. The caller holds the struct; strbuf_release
 * frees the buffer, strbuf_detach hands it over.
 */
#ifndef SCRAM_STRBUF_H
#define SCRAM_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Room for n more bytes (and the NUL) without another allocation. */
void strbuf_grow(struct strbuf *sb, size_t n);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The buffer as a string; never NULL. */
const char *strbuf_str(const struct strbuf *sb);

#endif
