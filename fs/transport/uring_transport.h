/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uring_transport.h -- which way requests reach the daemon: the kernel's
 * FUSE-over-io_uring queues when it offers them, else reads of /dev/fuse,
 * and why (for .pmemset/status). The choice is made on INIT, inside our
 * own device I/O (kernel_io.c); the same ops table serves both.
 */
#ifndef PMEMSETFS_URING_TRANSPORT_H
#define PMEMSETFS_URING_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

/* -o transport= */
enum transport_mode {
	TRANSPORT_AUTO,	 /* io_uring when offered, else /dev/fuse (default) */
	TRANSPORT_URING, /* io_uring or no mount */
	TRANSPORT_DEV,	 /* /dev/fuse only */
};

/* the -o transport= word; 0 or -EINVAL */
int transport_mode_parse(const char *word, enum transport_mode *mode);

/*
 * Before the mount: remembers the choice for INIT. With transport=uring
 * and the kernel unable or not allowed to offer the ring, prints why and
 * what an administrator can do, and returns -1 (nothing mounted yet).
 */
int uring_transport_configure(struct fuse_session *se,
			      enum transport_mode mode);

/* kernel_io.c: the INIT request as read from /dev/fuse (len: its bytes) */
void uring_transport_init_request(const void *init_in, size_t len);

/*
 * kernel_io.c: sends the INIT reply, asking for the ring when the mode
 * allows and the kernel offered it, and starts the ring's threads. Returns
 * what writev(2) returns.
 */
ssize_t uring_transport_send_init_reply(int fd, struct iovec *iov, int count);

/* kernel_io.c: true when the reply belongs to a ring request (taken) */
bool uring_transport_take_reply(const struct iovec *iov, int count,
				ssize_t *written);

/* after the session loop, before the session is destroyed */
void uring_transport_stop(void);

/* true when transport=uring could not be had after the mount */
bool uring_transport_failed(void);

/* "uring" or "dev", and why, for the status files */
void uring_transport_describe(const char **name, const char **reason);

#endif /* PMEMSETFS_URING_TRANSPORT_H */
