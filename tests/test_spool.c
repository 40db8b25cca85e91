/*
 * util/spool.c: a spool copies out exactly what was written to it, whether
 * it stayed in memory or spilled to a temporary file part-way, and a spilled
 * spool takes more text after a copy; where no temporary file can be made
 * it stays in memory and loses nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/spool.h"
#include "testutil.h"

/* Write n numbered lines to s, spilling past limit after each, as the
 * renderers do after each run; the same lines go to ref. */
static void write_lines(struct spool *s, FILE *ref, int from, int n, size_t limit)
{
	for (int i = from; i < from + n; i++) {
		fprintf(s->f, "line %d: %0*d\n", i, i % 97, 0);
		fprintf(ref, "line %d: %0*d\n", i, i % 97, 0);
		spool_spill(s, limit);
	}
}

/* What spool_copy writes, as a string (caller frees), with its length. */
static char *copied(struct spool *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	ck_assert_ptr_nonnull(f);
	spool_copy(s, f);
	fclose(f);
	return buf;
}

static void check_round_trip(size_t limit, int expect_disk)
{
	struct spool s;
	char *want = NULL;
	size_t want_len = 0;
	FILE *ref = open_memstream(&want, &want_len);
	spool_open(&s);
	write_lines(&s, ref, 0, 5000, limit);
	fflush(ref);
	ck_assert_int_eq(s.disk, expect_disk);
	size_t len;
	char *got = copied(&s, &len);
	ck_assert_uint_eq(len, want_len);
	ck_assert(memcmp(got, want, len) == 0);
	free(got);
	/* More text after a copy lands after what was there. */
	write_lines(&s, ref, 5000, 300, limit);
	fflush(ref);
	got = copied(&s, &len);
	ck_assert_uint_eq(len, want_len);
	ck_assert(memcmp(got, want, len) == 0);
	free(got);
	spool_release(&s);
	fclose(ref);
	free(want);
}

START_TEST(stays_in_memory_below_the_limit)
{
	check_round_trip((size_t)1 << 30, 0);
}
END_TEST

START_TEST(spills_past_the_limit)
{
	check_round_trip(4096, 1);
}
END_TEST

START_TEST(no_temporary_folder_stays_in_memory)
{
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", "/nonexistent/scram-check-test", 1);
	check_round_trip(4096, 0);
	if (old) {
		setenv("TMPDIR", old, 1);
		free(old);
	} else {
		unsetenv("TMPDIR");
	}
}
END_TEST

static Suite *spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("spool");
	tcase_add_test(tc, stays_in_memory_below_the_limit);
	tcase_add_test(tc, spills_past_the_limit);
	tcase_add_test(tc, no_temporary_folder_stays_in_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(spool_suite());
}
