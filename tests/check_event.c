/*
 * check_event.c: unit tests of the event queue. A record posted to a ring
 * comes out of a drain the same, header and text, also when it wraps
 * around the ring's end; long text is split into records that each fit;
 * a full ring makes its writer wait, and nothing is lost; many threads, or
 * a forked child, writing at once deliver every record exactly once and
 * each writer's records in order; records of different writers come out in
 * the order they were posted; a number taken and never published does not
 * stop the queue; the doorbell rings only while the reader sleeps.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event.h"

/* Records collected from a drain, each with its own copy of the text. */
struct rec {
	struct ev_hdr h;
	char *text;
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static void
collect(const struct event *ev, void *arg)
{
	struct recs *rs = arg;
	struct rec *r;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 16;
		rs->v = realloc(rs->v, rs->cap * sizeof *rs->v);
		ck_assert_ptr_nonnull(rs->v);
	}
	r = &rs->v[rs->n++];
	r->h = ev->h;
	r->text = malloc(ev->h.len + 1);
	ck_assert_ptr_nonnull(r->text);
	memcpy(r->text, ev->text, ev->h.len);
	r->text[ev->h.len] = '\0';
}

static void
recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].text);
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

/* A queue with one ring, and that ring's sink. */
struct one {
	struct evq q;
	struct ev_ring *r;
	struct ev_sink k;
};

static void
one_open(struct one *o)
{
	ck_assert_int_eq(evq_open(&o->q), 0);
	o->r = evq_attach(&o->q);
	ck_assert_ptr_nonnull(o->r);
	o->k = evq_sink(&o->q, o->r);
}

START_TEST(test_round_trip)
{
	struct ev_hdr h = { .type = EV_OUTPUT,
			    .worker = 42,
			    .t_ns = 123456789012345ull,
			    .step = 77,
			    .a = -5,
			    .b = 1ll << 50 };
	struct recs rs = { 0 };
	uint32_t seq = 7;
	struct one o;

	one_open(&o);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, "hello", 5), 0);
	ck_assert_uint_eq(seq, 8);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 1);
	ck_assert_uint_eq(rs.n, 1);
	ck_assert_uint_eq(rs.v[0].h.type, EV_OUTPUT);
	ck_assert_uint_eq(rs.v[0].h.flags, 0);
	ck_assert_uint_eq(rs.v[0].h.worker, 42);
	ck_assert_uint_eq(rs.v[0].h.seq, 7);
	ck_assert_uint_eq(rs.v[0].h.order, 0);
	ck_assert_uint_eq(rs.v[0].h.t_ns, 123456789012345ull);
	ck_assert_uint_eq(rs.v[0].h.step, 77);
	ck_assert_int_eq(rs.v[0].h.a, -5);
	ck_assert_int_eq(rs.v[0].h.b, 1ll << 50);
	ck_assert_uint_eq(rs.v[0].h.len, 5);
	ck_assert_str_eq(rs.v[0].text, "hello");
	/* Drained: nothing more. */
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 0);
	ck_assert_int_eq(evq_sleep(&o.q), -1);
	recs_free(&rs);
	evq_close(&o.q, true);
}
END_TEST

START_TEST(test_splits_long_text)
{
	enum { LEN = 10000 };
	size_t nrec = (LEN + EV_MAX_TEXT - 1) / EV_MAX_TEXT;
	static char text[LEN];
	struct ev_hdr h = { .type = EV_OUTPUT, .worker = 3, .a = 11 };
	struct recs rs = { 0 };
	uint32_t seq = 5;
	size_t off = 0;
	struct one o;

	for (size_t i = 0; i < LEN; i++)
		text[i] = (char)(' ' + i % 95);
	one_open(&o);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, text, LEN), 0);
	ck_assert_uint_eq(seq, 5 + nrec);
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), (int)nrec);
	for (size_t i = 0; i < nrec; i++) {
		const struct ev_hdr *r = &rs.v[i].h;
		bool last = i == nrec - 1;
		ck_assert_uint_le(EV_HDR_SIZE + r->len, EV_MAX_RECORD);
		ck_assert_uint_eq(r->len, last ? LEN - off : EV_MAX_TEXT);
		ck_assert_uint_eq(r->flags, last ? 0 : EV_F_MORE);
		ck_assert_uint_eq(r->seq, 5 + i);
		ck_assert_uint_eq(r->order, i);
		ck_assert_int_eq(r->a, 11);
		ck_assert(memcmp(rs.v[i].text, text + off, r->len) == 0);
		off += r->len;
	}
	ck_assert_uint_eq(off, LEN);
	recs_free(&rs);
	evq_close(&o.q, true);
}
END_TEST

START_TEST(test_empty_and_exactly_max)
{
	static char text[EV_MAX_TEXT + 1];
	struct ev_hdr h = { .type = EV_END, .flags = EV_F_CANCELLED };
	struct recs rs = { 0 };
	uint32_t seq = 0;
	struct one o;

	memset(text, 'q', sizeof text);
	one_open(&o);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, NULL, 0), 0);
	/* Exactly EV_MAX_TEXT fits one record; one byte more needs two,
	 * and the caller's flags go on both. */
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, text, EV_MAX_TEXT), 0);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, text, EV_MAX_TEXT + 1), 0);
	ck_assert_uint_eq(seq, 4);
	ck_assert_uint_eq(h.flags, EV_F_CANCELLED);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 4);
	ck_assert_uint_eq(rs.v[0].h.len, 0);
	ck_assert_uint_eq(rs.v[1].h.len, EV_MAX_TEXT);
	ck_assert_uint_eq(rs.v[1].h.flags, EV_F_CANCELLED);
	ck_assert_uint_eq(rs.v[2].h.len, EV_MAX_TEXT);
	ck_assert_uint_eq(rs.v[2].h.flags, EV_F_CANCELLED | EV_F_MORE);
	ck_assert_uint_eq(rs.v[3].h.len, 1);
	ck_assert_uint_eq(rs.v[3].h.flags, EV_F_CANCELLED);
	recs_free(&rs);
	evq_close(&o.q, true);
}
END_TEST

/* Records of sizes that do not divide the ring come back intact however
 * they straddle its end, the reader keeping up record by record. */
START_TEST(test_wraps_around)
{
	static char text[EV_MAX_TEXT];
	struct ev_hdr h = { .type = EV_OUTPUT };
	uint32_t seq = 0;
	size_t total = 0;
	struct one o;

	for (size_t i = 0; i < sizeof text; i++)
		text[i] = (char)('a' + i % 26);
	one_open(&o);
	for (int i = 0; total < 4 * EV_RING_SIZE; i++) {
		struct recs rs = { 0 };
		size_t len = (size_t)(i * 613) % EV_MAX_TEXT;
		h.a = i;
		ck_assert_int_eq(ev_post(&o.k, &h, &seq, text + i % 7,
					 len > 7 ? len - 7 : len),
				 0);
		ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 1);
		ck_assert_int_eq(rs.v[0].h.a, i);
		ck_assert_uint_eq(rs.v[0].h.len, len > 7 ? len - 7 : len);
		ck_assert(memcmp(rs.v[0].text, text + i % 7, rs.v[0].h.len) ==
			  0);
		total += EV_HDR_SIZE + len;
		recs_free(&rs);
	}
	evq_close(&o.q, true);
}
END_TEST

START_TEST(test_malformed)
{
	struct ev_hdr h = { .type = EV_TYPE_MAX };
	struct recs rs = { 0 };
	uint32_t seq = 0;
	struct one o;

	one_open(&o);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, "x", 1), 0);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), -1);
	ck_assert_uint_eq(rs.n, 0);
	evq_close(&o.q, true);
}
END_TEST

START_TEST(test_open_flags)
{
	struct evq q;

	ck_assert_int_eq(evq_open(&q), 0);
	ck_assert(fcntl(q.rfd, F_GETFL) & O_NONBLOCK);
	ck_assert(fcntl(q.rfd, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(q.wfd, F_GETFD) & FD_CLOEXEC);
	/* Nothing attached, nothing queued: a drain returns at once. */
	ck_assert_int_eq(evq_drain(&q, collect, NULL), 0);
	ck_assert_int_eq(evq_sleep(&q), -1);
	evq_wake(&q, false);
	evq_close(&q, true);
}
END_TEST

static bool
bell_rang(const struct evq *q)
{
	struct pollfd p = { q->rfd, POLLIN, 0 };

	return poll(&p, 1, 0) == 1;
}

START_TEST(test_bell_only_while_asleep)
{
	struct ev_hdr h = { .type = EV_OUTPUT };
	struct recs rs = { 0 };
	uint32_t seq = 0;
	struct one o;

	one_open(&o);
	/* Awake: a post makes no system call, the doorbell stays quiet. */
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, "a", 1), 0);
	ck_assert(!bell_rang(&o.q));
	/* Records are waiting: the reader must not sleep. */
	ck_assert_int_eq(evq_sleep(&o.q), 0);
	evq_wake(&o.q, false);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 1);
	/* Asleep: the next post rings, once. */
	ck_assert_int_eq(evq_sleep(&o.q), -1);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, "b", 1), 0);
	ck_assert(bell_rang(&o.q));
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, "c", 1), 0);
	evq_wake(&o.q, true);
	ck_assert(!bell_rang(&o.q));
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 2);
	ck_assert_str_eq(rs.v[2].text, "c");
	recs_free(&rs);
	evq_close(&o.q, true);
}
END_TEST

/* A ring given back and handed out again starts empty. */
START_TEST(test_detach_and_reuse)
{
	struct ev_hdr h = { .type = EV_OUTPUT };
	struct recs rs = { 0 };
	uint32_t seq = 0;
	struct one o;
	struct ev_ring *again;

	one_open(&o);
	ck_assert_int_eq(ev_post(&o.k, &h, &seq, "left", 4), 0);
	evq_detach(&o.q, o.r);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 0);
	again = evq_attach(&o.q);
	ck_assert_ptr_eq(again, o.r);
	ck_assert_int_eq(evq_drain(&o.q, collect, &rs), 0);
	ck_assert_int_eq(evq_sleep(&o.q), -1);
	recs_free(&rs);
	evq_close(&o.q, true);
}
END_TEST

/* What a record sets off may detach its ring and ask for another drain
 * while one runs (an error that finds stdout gone ends the session and
 * reaps its workers): the inner drain does nothing, the detach waits for
 * the drain to end, and every record is delivered once. */
struct reentry {
	struct evq *q;
	struct ev_ring *ring;
	int seen, inner;
};

static void
reenter(const struct event *ev, void *arg)
{
	struct reentry *re = arg;

	if (re->seen++ == 0) {
		evq_detach(re->q, re->ring);
		re->inner = evq_drain_all(re->q, reenter, re);
	}
}

START_TEST(test_detach_during_drain)
{
	struct ev_hdr h = { .type = EV_OUTPUT };
	uint32_t sa = 0, sb = 0;
	struct reentry re = { 0 };
	struct evq q;
	struct ev_ring *a, *b;
	struct ev_sink ka, kb;

	ck_assert_int_eq(evq_open(&q), 0);
	a = evq_attach(&q);
	b = evq_attach(&q);
	ka = evq_sink(&q, a);
	kb = evq_sink(&q, b);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(ev_post(&ka, &h, &sa, "a", 1), 0);
		ck_assert_int_eq(ev_post(&kb, &h, &sb, "b", 1), 0);
	}
	re.q = &q;
	re.ring = a;
	ck_assert_int_eq(evq_drain(&q, reenter, &re), 6);
	ck_assert_int_eq(re.seen, 6);
	ck_assert_int_eq(re.inner, 0);
	/* a is gone now: the next ring handed out is it, from the spares,
	 * and b is still read. */
	ck_assert_ptr_eq(evq_attach(&q), a);
	ck_assert_int_eq(ev_post(&kb, &h, &sb, "b", 1), 0);
	ck_assert_int_eq(evq_drain(&q, reenter, &re), 1);
	evq_close(&q, true);
}
END_TEST

/* A number taken by a writer that never published (here: a ring dropped
 * with a record in it) leaves a gap that does not hold the others up. */
START_TEST(test_gap_of_a_lost_record)
{
	struct ev_hdr h = { .type = EV_OUTPUT };
	struct recs rs = { 0 };
	uint32_t sa = 0, sb = 0, sc = 0;
	struct evq q;
	struct ev_ring *a, *b, *c;
	struct ev_sink ka, kb, kc;

	ck_assert_int_eq(evq_open(&q), 0);
	a = evq_attach(&q);
	b = evq_attach(&q);
	c = evq_attach(&q);
	ka = evq_sink(&q, a);
	kb = evq_sink(&q, b);
	kc = evq_sink(&q, c);
	ck_assert_int_eq(ev_post(&ka, &h, &sa, "0", 1), 0);
	ck_assert_int_eq(ev_post(&kb, &h, &sb, "lost", 4), 0);
	ck_assert_int_eq(ev_post(&kc, &h, &sc, "2", 1), 0);
	evq_detach(&q, b);
	ck_assert_int_eq(evq_drain(&q, collect, &rs), 2);
	ck_assert_str_eq(rs.v[0].text, "0");
	ck_assert_str_eq(rs.v[1].text, "2");
	ck_assert_uint_eq(rs.v[1].h.order, 2);
	ck_assert_int_eq(evq_sleep(&q), -1);
	recs_free(&rs);
	evq_close(&q, true);
}
END_TEST

/* The concurrent writers, each with its own ring. */
#define WRITERS 8
#define PER_WRITER 20000

struct writer {
	pthread_t thread;
	struct ev_sink k;
	uint32_t id;
	int result; /* 0, or -1 when a post failed */
};

static void *
writer_main(void *arg)
{
	struct writer *wr = arg;
	struct ev_hdr h = { .type = EV_OUTPUT, .worker = wr->id };
	uint32_t seq = 0;
	char text[64];

	for (int i = 0; i < PER_WRITER; i++) {
		int n = snprintf(text, sizeof text, "writer %u line %d",
				 (unsigned)wr->id, i);
		h.a = i;
		if (ev_post(&wr->k, &h, &seq, text, (size_t)n) < 0) {
			wr->result = -1;
			break;
		}
	}
	return NULL;
}

/* What the reader has seen of each writer; checked as records arrive. */
struct tally {
	uint32_t next[WRITERS];
	size_t total;
	int bad;	 /* records out of order or unexpected */
	char first[160]; /* the first of them, described */
};

static void
tally_record(const struct event *ev, void *arg)
{
	struct tally *t = arg;
	uint32_t w = ev->h.worker;
	char want[64];
	int n;

	t->total++;
	if (w >= WRITERS || ev->h.type != EV_OUTPUT) {
		if (t->bad++ == 0)
			snprintf(t->first, sizeof t->first,
				 "record from writer %u of type %u", w,
				 ev->h.type);
		return;
	}
	n = snprintf(want, sizeof want, "writer %u line %u", w, t->next[w]);
	if (ev->h.seq != t->next[w] || ev->h.a != t->next[w] ||
	    ev->h.len != (uint32_t)n || memcmp(ev->text, want, n) != 0) {
		if (t->bad++ == 0)
			snprintf(t->first, sizeof t->first,
				 "writer %u: seq %u '%.*s' where %u was due", w,
				 ev->h.seq, (int)ev->h.len, ev->text,
				 t->next[w]);
	}
	t->next[w] = ev->h.seq + 1;
}

/* Drains Q as the main loop does (sleeping in poll() when told it may)
 * until *HAVE reaches WANT. */
static void
drain_until(struct evq *q, ev_fn *fn, void *arg, const size_t *have,
	    size_t want)
{
	while (*have < want) {
		struct pollfd p = { q->rfd, POLLIN, 0 };
		int timeout = evq_sleep(q);
		int r = poll(&p, 1, timeout < 0 ? 5000 : timeout);
		ck_assert_int_ge(r, 0);
		evq_wake(q, r > 0);
		ck_assert_int_ge(evq_drain(q, fn, arg), 0);
	}
}

/* Many threads at once, each writing many times what its ring holds:
 * every record once, each writer's in order. (The order across writers is
 * test_order_across_writers': here a preempted writer may be given up on.) */
START_TEST(test_many_threads)
{
	struct writer wr[WRITERS];
	struct tally t;
	struct evq q;

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(evq_open(&q), 0);
	for (int i = 0; i < WRITERS; i++) {
		wr[i].k = evq_sink(&q, evq_attach(&q));
		wr[i].id = (uint32_t)i;
		wr[i].result = 0;
	}
	for (int i = 0; i < WRITERS; i++)
		ck_assert_int_eq(pthread_create(&wr[i].thread, NULL,
						writer_main, &wr[i]),
				 0);
	drain_until(&q, tally_record, &t, &t.total,
		    (size_t)WRITERS * PER_WRITER);
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(wr[i].thread, NULL);
		ck_assert_int_eq(wr[i].result, 0);
	}
	ck_assert_msg(t.bad == 0, "%d bad records; first: %s", t.bad, t.first);
	ck_assert_uint_eq(t.total, (size_t)WRITERS * PER_WRITER);
	for (int i = 0; i < WRITERS; i++)
		ck_assert_uint_eq(t.next[i], PER_WRITER);
	ck_assert_int_eq(evq_drain(&q, tally_record, &t), 0);
	evq_close(&q, true);
}
END_TEST

/* Two writers taking turns through a mutex: whichever ring is read first,
 * the records come out in the turns' order. */
#define TURNS 5000

struct turns {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int turn;
	struct ev_sink k[2];
};

struct taker {
	struct turns *t;
	int me;
};

static void *
taker_main(void *arg)
{
	struct taker *tk = arg;
	struct turns *t = tk->t;
	struct ev_hdr h = { .type = EV_OUTPUT, .worker = (uint32_t)tk->me };
	uint32_t seq = 0;

	for (int i = tk->me; i < TURNS; i += 2) {
		pthread_mutex_lock(&t->mu);
		while (t->turn != i)
			pthread_cond_wait(&t->cv, &t->mu);
		h.a = i;
		ev_post(&t->k[tk->me], &h, &seq, NULL, 0);
		t->turn++;
		pthread_cond_broadcast(&t->cv);
		pthread_mutex_unlock(&t->mu);
	}
	return NULL;
}

START_TEST(test_order_across_writers)
{
	struct turns t = { .mu = PTHREAD_MUTEX_INITIALIZER,
			   .cv = PTHREAD_COND_INITIALIZER };
	struct taker tk[2] = { { &t, 0 }, { &t, 1 } };
	pthread_t th[2];
	struct recs rs = { 0 };
	struct evq q;

	ck_assert_int_eq(evq_open(&q), 0);
	/* The second taker's ring is read first. */
	t.k[1] = evq_sink(&q, evq_attach(&q));
	t.k[0] = evq_sink(&q, evq_attach(&q));
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, taker_main, &tk[i]), 0);
	drain_until(&q, collect, &rs, &rs.n, TURNS);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < TURNS; i++)
		ck_assert_int_eq(rs.v[i].h.a, i);
	recs_free(&rs);
	evq_close(&q, true);
}
END_TEST

#define CHILD_LINES 5000
#define CHILD_LONG 10000

/* A forked child writes through the same ring, more than it holds, then
 * ends; its every record is there, in order. */
START_TEST(test_forked_child)
{
	static char longtext[CHILD_LONG];
	struct recs rs = { 0 };
	struct one o;
	pid_t pid;
	int status;

	for (size_t i = 0; i < CHILD_LONG; i++)
		longtext[i] = (char)('a' + i % 26);
	one_open(&o);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* The child: no Check calls here, only the records. */
		struct ev_hdr h = { .type = EV_STARTED, .worker = 9 };
		uint32_t seq = 0;
		char text[32];
		int bad = ev_post(&o.k, &h, &seq, NULL, 0) < 0;
		h.type = EV_OUTPUT;
		for (int i = 0; i < CHILD_LINES && !bad; i++) {
			int n = snprintf(text, sizeof text, "child %d", i);
			bad = ev_post(&o.k, &h, &seq, text, (size_t)n) < 0;
		}
		bad = bad || ev_post(&o.k, &h, &seq, longtext, CHILD_LONG) < 0;
		h.type = EV_END;
		h.a = 7;
		bad = bad || ev_post(&o.k, &h, &seq, NULL, 0) < 0;
		_exit(bad ? 1 : 0);
	}
	/* STARTED, the lines, the long text in three records, END. */
	size_t want = 1 + CHILD_LINES + 3 + 1;
	drain_until(&o.q, collect, &rs, &rs.n, want);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(evq_drain_all(&o.q, collect, &rs), 0);
	ck_assert_uint_eq(rs.n, want);
	for (size_t i = 0; i < rs.n; i++) {
		ck_assert_uint_eq(rs.v[i].h.seq, i);
		ck_assert_uint_eq(rs.v[i].h.worker, 9);
	}
	ck_assert_uint_eq(rs.v[0].h.type, EV_STARTED);
	for (int i = 0; i < CHILD_LINES; i++) {
		char text[32];
		snprintf(text, sizeof text, "child %d", i);
		ck_assert_uint_eq(rs.v[1 + i].h.type, EV_OUTPUT);
		ck_assert_str_eq(rs.v[1 + i].text, text);
	}
	size_t off = 0;
	for (size_t i = 1 + CHILD_LINES; i < want - 1; i++) {
		ck_assert_uint_eq(rs.v[i].h.flags,
				  i < want - 2 ? EV_F_MORE : 0);
		ck_assert(memcmp(rs.v[i].text, longtext + off, rs.v[i].h.len) ==
			  0);
		off += rs.v[i].h.len;
	}
	ck_assert_uint_eq(off, CHILD_LONG);
	ck_assert_uint_eq(rs.v[want - 1].h.type, EV_END);
	ck_assert_int_eq(rs.v[want - 1].h.a, 7);
	recs_free(&rs);
	evq_close(&o.q, true);
}
END_TEST

/* Every ring comes from the pool mapped at open: a process forked before
 * a ring is attached writes to it all the same once it has enabled it
 * (the spawner does, for its children). */
START_TEST(test_ring_after_fork)
{
	struct recs rs = { 0 };
	struct evq q;
	struct ev_ring *r;
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(evq_open(&q), 0);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct ev_hdr h = { .type = EV_OUTPUT, .worker = 3 };
		struct ev_sink k;
		uint32_t seq = 0;
		close(fds[1]);
		if (read(fds[0], &r, sizeof r) != (ssize_t)sizeof r)
			_exit(2);
		if (ev_ring_enable(r) < 0)
			_exit(3);
		k = evq_sink(&q, r);
		_exit(ev_post(&k, &h, &seq, "late", 4) < 0 ? 1 : 0);
	}
	close(fds[0]);
	r = evq_attach(&q);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(write(fds[1], &r, sizeof r), (ssize_t)sizeof r);
	close(fds[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(evq_drain_all(&q, collect, &rs), 1);
	ck_assert_str_eq(rs.v[0].text, "late");
	ck_assert_uint_eq(rs.v[0].h.worker, 3);
	recs_free(&rs);
	evq_close(&q, true);
}
END_TEST

/* EV_RINGS_MAX rings can be attached at once, and no more; one detached
 * is the next one handed out. */
START_TEST(test_pool_bound)
{
	static struct ev_ring *r[EV_RINGS_MAX];
	struct evq q;

	ck_assert_int_eq(evq_open(&q), 0);
	for (size_t i = 0; i < EV_RINGS_MAX; i++) {
		r[i] = evq_attach(&q);
		ck_assert_ptr_nonnull(r[i]);
		ck_assert(i == 0 || r[i] != r[i - 1]);
	}
	errno = 0;
	ck_assert_ptr_null(evq_attach(&q));
	ck_assert_int_eq(errno, ENOMEM);
	evq_detach(&q, r[100]);
	ck_assert_ptr_eq(evq_attach(&q), r[100]);
	ck_assert_ptr_null(evq_attach(&q));
	evq_close(&q, true);
}
END_TEST

/* Is the page holding ADDR in memory? */
static bool
resident(const void *addr)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	unsigned char in = 0;

	ck_assert_int_eq(
		mincore((void *)((uintptr_t)addr & ~(page - 1)), page, &in), 0);
	return in & 1;
}

/* Up to 64 detached rings keep their memory for new writers; a ring given
 * back past them frees its pages. */
START_TEST(test_pool_gives_back)
{
	enum { N = 70 };
	static char text[3000];
	struct ev_ring *r[N];
	struct recs rs = { 0 };
	struct evq q;
	const char *probe;

	memset(text, 'x', sizeof text);
	ck_assert_int_eq(evq_open(&q), 0);
	for (int i = 0; i < N; i++) {
		struct ev_hdr h = { .type = EV_OUTPUT };
		struct ev_sink k;
		uint32_t seq = 0;
		r[i] = evq_attach(&q);
		ck_assert_ptr_nonnull(r[i]);
		k = evq_sink(&q, r[i]);
		for (int j = 0; j < 4; j++) /* 12 KB: a whole page inside */
			ck_assert_int_eq(
				ev_post(&k, &h, &seq, text, sizeof text), 0);
	}
	ck_assert_int_eq(evq_drain_all(&q, collect, &rs), 4 * N);
	for (int i = 0; i < N; i++)
		evq_detach(&q, r[i]);
	/* A page well inside the records written: 8 KB into the ring. */
	probe = (const char *)r[0] + 8192;
	ck_assert(resident(probe));
	probe = (const char *)r[N - 1] + 8192;
	ck_assert(!resident(probe));
	recs_free(&rs);
	evq_close(&q, true);
}
END_TEST

/* One drain delivers at most EVQ_DRAIN_MAX bytes; drain_all takes all. */
START_TEST(test_drain_budget)
{
	static char text[1000];
	struct ev_hdr h = { .type = EV_OUTPUT };
	struct recs rs = { 0 };
	uint32_t seq[8] = { 0 };
	struct evq q;
	struct ev_sink k[8];
	int per = (int)(EV_RING_SIZE / (EV_HDR_SIZE + sizeof text)) - 1;
	int first;

	memset(text, 'x', sizeof text);
	ck_assert_int_eq(evq_open(&q), 0);
	for (int i = 0; i < 8; i++) {
		k[i] = evq_sink(&q, evq_attach(&q));
		for (int j = 0; j < per; j++)
			ck_assert_int_eq(
				ev_post(&k[i], &h, &seq[i], text, sizeof text),
				0);
	}
	first = evq_drain(&q, collect, &rs);
	ck_assert_int_gt(first, 0);
	ck_assert_int_lt(first, 8 * per);
	ck_assert_uint_le((size_t)(first - 1) * (EV_HDR_SIZE + sizeof text),
			  EVQ_DRAIN_MAX);
	ck_assert_int_eq(evq_sleep(&q), 0);
	ck_assert_int_eq(evq_drain_all(&q, collect, &rs), 8 * per - first);
	for (size_t i = 0; i < rs.n; i++)
		ck_assert_uint_eq(rs.v[i].h.order, i);
	recs_free(&rs);
	evq_close(&q, true);
}
END_TEST

static Suite *
event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("records");
	TCase *tq = tcase_create("queue");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_splits_long_text);
	tcase_add_test(tc, test_empty_and_exactly_max);
	tcase_add_test(tc, test_wraps_around);
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tq, 60);
	tcase_add_test(tq, test_open_flags);
	tcase_add_test(tq, test_bell_only_while_asleep);
	tcase_add_test(tq, test_detach_and_reuse);
	tcase_add_test(tq, test_gap_of_a_lost_record);
	tcase_add_test(tq, test_detach_during_drain);
	tcase_add_test(tq, test_many_threads);
	tcase_add_test(tq, test_order_across_writers);
	tcase_add_test(tq, test_forked_child);
	tcase_add_test(tq, test_ring_after_fork);
	tcase_add_test(tq, test_pool_bound);
	tcase_add_test(tq, test_pool_gives_back);
	tcase_add_test(tq, test_drain_budget);
	suite_add_tcase(s, tq);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(event_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
