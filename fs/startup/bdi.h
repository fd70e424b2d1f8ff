/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bdi.h -- the mount's backing-device knobs (/sys/class/bdi/MAJ:MIN/):
 * read-ahead window and dirty-page budget of the page-cache modes.
 */
#ifndef PMEMSETFS_BDI_H
#define PMEMSETFS_BDI_H

#include <sys/types.h>

/* Sets knob (e.g. "read_ahead_kb") of device dev; quietly does nothing
 * when that is not possible (not root, no sysfs, an old kernel). */
void bdi_set(dev_t dev, const char *knob, unsigned value);

#endif /* PMEMSETFS_BDI_H */
