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

/*
 * After fuse_session_mount: route the session's device I/O through us,
 * answer INIT with FUSE_HANDLE_KILLPRIV_V2 when the kernel offers it and
 * killpriv is set (the page cache's writes), and let uring_transport.c
 * choose the transport. Returns 0 or -errno (the session then keeps
 * libfuse's own I/O, on /dev/fuse).
 */
int kernel_io_install(struct fuse_session *se, bool killpriv);

#endif /* PMEMSETFS_KERNEL_IO_H */
