/*
 * check_explore.c: unit tests of the schedule enumerator (explore.c). A
 * small program model stands in for weft's workers: each worker has a
 * number of steps, and a step may take or let go a lock, so a worker
 * waiting for a lock another holds is not enabled (and two can deadlock).
 * The enumerator is driven over the model to exhaustion; its schedules
 * must be distinct, each a whole interleaving of the model (or one that
 * ends in a deadlock), none with more preemptions than the bound, and
 * exactly the set a plain recursive walk of the model finds. The counts
 * that can be worked out by hand are pinned. Random mode repeats itself
 * from a seed; a replay that the workers do not follow is refused; the
 * short form of a schedule reads back what it wrote, and every malformed
 * one is refused with its reason.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "explore.h"
#include "prng.h"

#define MW 4 /* workers of a model, at most */
#define MS 8 /* steps of a model's worker, at most */
#define ML 4 /* locks of a model */
#define UNB EXPLORE_UNBOUNDED

/* A program: N workers, worker W with steps[W] steps; op[W][K], the lock
 * step K of W takes (L + 1) or lets go (-(L + 1)), or 0. */
struct model {
	int n;
	int steps[MW];
	int op[MW][MS];
};

/* Where a model's run is: steps done by each, and who holds each lock. */
struct state {
	int done[MW];
	int holder[ML];
};

/* Schedules, each a string with a letter per step ('a' for worker 0). */
struct set {
	char **v;
	size_t n, cap;
};

static void
state_init(struct state *s)
{
	memset(s, 0, sizeof *s);
	for (int l = 0; l < ML; l++)
		s->holder[l] = -1;
}

/* Returns the bit mask of the workers of M that can step in S. */
static uint64_t
enabled_of(const struct model *m, const struct state *s)
{
	uint64_t mask = 0;

	for (int w = 0; w < m->n; w++) {
		if (s->done[w] == m->steps[w])
			continue;
		int op = m->op[w][s->done[w]];
		if (op > 0 && s->holder[op - 1] >= 0)
			continue;
		mask |= (uint64_t)1 << w;
	}
	return mask;
}

/* Steps worker W (enabled) of M in S. */
static void
step(const struct model *m, struct state *s, int w)
{
	int op = m->op[w][s->done[w]++];

	if (op > 0)
		s->holder[op - 1] = w;
	else if (op < 0)
		s->holder[-op - 1] = -1;
}

/* Is choosing W where PREV stepped last and MASK can step a preemption? */
static bool
is_preemption(int prev, uint64_t mask, int w)
{
	return prev >= 0 && prev != w && (mask >> prev & 1);
}

static void
set_add(struct set *set, const char *key)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 64;
		set->v = realloc(set->v, set->cap * sizeof *set->v);
		ck_assert_ptr_nonnull(set->v);
	}
	set->v[set->n++] = strdup(key);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
set_sort(struct set *set)
{
	qsort(set->v, set->n, sizeof *set->v, by_string);
}

static bool
set_has(const struct set *set, const char *key)
{
	return bsearch(&key, set->v, set->n, sizeof *set->v, by_string) != NULL;
}

static void
set_free(struct set *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof *set);
}

/* Replays KEY on M from the start: every choice must be enabled where it
 * is made, and the run must go as far as it can (all done, or nobody
 * enabled: a deadlock). Returns its preemptions; *DEADLOCK says whether
 * it ended with workers left. */
static unsigned
check_valid(const struct model *m, const char *key, bool *deadlock)
{
	struct state s;
	unsigned pre = 0;
	int prev = -1;

	state_init(&s);
	for (const char *p = key; *p != '\0'; p++) {
		uint64_t mask = enabled_of(m, &s);
		int w = *p - 'a';
		ck_assert_msg(w >= 0 && w < m->n && (mask >> w & 1),
			      "'%s': step %zu not enabled", key,
			      (size_t)(p - key));
		pre += is_preemption(prev, mask, w);
		step(m, &s, w);
		prev = w;
	}
	ck_assert_msg(enabled_of(m, &s) == 0, "'%s' stops short", key);
	*deadlock = false;
	for (int w = 0; w < m->n; w++)
		if (s.done[w] < m->steps[w])
			*deadlock = true;
	return pre;
}

/* Runs M once under E and returns the schedule (KEY, room for it); the
 * enumerator's record of the run must be the same. */
static void
drive(struct explore *e, const struct model *m, char *key)
{
	struct state s;
	const int *choices;
	unsigned pre = 0;
	size_t n = 0;
	int prev = -1;

	state_init(&s);
	for (uint64_t mask; (mask = enabled_of(m, &s)) != 0;) {
		int w = explore_choose(e, mask);
		ck_assert_msg(w >= 0 && (mask >> w & 1),
			      "chose %d of mask %#llx", w,
			      (unsigned long long)mask);
		pre += is_preemption(prev, mask, w);
		step(m, &s, w);
		key[n++] = (char)('a' + w);
		prev = w;
	}
	key[n] = '\0';
	ck_assert_uint_eq(explore_choices(e, &choices), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(choices[i], key[i] - 'a');
	ck_assert_uint_eq(explore_preemptions(e), pre);
}

/* Enumerates M's schedules with at most BOUND preemptions into SET
 * (sorted); checks they are distinct, valid and within the bound, and
 * that the runs counted are the runs made. Returns how many. */
static size_t
exhaust(const struct model *m, int bound, struct set *set)
{
	struct explore *e = explore_new((size_t)m->n, bound, false, 0);
	char key[MW * MS + 1];

	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(explore_runs(e), 1);
	do {
		ck_assert_uint_eq(explore_runs(e), set->n + 1);
		drive(e, m, key);
		set_add(set, key);
	} while (explore_next(e));
	ck_assert_uint_eq(explore_runs(e), set->n);
	ck_assert(!explore_next(e));
	ck_assert_uint_eq(explore_runs(e), set->n);
	explore_free(e);

	set_sort(set);
	for (size_t i = 0; i < set->n; i++) {
		bool dead;
		unsigned pre = check_valid(m, set->v[i], &dead);
		if (bound != UNB)
			ck_assert_uint_le(pre, (unsigned)bound);
		if (i > 0)
			ck_assert_msg(strcmp(set->v[i - 1], set->v[i]) != 0,
				      "'%s' run twice", set->v[i]);
	}
	return set->n;
}

/* Returns how many schedules of M there are with at most BOUND
 * preemptions, counted by exhaust and freed. */
static size_t
count(const struct model *m, int bound)
{
	struct set set = { 0 };
	size_t n = exhaust(m, bound, &set);

	set_free(&set);
	return n;
}

/* The reference: every maximal run of M from S within BOUND, found by
 * recursion, into SET. */
static void
walk(const struct model *m, const struct state *s, int prev, unsigned pre,
     int bound, char *key, size_t depth, struct set *set)
{
	uint64_t mask = enabled_of(m, s);

	if (mask == 0) {
		key[depth] = '\0';
		set_add(set, key);
		return;
	}
	for (int w = 0; w < m->n; w++) {
		if (!(mask >> w & 1))
			continue;
		unsigned p = pre + is_preemption(prev, mask, w);
		if (bound != UNB && p > (unsigned)bound)
			continue;
		struct state t = *s;
		step(m, &t, w);
		key[depth] = (char)('a' + w);
		walk(m, &t, w, p, bound, key, depth + 1, set);
	}
}

/* A model of workers that never block, with the steps given. */
static struct model
plain(int n, const int *steps)
{
	struct model m = { .n = n };

	for (int w = 0; w < n; w++)
		m.steps[w] = steps[w];
	return m;
}

static struct model
two(int k, int m)
{
	return plain(2, (int[]){ k, m });
}

static unsigned long
binomial(int n, int k)
{
	unsigned long r = 1;

	if (k < 0 || k > n)
		return 0;
	for (int i = 1; i <= k; i++)
		r = r * (unsigned long)(n - k + i) / (unsigned long)i;
	return r;
}

/* Schedules of two workers that never block, of K and M steps, with at
 * most BOUND preemptions. A schedule of R runs (maximal stretches of one
 * worker) alternates the two; every switch but the last leaves a worker
 * that comes back, so with steps left: a preemption. The last switch
 * leaves one that has ended. So it has R - 2 preemptions. With R = 2J
 * runs each worker has J of them (C(K-1, J-1) ways to cut K steps in J
 * runs), either one first; with R = 2J + 1 the first worker has J + 1. */
static unsigned long
two_within(int k, int m, int bound)
{
	unsigned long n = 0;

	for (int r = 2; r <= k + m && (bound == UNB || r - 2 <= bound); r++) {
		int j = r / 2;
		if (r % 2 == 0)
			n += 2 * binomial(k - 1, j - 1) *
			     binomial(m - 1, j - 1);
		else
			n += binomial(k - 1, j) * binomial(m - 1, j - 1) +
			     binomial(k - 1, j - 1) * binomial(m - 1, j);
	}
	return n;
}

/* Two workers taking locks 0 and 1 in opposite orders. */
static struct model
crossed(void)
{
	return (struct model){
		.n = 2,
		.steps = { 4, 4 },
		.op = { { 1, 2, -2, -1 }, { 2, 1, -1, -2 } },
	};
}

/* Bound 0: each worker runs to its end once chosen, so two workers give
 * their 2 orders, whatever their lengths. */
START_TEST(test_bound0_two)
{
	for (int k = 1; k <= 5; k++) {
		struct model m = two(k, k + 1);
		struct set set = { 0 };
		char a[16], b[16];

		ck_assert_uint_eq(exhaust(&m, 0, &set), 2);
		memset(a, 'a', (size_t)k);
		memset(a + k, 'b', (size_t)k + 1);
		a[2 * k + 1] = '\0';
		memset(b, 'b', (size_t)k + 1);
		memset(b + k + 1, 'a', (size_t)k);
		b[2 * k + 1] = '\0';
		ck_assert_str_eq(set.v[0], a);
		ck_assert_str_eq(set.v[1], b);
		set_free(&set);
	}
}
END_TEST

/* No bound: every interleaving, C(6, 3) = 20 of 3 and 3 steps, and
 * C(k + m, k) of k and m. */
START_TEST(test_unbounded_two)
{
	struct model m = two(3, 3);

	ck_assert_uint_eq(count(&m, UNB), 20);
	for (int k = 1; k <= 5; k++)
		for (int j = 1; j <= 5; j++) {
			m = two(k, j);
			ck_assert_uint_eq(count(&m, UNB), binomial(k + j, k));
		}
}
END_TEST

/* Three workers of one step: 3! orders, with no bound and with bound 0
 * (no switch can preempt: each worker has ended when left). Three of two
 * steps with bound 0: each runs whole once begun, so again 3! orders. */
START_TEST(test_three)
{
	struct model m = plain(3, (int[]){ 1, 1, 1 });

	ck_assert_uint_eq(count(&m, UNB), 6);
	ck_assert_uint_eq(count(&m, 0), 6);
	m = plain(3, (int[]){ 2, 2, 2 });
	ck_assert_uint_eq(count(&m, 0), 6);
	/* Unbounded: 6! / (2! 2! 2!) = 90. */
	ck_assert_uint_eq(count(&m, UNB), 90);
}
END_TEST

/* Two workers of 3 steps with bound 1. By two_within's reasoning a
 * schedule has (runs - 2) preemptions, so at most 3 runs: with 2 runs,
 * aaabbb and bbbaaa; with 3 runs x y x, the first worker's 3 steps cut in
 * two (2 ways: 1+2, 2+1), either worker first: 4. So 6 in all: aaabbb,
 * bbbaaa, abbbaa, aabbba, baaabb, bbaaab. Bounds 2, 3 and 4 add the
 * schedules of 4, 5 and 6 runs: 2 * 2 * 2 = 8 (14), 2 * 1 * 2 = 4 (18),
 * 2 * 1 * 1 = 2 (20, all of them). */
START_TEST(test_bound1_two)
{
	static const char *const six[] = { "aaabbb", "aabbba", "abbbaa",
					   "baaabb", "bbaaab", "bbbaaa" };
	static const size_t by_bound[] = { 2, 6, 14, 18, 20, 20 };
	struct model m = two(3, 3);
	struct set set = { 0 };

	ck_assert_uint_eq(exhaust(&m, 1, &set), 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(set.v[i], six[i]);
	set_free(&set);
	for (int b = 0; b < 6; b++)
		ck_assert_uint_eq(count(&m, b), by_bound[b]);
	/* And the formula, which these figures check, for other lengths. */
	for (int k = 1; k <= 5; k++)
		for (int j = 1; j <= 5; j++)
			for (int b = 0; b <= 4; b++) {
				m = two(k, j);
				ck_assert_uint_eq(count(&m, b),
						  two_within(k, j, b));
			}
}
END_TEST

/* The models compared with the reference walk. */
static struct model
sample(int i)
{
	switch (i) {
	case 0: return two(3, 3);
	case 1: return plain(3, (int[]){ 2, 2, 2 });
	case 2: return plain(3, (int[]){ 3, 1, 2 });
	case 3:
		/* a and c share a lock; b never blocks. */
		return (struct model){
			.n = 3,
			.steps = { 3, 2, 3 },
			.op = { { 1, 0, -1 }, { 0, 0 }, { 0, 1, -1 } },
		};
	case 4: return crossed();
	default:
		/* Three philosophers, each taking its left lock, then its
		 * right: a cycle that can deadlock with all three waiting. */
		return (struct model){
			.n = 3,
			.steps = { 4, 4, 4 },
			.op = { { 1, 2, -2, -1 },
				{ 2, 3, -3, -2 },
				{ 3, 1, -1, -3 } },
		};
	}
}
#define NSAMPLES 6

/* For each model and bound: the enumerator's schedules are exactly the
 * reference's, and the set with bound K is in the set with bound K + 1. */
START_TEST(test_reference)
{
	struct model m = sample(_i);
	struct set prev = { 0 };
	char key[MW * MS + 1];
	struct state s;

	state_init(&s);
	for (int b = 0; b <= 5; b++) {
		int bound = b == 5 ? UNB : b;
		struct set got = { 0 }, want = { 0 };

		exhaust(&m, bound, &got);
		walk(&m, &s, -1, 0, bound, key, 0, &want);
		set_sort(&want);
		ck_assert_uint_eq(got.n, want.n);
		for (size_t i = 0; i < got.n; i++)
			ck_assert_str_eq(got.v[i], want.v[i]);
		for (size_t i = 0; i < prev.n; i++)
			ck_assert_msg(set_has(&got, prev.v[i]),
				      "'%s' lost with bound %d", prev.v[i],
				      bound);
		ck_assert_uint_ge(got.n, prev.n);
		set_free(&prev);
		prev = got;
		set_free(&want);
	}
	set_free(&prev);
}
END_TEST

/* Returns how many of SET's schedules of M end in a deadlock. */
static size_t
deadlocks(const struct model *m, const struct set *set)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++) {
		bool dead;
		check_valid(m, set->v[i], &dead);
		n += dead;
	}
	return n;
}

/* Two workers, a taking locks 0 then 1 and b 1 then 0, each letting go
 * in reverse order, 4 steps each. Once both have taken their first lock
 * neither can step: "ab" and "ba" deadlock. Otherwise one takes both
 * locks first; say a: then b cannot start until a lets go of lock 1
 * (aaa), and cannot take lock 0 until a has ended, so after aaa either
 * a ends (aaaabbbb) or b takes lock 1 and waits (aaababbb). Mirrored for
 * b: 6 schedules, 2 of them deadlocks. The deadlocks and aaababbb need a
 * preemption (a could go on when b is chosen), so bound 0 gives only the
 * 2 serial runs and no deadlock, and bound 1 all 6. */
START_TEST(test_deadlock)
{
	struct model m = crossed();
	struct set set = { 0 };
	static const char *const all[] = { "aaaabbbb", "aaababbb", "ab",
					   "ba",       "bbbabaaa", "bbbbaaaa" };

	ck_assert_uint_eq(exhaust(&m, UNB, &set), 6);
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(set.v[i], all[i]);
	ck_assert_uint_eq(deadlocks(&m, &set), 2);
	set_free(&set);
	ck_assert_uint_eq(exhaust(&m, 0, &set), 2);
	ck_assert_uint_eq(deadlocks(&m, &set), 0);
	set_free(&set);
	ck_assert_uint_eq(exhaust(&m, 1, &set), 6);
	ck_assert_uint_eq(deadlocks(&m, &set), 2);
	set_free(&set);
	/* The philosophers: a deadlock with all three holding a lock. */
	m = sample(NSAMPLES - 1);
	exhaust(&m, UNB, &set);
	ck_assert(set_has(&set, "abc"));
	ck_assert_uint_gt(deadlocks(&m, &set), 0);
	set_free(&set);
}
END_TEST

/* A fixed choice the workers do not offer is refused with -1, which
 * changes nothing; a run that stops short of its fixed choices gives up
 * the schedules past where it stopped. */
START_TEST(test_not_followed)
{
	struct explore *e = explore_new(2, UNB, false, 0);
	const int *choices;

	ck_assert_int_eq(explore_choose(e, 0), -1);
	ck_assert_int_eq(explore_choose(e, 0x3), 0);
	ck_assert_int_eq(explore_choose(e, 0x3), 0);
	ck_assert_int_eq(explore_choose(e, 0x2), 1);
	/* Backtracking: the last point offered only b; the one before it,
	 * b instead of a, a preemption. */
	ck_assert(explore_next(e));
	ck_assert_uint_eq(explore_runs(e), 2);
	ck_assert_int_eq(explore_choose(e, 0x2), -1);
	ck_assert_uint_eq(explore_choices(e, &choices), 0);
	ck_assert_int_eq(explore_choose(e, 0x1), 0);
	ck_assert_int_eq(explore_choose(e, 0x1), -1);
	ck_assert_uint_eq(explore_choices(e, &choices), 1);
	ck_assert_uint_eq(explore_preemptions(e), 0);
	ck_assert_int_eq(explore_choose(e, 0x3), 1);
	ck_assert_uint_eq(explore_preemptions(e), 1);
	ck_assert_int_eq(explore_choose(e, 0x1), 0);
	ck_assert_uint_eq(explore_choices(e, &choices), 3);
	ck_assert_int_eq(choices[0], 0);
	ck_assert_int_eq(choices[1], 1);
	ck_assert_int_eq(choices[2], 0);
	/* Third run: b first; it is not offered, and the run ends there, so
	 * nothing is left to try. */
	ck_assert(explore_next(e));
	ck_assert_int_eq(explore_choose(e, 0x1), -1);
	ck_assert(!explore_next(e));
	ck_assert_uint_eq(explore_runs(e), 3);
	ck_assert_int_eq(explore_choose(e, 0x3), -1);
	explore_free(e);

	/* Three workers: after a a, the second point is to try b, then c;
	 * the run that does not offer b stops there, and c's branch at that
	 * point goes with it: next comes b at the first point. */
	e = explore_new(3, UNB, false, 0);
	ck_assert_int_eq(explore_choose(e, 0x7), 0);
	ck_assert_int_eq(explore_choose(e, 0x7), 0);
	ck_assert(explore_next(e));
	ck_assert_int_eq(explore_choose(e, 0x7), 0);
	ck_assert_int_eq(explore_choose(e, 0x5), -1);
	ck_assert(explore_next(e));
	ck_assert_int_eq(explore_choose(e, 0x7), 1);
	explore_free(e);

	/* Bits of no worker are not choices. */
	e = explore_new(2, UNB, false, 0);
	ck_assert_int_eq(explore_choose(e, 0x4), -1);
	ck_assert_int_eq(explore_choose(e, 0x6), 1);
	explore_free(e);
	ck_assert_ptr_null(explore_new(0, 0, false, 0));
	ck_assert_ptr_null(explore_new(EXPLORE_WORKERS + 1, 0, false, 0));
	e = explore_new(EXPLORE_WORKERS, 0, false, 0);
	ck_assert_int_eq(explore_choose(e, (uint64_t)1 << 63), 63);
	explore_free(e);
}
END_TEST

#define RANDOM_RUNS 2000

/* Runs M RANDOM_RUNS times at random from SEED into SET (unsorted). */
static void
random_runs(const struct model *m, uint64_t seed, struct set *set)
{
	struct explore *e = explore_new((size_t)m->n, UNB, true, seed);
	char key[MW * MS + 1];

	for (size_t i = 0; i < RANDOM_RUNS; i++) {
		ck_assert_uint_eq(explore_runs(e), i + 1);
		drive(e, m, key);
		set_add(set, key);
		ck_assert(explore_next(e));
	}
	explore_free(e);
}

/* Random mode: the same seed, the same runs; every run valid; each choice
 * sched_pick's among the enabled, in ascending order; and over many runs
 * every schedule comes up. */
START_TEST(test_random)
{
	struct model m = sample(_i);
	struct set a = { 0 }, b = { 0 }, c = { 0 }, all = { 0 };
	size_t seen = 0;

	random_runs(&m, 7, &a);
	random_runs(&m, 7, &b);
	random_runs(&m, 8, &c);
	bool differ = false;
	for (size_t i = 0; i < RANDOM_RUNS; i++) {
		bool dead;
		ck_assert_str_eq(a.v[i], b.v[i]);
		differ |= strcmp(a.v[i], c.v[i]) != 0;
		check_valid(&m, a.v[i], &dead);
	}
	ck_assert(differ);
	exhaust(&m, UNB, &all);
	set_sort(&a);
	for (size_t i = 0; i < all.n; i++)
		seen += set_has(&a, all.v[i]);
	if (all.n <= 100)
		ck_assert_uint_eq(seen, all.n);
	set_free(&a);
	set_free(&b);
	set_free(&c);
	set_free(&all);
}
END_TEST

/* The draws are sched_pick's from a state that starts at the seed. */
START_TEST(test_random_draws)
{
	struct explore *e = explore_new(5, 0, true, 42);
	uint64_t state = 42;
	static const uint64_t masks[] = { 0x1f, 0x15, 0x2, 0x18, 0x1f };

	for (int run = 0; run < 3; run++) {
		for (size_t i = 0; i < 5; i++) {
			uint64_t mask = masks[i];
			size_t k = sched_pick(
				&state, (size_t)__builtin_popcountll(mask));
			while (k-- > 0)
				mask &= mask - 1;
			ck_assert_int_eq(explore_choose(e, masks[i]),
					 __builtin_ctzll(mask));
		}
		ck_assert(explore_next(e));
	}
	explore_free(e);
}
END_TEST

/* A long run: two workers of 30000 steps, 60000 choice points. */
START_TEST(test_long)
{
	enum { K = 30000 };
	struct explore *e = explore_new(2, 0, false, 0);
	const int *choices;
	int order[2];

	for (int run = 0; run < 2; run++) {
		int left[2] = { K, K };
		uint64_t mask = 0x3;
		while (mask != 0) {
			int w = explore_choose(e, mask);
			ck_assert_int_ge(w, 0);
			if (--left[w] == 0)
				mask &= ~((uint64_t)1 << w);
		}
		ck_assert_uint_eq(explore_choices(e, &choices), 2 * K);
		order[run] = choices[0];
		ck_assert_int_eq(choices[K - 1], choices[0]);
		ck_assert_int_ne(choices[K], choices[0]);
		ck_assert_uint_eq(explore_next(e), run == 0);
	}
	ck_assert_int_ne(order[0], order[1]);
	explore_free(e);
}
END_TEST

static const char *const names[] = { "t1", "t2", "worker_3" };

/* Parses TEXT, which must be good, into the worker letters. */
static void
parse_ok(const char *text, const char *want)
{
	char err[128] = "";
	int *v;
	long n = schedule_parse(text, names, 3, &v, err, sizeof err);

	ck_assert_msg(n >= 0, "'%s': %s", text, err);
	ck_assert_uint_eq((size_t)n, strlen(want));
	for (long i = 0; i < n; i++)
		ck_assert_int_eq(v[i], want[i] - 'a');
	free(v);
}

/* Formats the worker letters KEY, which must give TEXT. */
static void
format_is(const char *key, const char *text)
{
	struct buf out = { 0 };
	int v[64];
	size_t n = strlen(key);

	for (size_t i = 0; i < n; i++)
		v[i] = key[i] - 'a';
	schedule_format(v, n, names, &out);
	ck_assert_str_eq(buf_str(&out), text);
	buf_free(&out);
}

START_TEST(test_format_parse)
{
	static const char *const canon[][2] = {
		{ "t1*2 t2 t1 t2*3", "aababbb" },
		{ "t1", "a" },
		{ "worker_3*3", "ccc" },
		{ "t2 t1 worker_3 t1", "baca" },
	};
	struct buf out = { 0 };
	uint64_t rng = 1;

	format_is("", "");
	for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
		parse_ok(canon[i][0], canon[i][1]);
		format_is(canon[i][1], canon[i][0]);
	}
	/* Not canonical, but read: blanks and tabs, a count of 1, a worker
	 * named twice in a row. */
	parse_ok(" \tt1\t t2*1  t2 ", "abb");
	format_is("abb", "t1 t2*2");
	/* parse(format(c)) == c for drawn schedules. */
	for (int round = 0; round < 50; round++) {
		int v[40], *back;
		size_t n = 1 + sched_pick(&rng, 40);
		char err[128];
		for (size_t i = 0; i < n; i++)
			v[i] = (int)sched_pick(&rng, 3);
		buf_reset(&out);
		schedule_format(v, n, names, &out);
		long got = schedule_parse(buf_str(&out), names, 3, &back, err,
					  sizeof err);
		ck_assert_int_eq(got, (long)n);
		ck_assert_mem_eq(v, back, n * sizeof *v);
		free(back);
	}
	buf_free(&out);
	/* The largest count. */
	int *v;
	char err[8];
	ck_assert_int_eq(
		schedule_parse("t2*1000000", names, 3, &v, err, sizeof err),
		1000000);
	ck_assert_int_eq(v[999999], 1);
	free(v);
}
END_TEST

/* Each malformed schedule, and its message. */
static const char *const bad[][2] = {
	{ "", "the schedule is empty" },
	{ " \t ", "the schedule is empty" },
	{ "t1 x", "no worker 'x' in the schedule (workers: t1, t2, worker_3)" },
	{ "T1", "no worker 'T1' in the schedule (workers: t1, t2, worker_3)" },
	{ "t1*0", "bad count 't1*0': a count is from 1 to 1000000" },
	{ "t1* t2", "bad count 't1*': a count is from 1 to 1000000" },
	{ "t1*x", "bad count 't1*x': a count is from 1 to 1000000" },
	{ "t1*-1", "bad count 't1*-1': a count is from 1 to 1000000" },
	{ "t1*2000000",
	  "bad count 't1*2000000': a count is from 1 to 1000000" },
	{ "t1*99999999999999999999",
	  "bad count 't1*99999999999999999999': a count is from 1 to 1000000" },
	{ "t1;t2", "unexpected ';t2' after 't1' in the schedule" },
	{ "t1*2x t2", "unexpected 'x' after 't1*2' in the schedule" },
	{ "t2*3*3", "unexpected '*3' after 't2*3' in the schedule" },
	{ "t1\n", "unexpected '^J' after 't1' in the schedule" },
	{ "*3", "expected a worker's name, not '*3'" },
	{ "t1 ,", "expected a worker's name, not ','" },
};

START_TEST(test_parse_errors)
{
	char err[128];
	int *v = (int *)&err;
	long n = schedule_parse(bad[_i][0], names, 3, &v, err, sizeof err);

	ck_assert_int_eq(n, -1);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(err, bad[_i][1]);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

/* A short ERR holds what fits; too many steps in all are refused. */
START_TEST(test_parse_limits)
{
	struct buf text = { 0 };
	char err[8];
	int *v;

	ck_assert_int_eq(schedule_parse("x", names, 3, &v, err, sizeof err),
			 -1);
	ck_assert_str_eq(err, "no work");
	for (int i = 0; i < 10; i++)
		buf_puts(&text, "t1*1000000 ");
	ck_assert_int_eq(
		schedule_parse(buf_str(&text), names, 3, &v, err, sizeof err),
		10000000);
	free(v);
	char big[128];
	buf_puts(&text, "t2");
	ck_assert_int_eq(
		schedule_parse(buf_str(&text), names, 3, &v, big, sizeof big),
		-1);
	ck_assert_str_eq(big, "the schedule has more than 10000000 steps");
	buf_free(&text);
}
END_TEST

static Suite *
explore_suite(void)
{
	Suite *s = suite_create("explore");
	TCase *tc = tcase_create("enumerate");
	TCase *tf = tcase_create("short form");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_bound0_two);
	tcase_add_test(tc, test_unbounded_two);
	tcase_add_test(tc, test_three);
	tcase_add_test(tc, test_bound1_two);
	tcase_add_loop_test(tc, test_reference, 0, NSAMPLES);
	tcase_add_test(tc, test_deadlock);
	tcase_add_test(tc, test_not_followed);
	tcase_add_loop_test(tc, test_random, 0, NSAMPLES);
	tcase_add_test(tc, test_random_draws);
	tcase_add_test(tc, test_long);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tf, 60);
	tcase_add_test(tf, test_format_parse);
	tcase_add_loop_test(tf, test_parse_errors, 0,
			    sizeof bad / sizeof bad[0]);
	tcase_add_test(tf, test_parse_limits);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(explore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
