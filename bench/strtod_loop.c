/*
 * The reference the readers are measured against: read a file whole and
 * strtod() every field that starts like a number (CSV cells, JSON values),
 * nothing else. Prints how many and their sum, so nothing is optimized away.
 *   strtod_loop FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: strtod_loop FILE\n");
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
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		perror(argv[1]);
		return 1;
	}
	buf[size] = '\0';
	fclose(f);
	size_t n = 0;
	double sum = 0;
	char *p = buf;
	int at_start = 1;	/* after a delimiter: a field may start here */
	while (*p) {
		char c = *p;
		if (at_start && ((c >= '0' && c <= '9') || c == '-' || c == '.')) {
			char *end;
			double v = strtod(p, &end);
			if (end > p) {
				n++;
				sum += v;
				p = end;
				at_start = 0;
				continue;
			}
		}
		at_start = c == ',' || c == '\n' || c == ' ' || c == ':' || c == '[' || c == '\t' ||
			   c == ';';
		p++;
	}
	printf("%zu numbers, sum %g\n", n, sum);
	free(buf);
	return 0;
}
