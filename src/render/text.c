/*
 * The text report for people (output.md): findings in the compiler style,
 * most severe first, then a summary line per run, and for several runs a
 * closing table, worst first.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/escape.h"
#include "../util/spool.h"
#include "../util/strbuf.h"
#include "../util/wrap.h"
#include "../util/xalloc.h"
#include "chart.h"
#include "render.h"

static const char *sev_color(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "\033[1;31m";
	case SEV_WARNING:
		return "\033[1;35m";
	case SEV_INFO:
		return "\033[1;36m";
	case SEV_NONE:
		break;
	}
	return "";
}

#define BOLD(rep) ((rep)->color ? "\033[1m" : "")
#define RESET(rep) ((rep)->color ? "\033[0m" : "")
#define WIDTH(rep) ((rep)->width > 0 ? (size_t)(rep)->width : 80)

/* Print text with every line indented; blank lines stay blank. Each line
 * is escaped: rule text and the names filled into it are not trusted. */
static void indent(FILE *out, const char *text, const char *pad, const char *first)
{
	int line = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *lead = line++ == 0 && first ? first : "";
		if (n || *lead) {
			fprintf(out, "%s%s", pad, lead);
			term_write(out, p, n, 1);
		}
		fputc('\n', out);
		p += n + (nl ? 1 : 0);
	}
}

static void finding_head(FILE *out, const struct report *rep,
			 const struct run_result *res, const struct finding *f)
{
	/* Strings put one after the other: the line of every finding, and
	 * printf's parsing of a format was most of its cost. */
	enum severity s = f->rule->severity;
	fputs(BOLD(rep), out);
	/* One of several runs in a file without lines (an MLflow database, a
	 * W&B folder): its label names the run ("... (run gentle-sloth-571)"). */
	term_fputs(out, f->line <= 0 && res->label && strcmp(res->label, res->path) != 0
				? res->label : res->path);
	if (f->line > 0)
		fprintf(out, ":%ld", f->line);
	fputc(':', out);
	fputs(RESET(rep), out);
	fputc(' ', out);
	fputs(f->where, out);
	if (res->run && res->run->segment)
		fprintf(out, " of run %zu", res->run->segment);
	fputs(": ", out);
	fputs(rep->color ? sev_color(s) : "", out);
	fputs(severity_name(s), out);
	fputs(RESET(rep), out);
	fputs(": ", out);
	fputs(BOLD(rep), out);
	term_fputs(out, f->title);
	fputs(" [", out);
	term_fputs(out, f->rule->id);
	fputc(']', out);
	fputs(RESET(rep), out);
	fputs(f->known ? " (known)\n" : "\n", out);
}

/* One sentence of the tool's own, reflowed as rule prose is. */
static void say(FILE *out, const struct report *rep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(FILE *out, const struct report *rep, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wrap_print(out, buf, WIDTH(rep), "  ", NULL);
}

/* A finding that follows from another: what was seen, and where to look. */
static void render_consequence(FILE *out, const struct report *rep,
			       const struct run_result *res, const struct finding *f)
{
	finding_head(out, rep, res, f);
	if (rep->quiet)
		return;
	const struct finding *c = &res->f[f->cause];
	char *title = term_escape(c->title), *id = term_escape(c->rule->id);
	say(out, rep, "A consequence of %s [%s] above: fix that first.", title, id);
	free(title);
	free(id);
	if (f->message && *f->message)
		wrap_print(out, f->message, WIDTH(rep), "  ", NULL);
	fputc('\n', out);
}

void render_text_finding(FILE *out, const struct report *rep,
			 const struct run_result *res, const struct finding *f)
{
	if (f->cause >= 0 && (size_t)f->cause < res->n_f) {
		render_consequence(out, rep, res, f);
		return;
	}
	finding_head(out, rep, res, f);
	if (rep->quiet)
		return;
	size_t n_cons = 0;
	for (size_t i = 0; i < res->n_f; i++)
		n_cons += res->f[i].cause >= 0 && &res->f[res->f[i].cause] == f;
	if (n_cons)
		say(out, rep, "Fix this first: %zu other finding%s below follow%s from it.",
			n_cons, n_cons == 1 ? "" : "s", n_cons == 1 ? "s" : "");
	/* Prose is reflowed here, after the numbers are in, to the width. */
	if (f->message && *f->message)
		wrap_print(out, f->message, WIDTH(rep), "  ", NULL);
	if (f->onset_epoch && f->onset_epoch < f->detected_epoch) {
		size_t d = f->detected_epoch - f->onset_epoch;
		const char *unit = f->axis == AXIS_EPOCH ? "epoch" : f->axis == AXIS_EVAL
			? "evaluation" : "logged step";
		say(out, rep, "It was visible from %s; the %s schedule caught it %zu %s%s later.",
			f->onset_where, rep->schedule, d, unit, d == 1 ? "" : "s");
	}
	if (!f->persists && f->recovered_epoch)
		say(out, rep, "Seen at %s, recovered by %s: it no longer held at the end%s.",
			f->where, f->recovered_where,
			f->rule->sticky ? "" : ", so it does not fail the run (--strict makes it)");
	else if (!f->persists)
		fprintf(out, "  By the end of the run this no longer held: the run recovered.\n");
	if (f->why && *f->why)
		wrap_print(out, f->why, WIDTH(rep), "  ", NULL);
	if (f->fix && *f->fix)
		wrap_print(out, f->fix, WIDTH(rep), "  ", "Fix: ");
	const char *snip = finding_snippet(f);
	if (snip && *snip)
		indent(out, snip, "      ", NULL);
	if (f->snippet_pytorch && *f->snippet_pytorch && rep->verbose &&
	    snip != f->snippet_pytorch) {
		fprintf(out, "    In PyTorch:\n");
		indent(out, f->snippet_pytorch, "      ", NULL);
	}
	fputc('\n', out);
}

/* head, then s escaped for the terminal, then a newline. */
static void put_line(FILE *out, const char *head, const char *s)
{
	fputs(head, out);
	term_fputs(out, s);
	fputc('\n', out);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void render_text_summary(FILE *out, const struct report *rep, const struct run_result *res)
{
	size_t c[4] = { 0 };
	for (size_t i = 0; i < res->n_f; i++)
		c[res->f[i].rule->severity]++;
	const char *unit = res->run && res->run->axis == AXIS_EVAL ? "evaluation" : "epoch";
	char steps[64] = "";
	if (res->steps)
		snprintf(steps, sizeof(steps), " and %zu logged %s", res->steps,
			 plural(res->steps, "step", "steps"));
	fputs(BOLD(rep), out);
	term_fputs(out, res->label);
	fprintf(out, "%s: %zu %s%s%s (%s), %zu %s (%s): %zu %s, %zu %s, %zu %s\n",
		RESET(rep), res->epochs, unit,
		res->epochs == 1 ? "" : "s", steps, res->format, res->checks_run,
		plural(res->checks_run, "check", "checks"), rep->schedule,
		c[SEV_ERROR], plural(c[SEV_ERROR], "error", "errors"),
		c[SEV_WARNING], plural(c[SEV_WARNING], "warning", "warnings"),
		c[SEV_INFO], plural(c[SEV_INFO], "info", "infos"));
	const struct run *run = res->run;
	/* Notes stay one line each, as compilers' do: grep finds them whole. */
	for (size_t i = 0; run && i < run->n_notes; i++)
		put_line(out, "  note: ", run->notes[i]);
	for (size_t i = 0; i < res->n_warnings; i++)
		put_line(out, "  warning: ", res->warnings[i]);
	if (!rep->verbose || !run)
		return;
	fprintf(out, "  read as %s:", run->format);
	for (int r = 0; r < ROLE_COUNT; r++) {
		const char *name = run_role_name(run, (enum role)r);
		fprintf(out, " %s=", role_name((enum role)r));
		term_fputs(out, name ? name : "(none)");
	}
	fputc('\n', out);
	for (const struct run *t = run; t; t = t->steps) {
		if (!t->n_series)
			continue;
		fprintf(out, "  series per %s:", axis_point_name(t->axis));
		for (size_t i = 0; i < t->n_series; i++) {
			const struct series *se = &t->series[i];
			fputs(i ? ", " : " ", out);
			term_fputs(out, se->name);
			fprintf(out, " (%s", metric_kind_name((enum metric_kind)se->kind));
			if (se->kind != KIND_OTHER && se->kind != KIND_LR)
				fprintf(out, ", %s", metric_split_name((enum metric_split)se->split));
			fputc(')', out);
		}
		fputc('\n', out);
	}
	if (run->stats_path)
		put_line(out, "  batch statistics: ", run->stats_path);
	for (size_t i = 0; i < res->n_skipped; i++)
		put_line(out, "  skipped ", res->skipped[i]);
}

/* The epoch with the best validation metric: min val_loss, else max val_acc. */
static size_t best_val_epoch(const struct run *run)
{
	const double *v = run_role(run, ROLE_VAL_LOSS);
	int maximize = 0;
	if (!v) {
		v = run_role(run, ROLE_VAL_ACC);
		maximize = 1;
	}
	if (!v)
		return 0;
	size_t best = 0;
	for (size_t i = 0; i < run->n_epochs; i++) {
		if (!isfinite(v[i]))
			continue;
		if (!best || (maximize ? v[i] > v[best - 1] : v[i] < v[best - 1]))
			best = i + 1;
	}
	return best;
}

/* A run's line of the closing table, kept once the run is gone. */
struct text_row {
	char *label;		/* escaped */
	int level;		/* 4 unreadable, else the worst severity */
	size_t n_f;
	size_t order;		/* input order: equal rows keep it */
	char *rest;		/* what follows the label's column, newline included */
};

static int cmp_rows(const void *a, const void *b)
{
	const struct text_row *x = a, *y = b;
	if (x->level != y->level)
		return y->level - x->level;
	if (x->n_f != y->n_f)
		return x->n_f > y->n_f ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void table_row(struct text_row *row, const struct run_result *r, size_t order)
{
	row->label = term_escape(r->label);
	row->level = r->error ? 4 : (int)run_result_worst(r);
	row->n_f = r->n_f;
	row->order = order;
	struct strbuf sp = STRBUF_INIT;
	if (r->error) {
		char *e = term_escape(r->error);
		strbuf_addf(&sp, " %6s  %-8s %8s  %s\n", "-", "unread", "-", e);
		free(e);
	} else {
		enum severity w = run_result_worst(r);
		struct strbuf ids = STRBUF_INIT;
		for (size_t k = 0; k < r->n_f; k++) {
			char *id = term_escape(r->f[k].rule->id);
			strbuf_addf(&ids, "%s%s", k ? "," : "", id);
			free(id);
		}
		size_t best = best_val_epoch(r->run);
		char bestbuf[24] = "-";
		if (best)
			snprintf(bestbuf, sizeof(bestbuf), "%zu", best);
		strbuf_addf(&sp, " %6zu  %-8s %8s  %s\n", r->epochs, w ? severity_name(w) : "ok",
			    bestbuf, ids.len ? strbuf_str(&ids) : "-");
		strbuf_release(&ids);
	}
	row->rest = strbuf_detach(&sp);
}

/* The report so far: findings at warning and info wait for every run's
 * errors, summaries for every finding, the table for every run. */
struct text_state {
	struct spool sev[SEV_ERROR];	/* [SEV_INFO], [SEV_WARNING] */
	struct spool summaries;
	struct text_row *rows;
	size_t n_rows, cap_rows;
	size_t *per_rule;	/* findings per rule of rep->rules */
};

static void audit_table(FILE *out, const struct report *rep, struct text_state *st)
{
	size_t width = 4;
	for (size_t i = 0; i < st->n_rows; i++) {
		size_t w = strlen(st->rows[i].label);
		if (w > width)
			width = w;
	}
	if (width > 60)
		width = 60;
	/* Stable: equal rows keep the input order, so -j never changes it. */
	if (st->n_rows > 1)
		qsort(st->rows, st->n_rows, sizeof(*st->rows), cmp_rows);
	fprintf(out, "\n%s%-*s %6s  %-8s %8s  %s%s\n", BOLD(rep), (int)width, "run",
		"epochs", "worst", "best-val", "rules", RESET(rep));
	for (size_t i = 0; i < st->n_rows; i++) {
		fprintf(out, "%-*s", (int)width, st->rows[i].label);
		fputs(st->rows[i].rest, out);
	}
	/* Totals per rule, in rule order. */
	int any = 0;
	for (size_t k = 0; k < rep->rules->n; k++) {
		const struct rule *rule = &rep->rules->v[k];
		size_t n = st->per_rule[k];
		if (!n)
			continue;
		if (!any++)
			fprintf(out, "\n%sruns per rule%s\n", BOLD(rep), RESET(rep));
		char *id = term_escape(rule->id);
		fprintf(out, "  %-24s %-8s %zu of %zu\n", id, severity_name(rule->severity),
			n, rep->n_runs);
		free(id);
	}
}

static void *text_begin(FILE *out, const struct report *rep)
{
	(void)out;
	struct text_state *st = xcalloc(1, sizeof(*st));
	spool_open(&st->sev[SEV_WARNING]);
	spool_open(&st->sev[SEV_INFO]);
	spool_open(&st->summaries);
	st->per_rule = xcalloc(rep->rules && rep->rules->n ? rep->rules->n : 1,
			       sizeof(*st->per_rule));
	return st;
}

/* A run's findings by severity, its summary and its row. */
struct text_part {
	struct spool sev[SEV_ERROR + 1];	/* [SEV_INFO] .. [SEV_ERROR] */
	struct spool summary;
	struct text_row row;	/* its order is set when put */
};

static void *text_draw(const void *st, const struct report *rep, const struct run_result *res)
{
	(void)st;
	struct text_part *p = xcalloc(1, sizeof(*p));
	for (int s = SEV_ERROR; s >= SEV_INFO; s--) {
		spool_init(&p->sev[s]);
		for (size_t k = 0; k < res->n_f; k++) {
			const struct finding *f = &res->f[k];
			if ((int)f->rule->severity != s || f->cause >= 0)
				continue;
			FILE *out = spool_file(&p->sev[s]);
			render_text_finding(out, rep, res, f);
			/* Its consequences right after it, whatever their severity. */
			for (size_t j = 0; j < res->n_f; j++)
				if (res->f[j].cause == (int)k)
					render_text_finding(out, rep, res, &res->f[j]);
		}
	}
	spool_init(&p->summary);
	if (rep->quiet)
		return p;
	if (!res->error) {
		FILE *out = spool_file(&p->summary);
		render_text_summary(out, rep, res);
		if (rep->chart) {
			chart_print(out, res->run, res->f, res->n_f, (int)WIDTH(rep), 10,
				    rep->color);
			fputc('\n', out);
		}
	}
	table_row(&p->row, res, 0);
	return p;
}

static void text_put(void *arg, FILE *out, const struct report *rep,
		     const struct run_result *res, void *part, size_t run_no)
{
	struct text_state *st = arg;
	struct text_part *p = part;
	/* Most severe first over all runs; within a severity, input order:
	 * errors go out now, the rest when every run's errors are out. */
	spool_copy(&p->sev[SEV_ERROR], out);
	spool_copy(&p->sev[SEV_WARNING], st->sev[SEV_WARNING].f);
	spool_copy(&p->sev[SEV_INFO], st->sev[SEV_INFO].f);
	spool_copy(&p->summary, st->summaries.f);
	spool_spill(&st->sev[SEV_WARNING], SPOOL_SPILL_BYTES);
	spool_spill(&st->sev[SEV_INFO], SPOOL_SPILL_BYTES);
	spool_spill(&st->summaries, SPOOL_SPILL_BYTES);
	for (int s = SEV_INFO; s <= SEV_ERROR; s++)
		spool_release(&p->sev[s]);
	spool_release(&p->summary);
	if (!rep->quiet) {
		xgrow(&st->rows, &st->cap_rows, st->n_rows + 1, sizeof(*st->rows));
		p->row.order = run_no;
		st->rows[st->n_rows++] = p->row;
		for (size_t k = 0; k < res->n_f; k++) {
			const struct rule *r = res->f[k].rule;
			if (rep->rules && r >= rep->rules->v && r < rep->rules->v + rep->rules->n)
				st->per_rule[r - rep->rules->v]++;
		}
	}
	free(p);
}

static void text_end(void *arg, FILE *out, const struct report *rep, const struct tally *t)
{
	struct text_state *st = arg;
	spool_copy(&st->sev[SEV_WARNING], out);
	spool_copy(&st->sev[SEV_INFO], out);
	if (!rep->quiet) {
		spool_copy(&st->summaries, out);
		if (rep->n_runs > 1) {
			audit_table(out, rep, st);
			fprintf(out, "\n%zu %s, %zu unreadable: %zu %s, %zu %s, %zu %s\n", t->runs,
				plural(t->runs, "run", "runs"), t->unreadable, t->errors,
				plural(t->errors, "error", "errors"), t->warnings,
				plural(t->warnings, "warning", "warnings"), t->infos,
				plural(t->infos, "info", "infos"));
		}
	}
	spool_release(&st->sev[SEV_WARNING]);
	spool_release(&st->sev[SEV_INFO]);
	spool_release(&st->summaries);
	for (size_t i = 0; i < st->n_rows; i++) {
		free(st->rows[i].label);
		free(st->rows[i].rest);
	}
	free(st->rows);
	free(st->per_rule);
	free(st);
}

const struct renderer renderer_text = { "text", text_begin, text_draw, text_put, text_end };
