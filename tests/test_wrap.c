/*
 * Reflowing rule prose (util/wrap.c) and the project configuration's pieces
 * that need no process (cli/config.c): paragraphs unfolded for machine
 * formats and folded to a width for people; --exclude globs; INI loading.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/config.h"
#include "util/wrap.h"
#include "testutil.h"

static char *printed(const char *text, size_t width, const char *pad, const char *first)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	wrap_print(f, text, width, pad, first);
	fclose(f);
	return buf;
}

START_TEST(unfold_joins_lines_keeps_paragraphs)
{
	char *u = wrap_unfold("One two\nthree.  \n\n\nFour\nfive.\n    code()\n    more()\nSix.");
	ck_assert_str_eq(u, "One two three.\n\nFour five.\n\n    code()\n    more()\n\nSix.");
	free(u);
	u = wrap_unfold("");
	ck_assert_str_eq(u, "");
	free(u);
	u = wrap_unfold("\n\nx\r\ny\r\n\n");
	ck_assert_str_eq(u, "x y");
	free(u);
}
END_TEST

START_TEST(print_folds_at_width)
{
	char *s = printed("aaa bbb ccc\nddd eee", 11, "  ", NULL);
	ck_assert_str_eq(s, "  aaa bbb\n  ccc ddd\n  eee\n");
	free(s);
	/* The first line carries its lead; later lines only the pad. */
	s = printed("aaa bbb ccc ddd", 12, "  ", "Fix: ");
	ck_assert_str_eq(s, "  Fix: aaa\n  bbb ccc\n  ddd\n");
	free(s);
	/* A word longer than the line stands alone, never cut. */
	s = printed("a verylongwordindeed b", 8, "", NULL);
	ck_assert_str_eq(s, "a\nverylongwordindeed\nb\n");
	free(s);
	/* A paragraph break stays a blank line; kept lines are not folded. */
	s = printed("x y\n\n  z z z z z z z z", 4, "", NULL);
	ck_assert_str_eq(s, "x y\n\n  z z z z z z z z\n");
	free(s);
}
END_TEST

START_TEST(print_counts_characters_not_bytes)
{
	/* "é" is two bytes, one column: "éé éé" fits in 5 columns. */
	char *s = printed("\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9 x", 5, "", NULL);
	ck_assert_str_eq(s, "\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\nx\n");
	free(s);
	ck_assert_uint_eq(wrap_columns("\xc3\xa9t\xe2\x82\xac", 6), 3);
}
END_TEST

START_TEST(exclude_globs)
{
	ck_assert(config_exclude_match("scratch", "runs/scratch/a.csv"));
	ck_assert(config_exclude_match("scratch", "./scratch"));
	ck_assert(!config_exclude_match("scratch", "runs/scratchpad/a.csv"));
	ck_assert(config_exclude_match("*.log", "runs/x/train.log"));
	ck_assert(config_exclude_match("old/run-*", "a/old/run-3/h.csv"));
	ck_assert(!config_exclude_match("old/run-*", "a/old/x/run-3.csv"));
	ck_assert(config_exclude_match("runs/*/h.csv", "/abs/runs/a/h.csv"));
	ck_assert(!config_exclude_match("*.csv", "runs/a.json"));
}
END_TEST

START_TEST(config_entries_and_lines)
{
	char dir[] = "/tmp/scram-wrap-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/.scram-check", dir);
	FILE *f = fopen(path, "w");
	fputs("# c\nfail-on = error\n\n[scram-check]\ndisable = a,b ; why\nrules = r\nrecursive = no\n", f);
	fclose(f);
	struct config cfg;
	char err[512];
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(cfg.n, 3);
	ck_assert_str_eq(cfg.arg[0], "--fail-on=error");
	ck_assert_int_eq(cfg.line[0], 2);
	ck_assert_str_eq(cfg.arg[1], "--disable=a,b");
	ck_assert_int_eq(cfg.line[1], 5);
	char want[128];
	snprintf(want, sizeof(want), "--rules=%s/r", dir);
	ck_assert_str_eq(cfg.arg[2], want);
	config_release(&cfg);
	/* Found from a file below it; not found with none above. */
	char *note = NULL;
	char sub[96];
	snprintf(sub, sizeof(sub), "%s/h.csv", dir);
	char *paths[] = { sub };
	char *found = config_find(paths, 1, &note);
	ck_assert_ptr_nonnull(found);
	ck_assert(strstr(found, "/.scram-check") != NULL);
	ck_assert_ptr_null(note);
	free(found);
	f = fopen(path, "w");
	fputs("fail-on = error\nnot ini at all\n", f);
	fclose(f);
	ck_assert_int_eq(config_load(&cfg, path, err, sizeof(err)), -1);
	ck_assert(strstr(err, "line 2:") != NULL);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *wrap_suite(void)
{
	Suite *s = suite_create("wrap");
	TCase *tc = tcase_create("wrap");
	tcase_add_test(tc, unfold_joins_lines_keeps_paragraphs);
	tcase_add_test(tc, print_folds_at_width);
	tcase_add_test(tc, print_counts_characters_not_bytes);
	tcase_add_test(tc, exclude_globs);
	tcase_add_test(tc, config_entries_and_lines);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(wrap_suite());
}
