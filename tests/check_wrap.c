/*
 * check_wrap.c: unit tests of wrapping text to the terminal: lines break
 * at spaces, never inside a word; lines after the first hang at the
 * indent asked for; a word too long for any line stays whole; characters,
 * not bytes, are counted; and the width with no terminal is $COLUMNS or
 * 80.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wrap.h"

/* TEXT wrapped to WIDTH with INDENT, as a string to compare. */
static void
assert_wrap(const char *text, int width, int indent, const char *want)
{
	struct buf out = { 0 };

	wrap_line(&out, text, strlen(text), width, indent);
	ck_assert_msg(strcmp(buf_str(&out), want) == 0,
		      "wrap(\"%s\", %d, %d):\n%s\nwant:\n%s", text, width,
		      indent, buf_str(&out), want);
	buf_free(&out);
}

START_TEST(test_fits)
{
	assert_wrap("", 40, 0, "\n");
	assert_wrap("a short line", 40, 0, "a short line\n");
	assert_wrap("exactly ten", 11, 0, "exactly ten\n");
	assert_wrap("  kept  gaps   inside", 40, 0, "  kept  gaps   inside\n");
	assert_wrap("trailing   ", 40, 0, "trailing\n");
}
END_TEST

START_TEST(test_breaks_at_spaces)
{
	assert_wrap("the quick brown fox jumps", 10, 0,
		    "the quick\nbrown fox\njumps\n");
	/* Never inside a word: "interleave" goes down whole. */
	assert_wrap("workers interleave between steps", 12, 0,
		    "workers\ninterleave\nbetween\nsteps\n");
}
END_TEST

START_TEST(test_hanging_indent)
{
	assert_wrap("join NAME...  wait for workers to end, then reap them, "
		    "all of them",
		    50, 14,
		    "join NAME...  wait for workers to end, then reap\n"
		    "              them, all of them\n");
	/* An indent that would leave under 30 columns goes back to 4. */
	assert_wrap("join NAME...  wait for workers to end, then reap them", 40,
		    14,
		    "join NAME...  wait for workers to end,\n"
		    "    then reap them\n");
}
END_TEST

START_TEST(test_long_word)
{
	assert_wrap("see https://example.org/a/very/long/path now", 12, 0,
		    "see\nhttps://example.org/a/very/long/path\nnow\n");
	assert_wrap("abcdefghijklmnop", 5, 0, "abcdefghijklmnop\n");
}
END_TEST

START_TEST(test_no_width_no_breaks)
{
	assert_wrap("a line much longer than any width given here", 0, 4,
		    "a line much longer than any width given here\n");
}
END_TEST

START_TEST(test_counts_characters)
{
	/* "héllo wörld" is 11 characters in 13 bytes: it fits in 11. */
	assert_wrap("h\xc3\xa9llo w\xc3\xb6rld", 11, 0,
		    "h\xc3\xa9llo w\xc3\xb6rld\n");
	assert_wrap("h\xc3\xa9llo w\xc3\xb6rld", 10, 0,
		    "h\xc3\xa9llo\nw\xc3\xb6rld\n");
}
END_TEST

START_TEST(test_width_without_terminal)
{
	/* Check runs the test with stdout a pipe or file, not a terminal. */
	setenv("COLUMNS", "132", 1);
	ck_assert_int_eq(wrap_width(), 132);
	setenv("COLUMNS", "5", 1); /* not believable: the default */
	ck_assert_int_eq(wrap_width(), 80);
	unsetenv("COLUMNS");
	ck_assert_int_eq(wrap_width(), 80);
}
END_TEST

static Suite *
wrap_suite(void)
{
	Suite *s = suite_create("wrap");
	TCase *tc = tcase_create("wrap");

	tcase_add_test(tc, test_fits);
	tcase_add_test(tc, test_breaks_at_spaces);
	tcase_add_test(tc, test_hanging_indent);
	tcase_add_test(tc, test_long_word);
	tcase_add_test(tc, test_no_width_no_breaks);
	tcase_add_test(tc, test_counts_characters);
	tcase_add_test(tc, test_width_without_terminal);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(wrap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
