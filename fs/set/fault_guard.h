/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fault_guard.h -- the SIGBUS side of a bad source: the touch before a
 * write and the window around its copy (see fault_guard.c). What a fault
 * means for the part is part_failure.c's business.
 */
#ifndef PMEMSETFS_FAULT_GUARD_H
#define PMEMSETFS_FAULT_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Touches every page of [addr, addr+len) for writing, changing no byte.
 * 0, or -1 with *fault_at the first address that raised SIGBUS.
 */
int fault_guard_touch(char *addr, size_t len, char **fault_at);

/*
 * Around one copy into [addr, addr+len) by this thread: a page of it that
 * vanishes meanwhile is replaced by a zero page and the copy completes.
 * close returns the first address that met such a page, or NULL.
 */
void fault_guard_window_open(char *addr, size_t len);
char *fault_guard_window_close(void);

/*
 * The kernel could not copy a reply of this thread out of our memory (a
 * read from a mapping whose source was truncated): noted by the device
 * I/O, taken by the reply's sender once the reply call is back.
 */
void fault_guard_note_reply_fault(void);
bool fault_guard_take_reply_fault(void);

#endif /* PMEMSETFS_FAULT_GUARD_H */
