/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status.c -- what .pmemset/status and .pmemset/status.json show, taken
 * once per open: one snapshot of the set (settings, where the log goes,
 * maps with their parts, parts, counters, last error) gathered under the
 * namespace lock, then written as text here ("key: value" or one record a line,
 * for people and grep) or as JSON (status_json.c). Both files show the same
 * facts because they come from the same snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "ctl/status.h"
#include "transport/uring_transport.h"

/*
 * Which parts lie in which live map: a counting sort, one binary search
 * per part, then one pass to place them, so listing 10,000 maps with
 * 10,000 parts is not a product of the two. map_of[j]: part j's map.
 */
static int sort_parts_by_map(struct status_snapshot *snap)
{
	size_t *start = calloc(snap->nmaps + 1, sizeof(*start));
	if (start == NULL)
		return -ENOMEM;
	for (size_t j = 0; j < snap->nparts; j++)
		if (snap->parts[j].map >= 0)
			start[snap->parts[j].map + 1]++;
	for (size_t i = 0; i < snap->nmaps; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < snap->nmaps; i++) {
		snap->maps[i].first = start[i];
		snap->maps[i].count = start[i + 1] - start[i];
	}
	/* start[i] doubles as map i's fill position */
	for (size_t j = 0; j < snap->nparts; j++)
		if (snap->parts[j].map >= 0)
			snap->map_order[start[snap->parts[j].map]++] = j;
	free(start);
	return 0;
}

int status_snapshot_take_locked(struct namespace *ns,
				struct status_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->settings = ns->settings;
	snap->granularity_known =
		pmemset_get_store_granularity(ns->set, &snap->granularity) == 0;
	/* the -o cache= word, and what the kernel does with writes */
	snap->cache = ns->direct_io ? "direct" : "page";
	snap->write_cache = ns->direct_io   ? "none"
			    : ns->writeback ? "writeback"
					    : "write-through";
	snap->unlink = ns->unlink_unmaps ? "unmap" : "refuse";
	snap->read_only = ns->read_only;
	snap->log = log_destination();
	uring_transport_describe(&snap->transport, &snap->transport_reason);
	snap->nmaps = ns->nmaps;
	snap->nparts = ns->nparts;
	snap->maps = calloc(ns->nmaps ? ns->nmaps : 1, sizeof(*snap->maps));
	snap->parts = calloc(ns->nparts ? ns->nparts : 1, sizeof(*snap->parts));
	snap->map_order =
		calloc(ns->nparts ? ns->nparts : 1, sizeof(*snap->map_order));
	if (snap->maps == NULL || snap->parts == NULL ||
	    snap->map_order == NULL) {
		status_snapshot_clear(snap);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ns->nmaps; i++) {
		snap->maps[i].addr = ns->maps[i]->addr;
		snap->maps[i].length = ns->maps[i]->size;
	}
	for (size_t j = 0; j < ns->nparts; j++) {
		const struct part_node *p = ns->parts[j];
		snap->parts[j] = (struct status_part){
			.name = p->name,
			.source = p->source,
			.temporary = p->temporary,
			.offset = p->offset,
			.length = p->length,
			.map = ns_map_index_locked(ns, p->addr),
			.addr = p->addr,
			.failed = atomic_load(&p->failed),
		};
	}
	if (sort_parts_by_map(snap) != 0) {
		status_snapshot_clear(snap);
		return -ENOMEM;
	}
	snap->bytes_read = atomic_load(&ns->counters.bytes_read);
	snap->bytes_written = atomic_load(&ns->counters.bytes_written);
	snap->persists = atomic_load(&ns->counters.persists);
	snap->last_error = ns->last_error;
	return 0;
}

void status_snapshot_clear(struct status_snapshot *snap)
{
	free(snap->maps);
	free(snap->parts);
	free(snap->map_order);
	memset(snap, 0, sizeof(*snap));
}

static void write_text(const struct status_snapshot *snap, FILE *out)
{
	const struct set_settings *s = &snap->settings;
	fprintf(out, "granularity: %s\n",
		snap->granularity_known
			? setfile_granularity_name(snap->granularity)
			: "unknown (no part mapped yet)");
	fprintf(out, "required_granularity: %s\n",
		setfile_granularity_name(s->granularity));
	fprintf(out, "coalescing: %s\n",
		setfile_coalescing_name(s->coalescing));
	fprintf(out, "persist: %s\n", setfile_persist_name(s->persist));
	if (s->reservation != 0)
		fprintf(out, "reservation: %zu\n", s->reservation);
	else
		fprintf(out, "reservation: none\n");
	fprintf(out, "cache: %s\n", snap->cache);
	fprintf(out, "write_cache: %s\n", snap->write_cache);
	fprintf(out, "unlink: %s\n", snap->unlink);
	fprintf(out, "read_only: %s\n", snap->read_only ? "yes" : "no");
	fprintf(out, "log: %s\n", snap->log);
	fprintf(out, "transport: %s (%s)\n", snap->transport,
		snap->transport_reason);
	fprintf(out, "maps: %zu\n", snap->nmaps);
	for (size_t i = 0; i < snap->nmaps; i++) {
		const struct status_map *m = &snap->maps[i];
		fprintf(out, "map %zu: address=%p length=%zu parts=", i,
			m->addr, m->length);
		for (size_t k = 0; k < m->count; k++)
			fprintf(out, "%s%s", k > 0 ? "," : "",
				snap->parts[snap->map_order[m->first + k]]
					.name);
		fputc('\n', out);
	}
	fprintf(out, "parts: %zu\n", snap->nparts);
	for (size_t j = 0; j < snap->nparts; j++) {
		const struct status_part *p = &snap->parts[j];
		fprintf(out,
			"part %s: source=%s offset=%zu length=%zu map=%ld "
			"address=%p%s\n",
			p->name, p->source, p->offset, p->length, p->map,
			p->addr, p->failed ? " failed=yes" : "");
	}
	fprintf(out, "bytes_read: %llu\n",
		(unsigned long long)snap->bytes_read);
	fprintf(out, "bytes_written: %llu\n",
		(unsigned long long)snap->bytes_written);
	fprintf(out, "persists: %llu\n", (unsigned long long)snap->persists);
	char last_error[sizeof(snap->last_error) + LOG_TIME_MAX];
	last_error_format(&snap->last_error, true, last_error,
			  sizeof(last_error));
	fprintf(out, "last_error: %s\n", last_error);
}

char *status_text_locked(struct namespace *ns, size_t *len)
{
	struct status_snapshot snap;
	if (status_snapshot_take_locked(ns, &snap) != 0)
		return NULL;
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	if (out != NULL) {
		write_text(&snap, out);
		if (fclose(out) != 0) {
			free(text);
			text = NULL;
		}
	}
	status_snapshot_clear(&snap);
	return text;
}
