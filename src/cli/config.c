#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "../util/xalloc.h"
#include "options.h"

#define CONFIG_NAME ".scram-check"

/*
 * The keys a project may set: the options that describe the project's runs
 * and rules. Options about one invocation (--format, --explain, --follow...)
 * stay on the command line. Flags take yes or no.
 */
static const char *const keys[] = {
	"fail-on", "disable", "enable", "set", "classes", "schedule", "total-epochs",
	"exclude", "series", "rules", "baseline-file", "recursive", "profile", "strict",
};

/* Values that name a file or folder, taken from the config file's folder. */
static int is_path_key(const char *key)
{
	return strcmp(key, "rules") == 0 || strcmp(key, "baseline-file") == 0;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The nearest .scram-check at or above dir (made absolute); NULL if none. */
static char *find_from(const char *dir)
{
	char *abs = realpath(dir, NULL);
	if (!abs)
		return NULL;
	for (;;) {
		char *cand = xasprintf("%s%s" CONFIG_NAME, abs,
				       abs[strlen(abs) - 1] == '/' ? "" : "/");
		if (file_exists(cand)) {
			free(abs);
			return cand;
		}
		free(cand);
		char *slash = strrchr(abs, '/');
		if (!slash || strcmp(abs, "/") == 0)
			break;
		slash[slash == abs ? 1 : 0] = '\0';
	}
	free(abs);
	return NULL;
}

/* Where the walk starts for one PATH operand: the folder, or a file's folder. */
static char *start_dir(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0)
		return xstrdup(".");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return xstrdup(path);
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

char *config_find(char *const *paths, size_t n_paths, char **note)
{
	char *found = NULL;
	*note = NULL;
	if (n_paths == 0) {
		return find_from(".");
	}
	for (size_t i = 0; i < n_paths; i++) {
		char *dir = start_dir(paths[i]);
		char *c = find_from(dir);
		free(dir);
		if (!c)
			continue;
		if (!found) {
			found = c;
		} else {
			if (strcmp(c, found) != 0 && !*note)
				*note = xasprintf("'%s' is in another project ('%s'); "
						  "its runs are checked with '%s' "
						  "(run once per project, or use --config)",
						  paths[i], c, found);
			free(c);
		}
	}
	return found;
}

/* inih reads lines through this, so the handler knows which line it is on. */
struct line_reader {
	FILE *f;
	long line;
	int at_start;		/* the previous chunk ended a line */
};

static char *read_line(char *str, int num, void *stream)
{
	struct line_reader *r = stream;
	char *s = fgets(str, num, r->f);
	if (!s)
		return NULL;
	if (r->at_start)
		r->line++;
	size_t n = strlen(s);
	r->at_start = n > 0 && s[n - 1] == '\n';
	return s;
}

struct load {
	struct config *cfg;
	struct line_reader rd;
	char *dir;		/* the file's folder, with a trailing / */
	long err_line;
	char err[512];
};

static int load_fail(struct load *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int load_fail(struct load *ld, const char *fmt, ...)
{
	if (!ld->err_line) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ld->err, sizeof(ld->err), fmt, ap);
		va_end(ap);
		ld->err_line = ld->rd.line;
	}
	return 0;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	if (*section && strcmp(section, "scram-check") != 0)
		return load_fail(ld, "unknown section [%s] (keys go at the top or under [scram-check])",
				 section);
	size_t k = 0;
	while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k], name) != 0)
		k++;
	int kind = options_arg_kind(name);
	if (k == sizeof(keys) / sizeof(keys[0]) || kind < 0)
		return load_fail(ld, "unknown key '%s' (fail-on, disable, enable, set, classes, "
				 "schedule, total-epochs, exclude, series, rules, baseline-file, "
				 "recursive, profile, strict)", name);
	if (!*value)
		return load_fail(ld, "'%s' has no value", name);
	struct config *cfg = ld->cfg;
	char *arg;
	if (kind == 0) {
		if (strcmp(value, "yes") == 0)
			arg = xasprintf("--%s", name);
		else if (strcmp(value, "no") == 0)
			return 1;
		else
			return load_fail(ld, "'%s' is yes or no, not '%s'", name, value);
	} else if (is_path_key(name) && value[0] != '/') {
		arg = xasprintf("--%s=%s%s", name, ld->dir, value);
	} else {
		arg = xasprintf("--%s=%s", name, value);
	}
	cfg->arg = xreallocarray(cfg->arg, cfg->n + 1, sizeof(*cfg->arg));
	cfg->line = xreallocarray(cfg->line, cfg->n + 1, sizeof(*cfg->line));
	cfg->arg[cfg->n] = arg;
	cfg->line[cfg->n++] = ld->rd.line;
	return 1;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read configuration '%s': %s", path, strerror(errno));
		return -1;
	}
	cfg->path = xstrdup(path);
	struct load ld = { cfg, { f, 0, 1 }, NULL, 0, "" };
	const char *slash = strrchr(path, '/');
	ld.dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup("");
	int rc = ini_parse_stream(read_line, &ld.rd, on_entry, &ld);
	fclose(f);
	free(ld.dir);
	if (rc == 0 && !ld.err_line)
		return 0;
	if (ld.err_line)
		snprintf(err, errlen, "'%s': line %ld: %s", path, ld.err_line, ld.err);
	else if (rc > 0)
		snprintf(err, errlen, "'%s': line %d: expected 'key = value' or a [section]",
			 path, rc);
	else
		snprintf(err, errlen, "cannot read configuration '%s'", path);
	config_release(cfg);
	return -1;
}

void config_release(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n; i++)
		free(cfg->arg[i]);
	free(cfg->arg);
	free(cfg->line);
	free(cfg->path);
	free(cfg->note);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * A glob matches a path when it matches any run of the path's components
 * joined by '/': "scratch" excludes a folder of that name anywhere, "*.log"
 * any file so named, "old/run-*" those runs in any folder named old.
 */
int config_exclude_match(const char *glob, const char *path)
{
	char *copy = xstrdup(path);
	size_t n = 0, cap = 0;
	char **comp = NULL;
	for (char *save, *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		xgrow(&comp, &cap, n + 1, sizeof(*comp));
		comp[n++] = tok;
	}
	int hit = 0;
	char *buf = xmalloc(strlen(path) + 1);
	for (size_t i = 0; i < n && !hit; i++) {
		buf[0] = '\0';
		for (size_t j = i; j < n && !hit; j++) {
			if (j > i)
				strcat(buf, "/");
			strcat(buf, comp[j]);
			hit = fnmatch(glob, buf, FNM_PATHNAME) == 0;
		}
	}
	free(buf);
	free(comp);
	free(copy);
	return hit;
}
