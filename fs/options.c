/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * options.c -- command-line parsing with fuse_opt. Our -o options are
 * taken out of the argument list (so mount.fuse3 and /etc/fstab can pass
 * them with the standard ones) and their values checked by the set-file
 * parser's functions; the rest goes to fuse_parse_cmdline and the session.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#define PMEMSETFS_VERSION "0.1.0"

struct raw_options {
	char *setfile;
	char *persist;
	char *coalescing;
	char *reservation;
	char *granularity;
	char *cache;
	int extra_positional;
};

#define RAW(templ, field)                                                      \
	{                                                                      \
		templ, offsetof(struct raw_options, field), 0                  \
	}

static const struct fuse_opt option_spec[] = {
	RAW("persist=%s", persist),
	RAW("coalescing=%s", coalescing),
	RAW("reservation=%s", reservation),
	RAW("granularity=%s", granularity),
	RAW("cache=%s", cache),
	FUSE_OPT_END,
};

static int take_positional(void *data, const char *arg, int key,
			   struct fuse_args *outargs)
{
	(void)outargs;
	struct raw_options *raw = data;
	if (key != FUSE_OPT_KEY_NONOPT)
		return 1;
	if (raw->setfile == NULL) {
		raw->setfile = strdup(arg);
		return 0; /* the set file is ours */
	}
	return 1; /* the mount point: fuse_parse_cmdline's */
}

static void usage(const char *prog)
{
	printf("usage: %s [OPTIONS] SETFILE MOUNTPOINT\n\n"
	       "Mounts the pmemset described by SETFILE: one file per part,\n"
	       ".pmemset/maps/N per part map, .pmemset/status, "
	       ".pmemset/ctl.\n\n"
	       "pmemsetfs options:\n"
	       "    -o persist=write|fsync   persist every write before it "
	       "returns (default)\n"
	       "                             or on fsync, close and unmount\n"
	       "    -o coalescing=none|opportunistic|full\n"
	       "    -o reservation=SIZE      all part maps in one reservation\n"
	       "    -o granularity=page|cacheline|byte\n"
	       "    -o cache=page|direct     part files use the kernel page "
	       "cache (default;\n"
	       "                             writeback cache with "
	       "persist=fsync) or bypass it\n"
	       "    (the -o settings override the set file's)\n\n",
	       prog);
	fuse_cmdline_help();
	fuse_lowlevel_help();
}

static int bad(const char *what, const char *value)
{
	fprintf(stderr, "pmemsetfs: bad option %s=%s\n", what, value);
	return -1;
}

static int check_values(const struct raw_options *raw, struct options *o)
{
	struct set_settings *s = &o->override;
	if (raw->persist != NULL) {
		if (setfile_parse_persist(raw->persist, &s->persist) != 0)
			return bad("persist", raw->persist);
		s->has_persist = true;
	}
	if (raw->coalescing != NULL) {
		if (setfile_parse_coalescing(raw->coalescing, &s->coalescing))
			return bad("coalescing", raw->coalescing);
		s->has_coalescing = true;
	}
	if (raw->reservation != NULL) {
		if (setfile_parse_size(raw->reservation, &s->reservation) ||
		    s->reservation == 0)
			return bad("reservation", raw->reservation);
		s->has_reservation = true;
	}
	if (raw->granularity != NULL) {
		if (setfile_parse_granularity(raw->granularity,
					      &s->granularity))
			return bad("granularity", raw->granularity);
		s->has_granularity = true;
	}
	o->direct_io = false; /* cache=page: see README, "direct I/O or..." */
	if (raw->cache != NULL) {
		if (strcmp(raw->cache, "direct") == 0)
			o->direct_io = true;
		else if (strcmp(raw->cache, "page") != 0)
			return bad("cache", raw->cache);
	}
	return 0;
}

static void free_raw(struct raw_options *raw)
{
	free(raw->persist);
	free(raw->coalescing);
	free(raw->reservation);
	free(raw->granularity);
	free(raw->cache);
}

int options_parse(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->args = (struct fuse_args)FUSE_ARGS_INIT(argc, argv);
	struct raw_options raw = {0};
	int ret = -1;

	if (fuse_opt_parse(&o->args, &raw, option_spec, take_positional))
		goto out;
	o->setfile = raw.setfile;
	if (fuse_parse_cmdline(&o->args, &o->cmdline) != 0)
		goto out;
	if (o->cmdline.show_help) {
		usage(argv[0]);
		ret = 1;
		goto out;
	}
	if (o->cmdline.show_version) {
		printf("pmemsetfs version %s\n", PMEMSETFS_VERSION);
		fflush(stdout); /* the next line comes from another process */
		fuse_lowlevel_version();
		ret = 1;
		goto out;
	}
	if (o->setfile == NULL || o->cmdline.mountpoint == NULL) {
		fprintf(stderr,
			"usage: %s [OPTIONS] SETFILE MOUNTPOINT "
			"(-h for help)\n",
			argv[0]);
		goto out;
	}
	if (check_values(&raw, o) != 0)
		goto out;
	/* the kernel checks permissions against each file's mode and owner */
	if (fuse_opt_add_arg(&o->args, "-odefault_permissions") != 0)
		goto out;
	/* df and /proc/mounts show the set file as the "device" */
	char fsname[PATH_MAX + 16], full[PATH_MAX];
	const char *shown = realpath(o->setfile, full) ? full : o->setfile;
	if (strpbrk(shown, ",\\") == NULL &&
	    snprintf(fsname, sizeof(fsname), "-ofsname=%s", shown) <
		    (int)sizeof(fsname) &&
	    fuse_opt_add_arg(&o->args, fsname) != 0)
		goto out;
	ret = 0;
out:
	free_raw(&raw);
	return ret;
}

void options_clear(struct options *o)
{
	free(o->setfile);
	free(o->cmdline.mountpoint);
	fuse_opt_free_args(&o->args);
}
