/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * errors.c -- what a failed call leaves: a negative code, a message for
 * this thread, and the errno value the code corresponds to.
 */
#include <errno.h>
#include <libpmemset.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct pmemset_source *src;
	const char *path = "/nonexistent/pmemset-example";

	int ret = pmemset_source_from_file(&src, path);
	if (ret == 0) {
		fprintf(stderr, "%s exists?\n", path);
		return 1;
	}
	/* "source: stat /nonexistent/...: No such file or directory" */
	pmemset_perror("source");
	int error = pmemset_err_to_errno(ret);
	printf("code %d, errno %d (%s)\n", ret, error, strerror(error));

	return ret == PMEMSET_E_INVALID_SOURCE_PATH && src == NULL &&
			       strstr(pmemset_errormsg(), path) != NULL &&
			       error == EINVAL &&
			       pmemset_err_to_errno(-ENOMEM) == ENOMEM
		       ? 0
		       : 1;
}
