/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * readahead.h -- the kernel's read-ahead window for our mount.
 */
#ifndef PMEMSETFS_READAHEAD_H
#define PMEMSETFS_READAHEAD_H

#include <sys/types.h>

/*
 * Asks for read-ahead of kib KiB on the mount whose device is dev (needs
 * root; otherwise the kernel's default stays, which is only slower).
 */
void readahead_set(dev_t dev, unsigned kib);

#endif /* PMEMSETFS_READAHEAD_H */
