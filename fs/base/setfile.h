/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setfile.h -- the set-file language and the values of -o options, parsed
 * into plain records. Pure functions: no libpmemset calls, no FUSE, so the
 * parser is unit-tested on its own (tests/unit/test_setfile.c).
 */
#ifndef PMEMSETFS_SETFILE_H
#define PMEMSETFS_SETFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <libpmemset.h>

#define SETFILE_ERR_MAX 512
#define SETFILE_MAX_WORDS 16 /* on one line of a set file or of ctl */

enum persist_mode {
	PERSIST_ON_WRITE, /* -o persist=write: every write persisted */
	PERSIST_ON_FSYNC, /* -o persist=fsync: on fsync, close, unmount */
};

/* One `part` directive (or ctl command), as written. */
struct part_spec {
	char *name;
	char *path;	/* file part: absolute path, else NULL */
	char *temp_dir; /* temporary part: absolute directory, else NULL */
	size_t offset;
	size_t length;
	bool has_length; /* false: the rest of the file */
	bool create;
	bool truncate;
	unsigned line; /* set-file line, 0 for a ctl command */
};

/* Set-wide settings: from the set file, then overridden by -o options. */
struct set_settings {
	size_t reservation; /* 0: no reservation */
	enum pmemset_coalescing coalescing;
	enum pmem2_granularity granularity;
	enum persist_mode persist;
	/* which of them were given, so -o can override only what it names */
	bool has_reservation, has_coalescing, has_granularity, has_persist;
};

struct set_spec {
	struct set_settings settings;
	struct part_spec *parts;
	size_t nparts;
	dev_t file_dev; /* the set file's identity, when read from a file */
	ino_t file_ino;
};

/* "64M" -> 67108864; suffixes K, M, G, T (powers of 1024). */
int setfile_parse_size(const char *text, size_t *size);
int setfile_parse_coalescing(const char *text, enum pmemset_coalescing *c);
int setfile_parse_granularity(const char *text, enum pmem2_granularity *g);
int setfile_parse_persist(const char *text, enum persist_mode *p);

const char *setfile_coalescing_name(enum pmemset_coalescing c);
const char *setfile_granularity_name(enum pmem2_granularity g);
const char *setfile_persist_name(enum persist_mode p);

/*
 * Copies len bytes of text to out for a message: control bytes become
 * \xHH, and more than max_in input bytes are cut and end in "...".
 */
void setfile_escape(const char *text, size_t len, size_t max_in, char *out,
		    size_t outlen);

/* A name that can be a file in the mount's root directory. */
bool setfile_valid_part_name(const char *name);

/*
 * Splits line into at most max words, unquoting them in place (words point
 * into line). A word may hold "..." (inside, \" and \\ stand for " and \)
 * and '...' (taken as it is); outside quotes a backslash takes the next
 * character as it is; '#' at the start of a word outside quotes ends the
 * line. Returns the number of words, or -1 with a reason in err (an
 * unterminated quote, a trailing backslash, too many words).
 */
int setfile_split_words(char *line, char **words, int max, char *err,
			size_t errlen);

/*
 * word written so that setfile_split_words gives it back (malloc'd): as it
 * is when it needs no quotes, else in "..." with " and \ escaped. NULL
 * with errno EINVAL for a word holding a newline (a command is one line),
 * or ENOMEM.
 */
char *setfile_quote_word(const char *word);

/* The words after `part`, already split (see setfile_parse_part). */
int setfile_parse_part_words(char **words, int n, const char *base_dir,
			     struct part_spec *part, char *err, size_t errlen);

/*
 * Parses the words after `part` (NAME PATH [offset=] ... or NAME
 * temporary=DIR length=). Relative paths are resolved against base_dir; a
 * NULL base_dir rejects them. Returns 0, or -1 with a reason in err.
 */
int setfile_parse_part(const char *words, const char *base_dir,
		       struct part_spec *part, char *err, size_t errlen);

/*
 * Parses a whole set file held in text. Every error names the line. Returns
 * 0, or -1 with "LINE: reason" in err and spec left empty.
 */
int setfile_parse_text(const char *text, const char *base_dir,
		       struct set_spec *spec, char *err, size_t errlen);

/* setfile_load.c: */
/* Reads and parses a set file; relative paths are taken from its dir. */
int setfile_load(const char *path, struct set_spec *spec, char *err,
		 size_t errlen);

/* Applies the settings given in override on top of spec's. */
void setfile_apply_overrides(struct set_settings *settings,
			     const struct set_settings *override);

void part_spec_clear(struct part_spec *part);
void set_spec_clear(struct set_spec *spec);

#endif /* PMEMSETFS_SETFILE_H */
