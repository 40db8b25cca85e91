#include "json_splice.h"

#include <stdlib.h>
#include <string.h>

#include "../util/escape.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"

/* cJSON escapes control bytes in strings: this one can only be the stand-in. */
#define STAND_IN "\x01"

static char *print_or_die(const cJSON *item)
{
	char *text = cJSON_Print(item);
	if (!text) {
		/* cJSON fails only when malloc does; say so as xmalloc would. */
		fputs("scram-check: out of memory\n", stderr);
		exit(2);
	}
	return text;
}

void json_splice_init(struct json_splice *js, cJSON *doc, cJSON *array)
{
	memset(js, 0, sizeof(*js));
	cJSON *mark = cJSON_CreateRaw(STAND_IN);
	cJSON_AddItemToArray(array, mark);
	js->text = print_or_die(doc);
	cJSON_Delete(cJSON_DetachItemFromArray(array, cJSON_GetArraySize(array) - 1));
	js->at = (size_t)(strchr(js->text, STAND_IN[0]) - js->text);
	/* The array's items are one level deeper than the line it opens on. */
	size_t line = js->at;
	while (line > 0 && js->text[line - 1] != '\n')
		line--;
	while (js->text[line + (size_t)js->depth] == '\t')
		js->depth++;
	js->depth++;
}

void json_splice_head(const struct json_splice *js, FILE *out)
{
	char *head = xstrndup(js->text, js->at);
	json_fputs(out, head);
	free(head);
}

void json_splice_draw(const struct json_splice *js, FILE *to, const cJSON *item)
{
	char *text = print_or_die(item);
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = text; *p; p++) {
		strbuf_addc(&sb, *p);
		if (*p == '\n')
			for (int i = 0; i < js->depth; i++)
				strbuf_addc(&sb, '\t');
	}
	json_fputs(to, strbuf_str(&sb));
	strbuf_release(&sb);
	free(text);
}

void json_splice_next(struct json_splice *js, FILE *out)
{
	if (js->n_items++)
		fputs(", ", out);
}

void json_splice_tail(const struct json_splice *js, FILE *out)
{
	json_fputs(out, js->text + js->at + 1);
}

void json_splice_release(struct json_splice *js)
{
	free(js->text);
	memset(js, 0, sizeof(*js));
}
