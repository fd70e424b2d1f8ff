/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * part_map.c -- maps two parts of one file and checks that each shows its
 * own range of the file; a part that cannot be mapped stays the caller's.
 * usage: part_map [DIRECTORY]   (default: a fresh directory, removed after)
 */
#include <libpmemset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PART_SIZE (1 << 20)

/* maps [offset, offset + length) of src; *addr is its start */
static int map_range(struct pmemset *set, struct pmemset_source *src,
		     size_t offset, size_t length, char **addr)
{
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;
	int ret = pmemset_part_new(&part, set, src, offset, length);
	if (ret)
		return ret;
	ret = pmemset_part_map(&part, NULL, &desc);
	if (ret) {
		pmemset_part_delete(&part); /* still ours after a failure */
		return ret;
	}
	*addr = desc.addr;
	return 0;
}

int main(int argc, char *argv[])
{
	char template[] = "/tmp/pmemset_part.XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(template);
	char path[4096], *low, *high, *odd;
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;

	if (dir == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/part-example", dir);
	if (pmemset_xsource_from_file(
		    &src, path,
		    PMEMSET_SOURCE_FILE_CREATE_ALWAYS |
			    PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED) ||
	    pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg)) {
		pmemset_perror("setting up");
		return 1;
	}
	pmemset_config_delete(&cfg);

	/* the second part first: the file grows to 2 MiB */
	if (map_range(set, src, PART_SIZE, PART_SIZE, &high) ||
	    map_range(set, src, 0, PART_SIZE, &low)) {
		pmemset_perror("pmemset_part_map");
		return 1;
	}
	int ret = map_range(set, src, 0, 1000, &odd);
	printf("a 1000-byte part: %s\n", pmemset_errormsg());

	strcpy(low, "low half");
	strcpy(high, "high half");
	pmemset_persist(set, low, 16);
	pmemset_persist(set, high, 16);
	pmemset_delete(&set);
	pmemset_source_delete(&src);

	char at0[16] = {0}, at1m[16] = {0};
	FILE *f = fopen(path, "r");
	int status = ret == 0 || f == NULL ||
		     fread(at0, 1, sizeof(at0), f) != sizeof(at0) ||
		     fseek(f, PART_SIZE, SEEK_SET) != 0 ||
		     fread(at1m, 1, sizeof(at1m), f) != sizeof(at1m) ||
		     strcmp(at0, "low half") != 0 ||
		     strcmp(at1m, "high half") != 0;
	if (f != NULL)
		fclose(f);
	unlink(path);
	if (argc <= 1)
		rmdir(dir);
	printf(status ? "FAILED\n" : "each part wrote its own range\n");
	return status;
}
