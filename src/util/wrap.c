#include "wrap.h"

#include <string.h>

#include "strbuf.h"

size_t wrap_columns(const char *s, size_t n)
{
	size_t cols = 0;
	for (size_t i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cols;
}

static int is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/*
 * Walk text's lines and call emit once per paragraph (joined) or kept line.
 * kept is 1 for a line kept as it is, 0 for a paragraph, -1 for the blank
 * between paragraphs.
 */
typedef void (*wrap_emit_fn)(void *arg, const char *s, size_t n, int kept);

static void wrap_walk(const char *text, wrap_emit_fn emit, void *arg)
{
	struct strbuf para = STRBUF_INIT;
	int pending_blank = 0, any = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *next = p + n + (nl ? 1 : 0);
		if (n && p[n - 1] == '\r')
			n--;
		if (is_blank(p, n)) {
			if (para.len) {
				emit(arg, strbuf_str(&para), para.len, 0);
				strbuf_reset(&para);
			}
			pending_blank = any;
			p = next;
			continue;
		}
		int keep = *p == ' ' || *p == '\t';
		if (keep && para.len) {
			emit(arg, strbuf_str(&para), para.len, 0);
			strbuf_reset(&para);
		}
		if (pending_blank && !para.len) {
			emit(arg, "", 0, -1);
			pending_blank = 0;
		}
		any = 1;
		if (keep) {
			emit(arg, p, n, 1);
		} else {
			/* Join with one space; keep the words' own spacing. */
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
			if (para.len)
				strbuf_addc(&para, ' ');
			strbuf_add(&para, p, n);
		}
		p = next;
	}
	if (para.len)
		emit(arg, strbuf_str(&para), para.len, 0);
	strbuf_release(&para);
}

struct unfolder {
	struct strbuf out;
	int last_kept;
};

static void unfold_emit(void *arg, const char *s, size_t n, int kept)
{
	struct unfolder *u = arg;
	if (kept < 0)
		return;
	if (u->out.len)
		strbuf_adds(&u->out, kept && u->last_kept ? "\n" : "\n\n");
	strbuf_add(&u->out, s, n);
	u->last_kept = kept;
}

char *wrap_unfold(const char *text)
{
	struct unfolder u = { STRBUF_INIT, 0 };
	wrap_walk(text, unfold_emit, &u);
	return strbuf_detach(&u.out);
}

struct printer {
	FILE *out;
	size_t width;
	const char *pad;
	const char *first;	/* until the first line is printed */
};

static void print_emit(void *arg, const char *s, size_t n, int kept)
{
	struct printer *pr = arg;
	if (kept < 0) {
		fputc('\n', pr->out);
		return;
	}
	const char *lead = pr->first ? pr->first : "";
	pr->first = NULL;
	if (kept) {
		fprintf(pr->out, "%s%s%.*s\n", pr->pad, lead, (int)n, s);
		return;
	}
	size_t padw = wrap_columns(pr->pad, strlen(pr->pad));
	size_t col = padw + wrap_columns(lead, strlen(lead));
	size_t start = col;
	fprintf(pr->out, "%s%s", pr->pad, lead);
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		if (j == i)
			break;
		size_t w = wrap_columns(s + i, j - i);
		if (col > start && col + 1 + w > pr->width) {
			fprintf(pr->out, "\n%s", pr->pad);
			col = start = padw;
		} else if (col > start) {
			fputc(' ', pr->out);
			col++;
		}
		fwrite(s + i, 1, j - i, pr->out);
		col += w;
		i = j;
	}
	fputc('\n', pr->out);
}

void wrap_print(FILE *out, const char *text, size_t width, const char *pad,
		const char *first)
{
	struct printer pr = { out, width, pad, first };
	wrap_walk(text, print_emit, &pr);
}
