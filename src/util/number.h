/* Numbers as training histories spell them. */
#ifndef SCRAM_NUMBER_H
#define SCRAM_NUMBER_H

#include <stddef.h>

/* Parse a number as histories spell it: also nan, NaN, inf, -inf,
 * Infinity, -Infinity. The whole string must be used, surrounding blanks
 * aside. Returns 0 on success. The double is strtod's, bit for bit. */
int parse_number(const char *s, size_t len, double *out);

/*
 * The exact fast path alone: s[0..len) as a plain decimal ([+-]digits[.digits]
 * [e[+-]digits], at most 19 significant digits) into *out, bit-identical to
 * strtod. 1 when it decided; 0 when strtod must (anything else, or a case
 * 128 bits cannot round). Exposed for the tests and the benchmark.
 */
int parse_decimal_fast(const char *s, size_t len, double *out);

/*
 * The same plain decimal where it starts at s, up to the first character
 * that cannot continue it (end bounds the look): the character after it, its
 * value in *out. NULL when no plain decimal starts at s or strtod must decide
 * it. Where s[n] cannot go on a number (a separator, a line's end),
 * parse_decimal_prefix(s, end, &v) == s + n exactly when
 * parse_decimal_fast(s, n, &v) decides, with the same v.
 */
const char *parse_decimal_prefix(const char *s, const char *end, double *out);

#endif
