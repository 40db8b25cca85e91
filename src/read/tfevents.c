/*
 * TensorBoard event files: a TFRecord stream of Event protobufs.
 *
 * TFRecord (tensorflow/core/lib/io/record_writer.cc): uint64 length, masked
 * CRC-32C of those 8 bytes, the payload, masked CRC-32C of the payload; all
 * little-endian. Both checksums are verified.
 *
 * The fields read, by number (tensorboard/compat/proto/event.proto,
 * summary.proto, tensor.proto, types.proto):
 *   Event:           wall_time 1 (double), step 2 (int64), summary 5
 *   Summary:         value 1 (repeated)
 *   Summary.Value:   tag 1, simple_value 2 (float), image 4, histo 5,
 *                    audio 6, tensor 8, metadata 9
 *   SummaryMetadata: plugin_data 1 -> PluginData.plugin_name 1
 *   TensorProto:     dtype 1, tensor_shape 2, tensor_content 4,
 *                    float_val 5, double_val 6, half_val 13
 *   DataType:        DT_FLOAT 1, DT_DOUBLE 2, DT_BFLOAT16 14, DT_HALF 19
 * Everything else (graphs, run metadata, histograms, images, text, hparams)
 * is skipped. Keras writes the "scalars" plugin metadata on a tag's first
 * value only: the plugin a tag was first given is remembered.
 */
#include "tfevents.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "pbwire.h"
#include "../util/xalloc.h"

/* No real tag set comes near this; a fuzzed file must not make lookups slow. */
#define TB_MAX_TAGS 4096
/* Sub-messages nest a few deep; anything deeper is not an event file. */
#define PB_MAX_DEPTH 8

/* ---- CRC-32C (Castagnoli), reflected, as TFRecord masks it ---- */

struct crc_table {
	uint32_t t[256];
};

static void crc_table_init(struct crc_table *c)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t r = i;
		for (int k = 0; k < 8; k++)
			r = (r >> 1) ^ (0x82F63B78u & (0u - (r & 1u)));
		c->t[i] = r;
	}
}

static uint32_t crc32c(const struct crc_table *c, const unsigned char *p, size_t n)
{
	uint32_t r = 0xFFFFFFFFu;
	while (n--)
		r = (r >> 8) ^ c->t[(r ^ *p++) & 0xFF];
	return r ^ 0xFFFFFFFFu;
}

static uint32_t crc_masked(const struct crc_table *c, const unsigned char *p, size_t n)
{
	uint32_t r = crc32c(c, p, n);
	return ((r >> 15) | (r << 17)) + 0xA282EAD8u;
}

static double f32(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof(f));
	return f;
}

static double f64(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

/* IEEE half and bfloat16 (the high half of a float). */
static double half_to_double(uint32_t h, int bfloat)
{
	if (bfloat)
		return f32(h << 16);
	int sign = (h >> 15) & 1, e = (h >> 10) & 0x1F, m = h & 0x3FF;
	double v;
	if (e == 0)
		v = ldexp(m, -24);
	else if (e == 31)
		v = m ? NAN : INFINITY;
	else
		v = ldexp(m + 1024, e - 25);
	return sign ? -v : v;
}

enum { DT_FLOAT = 1, DT_DOUBLE = 2, DT_BFLOAT16 = 14, DT_HALF = 19 };

/* A scalar tensor's value: 0, or -1 when it is not one float of one element. */
static int tensor_scalar(struct pb t, double *out)
{
	struct pb_field f;
	uint64_t dtype = 0;
	size_t count = 0;
	double v = NAN;
	struct pb content = { NULL, NULL };
	int r;
	while ((r = pb_next(&t, &f)) > 0) {
		if (f.num == 1 && f.type == 0) {
			dtype = f.v;
		} else if (f.num == 2 && f.type == 2) {
			/* TensorShapeProto: dims (2) whose size (1) must all be 1. */
			struct pb s = f.sub;
			struct pb_field d;
			int rs;
			while ((rs = pb_next(&s, &d)) > 0) {
				if (d.num != 2 || d.type != 2)
					continue;
				struct pb dim = d.sub;
				struct pb_field ds;
				int rd;
				while ((rd = pb_next(&dim, &ds)) > 0)
					if (ds.num == 1 && ds.type == 0 && ds.v != 1)
						return -1;
				if (rd < 0)
					return -1;
			}
			if (rs < 0)
				return -1;
		} else if (f.num == 4 && f.type == 2) {
			content = f.sub;
		} else if (f.num == 5 && f.type == 5) {
			v = f32((uint32_t)f.v), count++;
		} else if (f.num == 5 && f.type == 2) {
			size_t n = (size_t)(f.sub.end - f.sub.p);
			if (n % 4)
				return -1;
			count += n / 4;
			if (n)
				v = f32(le32(f.sub.p));
		} else if (f.num == 6 && f.type == 1) {
			v = f64(f.v), count++;
		} else if (f.num == 6 && f.type == 2) {
			size_t n = (size_t)(f.sub.end - f.sub.p);
			if (n % 8)
				return -1;
			count += n / 8;
			if (n)
				v = f64(le64(f.sub.p));
		} else if (f.num == 13 && (f.type == 0 || f.type == 2)) {
			int bf = dtype == DT_BFLOAT16;
			if (f.type == 0) {
				v = half_to_double((uint32_t)(f.v & 0xFFFF), bf), count++;
			} else {
				struct pb h = f.sub;
				uint64_t x;
				while (h.p < h.end) {
					if (pb_varint(&h, &x))
						return -1;
					if (count++ == 0)
						v = half_to_double((uint32_t)(x & 0xFFFF), bf);
				}
			}
		}
	}
	if (r < 0)
		return -1;
	size_t esize = dtype == DT_FLOAT ? 4 : dtype == DT_DOUBLE ? 8
		       : dtype == DT_HALF || dtype == DT_BFLOAT16 ? 2 : 0;
	if (esize == 0)
		return -1;
	if (content.p) {
		if ((size_t)(content.end - content.p) != esize || count)
			return -1;
		if (esize == 4)
			v = f32(le32(content.p));
		else if (esize == 8)
			v = f64(le64(content.p));
		else
			v = half_to_double((uint32_t)content.p[0] | (uint32_t)content.p[1] << 8,
					   dtype == DT_BFLOAT16);
		count = 1;
	}
	if (count != 1)
		return -1;
	*out = v;
	return 0;
}

static size_t tag_index(struct tb_log *log, enum tb_dir dir, const unsigned char *p, size_t n)
{
	char *key = xmalloc(n + 2);
	key[0] = dir == TB_DIR_VAL ? 'v' : dir == TB_DIR_TRAIN ? 't' : '-';
	memcpy(key + 1, p, n);
	key[n + 1] = '\0';
	/* A NUL inside a tag would cut it short: keep it a different tag. */
	for (size_t i = 1; i <= n; i++)
		if (key[i] == '\0')
			key[i] = '?';
	long got = name_map_get(&log->map, key);
	if (got >= 0) {
		free(key);
		return (size_t)got;
	}
	if (log->n_tags >= TB_MAX_TAGS) {
		free(key);
		return SIZE_MAX;
	}
	xgrow(&log->tag, &log->tag_cap, log->n_tags + 1, sizeof(*log->tag));
	size_t cap = log->n_tags;
	log->skip = xreallocarray(log->skip, log->n_tags + 1, 1);
	(void)cap;
	log->tag[log->n_tags] = key;
	log->skip[log->n_tags] = 0;
	name_map_put(&log->map, key, log->n_tags);
	return log->n_tags++;
}

static int is_scalar_plugin(const unsigned char *p, size_t n)
{
	return n == 7 && memcmp(p, "scalars", 7) == 0;
}

/* One Summary.Value; -1 when malformed. */
static int read_value(struct tb_log *log, struct pb val, enum tb_dir dir, double step)
{
	struct pb_field f;
	const unsigned char *tag = NULL;
	size_t tag_len = 0;
	const unsigned char *plugin = NULL;
	size_t plugin_len = 0;
	int have = 0, other = 0, r;
	double v = NAN;
	struct pb tensor = { NULL, NULL };
	while ((r = pb_next(&val, &f)) > 0) {
		if (f.num == 1 && f.type == 2) {
			tag = f.sub.p;
			tag_len = (size_t)(f.sub.end - f.sub.p);
		} else if (f.num == 2 && f.type == 5) {
			v = f32((uint32_t)f.v);
			have = 1;
		} else if ((f.num == 4 || f.num == 5 || f.num == 6 || f.num == 3) && f.type == 2) {
			other = 1;
		} else if (f.num == 8 && f.type == 2) {
			tensor = f.sub;
		} else if (f.num == 9 && f.type == 2) {
			struct pb md = f.sub;
			struct pb_field m;
			int rm;
			while ((rm = pb_next(&md, &m)) > 0) {
				if (m.num != 1 || m.type != 2)
					continue;
				struct pb pd = m.sub;
				struct pb_field q;
				int rq;
				while ((rq = pb_next(&pd, &q)) > 0)
					if (q.num == 1 && q.type == 2) {
						plugin = q.sub.p;
						plugin_len = (size_t)(q.sub.end - q.sub.p);
					}
				if (rq < 0)
					return -1;
			}
			if (rm < 0)
				return -1;
		}
	}
	if (r < 0)
		return -1;
	if (!tag)
		return 0;
	size_t t = tag_index(log, dir, tag, tag_len);
	if (t == SIZE_MAX)
		return 0;
	/* The plugin a tag was first given holds for its later values. */
	if (plugin && !is_scalar_plugin(plugin, plugin_len))
		log->skip[t] = 1;
	if (other || log->skip[t]) {
		log->skipped++;
		return 0;
	}
	if (!have && tensor.p) {
		if (tensor_scalar(tensor, &v)) {
			log->skipped++;
			return 0;
		}
		have = 1;
	}
	if (!have)
		return 0;	/* metadata only (hparams session records) */
	xgrow(&log->v, &log->cap, log->n + 1, sizeof(*log->v));
	struct tb_scalar *s = &log->v[log->n];
	s->tag = t;
	s->file = log->n_files;
	s->seq = log->n++;
	s->step = step;
	s->value = v;
	return 0;
}

/* One Event; -1 when malformed. */
static int read_event(struct tb_log *log, struct pb ev, enum tb_dir dir)
{
	struct pb_field f;
	double step = 0;
	struct pb summary = { NULL, NULL };
	int r;
	while ((r = pb_next(&ev, &f)) > 0) {
		if (f.num == 2 && f.type == 0)
			step = (double)(int64_t)f.v;
		else if (f.num == 5 && f.type == 2)
			summary = f.sub;
	}
	if (r < 0)
		return -1;
	if (!summary.p)
		return 0;
	while ((r = pb_next(&summary, &f)) > 0)
		if (f.num == 1 && f.type == 2 && read_value(log, f.sub, dir, step))
			return -1;
	return r < 0 ? -1 : 0;
}

static void log_note(struct tb_log *log, char *note)
{
	log->notes = xreallocarray(log->notes, log->n_notes + 1, sizeof(*log->notes));
	log->notes[log->n_notes++] = note;
}

void tb_log_init(struct tb_log *log)
{
	memset(log, 0, sizeof(*log));
}

void tb_log_release(struct tb_log *log)
{
	for (size_t i = 0; i < log->n_tags; i++)
		free(log->tag[i]);
	free(log->tag);
	free(log->skip);
	name_map_release(&log->map);
	free(log->v);
	for (size_t i = 0; i < log->n_notes; i++)
		free(log->notes[i]);
	free(log->notes);
	memset(log, 0, sizeof(*log));
}

int tb_log_add(struct tb_log *log, const char *buf, size_t len, enum tb_dir dir,
	       struct read_error *err)
{
	struct crc_table crc;
	crc_table_init(&crc);
	const unsigned char *u = (const unsigned char *)buf;
	size_t off = 0;
	int rc = 0;
	while (off < len) {
		if (len - off < 12) {
			log_note(log, xasprintf("the file ends inside a record at byte %zu "
						"(still being written?): read up to it", off));
			break;
		}
		uint64_t n = le64(u + off);
		if (crc_masked(&crc, u + off, 8) != le32(u + off + 8)) {
			read_error_set(err, 0, "byte %zu: record length checksum does not match "
				       "(a corrupt TFRecord)", off);
			rc = -1;
			break;
		}
		if (n > READ_WHOLE_MAX_BYTES) {
			read_error_set(err, 0, "byte %zu: record length %llu is larger than any "
				       "event record (a corrupt TFRecord)", off, (unsigned long long)n);
			rc = -1;
			break;
		}
		if (n > len - off - 12 || len - off - 12 - n < 4) {
			log_note(log, xasprintf("the file ends inside a record at byte %zu "
						"(still being written?): read up to it", off));
			break;
		}
		const unsigned char *payload = u + off + 12;
		if (crc_masked(&crc, payload, (size_t)n) != le32(payload + n)) {
			read_error_set(err, 0, "byte %zu: record checksum does not match "
				       "(a corrupt TFRecord)", off);
			rc = -1;
			break;
		}
		struct pb ev = { payload, payload + n };
		if (read_event(log, ev, dir)) {
			read_error_set(err, 0, "byte %zu: not a valid Event record", off);
			rc = -1;
			break;
		}
		log->records++;
		off += 12 + (size_t)n + 4;
	}
	log->n_files++;
	return rc;
}

void tb_log_push(struct tb_log *log, const char *tag, double step, double value)
{
	size_t t = tag_index(log, TB_DIR_NONE, (const unsigned char *)tag, strlen(tag));
	if (t == SIZE_MAX)
		return;
	xgrow(&log->v, &log->cap, log->n + 1, sizeof(*log->v));
	struct tb_scalar *s = &log->v[log->n];
	s->tag = t;
	s->file = log->n_files;
	s->seq = log->n++;
	s->step = step;
	s->value = value;
}

/*
 * Every file a folder walk finds is sniffed, most of them text: the 8 bytes
 * of the length go through the CRC bit by bit (the same sum as the table's)
 * rather than building a 256-entry table per file.
 */
int tfevents_sniff(const char *buf, size_t len)
{
	if (len < 12)
		return 0;
	const unsigned char *u = (const unsigned char *)buf;
	uint32_t r = 0xFFFFFFFFu;
	for (int i = 0; i < 8; i++) {
		r ^= u[i];
		for (int k = 0; k < 8; k++)
			r = (r >> 1) ^ (0x82F63B78u & (0u - (r & 1u)));
	}
	r ^= 0xFFFFFFFFu;
	return ((r >> 15) | (r << 17)) + 0xA282EAD8u == le32(u + 8) ? 90 : 0;
}

enum tb_dir tb_dir_of(const char *path)
{
	const char *end = strrchr(path, '/');
	if (!end)
		return TB_DIR_NONE;
	const char *start = end;
	while (start > path && start[-1] != '/')
		start--;
	size_t n = (size_t)(end - start);
	if ((n == 10 && memcmp(start, "validation", 10) == 0) ||
	    (n == 3 && memcmp(start, "val", 3) == 0) ||
	    (n == 4 && memcmp(start, "eval", 4) == 0))
		return TB_DIR_VAL;
	if (n == 5 && memcmp(start, "train", 5) == 0)
		return TB_DIR_TRAIN;
	return TB_DIR_NONE;
}

/* ---- from scalars to a run ---- */

/* Where a tag's values go. */
enum place { PLACE_SKIP, PLACE_POINTS, PLACE_STEPS, PLACE_EPOCH_COORD };

struct tag_plan {
	enum place place;
	char *name;		/* series name in the run */
	int by_order;		/* every value at one step: key by record order */
};

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int has_tag(const struct tb_log *log, const char *name)
{
	for (size_t i = 0; i < log->n_tags; i++)
		if (!log->skip[i] && strcmp(log->tag[i] + 1, name) == 0)
			return 1;
	return 0;
}

static int has_prefix_tag(const struct tb_log *log, const char *prefix)
{
	for (size_t i = 0; i < log->n_tags; i++)
		if (!log->skip[i] && starts(log->tag[i] + 1, prefix))
			return 1;
	return 0;
}

struct keyed {
	double key;
	size_t series;
	size_t file, seq;
	double value;
	double step, epoch;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct coord_map {
	double *step, *epoch;	/* sorted by step */
	size_t n;
};

static int cmp_pair(const void *a, const void *b)
{
	const double *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[2] > y[2]) - (x[2] < y[2]);	/* record order: the last wins */
}

static void coord_map_build(struct coord_map *m, const struct tb_log *log, size_t tag)
{
	size_t n = 0;
	for (size_t i = 0; i < log->n; i++)
		n += log->v[i].tag == tag;
	double *tmp = xcalloc(n ? n * 3 : 1, sizeof(double));
	size_t k = 0;
	for (size_t i = 0; i < log->n; i++)
		if (log->v[i].tag == tag) {
			tmp[3 * k] = log->v[i].step;
			tmp[3 * k + 1] = log->v[i].value;
			tmp[3 * k + 2] = (double)log->v[i].seq;
			k++;
		}
	qsort(tmp, n, 3 * sizeof(double), cmp_pair);
	m->step = xcalloc(n ? n : 1, sizeof(double));
	m->epoch = xcalloc(n ? n : 1, sizeof(double));
	m->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (m->n && m->step[m->n - 1] == tmp[3 * i]) {
			m->epoch[m->n - 1] = tmp[3 * i + 1];
			continue;
		}
		m->step[m->n] = tmp[3 * i];
		m->epoch[m->n++] = tmp[3 * i + 1];
	}
	free(tmp);
}

/* The epoch logged at a step, or at the nearest step before it; NaN if none. */
static double coord_at(const struct coord_map *m, double step)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->step[mid] <= step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? m->epoch[lo - 1] : (m->n ? m->epoch[0] : NAN);
}

/* Fill a run's points from the values placed there, keyed as given. */
static void fill(struct run *run, struct keyed *k, size_t n, const size_t *series_of,
		 int *replaced)
{
	qsort(k, n, sizeof(*k), cmp_keyed);
	size_t point = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || k[i].key != k[i - 1].key) {
			point = run_add_epoch(run, 0);
			run_set_coords(run, point, k[i].step, k[i].epoch);
		} else if (!run_is_missing(&run->series[series_of[k[i].series]], point) &&
			   k[i].file != k[i - 1].file) {
			*replaced = 1;
		}
		run_set(run, series_of[k[i].series], point, k[i].value);
	}
}

struct run *tb_log_run(struct tb_log *log, const char *path, struct read_error *err)
{
	size_t n_scalar_tags = 0;
	for (size_t i = 0; i < log->n_tags; i++) {
		int any = 0;
		for (size_t j = 0; j < log->n && !any; j++)
			any = log->v[j].tag == i;
		n_scalar_tags += any;
	}
	if (log->n == 0) {
		read_error_set(err, 0, "no scalar values in this TensorBoard log (%zu record%s%s): "
			       "nothing was logged yet, or only graphs, histograms or images",
			       log->records, log->records == 1 ? "" : "s",
			       log->records <= 1 ? ", the file header only" : "");
		return NULL;
	}
	enum framework fw = FW_UNKNOWN;
	const char *style = "generic";
	if (has_prefix_tag(log, "epoch_")) {
		fw = FW_KERAS, style = "keras";
	} else if (has_tag(log, "train/epoch") || has_prefix_tag(log, "eval/") ||
		   (has_tag(log, "train/loss") && has_tag(log, "train/learning_rate"))) {
		fw = FW_TRANSFORMERS, style = "hf";
	} else if (has_tag(log, "epoch")) {
		fw = FW_LIGHTNING, style = "lightning";
	} else if (has_prefix_tag(log, "metrics/mAP") || has_tag(log, "x/lr0") ||
		   has_prefix_tag(log, "metrics/HBBmAP")) {
		fw = FW_YOLO, style = "yolo";
	}
	struct tag_plan *plan = xcalloc(log->n_tags ? log->n_tags : 1, sizeof(*plan));
	size_t *count = xcalloc(log->n_tags ? log->n_tags : 1, sizeof(size_t));
	for (size_t j = 0; j < log->n; j++)
		count[log->v[j].tag]++;
	struct coord_map epochs = { 0 };
	int have_epochs = 0;
	size_t n_epoch_values = 0;
	struct strbuf skipped = STRBUF_INIT;
	strbuf_adds(&skipped, "");
	for (size_t t = 0; t < log->n_tags; t++) {
		const char *tag = log->tag[t] + 1;
		int val_dir = log->tag[t][0] == 'v';
		struct tag_plan *p = &plan[t];
		p->place = PLACE_SKIP;
		if (log->skip[t] || count[t] == 0)
			continue;
		if (strcmp(style, "keras") == 0) {
			if (starts(tag, "epoch_")) {
				p->place = PLACE_POINTS;
				p->name = xasprintf("%s%s", val_dir ? "val_" : "", tag + 6);
			} else if (starts(tag, "batch_")) {
				p->place = PLACE_STEPS;
				p->name = xasprintf("%s%s", val_dir ? "val_" : "", tag + 6);
			} else if (val_dir && starts(tag, "evaluation_")) {
				/* The validation values again, keyed by batch step. */
				strbuf_addf(&skipped, "%s%s", skipped.len ? ", " : "", tag);
			} else {
				p->place = PLACE_POINTS;
				p->name = xasprintf("%s%s", val_dir ? "val_" : "", tag);
			}
		} else if (strcmp(style, "hf") == 0) {
			if (strcmp(tag, "train/epoch") == 0) {
				p->place = PLACE_EPOCH_COORD;
			} else if (starts(tag, "train/train_") || strcmp(tag, "train/total_flos") == 0) {
				strbuf_addf(&skipped, "%s%s", skipped.len ? ", " : "", tag);
			} else if (starts(tag, "train/")) {
				p->place = PLACE_STEPS;
				p->name = xstrdup(tag + 6);
			} else if (starts(tag, "eval/")) {
				p->place = PLACE_POINTS;
				p->name = xasprintf("eval_%s", tag + 5);
			} else {
				p->place = PLACE_STEPS;
				p->name = xstrdup(tag);
			}
		} else if (strcmp(style, "lightning") == 0) {
			if (strcmp(tag, "epoch") == 0) {
				p->place = PLACE_EPOCH_COORD;
			} else if (strcmp(tag, "hp_metric") == 0) {
				strbuf_addf(&skipped, "%s%s", skipped.len ? ", " : "", tag);
			} else {
				p->name = xasprintf("%s%s", val_dir ? "val_" : "", tag);
				p->place = PLACE_POINTS;	/* decided below, once epochs are known */
			}
		} else {
			p->place = PLACE_POINTS;
			p->name = xasprintf("%s%s", val_dir ? "val_" : "", tag);
		}
		if (p->place == PLACE_EPOCH_COORD && !have_epochs) {
			coord_map_build(&epochs, log, t);
			have_epochs = 1;
		}
	}
	if (have_epochs) {
		/* Distinct epoch values: how many points an epoch-level series has. */
		for (size_t i = 0; i < epochs.n; i++) {
			int seen = 0;
			for (size_t j = 0; j < i && !seen; j++)
				seen = epochs.epoch[j] == epochs.epoch[i];
			n_epoch_values += !seen;
			if (i > 4096)
				break;
		}
	}
	if (strcmp(style, "lightning") == 0) {
		for (size_t t = 0; t < log->n_tags; t++) {
			struct tag_plan *p = &plan[t];
			if (p->place != PLACE_POINTS)
				continue;
			enum metric_kind kind;
			enum metric_split split;
			metric_classify(p->name, &kind, &split);
			if (ends(p->name, "_step"))
				p->place = PLACE_STEPS;
			else if (ends(p->name, "_epoch") || split != SPLIT_TRAIN)
				p->place = PLACE_POINTS;
			else if ((double)count[t] > 1.5 * (double)(n_epoch_values ? n_epoch_values : 1))
				p->place = PLACE_STEPS;
		}
	}
	/* Tags whose every value shares one step (TF1 writers that pass no
	 * global step) are kept in the order written. */
	int by_order_any = 0, restarted = 0;
	for (size_t t = 0; t < log->n_tags; t++) {
		if (plan[t].place != PLACE_POINTS || count[t] < 2)
			continue;
		double first = NAN;
		int same = 1;
		for (size_t j = 0; j < log->n && same; j++)
			if (log->v[j].tag == t) {
				if (isnan(first))
					first = log->v[j].step;
				else
					same = log->v[j].step == first;
			}
		if (same && strcmp(style, "generic") == 0 && log->n_files == 1) {
			plan[t].by_order = 1;
			by_order_any = 1;
		}
	}
	/*
	 * Generic logs (torch SummaryWriter scripts): a tag logged far more
	 * often than the sparsest one (a loss every step beside a validation
	 * loss every epoch) is per step; the sparse ones are the points.
	 */
	enum axis axis = strcmp(style, "hf") == 0 ? AXIS_EVAL : AXIS_EPOCH;
	int mixed = 0;
	if ((strcmp(style, "generic") == 0 || strcmp(style, "yolo") == 0) && !by_order_any) {
		size_t n_min = SIZE_MAX;
		for (size_t t = 0; t < log->n_tags; t++)
			if (plan[t].place == PLACE_POINTS && count[t] < n_min)
				n_min = count[t];
		for (size_t t = 0; t < log->n_tags; t++)
			if (plan[t].place == PLACE_POINTS && n_min >= 2 &&
			    (double)count[t] > 2.0 * (double)n_min) {
				plan[t].place = PLACE_STEPS;
				mixed = 1;
			}
	}
	if (strcmp(style, "generic") == 0 && !by_order_any && !mixed) {
		double lo = INFINITY, hi = -INFINITY;
		size_t n_points = 0;
		for (size_t t = 0; t < log->n_tags; t++)
			if (plan[t].place == PLACE_POINTS && count[t] > n_points)
				n_points = count[t];
		for (size_t j = 0; j < log->n; j++)
			if (plan[log->v[j].tag].place == PLACE_POINTS) {
				lo = fmin(lo, log->v[j].step);
				hi = fmax(hi, log->v[j].step);
			}
		if (n_points > 1000 || (n_points && hi - lo + 1 > 2.0 * (double)n_points + 2))
			for (size_t t = 0; t < log->n_tags; t++)
				if (plan[t].place == PLACE_POINTS)
					plan[t].place = PLACE_STEPS;
	}

	struct run *run = run_new(path, "tfevents");
	run->axis = axis;
	run->framework = fw;
	size_t *series_pts = xcalloc(log->n_tags ? log->n_tags : 1, sizeof(size_t));
	size_t *series_stp = xcalloc(log->n_tags ? log->n_tags : 1, sizeof(size_t));
	struct keyed *pts = xcalloc(log->n ? log->n : 1, sizeof(*pts));
	struct keyed *stp = xcalloc(log->n ? log->n : 1, sizeof(*stp));
	size_t n_pts = 0, n_stp = 0;
	size_t *ordinal = xcalloc(log->n_tags ? log->n_tags : 1, sizeof(size_t));
	int any_steps = 0;
	for (size_t t = 0; t < log->n_tags; t++) {
		if (plan[t].place == PLACE_POINTS) {
			int idx = run_find_series(run, plan[t].name);
			series_pts[t] = idx >= 0 ? (size_t)idx : run_add_series(run, plan[t].name);
		} else if (plan[t].place == PLACE_STEPS) {
			any_steps = 1;
		}
	}
	struct run *steps = any_steps ? run_steps(run) : NULL;
	for (size_t t = 0; t < log->n_tags && steps; t++)
		if (plan[t].place == PLACE_STEPS) {
			int idx = run_find_series(steps, plan[t].name);
			series_stp[t] = idx >= 0 ? (size_t)idx : run_add_series(steps, plan[t].name);
		}
	int lightning = strcmp(style, "lightning") == 0;
	for (size_t j = 0; j < log->n; j++) {
		const struct tb_scalar *s = &log->v[j];
		const struct tag_plan *p = &plan[s->tag];
		double ep = have_epochs ? coord_at(&epochs, s->step) : NAN;
		if (p->place == PLACE_POINTS) {
			struct keyed *k = &pts[n_pts++];
			k->series = s->tag;
			k->file = s->file;
			k->seq = s->seq;
			k->value = s->value;
			if (p->by_order) {
				k->key = (double)ordinal[s->tag]++;
				k->step = s->step;
				k->epoch = NAN;
			} else if (lightning) {
				k->key = isnan(ep) ? s->step : ep;
				k->step = s->step;
				k->epoch = ep;
			} else {
				k->key = s->step;
				k->step = axis == AXIS_EVAL || mixed ? s->step : NAN;
				k->epoch = axis == AXIS_EVAL ? ep : NAN;
			}
		} else if (p->place == PLACE_STEPS) {
			struct keyed *k = &stp[n_stp++];
			k->series = s->tag;
			k->file = s->file;
			k->seq = s->seq;
			k->value = s->value;
			k->key = s->step;
			k->step = s->step;
			k->epoch = ep;
		}
	}
	fill(run, pts, n_pts, series_pts, &restarted);
	if (steps)
		fill(steps, stp, n_stp, series_stp, &restarted);
	if (steps)
		steps->framework = fw;

	if (log->records)
		run_note(run, "TensorBoard event file%s: %zu record%s, %zu scalar tag%s",
		 log->n_files == 1 ? "" : "s", log->records, log->records == 1 ? "" : "s",
		 n_scalar_tags, n_scalar_tags == 1 ? "" : "s");
	if (log->skipped)
		run_note(run, "%zu non-scalar summar%s (histograms, images, text, hparams) skipped",
			 log->skipped, log->skipped == 1 ? "y" : "ies");
	if (skipped.len)
		run_note(run, "tags not judged: %s", skipped.buf);
	if (by_order_any)
		run_note(run, "every value of a tag logged at the same step: "
			 "points taken in the order written");
	if (restarted)
		run_note(run, "steps logged again by a later file (a restart): the later values kept");
	for (size_t i = 0; i < log->n_notes; i++)
		run_note(run, "%s", log->notes[i]);
	run_map_roles(run);

	for (size_t t = 0; t < log->n_tags; t++)
		free(plan[t].name);
	free(plan);
	free(count);
	free(series_pts);
	free(series_stp);
	free(pts);
	free(stp);
	free(ordinal);
	free(epochs.step);
	free(epochs.epoch);
	strbuf_release(&skipped);
	return run;
}

static int read_tfevents(const char *path, const char *buf, size_t len,
			 struct run_list *out, struct read_error *err)
{
	struct tb_log log;
	tb_log_init(&log);
	int rc = -1;
	if (tb_log_add(&log, buf, len, tb_dir_of(path), err) == 0) {
		struct run *run = tb_log_run(&log, path, err);
		if (run) {
			run_list_push(out, run);
			rc = 0;
		}
	}
	tb_log_release(&log);
	return rc;
}

static int sniff_tfevents(const char *buf, size_t len)
{
	return tfevents_sniff(buf, len);
}

const struct reader reader_tfevents = { "tfevents", sniff_tfevents, read_tfevents, 0 };
