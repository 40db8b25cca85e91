#include "overlay.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/file.h"
#include "../util/xalloc.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const struct rule *)a)->id, ((const struct rule *)b)->id);
}

static size_t find_index(const struct ruleset *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].id, id) == 0)
			return i;
	return set->n;
}

/*
 * A `disabled:` line before the first section: 1 for yes, 0 when there is
 * none, -1 (with its line) for any other value.
 */
static int disabled_line(const char *text, long *line)
{
	long n = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		n++;
		if (*p == '[')
			return 0;
		if (strncmp(p, "disabled:", 9) == 0) {
			const char *v = p + 9;
			size_t vl = len - 9;
			while (vl && (*v == ' ' || *v == '\t'))
				v++, vl--;
			while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
				vl--;
			*line = n;
			return vl == 3 && strncmp(v, "yes", 3) == 0 ? 1 : -1;
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

static int apply_file(struct ruleset *set, const char *path, const char *name,
		      char *err, size_t errlen)
{
	char *text;
	size_t len;
	struct read_error rerr;
	if (slurp_file(path, (size_t)1 << 20, &text, &len, &rerr)) {
		snprintf(err, errlen, "%s: %s", path, rerr.msg);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: binary data in a rule file", path);
		free(text);
		return -1;
	}
	char *id = xstrndup(name, strlen(name) - 5);
	long line = 0;
	int dis = disabled_line(text, &line);
	int rc = 0;
	if (dis < 0) {
		snprintf(err, errlen, "%s:%ld: disabled is yes (to remove the rule '%s'); "
			 "to turn a rule off by default, write 'enabled: no'", path, line, id);
		rc = -1;
	} else if (dis > 0) {
		size_t i = find_index(set, id);
		if (i < set->n) {
			rule_release(&set->v[i]);
			memmove(&set->v[i], &set->v[i + 1], (set->n - i - 1) * sizeof(*set->v));
			set->n--;
		}
	} else {
		struct rule r;
		rc = rule_parse(&r, path, text, err, errlen);
		if (rc == 0 && strcmp(r.id, id) != 0) {
			snprintf(err, errlen, "%s: id '%s' does not match the file name", path, r.id);
			rc = -1;
		}
		if (rc == 0) {
			size_t i = find_index(set, id);
			if (i < set->n) {
				r.replaces = xstrdup(set->v[i].replaces ? set->v[i].replaces
									 : set->v[i].path);
				rule_release(&set->v[i]);
				set->v[i] = r;
			} else {
				set->v = xreallocarray(set->v, set->n + 1, sizeof(*set->v));
				set->v[set->n++] = r;
			}
		} else {
			rule_release(&r);
		}
	}
	free(id);
	free(text);
	return rc;
}

int ruleset_overlay_dir(struct ruleset *set, const char *dir, int must_exist,
			size_t *n_files, char *err, size_t errlen)
{
	*n_files = 0;
	DIR *d = opendir(dir);
	if (!d) {
		if (!must_exist && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot open rules folder '%s': %s", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 5 && strcmp(de->d_name + len - 5, ".rule") == 0 && de->d_name[0] != '.') {
			xgrow(&names, &cap, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			char *path = xasprintf("%s/%s", dir, names[i]);
			rc = apply_file(set, path, names[i], err, errlen);
			free(path);
			if (rc == 0)
				(*n_files)++;
		}
		free(names[i]);
	}
	free(names);
	if (rc == 0 && set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), cmp_rule);
	return rc;
}
