#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../engine/replay.h"
#include "../model/run.h"
#include "../model/stats.h"
#include "../read/reader.h"
#include "../util/strbuf.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"
#include "rundir.h"

/* How much of a file a folder search reads to decide if it is a history;
 * more when the start is one long progress-bar redraw. */
#define SNIFF_BYTES 65536
#define SNIFF_BYTES_REDRAWN (4 << 20)

/* fnmatch("*batch_stats*", name, 0) as the C locale reads it (this program
 * sets none): the pattern has no special character but its stars. */
static int batch_stats_name(const char *name)
{
	return strstr(name, "batch_stats") != NULL;
}

int is_stats_name(const char *name)
{
	return strcmp(name, "stats.jsonl") == 0 || strcmp(name, "stats.csv") == 0 ||
	       batch_stats_name(name);
}

static struct input *add_input(struct inputs *in, const char *path)
{
	xgrow(&in->v, &in->cap, in->n + 1, sizeof(*in->v));
	struct input *i = &in->v[in->n++];
	memset(i, 0, sizeof(*i));
	i->path = xstrdup(path);
	return i;
}

static int has_word(const char *s, size_t n, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= n; i++)
		if (strncasecmp(s + i, word, w) == 0)
			return 1;
	return 0;
}

/*
 * A folder of experiments also holds configs, notes and tables: only a file
 * that names a metric is taken for a history. A CSV's header must have a loss
 * or accuracy column, or one named epoch or step; JSON must mention a loss or
 * an accuracy; a text log has shown epoch lines with metrics to be sniffed.
 */
static int header_names_metric(const char *buf, size_t head)
{
	if (has_word(buf, head, "loss") || has_word(buf, head, "acc"))
		return 1;
	for (size_t i = 0; i < head;) {
		size_t j = i;
		while (j < head && !strchr(",;\t\r", buf[j]))
			j++;
		while (i < j && (buf[i] == ' ' || buf[i] == '"'))
			i++;
		size_t len = j - i;
		while (len && (buf[i + len - 1] == ' ' || buf[i + len - 1] == '"'))
			len--;
		if ((len == 5 && strncasecmp(buf + i, "epoch", 5) == 0) ||
		    (len == 4 && strncasecmp(buf + i, "step", 4) == 0))
			return 1;
		i = j + 1;
	}
	return 0;
}

static int names_a_metric(const char *buf, const char *reader)
{
	if (strcmp(reader, "json") == 0) {
		size_t n = strlen(buf);
		return has_word(buf, n, "loss") || has_word(buf, n, "acc");
	}
	if (strcmp(reader, "csv") != 0)
		return 1;
	/* The header, or the line under a title line (seen in the corpus). */
	for (int line = 0; line < 2 && *buf; line++) {
		while (*buf == ' ' || *buf == '\t' || *buf == '\r' || *buf == '\n')
			buf++;
		const char *nl = strchr(buf, '\n');
		size_t head = nl ? (size_t)(nl - buf) : strlen(buf);
		if (header_names_metric(buf, head))
			return 1;
		if (strcspn(buf, ",;\t\n") < head)
			return 0;	/* a header after all, not a title line */
		buf += head;
	}
	return 0;
}

/* Does buf[0..n) (n read of at most want) look like a history? terminated:
 * buf[n] is a NUL byte. */
static int sniff_prefix(const char *buf, size_t n, size_t want, int terminated)
{
	/* A cut-off last line must not spoil the guess. */
	if (n == want) {
		size_t cut = n;
		while (cut > 0 && buf[cut - 1] != '\n')
			cut--;
		if (cut > 0) {
			n = cut - 1;
			terminated = 0;
		}
	}
	/* The sniffers need a NUL at the end: buf itself when it has one
	 * there (a whole small file), else a terminated copy (buf may be a
	 * read-only mapping). */
	char *copy = NULL;
	if (!terminated) {
		copy = xmalloc(n + 1);
		memcpy(copy, buf, n);
		copy[n] = '\0';
	}
	const char *text = copy ? copy : buf;
	const char *reader = n > 0 ? history_sniff_terminated(text, n) : NULL;
	int yes = reader && names_a_metric(text, reader);
	/* A run's final summary (all_results.json, wandb-summary.json) holds
	 * last values only: a folder walk passes over it (named, it is an
	 * error). Seen whole only when shorter than the look. */
	if (yes && n < want && history_is_summary(text, n))
		yes = 0;
	free(copy);
	return yes;
}

/*
 * looks_like_history over a file already read whole into buf[0..len), with
 * buf[len] a NUL byte (a file_map's): the same prefixes, so the same answer.
 */
static int sniff_buffer(const char *buf, size_t len)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	int yes = sniff_prefix(buf, n, SNIFF_BYTES, n == len);
	if (!yes && n == SNIFF_BYTES && memchr(buf, '\r', n) && !memchr(buf, '\0', n)) {
		n = len < SNIFF_BYTES_REDRAWN ? len : SNIFF_BYTES_REDRAWN;
		yes = sniff_prefix(buf, n, SNIFF_BYTES_REDRAWN, n == len);
	}
	if (!yes) {
		size_t skip = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		size_t bad = utf8_invalid_at((const unsigned char *)buf + skip, n - skip);
		if (n == skip || memchr(buf, '\0', n) || (bad < n - skip && bad + 4 < n - skip))
			yes = -1;
	}
	return yes;
}

/*
 * Is the file a history (1), something else (0), or text that cannot be read
 * at all (-1: empty, NUL bytes, UTF-16, not UTF-8)? The last is reported when
 * the name says history: a crashed run's log must not vanish from an audit.
 */
static int looks_like_history(const char *path)
{
	struct read_error err;
	FILE *f = open_regular(path, &err);
	if (!f)
		return 1;	/* let the reader report why it cannot be read */
	char *buf = xmalloc(SNIFF_BYTES + 1);
	size_t n = fread(buf, 1, SNIFF_BYTES, f);
	buf[n] = '\0';
	int yes = sniff_prefix(buf, n, SNIFF_BYTES, 1);
	/* A console log whose progress bar is redrawn with carriage returns
	 * can have lines far longer than the usual look: read on. */
	if (!yes && n == SNIFF_BYTES && memchr(buf, '\r', n) && !memchr(buf, '\0', n)) {
		buf = xrealloc(buf, SNIFF_BYTES_REDRAWN + 1);
		n += fread(buf + n, 1, SNIFF_BYTES_REDRAWN - n, f);
		buf[n] = '\0';
		yes = sniff_prefix(buf, n, SNIFF_BYTES_REDRAWN, 1);
	}
	if (!yes) {
		size_t skip = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		size_t bad = utf8_invalid_at((const unsigned char *)buf + skip, n - skip);
		/* A cut at the end of the sniffed bytes is not a fault. */
		if (n == skip || memchr(buf, '\0', n) || (bad < n - skip && bad + 4 < n - skip))
			yes = -1;
	}
	fclose(f);
	free(buf);
	return yes;
}

/* Does the name say "training history" (CSVLogger, json.dump, a log)? */
static int history_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return 0;
	if (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".tsv") == 0 ||
	    strcasecmp(dot, ".json") == 0 || strcasecmp(dot, ".log") == 0)
		return 1;
	size_t n = strlen(name);
	return strcasecmp(dot, ".txt") == 0 &&
	       (has_word(name, n, "log") || has_word(name, n, "history") ||
		has_word(name, n, "train") || has_word(name, n, "metric"));
}

struct visited {
	dev_t *dev;
	ino_t *ino;
	size_t n;
	size_t cap;
};

static int seen_dir(struct visited *vis, const struct stat *st)
{
	for (size_t i = 0; i < vis->n; i++)
		if (vis->dev[i] == st->st_dev && vis->ino[i] == st->st_ino)
			return 1;
	size_t cap = vis->cap;
	xgrow(&vis->dev, &cap, vis->n + 1, sizeof(*vis->dev));
	xgrow(&vis->ino, &vis->cap, vis->n + 1, sizeof(*vis->ino));
	vis->dev[vis->n] = st->st_dev;
	vis->ino[vis->n++] = st->st_ino;
	return 0;
}

/* dir/name ("." leaves name alone). Once per entry of every folder searched:
 * two copies, not a printf. */
static char *join_path(const char *dir, const char *name)
{
	if (strcmp(dir, ".") == 0)
		return xstrdup(name);
	size_t dlen = strlen(dir), nlen = strlen(name);
	size_t slash = dlen && dir[dlen - 1] == '/' ? 0 : 1;
	char *p = xmalloc(dlen + slash + nlen + 1);
	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + slash, name, nlen + 1);
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The state of one folder search: where it started, what it has seen. */
struct scan {
	struct inputs *in;
	int recursive;
	int defer_sniff;	/* histories are told apart later, by input_analyze */
	struct visited vis;
	char *root;		/* the audited folder, resolved; NULL if unknown */
};

/* Is the resolved path inside the audited folder? */
static int inside_root(const struct scan *sc, const char *real)
{
	if (!sc->root)
		return 1;
	size_t n = strlen(sc->root);
	if (n == 1)
		return 1;	/* the audit is of / */
	return strncmp(real, sc->root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/*
 * The batch statistics of a folder, from its listing (names sorted): the
 * rules of find_stats, decided once per folder rather than once per history.
 */
static void folder_stats(const char *dir, char **names, size_t n, char **found, int *several)
{
	*found = NULL;
	*several = 0;
	static const char *const fixed[] = { "stats.jsonl", "stats.csv" };
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < n; i++) {
			if (strcmp(names[i], fixed[k]) != 0)
				continue;
			char *p = join_path(dir, names[i]);
			struct stat st;
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
				if (*found)
					*several = 1;
				else
					*found = p, p = NULL;
			}
			free(p);
		}
	const char *best = NULL;
	for (size_t i = 0; i < n; i++) {
		if (!batch_stats_name(names[i]))
			continue;
		if (best)
			*several = 1;
		else
			best = names[i];	/* sorted: the first is the least */
	}
	if (best) {
		if (*found)
			*several = 1;
		else
			*found = join_path(dir, best);
	}
}

static void scan_dir(struct scan *sc, const char *dir, int depth)
{
	struct inputs *in = sc->in;
	struct stat st;
	if (stat(dir, &st) == 0 && seen_dir(&sc->vis, &st)) {
		add_input(in, dir)->error =
			xstrdup("folder already visited (a symbolic link loop); not followed");
		return;
	}
	if (depth > 64) {
		add_input(in, dir)->error = xstrdup("folders nested more than 64 deep; not searched");
		return;
	}
	/* A run folder is one input, whatever files make it (rundir.c): told
	 * from the listing below when there is one (a folder is listed once),
	 * else by rundir_detect, before the error. */
	enum rundir_kind kind = RUNDIR_NONE;
	DIR *d = opendir(dir);
	if (!d) {
		int e = errno;
		kind = rundir_detect(dir);
		if (kind != RUNDIR_NONE) {
			add_input(in, dir)->rundir = (int)kind;
			if (kind == RUNDIR_MLFLOW || kind == RUNDIR_WANDB)
				return;
		}
		add_input(in, dir)->error = xasprintf("cannot open folder: %s", strerror(e));
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;	/* ., .., and hidden files such as .git */
		xgrow(&names, &cap, n + 1, sizeof(*names));
		/* The entry's type rides after the name's NUL: a file or a
		 * folder the listing names as such needs no stat of its own. */
		size_t len = strlen(de->d_name);
		char *name = xmalloc(len + 2);
		memcpy(name, de->d_name, len + 1);
		name[len + 1] = (char)de->d_type;
		names[n++] = name;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	kind = rundir_detect_listed(dir, names, n);
	if (kind != RUNDIR_NONE) {
		add_input(in, dir)->rundir = (int)kind;
		if (kind == RUNDIR_MLFLOW || kind == RUNDIR_WANDB) {
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			free(names);
			return;
		}
	}
	char *stats;
	int several;
	folder_stats(dir, names, n, &stats, &several);
	for (size_t i = 0; i < n; i++) {
		char *path = join_path(dir, names[i]);
		unsigned char type = (unsigned char)names[i][strlen(names[i]) + 1];
		int typed = type == DT_REG || type == DT_DIR;
		struct stat lst;
		int is_link = !typed && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode);
		char *real = is_link ? realpath(path, NULL) : NULL;
		if (typed)
			st.st_mode = type == DT_REG ? S_IFREG : S_IFDIR;
		if (is_link && real && !inside_root(sc, real)) {
			/* Out of the audited tree: /etc, /proc/kmsg. Not followed,
			 * and nothing of the target is read or quoted. */
			add_input(in, path)->error =
				xstrdup("symbolic link out of the audited folder; not followed");
		} else if (!typed && stat(path, &st) != 0) {
			int e = errno;
			if (e == ELOOP)
				add_input(in, path)->error =
					xstrdup("symbolic links that lead back to each other; not followed");
			else if (is_link)
				add_input(in, path)->error = xstrdup("broken symbolic link");
			else
				add_input(in, path)->error = xasprintf("%s", strerror(e));
		} else if (S_ISDIR(st.st_mode)) {
			if (kind != RUNDIR_NONE && rundir_owns_subdir(kind, names[i]))
				;	/* read as part of this folder's run */
			else if (kind == RUNDIR_NONE && rundir_hf_logging_dir(dir, names[i]))
				;	/* TensorBoard logs of the trainer_state.json here */
			else if (sc->recursive)
				scan_dir(sc, path, depth + 1);
			else if (rundir_detect(path) != RUNDIR_NONE)
				add_input(in, path)->rundir = (int)rundir_detect(path);	/* one level down */
		} else if (rundir_owns_file(names[i]) || rundir_owns_member(kind, names[i])) {
			;	/* an event file, a trainer_state.json: its folder is the run */
		} else if (S_ISREG(st.st_mode) && !is_stats_name(names[i])) {
			/* Devices, FIFOs and sockets are never opened. */
			int look = sc->defer_sniff ? 1 : looks_like_history(path);
			if (look > 0 || (look < 0 && history_name(names[i]))) {
				struct input *hi = add_input(in, path);
				hi->sniff = sc->defer_sniff;
				hi->stats_known = 1;
				hi->stats = stats ? xstrdup(stats) : NULL;
				hi->stats_several = several;
			}
		}
		free(real);
		free(path);
		free(names[i]);
	}
	free(stats);
	free(names);
}

void inputs_collect(struct inputs *in, const struct options *opt, int defer_sniff)
{
	for (size_t i = 0; i < opt->n_paths; i++) {
		const char *p = opt->paths[i];
		struct stat st;
		size_t before = in->n;
		if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct scan sc = { in, opt->recursive, defer_sniff, { 0 }, realpath(p, NULL) };
			scan_dir(&sc, p, 0);
			free(sc.vis.dev);
			free(sc.vis.ino);
			free(sc.root);
			if (in->n == before || defer_sniff) {
				struct input *e = add_input(in, p);
				e->error = xstrdup(opt->recursive
					? "no training history found in this folder"
					: "no training history found in this folder (use -r to search subfolders)");
				e->if_empty = defer_sniff;
			}
		} else {
			add_input(in, p);
		}
		for (size_t k = before; k < in->n; k++)
			in->v[k].operand = i;
	}
}

static struct run_result *new_result(struct input *in)
{
	in->res = xreallocarray(in->res, in->n_res + 1, sizeof(*in->res));
	struct run_result *r = &in->res[in->n_res++];
	memset(r, 0, sizeof(*r));
	/* Standard input has no name; say so the way compilers do. */
	const char *name = strcmp(in->path, "-") == 0 ? "<stdin>" : in->path;
	r->path = xstrdup(name);
	r->label = xstrdup(name);
	return r;
}

/*
 * The batch statistics beside a history: stats.jsonl, stats.csv, or the first
 * *batch_stats* file of its folder (batch-stats.md). NULL when there is none.
 */
static char *find_stats(const char *history, int *several)
{
	*several = 0;
	if (strcmp(history, "-") == 0)
		return NULL;
	const char *slash = strrchr(history, '/');
	char *dir = slash ? xstrndup(history, (size_t)(slash - history + 1)) : xstrdup("");
	char *found = NULL;
	static const char *const fixed[] = { "stats.jsonl", "stats.csv" };
	struct stat st;
	for (size_t i = 0; i < 2; i++) {
		char *p = xasprintf("%s%s", dir, fixed[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			if (found)
				*several = 1;
			else
				found = p, p = NULL;
		}
		free(p);
	}
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *de;
	char *best = NULL;
	while (d && (de = readdir(d))) {
		if (!batch_stats_name(de->d_name) || de->d_name[0] == '.')
			continue;
		if (best && strcmp(de->d_name, best) >= 0) {
			*several = 1;
			continue;
		}
		if (best)
			*several = 1;
		free(best);
		best = xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (best) {
		if (found)
			*several = 1;
		else
			found = xasprintf("%s%s", dir, best);
		free(best);
	}
	free(dir);
	return found;
}

/* Attach batch statistics to a run; 0, or -1 with the run's error set. */
static int pair_stats(struct run_result *res, struct run *run, const char *path, int explicit)
{
	struct read_error err;
	struct stats *st = NULL;
	if (stats_read(path, &st, &err)) {
		res->error = xasprintf("batch statistics '%s': %s", path, err.msg);
		return -1;
	}
	char msg[512];
	int m = stats_match(st, run->n_epochs, msg, sizeof(msg));
	if (m < 0) {
		res->error = xasprintf("batch statistics '%s': %s", path, msg);
		stats_free(st);
		return -1;
	}
	if (m > 0)
		run_result_warn(res, "batch statistics '%s': %s", path, msg);
	run->stats = st;
	run->stats_path = xstrdup(path);
	if (!explicit)
		run_note(run, "batch statistics read from '%s'", path);
	return 0;
}

/*
 * A run no rule can judge is an error, never a pass: "0 findings" would
 * read as healthy. Returns 1 (and frees the run) when that is so.
 */
static int nothing_to_check(struct run_result *res, struct run *run)
{
	const char *why = NULL;
	if (run_has_judgeable(run, &why)) {
		size_t n = run->n_epochs, st = run->steps ? run->steps->n_epochs : 0;
		if (n < 2 && st < 2)
			run_result_warn(res, "only %zu %s%s logged: too short for any rule that "
					"compares points; only non-finite and negative values "
					"can be checked", n ? n : st,
					axis_point_name(n ? run->axis : AXIS_STEP), (n ? n : st) == 1 ? "" : "s");
		return 0;
	}
	struct strbuf cols = STRBUF_INIT;
	strbuf_adds(&cols, "");
	for (const struct run *t = run; t; t = t->steps)
		for (size_t i = 0; i < t->n_series && cols.len < 300; i++)
			strbuf_addf(&cols, "%s%s", cols.len ? ", " : "", t->series[i].name);
	res->error = xasprintf("nothing to check: %s (%s%s); name one with --series NAME=KIND",
			       why, cols.len ? "columns: " : "no columns", cols.buf);
	strbuf_release(&cols);
	res->run = NULL;
	run_free(run);
	return 1;
}

/*
 * A file found in a folder, read once: is it a history (then parsed from the
 * same bytes), or not (nothing to report, 1)? 0 and -1 as history_read.
 */
static int want_history(const char *buf, size_t len, void *arg)
{
	const char *name = arg;
	int look = sniff_buffer(buf, len);
	return look > 0 || (look < 0 && history_name(name));
}

static int read_sniffed(struct input *in, struct run_list *runs, struct read_error *err)
{
	const char *slash = strrchr(in->path, '/');
	const char *name = slash ? slash + 1 : in->path;
	int rc = history_read_if(in->path, want_history, (void *)name, runs, err);
	if (rc == -2) {
		/* Unread (unreadable, not a regular file): the prefix decides,
		 * as it did before the file was read. */
		int look = looks_like_history(in->path);
		return look > 0 || (look < 0 && history_name(name)) ? -1 : 1;
	}
	return rc;
}

static void new_result_error(struct input *in)
{
	new_result(in)->error = xstrdup(in->error);
}

void input_analyze(struct input *in, const struct ruleset *rules,
		   const struct options *opt)
{
	if (in->if_empty)
		return;		/* inputs_settle_at decides */
	if (in->error) {
		new_result_error(in);
		return;
	}
	struct run_list runs = { 0 };
	struct read_error err;
	int rc = in->rundir ? rundir_read(in->path, (enum rundir_kind)in->rundir, &runs, &err)
		 : in->sniff ? read_sniffed(in, &runs, &err)
		 : history_read(in->path, &runs, &err);
	if (rc > 0)
		return;		/* not a history */
	in->is_history = 1;
	if (rc) {
		new_result(in)->error = xstrdup(err.msg);
		return;
	}
	int several = in->stats_several;
	char *stats = opt->batch_stats ? xstrdup(opt->batch_stats)
		      : in->rundir ? NULL
		      : in->stats_known ? (in->stats ? xstrdup(in->stats) : NULL)
		      : find_stats(in->path, &several);
	for (size_t i = 0; i < runs.n; i++) {
		struct run_result *res = new_result(in);
		struct run *run = runs.v[i];
		runs.v[i] = NULL;
		if (strcmp(in->path, "-") != 0) {
			free(res->label);
			res->label = xstrdup(run->label);
		}
		res->format = run->format;
		res->run = run;
		if (stats && runs.n > 1) {
			run_result_warn(res, "batch statistics '%s' not used: the file holds %zu runs",
					stats, runs.n);
		} else if (stats) {
			if (several)
				run_result_warn(res, "several batch statistics files beside the history; "
						"using '%s' (name one with --batch-stats)", stats);
			if (pair_stats(res, run, stats, opt->batch_stats != NULL))
				continue;
		}
		if (nothing_to_check(res, run))
			continue;
		replay_run(rules, &opt->replay, run, res);
	}
	free(stats);
	run_list_release(&runs);
}

void inputs_settle_at(struct inputs *in, size_t i, int *found)
{
	struct input *x = &in->v[i];
	if (i > 0 && x->operand != in->v[i - 1].operand)
		*found = 0;
	if (!x->if_empty) {
		*found |= !x->sniff || x->is_history;
		return;
	}
	if (!*found && !x->n_res)
		new_result_error(x);
}

void inputs_release(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		for (size_t j = 0; j < in->v[i].n_res; j++)
			run_result_release(&in->v[i].res[j]);
		free(in->v[i].res);
		free(in->v[i].path);
		free(in->v[i].error);
		free(in->v[i].stats);
	}
	free(in->v);
	memset(in, 0, sizeof(*in));
}
