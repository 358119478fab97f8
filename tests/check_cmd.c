/*
 * check_cmd.c: unit tests of the command table and of the commands, run on
 * a session with no terminal whose output is captured (s.out, s.err). The
 * commands that answer at once are called through cmd_exec; those that wait
 * (start, join, reset, quit) run in the real main loop, reading a script
 * from a pipe, so that events, signals and waits all take their real path.
 * Completion is tested through cmd_complete.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "help-topics.h"
#include "session.h"
#include "shell.h"
#include "testlib.h"

/* Runs LINE, split at spaces (no quoting), with cmd_exec; returns its
 * status. */
static int
exec_line(struct session *s, const char *line)
{
	char *copy = strdup(line), *argv[32], *save = NULL;
	int argc = 0, st;

	ck_assert_ptr_nonnull(copy);
	for (char *w = strtok_r(copy, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save)) {
		ck_assert_int_lt(argc, 31);
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	ck_assert_int_gt(argc, 0);
	st = cmd_exec(s, argc, argv);
	free(copy);
	return st;
}

static const char *
out_of(struct session *s)
{
	return buf_str(&s->out);
}

static const char *
err_of(struct session *s)
{
	return buf_str(&s->err);
}

/* The command table */

START_TEST(test_cmd_find_names)
{
	static const char *const names[] = {
		"spawn",  "start", "join",  "ps",   "kill", "sleep",
		"reset",  "task",  "tasks", "show", "vars", "set",
		"shared", "locks", "help",  "quit",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct cmd_entry *c = cmd_find(names[i]);
		ck_assert_msg(c != NULL, "no command '%s'", names[i]);
		ck_assert_str_eq(c->name, names[i]);
	}
	for (size_t i = 0; i < cmd_count(); i++)
		ck_assert_ptr_eq(cmd_find(cmd_at(i)->name), cmd_at(i));
	ck_assert_ptr_null(cmd_at(cmd_count()));
}
END_TEST

START_TEST(test_cmd_find_alias)
{
	const struct cmd_entry *c = cmd_find("exit");

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_eq(c, cmd_find("quit"));
	ck_assert_str_eq(c->name, "quit");
}
END_TEST

START_TEST(test_cmd_find_unknown)
{
	ck_assert_ptr_null(cmd_find("foo"));
	ck_assert_ptr_null(cmd_find(""));
	ck_assert_ptr_null(cmd_find("spa"));
	ck_assert_ptr_null(cmd_find("SPAWN"));
}
END_TEST

START_TEST(test_exec_unknown)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "foo bar"), 1);
	ck_assert_str_eq(err_of(&s),
			 "error: unknown command 'foo' (try 'help')\n");
	ck_assert_str_eq(out_of(&s), "");
	close_session(&s);
}
END_TEST

/* A near miss names what it likely meant: a command, an alias, a task,
 * a worker (also by a unique prefix); a far one or a tie does not. */
START_TEST(test_exec_suggests)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{ "stpe", "unknown command 'stpe'; did you mean 'step'?" },
		{ "exti", "unknown command 'exti'; did you mean 'exit'?" },
		{ "spawn thread t9 print_leters",
		  "no task named 'print_leters'; did you mean "
		  "'print_letters'?" },
		{ "show task cuont",
		  "no task named 'cuont'; did you mean 'count'?" },
		{ "start thread", "no worker named 'thread'; did you mean "
				  "'thread1'?" },
		{ "kill thraed1", "no worker named 'thraed1'; did you mean "
				  "'thread1'?" },
		{ "start t3", "no worker named 't3'" },
		{ "show task zzz", "no task named 'zzz'" },
	};
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn thread thread1 print_numbers"),
			 0);
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ck_assert_int_eq(exec_line(&s, "spawn thread t2 print_numbers"), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *want = format("error: %s\n", cases[i].err);
		buf_reset(&s.err);
		ck_assert_int_eq(exec_line(&s, cases[i].line), 1);
		ck_assert_str_eq(err_of(&s), want);
		free(want);
	}
	close_session(&s);
}
END_TEST

/* Locks and variables are suggested from the session's tables. */
START_TEST(test_suggest_locks_and_vars)
{
	struct session s;
	struct buf b = { 0 };

	open_session(&s);
	ck_assert_int_ge(locks_intern(&s.locks, "fork1"), 0);
	ck_assert_int_ge(locks_intern(&s.locks, "mutex"), 0);
	ck_assert_int_eq(exec_line(&s, "set counter = 1"), 0);
	ck_assert(cmd_suggest(&s, 'm', "mutx", &b));
	ck_assert_str_eq(buf_str(&b), "; did you mean 'mutex'?");
	buf_reset(&b);
	ck_assert(cmd_suggest(&s, 'v', "conter", &b));
	ck_assert_str_eq(buf_str(&b), "; did you mean 'counter'?");
	buf_reset(&b);
	ck_assert(!cmd_suggest(&s, 'm', "spoon", &b));
	ck_assert(!cmd_suggest(&s, 'v', "x", &b));
	ck_assert_str_eq(buf_str(&b), "");
	buf_free(&b);
	close_session(&s);
}
END_TEST

/* Runs LINE and checks it fails with the usage line of command NAME. */
static void
check_usage(const char *line, const char *name)
{
	struct session s;
	char *want = format("error: usage: %s\n", cmd_find(name)->usage);

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, line), 1);
	ck_assert_str_eq(err_of(&s), want);
	ck_assert_str_eq(out_of(&s), "");
	ck_assert_uint_eq(s.reg.n, 0);
	free(want);
	close_session(&s);
}

START_TEST(test_exec_too_few_args)
{
	check_usage("spawn thread t1", "spawn");
	check_usage("start", "start");
	check_usage("join", "join");
	check_usage("kill", "kill");
}
END_TEST

START_TEST(test_exec_too_many_args)
{
	check_usage("ps x", "ps");
	check_usage("tasks x", "tasks");
	check_usage("help a b", "help");
	check_usage("kill t1 TERM x", "kill");
	check_usage("exit now", "quit");
}
END_TEST

START_TEST(test_usage_text)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn thread"), 1);
	ck_assert_str_eq(err_of(&s), "error: usage: spawn KIND NAME "
				     "TASK [ARG...]\n");
	close_session(&s);
}
END_TEST

/* spawn */

START_TEST(test_spawn)
{
	struct session s;
	struct worker *w;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ck_assert_int_eq(exec_line(&s, "spawn process p1 ticker 3 10"), 0);
	ck_assert_str_eq(err_of(&s), "");
	ck_assert_str_eq(out_of(&s), "");
	ck_assert_uint_eq(s.reg.n, 2);
	w = registry_find(&s.reg, "t1");
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w->kind, WORKER_THREAD);
	ck_assert_int_eq(w->state, WS_NEW);
	ck_assert_str_eq(w->task->def->name, "print_numbers");
	ck_assert_int_eq(w->argc, 0);
	w = registry_find(&s.reg, "p1");
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w->kind, WORKER_PROCESS);
	ck_assert_str_eq(w->task->def->name, "ticker");
	ck_assert_int_eq(w->argc, 2);
	ck_assert_str_eq(w->argv[0], "3");
	ck_assert(!w->args[0].is_str);
	ck_assert_int_eq(w->args[0].i, 3);
	ck_assert_int_eq(w->args[1].i, 10);
	close_session(&s);
}
END_TEST

/* Runs the spawn LINE on a session that holds worker t1 and checks it fails
 * with error WANT and leaves the registry as it was. */
static void
check_spawn_fails(const char *line, const char *want)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ck_assert_int_eq(exec_line(&s, line), 1);
	ck_assert_str_eq(err_of(&s), want);
	ck_assert_uint_eq(s.reg.n, 1);
	ck_assert_str_eq(s.reg.v[0]->name, "t1");
	ck_assert_int_eq(s.reg.v[0]->kind, WORKER_THREAD);
	ck_assert_str_eq(s.reg.v[0]->task->def->name, "print_numbers");
	close_session(&s);
}

START_TEST(test_spawn_bad_kind)
{
	check_spawn_fails("spawn fiber f1 print_numbers",
			  "error: unknown worker kind 'fiber' (thread, "
			  "process or node)\n");
}
END_TEST

START_TEST(test_spawn_invalid_name)
{
	check_spawn_fails("spawn thread 1t print_numbers",
			  "error: invalid worker name '1t' (a letter or _, "
			  "then letters, digits or _, at most 31)\n");
	check_spawn_fails("spawn thread a-b print_numbers",
			  "error: invalid worker name 'a-b' (a letter or _, "
			  "then letters, digits or _, at most 31)\n");
}
END_TEST

START_TEST(test_spawn_reserved_main)
{
	check_spawn_fails("spawn thread main print_numbers",
			  "error: 'main' is reserved and cannot name a "
			  "worker\n");
}
END_TEST

START_TEST(test_spawn_reserved_all)
{
	check_spawn_fails("spawn process all print_numbers",
			  "error: 'all' is reserved and cannot name a "
			  "worker\n");
}
END_TEST

START_TEST(test_spawn_duplicate)
{
	check_spawn_fails("spawn process t1 print_letters",
			  "error: a worker named 't1' already exists\n");
}
END_TEST

START_TEST(test_spawn_unknown_task)
{
	check_spawn_fails("spawn thread t2 foo",
			  "error: no task named 'foo'\n");
}
END_TEST

START_TEST(test_spawn_wrong_arg_count)
{
	check_spawn_fails("spawn thread t2 ticker 5",
			  "error: task 'ticker' takes 2 arguments (n, ms), "
			  "got 1\n");
	check_spawn_fails("spawn thread t2 print_letters 5",
			  "error: task 'print_letters' takes no arguments, "
			  "got 1\n");
}
END_TEST

START_TEST(test_spawn_bad_arg)
{
	check_spawn_fails("spawn thread t2 ticker five 10",
			  "error: task 'ticker': n must be an integer, got "
			  "'five'\n");
	check_spawn_fails("spawn thread t2 ticker 5 1.5",
			  "error: task 'ticker': ms must be an integer, got "
			  "'1.5'\n");
}
END_TEST

/* ps, tasks, help */

/* ps's header line: the NAME column is 4 wide when no name is longer. */
#define PS_HEADER                                                              \
	"NAME  KIND     STATE         PID      TID   STEPS   LINES"            \
	"      CPU    EXIT  OS\n"

START_TEST(test_ps_header)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "ps"), 0);
	ck_assert_str_eq(out_of(&s), PS_HEADER);
	ck_assert_str_eq(err_of(&s), "");
	close_session(&s);
}
END_TEST

START_TEST(test_ps_new_worker)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ck_assert_int_eq(exec_line(&s, "ps"), 0);
	ck_assert_str_eq(out_of(&s),
			 PS_HEADER "t1    thread   new             -        -  "
				   "     0       0        -       -  -\n");
	close_session(&s);
}
END_TEST

START_TEST(test_ps_wide_name)
{
	struct session s;
	const char *out;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn process a_long_name "
				       "print_numbers"),
			 0);
	ck_assert_int_eq(exec_line(&s, "ps"), 0);
	out = out_of(&s);
	/* The NAME column is as wide as the longest name. */
	ck_assert_msg(strncmp(out, "NAME         KIND     STATE", 27) == 0,
		      "ps header: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "\na_long_name  process  new "));
	close_session(&s);
}
END_TEST

START_TEST(test_tasks)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "tasks"), 0);
	ck_assert_str_eq(out_of(&s),
			 "print_numbers          prints 1 to 5, one line each\n"
			 "print_letters          prints a to e, one line each\n"
			 "ticker(n, ms)          prints tick 1 .. tick n, one "
			 "every ms milliseconds\n"
			 "count(n)               adds 1 to the global x (set "
			 "it first), n "
			 "times: incr reads, adds, writes\n"
			 "count_locked(n)        like count, but each incr "
			 "holds the lock m\n");
	close_session(&s);
}
END_TEST

START_TEST(test_help_list)
{
	struct session s;
	const char *p;

	/* Wide enough that no line wraps (the tests have no terminal). */
	setenv("COLUMNS", "1000", 1);
	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "help"), 0);
	p = out_of(&s);
	/* One line per command, in table order: usage, then summary. */
	for (size_t i = 0; i < cmd_count(); i++) {
		const struct cmd_entry *c = cmd_at(i);
		const char *nl = strchr(p, '\n');
		size_t ul = strlen(c->usage), sl = strlen(c->summary);
		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(strncmp(p, c->usage, ul) == 0,
			      "line %zu does not start with '%s'", i, c->usage);
		ck_assert_uint_ge((size_t)(nl - p), ul + 1 + sl);
		ck_assert(strncmp(nl - sl, c->summary, sl) == 0);
		p = nl + 1;
	}
	/* Then, after a blank line, where the rest of the help is. */
	ck_assert_msg(strncmp(p, "\nmore: help statements",
			      strlen("\nmore: help statements")) == 0,
		      "after the commands: '%s'", p);
	ck_assert_ptr_nonnull(strstr(p, "help python"));
	ck_assert_ptr_nonnull(strstr(p, "help exercises"));
	close_session(&s);
}
END_TEST

/* With no terminal, help fits $COLUMNS, breaking lines at spaces only. */
START_TEST(test_help_wraps)
{
	struct session s;
	const char *p;

	setenv("COLUMNS", "60", 1);
	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "help"), 0);
	ck_assert_int_eq(exec_line(&s, "help statements"), 0);
	ck_assert_int_eq(exec_line(&s, "help python"), 0);
	for (p = out_of(&s); *p != '\0';) {
		size_t n = strcspn(p, "\n");
		ck_assert_msg(n <= 60, "a line of %zu: %.*s", n, (int)n, p);
		ck_assert_msg(n == 0 || p[n - 1] != ' ',
			      "a line ends in a space");
		p += n + (p[n] == '\n');
	}
	/* The summary of spawn goes on near the left (under its column
	 * there would be no room). */
	ck_assert_ptr_nonnull(strstr(out_of(&s), "[ARG...]           create "
						 "worker NAME,\n    a thread,"));
	close_session(&s);
}
END_TEST

START_TEST(test_help_command)
{
	struct session s;
	const struct cmd_entry *c = cmd_find("join");
	char *want = format("usage: %s\n%s\nexample: %s\n", c->usage,
			    c->summary, c->example);

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "help join"), 0);
	ck_assert_str_eq(out_of(&s), want);
	ck_assert_ptr_nonnull(
		strstr(out_of(&s), "usage: join NAME...|all [--timeout MS]\n"));
	ck_assert_ptr_nonnull(strstr(out_of(&s), "example: join t1 t2\n"));
	free(want);
	close_session(&s);
}
END_TEST

START_TEST(test_help_alias)
{
	struct session s;
	const struct cmd_entry *c = cmd_find("quit");
	char *want = format("usage: %s\n%s\nalso: exit\nexample: %s\n",
			    c->usage, c->summary, c->example);

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "help exit"), 0);
	/* The command exit stands for, then the statement exit. */
	ck_assert_msg(strncmp(out_of(&s), want, strlen(want)) == 0,
		      "help exit: '%s'", out_of(&s));
	ck_assert_ptr_nonnull(
		strstr(out_of(&s), "\n\nstatement: exit [CODE]\n"));
	free(want);
	close_session(&s);
}
END_TEST

START_TEST(test_help_unknown)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "help zzz"), 1);
	ck_assert_str_eq(err_of(&s), "error: no help for 'zzz' (try 'help')\n");
	buf_reset(&s.err);
	ck_assert_int_eq(exec_line(&s, "help lokc"), 1);
	ck_assert_str_eq(err_of(&s),
			 "error: no help for 'lokc'; did you mean 'lock'?\n");
	close_session(&s);
}
END_TEST

/* Every statement of the task language, every prompt word and each
 * other topic has help, and a statement's help says its steps. */
START_TEST(test_help_topics)
{
	static const char *const names[] = {
		"lock",	      "unlock",	   "for",	  "incr",   "decr",
		"+=",	      "print",	   "sleep",	  "repeat", "while",
		"if",	      "yield",	   "exit",	  "crash",  "=",
		"statements", "python",	   "expressions", "skip",   "hint",
		"again",      "exercises",
	};
	struct session s;

	open_session(&s);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *line = format("help %s", names[i]);
		buf_reset(&s.out);
		ck_assert_msg(exec_line(&s, line) == 0, "%s: %s", line,
			      err_of(&s));
		ck_assert_uint_gt(s.out.len, 0);
		free(line);
	}
	buf_reset(&s.out);
	ck_assert_int_eq(exec_line(&s, "help incr"), 0);
	ck_assert_ptr_nonnull(strstr(out_of(&s), "statement: incr VAR"));
	ck_assert_ptr_nonnull(strstr(out_of(&s), "\nsteps: 3\n"));
	ck_assert_ptr_nonnull(strstr(out_of(&s), "read"));
	ck_assert_ptr_nonnull(strstr(out_of(&s), "compute"));
	ck_assert_ptr_nonnull(strstr(out_of(&s), "write"));
	buf_reset(&s.out);
	ck_assert_int_eq(exec_line(&s, "help statements"), 0);
	for (size_t i = 0; i < help_topic_count(); i++) {
		const struct help_topic *t = help_topic_at(i);
		if (t->kind == HELP_STATEMENT)
			ck_assert_msg(strstr(out_of(&s), t->usage) != NULL,
				      "help statements lacks '%s'", t->usage);
	}
	buf_reset(&s.out);
	ck_assert_int_eq(exec_line(&s, "help task"), 0);
	ck_assert_ptr_nonnull(strstr(out_of(&s), "usage: task NAME"));
	ck_assert_ptr_nonnull(strstr(out_of(&s), "help statements"));
	ck_assert_str_eq(err_of(&s), "");
	close_session(&s);
}
END_TEST

/* Each statement topic is written as complete data. */
START_TEST(test_help_topics_complete)
{
	for (size_t i = 0; i < help_topic_count(); i++) {
		const struct help_topic *t = help_topic_at(i);
		ck_assert_ptr_eq(help_topic_find(t->name), t);
		if (t->kind == HELP_STATEMENT)
			ck_assert_msg(t->usage && t->steps && t->summary &&
					      t->example,
				      "topic '%s' is incomplete", t->name);
		if (t->kind == HELP_NOTE)
			ck_assert_msg(cmd_find(t->name) != NULL,
				      "note '%s' is on no command", t->name);
	}
	ck_assert_ptr_eq(help_topic_find("decr"), help_topic_find("incr"));
	ck_assert_ptr_null(help_topic_find("nosuch"));
}
END_TEST

/* Errors of start, join and kill found before anything runs */

/* Runs LINES (one command each, '\n'-separated, all but the last must
 * succeed) and checks the last fails with error WANT. */
static void
check_exec_fails(const char *const *lines, const char *want)
{
	struct session s;
	size_t i;

	open_session(&s);
	for (i = 0; lines[i + 1] != NULL; i++)
		ck_assert_int_eq(exec_line(&s, lines[i]), 0);
	ck_assert_int_eq(exec_line(&s, lines[i]), 1);
	ck_assert_str_eq(err_of(&s), want);
	ck_assert(!s.waiting);
	for (size_t j = 0; j < s.reg.n; j++)
		ck_assert_int_eq(s.reg.v[j]->state, WS_NEW);
	close_session(&s);
}

START_TEST(test_start_unknown_worker)
{
	check_exec_fails((const char *[]){ "spawn thread t1 print_numbers",
					   "start t1 nobody", NULL },
			 "error: no worker named 'nobody'\n");
}
END_TEST

START_TEST(test_start_named_twice)
{
	check_exec_fails((const char *[]){ "spawn thread t1 print_numbers",
					   "start t1 t1", NULL },
			 "error: 't1' is named twice\n");
}
END_TEST

START_TEST(test_kill_not_started)
{
	check_exec_fails((const char *[]){ "spawn process p1 print_numbers",
					   "kill p1", NULL },
			 "error: cannot kill 'p1': not started\n");
}
END_TEST

START_TEST(test_kill_unknown_signal)
{
	check_exec_fails((const char *[]){ "spawn process p1 print_numbers",
					   "kill p1 BOGUS", NULL },
			 "error: unknown signal 'BOGUS'\n");
}
END_TEST

START_TEST(test_join_not_started)
{
	check_exec_fails((const char *[]){ "spawn thread t1 print_numbers",
					   "join t1", NULL },
			 "error: cannot join 't1': not started\n");
}
END_TEST

START_TEST(test_join_bad_timeout)
{
	check_exec_fails((const char *[]){ "join all --timeout soon", NULL },
			 "error: --timeout takes milliseconds from 0 to "
			 "86400000, not 'soon'\n");
}
END_TEST

/* A command naming several workers acts on none when one name is wrong:
 * every name is resolved before anything is done; a name given twice is
 * acted on once. */
START_TEST(test_pause_refused_changes_nothing)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ck_assert_int_eq(exec_line(&s, "spawn thread t2 print_numbers"), 0);
	ck_assert_int_eq(exec_line(&s, "pause t1 t2 nobody"), 1);
	ck_assert_str_eq(err_of(&s), "error: no worker named 'nobody'\n");
	ck_assert_int_eq(s.reg.v[0]->hold_over, HOLD_DEFAULT);
	ck_assert_int_eq(s.reg.v[1]->hold_over, HOLD_DEFAULT);
	ck_assert_int_eq(exec_line(&s, "pause t2 t2"), 0);
	ck_assert_int_eq(s.reg.v[0]->hold_over, HOLD_DEFAULT);
	ck_assert_int_eq(s.reg.v[1]->hold_over, HOLD_PAUSED);
	ck_assert_int_eq(exec_line(&s, "run t2 t1 nobody"), 1);
	ck_assert_int_eq(s.reg.v[0]->hold_over, HOLD_DEFAULT);
	ck_assert_int_eq(s.reg.v[1]->hold_over, HOLD_PAUSED);
	close_session(&s);
}
END_TEST

/* Every number of a command or an option is read by cmd_parse_number:
 * digits only, within the bounds, and any other text refused in its one
 * wording, which quotes the text when there was one. */
START_TEST(test_parse_number)
{
	static const struct {
		const char *text;
		int rc;
		uint64_t value;
		const char *why;
	} cases[] = {
		{ "0", 0, 0, "" },
		{ "007", 0, 7, "" },
		{ "500", 0, 500, "" },
		{ "501", -1, 0,
		  "sleep takes milliseconds from 0 to 500, not '501'" },
		{ "-0", -1, 0,
		  "sleep takes milliseconds from 0 to 500, not '-0'" },
		{ "+5", -1, 0,
		  "sleep takes milliseconds from 0 to 500, not '+5'" },
		{ " 5", -1, 0,
		  "sleep takes milliseconds from 0 to 500, not ' 5'" },
		{ "5ms", -1, 0,
		  "sleep takes milliseconds from 0 to 500, not '5ms'" },
		{ "", -1, 0, "sleep takes milliseconds from 0 to 500, not ''" },
		{ NULL, -1, 0, "sleep takes milliseconds from 0 to 500" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf why = { 0 };
		uint64_t v = 99;
		int rc = cmd_parse_number(cases[i].text, "sleep",
					  "milliseconds", 0, 500, &v, &why);
		ck_assert_int_eq(rc, cases[i].rc);
		ck_assert_uint_eq(v, rc == 0 ? cases[i].value : 99);
		ck_assert_str_eq(buf_str(&why), cases[i].why);
		buf_free(&why);
	}
}
END_TEST

/* The whole range of a 64-bit seed, and one past it. */
START_TEST(test_parse_number_limits)
{
	struct buf why = { 0 };
	uint64_t v = 0;

	ck_assert_int_eq(cmd_parse_number("18446744073709551615", "--seed",
					  "a whole number", 0, UINT64_MAX, &v,
					  &why),
			 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(cmd_parse_number("18446744073709551616", "--seed",
					  "a whole number", 0, UINT64_MAX, &v,
					  &why),
			 -1);
	ck_assert_str_eq(buf_str(&why),
			 "--seed takes a whole number from 0 to "
			 "18446744073709551615, not '18446744073709551616'");
	buf_free(&why);
}
END_TEST

/* Completion */

/* Completes the last word of LINE (from its last blank or ';', or all of
 * it) and checks the candidates are exactly WANT (NULL-terminated). */
static void
check_complete(const struct session *s, const char *line,
	       const char *const *want)
{
	size_t start = strlen(line);
	char **got;
	size_t n = 0;

	while (start > 0 && line[start - 1] != ' ' && line[start - 1] != ';')
		start--;
	got = cmd_complete(s, line, start, line + start);
	ck_assert_ptr_nonnull(got);
	for (; want[n] != NULL; n++) {
		ck_assert_msg(got[n] != NULL, "'%s': missing '%s'", line,
			      want[n]);
		ck_assert_str_eq(got[n], want[n]);
	}
	ck_assert_msg(got[n] == NULL, "'%s': unexpected '%s'", line, got[n]);
	for (size_t i = 0; got[i] != NULL; i++)
		free(got[i]);
	free(got);
}

/* A session with workers t1, t2 and p1 for completion. */
static void
open_completion_session(struct session *s)
{
	open_session(s);
	ck_assert_int_eq(exec_line(s, "spawn thread t1 print_numbers"), 0);
	ck_assert_int_eq(exec_line(s, "spawn thread t2 print_letters"), 0);
	ck_assert_int_eq(exec_line(s, "spawn process p1 print_numbers"), 0);
}

START_TEST(test_complete_command)
{
	struct session s;

	open_session(&s);
	check_complete(&s, "spa", (const char *[]){ "spawn", NULL });
	check_complete(&s, "j", (const char *[]){ "join", NULL });
	check_complete(&s, "zz", (const char *[]){ NULL });
	close_session(&s);
}
END_TEST

/* Fills WANT (64 entries) with every command name, in table order. */
static const char *const *
all_names(const char **want)
{
	ck_assert_uint_lt(cmd_count(), 64);
	for (size_t i = 0; i < cmd_count(); i++)
		want[i] = cmd_at(i)->name;
	want[cmd_count()] = NULL;
	return want;
}

START_TEST(test_complete_all_commands)
{
	struct session s;
	const char *want[64];

	all_names(want);
	open_session(&s);
	check_complete(&s, "", want);
	check_complete(&s, "  ", want);
	close_session(&s);
}
END_TEST

/* help completes commands, then the other topics. */
START_TEST(test_complete_help)
{
	struct session s;
	static const char *const st[] = { "start", "step", "statements", NULL };
	static const char *const un[] = { "unlock", NULL };

	open_session(&s);
	check_complete(&s, "help st", st);
	check_complete(&s, "help un", un);
	close_session(&s);
}
END_TEST

START_TEST(test_complete_spawn_kind)
{
	struct session s;

	open_session(&s);
	check_complete(&s, "spawn t", (const char *[]){ "thread", NULL });
	check_complete(&s, "spawn ",
		       (const char *[]){ "thread", "process", "node", NULL });
	close_session(&s);
}
END_TEST

START_TEST(test_complete_spawn_task)
{
	struct session s;

	open_session(&s);
	check_complete(
		&s, "spawn thread x pr",
		(const char *[]){ "print_numbers", "print_letters", NULL });
	check_complete(&s, "spawn process x t",
		       (const char *[]){ "ticker", NULL });
	/* The name is not completed, nor what follows the task. */
	check_complete(&s, "spawn thread ", (const char *[]){ NULL });
	check_complete(&s, "spawn thread x ticker ", (const char *[]){ NULL });
	close_session(&s);
}
END_TEST

START_TEST(test_complete_start_names)
{
	struct session s;

	open_completion_session(&s);
	check_complete(&s, "start ",
		       (const char *[]){ "t1", "t2", "p1", NULL });
	check_complete(&s, "start t", (const char *[]){ "t1", "t2", NULL });
	check_complete(&s, "start t1 p", (const char *[]){ "p1", NULL });
	close_session(&s);
}
END_TEST

START_TEST(test_complete_join_names)
{
	struct session s;

	open_completion_session(&s);
	check_complete(&s, "join ",
		       (const char *[]){ "all", "t1", "t2", "p1", NULL });
	check_complete(&s, "join a", (const char *[]){ "all", NULL });
	check_complete(&s, "join t", (const char *[]){ "t1", "t2", NULL });
	close_session(&s);
}
END_TEST

START_TEST(test_complete_kill)
{
	struct session s;

	open_completion_session(&s);
	check_complete(&s, "kill p", (const char *[]){ "p1", NULL });
	check_complete(&s, "kill p1 ", (const char *[]){ NULL });
	check_complete(&s, "ps ", (const char *[]){ NULL });
	close_session(&s);
}
END_TEST

START_TEST(test_complete_show_and_vars)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(exec_line(&s, "set alpha = 1"), 0);
	ck_assert_int_eq(exec_line(&s, "shared beta = 2"), 0);
	check_complete(&s, "show ", (const char *[]){ "task", NULL });
	check_complete(&s, "show task co",
		       (const char *[]){ "count", "count_locked", NULL });
	check_complete(&s, "show task count ", (const char *[]){ NULL });
	check_complete(&s, "set ", (const char *[]){ "alpha", "beta", NULL });
	check_complete(&s, "shared b", (const char *[]){ "beta", NULL });
	check_complete(&s, "set alpha ", (const char *[]){ NULL });
	/* help completes one command name; quit and its alias nothing. */
	check_complete(&s, "help join ", (const char *[]){ NULL });
	check_complete(&s, "exit ", (const char *[]){ NULL });
	close_session(&s);
}
END_TEST

START_TEST(test_complete_after_semicolon)
{
	struct session s;
	const char *names[64];

	open_completion_session(&s);
	check_complete(&s, "start t1; jo", (const char *[]){ "join", NULL });
	check_complete(&s, "ps;sp", (const char *[]){ "spawn", NULL });
	check_complete(&s, "ps; start t1;join t2 ;", all_names(names));
	check_complete(&s, "spawn thread x print_numbers; join t",
		       (const char *[]){ "t1", "t2", NULL });
	close_session(&s);
}
END_TEST

/* The main loop, for the commands that wait */

/* Checks that OUT, from its beginning, holds the lines in WANT, where a
 * line ending in '*' stands for any line starting with what precedes it;
 * returns what follows. */
static const char *
check_lines(const char *out, const char *const *want)
{
	for (size_t i = 0; want[i] != NULL; i++) {
		const char *nl = strchr(out, '\n');
		size_t wl = strlen(want[i]);
		ck_assert_msg(nl != NULL, "missing line %zu '%s'", i, want[i]);
		if (wl > 0 && want[i][wl - 1] == '*')
			ck_assert_msg(strncmp(out, want[i], wl - 1) == 0,
				      "line %zu is '%.*s', not '%s'", i,
				      (int)(nl - out), out, want[i]);
		else
			ck_assert_msg((size_t)(nl - out) == wl &&
					      strncmp(out, want[i], wl) == 0,
				      "line %zu is '%.*s', not '%s'", i,
				      (int)(nl - out), out, want[i]);
		out = nl + 1;
	}
	return out;
}

START_TEST(test_run_thread_join)
{
	struct session s;
	struct worker *w;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 print_numbers\n"
					"start t1\n"
					"join t1\n"),
			 0);
	ck_assert_str_eq(err_of(&s), "");
	ck_assert_str_eq(
		check_lines(out_of(&s),
			    (const char *[]){ "t1: started (thread, tid *",
					      "t1 | 1", "t1 | 2", "t1 | 3",
					      "t1 | 4", "t1 | 5",
					      "t1: finished (exit 0)",
					      "main: joined t1", NULL }),
		"");
	w = registry_find(&s.reg, "t1");
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w->state, WS_JOINED);
	/* for-init, then print and for-next five times. */
	ck_assert_uint_eq(w->steps, 11);
	ck_assert_uint_eq(w->lines, 5);
	close_session(&s);
}
END_TEST

/* Process PID is gone, reaped: not even a zombie is left. */
static void
assert_gone(pid_t pid)
{
	ck_assert_int_gt(pid, 0);
	errno = 0;
	ck_assert_int_eq(kill(pid, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
}

/* No child of this process is left, the spawner included (after
 * close_session). */
static void
assert_no_child(void)
{
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

/* The pid in OUT's line "NAME: started (process, pid N, ...". */
static pid_t
started_pid(const char *out, const char *name)
{
	char *want = format("%s: started (process, pid ", name);
	const char *at = strstr(out, want);
	pid_t pid;

	ck_assert_msg(at != NULL, "no line '%s'", want);
	pid = (pid_t)atoi(at + strlen(want));
	free(want);
	return pid;
}

START_TEST(test_run_process_join)
{
	struct session s;
	struct worker *w;
	char started[64];

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn process p1 print_numbers; "
					"start p1; join p1\n"),
			 0);
	ck_assert_str_eq(err_of(&s), "");
	w = registry_find(&s.reg, "p1");
	ck_assert_ptr_nonnull(w);
	snprintf(started, sizeof started, "p1: started (process, pid %d,*",
		 (int)w->pid);
	ck_assert_str_eq(
		check_lines(out_of(&s),
			    (const char *[]){ started, "p1 | 1", "p1 | 2",
					      "p1 | 3", "p1 | 4", "p1 | 5",
					      "p1: finished (exit 0)",
					      "main: joined p1", NULL }),
		"");
	ck_assert_int_eq(w->state, WS_JOINED);
	/* Joined means reaped: not even a zombie is left. */
	assert_gone(w->pid);
	close_session(&s);
	assert_no_child();
}
END_TEST

START_TEST(test_run_join_all)
{
	struct session s;
	const char *out;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread a print_numbers\n"
					"spawn process b print_letters\n"
					"spawn thread c print_numbers\n"
					"start a b\n"
					"join all\n"),
			 0);
	ck_assert_str_eq(err_of(&s), "");
	out = out_of(&s);
	ck_assert_ptr_nonnull(strstr(out, "main: joined a\n"));
	ck_assert_ptr_nonnull(strstr(out, "main: joined b\n"));
	ck_assert_ptr_nonnull(strstr(out, "b | e\n"));
	/* c was never started: join all leaves it alone. */
	ck_assert_ptr_null(strstr(out, "joined c"));
	ck_assert_int_eq(registry_find(&s.reg, "a")->state, WS_JOINED);
	ck_assert_int_eq(registry_find(&s.reg, "b")->state, WS_JOINED);
	ck_assert_int_eq(registry_find(&s.reg, "c")->state, WS_NEW);
	close_session(&s);
}
END_TEST

START_TEST(test_run_join_timeout)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 ticker 1000 1000\n"
					"start t1\n"
					"join t1 --timeout 50\n"
					"quit\n"),
			 0);
	ck_assert_str_eq(err_of(&s), "");
	ck_assert_ptr_nonnull(strstr(out_of(&s),
				     "main: join timed out after 50 ms; still "
				     "running: 't1'\n"));
	/* quit stopped and reaped it. */
	ck_assert_int_eq(registry_find(&s.reg, "t1")->state, WS_JOINED);
	close_session(&s);
}
END_TEST

START_TEST(test_run_failure_stops_script)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 print_numbers\n"
					"foo\n"
					"spawn thread t2 print_numbers\n"
					"ps\n"),
			 1);
	ck_assert_str_eq(err_of(&s),
			 "error: unknown command 'foo' (try 'help')\n");
	ck_assert_str_eq(out_of(&s), "");
	ck_assert_ptr_nonnull(registry_find(&s.reg, "t1"));
	ck_assert_ptr_null(registry_find(&s.reg, "t2"));
	close_session(&s);
}
END_TEST

/* A record out of order is weft's own fault, not a command's: it is said,
 * and weft's status is 1 even with --keep-going (issue 14). */
START_TEST(test_run_internal_error_fails)
{
	struct session s;
	struct event ev = { .h = { .type = EV_OUTPUT, .seq = 2, .len = 1 },
			    .text = "x" };

	open_session(&s);
	s.keep_going = true;
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ev.h.worker = registry_find(&s.reg, "t1")->id;
	tracer_event(&s, &ev);
	ck_assert_str_eq(err_of(&s),
			 "error: internal: record 0 of 't1' arrived as 2\n");
	ck_assert_int_eq(run_script(&s, "ps\n"), 1);
	close_session(&s);
}
END_TEST

START_TEST(test_run_failure_on_same_line)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 nothing; ps\n"
					"ps\n"),
			 1);
	ck_assert_str_eq(err_of(&s), "error: no task named 'nothing'\n");
	ck_assert_str_eq(out_of(&s), "");
	ck_assert_uint_eq(s.reg.n, 0);
	close_session(&s);
}
END_TEST

START_TEST(test_run_join_before_start)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 print_numbers\n"
					"join t1\n"
					"start t1\n"),
			 1);
	ck_assert_str_eq(err_of(&s), "error: cannot join 't1': not started\n");
	ck_assert_str_eq(out_of(&s), "");
	ck_assert_int_eq(registry_find(&s.reg, "t1")->state, WS_NEW);
	close_session(&s);
}
END_TEST

START_TEST(test_run_lex_error)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "tasks\nspawn \"x\nps\n"), 1);
	ck_assert_str_eq(err_of(&s), "error: column 7: unterminated string\n");
	ck_assert_ptr_null(strstr(out_of(&s), "NAME"));
	close_session(&s);
}
END_TEST

START_TEST(test_run_start_twice)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 print_numbers\n"
					"start t1\n"
					"start t1\n"),
			 1);
	ck_assert_str_eq(err_of(&s), "error: 't1' was already started\n");
	close_session(&s);
}
END_TEST

START_TEST(test_run_start_waits_for_started)
{
	struct session s;
	const char *ps;
	char name[32], kind[16], state[16];
	long pid = 0, tid = 0;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 ticker 1000 1000\n"
					"start t1\n"
					"ps\n"
					"quit\n"),
			 0);
	ps = strstr(out_of(&s), "NAME ");
	ck_assert_ptr_nonnull(ps);
	ps = strchr(ps, '\n');
	ck_assert_ptr_nonnull(ps);
	/* ps after start sees the worker running with its tid known. */
	ck_assert_int_eq(sscanf(ps + 1, "%31s %15s %15s %ld %ld", name, kind,
				state, &pid, &tid),
			 5);
	ck_assert_str_eq(name, "t1");
	/* running, or already in its first sleep */
	ck_assert_msg(strcmp(state, "running") == 0 ||
			      strcmp(state, "blocked:sleep") == 0,
		      "state %s", state);
	ck_assert_int_eq(pid, getpid());
	ck_assert_int_gt(tid, 0);
	close_session(&s);
}
END_TEST

START_TEST(test_run_quit)
{
	struct session s;
	const char *out;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 ticker 1000 1000\n"
					"spawn process p1 ticker 1000 1000\n"
					"start t1 p1\n"
					"quit\n"
					"spawn thread t2 print_numbers\n"),
			 0);
	ck_assert_str_eq(err_of(&s), "");
	out = out_of(&s);
	ck_assert_ptr_nonnull(strstr(out, "\nt1: killed"));
	ck_assert_ptr_nonnull(strstr(out, "\np1: killed by signal 9"));
	ck_assert_int_eq(registry_find(&s.reg, "t1")->state, WS_JOINED);
	ck_assert_int_eq(registry_find(&s.reg, "p1")->state, WS_JOINED);
	ck_assert_ptr_null(registry_find(&s.reg, "t2"));
	assert_gone(registry_find(&s.reg, "p1")->pid);
	close_session(&s);
	assert_no_child();
}
END_TEST

START_TEST(test_run_exit_alias)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "exit\nps\n"), 0);
	ck_assert_str_eq(out_of(&s), "");
	ck_assert_str_eq(err_of(&s), "");
	close_session(&s);
}
END_TEST

START_TEST(test_run_end_of_input_waits_for_workers)
{
	struct session s;
	struct worker *w;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 ticker 3 20\n"
					"spawn process p1 ticker 3 20\n"
					"start t1 p1\n"),
			 0);
	/* As Python waits for its threads: both ran to their end. */
	w = registry_find(&s.reg, "t1");
	ck_assert_int_eq(w->state, WS_JOINED);
	ck_assert(!w->cancelled);
	ck_assert_uint_eq(w->lines, 3);
	ck_assert_uint_eq(registry_find(&s.reg, "p1")->lines, 3);
	ck_assert_int_eq(registry_find(&s.reg, "p1")->signal, 0);
	close_session(&s);
}
END_TEST

START_TEST(test_run_end_of_input_stops_stuck_workers)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "sched step\n"
					"spawn thread t1 print_numbers\n"
					"start t1\n"),
			 0);
	/* Held at its gate, it can never end by itself: named, stopped. */
	ck_assert_ptr_nonnull(strstr(out_of(&s),
				     "main: 't1' can never end by itself"));
	ck_assert_int_eq(registry_find(&s.reg, "t1")->state, WS_JOINED);
	ck_assert(registry_find(&s.reg, "t1")->cancelled);
	close_session(&s);
}
END_TEST

START_TEST(test_run_reset)
{
	struct session s;
	uint32_t old_id;
	const char *out;
	size_t hl = strlen(PS_HEADER);

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 ticker 1000 1000\n"
					"spawn process p1 ticker 1000 1000\n"
					"spawn thread n1 print_numbers\n"
					"start t1 p1\n"
					"reset\n"
					"ps\n"),
			 0);
	ck_assert_str_eq(err_of(&s), "");
	ck_assert_uint_eq(s.reg.n, 0);
	out = out_of(&s);
	/* The ps after reset lists nobody. */
	ck_assert_uint_ge(strlen(out), hl);
	ck_assert_str_eq(out + strlen(out) - hl, PS_HEADER);
	assert_gone(started_pid(out, "p1"));
	/* Names are free again; ids go on increasing. */
	old_id = s.reg.next_id;
	ck_assert_int_eq(exec_line(&s, "spawn thread t1 print_numbers"), 0);
	ck_assert_uint_ge(registry_find(&s.reg, "t1")->id, old_id);
	ck_assert_uint_ge(old_id, 3);
	close_session(&s);
	assert_no_child();
}
END_TEST

START_TEST(test_run_kill_process)
{
	struct session s;
	const char *out;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn process p1 ticker 1000 1000\n"
					"start p1\n"
					"kill p1\n"
					"join p1\n"
					"kill p1\n"),
			 1);
	out = out_of(&s);
	ck_assert_ptr_nonnull(strstr(out, "\np1: killed by signal 15 ("));
	ck_assert_ptr_nonnull(strstr(out, "\nmain: joined p1\n"));
	ck_assert_str_eq(err_of(&s),
			 "error: cannot kill 'p1': already joined\n");
	close_session(&s);
}
END_TEST

START_TEST(test_run_kill_thread_signal_refused)
{
	struct session s;

	open_session(&s);
	ck_assert_int_eq(run_script(&s, "spawn thread t1 ticker 1000 1000\n"
					"start t1\n"
					"kill t1 USR1\n"),
			 1);
	ck_assert_str_eq(err_of(&s),
			 "error: cannot send SIGUSR1 to thread 't1': a thread "
			 "can only be cancelled (kill t1)\n");
	close_session(&s);
}
END_TEST

static Suite *
cmd_suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc;

	tc = tcase_create("table");
	tcase_add_test(tc, test_cmd_find_names);
	tcase_add_test(tc, test_cmd_find_alias);
	tcase_add_test(tc, test_cmd_find_unknown);
	tcase_add_test(tc, test_exec_unknown);
	tcase_add_test(tc, test_exec_suggests);
	tcase_add_test(tc, test_suggest_locks_and_vars);
	tcase_add_test(tc, test_exec_too_few_args);
	tcase_add_test(tc, test_exec_too_many_args);
	tcase_add_test(tc, test_usage_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("spawn");
	tcase_add_test(tc, test_spawn);
	tcase_add_test(tc, test_spawn_bad_kind);
	tcase_add_test(tc, test_spawn_invalid_name);
	tcase_add_test(tc, test_spawn_reserved_main);
	tcase_add_test(tc, test_spawn_reserved_all);
	tcase_add_test(tc, test_spawn_duplicate);
	tcase_add_test(tc, test_spawn_unknown_task);
	tcase_add_test(tc, test_spawn_wrong_arg_count);
	tcase_add_test(tc, test_spawn_bad_arg);
	suite_add_tcase(s, tc);

	tc = tcase_create("listings");
	tcase_add_test(tc, test_ps_header);
	tcase_add_test(tc, test_ps_new_worker);
	tcase_add_test(tc, test_ps_wide_name);
	tcase_add_test(tc, test_tasks);
	tcase_add_test(tc, test_help_list);
	tcase_add_test(tc, test_help_command);
	tcase_add_test(tc, test_help_alias);
	tcase_add_test(tc, test_help_unknown);
	tcase_add_test(tc, test_help_wraps);
	tcase_add_test(tc, test_help_topics);
	tcase_add_test(tc, test_help_topics_complete);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_test(tc, test_start_unknown_worker);
	tcase_add_test(tc, test_start_named_twice);
	tcase_add_test(tc, test_kill_not_started);
	tcase_add_test(tc, test_kill_unknown_signal);
	tcase_add_test(tc, test_join_not_started);
	tcase_add_test(tc, test_join_bad_timeout);
	tcase_add_test(tc, test_pause_refused_changes_nothing);
	tcase_add_test(tc, test_parse_number);
	tcase_add_test(tc, test_parse_number_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("complete");
	tcase_add_test(tc, test_complete_command);
	tcase_add_test(tc, test_complete_all_commands);
	tcase_add_test(tc, test_complete_help);
	tcase_add_test(tc, test_complete_spawn_kind);
	tcase_add_test(tc, test_complete_spawn_task);
	tcase_add_test(tc, test_complete_start_names);
	tcase_add_test(tc, test_complete_join_names);
	tcase_add_test(tc, test_complete_kill);
	tcase_add_test(tc, test_complete_show_and_vars);
	tcase_add_test(tc, test_complete_after_semicolon);
	suite_add_tcase(s, tc);

	tc = tcase_create("main_loop");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_run_thread_join);
	tcase_add_test(tc, test_run_process_join);
	tcase_add_test(tc, test_run_join_all);
	tcase_add_test(tc, test_run_join_timeout);
	tcase_add_test(tc, test_run_failure_stops_script);
	tcase_add_test(tc, test_run_failure_on_same_line);
	tcase_add_test(tc, test_run_internal_error_fails);
	tcase_add_test(tc, test_run_join_before_start);
	tcase_add_test(tc, test_run_lex_error);
	tcase_add_test(tc, test_run_start_twice);
	tcase_add_test(tc, test_run_start_waits_for_started);
	tcase_add_test(tc, test_run_quit);
	tcase_add_test(tc, test_run_exit_alias);
	tcase_add_test(tc, test_run_end_of_input_waits_for_workers);
	tcase_add_test(tc, test_run_end_of_input_stops_stuck_workers);
	tcase_add_test(tc, test_run_reset);
	tcase_add_test(tc, test_run_kill_process);
	tcase_add_test(tc, test_run_kill_thread_signal_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cmd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
