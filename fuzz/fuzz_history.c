/*
 * libFuzzer harness: the whole history path. history_read_buffer picks a
 * reader by content (all of them are reachable), then every run read is
 * replayed with the real rules (rules/, loaded once) and the report is
 * rendered as JSON and as text to /dev/null; everything is freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/finding.h"
#include "fuzz_common.h"
#include "read/reader.h"
#include "render/render.h"
#include "engine/replay.h"
#include "engine/rules.h"
#include "model/run.h"
#include "util/xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ruleset rules;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_cjson();
	char err[1024];
	const char *dir = getenv("SCRAM_CHECK_RULES");
	if (!dir || !*dir)
		dir = "rules";
	if (ruleset_load_dir(&rules, dir, err, sizeof(err))) {
		fprintf(stderr, "fuzz_history: %s (run from the top of the tree)\n", err);
		exit(1);
	}
	/* Every rule, also the ones off by default. */
	for (size_t i = 0; i < rules.n; i++)
		rules.v[i].enabled = 1;
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("fuzz_history: /dev/null");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_list runs = { 0 };
	struct read_error err;
	if (history_read_buffer("fuzz.in", (const char *)data, size, &runs, &err)) {
		if (runs.n != 0 || !memchr(err.msg, '\0', sizeof(err.msg)))
			abort();
		run_list_release(&runs);
		return 0;
	}
	struct run_result *res = xcalloc(runs.n ? runs.n : 1, sizeof(*res));
	struct replay_opts opts;
	memset(&opts, 0, sizeof(opts));
	opts.schedule.kind = SCHED_EVERY;
	for (size_t i = 0; i < runs.n; i++) {
		struct run *run = runs.v[i];
		runs.v[i] = NULL;
		res[i].path = xstrdup("fuzz.in");
		res[i].label = xstrdup(run->label);
		res[i].format = run->format;
		res[i].run = run;
		replay_run(&rules, &opts, run, &res[i]);
	}
	struct report rep;
	memset(&rep, 0, sizeof(rep));
	rep.schedule = "every";
	rep.runs = res;
	rep.n_runs = runs.n;
	rep.rules = &rules;
	rep.fail_on = SEV_WARNING;
	rep.verbose = 1;
	render_report(render_find("json"), devnull, &rep);
	render_report(render_find("text"), devnull, &rep);
	(void)report_exit_status(&rep);
	for (size_t i = 0; i < runs.n; i++)
		run_result_release(&res[i]);
	free(res);
	run_list_release(&runs);
	return 0;
}
