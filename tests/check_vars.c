/*
 * check_vars.c: unit tests of global variables and named locks. A plain
 * variable lives in weft's own memory, so a forked process changes only its
 * copy; a shared one lives in the shared segment, so the parent sees what a
 * child writes. Locks are robust process-shared mutexes in that segment:
 * they order a thread and a process alike, report who holds and who waits,
 * give up a wait when the worker is cancelled, and are recovered by the
 * next taker when their holder is killed holding them.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "shm.h"
#include "vars.h"

/* A fresh segment with empty tables for every test. */
static struct shm *shm;
static struct vars vars;
static struct locks locks;

static void
setup(void)
{
	shm = shm_map();
	ck_assert_ptr_nonnull(shm);
	memset(&vars, 0, sizeof vars);
	memset(&locks, 0, sizeof locks);
	vars.shm = locks.shm = shm;
}

static void
teardown(void)
{
	locks_reset(&locks);
	shm_unmap(shm);
	shm = NULL;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int64_t
value_of(const char *name)
{
	int i = vars_find(&vars, name);

	int64_t v = 0;

	ck_assert_int_ge(i, 0);
	ck_assert_msg(cell_get(vars.v[i].cell, &v), "'%s' is not set", name);
	return v;
}

static void
set_value(const char *name, int64_t v)
{
	int i = vars_find(&vars, name);

	ck_assert_int_ge(i, 0);
	cell_put(vars.v[i].cell, v);
}

/* Waits for child PID and returns its exit status (-1 if it did not exit
 * normally). */
static int
child_status(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* True when CELL is one of the shared segment's cells. */
static bool
in_shm(const cell_t *cell)
{
	return cell >= &shm->cells[0] && cell < &shm->cells[SHM_CELLS];
}

/* Variables */

START_TEST(test_intern_and_find)
{
	ck_assert_int_eq(vars_find(&vars, "x"), -1);
	ck_assert_int_eq(vars_intern(&vars, "x"), 0);
	ck_assert_int_eq(vars_intern(&vars, "y"), 1);
	ck_assert_int_eq(vars_intern(&vars, "x"), 0);
	ck_assert_uint_eq(vars.n, 2);
	ck_assert_int_eq(vars_find(&vars, "x"), 0);
	ck_assert_int_eq(vars_find(&vars, "y"), 1);
	ck_assert_int_eq(vars_find(&vars, "z"), -1);
	ck_assert_int_eq(vars_find(&vars, "xx"), -1);
	ck_assert_str_eq(vars.v[1].name, "y");
	ck_assert(!vars.v[0].shared);
	ck_assert(!in_shm(vars.v[0].cell));
	ck_assert_ptr_ne(vars.v[0].cell, vars.v[1].cell);
}
END_TEST

START_TEST(test_intern_starts_unset)
{
	cell_t *cell;
	int64_t v = 42;

	vars_intern(&vars, "x");
	set_value("x", 7);
	/* A new variable has no value (reading it is an error), not 0. */
	ck_assert_int_eq(vars_intern(&vars, "y"), 1);
	ck_assert(!cell_get(vars.v[1].cell, &v));
	ck_assert_int_eq(v, 42);
	/* Interning again changes neither the index nor the value. */
	cell = vars.v[0].cell;
	ck_assert_int_eq(vars_intern(&vars, "x"), 0);
	ck_assert_ptr_eq(vars.v[0].cell, cell);
	ck_assert_int_eq(value_of("x"), 7);
}
END_TEST

START_TEST(test_intern_cap)
{
	char name[16];

	for (int i = 0; i < VARS_MAX; i++) {
		snprintf(name, sizeof name, "v%d", i);
		ck_assert_int_eq(vars_intern(&vars, name), i);
	}
	ck_assert_int_eq(vars_intern(&vars, "one_more"), -1);
	ck_assert_int_eq(vars_find(&vars, "one_more"), -1);
	ck_assert_uint_eq(vars.n, VARS_MAX);
	/* Those that exist are still found. */
	ck_assert_int_eq(vars_intern(&vars, "v17"), 17);
	ck_assert_int_eq(vars_find(&vars, "v1023"), 1023);
}
END_TEST

START_TEST(test_share_keeps_value)
{
	cell_t *plain;

	vars_intern(&vars, "a");
	ck_assert_int_eq(vars_intern(&vars, "x"), 1);
	set_value("x", 7);
	plain = vars.v[1].cell;
	ck_assert_int_eq(vars_share(&vars, "x", false, 99), 1);
	ck_assert(vars.v[1].shared);
	ck_assert_ptr_ne(vars.v[1].cell, plain);
	ck_assert(in_shm(vars.v[1].cell));
	ck_assert_int_eq(value_of("x"), 7);
	/* The other variable is left alone. */
	ck_assert(!vars.v[0].shared);
}
END_TEST

START_TEST(test_share_keeps_unset)
{
	int64_t v;

	/* Shared without a value, a new variable still has none. */
	ck_assert_int_eq(vars_share(&vars, "s", false, 5), 0);
	ck_assert(vars.v[0].shared);
	ck_assert(!cell_get(vars.v[0].cell, &v));
	/* Nor does a plain one that had none when it moved. */
	vars_intern(&vars, "p");
	ck_assert_int_eq(vars_share(&vars, "p", false, 5), 1);
	ck_assert(!cell_get(vars.v[1].cell, &v));
	ck_assert_int_eq(vars_share(&vars, "p", true, 6), 1);
	ck_assert_int_eq(value_of("p"), 6);
}
END_TEST

START_TEST(test_share_sets_value)
{
	ck_assert_int_eq(vars_share(&vars, "s", true, 42), 0);
	ck_assert_uint_eq(vars.n, 1);
	ck_assert(vars.v[0].shared);
	ck_assert(in_shm(vars.v[0].cell));
	ck_assert_int_eq(value_of("s"), 42);
	vars_intern(&vars, "p");
	set_value("p", 5);
	ck_assert_int_eq(vars_share(&vars, "p", true, -3), 1);
	ck_assert_int_eq(value_of("p"), -3);
}
END_TEST

START_TEST(test_share_twice)
{
	cell_t *cell;

	ck_assert_int_eq(vars_share(&vars, "s", true, 1), 0);
	cell = vars.v[0].cell;
	ck_assert_int_eq(vars_share(&vars, "s", false, 0), 0);
	ck_assert_ptr_eq(vars.v[0].cell, cell);
	ck_assert_int_eq(value_of("s"), 1);
	ck_assert_int_eq(vars_share(&vars, "s", true, 2), 0);
	ck_assert_ptr_eq(vars.v[0].cell, cell);
	ck_assert_int_eq(value_of("s"), 2);
	ck_assert_uint_eq(vars.nshared, 1);
}
END_TEST

START_TEST(test_share_cells_apart)
{
	vars_share(&vars, "a", true, 1);
	vars_share(&vars, "b", true, 2);
	ck_assert_ptr_ne(vars.v[0].cell, vars.v[1].cell);
	ck_assert_int_eq(value_of("a"), 1);
	ck_assert_int_eq(value_of("b"), 2);
}
END_TEST

START_TEST(test_reset)
{
	int64_t v;

	vars_intern(&vars, "x");
	set_value("x", 3);
	vars_share(&vars, "s", true, 9);
	vars_reset(&vars);
	ck_assert_uint_eq(vars.n, 0);
	ck_assert_int_eq(vars_find(&vars, "x"), -1);
	ck_assert_int_eq(vars_find(&vars, "s"), -1);
	for (int i = 0; i < SHM_CELLS; i++)
		ck_assert(!cell_get(&shm->cells[i], &v));
	/* Names come back new, never set. */
	ck_assert_int_eq(vars_intern(&vars, "s"), 0);
	ck_assert(!vars.v[0].shared);
	ck_assert(!cell_get(vars.v[0].cell, &v));
	ck_assert_int_eq(vars_intern(&vars, "x"), 1);
	ck_assert(!cell_get(vars.v[1].cell, &v));
}
END_TEST

/* In a child: checks CELL holds WANT, writes 99, exits 0 (1 if not). */
static pid_t
fork_writer(cell_t *cell, int64_t want)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int64_t v = 0;
		int ok = cell_get(cell, &v) && v == want;
		cell_put(cell, 99);
		_exit(ok ? 0 : 1);
	}
	return pid;
}

START_TEST(test_plain_copied_into_process)
{
	vars_intern(&vars, "p");
	set_value("p", 1);
	/* The child sees the value at fork; its write stays its own. */
	ck_assert_int_eq(child_status(fork_writer(vars.v[0].cell, 1)), 0);
	ck_assert_int_eq(value_of("p"), 1);
}
END_TEST

START_TEST(test_shared_seen_by_parent)
{
	vars_share(&vars, "s", true, 1);
	ck_assert_int_eq(child_status(fork_writer(vars.v[0].cell, 1)), 0);
	ck_assert_int_eq(value_of("s"), 99);
}
END_TEST

/* Locks */

START_TEST(test_locks_intern_and_find)
{
	ck_assert_int_eq(locks_find(&locks, "m"), -1);
	ck_assert_int_eq(locks_intern(&locks, "m"), 0);
	ck_assert_int_eq(locks_intern(&locks, "n"), 1);
	ck_assert_int_eq(locks_intern(&locks, "m"), 0);
	ck_assert_uint_eq(locks_count(&locks), 2);
	ck_assert_int_eq(locks_find(&locks, "n"), 1);
	ck_assert_int_eq(locks_find(&locks, "o"), -1);
	ck_assert_str_eq(locks_name(&locks, 1), "n");
	ck_assert_int_eq(lock_holder(shm, 0), -1);
	ck_assert_int_eq(lock_holder(shm, 1), -1);
}
END_TEST

START_TEST(test_locks_cap)
{
	char name[16];

	for (int i = 0; i < SHM_LOCKS; i++) {
		snprintf(name, sizeof name, "l%d", i);
		ck_assert_int_eq(locks_intern(&locks, name), i);
	}
	ck_assert_int_eq(locks_intern(&locks, "extra"), -1);
	ck_assert_int_eq(locks_find(&locks, "extra"), -1);
	ck_assert_int_eq(locks_intern(&locks, "l200"), 200);
}
END_TEST

START_TEST(test_acquire_release)
{
	int m = locks_intern(&locks, "m");

	ck_assert_int_eq(lock_acquire(shm, m, 5, 0, NULL), LOCK_OK);
	ck_assert_int_eq(lock_holder(shm, m), 5);
	ck_assert_int_eq(lock_waiting(shm, 0), -1);
	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_OK);
	ck_assert_int_eq(lock_holder(shm, m), -1);
	ck_assert_int_eq(lock_acquire(shm, m, 5, 0, NULL), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_OK);
}
END_TEST

START_TEST(test_acquire_self)
{
	int m = locks_intern(&locks, "m");

	ck_assert_int_eq(lock_acquire(shm, m, 0, 0, NULL), LOCK_OK);
	/* Worker id 0 is a real id: it is stored as 1. */
	ck_assert_int_eq(lock_holder(shm, m), 0);
	ck_assert_int_eq(lock_acquire(shm, m, 0, 0, NULL), LOCK_SELF);
	ck_assert_int_eq(lock_holder(shm, m), 0);
	ck_assert_int_eq(lock_waiting(shm, 0), -1);
	ck_assert_int_eq(lock_release(shm, m, 0), LOCK_OK);
}
END_TEST

START_TEST(test_release_not_held)
{
	int m = locks_intern(&locks, "m"), n = locks_intern(&locks, "n");

	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_NOT_HELD);
	ck_assert_int_eq(lock_acquire(shm, m, 5, 0, NULL), LOCK_OK);
	/* Not by another worker, nor another lock. */
	ck_assert_int_eq(lock_release(shm, m, 6), LOCK_NOT_HELD);
	ck_assert_int_eq(lock_release(shm, n, 5), LOCK_NOT_HELD);
	ck_assert_int_eq(lock_holder(shm, m), 5);
	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_NOT_HELD);
}
END_TEST

/* A thread that takes a lock as a worker would, then holds it until it is
 * told to let go. It never calls ck_assert: the test reads what it did. */
struct taker {
	int lock;
	uint32_t id;
	int slot;
	atomic_bool cancel;
	atomic_int result; /* -1 until lock_acquire returns */
	atomic_bool let_go;
	pthread_t thread;
};

static void *
taker_main(void *arg)
{
	struct taker *t = arg;
	enum lock_result r =
		lock_acquire(shm, t->lock, t->id, t->slot, &t->cancel);

	atomic_store(&t->result, (int)r);
	if (r == LOCK_OK || r == LOCK_RECOVERED) {
		while (!atomic_load(&t->let_go))
			sleep_ms(1);
		lock_release(shm, t->lock, t->id);
	}
	return NULL;
}

static void
taker_start(struct taker *t, int lock, uint32_t id, int slot)
{
	memset(t, 0, sizeof *t);
	t->lock = lock;
	t->id = id;
	t->slot = slot;
	atomic_init(&t->cancel, false);
	atomic_init(&t->result, -1);
	atomic_init(&t->let_go, false);
	ck_assert_int_eq(pthread_create(&t->thread, NULL, taker_main, t), 0);
}

/* Polls until SLOT is marked as waiting for LOCK (the Check timeout is the
 * limit). */
static void
wait_for_waiting(int slot, int lock)
{
	while (lock_waiting(shm, slot) != lock)
		sleep_ms(1);
}

static void
wait_for_result(struct taker *t)
{
	while (atomic_load(&t->result) < 0)
		sleep_ms(1);
}

START_TEST(test_holder_and_waiting)
{
	int m = locks_intern(&locks, "m");
	struct taker t;

	ck_assert_int_eq(lock_acquire(shm, m, 1, 0, NULL), LOCK_OK);
	taker_start(&t, m, 2, 3);
	wait_for_waiting(3, m);
	ck_assert_int_eq(lock_holder(shm, m), 1);
	ck_assert_int_eq(lock_waiting(shm, 0), -1);
	/* It goes on waiting while the lock is held. */
	sleep_ms(60);
	ck_assert_int_eq(atomic_load(&t.result), -1);
	ck_assert_int_eq(lock_waiting(shm, 3), m);
	ck_assert_int_eq(lock_release(shm, m, 1), LOCK_OK);
	wait_for_result(&t);
	ck_assert_int_eq(atomic_load(&t.result), LOCK_OK);
	ck_assert_int_eq(lock_holder(shm, m), 2);
	ck_assert_int_eq(lock_waiting(shm, 3), -1);
	atomic_store(&t.let_go, true);
	ck_assert_int_eq(pthread_join(t.thread, NULL), 0);
	ck_assert_int_eq(lock_holder(shm, m), -1);
}
END_TEST

START_TEST(test_cancel_waiting)
{
	int m = locks_intern(&locks, "m");
	struct taker t;

	ck_assert_int_eq(lock_acquire(shm, m, 1, 0, NULL), LOCK_OK);
	taker_start(&t, m, 2, 3);
	wait_for_waiting(3, m);
	atomic_store(&t.cancel, true);
	ck_assert_int_eq(pthread_join(t.thread, NULL), 0);
	ck_assert_int_eq(atomic_load(&t.result), LOCK_CANCELLED);
	ck_assert_int_eq(lock_waiting(shm, 3), -1);
	ck_assert_int_eq(lock_holder(shm, m), 1);
	ck_assert_int_eq(lock_release(shm, m, 1), LOCK_OK);
}
END_TEST

#define ROUNDS 10000

/* Adds 1 to CELL ROUNDS times under lock LOCK, reading and writing in two
 * steps with a yield between, as incr does: without the lock, updates
 * would be lost. Returns how many lock calls did not say LOCK_OK. */
static int
count_under_lock(cell_t *cell, int lock, uint32_t id, int slot)
{
	int bad = 0;

	for (int i = 0; i < ROUNDS; i++) {
		int64_t v;
		bad += lock_acquire(shm, lock, id, slot, NULL) != LOCK_OK;
		v = 0;
		cell_get(cell, &v);
		if (i % 8 == 0)
			sched_yield();
		cell_put(cell, v + 1);
		bad += lock_release(shm, lock, id) != LOCK_OK;
	}
	return bad;
}

struct counter {
	cell_t *cell;
	int lock;
	int bad;
};

static void *
counter_main(void *arg)
{
	struct counter *c = arg;

	c->bad = count_under_lock(c->cell, c->lock, 2, 2);
	return NULL;
}

START_TEST(test_process_and_thread_exclude)
{
	int m = locks_intern(&locks, "m");
	int s = vars_share(&vars, "total", true, 0);
	struct counter c = { vars.v[s].cell, m, -1 };
	pthread_t thread;
	pid_t pid;

	/* Fork first: the child is then a process with one thread. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(count_under_lock(c.cell, m, 1, 1) == 0 ? 0 : 1);
	ck_assert_int_eq(pthread_create(&thread, NULL, counter_main, &c), 0);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_int_eq(child_status(pid), 0);
	ck_assert_int_eq(c.bad, 0);
	ck_assert_int_eq(value_of("total"), 2 * ROUNDS);
	ck_assert_int_eq(lock_holder(shm, m), -1);
}
END_TEST

/* Forks a child that takes LOCK as worker ID (slot SLOT), says so on a
 * pipe and waits to be killed. Returns its pid once it holds the lock. */
static pid_t
fork_holder(int lock, uint32_t id, int slot)
{
	int fds[2];
	char c = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		c = lock_acquire(shm, lock, id, slot, NULL) == LOCK_OK ? 'y'
								       : 'n';
		if (write(fds[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	ck_assert_int_eq(c, 'y');
	return pid;
}

static void
kill_child(pid_t pid)
{
	int st;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
}

START_TEST(test_holder_killed_recovered)
{
	int m = locks_intern(&locks, "m");
	pid_t pid = fork_holder(m, 20, 4);

	ck_assert_int_eq(lock_holder(shm, m), 20);
	kill_child(pid);
	/* The next taker gets it, and is told its last holder died. */
	ck_assert_int_eq(lock_acquire(shm, m, 21, 5, NULL), LOCK_RECOVERED);
	ck_assert_int_eq(lock_holder(shm, m), 21);
	ck_assert_int_eq(lock_release(shm, m, 21), LOCK_OK);
	/* Recovered once: it is an ordinary lock again. */
	ck_assert_int_eq(lock_acquire(shm, m, 21, 5, NULL), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, m, 21), LOCK_OK);
}
END_TEST

START_TEST(test_forget_dead_holder)
{
	int m = locks_intern(&locks, "m"), n = locks_intern(&locks, "n");
	pid_t pid = fork_holder(m, 20, 4);

	kill_child(pid);
	ck_assert_int_eq(lock_acquire(shm, n, 7, 0, NULL), LOCK_OK);
	/* Another worker's end changes nothing. */
	locks_forget(&locks, 99, 9);
	ck_assert_int_eq(lock_holder(shm, m), 20);
	locks_forget(&locks, 20, 4);
	ck_assert_int_eq(lock_holder(shm, m), -1);
	ck_assert_int_eq(lock_holder(shm, n), 7);
	/* The mutex itself is recovered by its next taker. */
	ck_assert_int_eq(lock_acquire(shm, m, 21, 5, NULL), LOCK_RECOVERED);
	ck_assert_int_eq(lock_release(shm, m, 21), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, n, 7), LOCK_OK);
}
END_TEST

START_TEST(test_forget_dead_waiter)
{
	int m = locks_intern(&locks, "m");
	pid_t pid;

	ck_assert_int_eq(lock_acquire(shm, m, 1, 0, NULL), LOCK_OK);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		lock_acquire(shm, m, 30, 6, NULL);
		_exit(0);
	}
	wait_for_waiting(6, m);
	kill_child(pid);
	/* Its mark stays until weft forgets it. */
	ck_assert_int_eq(lock_waiting(shm, 6), m);
	locks_forget(&locks, 30, 6);
	ck_assert_int_eq(lock_waiting(shm, 6), -1);
	ck_assert_int_eq(lock_holder(shm, m), 1);
	ck_assert_int_eq(lock_release(shm, m, 1), LOCK_OK);
}
END_TEST

/* A worker that ended holding m: as a real mutex, m stays held. */
START_TEST(test_lock_left_held)
{
	int m = locks_intern(&locks, "m");
	atomic_bool cancel = true;

	ck_assert_int_eq(lock_acquire(shm, m, 1, 1, NULL), LOCK_OK);
	ck_assert(!lock_leave(shm, m, 2)); /* 2 does not hold it */
	ck_assert(lock_leave(shm, m, 1));
	ck_assert(lock_ended(shm, m));
	ck_assert_int_eq(lock_holder(shm, m), 1);
	ck_assert_int_eq(lock_try(shm, m, 2), LOCK_BUSY);
	/* A waiter gets the mutex but not the lock; cancelled, it lets the
	 * mutex go again. */
	ck_assert_int_eq(lock_acquire(shm, m, 2, 2, &cancel), LOCK_CANCELLED);
	ck_assert_int_eq(lock_waiting(shm, 2), -1);
	ck_assert_int_eq(lock_try(shm, m, 3), LOCK_BUSY);
	/* Forgetting a killed worker's locks leaves it held. */
	locks_forget(&locks, 1, 1);
	ck_assert_int_eq(lock_holder(shm, m), 1);
	lock_free_ended(shm, m);
	ck_assert(!lock_ended(shm, m));
	ck_assert_int_eq(lock_try(shm, m, 3), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, m, 3), LOCK_OK);
}
END_TEST

struct waiter {
	pthread_t thread;
	int lock;
	_Atomic int result;
};

static void *
waiter_main(void *arg)
{
	struct waiter *t = arg;

	atomic_store(&t->result, lock_acquire(shm, t->lock, 5, 5, NULL));
	return NULL;
}

/* A waiter on a lock left held takes it once (and only once) it is
 * freed. */
START_TEST(test_lock_left_held_waiter)
{
	struct waiter t = { .lock = locks_intern(&locks, "m"), .result = -1 };

	ck_assert_int_eq(lock_acquire(shm, t.lock, 1, 1, NULL), LOCK_OK);
	ck_assert(lock_leave(shm, t.lock, 1));
	ck_assert_int_eq(pthread_create(&t.thread, NULL, waiter_main, &t), 0);
	wait_for_waiting(5, t.lock);
	sleep_ms(50);
	ck_assert_int_eq(atomic_load(&t.result), -1);
	ck_assert_int_eq(lock_holder(shm, t.lock), 1);
	lock_free_ended(shm, t.lock);
	pthread_join(t.thread, NULL);
	ck_assert_int_eq(atomic_load(&t.result), LOCK_OK);
	ck_assert_int_eq(lock_holder(shm, t.lock), 5);
	ck_assert_int_eq(lock_release(shm, t.lock, 5), LOCK_OK);
}
END_TEST

START_TEST(test_locks_reset)
{
	int m = locks_intern(&locks, "m");

	locks_intern(&locks, "n");
	ck_assert_int_eq(lock_acquire(shm, m, 3, 0, NULL), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, m, 3), LOCK_OK);
	atomic_store(&shm->gates[7].waiting, 2);
	locks_reset(&locks);
	ck_assert_uint_eq(locks_count(&locks), 0);
	ck_assert_int_eq(locks_find(&locks, "m"), -1);
	ck_assert_int_eq(locks_find(&locks, "n"), -1);
	ck_assert_int_eq(lock_waiting(shm, 7), -1);
	/* Made again from nothing, and usable. */
	ck_assert_int_eq(locks_intern(&locks, "n"), 0);
	ck_assert_int_eq(lock_holder(shm, 0), -1);
	ck_assert_int_eq(lock_acquire(shm, 0, 3, 0, NULL), LOCK_OK);
	ck_assert_int_eq(lock_release(shm, 0, 3), LOCK_OK);
}
END_TEST

static Suite *
vars_suite(void)
{
	Suite *s = suite_create("vars");
	TCase *tc;

	tc = tcase_create("vars");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_intern_and_find);
	tcase_add_test(tc, test_intern_starts_unset);
	tcase_add_test(tc, test_intern_cap);
	tcase_add_test(tc, test_share_keeps_value);
	tcase_add_test(tc, test_share_keeps_unset);
	tcase_add_test(tc, test_share_sets_value);
	tcase_add_test(tc, test_share_twice);
	tcase_add_test(tc, test_share_cells_apart);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_plain_copied_into_process);
	tcase_add_test(tc, test_shared_seen_by_parent);
	suite_add_tcase(s, tc);

	tc = tcase_create("locks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_locks_intern_and_find);
	tcase_add_test(tc, test_locks_cap);
	tcase_add_test(tc, test_acquire_release);
	tcase_add_test(tc, test_acquire_self);
	tcase_add_test(tc, test_release_not_held);
	tcase_add_test(tc, test_holder_and_waiting);
	tcase_add_test(tc, test_cancel_waiting);
	tcase_add_test(tc, test_process_and_thread_exclude);
	tcase_add_test(tc, test_holder_killed_recovered);
	tcase_add_test(tc, test_forget_dead_holder);
	tcase_add_test(tc, test_forget_dead_waiter);
	tcase_add_test(tc, test_lock_left_held);
	tcase_add_test(tc, test_lock_left_held_waiter);
	tcase_add_test(tc, test_locks_reset);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vars_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
