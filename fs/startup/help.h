/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * help.h -- the text of pmemsetfs --help and --version.
 */
#ifndef PMEMSETFS_HELP_H
#define PMEMSETFS_HELP_H

/* Prints the whole --help text to stdout, libfuse's options last. */
void help_print(const char *prog);

/* Prints pmemsetfs's version (the CMake project's) and libfuse's. */
void help_print_version(void);

#endif /* PMEMSETFS_HELP_H */
