/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c -- pmemsetfs: parse the command line and the set file, build and
 * map the whole set, and only then mount and go to the background; on
 * unmount or SIGTERM/SIGINT persist everything and delete the set.
 * A start-up failure prints one line, undoes every change to the source
 * files and exits non-zero with nothing mounted.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "bdi.h"
#include "ctl_client.h"
#include "kernel_io.h"
#include "log.h"
#include "mountinfo.h"
#include "mountpoint_check.h"
#include "ops.h"
#include "options.h"
#include "read_only.h"
#include "set_build.h"
#include "signals.h"
#include "uring_transport.h"

static struct namespace ns;

static int run_session(struct fuse_session *se, const struct options *o)
{
	if (o->cmdline.singlethread)
		return fuse_session_loop(se);
	struct fuse_loop_config *config = fuse_loop_cfg_create();
	if (config == NULL)
		return -ENOMEM;
	fuse_loop_cfg_set_clone_fd(config, o->cmdline.clone_fd);
	if (o->cmdline.max_idle_threads != UINT_MAX) /* UINT_MAX: not given */
		fuse_loop_cfg_set_idle_threads(config,
					       o->cmdline.max_idle_threads);
	fuse_loop_cfg_set_max_threads(config, o->cmdline.max_threads);
	int ret = fuse_session_loop_mt(se, config);
	fuse_loop_cfg_destroy(config);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o;
	struct set_spec spec = {0};
	struct build_undo undo = {0};
	struct fuse_session *se = NULL;
	char err[SETFILE_ERR_MAX * 2];
	int status = 1;
	bool mounted = false;

	if (argc >= 2 && strcmp(argv[1], "ctl") == 0)
		return ctl_client_main(argc - 2, argv + 2);
	int parsed = options_parse(argc, argv, &o);
	if (parsed != 0) {
		options_clear(&o);
		return parsed > 0 ? 0 : 1;
	}
	if (setfile_load(o.setfile, &spec, err, sizeof(err)) != 0) {
		fprintf(stderr, "pmemsetfs: %s:%s\n", o.setfile, err);
		goto err_clear_options;
	}
	setfile_apply_overrides(&spec.settings, &o.override);
	if (mountpoint_check(o.cmdline.mountpoint, o.setfile, &spec) != 0)
		goto err_clear_spec;

	if (o.read_only && read_only_check_spec(&spec, err, sizeof(err))) {
		fprintf(stderr, "pmemsetfs: %s:%s\n", o.setfile, err);
		goto err_clear_spec;
	}

	ns_init(&ns, &spec.settings);
	ns.direct_io = o.direct_io;
	ns.read_only = o.read_only;
	ns.source_locks.shared = o.read_only;
	ns.ownership = o.ownership;
	if (o.cmdline.singlethread && !ns.direct_io) {
		/* invalidating a page can wait for a read only we would serve
		 */
		fprintf(stderr, "pmemsetfs: -s: using cache=direct\n");
		ns.direct_io = true;
	}
	/* fs_init turns it off again if the kernel cannot do it */
	ns.writeback = !ns.direct_io && ns.settings.persist == PERSIST_ON_FSYNC;
	se = fuse_session_new(&o.args, &pmemsetfs_ops, sizeof(pmemsetfs_ops),
			      &ns);
	if (se == NULL)
		goto err_destroy_ns;
	ns.session = se;
	if (uring_transport_configure(se, o.transport) != 0)
		goto err_destroy_session;
	if (set_build(&ns, &spec, &undo, err, sizeof(err)) != 0) {
		fprintf(stderr, "pmemsetfs: %s:%s\n", o.setfile, err);
		goto err_destroy_session;
	}
	if (log_open(o.log, o.cmdline.foreground, o.setfile,
		     o.cmdline.mountpoint) != 0)
		goto err_destroy_session;
	/*
	 * A shell starts `pmemsetfs -f ... &` with SIGINT ignored, and libfuse
	 * only hooks signals left at their default: SIGINT must still unmount.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signals_ignore_stray();
	if (fuse_set_signal_handlers(se) != 0)
		goto err_destroy_session;
	ns.mountpoint = realpath(o.cmdline.mountpoint, NULL);
	/* opened now: once mounted, no path may be read (mountinfo.h) */
	int mountinfo_fd = mountinfo_open();
	if (fuse_session_mount(se, o.cmdline.mountpoint) != 0) {
		if (mountinfo_fd >= 0)
			close(mountinfo_fd);
		goto err_remove_handlers;
	}
	build_undo_clear(&undo); /* mounted: the files are the set's now */
	ns.cache_entries = !o.cmdline.singlethread; /* see tree_ops.c */
	/* page cache: spare every buffered write a getxattr (kernel_io.c);
	 * and the transport is chosen on INIT, in the same device I/O */
	if ((!ns.direct_io || o.transport != TRANSPORT_DEV) &&
	    kernel_io_install(se, !ns.direct_io) != 0)
		fuse_log(FUSE_LOG_WARNING, "pmemsetfs: own device I/O "
					   "unavailable: writes ask for "
					   "security xattrs\n");
	/* ctl refuses sources on this very mount (see ctl.c) */
	if (ns.mountpoint != NULL && mountinfo_fd >= 0)
		ns.has_mount_dev = mountinfo_find_in(
			mountinfo_fd, ns.mountpoint, &ns.mount_dev);
	if (mountinfo_fd >= 0)
		close(mountinfo_fd);
	if (ns.has_mount_dev && !ns.direct_io) /* see bdi.c */
		bdi_set(ns.mount_dev, "read_ahead_kb", 1024);
	if (ns.has_mount_dev && ns.writeback)
		bdi_set(ns.mount_dev, "max_ratio", 20);
	fuse_daemonize(o.cmdline.foreground);
	source_locks_renew(&ns.source_locks); /* the holder's pid is ours */
	log_start();
	log_startup_line(&ns);
	mounted = true;

	int ret = run_session(se, &o);
	/* 0: unmounted; > 0: the signal that asked us to stop */
	status = ret < 0 || uring_transport_failed() ? 1 : 0;
	uring_transport_stop(); /* its threads serve this session */
	fuse_session_unmount(se);

err_remove_handlers:
	fuse_remove_signal_handlers(se);
err_destroy_session:
	fuse_session_destroy(se);
err_destroy_ns:
	ns_destroy(&ns); /* persists everything, deletes the set */
	build_undo_run(&undo);
	log_close(!mounted); /* a log file made for nothing goes too */
err_clear_spec:
	set_spec_clear(&spec);
err_clear_options:
	options_clear(&o);
	return status;
}
