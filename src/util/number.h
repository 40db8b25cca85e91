/* Numbers as training histories spell them. */
#ifndef SCRAM_NUMBER_H
#define SCRAM_NUMBER_H

#include <stddef.h>

/* Parse a number as histories spell it: also nan, NaN, inf, -inf,
 * Infinity, -Infinity. The whole string must be used, surrounding blanks
 * aside. Returns 0 on success. */
int parse_number(const char *s, size_t len, double *out);

#endif
