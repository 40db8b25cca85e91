#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/baseline.h"
#include "../read/reader.h"
#include "../util/xalloc.h"

static int set_ref(struct ruleset *rules, const char *param, double v, char *err, size_t errlen)
{
	if (!isfinite(v))
		return 0;
	char spec[128];
	snprintf(spec, sizeof(spec), "worse-than-baseline.%s=%.17g", param, v);
	return ruleset_set_param(rules, spec, err, errlen);
}

int baseline_apply(struct ruleset *rules, const char *spec, const struct inputs *in,
		   char *err, size_t errlen)
{
	struct best_metrics ref;
	struct run_list runs = { 0 };
	struct read_error rerr;
	if (!ruleset_find(rules, "worse-than-baseline")) {
		snprintf(err, errlen, "--baseline needs the rule worse-than-baseline, which the rules folder lacks");
		return -1;
	}
	if (strcmp(spec, "median") == 0) {
		struct best_metrics *v = NULL;
		size_t n = 0, cap = 0;
		for (size_t i = 0; i < in->n; i++) {
			if (in->v[i].error || history_read(in->v[i].path, &runs, &rerr))
				continue;	/* reported when the run is analyzed */
			for (size_t k = 0; k < runs.n; k++) {
				xgrow(&v, &cap, n + 1, sizeof(*v));
				best_metrics_of(runs.v[k], &v[n++]);
			}
			run_list_release(&runs);
		}
		if (n < 3) {
			snprintf(err, errlen, "--baseline median needs at least 3 runs to compare, found %zu", n);
			free(v);
			return -1;
		}
		best_metrics_median(v, n, &ref);
		free(v);
	} else {
		if (history_read(spec, &runs, &rerr)) {
			snprintf(err, errlen, "baseline '%s': %s", spec, rerr.msg);
			return -1;
		}
		best_metrics_of(runs.v[runs.n - 1], &ref);
		run_list_release(&runs);
	}
	if (!isfinite(ref.loss) && !isfinite(ref.val_loss) && !isfinite(ref.acc) &&
	    !isfinite(ref.val_acc)) {
		snprintf(err, errlen, "baseline '%s' has no loss or accuracy to compare with", spec);
		return -1;
	}
	if (set_ref(rules, "ref_loss", ref.loss, err, errlen) ||
	    set_ref(rules, "ref_val_loss", ref.val_loss, err, errlen) ||
	    set_ref(rules, "ref_acc", ref.acc, err, errlen) ||
	    set_ref(rules, "ref_val_acc", ref.val_acc, err, errlen))
		return -1;
	return ruleset_enable(rules, "worse-than-baseline", 1, err, errlen);
}
