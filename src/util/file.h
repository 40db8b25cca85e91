/*
 * Reading a whole file, and the one-line error every reader and loader fills.
 * slurp_file hands the caller a buffer it frees.
 */
#ifndef SCRAM_FILE_H
#define SCRAM_FILE_H

#include <stddef.h>
#include <stdio.h>

struct read_error {
	char msg[512];
};

/* Set the message, prefixed "line N: " when line > 0. */
void read_error_set(struct read_error *err, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Open path for reading ("-" is standard input), refusing at once anything
 * but a regular file: the open is O_NONBLOCK, so a FIFO or a device cannot
 * block it, and fstat decides ("not a regular file"). NULL with err set.
 */
FILE *open_regular(const char *path, struct read_error *err);

/*
 * Read a whole file into memory, NUL-terminated, refusing more than max
 * bytes. 0 on success; -1 with err set (the message names no path).
 */
int slurp_file(const char *path, size_t max, char **buf, size_t *len,
	       struct read_error *err);

#endif
