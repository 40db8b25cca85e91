#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/run.h"
#include "../render/render.h"
#include "../util/escape.h"
#include "../util/xalloc.h"

enum {
	OPT_SCHEDULE = 256,
	OPT_TOTAL_EPOCHS,
	OPT_RULES,
	OPT_ENABLE,
	OPT_DISABLE,
	OPT_SET,
	OPT_FORMAT,
	OPT_FAIL_ON,
	OPT_LIST_RULES,
	OPT_EXPLAIN,
	OPT_COLOR,
	OPT_FOLLOW,
	OPT_IDLE,
	OPT_CLASSES,
	OPT_BATCH_STATS,
	OPT_VERBOSE,
	OPT_BASELINE,
	OPT_CHART,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_EXCLUDE,
	OPT_BASELINE_FILE,
	OPT_WRITE_BASELINE,
	OPT_SERIES,
	OPT_STRICT,
	OPT_PROFILE,
	OPT_MERGE,
	OPT_HTML_DETAILS,
};

static const struct option longopts[] = {
	{ "schedule", required_argument, NULL, OPT_SCHEDULE },
	{ "total-epochs", required_argument, NULL, OPT_TOTAL_EPOCHS },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "enable", required_argument, NULL, OPT_ENABLE },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "set", required_argument, NULL, OPT_SET },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "jobs", required_argument, NULL, 'j' },
	{ "recursive", no_argument, NULL, 'r' },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "classes", required_argument, NULL, OPT_CLASSES },
	{ "batch-stats", required_argument, NULL, OPT_BATCH_STATS },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "chart", no_argument, NULL, OPT_CHART },
	{ "html-details", required_argument, NULL, OPT_HTML_DETAILS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "baseline-file", required_argument, NULL, OPT_BASELINE_FILE },
	{ "write-baseline", required_argument, NULL, OPT_WRITE_BASELINE },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *out)
{
	fputs("Usage: scram-check [OPTIONS] PATH...\n"
	      "Find what went wrong in a deep-learning training run from its history\n"
	      "(Keras CSVLogger, json.dump(history.history), pandas, Lightning, Hugging Face,\n"
	      "console logs). A PATH is a history file, a folder of them, or - for stdin.\n"
	      "\n"
	      "Checking:\n"
	      "  --schedule SPEC       every (default), interval:K, adaptive[:a,b,k], final\n"
	      "  --total-epochs T      planned run length, for schedules and judgment points\n"
	      "  --classes C           number of classes (for initial-loss, stuck-at-chance)\n"
	      "  --batch-stats FILE    per-batch statistics for the (single) history\n"
	      "  --series NAME=KIND[:SPLIT]  what a column measures: KIND loss, score, error,\n"
	      "                        lr, grad_norm, other; SPLIT train, val, test\n"
	      "  --rules DIR           rule files that replace, add or remove rules (after\n"
	      "                        " SYSRULESDIR " and\n"
	      "                        ~/.config/scram-check/rules)\n"
	      "  --enable ID,...       enable rules (also 'all')\n"
	      "  --disable ID,...      disable rules (also 'all')\n"
	      "  --set ID.PARAM=VALUE  change a rule parameter: oscillating-loss.threshold=0.02\n"
	      "  --profile NAME        the sources' literal tests: autotrainer, scram, thesis\n"
	      "  --list-rules          list the rules and exit\n"
	      "  --explain ID          show a rule's full text and parameters and exit\n"
	      "\n"
	      "Output:\n"
	      "  --format FMT          text (default), json, jsonl, sarif, github, junit, html\n"
	      "      --chart           text: a chart of the losses and accuracies of each run\n"
	      "      --html-details LEVEL  html: runs given a section with charts and findings:\n"
	      "                        all, info, warning, error, none (default: all for one\n"
	      "                        run, else warning: runs with a warning or an error)\n"
	      "  --fail-on LEVEL       error, warning (default), info, none: lowest severity\n"
	      "                        that makes the exit status 1\n"
	      "      --strict          findings the run recovered from fail it too\n"
	      "  -q, --quiet           one line per finding\n"
	      "      --verbose         also how each file was read and mapped, rules skipped\n"
	      "      --color[=WHEN]    auto (default), always, never; NO_COLOR turns it off\n"
	      "\n"
	      "Project:\n"
	      "  --config FILE         settings from FILE, not the nearest .scram-check\n"
	      "  --no-config           read no .scram-check file\n"
	      "  --exclude GLOB        skip histories with a folder or file name matching GLOB\n"
	      "  --baseline-file FILE  findings recorded in FILE are known: shown, not failing\n"
	      "  --write-baseline FILE record every finding in FILE (they become known)\n"
	      "\n"
	      "Many runs:\n"
	      "  -r, --recursive       search folders recursively for histories\n"
	      "  -j, --jobs N          analyze N runs at once (output is the same as -j 1)\n"
	      "  --baseline RUN|median flag runs far worse than RUN's best loss or accuracy,\n"
	      "                        or than the median of the runs given\n"
	      "  --follow              watch a history that training is still writing\n"
	      "  --idle SECONDS        with --follow: stop after SECONDS without growth\n"
	      "  --merge FILE...|-     report on runs analyzed elsewhere with --format jsonl\n"
	      "\n"
	      "  -h, --help            show this help and exit\n"
	      "  -V, --version         show the version and exit\n"
	      "\n"
	      "Exit status: 0 no finding at or above --fail-on; 1 at least one; 2 usage error\n"
	      "or an input that could not be read.\n"
	      "See scram-check(1) and scram-check-rules(5).\n",
	      out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set while parsing arguments that came from a configuration file. */
static const struct options_origin *origin;

static int usage_error(const char *fmt, ...)
{
	/* The message quotes arguments: shown escaped, as any untrusted text. */
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("scram-check: ", stderr);
	int from_config = origin && optind >= 2 && (size_t)optind - 1 <= origin->n;
	if (from_config) {
		fputc('\'', stderr);
		term_fputs(stderr, origin->file);
		fprintf(stderr, "': line %ld: ", origin->line[optind - 2]);
	}
	term_fputs(stderr, msg);
	if (from_config)
		fputc('\n', stderr);
	else
		fputs("\nTry 'scram-check --help' for more information.\n", stderr);
	return 2;
}

static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

static int is_color_word(const char *s)
{
	return strcmp(s, "auto") == 0 || strcmp(s, "always") == 0 || strcmp(s, "never") == 0;
}

static void push(const char ***list, size_t *n, const char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof(char *));
	(*list)[(*n)++] = s;
}

int options_arg_kind(const char *name)
{
	for (const struct option *o = longopts; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o->has_arg == required_argument;
	return -1;
}

static int parse_args(struct options *opt, int argc, char **argv);

int options_parse(struct options *opt, int argc, char **argv)
{
	return options_parse_from(opt, argc, argv, NULL);
}

int options_parse_from(struct options *opt, int argc, char **argv,
		       const struct options_origin *from)
{
	origin = from;
	optind = 0;	/* glibc: start afresh, also on a second parse */
	int rc = parse_args(opt, argc, argv);
	origin = NULL;
	return rc;
}

static int parse_args(struct options *opt, int argc, char **argv)
{
	memset(opt, 0, sizeof(*opt));
	opt->schedule_spec = "every";
	opt->format = "text";
	opt->fail_on = SEV_WARNING;
	opt->jobs = 1;
	opt->color = COLOR_AUTO;
	opt->html_details = HTML_DETAILS_AUTO;
	int html_details_given = 0;
	unsigned long n;
	char *end;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVqrj:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SCHEDULE:
			opt->analysis_opt = 1;
			opt->schedule_spec = optarg;
			break;
		case OPT_TOTAL_EPOCHS:
			if (parse_count(optarg, 100000000, &n) || n == 0)
				return usage_error("--total-epochs takes a whole number from 1 to 100000000, not '%s'",
						   optarg);
			opt->replay.total_epochs = n;
			opt->analysis_opt = 1;
			break;
		case OPT_CLASSES:
			if (parse_count(optarg, 1000000, &n) || n < 2)
				return usage_error("--classes takes a whole number >= 2, not '%s'", optarg);
			opt->replay.classes = (int)n;
			opt->analysis_opt = 1;
			break;
		case OPT_RULES:
			opt->rules_dir = optarg;
			break;
		case OPT_ENABLE:
		case OPT_DISABLE:
			opt->toggle = xreallocarray(opt->toggle, opt->n_toggle + 1, sizeof(*opt->toggle));
			opt->toggle[opt->n_toggle].ids = optarg;
			opt->toggle[opt->n_toggle++].on = c == OPT_ENABLE;
			break;
		case OPT_SET:
			push(&opt->set, &opt->n_set, optarg);
			break;
		case OPT_STRICT:
			opt->strict = 1;
			break;
		case OPT_PROFILE:
			if (strcmp(optarg, "autotrainer") && strcmp(optarg, "scram") &&
			    strcmp(optarg, "thesis") && strcmp(optarg, "default"))
				return usage_error("unknown profile '%s' (autotrainer, scram, thesis, default)",
						   optarg);
			opt->profile = optarg;
			break;
		case OPT_SERIES: {
			char err[256];
			if (metric_override_add(optarg, err, sizeof(err)))
				return usage_error("%s", err);
			opt->analysis_opt = 1;
			break;
		}
		case OPT_FORMAT:
			if (!render_find(optarg))
				return usage_error("unknown format '%s' (text, json, jsonl, sarif, github, junit, html)", optarg);
			opt->format = optarg;
			break;
		case OPT_FAIL_ON: {
			int s = severity_parse(optarg, 1);
			if (s < 0)
				return usage_error("--fail-on takes error, warning, info or none, not '%s'", optarg);
			opt->fail_on = (enum severity)s;
			break;
		}
		case OPT_LIST_RULES:
			opt->list_rules = 1;
			break;
		case OPT_EXPLAIN:
			opt->explain = optarg;
			break;
		case 'q':
			opt->quiet = 1;
			break;
		case OPT_VERBOSE:
			opt->verbose = 1;
			break;
		case OPT_COLOR:
			/* "--color always" as well as "--color=always": a WHEN word
			 * after a bare --color is its value, never a file name. */
			if (!optarg && optind < argc && is_color_word(argv[optind]))
				optarg = argv[optind++];
			if (!optarg || strcmp(optarg, "always") == 0)
				opt->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "auto") == 0)
				opt->color = COLOR_AUTO;
			else if (strcmp(optarg, "never") == 0)
				opt->color = COLOR_NEVER;
			else
				return usage_error("--color takes auto, always or never, not '%s'", optarg);
			break;
		case 'j':
			if (parse_count(optarg, 256, &n) || n == 0)
				return usage_error("-j takes a whole number from 1 to 256, not '%s'", optarg);
			opt->jobs = (unsigned)n;
			break;
		case 'r':
			opt->recursive = 1;
			break;
		case OPT_FOLLOW:
			opt->follow = 1;
			break;
		case OPT_IDLE:
			opt->idle = strtod(optarg, &end);
			if (end == optarg || *end || !(opt->idle > 0 && opt->idle < 1e7))
				return usage_error("--idle takes a number of seconds > 0, not '%s'", optarg);
			break;
		case OPT_BATCH_STATS:
			opt->batch_stats = optarg;
			break;
		case OPT_CHART:
			opt->chart = 1;
			break;
		case OPT_HTML_DETAILS: {
			int s = strcmp(optarg, "all") == 0 ? SEV_NONE
				: strcmp(optarg, "none") == 0 ? HTML_DETAILS_NONE
				: severity_parse(optarg, 0);
			if (s < 0)
				return usage_error("--html-details takes all, info, warning, error or none, "
						   "not '%s'", optarg);
			opt->html_details = s;
			html_details_given = 1;
			break;
		}
		case OPT_BASELINE:
			opt->baseline = optarg;
			break;
		case OPT_MERGE:
			opt->merge = 1;
			break;
		case OPT_CONFIG:
			opt->config = optarg;
			break;
		case OPT_NO_CONFIG:
			opt->no_config = 1;
			break;
		case OPT_EXCLUDE:
			push(&opt->exclude, &opt->n_exclude, optarg);
			break;
		case OPT_BASELINE_FILE:
			opt->baseline_file = optarg;
			break;
		case OPT_WRITE_BASELINE:
			opt->write_baseline = optarg;
			break;
		case 'h':
			options_usage(stdout);
			return 0;
		case 'V':
			printf("scram-check %s\n", VERSION);
			return 0;
		case ':':
			/* optopt is a character only for short options; for a long
			 * one it is the option's value in longopts. */
			if (optopt > 0 && optopt < 256)
				return usage_error("option '-%c' needs a value", optopt);
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	char err[256];
	if (schedule_parse(&opt->replay.schedule, opt->schedule_spec, err, sizeof(err)))
		return usage_error("%s", err);
	opt->paths = argv + optind;
	opt->n_paths = (size_t)(argc - optind);
	if (!opt->n_paths && !opt->list_rules && !opt->explain)
		return usage_error("%s", "no history given (try 'scram-check history.csv')");
	if (opt->follow && opt->n_paths != 1)
		return usage_error("%s", "--follow watches exactly one history file");
	if (opt->follow && strcmp(opt->format, "text") != 0)
		return usage_error("--follow prints findings as text as they come; "
				   "--format %s does not go with it", opt->format);
	if (opt->merge && (opt->analysis_opt || opt->recursive || opt->follow ||
			   opt->batch_stats || opt->baseline))
		return usage_error("%s", "--merge reports on runs already analyzed: give --schedule, "
				   "--total-epochs, --classes, --series, --batch-stats, --baseline, -r and "
				   "--follow to the analysis (--format jsonl)");
	if (opt->idle > 0 && !opt->follow)
		return usage_error("%s", "--idle goes with --follow");
	/* An option that another makes meaningless is said, not ignored. */
	if (opt->chart && strcmp(opt->format, "text") != 0)
		return usage_error("--chart draws in the text report; --format %s has %s", opt->format,
				   strcmp(opt->format, "html") == 0 ? "charts of its own" : "none");
	if (html_details_given && strcmp(opt->format, "html") != 0)
		return usage_error("--html-details shapes the HTML report; --format %s has no "
				   "sections to choose (add --format html)", opt->format);
	if (opt->chart && opt->quiet)
		return usage_error("%s", "--chart and -q do not go together: -q prints one line per finding");
	if (opt->config && opt->no_config)
		return usage_error("%s", "--config and --no-config do not go together");
	if (opt->write_baseline && opt->baseline_file && !origin)
		return usage_error("%s", "--write-baseline records findings afresh; "
				   "--baseline-file does not go with it");
	if (opt->quiet && strcmp(opt->format, "text") != 0 && !origin)
		fprintf(stderr, "scram-check: note: -q shapes the text report; "
			"--format %s is unchanged\n", opt->format);
	return -1;
}

void options_release(struct options *opt)
{
	free(opt->toggle);
	free(opt->set);
	free(opt->exclude);
	metric_overrides_clear();
}
