/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.c -- synchronous event delivery. The context lives on the caller's
 * stack; the callback's return value is handed back to the caller, which in
 * this version ignores it (no event supports error handling).
 */
#include "event.h"
#include "set.h"

int event_fire(struct pmemset *set, struct pmemset_event_context *ctx)
{
	pmemset_event_callback *callback = set->config->callback;
	if (callback == NULL)
		return 0;
	return callback(set, ctx, set->config->callback_arg);
}
