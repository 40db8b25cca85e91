/*
 * Rule overlays: folders read after the built-in rules (the system's, the
 * user's, --rules DIR). In an overlay a rule file with the id of a rule
 * already loaded replaces it, a new id adds one, and a file saying
 * `disabled: yes` removes the rule of its id.
 */
#ifndef SCRAM_OVERLAY_H
#define SCRAM_OVERLAY_H

#include <stddef.h>

#include "rules.h"

/*
 * Apply the *.rule files of dir to set, in file-name order. 0 (also when dir
 * does not exist and !must_exist), or -1 with "FILE:LINE: what" in err.
 * *n_files counts the files applied.
 */
int ruleset_overlay_dir(struct ruleset *set, const char *dir, int must_exist,
			size_t *n_files, char *err, size_t errlen);

#endif
