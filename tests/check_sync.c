/*
 * check_sync.c: unit tests of semaphores, conditions, barriers and queues
 * (sync.c). Helpers wait on each kind of object, as threads and as forked
 * processes sharing the segment: a waiter really sleeps until the other
 * side acts; waiters are woken first come first served, or in the order a
 * seed draws, the same twice and the same as sched_pick's, whichever the
 * helpers are; a cancelled waiter leaves its list clean and gives back
 * what was handed to it, and so does a killed one that weft forgets; a
 * barrier is reused round after round; a queue keeps numbers and words in
 * order, refuses a word too long, and a waiting putter's value moves into
 * a full queue as a get frees a cell; every bad declaration is refused
 * with its reason and changes nothing; a condition's wait and notify
 * need its lock.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "schedule.h"
#include "shm.h"
#include "sync.h"

#define NHELPERS 5
#define MAIN_ID 999
#define MAIN_SLOT 4000
/* Only so that a bug fails the test rather than hang it. */
#define PATIENCE_NS (20 * 1000000000LL)
#define ROUNDS 5

/* What a helper does. */
enum deed {
	D_SEM_WAIT,  /* wait on a semaphore */
	D_COND_WAIT, /* take the lock, wait on the condition, take it again */
	D_BARRIER,   /* wait at a barrier, ROUNDS times */
	D_GET,	     /* get from a queue */
	D_PUT,	     /* put into a queue */
	D_NDEEDS,
};

/* A helper, a thread or a forked process: what it does and what came of
 * it. Helpers live in shared memory, so a process's results are seen. */
struct helper {
	enum deed deed;
	int obj, lock, slot, rounds;
	uint32_t id;
	bool process;
	struct sync_value v; /* put: the value; get: the value got */
	atomic_bool cancel;
	_Atomic int done;	 /* 1 once its wait returned */
	_Atomic int rounds_done; /* barrier: rounds it went through */
	int result;		 /* the wait's enum sync_result */
	struct sync_effect effect;
	pthread_t thread;
	pid_t pid;
};

static struct shm *shm;
static struct helper *helpers; /* NHELPERS of them, MAP_SHARED */

/* Maps a fresh segment and the helpers' memory for each test. */
static void
setup(void)
{
	shm = shm_map();
	ck_assert_ptr_nonnull(shm);
	helpers = mmap(NULL, NHELPERS * sizeof *helpers, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(helpers != MAP_FAILED);
}

/* Unmaps what setup mapped. */
static void
teardown(void)
{
	munmap(helpers, NHELPERS * sizeof *helpers);
	shm_unmap(shm);
}

/* Returns the monotonic clock in nanoseconds. */
static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleeps MS milliseconds. */
static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Returns the value that is the number I. */
static struct sync_value
number(int64_t i)
{
	return (struct sync_value){ .i = i };
}

/* Returns the value that is the word W, which must fit. */
static struct sync_value
word(const char *w)
{
	struct sync_value v;

	ck_assert_int_eq(sync_word(&v, w), SYNC_OK);
	return v;
}

/* The lock of the tests' conditions, made when first asked for. */
static int
the_lock(void)
{
	return lock_named(shm, "m", true);
}

/* Makes an object NAME of KIND that must be made. */
static int
make(const char *name, enum sync_kind kind, int64_t n)
{
	char why[128] = "";
	int obj = sync_make(shm, name, kind, n, the_lock(), why, sizeof why);

	ck_assert_msg(obj >= 0, "%s not made: %s", name, why);
	return obj;
}

/* Makes, fresh, the object helpers doing DEED wait on: a semaphore of 0,
 * a condition, a barrier of PARTIES, an empty queue of 4 cells (get), a
 * queue of 1 cell that holds 100 (put). */
static int
make_for(enum deed deed, int parties)
{
	int obj = -1;

	switch (deed) {
	case D_SEM_WAIT: obj = make("s", SYNC_SEMAPHORE, 0); break;
	case D_COND_WAIT: obj = make("c", SYNC_CONDITION, 0); break;
	case D_BARRIER: obj = make("b", SYNC_BARRIER, parties); break;
	case D_GET: obj = make("q", SYNC_QUEUE, 4); break;
	case D_PUT: {
		struct sync_value v = number(100);
		obj = make("q", SYNC_QUEUE, 1);
		ck_assert_int_eq(
			sync_put(shm, obj, MAIN_ID, MAIN_SLOT, &v, NULL, NULL),
			SYNC_OK);
		break;
	}
	case D_NDEEDS: break;
	}
	return obj;
}

/* What a helper runs. */
static void
perform(struct helper *h)
{
	int r = SYNC_OK;

	switch (h->deed) {
	case D_SEM_WAIT:
		r = sync_sem_wait(shm, h->obj, h->id, h->slot, &h->cancel,
				  &h->effect);
		break;
	case D_COND_WAIT:
		if (lock_acquire(shm, h->lock, h->id, h->slot, &h->cancel) !=
		    LOCK_OK) {
			r = -1;
			break;
		}
		r = sync_cond_enter(shm, h->obj, h->id, h->slot, NULL);
		if (r == SYNC_OK)
			r = sync_cond_sleep(shm, h->obj, h->id, h->slot,
					    &h->cancel, &h->effect);
		if (r == SYNC_OK) {
			/* The wait's third step, then let it go. */
			if (lock_acquire(shm, h->lock, h->id, h->slot, NULL) !=
				    LOCK_OK ||
			    lock_release(shm, h->lock, h->id) != LOCK_OK)
				r = -1;
		}
		break;
	case D_BARRIER:
		for (int k = 0; k < h->rounds; k++) {
			r = sync_barrier_arrive(shm, h->obj, h->id, h->slot,
						&h->effect);
			if (r == SYNC_BLOCKED)
				r = sync_barrier_sleep(shm, h->obj, h->slot,
						       &h->cancel);
			if (r != SYNC_OK)
				break;
			atomic_fetch_add(&h->rounds_done, 1);
		}
		break;
	case D_GET:
		r = sync_get(shm, h->obj, h->id, h->slot, &h->v, &h->cancel,
			     &h->effect);
		break;
	case D_PUT:
		r = sync_put(shm, h->obj, h->id, h->slot, &h->v, &h->cancel,
			     &h->effect);
		break;
	case D_NDEEDS: break;
	}
	h->result = r;
	atomic_store(&h->done, 1);
}

/* A thread helper's body: performs helper ARG. */
static void *
thread_main(void *arg)
{
	perform(arg);
	return NULL;
}

/* Readies helper I to do DEED on OBJ, as a process or a thread. */
static struct helper *
helper(int i, enum deed deed, int obj, bool process)
{
	struct helper *h = &helpers[i];

	memset(h, 0, sizeof *h);
	h->deed = deed;
	h->obj = obj;
	h->lock = the_lock();
	h->slot = i;
	h->id = 100 + (uint32_t)i;
	h->rounds = 1;
	h->process = process;
	return h;
}

/* Starts helper H. */
static void
begin(struct helper *h)
{
	pid_t pid;

	if (!h->process) {
		ck_assert_int_eq(
			pthread_create(&h->thread, NULL, thread_main, h), 0);
		return;
	}
	/* Not h->pid = fork(): H is shared, the child would write 0 there. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid > 0) {
		h->pid = pid;
	} else {
		/* No Check calls here; and no orphan if the test fails. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		perform(h);
		_exit(0);
	}
}

/* Waits until the worker in SLOT waits on OBJ. */
static void
until_waiting(int slot, int obj)
{
	int64_t give_up = now_ns() + PATIENCE_NS;

	while (sync_waiting(shm, slot) != obj) {
		ck_assert_msg(now_ns() < give_up, "slot %d never waited on %d",
			      slot, obj);
		nap_ms(1);
	}
}

/* Waits until helper H has returned, and reaps it. */
static void
finish(struct helper *h)
{
	int64_t give_up = now_ns() + PATIENCE_NS;
	int status;

	while (!atomic_load(&h->done)) {
		ck_assert_msg(now_ns() < give_up, "slot %d never returned",
			      h->slot);
		nap_ms(1);
	}
	if (!h->process) {
		ck_assert_int_eq(pthread_join(h->thread, NULL), 0);
		return;
	}
	ck_assert_int_eq(waitpid(h->pid, &status, 0), h->pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Starts helper H and waits until it waits on its object; it must not
 * return on its own, so it has not, a moment later either. */
static void
begin_waiting(struct helper *h)
{
	begin(h);
	until_waiting(h->slot, h->obj);
	nap_ms(10);
	ck_assert_int_eq(atomic_load(&h->done), 0);
	ck_assert_int_eq(sync_waiting(shm, h->slot), h->obj);
}

/* Kills process helper H, asleep in its wait, and reaps it. */
static void
kill_helper(struct helper *h)
{
	ck_assert(h->process);
	ck_assert_int_eq(kill(h->pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(h->pid, NULL, 0), h->pid);
}

/* Notifies N (0: all) waiters of condition OBJ, holding its lock; returns
 * the effect. */
static struct sync_effect
notify(int obj, uint32_t n)
{
	struct sync_effect e;

	ck_assert_int_eq(
		lock_acquire(shm, the_lock(), MAIN_ID, MAIN_SLOT, NULL),
		LOCK_OK);
	ck_assert_int_eq(
		sync_cond_notify(shm, obj, MAIN_ID, MAIN_SLOT, n, n == 0, &e),
		SYNC_OK);
	ck_assert_int_eq(lock_release(shm, the_lock(), MAIN_ID), LOCK_OK);
	return e;
}

/* Does, on OBJ, what wakes a waiter of a helper doing DEED: a signal, a
 * notify, the last arrival, a put of N, a get (into *GOT). Returns the
 * slot woken first, -1 none. */
static int
act(enum deed deed, int obj, int64_t n, struct sync_value *got)
{
	struct sync_value v = number(n);
	struct sync_effect e = { .woke_slot = -2 };

	switch (deed) {
	case D_SEM_WAIT:
		ck_assert_int_eq(
			sync_sem_signal(shm, obj, MAIN_ID, MAIN_SLOT, &e),
			SYNC_OK);
		break;
	case D_COND_WAIT: e = notify(obj, 1); break;
	case D_BARRIER:
		ck_assert_int_eq(
			sync_barrier_arrive(shm, obj, MAIN_ID, MAIN_SLOT, &e),
			SYNC_OK);
		ck_assert(e.last);
		break;
	case D_GET:
		ck_assert_int_eq(
			sync_put(shm, obj, MAIN_ID, MAIN_SLOT, &v, NULL, &e),
			SYNC_OK);
		break;
	case D_PUT:
		ck_assert_int_eq(
			sync_get(shm, obj, MAIN_ID, MAIN_SLOT, got, NULL, &e),
			SYNC_OK);
		break;
	case D_NDEEDS: break;
	}
	ck_assert(!e.waited);
	return e.woke_slot;
}

/* The waiters of OBJ, in order, are the N slots in WANT. */
static void
assert_waiters(int obj, const int *want, size_t n)
{
	struct sync_view view;

	sync_view(shm, obj, &view);
	ck_assert_uint_eq(view.nwaiters, n);
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(view.waiters[k], want[k]);
	ck_assert_int_eq(view.waiters[n], -1);
}

/* Returns the value (semaphore), arrivals (barrier) or length (queue) of
 * OBJ. */
static int64_t
value_of(int obj)
{
	struct sync_view view;

	sync_view(shm, obj, &view);
	return view.value;
}

/* Queue OBJ holds the N numbers in WANT, oldest first. */
static void
assert_queue(int obj, const int64_t *want, size_t n)
{
	struct sync_value v;

	ck_assert_int_eq(value_of(obj), (int64_t)n);
	for (size_t k = 0; k < n; k++) {
		sync_queue_at(shm, obj, k, &v);
		ck_assert(!v.is_word);
		ck_assert_int_eq(v.i, want[k]);
	}
}

/* The deeds whose waiters are woken one at a time, by choice. */
static const enum deed one_at_a_time[] = { D_SEM_WAIT, D_COND_WAIT, D_GET,
					   D_PUT };
#define N_ONE_AT_A_TIME 4

/* A waiter of every kind, thread or process (loop: deed, then backend),
 * sleeps until the other side acts, then returns with what it waited for,
 * handed straight to it. */
START_TEST(test_blocks)
{
	enum deed deed = (enum deed)(_i / 2);
	bool process = _i % 2;
	int obj = make_for(deed, 2);
	struct helper *h = helper(0, deed, obj, process);
	struct sync_value got;
	int one[] = { 0 };

	h->v = number(7);
	ck_assert_int_eq(sync_waiting(shm, 0), -1);
	begin_waiting(h);
	assert_waiters(obj, one, 1);
	ck_assert_int_eq(act(deed, obj, 42, &got), 0);
	finish(h);
	ck_assert_int_eq(h->result, SYNC_OK);
	ck_assert(h->effect.waited || deed == D_BARRIER);
	ck_assert_int_eq(sync_waiting(shm, 0), -1);
	assert_waiters(obj, NULL, 0);
	switch (deed) {
	case D_SEM_WAIT:
		ck_assert_int_eq(value_of(obj), 0); /* the unit went to it */
		break;
	case D_BARRIER:
		ck_assert_int_eq(value_of(obj), 0);
		ck_assert_int_eq(atomic_load(&h->rounds_done), 1);
		break;
	case D_GET:
		ck_assert_int_eq(h->v.i, 42);
		ck_assert_int_eq(value_of(obj), 0);
		break;
	case D_PUT: {
		int64_t want[] = { 7 };
		ck_assert_int_eq(got.i, 100);
		assert_queue(obj, want, 1); /* the putter's value moved in */
		break;
	}
	case D_COND_WAIT:
	case D_NDEEDS: break;
	}
}
END_TEST

/* NHELPERS helpers doing DEED join one after another, as threads or
 * processes; then each act wakes one, whose slot goes to ORDER. Checks
 * that each got what its wake gave it. */
static void
wake_order(enum deed deed, bool process, bool seeded, uint64_t seed, int *order)
{
	struct sync_value got;
	int obj;

	sync_reset(shm);
	sync_set_order(shm, seeded, seed);
	obj = make_for(deed, 0);
	for (int i = 0; i < NHELPERS; i++) {
		struct helper *h = helper(i, deed, obj, process);
		h->v = number(i);
		begin_waiting(h);
	}
	for (int k = 0; k < NHELPERS; k++) {
		order[k] = act(deed, obj, 10 + k, &got);
		ck_assert_int_ge(order[k], 0);
		if (deed == D_PUT) /* the value of the one woken before */
			ck_assert_int_eq(got.i, k == 0 ? 100 : order[k - 1]);
	}
	if (deed == D_PUT) {
		ck_assert_int_eq(act(deed, obj, 0, &got), -1);
		ck_assert_int_eq(got.i, order[NHELPERS - 1]);
	}
	for (int i = 0; i < NHELPERS; i++) {
		finish(&helpers[i]);
		ck_assert_int_eq(helpers[i].result, SYNC_OK);
	}
	for (int k = 0; k < NHELPERS && deed == D_GET; k++)
		ck_assert_int_eq(helpers[order[k]].v.i, 10 + k);
	assert_waiters(obj, NULL, 0);
}

/* The order the seed SEED wakes NHELPERS waiters in, joined in slot
 * order: each wake draws one of those left, with sched_pick. */
static void
seeded_order(uint64_t seed, int *order)
{
	int left[NHELPERS];
	size_t n = NHELPERS;
	uint64_t state = seed;

	for (int i = 0; i < NHELPERS; i++)
		left[i] = i;
	for (int k = 0; k < NHELPERS; k++) {
		size_t j = sched_pick(&state, n);
		order[k] = left[j];
		memmove(&left[j], &left[j + 1], (n - j - 1) * sizeof left[0]);
		n--;
	}
}

/* Unseeded, waiters are woken first come first served (loop: deed, then
 * backend). */
START_TEST(test_fifo)
{
	int order[NHELPERS];

	wake_order(one_at_a_time[_i / 2], _i % 2, false, 0, order);
	for (int k = 0; k < NHELPERS; k++)
		ck_assert_int_eq(order[k], k);
}
END_TEST

/* Seeded, waiters are woken in the order the seed draws: the same twice,
 * the same as sched_pick's, and another for another seed (loop: deed,
 * then backend). */
START_TEST(test_seeded)
{
	enum deed deed = one_at_a_time[_i / 2];
	int want[NHELPERS], order[NHELPERS], other[NHELPERS];
	uint64_t seed = 7, seed2 = 8;

	seeded_order(seed, want);
	wake_order(deed, _i % 2, true, seed, order);
	ck_assert_mem_eq(order, want, sizeof want);
	wake_order(deed, _i % 2, true, seed, order);
	ck_assert_mem_eq(order, want, sizeof want);

	for (seeded_order(seed2, other); memcmp(other, want, sizeof want) == 0;
	     seeded_order(++seed2, other))
		;
	wake_order(deed, _i % 2, true, seed2, order);
	ck_assert_mem_eq(order, other, sizeof other);
}
END_TEST

/* notify N wakes N, notify_all the rest, notify with nobody waiting is a
 * lost wakeup (loop: backend). */
START_TEST(test_notify_some_and_all)
{
	int obj = make_for(D_COND_WAIT, 0);
	struct sync_effect e;

	e = notify(obj, 1);
	ck_assert(e.lost);
	ck_assert_int_eq(e.woke_slot, -1);
	ck_assert_uint_eq(e.nwoke, 0);
	for (int i = 0; i < NHELPERS; i++)
		begin_waiting(helper(i, D_COND_WAIT, obj, _i));
	e = notify(obj, 2);
	ck_assert(!e.lost);
	ck_assert_int_eq(e.woke_slot, 0);
	ck_assert_uint_eq(e.nwoke, 2);
	e = notify(obj, 0);
	ck_assert(!e.lost);
	ck_assert_int_eq(e.woke_slot, 2);
	ck_assert_uint_eq(e.nwoke, NHELPERS - 2);
	for (int i = 0; i < NHELPERS; i++) {
		finish(&helpers[i]);
		ck_assert_int_eq(helpers[i].result, SYNC_OK);
	}
	assert_waiters(obj, NULL, 0);
}
END_TEST

/* A waiter of every kind asked to stop leaves its list clean, and the
 * object works on as if it had never come (loop: deed, then backend).
 * Three wait (a barrier of 3: two), the middle one is cancelled. */
START_TEST(test_cancel)
{
	enum deed deed = (enum deed)(_i / 2);
	bool process = _i % 2;
	int obj = make_for(deed, 3);
	int n = deed == D_BARRIER ? 2 : 3;
	int rest[] = { 0, 2 }, first[] = { 0 };
	struct sync_value got;

	for (int i = 0; i < n; i++) {
		struct helper *h = helper(i, deed, obj, process);
		h->v = number(i);
		begin_waiting(h);
	}
	atomic_store(&helpers[1].cancel, true);
	finish(&helpers[1]);
	ck_assert_int_eq(helpers[1].result, SYNC_CANCELLED);
	ck_assert_int_eq(sync_waiting(shm, 1), -1);
	if (deed == D_BARRIER) {
		assert_waiters(obj, first, 1);
		ck_assert_int_eq(value_of(obj), 1); /* its arrival undone */
		begin_waiting(helper(2, deed, obj, process));
		ck_assert_int_eq(value_of(obj), 2);
		ck_assert_int_eq(act(deed, obj, 0, &got), 0);
		ck_assert_int_eq(value_of(obj), 0);
	} else {
		assert_waiters(obj, rest, 2);
		ck_assert_int_eq(act(deed, obj, 1, &got), 0);
		ck_assert_int_eq(act(deed, obj, 2, &got), 2);
	}
	finish(&helpers[0]);
	finish(&helpers[2]);
	ck_assert_int_eq(helpers[0].result, SYNC_OK);
	ck_assert_int_eq(helpers[2].result, SYNC_OK);
	assert_waiters(obj, NULL, 0);
	/* Nothing is left to wake: a semaphore keeps the unit, a queue the
	 * value, a notify is lost. */
	switch (deed) {
	case D_SEM_WAIT:
		ck_assert_int_eq(act(deed, obj, 0, &got), -1);
		ck_assert_int_eq(value_of(obj), 1);
		break;
	case D_COND_WAIT: ck_assert(notify(obj, 1).lost); break;
	case D_GET: {
		int64_t want[] = { 3 };
		ck_assert_int_eq(act(deed, obj, 3, &got), -1);
		assert_queue(obj, want, 1);
		break;
	}
	case D_PUT: {
		int64_t want[] = { 2 };
		assert_queue(obj, want, 1); /* 100, 0, then 2 went in */
		ck_assert_int_eq(act(deed, obj, 0, &got), -1);
		ck_assert_int_eq(got.i, 2);
		break;
	}
	case D_BARRIER:
	case D_NDEEDS: break;
	}
}
END_TEST

/* A waiter asked to stop just as it is handed a semaphore's unit, a
 * queue's value or a notify gives it to the next waiter or back (loop:
 * deed among those, alone or with a second waiter, backend). The cancel
 * comes first, then the wake: the waiter looks at its cancel first when it
 * wakes, so it is the hand-off that is undone (were it to leave before the
 * wake, the end would be the same: that is the point). */
START_TEST(test_cancel_handed)
{
	static const enum deed deeds[] = { D_SEM_WAIT, D_GET, D_COND_WAIT };
	enum deed deed = deeds[_i / 4];
	bool two = (_i / 2) % 2, process = _i % 2;
	int handed = 0;

	for (int round = 0; round < 10; round++) {
		struct sync_value got;
		int obj, woke;

		sync_reset(shm);
		obj = make_for(deed, 0);
		begin_waiting(helper(0, deed, obj, process));
		if (two)
			begin_waiting(helper(1, deed, obj, process));
		atomic_store(&helpers[0].cancel, true);
		woke = act(deed, obj, 7, &got);
		handed += woke == 0;
		finish(&helpers[0]);
		ck_assert_int_eq(helpers[0].result, SYNC_CANCELLED);
		if (two) {
			finish(&helpers[1]);
			ck_assert_int_eq(helpers[1].result, SYNC_OK);
			if (deed == D_GET)
				ck_assert_int_eq(helpers[1].v.i, 7);
		}
		assert_waiters(obj, NULL, 0);
		if (deed == D_SEM_WAIT)
			ck_assert_int_eq(value_of(obj), two ? 0 : 1);
		if (deed == D_GET) {
			int64_t want[] = { 7 };
			assert_queue(obj, want, two ? 0 : 1);
		}
	}
	/* The hand-off to a waiter that was leaving did happen. */
	ck_assert_int_gt(handed, 0);
}
END_TEST

/* Weft forgets a killed process: off the list when it slept, and what was
 * handed to it given back, a unit to the value, a value to the front of
 * the queue (dropped when the queue filled up meanwhile), a notify to
 * another waiter; a barrier's arrival is undone. */
START_TEST(test_forget_killed)
{
	struct sync_value got;
	struct helper *h;
	int obj;

	/* A semaphore: asleep, then handed a unit. */
	obj = make_for(D_SEM_WAIT, 0);
	begin_waiting(h = helper(0, D_SEM_WAIT, obj, true));
	kill_helper(h);
	sync_forget(shm, h->id, 0);
	assert_waiters(obj, NULL, 0);
	ck_assert_int_eq(act(D_SEM_WAIT, obj, 0, &got), -1);
	ck_assert_int_eq(value_of(obj), 1);
	ck_assert_int_eq(
		sync_sem_wait(shm, obj, MAIN_ID, MAIN_SLOT, NULL, NULL),
		SYNC_OK);
	begin_waiting(h = helper(0, D_SEM_WAIT, obj, true));
	kill_helper(h);
	ck_assert_int_eq(act(D_SEM_WAIT, obj, 0, &got), 0);
	ck_assert_int_eq(value_of(obj), 0);
	ck_assert_int_eq(sync_waiting(shm, 0), -1); /* woken, not waiting */
	sync_forget(shm, h->id, 0);
	ck_assert_int_eq(value_of(obj), 1);

	/* A queue: handed 7, then 8 put; 7 goes back in front. */
	sync_reset(shm);
	obj = make_for(D_GET, 0);
	begin_waiting(h = helper(0, D_GET, obj, true));
	kill_helper(h);
	ck_assert_int_eq(act(D_GET, obj, 7, &got), 0);
	ck_assert_int_eq(act(D_GET, obj, 8, &got), -1);
	sync_forget(shm, h->id, 0);
	int64_t want[] = { 7, 8 };
	assert_queue(obj, want, 2);

	/* A queue of one cell, full again before weft forgets: 7 is lost. */
	sync_reset(shm);
	obj = make("q1", SYNC_QUEUE, 1);
	begin_waiting(h = helper(0, D_GET, obj, true));
	kill_helper(h);
	ck_assert_int_eq(act(D_GET, obj, 7, &got), 0);
	ck_assert_int_eq(act(D_GET, obj, 8, &got), -1);
	sync_forget(shm, h->id, 0);
	assert_queue(obj, &want[1], 1);

	/* A condition: the notify goes on to the next waiter. */
	sync_reset(shm);
	obj = make_for(D_COND_WAIT, 0);
	begin_waiting(h = helper(0, D_COND_WAIT, obj, true));
	begin_waiting(helper(1, D_COND_WAIT, obj, true));
	kill_helper(h);
	ck_assert_int_eq(notify(obj, 1).woke_slot, 0);
	ck_assert_int_eq(atomic_load(&helpers[1].done), 0);
	sync_forget(shm, h->id, 0);
	finish(&helpers[1]);
	ck_assert_int_eq(helpers[1].result, SYNC_OK);
	assert_waiters(obj, NULL, 0);

	/* A barrier of 2: the killed one's arrival is undone. */
	sync_reset(shm);
	obj = make_for(D_BARRIER, 2);
	begin_waiting(h = helper(0, D_BARRIER, obj, true));
	kill_helper(h);
	ck_assert_int_eq(value_of(obj), 1);
	sync_forget(shm, h->id, 0);
	ck_assert_int_eq(value_of(obj), 0);
	assert_waiters(obj, NULL, 0);
	ck_assert_int_eq(
		sync_barrier_arrive(shm, obj, MAIN_ID, MAIN_SLOT, NULL),
		SYNC_BLOCKED);

	/* Forgetting a worker that waits on nothing changes nothing. */
	sync_forget(shm, 77, 3);
	ck_assert_int_eq(value_of(obj), 1);
}
END_TEST

/* A worker weft forgets while it still sleeps (say it stops it) wakes and
 * returns SYNC_CANCELLED, though nobody set its cancel (loop: backend). */
START_TEST(test_forget_asleep)
{
	int obj = make_for(D_SEM_WAIT, 0);
	struct sync_value got;
	struct helper *h = helper(0, D_SEM_WAIT, obj, _i);

	begin_waiting(h);
	sync_forget(shm, h->id, 0);
	finish(h);
	ck_assert_int_eq(h->result, SYNC_CANCELLED);
	assert_waiters(obj, NULL, 0);
	ck_assert_int_eq(act(D_SEM_WAIT, obj, 0, &got), -1);
	ck_assert_int_eq(value_of(obj), 1);
}
END_TEST

/* A barrier of 3 is passed ROUNDS times by the same two helpers and the
 * last arrival, which releases both each time (loop: backend). */
START_TEST(test_barrier_rounds)
{
	int obj = make_for(D_BARRIER, 3);
	struct sync_effect e;

	for (int i = 0; i < 2; i++) {
		struct helper *h = helper(i, D_BARRIER, obj, _i);
		h->rounds = ROUNDS;
		begin(h);
	}
	for (int r = 0; r < ROUNDS; r++) {
		until_waiting(0, obj);
		until_waiting(1, obj);
		ck_assert_int_eq(value_of(obj), 2);
		ck_assert_int_eq(atomic_load(&helpers[0].rounds_done), r);
		ck_assert_int_eq(atomic_load(&helpers[1].rounds_done), r);
		ck_assert_int_eq(
			sync_barrier_arrive(shm, obj, MAIN_ID, MAIN_SLOT, &e),
			SYNC_OK);
		ck_assert(e.last);
		ck_assert_uint_eq(e.nwoke, 2);
		/* (Its value may already count the next round's arrivals.) */
		ck_assert_uint_eq(atomic_load(&shm->syncs[obj].gen),
				  (unsigned)r + 1);
	}
	for (int i = 0; i < 2; i++) {
		finish(&helpers[i]);
		ck_assert_int_eq(helpers[i].result, SYNC_OK);
		ck_assert_int_eq(atomic_load(&helpers[i].rounds_done), ROUNDS);
	}
	ck_assert_uint_eq(atomic_load(&shm->syncs[obj].gen), ROUNDS);

	/* A barrier of one party never waits. */
	obj = make("alone", SYNC_BARRIER, 1);
	for (int r = 0; r < 3; r++) {
		ck_assert_int_eq(
			sync_barrier_arrive(shm, obj, MAIN_ID, MAIN_SLOT, &e),
			SYNC_OK);
		ck_assert(e.last);
		ck_assert_uint_eq(e.nwoke, 0);
	}
}
END_TEST

/* Checks that V is the number I (WORD NULL) or the word WORD. */
static void
assert_value(const struct sync_value *v, int64_t i, const char *w)
{
	if (w == NULL) {
		ck_assert(!v->is_word);
		ck_assert_int_eq(v->i, i);
	} else {
		ck_assert(v->is_word);
		ck_assert_str_eq(v->word, w);
	}
}

/* A queue gives its numbers and words back oldest first, also round its
 * end; a word of SYNC_WORD_MAX bytes goes in, one byte more is refused. */
START_TEST(test_queue_values)
{
	static const char *const words[] = { NULL, "a", NULL, "bb" };
	char longest[SYNC_WORD_MAX + 2];
	int obj = make("q", SYNC_QUEUE, 4);
	struct sync_value v;
	struct sync_effect e;
	int64_t next_in = 0, next_out = 0;

	/* Around the ring three times: put until full, get until empty. */
	for (int lap = 0; lap < 3; lap++) {
		for (int k = 0; k < 4; k++, next_in++) {
			const char *w = words[next_in % 4];
			v = w != NULL ? word(w) : number(next_in);
			ck_assert(!sync_would_wait(shm, obj, SOP_PUT, 0));
			ck_assert_int_eq(sync_put(shm, obj, MAIN_ID, MAIN_SLOT,
						  &v, NULL, &e),
					 SYNC_OK);
			ck_assert(!e.waited);
		}
		ck_assert(sync_would_wait(shm, obj, SOP_PUT, 0));
		for (size_t k = 0; k < 4; k++) {
			sync_queue_at(shm, obj, k, &v);
			assert_value(&v, next_out + (int64_t)k,
				     words[(next_out + k) % 4]);
		}
		/* One out, one in, so that the next lap starts elsewhere. */
		for (int k = 0; k < 4 + lap; k++, next_out++) {
			ck_assert(!sync_would_wait(shm, obj, SOP_GET, 0));
			ck_assert_int_eq(sync_get(shm, obj, MAIN_ID, MAIN_SLOT,
						  &v, NULL, NULL),
					 SYNC_OK);
			assert_value(&v, next_out, words[next_out % 4]);
			if (k < lap) {
				const char *w = words[next_in % 4];
				v = w != NULL ? word(w) : number(next_in);
				ck_assert_int_eq(sync_put(shm, obj, MAIN_ID,
							  MAIN_SLOT, &v, NULL,
							  NULL),
						 SYNC_OK);
				next_in++;
			}
		}
		ck_assert(sync_would_wait(shm, obj, SOP_GET, 0));
		ck_assert_int_eq(value_of(obj), 0);
	}

	memset(longest, 'w', sizeof longest);
	longest[SYNC_WORD_MAX] = '\0';
	v = word(longest);
	ck_assert_int_eq(sync_put(shm, obj, MAIN_ID, MAIN_SLOT, &v, NULL, NULL),
			 SYNC_OK);
	longest[SYNC_WORD_MAX] = 'w';
	longest[SYNC_WORD_MAX + 1] = '\0';
	ck_assert_int_eq(sync_word(&v, longest), SYNC_WORD_LONG);
	ck_assert_int_eq(sync_put(shm, obj, MAIN_ID, MAIN_SLOT, &v, NULL, NULL),
			 SYNC_WORD_LONG);
	ck_assert_int_eq(value_of(obj), 1);
	ck_assert_int_eq(sync_get(shm, obj, MAIN_ID, MAIN_SLOT, &v, NULL, NULL),
			 SYNC_OK);
	longest[SYNC_WORD_MAX] = '\0';
	assert_value(&v, 0, longest);
}
END_TEST

/* Tickets: the wakes of one statement have consecutive ones, each woken
 * waiter knows its own; a value keeps its ticket through the queue. */
START_TEST(test_tickets)
{
	int b = make("b", SYNC_BARRIER, 3), q = make("q", SYNC_QUEUE, 4);
	struct sync_effect e;
	struct sync_value v = number(5);
	uint32_t t1, t2, in1, in2;

	ck_assert_int_eq(sync_barrier_arrive(shm, b, 10, 1, &e), SYNC_BLOCKED);
	ck_assert_int_eq(sync_barrier_arrive(shm, b, 11, 2, &e), SYNC_BLOCKED);
	ck_assert_int_eq(sync_barrier_arrive(shm, b, MAIN_ID, MAIN_SLOT, &e),
			 SYNC_OK);
	ck_assert_uint_eq(e.nwoke, 2);
	ck_assert_uint_ne(e.ticket, 0);
	t1 = sync_wake_ticket(shm, 1);
	t2 = sync_wake_ticket(shm, 2);
	ck_assert(t1 != t2);
	ck_assert(t1 == e.ticket || t1 == e.ticket + 1);
	ck_assert(t2 == e.ticket || t2 == e.ticket + 1);

	ck_assert_int_eq(sync_put(shm, q, MAIN_ID, MAIN_SLOT, &v, NULL, &e),
			 SYNC_OK);
	in1 = e.vticket;
	ck_assert_uint_eq(e.nwoke, 0);
	ck_assert_int_eq(sync_put(shm, q, MAIN_ID, MAIN_SLOT, &v, NULL, &e),
			 SYNC_OK);
	in2 = e.vticket;
	ck_assert(in1 > t1 && in1 > t2 && in2 == in1 + 1);
	ck_assert_int_eq(sync_get(shm, q, MAIN_ID, MAIN_SLOT, &v, NULL, &e),
			 SYNC_OK);
	ck_assert_uint_eq(e.vticket, in1);
	ck_assert_int_eq(sync_get(shm, q, MAIN_ID, MAIN_SLOT, &v, NULL, &e),
			 SYNC_OK);
	ck_assert_uint_eq(e.vticket, in2);
}
END_TEST

/* Which next operation would wait, and a condition's three steps in one
 * thread when the notify comes between its first two. */
START_TEST(test_would_wait)
{
	int s = make("s", SYNC_SEMAPHORE, 1);
	int b = make("b", SYNC_BARRIER, 2);
	int c = make("c", SYNC_CONDITION, 0);
	int m = the_lock();
	struct sync_effect e;

	ck_assert(!sync_would_wait(shm, s, SOP_SEM_WAIT, 0));
	ck_assert_int_eq(sync_sem_wait(shm, s, MAIN_ID, MAIN_SLOT, NULL, &e),
			 SYNC_OK);
	ck_assert(!e.waited);
	ck_assert(sync_would_wait(shm, s, SOP_SEM_WAIT, 0));
	ck_assert(!sync_would_wait(shm, s, SOP_SIGNAL, 0));
	ck_assert(!sync_would_wait(shm, b, SOP_BARRIER, 0));

	ck_assert(!sync_would_wait(shm, c, SOP_COND_ENTER, MAIN_SLOT));
	ck_assert(!sync_would_wait(shm, c, SOP_NOTIFY, MAIN_SLOT));
	ck_assert_int_eq(lock_acquire(shm, m, MAIN_ID, MAIN_SLOT, NULL),
			 LOCK_OK);
	ck_assert_int_eq(sync_cond_enter(shm, c, MAIN_ID, MAIN_SLOT, NULL),
			 SYNC_OK);
	ck_assert_int_eq(lock_holder(shm, m), -1); /* the lock went */
	ck_assert_int_eq(sync_waiting(shm, MAIN_SLOT), c);
	ck_assert(!sync_cond_notified(shm, c, MAIN_SLOT));
	ck_assert(sync_would_wait(shm, c, SOP_COND_SLEEP, MAIN_SLOT));
	ck_assert_int_eq(lock_acquire(shm, m, 5, 5, NULL), LOCK_OK);
	ck_assert_int_eq(sync_cond_notify(shm, c, 5, 5, 1, false, &e), SYNC_OK);
	ck_assert_int_eq(e.woke_slot, MAIN_SLOT);
	ck_assert(sync_cond_notified(shm, c, MAIN_SLOT));
	ck_assert(!sync_would_wait(shm, c, SOP_COND_SLEEP, MAIN_SLOT));
	ck_assert_int_eq(sync_waiting(shm, MAIN_SLOT), -1);
	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_OK);
	ck_assert_int_eq(sync_cond_sleep(shm, c, MAIN_ID, MAIN_SLOT, NULL, &e),
			 SYNC_OK);
	ck_assert(!e.waited);
	ck_assert(!sync_cond_notified(shm, c, MAIN_SLOT));
}
END_TEST

/* sync_make refuses NAME of KIND (N, LOCK) with WANT, and nothing
 * changed. */
static void
assert_refused(const char *name, enum sync_kind kind, int64_t n, int lock,
	       const char *want)
{
	size_t before = sync_count(shm);
	int had = sync_find(shm, name);
	char why[128] = "";

	ck_assert_int_eq(sync_make(shm, name, kind, n, lock, why, sizeof why),
			 -1);
	ck_assert_str_eq(why, want);
	ck_assert_uint_eq(sync_count(shm), before);
	ck_assert_int_eq(sync_find(shm, name), had);
}

/* Every bad declaration is refused with its reason, changing nothing. */
START_TEST(test_make_errors)
{
	int m = the_lock();
	char name[40], why[128];

	assert_refused("x", SYNC_NONE, 1, m, "there is no kind of object 0");
	assert_refused("x", (enum sync_kind)9, 1, m,
		       "there is no kind of object 9");
	assert_refused("abcdefghijklmnopqrstuvwxyz012345", SYNC_SEMAPHORE, 1, m,
		       "a name has at most 31 characters, not 32");
	assert_refused("x", SYNC_SEMAPHORE, -1, m,
		       "a semaphore needs a value of at least 0, not -1");
	assert_refused("x", SYNC_CONDITION, 0, -1,
		       "a condition needs a lock: there is no lock -1");
	assert_refused("x", SYNC_CONDITION, 0, m + 1,
		       "a condition needs a lock: there is no lock 1");
	assert_refused("x", SYNC_BARRIER, 0, m,
		       "a barrier needs at least 1 party, not 0");
	assert_refused("x", SYNC_BARRIER, -3, m,
		       "a barrier needs at least 1 party, not -3");
	assert_refused("x", SYNC_QUEUE, 0, m,
		       "a queue has 1 to 1024 cells, not 0");
	assert_refused("x", SYNC_QUEUE, SYNC_QUEUE_MAX + 1, m,
		       "a queue has 1 to 1024 cells, not 1025");

	/* Every kind at the edge of what it may be. */
	ck_assert_int_eq(make("s", SYNC_SEMAPHORE, 0), 0);
	ck_assert_int_eq(make("c", SYNC_CONDITION, 0), 1);
	ck_assert_int_eq(make("b", SYNC_BARRIER, 1), 2);
	ck_assert_int_eq(make("q", SYNC_QUEUE, SYNC_QUEUE_MAX), 3);
	ck_assert_int_eq(
		make("abcdefghijklmnopqrstuvwxyz01234", SYNC_SEMAPHORE, 0), 4);
	assert_refused("s", SYNC_QUEUE, 1, m, "'s' is already a semaphore");
	assert_refused("q", SYNC_QUEUE, 1, m, "'q' is already a queue");
	assert_refused("c", SYNC_BARRIER, 1, m, "'c' is already a condition");

	/* The queues' cells: 8192 in all. */
	for (int i = 1; i < 7; i++) {
		snprintf(name, sizeof name, "q%d", i);
		make(name, SYNC_QUEUE, SYNC_QUEUE_MAX);
	}
	make("q7", SYNC_QUEUE, 1000);
	assert_refused("q8", SYNC_QUEUE, 25, m,
		       "no room for a queue of 25 cells: 24 are left of 8192");
	make("q8", SYNC_QUEUE, 24);
	assert_refused("q9", SYNC_QUEUE, 1, m,
		       "no room for a queue of 1 cell: 0 are left of 8192");

	/* The objects: SHM_SYNCS in all. */
	for (size_t i = sync_count(shm); i < SHM_SYNCS; i++) {
		snprintf(name, sizeof name, "s%zu", i);
		make(name, SYNC_SEMAPHORE, 1);
	}
	assert_refused("one_more", SYNC_SEMAPHORE, 1, m,
		       "no room for another object: there are 256");
	ck_assert_int_eq(sync_find(shm, "s255"), SHM_SYNCS - 1);

	/* After a reset, all the room again. */
	sync_reset(shm);
	ck_assert_uint_eq(sync_count(shm), 0);
	ck_assert_int_eq(sync_find(shm, "s"), -1);
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "q%d", i);
		ck_assert_int_eq(sync_make(shm, name, SYNC_QUEUE,
					   SYNC_QUEUE_MAX, -1, why, sizeof why),
				 i);
	}
	ck_assert_str_eq(sync_kind_name(SYNC_QUEUE), "queue");
}
END_TEST

/* A condition's wait and notify without its lock, or with it held by
 * another, are refused and change nothing. */
START_TEST(test_cond_not_held)
{
	int c = make_for(D_COND_WAIT, 0), m = the_lock();
	struct sync_effect e;

	ck_assert_int_eq(sync_cond_enter(shm, c, MAIN_ID, MAIN_SLOT, &e),
			 SYNC_NOT_HELD);
	ck_assert_int_eq(
		sync_cond_notify(shm, c, MAIN_ID, MAIN_SLOT, 1, false, &e),
		SYNC_NOT_HELD);
	ck_assert_int_eq(
		sync_cond_notify(shm, c, MAIN_ID, MAIN_SLOT, 0, true, &e),
		SYNC_NOT_HELD);
	ck_assert_int_eq(lock_acquire(shm, m, 5, 5, NULL), LOCK_OK);
	ck_assert_int_eq(sync_cond_enter(shm, c, MAIN_ID, MAIN_SLOT, &e),
			 SYNC_NOT_HELD);
	ck_assert_int_eq(
		sync_cond_notify(shm, c, MAIN_ID, MAIN_SLOT, 1, false, &e),
		SYNC_NOT_HELD);
	ck_assert_int_eq(sync_waiting(shm, MAIN_SLOT), -1);
	assert_waiters(c, NULL, 0);
	ck_assert_int_eq(lock_holder(shm, m), 5); /* still held */
	ck_assert_int_eq(sync_cond_notify(shm, c, 5, 5, 1, false, &e), SYNC_OK);
	ck_assert(e.lost);
	ck_assert_int_eq(lock_release(shm, m, 5), LOCK_OK);
}
END_TEST

/* A reset forgets objects and waiters, and the seeded draws start again. */
START_TEST(test_reset)
{
	int order[NHELPERS], again[NHELPERS];
	int obj;

	/* The draws go on from run to run without a reset... */
	sync_set_order(shm, true, 3);
	obj = make_for(D_SEM_WAIT, 0);
	for (int i = 0; i < NHELPERS; i++)
		begin_waiting(helper(i, D_SEM_WAIT, obj, false));
	for (int k = 0; k < NHELPERS; k++)
		order[k] = act(D_SEM_WAIT, obj, 0, NULL);
	for (int i = 0; i < NHELPERS; i++)
		finish(&helpers[i]);
	/* ... and start again after one: the same order. */
	begin_waiting(helper(0, D_SEM_WAIT, obj, false));
	sync_reset(shm);
	ck_assert_int_eq(sync_waiting(shm, 0), -1);
	ck_assert_uint_eq(sync_count(shm), 0);
	ck_assert_int_eq(sync_find(shm, "s"), -1);
	ck_assert_uint_eq(shm->sync_slots, 0);
	/* (The helper left behind is let go by hand.) */
	atomic_store(&helpers[0].cancel, true);
	finish(&helpers[0]);
	obj = make_for(D_SEM_WAIT, 0);
	for (int i = 0; i < NHELPERS; i++)
		begin_waiting(helper(i, D_SEM_WAIT, obj, false));
	for (int k = 0; k < NHELPERS; k++)
		again[k] = act(D_SEM_WAIT, obj, 0, NULL);
	for (int i = 0; i < NHELPERS; i++)
		finish(&helpers[i]);
	ck_assert_mem_eq(order, again, sizeof order);
}
END_TEST

/* The suite: what needs no helper, then waits with helpers. */
static Suite *
sync_suite(void)
{
	Suite *s = suite_create("sync");
	TCase *tm = tcase_create("make");
	TCase *tw = tcase_create("wait");

	tcase_add_checked_fixture(tm, setup, teardown);
	tcase_add_test(tm, test_make_errors);
	tcase_add_test(tm, test_cond_not_held);
	tcase_add_test(tm, test_queue_values);
	tcase_add_test(tm, test_would_wait);
	tcase_add_test(tm, test_tickets);
	suite_add_tcase(s, tm);

	tcase_add_checked_fixture(tw, setup, teardown);
	tcase_set_timeout(tw, 120);
	tcase_add_loop_test(tw, test_blocks, 0, 2 * D_NDEEDS);
	tcase_add_loop_test(tw, test_fifo, 0, 2 * N_ONE_AT_A_TIME);
	tcase_add_loop_test(tw, test_seeded, 0, 2 * N_ONE_AT_A_TIME);
	tcase_add_loop_test(tw, test_notify_some_and_all, 0, 2);
	tcase_add_loop_test(tw, test_cancel, 0, 2 * D_NDEEDS);
	tcase_add_loop_test(tw, test_cancel_handed, 0, 12);
	tcase_add_test(tw, test_forget_killed);
	tcase_add_loop_test(tw, test_forget_asleep, 0, 2);
	tcase_add_loop_test(tw, test_barrier_rounds, 0, 2);
	tcase_add_test(tw, test_reset);
	suite_add_tcase(s, tw);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sync_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
