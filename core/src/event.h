/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.h -- delivers events to the callback configured for a set.
 */
#ifndef PMEMSET_EVENT_H
#define PMEMSET_EVENT_H

#include <libpmemset.h>

/* calls the set's callback (if any) and returns what it returned, else 0 */
int event_fire(struct pmemset *set, struct pmemset_event_context *ctx);

#endif /* PMEMSET_EVENT_H */
