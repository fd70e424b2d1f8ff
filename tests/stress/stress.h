/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stress.h -- state shared by the stress program's threads: the writer
 * parts with their shadow copies, the stop and failure flags, counters,
 * and the one helper that sends a command to .pmemset/ctl.
 *
 * Ownership rules that make the checks exact: only writer W touches the
 * shadow of W's parts; only the mapper thread maps and unmaps parts, so
 * whether a part is mapped is known without asking the daemon.
 */
#ifndef STRESS_H
#define STRESS_H

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STRESS_WRITERS 4
#define PARTS_PER_WRITER 2
#define STRESS_PARTS (STRESS_WRITERS * PARTS_PER_WRITER)

struct writer_part {
	char name[16];
	char source[PATH_MAX]; /* absolute path of the source file */
	char file[PATH_MAX];   /* the part file in the mount */
	size_t offset, length; /* the part's region of the source */
	unsigned char *image;  /* the whole source file as it must be */
	size_t image_size;
	atomic_bool mapped; /* written by the mapper thread only */
};

struct counters {
	atomic_uint_fast64_t writes;	    /* pwrite + read-back verified */
	atomic_uint_fast64_t bytes_written; /* by those writes */
	atomic_uint_fast64_t edge_writes;   /* cut short or ENOSPC at end */
	atomic_uint_fast64_t fsyncs;
	atomic_uint_fast64_t opens;	     /* part file opened */
	atomic_uint_fast64_t absent_opens;   /* ENOENT: part unmapped */
	atomic_uint_fast64_t full_verifies;  /* whole part == shadow */
	atomic_uint_fast64_t bytes_verified; /* by reads, all kinds */
	atomic_uint_fast64_t long_holds;     /* part kept open > 2 s */
	atomic_uint_fast64_t unmaps;	     /* writer parts, succeeded */
	atomic_uint_fast64_t busy_unmaps;    /* EBUSY: part was open */
	atomic_uint_fast64_t remaps;
	atomic_uint_fast64_t scratch_maps;   /* file-backed scratch parts */
	atomic_uint_fast64_t temp_maps;	     /* temporary parts */
	atomic_uint_fast64_t scratch_unmaps; /* by name or remove-range */
	atomic_uint_fast64_t range_removals; /* of those, by remove-range */
	atomic_uint_fast64_t refused;	     /* commands that must fail, did */
	atomic_uint_fast64_t coalescing;     /* mode switches */
};

struct stress {
	const char *mnt;
	const char *srcdir; /* source files of writer and scratch parts */
	const char *tmpdir; /* directory for temporary parts */
	char ctl[PATH_MAX];
	uint64_t seed;
	/* STRESS_NO_EDGE_WRITES=1: the writeback cache answers writes past
	 * the end before the daemon sees them (fs/README.md, "Cache modes"), so
	 * none are made */
	bool no_edge_writes;
	struct writer_part parts[STRESS_PARTS];
	atomic_bool stop;
	atomic_bool failed;
	struct counters n;
};

/* Reports a failed check, marks the run failed and asks all to stop. */
void stress_fail(struct stress *s, const char *format, ...)
	__attribute__((__format__(__printf__, 2, 3)));

/* One write of "COMMAND\n" to the ctl file: 0 or the errno it failed with. */
int ctl_command(struct stress *s, const char *format, ...)
	__attribute__((__format__(__printf__, 2, 3)));

/* The `part` command that maps writer part p again. */
int ctl_map_writer_part(struct stress *s, const struct writer_part *p);

/* Small fast generator: a seeded stream per thread and per pattern. */
static inline uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t rng_below(uint64_t *state, uint64_t bound)
{
	return rng_next(state) % bound;
}

/* Fills buf with the pattern stream for seed (so a run is reproducible). */
void fill_pattern(unsigned char *buf, size_t len, uint64_t seed);

/* The mapper thread (stress_mapper.c); arg is the struct stress. */
void *mapper_main(void *arg);

/* Sleeps for us microseconds. */
void pause_us(unsigned us);

#endif /* STRESS_H */
