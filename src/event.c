/*
 * event.c: the queue that carries event records from the workers to the
 * main loop. Each worker, a thread in weft or a forked child, writes into a
 * ring of its own in shared memory: one writer and one reader per ring, so
 * a record costs a copy and a few atomic operations, not a system call.
 *
 * Order across rings: every record takes a number from one counter shared
 * by all writers, and the reader merges the rings by that number, so lines
 * come out in the order they were printed, as with one pipe. A writer marks
 * itself busy before it takes its number and clears the mark once the
 * record is in its ring: when the reader sees number n+1 but not n, it
 * waits for n only while some writer is busy, and only for a while (a
 * process killed between taking and publishing leaves a gap for good).
 *
 * Waking: the reader sets `sleeping` before it polls, then looks at the
 * rings once more; a writer looks at `sleeping` after publishing, and the
 * one that clears it writes a byte to the doorbell pipe. Each side stores,
 * then loads the other's word, all sequentially consistent, so one of them
 * always sees the other: no record waits while the reader sleeps.
 *
 * A full ring makes its writer wait on a futex (the ring is MAP_SHARED, so
 * the futex works across fork) until the reader makes room: nothing is
 * ever dropped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "futex.h"
#include "xmalloc.h"

struct ev_ring {
	/* Written by the reader. */
	_Atomic uint64_t head;	   /* bytes consumed */
	_Atomic uint32_t room_gen; /* futex word: bumped when room is made */
	char pad0[64 - 12];
	/* Written by the writer. */
	_Atomic uint64_t tail;	    /* bytes published */
	_Atomic uint32_t busy;	    /* between taking an order and publishing */
	_Atomic uint32_t want_room; /* waiting for the reader to make room */
	char pad1[64 - 16];
	char data[EV_RING_SIZE];
};

struct ev_ctl {
	_Atomic uint64_t order; /* the next record's order */
	char pad0[64 - 8];
	_Atomic uint32_t sleeping; /* the reader is (about to be) in poll() */
	char pad1[64 - 4];
};

/* How many rings of gone writers keep their memory for new ones. */
#define SPARE_MAX 64
/* How long the reader waits for a record that is missing from the order. */
#define STALL_NS (100ull * 1000000ull)
/* How long a writer waiting for room sleeps before it looks again. */
#define ROOM_WAIT_NS (100ll * 1000000ll)

uint64_t
ev_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t
record_size(size_t len)
{
	return (EV_HDR_SIZE + len + 7) & ~(size_t)7;
}

/* Copies N bytes in or out of RING at stream position POS, wrapping. */
static void
ring_put(struct ev_ring *r, uint64_t pos, const void *p, size_t n)
{
	size_t off = (size_t)(pos & (EV_RING_SIZE - 1));
	size_t first = n < EV_RING_SIZE - off ? n : EV_RING_SIZE - off;

	memcpy(r->data + off, p, first);
	if (n > first)
		memcpy(r->data, (const char *)p + first, n - first);
}

static void
ring_get(const struct ev_ring *r, uint64_t pos, void *p, size_t n)
{
	size_t off = (size_t)(pos & (EV_RING_SIZE - 1));
	size_t first = n < EV_RING_SIZE - off ? n : EV_RING_SIZE - off;

	memcpy(p, r->data + off, first);
	if (n > first)
		memcpy((char *)p + first, r->data, n - first);
}

/* Wakes the reader if it said it would sleep. Returns 0, or -1 when the
 * doorbell is broken. */
static int
ring_bell(const struct ev_sink *k)
{
	if (atomic_load(&k->ctl->sleeping) == 0 ||
	    atomic_exchange(&k->ctl->sleeping, 0) == 0)
		return 0;
	for (;;) {
		char c = 0; /* on the stack: no page of its own to map */
		ssize_t n = write(k->bell, &c, 1);
		if (n == 1)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		/* Full: bytes are waiting already, the reader will wake. */
		return n < 0 && errno == EAGAIN ? 0 : -1;
	}
}

/* Set while writers may run (a session's first Python line): atomic. */
static _Atomic(void *(*)(void)) wait_leave;
static _Atomic(void (*)(void *)) wait_back;

void
ev_set_wait_hooks(void *(*leave)(void), void (*back)(void *))
{
	atomic_store(&wait_back, back);
	atomic_store(&wait_leave, leave);
}

/* Waits until NEED bytes fit after TAIL. Returns 0, or -1 when the
 * doorbell is broken. The reader always comes back to its rings (a process
 * whose weft is gone is killed by the OS), so the wait has no other end;
 * the timeout only guards against a lost wake-up. */
static int
wait_room(const struct ev_sink *k, uint64_t tail, size_t need)
{
	struct ev_ring *r = k->ring;

	for (;;) {
		uint32_t gen = atomic_load(&r->room_gen);
		atomic_store(&r->want_room, 1);
		if (tail + need - atomic_load(&r->head) <= EV_RING_SIZE)
			return 0;
		if (ring_bell(k) < 0)
			return -1;
		void *(*leave)(void) = atomic_load(&wait_leave);
		void *held = leave != NULL ? leave() : NULL;
		futex_wait(&r->room_gen, gen, ROOM_WAIT_NS);
		if (leave != NULL)
			atomic_load(&wait_back)(held);
	}
}

int
ev_post(struct ev_sink *k, struct ev_hdr *h, uint32_t *seq, const char *text,
	size_t len)
{
	struct ev_ring *r = k->ring;
	uint16_t flags = h->flags;
	int rc = 0;

	do {
		size_t part = len > EV_MAX_TEXT ? EV_MAX_TEXT : len;
		size_t need = record_size(part);
		uint64_t tail =
			atomic_load_explicit(&r->tail, memory_order_relaxed);
		/* The reader's head is looked at only when the room seen
		 * last time is used up: its cache line stays the reader's. */
		if (need > k->room) {
			if (tail + need - atomic_load(&r->head) >
				    EV_RING_SIZE &&
			    wait_room(k, tail, need) < 0) {
				rc = -1;
				break;
			}
			k->room = EV_RING_SIZE - (tail - atomic_load(&r->head));
		}
		k->room -= need;
		h->len = (uint32_t)part;
		h->flags = (uint16_t)(flags | (part < len ? EV_F_MORE : 0));
		h->seq = (*seq)++;
		/* Relaxed is enough: the fetch_add below publishes it to any
		 * writer that takes a later number, and through that writer's
		 * ring to the reader. */
		atomic_store_explicit(&r->busy, 1, memory_order_relaxed);
		h->order = atomic_fetch_add(&k->ctl->order, 1);
		ring_put(r, tail, h, EV_HDR_SIZE);
		if (part > 0)
			ring_put(r, tail + EV_HDR_SIZE, text, part);
		atomic_store(&r->tail, tail + need);
		atomic_store_explicit(&r->busy, 0, memory_order_release);
		text += part;
		len -= part;
	} while (len > 0);
	h->flags = flags;
	if (ring_bell(k) < 0)
		rc = -1;
	return rc;
}

/* The reader's side */

/* Every ring comes from one pool: a shared mapping made when the queue
 * opens, so that a process forked from weft at any time later (the
 * spawner, spawner.c) already shares every ring there will ever be. It is
 * mapped with no access, and a process makes each ring it uses readable
 * and writable (ev_ring_enable): only those count in its address space
 * (a memory checker scanning the process for pointers reads them, not the
 * whole pool), and only their pages are ever touched. */
#define POOL_BYTES ((size_t)EV_RINGS_MAX * sizeof(struct ev_ring))

int
ev_ring_enable(struct ev_ring *r)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)r & ~(page - 1);
	uintptr_t hi = ((uintptr_t)(r + 1) + page - 1) & ~(page - 1);

	return mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE);
}

/* Gives the memory of R's pages back (rings are not page-aligned in the
 * pool: the pages it shares with its neighbours stay). */
static void
ring_release(struct ev_ring *r)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)r + page - 1) & ~(page - 1);
	uintptr_t hi = (uintptr_t)(r + 1) & ~(page - 1);

	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_REMOVE);
}

int
evq_open(struct evq *q)
{
	int fds[2];
	void *ctl, *pool;

	memset(q, 0, sizeof *q);
	q->rfd = q->wfd = -1;
	ctl = mmap(NULL, sizeof(struct ev_ctl), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctl == MAP_FAILED)
		return -1;
	q->ctl = ctl;
	pool = mmap(NULL, POOL_BYTES, PROT_NONE,
		    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pool == MAP_FAILED)
		return -1;
	q->pool = pool;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(fds[1], F_SETFL, O_NONBLOCK) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	q->rfd = fds[0];
	q->wfd = fds[1];
	q->scratch = xmalloc(EV_MAX_RECORD);
	return 0;
}

struct ev_ring *
evq_attach(struct evq *q)
{
	struct ev_ring *r;

	/* Last in, first out: the rings in use stay few and warm. */
	if (q->nfree > 0) {
		r = &q->pool[q->free[--q->nfree]];
	} else if (q->pool_used < EV_RINGS_MAX) {
		r = &q->pool[q->pool_used];
		if (ev_ring_enable(r) < 0)
			return NULL;
		q->pool_used++;
	} else {
		errno = ENOMEM;
		return NULL;
	}
	atomic_store(&r->head, 0);
	atomic_store(&r->tail, 0);
	atomic_store(&r->busy, 0);
	atomic_store(&r->want_room, 0);
	if (q->nsrc == q->capsrc) {
		q->capsrc = q->capsrc ? 2 * q->capsrc : 16;
		q->src = xrealloc(q->src, q->capsrc * sizeof *q->src);
		q->heap = xrealloc(q->heap, q->capsrc * sizeof *q->heap);
	}
	q->src[q->nsrc++] = (struct evq_src){ .ring = r };
	return r;
}

void
evq_detach(struct evq *q, struct ev_ring *ring)
{
	for (size_t i = 0; i < q->nsrc; i++) {
		if (q->src[i].ring != ring)
			continue;
		/* Asked by what a record set off, in the middle of a drain:
		 * done when the drain is over (its heap holds indexes). */
		if (q->draining) {
			q->src[i].detach = true;
			return;
		}
		q->src[i] = q->src[--q->nsrc];
		/* Beyond SPARE_MAX kept rings, its memory goes back. */
		if (q->nfree >= SPARE_MAX)
			ring_release(ring);
		if (q->free == NULL)
			q->free = xmalloc(EV_RINGS_MAX * sizeof *q->free);
		q->free[q->nfree++] = (uint16_t)(ring - q->pool);
		return;
	}
}

struct ev_sink
evq_sink(const struct evq *q, struct ev_ring *ring)
{
	return (struct ev_sink){ .ring = ring, .ctl = q->ctl, .bell = q->wfd };
}

static int
valid(const struct ev_hdr *h)
{
	return h->type >= EV_STARTED && h->type < EV_TYPE_MAX &&
	       h->len <= EV_MAX_TEXT;
}

/* Reads the order of SRC's next record into SRC->order; false when it has
 * none before its limit. */
static bool
peek(struct evq_src *src)
{
	if (src->head >= src->limit)
		return false;
	ring_get(src->ring, src->head + offsetof(struct ev_hdr, order),
		 &src->order, sizeof src->order);
	return true;
}

/* A binary heap of source indexes, smallest next order on top. */
static bool
heap_less(const struct evq *q, size_t a, size_t b)
{
	return q->src[q->heap[a]].order < q->src[q->heap[b]].order;
}

static void
heap_swap(struct evq *q, size_t a, size_t b)
{
	size_t t = q->heap[a];
	q->heap[a] = q->heap[b];
	q->heap[b] = t;
}

static void
heap_up(struct evq *q, size_t i)
{
	while (i > 0 && heap_less(q, i, (i - 1) / 2)) {
		heap_swap(q, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct evq *q, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && heap_less(q, l, m))
			m = l;
		if (l + 1 < n && heap_less(q, l + 1, m))
			m = l + 1;
		if (m == i)
			return;
		heap_swap(q, i, m);
		i = m;
	}
}

/* Tells SRC's writer how far the reader has read, waking it if it waits
 * for room. Done once every quarter ring and when the reader leaves the
 * ring, not per record: the writer's cache line is left alone. */
static void
give_room(struct evq_src *src)
{
	struct ev_ring *r = src->ring;

	if (src->told == src->head)
		return;
	src->told = src->head;
	atomic_store(&r->head, src->head);
	if (atomic_load(&r->want_room)) {
		atomic_store(&r->want_room, 0);
		atomic_fetch_add(&r->room_gen, 1);
		futex_wake(&r->room_gen, FUTEX_WAKE_ALL);
	}
}

/* Delivers SRC's next record to FN; returns its size in the ring, or 0
 * when it is malformed. */
static size_t
deliver(struct evq *q, struct evq_src *src, ev_fn *fn, void *arg)
{
	struct ev_ring *r = src->ring;
	size_t off = (size_t)(src->head & (EV_RING_SIZE - 1));
	struct event ev;
	size_t size;

	ring_get(r, src->head, &ev.h, EV_HDR_SIZE);
	if (!valid(&ev.h))
		return 0;
	size = record_size(ev.h.len);
	if (off + EV_HDR_SIZE + ev.h.len <= EV_RING_SIZE) {
		ev.text = r->data + off + EV_HDR_SIZE;
	} else {
		ring_get(r, src->head + EV_HDR_SIZE, q->scratch, ev.h.len);
		ev.text = q->scratch;
	}
	if (ev.h.order >= q->next_order)
		q->next_order = ev.h.order + 1;
	fn(&ev, arg);
	src->head += size;
	if (src->head - src->told >= EV_RING_SIZE / 4)
		give_room(src);
	return size;
}

/* The record numbered q->next_order is not in any ring yet. Looks again at
 * the sources outside the heap (N are in it): returns true when one now has
 * a record (it is put in the heap), and sets q->stalled when a writer is
 * between taking a number and publishing its record. */
static bool
look_again(struct evq *q, size_t *n)
{
	bool found = false;

	q->stalled = false;
	for (size_t i = 0; i < q->nsrc; i++) {
		struct evq_src *src = &q->src[i];
		if (src->queued)
			continue;
		/* busy first: if it is clear, the record is in the ring. */
		bool busy = atomic_load(&src->ring->busy);
		src->limit = atomic_load(&src->ring->tail);
		if (peek(src)) {
			src->queued = true;
			q->heap[(*n)++] = i;
			heap_up(q, *n - 1);
			found = true;
		} else if (busy) {
			q->stalled = true;
		}
	}
	return found;
}

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* A writer is publishing the record waited for: it takes a few dozen
 * nanoseconds unless the writer was preempted, so look again for a short
 * while, giving the CPU away after a few tries. Returns true when a record
 * turned up (it is in the heap). */
static bool
wait_gap(struct evq *q, size_t *n)
{
	for (int i = 0; i < 200 && q->stalled; i++) {
		if (i < 100)
			cpu_relax();
		else
			sched_yield();
		if (look_again(q, n))
			return true;
	}
	return false;
}

/* Delivers records up to MAX bytes; SNAPSHOT: only those in the rings now,
 * waiting for no gap. */
static int
drain(struct evq *q, size_t max, bool snapshot, ev_fn *fn, void *arg)
{
	size_t n = 0, got = 0;
	int count = 0;

	q->stalled = false;
	for (size_t i = 0; i < q->nsrc; i++) {
		struct evq_src *src = &q->src[i];
		src->limit = atomic_load(&src->ring->tail);
		src->queued = peek(src);
		if (src->queued) {
			q->heap[n++] = i;
			heap_up(q, n - 1);
		}
	}
	while (n > 0 && got < max) {
		struct evq_src *top = &q->src[q->heap[0]];
		if (!snapshot && top->order > q->next_order) {
			if (look_again(q, &n) ||
			    (q->stalled && wait_gap(q, &n)))
				continue;
			if (q->stalled) {
				uint64_t now = ev_now();
				if (q->stall_order != q->next_order) {
					q->stall_order = q->next_order;
					q->stall_t = now;
				}
				if (now - q->stall_t < STALL_NS)
					break;
				q->stalled = false; /* lost: go on */
			}
		}
		size_t size = deliver(q, top, fn, arg);
		if (size == 0) {
			count = -1;
			break;
		}
		top = &q->src[q->heap[0]]; /* FN may have attached a ring */
		got += size;
		count++;
		if (peek(top)) {
			heap_down(q, n, 0);
		} else {
			top->queued = false;
			give_room(top);
			q->heap[0] = q->heap[--n];
			heap_down(q, n, 0);
		}
	}
	for (size_t i = 0; i < n; i++) {
		q->src[q->heap[i]].queued = false;
		give_room(&q->src[q->heap[i]]);
	}
	return count;
}

/* Runs drain, refusing to nest: a record's consequences (an error that
 * finds stdout gone, which ends the session and reaps its workers) can ask
 * for a drain while one runs; the running one delivers what there is. */
static int
drain_once(struct evq *q, size_t max, bool snapshot, ev_fn *fn, void *arg)
{
	int count;

	if (q->draining)
		return 0;
	q->draining = true;
	count = drain(q, max, snapshot, fn, arg);
	q->draining = false;
	for (size_t i = q->nsrc; i-- > 0;)
		if (q->src[i].detach) {
			q->src[i].detach = false;
			evq_detach(q, q->src[i].ring);
		}
	return count;
}

int
evq_drain(struct evq *q, ev_fn *fn, void *arg)
{
	return drain_once(q, EVQ_DRAIN_MAX, false, fn, arg);
}

int
evq_drain_all(struct evq *q, ev_fn *fn, void *arg)
{
	return drain_once(q, SIZE_MAX, true, fn, arg);
}

int
evq_sleep(struct evq *q)
{
	atomic_store(&q->ctl->sleeping, 1);
	for (size_t i = 0; i < q->nsrc; i++)
		if (atomic_load(&q->src[i].ring->tail) != q->src[i].head)
			return q->stalled ? 1 : 0;
	return -1;
}

void
evq_wake(struct evq *q, bool rang)
{
	char buf[256];

	atomic_store(&q->ctl->sleeping, 0);
	/* A short read emptied it: no second read to hear EAGAIN. */
	while (rang) {
		ssize_t n = read(q->rfd, buf, sizeof buf);
		if (n >= 0 && n < (ssize_t)sizeof buf)
			break;
		if (n < 0 && errno != EINTR)
			break;
	}
}

void
evq_close(struct evq *q, bool unmap)
{
	if (q->rfd >= 0)
		close(q->rfd);
	if (q->wfd >= 0)
		close(q->wfd);
	if (unmap && q->pool != NULL)
		munmap(q->pool, POOL_BYTES);
	if (unmap && q->ctl != NULL)
		munmap(q->ctl, sizeof(struct ev_ctl));
	free(q->src);
	free(q->heap);
	free(q->free);
	free(q->scratch);
	memset(q, 0, sizeof *q);
	q->rfd = q->wfd = -1;
}
