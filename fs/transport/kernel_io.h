/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kernel_io.h -- our own read/writev on /dev/fuse for the session, so the
 * INIT reply can ask for a capability libfuse 3.14 has no name for.
 */
#ifndef PMEMSETFS_KERNEL_IO_H
#define PMEMSETFS_KERNEL_IO_H

#include <stdbool.h>

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>
#include <stdbool.h>

/*
 * After fuse_session_mount: route the session's device I/O through us,
 * answer INIT with FUSE_HANDLE_KILLPRIV_V2 when asked to (killpriv_v2) and
 * the kernel offers it, and answer with EIO a reply the kernel could not
 * copy. Returns 0 or -errno (the session then keeps libfuse's own I/O).
 */
int kernel_io_install(struct fuse_session *se, bool killpriv_v2);

#endif /* PMEMSETFS_KERNEL_IO_H */
