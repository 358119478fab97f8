/*
 * check_suggest.c: unit tests of the "did you mean" choice: the edit
 * distance (a swap of neighbours is one edit), and which name, if any, is
 * suggested: a unique prefix, else the one nearest name when near enough,
 * and nothing when the choice is a tie or every name is far.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

/* The name suggested for TYPED among the NULL-terminated NAMES, or NULL. */
static const char *
choose(const char *typed, const char *const *names)
{
	struct suggest sg;

	suggest_begin(&sg, typed);
	for (size_t i = 0; names[i] != NULL; i++)
		suggest_offer(&sg, names[i]);
	return suggest_result(&sg);
}

static void
assert_choice(const char *typed, const char *const *names, const char *want)
{
	const char *got = choose(typed, names);

	if (want == NULL)
		ck_assert_msg(got == NULL, "'%s': suggested '%s', want none",
			      typed, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, want) == 0,
			      "'%s': suggested '%s', want '%s'", typed,
			      got ? got : "(none)", want);
}

static const char *const commands[] = { "spawn", "start", "join",  "step",
					"show",	 "set",	  "sched", "sleep",
					"quit",	 "exit",  "help",  NULL };

START_TEST(test_distance)
{
	ck_assert_int_eq(suggest_distance("", ""), 0);
	ck_assert_int_eq(suggest_distance("step", "step"), 0);
	ck_assert_int_eq(suggest_distance("", "abc"), 3);
	ck_assert_int_eq(suggest_distance("abc", ""), 3);
	ck_assert_int_eq(suggest_distance("stpe", "step"), 1); /* swap */
	ck_assert_int_eq(suggest_distance("print_leters", "print_letters"), 1);
	ck_assert_int_eq(suggest_distance("kitten", "sitting"), 3);
	ck_assert_int_eq(suggest_distance("ca", "abc"), 3); /* no re-edit */
	ck_assert_int_eq(suggest_distance("join", "spawn"), 4);
}
END_TEST

START_TEST(test_distance_long_words)
{
	char long_word[SUGGEST_MAX_LEN + 2];

	memset(long_word, 'a', sizeof long_word - 1);
	long_word[sizeof long_word - 1] = '\0';
	ck_assert_int_gt(suggest_distance(long_word, "a"), SUGGEST_MAX_LEN);
	ck_assert_int_gt(suggest_distance("a", long_word), SUGGEST_MAX_LEN);
	ck_assert_ptr_null(choose(long_word, commands));
}
END_TEST

START_TEST(test_near_name)
{
	assert_choice("stpe", commands, "step");
	assert_choice("jion", commands, "join");
	assert_choice("spwan", commands, "spawn");
	assert_choice("hlep", commands, "help");
	assert_choice("qiut", commands, "quit");
}
END_TEST

START_TEST(test_far_or_tied)
{
	static const char *const workers[] = { "t1", "t2", NULL };

	assert_choice("frobnicate", commands, NULL);
	assert_choice("zzzz", commands, NULL);
	/* "set" and "step" are both one edit from "sep": a tie. */
	assert_choice("sep", commands, NULL);
	assert_choice("t3", workers, NULL);
	assert_choice("", commands, NULL);
}
END_TEST

START_TEST(test_limit_grows_with_length)
{
	static const char *const tasks[] = { "print_numbers", "print_letters",
					     "count_locked", NULL };

	/* Twelve letters allow four edits; four letters only one. */
	assert_choice("print_leters", tasks, "print_letters");
	assert_choice("prnt_nmbrs", tasks, "print_numbers");
	assert_choice("cnt_lckd", tasks, NULL);
	assert_choice("sxxp", commands, NULL);
}
END_TEST

START_TEST(test_unique_prefix)
{
	static const char *const workers[] = { "thread1", "proc1", NULL };
	static const char *const two[] = { "thread1", "thread2", NULL };

	assert_choice("thread", workers, "thread1");
	assert_choice("p", workers, "proc1");
	/* The start of two names: an abbreviation, not a slip, so not
	 * even "set", one edit from "st", is suggested. */
	assert_choice("thread", two, NULL);
	assert_choice("st", commands, NULL);
}
END_TEST

START_TEST(test_duplicates_count_once)
{
	static const char *const names[] = { "lock", "lock", "print", NULL };
	static const char *const prefixed[] = { "thread1", "thread1", NULL };

	assert_choice("lokc", names, "lock");
	assert_choice("thread", prefixed, "thread1");
}
END_TEST

START_TEST(test_exact_is_not_suggested)
{
	static const char *const names[] = { "step", NULL };

	assert_choice("step", names, NULL);
}
END_TEST

static Suite *
suggest_suite(void)
{
	Suite *s = suite_create("suggest");
	TCase *tc = tcase_create("suggest");

	tcase_add_test(tc, test_distance);
	tcase_add_test(tc, test_distance_long_words);
	tcase_add_test(tc, test_near_name);
	tcase_add_test(tc, test_far_or_tied);
	tcase_add_test(tc, test_limit_grows_with_length);
	tcase_add_test(tc, test_unique_prefix);
	tcase_add_test(tc, test_duplicates_count_once);
	tcase_add_test(tc, test_exact_is_not_suggested);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suggest_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
