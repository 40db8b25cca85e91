#include "namemap.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

long name_map_get(const struct name_map *m, const char *k)
{
	if (!m->cap)
		return -1;
	for (size_t i = hash_str(k) & (m->cap - 1); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->key[i], k) == 0)
			return (long)m->val[i];
	return -1;
}

void name_map_put(struct name_map *m, const char *k, size_t v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct name_map big = { NULL, NULL, m->cap ? 2 * m->cap : 16, 0 };
		big.key = xcalloc(big.cap, sizeof(*big.key));
		big.val = xcalloc(big.cap, sizeof(*big.val));
		for (size_t i = 0; i < m->cap; i++)
			if (m->key[i])
				name_map_put(&big, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = big;
	}
	size_t i = hash_str(k) & (m->cap - 1);
	while (m->key[i])
		i = (i + 1) & (m->cap - 1);
	m->key[i] = k;
	m->val[i] = v;
	m->n++;
}

void name_map_release(struct name_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
