/*
 * Time stats_read over one file and report its peak memory: the reader
 * must stay bounded by epochs x layers however many records there are.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "read/reader.h"
#include "model/stats.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: stats_bench FILE\n");
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct stats *st = NULL;
	struct read_error err;
	if (stats_read(argv[1], &st, &err) != 0) {
		fprintf(stderr, "stats_bench: cannot read '%s': %s\n", argv[1], err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%zu records, %zu epochs, %zu layers: %.2f s (%.0f records/s), peak RSS %ld KiB\n",
	       st->records, st->n_epochs, st->n_layers, s, (double)st->records / s,
	       ru.ru_maxrss);
	stats_free(st);
	return 0;
}
