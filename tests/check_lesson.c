/*
 * check_lesson.c: unit tests of lessons (lesson.c). The parser turns every
 * directive, command and task definition into items with their line
 * numbers and parsed expectations, and refuses each kind of malformed
 * lesson with its exact "FILE:LINE: message", leaving the lesson empty.
 * Expectations are checked against real sessions whose commands ran in
 * the main loop (threads, processes, variables, a seeded run, a deadlock
 * made by hand), holding and not, with what was seen; a lesson played in
 * check mode sees the states between commands. expect_format writes back
 * what was parsed. lesson_find and lesson_list look in directories made
 * for the test.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "expect.h"
#include "lesson.h"
#include "play.h"
#include "session.h"
#include "shell.h"
#include "testlib.h"

#define LESSON_FILE "les/x.weft"

/* Lessons of weft's commands only: no line is Python. */
static const struct lesson_lang cmds = { .command = cmd_check };

/* Checks that L holds nothing, as after a failed parse. */
static void
check_empty(const struct lesson *l)
{
	ck_assert_uint_eq(l->n, 0);
	ck_assert_ptr_null(l->v);
	ck_assert_ptr_null(l->title);
	ck_assert_ptr_null(l->file);
}

/* The parser: what it keeps */

/* Every directive, every expectation, an exercise, a task definition of
 * several lines and one of one line, comments, blank lines, a CRLF line
 * and a last line without its newline. */
static const char whole[] = "# title:   A whole lesson\n"		/* 1 */
			    "\n"					/* 2 */
			    "# a comment\n"				/* 3 */
			    "say Two threads; then two processes.\n"	/* 4 */
			    "  pause\n"					/* 5 */
			    "spawn thread t1 print_numbers; start t1\n" /* 6 */
			    "   # an indented comment\n"		/* 7 */
			    "task twice(n) {\n"				/* 8 */
			    "    print n\n"				/* 9 */
			    "    print n * 2\n"				/* 10 */
			    "}\n"					/* 11 */
			    "expect output t1 = \"1 2 3 4 5\"\n"	/* 12 */
			    "expect var x = 1\n"			/* 13 */
			    "expect var x != -2\n"			/* 14 */
			    "expect var x < 3\n"			/* 15 */
			    "expect var x > 4\n"			/* 16 */
			    "expect var x <= 5\n"			/* 17 */
			    "expect var x >= 6\n"			/* 18 */
			    "expect state t1 = new\n"			/* 19 */
			    "expect state t1 = running\n"		/* 20 */
			    "expect state t1 = finished\n"		/* 21 */
			    "expect state t1 = killed\n"		/* 22 */
			    "expect state t1 = failed\n"		/* 23 */
			    "expect state t1 = joined\n"		/* 24 */
			    "expect before t1 \"1\" t2 \"a b\"\n"	/* 25 */
			    "expect deadlock\n"				/* 26 */
			    "\t\n"					/* 27 */
			    "pause t1\n"				/* 28 */
			    "say\n"					/* 29 */
			    "exercise Join t2 yourself.\n"		/* 30 */
			    "goal state t2 = joined\n"			/* 31 */
			    "goal var x >= -3\n"			/* 32 */
			    "solution\n"				/* 33 */
			    "join t2\n"					/* 34 */
			    "task one { print 1 }\n"			/* 35 */
			    "end\n"					/* 36 */
			    "ps\r\n"					/* 37 */
			    "say   last";				/* 38 */

struct want_item {
	enum lesson_kind kind;
	unsigned line;
	const char *text;
	struct expect x; /* for L_EXPECT and L_GOAL */
};

#define ITEM(k, l, t)                                                          \
	{                                                                      \
		.kind = k, .line = l, .text = t                                \
	}
#define CHECK(k, l, t, ...)                                                    \
	{                                                                      \
		.kind = k, .line = l, .text = t, .x = { __VA_ARGS__ }          \
	}

static const struct want_item whole_items[] = {
	ITEM(L_SAY, 4, "Two threads; then two processes."),
	ITEM(L_PAUSE, 5, NULL),
	ITEM(L_COMMAND, 6, "spawn thread t1 print_numbers; start t1"),
	ITEM(L_COMMAND, 8, "task twice(n) {\n    print n\n    print n * 2\n}"),
	CHECK(L_EXPECT, 12, "expect output t1 = \"1 2 3 4 5\"",
	      .kind = X_OUTPUT, .a = "t1", .text_a = "1 2 3 4 5"),
	CHECK(L_EXPECT, 13, "expect var x = 1", .kind = X_VAR, .a = "x",
	      .op = XOP_EQ, .n = 1),
	CHECK(L_EXPECT, 14, "expect var x != -2", .kind = X_VAR, .a = "x",
	      .op = XOP_NE, .n = -2),
	CHECK(L_EXPECT, 15, "expect var x < 3", .kind = X_VAR, .a = "x",
	      .op = XOP_LT, .n = 3),
	CHECK(L_EXPECT, 16, "expect var x > 4", .kind = X_VAR, .a = "x",
	      .op = XOP_GT, .n = 4),
	CHECK(L_EXPECT, 17, "expect var x <= 5", .kind = X_VAR, .a = "x",
	      .op = XOP_LE, .n = 5),
	CHECK(L_EXPECT, 18, "expect var x >= 6", .kind = X_VAR, .a = "x",
	      .op = XOP_GE, .n = 6),
	CHECK(L_EXPECT, 19, "expect state t1 = new", .kind = X_STATE, .a = "t1",
	      .state = WS_NEW),
	CHECK(L_EXPECT, 20, "expect state t1 = running", .kind = X_STATE,
	      .a = "t1", .state = WS_RUNNING),
	CHECK(L_EXPECT, 21, "expect state t1 = finished", .kind = X_STATE,
	      .a = "t1", .state = WS_FINISHED),
	CHECK(L_EXPECT, 22, "expect state t1 = killed", .kind = X_STATE,
	      .a = "t1", .state = WS_KILLED),
	CHECK(L_EXPECT, 23, "expect state t1 = failed", .kind = X_STATE,
	      .a = "t1", .state = WS_FAILED),
	CHECK(L_EXPECT, 24, "expect state t1 = joined", .kind = X_STATE,
	      .a = "t1", .state = WS_JOINED),
	CHECK(L_EXPECT, 25, "expect before t1 \"1\" t2 \"a b\"",
	      .kind = X_BEFORE, .a = "t1", .text_a = "1", .b = "t2",
	      .text_b = "a b"),
	CHECK(L_EXPECT, 26, "expect deadlock", .kind = X_DEADLOCK),
	ITEM(L_COMMAND, 28, "pause t1"),
	ITEM(L_SAY, 29, ""),
	ITEM(L_EXERCISE, 30, "Join t2 yourself."),
	CHECK(L_GOAL, 31, "goal state t2 = joined", .kind = X_STATE, .a = "t2",
	      .state = WS_JOINED),
	CHECK(L_GOAL, 32, "goal var x >= -3", .kind = X_VAR, .a = "x",
	      .op = XOP_GE, .n = -3),
	ITEM(L_SOLUTION, 33, NULL),
	ITEM(L_COMMAND, 34, "join t2"),
	ITEM(L_COMMAND, 35, "task one { print 1 }"),
	ITEM(L_END, 36, NULL),
	ITEM(L_COMMAND, 37, "ps"),
	ITEM(L_SAY, 38, "  last"), /* blanks after the first: indentation */
};

/* Checks item I of L against W. */
static void
check_item(const struct lesson *l, size_t i, const struct want_item *w)
{
	const struct lesson_item *it = &l->v[i];
	const struct expect *x = &it->x;

	ck_assert_msg(it->kind == w->kind, "item %zu (line %u) is of kind %d",
		      i, w->line, (int)it->kind);
	ck_assert_uint_eq(it->line, w->line);
	ck_assert_pstr_eq(it->text, w->text);
	ck_assert_pstr_eq(x->a, w->x.a);
	ck_assert_pstr_eq(x->text_a, w->x.text_a);
	ck_assert_pstr_eq(x->b, w->x.b);
	ck_assert_pstr_eq(x->text_b, w->x.text_b);
	if (it->kind != L_EXPECT && it->kind != L_GOAL)
		return;
	ck_assert_int_eq(x->kind, w->x.kind);
	ck_assert_int_eq(x->op, w->x.op);
	ck_assert_int_eq(x->n, w->x.n);
	ck_assert_int_eq(x->state, w->x.state);
}

START_TEST(test_parse_whole_lesson)
{
	struct lesson l;
	char err[256] = "";
	size_t n = sizeof whole_items / sizeof whole_items[0];

	ck_assert_int_eq(lesson_parse(LESSON_FILE, whole, sizeof whole - 1,
				      &cmds, &l, err, sizeof err),
			 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(l.file, LESSON_FILE);
	ck_assert_str_eq(l.title, "A whole lesson");
	ck_assert_uint_eq(l.n, n);
	for (size_t i = 0; i < n; i++)
		check_item(&l, i, &whole_items[i]);
	lesson_free(&l);
	check_empty(&l);
}
END_TEST

START_TEST(test_parse_title_only)
{
	struct lesson l;
	char err[64] = "";
	static const char text[] = "# title: Nothing else\r\n\n# more\n";

	ck_assert_int_eq(lesson_parse("t.weft", text, sizeof text - 1,
				      &cmds, &l, err, sizeof err),
			 0);
	ck_assert_str_eq(l.title, "Nothing else");
	ck_assert_str_eq(l.file, "t.weft");
	ck_assert_uint_eq(l.n, 0);
	lesson_free(&l);
}
END_TEST

/* A task definition ends where its braces balance, not at the first '}'
 * of a line; its item keeps the line where it began. */
START_TEST(test_parse_nested_task)
{
	struct lesson l;
	char err[128] = "";
	static const char text[] = "# title: t\n"
				   "ps\n"
				   "task loop(n) {\n"
				   "    for i in 1..n {\n"
				   "        print \"}\" i\n"
				   "    }\n"
				   "}\n"
				   "tasks\n";

	ck_assert_int_eq(lesson_parse("t.weft", text, sizeof text - 1,
				      &cmds, &l, err, sizeof err),
			 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.v[1].kind, L_COMMAND);
	ck_assert_uint_eq(l.v[1].line, 3);
	ck_assert_str_eq(l.v[1].text, "task loop(n) {\n"
				      "    for i in 1..n {\n"
				      "        print \"}\" i\n"
				      "    }\n"
				      "}");
	ck_assert_uint_eq(l.v[2].line, 8);
	ck_assert_str_eq(l.v[2].text, "tasks");
	lesson_free(&l);
}
END_TEST

/* hint goes with the exercise, before or among its goals; ran names a
 * worker and a task. */
START_TEST(test_parse_hint_and_ran)
{
	struct lesson l;
	char err[128] = "";
	struct buf b = { 0 };
	static const char text[] = "# title: t\n"
				   "exercise do it\n"
				   "hint first spawn\n"
				   "goal ran u1 count\n"
				   "hint then start\n"
				   "goal locked u1 m\n"
				   "solution\n"
				   "ps\n"
				   "end\n";

	ck_assert_int_eq(lesson_parse("t.weft", text, sizeof text - 1,
				      &cmds, &l, err, sizeof err),
			 0);
	ck_assert_uint_eq(l.n, 8);
	ck_assert_int_eq(l.v[1].kind, L_HINT);
	ck_assert_str_eq(l.v[1].text, "first spawn");
	ck_assert_int_eq(l.v[2].kind, L_GOAL);
	ck_assert_int_eq(l.v[2].x.kind, X_RAN);
	expect_format(&l.v[2].x, &b);
	ck_assert_str_eq(buf_str(&b), "ran u1 count");
	ck_assert_int_eq(l.v[3].kind, L_HINT);
	buf_reset(&b);
	expect_format(&l.v[4].x, &b);
	ck_assert_str_eq(buf_str(&b), "locked u1 m");
	buf_free(&b);
	lesson_free(&l);
}
END_TEST

START_TEST(test_load_file)
{
	char dir[] = "/tmp/check_lesson.XXXXXX", *path;
	struct lesson l;
	char err[256] = "";
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = format("%s/01-one.weft", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs("# title: One\nsay hi\nexpect deadlock\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(lesson_load(path, &cmds, &l, err, sizeof err), 0);
	ck_assert_str_eq(l.file, path);
	ck_assert_str_eq(l.title, "One");
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[1].kind, L_EXPECT);
	ck_assert_uint_eq(l.v[1].line, 3);
	lesson_free(&l);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(lesson_load(path, &cmds, &l, err, sizeof err), -1);
	free(path);
	path = format("cannot open '%s/01-one.weft': No such file or directory",
		      dir);
	ck_assert_str_eq(err, path);
	free(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* The parser: what it refuses */

struct bad_lesson {
	const char *text;
	size_t len; /* 0: strlen(text) */
	unsigned line;
	const char *msg; /* after "FILE:LINE: " */
};

#define EXPECT_WHAT                                                            \
	"expect what? output NAME = \"TEXT\" | var X OP N | state NAME = "     \
	"STATE | before NAME \"TEXT\" NAME \"TEXT\" | ran NAME TASK | "        \
	"locked NAME LOCK | deadlock | explore = violation|none|SCHEDULE"

/* Parses each of BAD, N of them: each must fail with its message and
 * leave the lesson empty. */
static void
check_refused_by(const struct lesson_lang *lang, const struct bad_lesson *bad,
		 size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bad_lesson *b = &bad[i];
		size_t len = b->len ? b->len : strlen(b->text);
		char err[512];
		char *want = format("%s:%u: %s", LESSON_FILE, b->line, b->msg);
		struct lesson l;

		memset(err, 'x', sizeof err - 1);
		err[sizeof err - 1] = '\0';
		ck_assert_msg(lesson_parse(LESSON_FILE, b->text, len, lang, &l,
					   err, sizeof err) == -1,
			      "lesson %zu was taken:\n%s", i, b->text);
		ck_assert_msg(strcmp(err, want) == 0,
			      "lesson %zu:\n%s\nsaid '%s',\nnot   '%s'", i,
			      b->text, err, want);
		check_empty(&l);
		free(want);
	}
}

/* The same, with weft's commands only. */
static void
check_refused(const struct bad_lesson *bad, size_t n)
{
	check_refused_by(&cmds, bad, n);
}

START_TEST(test_refuse_title)
{
	static const struct bad_lesson bad[] = {
		{ "say hi\n", 0, 1, "a lesson begins with '# title: TEXT'" },
		{ "\n# title: late\n", 0, 1,
		  "a lesson begins with '# title: TEXT'" },
		{ "# title:\nps\n", 0, 1,
		  "a lesson begins with '# title: TEXT'" },
		{ "# Title: caps\n", 0, 1,
		  "a lesson begins with '# title: TEXT'" },
		{ "# a comment\n# title: second\n", 0, 1,
		  "a lesson begins with '# title: TEXT'" },
		{ "", 0, 1, "a lesson begins with '# title: TEXT'" },
	};

	check_refused(bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(test_refuse_expect)
{
	static const struct bad_lesson bad[] = {
		/* unknown kinds */
		{ "# title: t\nexpect colour t1 = red\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nps\nexpect Deadlock\n", 0, 3, EXPECT_WHAT },
		/* wrong word counts */
		{ "# title: t\nexpect output t1 \"1 2\"\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect output t1 = \"1\" \"2\"\n", 0, 2,
		  EXPECT_WHAT },
		{ "# title: t\nexpect var x =\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect var x = 1 2\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect state t1 joined\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect before t1 \"1\" t2\n", 0, 2,
		  EXPECT_WHAT },
		{ "# title: t\nexpect deadlock now\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect explore violation\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect explore = a b\n", 0, 2, EXPECT_WHAT },
		/* not '=' where it must be, and a bad worker name */
		{ "# title: t\nexpect output t1 != \"1\"\n", 0, 2,
		  EXPECT_WHAT },
		{ "# title: t\nexpect state t1 != new\n", 0, 2, EXPECT_WHAT },
		{ "# title: t\nexpect output 1t = \"1\"\n", 0, 2, EXPECT_WHAT },
		/* none, or two */
		{ "# title: t\nexpect\n", 0, 2,
		  "expect takes one expectation" },
		{ "# title: t\nexpect # nothing\n", 0, 2,
		  "expect takes one expectation" },
		{ "# title: t\nexpect deadlock; deadlock\n", 0, 2,
		  "expect takes one expectation" },
		/* bad operators */
		{ "# title: t\nexpect var x => 1\n", 0, 2,
		  "expect var: '=>' is not one of = != < > <= >=" },
		{ "# title: t\nexpect var x == 1\n", 0, 2,
		  "expect var: '==' is not one of = != < > <= >=" },
		/* not numbers */
		{ "# title: t\nexpect var x = 1.5\n", 0, 2,
		  "expect var: '1.5' is not a number" },
		{ "# title: t\nexpect var x = many\n", 0, 2,
		  "expect var: 'many' is not a number" },
		{ "# title: t\nexpect var x = 99999999999999999999\n", 0, 2,
		  "expect var: '99999999999999999999' is not a number" },
		{ "# title: t\nexpect var x = ''\n", 0, 2,
		  "expect var: '' is not a number" },
		/* unknown states */
		{ "# title: t\nexpect state t1 = blocked\n", 0, 2,
		  "expect state: no state 'blocked' (new, running, finished, "
		  "killed, failed, joined)" },
		{ "# title: t\nexpect state t1 = Joined\n", 0, 2,
		  "expect state: no state 'Joined' (new, running, finished, "
		  "killed, failed, joined)" },
		/* a lexing error, with its column in the line */
		{ "# title: t\nexpect output t1 = \"1 2\n", 0, 2,
		  "column 20: unterminated string" },
		/* the same in a goal */
		{ "# title: t\nexercise e\ngoal var x ! 1\n", 0, 3,
		  "expect var: '!' is not one of = != < > <= >=" },
		{ "# title: t\nexercise e\ngoal\n", 0, 3,
		  "goal takes one expectation" },
		{ "# title: t\nexercise e\ngoal state t1 = gone\n", 0, 3,
		  "expect state: no state 'gone' (new, running, finished, "
		  "killed, failed, joined)" },
	};

	check_refused(bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(test_refuse_exercise_nesting)
{
	static const struct bad_lesson bad[] = {
		{ "# title: t\nps\ngoal deadlock\n", 0, 3,
		  "goal outside an exercise" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\n"
		  "goal deadlock\nend\n",
		  0, 5, "goal outside an exercise" },
		{ "# title: t\nexercise one\nexercise two\n", 0, 3,
		  "an exercise inside an exercise (end the first with "
		  "'end')" },
		{ "# title: t\nexercise one\ngoal deadlock\nsolution\n"
		  "exercise two\n",
		  0, 5,
		  "an exercise inside an exercise (end the first with "
		  "'end')" },
		{ "# title: t\nexercise\n", 0, 2,
		  "exercise: say what the learner is to do" },
		{ "# title: t\nexercise \t \n", 0, 2,
		  "exercise: say what the learner is to do" },
		{ "# title: t\nexercise e\nsolution\n", 0, 3,
		  "solution before any goal" },
		{ "# title: t\nsolution\n", 0, 2,
		  "solution outside an exercise" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\nend\n"
		  "solution\n",
		  0, 6, "solution outside an exercise" },
		{ "# title: t\nend\n", 0, 2, "end outside an exercise" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\nend\nend\n",
		  0, 6, "end outside an exercise" },
		{ "# title: t\nexercise e\nend\n", 0, 3,
		  "end before the exercise's solution" },
		{ "# title: t\nexercise e\ngoal deadlock\nend\n", 0, 4,
		  "end before the exercise's solution" },
		{ "# title: t\nexercise e\nps\n", 0, 3,
		  "a command in an exercise goes after 'solution'" },
		{ "# title: t\nexercise e\ngoal deadlock\n  join t1\n", 0, 4,
		  "a command in an exercise goes after 'solution'" },
		{ "# title: t\nexercise e\ntask t {\n}\n", 0, 3,
		  "a task in an exercise goes after 'solution'" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\nps\n", 0, 5,
		  "the last exercise has no 'end'" },
		{ "# title: t\nexercise e\n\n# nothing more", 0, 4,
		  "the last exercise has no 'end'" },
		{ "# title: t\nhint try ps\n", 0, 2,
		  "hint outside an exercise (before its solution)" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\nhint h\n",
		  0, 5, "hint outside an exercise (before its solution)" },
		{ "# title: t\nexercise e\nhint\n", 0, 3,
		  "hint: say what would help" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\nquit\n",
		  0, 5,
		  "quit in a solution would end the lesson before its goals "
		  "are checked" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\n"
		  "  ps; exit\nend\n",
		  0, 5,
		  "exit in a solution would end the lesson before its goals "
		  "are checked" },
	};

	check_refused(bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(test_refuse_commands)
{
	char *join = format("usage: %s", cmd_find("join")->usage);
	char *ps = format("usage: %s", cmd_find("ps")->usage);
	char *spawn = format("usage: %s", cmd_find("spawn")->usage);
	const struct bad_lesson bad[] = {
		{ "# title: t\nfrobnicate 3\n", 0, 2,
		  "unknown command 'frobnicate'" },
		{ "# title: t\nsay ok\nps; frob\n", 0, 3,
		  "unknown command 'frob'" },
		{ "# title: t\nstpe 2\n", 0, 2,
		  "unknown command 'stpe'; did you mean 'step'?" },
		{ "# title: t\nexercise e\ngoal deadlock\nsolution\nfrob\n", 0,
		  5, "unknown command 'frob'" },
		{ "# title: t\njoin\n", 0, 2, join },
		{ "# title: t\nps; join\n", 0, 2, join },
		{ "# title: t\nps now\n", 0, 2, ps },
		{ "# title: t\nspawn thread t1\n", 0, 2, spawn },
		{ "# title: t\nspawn thread t1 \"print_numbers\n", 0, 2,
		  "column 17: unterminated string" },
		{ "# title: t\nps; ps 'x\n", 0, 2,
		  "column 8: unterminated string" },
	};

	check_refused(bad, sizeof bad / sizeof bad[0]);
	ck_assert_str_eq(join, "usage: join NAME...|all [--timeout MS]");
	free(join);
	free(ps);
	free(spawn);
}
END_TEST

START_TEST(test_refuse_tasks_and_bytes)
{
	static const char nul[] = "# title: t\nps\nsay a\0b\nps\n";
	static const char nul_task[] = "# title: t\ntask t {\n print\0 1\n}\n";
	static const struct bad_lesson bad[] = {
		{ "# title: t\nps\ntask t {\n    print 1\n", 0, 3,
		  "task definition never closed" },
		{ "# title: t\ntask t {\n    for i in 1..2 {\n        print "
		  "i\n}\nps\n",
		  0, 2, "task definition never closed" },
		{ "# title: t\ntask t { print 1 }; ps\n", 0, 2,
		  "put the commands after a one-line task on a line of their "
		  "own" },
		{ "# title: t\ntask t { print 1 } ps\n", 0, 2,
		  "put the commands after a one-line task on a line of their "
		  "own" },
		{ "# title: t\ntask t {\n    print 1\n} ps\n", 0, 4,
		  "put the commands after a task's last '}' on a line of "
		  "their own" },
		{ nul, sizeof nul - 1, 3, "a NUL byte in the line" },
		{ nul_task, sizeof nul_task - 1, 3, "a NUL byte in the line" },
		{ "\0# title: t\n", 11, 1, "a NUL byte in the line" },
	};

	check_refused(bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(test_refuse_edges)
{
	static const struct bad_lesson bad[] = {
		/* columns count the blanks before the first word */
		{ "# title: t\n    spawn \"a\n", 0, 2,
		  "column 11: unterminated string" },
		{ "# title: t\n   expect var x = \"a\n", 0, 2,
		  "column 19: unterminated string" },
		/* a task body is checked by the task language's parser */
		{ "# title: t\ntask foo {\n    bogus stuff\n}\n", 0, 2,
		  "2:5: unknown statement 'bogus'" },
		{ "# title: t\ntask foo\n", 0, 2,
		  "1:9: expected '{', found the end of the definition" },
		{ "# title: t\nexercise do\ngoal var x = 1\nsolution\n"
		  "solution\nend\n",
		  0, 5, "a second 'solution' in the exercise" },
	};

	check_refused(bad, sizeof bad / sizeof bad[0]);
}
END_TEST

START_TEST(test_trailing_blanks_and_escapes)
{
	static const char text[] =
		"# title: t\npause \nexercise do\ngoal var x = 1\t\n"
		"solution \nset x = 1\nend  \n"
		"expect output t1 = \"a \\\"b\\\" \\\\ c\"\n";
	struct lesson l;
	char err[256];
	struct buf b = { 0 };

	ck_assert_msg(lesson_parse(LESSON_FILE, text, strlen(text), &cmds,
				   &l, err, sizeof err) == 0,
		      "%s", err);
	ck_assert_uint_eq(l.n, 7);
	ck_assert_int_eq(l.v[0].kind, L_PAUSE);
	ck_assert_int_eq(l.v[5].kind, L_END);
	ck_assert_str_eq(l.v[6].x.text_a, "a \"b\" \\ c");
	expect_format(&l.v[6].x, &b);
	ck_assert_str_eq(buf_str(&b), "output t1 = \"a \\\"b\\\" \\\\ c\"");
	buf_free(&b);
	lesson_free(&l);
}
END_TEST

START_TEST(test_refuse_too_big)
{
	size_t len = LESSON_MAX_BYTES + 1;
	char *text = malloc(len), *want;
	struct lesson l;
	char err[256];

	ck_assert_ptr_nonnull(text);
	memset(text, '\n', len);
	memcpy(text, "# title: big\n", 13);
	ck_assert_int_eq(lesson_parse(LESSON_FILE, text, len, &cmds, &l,
				      err, sizeof err),
			 -1);
	want = format("%s:1: a lesson is at most %d bytes", LESSON_FILE,
		      LESSON_MAX_BYTES);
	ck_assert_str_eq(err, want);
	check_empty(&l);
	/* One byte less is a lesson. */
	ck_assert_int_eq(lesson_parse(LESSON_FILE, text, len - 1, &cmds, &l,
				      err, sizeof err),
			 0);
	ck_assert_str_eq(l.title, "big");
	lesson_free(&l);
	free(want);
	free(text);
}
END_TEST

/* An error message longer than the room for it is cut, not overrun. */
START_TEST(test_refuse_small_err)
{
	static const char text[] = "# title: t\nfrobnicate\n";
	struct lesson l;
	char err[16];

	memset(err, 'x', sizeof err);
	ck_assert_int_eq(lesson_parse(LESSON_FILE, text, sizeof text - 1,
				      &cmds, &l, err, 12),
			 -1);
	ck_assert_str_eq(err, "les/x.weft:");
	ck_assert_int_eq(err[12], 'x');
	check_empty(&l);
}
END_TEST

/* Python in a lesson, told by a stand-in for Python: a line that begins
 * with "py" (after its blanks) is Python, one that also ends with ':'
 * opens a block; a block or statement that holds "bad" does not compile,
 * the error on the line of SRC that holds it. CTX counts compilations. */
static enum lesson_py
fake_python(void *ctx, const char *line, size_t len)
{
	size_t i = strspn(line, " \t");

	(void)ctx;
	if (len - i < 2 || memcmp(line + i, "py", 2) != 0)
		return LPY_NO;
	return line[len - 1] == ':' ? LPY_BLOCK : LPY_LINE;
}

static int
fake_compile(void *ctx, const char *src, unsigned *line, char *why,
	     size_t len)
{
	const char *bad = strstr(src, "bad");

	++*(int *)ctx;
	/* Given as the prompt gives it: each line ending with a newline. */
	ck_assert_int_eq(src[strlen(src) - 1], '\n');
	if (bad == NULL)
		return 0;
	*line = 1;
	for (const char *c = src; c < bad; c++)
		*line += *c == '\n';
	snprintf(why, len, "column 1: SyntaxError: bad");
	return -1;
}

static int compiled;
static const struct lesson_lang fake = { .command = cmd_check,
					 .python = fake_python,
					 .compile = fake_compile,
					 .ctx = &compiled };

/* A statement is an item; a block is its first line and every line that
 * goes on it (indented, blank, else..., a closing bracket) as written,
 * but the blank lines at its end; each compiled once. */
static const char python[] = "# title: t\n"		      /* 1 */
			     "py x = 1\n"		      /* 2 */
			     "py def f():\n"		      /* 3 */
			     "    a = 1\r\n"		      /* 4 */
			     "\n"			      /* 5 */
			     "  \n"			      /* 6 */
			     "\tb = [\n"		      /* 7 */
			     "]\n"			      /* 8 */
			     "else: c\n"		      /* 9 */
			     "\n"			      /* 10 */
			     "\n"			      /* 11 */
			     "ps\n"			      /* 12 */
			     "py for i:\n"		      /* 13 */
			     "        py body\n"	      /* 14 */
			     "expect var x = 1\n"	      /* 15 */
			     "  py indented\n"		      /* 16 */
			     "# a comment ends it\n"	      /* 17 */
			     "py if y:\n"		      /* 18 */
			     "    pass\n"		      /* 19 */
			     "# py\n"			      /* 20 */
			     "exercise e\n"		      /* 21 */
			     "goal var x = 1\n"		      /* 22 */
			     "solution\n"		      /* 23 */
			     "py while z:\n"		      /* 24 */
			     "    z -= 1\n"		      /* 25 */
			     "end\n"			      /* 26 */
			     "py last:\n"		      /* 27 */
			     "    one\n"		      /* 28 */
			     "\n"			      /* 29 */
			     "  \n";			      /* 30 */

static const struct want_item python_items[] = {
	ITEM(L_PYTHON, 2, "py x = 1"),
	ITEM(L_PYTHON, 3, "py def f():\n    a = 1\n\n\n\tb = [\n]\nelse: c"),
	ITEM(L_COMMAND, 12, "ps"),
	ITEM(L_PYTHON, 13, "py for i:\n        py body"),
	CHECK(L_EXPECT, 15, "expect var x = 1", .kind = X_VAR, .a = "x",
	      .op = XOP_EQ, .n = 1),
	ITEM(L_PYTHON, 16, "  py indented"),
	ITEM(L_PYTHON, 18, "py if y:\n    pass"),
	ITEM(L_EXERCISE, 21, "e"),
	CHECK(L_GOAL, 22, "goal var x = 1", .kind = X_VAR, .a = "x",
	      .op = XOP_EQ, .n = 1),
	ITEM(L_SOLUTION, 23, NULL),
	ITEM(L_PYTHON, 24, "py while z:\n    z -= 1"),
	ITEM(L_END, 26, NULL),
	ITEM(L_PYTHON, 27, "py last:\n    one"),
};

START_TEST(test_parse_python)
{
	struct lesson l;
	char err[256] = "";
	size_t n = sizeof python_items / sizeof python_items[0];

	compiled = 0;
	ck_assert_msg(lesson_parse(LESSON_FILE, python, sizeof python - 1,
				   &fake, &l, err, sizeof err) == 0,
		      "%s", err);
	ck_assert_uint_eq(l.n, n);
	for (size_t i = 0; i < n; i++)
		check_item(&l, i, &python_items[i]);
	ck_assert_int_eq(compiled, 7);
	lesson_free(&l);
	/* Without a compiler, Python is taken as it is. */
	struct lesson_lang unchecked = fake;
	unchecked.compile = NULL;
	ck_assert_int_eq(lesson_parse(LESSON_FILE, "# title: t\npy bad\n", 18,
				      &unchecked, &l, err, sizeof err),
			 0);
	ck_assert_int_eq(l.v[0].kind, L_PYTHON);
	ck_assert_str_eq(l.v[0].text, "py bad");
	lesson_free(&l);
}
END_TEST

/* A syntax error is named on its own line of the file, not the block's
 * first; a line that is no Python is still a command (mistyped); Python
 * in an exercise goes after its solution, as commands do; without
 * Python, such a line is a command too. */
START_TEST(test_refuse_python)
{
	static const struct bad_lesson bad[] = {
		{ "# title: t\npy def f():\n    ok\n\n    bad\n    ok\nps\n", 0,
		  5, "column 1: SyntaxError: bad" },
		{ "# title: t\nps\npy bad = 1\n", 0, 3,
		  "column 1: SyntaxError: bad" },
		{ "# title: t\npy for i:\n    ok\n  bad\n\n", 0, 4,
		  "column 1: SyntaxError: bad" },
		/* at the end of the file, its blank lines dropped */
		{ "# title: t\npy if x:\n\n    bad\n\n\n", 0, 4,
		  "column 1: SyntaxError: bad" },
		{ "# title: t\npy x = 1\nstpe t1 2\n", 0, 3,
		  "unknown command 'stpe'; did you mean 'step'?" },
		{ "# title: t\npy def f():\n    ok\nstpe\n", 0, 4,
		  "unknown command 'stpe'; did you mean 'step'?" },
		{ "# title: t\nexercise e\npy x = 1\n", 0, 3,
		  "a command in an exercise goes after 'solution'" },
		{ "# title: t\nexercise e\ngoal var x = 1\npy x:\n", 0, 4,
		  "a command in an exercise goes after 'solution'" },
		{ "# title: t\nexercise e\ngoal var x = 1\nsolution\npy if x:\n"
		  "    y\n",
		  0, 6, "the last exercise has no 'end'" },
	};
	static const struct bad_lesson commands_only[] = {
		{ "# title: t\npy x = 1\n", 0, 2, "unknown command 'py'" },
	};

	check_refused_by(&fake, bad, sizeof bad / sizeof bad[0]);
	check_refused(commands_only, 1);
}
END_TEST

/* Expectations in a real session */

/* Checks "expect TEXT" against S, appending what it saw to SEEN;
 * expect_format must give TEXT back. Returns whether it holds. */
static bool
check_text(struct session *s, const char *text, struct buf *seen)
{
	char *lesson = format("# title: t\nexpect %s\n", text);
	struct buf back = { 0 };
	struct lesson l;
	char err[256] = "";
	bool ok;

	ck_assert_msg(lesson_parse(LESSON_FILE, lesson, strlen(lesson),
				   &cmds, &l, err, sizeof err) == 0,
		      "expect %s: %s", text, err);
	ck_assert_uint_eq(l.n, 1);
	ok = expect_holds(s, &l.v[0].x, seen);
	expect_format(&l.v[0].x, &back);
	ck_assert_str_eq(buf_str(&back), text);
	buf_free(&back);
	lesson_free(&l);
	free(lesson);
	return ok;
}

/* The same, where SEEN must be what it saw. */
static bool
holds(struct session *s, const char *text, const char *seen)
{
	struct buf got = { 0 };
	bool ok = check_text(s, text, &got);

	ck_assert_msg(strcmp(buf_str(&got), seen) == 0,
		      "expect %s: saw '%s', not '%s'", text, buf_str(&got),
		      seen);
	buf_free(&got);
	return ok;
}

START_TEST(test_holds_explore)
{
	struct session s;

	/* Nothing explored yet: neither holds. */
	open_session(&s);
	ck_assert(!holds(&s, "explore = violation", "no explore has run"));
	ck_assert(!holds(&s, "explore = none", "no explore has run"));
	/* The lost update: found, its schedule kept. */
	ck_assert_int_eq(run_script(&s, "set x = 0\n"
					"spawn thread t1 count 1\n"
					"spawn thread t2 count 1\n"
					"explore --expect var x = 2\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");
	ck_assert(holds(&s, "explore = violation",
			"a violation, schedule t1*3 t2*5 t1*2"));
	ck_assert(!holds(&s, "explore = none",
			 "a violation, schedule t1*3 t2*5 t1*2"));
	ck_assert(holds(&s, "explore = \"t1*3 t2*5 t1*2\"",
			"a violation, schedule t1*3 t2*5 t1*2"));
	ck_assert(!holds(&s, "explore = \"t1*3 t2*6 t1\"",
			 "a violation, schedule t1*3 t2*5 t1*2"));
	shell_free(&s);
	/* Locked: none, with the count of schedules tried. */
	open_session(&s);
	ck_assert_int_eq(run_script(&s, "set x = 0\n"
					"spawn thread t1 count_locked 1\n"
					"spawn thread t2 count_locked 1\n"
					"explore --preemptions 0 --expect var x = 2\n"),
			 0);
	ck_assert(holds(&s, "explore = none", "no violation in 2 schedules"));
	ck_assert(!holds(&s, "explore = violation",
			 "no violation in 2 schedules"));
	shell_free(&s);
}
END_TEST

START_TEST(test_holds_output_and_state)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 print_numbers\n"
					"spawn process p1 print_letters\n"
					"spawn thread t3 print_numbers\n"
					"start t1; join t1\n"
					"start p1\n"
					"join p1\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");

	ck_assert(holds(&s, "output t1 = \"1 2 3 4 5\"",
			"output of t1 is \"1 2 3 4 5\""));
	ck_assert(!holds(&s, "output t1 = \"1 2 3 4\"",
			 "output of t1 is \"1 2 3 4 5\""));
	ck_assert(!holds(&s, "output t1 = \"1 2 3 4 5 \"",
			 "output of t1 is \"1 2 3 4 5\""));
	ck_assert(holds(&s, "output p1 = \"a b c d e\"",
			"output of p1 is \"a b c d e\""));
	ck_assert(!holds(&s, "output p1 = \"1 2 3 4 5\"",
			 "output of p1 is \"a b c d e\""));
	ck_assert(holds(&s, "output t3 = \"\"", "output of t3 is \"\""));
	ck_assert(!holds(&s, "output t3 = \"1\"", "output of t3 is \"\""));
	ck_assert(!holds(&s, "output zz = \"1 2 3 4 5\"",
			 "no worker named 'zz'"));
	ck_assert(!holds(&s, "output T1 = \"1 2 3 4 5\"",
			 "no worker named 'T1'"));

	ck_assert(holds(&s, "state t1 = joined", "t1 is joined"));
	ck_assert(!holds(&s, "state t1 = finished", "t1 is joined"));
	ck_assert(holds(&s, "state p1 = joined", "p1 is joined"));
	ck_assert(!holds(&s, "state p1 = new", "p1 is joined"));
	ck_assert(holds(&s, "state t3 = new", "t3 is new"));
	ck_assert(!holds(&s, "state t3 = joined", "t3 is new"));
	ck_assert(!holds(&s, "state zz = new", "no worker named 'zz'"));
	ck_assert(!holds(&s, "state p = joined",
			 "no worker named 'p'; did you mean 'p1'?"));

	ck_assert(holds(&s, "before t1 \"1\" p1 \"a\"",
			"t1 \"1\" came before p1 \"a\""));
	ck_assert(holds(&s, "before t1 \"5\" p1 \"a\"",
			"t1 \"5\" came before p1 \"a\""));
	ck_assert(!holds(&s, "before p1 \"e\" t1 \"1\"",
			 "p1 \"e\" came after t1 \"1\""));
	ck_assert(holds(&s, "before p1 \"a\" p1 \"b\"",
			"p1 \"a\" came before p1 \"b\""));
	ck_assert(!holds(&s, "before p1 \"b\" p1 \"a\"",
			 "p1 \"b\" came after p1 \"a\""));
	ck_assert(!holds(&s, "before t1 \"6\" p1 \"a\"",
			 "t1 never printed \"6\""));
	ck_assert(!holds(&s, "before t1 \"1\" p1 \"f\"",
			 "p1 never printed \"f\""));
	ck_assert(!holds(&s, "before t1 \"1 2\" p1 \"a\"",
			 "t1 never printed \"1 2\""));
	ck_assert(!holds(&s, "before t3 \"1\" p1 \"a\"",
			 "t3 never printed \"1\""));
	ck_assert(
		!holds(&s, "before zz \"1\" p1 \"a\"", "no worker named 'zz'"));
	ck_assert(
		!holds(&s, "before t1 \"1\" yy \"a\"", "no worker named 'yy'"));

	ck_assert(!holds(&s, "deadlock", "no deadlock was reported"));
	shell_free(&s);
}
END_TEST

START_TEST(test_holds_var)
{
	struct session s;

	open_session(&s);
	/* The thread adds to weft's own x; the process only to its copy;
	 * the process adds to y for real, since y is shared. */
	ck_assert_int_eq(run_script(&s, "set x = 4\n"
					"spawn thread t count 3\n"
					"start t; join t\n"
					"spawn process p count 2\n"
					"start p; join p\n"
					"shared y = 10\n"
					"task addy {\n"
					"    y += 5\n"
					"}\n"
					"spawn process p2 addy\n"
					"start p2\n"
					"join p2\n"
					"set z = -3\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");

	ck_assert(holds(&s, "var x = 7", "x = 7"));
	ck_assert(!holds(&s, "var x = 9", "x = 7"));
	ck_assert(!holds(&s, "var x != 7", "x = 7"));
	ck_assert(holds(&s, "var x != 8", "x = 7"));
	ck_assert(holds(&s, "var x < 8", "x = 7"));
	ck_assert(!holds(&s, "var x < 7", "x = 7"));
	ck_assert(holds(&s, "var x > 6", "x = 7"));
	ck_assert(!holds(&s, "var x > 7", "x = 7"));
	ck_assert(holds(&s, "var x <= 7", "x = 7"));
	ck_assert(!holds(&s, "var x <= 6", "x = 7"));
	ck_assert(holds(&s, "var x >= 7", "x = 7"));
	ck_assert(!holds(&s, "var x >= 8", "x = 7"));

	ck_assert(holds(&s, "var y = 15", "y = 15"));
	ck_assert(!holds(&s, "var y = 10", "y = 15"));
	ck_assert(holds(&s, "var z = -3", "z = -3"));
	ck_assert(holds(&s, "var z < -2", "z = -3"));
	ck_assert(!holds(&s, "var z > -3", "z = -3"));
	ck_assert(!holds(&s, "var q = 0", "no variable named 'q'"));
	ck_assert(!holds(&s, "var q != 0", "no variable named 'q'"));
	ck_assert(!holds(&s, "var X = 7", "no variable named 'X'"));
	/* x, y and z tie for q and X above; xx is nearest to x alone. */
	ck_assert(!holds(&s, "var xx = 7",
			 "no variable named 'xx'; did you mean 'x'?"));
	shell_free(&s);
}
END_TEST

/* Runs t1 (print_numbers, a thread) and t2 (print_letters, a process)
 * under sched seed 11; sets FIRST[I][J] to whether t1's line I came
 * before t2's line J, checking what was seen both ways round. */
static void
seeded_order(bool first[5][5])
{
	static const char *const nums[] = { "1", "2", "3", "4", "5" };
	static const char *const lets[] = { "a", "b", "c", "d", "e" };
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "sched seed 11\n"
					"spawn thread t1 print_numbers\n"
					"spawn process t2 print_letters\n"
					"start t1 t2\n"
					"join t1 t2\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");
	ck_assert(holds(&s, "output t1 = \"1 2 3 4 5\"",
			"output of t1 is \"1 2 3 4 5\""));
	ck_assert(holds(&s, "output t2 = \"a b c d e\"",
			"output of t2 is \"a b c d e\""));
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 5; j++) {
			char *ab = format("before t1 \"%s\" t2 \"%s\"", nums[i],
					  lets[j]);
			char *ba = format("before t2 \"%s\" t1 \"%s\"", lets[j],
					  nums[i]);
			char *before = format("t1 \"%s\" came before t2 "
					      "\"%s\"",
					      nums[i], lets[j]);
			char *after = format("t1 \"%s\" came after t2 \"%s\"",
					     nums[i], lets[j]);
			char *rbefore = format("t2 \"%s\" came before t1 "
					       "\"%s\"",
					       lets[j], nums[i]);
			char *rafter = format("t2 \"%s\" came after t1 "
					      "\"%s\"",
					      lets[j], nums[i]);
			struct buf got = { 0 };
			bool b = check_text(&s, ab, &got);

			first[i][j] = b;
			ck_assert_str_eq(buf_str(&got), b ? before : after);
			ck_assert(holds(&s, ba, b ? rafter : rbefore) == !b);
			buf_free(&got);
			free(ab);
			free(ba);
			free(before);
			free(after);
			free(rbefore);
			free(rafter);
		}
	shell_free(&s);
}

/* Under a seed, two workers' lines interleave the same way every time;
 * of any two lines of theirs, one came before the other. */
START_TEST(test_holds_before_seeded)
{
	bool first[5][5], again[5][5];
	int befores = 0;

	seeded_order(first);
	seeded_order(again);
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 5; j++) {
			ck_assert_int_eq(first[i][j], again[i][j]);
			/* Each worker's own lines keep their order. */
			if (i > 0)
				ck_assert(!first[i][j] || first[i - 1][j]);
			if (j < 4)
				ck_assert(!first[i][j] || first[i][j + 1]);
			befores += first[i][j];
		}
	/* Seed 11 mixes them: neither worker printed all of its lines
	 * first. */
	ck_assert_int_gt(befores, 0);
	ck_assert_int_lt(befores, 25);
	ck_assert(!first[4][0]);
}
END_TEST

START_TEST(test_holds_deadlock)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "task ab {\n"
					"    lock m1\n"
					"    lock m2\n"
					"    print \"ab\"\n"
					"    unlock m2\n"
					"    unlock m1\n"
					"}\n"
					"task ba {\n"
					"    lock m2\n"
					"    lock m1\n"
					"    print \"ba\"\n"
					"    unlock m1\n"
					"    unlock m2\n"
					"}\n"
					"sched step\n"
					"spawn thread t1 ab\n"
					"spawn process t2 ba\n"
					"start t1 t2\n"
					"step t1\n"
					"step t2\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");
	ck_assert_ptr_nonnull(strstr(buf_str(&s.out),
				     "deadlock: t1 waits for m2 held by t2; "
				     "t2 waits for m1 held by t1\n"));
	ck_assert(holds(&s, "deadlock", "a deadlock was reported"));
	ck_assert(holds(&s, "output t1 = \"\"", "output of t1 is \"\""));
	ck_assert(!holds(&s, "output t2 = \"ba\"", "output of t2 is \"\""));
	shell_free(&s);

	/* One after the other: no deadlock. */
	open_session(&s);
	ck_assert_int_eq(run_script(&s, "task ab {\n"
					"    lock m1\n"
					"    lock m2\n"
					"    print \"ab\"\n"
					"    unlock m2\n"
					"    unlock m1\n"
					"}\n"
					"sched step\n"
					"spawn thread t1 ab\n"
					"spawn process t2 ab\n"
					"start t1 t2\n"
					"step t1 5\n"
					"step t2 5\n"
					"join t1 t2\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");
	ck_assert(!holds(&s, "deadlock", "no deadlock was reported"));
	ck_assert(holds(&s, "output t2 = \"ab\"", "output of t2 is \"ab\""));
	shell_free(&s);
}
END_TEST

/* expect_format writes what was parsed as a lesson writes it. */
START_TEST(test_format_round_trip)
{
	static const char *const same[] = {
		"output t1 = \"1 2 3 4 5\"",
		"output p_2 = \"\"",
		"var x = 0",
		"var x != -1",
		"var counter < 9223372036854775807",
		"var x > -9223372036854775808",
		"var x <= 5",
		"var x >= 6",
		"state t1 = new",
		"state t1 = running",
		"state t1 = finished",
		"state t1 = killed",
		"state t1 = failed",
		"state t1 = joined",
		"before t1 \"1\" t2 \"a b\"",
		"deadlock",
		"explore = violation",
		"explore = none",
		"explore = \"t1*3 t2*5 t1*2\"",
	};
	static const char *const canon[][2] = {
		{ "output  t1  =  '1 2'", "output t1 = \"1 2\"" },
		{ "var x >= 007", "var x >= 7" },
		{ "var x = +3", "var x = 3" },
		{ "var x = -0", "var x = 0" },
		{ "state\tt1 = joined  # done", "state t1 = joined" },
		{ "before a 1 b 'two'", "before a \"1\" b \"two\"" },
		{ "deadlock ", "deadlock" },
		{ "explore = 'violation'", "explore = violation" },
		{ "explore  =  t1", "explore = \"t1\"" },
	};

	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		char *t = format("# title: t\nexpect %s\ngoal %s\n", same[i],
				 same[i]);
		char *u = format("# title: t\nexercise e\ngoal %s\nsolution\n"
				 "end\n",
				 same[i]);
		struct lesson l;
		char err[256];
		struct buf b = { 0 };
		ck_assert_msg(lesson_parse("t", u, strlen(u), &cmds, &l,
					   err, sizeof err) == 0,
			      "%s: %s", same[i], err);
		ck_assert_int_eq(l.v[1].kind, L_GOAL);
		expect_format(&l.v[1].x, &b);
		ck_assert_str_eq(buf_str(&b), same[i]);
		buf_free(&b);
		lesson_free(&l);
		free(u);
		/* "expect" then "goal" outside an exercise: refused. */
		ck_assert_int_eq(lesson_parse("t", t, strlen(t), &cmds, &l,
					      err, sizeof err),
				 -1);
		ck_assert_str_eq(err, "t:3: goal outside an exercise");
		free(t);
	}
	for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
		char *t = format("# title: t\nexpect %s\n", canon[i][0]);
		struct lesson l;
		char err[256];
		struct buf b = { 0 };
		ck_assert_msg(lesson_parse("t", t, strlen(t), &cmds, &l,
					   err, sizeof err) == 0,
			      "%s: %s", canon[i][0], err);
		expect_format(&l.v[0].x, &b);
		ck_assert_str_eq(buf_str(&b), canon[i][1]);
		/* It appends. */
		expect_format(&l.v[0].x, &b);
		ck_assert_uint_eq(b.len, 2 * strlen(canon[i][1]));
		buf_free(&b);
		lesson_free(&l);
		free(t);
	}
}
END_TEST

/* Expectations in a lesson played in check mode: the states between
 * commands */

/* Plays TEXT (a lesson called les/x.weft) in check mode in S, a new
 * session; returns the exit status. */
static int
play_text(struct session *s, const char *text)
{
	struct lesson l;
	char err[256] = "";

	open_session(s);
	ck_assert_msg(lesson_parse(LESSON_FILE, text, strlen(text), &cmds,
				   &l, err, sizeof err) == 0,
		      "%s", err);
	play_start(s, &l, PLAY_CHECK, 0);
	check_empty(&l); /* taken over */
	s->in.eof = true;
	return shell_run(s);
}

START_TEST(test_play_running)
{
	struct session s;

	ck_assert_int_eq(play_text(&s, "# title: t\n"
				       "sched step\n"
				       "spawn thread t1 print_numbers\n"
				       "expect state t1 = new\n"
				       "start t1\n"
				       "expect state t1 = running\n"
				       "expect output t1 = \"\"\n"
				       "step t1 3\n"
				       "expect output t1 = \"1\"\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");
	shell_free(&s);

	ck_assert_int_eq(play_text(&s, "# title: t\n"
				       "sched step\n"
				       "spawn thread t1 print_numbers\n"
				       "start t1\n"
				       "expect state t1 = finished\n"
				       "spawn thread t2 print_numbers\n"),
			 3);
	ck_assert_str_eq(buf_str(&s.err),
			 "les/x.weft:5: error: expect failed: state t1 = "
			 "finished (saw: t1 is running)\n");
	/* The lesson stopped at the failure. */
	ck_assert_ptr_null(registry_find(&s.reg, "t2"));
	shell_free(&s);
}
END_TEST

START_TEST(test_play_ended_states)
{
	struct session s;

	ck_assert_int_eq(play_text(&s, "# title: t\n"
				       "task bad {\n"
				       "    print 1 / 0\n"
				       "}\n"
				       "spawn thread t1 print_numbers\n"
				       "spawn process p1 ticker 1000 1000\n"
				       "spawn thread b1 bad\n"
				       "start t1 p1 b1\n"
				       "kill p1\n"
				       "sleep 500\n"
				       "expect state t1 = finished\n"
				       "expect state p1 = killed\n"
				       "expect state b1 = failed\n"
				       "exercise join them\n"
				       "goal state t1 = joined\n"
				       "goal state p1 = joined\n"
				       "goal state b1 = joined\n"
				       "solution\n"
				       "join all\n"
				       "end\n"),
			 0);
	ck_assert_str_eq(buf_str(&s.err), "");
	shell_free(&s);

	ck_assert_int_eq(play_text(&s, "# title: t\n"
				       "spawn process p1 ticker 1000 1000\n"
				       "start p1\n"
				       "kill p1\n"
				       "sleep 500\n"
				       "exercise join it\n"
				       "goal state p1 = killed\n"
				       "goal state p1 = joined\n"
				       "solution\n"
				       "join p1\n"
				       "end\n"),
			 3);
	ck_assert_str_eq(buf_str(&s.err),
			 "les/x.weft:7: error: goal failed: state p1 = "
			 "killed (saw: p1 is joined)\n");
	shell_free(&s);
}
END_TEST

/* Finding and listing lessons */

static char lesson_dir[64], other_dir[64];

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *path = format("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

static void
remove_file(const char *dir, const char *name)
{
	char *path = format("%s/%s", dir, name);

	unlink(path);
	free(path);
}

static const char *const dir_files[] = { "01-alpha.weft", "02-beta.weft",
					 "10-gamma.weft", "notes.txt",
					 "beta.weft",	  "x1-delta.weft",
					 "03-broken.weft" };

static void
dirs_setup(void)
{
	strcpy(lesson_dir, "/tmp/check_lesson.XXXXXX");
	strcpy(other_dir, "/tmp/check_lesson.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(lesson_dir));
	ck_assert_ptr_nonnull(mkdtemp(other_dir));
	write_file(lesson_dir, "01-alpha.weft", "# title: Alpha\nps\n");
	write_file(lesson_dir, "02-beta.weft", "# title: Beta, too\n");
	write_file(lesson_dir, "10-gamma.weft", "# title: Gamma\n");
	write_file(lesson_dir, "notes.txt", "# title: Not a lesson\n");
	write_file(lesson_dir, "beta.weft", "# title: No number\n");
	write_file(lesson_dir, "x1-delta.weft", "# title: No number\n");
	write_file(other_dir, "02-beta.weft", "# title: Another beta\n");
	write_file(other_dir, "03-broken.weft", "no title\n");
	write_file(other_dir, "04-delta.weft", "# title: Delta\n");
}

static void
dirs_teardown(void)
{
	for (size_t i = 0; i < sizeof dir_files / sizeof dir_files[0]; i++)
		remove_file(lesson_dir, dir_files[i]);
	remove_file(other_dir, "02-beta.weft");
	remove_file(other_dir, "03-broken.weft");
	remove_file(other_dir, "04-delta.weft");
	rmdir(lesson_dir);
	rmdir(other_dir);
}

/* Checks that lesson_find(NAME) in DIRS is WANT (DIR/FILE), or NULL. */
static void
check_find(const char *name, const char *const *dirs, const char *dir,
	   const char *file)
{
	char *got = lesson_find(name, dirs);

	if (file == NULL) {
		ck_assert_msg(got == NULL, "'%s' found '%s'", name, got);
		return;
	}
	char *want = format("%s/%s", dir, file);
	ck_assert_msg(got != NULL, "'%s' not found", name);
	ck_assert_str_eq(got, want);
	free(want);
	free(got);
}

START_TEST(test_find)
{
	const char *const dirs[] = { lesson_dir, NULL };
	char *path = format("%s/02-beta.weft", lesson_dir);
	char *missing = format("%s/09-none.weft", lesson_dir);

	check_find("1", dirs, lesson_dir, "01-alpha.weft");
	check_find("01", dirs, lesson_dir, "01-alpha.weft");
	check_find("alpha", dirs, lesson_dir, "01-alpha.weft");
	check_find("2", dirs, lesson_dir, "02-beta.weft");
	check_find("beta", dirs, lesson_dir, "02-beta.weft");
	check_find("02-beta", dirs, lesson_dir, "02-beta.weft");
	check_find("10", dirs, lesson_dir, "10-gamma.weft");
	check_find("gamma", dirs, lesson_dir, "10-gamma.weft");
	/* A path is taken as it is, when it is a file. */
	check_find(path, dirs, lesson_dir, "02-beta.weft");
	ck_assert_ptr_null(lesson_find(missing, dirs));
	ck_assert_ptr_null(lesson_find(lesson_dir, dirs));
	/* Not found */
	check_find("0", dirs, NULL, NULL);
	check_find("3", dirs, NULL, NULL);
	check_find("100", dirs, NULL, NULL);
	check_find("alp", dirs, NULL, NULL);
	check_find("Alpha", dirs, NULL, NULL);
	check_find("01-alpha.weft", dirs, NULL, NULL);
	check_find("02-gamma", dirs, NULL, NULL);
	check_find("notes", dirs, NULL, NULL);
	check_find("delta", dirs, NULL, NULL);
	check_find("1a", dirs, NULL, NULL);
	free(path);
	free(missing);
}
END_TEST

START_TEST(test_find_in_order)
{
	const char *const dirs[] = { "/nonexistent/weft", lesson_dir, other_dir,
				     NULL };
	const char *const none[] = { NULL };

	/* The first directory that has it wins. */
	check_find("2", dirs, lesson_dir, "02-beta.weft");
	check_find("beta", dirs, lesson_dir, "02-beta.weft");
	check_find("4", dirs, other_dir, "04-delta.weft");
	check_find("delta", dirs, other_dir, "04-delta.weft");
	check_find("03-broken", dirs, other_dir, "03-broken.weft");
	check_find("5", dirs, NULL, NULL);
	check_find("1", none, NULL, NULL);
}
END_TEST

START_TEST(test_list)
{
	const char *const one[] = { lesson_dir, NULL };
	const char *const both[] = { "/nonexistent/weft", lesson_dir, other_dir,
				     NULL };
	const char *const none[] = { NULL };
	struct buf b = { 0 };

	ck_assert_uint_eq(lesson_list(one, &cmds, &b), 3);
	ck_assert_str_eq(buf_str(&b), "01  alpha                Alpha\n"
				      "02  beta                 Beta, too\n"
				      "10  gamma                Gamma\n");
	buf_reset(&b);
	/* The first directory's 02-beta wins (a number once); 03-broken is
	 * listed with why it cannot be played. */
	ck_assert_uint_eq(lesson_list(both, &cmds, &b), 5);
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
				     "01  alpha                Alpha\n"
				     "02  beta                 Beta, too\n"
				     "03  broken               (cannot be "
				     "played: "));
	ck_assert_ptr_nonnull(strstr(buf_str(&b),
				     "\n04  delta                Delta\n"
				     "10  gamma                Gamma\n"));
	/* It appends. */
	ck_assert_uint_eq(lesson_list(one, &cmds, &b), 3);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "Gamma\n01  alpha "));
	buf_reset(&b);
	ck_assert_uint_eq(lesson_list(none, &cmds, &b), 0);
	ck_assert_str_eq(buf_str(&b), "");
	buf_free(&b);
}
END_TEST

static Suite *
lesson_suite(void)
{
	Suite *s = suite_create("lesson");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_whole_lesson);
	tcase_add_test(tc, test_parse_title_only);
	tcase_add_test(tc, test_parse_nested_task);
	tcase_add_test(tc, test_parse_python);
	tcase_add_test(tc, test_load_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse");
	tcase_add_test(tc, test_refuse_title);
	tcase_add_test(tc, test_refuse_expect);
	tcase_add_test(tc, test_refuse_exercise_nesting);
	tcase_add_test(tc, test_parse_hint_and_ran);
	tcase_add_test(tc, test_refuse_commands);
	tcase_add_test(tc, test_refuse_tasks_and_bytes);
	tcase_add_test(tc, test_refuse_too_big);
	tcase_add_test(tc, test_refuse_edges);
	tcase_add_test(tc, test_trailing_blanks_and_escapes);
	tcase_add_test(tc, test_refuse_small_err);
	tcase_add_test(tc, test_refuse_python);
	suite_add_tcase(s, tc);

	tc = tcase_create("expect");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_holds_output_and_state);
	tcase_add_test(tc, test_holds_explore);
	tcase_add_test(tc, test_holds_var);
	tcase_add_test(tc, test_holds_before_seeded);
	tcase_add_test(tc, test_holds_deadlock);
	tcase_add_test(tc, test_format_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("play");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_play_running);
	tcase_add_test(tc, test_play_ended_states);
	suite_add_tcase(s, tc);

	tc = tcase_create("find");
	tcase_add_unchecked_fixture(tc, dirs_setup, dirs_teardown);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_find_in_order);
	tcase_add_test(tc, test_list);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lesson_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
