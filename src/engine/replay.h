/*
 * src/engine/: rules loading, the detector interface, the replay and findings.
 * Uses model/ and util/.
 *
 * The replay (../shared/spec/replay.md): a run is fed to every enabled rule
 * epoch by epoch, and the check schedule decides after which epochs a rule
 * that holds is reported. Every detector is stepped at every epoch (it is
 * cheap), which gives each finding its onset without re-running anything.
 */
#ifndef SCRAM_REPLAY_H
#define SCRAM_REPLAY_H

#include <stddef.h>

#include "../model/run.h"
#include "finding.h"
#include "rules.h"

enum schedule_kind { SCHED_EVERY, SCHED_INTERVAL, SCHED_ADAPTIVE, SCHED_FINAL };

struct schedule {
	enum schedule_kind kind;
	unsigned long k;	/* interval:K; adaptive's late interval */
	double a, b;		/* adaptive window, as fractions of T */
};

/* Parse every | interval:K | adaptive[:a,b,k] | final. 0, or -1 with err. */
int schedule_parse(struct schedule *s, const char *spec, char *err, size_t errlen);
/* The schedule as it is spelled on the command line, in full. */
void schedule_describe(const struct schedule *s, char *buf, size_t len);
/*
 * Does the schedule check after epoch e (1-based) of a run of planned length
 * T? The final check at e = N is added by the replay, not here.
 */
int schedule_checks(const struct schedule *s, size_t e, size_t T);

/* The first epoch (1-based) at which a rule with this judgment point runs. */
size_t judgment_epoch(double judgment, size_t T);

struct replay_opts {
	struct schedule schedule;
	size_t total_epochs;	/* T; 0: T = N */
	int classes;		/* --classes; 0 when not given */
	int defer_judged;	/* live, T unknown: rules with a judgment point wait for the end */
};

struct replay;

typedef void (*replay_detect_fn)(const struct finding *f, void *arg);

/* Start a replay of run under opts; the run must outlive the replay. */
struct replay *replay_new(const struct ruleset *rules, const struct replay_opts *opts,
			  const struct run *run);
/*
 * Step through the epochs the run has that were not stepped yet. With
 * is_last, the last of them gets the final check. on_detect (may be NULL) is
 * called as each finding is first detected.
 */
void replay_advance(struct replay *rp, const struct run *run, int is_last,
		    replay_detect_fn on_detect, void *arg);
/* Hand the results over to res (findings sorted) and free the replay. */
void replay_finish(struct replay *rp, const struct run *run, struct run_result *res);

/* The whole post-hoc replay of a complete run. */
void replay_run(const struct ruleset *rules, const struct replay_opts *opts,
		const struct run *run, struct run_result *res);

#endif
