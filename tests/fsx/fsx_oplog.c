/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fsx_oplog.c -- ring of pmemfsx's last operations, printed on failure.
 */
#include <inttypes.h>
#include <string.h>

#include "fsx_oplog.h"

void fsx_oplog_add(struct fsx_oplog *log, uint64_t number, const char *what,
		   const char *path, uint64_t offset, uint64_t length)
{
	struct fsx_op_record *r = &log->ring[log->added % FSX_OPLOG_SIZE];
	r->number = number;
	r->what = what;
	r->path = path;
	r->offset = offset;
	r->length = length;
	r->result = INT64_MIN; /* not finished */
	log->added++;
}

void fsx_oplog_result(struct fsx_oplog *log, int64_t result)
{
	if (log->added)
		log->ring[(log->added - 1) % FSX_OPLOG_SIZE].result = result;
}

void fsx_oplog_print(const struct fsx_oplog *log, FILE *out)
{
	uint64_t first =
		log->added > FSX_OPLOG_SIZE ? log->added - FSX_OPLOG_SIZE : 0;
	fprintf(out, "pmemfsx: last %" PRIu64 " operations:\n",
		log->added - first);
	for (uint64_t i = first; i < log->added; i++) {
		const struct fsx_op_record *r = &log->ring[i % FSX_OPLOG_SIZE];
		fprintf(out,
			"  #%-8" PRIu64 " %-15s %s offset %" PRIu64
			" length %" PRIu64,
			r->number, r->what, r->path, r->offset, r->length);
		if (r->result == INT64_MIN)
			fprintf(out, " -> (did not finish)\n");
		else if (r->result < 0)
			fprintf(out, " -> %s\n", strerror((int)-r->result));
		else
			fprintf(out, " -> %" PRId64 "\n", r->result);
	}
}
