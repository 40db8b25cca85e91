#include "file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "utf8.h"
#include "xalloc.h"

void read_error_set(struct read_error *err, long line, const char *fmt, ...)
{
	size_t off = 0;
	if (line > 0) {
		int n = snprintf(err->msg, sizeof(err->msg), "line %ld: ", line);
		off = n > 0 ? (size_t)n : 0;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg + off, sizeof(err->msg) - off, fmt, ap);
	va_end(ap);
	/* A message cut at the buffer's end is cut between characters. */
	err->msg[utf8_prefix(err->msg, strlen(err->msg))] = '\0';
}

FILE *open_regular(const char *path, struct read_error *err)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		read_error_set(err, 0, "%s", S_ISDIR(st.st_mode) ? "is a folder, not a file"
							       : "not a regular file");
		return NULL;
	}
	FILE *f = NULL;
	if (fd >= 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0)
		f = fdopen(fd, "rb");
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		char msg[128];
		snprintf(msg, sizeof(msg), "%s", strerror(e));
		msg[0] = (char)tolower((unsigned char)msg[0]);
		read_error_set(err, 0, "cannot open: %s", msg);
	}
	return f;
}

int slurp_file(const char *path, size_t max, char **buf, size_t *len,
	       struct read_error *err)
{
	FILE *f = open_regular(path, err);
	if (!f)
		return -1;
	/* A file known to be too large is refused before anything is read; a
	 * pipe or device is read to one byte past the limit, never more. */
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size > (uintmax_t)max) {
		if (f != stdin)
			fclose(f);
		read_error_set(err, 0, "file is larger than %zu MiB; not a training history",
			       max >> 20);
		return -1;
	}
	size_t cap = 65536, n = 0;
	char *b = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				read_error_set(err, 0,
					       "file is larger than %zu MiB; not a training history",
					       max >> 20);
				goto fail;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2;
			b = xrealloc(b, cap + 1);
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				read_error_set(err, 0, "%s", strerror(errno ? errno : EIO));
				goto fail;
			}
			break;
		}
	}
	if (n > max) {
		read_error_set(err, 0, "file is larger than %zu MiB; not a training history",
			       max >> 20);
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
fail:
	if (f != stdin)
		fclose(f);
	free(b);
	return -1;
}
