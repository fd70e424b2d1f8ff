/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c -- pmemsetfs: parse the command line and the set file, build and
 * map the whole set, and only then mount and go to the background; on
 * unmount or SIGTERM/SIGINT persist everything and delete the set.
 * A start-up failure prints one line, undoes every change to the source
 * files and exits non-zero with nothing mounted.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "ctl/ctl_client.h"
#include "ops/ops.h"
#include "set/set_build.h"
#include "set/source_lock.h"
#include "set/source_prepare.h"
#include "startup/mountpoint_check.h"
#include "startup/options.h"
#include "startup/session.h"
#include "transport/uring_transport.h"

static struct namespace ns;

int main(int argc, char **argv)
{
	struct options o;
	struct set_spec spec = {0};
	struct build_undo undo = {0};
	struct fuse_session *se = NULL;
	static struct startup_paths paths; /* two PATH_MAX: not on the stack */
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
	ns.unlink_unmaps = o.unlink_unmaps;
	ns.ownership = o.ownership;
	/*
	 * -s: invalidating a page can wait for a read only we would serve.
	 * Not printed (a good mount is quiet): the start-up line and status
	 * say cache=direct.
	 */
	if (o.cmdline.singlethread)
		ns.direct_io = true;
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
	if (log_open(o.log, o.cmdline.foreground, o.cmdline.mountpoint) != 0)
		goto err_destroy_session;
	startup_paths_resolve(&paths, o.setfile, o.cmdline.mountpoint);
	if (session_handle_signals(se) != 0)
		goto err_destroy_session;
	if (session_mount(se, &ns, o.cmdline.mountpoint) != 0)
		goto err_remove_handlers;
	build_undo_clear(&undo); /* mounted: the files are the set's now */
	ns.cache_entries = !o.cmdline.singlethread; /* see ops/dir.c */
	fuse_daemonize(o.cmdline.foreground);
	source_locks_renew(ns.source_locks); /* the holder's pid is ours */
	log_start();
	startup_report(&ns, &paths);
	mounted = true;

	int ret = session_loop(se, &o.cmdline);
	/* 0: unmounted; > 0: the signal that asked us to stop */
	status = ret < 0 || uring_transport_failed() ? 1 : 0;
	uring_transport_stop(); /* its threads serve this session */
	fuse_session_unmount(se);

err_remove_handlers:
	fuse_remove_signal_handlers(se);
err_destroy_session:
	fuse_session_destroy(se);
err_destroy_ns:
	set_teardown(&ns); /* persists everything, deletes the set */
	ns_destroy(&ns);
	build_undo_run(&undo);
	log_close(!mounted); /* a log file made for nothing goes too */
err_clear_spec:
	set_spec_clear(&spec);
err_clear_options:
	options_clear(&o);
	return status;
}
