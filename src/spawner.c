/*
 * spawner.c: weft's side of the spawner (see spawner.h): making it,
 * handing it start requests, learning what came of them, and reaping;
 * the spawner's own side is spawner-serve.c.
 *
 * A request is a fixed header and its payload on a stream socket, and
 * has a number. The spawner does not answer: what came of the request it
 * took up last is on a page that weft and the spawner share (the board).
 * Before its clone the spawner writes the request's number there, and the
 * kernel writes the child's pid there (CLONE_PARENT_SETTID) before the
 * clone is done and before the child runs; a SIGKILL cannot come between
 * the two. So after the spawner's death the board tells whether it made a
 * child for the request: weft then adopts that child, or asks a new
 * spawner, and a worker never starts twice. A clone that fails is written
 * there too, and the spawner rings weft's doorbell. At its birth the
 * spawner says on the socket whether it can fork at all (see spawner.h).
 *
 * Every wait of weft on the spawner (its first word, a request that does
 * not fit the socket's buffer) gives up when SIGTERM, SIGHUP or SIGINT is
 * waiting on weft's signalfd, and looks every WAIT_SLICE_MS whether the
 * spawner is still alive.
 */
#include "iov.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawner-proto.h"
#include "spawner.h"
#include "xmalloc.h"

/* How long a wait on the spawner sleeps before it looks whether the
 * spawner lives; and how many spawners may die under one request before
 * its start fails. */
#define WAIT_SLICE_MS 20
#define SPAWNER_BIRTHS 8

static struct board *board;

static struct {
	pid_t pid;	       /* 0: no spawner */
	int req;	       /* weft's end of its socket, non-blocking */
	const struct shm *shm; /* the session it was made for */
	int bell;
	bool unable;	  /* it said it cannot fork: weft forks itself */
	uint32_t last_no; /* the number of the last request made */
	/* The start under way, from its request to its end (spawner_settle):
	 * its worker, the request as sent, and how many spawners it saw. */
	bool busy;
	uint32_t wid;
	struct req rq;
	struct buf payload;
	int births;
} sp = { .req = -1, .bell = -1 };

/* weft's signalfd: a wait on the spawner gives up when it has a signal
 * that ends waits. */
static int sigfd = -1;

void
spawner_signals(int fd)
{
	sigfd = fd;
}

/* Is SIGTERM, SIGHUP or SIGINT waiting to be read? (SIGCHLD and SIGWINCH
 * wait for the main loop.) */
static bool
ending_signal(void)
{
	sigset_t set;

	return sigpending(&set) == 0 && (sigismember(&set, SIGTERM) == 1 ||
					 sigismember(&set, SIGHUP) == 1 ||
					 sigismember(&set, SIGINT) == 1);
}

/* Is child PID still running (neither ended nor reaped)? */
static bool
alive(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) ==
		       0 &&
	       si.si_pid == 0;
}

/* Waits until weft's end of the socket is ready for EVENTS. Returns 0;
 * or -1 with errno EINTR when a signal that ends waits has come, EPIPE
 * when the spawner has died (a child it made a moment ago may hold the
 * socket open, so its end is not always seen on the socket). */
static int
await(short events)
{
	struct pollfd p[2] = { { sp.req, events, 0 }, { sigfd, POLLIN, 0 } };
	nfds_t n = sigfd >= 0 ? 2 : 1;

	for (;;) {
		int k = poll(p, n, WAIT_SLICE_MS);
		if (k < 0 && errno != EINTR)
			return -1;
		if (ending_signal()) {
			errno = EINTR;
			return -1;
		}
		if (p[0].revents != 0)
			return 0;
		/* Another signal, the main loop's to read: from now on the
		 * slices alone look for an ending one. */
		if (k > 0 && (p[1].revents & POLLIN))
			n = 1;
		if (!alive(sp.pid)) {
			errno = EPIPE;
			return -1;
		}
	}
}

/* Reads weft's end of the socket: N bytes to P. Returns 0, or -1 (errno
 * EINTR, EPIPE or another). */
static int
await_read(void *p, size_t n)
{
	char *c = p;

	while (n > 0) {
		ssize_t k = read(sp.req, c, n);
		if (k > 0) {
			c += k;
			n -= (size_t)k;
		} else if (k == 0) {
			errno = EPIPE;
			return -1;
		} else if (errno == EAGAIN) {
			if (await(POLLIN) < 0)
				return -1;
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

/* Kills the spawner and reaps it: whatever it was doing is done, and the
 * board says what. Nothing to do when there is none. */
static void
spawner_reap(void)
{
	if (sp.pid == 0)
		return;
	close(sp.req);
	/* It would leave at the end of its requests; stopped, it would not. */
	kill(sp.pid, SIGKILL);
	while (waitpid(sp.pid, NULL, 0) < 0 && errno == EINTR)
		;
	sp.pid = 0;
	sp.req = -1;
	sp.shm = NULL;
	sp.bell = -1;
}

/* Maps the board, once: every spawner is forked after it. Returns 0 or
 * -1. */
static int
board_map(void)
{
	void *p;

	if (board != NULL)
		return 0;
	p = mmap(NULL, sizeof *board, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	/* The kernel writes a child's pid there: never swapped out. */
	mlock(p, sizeof *board);
	board = p;
	return 0;
}

/* Makes the spawner for the session whose shared segment is SHM. Returns
 * 0; 1 when it cannot fork weft's children; 2 when it died before it
 * said whether it can (killed by someone: another may be made); or -1
 * with ERR set. */
static int
spawner_open(const struct shm *shm, int bell, char *err, size_t errlen,
	     const char *who)
{
	int sv[2];
	int32_t hello;
	pid_t weft = getpid(), pid;

	if (board_map() < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "cannot start '%s': %s", who,
			 strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "cannot start '%s': fork: %s", who,
			 strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0)
		spawner_main(weft, sv[1], bell, board);
	close(sv[1]);
	sp.pid = pid;
	sp.req = sv[0];
	sp.shm = shm;
	sp.bell = bell;
	fcntl(sp.req, F_SETFL, fcntl(sp.req, F_GETFL) | O_NONBLOCK);
	if (await_read(&hello, sizeof hello) < 0) {
		int e = errno;
		spawner_reap();
		if (e != EINTR)
			return 2;
		snprintf(err, errlen, "cannot start '%s': interrupted", who);
		return -1;
	}
	if (hello < 0) {
		spawner_reap();
		sp.unable = true;
		return 1;
	}
	return 0;
}

/* The payload of W's start request, after its header RQ. */
static void
start_payload(const struct worker *w, struct req *rq, struct buf *b)
{
	const struct task_def *d = w->task->def;

	buf_add(b, w->cells, d->nglobals * sizeof *w->cells);
	for (size_t i = 0; i < d->nglobals; i++) {
		struct req_val v = { 0, 0 };
		v.set = cell_get(w->cells[i], &v.v);
		buf_add(b, &v, sizeof v);
	}
	buf_add(b, w->lockmap, d->nlocks * sizeof *w->lockmap);
	for (int i = 0; i < w->argc; i++) {
		buf_add(b, w->argv[i], strlen(w->argv[i]) + 1);
		rq->args[i] =
			(struct req_arg){ w->args[i].is_str, w->args[i].i };
	}
	/* Its text as given, so that an error's line and column are the
	 * same in a process as in a thread. */
	buf_add(b, d->source, d->source_len);
	rq->textlen = (uint32_t)d->source_len;
	rq->size = (uint32_t)b->len;
	rq->nglobals = (uint32_t)d->nglobals;
	rq->nlocks = (uint32_t)d->nlocks;
	rq->argc = w->argc;
}

/* Sends the request under way. Returns 0; or -1 with errno EINTR (a
 * signal ends the wait) or EPIPE (the spawner is gone: it cannot have
 * read it whole, so it did nothing with it). */
static int
ask(void)
{
	struct iovec iov[2] = { { &sp.rq, sizeof sp.rq },
				{ sp.payload.data, sp.payload.len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	size_t left = sizeof sp.rq + sp.payload.len;

	/* One call in all but rare cases: a socket's buffer holds it. */
	while (left > 0) {
		ssize_t k = sendmsg(sp.req, &mh, MSG_NOSIGNAL);
		if (k < 0 && errno == EAGAIN) {
			if (await(POLLOUT) < 0)
				return -1;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			errno = EPIPE;
			return -1;
		}
		left -= (size_t)k;
		iov_advance(&mh, (size_t)k);
	}
	return 0;
}

/* Hands the start under way to a spawner, making one when there is none
 * and another when it dies before it has read the whole request. Returns
 * 0, 1 when there can be no spawner, or -1 with ERR set. */
static int
hand_over(const struct worker *w, int evfd, char *err, size_t errlen)
{
	int rc;

	for (;;) {
		if (sp.pid == 0 && sp.births++ == SPAWNER_BIRTHS) {
			snprintf(err, errlen,
				 "cannot start '%s': the spawner keeps dying",
				 w->name);
			return -1;
		}
		if (sp.pid == 0 && (rc = spawner_open(w->shm, evfd, err, errlen,
						      w->name)) != 0) {
			if (rc == 2)
				continue;
			return rc;
		}
		if (ask() == 0)
			return 0;
		if (errno == EINTR) {
			snprintf(err, errlen, "cannot start '%s': interrupted",
				 w->name);
			return -1;
		}
		spawner_reap();
	}
}

/* Ends the start under way. */
static void
done(void)
{
	sp.busy = false;
	buf_free(&sp.payload);
	/* Killed while it served the start, its SIGCHLD was passed over by
	 * the sweep (a busy spawner's end is the start's to read): reap it
	 * now, or it would stay a zombie until the next start. */
	if (sp.pid != 0 && !alive(sp.pid))
		spawner_reap();
}

int
spawner_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	int rc;

	if (sp.unable)
		return 1;
	if (sp.busy) /* a caller's bug: it would lose track of a child */
		spawner_close();
	/* A spawner made for another session (tests make several in one
	 * process) knows nothing of this one's memory. */
	if (sp.pid != 0 && (sp.shm != w->shm || sp.bell != evfd))
		spawner_close();
	memset(&sp.rq, 0, sizeof sp.rq);
	sp.rq.no = ++sp.last_no == 0 ? ++sp.last_no : sp.last_no;
	sp.rq.id = w->id;
	sp.rq.slot = w->slot;
	sp.rq.epoch0 = w->epoch0;
	sp.rq.sink = w->sink;
	sp.rq.shm = w->shm;
	memcpy(sp.rq.name, w->name, sizeof sp.rq.name);
	start_payload(w, &sp.rq, &sp.payload);
	sp.busy = true;
	sp.wid = w->id;
	sp.births = 0;
	if ((rc = hand_over(w, evfd, err, errlen)) != 0)
		done();
	return rc;
}

/* What the board says of the start under way, W's: 0 its child exists
 * (W->pid set), 1 nothing yet, 2 there can be no spawner, or -1 it
 * failed (ERR set). */
static int
board_says(struct worker *w, char *err, size_t errlen)
{
	int32_t pid, e;

	if (atomic_load_explicit(&board->no, memory_order_acquire) != sp.rq.no)
		return 1;
	pid = atomic_load_explicit(&board->pid, memory_order_relaxed);
	e = atomic_load_explicit(&board->err, memory_order_acquire);
	if (pid > 0) {
		w->pid = pid;
		return 0;
	}
	if (e == 0)
		return 1;
	/* A clone that this system refuses as such (a seccomp filter may
	 * forbid CLONE_PARENT), not for want of resources: weft forks its
	 * workers itself from now on. */
	if (e == EPERM || e == ENOSYS || e == EINVAL) {
		spawner_reap();
		sp.unable = true;
		return 2;
	}
	if (e == EPROTO)
		snprintf(err, errlen,
			 "cannot start '%s': internal: the spawner could not "
			 "read its task",
			 w->name);
	else
		snprintf(err, errlen, "cannot start '%s': fork: %s", w->name,
			 strerror(e));
	return -1;
}

/* The spawner is dead or killed now, and reaped: the board is final. What
 * it says of W's start, or, when the spawner never made W's child, the
 * start handed to another (1) or ERR set (-1; with GIVE_UP, at once). */
static int
after_death(struct worker *w, bool give_up, char *err, size_t errlen)
{
	int rc = board_says(w, err, errlen);

	if (rc != 1)
		return rc;
	if (give_up) {
		snprintf(err, errlen, "cannot start '%s': interrupted",
			 w->name);
		return -1;
	}
	rc = hand_over(w, w->sink.bell, err, errlen);
	return rc == 0 ? 1 : rc == 1 ? 2 : -1;
}

int
spawner_settle(struct worker *w, bool give_up, char *err, size_t errlen)
{
	int rc;

	if (!sp.busy || sp.wid != w->id) {
		snprintf(err, errlen,
			 "cannot start '%s': internal: no start "
			 "under way",
			 w->name);
		return -1;
	}
	rc = board_says(w, err, errlen);
	if (rc == 1 && sp.pid != 0 && alive(sp.pid) && !give_up)
		return 1;
	if (rc == 1) {
		spawner_reap();
		rc = after_death(w, give_up, err, errlen);
	}
	if (rc != 1)
		done();
	return rc;
}

/* The pids of the main thread's children (the spawner's clones are its
 * children too), as text ("12 345 "), LEN bytes; NULL when the kernel
 * does not list them (no CONFIG_PROC_CHILDREN). */
static char *
children(size_t *len)
{
	int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
	size_t cap = 256;
	char *list;
	ssize_t k;

	if (fd < 0)
		return NULL;
	list = xmalloc(cap);
	*len = 0;
	/* One byte kept for a NUL: strtol on the last number must stop. */
	while ((k = read(fd, list + *len, cap - 1 - *len)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(list);
			close(fd);
			return NULL;
		}
		*len += (size_t)k;
		if (*len == cap - 1)
			list = xrealloc(list, cap *= 2);
	}
	close(fd);
	list[*len] = '\0';
	return list;
}

/* The child of the start under way, when the board names it; 0 if not. */
static pid_t
under_way_child(void)
{
	if (sp.busy && atomic_load(&board->no) == sp.rq.no)
		return atomic_load(&board->pid);
	return 0;
}

/* Is child C, which has ended (asked just now), none that weft keeps
 * track of? The board is read after the child's end was seen: a child
 * runs only once the kernel has written its pid there. */
static bool
stray(pid_t c, bool (*known)(pid_t pid, void *arg), void *arg)
{
	return c != sp.pid && c != under_way_child() && !known(c, arg);
}

/* Has child C ended (not reaped yet)? */
static bool
ended(pid_t c)
{
	return c != sp.pid && !alive(c);
}

/* The sweep without a list of children: reaps those that waitid shows
 * while they are strays, and stops at the first that is not (a worker's
 * zombie stays until join), which hides any behind it. */
static void
sweep_blind(bool (*known)(pid_t pid, void *arg), void *arg)
{
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
		    si.si_pid == 0 || !stray(si.si_pid, known, arg))
			return;
		waitpid(si.si_pid, NULL, WNOHANG);
	}
}

void
spawner_sweep(bool (*known)(pid_t pid, void *arg), void *arg)
{
	char *list;
	size_t len;

	/* One that died between two starts is reaped at once. */
	if (sp.pid != 0 && !sp.busy && !alive(sp.pid))
		spawner_reap();
	if ((list = children(&len)) == NULL) {
		sweep_blind(known, arg);
		return;
	}
	for (char *p = list, *end; p < list + len; p = end) {
		long c = strtol(p, &end, 10);
		if (end == p)
			break;
		if (c > 0 && ended((pid_t)c) && stray((pid_t)c, known, arg))
			waitpid((pid_t)c, NULL, WNOHANG);
	}
	free(list);
}

void
spawner_close(void)
{
	/* A child made for a start nobody will settle now: nobody would
	 * ever reap it. */
	if (sp.busy) {
		spawner_reap();
		if (atomic_load(&board->no) == sp.rq.no &&
		    atomic_load(&board->pid) > 0) {
			pid_t c = atomic_load(&board->pid);
			kill(c, SIGKILL);
			while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
				;
		}
		done();
	}
	spawner_reap();
}
