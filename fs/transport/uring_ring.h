/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uring_ring.h -- the threads that serve FUSE requests from io_uring
 * queues, one queue per possible CPU, feeding each request into libfuse's
 * own dispatch (fuse_session_process_buf) so one ops table serves both
 * transports. Used by uring_transport.c only.
 */
#ifndef PMEMSETFS_URING_RING_H
#define PMEMSETFS_URING_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

struct ring_pool;

/*
 * Starts the worker threads with their rings and buffers (payload_size
 * bytes each), all waiting for ring_pool_register. Called before the INIT
 * reply offers the ring: once it has, requests wait for registration, so
 * everything that can fail must have failed by then. Returns the pool or
 * NULL with why filled in (nothing left behind).
 */
struct ring_pool *ring_pool_prepare(struct fuse_session *se, int fuse_fd,
				    size_t payload_size, char *why,
				    size_t why_len);

/*
 * After the INIT reply took: every worker registers its entries. Returns 0
 * or -errno with why filled in (the kernel then keeps /dev/fuse).
 */
int ring_pool_register(struct ring_pool *pool, char *why, size_t why_len);

/* queues and worker threads per queue, for the status files */
unsigned ring_pool_queues(const struct ring_pool *pool);
unsigned ring_pool_workers_per_queue(const struct ring_pool *pool);

/*
 * The session's writev: a reply to the request this thread is serving
 * from a ring is stored in the ring entry (true, *written set) instead of
 * going to /dev/fuse.
 */
bool ring_pool_take_reply(const struct iovec *iov, int count, ssize_t *written);

/* stops and joins every worker, frees the pool; NULL is fine */
void ring_pool_stop(struct ring_pool *pool);

#endif /* PMEMSETFS_URING_RING_H */
