/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * allocated_bytes.h -- the storage a file has behind a range of it
 * (allocated_bytes.c).
 */
#ifndef PMEMSETFS_ALLOCATED_BYTES_H
#define PMEMSETFS_ALLOCATED_BYTES_H

#include <sys/types.h>

/*
 * Bytes of fd's [start, end) with storage allocated, unwritten extents
 * included (more than MAX_EXTENTS extents: the rest counted whole), or -1
 * when the file cannot tell.
 */
long long allocated_bytes(int fd, off_t start, off_t end);

#endif /* PMEMSETFS_ALLOCATED_BYTES_H */
