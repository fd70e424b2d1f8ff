/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault_guard.c -- one bad source must not take the whole mount down. A
 * store into a mapping whose backing is gone (the source was truncated by
 * another process) or cannot be allocated (a sparse source on a full file
 * system) raises SIGBUS, which used to kill the daemon and every part with
 * it. Two guards, both per thread, share one SIGBUS handler:
 *
 * The touch. Before a write copies into a mapping, every page of the
 * destination is touched (an atomic add of 0: no byte changes, no store of
 * another writer's byte is lost) so that the kernel faults the page in for
 * writing: it allocates the block or finds the file shorter. A SIGBUS there
 * jumps back, and the write fails cleanly with EIO or ENOSPC; nothing was
 * stored and the mapping is as it was. This is what tells a full file
 * system (ENOSPC, the part stays usable) from a truncated source.
 *
 * The copy window. Once touched a page stays backed, unless the source is
 * truncated again before the copy reaches it. The copy itself cannot be
 * left by a jump: at PAGE granularity libpmemset holds a process-wide lock
 * around it (core registry.c) that would stay taken. So while this thread
 * copies into [start, end), a SIGBUS inside that range is answered by
 * mapping an anonymous zero page over the faulting page (mmap is a system
 * call, safe in a handler) and returning: the store runs again, lands in
 * that page, and the copy finishes normally, lock released. The page no
 * longer reaches the source, so the caller fails the write with EIO and
 * marks the part failed until it is unmapped and mapped again (which
 * replaces the whole range, anonymous pages included).
 *
 * Any other SIGBUS (outside both guards, or not a missing page: a hardware
 * memory error, BUS_MCEERR_*) goes to the previous handler or kills the
 * daemon as the default action would.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FUSE_USE_VERSION 314
#include <fuse_log.h>

#include "set/fault_guard.h"

/* the guard of this thread's touch in progress, or NULL */
static __thread sigjmp_buf *volatile guard;
static __thread char *volatile fault_address;
/* this thread's copy in progress: [window_start, window_end), or empty */
static __thread char *volatile window_start;
static __thread char *volatile window_end;
/* the first address of the window that met a vanished page, or NULL */
static __thread char *volatile window_hit;
/* a reply the kernel could not copy from our memory (kernel_io.c) */
static __thread volatile sig_atomic_t reply_faulted;

static struct sigaction previous_action;
static size_t page_size; /* read once: sysconf is not async-signal-safe */

/*
 * Puts a private zero page over the page holding addr. The raw system call:
 * a sanitizer's mmap interceptor is not meant to run inside a handler.
 */
static bool patch_page(char *addr)
{
	char *page = (char *)((uintptr_t)addr & ~(uintptr_t)(page_size - 1));
	long ret = syscall(SYS_mmap, page, page_size, PROT_READ | PROT_WRITE,
			   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
	return ret == (long)(uintptr_t)page;
}

static void on_sigbus(int sig, siginfo_t *info, void *context)
{
	int saved_errno = errno;
	char *addr = info->si_addr;
	sigjmp_buf *env = guard;
	if (env != NULL) {
		fault_address = addr;
		guard = NULL;
		siglongjmp(*env, 1);
	}
	char *start = window_start;
	if (info->si_code == BUS_ADRERR && start != NULL && addr >= start &&
	    addr < window_end && patch_page(addr)) {
		if (window_hit == NULL)
			window_hit = addr;
		errno = saved_errno;
		return; /* the store runs again, into the zero page */
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
	page_size = (size_t)sysconf(_SC_PAGESIZE);
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

static void install_once(void)
{
	static pthread_once_t installed = PTHREAD_ONCE_INIT;
	pthread_once(&installed, install);
}

int fault_guard_touch(char *addr, size_t len, char **fault_at)
{
	install_once();
	sigjmp_buf env;
	/* savemask 0: no sigprocmask call per write (see SA_NODEFER) */
	if (sigsetjmp(env, 0) != 0) {
		*fault_at = fault_address;
		return -1;
	}
	/* a mapping is whole pages: the page start belongs to it too */
	char *first = (char *)((uintptr_t)addr & ~(uintptr_t)(page_size - 1));
	guard = &env;
	for (char *p = first; p < addr + len; p += page_size)
		__atomic_fetch_add((volatile char *)p, 0, __ATOMIC_RELAXED);
	guard = NULL;
	return 0;
}

void fault_guard_window_open(char *addr, size_t len)
{
	install_once();
	window_hit = NULL;
	window_end = addr + len;
	/* the handler sees a window only once both ends are set */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	window_start = addr;
}

char *fault_guard_window_close(void)
{
	window_start = NULL;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	window_end = NULL;
	return window_hit;
}

void fault_guard_note_reply_fault(void)
{
	reply_faulted = 1;
}

bool fault_guard_take_reply_fault(void)
{
	bool faulted = reply_faulted != 0;
	reply_faulted = 0;
	return faulted;
}
