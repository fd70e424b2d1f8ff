/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * status_json.c -- .pmemset/status.json: the facts of .pmemset/status
 * (settings, maps, parts, counters, last error) as one JSON object for
 * scripts and jq, written with json-c so quoting and escaping are right
 * whatever a part name or a path holds. The JSON formatter of the status
 * snapshot (status.c), so both files always show the same facts.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "ctl/status.h"

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

static struct json_object *maps(const struct status_snapshot *snap, bool *ok)
{
	struct json_object *maps = json_object_new_array();
	for (size_t i = 0; maps != NULL && i < snap->nmaps; i++) {
		const struct status_map *m = &snap->maps[i];
		struct json_object *map = json_object_new_object();
		struct json_object *names = json_object_new_array();
		if (map == NULL || names == NULL) {
			json_object_put(map);
			json_object_put(names);
			*ok = false;
			break;
		}
		for (size_t k = 0; k < m->count; k++) {
			size_t part = snap->map_order[m->first + k];
			append(names,
			       json_object_new_string(snap->parts[part].name),
			       ok);
		}
		add(map, "index", json_object_new_uint64(i), ok);
		add(map, "address", address(m->addr), ok);
		add(map, "length", json_object_new_uint64(m->length), ok);
		add(map, "parts", names, ok);
		append(maps, map, ok);
	}
	return maps;
}

static struct json_object *parts(const struct status_snapshot *snap, bool *ok)
{
	struct json_object *parts = json_object_new_array();
	for (size_t i = 0; parts != NULL && i < snap->nparts; i++) {
		const struct status_part *p = &snap->parts[i];
		struct json_object *part = json_object_new_object();
		if (part == NULL) {
			*ok = false;
			break;
		}
		add(part, "name", json_object_new_string(p->name), ok);
		add(part, "source", json_object_new_string(p->source), ok);
		add(part, "temporary", json_object_new_boolean(p->temporary),
		    ok);
		add(part, "offset", json_object_new_uint64(p->offset), ok);
		add(part, "length", json_object_new_uint64(p->length), ok);
		if (p->map >= 0)
			add(part, "map", json_object_new_uint64((size_t)p->map),
			    ok);
		else
			json_object_object_add(part, "map", NULL);
		add(part, "address", address(p->addr), ok);
		add(part, "failed", json_object_new_boolean(p->failed), ok);
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

static void settings(const struct status_snapshot *snap,
		     struct json_object *root, bool *ok)
{
	const struct set_settings *s = &snap->settings;
	if (snap->granularity_known)
		add(root, "granularity",
		    json_object_new_string(
			    setfile_granularity_name(snap->granularity)),
		    ok);
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
	add(root, "cache", json_object_new_string(snap->cache), ok);
	add(root, "write_cache", json_object_new_string(snap->write_cache), ok);
	add(root, "unlink", json_object_new_string(snap->unlink), ok);
	add(root, "read_only", json_object_new_boolean(snap->read_only), ok);
	add(root, "log", json_object_new_string(snap->log), ok);
	add(root, "transport", json_object_new_string(snap->transport), ok);
	add(root, "transport_reason",
	    json_object_new_string(snap->transport_reason), ok);
}

/* The whole object, or NULL when any of it could not be made. */
static char *format_json(const struct status_snapshot *snap, size_t *len)
{
	struct json_object *root = json_object_new_object();
	if (root == NULL)
		return NULL;
	bool ok = true;
	settings(snap, root, &ok);
	add(root, "maps", maps(snap, &ok), &ok);
	add(root, "parts", parts(snap, &ok), &ok);
	add(root, "bytes_read", json_object_new_uint64(snap->bytes_read), &ok);
	add(root, "bytes_written", json_object_new_uint64(snap->bytes_written),
	    &ok);
	add(root, "persists", json_object_new_uint64(snap->persists), &ok);
	struct json_object *error = last_error(&snap->last_error, &ok);
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

char *status_json_locked(struct namespace *ns, size_t *len)
{
	struct status_snapshot snap;
	if (status_snapshot_take_locked(ns, &snap) != 0)
		return NULL;
	char *text = format_json(&snap, len);
	status_snapshot_clear(&snap);
	return text;
}
