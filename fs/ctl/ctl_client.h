/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_client.h -- `pmemsetfs ctl MOUNTPOINT COMMAND...`: sends one command
 * (or, with "-", a script read from stdin) to MOUNTPOINT/.pmemset/ctl,
 * prints nothing on success and the daemon's reason on failure, with an
 * exit status per kind of error (see ctl_client.c) for shell scripts.
 */
#ifndef PMEMSETFS_CTL_CLIENT_H
#define PMEMSETFS_CTL_CLIENT_H

/* argv holds what follows "ctl"; returns the exit status. */
int ctl_client_main(int argc, char **argv);

#endif /* PMEMSETFS_CTL_CLIENT_H */
