/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fsx_oplog.h -- the last operations pmemfsx ran, kept in a ring so that a
 * failure can show what led up to it.
 */
#ifndef FSX_OPLOG_H
#define FSX_OPLOG_H

#include <stdint.h>
#include <stdio.h>

#define FSX_OPLOG_SIZE 48

struct fsx_op_record {
	uint64_t number;
	const char *what;
	const char *path;
	uint64_t offset;
	uint64_t length;
	int64_t result; /* bytes or 0 on success, -errno on failure */
};

struct fsx_oplog {
	struct fsx_op_record ring[FSX_OPLOG_SIZE];
	uint64_t added;
};

/* Records an operation before it runs; its result follows. */
void fsx_oplog_add(struct fsx_oplog *log, uint64_t number, const char *what,
		   const char *path, uint64_t offset, uint64_t length);

void fsx_oplog_result(struct fsx_oplog *log, int64_t result);

/* Prints the ring, oldest first. */
void fsx_oplog_print(const struct fsx_oplog *log, FILE *out);

#endif /* FSX_OPLOG_H */
