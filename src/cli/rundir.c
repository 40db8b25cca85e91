#include "rundir.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../read/mlflow.h"
#include "../read/tfevents.h"
#include "../read/wandb.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"

/* Most event files or snapshots one run folder is read from. */
#define RUNDIR_MAX_FILES 256

struct names {
	char **v;
	size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The most entries of a folder list_dir takes. */
#define LIST_MAX 100000

/* The entries of dir, sorted, without hidden ones. */
static void list_dir(const char *dir, struct names *out)
{
	memset(out, 0, sizeof(*out));
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) && out->n < LIST_MAX) {
		if (de->d_name[0] == '.')
			continue;
		xgrow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
		out->v[out->n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
}

static void names_release(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);
	return n && dir[n - 1] == '/' ? xasprintf("%s%s", dir, name) : xasprintf("%s/%s", dir, name);
}

static int is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int rundir_owns_file(const char *name)
{
	return strncmp(name, "events.out.tfevents.", 20) == 0;
}

/* Regular event files directly in dir; their number. */
static size_t event_files(const char *dir, struct names *out)
{
	struct names all;
	list_dir(dir, &all);
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < all.n; i++) {
		char *p = join(dir, all.v[i]);
		if (rundir_owns_file(all.v[i]) && is_file(p)) {
			xgrow(&out->v, &out->cap, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = p;
		} else {
			free(p);
		}
	}
	names_release(&all);
	return out->n;
}

static int has_events(const char *dir)
{
	struct names ev;
	size_t n = event_files(dir, &ev);
	names_release(&ev);
	return n > 0;
}

static const char *const keras_dirs[] = { "train", "validation" };

static int is_checkpoint_name(const char *name)
{
	return strncmp(name, "checkpoint-", 11) == 0;
}

static const char *base_name(const char *path, char *buf, size_t len)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	snprintf(buf, len, "%.*s", (int)(n - s), path + s);
	return buf;
}

/* Is name among names[0..n) (sorted by strcmp)? */
static int listed(char *const *names, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(names[mid], name);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A regular event file among dir's entries names[0..n)? */
static int has_event_file(const char *dir, char *const *names, size_t n)
{
	int yes = 0;
	for (size_t i = 0; i < n && !yes; i++) {
		if (!rundir_owns_file(names[i]))
			continue;
		char *p = join(dir, names[i]);
		yes = is_file(p);
		free(p);
	}
	return yes;
}

/*
 * rundir_detect from dir's entries names[0..n) (sorted, no hidden ones), as
 * list_dir lists them: what is not among them is not opened (a meta.yaml,
 * train/, validation/), and the folder is not listed again.
 */
static enum rundir_kind detect_listed(const char *dir, char *const *names, size_t n)
{
	if (listed(names, n, "meta.yaml") && mlflow_is_run_dir(dir))
		return RUNDIR_MLFLOW;
	if (has_event_file(dir, names, n))
		return RUNDIR_TENSORBOARD;
	for (size_t i = 0; i < 2; i++) {
		if (!listed(names, n, keras_dirs[i]))
			continue;
		char *p = join(dir, keras_dirs[i]);
		int yes = has_events(p);
		free(p);
		if (yes)
			return RUNDIR_KERAS_TB;
	}
	if (wandb_is_run_dir(dir))
		return RUNDIR_WANDB;
	int hf = 0;
	for (size_t i = 0; i < n && !hf; i++) {
		if (!is_checkpoint_name(names[i]))
			continue;
		char *p = xasprintf("%s/%s/trainer_state.json", dir, names[i]);
		hf = is_file(p);
		free(p);
	}
	return hf ? RUNDIR_HF_OUTPUT : RUNDIR_NONE;
}

enum rundir_kind rundir_detect(const char *dir)
{
	if (mlflow_is_run_dir(dir))
		return RUNDIR_MLFLOW;
	if (has_events(dir))
		return RUNDIR_TENSORBOARD;
	for (size_t i = 0; i < 2; i++) {
		char *p = join(dir, keras_dirs[i]);
		int yes = has_events(p);
		free(p);
		if (yes)
			return RUNDIR_KERAS_TB;
	}
	char base[256];
	base_name(dir, base, sizeof(base));
	if (wandb_is_run_dir(dir))
		return RUNDIR_WANDB;
	struct names all;
	list_dir(dir, &all);
	int hf = 0;
	for (size_t i = 0; i < all.n && !hf; i++) {
		if (!is_checkpoint_name(all.v[i]))
			continue;
		char *p = xasprintf("%s/%s/trainer_state.json", dir, all.v[i]);
		hf = is_file(p);
		free(p);
	}
	names_release(&all);
	return hf ? RUNDIR_HF_OUTPUT : RUNDIR_NONE;
}

enum rundir_kind rundir_detect_listed(const char *dir, char *const *names, size_t n)
{
	/* list_dir takes the first LIST_MAX entries only: past that, as it does. */
	if (n > LIST_MAX)
		return rundir_detect(dir);
	return detect_listed(dir, names, n);
}

int rundir_hf_logging_dir(const char *dir, const char *name)
{
	if (strcmp(name, "runs") != 0)
		return 0;
	char *p = join(dir, "trainer_state.json");
	int yes = is_file(p);
	free(p);
	return yes || rundir_detect(dir) == RUNDIR_HF_OUTPUT;
}

int rundir_owns_member(enum rundir_kind kind, const char *name)
{
	return kind == RUNDIR_HF_OUTPUT && strcmp(name, "trainer_state.json") == 0;
}

int rundir_owns_subdir(enum rundir_kind kind, const char *name)
{
	switch (kind) {
	case RUNDIR_KERAS_TB:
		return strcmp(name, "train") == 0 || strcmp(name, "validation") == 0;
	case RUNDIR_HF_OUTPUT:
		/* runs/: the Trainer's TensorBoard logs of the same run. */
		return is_checkpoint_name(name) || strcmp(name, "runs") == 0;
	case RUNDIR_MLFLOW:
	case RUNDIR_WANDB:
		return 1;
	default:
		return 0;
	}
}

/* ---- TensorBoard log dirs ---- */

static int add_event_file(struct tb_log *log, const char *path, enum tb_dir dir,
			  struct read_error *err)
{
	char *buf;
	size_t len;
	struct read_error e;
	if (slurp_file(path, READ_WHOLE_MAX_BYTES, &buf, &len, &e)) {
		read_error_set(err, 0, "'%s': %s", path, e.msg);
		return -1;
	}
	int rc = tb_log_add(log, buf, len, dir, &e);
	free(buf);
	if (rc)
		read_error_set(err, 0, "'%s': %s", path, e.msg);
	return rc;
}

static int read_tensorboard(const char *dir, enum rundir_kind kind, struct run_list *out,
			    struct read_error *err)
{
	struct tb_log log;
	tb_log_init(&log);
	struct strbuf files = STRBUF_INIT;
	strbuf_adds(&files, "");
	int rc = 0;
	size_t most = 0;
	size_t n_files = 0;
	for (int part = -1; part < 2 && rc == 0; part++) {
		if (part >= 0 && kind != RUNDIR_KERAS_TB)
			break;
		char *sub = part < 0 ? xstrdup(dir) : join(dir, keras_dirs[part]);
		enum tb_dir split = part < 0 ? TB_DIR_NONE : part == 0 ? TB_DIR_TRAIN : TB_DIR_VAL;
		if (part < 0) {
			/* A log dir named validation/ is the validation half. */
			char *probe = join(dir, "x");
			split = tb_dir_of(probe);
			free(probe);
		}
		struct names ev;
		event_files(sub, &ev);
		most = ev.n > most ? ev.n : most;
		for (size_t i = 0; i < ev.n && rc == 0; i++) {
			if (n_files >= RUNDIR_MAX_FILES) {
				read_error_set(err, 0, "more than %d event files in one log folder",
					       RUNDIR_MAX_FILES);
				rc = -1;
				break;
			}
			rc = add_event_file(&log, ev.v[i], split, err);
			const char *rel = ev.v[i] + strlen(dir);
			while (*rel == '/')
				rel++;
			if (files.len < 400)
				strbuf_addf(&files, "%s%s", files.len ? ", " : "", rel);
			n_files++;
		}
		names_release(&ev);
		free(sub);
	}
	if (rc == 0) {
		struct run *run = tb_log_run(&log, dir, err);
		if (!run) {
			rc = -1;
		} else {
			if (most > 1)
				run_note(run, "%zu event files in one folder (restarts of one run) "
					 "merged by step", most);
			run_note(run, "read from %zu event file%s: %s", n_files,
				 n_files == 1 ? "" : "s", files.buf);
			run_list_push(out, run);
		}
	}
	strbuf_release(&files);
	tb_log_release(&log);
	return rc;
}

/* ---- Hugging Face output dirs ---- */

struct snapshot {
	char *path;		/* .../checkpoint-N/trainer_state.json */
	char *name;		/* checkpoint-N, or trainer_state.json */
	long max_steps, global_step;
	char first_loss[64];	/* the first "loss" of log_history, as written */
	int group;
};

/* The number after "key": in a JSON text, or -1. Enough for the header
 * fields of trainer_state.json, which hold plain numbers. */
static long json_long(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	if (!p)
		return -1;
	p += strlen(key);
	while (*p == ' ' || *p == ':' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return strtol(p, NULL, 10);
}

static void snapshot_scan(struct snapshot *s)
{
	char *buf;
	size_t len;
	struct read_error e;
	s->max_steps = s->global_step = -1;
	s->first_loss[0] = '\0';
	if (slurp_file(s->path, READ_WHOLE_MAX_BYTES, &buf, &len, &e))
		return;
	s->max_steps = json_long(buf, "\"max_steps\"");
	s->global_step = json_long(buf, "\"global_step\"");
	const char *h = strstr(buf, "\"log_history\"");
	const char *l = h ? strstr(h, "\"loss\"") : NULL;
	if (l) {
		l += 6;
		while (*l == ' ' || *l == ':')
			l++;
		size_t n = strcspn(l, ",}\r\n ");
		snprintf(s->first_loss, sizeof(s->first_loss), "%.*s", (int)(n < 60 ? n : 60), l);
	}
	free(buf);
}

static int cmp_snapshot(const void *a, const void *b)
{
	const struct snapshot *x = a, *y = b;
	if (x->global_step != y->global_step)
		return x->global_step < y->global_step ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int read_hf_output(const char *dir, struct run_list *out, struct read_error *err)
{
	struct names all;
	list_dir(dir, &all);
	struct snapshot *s = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i <= all.n && n < RUNDIR_MAX_FILES; i++) {
		const char *name = i < all.n ? all.v[i] : NULL;
		if (name && !is_checkpoint_name(name))
			continue;
		char *p = name ? xasprintf("%s/%s/trainer_state.json", dir, name)
			       : join(dir, "trainer_state.json");
		if (!is_file(p)) {
			free(p);
			continue;
		}
		xgrow(&s, &cap, n + 1, sizeof(*s));
		s[n].path = p;
		s[n].name = xstrdup(name ? name : "trainer_state.json");
		snapshot_scan(&s[n]);
		n++;
	}
	names_release(&all);
	if (n > 1)
		qsort(s, n, sizeof(*s), cmp_snapshot);
	/* Snapshots of one run share max_steps and their first logged loss. */
	int groups = 0;
	for (size_t i = 0; i < n; i++) {
		s[i].group = -1;
		for (size_t j = 0; j < i; j++)
			if (s[j].max_steps == s[i].max_steps &&
			    strcmp(s[j].first_loss, s[i].first_loss) == 0) {
				s[i].group = s[j].group;
				break;
			}
		if (s[i].group < 0)
			s[i].group = groups++;
	}
	int rc = 0;
	size_t before = out->n;
	char *logs = join(dir, "runs");
	struct stat st;
	int has_logs = stat(logs, &st) == 0 && S_ISDIR(st.st_mode);
	free(logs);
	for (int g = 0; g < groups && rc == 0; g++) {
		size_t last = 0, members = 0;
		struct strbuf others = STRBUF_INIT;
		strbuf_adds(&others, "");
		for (size_t i = 0; i < n; i++)
			if (s[i].group == g) {
				if (members++)
					strbuf_addf(&others, "%s%s", others.len ? ", " : "",
						    s[last].name);
				last = i;
			}
		struct run_list runs = { 0 };
		struct read_error e;
		if (history_read(s[last].path, &runs, &e)) {
			read_error_set(err, 0, "'%s': %s", s[last].path, e.msg);
			rc = -1;
		}
		for (size_t k = 0; k < runs.n; k++) {
			struct run *run = runs.v[k];
			runs.v[k] = NULL;
			free(run->label);
			run->label = groups > 1 ? xasprintf("%s (run %d of %d)", dir, g + 1, groups)
						: xstrdup(dir);
			if (run->steps) {
				free(run->steps->label);
				run->steps->label = xstrdup(run->label);
			}
			run_note(run, "Hugging Face output folder: judged from '%s', the latest "
				 "snapshot of this run%s%s%s", s[last].name,
				 members > 1 ? "; earlier snapshots (prefixes of it): " : "",
				 others.buf, "");
			if (groups > 1)
				run_note(run, "the folder holds snapshots of %d different runs "
					 "(max_steps %ld, first loss %s here): each judged on its own",
					 groups, s[last].max_steps,
					 s[last].first_loss[0] ? s[last].first_loss : "none");
			if (has_logs)
				run_note(run, "its TensorBoard logs in runs/ are the same run: "
					 "not read a second time");
			run_list_push(out, run);
		}
		run_list_release(&runs);
		strbuf_release(&others);
	}
	if (rc)
		while (out->n > before)
			run_free(out->v[--out->n]);
	if (rc == 0 && out->n == before) {
		read_error_set(err, 0, "no trainer_state.json snapshot could be read");
		rc = -1;
	}
	for (size_t i = 0; i < n; i++) {
		free(s[i].path);
		free(s[i].name);
	}
	free(s);
	return rc;
}

int rundir_read(const char *dir, enum rundir_kind kind, struct run_list *out,
		struct read_error *err)
{
	switch (kind) {
	case RUNDIR_TENSORBOARD:
	case RUNDIR_KERAS_TB:
		return read_tensorboard(dir, kind, out, err);
	case RUNDIR_MLFLOW:
		return mlflow_read_run_dir(dir, out, err);
	case RUNDIR_HF_OUTPUT:
		return read_hf_output(dir, out, err);
	case RUNDIR_WANDB:
		return wandb_read_run_dir(dir, out, err);
	default:
		read_error_set(err, 0, "not a run folder");
		return -1;
	}
}
