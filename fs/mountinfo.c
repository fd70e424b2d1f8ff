/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mountinfo.c -- reading /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT
 * MOUNTPOINT ...", the mount point with blanks escaped as \ooo.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mountinfo.h"

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

bool mountinfo_find(const char *path, dev_t *dev)
{
	char line[2 * PATH_MAX], point[PATH_MAX];
	unsigned major_no, minor_no;
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (f == NULL)
		return false;
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
