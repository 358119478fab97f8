/*
 * check_sched.c: unit tests of the scheduler's parts. The seeded chooser
 * is a splitmix64 PRNG, so a seed gives the same picks on every machine;
 * the step gate lets a held worker (a thread or a forked process) take
 * exactly the steps it is granted, acknowledges a new hold once, and lets
 * a cancel through; the wait-for graph finds cycles of two and three
 * workers and never calls a chain a cycle.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gate.h"
#include "schedule.h"
#include "shm.h"

/* The chooser */

START_TEST(test_splitmix_known_values)
{
	uint64_t st = 0;

	/* splitmix64's published first outputs for seed 0 */
	ck_assert_uint_eq(sched_rand(&st), 0xe220a8397b1dcdafu);
	ck_assert_uint_eq(sched_rand(&st), 0x6e789e6aa1b965f4u);
	ck_assert_uint_eq(sched_rand(&st), 0x06c45d188009454fu);
}
END_TEST

START_TEST(test_pick_same_seed_same_picks)
{
	uint64_t a = 42, b = 42, c = 43;
	bool differ = false;

	for (int i = 0; i < 100; i++) {
		size_t x = sched_pick(&a, 3), y = sched_pick(&b, 3);
		ck_assert_uint_lt(x, 3);
		ck_assert_uint_eq(x, y);
		differ |= sched_pick(&c, 3) != x;
	}
	ck_assert_msg(differ, "seeds 42 and 43 picked alike 100 times");
}
END_TEST

START_TEST(test_pick_reaches_every_worker)
{
	uint64_t st = 7;
	int seen[5] = { 0 };

	for (int i = 0; i < 500; i++)
		seen[sched_pick(&st, 5)]++;
	for (int i = 0; i < 5; i++)
		ck_assert_int_gt(seen[i], 50);
	ck_assert_uint_eq(sched_pick(&st, 1), 0);
}
END_TEST

/* The wait-for graph: wants[worker] = lock, holder[lock] = worker. */

START_TEST(test_cycle_of_two)
{
	int wants[2] = { 1, 0 }, holder[2] = { 0, 1 };
	size_t cyc[4];

	ck_assert_uint_eq(waitfor_cycle(2, wants, 2, holder, 0, cyc, 4), 2);
	ck_assert_uint_eq(cyc[0], 0);
	ck_assert_uint_eq(cyc[1], 1);
	/* Found from either end, it reads from its lowest worker. */
	ck_assert_uint_eq(waitfor_cycle(2, wants, 2, holder, 1, cyc, 4), 2);
	ck_assert_uint_eq(cyc[0], 0);
	ck_assert_uint_eq(cyc[1], 1);
}
END_TEST

START_TEST(test_cycle_of_three)
{
	/* 0 waits for lock 2 held by 1; 1 waits for lock 0 held by 2; 2
	 * waits for lock 1 held by 0. */
	int wants[3] = { 2, 0, 1 }, holder[3] = { 2, 0, 1 };
	size_t cyc[4];

	ck_assert_uint_eq(waitfor_cycle(3, wants, 3, holder, 2, cyc, 4), 3);
	ck_assert_uint_eq(cyc[0], 0);
	ck_assert_uint_eq(cyc[1], 1);
	ck_assert_uint_eq(cyc[2], 2);
}
END_TEST

START_TEST(test_chain_is_no_cycle)
{
	/* 0 waits for lock 0 held by 1, 1 for lock 1 held by 2; 2 runs. */
	int wants[3] = { 0, 1, -1 }, holder[2] = { 1, 2 };
	size_t cyc[4];

	for (size_t i = 0; i < 3; i++)
		ck_assert_uint_eq(waitfor_cycle(3, wants, 2, holder, i, cyc, 4),
				  0);
	/* A lock nobody holds ends the path too. */
	int free_lock[1] = { -1 }, w1[1] = { 0 };
	ck_assert_uint_eq(waitfor_cycle(1, w1, 1, free_lock, 0, cyc, 4), 0);
}
END_TEST

START_TEST(test_chain_into_cycle)
{
	/* 0 waits for lock 0 held by 1; 1 and 2 are in a cycle of their
	 * own (locks 1 and 2): the cycle is 1 and 2, not 0. */
	int wants[3] = { 0, 1, 2 }, holder[3] = { 1, 2, 1 };
	size_t cyc[4];

	ck_assert_uint_eq(waitfor_cycle(3, wants, 3, holder, 0, cyc, 4), 2);
	ck_assert_uint_eq(cyc[0], 1);
	ck_assert_uint_eq(cyc[1], 2);
}
END_TEST

/* The gate */

static struct shm *shm;

static void
setup(void)
{
	shm = shm_map();
	ck_assert_ptr_nonnull(shm);
}

static void
teardown(void)
{
	shm_unmap(shm);
}

static void
nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits (up to 10 s) until *V reaches at least WANT. */
static void
await(atomic_int *v, int want)
{
	int now = 0;

	for (int i = 0; i < 10000 && (now = atomic_load(v)) < want; i++)
		nap(1);
	ck_assert_int_ge(now, want);
}

struct walker {
	struct gate_pass p;
	int limit;
	atomic_int passed, granted, cancelled;
	_Atomic uint32_t parked_epoch;
	atomic_int parks;
	atomic_bool cancel;
};

static void
on_parked(void *arg, uint32_t epoch)
{
	struct walker *k = arg;

	atomic_store(&k->parked_epoch, epoch);
	atomic_fetch_add(&k->parks, 1);
}

static void *
walk(void *arg)
{
	struct walker *k = arg;

	for (int i = 0; i < k->limit; i++) {
		enum gate_result r = gate_pass(&k->p, on_parked, k);
		if (r == GATE_CANCEL) {
			atomic_store(&k->cancelled, 1);
			break;
		}
		atomic_fetch_add(&k->passed, 1);
		if (r == GATE_GRANTED)
			atomic_fetch_add(&k->granted, 1);
		/* Under valgrind, whose scheduler is not fair, a thread in
		 * a loop with no system call can keep the test's own from
		 * running for a long time. */
		sched_yield();
	}
	return NULL;
}

static void
walker_init(struct walker *k, bool held, int limit)
{
	memset(k, 0, sizeof *k);
	k->limit = limit;
	k->p.g = &shm->gates[3];
	k->p.acked = gate_init(k->p.g, held);
	k->p.cancel = &k->cancel;
}

START_TEST(test_gate_takes_exactly_the_grants)
{
	struct walker k;
	pthread_t t;

	walker_init(&k, true, 100);
	ck_assert_int_eq(pthread_create(&t, NULL, walk, &k), 0);
	nap(30);
	ck_assert_int_eq(atomic_load(&k.passed), 0);
	/* It started under this hold: no acknowledgement needed. */
	ck_assert_int_eq(atomic_load(&k.parks), 0);
	gate_grant(k.p.g);
	gate_grant(k.p.g);
	gate_grant(k.p.g);
	await(&k.passed, 3);
	ck_assert_int_eq(atomic_load(&k.passed), 3);
	nap(30);
	ck_assert_int_eq(atomic_load(&k.passed), 3);
	ck_assert_int_eq(atomic_load(&k.granted), 3);
	/* Opened, it runs on by itself. */
	ck_assert_uint_eq(gate_hold(k.p.g, false), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(atomic_load(&k.passed), 100);
	ck_assert_int_eq(atomic_load(&k.granted), 3);
}
END_TEST

START_TEST(test_gate_hold_is_acknowledged_once)
{
	struct walker k;
	pthread_t t;
	uint32_t epoch;

	walker_init(&k, false, 1000000000);
	ck_assert_int_eq(pthread_create(&t, NULL, walk, &k), 0);
	await(&k.passed, 1);
	epoch = gate_hold(k.p.g, true);
	ck_assert_uint_ne(epoch, 0);
	/* Holding a held gate is no new hold. */
	ck_assert_uint_eq(gate_hold(k.p.g, true), 0);
	await(&k.parks, 1);
	ck_assert_uint_eq(atomic_load(&k.parked_epoch), epoch);
	int at = atomic_load(&k.passed);
	nap(30);
	ck_assert_int_eq(atomic_load(&k.passed), at);
	gate_grant(k.p.g);
	await(&k.passed, at + 1);
	nap(20);
	ck_assert_int_eq(atomic_load(&k.passed), at + 1);
	ck_assert_int_eq(atomic_load(&k.parks), 1);
	atomic_store(&k.cancel, true);
	gate_kick(k.p.g);
	pthread_join(t, NULL);
	ck_assert_int_eq(atomic_load(&k.cancelled), 1);
}
END_TEST

START_TEST(test_gate_lets_cancel_through)
{
	struct walker k;
	pthread_t t;

	walker_init(&k, true, 10);
	ck_assert_int_eq(pthread_create(&t, NULL, walk, &k), 0);
	nap(20);
	atomic_store(&k.cancel, true);
	gate_kick(k.p.g);
	pthread_join(t, NULL);
	ck_assert_int_eq(atomic_load(&k.cancelled), 1);
	ck_assert_int_eq(atomic_load(&k.passed), 0);
}
END_TEST

START_TEST(test_gate_holds_a_process)
{
	struct gate_pass p = { &shm->gates[5], 0, 0, NULL };
	int status;
	pid_t pid;

	p.acked = gate_init(p.g, true);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int n = 0;
		while (n < 2 && gate_pass(&p, NULL, NULL) == GATE_GRANTED)
			n++;
		_exit(n);
	}
	nap(30);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	gate_grant(p.g);
	nap(30);
	ck_assert_int_eq(waitpid(pid, &status, WNOHANG), 0);
	gate_grant(p.g);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 2);
}
END_TEST

static Suite *
sched_suite(void)
{
	Suite *s = suite_create("sched");
	TCase *tc;

	tc = tcase_create("chooser");
	tcase_add_test(tc, test_splitmix_known_values);
	tcase_add_test(tc, test_pick_same_seed_same_picks);
	tcase_add_test(tc, test_pick_reaches_every_worker);
	suite_add_tcase(s, tc);

	tc = tcase_create("waitfor");
	tcase_add_test(tc, test_cycle_of_two);
	tcase_add_test(tc, test_cycle_of_three);
	tcase_add_test(tc, test_chain_is_no_cycle);
	tcase_add_test(tc, test_chain_into_cycle);
	suite_add_tcase(s, tc);

	tc = tcase_create("gate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_gate_takes_exactly_the_grants);
	tcase_add_test(tc, test_gate_hold_is_acknowledged_once);
	tcase_add_test(tc, test_gate_lets_cancel_through);
	tcase_add_test(tc, test_gate_holds_a_process);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sched_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
