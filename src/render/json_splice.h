/*
 * A formatted cJSON document written a piece at a time: the document is
 * printed once with a stand-in for the items of one array, and the items are
 * printed each on its own as it comes, indented as cJSON_Print would have
 * indented them in place. The bytes are those of printing the whole document
 * at once (cJSON_Print's output, through json_fputs).
 *
 * The caller holds the struct; json_splice_release frees it.
 */
#ifndef SCRAM_JSON_SPLICE_H
#define SCRAM_JSON_SPLICE_H

#include <stdio.h>

#include <cjson/cJSON.h>

struct json_splice {
	char *text;		/* the document with the stand-in */
	size_t at;		/* where the stand-in is in text */
	int depth;		/* tabs before each line of an item */
	size_t n_items;
};

/* Print doc with a stand-in appended to array (an empty array of doc); the
 * stand-in is taken out of doc again. */
void json_splice_init(struct json_splice *js, cJSON *doc, cJSON *array);
/* Write the document up to the array's first item. */
void json_splice_head(const struct json_splice *js, FILE *out);
/* Write an item as it stands in the array, without the separator before it;
 * item stays the caller's. Changes nothing in js: any thread may draw. */
void json_splice_draw(const struct json_splice *js, FILE *to, const cJSON *item);
/* Write the separator before the next item, if it is not the first. */
void json_splice_next(struct json_splice *js, FILE *out);
/* Write the rest of the document after the array's last item. */
void json_splice_tail(const struct json_splice *js, FILE *out);
void json_splice_release(struct json_splice *js);

#endif
