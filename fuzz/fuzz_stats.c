/*
 * libFuzzer harness: stats_read streams from a path, so the input is
 * written to a memory file (memfd) and read back through /proc/self/fd/N;
 * then stats_match against a few history lengths and stats_free.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "read/reader.h"
#include "model/stats.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_cjson();
	fd = memfd_create("fuzz-stats", 0);
	if (fd < 0) {
		perror("fuzz_stats: memfd_create");
		exit(1);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	for (size_t off = 0; off < size;) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	struct stats *st = NULL;
	struct read_error err;
	if (stats_read(path, &st, &err) == 0) {
		if (!st)
			abort();
		char msg[512];
		static const size_t lengths[] = { 0, 1, 3, 1000 };
		for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
			(void)stats_match(st, lengths[i], msg, sizeof(msg));
		for (size_t e = 0; e < st->n_epochs && e < 4; e++) {
			for (int k = 0; k < ISTAT_COUNT; k++)
				(void)stats_input(st, e, (enum input_stat)k);
			for (size_t l = 0; l < st->n_layers && l < 4; l++)
				for (int k = 0; k < LSTAT_COUNT; k++)
					(void)stats_layer(st, e, l, (enum layer_stat)k);
		}
		stats_free(st);
	} else if (!memchr(err.msg, '\0', sizeof(err.msg))) {
		abort();
	}
	return 0;
}
