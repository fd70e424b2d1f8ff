/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_errors.c -- error utilities: pmemset_err_to_errno's mapping (and its
 * abort on positive input), the per-thread error message, the exact
 * pmemset_perror format, and that the logging variables are harmless.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static void err_to_errno_maps_codes(void)
{
	UT_ASSERT_EQ(pmemset_err_to_errno(PMEMSET_E_NOSUPP), ENOTSUP);
	UT_ASSERT_EQ(pmemset_err_to_errno(PMEMSET_E_UNKNOWN), EINVAL);
	UT_ASSERT_EQ(pmemset_err_to_errno(-ENOTSUP), ENOTSUP);
	UT_ASSERT_EQ(pmemset_err_to_errno(-ENOMEM), ENOMEM);
	UT_ASSERT_EQ(pmemset_err_to_errno(0), 0);
}

static void err_to_errno_every_pmemset_code_is_einval(void)
{
	for (int e = PMEMSET_E_CANNOT_FIT_PART_MAP; e <= PMEMSET_E_UNKNOWN;
	     e++) {
		if (e == PMEMSET_E_NOSUPP)
			continue;
		UT_ASSERT_EQ(pmemset_err_to_errno(e), EINVAL);
	}
}

static void err_to_errno_aborts_on_positive_input(void)
{
	fflush(NULL);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		/* keep the child's expected fatal message out of the log */
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO);
		pmemset_err_to_errno(1);
		_exit(0); /* reached only if it did not abort */
	}
	int status = 0;
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

static void errormsg_is_never_null(void)
{
	CU_ASSERT_PTR_NOT_NULL(pmemset_errormsg());
}

static void errormsg_of_null_path_is_verbatim(void)
{
	struct pmemset_source *src = NULL;
	UT_ASSERT_EQ(pmemset_source_from_file(&src, NULL),
		     PMEMSET_E_INVALID_SOURCE_PATH);
	CU_ASSERT_STRING_EQUAL(pmemset_errormsg(), "file path cannot be empty");
}

static void errormsg_not_cleared_by_success(void)
{
	struct pmemset_source *src = NULL;
	pmemset_source_from_file(&src, NULL);
	struct pmemset_config *cfg = NULL;
	UT_ASSERT_EQ(pmemset_config_new(&cfg), 0);
	pmemset_config_delete(&cfg);
	CU_ASSERT_STRING_EQUAL(pmemset_errormsg(), "file path cannot be empty");
}

static void *fail_in_other_thread(void *arg)
{
	(void)arg;
	struct pmemset_config *cfg = NULL;
	pmemset_config_new(&cfg);
	/* a different failure with a different message */
	int ret = pmemset_config_set_required_store_granularity(
		cfg, (enum pmem2_granularity)999);
	pmemset_config_delete(&cfg);
	static char msg[1024];
	snprintf(msg, sizeof(msg), "%d %s", ret, pmemset_errormsg());
	return msg;
}

static void errormsg_is_per_thread(void)
{
	struct pmemset_source *src = NULL;
	pmemset_source_from_file(&src, NULL);
	pthread_t thread;
	CU_ASSERT_FATAL(
		pthread_create(&thread, NULL, fail_in_other_thread, NULL) == 0);
	void *other = NULL;
	pthread_join(thread, &other);
	char expected_prefix[32];
	snprintf(expected_prefix, sizeof(expected_prefix), "%d ",
		 PMEMSET_E_GRANULARITY_NOT_SUPPORTED);
	CU_ASSERT(strncmp(other, expected_prefix, strlen(expected_prefix)) ==
		  0);
	/* the other thread's message did not replace ours */
	CU_ASSERT_STRING_NOT_EQUAL((char *)other + strlen(expected_prefix),
				   "file path cannot be empty");
	CU_ASSERT_STRING_EQUAL(pmemset_errormsg(), "file path cannot be empty");
}

/* runs fn with stderr sent to a file and returns what was written */
static char *capture_stderr(void (*fn)(void))
{
	char path[PATH_MAX];
	ut_path(path, "stderr.txt");
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CU_ASSERT_FATAL(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	static char out[4096];
	ssize_t n = pread(fd, out, sizeof(out) - 1, 0);
	close(fd);
	out[n > 0 ? n : 0] = '\0';
	return out;
}

static void perror_null_path(void)
{
	struct pmemset_source *src = NULL;
	pmemset_source_from_file(&src, NULL);
	pmemset_perror("text");
}

static void perror_null_path_with_arguments(void)
{
	struct pmemset_source *src = NULL;
	pmemset_source_from_file(&src, NULL);
	pmemset_perror("text %d", 123);
}

static void perror_prints_text_colon_message(void)
{
	CU_ASSERT_STRING_EQUAL(capture_stderr(perror_null_path),
			       "text: file path cannot be empty\n");
	CU_ASSERT_STRING_EQUAL(capture_stderr(perror_null_path_with_arguments),
			       "text 123: file path cannot be empty\n");
}

static void perror_missing_file(void)
{
	char path[PATH_MAX];
	struct pmemset_source *src = NULL;
	/* only TRUNCATE_IF_NEEDED: no existence check, open fails ENOENT */
	int ret = pmemset_xsource_from_file(
		&src, ut_path(path, "does-not-exist"),
		PMEMSET_SOURCE_FILE_TRUNCATE_IF_NEEDED);
	UT_ASSERT_EQ(ret, -ENOENT);
	pmemset_perror("text");
}

static void system_call_failure_message_ends_with_strerror(void)
{
	const char *out = capture_stderr(perror_missing_file);
	const char *suffix = ": No such file or directory\n";
	CU_ASSERT(strncmp(out, "text: ", 6) == 0);
	size_t len = strlen(out);
	CU_ASSERT(len > strlen(suffix) &&
		  strcmp(out + len - strlen(suffix), suffix) == 0);
}

/* this program, to run it again (valgrind does not follow the exec) */
static char self_path[PATH_MAX];

static void log_level_writes_errors_in_every_build(void)
{
	/* they are read at load time, so run a fresh copy of this program */
	char log[PATH_MAX];
	ut_path(log, "pmemset.log");
	fflush(NULL);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		setenv("PMEMSET_LOG_LEVEL", "4", 1);
		setenv("PMEMSET_LOG_FILE", log, 1);
		setenv("UT_ERRORS_LOG_CHILD", "1", 1);
		execl(self_path, self_path, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* release builds (NDEBUG) log too: the child's one error, prefixed */
	FILE *f = fopen(log, "r");
	CU_ASSERT_FATAL(f != NULL);
	char line[4096];
	int lines = 0, errors = 0;
	while (fgets(line, sizeof(line), f)) {
		lines++;
		CU_ASSERT(strncmp(line, "libpmemset: ", 12) == 0);
		errors += strstr(line, "file path cannot be empty") != NULL;
	}
	fclose(f);
	CU_ASSERT(lines >= 1);
	CU_ASSERT_EQUAL(errors, 1);
}

/* what the re-executed child does with logging enabled */
static int log_child(void)
{
	struct pmemset_source *src = NULL;
	if (pmemset_source_from_file(&src, NULL) !=
	    PMEMSET_E_INVALID_SOURCE_PATH)
		return 1;
	struct pmemset_config *cfg = NULL;
	if (pmemset_config_new(&cfg) != 0)
		return 1;
	pmemset_config_delete(&cfg);
	return 0;
}

static CU_TestInfo tests[] = {
	{"err_to_errno_maps_codes", err_to_errno_maps_codes},
	{"err_to_errno_every_pmemset_code_is_einval",
	 err_to_errno_every_pmemset_code_is_einval},
	{"err_to_errno_aborts_on_positive_input",
	 err_to_errno_aborts_on_positive_input},
	{"errormsg_is_never_null", errormsg_is_never_null},
	{"errormsg_of_null_path_is_verbatim",
	 errormsg_of_null_path_is_verbatim},
	{"errormsg_not_cleared_by_success", errormsg_not_cleared_by_success},
	{"errormsg_is_per_thread", errormsg_is_per_thread},
	{"perror_prints_text_colon_message", perror_prints_text_colon_message},
	{"system_call_failure_message_ends_with_strerror",
	 system_call_failure_message_ends_with_strerror},
	{"log_level_writes_errors_in_every_build",
	 log_level_writes_errors_in_every_build},
	CU_TEST_INFO_NULL,
};

int main(int argc, char *argv[])
{
	(void)argc;
	if (!realpath(argv[0], self_path))
		return 2;
	if (getenv("UT_ERRORS_LOG_CHILD"))
		return log_child();
	return ut_run_suite("errors", tests);
}
