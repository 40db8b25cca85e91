/*
 * Weights & Biases exports.
 *
 * A chart panel's "Export CSV" writes every cell quoted: a "Step" column,
 * then per run and metric "RUN - METRIC" with "RUN - METRIC__MIN" and
 * "__MAX" beside it (the band of a smoothed or grouped line, not values:
 * skipped). Each run prefix becomes a run; a cell left empty is a step that
 * run did not log.
 *
 * An offline run folder keeps its per-step history only in the binary
 * run-ID.wandb; files/wandb-summary.json holds the last values, a summary
 * and not a history, so a folder without a readable history is said so.
 */
#include "wandb.h"

#include <csv.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../util/strbuf.h"
#include "pbwire.h"
#include "tfevents.h"
#include "../util/xalloc.h"

/* Most runs one export is split into. */
#define WANDB_MAX_RUNS 1000

struct cells {
	struct strbuf text;
	size_t *off, *len;
	size_t n, cap;
	size_t *row_first;	/* first cell of each row */
	size_t *row_n;
	long *row_line;
	size_t n_rows, rows_cap;
	size_t first, line;
};

static void on_cell(void *s, size_t len, void *data)
{
	struct cells *c = data;
	size_t cap = c->cap;
	xgrow(&c->off, &cap, c->n + 1, sizeof(*c->off));
	xgrow(&c->len, &c->cap, c->n + 1, sizeof(*c->len));
	c->off[c->n] = c->text.len;
	c->len[c->n++] = len;
	if (len)
		strbuf_add(&c->text, s, len);
	strbuf_addc(&c->text, '\0');
}

static void on_row(int ch, void *data)
{
	(void)ch;
	struct cells *c = data;
	size_t cap = c->rows_cap, cap2 = c->rows_cap;
	xgrow(&c->row_first, &cap, c->n_rows + 1, sizeof(*c->row_first));
	xgrow(&c->row_line, &cap2, c->n_rows + 1, sizeof(*c->row_line));
	xgrow(&c->row_n, &c->rows_cap, c->n_rows + 1, sizeof(*c->row_n));
	c->row_first[c->n_rows] = c->first;
	c->row_n[c->n_rows] = c->n - c->first;
	c->row_line[c->n_rows++] = (long)c->line;
	c->first = c->n;
}

static void cells_release(struct cells *c)
{
	strbuf_release(&c->text);
	free(c->off);
	free(c->len);
	free(c->row_first);
	free(c->row_n);
	free(c->row_line);
}

static const char *cell(const struct cells *c, size_t row, size_t i)
{
	return i < c->row_n[row] ? c->text.buf + c->off[c->row_first[row] + i] : "";
}

/* The first line, unquoted cell by cell, is enough to decide. */
static int sniff_wandb_csv(const char *buf, size_t len)
{
	/* The start first: a one-line JSON document is not scanned whole. */
	if (len < 8 || (strncmp(buf, "\"Step\",", 7) != 0 && strncmp(buf, "Step,", 5) != 0))
		return 0;
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;
	if (n < 8)
		return 0;
	/* "RUN - METRIC" columns: at least one " - " in the header. */
	for (size_t i = 0; i + 3 <= n; i++)
		if (memcmp(buf + i, " - ", 3) == 0)
			return 85;
	return 0;
}

static int is_band(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && (strcmp(name + n - 5, "__MIN") == 0 || strcmp(name + n - 5, "__MAX") == 0);
}

static int read_wandb_csv(const char *path, const char *buf, size_t len,
			  struct run_list *out, struct read_error *err)
{
	struct cells c;
	memset(&c, 0, sizeof(c));
	strbuf_init(&c.text);
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		read_error_set(err, 0, "cannot start the CSV parser");
		return -1;
	}
	csv_set_blk_size(&p, 65536);
	int rc = 0;
	for (size_t pos = 0; pos < len && rc == 0;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;
		c.line++;
		if (csv_parse(&p, buf + pos, n, on_cell, on_row, &c) != n) {
			read_error_set(err, (long)c.line, "malformed quoting in a W&B CSV export");
			rc = -1;
		}
		pos += n;
	}
	if (rc == 0 && csv_fini(&p, on_cell, on_row, &c) != 0) {
		read_error_set(err, (long)c.line, "unterminated quoted field");
		rc = -1;
	}
	csv_free(&p);
	if (rc || c.n_rows == 0) {
		if (!rc)
			read_error_set(err, 0, "empty W&B CSV export");
		cells_release(&c);
		return -1;
	}
	size_t ncol = c.row_n[0];
	/* Column -> run and series; -1 for Step and skipped columns. */
	long *col_run = xcalloc(ncol ? ncol : 1, sizeof(long));
	size_t *col_series = xcalloc(ncol ? ncol : 1, sizeof(size_t));
	char **run_names = NULL;
	size_t n_runs = 0, runs_cap = 0, bands = 0;
	struct run **runs = NULL;
	size_t runs_cap2 = 0;
	for (size_t i = 0; i < ncol; i++) {
		const char *h = cell(&c, 0, i);
		col_run[i] = -1;
		/* W&B run names hold no spaces: the metric is all after the first " - ". */
		const char *dash = strstr(h, " - ");
		if (i == 0 || !dash)
			continue;
		if (is_band(h)) {
			bands++;
			continue;
		}
		size_t rn = (size_t)(dash - h);
		size_t r = 0;
		while (r < n_runs && (strlen(run_names[r]) != rn || strncmp(run_names[r], h, rn)))
			r++;
		if (r == n_runs) {
			if (n_runs >= WANDB_MAX_RUNS)
				continue;
			xgrow(&run_names, &runs_cap, n_runs + 1, sizeof(*run_names));
			size_t cap = runs_cap2;
			xgrow(&runs, &cap, n_runs + 1, sizeof(*runs));
			runs_cap2 = cap;
			run_names[n_runs] = xstrndup(h, rn);
			char *label = xasprintf("%s (run %s)", path, run_names[n_runs]);
			/* The export's x axis is W&B's step: the values go to the
			 * run's step table. */
			runs[n_runs] = run_new(path, "wandb-csv");
			free(runs[n_runs]->label);
			runs[n_runs]->label = label;
			run_steps(runs[n_runs]);
			n_runs++;
		}
		col_run[i] = (long)r;
		col_series[i] = run_add_series(runs[r]->steps, dash + 3);
	}
	for (size_t r = 0; r < n_runs; r++) {
		long last_step = -1;
		for (size_t row = 1; row < c.n_rows; row++) {
			int any = 0;
			for (size_t i = 1; i < ncol && !any; i++)
				any = col_run[i] == (long)r && !is_missing_marker(cell(&c, row, i),
									  strlen(cell(&c, row, i)));
			if (!any)
				continue;
			char *end;
			const char *sc = cell(&c, row, 0);
			double step = strtod(sc, &end);
			if (end == sc)
				step = NAN;
			struct run *t = runs[r]->steps;
			size_t pt = run_add_epoch(t, c.row_line[row]);
			run_set_coords(t, pt, step, NAN);
			for (size_t i = 1; i < ncol; i++) {
				if (col_run[i] != (long)r)
					continue;
				const char *v = cell(&c, row, i);
				if (is_missing_marker(v, strlen(v)))
					continue;
				double x = strtod(v, &end);
				if (end == v) {
					read_error_set(err, c.row_line[row], "column %zu: not a number: '%.40s'",
						       i + 1, v);
					rc = -1;
					break;
				}
				run_set(t, col_series[i], pt, x);
			}
			last_step = (long)row;
			if (rc)
				break;
		}
		(void)last_step;
		if (rc)
			break;
	}
	if (rc == 0 && n_runs == 0) {
		read_error_set(err, 1, "a W&B CSV export without 'RUN - METRIC' columns");
		rc = -1;
	}
	for (size_t r = 0; r < n_runs; r++) {
		if (rc == 0 && runs[r]->steps->n_epochs) {
			run_note(runs[r], "W&B chart export: run '%s' of %zu%s", run_names[r], n_runs,
				 bands ? "; __MIN/__MAX band columns skipped" : "");
			run_map_roles(runs[r]);
			run_list_push(out, runs[r]);
		} else {
			run_free(runs[r]);
		}
		free(run_names[r]);
	}
	free(run_names);
	free(runs);
	free(col_run);
	free(col_series);
	cells_release(&c);
	return rc;
}

const struct reader reader_wandb_csv = { "wandb-csv", sniff_wandb_csv, read_wandb_csv, 0 };

/* ---- offline run folders ---- */

static int exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	int yes = stat(p, &st) == 0;
	free(p);
	return yes;
}

/* The run-*.wandb file in dir, or NULL. */
static char *wandb_file(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	struct dirent *de;
	char *found = NULL;
	while ((de = readdir(d)) && !found) {
		size_t n = strlen(de->d_name);
		if (n > 6 && strcmp(de->d_name + n - 6, ".wandb") == 0 && de->d_name[0] != '.')
			found = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	return found;
}

int wandb_is_run_dir(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	size_t s = n;
	while (s > 0 && dir[s - 1] != '/')
		s--;
	const char *base = dir + s;
	if (strncmp(base, "run-", 4) != 0 && strncmp(base, "offline-run-", 12) != 0)
		return 0;
	char *w = wandb_file(dir);
	int yes = w != NULL || exists(dir, "files/wandb-summary.json");
	free(w);
	return yes;
}

/* zlib's CRC-32 (IEEE, reflected 0xEDB88320), as the .wandb log uses it. */
static uint32_t crc32_ieee(uint32_t crc, const unsigned char *p, size_t n, const uint32_t *t)
{
	crc = ~crc;
	while (n--)
		crc = (crc >> 8) ^ t[(crc ^ *p++) & 0xFF];
	return ~crc;
}

#define WANDB_BLOCK 32768

/* One HistoryRecord (Record field 2): its items into the log; -1 if malformed. */
static int history_row(struct tb_log *log, struct pb rec, size_t *rows)
{
	struct pb_field f;
	int r;
	while ((r = pb_next(&rec, &f)) > 0) {
		if (f.num != 2 || f.type != 2)
			continue;
		/* HistoryRecord: item 1 (key 1, nested_key 2, value_json 16), step 2 (num 1). */
		double step = 0, gstep = NAN, sstep = NAN;
		struct pb h = f.sub, h2 = f.sub;
		struct pb_field g;
		int rh;
		while ((rh = pb_next(&h, &g)) > 0)
			if (g.num == 2 && g.type == 2) {
				struct pb st = g.sub;
				struct pb_field q;
				while (pb_next(&st, &q) > 0)
					if (q.num == 1 && q.type == 0)
						step = (double)(int64_t)q.v;
			}
		if (rh < 0)
			return -1;
		/* Two passes: the step first (HF logs train/global_step beside the values). */
		for (int pass = 0; pass < 2; pass++) {
			h = h2;
			while ((rh = pb_next(&h, &g)) > 0) {
				if (g.num != 1 || g.type != 2)
					continue;
				struct pb it = g.sub;
				struct pb_field q;
				char key[256] = "";
				size_t kl = 0;
				char val[64] = "";
				int ri;
				while ((ri = pb_next(&it, &q)) > 0) {
					size_t n = (size_t)(q.sub.end - q.sub.p);
					if (q.type != 2)
						continue;
					if (q.num == 1 || q.num == 2) {
						/* nested keys join with '/' */
						if (kl && kl < sizeof(key) - 1)
							key[kl++] = '/';
						size_t room = sizeof(key) - 1 - kl;
						size_t m = n < room ? n : room;
						memcpy(key + kl, q.sub.p, m);
						kl += m;
						key[kl] = '\0';
					} else if (q.num == 16) {
						size_t m = n < sizeof(val) - 1 ? n : sizeof(val) - 1;
						memcpy(val, q.sub.p, m);
						val[m] = '\0';
					}
				}
				if (ri < 0)
					return -1;
				if (memchr(key, '\0', kl))
					continue;
				char *end;
				double v = strtod(val, &end);
				if (end == val || *end)
					continue;	/* a string, a table, an image: not a scalar */
				if (pass == 0) {
					if (strcmp(key, "train/global_step") == 0)
						gstep = v;
					else if (strcmp(key, "_step") == 0)
						sstep = v;
					continue;
				}
				if (key[0] == '_' || strcmp(key, "train/global_step") == 0)
					continue;
				tb_log_push(log, key, !isnan(gstep) ? gstep : !isnan(sstep) ? sstep : step, v);
			}
			if (rh < 0)
				return -1;
		}
		(*rows)++;
	}
	return r < 0 ? -1 : 0;
}

int wandb_read_history(const char *label, const char *buf, size_t len,
		       struct run_list *out, struct read_error *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len < 7 || memcmp(u, ":W&B\xe1\xbe", 6) != 0) {
		read_error_set(err, 0, "byte 0: not a W&B data file (no ':W&B' header)");
		return -1;
	}
	uint32_t t[256];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
		t[i] = c;
	}
	struct tb_log log;
	tb_log_init(&log);
	struct strbuf whole = STRBUF_INIT;
	size_t off = 7, rows = 0, records = 0;
	int rc = 0, partial = 0, in_record = 0;
	while (off < len && rc == 0) {
		size_t left = WANDB_BLOCK - off % WANDB_BLOCK;
		if (left < 7) {
			off += left;	/* zero padding at a block's end */
			continue;
		}
		if (len - off < 7) {
			partial = 1;
			break;
		}
		uint32_t crc = le32(u + off);
		size_t n = (size_t)u[off + 4] | (size_t)u[off + 5] << 8;
		unsigned type = u[off + 6];
		if (crc == 0 && n == 0 && type == 0) {
			off += left;	/* the rest of a block never written */
			continue;
		}
		if (n > left - 7 || n > len - off - 7) {
			if (n > left - 7) {
				read_error_set(err, 0, "byte %zu: record length %zu runs past its block "
					       "(a corrupt .wandb file)", off, n);
				rc = -1;
			} else {
				partial = 1;
			}
			break;
		}
		unsigned char tb = (unsigned char)type;
		uint32_t want = crc32_ieee(crc32_ieee(0, &tb, 1, t), u + off + 7, n, t);
		if (want != crc || type < 1 || type > 4) {
			read_error_set(err, 0, "byte %zu: record checksum does not match "
				       "(a corrupt .wandb file)", off);
			rc = -1;
			break;
		}
		const unsigned char *data = u + off + 7;
		off += 7 + n;
		if (type == 2 || (type == 1 && in_record))
			strbuf_reset(&whole);
		if (type == 1) {
			in_record = 0;
			struct pb rec = { data, data + n };
			records++;
			if (history_row(&log, rec, &rows))
				rc = -2;
		} else {
			if (type == 2)
				in_record = 1;
			else if (!in_record)
				continue;	/* a middle or last piece without its first */
			strbuf_add(&whole, (const char *)data, n);
			if (whole.len > READ_WHOLE_MAX_BYTES) {
				read_error_set(err, 0, "byte %zu: a record larger than %zu bytes",
					       off, (size_t)READ_WHOLE_MAX_BYTES);
				rc = -1;
			} else if (type == 4) {
				in_record = 0;
				struct pb rec = { (const unsigned char *)whole.buf,
						  (const unsigned char *)whole.buf + whole.len };
				records++;
				if (history_row(&log, rec, &rows))
					rc = -2;
			}
		}
		if (rc == -2) {
			read_error_set(err, 0, "byte %zu: not a valid W&B record", off - 7 - n);
			rc = -1;
		}
	}
	strbuf_release(&whole);
	if (rc == 0 && rows == 0) {
		read_error_set(err, 0, "no history rows in the W&B run (%zu records): the run "
			       "logged no metrics; files/wandb-summary.json is a summary, not a "
			       "history", records);
		rc = -1;
	}
	if (rc == 0) {
		struct run *run = tb_log_run(&log, label, err);
		if (!run) {
			rc = -1;
		} else {
			run->format = "wandb";
			if (run->steps)
				run->steps->format = "wandb";
			run_note(run, "W&B run history: %zu row%s", rows, rows == 1 ? "" : "s");
			if (partial)
				run_note(run, "the .wandb file ends inside a record (still being "
					 "written?): read up to it");
			run_list_push(out, run);
		}
	}
	tb_log_release(&log);
	return rc;
}

int wandb_read_run_dir(const char *dir, struct run_list *out, struct read_error *err)
{
	char *w = wandb_file(dir);
	if (!w) {
		read_error_set(err, 0, "a W&B run folder without a run-*.wandb history: "
			       "files/wandb-summary.json holds last values only (a summary, "
			       "not a history)");
		return -1;
	}
	char *buf;
	size_t len;
	struct read_error e;
	const char *base = strrchr(w, '/');
	base = base ? base + 1 : w;
	int rc = slurp_file(w, READ_WHOLE_MAX_BYTES, &buf, &len, &e);
	if (rc == 0) {
		size_t before = out->n;
		rc = wandb_read_history(dir, buf, len, out, &e);
		if (rc == 0)
			run_note(out->v[before], "read from '%s'", base);
		free(buf);
	}
	if (rc)
		read_error_set(err, 0, "'%s': %s", base, e.msg);
	free(w);
	return rc;
}
