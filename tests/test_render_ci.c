/*
 * The CI renderers (sarif, github, junit) over a report built by hand: rules
 * filled in directly, findings with paths and messages full of characters
 * each format must escape, and a run that could not be read.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "testutil.h"
#include "util/escape.h"
#include "util/utf8.h"

/* Every character the formats treat specially: , : % " < & */
#define NASTY_PATH "runs/a,b:c%d\"e<f&g.csv"

static const struct param_def osc_params[] = {
	{ .name = "threshold", .type = PARAM_NUMBER, .def = 0.02, .min = 0, .max = 1,
	  .doc = "largest swing" },
};
static const struct detector osc_det = {
	.name = "test-osc", .params = osc_params, .n_params = 1,
};

static struct rule_section sec_alpha[] = {
	{ .name = "why", .text = "Why {id}: the {series} overflowed." },
	{ .name = "fix", .text = "Lower the learning rate." },
	{ .name = "snippet", .text = "# {id}\nopt = Adam(lr={lr})\nd = {'a': 1}" },
};
static struct rule_section sec_beta[] = {
	{ .name = "why", .text = "Swings above {threshold} mean the steps are too big." },
};

static struct param_value osc_value[] = { { .num = 0.02 } };

static struct rule rules_v[] = {
	{ .id = "alpha-err", .severity = SEV_ERROR, .enabled = 1,
	  .title = "{series} became {value}", .summary = "the loss is not a number",
	  .sec = sec_alpha, .n_sec = 3 },
	{ .id = "beta-warn", .severity = SEV_WARNING, .enabled = 1, .det = &osc_det,
	  .param = osc_value, .title = "loss oscillates more than {threshold}",
	  .sec = sec_beta, .n_sec = 1 },
	{ .id = "delta-off", .severity = SEV_ERROR, .enabled = 0, .title = "never shown" },
	{ .id = "gamma-info", .severity = SEV_INFO, .enabled = 1, .title = "a note" },
};
static struct ruleset rules = { .v = rules_v, .n = 4 };

static struct finding findings_a[3];
static struct run_result runs[3];
static char *warnings_b[] = { "val_loss guessed from column 'vl'" };
static char *skipped_b[] = { "beta-warn: no loss series" };

static void build_report(struct report *rep, enum severity fail_on)
{
	memset(findings_a, 0, sizeof(findings_a));
	memset(runs, 0, sizeof(runs));

	struct finding *f = &findings_a[0];
	f->rule = &rules_v[0];
	f->detected_epoch = 37;
	f->onset_epoch = 36;
	f->persists = 1;
	f->line = 38;
	f->title = "loss became NaN";
	f->message = "The loss was 0.412.\nThen NaN & <worse>";
	f->fix = "Lower the lr.";
	values_word(&f->values, "series", "loss");
	values_num(&f->values, "value", NAN);
	values_num(&f->values, "peak", INFINITY);
	values_num(&f->values, "last_finite", 0.412);

	f = &findings_a[1];
	f->rule = &rules_v[1];
	f->detected_epoch = 10;
	f->onset_epoch = 10;
	f->title = "loss oscillates";
	f->message = "50% swings\r\n'up' and \"down\"";

	f = &findings_a[2];
	f->rule = &rules_v[3];
	f->detected_epoch = 4;
	f->onset_epoch = 2;
	f->line = 5;
	f->title = "noted";
	/* A control character XML 1.0 forbids, and a byte that is not UTF-8. */
	f->message = "m\x01\xff";

	runs[0].path = NASTY_PATH;
	runs[0].label = NASTY_PATH;
	runs[0].format = "keras-csv";
	runs[0].f = findings_a;
	runs[0].n_f = 3;

	runs[1].path = "b.csv";
	runs[1].label = "b.csv (run 2 of 2)";
	runs[1].format = "keras-csv";
	runs[1].warnings = warnings_b;
	runs[1].n_warnings = 1;
	runs[1].skipped = skipped_b;
	runs[1].n_skipped = 1;

	runs[2].path = "missing.csv";
	runs[2].label = "missing.csv";
	runs[2].error = "No such file or directory";

	memset(rep, 0, sizeof(*rep));
	rep->schedule = "every";
	rep->runs = runs;
	rep->n_runs = 3;
	rep->rules = &rules;
	rep->fail_on = fail_on;
}

/* Render into a string the caller frees. */
static char *render_to_string(const struct renderer *fn, const struct report *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out);
	render_report(fn, out, rep);
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

static const char *jstr(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	ck_assert_msg(cJSON_IsString(item), "\"%s\" is not a string", key);
	return item->valuestring;
}

static double jnum(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	ck_assert_msg(cJSON_IsNumber(item), "\"%s\" is not a number", key);
	return item->valuedouble;
}

static const cJSON *jget(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	ck_assert_msg(item != NULL, "no \"%s\"", key);
	return item;
}

static const cJSON *jat(const cJSON *arr, int i)
{
	ck_assert(cJSON_IsArray(arr));
	const cJSON *item = cJSON_GetArrayItem(arr, i);
	ck_assert_msg(item != NULL, "no item %d", i);
	return item;
}

START_TEST(sarif_document)
{
	struct report rep;
	build_report(&rep, SEV_WARNING);
	char *text = render_to_string(&renderer_sarif, &rep);
	cJSON *doc = cJSON_Parse(text);
	ck_assert_msg(doc != NULL, "SARIF does not parse:\n%s", text);
	/* cJSON writes NaN and infinities as null; none may reach the document. */
	ck_assert_ptr_null(strstr(text, "null"));

	ck_assert_str_eq(jstr(doc, "version"), "2.1.0");
	ck_assert_str_eq(jstr(doc, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
	const cJSON *sruns = jget(doc, "runs");
	ck_assert_int_eq(cJSON_GetArraySize(sruns), 1);
	const cJSON *run = jat(sruns, 0);

	const cJSON *driver = jget(jget(run, "tool"), "driver");
	ck_assert_str_eq(jstr(driver, "name"), "scram-check");
	ck_assert_str_eq(jstr(driver, "version"), VERSION);

	const cJSON *srules = jget(driver, "rules");
	ck_assert_int_eq(cJSON_GetArraySize(srules), 3);	/* delta-off is disabled */
	const cJSON *r0 = jat(srules, 0), *r1 = jat(srules, 1), *r2 = jat(srules, 2);
	ck_assert_str_eq(jstr(r0, "id"), "alpha-err");
	ck_assert_str_eq(jstr(r0, "name"), "alpha-err");
	/* The rule's summary; else its detector's; else its id. */
	ck_assert_str_eq(jstr(jget(r0, "shortDescription"), "text"), "the loss is not a number");
	ck_assert_str_eq(jstr(jget(r1, "shortDescription"), "text"), "beta-warn");
	ck_assert_str_eq(jstr(jget(r0, "fullDescription"), "text"),
			 "Why alpha-err: the <series> overflowed.");
	ck_assert_str_eq(jstr(jget(r0, "help"), "text"), "Lower the learning rate.");
	ck_assert_str_eq(jstr(jget(r0, "help"), "markdown"),
			 "Lower the learning rate.\n\n```python\n"
			 "# alpha-err\nopt = Adam(lr={lr})\nd = {'a': 1}\n```\n");
	ck_assert_str_eq(jstr(jget(r0, "defaultConfiguration"), "level"), "error");
	ck_assert_str_eq(jstr(r1, "id"), "beta-warn");
	ck_assert_str_eq(jstr(jget(r1, "fullDescription"), "text"),
			 "Swings above 0.02 mean the steps are too big.");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(r1, "help"));
	ck_assert_str_eq(jstr(jget(r1, "defaultConfiguration"), "level"), "warning");
	ck_assert_str_eq(jstr(r2, "id"), "gamma-info");
	ck_assert_str_eq(jstr(jget(r2, "defaultConfiguration"), "level"), "note");

	const cJSON *results = jget(run, "results");
	ck_assert_int_eq(cJSON_GetArraySize(results), 3);
	const cJSON *a = jat(results, 0);
	ck_assert_str_eq(jstr(a, "ruleId"), "alpha-err");
	ck_assert_int_eq((int)jnum(a, "ruleIndex"), 0);
	ck_assert_str_eq(jstr(a, "level"), "error");
	ck_assert_str_eq(jstr(jget(a, "message"), "text"),
			 "loss became NaN. The loss was 0.412.\nThen NaN & <worse>");
	const cJSON *phys = jget(jat(jget(a, "locations"), 0), "physicalLocation");
	ck_assert_str_eq(jstr(jget(phys, "artifactLocation"), "uri"),
			 "runs/a%2Cb%3Ac%25d%22e%3Cf%26g.csv");
	ck_assert_int_eq((int)jnum(jget(phys, "region"), "startLine"), 38);
	const cJSON *props = jget(a, "properties");
	ck_assert_int_eq((int)jnum(props, "detected_epoch"), 37);
	ck_assert_int_eq((int)jnum(props, "onset_epoch"), 36);
	ck_assert(cJSON_IsTrue(jget(props, "persists")));
	const cJSON *vals = jget(props, "values");
	ck_assert_str_eq(jstr(vals, "series"), "loss");
	ck_assert_str_eq(jstr(vals, "value"), "NaN");
	ck_assert_str_eq(jstr(vals, "peak"), "Infinity");
	ck_assert(jnum(vals, "last_finite") == 0.412);

	const cJSON *b = jat(results, 1);
	ck_assert_str_eq(jstr(b, "ruleId"), "beta-warn");
	ck_assert_int_eq((int)jnum(b, "ruleIndex"), 1);
	ck_assert_str_eq(jstr(b, "level"), "warning");
	phys = jget(jat(jget(b, "locations"), 0), "physicalLocation");
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(phys, "region"));
	ck_assert(cJSON_IsFalse(jget(jget(b, "properties"), "persists")));

	const cJSON *c = jat(results, 2);
	ck_assert_int_eq((int)jnum(c, "ruleIndex"), 2);
	ck_assert_str_eq(jstr(c, "level"), "note");
	/* The byte that was not UTF-8 became U+FFFD; the control is escaped. */
	ck_assert_str_eq(jstr(jget(c, "message"), "text"), "noted. m\x01\xEF\xBF\xBD");

	const cJSON *inv = jat(jget(run, "invocations"), 0);
	ck_assert(cJSON_IsFalse(jget(inv, "executionSuccessful")));
	const cJSON *notes = jget(inv, "toolExecutionNotifications");
	ck_assert_int_eq(cJSON_GetArraySize(notes), 2);
	const cJSON *n0 = jat(notes, 0), *n1 = jat(notes, 1);
	ck_assert_str_eq(jstr(n0, "level"), "note");
	ck_assert_str_eq(jstr(jget(n0, "message"), "text"), "val_loss guessed from column 'vl'");
	ck_assert_str_eq(jstr(n1, "level"), "error");
	ck_assert_str_eq(jstr(jget(n1, "message"), "text"),
			 "cannot read 'missing.csv': No such file or directory");
	phys = jget(jat(jget(n1, "locations"), 0), "physicalLocation");
	ck_assert_str_eq(jstr(jget(phys, "artifactLocation"), "uri"), "missing.csv");

	cJSON_Delete(doc);
	free(text);
}
END_TEST

START_TEST(sarif_clean_and_absolute)
{
	struct report rep;
	build_report(&rep, SEV_WARNING);
	rep.n_runs = 1;
	runs[0].path = "/tmp/x y.csv";
	runs[0].n_f = 1;
	char *text = render_to_string(&renderer_sarif, &rep);
	cJSON *doc = cJSON_Parse(text);
	ck_assert_ptr_nonnull(doc);
	const cJSON *run = jat(jget(doc, "runs"), 0);
	const cJSON *inv = jat(jget(run, "invocations"), 0);
	ck_assert(cJSON_IsTrue(jget(inv, "executionSuccessful")));
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(inv, "toolExecutionNotifications"));
	const cJSON *phys = jget(jat(jget(jat(jget(run, "results"), 0), "locations"), 0),
				 "physicalLocation");
	ck_assert_str_eq(jstr(jget(phys, "artifactLocation"), "uri"), "file:///tmp/x%20y.csv");
	cJSON_Delete(doc);
	free(text);
}
END_TEST

START_TEST(github_lines)
{
	struct report rep;
	build_report(&rep, SEV_WARNING);
	char *text = render_to_string(&renderer_github, &rep);
	ck_assert_str_eq(text,
		"::error file=runs/a%2Cb%3Ac%25d\"e<f&g.csv,line=38,"
		"title=alpha-err::"
		"loss became NaN: The loss was 0.412.%0AThen NaN & <worse>%0AFix: Lower the lr.\n"
		"::warning file=runs/a%2Cb%3Ac%25d\"e<f&g.csv,"
		"title=beta-warn::"
		"loss oscillates: 50%25 swings%0D%0A'up' and \"down\"\n"
		"::notice file=runs/a%2Cb%3Ac%25d\"e<f&g.csv,line=5,"
		"title=gamma-info::noted: m\\x01\\xFF\n"
		"::error file=missing.csv::cannot read: No such file or directory\n");
	free(text);
}
END_TEST

START_TEST(github_title_escaped)
{
	struct report rep;
	build_report(&rep, SEV_WARNING);
	rep.n_runs = 1;
	runs[0].n_f = 1;
	findings_a[0].title = "acc: 50%, then\nworse";
	findings_a[0].fix = NULL;
	findings_a[0].message = "";
	char *text = render_to_string(&renderer_github, &rep);
	ck_assert_str_eq(text,
		"::error file=runs/a%2Cb%3Ac%25d\"e<f&g.csv,line=38,"
		"title=alpha-err::acc: 50%25, then%0Aworse\n");
	free(text);
}
END_TEST

#define JUNIT_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define JUNIT_PATH "runs/a,b:c%d&quot;e&lt;f&amp;g.csv"
#define JUNIT_REST \
	"  <testsuite name=\"b.csv (run 2 of 2)\" tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"1\">\n" \
	"    <testcase classname=\"b.csv\" name=\"alpha-err\"/>\n" \
	"    <testcase classname=\"b.csv\" name=\"beta-warn\">\n" \
	"      <skipped message=\"no loss series\"/>\n" \
	"    </testcase>\n" \
	"    <testcase classname=\"b.csv\" name=\"gamma-info\"/>\n" \
	"    <system-err>val_loss guessed from column &apos;vl&apos;</system-err>\n" \
	"  </testsuite>\n" \
	"  <testsuite name=\"missing.csv\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n" \
	"    <testcase classname=\"missing.csv\" name=\"read\">\n" \
	"      <error message=\"No such file or directory\"/>\n" \
	"    </testcase>\n" \
	"  </testsuite>\n" \
	"</testsuites>\n"

START_TEST(junit_fail_on_warning)
{
	struct report rep;
	build_report(&rep, SEV_WARNING);
	char *text = render_to_string(&renderer_junit, &rep);
	ck_assert_str_eq(text,
		JUNIT_HEAD
		"<testsuites name=\"scram-check\" tests=\"7\" failures=\"2\" errors=\"1\">\n"
		"  <testsuite name=\"" JUNIT_PATH "\" tests=\"3\" failures=\"2\" errors=\"0\" skipped=\"0\">\n"
		"    <testcase classname=\"" JUNIT_PATH "\" name=\"alpha-err\">\n"
		"      <failure message=\"loss became NaN\" type=\"error\">"
		"The loss was 0.412.\nThen NaN &amp; &lt;worse&gt;\nFix: Lower the lr.</failure>\n"
		"    </testcase>\n"
		"    <testcase classname=\"" JUNIT_PATH "\" name=\"beta-warn\">\n"
		"      <failure message=\"loss oscillates\" type=\"warning\">"
		"50% swings&#13;\n&apos;up&apos; and &quot;down&quot;</failure>\n"
		"    </testcase>\n"
		"    <testcase classname=\"" JUNIT_PATH "\" name=\"gamma-info\">\n"
		"      <system-out>info: noted\nm\xEF\xBF\xBD\xEF\xBF\xBD</system-out>\n"
		"    </testcase>\n"
		"  </testsuite>\n"
		JUNIT_REST);
	free(text);
}
END_TEST

START_TEST(junit_fail_on_levels)
{
	struct report rep;
	build_report(&rep, SEV_NONE);
	char *text = render_to_string(&renderer_junit, &rep);
	ck_assert_ptr_nonnull(strstr(text, "tests=\"7\" failures=\"0\" errors=\"1\""));
	ck_assert_ptr_null(strstr(text, "<failure"));
	ck_assert_ptr_nonnull(strstr(text, "<system-out>error: loss became NaN\n"));
	ck_assert_ptr_nonnull(strstr(text, "<system-out>warning: loss oscillates\n"));
	free(text);

	build_report(&rep, SEV_INFO);
	text = render_to_string(&renderer_junit, &rep);
	ck_assert_ptr_nonnull(strstr(text, "tests=\"7\" failures=\"3\" errors=\"1\""));
	ck_assert_ptr_null(strstr(text, "<system-out>"));
	ck_assert_ptr_nonnull(strstr(text, "<failure message=\"noted\" type=\"info\">"));
	free(text);

	build_report(&rep, SEV_ERROR);
	text = render_to_string(&renderer_junit, &rep);
	ck_assert_ptr_nonnull(strstr(text, "tests=\"7\" failures=\"1\" errors=\"1\""));
	free(text);
}
END_TEST

START_TEST(xmlesc_attr_and_text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out);
	xmlesc_fputs(out, "a\tb\nc\r<&>\"'\x7f\x1b\xc3\xa9\xef\xbf\xbe\xed\xa0\x80\xc0\xaf|", 1);
	fputc('#', out);
	xmlesc_fputs(out, "a\tb\nc", 0);
	xmlesc_fputs(out, NULL, 0);
	ck_assert_int_eq(fclose(out), 0);
	/* DEL is allowed in XML 1.0 but shown as a reference; ESC, U+FFFE, a surrogate and an overlong
	 * "/" are not, and each bad byte becomes one U+FFFD. */
	ck_assert_str_eq(buf,
		"a&#9;b&#10;c&#13;&lt;&amp;&gt;&quot;&apos;&#x7F;\xEF\xBF\xBD\xc3\xa9\xEF\xBF\xBD"
		"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|#a\tb\nc");
	free(buf);

	char *clean = utf8_clean("ok \xc3\xa9 \xf0\x9f\x98\x80 bad \xe2\x82");
	ck_assert_str_eq(clean, "ok \xc3\xa9 \xf0\x9f\x98\x80 bad \xEF\xBF\xBD\xEF\xBF\xBD");
	free(clean);
	clean = utf8_clean(NULL);
	ck_assert_str_eq(clean, "");
	free(clean);
}
END_TEST

static Suite *render_ci_suite(void)
{
	Suite *s = suite_create("render_ci");
	TCase *tc = tcase_create("sarif");
	tcase_add_test(tc, sarif_document);
	tcase_add_test(tc, sarif_clean_and_absolute);
	suite_add_tcase(s, tc);
	tc = tcase_create("github");
	tcase_add_test(tc, github_lines);
	tcase_add_test(tc, github_title_escaped);
	suite_add_tcase(s, tc);
	tc = tcase_create("junit");
	tcase_add_test(tc, junit_fail_on_warning);
	tcase_add_test(tc, junit_fail_on_levels);
	tcase_add_test(tc, xmlesc_attr_and_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(render_ci_suite());
}
