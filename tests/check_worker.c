/*
 * check_worker.c: unit tests of workers. The state machine and the messages
 * that refuse an operation, worker names, the registry, the task table,
 * binding a task's arguments and stepping the built-in tasks; then real
 * workers run end to end through both backends, a pthread and a forked
 * process, with their events read back from a queue, including how each
 * kind ends when it is killed, cancelled, fails at run time or crashes, and
 * how an ended process stays a zombie until reaped; the CPU time each kind
 * tells, and the reading of a /proc/PID/stat line it comes from.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "lock.h"
#include "proc.h"
#include "shm.h"
#include "spawner.h"
#include "task.h"
#include "vars.h"
#include "worker.h"

/* The state machine */

static const enum worker_state all_states[] = {
	WS_NEW, WS_RUNNING, WS_FINISHED, WS_KILLED, WS_FAILED, WS_JOINED,
};
#define NSTATES (sizeof all_states / sizeof all_states[0])

/* True for the edges the state machine has. */
static bool
is_edge(enum worker_state from, enum worker_state to)
{
	switch (from) {
	case WS_NEW: return to == WS_RUNNING;
	case WS_RUNNING:
		return to == WS_FINISHED || to == WS_KILLED || to == WS_FAILED;
	case WS_FINISHED:
	case WS_KILLED:
	case WS_FAILED: return to == WS_JOINED;
	default: return false;
	}
}

START_TEST(test_state_edges_allowed)
{
	int edges = 0;

	for (size_t i = 0; i < NSTATES; i++)
		for (size_t j = 0; j < NSTATES; j++) {
			struct worker w = { .state = all_states[i] };
			if (!is_edge(all_states[i], all_states[j]))
				continue;
			ck_assert_msg(worker_set_state(&w, all_states[j]) == 0,
				      "%s -> %s refused",
				      worker_state_name(all_states[i]),
				      worker_state_name(all_states[j]));
			ck_assert_int_eq(w.state, all_states[j]);
			edges++;
		}
	ck_assert_int_eq(edges, 7);
}
END_TEST

START_TEST(test_state_edges_refused)
{
	for (size_t i = 0; i < NSTATES; i++)
		for (size_t j = 0; j < NSTATES; j++) {
			struct worker w = { .state = all_states[i] };
			if (is_edge(all_states[i], all_states[j]))
				continue;
			ck_assert_msg(worker_set_state(&w, all_states[j]) == -1,
				      "%s -> %s allowed",
				      worker_state_name(all_states[i]),
				      worker_state_name(all_states[j]));
			ck_assert_int_eq(w.state, all_states[i]);
		}
}
END_TEST

START_TEST(test_state_walk)
{
	struct worker w = { .state = WS_NEW };

	ck_assert_int_eq(worker_set_state(&w, WS_RUNNING), 0);
	ck_assert_int_eq(worker_set_state(&w, WS_KILLED), 0);
	ck_assert(worker_ended(&w));
	ck_assert_int_eq(worker_set_state(&w, WS_JOINED), 0);
	ck_assert(!worker_ended(&w));
	ck_assert_int_eq(worker_set_state(&w, WS_JOINED), -1);
	ck_assert_int_eq(w.state, WS_JOINED);
}
END_TEST

START_TEST(test_state_and_kind_names)
{
	ck_assert_str_eq(worker_state_name(WS_NEW), "new");
	ck_assert_str_eq(worker_state_name(WS_RUNNING), "running");
	ck_assert_str_eq(worker_state_name(WS_FINISHED), "finished");
	ck_assert_str_eq(worker_state_name(WS_KILLED), "killed");
	ck_assert_str_eq(worker_state_name(WS_FAILED), "failed");
	ck_assert_str_eq(worker_state_name(WS_JOINED), "joined");
	ck_assert_str_eq(worker_kind_name(WORKER_THREAD), "thread");
	ck_assert_str_eq(worker_kind_name(WORKER_PROCESS), "process");
}
END_TEST

START_TEST(test_worker_ended)
{
	for (size_t i = 0; i < NSTATES; i++) {
		struct worker w = { .state = all_states[i] };
		bool want = w.state == WS_FINISHED || w.state == WS_KILLED ||
			    w.state == WS_FAILED;
		ck_assert_int_eq(worker_ended(&w), want);
	}
}
END_TEST

/* Every backend has every hook but settle (which only a start that can be
 * under way needs): the main loop calls them all without looking. */
START_TEST(test_backends_complete)
{
	const struct worker_backend *all[] = { &thread_backend,
					       &process_backend,
					       &process_fork_backend };

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		const struct worker_backend *be = all[i];
		ck_assert_ptr_nonnull(be->start);
		ck_assert_ptr_nonnull(be->on_end);
		ck_assert_ptr_nonnull(be->check_end);
		ck_assert_ptr_nonnull(be->kill);
		ck_assert_ptr_nonnull(be->stop);
		ck_assert_ptr_nonnull(be->reap);
		ck_assert_ptr_nonnull(be->crash);
		ck_assert_ptr_nonnull(be->os_state);
		ck_assert_ptr_nonnull(be->cpu_time);
	}
}
END_TEST

/* worker_refuse */

/* Returns what worker_refuse says of OP on a worker 't1' in STATE, or NULL;
 * the text is in a static buffer. */
static const char *
refuse(enum worker_state state, enum worker_op op)
{
	static char buf[128];
	struct worker w = { .state = state };
	const char *r;

	strcpy(w.name, "t1");
	memset(buf, 0, sizeof buf);
	r = worker_refuse(&w, op, buf, sizeof buf);
	if (r != NULL)
		ck_assert_ptr_eq(r, buf);
	return r;
}

START_TEST(test_refuse_start_twice)
{
	for (size_t i = 1; i < NSTATES; i++) {
		const char *r = refuse(all_states[i], WOP_START);
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(r, "'t1' was already started");
	}
}
END_TEST

START_TEST(test_refuse_join_before_start)
{
	const char *r = refuse(WS_NEW, WOP_JOIN);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r, "cannot join 't1': not started");
}
END_TEST

START_TEST(test_refuse_kill_before_start)
{
	const char *r = refuse(WS_NEW, WOP_KILL);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r, "cannot kill 't1': not started");
}
END_TEST

START_TEST(test_refuse_kill_after_end)
{
	static const enum worker_state ended[] = { WS_FINISHED, WS_KILLED,
						   WS_FAILED };

	for (size_t i = 0; i < 3; i++) {
		const char *r = refuse(ended[i], WOP_KILL);
		ck_assert_ptr_nonnull(r);
		ck_assert_str_eq(r, "cannot kill 't1': it has already ended");
	}
}
END_TEST

START_TEST(test_refuse_kill_after_join)
{
	const char *r = refuse(WS_JOINED, WOP_KILL);

	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r, "cannot kill 't1': already joined");
}
END_TEST

START_TEST(test_refuse_allowed)
{
	ck_assert_ptr_null(refuse(WS_NEW, WOP_START));
	ck_assert_ptr_null(refuse(WS_RUNNING, WOP_KILL));
	ck_assert_ptr_null(refuse(WS_RUNNING, WOP_JOIN));
	ck_assert_ptr_null(refuse(WS_FINISHED, WOP_JOIN));
	ck_assert_ptr_null(refuse(WS_KILLED, WOP_JOIN));
	ck_assert_ptr_null(refuse(WS_FAILED, WOP_JOIN));
	ck_assert_ptr_null(refuse(WS_NEW, WOP_PAUSE));
	ck_assert_ptr_null(refuse(WS_RUNNING, WOP_PAUSE));
	ck_assert_ptr_null(refuse(WS_NEW, WOP_RUN));
	ck_assert_ptr_null(refuse(WS_RUNNING, WOP_RUN));
	ck_assert_ptr_null(refuse(WS_RUNNING, WOP_STEP));
	for (size_t i = 0; i < NSTATES; i++)
		ck_assert_ptr_null(refuse(all_states[i], WOP_SHOW));
}
END_TEST

/* pause, run and step: a worker that has ended (or was joined) cannot
 * be held or moved on; step needs it started, pause and run do not. */
START_TEST(test_refuse_hold_after_end)
{
	static const struct {
		enum worker_op op;
		const char *verb;
	} ops[] = { { WOP_PAUSE, "pause" },
		    { WOP_RUN, "run" },
		    { WOP_STEP, "step" } };
	char want[64];

	for (size_t k = 0; k < 3; k++)
		for (size_t i = 2; i < NSTATES; i++) {
			const char *r = refuse(all_states[i], ops[k].op);
			snprintf(want, sizeof want,
				 "cannot %s 't1': it has ended", ops[k].verb);
			ck_assert_ptr_nonnull(r);
			ck_assert_str_eq(r, want);
		}
	ck_assert_str_eq(refuse(WS_NEW, WOP_STEP),
			 "cannot step 't1': not started");
}
END_TEST

/* Names */

START_TEST(test_name_valid)
{
	ck_assert(worker_name_valid("t1"));
	ck_assert(worker_name_valid("a"));
	ck_assert(worker_name_valid("_"));
	ck_assert(worker_name_valid("_x9"));
	ck_assert(worker_name_valid("Worker_42"));
	ck_assert(worker_name_valid("ZZ"));
}
END_TEST

START_TEST(test_name_empty)
{
	ck_assert(!worker_name_valid(""));
}
END_TEST

START_TEST(test_name_leading_digit)
{
	ck_assert(!worker_name_valid("1t"));
	ck_assert(!worker_name_valid("9"));
}
END_TEST

START_TEST(test_name_length)
{
	char name[40];

	memset(name, 'n', sizeof name);
	name[WORKER_NAME_MAX] = '\0';
	ck_assert_uint_eq(strlen(name), 31);
	ck_assert(worker_name_valid(name));
	name[WORKER_NAME_MAX] = 'n';
	name[WORKER_NAME_MAX + 1] = '\0';
	ck_assert_uint_eq(strlen(name), 32);
	ck_assert(!worker_name_valid(name));
}
END_TEST

START_TEST(test_name_punctuation)
{
	static const char *const bad[] = {
		"t-1", "t.1", "t 1", "a;b",  "a'b",  "a\"b", "a#",  "é",
		"a/b", "t1!", "-t",  "a\tb", "a\nb", "$x",   "a=b",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!worker_name_valid(bad[i]), "'%s' accepted",
			      bad[i]);
}
END_TEST

/* What workers need: the task table, and the globals and locks with their
 * shared segment, as a session has them. Made afresh for every test. */
static struct task_table tasks;
static struct shm *shm;
static struct vars vars;
static struct locks locks;

static void
env_setup(void)
{
	tasks_init(&tasks);
	shm = shm_map();
	ck_assert_ptr_nonnull(shm);
	memset(&vars, 0, sizeof vars);
	memset(&locks, 0, sizeof locks);
	vars.shm = locks.shm = shm;
}

static void
env_teardown(void)
{
	spawner_close(); /* as session_free does */
	tasks_free(&tasks);
	locks_reset(&locks);
	vars_reset(&vars);
	shm_unmap(shm);
	shm = NULL;
}

/* Returns the task called NAME, which must exist. */
static struct task *
task_named(const char *name)
{
	struct task *t = tasks_find(&tasks, name);

	ck_assert_msg(t != NULL, "no task '%s'", name);
	return t;
}

/* Parses TEXT, which must be a valid definition, into the table. */
static struct task *
define(const char *text)
{
	struct parse_error err;
	struct task_def *def;
	struct task *t;
	size_t used;

	def = parse_task(text, strlen(text), &used, &err);
	ck_assert_msg(def != NULL, "%d:%d: %s", err.line, err.col, err.msg);
	t = tasks_define(&tasks, def);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* The registry */

/* Adds worker NAME of KIND running the argument-less task TASK to R. */
static struct worker *
add_plain(struct registry *r, const char *name, enum worker_kind kind,
	  const char *task)
{
	struct value args[AST_MAX_PARAMS];
	char err[128] = "";
	struct task *t = task_named(task);

	ck_assert_int_eq(task_bind(t, 0, NULL, args, err, sizeof err), 0);
	return registry_add(r, name, kind, t, NULL, args);
}

START_TEST(test_registry_add)
{
	struct registry r = { 0 };
	struct worker *w = add_plain(&r, "p1", WORKER_PROCESS, "print_letters");

	ck_assert_ptr_nonnull(w);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_ptr_eq(r.v[0], w);
	ck_assert_str_eq(w->name, "p1");
	ck_assert_int_eq(w->kind, WORKER_PROCESS);
	ck_assert_ptr_eq(w->be, &process_backend);
	ck_assert_int_eq(w->state, WS_NEW);
	ck_assert_ptr_eq(w->task, task_named("print_letters"));
	ck_assert_int_eq(w->task->refs, 1);
	ck_assert_int_eq(w->argc, 0);
	ck_assert_ptr_null(w->sink.ring);
	ck_assert_int_eq(w->slot, 0);
	w = add_plain(&r, "t1", WORKER_THREAD, "print_letters");
	ck_assert_ptr_eq(w->be, &thread_backend);
	ck_assert_uint_gt(w->id, r.v[0]->id);
	ck_assert_int_eq(w->slot, 1);
	ck_assert_int_eq(w->task->refs, 2);
	registry_clear(&r);
	ck_assert_int_eq(task_named("print_letters")->refs, 0);
}
END_TEST

START_TEST(test_registry_add_copies_args)
{
	struct registry r = { 0 };
	struct task *t = define("task greet(who, n) { print who n }");
	char a0[] = "bob", a1[] = "7";
	char *argv[] = { a0, a1, NULL };
	struct value args[AST_MAX_PARAMS];
	char err[128] = "";
	struct worker *w;

	ck_assert_int_eq(task_bind(t, 2, argv, args, err, sizeof err), 0);
	w = registry_add(&r, "g", WORKER_THREAD, t, argv, args);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w->argc, 2);
	ck_assert_str_eq(w->argv[0], "bob");
	ck_assert_str_eq(w->argv[1], "7");
	ck_assert_ptr_ne(w->argv[0], a0);
	/* A word argument points into the worker's own copy. */
	ck_assert(w->args[0].is_str);
	ck_assert_ptr_eq(w->args[0].s, w->argv[0]);
	ck_assert(!w->args[1].is_str);
	ck_assert_int_eq(w->args[1].i, 7);
	strcpy(a0, "xyz");
	ck_assert_str_eq(w->args[0].s, "bob");
	registry_clear(&r);
}
END_TEST

/* Joined workers do not count against WORKER_MAX: the registry keeps the
 * latest of them and forgets the older, reusing their gates. */
START_TEST(test_registry_forgets_joined)
{
	struct registry r = { 0 };
	static bool used[SHM_SLOTS];
	char name[16];

	for (int i = 0; i < 3 * WORKER_MAX; i++) {
		snprintf(name, sizeof name, "w%d", i);
		struct worker *w =
			add_plain(&r, name, WORKER_THREAD, "print_numbers");
		ck_assert_ptr_nonnull(w);
		ck_assert_int_lt(w->slot, SHM_SLOTS);
		ck_assert_int_eq(worker_set_state(w, WS_RUNNING), 0);
		ck_assert_int_eq(worker_set_state(w, WS_FINISHED), 0);
		ck_assert_int_eq(worker_set_state(w, WS_JOINED), 0);
	}
	ck_assert_uint_le(r.n, 2 * REGISTRY_KEEP_JOINED);
	ck_assert_uint_eq(r.forgotten + r.n, 3 * WORKER_MAX);
	ck_assert_ptr_null(registry_find(&r, "w0"));
	snprintf(name, sizeof name, "w%d", 3 * WORKER_MAX - 1);
	ck_assert_ptr_eq(registry_find(&r, name), r.v[r.n - 1]);
	for (size_t i = 0; i < r.n; i++) {
		ck_assert(!used[r.v[i]->slot]); /* no gate held twice */
		used[r.v[i]->slot] = true;
		ck_assert_ptr_eq(registry_by_id(&r, r.v[i]->id), r.v[i]);
	}
	/* The live cap still holds, whatever was forgotten. */
	for (int i = 0; i < WORKER_MAX; i++) {
		snprintf(name, sizeof name, "n%d", i);
		ck_assert_ptr_nonnull(
			add_plain(&r, name, WORKER_THREAD, "print_numbers"));
	}
	ck_assert_ptr_null(
		add_plain(&r, "extra", WORKER_THREAD, "print_numbers"));
	registry_clear(&r);
}
END_TEST

/* The kept log stops at its byte budget, and says it did. */
START_TEST(test_worker_log_budget)
{
	struct registry r = { 0 };
	struct worker *w = add_plain(&r, "t1", WORKER_THREAD, "print_numbers");
	static char big[WORKER_LOG_BYTES / 2 + 1];

	memset(big, 'x', sizeof big);
	worker_log(w, "hello", 5, 1);
	worker_log(w, big, sizeof big, 2);
	worker_log(w, big, sizeof big, 3); /* over the budget */
	worker_log(w, "bye", 3, 4);	   /* after it: not kept either */
	ck_assert_uint_eq(w->log.n, 2);
	ck_assert_str_eq(w->log.lines[0], "hello");
	ck_assert_uint_eq(w->log.seq[1], 2);
	ck_assert(w->log.full);
	ck_assert_uint_le(w->log.bytes, WORKER_LOG_BYTES);
	registry_clear(&r);
}
END_TEST

START_TEST(test_registry_find)
{
	struct registry r = { 0 };
	struct worker *a =
		add_plain(&r, "alpha", WORKER_THREAD, "print_numbers");
	struct worker *b =
		add_plain(&r, "beta", WORKER_PROCESS, "print_numbers");

	ck_assert_ptr_eq(registry_find(&r, "alpha"), a);
	ck_assert_ptr_eq(registry_find(&r, "beta"), b);
	ck_assert_ptr_null(registry_find(&r, "gamma"));
	ck_assert_ptr_null(registry_find(&r, "alph"));
	ck_assert_ptr_null(registry_find(&r, ""));
	registry_clear(&r);
	ck_assert_ptr_null(registry_find(&r, "alpha"));
}
END_TEST

/* registry_free_name: the first free of BASE, BASE_2...; "all" is never
 * given; a name freed by a worker that leaves is found again, although
 * the search had gone past it. */
START_TEST(test_registry_free_name)
{
	struct registry r = { 0 };
	char name[WORKER_NAME_MAX + 1];
	struct worker *t;

	registry_free_name(&r, "t", name, sizeof name);
	ck_assert_str_eq(name, "t");
	t = add_plain(&r, name, WORKER_THREAD, "print_numbers");
	for (int i = 2; i <= 4; i++) {
		char want[16];
		registry_free_name(&r, "t", name, sizeof name);
		snprintf(want, sizeof want, "t_%d", i);
		ck_assert_str_eq(name, want);
		/* asked twice before it is made: the same name */
		registry_free_name(&r, "t", name, sizeof name);
		ck_assert_str_eq(name, want);
		add_plain(&r, name, WORKER_THREAD, "print_numbers");
	}
	registry_free_name(&r, "u", name, sizeof name);
	ck_assert_str_eq(name, "u");
	registry_free_name(&r, "all", name, sizeof name); /* join's word */
	ck_assert_str_eq(name, "all_2");
	ck_assert(registry_forget(&r, t)); /* new: it can be forgotten */
	registry_free_name(&r, "t", name, sizeof name);
	ck_assert_str_eq(name, "t");
	registry_clear(&r);
}
END_TEST

START_TEST(test_registry_by_id)
{
	struct registry r = { 0 };
	struct worker *w[40];
	uint32_t first;
	char name[16];

	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "w%d", i);
		w[i] = add_plain(&r, name, WORKER_THREAD, "print_numbers");
		ck_assert_ptr_nonnull(w[i]);
	}
	for (int i = 0; i < 40; i++) {
		if (i > 0)
			ck_assert_uint_gt(w[i]->id, w[i - 1]->id);
		ck_assert_ptr_eq(registry_by_id(&r, w[i]->id), w[i]);
		ck_assert_ptr_eq(r.v[i], w[i]);
	}
	ck_assert_ptr_null(registry_by_id(&r, w[39]->id + 1));
	ck_assert_ptr_null(registry_by_id(&r, 0xffffffffu));
	first = w[0]->id;
	registry_clear(&r);
	ck_assert_ptr_null(registry_by_id(&r, first));
}
END_TEST

START_TEST(test_registry_clear_keeps_ids)
{
	struct registry r = { 0 };
	uint32_t last;
	struct worker *w;

	add_plain(&r, "t1", WORKER_THREAD, "print_numbers");
	last = add_plain(&r, "t2", WORKER_THREAD, "print_numbers")->id;
	registry_clear(&r);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_ptr_null(registry_find(&r, "t1"));
	/* The name is free again, and the new worker has a new id. */
	w = add_plain(&r, "t1", WORKER_THREAD, "print_numbers");
	ck_assert_ptr_nonnull(w);
	ck_assert_uint_gt(w->id, last);
	ck_assert_ptr_eq(registry_by_id(&r, w->id), w);
	ck_assert_ptr_null(registry_by_id(&r, last));
	registry_clear(&r);
}
END_TEST

START_TEST(test_registry_full)
{
	struct registry r = { 0 };
	char name[16];

	for (int i = 0; i < WORKER_MAX; i++) {
		snprintf(name, sizeof name, "w%d", i);
		ck_assert_ptr_nonnull(
			add_plain(&r, name, WORKER_THREAD, "print_numbers"));
	}
	ck_assert_uint_eq(r.n, WORKER_MAX);
	ck_assert_ptr_null(
		add_plain(&r, "extra", WORKER_THREAD, "print_numbers"));
	ck_assert_uint_eq(r.n, WORKER_MAX);
	ck_assert_ptr_null(registry_find(&r, "extra"));
	/* Full, the table that finds names still finds each of them. */
	for (int i = 0; i < WORKER_MAX; i++) {
		snprintf(name, sizeof name, "w%d", i);
		ck_assert_ptr_eq(registry_find(&r, name), r.v[i]);
	}
	registry_clear(&r);
	ck_assert_ptr_null(registry_find(&r, "w0"));
	ck_assert_ptr_nonnull(
		add_plain(&r, "again", WORKER_THREAD, "print_numbers"));
	ck_assert_ptr_eq(registry_find(&r, "again"), r.v[0]);
	registry_clear(&r);
}
END_TEST

/* Tasks */

START_TEST(test_tasks_find)
{
	static const char *const builtin[] = {
		"print_numbers", "print_letters", "ticker",
		"count",	 "count_locked",
	};
	const struct task *t = tasks_find(&tasks, "ticker");

	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->def->name, "ticker");
	ck_assert(t->def->builtin);
	ck_assert_ptr_nonnull(t->prog);
	ck_assert_ptr_nonnull(t->summary);
	ck_assert_ptr_null(tasks_find(&tasks, "foo"));
	ck_assert_ptr_null(tasks_find(&tasks, "tick"));
	ck_assert_ptr_null(tasks_find(&tasks, ""));
	ck_assert_uint_eq(tasks.n, 5);
	for (size_t i = 0; i < tasks.n; i++) {
		ck_assert_str_eq(tasks.v[i]->def->name, builtin[i]);
		ck_assert_ptr_eq(tasks_find(&tasks, builtin[i]), tasks.v[i]);
	}
}
END_TEST

START_TEST(test_tasks_define_replaces)
{
	struct task *t = define("task print_numbers { print 42 }");

	/* The old one, held by no worker, is freed; the new one takes its
	 * place in the table. */
	ck_assert_uint_eq(tasks.n, 5);
	ck_assert_ptr_eq(tasks.v[0], t);
	ck_assert(!t->def->builtin);
	ck_assert_int_eq(t->def->body[0]->kind, ST_PRINT);
	ck_assert_ptr_nonnull(t->prog);
	ck_assert_ptr_eq(task_named("print_numbers"), t);
	t = define("task hello { print \"hi\" }");
	ck_assert_uint_eq(tasks.n, 6);
	ck_assert_ptr_eq(tasks.v[5], t);
}
END_TEST

START_TEST(test_tasks_define_retires_held)
{
	struct task *old = task_named("count"), *t;

	task_hold(old);
	t = define("task count { print 1 }");
	/* The old one lives on for its worker, out of the table. */
	ck_assert(old->retired);
	ck_assert_ptr_eq(task_named("count"), t);
	ck_assert_str_eq(old->def->name, "count");
	ck_assert_int_eq(old->def->nparams, 1);
	task_release(old); /* frees it: valgrind would see a leak if not */
}
END_TEST

START_TEST(test_task_signature)
{
	char buf[64];

	ck_assert_str_eq(task_signature(task_named("ticker"), buf, sizeof buf),
			 "ticker(n, ms)");
	ck_assert_str_eq(
		task_signature(task_named("print_numbers"), buf, sizeof buf),
		"print_numbers");
	ck_assert_str_eq(task_signature(task_named("count"), buf, sizeof buf),
			 "count(n)");
}
END_TEST

START_TEST(test_task_bind_ok)
{
	char *argv[] = { "3", "250", NULL };
	struct value args[AST_MAX_PARAMS];
	char err[128] = "";

	memset(args, 0x5a, sizeof args);
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		0);
	ck_assert(!args[0].is_str);
	ck_assert_int_eq(args[0].i, 3);
	ck_assert(!args[1].is_str);
	ck_assert_int_eq(args[1].i, 250);
	ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_task_bind_limits)
{
	char *argv[] = { "0", "3600000", NULL };
	struct value args[AST_MAX_PARAMS];
	char err[128];

	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		0);
	argv[0] = "1000000000";
	argv[1] = "0";
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		0);
	ck_assert_int_eq(args[0].i, 1000000000);
}
END_TEST

START_TEST(test_task_bind_range_left_to_run_time)
{
	char *argv[] = { "-1", "3600001", NULL };
	struct value args[AST_MAX_PARAMS];
	char err[128] = "";

	/* Any integer binds; a bad sleep fails when the task runs it. */
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		0);
	ck_assert_int_eq(args[0].i, -1);
	ck_assert_int_eq(args[1].i, 3600001);
	argv[0] = "-9223372036854775808";
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		0);
	ck_assert_int_eq(args[0].i, INT64_MIN);
}
END_TEST

START_TEST(test_task_bind_wrong_count)
{
	char *argv[] = { "1", "2", NULL };
	struct value args[AST_MAX_PARAMS];
	char err[128];

	ck_assert_int_eq(
		task_bind(task_named("ticker"), 1, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err, "task 'ticker' takes 2 arguments (n, ms), got 1");
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 0, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err, "task 'ticker' takes 2 arguments (n, ms), got 0");
	ck_assert_int_eq(
		task_bind(task_named("count"), 2, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err, "task 'count' takes 1 argument (n), got 2");
	ck_assert_int_eq(task_bind(task_named("print_numbers"), 1, argv, args,
				   err, sizeof err),
			 -1);
	ck_assert_str_eq(err, "task 'print_numbers' takes no arguments, got 1");
}
END_TEST

START_TEST(test_task_bind_not_integer)
{
	struct value args[AST_MAX_PARAMS];
	char err[128];
	char *argv[] = { "5", "fast", NULL };

	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err,
			 "task 'ticker': ms must be an integer, got 'fast'");
	argv[0] = "12abc";
	argv[1] = "10";
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err,
			 "task 'ticker': n must be an integer, got '12abc'");
	argv[0] = "";
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err, "task 'ticker': n must be an integer, got ''");
	argv[0] = "99999999999999999999999";
	ck_assert_int_eq(
		task_bind(task_named("ticker"), 2, argv, args, err, sizeof err),
		-1);
	ck_assert_str_eq(err, "task 'ticker': n must be an integer, got "
			      "'99999999999999999999999'");
}
END_TEST

START_TEST(test_task_bind_words)
{
	struct task *t = define("task greet(who) { print \"hello\" who }");
	char *argv[] = { "world", NULL };
	struct value args[AST_MAX_PARAMS];
	char err[128] = "";

	/* A parameter only printed takes a word, or a number. */
	ck_assert_int_eq(task_bind(t, 1, argv, args, err, sizeof err), 0);
	ck_assert(args[0].is_str);
	ck_assert_ptr_eq(args[0].s, argv[0]);
	argv[0] = "12";
	ck_assert_int_eq(task_bind(t, 1, argv, args, err, sizeof err), 0);
	ck_assert(!args[0].is_str);
	ck_assert_int_eq(args[0].i, 12);
}
END_TEST

/* A task_io that records what a task printed and how it slept. */
struct fake_io {
	struct task_io io; /* first, so that a task_io * is a fake_io * */
	char out[16][32];
	int nout;
	int64_t slept[16];
	int nsleep;
	int cancel_at_sleep; /* the sleep (1-based) that reports a cancel */
};

static int
fake_print(struct task_io *io, const char *text, size_t len)
{
	struct fake_io *f = (struct fake_io *)io;

	ck_assert_int_lt(f->nout, 16);
	ck_assert_uint_lt(len, 32);
	memcpy(f->out[f->nout], text, len);
	f->out[f->nout++][len] = '\0';
	return 0;
}

static int
fake_sleep(struct task_io *io, int64_t ms)
{
	struct fake_io *f = (struct fake_io *)io;

	ck_assert_int_lt(f->nsleep, 16);
	f->slept[f->nsleep++] = ms;
	return f->nsleep == f->cancel_at_sleep;
}

static int
fake_lock(struct task_io *io, int i, const char *name)
{
	ck_abort_msg("the task took lock %d", i);
	return LOCK_OK;
}

static void
fake_init(struct fake_io *f)
{
	memset(f, 0, sizeof *f);
	f->io.print = fake_print;
	f->io.sleep = fake_sleep;
	f->io.lock = fake_lock;
	f->io.unlock = fake_lock;
}

/* Readies IN to run built-in TASK bound to ARGC words of ARGV. */
static void
run_init(struct interp *in, const char *task, int argc, char **argv)
{
	struct value args[AST_MAX_PARAMS];
	struct task *t = task_named(task);
	char err[128] = "";

	ck_assert_msg(task_bind(t, argc, argv, args, err, sizeof err) == 0,
		      "%s", err);
	ck_assert_uint_eq(t->def->nglobals, 0);
	interp_init(in, t->def, t->prog, args, NULL);
}

START_TEST(test_task_step_numbers)
{
	struct interp in;
	struct fake_io f;

	fake_init(&f);
	run_init(&in, "print_numbers", 0, NULL);
	/* for-init, then print and for-next five times: 11 steps. */
	for (int i = 1; i <= 10; i++)
		ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE);
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_DONE);
	ck_assert_int_eq(f.nout, 5);
	for (int i = 0; i < 5; i++) {
		char want[8];
		snprintf(want, sizeof want, "%d", i + 1);
		ck_assert_str_eq(f.out[i], want);
	}
	ck_assert_int_eq(in.exit_code, 0);
	ck_assert_ptr_null(interp_next(&in));
	interp_free(&in);
}
END_TEST

START_TEST(test_task_step_letters)
{
	struct interp in;
	struct fake_io f;
	enum step_result r;
	int steps = 0;

	fake_init(&f);
	run_init(&in, "print_letters", 0, NULL);
	while ((r = interp_step(&in, &f.io)) == STEP_MORE)
		steps++;
	ck_assert_int_eq(r, STEP_DONE);
	ck_assert_int_eq(steps + 1, 11);
	ck_assert_int_eq(f.nout, 5);
	ck_assert_str_eq(f.out[0], "a");
	ck_assert_str_eq(f.out[4], "e");
	interp_free(&in);
}
END_TEST

START_TEST(test_task_step_ticker)
{
	char *argv[] = { "2", "40", NULL };
	struct interp in;
	struct fake_io f;

	fake_init(&f);
	run_init(&in, "ticker", 2, argv);
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE); /* for */
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE); /* sleep */
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE); /* tick 1 */
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE); /* next */
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE); /* sleep */
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE); /* tick 2 */
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_DONE); /* next */
	ck_assert_int_eq(f.nsleep, 2);
	ck_assert_int_eq(f.slept[0], 40);
	ck_assert_int_eq(f.slept[1], 40);
	ck_assert_int_eq(f.nout, 2);
	ck_assert_str_eq(f.out[0], "tick 1");
	ck_assert_str_eq(f.out[1], "tick 2");
	interp_free(&in);
}
END_TEST

START_TEST(test_task_step_ticker_cancelled)
{
	char *argv[] = { "5", "40", NULL };
	struct interp in;
	struct fake_io f;

	fake_init(&f);
	f.cancel_at_sleep = 2;
	run_init(&in, "ticker", 2, argv);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE);
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_STOP);
	ck_assert_int_eq(f.nout, 1);
	interp_free(&in);
}
END_TEST

START_TEST(test_task_step_ticker_zero)
{
	char *argv[] = { "0", "40", NULL };
	struct interp in;
	struct fake_io f;

	fake_init(&f);
	run_init(&in, "ticker", 2, argv);
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_DONE);
	ck_assert_int_eq(f.nout, 0);
	ck_assert_int_eq(f.nsleep, 0);
	interp_free(&in);
}
END_TEST

START_TEST(test_task_step_ticker_negative_sleep)
{
	char *argv[] = { "3", "-1", NULL };
	struct interp in;
	struct fake_io f;

	fake_init(&f);
	run_init(&in, "ticker", 2, argv);
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_MORE);
	ck_assert_int_eq(interp_step(&in, &f.io), STEP_FAIL);
	ck_assert_str_eq(in.error, "task 'ticker', line 3, col 9: sleep of -1 "
				   "ms (it must be from 0 to 3600000)");
	ck_assert_int_eq(f.nsleep, 0);
	interp_free(&in);
}
END_TEST

/* Real workers through their backends */

struct rec {
	struct ev_hdr h;
	char text[256];
};

struct recs {
	struct rec v[64];
	size_t n;
	bool ended; /* an EV_END has arrived */
	bool started;
};

static void
collect(const struct event *ev, void *arg)
{
	struct recs *rs = arg;
	struct rec *r;

	ck_assert_uint_lt(rs->n, sizeof rs->v / sizeof rs->v[0]);
	r = &rs->v[rs->n++];
	r->h = ev->h;
	ck_assert_uint_lt(ev->h.len, sizeof r->text);
	memcpy(r->text, ev->text, ev->h.len);
	r->text[ev->h.len] = '\0';
	rs->ended |= ev->h.type == EV_END;
	rs->started |= ev->h.type == EV_STARTED;
}

/* Drains Q into RS until *FLAG is set (the Check timeout is the limit). */
static void
drain_until(struct evq *q, struct recs *rs, const bool *flag)
{
	while (!*flag) {
		struct pollfd p = { q->rfd, POLLIN, 0 };
		int timeout = evq_sleep(q), r;
		r = poll(&p, 1, timeout < 0 ? 1000 : timeout);
		ck_assert_int_ge(r, 0);
		evq_wake(q, r > 0);
		ck_assert_int_ge(evq_drain(q, collect, rs), 0);
	}
}

static uint64_t
now_ms(void)
{
	return ev_now() / 1000000u;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Makes worker "t1" of KIND running TASK bound to ARGC words of ARGV in R,
 * prepares it and starts it on Q. */
static struct worker *
start_worker(struct registry *r, struct evq *q, enum worker_kind kind,
	     const char *task, int argc, char **argv)
{
	struct value args[AST_MAX_PARAMS];
	struct task *t = task_named(task);
	struct worker *w;
	char err[256] = "";
	int rc;

	ck_assert_msg(task_bind(t, argc, argv, args, err, sizeof err) == 0,
		      "bind: %s", err);
	w = registry_add(r, "t1", kind, t, argv, args);
	ck_assert_ptr_nonnull(w);
	ck_assert_msg(worker_prepare(w, &vars, &locks, err, sizeof err) == 0,
		      "prepare: %s", err);
	w->sink = evq_sink(q, evq_attach(q));
	ck_assert_ptr_nonnull(w->sink.ring);
	rc = w->be->start(w, q->wfd, err, sizeof err);
	/* A process the spawner forks: under way until its pid is known. */
	while (rc == 1 && (rc = w->be->settle(w, false, err, sizeof err)) == 1)
		sleep_ms(1);
	ck_assert_msg(rc == 0, "start failed: %s", err);
	ck_assert_int_gt(w->kind == WORKER_PROCESS ? w->pid : 1, 0);
	ck_assert_int_eq(worker_set_state(w, WS_RUNNING), 0);
	return w;
}

/* Checks RS is EV_STARTED, "1".."5" and EV_END from worker W. */
static void
check_print_numbers(const struct recs *rs, const struct worker *w)
{
	ck_assert_uint_eq(rs->n, 7);
	for (size_t i = 0; i < rs->n; i++) {
		ck_assert_uint_eq(rs->v[i].h.worker, w->id);
		ck_assert_uint_eq(rs->v[i].h.seq, i);
	}
	ck_assert_uint_eq(rs->v[0].h.type, EV_STARTED);
	ck_assert_int_gt(rs->v[0].h.a, 0);
	for (int i = 1; i <= 5; i++) {
		char want[8];
		snprintf(want, sizeof want, "%d", i);
		ck_assert_uint_eq(rs->v[i].h.type, EV_OUTPUT);
		ck_assert_str_eq(rs->v[i].text, want);
		/* print i is step 2i: after the for and i - 1 rounds. */
		ck_assert_int_eq(rs->v[i].h.a, 2 * i);
	}
	ck_assert_uint_eq(rs->v[6].h.type, EV_END);
	ck_assert_int_eq(rs->v[6].h.a, 0);
	ck_assert_int_eq(rs->v[6].h.b, 11);
	ck_assert_uint_eq(rs->v[6].h.flags, 0);
}

/* Returns the state letter in /proc/PID/stat, or 0 when there is none. */
static char
proc_state(pid_t pid)
{
	char path[64], stat[512];
	const char *paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	n = read(fd, stat, sizeof stat - 1);
	close(fd);
	if (n <= 0)
		return 0;
	stat[n] = '\0';
	paren = strrchr(stat, ')');
	return paren != NULL && paren[1] == ' ' ? paren[2] : 0;
}

/* Polls W's check_end until it reports the end into *OUT. */
static void
wait_end(struct worker *w, struct event *out)
{
	while (!w->be->check_end(w, out))
		sleep_ms(5);
}

START_TEST(test_thread_end_to_end)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct event end;
	struct evq q;
	struct worker *w;

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_worker(&r, &q, WORKER_THREAD, "print_numbers", 0, NULL);
	drain_until(&q, &rs, &rs.ended);
	check_print_numbers(&rs, w);
	/* A thread's end is its EV_END record, never what the OS says. */
	ck_assert(!w->be->check_end(w, &end));
	ck_assert(w->be->on_end(w, &(struct event){ rs.v[6].h, NULL }, &end));
	ck_assert_uint_eq(end.h.type, EV_EXIT);
	ck_assert_int_eq(end.h.a, 0);
	ck_assert_uint_eq(end.h.worker, w->id);
	w->be->reap(w);
	ck_assert_int_eq(worker_set_state(w, WS_FINISHED), 0);
	ck_assert_int_eq(worker_set_state(w, WS_JOINED), 0);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_process_end_to_end)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct event end, again;
	struct evq q;
	struct worker *w;
	pid_t pid;
	char os[16];

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_worker(&r, &q, WORKER_PROCESS, "print_numbers", 0, NULL);
	pid = w->pid;
	ck_assert_int_gt(pid, 0);
	ck_assert_int_ne(pid, getpid());
	drain_until(&q, &rs, &rs.ended);
	check_print_numbers(&rs, w);
	/* The only thread of the child: its tid is its pid. */
	ck_assert_int_eq(rs.v[0].h.a, pid);
	ck_assert(!w->be->on_end(w, &(struct event){ rs.v[6].h, NULL }, &end));
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_EXIT);
	ck_assert_int_eq(end.h.a, 0);
	ck_assert_uint_eq(end.h.worker, w->id);
	/* waitid(WNOWAIT) left the child a zombie: asking again still works. */
	ck_assert_int_eq(proc_state(pid), 'Z');
	ck_assert_str_eq(w->be->os_state(w, os, sizeof os), "zombie");
	ck_assert(w->be->check_end(w, &again));
	ck_assert_uint_eq(again.h.type, EV_EXIT);
	w->be->reap(w);
	ck_assert_int_eq(proc_state(pid), 0);
	errno = 0;
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_process_exit_code)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;

	ck_assert_int_eq(evq_open(&q), 0);
	define("task quit3 { print \"bye\"; exit 3 }");
	w = start_worker(&r, &q, WORKER_PROCESS, "quit3", 0, NULL);
	drain_until(&q, &rs, &rs.ended);
	ck_assert_uint_eq(rs.n, 3);
	ck_assert_str_eq(rs.v[1].text, "bye");
	ck_assert_uint_eq(rs.v[2].h.type, EV_END);
	ck_assert_int_eq(rs.v[2].h.a, 3);
	ck_assert_int_eq(rs.v[2].h.b, 2);
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_EXIT);
	ck_assert_int_eq(end.h.a, 3);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_process_letters)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_worker(&r, &q, WORKER_PROCESS, "print_letters", 0, NULL);
	drain_until(&q, &rs, &rs.ended);
	ck_assert_uint_eq(rs.n, 7);
	ck_assert_str_eq(rs.v[1].text, "a");
	ck_assert_str_eq(rs.v[5].text, "e");
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_EXIT);
	ck_assert_int_eq(end.h.a, 0);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

/* Starts a long ticker process, waits until it runs, sends SIG through the
 * backend and checks check_end reports EV_SIGNAL with signal WANT. */
static void
check_process_killed(int sig, int want)
{
	char *argv[] = { "1000", "1000", NULL };
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;
	char err[256] = "";

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_worker(&r, &q, WORKER_PROCESS, "ticker", 2, argv);
	drain_until(&q, &rs, &rs.started);
	ck_assert_msg(w->be->kill(w, sig, err, sizeof err) == 0, "kill: %s",
		      err);
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_SIGNAL);
	ck_assert_int_eq(end.h.a, want);
	ck_assert_uint_eq(end.h.worker, w->id);
	ck_assert_int_eq(proc_state(w->pid), 'Z');
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}

START_TEST(test_process_kill_sigkill)
{
	check_process_killed(SIGKILL, 9);
}
END_TEST

START_TEST(test_process_kill_default_is_term)
{
	check_process_killed(0, SIGTERM);
}
END_TEST

START_TEST(test_process_still_running)
{
	char *argv[] = { "1000", "1000", NULL };
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;
	const char *state;
	char os[16];

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_worker(&r, &q, WORKER_PROCESS, "ticker", 2, argv);
	drain_until(&q, &rs, &rs.started);
	ck_assert(!w->be->check_end(w, &end));
	state = w->be->os_state(w, os, sizeof os);
	ck_assert_msg(strcmp(state, "sleeping") == 0 ||
			      strcmp(state, "running") == 0,
		      "OS state '%s'", state);
	w->be->stop(w);
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_SIGNAL);
	ck_assert_int_eq(end.h.a, SIGKILL);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

/* Starts a long ticker thread, waits until it runs and returns it. */
static struct worker *
start_ticker_thread(struct registry *r, struct evq *q, struct recs *rs)
{
	char *argv[] = { "1000", "1000", NULL };
	struct worker *w;

	w = start_worker(r, q, WORKER_THREAD, "ticker", 2, argv);
	drain_until(q, rs, &rs->started);
	return w;
}

START_TEST(test_thread_cancel)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;
	char err[256] = "";
	uint64_t t0;

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_ticker_thread(&r, &q, &rs);
	t0 = now_ms();
	ck_assert_msg(w->be->kill(w, 0, err, sizeof err) == 0, "kill: %s", err);
	drain_until(&q, &rs, &rs.ended);
	/* Woken from its one-second sleep, not at the end of it. */
	ck_assert_uint_lt(now_ms() - t0, 500);
	ck_assert_uint_eq(rs.v[rs.n - 1].h.type, EV_END);
	ck_assert(rs.v[rs.n - 1].h.flags & EV_F_CANCELLED);
	ck_assert(w->be->on_end(w, &(struct event){ rs.v[rs.n - 1].h, NULL },
				&end));
	ck_assert_uint_eq(end.h.type, EV_CANCEL);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_thread_kill_term_cancels)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	char err[256] = "";

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_ticker_thread(&r, &q, &rs);
	ck_assert_int_eq(w->be->kill(w, SIGTERM, err, sizeof err), 0);
	drain_until(&q, &rs, &rs.ended);
	ck_assert(rs.v[rs.n - 1].h.flags & EV_F_CANCELLED);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_thread_kill_usr1_refused)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	char err[256] = "";

	ck_assert_int_eq(evq_open(&q), 0);
	w = start_ticker_thread(&r, &q, &rs);
	ck_assert_int_eq(w->be->kill(w, SIGUSR1, err, sizeof err), -1);
	ck_assert_str_eq(err, "cannot send SIGUSR1 to thread 't1': a thread "
			      "can only be cancelled (kill t1)");
	/* The thread goes on: nothing ends it within a while. */
	sleep_ms(100);
	ck_assert_int_ge(evq_drain(&q, collect, &rs), 0);
	ck_assert(!rs.ended);
	w->be->stop(w);
	drain_until(&q, &rs, &rs.ended);
	ck_assert(rs.v[rs.n - 1].h.flags & EV_F_CANCELLED);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

/* Failures and crashes */

#define DIV_TASK "task div { x = 1 / 0 }"
#define DIV_ERROR "task 'div', line 1, col 18: division by zero"

START_TEST(test_thread_task_fails)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;
	const struct rec *last;

	ck_assert_int_eq(evq_open(&q), 0);
	define(DIV_TASK);
	w = start_worker(&r, &q, WORKER_THREAD, "div", 0, NULL);
	drain_until(&q, &rs, &rs.ended);
	ck_assert_uint_eq(rs.n, 2);
	last = &rs.v[1];
	ck_assert_uint_eq(last->h.type, EV_END);
	ck_assert_uint_eq(last->h.flags, EV_F_FAILED);
	ck_assert_int_eq(last->h.a, 1);
	ck_assert_int_eq(last->h.b, 1); /* the failed step counts */
	ck_assert_str_eq(last->text, DIV_ERROR);
	ck_assert(
		w->be->on_end(w, &(struct event){ last->h, last->text }, &end));
	ck_assert_uint_eq(end.h.type, EV_FAIL);
	ck_assert_uint_eq(end.h.len, strlen(DIV_ERROR));
	ck_assert(memcmp(end.text, DIV_ERROR, end.h.len) == 0);
	/* Nothing was stored: x was never given a value. */
	int64_t x;
	ck_assert(!cell_get(vars.v[vars_find(&vars, "x")].cell, &x));
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_process_task_fails)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;
	const struct rec *last;

	ck_assert_int_eq(evq_open(&q), 0);
	define(DIV_TASK);
	w = start_worker(&r, &q, WORKER_PROCESS, "div", 0, NULL);
	drain_until(&q, &rs, &rs.ended);
	ck_assert_uint_eq(rs.n, 2);
	last = &rs.v[1];
	ck_assert_uint_eq(last->h.type, EV_END);
	ck_assert_uint_eq(last->h.flags, EV_F_FAILED);
	ck_assert_int_eq(last->h.a, 1);
	ck_assert_str_eq(last->text, DIV_ERROR);
	/* A process keeps the reason, then its exit is its end. */
	ck_assert(!w->be->on_end(w, &(struct event){ last->h, last->text },
				 &end));
	ck_assert_ptr_nonnull(w->fail);
	ck_assert_str_eq(w->fail, DIV_ERROR);
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_EXIT);
	ck_assert_int_eq(end.h.a, 1);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_process_crash_is_sigsegv)
{
	struct rlimit none = { 0, 0 };
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;

	/* No core file from the child. */
	ck_assert_int_eq(setrlimit(RLIMIT_CORE, &none), 0);
	ck_assert_int_eq(evq_open(&q), 0);
	define("task boom { print \"about to\"; crash }");
	w = start_worker(&r, &q, WORKER_PROCESS, "boom", 0, NULL);
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_SIGNAL);
	ck_assert_int_eq(end.h.a, SIGSEGV);
	ck_assert_uint_eq(end.h.worker, w->id);
	/* It died: no EV_END, only what it posted before. */
	ck_assert_int_ge(evq_drain_all(&q, collect, &rs), 0);
	ck_assert_uint_eq(rs.n, 2);
	ck_assert_uint_eq(rs.v[0].h.type, EV_STARTED);
	ck_assert_str_eq(rs.v[1].text, "about to");
	ck_assert(!rs.ended);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

START_TEST(test_thread_crash_fails)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct evq q;
	struct worker *w;
	struct event end;
	const struct rec *last;

	ck_assert_int_eq(evq_open(&q), 0);
	define("task boom {\n    crash\n}");
	w = start_worker(&r, &q, WORKER_THREAD, "boom", 0, NULL);
	drain_until(&q, &rs, &rs.ended);
	ck_assert_uint_eq(rs.n, 2);
	last = &rs.v[1];
	ck_assert_uint_eq(last->h.type, EV_END);
	ck_assert_uint_eq(last->h.flags, EV_F_FAILED);
	ck_assert_int_eq(last->h.a, 1);
	ck_assert_str_eq(last->text,
			 "task 'boom', line 2, col 5: crash: a thread that "
			 "really crashed would take all of weft down with it; "
			 "only t1 ends");
	ck_assert(
		w->be->on_end(w, &(struct event){ last->h, last->text }, &end));
	ck_assert_uint_eq(end.h.type, EV_FAIL);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

/* CPU time */

/* A line of /proc/PID/stat as Linux writes it: utime 17, stime 3. */
START_TEST(test_proc_stat_parse)
{
	struct proc_stat st = { 0 };

	ck_assert_int_eq(proc_stat_parse("4242 (weft) S 4241 4241 4100 34816 "
					 "4241 4194560 120 0 0 0 17 3 0 0 20 "
					 "0 1 0 512 10000 200\n",
					 &st),
			 0);
	ck_assert_int_eq(st.state, 'S');
	ck_assert_uint_eq(st.ticks, 20);
}
END_TEST

/* The command name may hold spaces and parentheses, even ") R 1 2": the
 * fields are those after the last ')'. tty_nr and tpgid may be -1. */
START_TEST(test_proc_stat_parse_odd_comm)
{
	struct proc_stat st = { 0 };

	ck_assert_int_eq(proc_stat_parse("7 (a) R 1 2 3 4 5 6 7 8 9 10 11 12 "
					 "(b c)) Z 1 7 7 0 -1 4194564 0 0 0 0 "
					 "250 40 0 0 20 0 1 0 99 0 0",
					 &st),
			 0);
	ck_assert_int_eq(st.state, 'Z');
	ck_assert_uint_eq(st.ticks, 290);
	ck_assert_int_eq(proc_stat_parse("9 () T 1 9 9 -1 -1 0 0 0 0 0 "
					 "1099511627776 1",
					 &st),
			 0);
	ck_assert_int_eq(st.state, 'T');
	ck_assert_uint_eq(st.ticks, 1099511627777ull);
}
END_TEST

START_TEST(test_proc_stat_parse_malformed)
{
	static const char *const bad[] = {
		"",
		"4242 weft S 1 2 3 4 5 6 7 8 9 10 17 3 0",    /* no ')' */
		"4242 (weft)S 1 2 3 4 5 6 7 8 9 10 17 3 0",   /* no space */
		"4242 (weft) ",				      /* no state */
		"4242 (weft) S 1 2 3 4 5 6 7 8 9 10 17",      /* no stime */
		"4242 (weft) S 1 2 3 4 5 6 7 8 9 10 17 x3 0", /* a word */
		"4242 (weft) S 1 2 3 4 5 6 7 8 9 10 -17 3 0", /* negative */
		"4242 (weft) S 1 2 3 4 5 6 7 8 9 10 17  3 0", /* two spaces */
		"4242 (weft) S 1 2 3 4 5 6 7 8 9 10 99999999999999999999 3 0",
	};
	struct proc_stat st;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(proc_stat_parse(bad[i], &st) == -1, "'%s' read",
			      bad[i]);
}
END_TEST

/* This process's own line reads, and its CPU time grows with work. */
START_TEST(test_proc_stat_parse_self)
{
	char text[1024];
	struct proc_stat st;
	ssize_t n;
	int fd = open("/proc/self/stat", O_RDONLY);

	ck_assert_int_ge(fd, 0);
	n = read(fd, text, sizeof text - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	text[n] = '\0';
	ck_assert_int_eq(proc_stat_parse(text, &st), 0);
	ck_assert_int_eq(st.state, 'R');
}
END_TEST

#define SPIN_TASK "task spin { while 1 { } }"
/* How much CPU a spinning worker is given before it is stopped: enough to
 * stand well clear of an idle worker's, whatever the machine's load (it
 * is waited for as CPU time, not as time on the clock). */
#define SPIN_NS (50 * 1000000ull)

/* Polls W's CPU time through its backend until it passes SPIN_NS (the
 * Check timeout is the limit), and returns the reading. */
static uint64_t
spin_until_busy(struct worker *w)
{
	uint64_t ns = 0;

	while (ns < SPIN_NS) {
		ck_assert(w->be->cpu_time(w, &ns));
		sleep_ms(5);
	}
	return ns;
}

/* A thread: its own clock while it runs; at its end, its own last reading
 * in its EV_END; after that the backend no longer reads (the clock may be
 * gone), and an idle thread's figure is far below. */
START_TEST(test_thread_cpu_time)
{
	char *argv[] = { "2", "20", NULL };
	struct registry r = { 0 };
	struct recs rs = { 0 }, idle = { 0 };
	struct evq q;
	struct worker *w;
	uint64_t ns, busy;

	ck_assert_int_eq(evq_open(&q), 0);
	define(SPIN_TASK);
	w = start_worker(&r, &q, WORKER_THREAD, "spin", 0, NULL);
	busy = spin_until_busy(w);
	worker_request_cancel(w);
	drain_until(&q, &rs, &rs.ended);
	ck_assert_uint_eq(rs.v[rs.n - 1].h.type, EV_END);
	ck_assert_uint_ge((uint64_t)rs.v[rs.n - 1].h.c, busy);
	ck_assert_int_eq(worker_set_state(w, WS_KILLED), 0);
	ck_assert(!w->be->cpu_time(w, &ns));
	w->be->reap(w);
	ck_assert_int_eq(worker_set_state(w, WS_JOINED), 0);
	registry_clear(&r);

	w = start_worker(&r, &q, WORKER_THREAD, "ticker", 2, argv);
	drain_until(&q, &idle, &idle.ended);
	ck_assert_uint_eq(idle.v[idle.n - 1].h.type, EV_END);
	ck_assert_msg((uint64_t)idle.v[idle.n - 1].h.c < busy / 4,
		      "idle thread: %lld ns of CPU; spinning: %llu",
		      (long long)idle.v[idle.n - 1].h.c,
		      (unsigned long long)busy);
	w->be->reap(w);
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

/* A process: /proc/PID/stat while it runs and while it is a zombie; the
 * rusage wait4 gives when it is reaped, kept in w->cpu_ns. */
START_TEST(test_process_cpu_time)
{
	struct registry r = { 0 };
	struct recs rs = { 0 };
	struct event end;
	struct evq q;
	struct worker *w;
	uint64_t ns, busy;

	ck_assert_int_eq(evq_open(&q), 0);
	define(SPIN_TASK);
	w = start_worker(&r, &q, WORKER_PROCESS, "spin", 0, NULL);
	drain_until(&q, &rs, &rs.started);
	busy = spin_until_busy(w);
	w->be->stop(w);
	wait_end(w, &end);
	ck_assert_uint_eq(end.h.type, EV_SIGNAL);
	ck_assert(w->be->cpu_time(w, &ns)); /* a zombie's still reads */
	ck_assert_uint_ge(ns, busy);
	ck_assert_uint_eq(w->cpu_ns, 0);
	w->be->reap(w);
	ck_assert_uint_ge(w->cpu_ns, ns);
	ck_assert_int_eq(worker_set_state(w, WS_KILLED), 0);
	ck_assert_int_eq(worker_set_state(w, WS_JOINED), 0);
	ck_assert_uint_eq(worker_cpu_ns(w), w->cpu_ns); /* asks no more */
	registry_clear(&r);
	evq_close(&q, true);
}
END_TEST

static Suite *
worker_suite(void)
{
	Suite *s = suite_create("worker");
	TCase *tc;

	tc = tcase_create("state");
	tcase_add_test(tc, test_state_edges_allowed);
	tcase_add_test(tc, test_state_edges_refused);
	tcase_add_test(tc, test_state_walk);
	tcase_add_test(tc, test_state_and_kind_names);
	tcase_add_test(tc, test_worker_ended);
	tcase_add_test(tc, test_backends_complete);
	suite_add_tcase(s, tc);

	tc = tcase_create("refuse");
	tcase_add_test(tc, test_refuse_start_twice);
	tcase_add_test(tc, test_refuse_join_before_start);
	tcase_add_test(tc, test_refuse_kill_before_start);
	tcase_add_test(tc, test_refuse_kill_after_end);
	tcase_add_test(tc, test_refuse_kill_after_join);
	tcase_add_test(tc, test_refuse_allowed);
	tcase_add_test(tc, test_refuse_hold_after_end);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_name_valid);
	tcase_add_test(tc, test_name_empty);
	tcase_add_test(tc, test_name_leading_digit);
	tcase_add_test(tc, test_name_length);
	tcase_add_test(tc, test_name_punctuation);
	suite_add_tcase(s, tc);

	tc = tcase_create("registry");
	/* 16,384 workers made and forgotten: a minute under valgrind on a
	 * busy machine (a guard against a hang, not a time to meet). */
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, env_setup, env_teardown);
	tcase_add_test(tc, test_registry_add);
	tcase_add_test(tc, test_registry_add_copies_args);
	tcase_add_test(tc, test_registry_free_name);
	tcase_add_test(tc, test_registry_find);
	tcase_add_test(tc, test_worker_log_budget);
	tcase_add_test(tc, test_registry_forgets_joined);
	tcase_add_test(tc, test_registry_by_id);
	tcase_add_test(tc, test_registry_clear_keeps_ids);
	tcase_add_test(tc, test_registry_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("tasks");
	tcase_add_checked_fixture(tc, env_setup, env_teardown);
	tcase_add_test(tc, test_tasks_find);
	tcase_add_test(tc, test_tasks_define_replaces);
	tcase_add_test(tc, test_tasks_define_retires_held);
	tcase_add_test(tc, test_task_signature);
	tcase_add_test(tc, test_task_bind_ok);
	tcase_add_test(tc, test_task_bind_limits);
	tcase_add_test(tc, test_task_bind_range_left_to_run_time);
	tcase_add_test(tc, test_task_bind_wrong_count);
	tcase_add_test(tc, test_task_bind_not_integer);
	tcase_add_test(tc, test_task_bind_words);
	tcase_add_test(tc, test_task_step_numbers);
	tcase_add_test(tc, test_task_step_letters);
	tcase_add_test(tc, test_task_step_ticker);
	tcase_add_test(tc, test_task_step_ticker_cancelled);
	tcase_add_test(tc, test_task_step_ticker_zero);
	tcase_add_test(tc, test_task_step_ticker_negative_sleep);
	suite_add_tcase(s, tc);

	tc = tcase_create("backends");
	tcase_add_checked_fixture(tc, env_setup, env_teardown);
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, test_thread_end_to_end);
	tcase_add_test(tc, test_process_end_to_end);
	tcase_add_test(tc, test_process_exit_code);
	tcase_add_test(tc, test_process_letters);
	tcase_add_test(tc, test_process_kill_sigkill);
	tcase_add_test(tc, test_process_kill_default_is_term);
	tcase_add_test(tc, test_process_still_running);
	tcase_add_test(tc, test_thread_cancel);
	tcase_add_test(tc, test_thread_kill_term_cancels);
	tcase_add_test(tc, test_thread_kill_usr1_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("cpu");
	tcase_add_checked_fixture(tc, env_setup, env_teardown);
	/* A spinner is stopped once it has had SPIN_NS of CPU, however long
	 * that takes on a loaded machine or under valgrind. */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_proc_stat_parse);
	tcase_add_test(tc, test_proc_stat_parse_odd_comm);
	tcase_add_test(tc, test_proc_stat_parse_malformed);
	tcase_add_test(tc, test_proc_stat_parse_self);
	tcase_add_test(tc, test_thread_cpu_time);
	tcase_add_test(tc, test_process_cpu_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_add_checked_fixture(tc, env_setup, env_teardown);
	tcase_set_timeout(tc, 15);
	tcase_add_test(tc, test_thread_task_fails);
	tcase_add_test(tc, test_process_task_fails);
	tcase_add_test(tc, test_process_crash_is_sigsegv);
	tcase_add_test(tc, test_thread_crash_fails);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(worker_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
