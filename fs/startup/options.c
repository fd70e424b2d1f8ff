/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * options.c -- command-line parsing with fuse_opt. Our -o options are
 * taken out of the argument list (so mount.fuse3 and /etc/fstab can pass
 * them with the standard ones) and their values checked by the set-file
 * parser's functions; the rest goes to fuse_parse_cmdline and the session.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "startup/help.h"
#include "startup/options.h"

struct raw_options {
	char *setfile;
	char *log;
	char *persist;
	char *coalescing;
	char *reservation;
	char *granularity;
	char *cache;
	char *uid;
	char *gid;
	char *umask;
	char *fsname;
	char *unlink;
	char *transport;
	int read_only; /* the last of -o ro / -o rw */
	int extra_positional;
};

enum { KEY_RO = 1, KEY_RW };

#define RAW(templ, field)                                                      \
	{                                                                      \
		templ, offsetof(struct raw_options, field), 0                  \
	}

static const struct fuse_opt option_spec[] = {
	RAW("log=%s", log),
	RAW("persist=%s", persist),
	RAW("coalescing=%s", coalescing),
	RAW("reservation=%s", reservation),
	RAW("granularity=%s", granularity),
	RAW("cache=%s", cache),
	RAW("uid=%s", uid),
	RAW("gid=%s", gid),
	RAW("umask=%s", umask),
	RAW("fsname=%s", fsname),
	RAW("unlink=%s", unlink),
	RAW("transport=%s", transport),
	/* kept for the session too: it makes the kernel mount read-only */
	FUSE_OPT_KEY("ro", KEY_RO),
	FUSE_OPT_KEY("rw", KEY_RW),
	FUSE_OPT_END,
};

static int take_positional(void *data, const char *arg, int key,
			   struct fuse_args *outargs)
{
	(void)outargs;
	struct raw_options *raw = data;
	if (key == KEY_RO || key == KEY_RW) {
		raw->read_only = key == KEY_RO;
		return 1;
	}
	if (key != FUSE_OPT_KEY_NONOPT)
		return 1;
	if (raw->setfile == NULL) {
		raw->setfile = strdup(arg);
		return 0; /* the set file is ours */
	}
	return 1; /* the mount point: fuse_parse_cmdline's */
}

static int bad(const char *what, const char *value, const char *expected)
{
	fprintf(stderr, "pmemsetfs: bad option %s=%s: expected %s\n", what,
		value, expected);
	return -1;
}

/* A decimal user or group ID; -1 (UINT32_MAX) means "none" to chown. */
static int parse_id(const char *text, unsigned *id)
{
	char *end;
	errno = 0;
	unsigned long value = strtoul(text, &end, 10);
	if (*text < '0' || *text > '9' || *end != '\0' || errno != 0 ||
	    value >= UINT32_MAX)
		return -1;
	*id = (unsigned)value;
	return 0;
}

/* The name lookups behind -o uid= and gid=: 0, or -1 for no such name. */
static int lookup_user(const char *name, unsigned *id)
{
	struct passwd *pw = getpwnam(name);
	if (pw == NULL)
		return -1;
	*id = (unsigned)pw->pw_uid;
	return 0;
}

static int lookup_group(const char *name, unsigned *id)
{
	struct group *gr = getgrnam(name);
	if (gr == NULL)
		return -1;
	*id = (unsigned)gr->gr_gid;
	return 0;
}

/*
 * -o uid= or gid=: a number, else a name (as chown and bindfs take them),
 * looked up now so that a typo fails the start, not a later chown. kind is
 * "user" or "group".
 */
static int parse_owner(const char *option, const char *kind,
		       int (*lookup)(const char *, unsigned *),
		       const char *text, unsigned *id)
{
	char expected[80];
	snprintf(expected, sizeof(expected), "a %s name or a numeric %s ID",
		 kind, kind);
	if (*text >= '0' && *text <= '9') {
		if (parse_id(text, id) == 0)
			return 0;
		char range[sizeof(expected) + 20];
		snprintf(range, sizeof(range), "%s (0 to 4294967294)",
			 expected);
		return bad(option, text, range);
	}
	if (*text == '\0')
		return bad(option, text, expected);
	/* glibc leaves errno set even for "no such name": not shown */
	if (lookup(text, id) != 0) {
		fprintf(stderr,
			"pmemsetfs: bad option %s=%s: no %s named '%s' "
			"(expected %s)\n",
			option, text, kind, text, expected);
		return -1;
	}
	return 0;
}

static int parse_umask(const char *text, mode_t *umask)
{
	char *end;
	errno = 0;
	unsigned long value = strtoul(text, &end, 8);
	if (*text < '0' || *text > '7' || *end != '\0' || errno != 0 ||
	    value > 0777)
		return -1;
	*umask = (mode_t)value;
	return 0;
}

static int check_ownership(const struct raw_options *raw, struct options *o)
{
	struct ownership *own = &o->ownership;
	if (raw->uid != NULL) {
		if (parse_owner("uid", "user", lookup_user, raw->uid,
				&own->uid) != 0)
			return -1;
		own->has_uid = true;
	}
	if (raw->gid != NULL) {
		if (parse_owner("gid", "group", lookup_group, raw->gid,
				&own->gid) != 0)
			return -1;
		own->has_gid = true;
	}
	if (raw->umask != NULL) {
		if (parse_umask(raw->umask, &own->umask) != 0)
			return bad("umask", raw->umask,
				   "an octal mask from 0 to 0777");
		own->has_umask = true;
	}
	return 0;
}

static int check_values(const struct raw_options *raw, struct options *o)
{
	struct set_settings *s = &o->override;
	if (raw->log != NULL) {
		if (!log_target_valid(raw->log)) {
			fprintf(stderr,
				"pmemsetfs: bad option log=%s (syslog, stderr "
				"or an absolute path)\n",
				raw->log);
			return -1;
		}
		o->log = strdup(raw->log);
		if (o->log == NULL) {
			perror("pmemsetfs: log=");
			return -1;
		}
	}
	if (raw->persist != NULL) {
		if (setfile_parse_persist(raw->persist, &s->persist) != 0)
			return bad("persist", raw->persist, "write or fsync");
		s->has_persist = true;
	}
	if (raw->coalescing != NULL) {
		if (setfile_parse_coalescing(raw->coalescing, &s->coalescing))
			return bad("coalescing", raw->coalescing,
				   "none, opportunistic or full");
		s->has_coalescing = true;
	}
	if (raw->reservation != NULL) {
		if (setfile_parse_size(raw->reservation, &s->reservation) ||
		    s->reservation == 0)
			return bad("reservation", raw->reservation,
				   "a size above 0 such as 1G (suffixes K, M, "
				   "G, T)");
		s->has_reservation = true;
	}
	if (raw->granularity != NULL) {
		if (setfile_parse_granularity(raw->granularity,
					      &s->granularity))
			return bad("granularity", raw->granularity,
				   "page, cacheline or byte");
		s->has_granularity = true;
	}
	o->direct_io = false; /* cache=page: see fs/README.md, "Cache modes" */
	if (raw->cache != NULL) {
		if (strcmp(raw->cache, "direct") == 0)
			o->direct_io = true;
		else if (strcmp(raw->cache, "page") != 0)
			return bad("cache", raw->cache, "page or direct");
	}
	/* refuse: tar -x, install and rsync unlink before they write */
	o->unlink_unmaps = false;
	if (raw->unlink != NULL) {
		if (strcmp(raw->unlink, "unmap") == 0)
			o->unlink_unmaps = true;
		else if (strcmp(raw->unlink, "refuse") != 0)
			return bad("unlink", raw->unlink, "refuse or unmap");
	}
	o->transport = TRANSPORT_AUTO;
	if (raw->transport != NULL &&
	    transport_mode_parse(raw->transport, &o->transport) != 0)
		return bad("transport", raw->transport, "auto, uring or dev");
	o->read_only = raw->read_only;
	return check_ownership(raw, o);
}

static void free_raw(struct raw_options *raw)
{
	free(raw->log);
	free(raw->persist);
	free(raw->coalescing);
	free(raw->reservation);
	free(raw->granularity);
	free(raw->cache);
	free(raw->uid);
	free(raw->gid);
	free(raw->umask);
	free(raw->fsname);
	free(raw->unlink);
	free(raw->transport);
}

/*
 * -o fsname= as given, else the set file: df and /proc/mounts show it as
 * the "device". Escaped, so a comma or backslash in it stays in the name.
 */
static int add_fsname(struct options *o, const char *given)
{
	char full[PATH_MAX];
	const char *name = given;
	if (name == NULL)
		name = realpath(o->setfile, full) ? full : o->setfile;
	char *escaped = NULL, *arg = NULL;
	int ret = fuse_opt_add_opt_escaped(&escaped, name);
	if (ret == 0 && asprintf(&arg, "-ofsname=%s", escaped) < 0)
		ret = -1;
	if (ret == 0)
		ret = fuse_opt_add_arg(&o->args, arg);
	free(arg);
	free(escaped);
	return ret;
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
		help_print(argv[0]);
		ret = 1;
		goto out;
	}
	if (o->cmdline.show_version) {
		help_print_version();
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
	/*
	 * Last, so that they win over mount(8)'s "suid,dev": part files show
	 * their sources' modes, which must not grant set-ID or device access.
	 */
	if (fuse_opt_add_arg(&o->args, "-onosuid,nodev") != 0)
		goto out;
	if (add_fsname(o, raw.fsname) != 0)
		goto out;
	ret = 0;
out:
	free_raw(&raw);
	return ret;
}

void options_clear(struct options *o)
{
	free(o->setfile);
	free(o->log);
	free(o->cmdline.mountpoint);
	fuse_opt_free_args(&o->args);
}
