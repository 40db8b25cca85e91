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
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../engine/replay.h"
#include "../read/reader.h"
#include "../render/render.h"
#include "../util/escape.h"
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
	const char *path;
	char *shown_path;	/* escaped for the terminal */
	/* The file as read so far: only new bytes are read when it grows. */
	char *data;
	size_t len, cap;
	int seen;
	dev_t dev;
	ino_t ino;
	time_t mtime, ctime;
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

/*
 * Does the fresh parse of a segment continue the one being followed: at least
 * as many epochs, and the same values at the epochs already seen? A log
 * truncated and rewritten past its old length is a new run even when the
 * size never shrank in between two polls.
 */
static int run_extends(const struct run *old, const struct run *fresh)
{
	if (fresh->n_epochs < old->n_epochs)
		return 0;
	for (size_t s = 0; s < old->n_series; s++) {
		int k = run_find_series(fresh, old->series[s].name);
		if (k < 0)
			return 0;
		const struct series *a = &old->series[s], *b = &fresh->series[k];
		for (size_t e = 0; e < old->n_epochs; e++) {
			if (run_is_missing(a, e) != run_is_missing(b, e))
				return 0;
			if (!run_is_missing(a, e) && a->v[e] != b->v[e] &&
			    !(isnan(a->v[e]) && isnan(b->v[e])))
				return 0;
		}
	}
	return 1;
}

static void say_new_run(struct live *lv)
{
	fputs(lv->shown_path, stdout);
	fputs(": the file was truncated or replaced; following it as a new run\n", stdout);
}

/* Feed a new parse: continue the current segment, or start new ones. */
static void feed(struct live *lv, struct run_list *fresh, int is_last)
{
	size_t keep = lv->rp ? lv->segment : 0;
	int same = lv->rp && fresh->n > keep && run_extends(lv->runs.v[keep], fresh->v[keep]);
	if (lv->rp && !same) {
		finish_segment(lv);
		say_new_run(lv);
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

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bytes compared to tell an appended file from a rewritten one. */
#define SAMPLE 64

/*
 * Bring lv->data up to date with the file, reading only what is new when the
 * file grew by appending. -1 error (message printed), 0 no change, 1 grown,
 * rewritten, truncated or replaced. Whether it is still the same run is for
 * the parse to tell (run_extends): json.dump truncates the file each epoch,
 * and a writer that renames a temporary file over it replaces it.
 */
static int refresh(struct live *lv, const char *path)
{
	struct read_error err;
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;	/* being replaced: wait */
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "scram-check: '%s': not a regular file\n", lv->shown_path);
		return -1;
	}
	int replaced = lv->seen && (st.st_ino != lv->ino || st.st_dev != lv->dev);
	int shrunk = (size_t)st.st_size < lv->len;
	if (lv->seen && !replaced && !shrunk && (size_t)st.st_size == lv->len &&
	    st.st_mtime == lv->mtime && st.st_ctime == lv->ctime)
		return 0;
	FILE *f = open_regular(path, &err);
	if (!f) {
		fprintf(stderr, "scram-check: '%s': %s\n", lv->shown_path, err.msg);
		return -1;
	}
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return 0;
	}
	int first = !lv->seen;
	replaced = lv->seen && (st.st_ino != lv->ino || st.st_dev != lv->dev);
	shrunk = (size_t)st.st_size < lv->len;
	lv->seen = 1;
	lv->ino = st.st_ino;
	lv->dev = st.st_dev;
	lv->mtime = st.st_mtime;
	lv->ctime = st.st_ctime;
	size_t from = lv->len;
	if (!replaced && !shrunk && from) {
		/* Appended, or rewritten in place (json.dump each epoch)? */
		char head[SAMPLE], tail[SAMPLE];
		size_t hn = from < SAMPLE ? from : SAMPLE;
		if (pread(fileno(f), head, hn, 0) != (ssize_t)hn ||
		    pread(fileno(f), tail, hn, (off_t)(from - hn)) != (ssize_t)hn ||
		    memcmp(head, lv->data, hn) != 0 || memcmp(tail, lv->data + from - hn, hn) != 0)
			from = 0;
	} else {
		from = 0;
	}
	if (fseeko(f, (off_t)from, SEEK_SET) != 0) {
		fclose(f);
		return 0;
	}
	lv->len = from;
	for (;;) {
		if (lv->len + 65536 > lv->cap) {
			lv->cap = (lv->len + 65536) * 2;
			lv->data = xrealloc(lv->data, lv->cap + 1);
		}
		size_t got = fread(lv->data + lv->len, 1, lv->cap - lv->len, f);
		lv->len += got;
		if (got == 0)
			break;
		if (lv->len > READ_WHOLE_MAX_BYTES) {
			fclose(f);
			fprintf(stderr, "scram-check: '%s': file is larger than %zu MiB, the most --follow holds "
				"in memory\n",
				lv->shown_path, READ_WHOLE_MAX_BYTES >> 20);
			return -1;
		}
	}
	fclose(f);
	return first || replaced || shrunk || lv->len != from || from == 0 ? 1 : 0;
}

static int looks_like_json(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && strchr(" \t\r\n", s[i]))
		i++;
	if (i + 3 <= n && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0)
		i += 3;
	return i < n && (s[i] == '{' || s[i] == '[');
}

/*
 * Parse what the file holds: only complete lines while it grows (a CSV row
 * cut mid-number would parse as a wrong value), unless the whole text is
 * what parses (a json.dump history has no final newline). 1 new data, 0
 * none, -1 error (final only).
 */
static int parse_data(struct live *lv, int final)
{
	struct read_error err;
	size_t len = lv->len;
	if (!final)
		while (len && lv->data[len - 1] != '\n')
			len--;
	struct run_list fresh = { 0 };
	int ok = len && history_read_buffer(lv->path, lv->data, len, &fresh, &err) == 0;
	if (!ok && len < lv->len && looks_like_json(lv->data, lv->len)) {
		run_list_release(&fresh);
		ok = history_read_buffer(lv->path, lv->data, lv->len, &fresh, &err) == 0;
	}
	if (!ok && final && lv->len && lv->data[lv->len - 1] != '\n') {
		/* A job killed mid-write leaves half a line: drop it, and say so. */
		size_t cut = lv->len;
		while (cut && lv->data[cut - 1] != '\n')
			cut--;
		run_list_release(&fresh);
		if (cut && history_read_buffer(lv->path, lv->data, cut, &fresh, &err) == 0) {
			fprintf(stderr, "scram-check: '%s': the last line is incomplete; ignored\n",
				lv->shown_path);
			ok = 1;
		}
	}
	int rc = 0;
	if (ok) {
		feed(lv, &fresh, final);
		rc = 1;
	} else if (final && lv->len) {
		fputs("scram-check: '", stderr);
		fputs(lv->shown_path, stderr);
		fputs("': ", stderr);
		term_fputs(stderr, err.msg);
		fputc('\n', stderr);
		rc = -1;
	}
	run_list_release(&fresh);
	return rc;
}

/* Wait for the file to appear, like tail -F. 0 there, -1 gave up (printed). */
static int wait_to_appear(struct live *lv, const struct options *opt)
{
	struct stat st;
	if (stat(lv->path, &st) == 0 || errno != ENOENT)
		return 0;
	fprintf(stderr, "scram-check: '%s' does not exist yet; waiting for it to appear\n",
		lv->shown_path);
	double start = now_s();
	while (!interrupted && stat(lv->path, &st) != 0) {
		if (opt->idle > 0 && now_s() - start >= opt->idle) {
			fprintf(stderr, "scram-check: '%s': did not appear within %g seconds\n",
				lv->shown_path, opt->idle);
			return -1;
		}
		sleep_ms(POLL_MS);
	}
	return interrupted ? -1 : 0;
}

int follow_history(const char *path, const struct ruleset *rules,
		   const struct options *opt, int color)
{
	struct live lv = { 0 };
	lv.rules = rules;
	lv.ropts = opt->replay;
	lv.path = path;
	lv.shown_path = term_escape(path);
	int rc = 2;
	if (!lv.ropts.total_epochs) {
		if (lv.ropts.schedule.kind == SCHED_ADAPTIVE) {
			fprintf(stderr, "scram-check: --follow with --schedule adaptive needs --total-epochs\n");
			goto out;
		}
		lv.ropts.defer_judged = 1;
	}
	/* A folder, FIFO or device is refused at once, before any wait. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "scram-check: '%s': %s\n", lv.shown_path,
			S_ISDIR(st.st_mode) ? "is a folder; --follow watches one history file"
					    : "not a regular file");
		goto out;
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

	if (wait_to_appear(&lv, opt))
		goto out;
	if (!opt->quiet)
		fprintf(stderr, "scram-check: following '%s'%s\n", lv.shown_path,
			lv.ropts.defer_judged
			? " (rules with a judgment point wait for the end: give --total-epochs to judge them live)"
			: "");
	/*
	 * Growth is activity, whether or not it completes a line. Parsing costs
	 * in proportion to the file, so while it grows fast a parse waits for
	 * three times as long as the last one took: a watcher takes at most a
	 * quarter of a core.
	 */
	double last_growth = now_s(), next_parse = 0;
	int failed = 0, pending = 0;
	while (!interrupted) {
		int got = refresh(&lv, path);
		if (got < 0) {
			failed = 1;
			break;
		}
		double t = now_s();
		if (got > 0) {
			last_growth = t;
			pending = 1;
		}
		if (pending && t >= next_parse) {
			parse_data(&lv, 0);
			double took = now_s() - t;
			next_parse = now_s() + 3 * took;
			pending = 0;
			if (got > 0)
				last_growth = now_s();	/* our own work is not idleness */
		}
		if (opt->idle > 0 && now_s() - last_growth >= opt->idle)
			break;
		sleep_ms(POLL_MS);
	}
	if (!failed) {
		if (refresh(&lv, path) < 0 || parse_data(&lv, 1) < 0)
			failed = 1;
	}
	if (lv.rp)
		finish_segment(&lv);
	lv.rep.runs = lv.done;
	lv.rep.n_runs = lv.n_done;
	if (!opt->quiet)
		for (size_t i = 0; i < lv.n_done; i++)
			render_text_summary(stdout, &lv.rep, &lv.done[i]);
	rc = failed || lv.n_done == 0 ? 2 : report_exit_status(&lv.rep);
out:
	for (size_t i = 0; i < lv.n_done; i++)
		run_result_release(&lv.done[i]);
	free(lv.done);
	run_list_release(&lv.runs);
	free(lv.shown.f);
	free(lv.data);
	free(lv.shown_path);
	return rc;
}
