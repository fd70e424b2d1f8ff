/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mountpoint_check.c -- refuses mount points that would make the daemon
 * wait on itself or hide what it maps. Until the session loop runs nobody
 * answers a request to the new mount, so a path the daemon (or libfuse's
 * daemonize step) opens after mounting must not lead into it: mounting
 * over /proc/self made the daemon read /proc/self/mountinfo through its
 * own mount and sit in D state, and with it every `ps` on the machine.
 */
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "base/mountinfo.h"
#include "startup/mountpoint_check.h"

/* File systems made by the kernel for itself, not for files of ours. */
static const struct {
	long magic;
	const char *name;
} pseudo_fs[] = {
	{PROC_SUPER_MAGIC, "proc"},
	{SYSFS_MAGIC, "sysfs"},
	{CGROUP_SUPER_MAGIC, "cgroup"},
	{CGROUP2_SUPER_MAGIC, "cgroup2"},
	{DEBUGFS_MAGIC, "debugfs"},
	{TRACEFS_MAGIC, "tracefs"},
	{SECURITYFS_MAGIC, "securityfs"},
	{BPF_FS_MAGIC, "bpf"},
	{DEVPTS_SUPER_MAGIC, "devpts"},
	{PSTOREFS_MAGIC, "pstore"},
	{EFIVARFS_MAGIC, "efivarfs"},
	{BINFMTFS_MAGIC, "binfmt_misc"},
	{NSFS_MAGIC, "nsfs"},
	{0x65735543, "fusectl"},
	{0x62656570, "configfs"},
};

/*
 * What the daemon opens by path once mounted: libfuse's daemonize step
 * (/dev/null), syslog (/dev/log, and the time zone for its time stamps),
 * the read-ahead setting (/sys/class/bdi). A mount point at or above one
 * of them (/, /dev, /etc, ...) would hide it behind the mount itself.
 */
static const char *const daemon_paths[] = {
	"/dev/null",
	"/dev/log",
	"/etc/localtime",
	"/sys/class/bdi",
};

static int refuse_mount_point(const char *mountpoint, const char *format,
			      const char *what, const char *why)
{
	fprintf(stderr, "pmemsetfs: mount point %s: ", mountpoint);
	fprintf(stderr, format, what, why);
	fputc('\n', stderr);
	return -1;
}

static int check_pseudo_fs(const char *mountpoint)
{
	struct statfs sf;
	if (statfs(mountpoint, &sf) != 0)
		return refuse_mount_point(mountpoint, "%s%s",
					  "cannot statfs: ", strerror(errno));
	for (size_t i = 0; i < sizeof(pseudo_fs) / sizeof(pseudo_fs[0]); i++) {
		if ((long)sf.f_type == pseudo_fs[i].magic)
			return refuse_mount_point(
				mountpoint,
				"is on the kernel's %s file system%s",
				pseudo_fs[i].name,
				" (a pseudo file system): refused, "
				"mounting over it can hang every "
				"process that reads it");
	}
	return 0;
}

/* The sources, the set file and the daemon's own files stay reachable. */
static int check_hidden_paths(const char *mountpoint, const char *resolved,
			      const char *setfile, const struct set_spec *spec)
{
	for (size_t i = 0; i < sizeof(daemon_paths) / sizeof(daemon_paths[0]);
	     i++) {
		if (path_is_at_or_below(daemon_paths[i], resolved))
			return refuse_mount_point(
				mountpoint, "would hide %s%s", daemon_paths[i],
				", which the daemon needs while mounted");
	}
	char setfile_path[PATH_MAX];
	if (realpath(setfile, setfile_path) != NULL &&
	    path_is_at_or_below(setfile_path, resolved))
		return refuse_mount_point(mountpoint,
					  "would hide the set file %s%s",
					  setfile_path, "");
	for (size_t i = 0; i < spec->nparts; i++) {
		const struct part_spec *p = &spec->parts[i];
		const char *path = p->path != NULL ? p->path : p->temp_dir;
		char why[NAME_MAX + 64];
		snprintf(why, sizeof(why),
			 " of part %s: its bytes would be reachable only "
			 "through the mount itself",
			 p->name);
		/* the path as written, and where its symlinks lead */
		if (path_leads_into(path, resolved))
			return refuse_mount_point(mountpoint, "would hide %s%s",
						  path, why);
	}
	return 0;
}

int mountpoint_check(const char *mountpoint, const char *setfile,
		     const struct set_spec *spec)
{
	struct stat st;
	if (stat(mountpoint, &st) != 0)
		return refuse_mount_point(mountpoint, "%s%s", "",
					  strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return refuse_mount_point(mountpoint, "%s%s", "not a directory",
					  "");
	char *resolved = realpath(mountpoint, NULL);
	if (resolved == NULL)
		return refuse_mount_point(mountpoint, "%s%s", "",
					  strerror(errno));
	int ret = check_pseudo_fs(mountpoint);
	dev_t dev;
	if (ret == 0 && mountinfo_find(resolved, &dev))
		ret = refuse_mount_point(mountpoint, "%s%s", "already mounted",
					 "");
	if (ret == 0)
		ret = check_hidden_paths(mountpoint, resolved, setfile, spec);
	free(resolved);
	return ret;
}
