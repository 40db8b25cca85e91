/* Point names in rule texts; see wording.h. */
#include "wording.h"

#include <ctype.h>
#include <string.h>

#include "../util/strbuf.h"

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

char *point_wording(const char *text, enum axis axis)
{
	if (!text || axis == AXIS_EPOCH)
		return NULL;
	const char *noun = axis_point_name(axis);	/* "evaluation", "step" */
	struct strbuf out = STRBUF_INIT;
	int changed = 0;
	int in_brace = 0, after_colon = 0;
	for (const char *p = text; *p;) {
		char c = *p;
		if (c == '{') {
			in_brace = 1;
			after_colon = 0;
		} else if (c == '}') {
			in_brace = after_colon = 0;
		} else if (c == ':' && in_brace) {
			after_colon = 1;
		}
		int may = !in_brace || after_colon;
		if (may && (c == 'e' || c == 'E') && (p == text || !word_char(p[-1])) &&
		    strncmp(p + 1, "poch", 4) == 0) {
			size_t n = 5;
			int plural = p[5] == 's';
			if (plural)
				n++;
			if (!word_char(p[n])) {
				strbuf_addc(&out, c == 'E' ? (char)toupper((unsigned char)noun[0])
							 : noun[0]);
				strbuf_adds(&out, noun + 1);
				if (plural)
					strbuf_addc(&out, 's');
				p += n;
				changed = 1;
				continue;
			}
		}
		strbuf_addc(&out, c);
		p++;
	}
	if (!changed) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out);
}
