/*
 * The replay alone: read the histories named (not timed), then time
 * replay_run over them with the rules of RULESDIR as they are on disk
 * (default parameters, schedule every); prints CPU ns per point and per run.
 * bench/bench.py builds it against build/src/{engine,checks,model,read,util}.
 *
 *     replay_time RULESDIR REPS HISTORY...
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/replay.h"
#include "engine/rules.h"
#include "read/reader.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: replay_time RULESDIR REPS HISTORY...\n");
		return 2;
	}
	int reps = atoi(argv[2]);
	struct ruleset rules = { 0 };
	char err[1024];
	if (ruleset_load_dir(&rules, argv[1], err, sizeof(err))) {
		fprintf(stderr, "replay_time: %s\n", err);
		return 2;
	}
	struct run_list runs = { 0 };
	for (int a = 3; a < argc; a++) {
		struct read_error rerr;
		if (history_read(argv[a], &runs, &rerr))
			fprintf(stderr, "replay_time: %s: %s\n", argv[a], rerr.msg);
	}
	struct replay_opts opts;
	memset(&opts, 0, sizeof(opts));
	opts.schedule.kind = SCHED_EVERY;
	size_t points = 0;
	for (size_t i = 0; i < runs.n; i++)
		points += runs.v[i]->n_epochs + (runs.v[i]->steps ? runs.v[i]->steps->n_epochs : 0);
	double best = 0;
	size_t found = 0;
	for (int r = 0; r < reps; r++) {
		double t0 = now();
		found = 0;
		for (size_t i = 0; i < runs.n; i++) {
			struct run_result res;
			memset(&res, 0, sizeof(res));
			replay_run(&rules, &opts, runs.v[i], &res);
			found += res.n_f;
			res.run = NULL;
			run_result_release(&res);
		}
		double t = now() - t0;
		if (r == 0 || t < best)
			best = t;
	}
	/* What a replay holds once every point was stepped: its rule states
	 * and what their detectors keep (the heap in use, less the run's). */
	size_t held = 0, held_points = 0;
	for (size_t i = 0; i < runs.n; i++) {
		size_t before = mallinfo2().uordblks + mallinfo2().hblkhd;
		struct replay *rp = replay_new(&rules, &opts, runs.v[i]);
		replay_advance(rp, runs.v[i], 1, NULL, NULL);
		size_t after = mallinfo2().uordblks + mallinfo2().hblkhd;
		struct run_result res;
		memset(&res, 0, sizeof(res));
		replay_finish(rp, runs.v[i], &res);
		run_result_release(&res);
		if (after > before && after - before > held) {
			held = after - before;
			held_points = runs.v[i]->n_epochs;
		}
	}
	printf("replay: at most %zu bytes held after stepping a run of %zu points "
	       "(%.1f bytes/point)\n", held, held_points,
	       (double)held / (double)(held_points ? held_points : 1));
	printf("replay: %zu runs, %zu points, %zu findings, best of %d: %.4f s CPU, "
	       "%.1f ns/point, %.2f us/run\n", runs.n, points, found, reps, best,
	       best * 1e9 / (double)(points ? points : 1),
	       best * 1e6 / (double)(runs.n ? runs.n : 1));
	run_list_release(&runs);
	ruleset_release(&rules);
	return 0;
}
