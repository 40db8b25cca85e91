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
 * bytes ("file is larger than N MiB"; what a format that is not streamed can
 * hold). 0 on success; -1 with err set (the message names no path).
 */
int slurp_file(const char *path, size_t max, char **buf, size_t *len,
	       struct read_error *err);

/*
 * A whole file as one read-only buffer of len bytes followed by a NUL byte,
 * without a copy: a regular file of 1 MiB or more is mapped (MAP_PRIVATE)
 * over a reservation one byte longer, so the NUL follows even when the size
 * is a multiple of the page size. Smaller files (a mapping costs more than
 * their copy), standard input ("-") and files whose size fstat does not tell
 * (/proc) are read into memory instead. file_map_close releases it.
 */
struct file_map {
	const char *buf;	/* len bytes, then buf[len] == '\0' */
	size_t len;
	void *base;		/* the mapping, or NULL */
	size_t size;		/* its length */
	char *copy;		/* the buffer read into memory, or NULL */
};

/* Files of at least this size are mapped; smaller ones are read. */
#define FILE_MAP_MIN_BYTES ((size_t)1 << 20)

/* What a pipe on standard input (or a file of no size, as in /proc) may
 * bring: its bytes are copied. */
#define FILE_PIPE_MAX_BYTES ((size_t)256 << 20)

/* 0, or -1 with err set (the message names no path). No size cap but a
 * pipe's. */
int file_map_open(const char *path, struct file_map *map, struct read_error *err);
void file_map_close(struct file_map *map);

/*
 * A reader done with buf[0..off): give the mapped pages there back to the
 * system, so a history of any size costs memory only for what is parsed.
 * Cheap to call on every row: it acts once per MiB, and only on the
 * buffer of the file_map_open'ed on this thread (a malloc'ed buffer is left
 * alone). buf may be read again: the pages come back from the file.
 */
void file_release_before(const char *buf, size_t off);

/*
 * fn(arg) over a mapped file, guarded: a file that shrinks while it is read
 * (a running program rewriting it) raises SIGBUS on the pages past its new
 * end; the guard turns that into a return of -2, with err set, instead of a
 * crash. Whatever fn had allocated is left behind (it may be half built).
 * Otherwise fn's own return value.
 */
int file_map_guard(int (*fn)(void *arg), void *arg, struct read_error *err);

#endif
