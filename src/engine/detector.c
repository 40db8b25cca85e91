#include "detector.h"

#include <stdio.h>
#include <string.h>

struct values values_discard;

static struct value *values_slot(struct values *v, const char *key)
{
	if (v == &values_discard)
		return NULL;
	/* Keys are static strings: the same pointer is the same key. */
	for (size_t i = 0; i < v->n; i++)
		if (v->kv[i].key == key ||
		    (v->kv[i].key[0] == key[0] && strcmp(v->kv[i].key, key) == 0))
			return &v->kv[i];
	if (v->n == VALUES_MAX)
		return NULL;
	struct value *slot = &v->kv[v->n++];
	slot->key = key;
	return slot;
}

void values_num(struct values *v, const char *key, double num)
{
	struct value *s = values_slot(v, key);
	if (!s)
		return;
	s->is_word = 0;
	s->num = num;
	s->word[0] = '\0';
}

void values_word(struct values *v, const char *key, const char *word)
{
	struct value *s = values_slot(v, key);
	if (!s)
		return;
	s->is_word = 1;
	s->num = 0;
	size_t n = strlen(word);
	if (n >= sizeof(s->word))
		n = sizeof(s->word) - 1;
	memcpy(s->word, word, n);
	s->word[n] = '\0';
}

void values_epoch(struct values *v, const char *key, size_t epoch)
{
	values_num(v, key, (double)epoch);
}

const struct value *values_get(const struct values *v, const char *key)
{
	/* The first byte before the call: most keys differ there. */
	for (size_t i = 0; i < v->n; i++)
		if (v->kv[i].key[0] == key[0] && strcmp(v->kv[i].key, key) == 0)
			return &v->kv[i];
	return NULL;
}

const struct detector *detector_find(const char *name)
{
	for (size_t i = 0; detector_table[i]; i++)
		if (strcmp(detector_table[i]->name, name) == 0)
			return detector_table[i];
	for (size_t i = 0; batch_detector_table[i]; i++)
		if (strcmp(batch_detector_table[i]->name, name) == 0)
			return batch_detector_table[i];
	return NULL;
}

int detector_param_index(const struct detector *d, const char *name)
{
	for (size_t i = 0; i < d->n_params; i++)
		if (strcmp(d->params[i].name, name) == 0)
			return (int)i;
	return -1;
}
