/*
 * MLflow tracking stores. The file store (mlflow/store/tracking/
 * file_store.py): a run folder holds meta.yaml (run_name, status 1 RUNNING,
 * 2 SCHEDULED, 3 FINISHED, 4 FAILED, 5 KILLED; end_time null while running)
 * and metrics/<key>, one "timestamp_ms value step" line per logged value (no
 * step in files older than MLflow 1.0); a key with '/' is a nested folder.
 * The SQLite store (mlflow/store/tracking/dbmodels/models.py): table metrics
 * (key, value, timestamp, run_uuid, step, is_nan), names in table runs. It
 * is read from memory (sqlite3_deserialize, read-only), so the database and
 * any -wal or -shm file beside it are never opened, let alone changed.
 */
#include "mlflow.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "../util/namemap.h"
#include "../util/strbuf.h"
#include "../util/xalloc.h"

/* A metric value as logged. */
struct mpoint {
	size_t series;
	double step, ts, value;
	size_t seq;
};

struct mvalues {
	char **names;
	size_t n_names, names_cap;
	struct name_map map;
	struct mpoint *v;
	size_t n, cap;
};

static size_t mvalues_series(struct mvalues *m, const char *name)
{
	long got = name_map_get(&m->map, name);
	if (got >= 0)
		return (size_t)got;
	xgrow(&m->names, &m->names_cap, m->n_names + 1, sizeof(*m->names));
	m->names[m->n_names] = xstrdup(name);
	name_map_put(&m->map, m->names[m->n_names], m->n_names);
	return m->n_names++;
}

static void mvalues_add(struct mvalues *m, size_t series, double step, double ts, double value)
{
	xgrow(&m->v, &m->cap, m->n + 1, sizeof(*m->v));
	struct mpoint *p = &m->v[m->n];
	p->series = series;
	p->step = step;
	p->ts = ts;
	p->value = value;
	p->seq = m->n++;
}

static void mvalues_release(struct mvalues *m)
{
	for (size_t i = 0; i < m->n_names; i++)
		free(m->names[i]);
	free(m->names);
	name_map_release(&m->map);
	free(m->v);
}

static int cmp_mpoint(const void *a, const void *b)
{
	const struct mpoint *x = a, *y = b;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int has_name(const struct mvalues *m, const char *prefix)
{
	for (size_t i = 0; i < m->n_names; i++)
		if (strncmp(m->names[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

/*
 * The run the values make: one point per distinct step, per epoch when the
 * steps are few and dense (autologged epochs: 0, 1, 2...), else per step.
 */
static struct run *mvalues_run(struct mvalues *m, const char *path, const char *label,
			       const char *format)
{
	qsort(m->v, m->n, sizeof(*m->v), cmp_mpoint);
	size_t distinct = 0;
	for (size_t i = 0; i < m->n; i++)
		distinct += i == 0 || m->v[i].step != m->v[i - 1].step;
	double lo = m->n ? m->v[0].step : 0, hi = m->n ? m->v[m->n - 1].step : 0;
	int per_step = distinct > 1000 || hi - lo + 1 > 2.0 * (double)distinct + 2;
	struct run *run = run_new(path, format);
	free(run->label);
	run->label = xstrdup(label);
	if (has_name(m, "metrics/mAP") || has_name(m, "lr/pg0"))
		run->framework = FW_YOLO;
	struct run *t = per_step ? run_steps(run) : run;
	size_t *idx = xcalloc(m->n_names ? m->n_names : 1, sizeof(size_t));
	for (size_t i = 0; i < m->n_names; i++)
		idx[i] = run_add_series(t, m->names[i]);
	size_t point = 0;
	int repeated = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (i == 0 || m->v[i].step != m->v[i - 1].step) {
			point = run_add_epoch(t, 0);
			run_set_coords(t, point, m->v[i].step, NAN);
		} else if (!run_is_missing(&t->series[idx[m->v[i].series]], point)) {
			repeated = 1;
		}
		run_set(t, idx[m->v[i].series], point, m->v[i].value);
	}
	if (repeated)
		run_note(run, "a metric logged twice at one step: the later value kept");
	free(idx);
	return run;
}

/* ---- the file store ---- */

/* The value of "key: value" in a small YAML file; NULL when absent. */
static char *yaml_get(const char *buf, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, k) != 0 || p[k] != ':')
			continue;
		const char *v = p + k + 1;
		while (*v == ' ')
			v++;
		size_t n = strcspn(v, "\r\n");
		if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		return xstrndup(v, n);
	}
	return NULL;
}

static char *read_small(const char *path)
{
	char *buf;
	size_t len;
	struct read_error e;
	if (slurp_file(path, 1 << 20, &buf, &len, &e))
		return NULL;
	return buf;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int meta_has(const char *dir, const char *key)
{
	char *p = xasprintf("%s/meta.yaml", dir);
	char *buf = read_small(p);
	free(p);
	if (!buf)
		return 0;
	char *v = yaml_get(buf, key);
	int yes = v != NULL;
	free(v);
	free(buf);
	return yes;
}

int mlflow_is_run_dir(const char *dir)
{
	/* meta.yaml read once for both keys (a folder walk asks of each folder). */
	char *p = xasprintf("%s/meta.yaml", dir);
	char *buf = read_small(p);
	free(p);
	if (!buf)
		return 0;
	char *v = yaml_get(buf, "run_id");
	if (!v)
		v = yaml_get(buf, "run_uuid");
	int yes = v != NULL;
	free(v);
	free(buf);
	return yes;
}

int mlflow_is_experiment_dir(const char *dir)
{
	return !mlflow_is_run_dir(dir) && meta_has(dir, "experiment_id") &&
	       meta_has(dir, "artifact_location");
}

/* One metrics/<key> file: 0, or -1 with err set. */
static int read_metric_file(struct mvalues *m, const char *path, const char *key,
			    struct read_error *err)
{
	char *buf;
	size_t len;
	if (slurp_file(path, READ_WHOLE_MAX_BYTES, &buf, &len, err)) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		read_error_set(err, 0, "metrics/%s: %s", key, msg);
		return -1;
	}
	size_t series = mvalues_series(m, key);
	long line = 0;
	int rc = 0;
	for (char *p = buf; p < buf + len;) {
		char *nl = memchr(p, '\n', (size_t)(buf + len - p));
		char *end = nl ? nl : buf + len;
		line++;
		*end = '\0';
		char *q = p;
		while (*q == ' ' || *q == '\r')
			q++;
		if (*q) {
			char *e1, *e2, *e3;
			double ts = strtod(q, &e1);
			double v = strtod(e1, &e2);
			double step = strtod(e2, &e3);
			if (e1 == q || e2 == e1) {
				read_error_set(err, 0, "metrics/%s: line %ld: expected "
					       "'timestamp value step'", key, line);
				rc = -1;
				break;
			}
			if (e3 == e2)
				step = (double)line - 1;	/* files before MLflow 1.0 */
			mvalues_add(m, series, step, ts, v);
		}
		p = end + 1;
	}
	free(buf);
	return rc;
}

static int walk_metrics(struct mvalues *m, const char *dir, const char *prefix, int depth,
			struct read_error *err)
{
	if (depth > 16)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		xgrow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		char *key = *prefix ? xasprintf("%s/%s", prefix, names[i]) : xstrdup(names[i]);
		struct stat st;
		if (rc == 0 && stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk_metrics(m, path, key, depth + 1, err);
			else if (S_ISREG(st.st_mode))
				rc = read_metric_file(m, path, key, err);
		}
		free(path);
		free(key);
		free(names[i]);
	}
	free(names);
	return rc;
}

int mlflow_read_run_dir(const char *dir, struct run_list *out, struct read_error *err)
{
	char *mp = xasprintf("%s/meta.yaml", dir);
	char *meta = read_small(mp);
	free(mp);
	char *name = meta ? yaml_get(meta, "run_name") : NULL;
	if (!name || !*name) {
		free(name);
		char *tp = xasprintf("%s/tags/mlflow.runName", dir);
		name = read_small(tp);
		free(tp);
		if (name)
			name[strcspn(name, "\r\n")] = '\0';
	}
	char *status = meta ? yaml_get(meta, "status") : NULL;
	char *end_time = meta ? yaml_get(meta, "end_time") : NULL;
	free(meta);
	struct mvalues m = { 0 };
	char *metrics = xasprintf("%s/metrics", dir);
	int rc = -1;
	if (!is_dir(metrics)) {
		read_error_set(err, 0, "MLflow run%s%s%s has no metrics (no metrics/ folder): "
			       "nothing was logged", name ? " '" : "", name ? name : "",
			       name ? "'" : "");
	} else if (walk_metrics(&m, metrics, "", 0, err) == 0) {
		if (m.n == 0) {
			read_error_set(err, 0, "MLflow run%s%s%s has no metric values",
				       name ? " '" : "", name ? name : "", name ? "'" : "");
		} else {
			struct run *run = mvalues_run(&m, dir, dir, "mlflow");
			if (name && *name)
				run_note(run, "MLflow run '%s'", name);
			int st = status ? atoi(status) : 0;
			int open_end = !end_time || strcmp(end_time, "null") == 0 || !*end_time;
			if (st == 1 && open_end)
				run_note(run, "unfinished: status RUNNING and no end time "
					 "(the process died, or is still running)");
			else if (st == 4)
				run_note(run, "the run is marked FAILED");
			else if (st == 5)
				run_note(run, "the run is marked KILLED");
			run_note(run, "read from %zu metric file%s under '%s'", m.n_names,
				 m.n_names == 1 ? "" : "s", metrics);
			run_map_roles(run);
			run_list_push(out, run);
			rc = 0;
		}
	}
	free(metrics);
	free(name);
	free(status);
	free(end_time);
	mvalues_release(&m);
	return rc;
}

/* ---- the SQLite store ---- */

static int sniff_mlflow_db(const char *buf, size_t len)
{
	return len >= 100 && memcmp(buf, "SQLite format 3", 16) == 0 ? 90 : 0;
}

static int db_error(sqlite3 *db, struct read_error *err, const char *what)
{
	read_error_set(err, 0, "%s: %s", what, sqlite3_errmsg(db));
	return -1;
}

static int read_mlflow_db(const char *path, const char *buf, size_t len,
			  struct run_list *out, struct read_error *err)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		read_error_set(err, 0, "cannot open an SQLite database");
		sqlite3_close(db);
		return -1;
	}
	int rc = -1;
	sqlite3_stmt *st = NULL;
	/* Read straight from our copy of the bytes: nothing on disk is touched. */
	if (sqlite3_deserialize(db, "main", (unsigned char *)buf, (sqlite3_int64)len,
				(sqlite3_int64)len, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		db_error(db, err, "not a readable SQLite database");
		goto done;
	}
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
	if (sqlite3_prepare_v2(db, "SELECT m.run_uuid, m.key, m.value, m.timestamp, m.step, "
			       "m.is_nan, r.name, r.status, r.end_time FROM metrics m "
			       "LEFT JOIN runs r ON r.run_uuid = m.run_uuid "
			       "ORDER BY m.run_uuid", -1, &st, NULL) != SQLITE_OK) {
		if (strstr(sqlite3_errmsg(db), "no such table") ||
		    strstr(sqlite3_errmsg(db), "no such column"))
			read_error_set(err, 0, "an SQLite database, but not an MLflow tracking "
				       "store (no metrics and runs tables): %s", sqlite3_errmsg(db));
		else
			db_error(db, err, "cannot query the MLflow metrics table");
		goto done;
	}
	struct mvalues m = { 0 };
	char *uuid = NULL, *name = NULL, *status = NULL;
	int open_end = 0, step_rc;
	size_t before = out->n;
	for (;;) {
		step_rc = sqlite3_step(st);
		const char *u = step_rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
		if (step_rc == SQLITE_ROW && !u)
			u = "";
		if (uuid && (!u || strcmp(u, uuid) != 0)) {
			char *label = xasprintf("%s (run %s)", path, name && *name ? name : uuid);
			struct run *run = mvalues_run(&m, path, label, "mlflow-db");
			free(label);
			run_note(run, "MLflow run %s%s%s%s", uuid, name ? " '" : "",
				 name ? name : "", name ? "'" : "");
			if (status && strcmp(status, "RUNNING") == 0 && open_end)
				run_note(run, "unfinished: status RUNNING and no end time "
					 "(the process died, or is still running)");
			else if (status && (strcmp(status, "FAILED") == 0 || strcmp(status, "KILLED") == 0))
				run_note(run, "the run is marked %s", status);
			run_map_roles(run);
			run_list_push(out, run);
			mvalues_release(&m);
			memset(&m, 0, sizeof(m));
			free(uuid);
			free(name);
			free(status);
			uuid = name = status = NULL;
		}
		if (step_rc != SQLITE_ROW)
			break;
		if (!uuid) {
			uuid = xstrdup(u);
			const char *nm = (const char *)sqlite3_column_text(st, 6);
			const char *stt = (const char *)sqlite3_column_text(st, 7);
			name = nm ? xstrdup(nm) : NULL;
			status = stt ? xstrdup(stt) : NULL;
			open_end = sqlite3_column_type(st, 8) == SQLITE_NULL;
		}
		const char *key = (const char *)sqlite3_column_text(st, 1);
		double v = sqlite3_column_int(st, 5) ? NAN : sqlite3_column_double(st, 2);
		mvalues_add(&m, mvalues_series(&m, key ? key : "?"), sqlite3_column_double(st, 4),
			    sqlite3_column_double(st, 3), v);
	}
	mvalues_release(&m);
	free(uuid);
	free(name);
	free(status);
	if (step_rc != SQLITE_DONE) {
		while (out->n > before)
			run_free(out->v[--out->n]);
		db_error(db, err, "cannot read the MLflow metrics table");
		goto done;
	}
	if (out->n == before) {
		read_error_set(err, 0, "an MLflow tracking store with no metric values");
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

const struct reader reader_mlflow_db = { "mlflow-db", sniff_mlflow_db, read_mlflow_db, 0 };
