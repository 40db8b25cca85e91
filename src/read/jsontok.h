/*
 * A pull tokenizer for JSON as training scripts write it: one pass over a
 * buffer it never writes to, no tree, no copy. Each jt_next returns the next
 * token of the document, checked against the grammar; strings are spans of
 * the buffer (decode them with jt_decode when they hold escapes), numbers are
 * parsed in place (util/number.h: the double strtod gives, bit for bit).
 *
 * It reads what the JSON reader has always read (cJSON's dialect): Python's
 * bare NaN, Infinity and -Infinity are number tokens; null is missing; a
 * number is the longest prefix strtod takes of a run of [0-9+-.eE] ("01",
 * "1." and "-.5" are numbers, as they were); \u escapes decode surrogate
 * pairs and a lone surrogate is an error. A syntax error gives the offset
 * cJSON gave, so the messages that name it stay as they were.
 *
 * The caller holds a struct jtok (no allocation but for numbers of more
 * than 63 characters, freed before jt_next returns).
 */
#ifndef SCRAM_JSONTOK_H
#define SCRAM_JSONTOK_H

#include <stddef.h>

/* Deepest nesting of lists and objects read. */
#define JT_MAX_DEPTH 512

enum jt_kind {
	JT_ERROR,		/* see jtok.err_* */
	JT_EOF,			/* the document is complete and nothing but blanks follows */
	JT_OBJ_BEGIN,
	JT_OBJ_END,
	JT_ARR_BEGIN,
	JT_ARR_END,
	JT_KEY,			/* a member's name: s, len, escaped */
	JT_STRING,		/* a string value: s, len, escaped */
	JT_NUMBER,		/* num; special: 1 for NaN, Infinity, -Infinity */
	JT_TRUE,
	JT_FALSE,
	JT_NULL
};

enum jt_error {
	JT_E_NONE,
	JT_E_SYNTAX,		/* at err_off (which may be the last byte: cut short) */
	JT_E_DEPTH,		/* nesting deeper than JT_MAX_DEPTH at err_off */
	JT_E_TRAILING		/* text after the document at err_off */
};

struct jt_token {
	enum jt_kind kind;
	const char *s;		/* JT_KEY/JT_STRING: the text between the quotes */
	size_t len;
	int escaped;		/* it holds a backslash: jt_decode it */
	int special;		/* JT_NUMBER: a bare NaN or (-)Infinity */
	double num;
	size_t off;		/* offset of the token's first byte */
	long line;		/* its 1-based line */
};

struct jtok {
	const char *buf;	/* the document: buf[0..len) */
	size_t len;
	const char *p, *end;
	const char *tail;	/* read after buf[0..len) when set (see jt_set_tail) */
	long line;		/* line of p */
	int state;
	unsigned depth;
	unsigned char stack[JT_MAX_DEPTH + 1];	/* '{' or '[' per level */
	enum jt_error err;
	size_t err_off;		/* offset into buf of the error */
	long err_line;
	unsigned since_release;	/* tokens since the pages behind p were given back */
};

void jt_init(struct jtok *t, const char *buf, size_t len);
/*
 * Read buf[0..len) and then the NUL-terminated tail, as if they were one
 * text (a document cut short, closed by "}" or "]" without writing to the
 * buffer). Offsets past len are len - 1. Call right after jt_init.
 */
void jt_set_tail(struct jtok *t, const char *tail);
/* The next token: its kind, also in tok->kind. JT_ERROR and JT_EOF repeat. */
enum jt_kind jt_next(struct jtok *t, struct jt_token *tok);
/*
 * Skip the value whose first token is tok (a whole list or object when it
 * opens one). Returns 0, or -1 on a syntax error (t->err set).
 */
int jt_skip(struct jtok *t, const struct jt_token *tok);
/*
 * JSON Lines: after a complete document, is another object next, on a line
 * of its own? Then the tokenizer reads it as the next document (1); else
 * nothing changes (0).
 */
int jt_next_document(struct jtok *t);
/* Current nesting depth: 1 inside the root list or object. */
static inline unsigned jt_depth(const struct jtok *t)
{
	return t->depth;
}

/*
 * The string of a JT_KEY or JT_STRING token, escapes decoded to UTF-8, into
 * out (at least tok->len + 1 bytes) NUL-terminated; returns the length up to
 * the first NUL (a \u0000 ends it, as it did). Tokens are checked when read,
 * so decoding cannot fail.
 */
size_t jt_decode(const struct jt_token *tok, char *out);

#endif
