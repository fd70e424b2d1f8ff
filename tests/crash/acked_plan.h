/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * acked_plan.h -- the deterministic write plan shared by acked_writer and
 * acked_verify. Write number i of a run with seed S always lands at the same
 * offset with the same length and the same bytes, so the verifier can rebuild
 * every write (including the one that was in flight when the daemon died)
 * from nothing but the seed and the writer's log of acknowledgements.
 */
#ifndef ACKED_PLAN_H
#define ACKED_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* One planned write: where it goes and how long it is. */
struct planned_write {
	uint64_t offset;
	size_t length;
};

/* A strong 64-bit mixer (splitmix64 finaliser): stateless, so any write can
 * be regenerated on its own. */
static inline uint64_t plan_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * Write number index: a quarter are tiny (up to 256 bytes, to hit unaligned
 * cachelines), half medium (up to 16 KiB), a quarter up to max_length (large
 * enough to be split into several FUSE requests, so a crash can cut one in
 * the middle).
 */
static inline struct planned_write
plan_write(uint64_t seed, uint64_t index, uint64_t part_size, size_t max_length)
{
	uint64_t r1 = plan_mix(seed ^ plan_mix(index * 2 + 1));
	uint64_t r2 = plan_mix(seed ^ plan_mix(index * 2 + 2));
	size_t cap;
	switch (r1 & 3) {
	case 0:
		cap = 256;
		break;
	case 3:
		cap = max_length;
		break;
	default:
		cap = 16384;
		break;
	}
	if (cap > max_length)
		cap = max_length;
	if (cap > part_size)
		cap = (size_t)part_size;
	struct planned_write w;
	w.length = 1 + (size_t)((r1 >> 2) % cap);
	w.offset = r2 % (part_size - w.length + 1);
	return w;
}

/*
 * The bytes of write number index at part position offset: they depend on
 * the seed, the write and the position, so a write that lands in the wrong
 * place, or an older write's bytes, never look right.
 */
static inline void plan_fill(uint64_t seed, uint64_t index, uint64_t offset,
			     unsigned char *buf, size_t length)
{
	uint64_t salt = plan_mix(seed ^ plan_mix(index ^ 0x5eedULL << 40));
	for (size_t i = 0; i < length;) {
		uint64_t pos = offset + i;
		uint64_t word = plan_mix(salt ^ (pos >> 3));
		unsigned shift = (unsigned)(pos & 7) * 8;
		buf[i++] = (unsigned char)(word >> shift);
	}
}

#endif /* ACKED_PLAN_H */
