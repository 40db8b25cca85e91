/*
 * scram-check: wires the modules together (options → rules → inputs → read →
 * replay → render). main has a single cleanup path (zstd's CLEAN_RETURN).
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../engine/finding.h"
#include "../engine/overlay.h"
#include "../engine/replay.h"
#include "../engine/rules.h"
#include "../model/run.h"
#include "../read/reader.h"
#include "../render/render.h"
#include "../util/escape.h"
#include "../util/strbuf.h"
#include "../util/wrap.h"
#include "../util/xalloc.h"
#include "config.h"
#include "inputs.h"
#include "merge.h"
#include "known.h"
#include "options.h"
#include "reference.h"

/* Where the built-in rules are: $SCRAM_CHECK_RULES, rules/ beside the binary
 * (a source tree), or the installed folder. */
static const char *find_rules_dir(char *buf, size_t len)
{
	const char *env = getenv("SCRAM_CHECK_RULES");
	if (env && *env)
		return env;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, len, "%s/rules", exe);
			if (access(buf, R_OK | X_OK) == 0)
				return buf;
		}
	}
	return RULESDIR;
}

/*
 * The overlays on the built-in rules, in order: the system's, the user's,
 * then --rules DIR; each file replaces, adds or removes one rule.
 */
static int load_overlays(const struct options *opt, struct ruleset *rules,
			 char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *user = xdg && *xdg ? xasprintf("%s/scram-check/rules", xdg)
		     : home && *home ? xasprintf("%s/.config/scram-check/rules", home) : NULL;
	const char *dirs[] = { SYSRULESDIR, user, opt->rules_dir };
	int rc = 0;
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		size_t n = 0;
		if (!dirs[i])
			continue;
		rc = ruleset_overlay_dir(rules, dirs[i], i == 2, &n, err, errlen);
		if (rc == 0 && n && opt->verbose)
			fprintf(stderr, "scram-check: %zu rule file%s from '%s'\n", n,
				n == 1 ? "" : "s", dirs[i]);
	}
	free(user);
	return rc;
}

static int load_rules(const struct options *opt, struct ruleset *rules)
{
	char dirbuf[PATH_MAX + 8], err[1024];
	const char *dir = find_rules_dir(dirbuf, sizeof(dirbuf));
	if (ruleset_load_dir(rules, dir, err, sizeof(err)))
		goto bad;
	if (load_overlays(opt, rules, err, sizeof(err)))
		goto bad;
	if (opt->profile && ruleset_apply_profile(rules, opt->profile, err, sizeof(err)))
		goto bad;
	for (size_t i = 0; i < opt->n_toggle; i++)
		if (ruleset_enable(rules, opt->toggle[i].ids, opt->toggle[i].on, err, sizeof(err)))
			goto bad;
	for (size_t i = 0; i < opt->n_set; i++)
		if (ruleset_set_param(rules, opt->set[i], err, sizeof(err)))
			goto bad;
	return 0;
bad:
	fputs("scram-check: ", stderr);
	term_fputs(stderr, err);
	fputc('\n', stderr);
	return -1;
}

static void list_rules(FILE *out, const struct ruleset *rules)
{
	for (size_t i = 0; i < rules->n; i++) {
		const struct rule *r = &rules->v[i];
		fprintf(out, "%-24s %-8s %-4s %s\n", r->id, severity_name(r->severity),
			r->enabled ? "on" : "off", rule_summary(r));
	}
}

/* Columns for text: the terminal's, else $COLUMNS, else 80. */
static int terminal_width(void)
{
	if (!isatty(STDOUT_FILENO))
		return 80;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	int n = c ? atoi(c) : 0;
	return n >= 20 && n <= 1000 ? n : 80;
}

static void print_section(FILE *out, const char *head, const char *text, const char *indent)
{
	if (!text)
		return;
	fprintf(out, "%s\n", head);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(out, "%s%.*s\n", n ? indent : "", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
}

/* Words of text after head, folded at width columns, later lines after pad. */
static void print_wrapped(FILE *out, const char *head, const char *text,
			  const char *pad, size_t width)
{
	size_t col = strlen(head);
	fputs(head, out);
	int first = 1;
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		if (!first && col + 1 + n > width) {
			fprintf(out, "\n%s", pad);
			col = strlen(pad);
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += n;
		first = 0;
		p += n;
	}
	fputc('\n', out);
}

static int explain_rule(FILE *out, const struct ruleset *rules, const char *id)
{
	const struct rule *r = ruleset_find(rules, id);
	if (!r) {
		char *shown = term_escape(id);
		fprintf(stderr, "scram-check: unknown rule '%s' (see --list-rules)\n", shown);
		free(shown);
		return 2;
	}
	fprintf(out, "%s (%s%s)\n", r->id, severity_name(r->severity),
		r->enabled ? "" : ", off by default");
	fprintf(out, "  %s\n\n", rule_summary(r));
	fprintf(out, "Detector:   %s\n", r->det->name);
	if (r->source)
		print_wrapped(out, "Source:     ", r->source, "            ", 78);
	if (r->reads)
		fprintf(out, "Reads:      %s\n", r->reads);
	if (r->judgment > 0)
		fprintf(out, "Judgment:   not checked before %g of the run\n", r->judgment);
	if (r->axes & (1u << AXIS_STEP))
		fprintf(out, "Axis:       %s\n", r->axes & (1u << AXIS_EPOCH)
			? "epochs, evaluations and logged steps" : "logged steps");
	fprintf(out, "File:       %s\n", r->path);
	if (r->replaces)
		fprintf(out, "Replaces:   %s\n", r->replaces);
	if (r->det->n_params) {
		fprintf(out, "\nParameters (--set %s.NAME=VALUE):\n", r->id);
		for (size_t i = 0; i < r->det->n_params; i++) {
			const struct param_def *d = &r->det->params[i];
			char v[64], def[64];
			if (d->type == PARAM_WORD) {
				snprintf(v, sizeof(v), "%s", r->param[i].word);
				snprintf(def, sizeof(def), "%s", d->def_word ? d->def_word : "");
			} else {
				format_number(r->param[i].num, v, sizeof(v));
				format_number(d->def, def, sizeof(def));
			}
			fprintf(out, "  %-14s = %-10s (default %s) %s\n", d->name, v, def,
				d->doc ? d->doc : "");
		}
	}
	fputc('\n', out);
	fprintf(out, "Why it matters:\n");
	wrap_print(out, rule_section(r, "why", NULL), (size_t)terminal_width(), "  ", NULL);
	fputc('\n', out);
	fprintf(out, "Fix:\n");
	wrap_print(out, rule_section(r, "fix", NULL), (size_t)terminal_width(), "  ", NULL);
	fputc('\n', out);
	print_section(out, "Keras:", rule_section(r, "snippet", NULL), "    ");
	/* Every framework's own snippet, where the rule has one. */
	static const char *const fw_title[FW_COUNT] = {
		[FW_PYTORCH] = "PyTorch:", [FW_LIGHTNING] = "Lightning:",
		[FW_TRANSFORMERS] = "Hugging Face Transformers:", [FW_YOLO] = "YOLO (Ultralytics):",
	};
	for (int fw = FW_PYTORCH; fw < FW_COUNT; fw++)
		for (size_t i = 0; i < r->n_sec; i++)
			if (strcmp(r->sec[i].name, "snippet") == 0 && r->sec[i].variant &&
			    strcmp(r->sec[i].variant, framework_name((enum framework)fw)) == 0) {
				fputc('\n', out);
				print_section(out, fw_title[fw], r->sec[i].text, "    ");
				break;
			}
	return 0;
}

/*
 * The audit as a pipeline: workers take the inputs in order and analyze
 * them; whichever thread completes the input the report waits for writes it,
 * and those after it already done, in input order, then frees them. The
 * report is the one of analyzing everything first (-j never changes it), and
 * memory holds the runs in flight, not the archive: no worker runs more than
 * a window of inputs ahead of the report.
 */
#define WINDOW_PER_JOB 8

struct work {
	const struct options *opt;
	const struct ruleset *rules;
	struct inputs *in;
	size_t next;		/* the next input to analyze */
	size_t next_out;	/* the next input to report */
	size_t window;
	unsigned char *done;	/* per input: analyzed */
	void ***parts;		/* per input: its runs' parts of the report, drawn */
	int writing;		/* a thread is in report_done */
	pthread_mutex_t lock;
	pthread_cond_t room;	/* next_out moved on */
	/* The ordered stage's own, touched by one thread at a time: */
	struct render *render;
	const struct known *known;	/* --baseline-file, or NULL */
	struct strbuf *recorded;	/* --write-baseline's lines, or NULL */
	size_t n_known, n_recorded;
	int found;		/* inputs_settle_at's */
	double report_cpu;	/* CPU seconds spent in report_done */
	int timed;		/* SCRAM_CHECK_PHASES: measure report_cpu */
};

static double thread_cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The rule files' line breaks are the editor's, not the reader's: every
 * format gets paragraphs on one line each, and text reflows them to its width.
 */
static void unfold_texts(struct run_result *res)
{
	for (size_t k = 0; k < res->n_f; k++) {
		char **t[] = { &res->f[k].message, &res->f[k].why, &res->f[k].fix };
		for (size_t j = 0; j < 3; j++)
			if (*t[j]) {
				char *u = wrap_unfold(*t[j]);
				free(*t[j]);
				*t[j] = u;
			}
	}
}

/*
 * What a worker does for input i after reading and replaying it: the texts,
 * the accepted findings, and the runs' parts of the report, drawn here in
 * parallel so that writing them in order is little more than a copy.
 */
static void finish_input(struct work *w, size_t i)
{
	struct input *x = &w->in->v[i];
	if (x->n_res)
		w->parts[i] = xcalloc(x->n_res, sizeof(*w->parts[i]));
	/* -q text shows each finding's first line only: no prose to unfold. */
	int prose = !(w->opt->quiet && strcmp(w->opt->format, "text") == 0);
	for (size_t j = 0; j < x->n_res; j++) {
		struct run_result *res = &x->res[j];
		if (prose)
			unfold_texts(res);
		if (w->recorded)
			for (size_t k = 0; k < res->n_f; k++)
				res->f[k].known = 1;
		else if (w->known)
			known_mark(w->known, res);
		w->parts[i][j] = render_draw(w->render, res);
	}
}

/* Report input i, whose inputs before it are reported, and free its runs. */
static void report_done(struct work *w, size_t i)
{
	struct input *x = &w->in->v[i];
	/* Two system calls a run: only when the phases are asked for. */
	double t0 = w->timed ? thread_cpu_seconds() : 0;
	size_t drawn = x->n_res;	/* settling may add a folder's error */
	inputs_settle_at(w->in, i, &w->found);
	for (size_t j = 0; j < x->n_res; j++) {
		struct run_result *res = &x->res[j];
		if (res->error) {
			fputs("scram-check: '", stderr);
			term_fputs(stderr, res->path);
			fputs("': ", stderr);
			term_fputs(stderr, res->error);
			fputc('\n', stderr);
		}
		for (size_t k = 0; w->known && k < res->n_f; k++)
			w->n_known += res->f[k].known;
		if (w->recorded)
			w->n_recorded += known_add(w->recorded, res);
		if (j < drawn)
			render_put(w->render, res, w->parts[i][j]);
		else
			render_run(w->render, res);
		run_result_release(res);
	}
	free(w->parts[i]);
	w->parts[i] = NULL;
	free(x->res);
	x->res = NULL;
	x->n_res = 0;
	if (w->timed)
		w->report_cpu += thread_cpu_seconds() - t0;
}

static void *worker(void *arg)
{
	struct work *w = arg;
	size_t n = w->in->n;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->next < n && w->next >= w->next_out + w->window)
			pthread_cond_wait(&w->room, &w->lock);
		if (w->next >= n)
			break;
		size_t i = w->next++;
		pthread_mutex_unlock(&w->lock);
		input_analyze(&w->in->v[i], w->rules, w->opt);
		finish_input(w, i);
		pthread_mutex_lock(&w->lock);
		w->done[i] = 1;
		if (w->writing)
			continue;	/* the thread writing will come to it */
		w->writing = 1;
		while (w->next_out < n && w->done[w->next_out]) {
			size_t k = w->next_out;
			pthread_mutex_unlock(&w->lock);
			report_done(w, k);
			pthread_mutex_lock(&w->lock);
			w->next_out++;
			pthread_cond_broadcast(&w->room);
		}
		w->writing = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void analyze_all(struct work *w, unsigned jobs)
{
	if (jobs > w->in->n)
		jobs = (unsigned)w->in->n;
	w->window = (size_t)(jobs ? jobs : 1) * WINDOW_PER_JOB;
	w->done = xcalloc(w->in->n ? w->in->n : 1, 1);
	w->parts = xcalloc(w->in->n ? w->in->n : 1, sizeof(*w->parts));
	if (jobs <= 1) {
		worker(w);
		goto out;
	}
	pthread_t *t = xcalloc(jobs, sizeof(*t));
	unsigned started = 0;
	for (; started < jobs; started++)
		if (pthread_create(&t[started], NULL, worker, w))
			break;
	if (started == 0)
		worker(w);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	free(t);
out:
	free(w->done);
	free(w->parts);
	w->done = NULL;
	w->parts = NULL;
}

/* Freeing ten thousand results is work too: shared out like the analysis. */
struct release {
	struct run_result *runs;
	size_t n;
	size_t next;
	pthread_mutex_t lock;
};

static void *release_worker(void *arg)
{
	struct release *r = arg;
	for (;;) {
		pthread_mutex_lock(&r->lock);
		size_t i = r->next;
		r->next += 64;
		pthread_mutex_unlock(&r->lock);
		for (size_t k = i; k < i + 64 && k < r->n; k++)
			run_result_release(&r->runs[k]);
		if (i + 64 >= r->n)
			return NULL;
	}
}

static void release_results(struct run_result *runs, size_t n, unsigned jobs)
{
	struct release r = { runs, n, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[64];
	unsigned started = 0;
	if (jobs > 64)
		jobs = 64;
	for (; jobs > 1 && n > 256 && started < jobs - 1; started++)
		if (pthread_create(&t[started], NULL, release_worker, &r))
			break;
	release_worker(&r);
	for (unsigned i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&r.lock);
}

/*
 * SCRAM_CHECK_PHASES=1: the CPU seconds of each stage of an audit on
 * standard error, for bench/: what runs in parallel (the analysis, and the
 * report of each run as it is done, which one thread at a time writes while
 * the others analyze) against what one thread does alone (rules, folder
 * search, the end of the report, cleanup): the serial share.
 */
enum phase { PH_START, PH_COLLECTED, PH_ANALYZED, PH_REPORTED, PH_END, PH_COUNT };

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_phases(const double *t, double in_order)
{
	if (!getenv("SCRAM_CHECK_PHASES") || t[PH_ANALYZED] == 0)
		return;
	double total = t[PH_END] - t[PH_START];
	double pipeline = t[PH_ANALYZED] - t[PH_COLLECTED];
	fprintf(stderr, "scram-check: phases (CPU s): rules and folder search %.3f, "
		"analysis and report of each run %.3f (of it in order, one thread at a time, "
		"%.3f), end of the report %.3f, cleanup %.3f; serial share %.1f%%\n",
		t[PH_COLLECTED] - t[PH_START], pipeline, in_order, t[PH_REPORTED] - t[PH_ANALYZED],
		t[PH_END] - t[PH_REPORTED], total > 0 ? 100 * (total - pipeline) / total : 0);
}

/*
 * The project's .scram-check (or --config FILE): its entries go before the
 * command line's arguments and everything is parsed again, so the command
 * line wins. -1 go on; else the exit status.
 */
static int apply_config(struct options *opt, struct config *cfg, char ***argv2,
			int argc, char **argv)
{
	char err[1024], *note = NULL;
	if (opt->no_config)
		return -1;
	char *path = opt->config ? xstrdup(opt->config)
				 : config_find(opt->paths, opt->n_paths, &note);
	if (note)
		fprintf(stderr, "scram-check: note: %s\n", note);
	free(note);
	if (!path)
		return -1;
	int rc = config_load(cfg, path, err, sizeof(err));
	free(path);
	if (rc) {
		fprintf(stderr, "scram-check: %s\n", err);
		return 2;
	}
	if (opt->verbose)
		fprintf(stderr, "scram-check: configuration from '%s'\n", cfg->path);
	if (!cfg->n)
		return -1;
	*argv2 = xcalloc((size_t)argc + cfg->n + 1, sizeof(char *));
	(*argv2)[0] = argv[0];
	for (size_t i = 0; i < cfg->n; i++)
		(*argv2)[i + 1] = cfg->arg[i];
	for (int i = 1; i < argc; i++)
		(*argv2)[cfg->n + (size_t)i] = argv[i];
	options_release(opt);
	struct options_origin from = { cfg->path, cfg->line, cfg->n };
	return options_parse_from(opt, argc + (int)cfg->n, *argv2, &from);
}

/* --exclude: drop the inputs whose path matches a glob. */
static void drop_excluded(struct inputs *in, const struct options *opt)
{
	size_t k = 0;
	for (size_t i = 0; i < in->n; i++) {
		const char *hit = NULL;
		for (size_t g = 0; g < opt->n_exclude && !hit; g++)
			if (config_exclude_match(opt->exclude[g], in->v[i].path))
				hit = opt->exclude[g];
		if (!hit) {
			in->v[k++] = in->v[i];
			continue;
		}
		if (opt->verbose)
			fprintf(stderr, "scram-check: '%s' excluded by '%s'\n", in->v[i].path, hit);
		free(in->v[i].path);
		free(in->v[i].error);
	}
	if (k == 0 && in->n > 0)
		fprintf(stderr, "scram-check: note: every history found was excluded (--exclude)\n");
	in->n = k;
}

static int use_color(const struct options *opt)
{
	/* Flags win over NO_COLOR (no-color.org); a dumb terminal gets none. */
	if (opt->color != COLOR_AUTO)
		return opt->color == COLOR_ALWAYS;
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if ((nc && *nc) || (term && strcmp(term, "dumb") == 0))
		return 0;
	return isatty(STDOUT_FILENO);
}

/* The report's settings from the options; sched holds the schedule's name. */
static void report_init(struct report *rep, const struct options *opt,
			const struct ruleset *rules, const char *sched)
{
	memset(rep, 0, sizeof(*rep));
	rep->schedule = sched;
	rep->rules = rules;
	rep->fail_on = opt->fail_on;
	rep->strict = opt->strict;
	rep->quiet = opt->quiet;
	rep->verbose = opt->verbose;
	rep->chart = opt->chart;
	rep->html_details = opt->html_details;
	rep->width = terminal_width();
	rep->color = use_color(opt);
}

/* The unreadable runs on standard error, before a whole report (--merge). */
static void say_unreadable(const struct run_result *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (runs[i].error) {
			fputs("scram-check: '", stderr);
			term_fputs(stderr, runs[i].path);
			fputs("': ", stderr);
			term_fputs(stderr, runs[i].error);
			fputc('\n', stderr);
		}
}

int main(int argc, char **argv)
{
	struct options opt;
	struct ruleset rules = { 0 };
	struct inputs in = { 0 };
	struct run_result *results = NULL;
	size_t n_results = 0;
	struct merge merged = { 0 };
	struct config cfg = { 0 };
	struct known known = { 0 };
	struct strbuf recorded = STRBUF_INIT;
	struct work w = { 0 };
	struct report rep;
	char **argv2 = NULL, sched[64], err[1024];
	double phase[PH_COUNT] = { cpu_seconds() };
	/* cJSON allocates through xmalloc: out of memory ends the program in one
	 * place instead of a NULL in every renderer. */
	cJSON_Hooks hooks = { xmalloc, free };
	cJSON_InitHooks(&hooks);
#ifdef M_TRIM_THRESHOLD
	/* An audit reads, replays and frees thousands of runs of a few hundred
	 * kilobytes each: keep the freed heap for the next run instead of
	 * handing it back to the kernel after each one (a brk and a TLB flush
	 * every time, a third of the system time of a 10,000-file audit), and
	 * grow the heap 2 MiB past each request (more adds to the peak of a
	 * million-epoch file). Big arrays stay mapped on their own, so growing
	 * them is an mremap. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 2 << 20);
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	int rc = options_parse(&opt, argc, argv);
	if (rc >= 0)
		goto end;
	rc = apply_config(&opt, &cfg, &argv2, argc, argv);
	if (rc >= 0)
		goto end;
	rc = 2;
	if (load_rules(&opt, &rules))
		goto end;
	if (opt.list_rules) {
		list_rules(stdout, &rules);
		rc = 0;
		goto end;
	}
	if (opt.explain) {
		rc = explain_rule(stdout, &rules, opt.explain);
		goto end;
	}
	if (opt.follow) {
		rc = follow_history(opt.paths[0], &rules, &opt, use_color(&opt));
		goto end;
	}
	if (opt.merge) {
		if (merge_read(&merged, opt.paths, opt.n_paths, &rules, &results, &n_results))
			goto end;
		report_init(&rep, &opt, &rules, merged.schedule);
		rep.runs = results;
		rep.n_runs = n_results;
		say_unreadable(results, n_results);
		render_report(render_find(opt.format), stdout, &rep);
		fflush(stdout);
		rc = report_exit_status(&rep);
		goto written;
	}
	/* Files found in folders are sniffed by the workers, from the read
	 * that parses them, unless an option needs the histories counted
	 * first. */
	inputs_collect(&in, &opt, !opt.batch_stats && !opt.baseline && !opt.n_exclude);
	drop_excluded(&in, &opt);
	if (opt.batch_stats && in.n != 1) {
		fprintf(stderr, "scram-check: --batch-stats goes with exactly one history (found %zu)\n",
			in.n);
		goto end;
	}
	if (opt.baseline) {
		if (baseline_apply(&rules, opt.baseline, &in, err, sizeof(err))) {
			fputs("scram-check: ", stderr);
			term_fputs(stderr, err);
			fputc('\n', stderr);
			goto end;
		}
	}
	/* The accepted findings are at hand before the first run is reported,
	 * and a file that cannot be written is found before the report. */
	if (opt.write_baseline) {
		FILE *f = fopen(opt.write_baseline, "a");
		if (!f) {
			fprintf(stderr, "scram-check: cannot write '%s': %s\n", opt.write_baseline,
				strerror(errno));
			goto end;
		}
		fclose(f);
		w.recorded = &recorded;
	} else if (opt.baseline_file) {
		if (known_load(&known, opt.baseline_file, err, sizeof(err))) {
			fprintf(stderr, "scram-check: %s\n", err);
			goto end;
		}
		w.known = &known;
	}
	schedule_describe(&opt.replay.schedule, sched, sizeof(sched));
	report_init(&rep, &opt, &rules, sched);
	w.opt = &opt;
	w.rules = &rules;
	w.in = &in;
	w.timed = getenv("SCRAM_CHECK_PHASES") != NULL;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.room, NULL);
	w.render = render_begin(render_find(opt.format), stdout, &rep);
	phase[PH_COLLECTED] = cpu_seconds();
	analyze_all(&w, opt.jobs);
	phase[PH_ANALYZED] = cpu_seconds();
	pthread_cond_destroy(&w.room);
	pthread_mutex_destroy(&w.lock);
	rc = render_end(w.render);
	fflush(stdout);
	phase[PH_REPORTED] = cpu_seconds();
	if (opt.write_baseline) {
		if (known_save(opt.write_baseline, &recorded, err, sizeof(err))) {
			fprintf(stderr, "scram-check: %s\n", err);
			rc = 2;
		} else {
			fprintf(stderr, "scram-check: %zu finding%s recorded in '%s'\n", w.n_recorded,
				w.n_recorded == 1 ? "" : "s", opt.write_baseline);
		}
	} else if (opt.baseline_file && opt.verbose) {
		fprintf(stderr, "scram-check: %zu known finding%s from '%s'\n", w.n_known,
			w.n_known == 1 ? "" : "s", opt.baseline_file);
	}
written:
	if (ferror(stdout)) {
		fprintf(stderr, "scram-check: cannot write the report: %s\n", strerror(errno));
		rc = 2;
	}
end:
	release_results(results, n_results, opt.jobs);
	free(results);
	merge_release(&merged);
	inputs_release(&in);
	known_release(&known);
	strbuf_release(&recorded);
	ruleset_release(&rules);
	options_release(&opt);
	config_release(&cfg);
	free(argv2);
	phase[PH_END] = cpu_seconds();
	print_phases(phase, w.report_cpu);
	return rc;
}
