#include "render.h"

#include <stdlib.h>
#include <string.h>

#include "../util/xalloc.h"

static const struct renderer *const renderers[] = {
	&renderer_text, &renderer_json, &renderer_sarif, &renderer_github,
	&renderer_junit, &renderer_html, &renderer_jsonl,
};

const struct renderer *render_find(const char *format)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
		if (strcmp(renderers[i]->name, format) == 0)
			return renderers[i];
	return NULL;
}

struct render {
	const struct renderer *fmt;
	void *st;
	FILE *out;
	struct report rep;	/* n_runs: the runs so far */
	struct tally t;
	int fails;		/* a finding fails the gate */
};

struct render *render_begin(const struct renderer *fmt, FILE *out, const struct report *rep)
{
	struct render *r = xcalloc(1, sizeof(*r));
	r->fmt = fmt;
	r->out = out;
	r->rep = *rep;
	r->rep.runs = NULL;
	r->rep.n_runs = 0;
	r->st = fmt->begin(out, &r->rep);
	return r;
}

void *render_draw(const struct render *r, const struct run_result *res)
{
	return r->fmt->draw(r->st, &r->rep, res);
}

void render_put(struct render *r, const struct run_result *res, void *part)
{
	r->rep.n_runs++;
	report_tally_run(&r->t, res);
	r->fails |= report_run_fails(&r->rep, res);
	r->fmt->put(r->st, r->out, &r->rep, res, part, r->rep.n_runs);
}

void render_run(struct render *r, const struct run_result *res)
{
	render_put(r, res, render_draw(r, res));
}

int render_end(struct render *r)
{
	r->fmt->end(r->st, r->out, &r->rep, &r->t);
	int rc = r->t.unreadable ? 2 : r->fails ? 1 : 0;
	free(r);
	return rc;
}

void render_report(const struct renderer *fmt, FILE *out, const struct report *rep)
{
	struct render *r = render_begin(fmt, out, rep);
	for (size_t i = 0; i < rep->n_runs; i++)
		render_run(r, &rep->runs[i]);
	render_end(r);
}

void report_tally_run(struct tally *t, const struct run_result *res)
{
	t->runs++;
	if (res->error)
		t->unreadable++;
	for (size_t k = 0; k < res->n_f; k++) {
		switch (res->f[k].rule->severity) {
		case SEV_ERROR:
			t->errors++;
			break;
		case SEV_WARNING:
			t->warnings++;
			break;
		case SEV_INFO:
			t->infos++;
			break;
		case SEV_NONE:
			break;
		}
	}
}

int report_run_fails(const struct report *rep, const struct run_result *res)
{
	if (rep->fail_on == SEV_NONE)
		return 0;
	/* Findings the run recovered from do not fail the gate (finding_gates),
	 * nor do known ones (--baseline-file): they are reported. */
	for (size_t k = 0; k < res->n_f; k++) {
		const struct finding *f = &res->f[k];
		if (f->rule->severity >= rep->fail_on && !f->known && finding_gates(f, rep->strict))
			return 1;
	}
	return 0;
}

int report_exit_status(const struct report *rep)
{
	int fails = 0, unreadable = 0;
	for (size_t i = 0; i < rep->n_runs; i++) {
		unreadable |= rep->runs[i].error != NULL;
		fails |= report_run_fails(rep, &rep->runs[i]);
	}
	return unreadable ? 2 : fails ? 1 : 0;
}
