/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl_client.c -- the ctl client (see ctl_client.h). It opens ctl O_RDWR,
 * makes ONE write, and when that fails reads the reason back from the same
 * descriptor: the daemon keeps it per open file, so concurrent clients
 * each get their own (last_error in status is shared and may already be
 * someone else's).
 *
 * Exit status, one per kind of failure:
 *   0 done                 5 EEXIST: the name is taken
 *   1 another error        6 ENOSPC, EFBIG: no room
 *   2 usage                7 EBUSY: the part is open
 *   3 EINVAL (and EISDIR,  8 EACCES, EPERM, EROFS: not allowed (EROFS:
 *     ENOTDIR, ENOTSUP,      a read-only mount)
 *     ENAMETOOLONG, ELOOP): 9 not a pmemsetfs mount
 *     the command or an    10 ENOTCONN: the mount's daemon is not running
 *     argument is wrong
 *   4 ENOENT: no such source, part or map
 *
 * The words of a command are sent quoted as the daemon splits them (the
 * set file's syntax), so a path may hold blanks, '#' or quotes; the source
 * path of `part` (and its temporary=DIR) is made absolute here, where the
 * caller's working directory is known: the daemon's is not the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/setfile.h"
#include "ctl/ctl_client.h"

#define FUSE_SUPER_MAGIC 0x65735546
#define CTL_PATH "/.pmemset/ctl"
#define SCRIPT_MAX (1024 * 1024) /* the daemon takes 64 KiB; it says so */
#define REASON_MAX 4096
#define CTL_LINE_MAX 4096 /* the daemon's limit of one command line */

enum exit_status {
	EXIT_DONE = 0,
	EXIT_OTHER = 1,
	EXIT_USAGE = 2,
	EXIT_INVALID = 3,
	EXIT_NOT_FOUND = 4,
	EXIT_EXISTS = 5,
	EXIT_NO_SPACE = 6,
	EXIT_BUSY = 7,
	EXIT_DENIED = 8,
	EXIT_NOT_MOUNTED = 9,
	EXIT_DAEMON_GONE = 10,
};

static int exit_status_of(int error)
{
	switch (error) {
	case EINVAL:
	case EISDIR:
	case ENOTDIR:
	case ENOTSUP:
	case ENAMETOOLONG:
	case ELOOP:
		return EXIT_INVALID;
	case ENOENT:
		return EXIT_NOT_FOUND;
	case EEXIST:
		return EXIT_EXISTS;
	case ENOSPC:
	case EFBIG:
		return EXIT_NO_SPACE;
	case EBUSY:
		return EXIT_BUSY;
	case EACCES:
	case EPERM:
	case EROFS: /* a read-only mount */
		return EXIT_DENIED;
	case ENOTCONN:
		return EXIT_DAEMON_GONE;
	default:
		return EXIT_OTHER;
	}
}

static int usage(FILE *out, int status)
{
	fprintf(out,
		"usage: pmemsetfs ctl MOUNTPOINT COMMAND [ARG...]\n"
		"       pmemsetfs ctl MOUNTPOINT -    (a script on stdin: one "
		"command a line)\n\n"
		"Sends the command to MOUNTPOINT/.pmemset/ctl. Prints nothing "
		"on success;\n"
		"on failure prints the daemon's reason and exits with:\n"
		"  1 another error  2 usage    3 EINVAL  4 ENOENT  5 EEXIST\n"
		"  6 ENOSPC         7 EBUSY    8 EACCES, EPERM, EROFS\n"
		"  9 not a pmemsetfs mount\n"
		" 10 the daemon of the mount is not running (ENOTCONN)\n"
		"Words are quoted as in a set file (\"...\", '...', \\): each\n"
		"ARG is sent as one word, and a relative PATH of part (also\n"
		"temporary=DIR) is taken from the current directory, in a "
		"script\n"
		"too. A script runs in order and stops at its first failing "
		"line.\n");
	return status;
}

/*
 * path made absolute against the working directory (malloc'd): its
 * directory resolved, its last name kept as given (a source may be a
 * symbolic link, or not exist yet with `create`); as joined when the
 * directory cannot be resolved, for the daemon to say what is missing.
 */
static char *absolute_from_cwd(const char *path)
{
	char *out = NULL;
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	char *dir = slash != NULL ? strndup(path, (size_t)(slash - path) + 1)
				  : strdup(".");
	char *real = NULL;
	if (dir == NULL)
		return NULL;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    *name == '\0') {
		real = realpath(path, NULL); /* the directory itself */
		name = "";
	} else {
		real = realpath(dir, NULL);
	}
	if (real != NULL) {
		bool root = strcmp(real, "/") == 0;
		if (asprintf(&out, "%s%s%s", real, root || !*name ? "" : "/",
			     name) < 0)
			out = NULL;
	} else {
		char *cwd = getcwd(NULL, 0);
		if (cwd != NULL && asprintf(&out, "%s/%s", cwd, path) < 0)
			out = NULL;
		free(cwd);
	}
	free(real);
	free(dir);
	return out;
}

/* The source word of `part NAME PATH|temporary=DIR ...`, made absolute. */
static char *part_source_word(const char *word)
{
	bool temporary = strncmp(word, "temporary=", 10) == 0;
	const char *path = temporary ? word + 10 : word;
	if (*path == '\0' || *path == '/')
		return strdup(word);
	char *abs = absolute_from_cwd(path);
	char *out = NULL;
	if (abs != NULL &&
	    asprintf(&out, "%s%s", temporary ? "temporary=" : "", abs) < 0)
		out = NULL;
	free(abs);
	return out;
}

/*
 * One command line for the daemon: each word quoted as the daemon splits
 * them, joined by blanks, ending in a newline (malloc'd). NULL with errno
 * EINVAL when a word holds a newline.
 */
static char *command_line(int nwords, char **words)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (out == NULL)
		return NULL;
	bool part = nwords >= 3 && strcmp(words[0], "part") == 0;
	int error = 0;
	for (int i = 0; i < nwords && error == 0; i++) {
		errno = 0;
		char *resolved =
			part && i == 2 ? part_source_word(words[i]) : NULL;
		char *quoted =
			setfile_quote_word(resolved ? resolved : words[i]);
		if (quoted == NULL || (part && i == 2 && resolved == NULL))
			error = errno ? errno : ENOMEM;
		else
			fprintf(out, "%s%s", i > 0 ? " " : "", quoted);
		free(quoted);
		free(resolved);
	}
	fputc('\n', out);
	if (fclose(out) != 0 && error == 0)
		error = ENOMEM;
	if (error != 0) {
		free(text);
		errno = error;
		return NULL;
	}
	return text;
}

/*
 * A script's line with a relative source path in `part`, rewritten with
 * the path made absolute (malloc'd); NULL: send the line as it is (other
 * commands, and lines the daemon will refuse with their line number).
 */
static char *script_line_resolved(const char *line, size_t len)
{
	char copy[CTL_LINE_MAX];
	char *words[SETFILE_MAX_WORDS];
	char err[SETFILE_ERR_MAX];
	if (len >= sizeof(copy))
		return NULL;
	memcpy(copy, line, len);
	copy[len] = '\0';
	int n = setfile_split_words(copy, words, SETFILE_MAX_WORDS, err,
				    sizeof(err));
	if (n < 3 || strcmp(words[0], "part") != 0)
		return NULL;
	const char *path = words[2];
	if (strncmp(path, "temporary=", 10) == 0)
		path += 10;
	if (*path == '\0' || *path == '/')
		return NULL;
	return command_line(n, words);
}

/* The script with the relative paths of its part lines resolved. */
static char *resolve_script(char *script, size_t *len)
{
	char *text = NULL;
	size_t outlen = 0;
	FILE *out = open_memstream(&text, &outlen);
	if (out == NULL)
		return NULL;
	for (size_t at = 0; at < *len;) {
		const char *line = script + at;
		const char *eol = memchr(line, '\n', *len - at);
		size_t linelen = eol ? (size_t)(eol - line) : *len - at;
		char *resolved = script_line_resolved(line, linelen);
		if (resolved != NULL)
			fputs(resolved, out); /* ends in its newline */
		else
			fwrite(line, 1, linelen + (eol != NULL), out);
		free(resolved);
		at += linelen + (eol != NULL);
	}
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	free(script);
	*len = outlen;
	return text;
}

/* All of stdin: the script goes to the daemon in one write. */
static char *read_script(size_t *len)
{
	char *text = malloc(SCRIPT_MAX + 1);
	if (text == NULL)
		return NULL;
	size_t n = 0;
	ssize_t got;
	while (n <= SCRIPT_MAX &&
	       (got = read(STDIN_FILENO, text + n, SCRIPT_MAX + 1 - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(text);
			return NULL;
		}
		n += (size_t)got;
	}
	*len = n;
	if (memchr(text, '\0', n) != NULL || n > SCRIPT_MAX)
		return text; /* the daemon says what is wrong with it */
	char *resolved = resolve_script(text, len);
	if (resolved == NULL)
		free(text);
	return resolved;
}

static void daemon_gone(const char *mountpoint, const char *path)
{
	fprintf(stderr,
		"pmemsetfs ctl: the daemon of %s is not running (%s: %s); "
		"unmount it with fusermount3 -u %s\n",
		mountpoint, path, strerror(ENOTCONN), mountpoint);
}

static int open_ctl(const char *mountpoint, char *path, size_t pathlen, int *fd)
{
	if (snprintf(path, pathlen, "%s%s", mountpoint, CTL_PATH) >=
	    (int)pathlen) {
		fprintf(stderr, "pmemsetfs ctl: %s: path too long\n",
			mountpoint);
		return EXIT_USAGE;
	}
	*fd = open(path, O_RDWR | O_CLOEXEC);
	if (*fd < 0 && (errno == EACCES || errno == EPERM))
		*fd = open(path, O_WRONLY | O_CLOEXEC); /* a read-less ctl */
	if (*fd < 0) {
		int error = errno;
		/*
		 * The VFS refuses a write open of a read-only mount before the
		 * daemon is asked: statfs always asks it (never cached).
		 */
		struct statfs fs;
		if (error != ENOTCONN && statfs(mountpoint, &fs) != 0 &&
		    errno == ENOTCONN)
			error = ENOTCONN;
		if (error == EACCES || error == EPERM) {
			fprintf(stderr, "pmemsetfs ctl: %s: %s\n", path,
				strerror(error));
			return EXIT_DENIED;
		}
		if (error == EROFS) {
			fprintf(stderr,
				"pmemsetfs ctl: %s is mounted read-only: the "
				"set cannot change (%s: %s)\n",
				mountpoint, path, strerror(error));
			return EXIT_DENIED;
		}
		if (error == ENOTCONN) {
			daemon_gone(mountpoint, path);
			return EXIT_DAEMON_GONE;
		}
		fprintf(stderr,
			"pmemsetfs ctl: %s is not a pmemsetfs mount (%s: %s)\n",
			mountpoint, path, strerror(error));
		return EXIT_NOT_MOUNTED;
	}
	struct statfs fs;
	if (fstatfs(*fd, &fs) != 0 || fs.f_type != FUSE_SUPER_MAGIC) {
		fprintf(stderr,
			"pmemsetfs ctl: %s is not a pmemsetfs mount (%s is "
			"not on a FUSE file system)\n",
			mountpoint, path);
		close(*fd);
		return EXIT_NOT_MOUNTED;
	}
	return EXIT_DONE;
}

/* Prints why the write failed: the daemon's reason, else strerror. */
static void print_reason(int fd, const char *mountpoint, const char *path,
			 int error)
{
	char reason[REASON_MAX];
	ssize_t n = pread(fd, reason, sizeof(reason) - 1, 0);
	if (n > 0) {
		reason[n] = '\0';
		fprintf(stderr, "pmemsetfs: %s%s", reason,
			reason[n - 1] == '\n' ? "" : "\n");
	} else if (error == ENOTCONN) {
		daemon_gone(mountpoint, path);
	} else {
		fprintf(stderr,
			"pmemsetfs ctl: %s: %s (see last_error in "
			".pmemset/status)\n",
			path, strerror(error));
	}
}

int ctl_client_main(int argc, char **argv)
{
	if (argc >= 1 &&
	    (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0))
		return usage(stdout, EXIT_DONE);
	if (argc < 2 || argv[1][0] == '\0')
		return usage(stderr, EXIT_USAGE);

	size_t len = 0;
	bool script = argc == 2 && strcmp(argv[1], "-") == 0;
	char *text =
		script ? read_script(&len) : command_line(argc - 1, argv + 1);
	if (text == NULL && !script && errno == EINVAL) {
		fprintf(stderr, "pmemsetfs ctl: a word holds a newline (a "
				"command is one line)\n");
		return EXIT_USAGE;
	}
	if (text == NULL) {
		fprintf(stderr, "pmemsetfs ctl: %s: %s\n",
			script ? "reading the script" : "the command",
			strerror(errno));
		return EXIT_OTHER;
	}
	if (!script)
		len = strlen(text);
	if (len == 0)
		text[len++] = '\n'; /* the daemon answers "empty command" */
	char path[PATH_MAX];
	int fd = -1;
	int status = open_ctl(argv[0], path, sizeof(path), &fd);
	if (status != EXIT_DONE)
		goto out_free;
	ssize_t written;
	do
		written = write(fd, text, len);
	while (written < 0 && errno == EINTR);
	if (written < 0) {
		int error = errno;
		print_reason(fd, argv[0], path, error);
		status = exit_status_of(error);
	} else if ((size_t)written != len) {
		fprintf(stderr, "pmemsetfs ctl: %s: short write (%zd of %zu)\n",
			path, written, len);
		status = EXIT_OTHER;
	}
	close(fd);
out_free:
	free(text);
	return status;
}
