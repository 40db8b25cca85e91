/*
 * Project configuration: a .scram-check file (INI, read with inih) found by
 * walking up from each analyzed path, as .editorconfig is, or named with
 * --config. Its keys are long options; its entries become "--key=value"
 * arguments placed before the command line's, so the command line wins.
 *
 * A struct config owns its path and arguments; config_release frees them.
 */
#ifndef SCRAM_CONFIG_H
#define SCRAM_CONFIG_H

#include <stddef.h>

struct config {
	char *path;		/* the file read, or NULL */
	char **arg;		/* "--key=value", in file order */
	long *line;		/* the file line of each */
	size_t n;
	char *note;		/* a one-line note for the user (several projects), or NULL */
};

/*
 * The configuration file for these paths: the nearest .scram-check above the
 * first path that has one (a note when another path has a different one).
 * NULL when there is none. Returns a new string.
 */
char *config_find(char *const *paths, size_t n_paths, char **note);

/*
 * Read path into cfg. 0, or -1 with "'PATH': line N: what" in err.
 * Relative rules and baseline-file values are taken from the file's folder.
 */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);
void config_release(struct config *cfg);

/* Does a GLOB of --exclude match this path (any run of its components)? */
int config_exclude_match(const char *glob, const char *path);

#endif
