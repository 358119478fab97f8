/* event.h: the event record and the queue that carries it to the main loop. */
#ifndef WEFT_EVENT_H
#define WEFT_EVENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ev_type {
	/* posted by a worker, from its thread or its child process */
	EV_STARTED = 1, /* a = tid or pid, b = cpu */
	EV_OUTPUT,	/* text = one output line, a = steps so far */
	EV_END,		/* the worker's last words: a = exit code, b = steps,
			 * c = its CPU time in ns by its own clock */
	EV_STEP,	/* a step ran: a = its instruction, b = a value; text:
			   its line, for a body's step (EV_F_OPEN) */
	EV_PARKED,	/* it stopped at its gate: a = the hold it obeys */
	EV_LOCK_WAIT,	/* it waits for a lock: a = lock, b = holder id or -1 */
	EV_LOCK_GOT,	/* it got the lock it waited for: a = lock */
	/* The objects beyond the lock (sync.h), a = the object, and for
	 * WOKE, WAKE and PASS bits 32 up of a: a ticket (sync.h; a wake's
	 * first): */
	EV_SYNC_WAIT, /* it sleeps; text: on what ("semaphore s") */
	EV_SYNC_WOKE, /* it woke from that sleep */
	/* its statement (text: "signal s") woke others: b = the slot of the
	 * first + 1 (0: none, EV_F_LOST), bits 32 up: how many */
	EV_SYNC_WAKE,
	/* a value went into a queue (put), or came out of it (get, b = 1):
	 * kept for export's arrows, never printed */
	EV_SYNC_PASS,
	/* it asks the main loop to serve a request (pyrun.c's mailbox) */
	EV_CALL,
	/* made by the main loop (types above come from workers) */
	EV_EXIT,      /* the worker finished: a = exit code */
	EV_SIGNAL,    /* the process was killed: a = signal number */
	EV_CANCEL,    /* the thread was cancelled: b = steps */
	EV_FAIL,      /* the task failed: text = why */
	EV_JOINED,    /* main joined the worker */
	EV_STOPPED,   /* the process was stopped: a = signal number */
	EV_CONTINUED, /* the process was continued (SIGCONT) */
	EV_IGNORED,   /* kill sent a signal it ignores: a = signal number */
	EV_TYPE_MAX
};

#define EV_FROM_WORKER(type) ((type) <= EV_CALL)

/* Record flags. EV_F_MORE: the text goes on in this worker's next record.
 * EV_F_CANCELLED (EV_END): the worker stopped on a cancel request.
 * EV_F_FAILED (EV_END): the task failed; the text says why. */
#define EV_F_MORE 0x1
#define EV_F_CANCELLED 0x2
#define EV_F_FAILED 0x4
/* EV_F_STEP (EV_OUTPUT): the line is what a step printed; its step's line
 * goes before it (b = the instruction); the step's end follows as EV_STEP.
 * EV_F_VALUE (EV_STEP): b holds a value the step read, computed or wrote.
 * EV_F_DONE (EV_STEP): a loop step found its loop over. */
#define EV_F_STEP 0x8
#define EV_F_VALUE 0x10
#define EV_F_DONE 0x20
/* EV_F_QUIET (EV_STEP): the step's line was shown with its output. */
#define EV_F_QUIET 0x40
/* EV_F_LOST (EV_SYNC_WAKE): a notify or signal found nobody waiting. */
#define EV_F_LOST 0x80
/* A step of a worker running a body (a Python line), whose text is its
 * line: EV_F_OPEN (EV_STEP) the line of a step still under way, posted
 * before what it prints; EV_F_SHOWN (EV_STEP) the step's end, its line
 * shown already by its EV_F_OPEN record. */
#define EV_F_OPEN 0x100
#define EV_F_SHOWN 0x200

struct ev_hdr {
	uint32_t len; /* bytes of text after the header */
	uint16_t type;
	uint16_t flags;
	uint32_t worker; /* worker id */
	uint32_t seq;	 /* per worker, from 0, one per record */
	uint64_t order;	 /* across all workers: the order they were posted */
	uint64_t t_ns;	 /* CLOCK_MONOTONIC when the event happened */
	uint64_t step;	 /* the global step number then (sched step, seed) */
	int64_t a, b;
	int64_t c; /* EV_END's CPU time; 0 in every other record */
};

#define EV_HDR_SIZE ((size_t)sizeof(struct ev_hdr))
/* Longer text is split into records of at most this size, so that one
 * record always fits a ring with room to spare. */
#define EV_MAX_RECORD ((size_t)4096)
#define EV_MAX_TEXT (EV_MAX_RECORD - EV_HDR_SIZE)
/* Bytes of records one worker's ring holds (a power of two). */
#define EV_RING_SIZE ((size_t)64 * 1024)
/* Rings attached at once, at most: weft's WORKER_MAX. */
#define EV_RINGS_MAX 4096

struct event {
	struct ev_hdr h;
	const char *text; /* h.len bytes, not NUL-terminated */
};

/* Returns the time now on the clock events use, in nanoseconds. */
uint64_t ev_now(void);

/* The queue. Every worker, thread or process, writes its records into a
 * ring of its own in shared memory (MAP_SHARED, so a forked child's ring is
 * its parent's); only the main loop reads them, merging the rings in the
 * order the records were posted. A writer rings the doorbell, a pipe the
 * main loop polls, only when the main loop has said it is going to sleep:
 * a busy stream of records costs no system call at all. */
struct ev_ring; /* one writer's ring */
struct ev_ctl;	/* the shared counter and the reader's sleep flag */

/* What a worker writes with: its ring, the queue's shared part and the
 * doorbell's write end. */
struct ev_sink {
	struct ev_ring *ring;
	struct ev_ctl *ctl;
	int bell;
	uint64_t room; /* bytes it may publish before it looks again */
};

/* Hooks around a writer's wait for room in its full ring: LEAVE, called
 * before the writer sleeps, lets go of what the reader may need to make
 * room (CPython's GIL, which weft's main loop takes to ask Python about a
 * line) and returns what BACK, called once it wakes, takes again. NULL:
 * none. Set once, before a writer could wait. */
void ev_set_wait_hooks(void *(*leave)(void), void (*back)(void *));

/* Writes an event with LEN bytes of TEXT to the sink's ring, split into
 * records of at most EV_MAX_RECORD bytes (all but the last flagged
 * EV_F_MORE); stamps each with the next global order and *SEQ, advancing
 * *SEQ once per record. Waits while the ring is full: nothing is
 * dropped. Returns 0, or -1 when the doorbell is broken (the reader is
 * gone: nothing more can be told). */
int ev_post(struct ev_sink *k, struct ev_hdr *h, uint32_t *seq,
	    const char *text, size_t len);

typedef void ev_fn(const struct event *ev, void *arg);

/* The reader's side of one ring. */
struct evq_src {
	struct ev_ring *ring;
	uint64_t head;	/* the reader's copy of what it has consumed */
	uint64_t told;	/* ... and what the writer was told of it */
	uint64_t limit; /* read no further than this in this drain */
	uint64_t order; /* the next record's order, while in the heap */
	bool queued;	/* in the heap */
	bool detach;	/* detached during a drain: drop it after */
};

struct evq {
	int rfd, wfd; /* the doorbell */
	struct ev_ctl *ctl;
	struct evq_src *src; /* the rings being read */
	size_t nsrc, capsrc;
	size_t *heap;	      /* indexes in src, by their next record's order */
	struct ev_ring *pool; /* EV_RINGS_MAX rings, mapped at open */
	size_t pool_used;     /* rings of the pool ever handed out */
	uint16_t *free;	      /* rings given back, by index, newest last */
	size_t nfree;
	uint64_t next_order;  /* the order expected next */
	uint64_t stall_order; /* a gap waited for since stall_t */
	uint64_t stall_t;
	bool stalled;
	bool draining; /* a drain is delivering (FN may call back) */
	char *scratch; /* a record that wraps around its ring's end */
};

/* Opens the queue: the doorbell (read end non-blocking, both close-on-exec)
 * and the shared part. Returns 0, or -1 with errno set. */
int evq_open(struct evq *q);

/* A ring for a new writer, empty, read by the queue from now on, from the
 * pool the queue mapped when it opened. Returns NULL with errno ENOMEM when
 * EV_RINGS_MAX rings are attached already (or no memory is left). */
struct ev_ring *evq_attach(struct evq *q);

/* Makes RING usable in this process, which was forked from the reader's
 * after the queue opened but before RING was attached: the pool is mapped
 * with no access, and each process opens the rings it uses. Returns 0, or
 * -1 with errno set. */
int ev_ring_enable(struct ev_ring *ring);

/* Stops reading RING, whose writer has gone for good (what it left unread
 * is dropped: drain first), and keeps it for a later writer. */
void evq_detach(struct evq *q, struct ev_ring *ring);

/* The sink a writer of RING posts to. */
struct ev_sink evq_sink(const struct evq *q, struct ev_ring *ring);

/* Most bytes one evq_drain delivers, so that busy writers cannot keep the
 * main loop from its signals and input. */
#define EVQ_DRAIN_MAX (256 * 1024)

/* Delivers records (up to EVQ_DRAIN_MAX bytes) to FN in the order they
 * were posted. A record posted before one already seen but not yet in its
 * ring (its writer is between the two) is waited for, briefly: evq_sleep
 * then says to come back soon. Returns the number delivered, or -1 when a
 * ring holds a malformed record. */
int evq_drain(struct evq *q, ev_fn *fn, void *arg);

/* Delivers every record that is in the rings at the time of the call,
 * however many, in order as far as they tell, waiting for no gap. Returns
 * the number delivered, or -1. */
int evq_drain_all(struct evq *q, ev_fn *fn, void *arg);

/* Before the main loop sleeps in poll(): says so to the writers, and
 * returns the longest it may sleep in ms: 0 when records wait to be read,
 * 1 while a gap is waited for, -1 for as long as it likes. */
int evq_sleep(struct evq *q);

/* After poll(): tells the writers the main loop is awake, and empties the
 * doorbell when RANG. */
void evq_wake(struct evq *q, bool rang);

/* Closes the queue. The rings are unmapped only when UNMAP: a worker that
 * would not stop may still be writing to its ring. */
void evq_close(struct evq *q, bool unmap);

#endif
