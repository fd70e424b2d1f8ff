/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mountinfo.c -- reading /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT
 * MOUNTPOINT ...", the mount point with blanks escaped as \ooo.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/mountinfo.h"

static void unescape_octal(char *s)
{
	char *out = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] &&
		    s[3]) {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
					(s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

bool path_is_at_or_below(const char *path, const char *top)
{
	size_t len = strlen(top);
	if (strcmp(top, "/") == 0)
		return true;
	return strncmp(path, top, len) == 0 &&
	       (path[len] == '\0' || path[len] == '/');
}

#define MAX_SYMLINKS 40

bool path_leads_into(const char *path, const char *mountpoint)
{
	/* todo: components still to walk; done: the resolved prefix */
	char todo[2 * PATH_MAX + 2], done[PATH_MAX] = "", link[PATH_MAX];
	int symlinks = 0;
	if (strlen(path) >= PATH_MAX)
		return true; /* refuse what we cannot check */
	strcpy(todo, path);
	char *rest = todo;
	while (*rest != '\0') {
		char *slash = strchr(rest, '/');
		size_t clen = slash ? (size_t)(slash - rest) : strlen(rest);
		char component[PATH_MAX];
		memcpy(component, rest, clen);
		component[clen] = '\0';
		rest += clen + (slash != NULL);
		if (clen == 0 || strcmp(component, ".") == 0)
			continue;
		if (strcmp(component, "..") == 0) {
			char *up = strrchr(done, '/');
			if (up != NULL)
				*up = '\0';
			continue;
		}
		char next[PATH_MAX];
		if (snprintf(next, sizeof(next), "%s/%s", done, component) >=
		    (int)sizeof(next))
			return true;
		if (path_is_at_or_below(next, mountpoint))
			return true; /* and we never lstat it */
		struct stat st;
		if (lstat(next, &st) != 0 || !S_ISLNK(st.st_mode)) {
			strcpy(done, next); /* missing parts stay lexical */
			continue;
		}
		ssize_t n = readlink(next, link, sizeof(link) - 1);
		if (n < 0 || ++symlinks > MAX_SYMLINKS)
			return true;
		link[n] = '\0';
		/* the link's target replaces the component: walk it first */
		char joined[sizeof(todo)];
		if (snprintf(joined, sizeof(joined), "%s/%s", link, rest) >=
		    (int)sizeof(joined))
			return true;
		strcpy(todo, joined);
		rest = todo;
		if (link[0] == '/')
			done[0] = '\0';
	}
	return path_is_at_or_below(done[0] ? done : "/", mountpoint);
}

bool mountinfo_find_in(int fd, const char *path, dev_t *dev)
{
	char line[2 * PATH_MAX], point[PATH_MAX];
	unsigned major_no, minor_no;
	bool found = false;
	/* a copy of fd for stdio; the rewind makes the kernel list it anew */
	int copy = lseek(fd, 0, SEEK_SET) == 0 ? dup(fd) : -1;
	FILE *f = copy >= 0 ? fdopen(copy, "r") : NULL;
	if (f == NULL) {
		if (copy >= 0)
			close(copy);
		return false;
	}
	/* the last match wins: it is the mount on top */
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%*s %*s %u:%u %*s %4095s", &major_no,
			   &minor_no, point) != 3)
			continue;
		unescape_octal(point);
		if (strcmp(point, path) == 0) {
			found = true;
			*dev = makedev(major_no, minor_no);
		}
	}
	fclose(f);
	return found;
}

int mountinfo_open(void)
{
	return open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
}

bool mountinfo_find(const char *path, dev_t *dev)
{
	int fd = mountinfo_open();
	if (fd < 0)
		return false;
	bool found = mountinfo_find_in(fd, path, dev);
	close(fd);
	return found;
}
