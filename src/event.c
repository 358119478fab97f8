/*
 * event.c: framing of event records and the queue that carries them. Every
 * worker, a thread in weft or a forked child, writes records to one pipe with
 * one write() each, at most PIPE_BUF bytes, so records from many writers
 * never tear and each writer's records keep their order. A full pipe makes
 * the writer wait: nothing is ever dropped. The main loop is the only reader
 * and reassembles records by their length field.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "xmalloc.h"

uint64_t
ev_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

size_t
ev_encode(char *buf, const struct ev_hdr *h, const char *text)
{
	memcpy(buf, h, EV_HDR_SIZE);
	if (h->len > 0)
		memcpy(buf + EV_HDR_SIZE, text, h->len);
	return EV_HDR_SIZE + h->len;
}

static int
write_record(int fd, const char *buf, size_t n)
{
	for (;;) {
		ssize_t w = write(fd, buf, n);
		if (w == (ssize_t)n)
			return 0;
		if (w >= 0) { /* cannot happen for n <= PIPE_BUF on a pipe */
			errno = EIO;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

int
ev_write(int fd, struct ev_hdr *h, uint32_t *seq, const char *text, size_t len)
{
	char buf[EV_MAX_RECORD];
	uint16_t flags = h->flags;

	do {
		size_t part = len > EV_MAX_TEXT ? EV_MAX_TEXT : len;
		h->len = (uint32_t)part;
		h->flags = (uint16_t)(flags | (part < len ? EV_F_MORE : 0));
		h->seq = (*seq)++;
		if (write_record(fd, buf, ev_encode(buf, h, text)) < 0) {
			h->flags = flags;
			return -1;
		}
		text += part;
		len -= part;
	} while (len > 0);
	h->flags = flags;
	return 0;
}

static int
valid(const struct ev_hdr *h)
{
	return h->type >= EV_STARTED && h->type < EV_TYPE_MAX &&
	       h->len <= EV_MAX_TEXT;
}

int
ev_decoder_feed(struct ev_decoder *d, const void *data, size_t n, ev_fn *fn,
		void *arg)
{
	size_t off = 0;
	int count = 0;

	if (d->len + n > d->cap) {
		d->cap = d->len + n > 2 * d->cap ? d->len + n : 2 * d->cap;
		d->buf = xrealloc(d->buf, d->cap);
	}
	memcpy(d->buf + d->len, data, n);
	d->len += n;
	while (d->len - off >= EV_HDR_SIZE) {
		struct event ev;
		memcpy(&ev.h, d->buf + off, EV_HDR_SIZE);
		if (!valid(&ev.h))
			return -1;
		if (d->len - off < EV_HDR_SIZE + ev.h.len)
			break;
		ev.text = d->buf + off + EV_HDR_SIZE;
		fn(&ev, arg);
		off += EV_HDR_SIZE + ev.h.len;
		count++;
	}
	memmove(d->buf, d->buf + off, d->len - off);
	d->len -= off;
	return count;
}

size_t
ev_decoder_pending(const struct ev_decoder *d)
{
	return d->len;
}

void
ev_decoder_free(struct ev_decoder *d)
{
	free(d->buf);
	memset(d, 0, sizeof *d);
}

int
evq_open(struct evq *q)
{
	int fds[2];

	memset(q, 0, sizeof *q);
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	/* A bigger pipe lets bursts of output through without blocking. */
	(void)fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	q->rfd = fds[0];
	q->wfd = fds[1];
	return 0;
}

/* Reads up to MAX bytes, stopping early when the pipe is empty. */
static int
drain(struct evq *q, size_t max, ev_fn *fn, void *arg)
{
	char buf[65536];
	size_t got = 0;
	int total = 0;

	while (got < max) {
		size_t want = max - got < sizeof buf ? max - got : sizeof buf;
		ssize_t n = read(q->rfd, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) /* EOF cannot happen: we hold the write end */
			return -1;
		got += (size_t)n;
		int c = ev_decoder_feed(&q->dec, buf, (size_t)n, fn, arg);
		if (c < 0)
			return -1;
		total += c;
	}
	return total;
}

int
evq_drain(struct evq *q, ev_fn *fn, void *arg)
{
	return drain(q, EVQ_DRAIN_MAX, fn, arg);
}

int
evq_drain_all(struct evq *q, ev_fn *fn, void *arg)
{
	int n = 0;

	if (ioctl(q->rfd, FIONREAD, &n) < 0)
		return -1;
	return n > 0 ? drain(q, (size_t)n, fn, arg) : 0;
}

void
evq_close(struct evq *q)
{
	if (q->rfd >= 0)
		close(q->rfd);
	if (q->wfd >= 0)
		close(q->wfd);
	ev_decoder_free(&q->dec);
	q->rfd = q->wfd = -1;
}
