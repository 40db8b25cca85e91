/*
 * Escaping untrusted strings (paths, column names, rule text) for the sink
 * they are written to: XML 1.0 text and attributes (JUnit, SARIF, HTML).
 * UTF-8 repair is in utf8.h. Nothing here keeps memory.
 */
#ifndef SCRAM_ESCAPE_H
#define SCRAM_ESCAPE_H

#include <stdio.h>

/*
 * Write s escaped for XML 1.0: &, <, >, " and ' as entities; in an attribute
 * (in_attr) also tab, newline and carriage return as character references so
 * that attribute normalization keeps them. Characters XML 1.0 forbids (C0
 * controls but tab/LF/CR, U+FFFE, U+FFFF, surrogates) and invalid UTF-8 are
 * written as U+FFFD. NULL writes nothing.
 */
void xmlesc_fputs(FILE *out, const char *s, int in_attr);


#endif
