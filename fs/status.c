/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status.c -- .pmemset/status: the set as text, one "key: value" or one
 * record a line, so people can read it and scripts can grep it. The text
 * is generated when the file is opened, so one reader sees one snapshot.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "map_parts.h"
#include "uring_transport.h"

static int write_maps_locked(struct namespace *ns, FILE *out)
{
	struct map_parts mp;
	if (map_parts_build_locked(ns, &mp) != 0)
		return -1;
	fprintf(out, "maps: %zu\n", ns->nmaps);
	for (size_t i = 0; i < ns->nmaps; i++) {
		const struct map_view *m = ns->maps[i];
		fprintf(out, "map %zu: address=%p length=%zu parts=", i,
			(void *)m->addr, m->size);
		for (size_t k = mp.start[i]; k < mp.start[i + 1]; k++)
			fprintf(out, "%s%s", k > mp.start[i] ? "," : "",
				ns->parts[mp.order[k]]->name);
		fputc('\n', out);
	}
	map_parts_clear(&mp);
	return 0;
}

static void write_parts_locked(struct namespace *ns, FILE *out)
{
	fprintf(out, "parts: %zu\n", ns->nparts);
	for (size_t i = 0; i < ns->nparts; i++) {
		const struct part_node *p = ns->parts[i];
		fprintf(out,
			"part %s: source=%s offset=%zu length=%zu map=%ld "
			"address=%p\n",
			p->name, p->source, p->offset, p->length,
			ns_map_index_locked(ns, p->addr), (void *)p->addr);
	}
}

static char *status_text_locked(struct namespace *ns, size_t *len)
{
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	if (out == NULL)
		return NULL;
	const struct set_settings *s = &ns->settings;
	enum pmem2_granularity g;
	fprintf(out, "granularity: %s\n",
		pmemset_get_store_granularity(ns->set, &g) == 0
			? setfile_granularity_name(g)
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
	/* the -o cache= word, and what the kernel does with writes */
	fprintf(out, "cache: %s\n", ns->direct_io ? "direct" : "page");
	fprintf(out, "write_cache: %s\n",
		ns->direct_io	? "none"
		: ns->writeback ? "writeback"
				: "write-through");
	const char *transport, *why;
	uring_transport_describe(&transport, &why);
	fprintf(out, "transport: %s (%s)\n", transport, why);
	if (write_maps_locked(ns, out) != 0) {
		fclose(out);
		free(text);
		return NULL;
	}
	write_parts_locked(ns, out);
	fprintf(out, "bytes_read: %llu\n",
		(unsigned long long)atomic_load(&ns->counters.bytes_read));
	fprintf(out, "bytes_written: %llu\n",
		(unsigned long long)atomic_load(&ns->counters.bytes_written));
	fprintf(out, "persists: %llu\n",
		(unsigned long long)atomic_load(&ns->counters.persists));
	char last_error[sizeof(ns->last_error) + LOG_TIME_MAX];
	last_error_format(&ns->last_error, true, last_error,
			  sizeof(last_error));
	fprintf(out, "last_error: %s\n", last_error);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

size_t status_size_locked(struct namespace *ns)
{
	size_t len = 0;
	free(status_text_locked(ns, &len));
	return len;
}

void status_open(fuse_req_t req, struct fuse_file_info *fi)
{
	snapshot_open(req, fi, status_text_locked);
}

void snapshot_open(fuse_req_t req, struct fuse_file_info *fi,
		   char *(*generate_locked)(struct namespace *, size_t *))
{
	struct namespace *ns = req_ns(req);
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EACCES);
		return;
	}
	struct handle *h = handle_new(HANDLE_TEXT);
	if (h == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	pthread_mutex_lock(&ns->lock);
	h->text = generate_locked(ns, &h->text_len);
	pthread_mutex_unlock(&ns->lock);
	if (h->text == NULL) {
		handle_put(ns, h);
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* the size changes with the counters: never serve it from a cache */
	fi->direct_io = 1;
	fi->fh = (uintptr_t)h;
	if (fuse_reply_open(req, fi) != 0)
		handle_put(ns, h);
}

void text_read(fuse_req_t req, struct handle *h, size_t size, off_t off)
{
	if (off < 0 || (size_t)off >= h->text_len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	size_t left = h->text_len - (size_t)off;
	fuse_reply_buf(req, h->text + off, size < left ? size : left);
}
