/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uring_ring.c -- FUSE requests served from io_uring: per possible CPU a
 * queue, per queue WORKERS_PER_QUEUE threads, each with its own ring and
 * one entry (a header buffer and a payload buffer the kernel copies
 * requests into and replies out of).
 *
 * Why this shape:
 * - The kernel queues a request on the queue of the CPU the caller runs
 *   on, and uses the ring only once every possible CPU's queue has an
 *   entry: so one queue per possible CPU, all registered up front.
 * - Two workers per queue: a handler may wait on the kernel (a ctl
 *   command's page-cache invalidation waits for a locked page whose READ
 *   is queued on the same CPU); the other worker serves that READ, as the
 *   /dev/fuse loop's other threads do.
 * - libfuse 3.14 has no ring support, but fuse_session_process_buf takes
 *   a request as one buffer (in header, fixed argument, data) and sends
 *   its reply through our custom writev from the same thread: the header
 *   and argument are copied in front of the payload, so a write's data is
 *   not copied again, and the reply is caught by ring_pool_take_reply
 *   through a per-thread "entry being served". No handler of ours replies
 *   from another thread (there is no thread but the loops').
 * - The reply is committed at once, from inside that writev, not when the
 *   handler returns: a handler may go on after replying and wait for what
 *   the reply releases (rm of a part replies, then invalidates the name,
 *   which needs the directory lock the unlink(2) holds until it has its
 *   answer). The commit also fetches the next request into the entry's
 *   payload, so nothing after a reply may read the request's data; none
 *   of our handlers does.
 */
#include <errno.h>
#include <liburing.h>
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "set/fault_guard.h"
#include "transport/uring_abi.h"
#include "transport/uring_ring.h"

#define WORKERS_PER_QUEUE 2
/* the header buffer, then room to rebuild a request in front of the data */
#define HEADER_AREA 4096

struct ring_entry {
	struct ring_worker *worker;
	struct ring_headers *headers;
	unsigned char *payload;
	size_t payload_size;
	struct iovec iov[2]; /* what REGISTER hands over: headers, payload */
	uint64_t unique;     /* the request being served */
	uint64_t commit_id;  /* and the id its commit quotes */
	bool replied;
};

struct ring_worker {
	struct ring_pool *pool;
	unsigned queue;
	pthread_t thread;
	bool has_thread;
	struct io_uring ring;
	bool has_ring;
	void *buffers;
	struct ring_entry entry;
};

enum pool_phase { PHASE_PREPARE, PHASE_REGISTER, PHASE_ABANDON };

struct ring_pool {
	struct fuse_session *se;
	int fuse_fd;
	int stop_fd; /* an eventfd every worker's ring polls */
	size_t payload_size;
	unsigned queues;
	unsigned nworkers;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	enum pool_phase phase;
	unsigned reported; /* workers done with the current phase */
	int error;	   /* the first worker's failure in it */
	char why[128];
	struct ring_worker workers[];
};

static __thread struct ring_entry *serving;

/* the kernel makes a queue per possible CPU, numbered 0..highest */
static int possible_cpus(unsigned *count)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	if (f == NULL)
		return -errno;
	char line[256];
	int ret = -EINVAL;
	if (fgets(line, sizeof(line), f) != NULL) {
		unsigned highest = 0, a, b;
		for (char *p = strtok(line, ",\n"); p; p = strtok(NULL, ",\n"))
			if (sscanf(p, "%u-%u", &a, &b) == 2)
				highest = b > highest ? b : highest;
			else if (sscanf(p, "%u", &a) == 1)
				highest = a > highest ? a : highest;
		*count = highest + 1;
		ret = 0;
	}
	fclose(f);
	return ret;
}

static void report(struct ring_pool *pool, int error, const char *what)
{
	pthread_mutex_lock(&pool->lock);
	if (error != 0 && pool->error == 0) {
		pool->error = error;
		snprintf(pool->why, sizeof(pool->why), "%s: %s", what,
			 strerror(-error));
	}
	pool->reported++;
	pthread_cond_broadcast(&pool->changed);
	pthread_mutex_unlock(&pool->lock);
}

/* true: register; false: the pool is being abandoned */
static bool wait_for_register(struct ring_pool *pool)
{
	pthread_mutex_lock(&pool->lock);
	while (pool->phase == PHASE_PREPARE)
		pthread_cond_wait(&pool->changed, &pool->lock);
	bool go = pool->phase == PHASE_REGISTER;
	pthread_mutex_unlock(&pool->lock);
	return go;
}

static int wait_all_reported(struct ring_pool *pool, char *why, size_t why_len)
{
	pthread_mutex_lock(&pool->lock);
	while (pool->reported < pool->nworkers)
		pthread_cond_wait(&pool->changed, &pool->lock);
	int error = pool->error;
	if (error != 0)
		snprintf(why, why_len, "%s", pool->why);
	pool->reported = 0;
	pool->error = 0;
	pthread_mutex_unlock(&pool->lock);
	return error;
}

static void queue_command(struct ring_worker *w, uint32_t op,
			  uint64_t commit_id)
{
	/* never NULL: the ring has room for the entry's command and a poll */
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, w->pool->fuse_fd,
			 w->entry.iov, 2, 0);
	sqe->cmd_op = op;
	memset(sqe->cmd, 0, 80); /* the 128-byte SQE's command area */
	struct ring_command_args *args = (void *)sqe->cmd;
	args->commit_id = commit_id;
	args->queue = (uint16_t)w->queue;
	io_uring_sqe_set_data(sqe, &w->entry);
}

/* running next to the callers of its CPU keeps the request's data hot */
static void pin_to_queue_cpu(unsigned queue)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(queue, &set);
	/* an offline CPU's queue still needs a worker: it may run anywhere */
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static int worker_setup(struct ring_worker *w)
{
	struct ring_entry *e = &w->entry;
	size_t size = HEADER_AREA + w->pool->payload_size;
	int ret = posix_memalign(&w->buffers, 4096, size);
	if (ret != 0)
		return -ret;
	memset(w->buffers, 0, HEADER_AREA);
	e->worker = w;
	e->headers = w->buffers;
	e->payload = (unsigned char *)w->buffers + HEADER_AREA;
	e->payload_size = w->pool->payload_size;
	e->iov[0] = (struct iovec){e->headers, sizeof(*e->headers)};
	e->iov[1] = (struct iovec){e->payload, e->payload_size};
	/*
	 * Created by the thread that uses it: a single issuer may defer the
	 * kernel's completion work to when this thread waits, sparing the
	 * interrupt of whatever the thread was doing.
	 */
	struct io_uring_params params = {
		.flags = IORING_SETUP_SQE128 | IORING_SETUP_SINGLE_ISSUER |
			 IORING_SETUP_DEFER_TASKRUN,
	};
	ret = io_uring_queue_init_params(4, &w->ring, &params);
	if (ret < 0)
		return ret;
	w->has_ring = true;
	pin_to_queue_cpu(w->queue);
	/* top -H and the tests tell the ring's threads by this name */
	pthread_setname_np(pthread_self(), "pmemsetfs-ring");
	return 0;
}

static int worker_register(struct ring_worker *w)
{
	queue_command(w, RING_CMD_REGISTER, 0);
	struct io_uring_sqe *sqe = io_uring_get_sqe(&w->ring);
	io_uring_prep_poll_add(sqe, w->pool->stop_fd, POLLIN);
	io_uring_sqe_set_data(sqe, NULL);
	int ret = io_uring_submit(&w->ring);
	if (ret < 0)
		return ret;
	/* a refused REGISTER completes at once; an accepted one waits */
	struct io_uring_cqe *cqe;
	if (io_uring_peek_cqe(&w->ring, &cqe) == 0 && cqe->res < 0)
		return cqe->res;
	return 0;
}

static void reply_error(struct ring_entry *e, uint64_t unique, int error)
{
	struct fuse_out_header out = {
		.len = sizeof(out), .error = error, .unique = unique};
	memcpy(e->headers->in_out, &out, sizeof(out));
	e->headers->trailer.payload_size = 0;
}

static void serve(struct ring_worker *w, struct ring_entry *e)
{
	struct ring_headers *h = e->headers;
	struct fuse_in_header in;
	memcpy(&in, h->in_out, sizeof(in));
	uint64_t commit_id = h->trailer.commit_id;
	size_t data = h->trailer.payload_size;
	/* the kernel's len counts all arguments: the rest is the fixed one */
	if (data > e->payload_size || in.len < sizeof(in) + data ||
	    in.len - sizeof(in) - data > sizeof(h->op_in)) {
		fuse_log(FUSE_LOG_ERR,
			 "pmemsetfs: ring request %llu (opcode %u) has "
			 "length %u and %zu bytes of data: refused\n",
			 (unsigned long long)in.unique, in.opcode, in.len,
			 data);
		reply_error(e, in.unique, -EIO);
	} else {
		size_t fixed = in.len - sizeof(in) - data;
		unsigned char *start = e->payload - fixed - sizeof(in);
		memcpy(start, &in, sizeof(in));
		memcpy(start + sizeof(in), h->op_in, fixed);
		e->unique = in.unique;
		e->commit_id = commit_id;
		e->replied = false;
		serving = e;
		struct fuse_buf buf = {.size = in.len, .mem = start};
		fuse_session_process_buf(w->pool->se, &buf);
		serving = NULL;
		if (e->replied) /* and committed */
			return;
		/* the kernel waits for an answer to every ring request */
		reply_error(e, in.unique, -EIO);
	}
	queue_command(w, RING_CMD_COMMIT_AND_FETCH, commit_id);
}

static bool is_shutdown(int res)
{
	return res == -ENOTCONN || res == -ECONNABORTED || res == -ECANCELED;
}

static void worker_loop(struct ring_worker *w)
{
	for (;;) {
		int ret = io_uring_submit_and_wait(&w->ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fuse_log(FUSE_LOG_ERR,
				 "pmemsetfs: ring of queue %u: %s\n", w->queue,
				 strerror(-ret));
			return;
		}
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		bool done = false;
		io_uring_for_each_cqe(&w->ring, head, cqe)
		{
			seen++;
			struct ring_entry *e = io_uring_cqe_get_data(cqe);
			if (e == NULL) { /* the stop poll fired */
				done = true;
			} else if (cqe->res < 0) {
				if (!is_shutdown(cqe->res))
					fuse_log(FUSE_LOG_ERR,
						 "pmemsetfs: ring of queue %u "
						 "stops: %s\n",
						 w->queue, strerror(-cqe->res));
				done = true;
			} else {
				serve(w, e);
			}
		}
		io_uring_cq_advance(&w->ring, seen);
		if (done)
			return;
	}
}

static void *worker_main(void *arg)
{
	struct ring_worker *w = arg;
	struct ring_pool *pool = w->pool;
	int ret = worker_setup(w);
	report(pool, ret, "ring setup");
	if (ret != 0 || !wait_for_register(pool))
		return NULL;
	ret = worker_register(w);
	report(pool, ret, "ring registration");
	if (ret == 0)
		worker_loop(w);
	return NULL;
}

static void pool_free(struct ring_pool *pool)
{
	for (unsigned i = 0; i < pool->nworkers; i++) {
		struct ring_worker *w = &pool->workers[i];
		if (w->has_thread)
			pthread_join(w->thread, NULL);
		/* closing the ring cancels its commands in the kernel */
		if (w->has_ring)
			io_uring_queue_exit(&w->ring);
		free(w->buffers);
	}
	close(pool->stop_fd);
	pthread_cond_destroy(&pool->changed);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}

static void pool_release_workers(struct ring_pool *pool, enum pool_phase to)
{
	pthread_mutex_lock(&pool->lock);
	pool->phase = to;
	pthread_cond_broadcast(&pool->changed);
	pthread_mutex_unlock(&pool->lock);
}

struct ring_pool *ring_pool_prepare(struct fuse_session *se, int fuse_fd,
				    size_t payload_size, char *why,
				    size_t why_len)
{
	unsigned queues;
	int ret = possible_cpus(&queues);
	if (ret != 0) {
		snprintf(why, why_len, "cannot count the possible CPUs: %s",
			 strerror(-ret));
		return NULL;
	}
	unsigned nworkers = queues * WORKERS_PER_QUEUE;
	struct ring_pool *pool =
		calloc(1, sizeof(*pool) + nworkers * sizeof(pool->workers[0]));
	if (pool == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	pool->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (pool->stop_fd < 0) {
		snprintf(why, why_len, "eventfd: %s", strerror(errno));
		free(pool);
		return NULL;
	}
	pool->se = se;
	pool->fuse_fd = fuse_fd;
	pool->payload_size = payload_size;
	pool->queues = queues;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->changed, NULL);
	for (unsigned i = 0; i < nworkers; i++) {
		struct ring_worker *w = &pool->workers[i];
		w->pool = pool;
		w->queue = i / WORKERS_PER_QUEUE;
		ret = pthread_create(&w->thread, NULL, worker_main, w);
		if (ret != 0) {
			snprintf(why, why_len, "cannot start a ring thread: %s",
				 strerror(ret));
			break;
		}
		w->has_thread = true;
		pool->nworkers++;
	}
	int failed = ret != 0 ? -ret : 0;
	if (pool->nworkers > 0 && wait_all_reported(pool, why, why_len) != 0)
		failed = -EIO;
	if (failed != 0) {
		pool_release_workers(pool, PHASE_ABANDON);
		pool_free(pool);
		return NULL;
	}
	return pool;
}

int ring_pool_register(struct ring_pool *pool, char *why, size_t why_len)
{
	pool_release_workers(pool, PHASE_REGISTER);
	return wait_all_reported(pool, why, why_len);
}

unsigned ring_pool_queues(const struct ring_pool *pool)
{
	return pool->queues;
}

unsigned ring_pool_workers_per_queue(const struct ring_pool *pool)
{
	(void)pool;
	return WORKERS_PER_QUEUE;
}

bool ring_pool_take_reply(const struct iovec *iov, int count, ssize_t *written)
{
	struct ring_entry *e = serving;
	if (e == NULL || count < 1 ||
	    iov[0].iov_len != sizeof(struct fuse_out_header))
		return false;
	struct fuse_out_header out;
	memcpy(&out, iov[0].iov_base, sizeof(out));
	if (out.unique != e->unique) /* a notification, say */
		return false;
	size_t total = 0;
	for (int i = 1; i < count; i++)
		total += iov[i].iov_len;
	*written = (ssize_t)(sizeof(out) + total);
	if (total > e->payload_size) {
		out.error = -EIO;
		total = 0;
	}
	size_t at = 0;
	bool vanished = false;
	for (int i = 1; i < count && total != 0; i++) {
		/*
		 * A read's reply is copied straight out of a part's mapping:
		 * a source truncated meanwhile must fail this reply with EIO
		 * and its part, not kill the daemon with SIGBUS.
		 */
		fault_guard_window_open(iov[i].iov_base, iov[i].iov_len);
		/* memmove: a reply may quote the request's own buffer */
		memmove(e->payload + at, iov[i].iov_base, iov[i].iov_len);
		vanished |= fault_guard_window_close() != NULL;
		at += iov[i].iov_len;
	}
	if (vanished) {
		fault_guard_note_reply_fault(); /* the part fails (data path) */
		out.error = -EIO;
		total = 0;
	}
	out.len = (uint32_t)(sizeof(out) + total);
	memcpy(e->headers->in_out, &out, sizeof(out));
	e->headers->trailer.payload_size = (uint32_t)total;
	e->replied = true;
	serving = NULL; /* a second reply to one request goes nowhere */
	queue_command(e->worker, RING_CMD_COMMIT_AND_FETCH, e->commit_id);
	int ret = io_uring_submit(&e->worker->ring);
	if (ret < 0) {
		fuse_log(FUSE_LOG_ERR,
			 "pmemsetfs: ring of queue %u: cannot commit a reply: "
			 "%s\n",
			 e->worker->queue, strerror(-ret));
		errno = -ret;
		*written = -1;
	}
	return true;
}

void ring_pool_stop(struct ring_pool *pool)
{
	if (pool == NULL)
		return;
	uint64_t one = 1;
	if (write(pool->stop_fd, &one, sizeof(one)) < 0)
		fuse_log(FUSE_LOG_ERR, "pmemsetfs: cannot stop the rings: %s\n",
			 strerror(errno));
	pool_free(pool);
}
