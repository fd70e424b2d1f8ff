/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mover.c -- works around a scale limit of libpmem2 1.12.1: a mapping made
 * from a config without a data mover ("vdm") creates its own synchronous
 * mover, and each of those allocates a pthread key. A process has only
 * PTHREAD_KEYS_MAX (1024) keys, so after ~1020 live mappings key creation
 * fails silently, and deleting such a mapping deletes an uninitialised key,
 * which later aborts the process inside libpmem2. A set must hold 10,000
 * part maps, so every mapping gets one shared mover object instead.
 *
 * libpmem2 only stores that pointer; it is used solely by libpmem2's
 * asynchronous (miniasync) functions, which libpmemset never calls, and
 * libminiasync's headers are not installed here. The object is therefore an
 * inert placeholder: it is never dereferenced by anything we call.
 */
#include "fault.h"
#include "mover.h"

struct vdm;
/* public in libpmem2 but declared only in <libpmem2/async.h>, which needs
 * libminiasync's headers */
int pmem2_config_set_vdm(struct pmem2_config *cfg, struct vdm *vdm);

static union {
	void *pointers[16]; /* larger than miniasync's struct vdm */
	unsigned long long align;
} shared_mover;

int mover_set(struct pmem2_config *cfg)
{
	return PMEM2_GUARDED(
		pmem2_config_set_vdm(cfg, (struct vdm *)&shared_mover));
}
