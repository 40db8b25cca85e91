#include "escape.h"

#include <string.h>

#include "strbuf.h"
#include "utf8.h"

#define REPLACEMENT UTF8_REPLACEMENT

/* A code point a terminal acts on rather than shows (beyond C0 and DEL). */
static int term_invisible(unsigned long c)
{
	return (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* The shown form of s[0..n) into sb. */
static void term_add(struct strbuf *sb, const char *s, size_t n, int keep_tab)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned char b = *p;
		if (b >= 0x20 && b < 0x7F) {
			const unsigned char *q = p;
			while (q < end && *q >= 0x20 && *q < 0x7F)
				q++;
			strbuf_add(sb, (const char *)p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (b < 0x80) {
			if (b == 0x1B)
				strbuf_adds(sb, "\\e");
			else if (b == '\n')
				strbuf_adds(sb, "\\n");
			else if (b == '\r')
				strbuf_adds(sb, "\\r");
			else if (b == '\t' && keep_tab)
				strbuf_addc(sb, '\t');
			else if (b == '\t')
				strbuf_adds(sb, "\\t");
			else {
				char e[5] = { '\\', 'x', hex[b >> 4], hex[b & 15], 0 };
				strbuf_adds(sb, e);
			}
			p++;
			continue;
		}
		/* utf8_decode stops at a NUL; here the length bounds it too. */
		unsigned char tmp[5] = { 0 };
		size_t avail = (size_t)(end - p) < 4 ? (size_t)(end - p) : 4;
		memcpy(tmp, p, avail);
		unsigned long c;
		size_t len = utf8_decode(tmp, &c);
		if (len == 0) {
			char e[5] = { '\\', 'x', hex[b >> 4], hex[b & 15], 0 };
			strbuf_adds(sb, e);
			p++;
		} else if (term_invisible(c)) {
			strbuf_addf(sb, "\\u%04lX", c);
			p += len;
		} else {
			strbuf_add(sb, (const char *)p, len);
			p += len;
		}
	}
}

void term_write(FILE *out, const char *s, size_t n, int keep_tab)
{
	if (!s)
		return;
	/* Printable ASCII (paths, titles, rule ids) is shown as it is. */
	size_t i = 0;
	while (i < n && ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F))
		i++;
	if (i == n) {
		if (n)
			fwrite(s, 1, n, out);
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	term_add(&sb, s, n, keep_tab);
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
}

void term_fputs(FILE *out, const char *s)
{
	if (s)
		term_write(out, s, strlen(s), 0);
}

char *term_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "");
	if (s)
		term_add(&sb, s, strlen(s), 0);
	return strbuf_detach(&sb);
}

void gh_fputs(FILE *out, const char *s, int property)
{
	if (!s)
		return;
	struct strbuf sb = STRBUF_INIT;
	const char *p = s;
	while (*p) {
		size_t run = strcspn(p, property ? "%\r\n:," : "%\r\n");
		term_add(&sb, p, run, 0);
		p += run;
		if (!*p)
			break;
		switch (*p++) {
		case '%':
			strbuf_adds(&sb, "%25");
			break;
		case '\r':
			strbuf_adds(&sb, "%0D");
			break;
		case '\n':
			strbuf_adds(&sb, "%0A");
			break;
		case ':':
			strbuf_adds(&sb, "%3A");
			break;
		default:
			strbuf_adds(&sb, "%2C");
			break;
		}
	}
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
}

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
		} else if (c == 0x7F || term_invisible(c)) {
			fprintf(out, "&#x%lX;", c);
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

void json_fputs(FILE *out, const char *doc)
{
	const unsigned char *p = (const unsigned char *)doc;
	while (*p) {
		const unsigned char *q = p;
		while (*q && *q != 0x7F && !(q[0] == 0xC2 && q[1] >= 0x80 && q[1] <= 0x9F) &&
		       !(q[0] == 0xE2 && ((q[1] == 0x80 && q[2] >= 0xAA && q[2] <= 0xAE) ||
					  (q[1] == 0x81 && q[2] >= 0xA6 && q[2] <= 0xA9))))
			q++;
		fwrite(p, 1, (size_t)(q - p), out);
		if (!*q)
			break;
		unsigned long c;
		size_t n = utf8_decode(q, &c);
		fprintf(out, "\\u%04lx", c);
		p = q + n;
	}
}
