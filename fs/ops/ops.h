/* SPDX-License-Identifier: BSD-3-Clause */
/* ops.h -- the FUSE operations table of pmemsetfs. */
#ifndef PMEMSETFS_OPS_H
#define PMEMSETFS_OPS_H

#include "tree/namespace.h"

extern const struct fuse_lowlevel_ops pmemsetfs_ops;

#endif /* PMEMSETFS_OPS_H */
