/*
 * --follow: watch a history that training is still appending to (replay.md,
 * "Live logs"). The file is re-read when it grows; only complete lines count
 * until the file has been idle. Findings are printed the moment a scheduled
 * check detects them. A file that shrinks or is replaced starts a new run, as
 * does a CSVLogger restart (a new segment). At the end (--idle seconds without
 * growth, or SIGINT) the run gets the usual post-hoc replay, whose summary and
 * exit code are the same as for `scram-check FILE`.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../engine/replay.h"
#include "../read/reader.h"
#include "../render/render.h"
#include "../util/xalloc.h"
#include "inputs.h"

#define POLL_MS 100

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct live {
	const struct ruleset *rules;
	struct report rep;
	struct replay_opts ropts;
	struct run_list runs;	/* the latest parse */
	struct replay *rp;	/* replay of the current (last) segment */
	size_t segment;		/* which segment rp follows (index in runs) */
	struct run_result shown;	/* findings printed live: rule pointers only */
	struct run_result *done;	/* post-hoc results of finished segments */
	size_t n_done;
};

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void print_live(const struct finding *f, void *arg)
{
	struct live *lv = arg;
	struct run_result res = { 0 };
	const struct run *run = lv->runs.v[lv->segment];
	res.path = run->path;
	res.label = run->label;
	res.run = (struct run *)run;
	render_text_finding(stdout, &lv->rep, &res, f);
	fflush(stdout);
	lv->shown.f = xreallocarray(lv->shown.f, lv->shown.n_f + 1, sizeof(*lv->shown.f));
	memset(&lv->shown.f[lv->shown.n_f], 0, sizeof(*lv->shown.f));
	lv->shown.f[lv->shown.n_f++].rule = f->rule;
}

/* Close the current segment: post-hoc replay of it, print what was not shown. */
static void finish_segment(struct live *lv)
{
	if (!lv->rp)
		return;
	struct run_result tmp = { 0 };
	replay_finish(lv->rp, lv->runs.v[lv->segment], &tmp);
	run_result_release(&tmp);
	lv->rp = NULL;
	struct run *run = lv->runs.v[lv->segment];
	lv->runs.v[lv->segment] = NULL;
	lv->done = xreallocarray(lv->done, lv->n_done + 1, sizeof(*lv->done));
	struct run_result *res = &lv->done[lv->n_done++];
	memset(res, 0, sizeof(*res));
	res->path = xstrdup(run->path);
	res->label = xstrdup(run->label);
	res->format = run->format;
	res->run = run;
	struct replay_opts post = lv->ropts;
	post.defer_judged = 0;
	replay_run(lv->rules, &post, run, res);
	for (size_t i = 0; i < res->n_f; i++) {
		int seen = 0;
		for (size_t k = 0; k < lv->shown.n_f; k++)
			seen |= lv->shown.f[k].rule == res->f[i].rule;
		if (!seen)
			render_text_finding(stdout, &lv->rep, res, &res->f[i]);
	}
	free(lv->shown.f);
	lv->shown.f = NULL;
	lv->shown.n_f = 0;
	fflush(stdout);
}

/* Feed a new parse: continue the current segment, or start new ones. */
static void feed(struct live *lv, struct run_list *fresh, int is_last)
{
	size_t keep = lv->rp ? lv->segment : 0;
	int same = lv->rp && fresh->n > keep &&
		   fresh->v[keep]->n_epochs >= lv->runs.v[keep]->n_epochs;
	if (lv->rp && !same) {
		finish_segment(lv);
		fprintf(stdout, "%s: the file was truncated or replaced; following it as a new run\n",
			fresh->n ? fresh->v[0]->path : "");
		keep = 0;
	}
	/* Swap in the new parse; the replay only reads the run during a step. */
	struct run_list old = lv->runs;
	lv->runs = *fresh;
	memset(fresh, 0, sizeof(*fresh));
	for (size_t seg = same ? keep : 0; seg < lv->runs.n; seg++) {
		if (!lv->rp) {
			lv->segment = seg;
			lv->rp = replay_new(lv->rules, &lv->ropts, lv->runs.v[seg]);
		}
		int last_seg = seg + 1 == lv->runs.n;
		replay_advance(lv->rp, lv->runs.v[seg], is_last && last_seg, print_live, lv);
		if (!last_seg)
			finish_segment(lv);
	}
	run_list_release(&old);
}

/* Read the file; only complete lines unless final. 1 new data, 0 none, -1 error. */
static int poll_file(const char *path, struct stat *last, int final, struct live *lv,
		     int *restarted)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;	/* being replaced: wait */
	*restarted = st.st_ino != last->st_ino || st.st_size < last->st_size;
	if (!final && !*restarted && st.st_size == last->st_size && st.st_mtime == last->st_mtime)
		return 0;
	*last = st;
	char *buf;
	size_t len;
	struct read_error err;
	if (slurp_file(path, HISTORY_MAX_BYTES, &buf, &len, &err)) {
		fprintf(stderr, "scram-check: '%s': %s\n", path, err.msg);
		return -1;
	}
	if (!final)
		while (len && buf[len - 1] != '\n')
			len--;
	struct run_list fresh = { 0 };
	int rc = 0, ok = len && history_read_buffer(path, buf, len, &fresh, &err) == 0;
	if (!ok && final && len && buf[len - 1] != '\n') {
		/* A job killed mid-write leaves half a line: drop it, and say so. */
		size_t cut = len;
		while (cut && buf[cut - 1] != '\n')
			cut--;
		run_list_release(&fresh);
		if (cut && history_read_buffer(path, buf, cut, &fresh, &err) == 0) {
			fprintf(stderr, "scram-check: '%s': the last line is incomplete; ignored\n", path);
			ok = 1;
		}
	}
	if (ok) {
		if (*restarted && lv->rp) {
			finish_segment(lv);
			fprintf(stdout, "%s: the file was truncated or replaced; following it as a new run\n",
				path);
			run_list_release(&lv->runs);
		}
		feed(lv, &fresh, final);
		rc = 1;
	} else if (final && len) {
		fprintf(stderr, "scram-check: '%s': %s\n", path, err.msg);
		rc = -1;
	}
	run_list_release(&fresh);
	free(buf);
	return rc;
}

int follow_history(const char *path, const struct ruleset *rules,
		   const struct options *opt, int color)
{
	struct live lv = { 0 };
	lv.rules = rules;
	lv.ropts = opt->replay;
	if (!lv.ropts.total_epochs) {
		if (lv.ropts.schedule.kind == SCHED_ADAPTIVE) {
			fprintf(stderr, "scram-check: --follow with --schedule adaptive needs --total-epochs\n");
			return 2;
		}
		lv.ropts.defer_judged = 1;
	}
	char sched[64];
	schedule_describe(&opt->replay.schedule, sched, sizeof(sched));
	lv.rep.schedule = sched;
	lv.rep.rules = rules;
	lv.rep.fail_on = opt->fail_on;
	lv.rep.quiet = opt->quiet;
	lv.rep.verbose = opt->verbose;
	lv.rep.color = color;

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct stat last;
	if (stat(path, &last) != 0) {
		fprintf(stderr, "scram-check: '%s': cannot open: %s\n", path, strerror(errno));
		return 2;
	}
	last.st_size = 0;
	last.st_mtime = 0;
	if (!opt->quiet)
		fprintf(stderr, "scram-check: following '%s'%s\n", path,
			lv.ropts.defer_judged
			? " (rules with a judgment point wait for the end: give --total-epochs to judge them live)"
			: "");
	double idle = 0;
	int failed = 0, restarted;
	while (!interrupted) {
		int got = poll_file(path, &last, 0, &lv, &restarted);
		if (got > 0) {
			idle = 0;
		} else {
			sleep_ms(POLL_MS);
			idle += POLL_MS / 1000.0;
			if (opt->idle > 0 && idle >= opt->idle)
				break;
		}
	}
	last.st_mtime = 0;
	if (poll_file(path, &last, 1, &lv, &restarted) < 0)
		failed = 1;
	if (lv.rp)
		finish_segment(&lv);
	lv.rep.runs = lv.done;
	lv.rep.n_runs = lv.n_done;
	if (!opt->quiet)
		for (size_t i = 0; i < lv.n_done; i++)
			render_text_summary(stdout, &lv.rep, &lv.done[i]);
	int rc = failed || lv.n_done == 0 ? 2 : report_exit_status(&lv.rep);
	for (size_t i = 0; i < lv.n_done; i++)
		run_result_release(&lv.done[i]);
	free(lv.done);
	run_list_release(&lv.runs);
	free(lv.shown.f);
	return rc;
}
