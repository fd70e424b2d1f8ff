/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * two_parts.c -- the shortest useful libpmemset program: map two parts from
 * two files into one set, write to each with pmemset_memcpy, persist, and
 * read the bytes back from the files.
 *
 * usage: pmemset_example [DIRECTORY]
 * Without DIRECTORY it works in a fresh mktemp directory and removes it.
 */
#include <libpmemset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PART_SIZE (64 * 1024)

static int fail(const char *what)
{
	pmemset_perror("%s", what);
	return 1;
}

/* maps the first PART_SIZE bytes of path (created if needed) into set */
static int map_file_part(struct pmemset *set, const char *path,
			 struct pmemset_part_descriptor *desc)
{
	struct pmemset_source *src;
	struct pmemset_part *part;
	int ret = pmemset_xsource_from_file(
		&src, path,
		PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED |
			PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED);
	if (ret)
		return fail(path);
	ret = pmemset_part_new(&part, set, src, 0, PART_SIZE);
	if (ret == 0) {
		ret = pmemset_part_map(&part, NULL, desc);
		if (ret)
			pmemset_part_delete(&part);
	}
	if (ret)
		fail("mapping a part");
	/* the mapping no longer needs its source */
	pmemset_source_delete(&src);
	return ret ? 1 : 0;
}

/* compares the first bytes of path with expected */
static int file_holds(const char *path, const char *expected)
{
	char buf[64] = {0};
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	size_t n = fread(buf, 1, strlen(expected), f);
	fclose(f);
	return n == strlen(expected) && memcmp(buf, expected, n) == 0;
}

int main(int argc, char *argv[])
{
	char template[] = "/tmp/pmemset_example.XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(template);
	if (dir == NULL) {
		perror("mkdtemp");
		return 1;
	}
	char paths[2][4096];
	const char *messages[2] = {"hello from part 0", "hello from part 1"};
	for (int i = 0; i < 2; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/part%d", dir, i);

	struct pmemset_config *cfg;
	struct pmemset *set;
	if (pmemset_config_new(&cfg))
		return fail("pmemset_config_new");
	if (pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE))
		return fail("granularity");
	if (pmemset_new(&set, cfg))
		return fail("pmemset_new");
	pmemset_config_delete(&cfg);

	int status = 0;
	for (int i = 0; i < 2 && status == 0; i++) {
		struct pmemset_part_descriptor desc;
		if (map_file_part(set, paths[i], &desc)) {
			status = 1;
			break;
		}
		size_t len = strlen(messages[i]);
		pmemset_memcpy(set, desc.addr, (void *)messages[i], len, 0);
		pmemset_persist(set, desc.addr, len);
		printf("mapped %s (%zu bytes) at %p, wrote and persisted "
		       "\"%s\"\n",
		       paths[i], desc.size, desc.addr, messages[i]);
	}
	pmemset_delete(&set);

	for (int i = 0; i < 2 && status == 0; i++) {
		if (!file_holds(paths[i], messages[i])) {
			fprintf(stderr, "%s does not hold what was written\n",
				paths[i]);
			status = 1;
		} else {
			printf("%s holds \"%s\"\n", paths[i], messages[i]);
		}
	}
	if (argc <= 1) {
		/* a directory of our own making is not left behind */
		for (int i = 0; i < 2; i++)
			unlink(paths[i]);
		rmdir(dir);
		printf("removed %s\n", dir);
	}
	return status;
}
