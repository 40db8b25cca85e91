/*
 * The JSON pull tokenizer (jsontok.h). The grammar is a small state machine
 * over a stack of the open lists and objects; where it fails, the offset is
 * the one cJSON (which the reader used before) reported, quirks included:
 * a member name that is no string fails one byte after where it should
 * start, a failure at the end of the text is at its last byte, an
 * unterminated string one byte after its opening quote.
 */
#include "jsontok.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/file.h"
#include "../util/number.h"
#include "../util/xalloc.h"

enum {
	S_VALUE,		/* a value: the root, after ':' or after ',' in a list */
	S_VALUE_OR_END,		/* after '[' */
	S_KEY_OR_END,		/* after '{' */
	S_KEY,			/* after ',' in an object */
	S_COLON,		/* after a member name */
	S_COMMA_OR_END,		/* after a value inside a list or object */
	S_DONE,			/* after the root value */
	S_FAILED
};

void jt_init(struct jtok *t, const char *buf, size_t len)
{
	memset(t, 0, sizeof(*t));
	t->buf = buf;
	t->len = len;
	t->p = buf;
	t->end = buf + len;
	t->line = 1;
	t->state = S_VALUE;
}

void jt_set_tail(struct jtok *t, const char *tail)
{
	t->tail = tail;
}

static int in_buf(const struct jtok *t, const char *p)
{
	return p >= t->buf && p <= t->buf + t->len;
}

static size_t offset_of(const struct jtok *t, const char *p)
{
	if (in_buf(t, p))
		return (size_t)(p - t->buf);
	return t->len ? t->len - 1 : 0;
}

/*
 * Past the blanks from p (every byte up to 32, as cJSON skips them), the
 * lines counted. A pretty-printed document indents every line: the spaces
 * after a newline go eight at a time, their count read off one word.
 */
static const char *skip_blanks(struct jtok *t, const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= 32) {
		if (*p++ != '\n')
			continue;
		t->line++;
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (end - p >= 8) {
			uint64_t w;
			memcpy(&w, p, sizeof(w));
			w ^= UINT64_C(0x2020202020202020);
			if (w) {
				p += __builtin_ctzll(w) >> 3;	/* the first byte not a space */
				break;
			}
			p += 8;
		}
#endif
	}
	return p;
}

/* Fail at offset off (clamped as cJSON clamps it: to the last byte). */
static enum jt_kind fail_at(struct jtok *t, struct jt_token *tok, enum jt_error e, size_t off)
{
	if (t->len && off >= t->len)
		off = t->len - 1;
	long line = t->line;
	if (in_buf(t, t->p)) {
		size_t here = (size_t)(t->p - t->buf);
		for (size_t i = off; i < here; i++)
			line -= t->buf[i] == '\n';
		for (size_t i = here; i < off; i++)
			line += t->buf[i] == '\n';
	}
	t->err = e;
	t->err_off = off;
	t->err_line = line;
	t->state = S_FAILED;
	tok->kind = JT_ERROR;
	return JT_ERROR;
}

static enum jt_kind fail_here(struct jtok *t, struct jt_token *tok, const char *p)
{
	return fail_at(t, tok, JT_E_SYNTAX, offset_of(t, p));
}

static unsigned hex4(const char *s)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;	/* as cJSON: not an error, U+0000 */
	}
	return v;
}

/*
 * The escape at s (a backslash) of a string ending at end: its length and
 * code point (*cp, or -1 for a one-letter escape in *c), or 0 when invalid.
 */
static size_t escape_at(const char *s, const char *end, long *cp, char *c)
{
	if (end - s < 2)
		return 0;
	static const char from[] = "bfnrt\"\\/", to[] = "\b\f\n\r\t\"\\/";
	const char *k = s[1] ? strchr(from, s[1]) : NULL;
	if (k) {
		*cp = -1;
		*c = to[k - from];
		return 2;
	}
	if (s[1] != 'u' || end - s < 6)
		return 0;
	unsigned first = hex4(s + 2);
	if (first >= 0xDC00 && first <= 0xDFFF)
		return 0;
	if (first >= 0xD800 && first <= 0xDBFF) {
		if (end - s < 12 || s[6] != '\\' || s[7] != 'u')
			return 0;
		unsigned second = hex4(s + 8);
		if (second < 0xDC00 || second > 0xDFFF)
			return 0;
		*cp = 0x10000 + (long)(((first & 0x3FF) << 10) | (second & 0x3FF));
		return 12;
	}
	*cp = (long)first;
	return 6;
}

static size_t put_utf8(long cp, char *out)
{
	unsigned long c = (unsigned long)cp;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t jt_decode(const struct jt_token *tok, char *out)
{
	const char *s = tok->s, *end = tok->s + tok->len;
	size_t n = 0;
	if (!tok->escaped) {
		memcpy(out, s, tok->len);
		out[tok->len] = '\0';
		return strlen(out);
	}
	while (s < end) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		long cp;
		char c;
		size_t k = escape_at(s, end, &cp, &c);
		if (k == 0)	/* cannot happen: checked when read */
			break;
		if (cp < 0)
			out[n++] = c;
		else
			n += put_utf8(cp, out + n);
		s += k;
	}
	out[n] = '\0';
	return strlen(out);
}

/* A string whose opening quote is at q. */
/* The first '"', '\\' or newline from s on, or end. */
static const char *plain_run(const char *s, const char *end)
{
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	while (end - s >= 8) {
		uint64_t w, a, b, c;
		memcpy(&w, s, sizeof(w));
		a = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		c = w ^ (ones * '\n');
		/* A byte is one of them when its xor is 0; the lowest flag
		 * is exact (a borrow only sets flags above it). */
		uint64_t m = ((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c);
		m &= highs;
		if (m)
			return s + (__builtin_ctzll(m) >> 3);
		s += 8;
	}
#endif
	while (s < end && *s != '"' && *s != '\\' && *s != '\n')
		s++;
	return s;
}

static enum jt_kind read_string(struct jtok *t, struct jt_token *tok, const char *q,
				enum jt_kind kind)
{
	const char *s = q + 1, *end = t->end;
	int escaped = 0;
	long lines = 0;
	for (;;) {
		/* The common case: a run of plain bytes, eight at a time. */
		s = plain_run(s, end);
		if (s >= end)
			return fail_here(t, tok, q + 1);	/* unterminated */
		if (*s == '"')
			break;
		if (*s == '\n') {
			lines++;
			s++;
			continue;
		}
		if (s + 1 >= end)
			return fail_here(t, tok, q + 1);
		escaped = 1;
		lines += s[1] == '\n';
		s += 2;
	}
	if (escaped) {
		/* Check every escape now, so that decoding cannot fail. */
		for (const char *e = q + 1; e < s; e++) {
			if (*e != '\\')
				continue;
			long cp;
			char c;
			size_t k = escape_at(e, s, &cp, &c);
			if (k == 0)
				return fail_here(t, tok, e);
			e += k - 1;
		}
	}
	tok->kind = kind;
	tok->s = q + 1;
	tok->len = (size_t)(s - q - 1);
	tok->escaped = escaped;
	t->line += lines;
	t->p = s + 1;
	return kind;
}

static int is_num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

/* A number at p: the longest prefix strtod takes of the run of number bytes. */
static enum jt_kind read_number(struct jtok *t, struct jt_token *tok, const char *p)
{
	const char *e = p;
	while (e < t->end && is_num_char(*e))
		e++;
	size_t n = (size_t)(e - p);
	double v;
	if (!parse_decimal_fast(p, n, &v)) {
		char small[64], *copy = n < sizeof(small) ? small : xmalloc(n + 1);
		memcpy(copy, p, n);
		copy[n] = '\0';
		char *stop;
		v = strtod(copy, &stop);
		n = (size_t)(stop - copy);
		if (copy != small)
			free(copy);
		if (n == 0)
			return fail_here(t, tok, p);
	}
	tok->kind = JT_NUMBER;
	tok->num = v;
	tok->special = 0;
	t->p = p + n;
	return JT_NUMBER;
}

/* The length of the run of ASCII letters at p. */
static size_t word_len(const struct jtok *t, const char *p)
{
	const char *e = p;
	while (e < t->end && ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z')))
		e++;
	return (size_t)(e - p);
}

static enum jt_kind special(struct jtok *t, struct jt_token *tok, const char *next, double v)
{
	tok->kind = JT_NUMBER;
	tok->num = v;
	tok->special = 1;
	t->p = next;
	return JT_NUMBER;
}

/* A literal: true, false, null, NaN, Infinity, -Infinity. */
static enum jt_kind read_word(struct jtok *t, struct jt_token *tok, const char *p)
{
	size_t avail = (size_t)(t->end - p);
	switch (*p) {
	case 't':
		if (avail >= 4 && memcmp(p, "true", 4) == 0) {
			t->p = p + 4;
			return tok->kind = JT_TRUE;
		}
		break;
	case 'f':
		if (avail >= 5 && memcmp(p, "false", 5) == 0) {
			t->p = p + 5;
			return tok->kind = JT_FALSE;
		}
		break;
	case 'n':
		if (avail >= 4 && memcmp(p, "null", 4) == 0) {
			t->p = p + 4;
			return tok->kind = JT_NULL;
		}
		break;
	case 'N':
		if (word_len(t, p) == 3 && memcmp(p, "NaN", 3) == 0)
			return special(t, tok, p + 3, NAN);
		break;
	case 'I':
		if (word_len(t, p) == 8 && memcmp(p, "Infinity", 8) == 0)
			return special(t, tok, p + 8, INFINITY);
		break;
	case '-':
		if (word_len(t, p + 1) == 8 && memcmp(p + 1, "Infinity", 8) == 0)
			return special(t, tok, p + 9, -INFINITY);
		break;
	}
	return fail_here(t, tok, p);
}

static enum jt_kind push(struct jtok *t, struct jt_token *tok, const char *p, char c)
{
	if (t->depth >= JT_MAX_DEPTH)
		return fail_at(t, tok, JT_E_DEPTH, offset_of(t, p));
	t->stack[t->depth++] = (unsigned char)c;
	t->p = p + 1;
	t->state = c == '{' ? S_KEY_OR_END : S_VALUE_OR_END;
	return tok->kind = c == '{' ? JT_OBJ_BEGIN : JT_ARR_BEGIN;
}

/* A value starting at p (not white space). */
static enum jt_kind read_value(struct jtok *t, struct jt_token *tok, const char *p)
{
	char c = *p;
	enum jt_kind k;
	if (c == '{' || c == '[')
		return push(t, tok, p, c);
	if (c == '"')
		k = read_string(t, tok, p, JT_STRING);
	else if ((c >= '0' && c <= '9') || (c == '-' && !(p + 1 < t->end && p[1] == 'I')))
		k = read_number(t, tok, p);
	else
		k = read_word(t, tok, p);
	if (k != JT_ERROR)
		t->state = t->depth ? S_COMMA_OR_END : S_DONE;
	return k;
}

enum jt_kind jt_next(struct jtok *t, struct jt_token *tok)
{
	/* A mapped history costs memory only for what is being parsed: the
	 * pages behind the cursor go back now and then (they come back from
	 * the file if read again). */
	if (++t->since_release >= 4096) {
		t->since_release = 0;
		if (t->p >= t->buf && t->p <= t->buf + t->len)
			file_release_before(t->buf, (size_t)(t->p - t->buf));
	}
	for (;;) {
		const char *p = t->p, *end = t->end;
		if (t->state == S_FAILED)
			return tok->kind = JT_ERROR;
		if (t->state == S_DONE) {
			/* After the document only these four are blanks, as before. */
			while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
				t->line += *p++ == '\n';
			t->p = p;
			if (p >= end && t->tail) {
				t->p = t->tail;
				t->end = t->tail + strlen(t->tail);
				t->tail = NULL;
				continue;
			}
			if (p >= end)
				return tok->kind = JT_EOF;
			return fail_at(t, tok, JT_E_TRAILING, offset_of(t, p));
		}
		p = skip_blanks(t, p, end);
		t->p = p;
		if (p >= end) {
			if (t->tail) {
				t->p = t->tail;
				t->end = t->tail + strlen(t->tail);
				t->tail = NULL;
				continue;
			}
			return fail_at(t, tok, JT_E_SYNTAX, t->len);
		}
		tok->off = offset_of(t, p);
		tok->line = t->line;
		char c = *p;
		switch (t->state) {
		case S_VALUE_OR_END:
			if (c == ']')
				goto close;
			/* fall through */
		case S_VALUE:
			return read_value(t, tok, p);
		case S_KEY_OR_END:
			if (c == '}')
				goto close;
			/* fall through */
		case S_KEY:
			if (c != '"')
				return fail_here(t, tok, p + 1);
			if (read_string(t, tok, p, JT_KEY) == JT_ERROR)
				return JT_ERROR;
			t->state = S_COLON;
			return JT_KEY;
		case S_COLON:
			if (c != ':')
				return fail_here(t, tok, p);
			t->p = p + 1;
			t->state = S_VALUE;
			continue;
		case S_COMMA_OR_END:
			if (c == ',') {
				t->p = p + 1;
				t->state = t->stack[t->depth - 1] == '{' ? S_KEY : S_VALUE;
				continue;
			}
			if ((c == '}' && t->stack[t->depth - 1] == '{') ||
			    (c == ']' && t->stack[t->depth - 1] == '['))
				goto close;
			return fail_here(t, tok, p);
		}
		return fail_here(t, tok, p);
close:
		t->depth--;
		t->p = p + 1;
		t->state = t->depth ? S_COMMA_OR_END : S_DONE;
		return tok->kind = c == '}' ? JT_OBJ_END : JT_ARR_END;
	}
}

int jt_next_document(struct jtok *t)
{
	if (t->state != S_DONE)
		return 0;
	const char *p = t->p;
	long lines = 0;
	while (p < t->end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		lines += *p++ == '\n';
	if (p >= t->end || !lines || *p != '{')
		return 0;
	t->p = p;
	t->line += lines;
	t->state = S_VALUE;
	return 1;
}

int jt_skip(struct jtok *t, const struct jt_token *tok)
{
	if (tok->kind == JT_ERROR)
		return -1;
	if (tok->kind != JT_OBJ_BEGIN && tok->kind != JT_ARR_BEGIN)
		return 0;
	unsigned depth = t->depth - 1;
	struct jt_token x;
	while (t->depth > depth) {
		if (jt_next(t, &x) == JT_ERROR)
			return -1;
	}
	return 0;
}
