#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include "strbuf.h"

/*
 * Decode one UTF-8 sequence at s. Returns its length and sets *cp, or 0 when
 * the bytes there are not well-formed UTF-8 (overlong forms, surrogates and
 * values past U+10FFFF included, as RFC 3629 demands).
 */
size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n;
	unsigned long c, min;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	/* A NUL ends the string, and fails the continuation test, so we never
	 * read past it. */
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Does the 8-byte word hold a byte that is zero or has its top bit set? */
static int word_has_nul_or_high(uint64_t w)
{
	return (((w - 0x0101010101010101u) | w) & 0x8080808080808080u) != 0;
}

static int word_has_high(uint64_t w)
{
	return (w & 0x8080808080808080u) != 0;
}

size_t utf8_scan(const unsigned char *s, size_t len, size_t from, size_t until,
		 int stop_at_nul)
{
	size_t i = from;
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	while (i < len && i < until) {
		/* ASCII, 32 bytes at a time while nothing else comes (one test
		 * of four words), then 8: most of every history. */
		while (i + 32 <= len && i + 32 <= until) {
			uint64_t w[4];
			memcpy(w, s + i, sizeof(w));
			uint64_t m = stop_at_nul
				? ((w[0] - ones) | w[0]) | ((w[1] - ones) | w[1]) |
				  ((w[2] - ones) | w[2]) | ((w[3] - ones) | w[3])
				: w[0] | w[1] | w[2] | w[3];
			if (m & highs)
				break;
			i += 32;
		}
		while (i + 8 <= len && i < until) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (stop_at_nul ? word_has_nul_or_high(w) : word_has_high(w))
				break;
			i += 8;
		}
		if (i >= len || i >= until)
			break;
		unsigned char c = s[i];
		if (c == 0 && stop_at_nul)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_invalid_at(s + i, len - i < 4 ? len - i : 4);
		if (n == 0)
			return i;
		/* utf8_invalid_at stopped after the sequence: step over it. */
		size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
		i += need;
	}
	return i < len ? i : len;
}

size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		/* ASCII (NUL included) is valid: 8 bytes a step. */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (word_has_high(w))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		unsigned char c = s[i];
		size_t need;
		unsigned int cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + need >= len)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

char *utf8_clean(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	strbuf_adds(&sb, "");
	while (*p) {
		unsigned long c;
		size_t n = utf8_decode(p, &c);
		if (n == 0) {
			strbuf_adds(&sb, UTF8_REPLACEMENT);
			p++;
		} else {
			strbuf_add(&sb, (const char *)p, n);
			p += n;
		}
	}
	return strbuf_detach(&sb);
}

size_t utf8_prefix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	/* Back off over continuation bytes to the start of the last sequence;
	 * keep it only if it is whole. */
	size_t i = n;
	while (i > 0 && n - i < 4 && (u[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || u[i - 1] < 0x80)
		return n;
	unsigned char lead = u[i - 1];
	size_t need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
	return n - (i - 1) >= need ? n : i - 1;
}

int utf8_cut(const char *s, size_t max)
{
	return (int)utf8_prefix(s, strnlen(s, max));
}
