/*
 * src/cli/: the top stage; main wires the others. May use every stage.
 *
 * The command line: getopt_long into a struct options. options_parse owns
 * nothing: the strings point into argv.
 */
#ifndef SCRAM_OPTIONS_H
#define SCRAM_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "../engine/replay.h"
#include "../engine/rules.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	struct replay_opts replay;
	const char *schedule_spec;
	const char *rules_dir;		/* NULL: find it */
	struct toggle {
		const char *ids;	/* --enable/--disable ID,... */
		int on;
	} *toggle;			/* in command-line order: the last word wins */
	size_t n_toggle;
	const char *profile;		/* --profile NAME, applied before --set */
	int strict;			/* --strict */
	const char **set;		/* --set ID.PARAM=VALUE */
	size_t n_set;
	const char *format;
	enum severity fail_on;
	int list_rules;
	const char *explain;
	int quiet;
	int verbose;
	int chart;			/* --chart */
	int html_details;		/* --html-details: a severity, or HTML_DETAILS_* */
	enum color_mode color;
	unsigned jobs;
	int recursive;
	int follow;
	double idle;			/* --follow: stop after this many idle seconds; 0 never */
	const char *batch_stats;
	const char *baseline;		/* --baseline RUN|median */
	int merge;			/* --merge: the paths are --format jsonl documents */
	int analysis_opt;		/* an option --merge cannot honour was given */
	const char *config;		/* --config FILE */
	int no_config;			/* --no-config */
	const char **exclude;		/* --exclude GLOB */
	size_t n_exclude;
	const char *baseline_file;	/* --baseline-file FILE: accepted findings */
	const char *write_baseline;	/* --write-baseline FILE */
	char **paths;			/* the PATH operands */
	size_t n_paths;
};

/* Exit status for main: -1 go on; 0 after --help/--version; 2 on a usage error. */
int options_parse(struct options *opt, int argc, char **argv);
void options_release(struct options *opt);
void options_usage(FILE *out);

/*
 * Arguments taken from a configuration file: argv[1..n] came from file, at
 * the lines given, so that a bad value names the file and line.
 */
struct options_origin {
	const char *file;
	const long *line;
	size_t n;
};
int options_parse_from(struct options *opt, int argc, char **argv,
		       const struct options_origin *origin);
/* A long option's argument: 1 takes a value, 0 a flag, -1 no such option. */
int options_arg_kind(const char *name);

#endif
