/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * kernel_io.c -- why we read and write /dev/fuse ourselves: without
 * FUSE_HANDLE_KILLPRIV_V2 the kernel cannot mark our inodes "no security
 * xattrs" (S_NOSEC), so every buffered write(2) of a page-cache file first
 * asks us for security.capability: one extra round trip per write (4 KiB
 * random writes on the writeback cache: 41-55k IOPS with it, 184k
 * without; see fs/README.md, "Performance notes").
 * libfuse 3.14 cannot request that flag, so the INIT reply is amended on
 * its way to the kernel. Everything else passes through untouched.
 *
 * What the flag promises: the file system clears set-user-ID/group-ID bits
 * on write, truncate and chown itself. pmemsetfs never changes a part's
 * mode (it comes from the source and chmod is refused), and the mount is
 * nosuid, so there is nothing to clear.
 *
 * The other thing our writev does: a read is answered with a pointer into
 * a part's mapping, and the kernel copies from there. If the part's source
 * was truncated by another process, that copy fails and writev returns
 * EFAULT; libfuse would only log it and free the request. The reader must
 * get an answer, so the same request is answered again with EIO (if the
 * kernel has already ended it, that answer is refused with ENOENT and
 * nothing is lost), and the data path learns of it to fail the part
 * (set/part_failure.c).
 *
 * The same two calls carry the transport choice (uring_transport.c): the
 * INIT exchange, and replies to requests that came from an io_uring queue.
 */
#include <errno.h>
#include <linux/fuse.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "set/fault_guard.h"
#include "transport/kernel_io.h"
#include "transport/uring_transport.h"

/* the INIT request's unique id, until its reply is sent */
static atomic_uint_fast64_t init_unique;
/* the kernel offered FUSE_HANDLE_KILLPRIV_V2 and we take it */
static atomic_bool add_killpriv;
static bool want_killpriv;

static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	(void)userdata;
	ssize_t n = read(fd, buf, len);
	const struct fuse_in_header *in = buf;
	if (n >= (ssize_t)(sizeof(*in) + offsetof(struct fuse_init_in, flags) +
			   sizeof(uint32_t)) &&
	    in->opcode == FUSE_INIT) {
		const struct fuse_init_in *arg = (const void *)(in + 1);
		atomic_store(&add_killpriv,
			     want_killpriv &&
				     (arg->flags & FUSE_HANDLE_KILLPRIV_V2));
		atomic_store(&init_unique, in->unique);
		uring_transport_init_request(arg, (size_t)n - sizeof(*in));
	}
	return n;
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	(void)userdata;
	ssize_t written;
	if (uring_transport_take_reply(iov, count, &written))
		return written;
	uint64_t unique = atomic_load(&init_unique);
	if (unique != 0 && count >= 2 &&
	    iov[0].iov_len == sizeof(struct fuse_out_header) &&
	    iov[1].iov_len >=
		    offsetof(struct fuse_init_out, flags) + sizeof(uint32_t)) {
		struct fuse_out_header *out = iov[0].iov_base;
		if (out->unique == unique) {
			struct fuse_init_out *arg = iov[1].iov_base;
			if (out->error == 0 && atomic_load(&add_killpriv))
				arg->flags |= FUSE_HANDLE_KILLPRIV_V2;
			atomic_store(&init_unique, 0);
			return uring_transport_send_init_reply(fd, iov, count);
		}
	}
	ssize_t n = writev(fd, iov, count);
	if (n < 0 && errno == EFAULT && count >= 1 &&
	    iov[0].iov_len == sizeof(struct fuse_out_header)) {
		const struct fuse_out_header *failed = iov[0].iov_base;
		struct fuse_out_header out = {
			.len = sizeof(out),
			.error = -EIO,
			.unique = failed->unique,
		};
		if (failed->error == 0 && failed->unique != 0) {
			fault_guard_note_reply_fault();
			if (write(fd, &out, sizeof(out)) < 0 && errno != ENOENT)
				return -1;
			/* answered: libfuse has nothing left to report */
			return (ssize_t)failed->len;
		}
		errno = EFAULT;
	}
	return n;
}

int kernel_io_install(struct fuse_session *se, bool killpriv)
{
	static const struct fuse_custom_io io = {
		.read = io_read,
		.writev = io_writev,
	};
	int fd = fuse_session_fd(se);
	if (fd < 0)
		return -EBADF;
	want_killpriv = killpriv;
	return fuse_session_custom_io(se, &io, fd);
}
