#include "file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* "cannot open: no such file or directory" */
static void open_failed(struct read_error *err, int e)
{
	char msg[128];
	snprintf(msg, sizeof(msg), "%s", strerror(e));
	msg[0] = (char)tolower((unsigned char)msg[0]);
	read_error_set(err, 0, "cannot open: %s", msg);
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
		open_failed(err, e);
	}
	return f;
}

static void too_large(struct read_error *err, size_t max)
{
	read_error_set(err, 0, "file is larger than %zu MiB, the most read of such a file",
		       max >> 20);
}

/* A full read buffer b of *cap bytes (and one for the NUL) doubled, up to
 * max + 1 (one byte past the limit tells a file too large); -1 with err
 * set when it already holds more than max. */
static int read_room(char **b, size_t *cap, size_t max, struct read_error *err)
{
	if (*cap > max) {
		too_large(err, max);
		return -1;
	}
	*cap = *cap > max / 2 ? max + 1 : *cap * 2;
	*b = xrealloc(*b, *cap + 1);
	return 0;
}

/*
 * slurp_file of a regular file through a bare descriptor: no stdio stream
 * (its fcntl calls, its extra fstat calls and its 4 KiB buffer) and a
 * buffer of the file's size. Read to the end all the same, as a file that
 * grows meanwhile is. 1 when fd is no regular file (closed: the stream
 * path below says why), else 0 or -1 as slurp_file.
 */
static int slurp_regular(int fd, size_t max, char **buf, size_t *len, struct read_error *err)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 1;
	}
	if (st.st_size > 0 && (uintmax_t)st.st_size > (uintmax_t)max) {
		close(fd);
		too_large(err, max);
		return -1;
	}
	/* The size and one byte more, so that the read that finds the end
	 * needs no second buffer; at least what the stream path starts with
	 * when fstat tells no size (/proc). */
	size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 65536, n = 0;
	char *b = xmalloc(cap + 1);
	for (;;) {
		if (n == cap && read_room(&b, &cap, max, err))
			goto fail;
		ssize_t got = read(fd, b + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			read_error_set(err, 0, "%s", strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max) {
		too_large(err, max);
		goto fail;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
fail:
	close(fd);
	free(b);
	return -1;
}

int slurp_file(const char *path, size_t max, char **buf, size_t *len,
	       struct read_error *err)
{
	if (strcmp(path, "-") != 0) {
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			open_failed(err, errno);	/* as open_regular says it */
			return -1;
		}
		int rc = slurp_regular(fd, max, buf, len, err);
		if (rc <= 0)
			return rc;
	}
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
		too_large(err, max);
		return -1;
	}
	size_t cap = 65536, n = 0;
	char *b = xmalloc(cap + 1);
	for (;;) {
		if (n == cap && read_room(&b, &cap, max, err))
			goto fail;
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
		too_large(err, max);
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

/* Bytes given back at once: few system calls, little memory. */
#define RELEASE_STEP ((size_t)1 << 20)

/* The mappings open on this thread (a reader may open one while another is). */
static _Thread_local struct mapped {
	const char *start, *end;	/* the file's bytes */
	const char *released;		/* given back up to here */
} mapped[4];
static _Thread_local size_t n_mapped;

/* Close what file_map_open opened: a stream (standard input, a file that
 * is no regular one) or a bare descriptor. */
static void close_opened(FILE *f, int fd)
{
	if (f && f != stdin)
		fclose(f);
	else if (!f)
		close(fd);
}

int file_map_open(const char *path, struct file_map *map, struct read_error *err)
{
	memset(map, 0, sizeof(*map));
	/*
	 * A regular file (what a folder audit opens a thousand times) takes a
	 * bare descriptor: open and fstat, no stdio stream and no fcntl to
	 * clear O_NONBLOCK, which regular files ignore. Anything else, and
	 * every error, goes through open_regular as before: it says why.
	 */
	struct stat st;
	FILE *f = NULL;
	int fd = -1;
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		f = open_regular(path, err);
		if (!f)
			return -1;
		fd = fileno(f);
		if (fstat(fd, &st) != 0)
			st.st_mode = 0;		/* read below, as a pipe is */
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uintmax_t)st.st_size >= SIZE_MAX / 2 ||
	    (f == stdin && lseek(fd, 0, SEEK_CUR) != 0)) {
		/* A pipe on standard input, an empty file, or /proc's files of
		 * size 0: read them, up to a limit (their copy is memory). */
		if (f != stdin)
			close_opened(f, fd);
		char *b;
		size_t n;
		if (slurp_file(path, FILE_PIPE_MAX_BYTES, &b, &n, err)) {
			if (f == stdin && strncmp(err->msg, "file is larger", 14) == 0)
				read_error_set(err, 0, "more than %zu MiB on standard input, the most "
					       "read from a pipe; name the file instead",
					       (size_t)FILE_PIPE_MAX_BYTES >> 20);
			return -1;
		}
		map->buf = map->copy = b;
		map->len = n;
		return 0;
	}
	size_t len = (size_t)st.st_size;
	if (len < FILE_MAP_MIN_BYTES) {
		/* A small file is read: a mapping costs more than the copy
		 * (mmap, munmap and its TLB shootdown across the threads of
		 * an audit), and a read buffer cannot raise SIGBUS. A file
		 * that shrinks meanwhile is read as far as it goes. */
		char *b = xmalloc(len + 1);
		size_t n = 0;
		while (n < len) {
			ssize_t got = read(fd, b + n, len - n);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				int e = errno;
				free(b);
				close_opened(f, fd);
				read_error_set(err, 0, "cannot read the file: %s", strerror(e));
				return -1;
			}
			if (got == 0)
				break;
			n += (size_t)got;
		}
		close_opened(f, fd);
		b[n] = '\0';
		map->buf = map->copy = b;
		map->len = n;
		return 0;
	}
	long page = sysconf(_SC_PAGESIZE);
	size_t psz = page > 0 ? (size_t)page : 4096;
	size_t size = (len + 1 + psz - 1) / psz * psz;
	/* Reserve len + 1 bytes of zeros, then map the file over their start. */
	void *base = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base != MAP_FAILED &&
	    mmap(base, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(base, size);
		base = MAP_FAILED;
	}
	int e = errno;
	close_opened(f, fd);
	if (base == MAP_FAILED) {
		read_error_set(err, 0, "cannot map the file: %s", strerror(e));
		return -1;
	}
	madvise(base, len, MADV_SEQUENTIAL);
	map->buf = base;
	map->len = len;
	map->base = base;
	map->size = size;
	if (n_mapped < sizeof(mapped) / sizeof(mapped[0]))
		mapped[n_mapped++] = (struct mapped){ base, (const char *)base + len, base };
	return 0;
}

void file_map_close(struct file_map *map)
{
	if (map->base) {
		for (size_t i = 0; i < n_mapped; i++)
			if (mapped[i].start == map->base) {
				mapped[i] = mapped[--n_mapped];
				break;
			}
		munmap(map->base, map->size);
	}
	free(map->copy);
	memset(map, 0, sizeof(*map));
}

void file_release_before(const char *buf, size_t off)
{
	const char *at = buf + off;
	for (size_t i = 0; i < n_mapped; i++) {
		struct mapped *m = &mapped[i];
		if (at < m->start || at > m->end)
			continue;
		/* A small file's pages are not worth a system call (and the
		 * next pass over them would fault them in again). */
		if ((size_t)(m->end - m->start) < RELEASE_STEP)
			return;
		if (at < m->released)	/* another pass from the start */
			m->released = m->start;
		if ((size_t)(at - m->released) < RELEASE_STEP && at != m->end)
			return;
		long page = sysconf(_SC_PAGESIZE);
		uintptr_t mask = (uintptr_t)(page > 0 ? page : 4096) - 1;
		uintptr_t from = (uintptr_t)m->released & ~mask;
		uintptr_t to = (uintptr_t)at & ~mask;
		if (to > from)
			madvise((void *)from, to - from, MADV_DONTNEED);
		m->released = at;
		return;
	}
}

static _Thread_local sigjmp_buf *bus_env;
static pthread_once_t bus_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig)
{
	if (bus_env)
		siglongjmp(*bus_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void bus_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

int file_map_guard(int (*fn)(void *arg), void *arg, struct read_error *err)
{
	pthread_once(&bus_once, bus_install);
	sigjmp_buf env;
	sigjmp_buf *outer = bus_env;
	int rc;
	if (sigsetjmp(env, 1) == 0) {
		bus_env = &env;
		rc = fn(arg);
	} else {
		read_error_set(err, 0, "the file shrank while it was read (is a program "
			       "rewriting it?); read it again once it is complete");
		rc = -2;
	}
	bus_env = outer;
	return rc;
}
