/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mountinfo.h -- looks a mount point up in /proc/self/mountinfo, which
 * needs no request to the mounted file system (a stat of our own mount
 * point, made before the session loop runs, would never be answered).
 */
#ifndef PMEMSETFS_MOUNTINFO_H
#define PMEMSETFS_MOUNTINFO_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * true when path is a mount point; *dev gets its device. path must be
 * resolved already (realpath): resolving our own mount point once it is
 * mounted would ask us, and nobody answers before the session loop runs.
 */
bool mountinfo_find(const char *path, dev_t *dev);

/*
 * The same through fd, from mountinfo_open() called before mounting: the
 * path /proc/self/mountinfo may lead into the new mount (mounted over
 * /proc/self), and nobody answers before the session loop runs.
 */
int mountinfo_open(void);
bool mountinfo_find_in(int fd, const char *path, dev_t *dev);

/* true when path is top or below it, by its words alone (no lookup). */
bool path_is_at_or_below(const char *path, const char *top);

/*
 * true when path leads to mountpoint or below it: resolved component by
 * component (".", "..", "//", symlinks), comparing each prefix with the
 * (resolved) mount point BEFORE looking at it, so nothing on that mount
 * is ever asked for. Works with a single-threaded daemon too.
 */
bool path_leads_into(const char *path, const char *mountpoint);

#endif /* PMEMSETFS_MOUNTINFO_H */
