/*
 * A small string-to-index hash map (open addressing, FNV-1a), for readers that
 * look series up by name once per value. The map does not own its keys: they
 * must outlive it. The caller holds the struct (zeroed to start);
 * name_map_release frees its tables.
 */
#ifndef SCRAM_NAMEMAP_H
#define SCRAM_NAMEMAP_H

#include <stddef.h>

struct name_map {
	const char **key;
	size_t *val;
	size_t cap, n;
};

/* The value stored for k, or -1. */
long name_map_get(const struct name_map *m, const char *k);
/* Store v for k, which must not be in the map yet. */
void name_map_put(struct name_map *m, const char *k, size_t v);
void name_map_release(struct name_map *m);

#endif
