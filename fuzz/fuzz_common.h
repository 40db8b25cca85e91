/*
 * Shared by the fuzz harnesses: the text checks reader.c makes before a
 * reader sees a buffer (non-empty, no NUL byte, valid UTF-8, no BOM), so
 * that the harnesses that call one reader directly give it exactly what the
 * dispatcher guarantees, and a NUL-terminated private copy of the input.
 */
#ifndef SCRAM_FUZZ_COMMON_H
#define SCRAM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "read/reader.h"
#include "model/run.h"
#include "util/xalloc.h"

/* As main does: cJSON allocates through xmalloc. */
static inline void fuzz_init_cjson(void)
{
	static cJSON_Hooks hooks = { xmalloc, free };
	cJSON_InitHooks(&hooks);
}

/* Is s[0..len) valid UTF-8 (reader.c's own test)? */
static inline int fuzz_valid_utf8(const unsigned char *s, size_t len)
{
	return utf8_invalid_at(s, len) == len;
}

/*
 * A NUL-terminated copy of the input as a reader may receive it, or NULL
 * when the dispatcher would have refused the input before any reader.
 */
static inline char *fuzz_reader_text(const uint8_t *data, size_t size, size_t *len)
{
	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		size -= 3;
	}
	if (size == 0 || memchr(data, '\0', size) || !fuzz_valid_utf8(data, size))
		return NULL;
	char *copy = malloc(size + 1);
	if (!copy)
		return NULL;
	memcpy(copy, data, size);
	copy[size] = '\0';
	*len = size;
	return copy;
}

/*
 * One reader's sniff and read on what the dispatcher would hand it, whatever
 * the sniff says: a reader must not crash on text that is not its format, and
 * on failure must leave the list as it was. The body of fuzz_csv, fuzz_json
 * and fuzz_text.
 */
static inline int fuzz_one_reader(const struct reader *reader, const uint8_t *data,
				  size_t size)
{
	size_t len;
	char *buf = fuzz_reader_text(data, size, &len);
	if (!buf)
		return -1;	/* never a reader's input: keep it out of the corpus */
	(void)reader->sniff(buf, len);
	struct run_list runs = { 0 };
	struct read_error err;
	if (reader->read("fuzz.in", buf, len, &runs, &err) == 0) {
		for (size_t i = 0; i < runs.n; i++) {
			const struct run *r = runs.v[i];
			if (!r || r->n_epochs > r->cap)
				abort();
		}
	} else if (runs.n != 0) {
		abort();
	}
	run_list_release(&runs);
	free(buf);
	return 0;
}

/*
 * A binary reader (tfevents, mlflow-db) on the raw bytes, NUL-terminated as
 * the dispatcher copies them; the same promises as fuzz_one_reader.
 */
static inline int fuzz_one_binary_reader(const struct reader *reader, const uint8_t *data,
					 size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return -1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	(void)reader->sniff(buf, size);
	struct run_list runs = { 0 };
	struct read_error err;
	if (reader->read("fuzz.in", buf, size, &runs, &err) == 0) {
		for (size_t i = 0; i < runs.n; i++) {
			const struct run *r = runs.v[i];
			if (!r || r->n_epochs > r->cap || (r->steps && r->steps->n_epochs > r->steps->cap))
				abort();
		}
	} else if (runs.n != 0) {
		abort();
	}
	run_list_release(&runs);
	free(buf);
	return 0;
}

#endif
