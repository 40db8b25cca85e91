#include "escape.h"

#include <string.h>

#include "strbuf.h"
#include "utf8.h"

#define REPLACEMENT UTF8_REPLACEMENT


/* May the code point appear in an XML 1.0 document (the Char production)? */
static int xml_char_ok(unsigned long c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\r';
	return c != 0xFFFE && c != 0xFFFF;
}

void xmlesc_fputs(FILE *out, const char *s, int in_attr)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned long c;
		size_t n = utf8_decode(p, &c);
		if (n == 0) {
			fputs(REPLACEMENT, out);
			p++;
			continue;
		}
		if (!xml_char_ok(c)) {
			fputs(REPLACEMENT, out);
		} else if (c == '&') {
			fputs("&amp;", out);
		} else if (c == '<') {
			fputs("&lt;", out);
		} else if (c == '>') {
			fputs("&gt;", out);
		} else if (c == '"') {
			fputs("&quot;", out);
		} else if (c == '\'') {
			fputs("&apos;", out);
		} else if (c == '\r') {
			/* A bare CR is turned into LF by any XML parser's line-end
			 * handling; the reference keeps it. */
			fputs("&#13;", out);
		} else if (in_attr && c == '\n') {
			fputs("&#10;", out);
		} else if (in_attr && c == '\t') {
			fputs("&#9;", out);
		} else {
			fwrite(p, 1, n, out);
		}
		p += n;
	}
}
