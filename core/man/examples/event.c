/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.c -- counts the events a set reports through its callback.
 * usage: event [DIRECTORY]   (for the temporary file; default /tmp)
 */
#include <libpmemset.h>
#include <stdio.h>

#define PART_SIZE (1 << 20)

static int counted(struct pmemset *set, struct pmemset_event_context *ctx,
		   void *arg)
{
	(void)set;
	unsigned *counts = arg;
	counts[ctx->type]++;
	return 0; /* ignored in this version */
}

int main(int argc, char *argv[])
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	unsigned counts[PMEMSET_EVENT_PART_REMOVE + 1] = {0};
	struct pmemset_config *cfg;
	struct pmemset *set;
	struct pmemset_source *src;
	struct pmemset_part *part;
	struct pmemset_part_descriptor desc;

	if (pmemset_config_new(&cfg) ||
	    pmemset_config_set_required_store_granularity(
		    cfg, PMEM2_GRANULARITY_PAGE)) {
		pmemset_perror("config");
		return 1;
	}
	pmemset_config_set_event_callback(cfg, counted, counts);
	if (pmemset_new(&set, cfg) ||
	    pmemset_source_from_temporary(&src, dir) ||
	    pmemset_part_new(&part, set, src, 0, PART_SIZE) ||
	    pmemset_part_map(&part, NULL, &desc)) {
		pmemset_perror("setting up");
		return 1;
	}
	pmemset_config_delete(&cfg);

	char text[] = "event";
	pmemset_memcpy(set, desc.addr, text, sizeof(text), 0);
	pmemset_persist(set, desc.addr, sizeof(text));
	pmemset_remove_range(set, desc.addr, desc.size);
	pmemset_delete(&set);
	pmemset_source_delete(&src);

	printf("part_add %u copy %u flush %u drain %u remove_range %u "
	       "part_remove %u\n",
	       counts[PMEMSET_EVENT_PART_ADD], counts[PMEMSET_EVENT_COPY],
	       counts[PMEMSET_EVENT_FLUSH], counts[PMEMSET_EVENT_DRAIN],
	       counts[PMEMSET_EVENT_REMOVE_RANGE],
	       counts[PMEMSET_EVENT_PART_REMOVE]);
	/* memcpy: COPY, DRAIN; persist: FLUSH, DRAIN */
	return counts[PMEMSET_EVENT_PART_ADD] == 1 &&
			       counts[PMEMSET_EVENT_COPY] == 1 &&
			       counts[PMEMSET_EVENT_FLUSH] == 1 &&
			       counts[PMEMSET_EVENT_DRAIN] == 2 &&
			       counts[PMEMSET_EVENT_REMOVE_RANGE] == 1 &&
			       counts[PMEMSET_EVENT_PART_REMOVE] == 1
		       ? 0
		       : 1;
}
