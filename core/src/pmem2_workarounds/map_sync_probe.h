/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map_sync_probe.h -- makes libpmem2's part mappings hole-free (see
 * map_sync_probe.c).
 */
#ifndef PMEMSET_MAP_SYNC_PROBE_H
#define PMEMSET_MAP_SYNC_PROBE_H

/*
 * Installs the probe in front of libpmem2's mmap, once per process; later
 * calls do nothing. A failure leaves libpmem2 as it was (and is logged).
 */
void map_sync_probe_install(void);

#endif /* PMEMSET_MAP_SYNC_PROBE_H */
