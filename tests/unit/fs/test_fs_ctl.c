/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fs_ctl.c -- the control plane and the tree without a mount: a set
 * built from a set file as the daemon builds it, then changed by ctl
 * commands and scripts (fs/ctl/), and the tree's tables (fs/tree/) and the
 * status snapshot checked after each change. Needs neither root nor FUSE.
 */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/script.h"
#include "ctl/status.h"
#include "set/set_build.h"
#include "tree/handle.h"
#include "tree/namespace.h"
#include "util.h"

#define PART_SIZE (64 * KIB)

static struct namespace ns;

/* Builds a set of parts a, b, c (files in the suite directory) + extra. */
static void build(const char *extra_lines)
{
	char text[2048], a[PATH_MAX], b[PATH_MAX], c[PATH_MAX];
	ut_file_create(ut_path(a, "a"), PART_SIZE, 1);
	ut_file_create(ut_path(b, "b"), PART_SIZE, 2);
	ut_file_create(ut_path(c, "c"), PART_SIZE, 3);
	snprintf(text, sizeof(text), "%spart a a\npart b b\npart c c\n",
		 extra_lines);
	struct set_spec spec;
	char err[SETFILE_ERR_MAX * 2];
	UT_ASSERT_EQ_FATAL(
		setfile_parse_text(text, ut_dir(), &spec, err, sizeof(err)), 0);
	ns_init(&ns, &spec.settings);
	struct build_undo undo = {0};
	int ret = set_build(&ns, &spec, &undo, err, sizeof(err));
	if (ret)
		fprintf(stderr, "set_build: %s\n", err);
	UT_ASSERT_EQ_FATAL(ret, 0);
	build_undo_clear(&undo);
	set_spec_clear(&spec);
}

static void teardown(void)
{
	set_teardown(&ns);
	ns_destroy(&ns);
}

/* Runs text as one write to ctl; *reason (may be NULL) is freed later. */
static int ctl(const char *text, char **reason)
{
	char *mine = NULL;
	int ret = ctl_run_write(&ns, text, strlen(text), &mine);
	if (reason != NULL)
		*reason = mine;
	else
		free(mine);
	return ret;
}

static bool has_part(const char *name)
{
	pthread_mutex_lock(&ns.lock);
	bool found = ns_part_by_name_locked(&ns, name) != NULL;
	pthread_mutex_unlock(&ns.lock);
	return found;
}

static void built_set_has_every_part_in_the_tree(void)
{
	build("");
	UT_ASSERT_EQ(ns.nparts, 3);
	UT_ASSERT_EQ(ns.nmaps, 3); /* no coalescing: a map per part */
	struct part_node *b = ns_part_by_name_locked(&ns, "b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_EQUAL(ns_part_by_ino_locked(&ns, b->ino), b);
	UT_ASSERT_EQ(b->length, PART_SIZE);
	CU_ASSERT(ut_mem_has_pattern(b->addr, 0, PART_SIZE, 2));
	/* inode numbers rise in mapping order, above the fixed entries */
	CU_ASSERT(ns.parts[0]->ino >= INO_FIRST_DYNAMIC);
	CU_ASSERT(ns.parts[0]->ino < ns.parts[1]->ino);
	CU_ASSERT(ns.parts[1]->ino < ns.parts[2]->ino);
	/* every live map view is found by its inode number */
	for (size_t i = 0; i < ns.nmaps; i++)
		CU_ASSERT_PTR_EQUAL(ns_map_by_ino_locked(&ns, ns.maps[i]->ino),
				    ns.maps[i]);
	UT_ASSERT_EQ(ns_map_index_locked(&ns, b->addr + 5), 1);
	teardown();
}

static void commands_map_and_unmap_parts(void)
{
	build("");
	char d[PATH_MAX], line[PATH_MAX + 32];
	ut_file_create(ut_path(d, "d"), 2 * PART_SIZE, 4);
	snprintf(line, sizeof(line), "part d %s length=64K\n", d);
	UT_ASSERT_EQ(ctl(line, NULL), 0);
	CU_ASSERT(has_part("d"));
	UT_ASSERT_EQ(ns.nparts, 4);
	UT_ASSERT_EQ(ns.nmaps, 4); /* the maps were re-read */
	UT_ASSERT_EQ(ctl("unmap a", NULL), 0);
	CU_ASSERT(!has_part("a"));
	UT_ASSERT_EQ(ns.nparts, 3);
	UT_ASSERT_EQ(ns.nmaps, 3);
	ns.unlink_unmaps = true;		    /* -o unlink=unmap */
	UT_ASSERT_EQ(ctl_remove_part(&ns, "b"), 0); /* rm b */
	CU_ASSERT(!has_part("b"));
	CU_ASSERT(!ns.last_error.set); /* nothing failed */
	teardown();
}

/* Without -o unlink=unmap, rm of a part is refused and says what to do. */
static void rm_of_a_part_is_refused_by_default(void)
{
	build("");
	UT_ASSERT_EQ(ctl_remove_part(&ns, "b"), -EPERM);
	CU_ASSERT(has_part("b"));
	UT_ASSERT_EQ(ns.nparts, 3);
	CU_ASSERT(ns.last_error.set);
	CU_ASSERT_STRING_EQUAL(ns.last_error.command, "rm 'b'");
	CU_ASSERT_STRING_EQUAL(ns.last_error.reason,
			       "refused: remove a part with 'pmemsetfs ctl "
			       "MOUNTPOINT unmap b' (or mount with -o "
			       "unlink=unmap)");
	/* a name that is no part is still ENOENT */
	UT_ASSERT_EQ(ctl_remove_part(&ns, "nosuch"), -ENOENT);
	teardown();
}

static void script_stops_at_its_first_failing_line(void)
{
	build("");
	char *reason = NULL;
	int ret =
		ctl("unmap a\n\n# a comment\nunmap nosuch\nunmap c\n", &reason);
	UT_ASSERT_EQ(ret, -ENOENT);
	CU_ASSERT(!has_part("a")); /* before the failure: done */
	CU_ASSERT(has_part("c"));  /* after it: not run */
	CU_ASSERT_PTR_NOT_NULL_FATAL(reason);
	CU_ASSERT_STRING_EQUAL(
		reason, "line 4: ctl 'unmap nosuch': no part named 'nosuch'\n");
	/* the same failure is the set's last error, for status */
	CU_ASSERT(ns.last_error.set);
	UT_ASSERT_EQ(ns.last_error.line, 4);
	CU_ASSERT_STRING_EQUAL(ns.last_error.command, "ctl 'unmap nosuch'");
	free(reason);
	/* a single command names no line */
	UT_ASSERT_EQ(ctl("unmap a", &reason), -ENOENT);
	UT_ASSERT_EQ(ns.last_error.line, 0);
	CU_ASSERT_STRING_EQUAL(reason, "ctl 'unmap a': no part named 'a'\n");
	free(reason);
	teardown();
}

/* Each bad write fails with its errno and changes nothing. */
static void bad_commands_are_refused_with_their_reason(void)
{
	build("");
	char path[PATH_MAX], line[PATH_MAX + 32];
	snprintf(line, sizeof(line), "part b %s", ut_path(path, "c"));
	const struct {
		const char *text;
		int error;
		const char *reason;
	} cases[] = {
		{"frobnicate", -EINVAL, "unknown command"},
		{"\n# only a comment\n", -EINVAL, "empty command"},
		{"unmap", -EINVAL, "usage: unmap NAME"},
		{"remove-range x 0 4K", -EINVAL, "usage: remove-range"},
		{"remove-range 9 0 4K", -ENOENT, "no map 9 (there are 3)"},
		{"remove-range 0 1M 4K", -EINVAL, "is outside map 0"},
		{"coalescing sometimes", -EINVAL, "usage: coalescing"},
		{"part x relative/path", -EINVAL, "must be absolute"},
		{line, -EEXIST, "duplicate name"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *reason = NULL;
		int ret = ctl(cases[i].text, &reason);
		if (ret != cases[i].error || reason == NULL ||
		    strstr(reason, cases[i].reason) == NULL)
			fprintf(stderr, "'%s': %d %s\n", cases[i].text, ret,
				reason ? reason : "(none)");
		UT_ASSERT_EQ(ret, cases[i].error);
		CU_ASSERT(reason != NULL &&
			  strstr(reason, cases[i].reason) != NULL);
		free(reason);
	}
	UT_ASSERT_EQ(ns.nparts, 3);
	UT_ASSERT_EQ(ns.nmaps, 3);
	/* a NUL byte, and a write longer than any script may be */
	char *reason = NULL;
	UT_ASSERT_EQ(ctl_run_write(&ns, "unmap a\0x", 9, &reason), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "NUL byte"));
	free(reason);
	char *huge = calloc(CTL_MAX_WRITE + 2, 1);
	memset(huge, '#', CTL_MAX_WRITE + 1);
	UT_ASSERT_EQ(ctl(huge, &reason), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "write too long"));
	free(reason);
	free(huge);
	CU_ASSERT(has_part("a"));
	teardown();
}

/* An open handle pins its part: unmap waits, then fails with EBUSY. */
static void open_part_cannot_be_unmapped(void)
{
	build("");
	struct part_node *a = NULL;
	pthread_mutex_lock(&ns.lock);
	fuse_ino_t ino = ns_part_by_name_locked(&ns, "a")->ino;
	pthread_mutex_unlock(&ns.lock);
	UT_ASSERT_EQ_FATAL(ns_part_open(&ns, ino, &a), 0);
	char *reason = NULL;
	UT_ASSERT_EQ(ctl("unmap a", &reason), -EBUSY);
	CU_ASSERT_PTR_NOT_NULL(strstr(reason, "part a is open"));
	free(reason);
	CU_ASSERT(has_part("a"));
	ns_part_release(&ns, a);
	UT_ASSERT_EQ(ctl("unmap a", NULL), 0);
	CU_ASSERT(!has_part("a"));
	teardown();
}

/* Coalesced parts share a map; unmapping the middle one splits it. */
static void refresh_follows_coalescing_and_splits(void)
{
	build("reservation 16M\ncoalescing full\n");
	UT_ASSERT_EQ_FATAL(ns.nmaps, 1);
	UT_ASSERT_EQ(ns.maps[0]->size, 3 * PART_SIZE);
	fuse_ino_t whole = ns.maps[0]->ino;
	struct status_snapshot snap;
	pthread_mutex_lock(&ns.lock);
	UT_ASSERT_EQ_FATAL(status_snapshot_take_locked(&ns, &snap), 0);
	UT_ASSERT_EQ(snap.nmaps, 1);
	UT_ASSERT_EQ(snap.maps[0].count, 3);
	static const char *const in_order[] = {"a", "b", "c"};
	for (size_t k = 0; k < 3; k++) {
		size_t part = snap.map_order[snap.maps[0].first + k];
		CU_ASSERT_STRING_EQUAL(snap.parts[part].name, in_order[k]);
	}
	status_snapshot_clear(&snap);
	pthread_mutex_unlock(&ns.lock);

	UT_ASSERT_EQ(ctl("unmap b", NULL), 0);
	UT_ASSERT_EQ_FATAL(ns.nmaps, 2);
	UT_ASSERT_EQ(ns.maps[0]->size, PART_SIZE);
	UT_ASSERT_EQ(ns.maps[1]->size, PART_SIZE);
	/* new views, new inode numbers; the old one no longer resolves */
	CU_ASSERT(ns.maps[0]->ino != whole && ns.maps[1]->ino != whole);
	CU_ASSERT_PTR_NULL(ns_map_by_ino_locked(&ns, whole));
	CU_ASSERT_PTR_EQUAL(ns_map_by_ino_locked(&ns, ns.maps[1]->ino),
			    ns.maps[1]);
	/* remove-range over map 1 (part c) empties it */
	UT_ASSERT_EQ(ctl("remove-range 1 0 4K", NULL), 0);
	CU_ASSERT(!has_part("c"));
	UT_ASSERT_EQ(ns.nmaps, 1);
	teardown();
}

static void status_text_and_json_show_the_same_set(void)
{
	build("");
	ctl("unmap nosuch", NULL); /* a last error to show */
	size_t text_len = 0, json_len = 0;
	pthread_mutex_lock(&ns.lock);
	char *text = status_text_locked(&ns, &text_len);
	char *json = status_json_locked(&ns, &json_len);
	pthread_mutex_unlock(&ns.lock);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(json);
	UT_ASSERT_EQ(strlen(text), text_len);
	UT_ASSERT_EQ(strlen(json), json_len);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "maps: 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "parts: 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "length=65536 parts=b\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "persist: write\n"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "ctl 'unmap nosuch': no part named 'nosuch'\n"));
	struct json_object *root = json_tokener_parse(json);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	struct json_object *parts, *maps, *error, *value;
	CU_ASSERT_FATAL(json_object_object_get_ex(root, "parts", &parts));
	CU_ASSERT_FATAL(json_object_object_get_ex(root, "maps", &maps));
	UT_ASSERT_EQ(json_object_array_length(parts), 3);
	UT_ASSERT_EQ(json_object_array_length(maps), 3);
	CU_ASSERT(json_object_object_get_ex(json_object_array_get_idx(parts, 1),
					    "name", &value));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(value), "b");
	CU_ASSERT(json_object_object_get_ex(json_object_array_get_idx(maps, 1),
					    "parts", &value));
	CU_ASSERT_STRING_EQUAL(
		json_object_get_string(json_object_array_get_idx(value, 0)),
		"b");
	CU_ASSERT(json_object_object_get_ex(root, "persist", &value));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(value), "write");
	CU_ASSERT_FATAL(json_object_object_get_ex(root, "last_error", &error));
	CU_ASSERT(json_object_object_get_ex(error, "command", &value));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(value),
			       "ctl 'unmap nosuch'");
	json_object_put(root);
	free(text);
	free(json);
	teardown();
}

static CU_TestInfo tests[] = {
	{"built_set_has_every_part_in_the_tree",
	 built_set_has_every_part_in_the_tree},
	{"commands_map_and_unmap_parts", commands_map_and_unmap_parts},
	{"rm_of_a_part_is_refused_by_default",
	 rm_of_a_part_is_refused_by_default},
	{"script_stops_at_its_first_failing_line",
	 script_stops_at_its_first_failing_line},
	{"bad_commands_are_refused_with_their_reason",
	 bad_commands_are_refused_with_their_reason},
	{"open_part_cannot_be_unmapped", open_part_cannot_be_unmapped},
	{"refresh_follows_coalescing_and_splits",
	 refresh_follows_coalescing_and_splits},
	{"status_text_and_json_show_the_same_set",
	 status_text_and_json_show_the_same_set},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("fs_ctl", tests);
}
