/*
 * check_input.c: unit tests of the line splitter in input.c. Lines must come
 * out whole however the bytes are cut into chunks; a last line without a
 * newline only when the input ends; empty lines as lines; a line longer than
 * the limit once, cut to the limit and marked too long, with the rest of it
 * skipped up to its newline; and every line counted in the line numbers.
 */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

/* The lines input_feed delivered, each copied. */
struct line {
	char *text;
	size_t len;
	unsigned lineno;
	bool toolong;
};

struct lines {
	struct line v[64];
	size_t n;
};

static void
collect(const char *text, size_t len, unsigned lineno, bool toolong, void *arg)
{
	struct lines *ls = arg;
	struct line *l;

	ck_assert_uint_lt(ls->n, sizeof ls->v / sizeof ls->v[0]);
	l = &ls->v[ls->n++];
	l->text = malloc(len + 1);
	ck_assert_ptr_nonnull(l->text);
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	l->len = len;
	l->lineno = lineno;
	l->toolong = toolong;
}

static void
lines_free(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->v[i].text);
	ls->n = 0;
}

/* Checks line I: its text, number and whether it was too long. */
static void
check_line(const struct lines *ls, size_t i, const char *text, unsigned lineno,
	   bool toolong)
{
	ck_assert_uint_lt(i, ls->n);
	ck_assert_uint_eq(ls->v[i].len, strlen(text));
	ck_assert_str_eq(ls->v[i].text, text);
	ck_assert_uint_eq(ls->v[i].lineno, lineno);
	ck_assert_int_eq(ls->v[i].toolong, toolong);
}

static void
feed(struct input *in, const char *s, size_t limit, struct lines *ls)
{
	input_feed(in, s, strlen(s), limit, collect, ls);
}

static void
feed_end(struct input *in, size_t limit, struct lines *ls)
{
	input_feed(in, NULL, 0, limit, collect, ls);
}

START_TEST(test_whole_lines)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "spawn thread t1 print_numbers\nstart t1\nps\n", 100, &ls);
	ck_assert_uint_eq(ls.n, 3);
	check_line(&ls, 0, "spawn thread t1 print_numbers", 1, false);
	check_line(&ls, 1, "start t1", 2, false);
	check_line(&ls, 2, "ps", 3, false);
	feed_end(&in, 100, &ls);
	ck_assert_uint_eq(ls.n, 3);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_across_chunks)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "ab", 100, &ls);
	ck_assert_uint_eq(ls.n, 0);
	feed(&in, "c\nde", 100, &ls);
	ck_assert_uint_eq(ls.n, 1);
	check_line(&ls, 0, "abc", 1, false);
	feed(&in, "f", 100, &ls);
	feed(&in, "\n", 100, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 1, "def", 2, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_byte_at_a_time)
{
	static const char text[] = "one\n\ntwo three\nfour";
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	for (size_t i = 0; i < sizeof text - 1; i++)
		input_feed(&in, text + i, 1, 100, collect, &ls);
	ck_assert_uint_eq(ls.n, 3);
	feed_end(&in, 100, &ls);
	ck_assert_uint_eq(ls.n, 4);
	check_line(&ls, 0, "one", 1, false);
	check_line(&ls, 1, "", 2, false);
	check_line(&ls, 2, "two three", 3, false);
	check_line(&ls, 3, "four", 4, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_last_line_at_end_only)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "ps\nquit", 100, &ls);
	ck_assert_uint_eq(ls.n, 1);
	check_line(&ls, 0, "ps", 1, false);
	feed_end(&in, 100, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 1, "quit", 2, false);
	ck_assert(in.eof);
	/* The end reported again delivers nothing twice. */
	feed_end(&in, 100, &ls);
	ck_assert_uint_eq(ls.n, 2);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_no_extra_line_at_end)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "ps\n", 100, &ls);
	feed_end(&in, 100, &ls);
	ck_assert_uint_eq(ls.n, 1);
	ck_assert(in.eof);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_empty_input)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed_end(&in, 100, &ls);
	ck_assert_uint_eq(ls.n, 0);
	ck_assert(in.eof);
	input_free(&in);
}
END_TEST

START_TEST(test_empty_lines)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "\n\na\n\n", 100, &ls);
	ck_assert_uint_eq(ls.n, 4);
	check_line(&ls, 0, "", 1, false);
	check_line(&ls, 1, "", 2, false);
	check_line(&ls, 2, "a", 3, false);
	check_line(&ls, 3, "", 4, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_line_at_limit)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "01234567\n0123", 8, &ls);
	feed(&in, "4567\n", 8, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 0, "01234567", 1, false);
	check_line(&ls, 1, "01234567", 2, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_too_long_one_chunk)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "0123456789abcdef\nnext\n", 8, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 0, "01234567", 1, true);
	check_line(&ls, 1, "next", 2, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_too_long_by_one)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "012345678\nok\n", 8, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 0, "01234567", 1, true);
	check_line(&ls, 1, "ok", 2, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_too_long_across_chunks)
{
	static const char *const chunks[] = {
		"ab\n0123", "4567", "89", "abcdef", "gh", "ij\nnext", "\n",
	};
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
		feed(&in, chunks[i], 8, &ls);
	feed_end(&in, 8, &ls);
	ck_assert_uint_eq(ls.n, 3);
	check_line(&ls, 0, "ab", 1, false);
	check_line(&ls, 1, "01234567", 2, true);
	check_line(&ls, 2, "next", 3, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_too_long_byte_at_a_time)
{
	static const char text[] = "0123456789abcdefghij\nnext\n";
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	for (size_t i = 0; i < sizeof text - 1; i++)
		input_feed(&in, text + i, 1, 8, collect, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 0, "01234567", 1, true);
	check_line(&ls, 1, "next", 2, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_too_long_at_end)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "ok\n0123456789", 8, &ls);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 1, "01234567", 2, true);
	/* Reported once: the end of input does not deliver it again. */
	feed_end(&in, 8, &ls);
	ck_assert_uint_eq(ls.n, 2);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_two_long_lines_in_a_row)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "aaaaaaaaaaaa\nbbbbbbbbbbbbbbb\nc\n", 8, &ls);
	ck_assert_uint_eq(ls.n, 3);
	check_line(&ls, 0, "aaaaaaaa", 1, true);
	check_line(&ls, 1, "bbbbbbbb", 2, true);
	check_line(&ls, 2, "c", 3, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_line_numbers)
{
	struct input in;
	struct lines ls = { 0 };

	input_init(&in, -1);
	feed(&in, "a\n\n0123456789\nb", 8, &ls);
	feed(&in, "\n\nxyz", 8, &ls);
	feed_end(&in, 8, &ls);
	ck_assert_uint_eq(ls.n, 6);
	for (size_t i = 0; i < ls.n; i++)
		ck_assert_uint_eq(ls.v[i].lineno, i + 1);
	ck_assert_uint_eq(in.line, 6);
	check_line(&ls, 2, "01234567", 3, true);
	check_line(&ls, 5, "xyz", 6, false);
	lines_free(&ls);
	input_free(&in);
}
END_TEST

START_TEST(test_input_read_pipe)
{
	struct input in;
	struct lines ls = { 0 };
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "ps\ntasks", 8), 8);
	close(fds[1]);
	input_init(&in, fds[0]);
	ck_assert_int_eq(in.fd, fds[0]);
	ck_assert(!in.eof);
	ck_assert_int_eq(input_read(&in, 100, collect, &ls), 8);
	ck_assert_uint_eq(ls.n, 1);
	check_line(&ls, 0, "ps", 1, false);
	ck_assert_int_eq(input_read(&in, 100, collect, &ls), 0);
	ck_assert(in.eof);
	ck_assert_uint_eq(ls.n, 2);
	check_line(&ls, 1, "tasks", 2, false);
	lines_free(&ls);
	input_free(&in);
	ck_assert_ptr_null(in.buf);
	input_free(&in);
	close(fds[0]);
}
END_TEST

static Suite *
input_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("input_feed");

	tcase_add_test(tc, test_whole_lines);
	tcase_add_test(tc, test_across_chunks);
	tcase_add_test(tc, test_byte_at_a_time);
	tcase_add_test(tc, test_last_line_at_end_only);
	tcase_add_test(tc, test_no_extra_line_at_end);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_empty_lines);
	tcase_add_test(tc, test_line_at_limit);
	tcase_add_test(tc, test_too_long_one_chunk);
	tcase_add_test(tc, test_too_long_by_one);
	tcase_add_test(tc, test_too_long_across_chunks);
	tcase_add_test(tc, test_too_long_byte_at_a_time);
	tcase_add_test(tc, test_too_long_at_end);
	tcase_add_test(tc, test_two_long_lines_in_a_row);
	tcase_add_test(tc, test_line_numbers);
	tcase_add_test(tc, test_input_read_pipe);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(input_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
