/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist.c -- writes to a mapped part with the set's memory functions,
 * makes the bytes durable and reads them back from the file.
 * usage: persist [DIRECTORY]   (default: a fresh directory, removed after)
 */
#include <libpmemset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PART_SIZE (1 << 20)

int main(int argc, char *argv[])
{
	char template[] = "/tmp/pmemset_persist.XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(template);
	char path[4096];
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;
	enum pmem2_granularity g;

	if (dir == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/persist-example", dir);
	if (pmemset_xsource_from_file(
		    &src, path,
		    PMEMSET_SOURCE_FILE_CREATE_ALWAYS |
			    PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED) ||
	    pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg) ||
	    pmemset_part_new(&part, set, src, 0, PART_SIZE) ||
	    pmemset_part_map(&part, NULL, &desc) ||
	    pmemset_get_store_granularity(set, &g)) {
		pmemset_perror("setting up");
		return 1;
	}
	pmemset_config_delete(&cfg);
	pmemset_source_delete(&src);
	printf("store granularity: %s\n", g == PMEM2_GRANULARITY_BYTE ? "byte"
					  : g == PMEM2_GRANULARITY_CACHE_LINE
						  ? "cache line"
						  : "page");

	char *pmem = desc.addr;
	char hello[] = "hello, ";
	/* two copies, one drain */
	pmemset_memcpy(set, pmem, hello, strlen(hello), PMEMSET_F_MEM_NODRAIN);
	pmemset_memcpy(set, pmem + 7, "world", 5, PMEMSET_F_MEM_NODRAIN);
	pmemset_drain(set);
	/* plain stores, then persist (flush + drain) */
	strcpy(pmem + 12, "!");
	pmemset_persist(set, pmem + 12, 2);
	/* a second copy of the text, further on */
	pmemset_memmove(set, pmem + 4096, pmem, 13, 0);
	pmemset_memset(set, pmem + 8192, 'x', 3, 0);
	if (pmemset_deep_flush(set, pmem, 8192 + 3)) {
		pmemset_perror("pmemset_deep_flush");
		return 1;
	}
	pmemset_delete(&set);

	char at0[14] = {0}, at4k[14] = {0}, at8k[4] = {0};
	FILE *f = fopen(path, "r");
	int status = f == NULL || fread(at0, 1, 13, f) != 13 ||
		     fseek(f, 4096, SEEK_SET) || fread(at4k, 1, 13, f) != 13 ||
		     fseek(f, 8192, SEEK_SET) || fread(at8k, 1, 3, f) != 3 ||
		     strcmp(at0, "hello, world!") != 0 ||
		     strcmp(at4k, at0) != 0 || strcmp(at8k, "xxx") != 0;
	if (f != NULL)
		fclose(f);
	unlink(path);
	if (argc <= 1)
		rmdir(dir);
	printf(status ? "FAILED\n" : "the file holds \"%s\"\n", at0);
	return status;
}
