/*
 * parse_number (util/number.c) against strtod on every numeric field of a
 * file: the same tokens, timed one after the other, and checked to give the
 * same doubles bit for bit.   number_bench FILE
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/number.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: number_bench FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
		return 1;
	buf[size] = '\0';
	fclose(f);
	/* The tokens: runs of number characters after a delimiter. */
	size_t cap = 1 << 20, n = 0;
	size_t *off = malloc(cap * sizeof(size_t)), *len = malloc(cap * sizeof(size_t));
	for (char *p = buf, *start = NULL; ; p++) {
		int num = (*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == '.' ||
			  *p == 'e' || *p == 'E';
		if (num && !start && (p == buf || strchr(",\n :[\t;", p[-1])))
			start = p;
		if (!num && start) {
			if (n == cap) {
				cap *= 2;
				off = realloc(off, cap * sizeof(size_t));
				len = realloc(len, cap * sizeof(size_t));
			}
			off[n] = (size_t)(start - buf);
			len[n++] = (size_t)(p - start);
			start = NULL;
		}
		if (!*p)
			break;
	}
	double *a = calloc(n + 1, sizeof(double)), *b = calloc(n + 1, sizeof(double));
	double t0 = now();
	size_t ok = 0;
	for (size_t i = 0; i < n; i++)
		ok += parse_number(buf + off[i], len[i], &a[i]) == 0;
	double t1 = now();
	for (size_t i = 0; i < n; i++) {
		char tmp[64];
		size_t l = len[i] < 63 ? len[i] : 63;
		memcpy(tmp, buf + off[i], l);
		tmp[l] = '\0';
		b[i] = strtod(tmp, NULL);
	}
	double t2 = now();
	size_t same = 0;
	for (size_t i = 0; i < n; i++)
		same += parse_number(buf + off[i], len[i], &a[i]) == 0 &&
			memcmp(&a[i], &b[i], sizeof(double)) == 0;
	printf("%zu fields: parse_number %.3f s, strtod %.3f s (%.2fx faster), %zu of %zu identical\n",
	       n, t1 - t0, t2 - t1, (t2 - t1) / (t1 - t0), same, ok);
	return 0;
}
