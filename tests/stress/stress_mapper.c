/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stress_mapper.c -- the thread that changes the set while the writers
 * run, only through .pmemset/ctl: it unmaps and maps back the writers'
 * parts (EBUSY is the one accepted failure: the writer had it open), maps
 * and unmaps file-backed scratch parts and temporary parts, by name or by
 * a remove-range inside them (checking that their bytes reach the source
 * on unmap, that a new temporary part reads as zeros and that a range
 * removal takes exactly its part), switches coalescing, and sends commands
 * that must be refused with an exact errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stress.h"

#define SCRATCH_PARTS 3
#define TEMP_PARTS 2
#define STAMP_LEN 512

struct scratch {
	char name[16];
	char source[PATH_MAX]; /* empty for a temporary part */
	bool mapped;
	size_t offset, length;
	size_t stamp_at; /* where the last stamp went, inside the part */
	unsigned char stamp[STAMP_LEN];
};

struct mapper {
	struct stress *s;
	uint64_t rng;
	struct scratch scratch[SCRATCH_PARTS + TEMP_PARTS];
};

static bool is_temporary(const struct scratch *c)
{
	return c->source[0] == '\0';
}

/*
 * Unmaps a writer part, or maps one back. At most two are down at a time
 * and a down part tends to come back soon, so the writers mostly find a
 * part to work on while still meeting unmapped ones often.
 */
static void toggle_writer_part(struct mapper *m)
{
	struct stress *s = m->s;
	struct writer_part *down[STRESS_PARTS], *up[STRESS_PARTS];
	size_t ndown = 0, nup = 0;
	for (int i = 0; i < STRESS_PARTS; i++) {
		struct writer_part *p = &s->parts[i];
		if (atomic_load(&p->mapped))
			up[nup++] = p;
		else
			down[ndown++] = p;
	}
	if (ndown < 2 && (ndown == 0 || rng_below(&m->rng, 2))) {
		struct writer_part *p = up[rng_below(&m->rng, nup)];
		int err = ctl_command(s, "unmap %s", p->name);
		if (err == 0) {
			atomic_store(&p->mapped, false);
			atomic_fetch_add(&s->n.unmaps, 1);
		} else if (err == EBUSY) {
			atomic_fetch_add(&s->n.busy_unmaps, 1);
		} else {
			stress_fail(s,
				    "mapper: unmap %s: %s (expected success "
				    "or EBUSY)",
				    p->name, strerror(err));
		}
		return;
	}
	struct writer_part *p = down[rng_below(&m->rng, ndown)];
	/* mapped first: a writer may open the file as soon as ctl returns */
	atomic_store(&p->mapped, true);
	int err = ctl_map_writer_part(s, p);
	if (err) {
		atomic_store(&p->mapped, false);
		stress_fail(s, "mapper: map %s back: %s", p->name,
			    strerror(err));
		return;
	}
	atomic_fetch_add(&s->n.remaps, 1);
}

/* Opens a scratch part file and checks, then stamps, its bytes. */
static void stamp_scratch(struct mapper *m, struct scratch *c)
{
	struct stress *s = m->s;
	char file[PATH_MAX + 32];
	unsigned char buf[STAMP_LEN];
	snprintf(file, sizeof(file), "%s/%s", s->mnt, c->name);
	int fd = open(file, O_RDWR);
	if (fd < 0) {
		stress_fail(s, "mapper: open %s: %s", file, strerror(errno));
		return;
	}
	if (is_temporary(c)) { /* a new temporary file is all zeros */
		ssize_t n = pread(fd, buf, sizeof(buf), 0);
		static const unsigned char zeros[STAMP_LEN];
		if (n != (ssize_t)sizeof(buf) || memcmp(buf, zeros, n) != 0)
			stress_fail(s,
				    "mapper: new temporary part %s does "
				    "not read as zeros",
				    c->name);
	}
	c->stamp_at = rng_below(&m->rng, c->length - STAMP_LEN + 1);
	fill_pattern(c->stamp, STAMP_LEN, rng_next(&m->rng));
	ssize_t n = pwrite(fd, c->stamp, STAMP_LEN, (off_t)c->stamp_at);
	if (n != STAMP_LEN)
		stress_fail(s, "mapper: pwrite %s at %zu: %s", c->name,
			    c->stamp_at, n < 0 ? strerror(errno) : "short");
	else if (pread(fd, buf, STAMP_LEN, (off_t)c->stamp_at) != STAMP_LEN ||
		 memcmp(buf, c->stamp, STAMP_LEN) != 0)
		stress_fail(s, "mapper: %s does not read back its stamp at %zu",
			    c->name, c->stamp_at);
	else
		atomic_fetch_add(&s->n.bytes_verified, STAMP_LEN);
	close(fd);
}

/* After unmap, the stamp must be in the scratch source file. */
static void check_scratch_source(struct mapper *m, struct scratch *c)
{
	unsigned char buf[STAMP_LEN];
	int fd = open(c->source, O_RDONLY);
	ssize_t n = fd < 0 ? -1
			   : pread(fd, buf, STAMP_LEN,
				   (off_t)(c->offset + c->stamp_at));
	if (fd >= 0)
		close(fd);
	if (n != STAMP_LEN || memcmp(buf, c->stamp, STAMP_LEN) != 0)
		stress_fail(m->s,
			    "mapper: %s: the stamp written at %zu through the "
			    "part is not in %s at %zu after unmap",
			    c->name, c->stamp_at, c->source,
			    c->offset + c->stamp_at);
	else
		atomic_fetch_add(&m->s->n.bytes_verified, STAMP_LEN);
}

/*
 * Where part c lies: the index of its map file and its offset in it, read
 * from .pmemset/status (stable: only this thread changes the set).
 */
static int locate_part(struct mapper *m, const struct scratch *c,
		       unsigned long *map, unsigned long long *offset)
{
	char path[PATH_MAX + 32], line[PATH_MAX + 256], prefix[32];
	unsigned long long part_addr = 0, map_addr = 0;
	bool found_part = false, found_map = false;
	snprintf(path, sizeof(path), "%s/.pmemset/status", m->s->mnt);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	snprintf(prefix, sizeof(prefix), "part %s: ", c->name);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *at = strstr(line, " map=");
		if (strncmp(line, prefix, strlen(prefix)) == 0 && at != NULL &&
		    sscanf(at, " map=%lu address=%llx", map, &part_addr) == 2)
			found_part = true;
	}
	rewind(f);
	while (found_part && fgets(line, sizeof(line), f) != NULL) {
		unsigned long index;
		unsigned long long addr;
		if (sscanf(line, "map %lu: address=%llx", &index, &addr) == 2 &&
		    index == *map) {
			map_addr = addr;
			found_map = true;
		}
	}
	fclose(f);
	if (!found_map || part_addr < map_addr)
		return -1;
	*offset = part_addr - map_addr;
	return 0;
}

/* Whether .pmemset/status lists a part called name. */
static bool status_lists(struct mapper *m, const char *name)
{
	char path[PATH_MAX + 32], line[PATH_MAX + 256], prefix[32];
	bool found = false;
	snprintf(path, sizeof(path), "%s/.pmemset/status", m->s->mnt);
	snprintf(prefix, sizeof(prefix), "part %s: ", name);
	FILE *f = fopen(path, "r");
	while (f != NULL && !found && fgets(line, sizeof(line), f) != NULL)
		found = strncmp(line, prefix, strlen(prefix)) == 0;
	if (f != NULL)
		fclose(f);
	return found;
}

/* After a remove-range inside c: c is gone and every other part is not. */
static void check_only_removed(struct mapper *m, const struct scratch *c)
{
	if (status_lists(m, c->name))
		stress_fail(m->s, "mapper: remove-range inside %s left it",
			    c->name);
	for (int i = 0; i < STRESS_PARTS; i++) {
		struct writer_part *p = &m->s->parts[i];
		if (atomic_load(&p->mapped) && !status_lists(m, p->name))
			stress_fail(m->s,
				    "mapper: remove-range inside %s took %s "
				    "too",
				    c->name, p->name);
	}
	for (int i = 0; i < SCRATCH_PARTS + TEMP_PARTS; i++) {
		const struct scratch *o = &m->scratch[i];
		if (o != c && o->mapped && !status_lists(m, o->name))
			stress_fail(m->s,
				    "mapper: remove-range inside %s took %s "
				    "too",
				    c->name, o->name);
	}
}

/*
 * Unmaps scratch part c: by name, or by a byte range of its map file that
 * lies inside c, which must take c (and only c) out of the set.
 */
static int unmap_scratch(struct mapper *m, struct scratch *c)
{
	if (rng_below(&m->rng, 2))
		return ctl_command(m->s, "unmap %s", c->name);
	unsigned long map;
	unsigned long long offset;
	if (locate_part(m, c, &map, &offset) != 0) {
		stress_fail(m->s, "mapper: %s is not in .pmemset/status",
			    c->name);
		return EIO;
	}
	size_t inside = 4096 * rng_below(&m->rng, c->length / 4096);
	size_t len = 1 + rng_below(&m->rng, c->length - inside);
	atomic_fetch_add(&m->s->n.range_removals, 1);
	int err = ctl_command(m->s, "remove-range %lu %llu %zu", map,
			      offset + inside, len);
	if (err == 0)
		check_only_removed(m, c);
	return err;
}

/* Maps an unmapped scratch part with a new size, or unmaps a mapped one. */
static void toggle_scratch(struct mapper *m)
{
	struct stress *s = m->s;
	struct scratch *c =
		&m->scratch[rng_below(&m->rng, SCRATCH_PARTS + TEMP_PARTS)];
	int err;
	if (c->mapped) {
		err = unmap_scratch(m, c);
		if (err) {
			stress_fail(s,
				    "mapper: unmap %s: %s (nobody has it "
				    "open)",
				    c->name, strerror(err));
			return;
		}
		c->mapped = false;
		atomic_fetch_add(&s->n.scratch_unmaps, 1);
		if (!is_temporary(c))
			check_scratch_source(m, c);
		return;
	}
	c->length = 4096 * (1 + rng_below(&m->rng, 256)); /* up to 1 MiB */
	if (is_temporary(c)) {
		c->offset = 0;
		err = ctl_command(s, "part %s temporary=%s length=%zu", c->name,
				  s->tmpdir, c->length);
		atomic_fetch_add(&s->n.temp_maps, 1);
	} else {
		c->offset = 4096 * rng_below(&m->rng, 16);
		err = ctl_command(s,
				  "part %s %s offset=%zu length=%zu create "
				  "truncate",
				  c->name, c->source, c->offset, c->length);
		atomic_fetch_add(&s->n.scratch_maps, 1);
	}
	if (err) {
		stress_fail(s, "mapper: map %s (%zu bytes): %s", c->name,
			    c->length, strerror(err));
		return;
	}
	c->mapped = true;
	stamp_scratch(m, c);
}

/* A command that must fail, and with exactly this errno. */
static void expect_refusal(struct mapper *m)
{
	struct stress *s = m->s;
	struct writer_part *p = &s->parts[rng_below(&m->rng, STRESS_PARTS)];
	int want, err;
	const char *what;
	switch (rng_below(&m->rng, 4)) {
	case 0:
		what = "unmap of a name that is no part";
		want = ENOENT;
		err = ctl_command(s, "unmap no-such-part");
		break;
	case 1:
		if (!atomic_load(&p->mapped))
			return;
		what = "part with the name of a mapped part";
		want = EEXIST;
		err = ctl_map_writer_part(s, p);
		break;
	case 2:
		what = "part from a missing file";
		want = ENOENT;
		err = ctl_command(s, "part nofile %s/no-such-file length=4096",
				  s->srcdir);
		break;
	default:
		what = "unknown command";
		want = EINVAL;
		err = ctl_command(s, "frobnicate %s", p->name);
		break;
	}
	if (err != want)
		stress_fail(s, "mapper: %s: %s, expected %s", what,
			    err ? strerror(err) : "succeeded", strerror(want));
	else
		atomic_fetch_add(&s->n.refused, 1);
}

static void switch_coalescing(struct mapper *m)
{
	/* not full: it may refuse a map, which would stop a writer's part */
	const char *mode = rng_below(&m->rng, 2) ? "opportunistic" : "none";
	int err = ctl_command(m->s, "coalescing %s", mode);
	if (err)
		stress_fail(m->s, "mapper: coalescing %s: %s", mode,
			    strerror(err));
	else
		atomic_fetch_add(&m->s->n.coalescing, 1);
}

void *mapper_main(void *arg)
{
	static struct mapper m;
	m.s = arg;
	m.rng = m.s->seed * 7919u + 17;
	for (int i = 0; i < SCRATCH_PARTS + TEMP_PARTS; i++) {
		struct scratch *c = &m.scratch[i];
		bool temp = i >= SCRATCH_PARTS;
		snprintf(c->name, sizeof(c->name), "%s%d", temp ? "t" : "s", i);
		if (!temp)
			snprintf(c->source, sizeof(c->source), "%s/scratch%d",
				 m.s->srcdir, i);
	}
	while (!atomic_load(&m.s->stop)) {
		unsigned r = (unsigned)rng_below(&m.rng, 100);
		if (r < 45)
			toggle_writer_part(&m);
		else if (r < 80)
			toggle_scratch(&m);
		else if (r < 95)
			expect_refusal(&m);
		else
			switch_coalescing(&m);
		pause_us((unsigned)rng_below(&m.rng, 3000));
	}
	return NULL;
}
