/*
 * Paragraphs of prose (a rule's message, why and fix after the placeholders
 * are filled): unfolded for machine formats, reflowed to a width for people.
 *
 * A paragraph is a run of lines between blank lines; its lines are joined by
 * one space. A line that starts with a space or a tab is kept as it is (code,
 * a table), never joined or folded. wrap_unfold returns a string the caller
 * frees; wrap_print writes and keeps nothing.
 */
#ifndef SCRAM_WRAP_H
#define SCRAM_WRAP_H

#include <stddef.h>
#include <stdio.h>

/* Each paragraph on one line; paragraphs separated by one blank line. */
char *wrap_unfold(const char *text);

/*
 * Print text reflowed so that no line passes width columns (a word longer
 * than a line stands alone): each line starts with pad, the first with pad
 * and then first (NULL: nothing), and blank lines stay between paragraphs.
 * Columns count characters (UTF-8 code points), not bytes.
 */
void wrap_print(FILE *out, const char *text, size_t width, const char *pad,
		const char *first);

/* Display columns of the n bytes at s: one per UTF-8 code point. */
size_t wrap_columns(const char *s, size_t n);

#endif
