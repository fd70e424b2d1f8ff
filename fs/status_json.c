/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status_json.c -- .pmemset/status.json: the facts of .pmemset/status
 * (settings, maps, parts, counters, last error) as one JSON object for
 * scripts and jq, written with json-c so quoting and escaping are right
 * whatever a part name or a path holds. A snapshot per open, like status.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "map_parts.h"
#include "uring_transport.h"

/* Adds key: value to obj; *ok turns false if value could not be made. */
static void add(struct json_object *obj, const char *key,
		struct json_object *value, bool *ok)
{
	if (value == NULL || json_object_object_add(obj, key, value) != 0) {
		json_object_put(value);
		*ok = false;
	}
}

static void append(struct json_object *array, struct json_object *value,
		   bool *ok)
{
	if (value == NULL || json_object_array_add(array, value) != 0) {
		json_object_put(value);
		*ok = false;
	}
}

static struct json_object *address(const void *addr)
{
	char text[32];
	snprintf(text, sizeof(text), "%p", addr);
	return json_object_new_string(text);
}

static struct json_object *maps_locked(struct namespace *ns, bool *ok)
{
	struct map_parts mp;
	if (map_parts_build_locked(ns, &mp) != 0) {
		*ok = false;
		return NULL;
	}
	struct json_object *maps = json_object_new_array();
	for (size_t i = 0; maps != NULL && i < ns->nmaps; i++) {
		const struct map_view *m = ns->maps[i];
		struct json_object *map = json_object_new_object();
		struct json_object *names = json_object_new_array();
		if (map == NULL || names == NULL) {
			json_object_put(map);
			json_object_put(names);
			*ok = false;
			break;
		}
		for (size_t k = mp.start[i]; k < mp.start[i + 1]; k++)
			append(names,
			       json_object_new_string(
				       ns->parts[mp.order[k]]->name),
			       ok);
		add(map, "index", json_object_new_uint64(i), ok);
		add(map, "address", address(m->addr), ok);
		add(map, "length", json_object_new_uint64(m->size), ok);
		add(map, "parts", names, ok);
		append(maps, map, ok);
	}
	map_parts_clear(&mp);
	return maps;
}

static struct json_object *parts_locked(struct namespace *ns, bool *ok)
{
	struct json_object *parts = json_object_new_array();
	for (size_t i = 0; parts != NULL && i < ns->nparts; i++) {
		const struct part_node *p = ns->parts[i];
		struct json_object *part = json_object_new_object();
		if (part == NULL) {
			*ok = false;
			break;
		}
		long map = ns_map_index_locked(ns, p->addr);
		add(part, "name", json_object_new_string(p->name), ok);
		add(part, "source", json_object_new_string(p->source), ok);
		add(part, "temporary", json_object_new_boolean(p->temporary),
		    ok);
		add(part, "offset", json_object_new_uint64(p->offset), ok);
		add(part, "length", json_object_new_uint64(p->length), ok);
		if (map >= 0)
			add(part, "map", json_object_new_uint64((size_t)map),
			    ok);
		else
			json_object_object_add(part, "map", NULL);
		add(part, "address", address(p->addr), ok);
		append(parts, part, ok);
	}
	return parts;
}

/* null, or {time, line (null outside a script), command, reason} */
static struct json_object *last_error(const struct last_error *e, bool *ok)
{
	if (!e->set)
		return NULL;
	struct json_object *error = json_object_new_object();
	if (error == NULL) {
		*ok = false;
		return NULL;
	}
	char time[LOG_TIME_MAX];
	log_utc_time(&e->time, false, time, sizeof(time));
	add(error, "time", json_object_new_string(time), ok);
	if (e->line != 0)
		add(error, "line", json_object_new_uint64(e->line), ok);
	else
		json_object_object_add(error, "line", NULL);
	add(error, "command", json_object_new_string(e->command), ok);
	add(error, "reason", json_object_new_string(e->reason), ok);
	return error;
}

static void settings_locked(struct namespace *ns, struct json_object *root,
			    bool *ok)
{
	const struct set_settings *s = &ns->settings;
	enum pmem2_granularity g;
	if (pmemset_get_store_granularity(ns->set, &g) == 0)
		add(root, "granularity",
		    json_object_new_string(setfile_granularity_name(g)), ok);
	else
		json_object_object_add(root, "granularity", NULL);
	add(root, "required_granularity",
	    json_object_new_string(setfile_granularity_name(s->granularity)),
	    ok);
	add(root, "coalescing",
	    json_object_new_string(setfile_coalescing_name(s->coalescing)), ok);
	add(root, "persist",
	    json_object_new_string(setfile_persist_name(s->persist)), ok);
	if (s->reservation != 0)
		add(root, "reservation", json_object_new_uint64(s->reservation),
		    ok);
	else
		json_object_object_add(root, "reservation", NULL);
	/* the -o cache= value */
	add(root, "cache",
	    json_object_new_string(ns->direct_io ? "direct" : "page"), ok);
	add(root, "write_cache",
	    json_object_new_string(ns->direct_io   ? "none"
				   : ns->writeback ? "writeback"
						   : "write-through"),
	    ok);
	const char *transport, *why;
	uring_transport_describe(&transport, &why);
	add(root, "transport", json_object_new_string(transport), ok);
	add(root, "transport_reason", json_object_new_string(why), ok);
}

static char *status_json_locked(struct namespace *ns, size_t *len)
{
	struct json_object *root = json_object_new_object();
	if (root == NULL)
		return NULL;
	bool ok = true;
	settings_locked(ns, root, &ok);
	add(root, "maps", maps_locked(ns, &ok), &ok);
	add(root, "parts", parts_locked(ns, &ok), &ok);
	add(root, "bytes_read",
	    json_object_new_uint64(atomic_load(&ns->counters.bytes_read)), &ok);
	add(root, "bytes_written",
	    json_object_new_uint64(atomic_load(&ns->counters.bytes_written)),
	    &ok);
	add(root, "persists",
	    json_object_new_uint64(atomic_load(&ns->counters.persists)), &ok);
	struct json_object *error = last_error(&ns->last_error, &ok);
	if (error != NULL)
		add(root, "last_error", error, &ok);
	else
		json_object_object_add(root, "last_error", NULL);
	char *text = NULL;
	if (ok) {
		size_t n;
		const char *shown = json_object_to_json_string_length(
			root,
			JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_NOSLASHESCAPE,
			&n);
		/* the string belongs to root: keep a copy with a newline */
		if (shown != NULL && (text = malloc(n + 2)) != NULL) {
			memcpy(text, shown, n);
			text[n] = '\n';
			text[n + 1] = '\0';
			*len = n + 1;
		}
	}
	json_object_put(root);
	return text;
}

size_t status_json_size_locked(struct namespace *ns)
{
	size_t len = 0;
	free(status_json_locked(ns, &len));
	return len;
}

void status_json_open(fuse_req_t req, struct fuse_file_info *fi)
{
	snapshot_open(req, fi, status_json_locked);
}
