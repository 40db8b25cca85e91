/* The rule-file parser: accepted files, every error with its line, --set/--enable,
 * placeholder expansion and number formatting. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "engine/causes.h"
#include "engine/rules.h"
#include "engine/wording.h"

#define HEAD "id: nan-loss\ndetector: nan-loss\nseverity: error\n"
#define BODY "[message]\nm\n[why]\nw\n[fix]\nf\n[snippet]\ns\n"

static int parse(const char *text, char *err, size_t len)
{
	struct rule r;
	int rc = rule_parse(&r, "x.rule", text, err, len);
	rule_release(&r);
	return rc;
}

static void expect_error(const char *text, const char *want)
{
	char err[512] = "";
	ck_assert_int_eq(parse(text, err, sizeof(err)), -1);
	ck_assert_str_eq(err, want);
}

START_TEST(test_minimal)
{
	struct rule r;
	char err[256];
	ck_assert_int_eq(rule_parse(&r, "x.rule",
				    "# comment\n" HEAD "title: t {series}\n\n[message]\n\n  line one\nline two\n\n"
				    "[message first]\nfirst {epoch}\n[why]\nw\n[fix]\nf\n[snippet]\nd = {'a': 1}\n"
				    "[snippet pytorch]\np\n",
				    err, sizeof(err)), 0);
	ck_assert_str_eq(r.id, "nan-loss");
	ck_assert_int_eq(r.severity, SEV_ERROR);
	ck_assert_int_eq(r.enabled, 1);
	ck_assert_str_eq(rule_section(&r, "message", NULL), "  line one\nline two");
	ck_assert_str_eq(rule_section(&r, "message", "first"), "first {epoch}");
	ck_assert_str_eq(rule_section(&r, "message", "other"), "  line one\nline two");
	ck_assert_str_eq(rule_section(&r, "snippet", "pytorch"), "p");
	ck_assert_ptr_null(rule_section(&r, "nothing", NULL));
	struct values v = { 0 };
	values_word(&v, "series", "val_loss");
	char *t = rule_expand(&r, r.title, &v, NULL);
	ck_assert_str_eq(t, "t val_loss");
	free(t);
	/* Snippets keep code braces. */
	t = rule_expand(&r, rule_section(&r, "snippet", NULL), &v, NULL);
	ck_assert_str_eq(t, "d = {'a': 1}");
	free(t);
	/* Counted nouns agree with the number. */
	values_num(&v, "epoch", 1);
	t = rule_expand(&r, "in {epoch:epoch} and {epoch:class}", &v, NULL);
	ck_assert_str_eq(t, "in 1 epoch and 1 class");
	free(t);
	values_num(&v, "epoch", 12);
	t = rule_expand(&r, "in {epoch:epoch} and {epoch:class}", &v, NULL);
	ck_assert_str_eq(t, "in 12 epochs and 12 classes");
	free(t);
	/* A known key the finding did not report. */
	t = rule_expand(&r, "was {last_finite}", &v, NULL);
	ck_assert_str_eq(t, "was n/a");
	free(t);
	rule_release(&r);
}
END_TEST

START_TEST(test_errors)
{
	expect_error(HEAD "title: t\n" BODY "[because]\nx\n",
		     "x.rule:13: unknown section [because]; sections are [message], [why], [fix], [snippet]");
	expect_error("id: nan-loss\ndetector: nan-loss\nseverity: fatal\n",
		     "x.rule:3: severity 'fatal' is not error, warning or info");
	expect_error(HEAD "title: t\ncolour: red\n" BODY,
		     "x.rule:5: unknown key 'colour' (id, detector, severity, enabled, source, reads, judgment, values, title, summary, param)");
	expect_error(HEAD "title: t\n" "[message]\nsaw {nonsense}\n[why]\nw\n[fix]\nf\n[snippet]\ns\n",
		     "x.rule:6: unknown placeholder {nonsense}: detector 'nan-loss' reports no such value");
	expect_error(HEAD "title: t\n[message]\nm\n[why]\nw\n[snippet]\ns\n",
		     "x.rule: missing section [fix]");
	expect_error(HEAD BODY, "x.rule: missing 'title:'");
	expect_error("id: Nan\ndetector: nan-loss\nseverity: error\ntitle: t\n" BODY,
		     "x.rule: id 'Nan' is not lowercase kebab-case");
	expect_error("id: x\ndetector: nope\nseverity: error\ntitle: t\n" BODY,
		     "x.rule: unknown detector 'nope'");
	expect_error(HEAD "title: t\nparam: zeta = 1\n" BODY,
		     "x.rule:5: detector 'nan-loss' has no parameter 'zeta'");
	expect_error(HEAD "title: t\njudgment: 1.5\n" BODY,
		     "x.rule:5: judgment is a fraction of the run in [0, 1], not '1.5'");
	expect_error(HEAD "title: t\ntitle: u\n" BODY, "x.rule:5: 'title' given twice");
	expect_error(HEAD "title: t\n" BODY "[why]\nagain\n", "x.rule:13: section [why] given twice");
	expect_error(HEAD "just words\n", "x.rule:4: expected 'key: value' or a [section]");
	expect_error(HEAD "title: t\n[message] extra\n", "x.rule:5: a section header is '[name]' alone on its line");
	/* Inside a section, a line starting with '[' that is no header is text. */
	char err[256];
	ck_assert_int_eq(parse(HEAD "title: t\n[message]\n[0, 1] range\n[why]\nw\n[fix]\nf\n"
			       "[snippet]\n[x for x in y]\n", err, sizeof(err)), 0);
	expect_error(HEAD "title: {oops\n" BODY,
		     "x.rule: '{' does not start a placeholder {name} or {name:noun}");
	expect_error(HEAD "title: {epoch:}\n" BODY,
		     "x.rule: '{' does not start a placeholder {name} or {name:noun}");
}
END_TEST

/* Every rule the cause relations name is a built-in rule: a misspelt id
 * (step-diverging-loss for diverging-step-loss) silently links nothing. */
START_TEST(test_causes_name_real_rules)
{
	struct ruleset set;
	char err[512];
	ck_assert_msg(ruleset_load_dir(&set, "rules", err, sizeof(err)) == 0, "%s", err);
	size_t i = 0;
	for (const char *id; (id = causes_rule_id(i)); i++)
		ck_assert_msg(ruleset_find(&set, id), "causes.c names '%s', not a rule", id);
	ck_assert_uint_gt(i, 20);
	ruleset_release(&set);
}
END_TEST

START_TEST(test_load_dir_and_set)
{
	struct ruleset set;
	char err[512];
	ck_assert_msg(ruleset_load_dir(&set, "rules", err, sizeof(err)) == 0, "%s", err);
	ck_assert_ptr_nonnull(ruleset_find(&set, "nan-loss"));
	for (size_t i = 1; i < set.n; i++)
		ck_assert_int_lt(strcmp(set.v[i - 1].id, set.v[i].id), 0);
	ck_assert_int_eq(ruleset_enable(&set, "nan-loss", 0, err, sizeof(err)), 0);
	ck_assert_int_eq(ruleset_find(&set, "nan-loss")->enabled, 0);
	ck_assert_int_eq(ruleset_enable(&set, "all", 1, err, sizeof(err)), 0);
	ck_assert_int_eq(ruleset_find(&set, "nan-loss")->enabled, 1);
	ck_assert_int_eq(ruleset_enable(&set, "nan-loss,bogus", 0, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown rule 'bogus' (see --list-rules)");
	ck_assert_int_eq(ruleset_set_param(&set, "bogus.x=1", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--set bogus.x=1: unknown rule 'bogus' (see --list-rules)");
	ck_assert_int_eq(ruleset_set_param(&set, "nan-loss", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--set takes ID.PARAM=VALUE, not 'nan-loss'");
	ck_assert_int_eq(ruleset_set_param(&set, "nan-loss.x=1", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--set nan-loss.x=1: rule 'nan-loss' has no parameter 'x' (it has: none)");
	ruleset_release(&set);
	ck_assert_int_eq(ruleset_load_dir(&set, "no/such/dir", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "cannot open rules folder 'no/such/dir': No such file or directory");
}
END_TEST

START_TEST(test_format_number)
{
	char b[64];
	ck_assert_str_eq(format_number(0.412, b, sizeof(b)), "0.412");
	ck_assert_str_eq(format_number(37, b, sizeof(b)), "37");
	ck_assert_str_eq(format_number(1e-4, b, sizeof(b)), "0.0001");
	ck_assert_str_eq(format_number(1e-5, b, sizeof(b)), "1e-5");
	ck_assert_str_eq(format_number(0.91234567, b, sizeof(b)), "0.9123");
	ck_assert_str_eq(format_number(-2.5e12 + 0.5, b, sizeof(b)), "-2.5e12");
	ck_assert_str_eq(format_number(NAN, b, sizeof(b)), "NaN");
	ck_assert_str_eq(format_number(-INFINITY, b, sizeof(b)), "-Infinity");
	ck_assert_str_eq(format_number(1e300, b, sizeof(b)), "1e300");
}
END_TEST

START_TEST(test_severity)
{
	ck_assert_int_eq(severity_parse("warning", 0), SEV_WARNING);
	ck_assert_int_eq(severity_parse("none", 0), -1);
	ck_assert_int_eq(severity_parse("none", 1), SEV_NONE);
	ck_assert_str_eq(severity_name(SEV_INFO), "info");
}
END_TEST

/* A scratch rules folder holding one file name with the given text. */
static char *scratch_rules(const char *name, const char *text, size_t len)
{
	char tmpl[] = "/tmp/scram-rules-XXXXXX";
	char *dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	dir = strdup(dir);
	if (name) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		FILE *f = fopen(path, "wb");
		ck_assert_ptr_nonnull(f);
		fwrite(text, 1, len, f);
		fclose(f);
	}
	return dir;
}

static void remove_scratch(char *dir)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(dir);
}

/* Issue 14 item 15: no .rule file was qsort(NULL, 0); now an error. */
START_TEST(test_load_empty_dir)
{
	struct ruleset set;
	char err[512];
	char *dir = scratch_rules(NULL, NULL, 0);
	ck_assert_int_eq(ruleset_load_dir(&set, dir, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no *.rule files in"));
	remove_scratch(dir);
}
END_TEST

/* Issue 14 item 10: rule files must be UTF-8, without control bytes. */
START_TEST(test_load_latin1_and_controls)
{
	struct ruleset set;
	char err[512], want[600];
	const char latin1[] = HEAD "title: caf\xe9\n" BODY;
	char *dir = scratch_rules("nan-loss.rule", latin1, sizeof(latin1) - 1);
	ck_assert_int_eq(ruleset_load_dir(&set, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/nan-loss.rule:4: invalid UTF-8 (byte 0xE9)", dir);
	ck_assert_str_eq(err, want);
	remove_scratch(dir);
	const char esc[] = HEAD BODY "\x1b]52;c;aGk=\x07\n";
	dir = scratch_rules("nan-loss.rule", esc, sizeof(esc) - 1);
	ck_assert_int_eq(ruleset_load_dir(&set, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/nan-loss.rule:12: control character 0x1B", dir);
	ck_assert_str_eq(err, want);
	remove_scratch(dir);
	const char c1[] = HEAD "title: a\xc2\x9b" "2J\n" BODY;
	dir = scratch_rules("nan-loss.rule", c1, sizeof(c1) - 1);
	ck_assert_int_eq(ruleset_load_dir(&set, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/nan-loss.rule:4: control character 0x9B", dir);
	ck_assert_str_eq(err, want);
	remove_scratch(dir);
}
END_TEST

/* Issue 14 item 21: a rule file over 1 MiB is not "a training history". */
START_TEST(test_load_too_large)
{
	struct ruleset set;
	char err[512], want[600];
	size_t n = ((size_t)1 << 20) + 10;
	char *big = malloc(n);
	memset(big, '#', n);
	char *dir = scratch_rules("nan-loss.rule", big, n);
	free(big);
	ck_assert_int_eq(ruleset_load_dir(&set, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/nan-loss.rule: larger than 1 MiB; not a rule file", dir);
	ck_assert_str_eq(err, want);
	remove_scratch(dir);
}
END_TEST

/* Issue 14 item 6: a FIFO named x.rule is refused at once, not read. */
START_TEST(test_load_fifo)
{
	struct ruleset set;
	char err[512], want[600], path[300];
	char *dir = scratch_rules(NULL, NULL, 0);
	snprintf(path, sizeof(path), "%s/nan-loss.rule", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(ruleset_load_dir(&set, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);
	remove_scratch(dir);
}
END_TEST

/* Issue 14 item 18: count parameters take whole numbers. */
START_TEST(test_set_count_param)
{
	struct ruleset set;
	char err[512];
	ck_assert_msg(ruleset_load_dir(&set, "rules", err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ruleset_set_param(&set, "overfitting.sustain=2.5", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--set overfitting.sustain=2.5: parameter 'sustain': '2.5' is not a whole number");
	ck_assert_int_eq(ruleset_set_param(&set, "early-stopping.patience=1e-3", err, sizeof(err)), -1);
	ck_assert_int_eq(ruleset_set_param(&set, "overfitting.sustain=3", err, sizeof(err)), 0);
	ck_assert_int_eq(ruleset_set_param(&set, "overfitting.giveback=0.5", err, sizeof(err)), 0);
	ruleset_release(&set);
}
END_TEST

/* Rule texts say "epoch"; on evaluation and step runs the word follows the
 * axis, outside placeholder names but inside a {name:epoch} noun. */
START_TEST(test_point_wording)
{
	ck_assert_ptr_null(point_wording("after epoch {best}", AXIS_EPOCH));
	ck_assert_ptr_null(point_wording("no such word: epochal", AXIS_EVAL));
	ck_assert_ptr_null(point_wording(NULL, AXIS_EVAL));
	char *t = point_wording("Epoch {best_epoch}: saved {saved:epoch}, {epochs} epochs; "
				"epoch-to-epoch noise. Epochs.", AXIS_EVAL);
	ck_assert_str_eq(t, "Evaluation {best_epoch}: saved {saved:evaluation}, {epochs} "
			    "evaluations; evaluation-to-evaluation noise. Evaluations.");
	free(t);
	t = point_wording("per epoch", AXIS_STEP);
	ck_assert_str_eq(t, "per step");
	free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_load_dir_and_set);
	tcase_add_test(tc, test_causes_name_real_rules);
	tcase_add_test(tc, test_format_number);
	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_load_empty_dir);
	tcase_add_test(tc, test_load_latin1_and_controls);
	tcase_add_test(tc, test_load_too_large);
	tcase_add_test(tc, test_load_fifo);
	tcase_add_test(tc, test_set_count_param);
	tcase_add_test(tc, test_point_wording);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
