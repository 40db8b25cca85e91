/*
 * util/escape: every untrusted string escaped for its sink. No control byte
 * reaches a terminal raw; GitHub commands cannot be ended or split; JSON
 * stays valid UTF-8 with no raw DEL or C1 control.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/escape.h"

typedef void (*writer)(FILE *out, const char *s);

static char *capture(writer w, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out);
	w(out, s);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

static void gh_data(FILE *out, const char *s)
{
	gh_fputs(out, s, 0);
}

static void gh_prop(FILE *out, const char *s)
{
	gh_fputs(out, s, 1);
}

START_TEST(terminal_controls_shown)
{
	char *s = term_escape("a\033]52;c;aGk=\007b\033[2J\r\nfake.csv:3: x\t\x7f\x01");
	ck_assert_str_eq(s, "a\\e]52;c;aGk=\\x07b\\e[2J\\r\\nfake.csv:3: x\\t\\x7F\\x01");
	free(s);
	/* C1 CSI (U+009B), a bidi override, invalid UTF-8; é stays. */
	s = term_escape("\xc2\x9b" "2J \xe2\x80\xae \xff\xc3 \xc3\xa9");
	ck_assert_str_eq(s, "\\u009B2J \\u202E \\xFF\\xC3 \xc3\xa9");
	free(s);
	s = term_escape(NULL);
	ck_assert_str_eq(s, "");
	free(s);
	/* Every byte 1..255: nothing below 0x20 and no DEL comes out. */
	char all[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	s = term_escape(all);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p != 0x7f, "raw byte 0x%02x", *p);
	free(s);
}
END_TEST

START_TEST(terminal_keep_tab)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	term_write(out, "a\tb\033c", 5, 1);
	term_write(out, "\0x", 2, 0);
	fclose(out);
	ck_assert_int_eq(len, 11);
	ck_assert_mem_eq(buf, "a\tb\\ec\\x00x", 11);
	free(buf);
}
END_TEST

START_TEST(github_commands)
{
	char *s = capture(gh_data, "50% a:b,c\r\n::error::x\033[2J");
	ck_assert_str_eq(s, "50%25 a:b,c%0D%0A::error::x\\e[2J");
	free(s);
	s = capture(gh_prop, "a:b,c%\n\x07");
	ck_assert_str_eq(s, "a%3Ab%2Cc%25%0A\\x07");
	free(s);
}
END_TEST

static void json_write(FILE *out, const char *s)
{
	json_fputs(out, s);
}

START_TEST(json_controls)
{
	char *s = capture(json_write, "{\"a\x7f\xc2\x85\xc2\xa0\xe2\x81\xa6\": 1}");
	ck_assert_str_eq(s, "{\"a\\u007f\\u0085\xc2\xa0\\u2066\": 1}");
	free(s);
}
END_TEST

static void xml_attr(FILE *out, const char *s)
{
	xmlesc_fputs(out, s, 1);
}

START_TEST(xml_controls)
{
	char *s = capture(xml_attr, "\033\x7f\xc2\x9b<");
	ck_assert_str_eq(s, "\xEF\xBF\xBD&#x7F;&#x9B;&lt;");
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, terminal_controls_shown);
	tcase_add_test(tc, terminal_keep_tab);
	tcase_add_test(tc, github_commands);
	tcase_add_test(tc, json_controls);
	tcase_add_test(tc, xml_controls);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
