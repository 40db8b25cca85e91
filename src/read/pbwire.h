/*
 * The protobuf wire format, bounded: varints of at most 10 bytes, lengths
 * never past the end of the buffer, no groups. For the binary readers that
 * decode a few fields of their own (tfevents.c, wandb.c); header-only.
 */
#ifndef SCRAM_PBWIRE_H
#define SCRAM_PBWIRE_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct pb {
	const unsigned char *p, *end;
};

/* At most 10 bytes; -1 when cut short or longer. */
static inline int pb_varint(struct pb *b, uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 70; shift += 7) {
		if (b->p >= b->end)
			return -1;
		unsigned char c = *b->p++;
		if (shift == 63 && (c & 0x7E))
			return -1;
		r |= (uint64_t)(c & 0x7F) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

struct pb_field {
	uint32_t num;
	int type;		/* 0 varint, 1 fixed64, 2 bytes, 5 fixed32 */
	uint64_t v;		/* varint and fixed values */
	struct pb sub;		/* type 2: the bytes */
};

/* The next field: 1, 0 at the end, -1 when malformed. */
static inline int pb_next(struct pb *b, struct pb_field *f)
{
	if (b->p >= b->end)
		return 0;
	uint64_t key;
	if (pb_varint(b, &key) || (key >> 3) == 0 || (key >> 3) > 0x1FFFFFFF)
		return -1;
	f->num = (uint32_t)(key >> 3);
	f->type = (int)(key & 7);
	switch (f->type) {
	case 0:
		return pb_varint(b, &f->v) ? -1 : 1;
	case 1:
		if (b->end - b->p < 8)
			return -1;
		f->v = le64(b->p);
		b->p += 8;
		return 1;
	case 2: {
		uint64_t n;
		if (pb_varint(b, &n) || n > (uint64_t)(b->end - b->p))
			return -1;
		f->sub.p = b->p;
		f->sub.end = b->p + n;
		b->p += n;
		return 1;
	}
	case 5:
		if (b->end - b->p < 4)
			return -1;
		f->v = le32(b->p);
		b->p += 4;
		return 1;
	default:
		return -1;	/* groups are not used by these messages */
	}
}

#endif
