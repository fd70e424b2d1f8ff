/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_setfile.c -- CUnit suite for pmemsetfs's set-file and -o value
 * parser (fs/base/setfile.c): sizes, settings, part directives, words with
 * quotes and escapes, every error naming its line, and that a failed parse
 * leaves nothing allocated.
 */
#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/setfile.h"

static char err[SETFILE_ERR_MAX];

static void sizes_take_binary_suffixes(void)
{
	size_t s = 0;
	CU_ASSERT_EQUAL(setfile_parse_size("4096", &s), 0);
	CU_ASSERT_EQUAL(s, 4096);
	CU_ASSERT_EQUAL(setfile_parse_size("64K", &s), 0);
	CU_ASSERT_EQUAL(s, 64 << 10);
	CU_ASSERT_EQUAL(setfile_parse_size("3m", &s), 0);
	CU_ASSERT_EQUAL(s, 3 << 20);
	CU_ASSERT_EQUAL(setfile_parse_size("2G", &s), 0);
	CU_ASSERT_EQUAL(s, (size_t)2 << 30);
	CU_ASSERT_EQUAL(setfile_parse_size("1T", &s), 0);
	CU_ASSERT_EQUAL(s, (size_t)1 << 40);
}

static void bad_sizes_are_rejected(void)
{
	size_t s = 77;
	const char *bad[] = {"",
			     "K",
			     "-1",
			     "1X",
			     "1KB",
			     "12 ",
			     "0x10",
			     "99999999999999999999",
			     "17179869184G"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(setfile_parse_size(bad[i], &s), -1);
	CU_ASSERT_EQUAL(s, 77);
}

static void setting_values_parse_and_print(void)
{
	enum pmemset_coalescing c;
	enum pmem2_granularity g;
	enum persist_mode p;
	CU_ASSERT_EQUAL(setfile_parse_coalescing("full", &c), 0);
	CU_ASSERT_EQUAL(c, PMEMSET_COALESCING_FULL);
	CU_ASSERT_EQUAL(setfile_parse_coalescing("opportunistic", &c), 0);
	CU_ASSERT_EQUAL(c, PMEMSET_COALESCING_OPPORTUNISTIC);
	CU_ASSERT_EQUAL(setfile_parse_coalescing("Full", &c), -1);
	CU_ASSERT_STRING_EQUAL(setfile_coalescing_name(PMEMSET_COALESCING_NONE),
			       "none");
	CU_ASSERT_EQUAL(setfile_parse_granularity("cacheline", &g), 0);
	CU_ASSERT_EQUAL(g, PMEM2_GRANULARITY_CACHE_LINE);
	CU_ASSERT_EQUAL(setfile_parse_granularity("byte", &g), 0);
	CU_ASSERT_EQUAL(g, PMEM2_GRANULARITY_BYTE);
	CU_ASSERT_EQUAL(setfile_parse_granularity("cache_line", &g), -1);
	CU_ASSERT_STRING_EQUAL(setfile_granularity_name(PMEM2_GRANULARITY_PAGE),
			       "page");
	CU_ASSERT_EQUAL(setfile_parse_persist("fsync", &p), 0);
	CU_ASSERT_EQUAL(p, PERSIST_ON_FSYNC);
	CU_ASSERT_EQUAL(setfile_parse_persist("never", &p), -1);
}

static void full_set_file_is_parsed_in_order(void)
{
	const char *text = "# demo set\n"
			   "reservation 1G   # one reservation\n"
			   "coalescing full\n"
			   "granularity cacheline\n"
			   "\n"
			   "part data0 /pmem/data.0 offset=4K length=64M\n"
			   "part data1 rel/data.1 length=1M create truncate\n"
			   "part scratch temporary=/tmp length=16M\n"
			   "part rest /pmem/whole\n";
	struct set_spec spec;
	CU_ASSERT_EQUAL_FATAL(
		setfile_parse_text(text, "/base", &spec, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(spec.settings.reservation, (size_t)1 << 30);
	CU_ASSERT_EQUAL(spec.settings.coalescing, PMEMSET_COALESCING_FULL);
	CU_ASSERT_EQUAL(spec.settings.granularity,
			PMEM2_GRANULARITY_CACHE_LINE);
	CU_ASSERT_EQUAL_FATAL(spec.nparts, 4);

	struct part_spec *p = spec.parts;
	CU_ASSERT_STRING_EQUAL(p[0].name, "data0");
	CU_ASSERT_STRING_EQUAL(p[0].path, "/pmem/data.0");
	CU_ASSERT_EQUAL(p[0].offset, 4096);
	CU_ASSERT_EQUAL(p[0].length, 64 << 20);
	CU_ASSERT_TRUE(p[0].has_length);
	CU_ASSERT_FALSE(p[0].create);
	CU_ASSERT_EQUAL(p[0].line, 6);

	CU_ASSERT_STRING_EQUAL(p[1].path, "/base/rel/data.1");
	CU_ASSERT_TRUE(p[1].create);
	CU_ASSERT_TRUE(p[1].truncate);

	CU_ASSERT_PTR_NULL(p[2].path);
	CU_ASSERT_STRING_EQUAL(p[2].temp_dir, "/tmp");
	CU_ASSERT_EQUAL(p[2].length, 16 << 20);

	CU_ASSERT_FALSE(p[3].has_length);
	CU_ASSERT_EQUAL(p[3].offset, 0);
	CU_ASSERT_EQUAL(p[3].line, 9);
	set_spec_clear(&spec);
	CU_ASSERT_EQUAL(spec.nparts, 0);
}

static void defaults_are_page_none_write(void)
{
	struct set_spec spec;
	CU_ASSERT_EQUAL_FATAL(setfile_parse_text("part a /f\n", NULL, &spec,
						 err, sizeof(err)),
			      0);
	CU_ASSERT_EQUAL(spec.settings.granularity, PMEM2_GRANULARITY_PAGE);
	CU_ASSERT_EQUAL(spec.settings.coalescing, PMEMSET_COALESCING_NONE);
	CU_ASSERT_EQUAL(spec.settings.persist, PERSIST_ON_WRITE);
	CU_ASSERT_EQUAL(spec.settings.reservation, 0);
	set_spec_clear(&spec);
}

/* text must fail with an error that starts with "LINE:" and holds what */
static void expect_error(const char *text, const char *line, const char *what)
{
	struct set_spec spec;
	CU_ASSERT_EQUAL(setfile_parse_text(text, "/b", &spec, err, sizeof(err)),
			-1);
	CU_ASSERT_EQUAL(strncmp(err, line, strlen(line)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, what));
	CU_ASSERT_EQUAL(spec.nparts, 0);
	CU_ASSERT_PTR_NULL(spec.parts);
}

static void errors_name_their_line(void)
{
	expect_error("part a /f\nfrobnicate 1\n", "2:", "unknown directive");
	expect_error("part a /f length=12Q\n", "1:", "bad size '12Q'");
	expect_error("part a /f\n\npart a /g\n", "3:", "duplicate name");
	expect_error("coalescing sometimes\npart a /f\n",
		     "1:", "bad coalescing");
	expect_error("granularity word\npart a /f\n", "1:", "bad granularity");
	expect_error("reservation\npart a /f\n", "1:", "exactly one value");
	expect_error("reservation 0\npart a /f\n", "1:", "bad reservation");
	expect_error("part a temporary=/tmp\n", "1:", "needs length");
	expect_error("part a temporary=/tmp length=1M offset=4K\n",
		     "1:", "no offset");
	expect_error("part a temporary=/tmp length=1M create\n",
		     "1:", "'create'");
	expect_error("part a /f sparkle\n", "1:", "'sparkle'");
	expect_error("part a /f offset=1 offset=2\n", "1:",
		     "offset given "
		     "twice");
	expect_error("part a /f length=0\n", "1:", "length must not be 0");
	expect_error("part .pmemset /f\n", "1:", "bad name");
	expect_error("part a/b /f\n", "1:", "bad name");
	expect_error("part a\n", "1:", "usage: part");
	expect_error("part victim /f length=12Q\n",
		     "1:", "part victim: bad size");
	expect_error("part victim /f bogus\n", "1:", "part victim:");
	expect_error("part a /f\nparts b /g\n",
		     "2:", "unknown directive 'parts'");
	expect_error("part a\x01b /f\n", "1:", "bad name");
	expect_error("# only a comment\n", " ", "no part directive");
}

/* A UTF-8 byte-order mark opens the file: skipped, lines still counted. */
static void leading_byte_order_mark_is_skipped(void)
{
	struct set_spec spec;
	CU_ASSERT_EQUAL(setfile_parse_text("\xef\xbb\xbfpart a /f\npart b /g\n",
					   "/b", &spec, err, sizeof(err)),
			0);
	CU_ASSERT_EQUAL(spec.nparts, 2);
	if (spec.nparts == 2) {
		CU_ASSERT_STRING_EQUAL(spec.parts[0].name, "a");
		CU_ASSERT_EQUAL(spec.parts[0].line, 1);
		CU_ASSERT_STRING_EQUAL(spec.parts[1].path, "/g");
	}
	set_spec_clear(&spec);
	/* only at the very start: elsewhere it is still a bad directive */
	expect_error("part a /f\n\xef\xbb\xbfpart b /g\n",
		     "2:", "unknown directive");
	expect_error("\xef\xbb\xbfpart a /f\npart a /g\n",
		     "2:", "duplicate name (first defined on line 1)");
}

/* The duplicate check holds over many names (it is a hash table). */
static void duplicate_found_among_many_parts(void)
{
	size_t n = 3000, cap = n * 24 + 64, len = 0;
	char *text = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"part p%zu /f%zu\n", i, i);
	snprintf(text + len, cap - len, "part p1234 /again\n");
	expect_error(text, "3001:",
		     "part p1234: duplicate name (first "
		     "defined on line 1235)");
	text[len] = '\0';
	struct set_spec spec;
	CU_ASSERT_EQUAL(setfile_parse_text(text, "/b", &spec, err, sizeof(err)),
			0);
	CU_ASSERT_EQUAL(spec.nparts, n);
	set_spec_clear(&spec);
	free(text);
}

static void part_words_for_ctl_need_absolute_paths(void)
{
	struct part_spec part;
	CU_ASSERT_EQUAL(setfile_parse_part("x rel/path length=1M", NULL, &part,
					   err, sizeof(err)),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "must be absolute"));
	CU_ASSERT_PTR_NULL(part.name);
	CU_ASSERT_EQUAL(setfile_parse_part("x /abs offset=8K create\n", NULL,
					   &part, err, sizeof(err)),
			0);
	CU_ASSERT_STRING_EQUAL(part.name, "x");
	CU_ASSERT_STRING_EQUAL(part.path, "/abs");
	CU_ASSERT_EQUAL(part.offset, 8192);
	CU_ASSERT_TRUE(part.create);
	CU_ASSERT_FALSE(part.has_length);
	part_spec_clear(&part);
}

/* split LINE and compare its words with the NULL-ended EXPECTED */
static void expect_words(const char *line, const char *const *expected)
{
	char copy[256];
	char *words[SETFILE_MAX_WORDS];
	snprintf(copy, sizeof(copy), "%s", line);
	int n = setfile_split_words(copy, words, SETFILE_MAX_WORDS, err,
				    sizeof(err));
	int want = 0;
	while (expected[want] != NULL)
		want++;
	CU_ASSERT_EQUAL(n, want);
	for (int i = 0; i < n && i < want; i++)
		CU_ASSERT_STRING_EQUAL(words[i], expected[i]);
}

static void words_take_quotes_escapes_and_comments(void)
{
	expect_words("part a /x/y.img\n",
		     (const char *[]){"part", "a", "/x/y.img", NULL});
	expect_words(
		"part a \"/with space/a b.img\" # comment",
		(const char *[]){"part", "a", "/with space/a b.img", NULL});
	/* '...' is taken as it is, backslashes too */
	expect_words("'c#1 \\n' '' x",
		     (const char *[]){"c#1 \\n", "", "x", NULL});
	/* in "...", \" and \\ stand for " and \; other backslashes stay */
	expect_words("\"q\\\"b\\\\s\\n\"",
		     (const char *[]){"q\"b\\s\\n", NULL});
	/* outside quotes a backslash takes the next character as it is */
	expect_words("it\\'s a\\ b \\#c",
		     (const char *[]){"it's", "a b", "#c", NULL});
	/* quoted stretches join the word around them, as in a shell */
	expect_words("/odd\"dir \"'x'/c.img",
		     (const char *[]){"/odddir x/c.img", NULL});
	/* '#' starts a comment only at the start of a word */
	expect_words("a#b c # d", (const char *[]){"a#b", "c", NULL});
	expect_words("# all comment", (const char *[]){NULL});
	expect_words("\t  \r\n", (const char *[]){NULL});
}

static void unterminated_quote_names_line_and_quote(void)
{
	expect_error("part a /f\npart b \"/with space/b.img\n",
		     "2:", "unterminated \" quote (opened at column 8)");
	expect_error("part c '/x\n", "1:", "unterminated ' quote");
	expect_error("part d /x\\\n", "1:", "backslash ends the line");
	char line[] = "a b c d e f g h i j k l m n o p q";
	char *words[SETFILE_MAX_WORDS];
	CU_ASSERT_EQUAL(setfile_split_words(line, words, SETFILE_MAX_WORDS, err,
					    sizeof(err)),
			-1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "too many words"));
}

static void quoted_words_split_back_to_themselves(void)
{
	const char *cases[] = {"plain/path.img", "with space", "#hash",
			       "mid#hash",	 "q\"uote",    "it's",
			       "back\\slash",	 "",	       "tab\there"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *quoted = setfile_quote_word(cases[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(quoted);
		char *words[SETFILE_MAX_WORDS];
		int n = setfile_split_words(quoted, words, SETFILE_MAX_WORDS,
					    err, sizeof(err));
		CU_ASSERT_EQUAL(n, 1);
		if (n == 1)
			CU_ASSERT_STRING_EQUAL(words[0], cases[i]);
		free(quoted);
	}
	char *plain = setfile_quote_word("unmap");
	CU_ASSERT_STRING_EQUAL(plain, "unmap"); /* no quotes when not needed */
	free(plain);
	CU_ASSERT_PTR_NULL(setfile_quote_word("two\nlines"));
}

static void part_directive_with_quoted_path(void)
{
	struct set_spec spec;
	CU_ASSERT_EQUAL_FATAL(
		setfile_parse_text("part a \"/src/a b.img\" length=4K # x\n"
				   "part 'my part' rel\\ dir/c#1.img\n",
				   "/base", &spec, err, sizeof(err)),
		0);
	CU_ASSERT_EQUAL(spec.nparts, 2);
	if (spec.nparts == 2) {
		CU_ASSERT_STRING_EQUAL(spec.parts[0].path, "/src/a b.img");
		CU_ASSERT_EQUAL(spec.parts[0].length, 4096);
		CU_ASSERT_STRING_EQUAL(spec.parts[1].name, "my part");
		CU_ASSERT_STRING_EQUAL(spec.parts[1].path,
				       "/base/rel dir/c#1.img");
	}
	set_spec_clear(&spec);
}

static void options_override_only_what_they_name(void)
{
	struct set_settings s = {.reservation = 4096,
				 .coalescing = PMEMSET_COALESCING_FULL,
				 .granularity = PMEM2_GRANULARITY_PAGE};
	struct set_settings o = {0};
	o.persist = PERSIST_ON_FSYNC;
	o.has_persist = true;
	o.granularity = PMEM2_GRANULARITY_BYTE;
	o.has_granularity = true;
	setfile_apply_overrides(&s, &o);
	CU_ASSERT_EQUAL(s.persist, PERSIST_ON_FSYNC);
	CU_ASSERT_EQUAL(s.granularity, PMEM2_GRANULARITY_BYTE);
	CU_ASSERT_EQUAL(s.coalescing, PMEMSET_COALESCING_FULL);
	CU_ASSERT_EQUAL(s.reservation, 4096);
}

static void part_names_that_cannot_be_files_are_refused(void)
{
	CU_ASSERT_TRUE(setfile_valid_part_name("data0"));
	CU_ASSERT_FALSE(setfile_valid_part_name(""));
	CU_ASSERT_FALSE(setfile_valid_part_name("."));
	CU_ASSERT_FALSE(setfile_valid_part_name(".."));
	CU_ASSERT_FALSE(setfile_valid_part_name("a/b"));
	CU_ASSERT_FALSE(setfile_valid_part_name("a\x1b[2Jb"));
	CU_ASSERT_FALSE(setfile_valid_part_name("tab\there"));
	CU_ASSERT_TRUE(setfile_valid_part_name("caf\xc3\xa9")); /* UTF-8 */
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CU_ASSERT_FALSE(setfile_valid_part_name(longname));
}

static void messages_escape_control_bytes_and_cut_long_text(void)
{
	char out[64];
	setfile_escape("a\x01"
		       "b\\c\x1b",
		       6, 100, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "a\\x01b\\x5cc\\x1b");
	setfile_escape("abcdefgh", 8, 4, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "abcd...");
	setfile_escape("caf\xc3\xa9", 5, 100, out, sizeof(out));
	CU_ASSERT_STRING_EQUAL(out, "caf\xc3\xa9"); /* UTF-8 stays readable */
	char tiny[6];
	setfile_escape("\x01\x02\x03", 3, 100, tiny, sizeof(tiny));
	CU_ASSERT(strlen(tiny) < sizeof(tiny)); /* never overruns */
}

int main(void)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	CU_pSuite suite = CU_add_suite("setfile", NULL, NULL);
	CU_add_test(suite, "sizes_take_binary_suffixes",
		    sizes_take_binary_suffixes);
	CU_add_test(suite, "bad_sizes_are_rejected", bad_sizes_are_rejected);
	CU_add_test(suite, "setting_values_parse_and_print",
		    setting_values_parse_and_print);
	CU_add_test(suite, "full_set_file_is_parsed_in_order",
		    full_set_file_is_parsed_in_order);
	CU_add_test(suite, "defaults_are_page_none_write",
		    defaults_are_page_none_write);
	CU_add_test(suite, "errors_name_their_line", errors_name_their_line);
	CU_add_test(suite, "leading_byte_order_mark_is_skipped",
		    leading_byte_order_mark_is_skipped);
	CU_add_test(suite, "duplicate_found_among_many_parts",
		    duplicate_found_among_many_parts);
	CU_add_test(suite, "part_words_for_ctl_need_absolute_paths",
		    part_words_for_ctl_need_absolute_paths);
	CU_add_test(suite, "words_take_quotes_escapes_and_comments",
		    words_take_quotes_escapes_and_comments);
	CU_add_test(suite, "unterminated_quote_names_line_and_quote",
		    unterminated_quote_names_line_and_quote);
	CU_add_test(suite, "quoted_words_split_back_to_themselves",
		    quoted_words_split_back_to_themselves);
	CU_add_test(suite, "part_directive_with_quoted_path",
		    part_directive_with_quoted_path);
	CU_add_test(suite, "options_override_only_what_they_name",
		    options_override_only_what_they_name);
	CU_add_test(suite, "part_names_that_cannot_be_files_are_refused",
		    part_names_that_cannot_be_files_are_refused);
	CU_add_test(suite, "messages_escape_control_bytes_and_cut_long_text",
		    messages_escape_control_bytes_and_cut_long_text);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failures == 0 ? 0 : 1;
}
