/*
 * UTF-8: decoding one sequence, finding the first invalid byte, and repairing
 * a string whose bytes came from a user's file. Nothing here keeps memory;
 * utf8_clean returns a string the caller frees.
 */
#ifndef SCRAM_UTF8_H
#define SCRAM_UTF8_H

#include <stddef.h>

/* U+FFFD, the replacement character, in UTF-8. */
#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

/*
 * Decode one UTF-8 sequence at s (NUL-terminated). Returns its length and
 * sets *cp, or 0 when the bytes there are not well-formed UTF-8 (overlong
 * forms, surrogates and values past U+10FFFF included, as RFC 3629 demands).
 */
size_t utf8_decode(const unsigned char *s, unsigned long *cp);
/* Offset of the first byte of s that breaks UTF-8 (overlong forms and
 * surrogates included), or len when there is none. */
size_t utf8_invalid_at(const unsigned char *s, size_t len);
/*
 * The same check from offset from on, ASCII 8 bytes at a time, stopping at
 * the first sequence boundary at or past until: returns the offset of the
 * first invalid sequence (or NUL byte, when stop_at_nul), else that boundary
 * (len at the end). For checking a large text in pieces.
 */
size_t utf8_scan(const unsigned char *s, size_t len, size_t from, size_t until,
		 int stop_at_nul);
/* The length of the longest prefix of s[0..n) that does not end inside a
 * UTF-8 sequence: where to cut a quote of n bytes or fewer. */
size_t utf8_prefix(const char *s, size_t n);
/* For printf's "%.*s": how many bytes of the string s to show, at most max,
 * never cutting a character in two. */
int utf8_cut(const char *s, size_t max);
/* A copy of s (NULL: "") with each invalid UTF-8 sequence replaced by U+FFFD. */
char *utf8_clean(const char *s);

#endif
