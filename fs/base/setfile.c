/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setfile.c -- parser of the set-file language and of the -o values. One
 * directive a line, words split on blanks as a shell would split them
 * ("..." with \" and \\, '...' as it is, a backslash before any other
 * character), '#' at the start of a word starts a comment:
 *   part NAME PATH [offset=SIZE] [length=SIZE] [create] [truncate]
 *   part NAME temporary=DIR length=SIZE
 *   reservation SIZE | coalescing MODE | granularity GRANULARITY
 * Everything here is pure (memory in, records out) so it is unit-tested
 * without FUSE or pmem; reading the file itself is setfile_load's job.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash_table.h"
#include "base/log.h"
#include "base/setfile.h"

#define MAX_LINE 4096

/* The parser's failures are all -1 with the reason in err. */
#define fail(err, errlen, ...) reason_fail(err, errlen, -1, __VA_ARGS__)

int setfile_parse_size(const char *text, size_t *size)
{
	if (text == NULL || *text < '0' || *text > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long value = strtoull(text, &end, 10);
	if (errno != 0)
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case '\0':
		break;
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	case 'T':
	case 't':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (shift != 0 && end[1] != '\0')
		return -1;
	if (value > (SIZE_MAX >> shift))
		return -1;
	*size = (size_t)value << shift;
	return 0;
}

static const char *const coalescing_names[] = {
	[PMEMSET_COALESCING_NONE] = "none",
	[PMEMSET_COALESCING_OPPORTUNISTIC] = "opportunistic",
	[PMEMSET_COALESCING_FULL] = "full",
};

int setfile_parse_coalescing(const char *text, enum pmemset_coalescing *c)
{
	for (int i = PMEMSET_COALESCING_NONE; i <= PMEMSET_COALESCING_FULL;
	     i++) {
		if (strcmp(text, coalescing_names[i]) == 0) {
			*c = (enum pmemset_coalescing)i;
			return 0;
		}
	}
	return -1;
}

const char *setfile_coalescing_name(enum pmemset_coalescing c)
{
	if (c > PMEMSET_COALESCING_FULL)
		return "?";
	return coalescing_names[c];
}

int setfile_parse_granularity(const char *text, enum pmem2_granularity *g)
{
	if (strcmp(text, "page") == 0)
		*g = PMEM2_GRANULARITY_PAGE;
	else if (strcmp(text, "cacheline") == 0)
		*g = PMEM2_GRANULARITY_CACHE_LINE;
	else if (strcmp(text, "byte") == 0)
		*g = PMEM2_GRANULARITY_BYTE;
	else
		return -1;
	return 0;
}

const char *setfile_granularity_name(enum pmem2_granularity g)
{
	switch (g) {
	case PMEM2_GRANULARITY_PAGE:
		return "page";
	case PMEM2_GRANULARITY_CACHE_LINE:
		return "cacheline";
	case PMEM2_GRANULARITY_BYTE:
		return "byte";
	}
	return "?";
}

int setfile_parse_persist(const char *text, enum persist_mode *p)
{
	if (strcmp(text, "write") == 0)
		*p = PERSIST_ON_WRITE;
	else if (strcmp(text, "fsync") == 0)
		*p = PERSIST_ON_FSYNC;
	else
		return -1;
	return 0;
}

const char *setfile_persist_name(enum persist_mode p)
{
	return p == PERSIST_ON_FSYNC ? "fsync" : "write";
}

void setfile_escape(const char *text, size_t len, size_t max_in, char *out,
		    size_t outlen)
{
	size_t o = 0;
	bool cut = len > max_in;
	if (cut)
		len = max_in;
	for (size_t i = 0; i < len && o + 5 < outlen; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c == 0x7f || c == '\\')
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
					      c);
		else
			out[o++] = (char)c;
	}
	if (cut && o + 4 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	if (outlen > 0)
		out[o < outlen ? o : outlen - 1] = '\0';
}

bool setfile_valid_part_name(const char *name)
{
	/* names starting with '.' are kept for .pmemset and friends */
	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 255)
		return false;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		/* control characters would garble ls and the status file */
		if (*c == '/' || *c < 0x20 || *c == 0x7f)
			return false;
	}
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Copies one quoted stretch from *in (at its opening quote) to *out:
 * '...' as it is, "..." with \" and \\ standing for " and \. Returns -1
 * when the line ends before the closing quote.
 */
static int copy_quoted(const char **in, char **out)
{
	char quote = **in;
	const char *r = *in + 1;
	char *w = *out;
	for (; *r != quote; r++) {
		if (*r == '\0')
			return -1;
		if (quote == '"' && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r;
	}
	*in = r + 1;
	*out = w;
	return 0;
}

int setfile_split_words(char *line, char **words, int max, char *err,
			size_t errlen)
{
	/* a word is never longer than its text: unquote it in place */
	const char *r = line;
	char *w = line;
	int n = 0;
	for (;;) {
		while (is_blank(*r))
			r++;
		if (*r == '\0' || *r == '#') /* '#' opens a comment */
			return n;
		if (n == max)
			return fail(err, errlen, "too many words (at most %d)",
				    max);
		words[n++] = w;
		while (*r != '\0' && !is_blank(*r)) {
			if (*r == '"' || *r == '\'') {
				/* read now: copying overwrites the text */
				char quote = *r;
				size_t column = (size_t)(r - line) + 1;
				if (copy_quoted(&r, &w) != 0)
					return fail(err, errlen,
						    "unterminated %c quote "
						    "(opened at column %zu)",
						    quote, column);
			} else if (*r == '\\') {
				if (r[1] == '\0')
					return fail(err, errlen,
						    "a backslash ends the line "
						    "(it escapes the next "
						    "character)");
				*w++ = r[1];
				r += 2;
			} else {
				*w++ = *r++;
			}
		}
		bool last = *r == '\0';
		*w++ = '\0'; /* may overwrite the blank at r: read before */
		if (last)
			return n;
		r++;
	}
}

/* Whether word splits back to itself unquoted. */
static bool needs_no_quotes(const char *word)
{
	if (*word == '\0')
		return false;
	for (const char *c = word; *c != '\0'; c++)
		if (is_blank(*c) || *c == '"' || *c == '\'' || *c == '\\' ||
		    (*c == '#' && c == word))
			return false;
	return true;
}

char *setfile_quote_word(const char *word)
{
	if (strchr(word, '\n') != NULL) {
		errno = EINVAL; /* a command is one line */
		return NULL;
	}
	if (needs_no_quotes(word))
		return strdup(word);
	char *out = malloc(2 * strlen(word) + 3);
	if (out == NULL)
		return NULL;
	char *w = out;
	*w++ = '"';
	for (const char *c = word; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			*w++ = '\\';
		*w++ = *c;
	}
	*w++ = '"';
	*w = '\0';
	return out;
}

/* An absolute copy of path: relative ones are taken from base_dir. */
static char *absolute_path(const char *path, const char *base_dir)
{
	char *out;
	if (path[0] == '/')
		return strdup(path);
	if (base_dir == NULL)
		return NULL;
	if (asprintf(&out, "%s/%s", base_dir, path) < 0)
		return NULL;
	return out;
}

/* Reads "key=SIZE" into size when word starts with key=. */
static int size_option(const char *name, const char *word, const char *key,
		       size_t *size, bool *found, char *err, size_t errlen)
{
	size_t keylen = strlen(key);
	if (strncmp(word, key, keylen) != 0 || word[keylen] != '=')
		return 0;
	if (*found)
		return fail(err, errlen, "part %s: %s given twice", name, key);
	if (setfile_parse_size(word + keylen + 1, size) != 0)
		return fail(err, errlen,
			    "part %s: bad size '%s' (want a number with "
			    "an optional K, M, G or T suffix)",
			    name, word + keylen + 1);
	*found = true;
	return 1;
}

int setfile_parse_part_words(char **words, int n, const char *base_dir,
			     struct part_spec *part, char *err, size_t errlen)
{
	memset(part, 0, sizeof(*part));
	if (n < 2)
		return fail(err, errlen,
			    "usage: part NAME PATH [offset=SIZE] "
			    "[length=SIZE] [create] [truncate] | part "
			    "NAME temporary=DIR length=SIZE");
	if (!setfile_valid_part_name(words[0])) {
		char shown[200];
		setfile_escape(words[0], strlen(words[0]), 32, shown,
			       sizeof(shown));
		return fail(err, errlen,
			    "part '%s': bad name (no '/' or control "
			    "characters, not starting with '.', at most 255 "
			    "bytes)",
			    shown);
	}
	const char *where = words[1];
	bool temporary = strncmp(where, "temporary=", 10) == 0;
	if (temporary)
		where += 10;
	if (*where == '\0')
		return fail(err, errlen, "part %s: empty path", words[0]);
	char *abs = absolute_path(where, base_dir);
	if (abs == NULL)
		return fail(err, errlen, "part %s: path '%s' must be absolute",
			    words[0], where);
	part->name = strdup(words[0]);
	if (temporary)
		part->temp_dir = abs;
	else
		part->path = abs;

	bool has_offset = false;
	for (int i = 2; i < n; i++) {
		const char *w = words[i];
		int r = size_option(words[0], w, "offset", &part->offset,
				    &has_offset, err, errlen);
		if (r == 0)
			r = size_option(words[0], w, "length", &part->length,
					&part->has_length, err, errlen);
		if (r < 0)
			goto err_clear;
		if (r > 0)
			continue;
		if (strcmp(w, "create") == 0 && !temporary)
			part->create = true;
		else if (strcmp(w, "truncate") == 0 && !temporary)
			part->truncate = true;
		else {
			fail(err, errlen,
			     "part %s: unknown or misplaced word "
			     "'%s'",
			     words[0], w);
			goto err_clear;
		}
	}
	if (temporary && has_offset) {
		fail(err, errlen, "part %s: a temporary part takes no offset",
		     words[0]);
		goto err_clear;
	}
	if (temporary && !part->has_length) {
		fail(err, errlen, "part %s: a temporary part needs length=SIZE",
		     words[0]);
		goto err_clear;
	}
	if (part->has_length && part->length == 0) {
		fail(err, errlen, "part %s: length must not be 0", words[0]);
		goto err_clear;
	}
	if (part->name == NULL) {
		fail(err, errlen, "out of memory");
		goto err_clear;
	}
	return 0;

err_clear:
	part_spec_clear(part);
	return -1;
}

int setfile_parse_part(const char *words_text, const char *base_dir,
		       struct part_spec *part, char *err, size_t errlen)
{
	memset(part, 0, sizeof(*part));
	char line[MAX_LINE];
	if (strlen(words_text) >= sizeof(line))
		return fail(err, errlen, "line too long");
	strcpy(line, words_text);
	char *words[SETFILE_MAX_WORDS];
	int n = setfile_split_words(line, words, SETFILE_MAX_WORDS, err,
				    errlen);
	if (n < 0)
		return -1;
	return setfile_parse_part_words(words, n, base_dir, part, err, errlen);
}

/*
 * Part names seen so far, for the duplicate check: entries are indexes
 * into spec->parts plus one (an entry is never NULL), since the array
 * moves as it grows; a 10,000-part set file is then not a quadratic
 * number of string compares.
 */
static const char *name_at(const void *entry, const struct set_spec *spec)
{
	return spec->parts[(uintptr_t)entry - 1].name;
}

static size_t name_entry_hash(const void *entry, const void *spec)
{
	return hash_string(name_at(entry, spec));
}

static bool name_entry_is(const void *entry, const void *name, const void *spec)
{
	return strcmp(name_at(entry, spec), name) == 0;
}

static int add_part(struct set_spec *spec, struct hash_table *names,
		    struct part_spec *part, char *err, size_t errlen)
{
	uintptr_t seen = (uintptr_t)hash_table_find(
		names, hash_string(part->name), name_entry_is, part->name);
	if (seen != 0)
		return fail(err, errlen,
			    "part %s: duplicate name "
			    "(first defined on line %u)",
			    part->name, spec->parts[seen - 1].line);
	struct part_spec *grown =
		realloc(spec->parts, (spec->nparts + 1) * sizeof(*spec->parts));
	if (grown == NULL)
		return fail(err, errlen, "out of memory");
	spec->parts = grown;
	spec->parts[spec->nparts++] = *part;
	if (hash_table_add(names, (void *)(uintptr_t)spec->nparts) != 0) {
		/* the caller frees part: the spec must not keep it */
		spec->nparts--;
		return fail(err, errlen, "out of memory");
	}
	return 0;
}

#define UTF8_BOM "\xef\xbb\xbf"

static int parse_setting(char **words, int n, struct set_settings *s, char *err,
			 size_t errlen)
{
	const char *key = words[0];
	if (strcmp(key, "reservation") != 0 && strcmp(key, "coalescing") != 0 &&
	    strcmp(key, "granularity") != 0)
		return fail(err, errlen, "unknown directive '%s'", key);
	if (n != 2)
		return fail(err, errlen, "%s takes exactly one value", key);
	if (strcmp(key, "reservation") == 0) {
		if (setfile_parse_size(words[1], &s->reservation) != 0 ||
		    s->reservation == 0)
			return fail(err, errlen, "bad reservation size '%s'",
				    words[1]);
		s->has_reservation = true;
	} else if (strcmp(key, "coalescing") == 0) {
		if (setfile_parse_coalescing(words[1], &s->coalescing) != 0)
			return fail(err, errlen,
				    "bad coalescing '%s' (want "
				    "none, opportunistic or full)",
				    words[1]);
		s->has_coalescing = true;
	} else if (strcmp(key, "granularity") == 0) {
		if (setfile_parse_granularity(words[1], &s->granularity) != 0)
			return fail(err, errlen,
				    "bad granularity '%s' (want "
				    "page, cacheline or byte)",
				    words[1]);
		s->has_granularity = true;
	}
	return 0;
}

static void default_settings(struct set_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->coalescing = PMEMSET_COALESCING_NONE;
	s->granularity = PMEM2_GRANULARITY_PAGE;
	s->persist = PERSIST_ON_WRITE;
}

static int parse_line(char *line, unsigned lineno, const char *base_dir,
		      struct set_spec *spec, struct hash_table *names,
		      char *err, size_t errlen)
{
	char *words[SETFILE_MAX_WORDS];
	int n = setfile_split_words(line, words, SETFILE_MAX_WORDS, err,
				    errlen);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if (strcmp(words[0], "part") != 0)
		return parse_setting(words, n, &spec->settings, err, errlen);

	struct part_spec part;
	if (setfile_parse_part_words(words + 1, n - 1, base_dir, &part, err,
				     errlen))
		return -1;
	part.line = lineno;
	if (add_part(spec, names, &part, err, errlen) != 0) {
		part_spec_clear(&part);
		return -1;
	}
	return 0;
}

int setfile_parse_text(const char *text, const char *base_dir,
		       struct set_spec *spec, char *err, size_t errlen)
{
	memset(spec, 0, sizeof(*spec));
	default_settings(&spec->settings);
	unsigned lineno = 0;
	char reason[SETFILE_ERR_MAX];
	struct hash_table names = HASH_TABLE_INIT(name_entry_hash, spec);
	/* editors on some systems start UTF-8 text with a byte-order mark */
	const char *p = text;
	if (strncmp(p, UTF8_BOM, strlen(UTF8_BOM)) == 0)
		p += strlen(UTF8_BOM);
	while (*p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[MAX_LINE];
		lineno++;
		if (len >= sizeof(line)) {
			snprintf(reason, sizeof(reason), "line too long");
			goto err_clear;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (parse_line(line, lineno, base_dir, spec, &names, reason,
			       sizeof(reason)) != 0)
			goto err_clear;
		p += len + (eol != NULL);
	}
	hash_table_clear(&names);
	if (spec->nparts == 0) {
		set_spec_clear(spec);
		return fail(err, errlen, " no part directive");
	}
	return 0;

err_clear:
	hash_table_clear(&names);
	fail(err, errlen, "%u: %s", lineno, reason);
	set_spec_clear(spec);
	return -1;
}

void setfile_apply_overrides(struct set_settings *settings,
			     const struct set_settings *override)
{
	if (override->has_reservation) {
		settings->reservation = override->reservation;
		settings->has_reservation = true;
	}
	if (override->has_coalescing) {
		settings->coalescing = override->coalescing;
		settings->has_coalescing = true;
	}
	if (override->has_granularity) {
		settings->granularity = override->granularity;
		settings->has_granularity = true;
	}
	if (override->has_persist) {
		settings->persist = override->persist;
		settings->has_persist = true;
	}
}

void part_spec_clear(struct part_spec *part)
{
	free(part->name);
	free(part->path);
	free(part->temp_dir);
	memset(part, 0, sizeof(*part));
}

void set_spec_clear(struct set_spec *spec)
{
	for (size_t i = 0; i < spec->nparts; i++)
		part_spec_clear(&spec->parts[i]);
	free(spec->parts);
	memset(spec, 0, sizeof(*spec));
	default_settings(&spec->settings);
}
