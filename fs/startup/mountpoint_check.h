/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mountpoint_check.h -- the checks a mount point passes before mounting.
 */
#ifndef PMEMSETFS_MOUNTPOINT_CHECK_H
#define PMEMSETFS_MOUNTPOINT_CHECK_H

#include "base/setfile.h"

/*
 * 0 when the set can be mounted at mountpoint: a directory, not mounted
 * on already, not on a pseudo file system (proc, sysfs, ...), not hiding
 * the set file, a source, a temporary directory or a file the daemon
 * opens once mounted. Otherwise prints why and returns -1.
 */
int mountpoint_check(const char *mountpoint, const char *setfile,
		     const struct set_spec *spec);

#endif /* PMEMSETFS_MOUNTPOINT_CHECK_H */
