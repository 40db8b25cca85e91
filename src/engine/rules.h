/*
 * Rules: the files in rules/, each binding an id, a severity, parameter
 * values and human text to one detector. See man/scram-check-rules.5.
 *
 * A struct ruleset owns its rules and everything in them; ruleset_release
 * frees it all. Rules are kept sorted by id.
 */
#ifndef SCRAM_RULES_H
#define SCRAM_RULES_H

#include <stddef.h>

#include "detector.h"

enum severity {
	SEV_NONE = 0,		/* only as a --fail-on level: never fail */
	SEV_INFO = 1,
	SEV_WARNING = 2,
	SEV_ERROR = 3
};

const char *severity_name(enum severity s);
/* "error", "warning", "info" (and "none" when allow_none); -1 if none. */
int severity_parse(const char *s, int allow_none);

struct rule_section {
	char *name;		/* "message", "why", "fix", "snippet" */
	char *variant;		/* "loss", "pytorch"... or NULL */
	char *text;
	long line;		/* where it starts in the file */
};

struct rule {
	char *id;
	char *path;		/* the file it came from */
	char *replaces;		/* an overlay's: the file it replaced, or NULL */
	const struct detector *det;
	enum severity severity;
	int enabled;
	double judgment;	/* fraction of T before which the rule is skipped */
	int values_last;	/* "values: last": text from the last check that held */
	unsigned axes;		/* 1u << AXIS_*: the points it judges ("axis:" line) */
	int sticky;		/* "sticky: yes": fails the gate even after the run recovered */
	char *source;
	char *reads;		/* the series it reads, as the file says */
	char *title;
	char *summary;		/* one line for --list-rules; NULL: the detector's */
	struct param_value *param;	/* det->n_params values */
	char **param_word;	/* owned copies of word values */
	struct rule_section *sec;
	size_t n_sec;
};

struct ruleset {
	struct rule *v;
	size_t n;
	char *dir;
};

/* Load every *.rule file of dir. 0, or -1 with "FILE:LINE: what" in err. */
int ruleset_load_dir(struct ruleset *set, const char *dir, char *err, size_t errlen);
/* Load one rule file's text (for tests and fuzzing). */
int rule_parse(struct rule *rule, const char *path, const char *text,
	       char *err, size_t errlen);
void rule_release(struct rule *rule);
void ruleset_release(struct ruleset *set);

struct rule *ruleset_find(const struct ruleset *set, const char *id);
/* --enable/--disable: a comma-separated list of ids. */
int ruleset_enable(struct ruleset *set, const char *ids, int on, char *err, size_t errlen);
/* --profile NAME: the sources' literal parameters (autotrainer, thesis, scram). */
int ruleset_apply_profile(struct ruleset *set, const char *name, char *err, size_t errlen);
/* --set ID.PARAM=VALUE */
int ruleset_set_param(struct ruleset *set, const char *spec, char *err, size_t errlen);

/* What the rule tests, in one line: its summary, else its detector's. */
const char *rule_summary(const struct rule *rule);

/* A section's text: the variant's when there is one, else the plain one; NULL if absent. */
const char *rule_section(const struct rule *rule, const char *name, const char *variant);

/*
 * Fill {key} placeholders from the detector's values, then the built-ins,
 * then the rule's parameters. In a snippet, braces that name none of these
 * are left as they are (code has braces). Returns a new string.
 */
char *rule_expand(const struct rule *rule, const char *text,
		  const struct values *values, const struct values *builtins);

/* Format a number for people: 0.412, 1e-4, 37. Returns buf. */
char *format_number(double x, char *buf, size_t len);

#endif
