/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * source.c -- sources from a path: a missing file is refused unless a
 * flag allows creating it, and TRUNCATE_IF_NEEDED grows it to fit the part.
 * usage: source [DIRECTORY]   (default: a fresh directory, removed after)
 */
#include <libpmemset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PART_SIZE (1 << 20)

int main(int argc, char *argv[])
{
	char template[] = "/tmp/pmemset_source.XXXXXX";
	const char *dir = argc > 1 ? argv[1] : mkdtemp(template);
	char path[4096];
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;
	struct stat st;

	if (dir == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/source-example", dir);
	unlink(path);
	if (pmemset_source_from_file(&src, path) !=
	    PMEMSET_E_INVALID_SOURCE_PATH) {
		fprintf(stderr, "a missing file was accepted\n");
		return 1;
	}

	if (pmemset_xsource_from_file(
		    &src, path,
		    PMEMSET_SOURCE_FILE_CREATE_IF_NEEDED |
			    PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED)) {
		pmemset_perror("pmemset_xsource_from_file %s", path);
		return 1;
	}
	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmemset_new(&set, cfg) ||
	    pmemset_part_new(&part, set, src, 0, PART_SIZE) ||
	    pmemset_part_map(&part, NULL, &desc)) {
		pmemset_perror("mapping %s", path);
		return 1;
	}
	pmemset_config_delete(&cfg);
	pmemset_source_delete(&src); /* the part map stays */

	strcpy(desc.addr, "written through the set");
	pmemset_persist(set, desc.addr, PART_SIZE);
	pmemset_delete(&set);

	char check[32] = {0};
	FILE *f = fopen(path, "r");
	int status = f == NULL || stat(path, &st) != 0 ||
		     st.st_size != PART_SIZE ||
		     fread(check, 1, sizeof(check) - 1, f) == 0 ||
		     strcmp(check, "written through the set") != 0;
	if (f != NULL)
		fclose(f);
	unlink(path);
	if (argc <= 1)
		rmdir(dir);
	printf(status ? "FAILED\n" : "created, grown to 1 MiB, written\n");
	return status;
}
