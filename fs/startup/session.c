/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session.c -- the mounted daemon's life around the FUSE session loop:
 * which signals may stop it, the mount itself (with our own device I/O
 * and the backing device's knobs), the loop (single- or multi-threaded),
 * and the start-up line in the log.
 *
 * Signals: which signals may stop the daemon. libfuse unmounts on
 *   SIGHUP, SIGINT and SIGTERM and ignores SIGPIPE; every other signal whose
 *   default action is to terminate would kill the daemon and leave a dead
 *   mount ("Transport endpoint is not connected") behind, without persisting
 *   anything. Those are ignored: a stray `kill -USR1` or a timer signal meant
 *   for someone else must not take the file system down. SIGQUIT keeps its
 *   core dump (a deliberate request for one) and SIGKILL cannot be caught.
 *
 * Backing device: tuning the mount's backing device, where the kernel keeps the
 *   knobs FUSE cannot set (as root; otherwise the defaults stay):
 *
 *   - read_ahead_kb: with cache=page, cold sequential reads reach us as
 *     read-ahead requests of the window's size. FUSE's max_readahead can
 *     only shrink the kernel default of 128 KiB; a 1 MiB window took a
 *     256 MiB part from 2048 requests at 1.4-2.0 GB/s to 256 at 2.6-2.7.
 *   - max_ratio: the kernel gives a FUSE mount at most 1% of the dirty-page
 *     limit (strictlimit), ~47 MiB here; with the writeback cache a writer
 *     whose working set is larger is held to the rate at which single pages
 *     are written back (4 KiB random writes over 256 MiB: 124-143k IOPS,
 *     with 20%: 444k). See fs/README.md, "Performance notes".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/mountinfo.h"
#include "transport/kernel_io.h"
#include "startup/session.h"

static const int stray_signals[] = {
	SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO,
	SIGPWR,	 SIGXFSZ, SIGXCPU, SIGSTKFLT, SIGPIPE,
};

static void ignore_stray_signals(void)
{
	for (size_t i = 0; i < sizeof(stray_signals) / sizeof(*stray_signals);
	     i++)
		signal(stray_signals[i], SIG_IGN);
	/* glibc keeps the ones below SIGRTMIN for itself */
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		signal(sig, SIG_IGN);
}

int session_handle_signals(struct fuse_session *se)
{
	/*
	 * A shell starts `pmemsetfs -f ... &` with SIGINT ignored, and libfuse
	 * only hooks signals left at their default: SIGINT must still unmount.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	ignore_stray_signals();
	return fuse_set_signal_handlers(se);
}

/* Sets knob of device dev; quietly keeps the default when it cannot. */
static void bdi_set(dev_t dev, const char *knob, unsigned value)
{
	char path[96], text[16];
	snprintf(path, sizeof(path), "/sys/class/bdi/%u:%u/%s", major(dev),
		 minor(dev), knob);
	int len = snprintf(text, sizeof(text), "%u\n", value);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* not root, or no sysfs: the default stays */
	if (write(fd, text, (size_t)len) != len) {
		/* the kernel refused the value: the default stays */
	}
	close(fd);
}

static void tune_device(const struct namespace *ns)
{
	if (ns->has_mount_dev && !ns->direct_io)
		bdi_set(ns->mount_dev, "read_ahead_kb", 1024);
	if (ns->has_mount_dev && ns->writeback)
		bdi_set(ns->mount_dev, "max_ratio", 20);
}

int session_mount(struct fuse_session *se, struct namespace *ns,
		  const char *mountpoint)
{
	ns->mountpoint = realpath(mountpoint, NULL);
	/* opened now: once mounted, no path may be read (mountinfo.h) */
	int mountinfo_fd = mountinfo_open();
	if (fuse_session_mount(se, mountpoint) != 0) {
		if (mountinfo_fd >= 0)
			close(mountinfo_fd);
		return -1;
	}
	/*
	 * page cache: spare every buffered write a getxattr; any mode: answer
	 * a read from a truncated source (kernel_io.c)
	 */
	if (kernel_io_install(se, !ns->direct_io) != 0)
		fuse_log(FUSE_LOG_WARNING, "pmemsetfs: own device I/O "
					   "unavailable: writes ask for "
					   "security xattrs, reads of a "
					   "truncated source may hang\n");
	/* ctl refuses sources on this very mount (see ctl/commands.c) */
	if (ns->mountpoint != NULL && mountinfo_fd >= 0)
		ns->has_mount_dev = mountinfo_find_in(
			mountinfo_fd, ns->mountpoint, &ns->mount_dev);
	if (mountinfo_fd >= 0)
		close(mountinfo_fd);
	tune_device(ns);
	return 0;
}

int session_loop(struct fuse_session *se,
		 const struct fuse_cmdline_opts *cmdline)
{
	if (cmdline->singlethread)
		return fuse_session_loop(se);
	struct fuse_loop_config *config = fuse_loop_cfg_create();
	if (config == NULL)
		return -ENOMEM;
	fuse_loop_cfg_set_clone_fd(config, cmdline->clone_fd);
	if (cmdline->max_idle_threads != UINT_MAX) /* UINT_MAX: not given */
		fuse_loop_cfg_set_idle_threads(config,
					       cmdline->max_idle_threads);
	fuse_loop_cfg_set_max_threads(config, cmdline->max_threads);
	int ret = fuse_session_loop_mt(se, config);
	fuse_loop_cfg_destroy(config);
	return ret;
}

/* dst = path resolved, or as given if that fails */
static void resolve(const char *path, char *dst)
{
	if (realpath(path, dst) == NULL)
		snprintf(dst, PATH_MAX, "%s", path);
}

void startup_paths_resolve(struct startup_paths *paths, const char *setfile,
			   const char *mountpoint)
{
	resolve(setfile, paths->setfile);
	resolve(mountpoint, paths->mountpoint);
}

void startup_report(struct namespace *ns, const struct startup_paths *paths)
{
	const struct set_settings *s = &ns->settings;
	enum pmem2_granularity store;
	char reservation[32] = "none";
	pthread_mutex_lock(&ns->lock);
	bool known = pmemset_get_store_granularity(ns->set, &store) == 0;
	if (s->reservation != 0)
		snprintf(reservation, sizeof(reservation), "%zu",
			 s->reservation);
	fuse_log(FUSE_LOG_INFO,
		 "pmemsetfs: mounted %s on %s: %zu part%s, %zu map%s; "
		 "persist=%s cache=%s coalescing=%s granularity=%s "
		 "(store: %s) reservation=%s\n",
		 paths->setfile, paths->mountpoint, ns->nparts,
		 ns->nparts == 1 ? "" : "s", ns->nmaps,
		 ns->nmaps == 1 ? "" : "s", setfile_persist_name(s->persist),
		 ns->direct_io ? "direct" : "page",
		 setfile_coalescing_name(s->coalescing),
		 setfile_granularity_name(s->granularity),
		 known ? setfile_granularity_name(store) : "none mapped",
		 reservation);
	pthread_mutex_unlock(&ns->lock);
}
