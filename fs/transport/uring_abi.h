/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uring_abi.h -- the kernel's FUSE-over-io_uring interface (protocol 7.42),
 * spelled out here because the build machine's <linux/fuse.h> (Debian's
 * 6.1 headers, protocol 7.38) predates it. Layouts are fixed by the
 * kernel; the static assertions catch a slip.
 */
#ifndef PMEMSETFS_URING_ABI_H
#define PMEMSETFS_URING_ABI_H

#include <stdint.h>

/* INIT flag, both ways: bit 9 of flags2, i.e. bit 41 of the 64-bit flags */
#define RING_INIT_FLAG (1ULL << 41)

/* the cmd_op of an IORING_OP_URING_CMD on /dev/fuse */
enum ring_command {
	RING_CMD_REGISTER = 1,	       /* hand an entry's buffers over */
	RING_CMD_COMMIT_AND_FETCH = 2, /* answer one request, take the next */
};

/* the last part of an entry's header buffer, written by both sides */
struct ring_entry_trailer {
	uint64_t flags;
	uint64_t commit_id;    /* the request's id, quoted in the commit */
	uint32_t payload_size; /* bytes used in the payload buffer */
	uint32_t padding;
	uint64_t reserved;
};

/* an entry's header buffer (iov[0] of a REGISTER) */
struct ring_headers {
	/* fuse_in_header on the way in, fuse_out_header on the way out */
	unsigned char in_out[128];
	/* the opcode's fixed argument (fuse_write_in, ...), requests only */
	unsigned char op_in[128];
	struct ring_entry_trailer trailer;
};

/* what a command carries in the 80-byte area of a 128-byte SQE */
struct ring_command_args {
	uint64_t flags;
	uint64_t commit_id;
	uint16_t queue; /* the CPU whose queue the entry serves */
	uint8_t padding[6];
};

_Static_assert(sizeof(struct ring_entry_trailer) == 32, "kernel ABI");
_Static_assert(sizeof(struct ring_headers) == 288, "kernel ABI");
_Static_assert(sizeof(struct ring_command_args) == 24, "kernel ABI");

#endif /* PMEMSETFS_URING_ABI_H */
