/*
 * check_event.c: unit tests of event records and of the queue that carries
 * them. A record encoded and fed back to the decoder comes out the same,
 * however the byte stream is cut into pieces; a malformed header is refused;
 * ev_write splits long text into records that each fit one atomic write;
 * and many threads, or a forked child, writing to the queue at once deliver
 * every record exactly once and each writer's records in order.
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event.h"

/* Records collected from the decoder, each with its own copy of the text. */
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

static void
check_same_hdr(const struct ev_hdr *a, const struct ev_hdr *b)
{
	ck_assert_uint_eq(a->len, b->len);
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_uint_eq(a->worker, b->worker);
	ck_assert_uint_eq(a->seq, b->seq);
	ck_assert_uint_eq(a->t_ns, b->t_ns);
	ck_assert_int_eq(a->a, b->a);
	ck_assert_int_eq(a->b, b->b);
}

/* A stream of records of every worker-side type and of several sizes. */
#define STREAM_RECORDS 40

static struct ev_hdr stream_hdr[STREAM_RECORDS];
static char stream_text[STREAM_RECORDS][EV_MAX_TEXT];

/* Builds the stream into BUF (large enough) and returns its size. */
static size_t
make_stream(char *buf)
{
	size_t off = 0;

	for (int i = 0; i < STREAM_RECORDS; i++) {
		struct ev_hdr *h = &stream_hdr[i];
		size_t len = (size_t)(i * 97) % 300;
		if (i == 7)
			len = EV_MAX_TEXT;
		memset(h, 0, sizeof *h);
		h->len = (uint32_t)len;
		h->type = (uint16_t)(EV_STARTED + i % (EV_TYPE_MAX - 1));
		h->flags = (uint16_t)(i % 3 == 0 ? EV_F_MORE : 0);
		h->worker = (uint32_t)(i % 5);
		h->seq = (uint32_t)i;
		h->t_ns = 1000000007ull * (uint64_t)i;
		h->a = -i;
		h->b = (int64_t)i << 40;
		for (size_t j = 0; j < len; j++)
			stream_text[i][j] = (char)('A' + (i + (int)j) % 26);
		off += ev_encode(buf + off, h, stream_text[i]);
	}
	return off;
}

static void
check_stream(const struct recs *rs)
{
	ck_assert_uint_eq(rs->n, STREAM_RECORDS);
	for (size_t i = 0; i < rs->n; i++) {
		check_same_hdr(&rs->v[i].h, &stream_hdr[i]);
		ck_assert(memcmp(rs->v[i].text, stream_text[i],
				 stream_hdr[i].len) == 0);
	}
}

START_TEST(test_round_trip)
{
	struct ev_hdr h = { .type = EV_OUTPUT,
			    .flags = EV_F_MORE,
			    .worker = 42,
			    .seq = 7,
			    .t_ns = 123456789012345ull,
			    .a = -5,
			    .b = 1ll << 50 };
	const char *text = "hello, world";
	char buf[EV_MAX_RECORD];
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };
	size_t n;

	h.len = (uint32_t)strlen(text);
	n = ev_encode(buf, &h, text);
	ck_assert_uint_eq(n, EV_HDR_SIZE + strlen(text));
	ck_assert_int_eq(ev_decoder_feed(&d, buf, n, collect, &rs), 1);
	ck_assert_uint_eq(rs.n, 1);
	check_same_hdr(&rs.v[0].h, &h);
	ck_assert_str_eq(rs.v[0].text, text);
	ck_assert_uint_eq(ev_decoder_pending(&d), 0);
	recs_free(&rs);
	ev_decoder_free(&d);
}
END_TEST

START_TEST(test_round_trip_empty_and_full)
{
	static char big[EV_MAX_TEXT];
	struct ev_hdr h0 = { .type = EV_END, .worker = 1, .a = 3 };
	struct ev_hdr h1 = { .type = EV_OUTPUT,
			     .worker = 1,
			     .seq = 1,
			     .len = (uint32_t)EV_MAX_TEXT };
	char buf[2 * EV_MAX_RECORD];
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };
	size_t n;

	memset(big, 'z', sizeof big);
	n = ev_encode(buf, &h0, NULL);
	ck_assert_uint_eq(n, EV_HDR_SIZE);
	ck_assert_uint_eq(ev_encode(buf + n, &h1, big), EV_MAX_RECORD);
	n += EV_MAX_RECORD;
	ck_assert_int_eq(ev_decoder_feed(&d, buf, n, collect, &rs), 2);
	check_same_hdr(&rs.v[0].h, &h0);
	check_same_hdr(&rs.v[1].h, &h1);
	ck_assert(memcmp(rs.v[1].text, big, EV_MAX_TEXT) == 0);
	recs_free(&rs);
	ev_decoder_free(&d);
}
END_TEST

START_TEST(test_feed_whole_stream)
{
	static char buf[STREAM_RECORDS * EV_MAX_RECORD];
	size_t n = make_stream(buf);
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };

	ck_assert_int_eq(ev_decoder_feed(&d, buf, n, collect, &rs),
			 STREAM_RECORDS);
	check_stream(&rs);
	ck_assert_uint_eq(ev_decoder_pending(&d), 0);
	recs_free(&rs);
	ev_decoder_free(&d);
}
END_TEST

START_TEST(test_feed_byte_at_a_time)
{
	static char buf[STREAM_RECORDS * EV_MAX_RECORD];
	size_t n = make_stream(buf);
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };
	int total = 0;

	for (size_t i = 0; i < n; i++) {
		int c = ev_decoder_feed(&d, buf + i, 1, collect, &rs);
		ck_assert_int_ge(c, 0);
		ck_assert_int_le(c, 1);
		total += c;
		ck_assert_uint_eq((size_t)total, rs.n);
	}
	ck_assert_int_eq(total, STREAM_RECORDS);
	check_stream(&rs);
	ck_assert_uint_eq(ev_decoder_pending(&d), 0);
	recs_free(&rs);
	ev_decoder_free(&d);
}
END_TEST

/* A small deterministic generator, so that a failure can be replayed. */
static uint32_t
next_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

START_TEST(test_feed_random_chunks)
{
	static char buf[STREAM_RECORDS * EV_MAX_RECORD];
	size_t n = make_stream(buf);
	uint32_t seed = 0x9e3779b9u;

	for (int round = 0; round < 50; round++) {
		struct ev_decoder d = { 0 };
		struct recs rs = { 0 };
		size_t off = 0;
		int total = 0;
		while (off < n) {
			size_t chunk =
				1 + next_rand(&seed) % (2 * EV_MAX_RECORD);
			if (chunk > n - off)
				chunk = n - off;
			int c = ev_decoder_feed(&d, buf + off, chunk, collect,
						&rs);
			ck_assert_int_ge(c, 0);
			total += c;
			off += chunk;
		}
		ck_assert_int_eq(total, STREAM_RECORDS);
		check_stream(&rs);
		ck_assert_uint_eq(ev_decoder_pending(&d), 0);
		recs_free(&rs);
		ev_decoder_free(&d);
	}
}
END_TEST

START_TEST(test_pending)
{
	struct ev_hdr h = { .type = EV_OUTPUT, .len = 10 };
	char buf[EV_MAX_RECORD];
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };
	size_t n = ev_encode(buf, &h, "0123456789");

	ck_assert_int_eq(ev_decoder_feed(&d, buf, 5, collect, &rs), 0);
	ck_assert_uint_eq(ev_decoder_pending(&d), 5);
	ck_assert_int_eq(ev_decoder_feed(&d, buf + 5, n - 6, collect, &rs), 0);
	ck_assert_uint_eq(ev_decoder_pending(&d), n - 1);
	ck_assert_uint_eq(rs.n, 0);
	ck_assert_int_eq(ev_decoder_feed(&d, buf + n - 1, 1, collect, &rs), 1);
	ck_assert_uint_eq(ev_decoder_pending(&d), 0);
	ck_assert_str_eq(rs.v[0].text, "0123456789");
	recs_free(&rs);
	ev_decoder_free(&d);
}
END_TEST

/* Feeds one header H (and no text) to a new decoder; returns the result. */
static int
feed_header(const struct ev_hdr *h)
{
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };
	int c = ev_decoder_feed(&d, h, EV_HDR_SIZE, collect, &rs);

	ck_assert_uint_eq(rs.n, c < 0 ? 0 : (size_t)c);
	recs_free(&rs);
	ev_decoder_free(&d);
	return c;
}

START_TEST(test_bad_type)
{
	struct ev_hdr h = { .type = 0 };

	ck_assert_int_eq(feed_header(&h), -1);
	h.type = EV_TYPE_MAX;
	ck_assert_int_eq(feed_header(&h), -1);
	h.type = 0xffff;
	ck_assert_int_eq(feed_header(&h), -1);
	h.type = EV_TYPE_MAX - 1;
	ck_assert_int_eq(feed_header(&h), 1);
}
END_TEST

START_TEST(test_bad_len)
{
	struct ev_hdr h = { .type = EV_OUTPUT,
			    .len = (uint32_t)EV_MAX_TEXT + 1 };

	ck_assert_int_eq(feed_header(&h), -1);
	h.len = 0xffffffffu;
	ck_assert_int_eq(feed_header(&h), -1);
}
END_TEST

START_TEST(test_bad_header_after_good_record)
{
	struct ev_hdr good = { .type = EV_OUTPUT, .len = 2 };
	struct ev_hdr bad = { .type = 99 };
	char buf[2 * EV_MAX_RECORD];
	struct ev_decoder d = { 0 };
	struct recs rs = { 0 };
	size_t n = ev_encode(buf, &good, "ok");

	n += ev_encode(buf + n, &bad, NULL);
	ck_assert_int_eq(ev_decoder_feed(&d, buf, n, collect, &rs), -1);
	ev_decoder_free(&d);
	recs_free(&rs);
}
END_TEST

/* Reads every packet now in socket FD (SOCK_SEQPACKET: one write() is one
 * packet) and checks each holds exactly one record; collects them. */
static void
read_packets(int fd, struct recs *rs, size_t want)
{
	struct ev_decoder d = { 0 };
	char buf[2 * EV_MAX_RECORD];

	for (size_t i = 0; i < want; i++) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		ck_assert_int_gt(n, 0);
		ck_assert_uint_le((size_t)n, EV_MAX_RECORD);
		ck_assert_int_eq(
			ev_decoder_feed(&d, buf, (size_t)n, collect, rs), 1);
		ck_assert_uint_eq(ev_decoder_pending(&d), 0);
	}
	ck_assert_uint_eq(rs->n, want);
	ev_decoder_free(&d);
}

START_TEST(test_write_splits_long_text)
{
	enum { LEN = 10000 };
	size_t nrec = (LEN + EV_MAX_TEXT - 1) / EV_MAX_TEXT;
	static char text[LEN];
	struct ev_hdr h = { .type = EV_OUTPUT, .worker = 3, .a = 11 };
	uint32_t seq = 5;
	struct recs rs = { 0 };
	size_t off = 0;
	int sv[2];

	for (size_t i = 0; i < LEN; i++)
		text[i] = (char)(' ' + i % 95);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(ev_write(sv[0], &h, &seq, text, LEN), 0);
	ck_assert_uint_eq(seq, 5 + nrec);
	ck_assert_uint_eq(h.flags, 0);
	read_packets(sv[1], &rs, nrec);
	for (size_t i = 0; i < nrec; i++) {
		const struct ev_hdr *r = &rs.v[i].h;
		bool last = i == nrec - 1;
		ck_assert_uint_le(EV_HDR_SIZE + r->len, EV_MAX_RECORD);
		ck_assert_uint_eq(r->len, last ? LEN - off : EV_MAX_TEXT);
		ck_assert_uint_eq(r->flags, last ? 0 : EV_F_MORE);
		ck_assert_uint_eq(r->seq, 5 + i);
		ck_assert_uint_eq(r->type, EV_OUTPUT);
		ck_assert_uint_eq(r->worker, 3);
		ck_assert_int_eq(r->a, 11);
		ck_assert(memcmp(rs.v[i].text, text + off, r->len) == 0);
		off += r->len;
	}
	ck_assert_uint_eq(off, LEN);
	recs_free(&rs);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_write_short_and_empty)
{
	struct ev_hdr h = { .type = EV_OUTPUT, .worker = 1 };
	uint32_t seq = 0;
	struct recs rs = { 0 };
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(ev_write(sv[0], &h, &seq, "abc", 3), 0);
	h.type = EV_END;
	ck_assert_int_eq(ev_write(sv[0], &h, &seq, NULL, 0), 0);
	ck_assert_uint_eq(seq, 2);
	read_packets(sv[1], &rs, 2);
	ck_assert_uint_eq(rs.v[0].h.len, 3);
	ck_assert_uint_eq(rs.v[0].h.flags, 0);
	ck_assert_uint_eq(rs.v[0].h.seq, 0);
	ck_assert_str_eq(rs.v[0].text, "abc");
	ck_assert_uint_eq(rs.v[1].h.type, EV_END);
	ck_assert_uint_eq(rs.v[1].h.len, 0);
	ck_assert_uint_eq(rs.v[1].h.seq, 1);
	recs_free(&rs);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_write_exactly_max_text)
{
	static char text[EV_MAX_TEXT + 1];
	struct ev_hdr h = { .type = EV_OUTPUT };
	uint32_t seq = 0;
	struct recs rs = { 0 };
	int sv[2];

	memset(text, 'q', sizeof text);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	/* Exactly EV_MAX_TEXT fits one record; one byte more needs two. */
	ck_assert_int_eq(ev_write(sv[0], &h, &seq, text, EV_MAX_TEXT), 0);
	ck_assert_uint_eq(seq, 1);
	ck_assert_int_eq(ev_write(sv[0], &h, &seq, text, EV_MAX_TEXT + 1), 0);
	ck_assert_uint_eq(seq, 3);
	read_packets(sv[1], &rs, 3);
	ck_assert_uint_eq(rs.v[0].h.len, EV_MAX_TEXT);
	ck_assert_uint_eq(rs.v[0].h.flags, 0);
	ck_assert_uint_eq(rs.v[1].h.len, EV_MAX_TEXT);
	ck_assert_uint_eq(rs.v[1].h.flags, EV_F_MORE);
	ck_assert_uint_eq(rs.v[2].h.len, 1);
	ck_assert_uint_eq(rs.v[2].h.flags, 0);
	recs_free(&rs);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_write_keeps_caller_flags)
{
	static char text[EV_MAX_TEXT + 10];
	struct ev_hdr h = { .type = EV_END, .flags = EV_F_CANCELLED };
	uint32_t seq = 0;
	struct recs rs = { 0 };
	int sv[2];

	memset(text, 'c', sizeof text);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(ev_write(sv[0], &h, &seq, text, sizeof text), 0);
	ck_assert_uint_eq(h.flags, EV_F_CANCELLED);
	read_packets(sv[1], &rs, 2);
	ck_assert_uint_eq(rs.v[0].h.flags, EV_F_CANCELLED | EV_F_MORE);
	ck_assert_uint_eq(rs.v[1].h.flags, EV_F_CANCELLED);
	recs_free(&rs);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_write_error)
{
	struct ev_hdr h = { .type = EV_OUTPUT };
	uint32_t seq = 0;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	close(fds[1]);
	/* The read end as a write target: write() fails with EBADF. */
	errno = 0;
	ck_assert_int_eq(ev_write(fds[0], &h, &seq, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
	close(fds[0]);
}
END_TEST

START_TEST(test_evq_open_flags)
{
	struct evq q;

	ck_assert_int_eq(evq_open(&q), 0);
	ck_assert(fcntl(q.rfd, F_GETFL) & O_NONBLOCK);
	ck_assert(fcntl(q.rfd, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(q.wfd, F_GETFD) & FD_CLOEXEC);
	evq_close(&q);
}
END_TEST

START_TEST(test_evq_drain_empty)
{
	struct evq q;
	struct recs rs = { 0 };

	ck_assert_int_eq(evq_open(&q), 0);
	/* Nothing queued: it returns at once instead of blocking. */
	ck_assert_int_eq(evq_drain(&q, collect, &rs), 0);
	ck_assert_uint_eq(rs.n, 0);
	evq_close(&q);
}
END_TEST

START_TEST(test_evq_drain_malformed)
{
	struct evq q;
	struct recs rs = { 0 };
	struct ev_hdr bad = { .type = EV_TYPE_MAX };

	ck_assert_int_eq(evq_open(&q), 0);
	ck_assert_int_eq(write(q.wfd, &bad, sizeof bad), (ssize_t)sizeof bad);
	ck_assert_int_eq(evq_drain(&q, collect, &rs), -1);
	evq_close(&q);
}
END_TEST

/* The concurrent writers. */
#define WRITERS 8
#define PER_WRITER 2000

struct writer {
	pthread_t thread;
	int fd;
	uint32_t id;
	int result; /* 0, or -1 when a write failed */
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
		if (ev_write(wr->fd, &h, &seq, text, (size_t)n) < 0) {
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

/* Drains Q into T until WANT records have arrived or one drain fails. */
static void
drain_until(struct evq *q, ev_fn *fn, void *arg, const size_t *have,
	    size_t want)
{
	while (*have < want) {
		struct pollfd p = { q->rfd, POLLIN, 0 };
		int r = poll(&p, 1, 1000);
		ck_assert_int_ge(r, 0);
		ck_assert_int_ge(evq_drain(q, fn, arg), 0);
	}
}

START_TEST(test_queue_many_threads)
{
	struct writer wr[WRITERS];
	struct tally t;
	struct evq q;

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(evq_open(&q), 0);
	for (int i = 0; i < WRITERS; i++) {
		wr[i].fd = q.wfd;
		wr[i].id = (uint32_t)i;
		wr[i].result = 0;
		ck_assert_int_eq(pthread_create(&wr[i].thread, NULL,
						writer_main, &wr[i]),
				 0);
	}
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
	/* Nothing more, and nothing left half read. */
	ck_assert_int_eq(evq_drain(&q, tally_record, &t), 0);
	ck_assert_uint_eq(ev_decoder_pending(&q.dec), 0);
	evq_close(&q);
}
END_TEST

#define CHILD_LINES 500
#define CHILD_LONG 10000

START_TEST(test_queue_forked_child)
{
	static char longtext[CHILD_LONG];
	struct recs rs = { 0 };
	struct evq q;
	pid_t pid;
	int status;

	for (size_t i = 0; i < CHILD_LONG; i++)
		longtext[i] = (char)('a' + i % 26);
	ck_assert_int_eq(evq_open(&q), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* The child: no Check calls here, only the records. */
		struct ev_hdr h = { .type = EV_STARTED, .worker = 9 };
		uint32_t seq = 0;
		char text[32];
		int bad = ev_write(q.wfd, &h, &seq, NULL, 0) < 0;
		h.type = EV_OUTPUT;
		for (int i = 0; i < CHILD_LINES && !bad; i++) {
			int n = snprintf(text, sizeof text, "child %d", i);
			bad = ev_write(q.wfd, &h, &seq, text, (size_t)n) < 0;
		}
		bad = bad ||
		      ev_write(q.wfd, &h, &seq, longtext, CHILD_LONG) < 0;
		h.type = EV_END;
		h.a = 7;
		bad = bad || ev_write(q.wfd, &h, &seq, NULL, 0) < 0;
		_exit(bad ? 1 : 0);
	}
	/* STARTED, the lines, the long text in three records, END. */
	size_t want = 1 + CHILD_LINES + 3 + 1;
	drain_until(&q, collect, &rs, &rs.n, want);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(evq_drain(&q, collect, &rs), 0);
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
	evq_close(&q);
}
END_TEST

static Suite *
event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("records");
	TCase *tq = tcase_create("queue");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_round_trip_empty_and_full);
	tcase_add_test(tc, test_feed_whole_stream);
	tcase_add_test(tc, test_feed_byte_at_a_time);
	tcase_add_test(tc, test_feed_random_chunks);
	tcase_add_test(tc, test_pending);
	tcase_add_test(tc, test_bad_type);
	tcase_add_test(tc, test_bad_len);
	tcase_add_test(tc, test_bad_header_after_good_record);
	tcase_add_test(tc, test_write_splits_long_text);
	tcase_add_test(tc, test_write_short_and_empty);
	tcase_add_test(tc, test_write_exactly_max_text);
	tcase_add_test(tc, test_write_keeps_caller_flags);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tq, 30);
	tcase_add_test(tq, test_evq_open_flags);
	tcase_add_test(tq, test_evq_drain_empty);
	tcase_add_test(tq, test_evq_drain_malformed);
	tcase_add_test(tq, test_queue_many_threads);
	tcase_add_test(tq, test_queue_forked_child);
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
