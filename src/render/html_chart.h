/*
 * The data of the HTML report's charts: a series decimated to the columns it
 * is drawn in and written as one compact attribute value that the page's
 * script (html.js) decodes and draws. Nothing here keeps memory.
 *
 * The attribute is MODE,COLS,LO,HI,BAD;CODES:
 * - MODE "n" (values as they are) or "l" (their log10: every finite value is
 *   positive), then "1" (one code per column, its mean) or "3" (three: the
 *   mean, the min and the max of the column's finite values);
 * - COLS is the number of columns;
 * - LO and HI (%.6g) bound the values (or their logs); a code q of 0..510
 *   stands for LO + (HI - LO) * q / 510, and 511 for a column without a
 *   finite value (a gap in the line): 9 bits, about two levels per pixel of
 *   the tallest chart;
 * - BAD lists, "."-separated, the 0-based columns that held a NaN or an
 *   infinity (drawn as a "!" at the top edge, never as a coordinate);
 * - CODES are the codes in column order (mean, min, max for each column in
 *   mode 3), two codes to three characters of base64url (A-Z a-z 0-9 - _),
 *   most significant first; an odd count is padded with a 511.
 * Column c of cols holds points [c*n/cols, (c+1)*n/cols) (integer division).
 * Every character is one of [A-Za-z0-9._,;+-], so the value needs no escaping.
 */
#ifndef SCRAM_HTML_CHART_H
#define SCRAM_HTML_CHART_H

#include <stddef.h>
#include <stdio.h>

#define HTML_CODE_GAP 511
#define HTML_CODE_MAX 510

/*
 * Write the attribute value for the n values v (missing may be NULL: 1 marks a
 * value the file did not have) drawn in cols columns (cols >= 1; clamped to
 * n). minmax asks for mode 3 when columns hold more than one point.
 */
void html_series_data(FILE *out, const double *v, const unsigned char *missing, size_t n,
		      size_t cols, int minmax);

#endif
