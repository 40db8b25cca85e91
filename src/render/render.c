#include "render.h"

#include <string.h>

static const struct {
	const char *name;
	render_fn fn;
} renderers[] = {
	{ "text", render_text },
	{ "json", render_json },
	{ "sarif", render_sarif },
	{ "github", render_github },
	{ "junit", render_junit },
	{ "html", render_html },
	{ "jsonl", render_jsonl },
};

render_fn render_find(const char *format)
{
	for (size_t i = 0; i < sizeof(renderers) / sizeof(renderers[0]); i++)
		if (strcmp(renderers[i].name, format) == 0)
			return renderers[i].fn;
	return NULL;
}

void report_tally(const struct report *rep, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	t->runs = rep->n_runs;
	for (size_t i = 0; i < rep->n_runs; i++) {
		const struct run_result *r = &rep->runs[i];
		if (r->error)
			t->unreadable++;
		for (size_t k = 0; k < r->n_f; k++) {
			switch (r->f[k].rule->severity) {
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
}

int report_exit_status(const struct report *rep)
{
	struct tally t;
	report_tally(rep, &t);
	if (t.unreadable)
		return 2;
	if (rep->fail_on == SEV_NONE)
		return 0;
	/* Findings the run recovered from do not fail the gate (finding_gates),
	 * nor do known ones (--baseline-file): they are reported. */
	for (size_t i = 0; i < rep->n_runs; i++)
		for (size_t k = 0; k < rep->runs[i].n_f; k++) {
			const struct finding *f = &rep->runs[i].f[k];
			if (f->rule->severity >= rep->fail_on && !f->known &&
			    finding_gates(f, rep->strict))
				return 1;
		}
	return 0;
}
