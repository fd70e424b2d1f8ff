/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault_guard.c -- one bad source must not take the whole mount down. A
 * store into a mapping whose backing is gone (the source was truncated by
 * another process) or cannot be allocated (a sparse source on a full file
 * system) raises SIGBUS, which used to kill the daemon and every part with
 * it. Before a write copies into a mapping, every page of the destination
 * is touched under a per-thread guard; a SIGBUS there jumps back and the
 * write fails with EIO or ENOSPC, logged and shown in status.
 *
 * Why touch first instead of guarding the copy itself: libpmemset holds a
 * process-wide lock around its PAGE-granularity copy (core registry.c), and
 * jumping out of that copy would leave the lock taken for good. The touch
 * is an atomic add of 0 (no byte changes, no store of another writer's byte
 * is lost) that makes the kernel fault the page in for writing: it
 * allocates the block or finds the file shorter. Once touched, a page stays
 * backed, so the copy cannot fault, unless the source is truncated again in
 * the microseconds between touch and copy; that SIGBUS (and any SIGBUS
 * outside a guard) still ends the daemon as before.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "set/fault_guard.h"
#include "set/source_lock.h"

/* the guard of this thread's touch in progress, or NULL */
static __thread sigjmp_buf *volatile guard;
static __thread char *volatile fault_address;
static struct sigaction previous_action;

static void on_sigbus(int sig, siginfo_t *info, void *context)
{
	sigjmp_buf *env = guard;
	if (env != NULL) {
		fault_address = info->si_addr;
		guard = NULL;
		siglongjmp(*env, 1);
	}
	/* not ours: whoever handled SIGBUS before, or die of it as before */
	if ((previous_action.sa_flags & SA_SIGINFO) &&
	    previous_action.sa_sigaction != NULL) {
		previous_action.sa_sigaction(sig, info, context);
		return;
	}
	if (previous_action.sa_handler != SIG_DFL &&
	    previous_action.sa_handler != SIG_IGN &&
	    previous_action.sa_handler != NULL) {
		previous_action.sa_handler(sig);
		return;
	}
	signal(SIGBUS, SIG_DFL); /* the faulting store runs again and kills */
}

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	/* NODEFER: leaving by siglongjmp must not keep SIGBUS blocked */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &previous_action) != 0)
		fuse_log(FUSE_LOG_ERR, "pmemsetfs: cannot handle SIGBUS: %s\n",
			 strerror(errno));
}

/*
 * Touches every page of [addr, addr+len) for writing; 0, or -1 with
 * *fault_at the first address that raised SIGBUS.
 */
static int touch_pages(char *addr, size_t len, char **fault_at)
{
	sigjmp_buf env;
	/* savemask 0: no sigprocmask call per write (see SA_NODEFER) */
	if (sigsetjmp(env, 0) != 0) {
		*fault_at = fault_address;
		return -1;
	}
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	/* a mapping is whole pages: the page start belongs to it too */
	char *first = (char *)((uintptr_t)addr & ~(uintptr_t)(page - 1));
	guard = &env;
	for (char *p = first; p < addr + len; p += page)
		__atomic_fetch_add((volatile char *)p, 0, __ATOMIC_RELAXED);
	guard = NULL;
	return 0;
}

/* The part that maps addr, or NULL (ns->lock held). */
static struct part_node *part_at_locked(struct namespace *ns, const char *addr)
{
	for (size_t i = 0; i < ns->nparts; i++) {
		struct part_node *p = ns->parts[i];
		if (addr >= p->addr && addr < p->addr + p->length)
			return p;
	}
	return NULL;
}

/*
 * EIO when the source is now shorter than the faulting offset, ENOSPC when
 * its file system has no free block for a hole, EIO otherwise; message
 * gets the reason in the user's terms.
 */
static int classify_locked(struct namespace *ns, const char *addr,
			   char *message, size_t len)
{
	struct part_node *p = part_at_locked(ns, addr);
	if (p == NULL) {
		snprintf(message, len, "bus error writing at %p", (void *)addr);
		return -EIO;
	}
	size_t offset = p->offset + (size_t)(addr - p->addr);
	int fd = source_lock_fd(p->lock); /* -1 for a temporary part */
	struct stat st;
	struct statvfs sv;
	bool full =
		fd >= 0 ? fstatvfs(fd, &sv) == 0 && sv.f_bavail == 0
			: statvfs(p->source + strlen("temporary:"), &sv) == 0 &&
				  sv.f_bavail == 0;
	if (fd >= 0 && fstat(fd, &st) == 0 && (size_t)st.st_size <= offset) {
		snprintf(message, len,
			 "part %s: its source %s was truncated "
			 "to %lld bytes by another process (the part needs "
			 "%zu)",
			 p->name, p->source, (long long)st.st_size,
			 p->offset + p->length);
		return -EIO;
	}
	if (full) {
		snprintf(message, len,
			 "part %s: no space left on the file system of %s "
			 "for a hole at offset %zu",
			 p->name, p->source, offset);
		return -ENOSPC;
	}
	snprintf(message, len, "part %s: bus error at offset %zu of %s",
		 p->name, offset, p->source);
	return -EIO;
}

int fault_guard_prepare_write(struct namespace *ns, char *addr, size_t len)
{
	static pthread_once_t installed = PTHREAD_ONCE_INIT;
	pthread_once(&installed, install);
	char *fault_at = NULL;
	if (len == 0 || touch_pages(addr, len, &fault_at) == 0)
		return 0;
	struct last_error error = {.set = true, .command = "write"};
	clock_gettime(CLOCK_REALTIME, &error.time);
	char message[sizeof(error.command) + sizeof(error.reason)];
	pthread_mutex_lock(&ns->lock);
	int ret = classify_locked(ns, fault_at, error.reason,
				  sizeof(error.reason));
	ns_set_last_error_locked(ns, &error);
	pthread_mutex_unlock(&ns->lock);
	last_error_format(&error, false, message, sizeof(message));
	fuse_log(FUSE_LOG_ERR, "pmemsetfs: %s\n", message);
	return ret;
}
