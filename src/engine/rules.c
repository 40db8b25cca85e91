#include "rules.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/file.h"
#include "../util/number.h"
#include "../util/strbuf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

static const char *const severity_names[] = { "none", "info", "warning", "error" };

const char *severity_name(enum severity s)
{
	return severity_names[s];
}

int severity_parse(const char *s, int allow_none)
{
	for (int i = allow_none ? 0 : 1; i <= SEV_ERROR; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return i;
	return -1;
}

static void set_err(char *err, size_t errlen, const char *path, long line,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void set_err(char *err, size_t errlen, const char *path, long line,
		    const char *fmt, ...)
{
	int n = line > 0 ? snprintf(err, errlen, "%s:%ld: ", path, line)
			 : snprintf(err, errlen, "%s: ", path);
	size_t off = n > 0 && (size_t)n < errlen ? (size_t)n : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + off, errlen - off, fmt, ap);
	va_end(ap);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int valid_id(const char *s)
{
	if (!*s || !islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return 1;
}

/* Set parameter i of the rule from text; 0 or -1 with a reason in why. */
static int param_assign(struct rule *rule, size_t i, const char *text,
			char *why, size_t whylen)
{
	const struct param_def *def = &rule->det->params[i];
	if (def->type != PARAM_WORD) {
		double v;
		if (parse_number(text, strlen(text), &v) || !isfinite(v)) {
			snprintf(why, whylen, "parameter '%s': '%s' is not a number",
				 def->name, text);
			return -1;
		}
		if (def->type == PARAM_COUNT && floor(v) != v) {
			snprintf(why, whylen, "parameter '%s': '%s' is not a whole number",
				 def->name, text);
			return -1;
		}
		if (v < def->min || v > def->max) {
			snprintf(why, whylen, "parameter '%s': %s is outside [%g, %g]",
				 def->name, text, def->min, def->max);
			return -1;
		}
		rule->param[i].num = v;
		return 0;
	}
	size_t n = strlen(text);
	for (const char *c = def->choices; c && *c;) {
		const char *bar = strchr(c, '|');
		size_t len = bar ? (size_t)(bar - c) : strlen(c);
		if (len == n && strncmp(c, text, n) == 0) {
			free(rule->param_word[i]);
			rule->param_word[i] = xstrdup(text);
			rule->param[i].word = rule->param_word[i];
			return 0;
		}
		c = bar ? bar + 1 : c + len;
	}
	snprintf(why, whylen, "parameter '%s': '%s' is not one of %s", def->name,
		 text, def->choices ? def->choices : "(none)");
	return -1;
}

static void params_default(struct rule *rule)
{
	size_t n = rule->det->n_params;
	rule->param = xcalloc(n ? n : 1, sizeof(*rule->param));
	rule->param_word = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const struct param_def *def = &rule->det->params[i];
		rule->param[i].num = def->def;
		if (def->type == PARAM_WORD) {
			rule->param_word[i] = xstrdup(def->def_word ? def->def_word : "");
			rule->param[i].word = rule->param_word[i];
		}
	}
}

static int is_builtin(const char *key, size_t n)
{
	static const char *const builtins[] = {
		"detected_epoch", "onset_epoch", "epochs", "total_epochs", "id"
	};
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strlen(builtins[i]) == n && strncmp(builtins[i], key, n) == 0)
			return 1;
	return 0;
}

static int known_key(const struct rule *rule, const char *key, size_t n)
{
	if (is_builtin(key, n))
		return 1;
	for (size_t i = 0; i < rule->det->n_value_keys; i++)
		if (strlen(rule->det->value_keys[i]) == n &&
		    strncmp(rule->det->value_keys[i], key, n) == 0)
			return 1;
	for (size_t i = 0; i < rule->det->n_params; i++)
		if (strlen(rule->det->params[i].name) == n &&
		    strncmp(rule->det->params[i].name, key, n) == 0)
			return 1;
	return 0;
}

/*
 * A placeholder after its '{': a name, then optionally ':' and a noun that the
 * number is counted in ({saved:epoch} gives "1 epoch", "5 epochs"), then '}'.
 */
struct placeholder {
	size_t len;		/* up to, not including, the '}' */
	size_t name_len;
	const char *noun;	/* NULL when there is none */
	size_t noun_len;
};

static int placeholder_parse(const char *s, struct placeholder *ph)
{
	size_t n = 0;
	while (islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '_')
		n++;
	ph->name_len = n;
	ph->noun = NULL;
	ph->noun_len = 0;
	if (n && s[n] == ':') {
		size_t m = 0;
		while (islower((unsigned char)s[n + 1 + m]))
			m++;
		if (!m)
			return 0;
		ph->noun = s + n + 1;
		ph->noun_len = m;
		n += 1 + m;
	}
	ph->len = n;
	return ph->name_len > 0 && s[n] == '}';
}

/* Every {name} in text must be known; returns 0 or -1 with err set. */
static int check_placeholders(const struct rule *rule, const char *text, long line,
			      char *err, size_t errlen)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			line++;
		if (*p != '{')
			continue;
		struct placeholder ph;
		if (!placeholder_parse(p + 1, &ph)) {
			set_err(err, errlen, rule->path, line,
				"'{' does not start a placeholder {name} or {name:noun}");
			return -1;
		}
		size_t n = ph.name_len;
		if (!known_key(rule, p + 1, n)) {
			set_err(err, errlen, rule->path, line,
				"unknown placeholder {%.*s}: detector '%s' reports no such value",
				(int)n, p + 1, rule->det->name);
			return -1;
		}
	}
	return 0;
}

static void add_section(struct rule *rule, const char *name, const char *variant,
			long line)
{
	rule->sec = xreallocarray(rule->sec, rule->n_sec + 1, sizeof(*rule->sec));
	struct rule_section *s = &rule->sec[rule->n_sec++];
	s->name = xstrdup(name);
	s->variant = variant ? xstrdup(variant) : NULL;
	s->text = NULL;
	s->line = line;
}

static const char *const section_names[] = { "message", "why", "fix", "snippet" };

/*
 * "[name]" or "[name variant]" alone on a line, in lower case. Anything else
 * that starts with '[' inside a section is text ("[0, 1]", a Python list).
 */
static int is_section_header(const char *line)
{
	const char *p = line + 1;
	size_t n = 0;
	while (islower((unsigned char)p[n]))
		n++;
	if (n == 0)
		return 0;
	p += n;
	if (*p == ' ') {
		p++;
		size_t m = 0;
		while (islower((unsigned char)p[m]) || isdigit((unsigned char)p[m]) || p[m] == '-')
			m++;
		if (m == 0)
			return 0;
		p += m;
	}
	if (*p++ != ']')
		return 0;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return *p == '\0';
}

static int parse_section_header(struct rule *rule, char *line, long lineno,
				char *err, size_t errlen)
{
	char *close = strchr(line, ']');
	if (!close || *trim(close + 1)) {
		set_err(err, errlen, rule->path, lineno, "a section header is '[name]' alone on its line");
		return -1;
	}
	*close = '\0';
	char *name = trim(line + 1);
	char *variant = strchr(name, ' ');
	if (variant) {
		*variant++ = '\0';
		variant = trim(variant);
		if (!valid_id(variant)) {
			set_err(err, errlen, rule->path, lineno, "bad section variant '%s'", variant);
			return -1;
		}
	}
	size_t k;
	for (k = 0; k < sizeof(section_names) / sizeof(section_names[0]); k++)
		if (strcmp(name, section_names[k]) == 0)
			break;
	if (k == sizeof(section_names) / sizeof(section_names[0])) {
		set_err(err, errlen, rule->path, lineno,
			"unknown section [%s]; sections are [message], [why], [fix], [snippet]",
			name);
		return -1;
	}
	for (size_t i = 0; i < rule->n_sec; i++)
		if (strcmp(rule->sec[i].name, name) == 0 &&
		    ((!variant && !rule->sec[i].variant) ||
		     (variant && rule->sec[i].variant && strcmp(variant, rule->sec[i].variant) == 0))) {
			set_err(err, errlen, rule->path, lineno, "section [%s%s%s] given twice",
				name, variant ? " " : "", variant ? variant : "");
			return -1;
		}
	add_section(rule, name, variant, lineno);
	return 0;
}

struct pending_param {
	char *name;
	char *value;
	long line;
};

static int parse_meta(struct rule *rule, char *line, long lineno, char **detector,
		      struct pending_param **pp, size_t *npp, int *seen_enabled,
		      char *err, size_t errlen)
{
	char *colon = strchr(line, ':');
	if (!colon) {
		set_err(err, errlen, rule->path, lineno, "expected 'key: value' or a [section]");
		return -1;
	}
	*colon = '\0';
	char *key = trim(line), *val = trim(colon + 1);
	char **slot = NULL;
	if (strcmp(key, "id") == 0)
		slot = &rule->id;
	else if (strcmp(key, "detector") == 0)
		slot = detector;
	else if (strcmp(key, "source") == 0)
		slot = &rule->source;
	else if (strcmp(key, "reads") == 0)
		slot = &rule->reads;
	else if (strcmp(key, "title") == 0)
		slot = &rule->title;
	else if (strcmp(key, "summary") == 0)
		slot = &rule->summary;
	if (slot) {
		if (*slot) {
			set_err(err, errlen, rule->path, lineno, "'%s' given twice", key);
			return -1;
		}
		if (!*val) {
			set_err(err, errlen, rule->path, lineno, "'%s' is empty", key);
			return -1;
		}
		*slot = xstrdup(val);
		return 0;
	}
	if (strcmp(key, "severity") == 0) {
		int s = severity_parse(val, 0);
		if (s < 0) {
			set_err(err, errlen, rule->path, lineno,
				"severity '%s' is not error, warning or info", val);
			return -1;
		}
		rule->severity = (enum severity)s;
	} else if (strcmp(key, "enabled") == 0) {
		if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0) {
			set_err(err, errlen, rule->path, lineno, "enabled is yes or no, not '%s'", val);
			return -1;
		}
		rule->enabled = strcmp(val, "yes") == 0;
		*seen_enabled = 1;
	} else if (strcmp(key, "values") == 0) {
		if (strcmp(val, "detected") != 0 && strcmp(val, "last") != 0) {
			set_err(err, errlen, rule->path, lineno,
				"values is detected or last, not '%s'", val);
			return -1;
		}
		rule->values_last = strcmp(val, "last") == 0;
	} else if (strcmp(key, "sticky") == 0) {
		if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0) {
			set_err(err, errlen, rule->path, lineno, "sticky is yes or no, not '%s'", val);
			return -1;
		}
		rule->sticky = strcmp(val, "yes") == 0;
	} else if (strcmp(key, "axis") == 0) {
		/* "epoch": the run's own points, epochs or evaluations. */
		const unsigned own = (1u << AXIS_EPOCH) | (1u << AXIS_EVAL);
		if (strcmp(val, "epoch") == 0)
			rule->axes = own;
		else if (strcmp(val, "step") == 0)
			rule->axes = 1u << AXIS_STEP;
		else if (strcmp(val, "both") == 0)
			rule->axes = own | (1u << AXIS_STEP);
		else {
			set_err(err, errlen, rule->path, lineno,
				"axis is epoch, step or both, not '%s'", val);
			return -1;
		}
	} else if (strcmp(key, "judgment") == 0) {
		double j;
		if (parse_number(val, strlen(val), &j) || !(j >= 0 && j <= 1)) {
			set_err(err, errlen, rule->path, lineno,
				"judgment is a fraction of the run in [0, 1], not '%s'", val);
			return -1;
		}
		rule->judgment = j;
	} else if (strcmp(key, "param") == 0) {
		char *eq = strchr(val, '=');
		if (!eq) {
			set_err(err, errlen, rule->path, lineno, "expected 'param: NAME = VALUE'");
			return -1;
		}
		*eq = '\0';
		*pp = xreallocarray(*pp, *npp + 1, sizeof(**pp));
		(*pp)[*npp].name = xstrdup(trim(val));
		(*pp)[*npp].value = xstrdup(trim(eq + 1));
		(*pp)[*npp].line = lineno;
		(*npp)++;
	} else {
		set_err(err, errlen, rule->path, lineno,
			"unknown key '%s' (id, detector, severity, enabled, source, reads, "
			"judgment, values, title, summary, param)", key);
		return -1;
	}
	return 0;
}

/* Drop blank lines at both ends of a section's text. */
static char *section_text(struct strbuf *sb)
{
	char *s = strbuf_detach(sb);
	char *start = s;
	while (*start == '\n' || *start == ' ' || *start == '\t' || *start == '\r') {
		char *nl = strchr(start, '\n');
		const char *p = start;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p != '\n' || !nl)
			break;
		start = nl + 1;
	}
	size_t n = strlen(start);
	while (n && isspace((unsigned char)start[n - 1]))
		n--;
	char *out = xstrndup(start, n);
	free(s);
	return out;
}

static int finish_rule(struct rule *rule, const char *detector, struct pending_param *pp,
		       size_t npp, char *err, size_t errlen)
{
	static const char *const required[] = { "id", "detector", "severity", "title" };
	const void *have[] = { rule->id, detector, rule->severity ? "" : NULL, rule->title };
	for (size_t i = 0; i < 4; i++)
		if (!have[i]) {
			set_err(err, errlen, rule->path, 0, "missing '%s:'", required[i]);
			return -1;
		}
	if (!valid_id(rule->id)) {
		set_err(err, errlen, rule->path, 0,
			"id '%s' is not lowercase kebab-case", rule->id);
		return -1;
	}
	rule->det = detector_find(detector);
	if (!rule->det) {
		set_err(err, errlen, rule->path, 0, "unknown detector '%s'", detector);
		return -1;
	}
	params_default(rule);
	for (size_t i = 0; i < npp; i++) {
		int idx = detector_param_index(rule->det, pp[i].name);
		char why[256];
		if (idx < 0) {
			set_err(err, errlen, rule->path, pp[i].line,
				"detector '%s' has no parameter '%s'", rule->det->name, pp[i].name);
			return -1;
		}
		if (param_assign(rule, (size_t)idx, pp[i].value, why, sizeof(why))) {
			set_err(err, errlen, rule->path, pp[i].line, "%s", why);
			return -1;
		}
	}
	for (size_t k = 0; k < sizeof(section_names) / sizeof(section_names[0]); k++)
		if (!rule_section(rule, section_names[k], NULL)) {
			set_err(err, errlen, rule->path, 0, "missing section [%s]", section_names[k]);
			return -1;
		}
	if (check_placeholders(rule, rule->title, 0, err, errlen))
		return -1;
	for (size_t i = 0; i < rule->n_sec; i++)
		if (strcmp(rule->sec[i].name, "snippet") != 0 &&
		    check_placeholders(rule, rule->sec[i].text, rule->sec[i].line + 1, err, errlen))
			return -1;
	return 0;
}

int rule_parse(struct rule *rule, const char *path, const char *text,
	       char *err, size_t errlen)
{
	memset(rule, 0, sizeof(*rule));
	rule->path = xstrdup(path);
	rule->enabled = 1;
	rule->axes = (1u << AXIS_EPOCH) | (1u << AXIS_EVAL);
	char *detector = NULL;
	struct pending_param *pp = NULL;
	size_t npp = 0;
	int seen_enabled = 0, rc = -1;
	struct strbuf body = STRBUF_INIT;
	long lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		lineno++;
		p += len + (nl ? 1 : 0);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		int r = 0;
		if (line[0] == '[' && (!rule->n_sec || is_section_header(line))) {
			if (rule->n_sec)
				rule->sec[rule->n_sec - 1].text = section_text(&body);
			r = parse_section_header(rule, line, lineno, err, errlen);
		} else if (rule->n_sec) {
			strbuf_adds(&body, line);
			strbuf_addc(&body, '\n');
		} else if (line[0] != '#' && *trim(line)) {
			r = parse_meta(rule, line, lineno, &detector, &pp, &npp,
				       &seen_enabled, err, errlen);
		}
		free(line);
		if (r)
			goto out;
	}
	if (rule->n_sec)
		rule->sec[rule->n_sec - 1].text = section_text(&body);
	rc = finish_rule(rule, detector, pp, npp, err, errlen);
out:
	strbuf_release(&body);
	for (size_t i = 0; i < rule->n_sec; i++)
		if (!rule->sec[i].text)
			rule->sec[i].text = xstrdup("");
	for (size_t i = 0; i < npp; i++) {
		free(pp[i].name);
		free(pp[i].value);
	}
	free(pp);
	free(detector);
	return rc;
}

void rule_release(struct rule *rule)
{
	free(rule->id);
	free(rule->path);
	free(rule->replaces);
	free(rule->source);
	free(rule->reads);
	free(rule->title);
	free(rule->summary);
	if (rule->det)
		for (size_t i = 0; i < rule->det->n_params; i++)
			free(rule->param_word[i]);
	free(rule->param_word);
	free(rule->param);
	for (size_t i = 0; i < rule->n_sec; i++) {
		free(rule->sec[i].name);
		free(rule->sec[i].variant);
		free(rule->sec[i].text);
	}
	free(rule->sec);
	memset(rule, 0, sizeof(*rule));
}

void ruleset_release(struct ruleset *set)
{
	for (size_t i = 0; i < set->n; i++)
		rule_release(&set->v[i]);
	free(set->v);
	free(set->dir);
	set->v = NULL;
	set->n = 0;
	set->dir = NULL;
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule *)a)->id, ((const struct rule *)b)->id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define RULE_MAX_BYTES ((size_t)1 << 20)

static long line_of(const char *text, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

/* Rule text reaches terminals and reports: UTF-8, and no control but TAB,
 * LF and CR. 0, or -1 with err set. */
static int check_rule_text(const char *path, const char *text, size_t len,
			   char *err, size_t errlen)
{
	size_t bad = utf8_invalid_at((const unsigned char *)text, len);
	if (bad < len) {
		set_err(err, errlen, path, line_of(text, bad), "invalid UTF-8 (byte 0x%02X)",
			(unsigned char)text[bad]);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
		    (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] < 0xA0)) {
			set_err(err, errlen, path, line_of(text, i), "control character 0x%02X",
				c == 0xC2 ? (unsigned char)text[i + 1] : c);
			return -1;
		}
	}
	return 0;
}

int ruleset_load_dir(struct ruleset *set, const char *dir, char *err, size_t errlen)
{
	memset(set, 0, sizeof(*set));
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "cannot open rules folder '%s': %s", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".rule") == 0 && de->d_name[0] != '.') {
			xgrow(&names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof(*names), cmp_str);
	set->dir = xstrdup(dir);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *text;
		size_t len;
		struct read_error rerr;
		if (slurp_file(path, RULE_MAX_BYTES, &text, &len, &rerr)) {
			if (strncmp(rerr.msg, "file is larger", 14) == 0)
				snprintf(err, errlen, "%s: larger than %zu MiB; not a rule file",
					 path, RULE_MAX_BYTES >> 20);
			else
				snprintf(err, errlen, "%s: %s", path, rerr.msg);
			rc = -1;
		} else if (memchr(text, '\0', len)) {
			snprintf(err, errlen, "%s: binary data in a rule file", path);
			free(text);
			rc = -1;
		} else if (check_rule_text(path, text, len, err, errlen)) {
			free(text);
			rc = -1;
		} else {
			set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
			struct rule *rule = &set->v[set->n++];
			rc = rule_parse(rule, path, text, err, errlen);
			size_t idlen = strlen(names[i]) - 5;
			if (rc == 0 && (strlen(rule->id) != idlen ||
					strncmp(rule->id, names[i], idlen) != 0)) {
				set_err(err, errlen, path, 0,
					"id '%s' does not match the file name", rule->id);
				rc = -1;
			}
			free(text);
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == 0 && set->n == 0) {
		snprintf(err, errlen, "no *.rule files in '%s'", dir);
		rc = -1;
	}
	if (rc) {
		ruleset_release(set);
		return -1;
	}
	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), cmp_rule);
	return 0;
}

struct rule *ruleset_find(const struct ruleset *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].id, id) == 0)
			return &set->v[i];
	return NULL;
}

int ruleset_enable(struct ruleset *set, const char *ids, int on, char *err, size_t errlen)
{
	char *copy = xstrdup(ids), *save = NULL;
	int rc = 0;
	for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		id = trim(id);
		if (!*id)
			continue;
		if (strcmp(id, "all") == 0) {
			for (size_t i = 0; i < set->n; i++)
				set->v[i].enabled = on;
			continue;
		}
		struct rule *r = ruleset_find(set, id);
		if (!r) {
			snprintf(err, errlen, "unknown rule '%s' (see --list-rules)", id);
			rc = -1;
			break;
		}
		r->enabled = on;
	}
	free(copy);
	return rc;
}

int ruleset_set_param(struct ruleset *set, const char *spec, char *err, size_t errlen)
{
	const char *dot = strchr(spec, '.'), *eq = strchr(spec, '=');
	if (!dot || !eq || eq < dot) {
		snprintf(err, errlen, "--set takes ID.PARAM=VALUE, not '%s'", spec);
		return -1;
	}
	char *id = xstrndup(spec, (size_t)(dot - spec));
	char *name = xstrndup(dot + 1, (size_t)(eq - dot - 1));
	int rc = -1;
	struct rule *r = ruleset_find(set, id);
	if (!r) {
		snprintf(err, errlen, "--set %s: unknown rule '%s' (see --list-rules)", spec, id);
		goto out;
	}
	int idx = detector_param_index(r->det, name);
	if (idx < 0 && strcmp(name, "judgment") == 0) {
		/* The rule's judgment point, for the sources' literal tests. */
		char *end;
		double j = strtod(eq + 1, &end);
		if (end == eq + 1 || *end || !(j >= 0 && j <= 1)) {
			snprintf(err, errlen, "--set %s: judgment is a fraction of the run in [0, 1]",
				 spec);
			goto out;
		}
		r->judgment = j;
		rc = 0;
		goto out;
	}
	if (idx < 0) {
		struct strbuf names = STRBUF_INIT;
		for (size_t i = 0; i < r->det->n_params; i++)
			strbuf_addf(&names, "%s%s", i ? ", " : "", r->det->params[i].name);
		snprintf(err, errlen, "--set %s: rule '%s' has no parameter '%s' (it has: %s)",
			 spec, id, name, names.len ? strbuf_str(&names) : "none");
		strbuf_release(&names);
		goto out;
	}
	char why[256];
	if (param_assign(r, (size_t)idx, eq + 1, why, sizeof(why))) {
		snprintf(err, errlen, "--set %s: %s", spec, why);
		goto out;
	}
	rc = 0;
out:
	free(id);
	free(name);
	return rc;
}

const char *rule_summary(const struct rule *rule)
{
	if (rule->summary)
		return rule->summary;
	return rule->det && rule->det->summary ? rule->det->summary : rule->id;
}

const char *rule_section(const struct rule *rule, const char *name, const char *variant)
{
	const char *plain = NULL;
	for (size_t i = 0; i < rule->n_sec; i++) {
		const struct rule_section *s = &rule->sec[i];
		if (s->name[0] != name[0] || strcmp(s->name, name) != 0)
			continue;
		if (!s->variant)
			plain = s->text;
		else if (variant && strcmp(s->variant, variant) == 0)
			return s->text;
	}
	return plain;
}

char *format_number(double x, char *buf, size_t len)
{
	if (isnan(x)) {
		snprintf(buf, len, "NaN");
		return buf;
	}
	if (isinf(x)) {
		snprintf(buf, len, x > 0 ? "Infinity" : "-Infinity");
		return buf;
	}
	if (x == floor(x) && fabs(x) < 1e9) {
		/* What "%.0f" prints, without printf: the digits of a whole
		 * number below 10^9 (epochs, steps, counts), "-0" for -0.0.
		 * Above, "%.4g" as for fractions: a float32 loss past 2^24 is
		 * always whole, and 3.297e13 reads, 32969263677440 does not. */
		char tmp[24], *p = tmp + sizeof(tmp);
		long long k = (long long)fabs(x);
		*--p = '\0';
		do
			*--p = (char)('0' + k % 10);
		while ((k /= 10) > 0);
		if (signbit(x))
			*--p = '-';
		size_t n = (size_t)(tmp + sizeof(tmp) - 1 - p);
		if (len) {
			n = n < len - 1 ? n : len - 1;
			memcpy(buf, p, n);
			buf[n] = '\0';
		}
		return buf;
	}
	/* Findings repeat their thresholds and limits ("0.02", "0.7"): each
	 * thread keeps the last few fractions it printed, by their bits. */
	static _Thread_local struct {
		uint64_t bits;
		char text[24];
	} seen[16];
	uint64_t bits;
	memcpy(&bits, &x, sizeof(bits));
	size_t slot = (size_t)((bits * UINT64_C(0x9E3779B97F4A7C15)) >> 60);
	if (seen[slot].bits == bits && seen[slot].text[0]) {
		if (len) {
			size_t k = strlen(seen[slot].text);
			k = k < len - 1 ? k : len - 1;
			memcpy(buf, seen[slot].text, k);
			buf[k] = '\0';
		}
		return buf;
	}
	char tmp[64];
	int n = snprintf(tmp, sizeof(tmp), "%.4g", x);
	/* 1e-05 reads better as 1e-5: the exponent's zeros and plus sign go,
	 * in place (one printf a number: findings fill in thousands). */
	char *e = memchr(tmp, 'e', n > 0 ? (size_t)n : 0);
	if (e) {
		char *d = e + 1, *to = e + 1;
		if (*d == '-' || *d == '+') {
			if (*d == '-')
				*to++ = '-';
			d++;
		}
		while (*d == '0' && d[1])
			d++;
		memmove(to, d, strlen(d) + 1);
	}
	if (strlen(tmp) < sizeof(seen[slot].text)) {
		seen[slot].bits = bits;
		memcpy(seen[slot].text, tmp, strlen(tmp) + 1);
	}
	if (len) {
		size_t k = strlen(tmp);
		k = k < len - 1 ? k : len - 1;
		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return buf;
}

static int lookup(const struct rule *rule, const struct values *values,
		  const struct values *builtins, const char *key, size_t n,
		  struct strbuf *out)
{
	char name[64];
	if (n >= sizeof(name))
		return 0;
	memcpy(name, key, n);
	name[n] = '\0';
	const struct values *sets[2] = { values, builtins };
	for (int k = 0; k < 2; k++) {
		const struct value *v = sets[k] ? values_get(sets[k], name) : NULL;
		if (!v)
			continue;
		if (v->is_word) {
			strbuf_adds(out, v->word);
		} else {
			char buf[64];
			strbuf_adds(out, format_number(v->num, buf, sizeof(buf)));
		}
		return 1;
	}
	if (strcmp(name, "id") == 0) {
		strbuf_adds(out, rule->id);
		return 1;
	}
	int idx = rule->det ? detector_param_index(rule->det, name) : -1;
	if (idx >= 0) {
		char buf[64];
		if (rule->det->params[idx].type == PARAM_WORD)
			strbuf_adds(out, rule->param[idx].word);
		else
			strbuf_adds(out, format_number(rule->param[idx].num, buf, sizeof(buf)));
		return 1;
	}
	return 0;
}

/* " epoch" after a count of 1, else " epochs" (" classes", " boxes"). */
static void add_noun(struct strbuf *out, const char *count, const char *noun, size_t len)
{
	int one = strcmp(count, "1") == 0;
	strbuf_addc(out, ' ');
	strbuf_add(out, noun, len);
	if (one)
		return;
	char last = noun[len - 1];
	strbuf_adds(out, last == 's' || last == 'x' ? "es" : "s");
}

char *rule_expand(const struct rule *rule, const char *text,
		  const struct values *values, const struct values *builtins)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = text ? text : "";
	/* Room for the text and a few numbers: one allocation, not a dozen. */
	strbuf_grow(&out, strlen(p) + 64);
	while (*p) {
		const char *brace = strchr(p, '{');
		if (!brace) {
			strbuf_adds(&out, p);
			break;
		}
		strbuf_add(&out, p, (size_t)(brace - p));
		struct placeholder ph;
		int ok = placeholder_parse(brace + 1, &ph);
		size_t n = ph.name_len, start = out.len;
		if (ok && lookup(rule, values, builtins, brace + 1, n, &out)) {
			if (ph.noun)
				add_noun(&out, strbuf_str(&out) + start, ph.noun, ph.noun_len);
			p = brace + ph.len + 2;
		} else if (ok && rule->det && known_key(rule, brace + 1, n)) {
			/* A value this finding did not report. */
			strbuf_adds(&out, "n/a");
			p = brace + ph.len + 2;
		} else {
			strbuf_addc(&out, '{');
			p = brace + 1;
		}
	}
	return strbuf_detach(&out);
}

/*
 * The sources' literal tests, one word away: each profile is a list of
 * --set and --enable/--disable words applied before the command line's own.
 */
static const struct profile {
	const char *name;
	const char *const *words;	/* "ID.PARAM=VALUE", "+ID" enable, "-ID" disable */
} profiles[] = {
	{ "default", (const char *const[]){ NULL } },
	/* AUTOTRAINER's monitor: ol_judge on acc with zeta 0.03, eta 0.2. */
	{ "autotrainer", (const char *const[]){
		"oscillating-loss.series=acc", "oscillating-loss.threshold=0.03",
		"oscillating-loss.rate=0.2", "oscillating-loss.noise=0",
		"oscillating-val-acc.noise=0", "oscillating-val-acc.min_count=0",
		/* not_converge, sc_accuracy, check_large_loss, check_abnormal_value */
		"not-converging.window=0", "not-converging.judgment=0.3",
		"not-converging.fit_loss=0", "slow-convergence.fit_loss=0",
		"slow-convergence.converged_acc=2", "slow-convergence.judgment=0.3",
		"exploding-loss.growth=0", "negative-loss.started_negative=1", NULL } },
	/* The 2023 thesis: ol_judge on val_acc with threshold 0.02. */
	{ "thesis", (const char *const[]){
		"oscillating-val-acc.series=val_acc", "oscillating-val-acc.threshold=0.02",
		"oscillating-val-acc.rate=0.2", "oscillating-val-acc.noise=0",
		"oscillating-val-acc.min_count=0", "oscillating-loss.noise=0", NULL } },
	/* SCRAM's checks as the paper states them. */
	{ "scram", (const char *const[]){
		"+overfitting-scram", "-overfitting", "oscillating-loss.noise=0",
		"oscillating-val-acc.noise=0", "oscillating-val-acc.min_count=0", NULL } },
};

int ruleset_apply_profile(struct ruleset *set, const char *name, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		if (strcmp(profiles[i].name, name) != 0)
			continue;
		for (const char *const *w = profiles[i].words; *w; w++) {
			int rc;
			if (**w == '+' || **w == '-') {
				if (!ruleset_find(set, *w + 1))
					continue;	/* a rules folder without it */
				rc = ruleset_enable(set, *w + 1, **w == '+', err, errlen);
			} else {
				char id[128];
				size_t n = strcspn(*w, ".");
				snprintf(id, sizeof(id), "%.*s", (int)n, *w);
				if (!ruleset_find(set, id))
					continue;
				rc = ruleset_set_param(set, *w, err, errlen);
			}
			if (rc)
				return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "unknown profile '%s' (default, autotrainer, thesis, scram)", name);
	return -1;
}
