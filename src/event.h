/* event.h: the event record and the queue that carries it to the main loop. */
#ifndef WEFT_EVENT_H
#define WEFT_EVENT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

enum ev_type {
	/* posted by a worker, from its thread or its child process */
	EV_STARTED = 1, /* a = tid or pid, b = cpu */
	EV_OUTPUT,	/* text = one output line, a = steps so far */
	EV_END,		/* the worker's last words: a = exit code, b = steps */
	EV_STEP,	/* a step ran: a = its instruction, b = a value */
	EV_PARKED,	/* it stopped at its gate: a = the hold it obeys */
	EV_LOCK_WAIT,	/* it waits for a lock: a = lock, b = holder id or -1 */
	EV_LOCK_GOT,	/* it got the lock it waited for: a = lock */
	/* made by the main loop (types above come from workers) */
	EV_EXIT,   /* the worker finished: a = exit code */
	EV_SIGNAL, /* the process was killed: a = signal number */
	EV_CANCEL, /* the thread was cancelled: b = steps */
	EV_FAIL,   /* the task failed: text = why */
	EV_JOINED, /* main joined the worker */
	EV_TYPE_MAX
};

#define EV_FROM_WORKER(type) ((type) <= EV_LOCK_GOT)

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

struct ev_hdr {
	uint32_t len; /* bytes of text after the header */
	uint16_t type;
	uint16_t flags;
	uint32_t worker; /* worker id */
	uint32_t seq;	 /* per worker, from 0, one per record */
	uint64_t t_ns;	 /* CLOCK_MONOTONIC when the event happened */
	uint64_t step;	 /* the global step number then (sched step, seed) */
	int64_t a, b;
};

#define EV_HDR_SIZE ((size_t)sizeof(struct ev_hdr))
/* A record is written with one write() no larger than PIPE_BUF: never torn. */
#define EV_MAX_RECORD ((size_t)PIPE_BUF)
#define EV_MAX_TEXT (EV_MAX_RECORD - EV_HDR_SIZE)

struct event {
	struct ev_hdr h;
	const char *text; /* h.len bytes, not NUL-terminated */
};

/* Returns the time now on the clock events use, in nanoseconds. */
uint64_t ev_now(void);

/* Encodes H and H->len bytes of TEXT into BUF (EV_MAX_RECORD bytes); returns
 * the record's size. H->len must be at most EV_MAX_TEXT. */
size_t ev_encode(char *buf, const struct ev_hdr *h, const char *text);

/* Writes an event with LEN bytes of TEXT to FD, split into records of at
 * most EV_MAX_RECORD bytes (all but the last flagged EV_F_MORE), each in one
 * write(); advances *SEQ once per record. Blocks while the pipe is full.
 * Returns 0, or -1 with errno set. */
int ev_write(int fd, struct ev_hdr *h, uint32_t *seq, const char *text,
	     size_t len);

typedef void ev_fn(const struct event *ev, void *arg);

struct ev_decoder {
	char *buf;
	size_t len, cap;
};

/* Appends N bytes of a record stream and calls FN for each complete record,
 * in order. Returns the number of records delivered, or -1 when the stream
 * holds a malformed record (it cannot be resynchronised). */
int ev_decoder_feed(struct ev_decoder *d, const void *data, size_t n, ev_fn *fn,
		    void *arg);

/* Returns the number of bytes held back, waiting for the rest of a record. */
size_t ev_decoder_pending(const struct ev_decoder *d);

/* Frees the decoder's buffer. */
void ev_decoder_free(struct ev_decoder *d);

/* The queue: one pipe that every worker, thread or process, writes records
 * to, and that only the main loop reads. */
struct evq {
	int rfd, wfd;
	struct ev_decoder dec;
};

/* Opens the queue (read end non-blocking, close-on-exec). Returns 0 or -1. */
int evq_open(struct evq *q);

/* Most bytes one evq_drain reads, so that busy writers cannot keep the
 * main loop from its signals and input. */
#define EVQ_DRAIN_MAX (256 * 1024)

/* Reads the records now in the queue (up to EVQ_DRAIN_MAX bytes) and calls
 * FN for each. Returns the number delivered, or -1 on a malformed stream or
 * a read error. */
int evq_drain(struct evq *q, ev_fn *fn, void *arg);

/* Reads exactly the bytes that are in the queue at the time of the call,
 * however many: every record written before it is delivered. Returns the
 * number of records, or -1. */
int evq_drain_all(struct evq *q, ev_fn *fn, void *arg);

/* Closes both ends and frees the decoder. */
void evq_close(struct evq *q);

#endif
