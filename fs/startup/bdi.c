/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bdi.c -- tuning the mount's backing device, where the kernel keeps the
 * knobs FUSE cannot set (as root; otherwise the defaults stay):
 *
 * - read_ahead_kb: with cache=page, cold sequential reads reach us as
 *   read-ahead requests of the window's size. FUSE's max_readahead can
 *   only shrink the kernel default of 128 KiB; a 1 MiB window took a
 *   256 MiB part from 2048 requests at 1.4-2.0 GB/s to 256 at 2.6-2.7.
 * - max_ratio: the kernel gives a FUSE mount at most 1% of the dirty-page
 *   limit (strictlimit), ~47 MiB here; with the writeback cache a writer
 *   whose working set is larger is held to the rate at which single pages
 *   are written back (4 KiB random writes over 256 MiB: 124-143k IOPS,
 *   with 20%: 444k). See README, Performance.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "startup/bdi.h"

void bdi_set(dev_t dev, const char *knob, unsigned value)
{
	char path[96], text[16];
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/%s", major(dev),
		 minor(dev), knob);
	int len = snprintf(text, sizeof(text), "%u\n", value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* not root, or no sysfs: the default stays */
	if (write(fd, text, (size_t)len) != len) {
		/* the kernel refused the value: the default stays */
	}
	close(fd);
}
