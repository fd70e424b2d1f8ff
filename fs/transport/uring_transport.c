/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uring_transport.c -- the transport decision. The kernel offers
 * FUSE-over-io_uring in the INIT request only when an administrator has
 * set /sys/module/fuse/parameters/enable_uring (the daemon never changes
 * it); we accept by setting the same flag in the INIT reply, after the
 * ring threads exist, because from that reply on every request waits
 * until each CPU's queue is registered. Interrupts, forgets and
 * notifications stay on /dev/fuse, so its loop keeps running either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "transport/uring_abi.h"
#include "transport/uring_ring.h"
#include "transport/uring_transport.h"

#define ENABLE_URING_PARAM "/sys/module/fuse/parameters/enable_uring"
#define REASON_MAX 160

static struct {
	enum transport_mode mode;
	struct fuse_session *se;
	bool offered; /* the INIT request carried the flag */
	atomic_bool in_use;
	atomic_bool failed;
	struct ring_pool *pool;
	/* published whole: a status reader never sees one half-written */
	char reasons[2][REASON_MAX];
	_Atomic(const char *) reason;
} transport = {.reason = "not negotiated yet"};

int transport_mode_parse(const char *word, enum transport_mode *mode)
{
	static const char *const words[] = {
		[TRANSPORT_AUTO] = "auto",
		[TRANSPORT_URING] = "uring",
		[TRANSPORT_DEV] = "dev",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i]) == 0) {
			*mode = (enum transport_mode)i;
			return 0;
		}
	return -EINVAL;
}

static void set_reason(const char *fmt, const char *detail)
{
	static unsigned next;
	char *buf = transport.reasons[next++ % 2];
	snprintf(buf, REASON_MAX, fmt, detail);
	atomic_store(&transport.reason, buf);
}

/* 'Y', 'N', or 0 when this kernel has no such parameter */
static char enable_uring_value(void)
{
	char value = 0;
	int fd = open(ENABLE_URING_PARAM, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read(fd, &value, 1) != 1)
		value = 0;
	close(fd);
	return value == '1' ? 'Y' : value;
}

int uring_transport_configure(struct fuse_session *se, enum transport_mode mode)
{
	transport.se = se;
	transport.mode = mode;
	if (mode == TRANSPORT_DEV)
		set_reason("%s-o transport=dev", "");
	if (mode != TRANSPORT_URING)
		return 0;
	char value = enable_uring_value();
	if (value == 'Y')
		return 0;
	if (value == 0)
		fprintf(stderr,
			"pmemsetfs: -o transport=uring: this kernel "
			"has no FUSE over io_uring (no " ENABLE_URING_PARAM
			")\n");
	else
		fprintf(stderr,
			"pmemsetfs: -o transport=uring: FUSE over io_uring "
			"is off (" ENABLE_URING_PARAM " is %c); an "
			"administrator turns it on with "
			"`echo 1 > " ENABLE_URING_PARAM "`, or use "
			"-o transport=auto\n",
			value);
	return -1;
}

void uring_transport_init_request(const void *init_in, size_t len)
{
	const struct fuse_init_in *in = init_in;
	if (len < offsetof(struct fuse_init_in, flags2) + sizeof(in->flags2))
		return;
	uint64_t flags = in->flags;
	if (flags & FUSE_INIT_EXT)
		flags |= (uint64_t)in->flags2 << 32;
	transport.offered = (flags & RING_INIT_FLAG) != 0;
}

/* the reason the kernel did not offer the ring, as the status shows it */
static void explain_not_offered(void)
{
	char value = enable_uring_value();
	if (value == 0)
		set_reason("%sthis kernel has no FUSE over io_uring", "");
	else if (value == 'N')
		set_reason("%senable_uring is off", "");
	else
		set_reason("%senable_uring was off at mount", "");
}

/*
 * transport=uring and no ring: the daemon unmounts and exits non-zero
 * (the start-up check caught the usual causes before the mount).
 */
static void give_up(void)
{
	fuse_log(FUSE_LOG_ERR,
		 "pmemsetfs: -o transport=uring: no io_uring (%s): "
		 "unmounting\n",
		 atomic_load(&transport.reason));
	atomic_store(&transport.failed, true);
	fuse_session_exit(transport.se);
	kill(getpid(), SIGTERM); /* wakes the session loop */
}

/* the largest request payload the kernel may put in an entry */
static size_t payload_size(const struct fuse_init_out *out)
{
	size_t size = 8192; /* the kernel's FUSE_MIN_READ_BUFFER */
	if (out->max_write > size)
		size = out->max_write;
	if ((out->flags & FUSE_MAX_PAGES) &&
	    (size_t)out->max_pages * 4096 > size)
		size = (size_t)out->max_pages * 4096;
	return size;
}

static ssize_t offer_ring(int fd, struct iovec *iov, int count)
{
	struct fuse_init_out *out = iov[1].iov_base;
	char why[REASON_MAX - 40];
	transport.pool = ring_pool_prepare(transport.se, fd, payload_size(out),
					   why, sizeof(why));
	if (transport.pool == NULL) {
		set_reason("ring setup failed: %s", why);
		return writev(fd, iov, count);
	}
	out->flags |= FUSE_INIT_EXT;
	out->flags2 |= (uint32_t)(RING_INIT_FLAG >> 32);
	ssize_t n = writev(fd, iov, count);
	if (n < 0) {
		int saved = errno;
		ring_pool_stop(transport.pool);
		transport.pool = NULL;
		errno = saved;
		return n;
	}
	/*
	 * A refused registration makes the kernel keep /dev/fuse; the pool
	 * stays, as its other queues may still be given requests.
	 */
	if (ring_pool_register(transport.pool, why, sizeof(why)) != 0) {
		set_reason("%s", why);
		return n;
	}
	atomic_store(&transport.in_use, true);
	snprintf(why, sizeof(why), "%u queues of %u threads",
		 ring_pool_queues(transport.pool),
		 ring_pool_workers_per_queue(transport.pool));
	set_reason("kernel offered it, %s", why);
	return n;
}

static ssize_t choose_and_reply(int fd, struct iovec *iov, int count)
{
	if (transport.mode == TRANSPORT_DEV)
		return writev(fd, iov, count);
	if (!transport.offered) {
		explain_not_offered();
	} else if (count != 2 ||
		   iov[1].iov_len < offsetof(struct fuse_init_out, flags2) +
					    sizeof(uint32_t)) {
		set_reason("%slibfuse's INIT reply has no flags2", "");
	} else {
		ssize_t n = offer_ring(fd, iov, count);
		if (n >= 0 && !atomic_load(&transport.in_use) &&
		    transport.mode == TRANSPORT_URING)
			give_up();
		return n;
	}
	ssize_t n = writev(fd, iov, count);
	if (n >= 0 && transport.mode == TRANSPORT_URING)
		give_up();
	return n;
}

ssize_t uring_transport_send_init_reply(int fd, struct iovec *iov, int count)
{
	const struct fuse_out_header *head = iov[0].iov_base;
	if (head->error != 0)
		return writev(fd, iov, count);
	ssize_t n = choose_and_reply(fd, iov, count);
	if (n >= 0) { /* the log says why, as the status files do */
		const char *name, *why;
		uring_transport_describe(&name, &why);
		fuse_log(FUSE_LOG_INFO, "pmemsetfs: transport: %s (%s)\n", name,
			 why);
	}
	return n;
}

bool uring_transport_take_reply(const struct iovec *iov, int count,
				ssize_t *written)
{
	return ring_pool_take_reply(iov, count, written);
}

void uring_transport_stop(void)
{
	ring_pool_stop(transport.pool);
	transport.pool = NULL;
}

bool uring_transport_failed(void)
{
	return atomic_load(&transport.failed);
}

void uring_transport_describe(const char **name, const char **reason)
{
	*name = atomic_load(&transport.in_use) ? "uring" : "dev";
	*reason = atomic_load(&transport.reason);
}
