#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_number(const char *s, size_t len, double *out)
{
	char tmp[64];
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	const char *p = tmp;
	int neg = 0;
	if (*p == '-' || *p == '+') {
		neg = *p == '-';
		p++;
	}
	if (*p == 'n' || *p == 'N' || *p == 'i' || *p == 'I') {
		if (strcasecmp(p, "nan") == 0) {
			*out = NAN;
			return 0;
		}
		if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0) {
			*out = neg ? -INFINITY : INFINITY;
			return 0;
		}
		return -1;
	}
	/* strtod also takes hex floats and "nan(...)"; histories never write them. */
	for (const char *q = p; *q; q++)
		if (!((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
		      *q == '+' || *q == '-'))
			return -1;
	char *end;
	errno = 0;
	double v = strtod(tmp, &end);
	if (end == tmp || *end != '\0')
		return -1;
	*out = v;
	return 0;
}
