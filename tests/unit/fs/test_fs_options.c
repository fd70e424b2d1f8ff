/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fs_options.c -- the daemon's command line (fs/startup/options.c):
 * our -o options are taken out and checked, the rest goes on to libfuse,
 * and every bad value is refused with a non-zero result.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "startup/options.h"
#include "util.h"

/* Parses argv (NULL-terminated); returns options_parse's result. */
static int parse(struct options *o, const char **argv)
{
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	return options_parse(argc, (char **)argv, o);
}

/* Whether the argument list handed to the session holds arg. */
static bool session_gets(const struct options *o, const char *arg)
{
	for (int i = 0; i < o->args.argc; i++) {
		if (strcmp(o->args.argv[i], arg) == 0)
			return true;
	}
	return false;
}

static void our_options_are_taken_and_checked(void)
{
	struct options o;
	const char *argv[] = {"pmemsetfs",
			      "-o",
			      "persist=fsync,cache=direct,uid=5,gid=6,"
			      "umask=027,coalescing=full,reservation=1G,"
			      "granularity=byte,log=stderr,fsname=mine",
			      "my.set",
			      ut_dir(),
			      NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, argv), 0);
	CU_ASSERT_STRING_EQUAL(o.setfile, "my.set");
	CU_ASSERT_STRING_EQUAL(o.cmdline.mountpoint, ut_dir());
	CU_ASSERT(o.override.has_persist);
	UT_ASSERT_EQ(o.override.persist, PERSIST_ON_FSYNC);
	CU_ASSERT(o.override.has_coalescing);
	UT_ASSERT_EQ(o.override.coalescing, PMEMSET_COALESCING_FULL);
	UT_ASSERT_EQ(o.override.reservation, (size_t)1 << 30);
	UT_ASSERT_EQ(o.override.granularity, PMEM2_GRANULARITY_BYTE);
	CU_ASSERT(o.direct_io);
	CU_ASSERT(!o.read_only);
	CU_ASSERT(o.ownership.has_uid && o.ownership.uid == 5);
	CU_ASSERT(o.ownership.has_gid && o.ownership.gid == 6);
	CU_ASSERT(o.ownership.has_umask && o.ownership.umask == 027);
	CU_ASSERT_STRING_EQUAL(o.log, "stderr");
	/* what the session gets: ours are gone, the safety options added */
	CU_ASSERT(session_gets(&o, "-odefault_permissions"));
	CU_ASSERT(session_gets(&o, "-onosuid,nodev"));
	CU_ASSERT(session_gets(&o, "-ofsname=mine"));
	for (int i = 0; i < o.args.argc; i++)
		CU_ASSERT_PTR_NULL(strstr(o.args.argv[i], "persist="));
	options_clear(&o);
}

static void defaults_leave_the_set_file_in_charge(void)
{
	struct options o;
	const char *argv[] = {"pmemsetfs", "-o",     "ro", "-f",
			      "x.set",	   ut_dir(), NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, argv), 0);
	CU_ASSERT(!o.override.has_persist);
	CU_ASSERT(!o.override.has_coalescing);
	CU_ASSERT(!o.override.has_reservation);
	CU_ASSERT(!o.override.has_granularity);
	CU_ASSERT(!o.direct_io); /* cache=page */
	CU_ASSERT(o.read_only);
	CU_ASSERT(o.cmdline.foreground);
	CU_ASSERT_PTR_NULL(o.log);
	CU_ASSERT(!o.ownership.has_uid && !o.ownership.has_umask);
	/* the set file is the "device" df shows */
	CU_ASSERT(session_gets(&o, "-ofsname=x.set"));
	options_clear(&o);
	/* the last of ro and rw wins */
	const char *rw[] = {"pmemsetfs", "-o",	   "ro,rw",
			    "x.set",	 ut_dir(), NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, rw), 0);
	CU_ASSERT(!o.read_only);
	options_clear(&o);
}

/* uid= and gid= take names too, looked up as chown looks them up */
static void owner_names_are_looked_up(void)
{
	struct options o;
	const char *argv[] = {"pmemsetfs", "-o",     "uid=root,gid=root",
			      "my.set",	   ut_dir(), NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, argv), 0);
	CU_ASSERT(o.ownership.has_uid && o.ownership.uid == 0);
	CU_ASSERT(o.ownership.has_gid && o.ownership.gid == 0);
	options_clear(&o);
	const char *unknown[] = {"uid=no-such-user-here",
				 "gid=no-such-group-here", "uid=", "gid="};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		const char *bad_argv[] = {"pmemsetfs", "-o",	 unknown[i],
					  "my.set",    ut_dir(), NULL};
		UT_ASSERT_EQ(parse(&o, bad_argv), -1);
		options_clear(&o);
	}
}

static void bad_values_are_refused(void)
{
	const char *bad[] = {
		"persist=sometimes", "cache=none",     "coalescing=all",
		"reservation=0",     "reservation=1Q", "granularity=word",
		"uid=4294967295",    "uid=12x",	       "gid=-1",
		"umask=0999",	     "umask=x",	       "log=relative/file",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct options o;
		const char *argv[] = {"pmemsetfs", "-o",     bad[i],
				      "x.set",	   ut_dir(), NULL};
		int ret = parse(&o, argv);
		if (ret != -1)
			fprintf(stderr, "-o %s: %d\n", bad[i], ret);
		UT_ASSERT_EQ(ret, -1);
		options_clear(&o);
	}
}

/* rm of a part is refused unless the mount opts in with -o unlink=unmap */
static void unlink_refuses_unless_unmap_is_asked(void)
{
	struct options o;
	const char *plain[] = {"pmemsetfs", "x.set", ut_dir(), NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, plain), 0);
	CU_ASSERT(!o.unlink_unmaps);
	options_clear(&o);
	const char *refuse[] = {"pmemsetfs", "-o",     "unlink=refuse",
				"x.set",     ut_dir(), NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, refuse), 0);
	CU_ASSERT(!o.unlink_unmaps);
	options_clear(&o);
	const char *unmap[] = {"pmemsetfs", "-o",     "unlink=unmap",
			       "x.set",	    ut_dir(), NULL};
	UT_ASSERT_EQ_FATAL(parse(&o, unmap), 0);
	CU_ASSERT(o.unlink_unmaps);
	for (int i = 0; i < o.args.argc; i++) /* ours: not for libfuse */
		CU_ASSERT_PTR_NULL(strstr(o.args.argv[i], "unlink="));
	options_clear(&o);
	const char *bad[] = {"unlink=yes", "unlink=", "unlink=UNMAP"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = {"pmemsetfs", "-o",     bad[i],
				      "x.set",	   ut_dir(), NULL};
		UT_ASSERT_EQ(parse(&o, argv), -1);
		options_clear(&o);
	}
}

static void missing_operands_are_a_usage_error(void)
{
	struct options o;
	const char *no_mountpoint[] = {"pmemsetfs", "x.set", NULL};
	UT_ASSERT_EQ(parse(&o, no_mountpoint), -1);
	options_clear(&o);
	const char *nothing[] = {"pmemsetfs", NULL};
	UT_ASSERT_EQ(parse(&o, nothing), -1);
	options_clear(&o);
}

static CU_TestInfo tests[] = {
	{"our_options_are_taken_and_checked",
	 our_options_are_taken_and_checked},
	{"defaults_leave_the_set_file_in_charge",
	 defaults_leave_the_set_file_in_charge},
	{"owner_names_are_looked_up", owner_names_are_looked_up},
	{"bad_values_are_refused", bad_values_are_refused},
	{"unlink_refuses_unless_unmap_is_asked",
	 unlink_refuses_unless_unmap_is_asked},
	{"missing_operands_are_a_usage_error",
	 missing_operands_are_a_usage_error},
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return ut_run_suite("fs_options", tests);
}
