/*
 * Escaping untrusted strings (file names, column names, JSON keys, layer
 * names, rule text, arguments) for the sink they are written to: the one
 * place for it. Terminal text, GitHub workflow commands, JSON documents and
 * XML 1.0 text and attributes. UTF-8 repair is in utf8.h. Nothing here keeps
 * memory but term_escape, whose result the caller frees.
 */
#ifndef SCRAM_ESCAPE_H
#define SCRAM_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Terminal text (text reports, --verbose, stderr): no control character
 * reaches the terminal raw, so a name cannot move the cursor, clear the
 * screen, set the clipboard (OSC 52) or start a line of its own. ESC is
 * written \e, CR \r, LF \n, TAB \t (unless keep_tab), other C0 controls and
 * DEL \xHH; C1 controls and the bidirectional overrides (U+202A..U+202E,
 * U+2066..U+2069) \uHHHH; each byte that is not UTF-8 \xHH. NULL writes
 * nothing.
 */
void term_write(FILE *out, const char *s, size_t n, int keep_tab);
void term_fputs(FILE *out, const char *s);
/* The same escaping into a new string ("" for NULL). */
char *term_escape(const char *s);

/*
 * A GitHub Actions workflow command: the runner ends a command at a newline
 * and splits properties at "," and ":"; @actions/core's escapeData and
 * escapeProperty encode "%", CR and LF (and in a property also ":" and ",")
 * as %25 %0D %0A %3A %2C. Other controls are shown as in terminal text, since
 * the runner's log is a terminal too.
 */
void gh_fputs(FILE *out, const char *s, int property);

/*
 * Write s escaped for XML 1.0: &, <, >, " and ' as entities; in an attribute
 * (in_attr) also tab, newline and carriage return as character references so
 * that attribute normalization keeps them. Characters XML 1.0 forbids (C0
 * controls but tab/LF/CR, U+FFFE, U+FFFF, surrogates) and invalid UTF-8 are
 * written as U+FFFD; DEL and C1 controls as character references. NULL
 * writes nothing.
 */
void xmlesc_fputs(FILE *out, const char *s, int in_attr);

/*
 * A JSON document as cJSON printed it, written with DEL and the C1 controls
 * as \u escapes (cJSON escapes only C0; the rest may only occur inside
 * strings, where an escape means the same). Strings must already be valid
 * UTF-8 (utf8_clean).
 */
void json_fputs(FILE *out, const char *doc);

#endif
