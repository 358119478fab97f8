/*
 * explore.c: the schedule enumerator of explore (see explore.h). A run is
 * a path down a tree whose nodes are choice points and whose branches are
 * the workers enabled there; the path is kept as a stack of points, each
 * with what was enabled, what was chosen, how many preemptions came
 * before it and which branches have been taken from it. A new run replays
 * the stack up to its deepest point with a branch left (the fixed prefix)
 * and then takes the default branch, which never preempts, so a run
 * costs no more preemptions than its prefix. Each schedule within the
 * bound is a distinct path, run once. The worker before a point is the
 * choice at the point before it, so it is not kept twice.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "explore.h"
#include "prng.h"
#include "xmalloc.h"

#define SCHEDULE_COUNT_MAX 1000000   /* steps one run of a short form gives */
#define SCHEDULE_STEPS_MAX 10000000L /* steps a short form gives in all */

/* A choice point of the run under way. */
struct point {
	uint64_t enabled; /* who could step there */
	uint64_t tried;	  /* whose branches have been (or are being) run */
	unsigned pre;	  /* preemptions before it */
};

struct explore {
	uint64_t all; /* a bit for each worker */
	int bound;    /* < 0: none */
	bool random, done;
	uint64_t rng;
	struct point *points; /* the stack, LEN points deep in this run */
	int *chosen;	      /* the choice at each point, beside them */
	size_t len, cap;
	size_t nfixed; /* points the run replays before its defaults */
	unsigned preempts;
	uint64_t runs;
};

struct explore *
explore_new(size_t nworkers, int bound, bool random, uint64_t seed)
{
	struct explore *e;

	if (nworkers == 0 || nworkers > EXPLORE_WORKERS)
		return NULL;
	e = xcalloc(1, sizeof *e);
	e->all = nworkers == 64 ? ~(uint64_t)0 : ((uint64_t)1 << nworkers) - 1;
	e->bound = bound < 0 ? EXPLORE_UNBOUNDED : bound;
	e->random = random;
	e->rng = seed;
	e->runs = 1;
	return e;
}

void
explore_free(struct explore *e)
{
	if (e == NULL)
		return;
	free(e->points);
	free(e->chosen);
	free(e);
}

/* Is choosing W a preemption where PREV stepped last and ENABLED can? */
static bool
preempts(int prev, uint64_t enabled, int w)
{
	return prev >= 0 && prev != w && (enabled >> prev & 1);
}

/* Does a run with PRE preemptions keep within E's bound? */
static bool
within(const struct explore *e, unsigned pre)
{
	return e->bound < 0 || pre <= (unsigned)e->bound;
}

/* Returns the worker that stepped before point I, or -1 at the first. */
static int
prev_of(const struct explore *e, size_t i)
{
	return i == 0 ? -1 : e->chosen[i - 1];
}

/* Returns the Kth (from 0) lowest set bit of MASK, which has more. */
static int
nth_bit(uint64_t mask, size_t k)
{
	while (k-- > 0)
		mask &= mask - 1;
	return __builtin_ctzll(mask);
}

/* Pushes a new point where ENABLED could step and W was chosen. Runs can
 * be long, so the stack grows by doubling. */
static void
push(struct explore *e, uint64_t enabled, int w)
{
	if (e->len == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->points = xrealloc(e->points, e->cap * sizeof *e->points);
		e->chosen = xrealloc(e->chosen, e->cap * sizeof *e->chosen);
	}
	e->points[e->len] = (struct point){
		.enabled = enabled,
		.tried = (uint64_t)1 << w,
		.pre = e->preempts,
	};
	e->chosen[e->len] = w;
	e->len++;
}

int
explore_choose(struct explore *e, uint64_t enabled)
{
	int prev = prev_of(e, e->len), w;

	enabled &= e->all;
	if (enabled == 0 || e->done)
		return -1;
	if (e->len < e->nfixed) {
		/* Replayed as recorded, with the mask first seen there: the
		 * branches tried are counted against it. */
		const struct point *p = &e->points[e->len];
		w = e->chosen[e->len];
		if (!(enabled >> w & 1))
			return -1;
		e->preempts = p->pre + preempts(prev, p->enabled, w);
		e->len++;
		return w;
	}
	if (e->random)
		w = nth_bit(enabled,
			    sched_pick(&e->rng,
				       (size_t)__builtin_popcountll(enabled)));
	else if (prev >= 0 && (enabled >> prev & 1))
		w = prev;
	else
		w = __builtin_ctzll(enabled);
	push(e, enabled, w);
	e->preempts += preempts(prev, enabled, w);
	return w;
}

/* Starts the next run, replaying the first NFIXED points. */
static void
begin(struct explore *e, size_t nfixed)
{
	e->nfixed = nfixed;
	e->len = 0;
	e->preempts = 0;
	e->runs++;
}

bool
explore_next(struct explore *e)
{
	if (e->random) {
		begin(e, 0);
		return true;
	}
	if (e->done)
		return false;
	/* Deepest first, from the last point this run reached: past it the
	 * recorded points are not where this run went. */
	for (size_t i = e->len; i-- > 0;) {
		struct point *p = &e->points[i];
		uint64_t left = p->enabled & ~p->tried;
		int prev = prev_of(e, i);

		while (left != 0) {
			int w = __builtin_ctzll(left);

			left &= left - 1;
			if (!within(e, p->pre + preempts(prev, p->enabled, w)))
				continue;
			p->tried |= (uint64_t)1 << w;
			e->chosen[i] = w;
			begin(e, i + 1);
			return true;
		}
	}
	e->done = true;
	return false;
}

size_t
explore_choices(const struct explore *e, const int **choices)
{
	*choices = e->chosen;
	return e->len;
}

uint64_t
explore_runs(const struct explore *e)
{
	return e->runs;
}

unsigned
explore_preemptions(const struct explore *e)
{
	return e->preempts;
}

void
schedule_format(const int *choices, size_t n, const char *const *names,
		struct buf *out)
{
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && choices[j] == choices[i]; j++)
			;
		if (i > 0)
			buf_puts(out, " ");
		buf_puts(out, names[choices[i]]);
		if (j - i > 1)
			buf_printf(out, "*%zu", j - i);
	}
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A worker's name in weft is letters, digits and underscores. */
static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Returns how many bytes from S to the next blank or the end. */
static size_t
word_len(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0' && !is_blank(s[n]))
		n++;
	return n;
}

/* Puts MSG into ERR (LEN bytes), cut if need be, and frees it. */
static long
fail(struct buf *msg, char *err, size_t len)
{
	if (len > 0)
		snprintf(err, len, "%s", buf_str(msg));
	buf_free(msg);
	return -1;
}

/* Appends "'S'" (N bytes of S, control characters made visible, so the
 * message stays one line) to MSG. */
static void
quote(struct buf *msg, const char *s, size_t n)
{
	buf_puts(msg, "'");
	buf_add_visible(msg, s, n);
	buf_puts(msg, "'");
}

/* Returns the index in NAMES of the N bytes at S, or -1 after saying in
 * MSG that there is none. */
static int
find_name(const char *s, size_t n, const char *const *names, size_t nnames,
	  struct buf *msg)
{
	for (size_t i = 0; i < nnames; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return (int)i;
	buf_puts(msg, "no worker ");
	quote(msg, s, n);
	buf_puts(msg, " in the schedule (workers:");
	for (size_t i = 0; i < nnames; i++)
		buf_printf(msg, "%s %s", i > 0 ? "," : "", names[i]);
	buf_puts(msg, nnames == 0 ? " none)" : ")");
	return -1;
}

/* Reads the "*K" at *P (advanced past it) of the run starting at RUN into
 * *COUNT; false after saying in MSG what is wrong with it. */
static bool
read_count(const char **p, const char *run, long *count, struct buf *msg)
{
	const char *s = *p + 1;
	long k = 0;

	for (; *s >= '0' && *s <= '9'; s++)
		if (k <= SCHEDULE_COUNT_MAX)
			k = 10 * k + (*s - '0');
	if (s == *p + 1 || k < 1 || k > SCHEDULE_COUNT_MAX) {
		buf_puts(msg, "bad count ");
		quote(msg, run, word_len(run));
		buf_printf(msg, ": a count is from 1 to %d",
			   SCHEDULE_COUNT_MAX);
		return false;
	}
	*p = s;
	*count = k;
	return true;
}

/* Says in MSG that the run at RUN has junk from AT on. */
static void
junk(const char *run, const char *at, struct buf *msg)
{
	buf_puts(msg, "unexpected ");
	quote(msg, at, word_len(at));
	buf_puts(msg, " after ");
	quote(msg, run, (size_t)(at - run));
	buf_puts(msg, " in the schedule");
}

/* Reads the run at *P (advanced past it), a name and maybe a count, into
 * worker *W and *COUNT; false after saying in MSG what is wrong with it. */
static bool
read_run(const char **p, const char *const *names, size_t nnames, int *w,
	 long *count, struct buf *msg)
{
	const char *run = *p, *s = run;

	while (is_name_char(*s))
		s++;
	if (s == run) {
		buf_puts(msg, "expected a worker's name, not ");
		quote(msg, run, word_len(run));
		return false;
	}
	if (*s != '\0' && *s != '*' && !is_blank(*s)) {
		junk(run, s, msg);
		return false;
	}
	if ((*w = find_name(run, (size_t)(s - run), names, nnames, msg)) < 0)
		return false;
	*count = 1;
	if (*s == '*' && !read_count(&s, run, count, msg))
		return false;
	if (*s != '\0' && !is_blank(*s)) {
		junk(run, s, msg);
		return false;
	}
	*p = s;
	return true;
}

long
schedule_parse(const char *text, const char *const *names, size_t nnames,
	       int **choices, char *err, size_t len)
{
	struct buf msg = { 0 };
	int *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = text;
	long count;
	int w;

	*choices = NULL;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (!read_run(&p, names, nnames, &w, &count, &msg))
			goto bad;
		if ((long)n + count > SCHEDULE_STEPS_MAX) {
			buf_printf(&msg, "the schedule has more than %ld steps",
				   SCHEDULE_STEPS_MAX);
			goto bad;
		}
		if (n + (size_t)count > cap) {
			while (n + (size_t)count > cap)
				cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof *v);
		}
		for (long k = 0; k < count; k++)
			v[n++] = w;
	}
	if (n == 0) {
		buf_puts(&msg, "the schedule is empty");
		goto bad;
	}
	*choices = v;
	return (long)n;
bad:
	free(v);
	return fail(&msg, err, len);
}
