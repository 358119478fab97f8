/*
 * check_lex.c: unit tests of lex_line, the command-line lexer. They cover
 * how a line is cut into commands (';', empty commands skipped) and words
 * (blanks, both kinds of quotes and their escapes, quoted text joined to
 * bare text, '#' comments), the 1-based column of every word, and every
 * error with its column, after which the result must be empty.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"

/* Lexes the NUL-terminated LINE, which must succeed, into R. */
static void
lex_ok(const char *line, struct lex_result *r)
{
	struct lex_error err = { 0 };
	int rc = lex_line(line, strlen(line), r, &err);

	ck_assert_msg(rc == 0, "lex_line(\"%s\") failed: column %d: %s", line,
		      err.col, err.msg);
}

/* Checks that command I of R holds exactly the words in WANT (NULL-ended). */
static void
check_words(const struct lex_result *r, size_t i, const char *const *want)
{
	const struct lex_cmd *c;
	int n = 0;

	ck_assert_uint_lt(i, r->n);
	c = &r->cmds[i];
	while (want[n] != NULL)
		n++;
	ck_assert_int_eq(c->argc, n);
	for (int j = 0; j < n; j++)
		ck_assert_str_eq(c->argv[j], want[j]);
	ck_assert_ptr_null(c->argv[n]);
}

/* Lexes LINE (LEN bytes), which must fail at column COL with a message
 * holding MSG, and checks that the result is empty. */
static void
lex_fails(const char *line, size_t len, int col, const char *msg)
{
	struct lex_result r;
	struct lex_error err = { 0 };

	/* Garbage, so that an untouched result would show. */
	memset(&r, 0x5a, sizeof r);
	ck_assert_int_eq(lex_line(line, len, &r, &err), -1);
	ck_assert_int_eq(err.col, col);
	ck_assert_msg(strstr(err.msg, msg) != NULL,
		      "error message '%s' does not say '%s'", err.msg, msg);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_ptr_null(r.cmds);
}

START_TEST(test_words)
{
	struct lex_result r;

	lex_ok("spawn thread t1 print_numbers", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0,
		    (const char *[]){ "spawn", "thread", "t1", "print_numbers",
				      NULL });
	lex_free(&r);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_ptr_null(r.cmds);
}
END_TEST

START_TEST(test_blanks)
{
	struct lex_result r;

	lex_ok("  \t ps \t\r  x  \r", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0, (const char *[]){ "ps", "x", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_empty_line)
{
	struct lex_result r;

	lex_ok("", &r);
	ck_assert_uint_eq(r.n, 0);
	lex_free(&r);
	lex_ok(" \t  ", &r);
	ck_assert_uint_eq(r.n, 0);
	lex_free(&r);
}
END_TEST

START_TEST(test_semicolons)
{
	struct lex_result r;

	lex_ok("start t1;join t1 ; ps", &r);
	ck_assert_uint_eq(r.n, 3);
	check_words(&r, 0, (const char *[]){ "start", "t1", NULL });
	check_words(&r, 1, (const char *[]){ "join", "t1", NULL });
	check_words(&r, 2, (const char *[]){ "ps", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_empty_commands_skipped)
{
	struct lex_result r;

	lex_ok(";; ps ;;; ; tasks;", &r);
	ck_assert_uint_eq(r.n, 2);
	check_words(&r, 0, (const char *[]){ "ps", NULL });
	check_words(&r, 1, (const char *[]){ "tasks", NULL });
	lex_free(&r);
	lex_ok(" ; ;", &r);
	ck_assert_uint_eq(r.n, 0);
	lex_free(&r);
}
END_TEST

START_TEST(test_double_quote_escapes)
{
	struct lex_result r;

	lex_ok("say \"a \\\"b\\\" c\\\\d\\ne\\tf\"", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0,
		    (const char *[]){ "say", "a \"b\" c\\d\ne\tf", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_double_quote_other_backslash)
{
	struct lex_result r;

	/* A backslash before any other character stays as it is. */
	lex_ok("\"a\\xb\"", &r);
	check_words(&r, 0, (const char *[]){ "a\\xb", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_double_quote_specials)
{
	struct lex_result r;

	lex_ok("echo \"a; b # c 'd'\"", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0, (const char *[]){ "echo", "a; b # c 'd'", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_single_quotes_literal)
{
	struct lex_result r;

	lex_ok("echo 'a \\n \\\" \\\\ \"x\" ; #'", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(
		&r, 0,
		(const char *[]){ "echo", "a \\n \\\" \\\\ \"x\" ; #", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_empty_quotes)
{
	struct lex_result r;

	lex_ok("a \"\" ''", &r);
	check_words(&r, 0, (const char *[]){ "a", "", "", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_quotes_join_bare_text)
{
	struct lex_result r;

	lex_ok("ab\"c d\"e'f g'h \"x\"'y'z", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0, (const char *[]){ "abc def gh", "xyz", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_comment_at_word_start)
{
	struct lex_result r;

	lex_ok("ps # list them; tasks", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0, (const char *[]){ "ps", NULL });
	lex_free(&r);
	lex_ok("# only a comment", &r);
	ck_assert_uint_eq(r.n, 0);
	lex_free(&r);
	lex_ok("ps;#tasks", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0, (const char *[]){ "ps", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_hash_inside_word)
{
	struct lex_result r;

	lex_ok("a#b c# \"#d\"", &r);
	ck_assert_uint_eq(r.n, 1);
	check_words(&r, 0, (const char *[]){ "a#b", "c#", "#d", NULL });
	lex_free(&r);
}
END_TEST

START_TEST(test_columns)
{
	struct lex_result r;

	/* Columns:     1234567890123456789012345 */
	lex_ok("join  t1 \"t 2\";  ps 'x'y", &r);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_int_eq(r.cmds[0].argc, 3);
	ck_assert_int_eq(r.cmds[0].cols[0], 1);
	ck_assert_int_eq(r.cmds[0].cols[1], 7);
	ck_assert_int_eq(r.cmds[0].cols[2], 10);
	ck_assert_int_eq(r.cmds[1].argc, 2);
	ck_assert_int_eq(r.cmds[1].cols[0], 18);
	ck_assert_int_eq(r.cmds[1].cols[1], 21);
	lex_free(&r);
}
END_TEST

START_TEST(test_error_unterminated_double)
{
	const char *line = "ps; spawn \"abc";

	lex_fails(line, strlen(line), 11, "unterminated string");
}
END_TEST

START_TEST(test_error_unterminated_single)
{
	const char *line = "a b'cd";

	lex_fails(line, strlen(line), 4, "unterminated string");
}
END_TEST

START_TEST(test_error_unterminated_escape)
{
	/* The closing quote is escaped, so the string never ends. */
	const char *line = "x \"ab\\\"";

	lex_fails(line, strlen(line), 3, "unterminated string");
}
END_TEST

START_TEST(test_error_nul)
{
	static const char line[] = "ps; ta\0sks";

	lex_fails(line, sizeof line - 1, 7, "NUL");
}
END_TEST

START_TEST(test_error_too_long)
{
	size_t len = LEX_MAX_LINE + 1;
	char *line = malloc(len);

	ck_assert_ptr_nonnull(line);
	memset(line, 'a', len);
	lex_fails(line, len, LEX_MAX_LINE + 1, "too long");
	free(line);
}
END_TEST

START_TEST(test_longest_line)
{
	size_t len = LEX_MAX_LINE;
	char *line = malloc(len);
	struct lex_result r;
	struct lex_error err;

	ck_assert_ptr_nonnull(line);
	memset(line, 'a', len);
	line[0] = 'x';
	line[1] = ' ';
	ck_assert_int_eq(lex_line(line, len, &r, &err), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.cmds[0].argc, 2);
	ck_assert_uint_eq(strlen(r.cmds[0].argv[1]), LEX_MAX_LINE - 2);
	lex_free(&r);
	free(line);
}
END_TEST

/* Builds a command of N one-letter words "w w w ..." (2N-1 bytes). */
static char *
many_words(int n)
{
	char *line = malloc((size_t)n * 2);

	ck_assert_ptr_nonnull(line);
	for (int i = 0; i < n; i++) {
		line[2 * i] = 'w';
		line[2 * i + 1] = ' ';
	}
	line[2 * n - 1] = '\0';
	return line;
}

START_TEST(test_most_words)
{
	char *line = many_words(LEX_MAX_WORDS);
	struct lex_result r;

	lex_ok(line, &r);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_int_eq(r.cmds[0].argc, LEX_MAX_WORDS);
	ck_assert_int_eq(r.cmds[0].cols[LEX_MAX_WORDS - 1],
			 2 * LEX_MAX_WORDS - 1);
	lex_free(&r);
	free(line);
}
END_TEST

START_TEST(test_error_too_many_words)
{
	char *line = many_words(LEX_MAX_WORDS + 1);

	/* The word one too many starts at column 2 * LEX_MAX_WORDS + 1. */
	lex_fails(line, strlen(line), 2 * LEX_MAX_WORDS + 1, "too many words");
	free(line);
}
END_TEST

START_TEST(test_words_counted_per_command)
{
	char *words = many_words(LEX_MAX_WORDS);
	size_t n = strlen(words);
	char *line = malloc(2 * n + 2);
	struct lex_result r;

	ck_assert_ptr_nonnull(line);
	memcpy(line, words, n);
	line[n] = ';';
	memcpy(line + n + 1, words, n + 1);
	lex_ok(line, &r);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_int_eq(r.cmds[1].argc, LEX_MAX_WORDS);
	lex_free(&r);
	free(line);
	free(words);
}
END_TEST

START_TEST(test_error_after_good_command)
{
	/* A first command complete before the error is not kept either. */
	const char *line = "spawn thread t1 print_numbers; start 't1";

	lex_fails(line, strlen(line), 38, "unterminated string");
}
END_TEST

static Suite *
lex_suite(void)
{
	Suite *s = suite_create("lex");
	TCase *tc = tcase_create("lex_line");

	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_blanks);
	tcase_add_test(tc, test_empty_line);
	tcase_add_test(tc, test_semicolons);
	tcase_add_test(tc, test_empty_commands_skipped);
	tcase_add_test(tc, test_double_quote_escapes);
	tcase_add_test(tc, test_double_quote_other_backslash);
	tcase_add_test(tc, test_double_quote_specials);
	tcase_add_test(tc, test_single_quotes_literal);
	tcase_add_test(tc, test_empty_quotes);
	tcase_add_test(tc, test_quotes_join_bare_text);
	tcase_add_test(tc, test_comment_at_word_start);
	tcase_add_test(tc, test_hash_inside_word);
	tcase_add_test(tc, test_columns);
	tcase_add_test(tc, test_error_unterminated_double);
	tcase_add_test(tc, test_error_unterminated_single);
	tcase_add_test(tc, test_error_unterminated_escape);
	tcase_add_test(tc, test_error_nul);
	tcase_add_test(tc, test_error_too_long);
	tcase_add_test(tc, test_longest_line);
	tcase_add_test(tc, test_most_words);
	tcase_add_test(tc, test_error_too_many_words);
	tcase_add_test(tc, test_words_counted_per_command);
	tcase_add_test(tc, test_error_after_good_command);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lex_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
