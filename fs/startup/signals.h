/* SPDX-License-Identifier: BSD-3-Clause */
/* signals.h -- only SIGHUP, SIGINT and SIGTERM stop the daemon. */
#ifndef PMEMSETFS_SIGNALS_H
#define PMEMSETFS_SIGNALS_H

/* Ignores the signals that would otherwise kill the daemon. */
void signals_ignore_stray(void);

#endif /* PMEMSETFS_SIGNALS_H */
