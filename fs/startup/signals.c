/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * signals.c -- which signals may stop the daemon. libfuse unmounts on
 * SIGHUP, SIGINT and SIGTERM and ignores SIGPIPE; every other signal whose
 * default action is to terminate would kill the daemon and leave a dead
 * mount ("Transport endpoint is not connected") behind, without persisting
 * anything. Those are ignored: a stray `kill -USR1` or a timer signal meant
 * for someone else must not take the file system down. SIGQUIT keeps its
 * core dump (a deliberate request for one) and SIGKILL cannot be caught.
 */
#include <signal.h>

#include "startup/signals.h"

static const int stray_signals[] = {
	SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO,
	SIGPWR,	 SIGXFSZ, SIGXCPU, SIGSTKFLT, SIGPIPE,
};

void signals_ignore_stray(void)
{
	for (size_t i = 0; i < sizeof(stray_signals) / sizeof(*stray_signals);
	     i++)
		signal(stray_signals[i], SIG_IGN);
	/* glibc keeps the ones below SIGRTMIN for itself */
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		signal(sig, SIG_IGN);
}
