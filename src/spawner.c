/*
 * spawner.c: the spawner (see spawner.h). Three sides live here: weft's
 * (spawner_start, spawner_close), the spawner's own loop, and a new
 * worker's first moments in its process.
 *
 * The spawner is a fork of weft made after the session's shared segment
 * and ring pool were mapped, so every pointer into them means the same in
 * the spawner and in its children, and a request can carry them as they
 * are. What weft made later in its own memory cannot be pointed at: the
 * task travels as the text it was parsed from, which the spawner parses
 * once and keeps; the arguments travel as words; a plain variable's value
 * as it is at the start, written into the child's own copy of its cell.
 *
 * A request is a fixed header and its payload on a stream socket; the
 * answer is the child's pid or -errno. At its birth the spawner says
 * whether it can fork at all (see spawner.h).
 *
 * Its children are made as glibc's fork() makes a child, less what only a
 * process with threads or atfork handlers needs (the spawner has neither):
 * the kernel writes the child's tid where the thread's descriptor keeps it
 * (CLONE_CHILD_SETTID, at the address the kernel was given for
 * CLONE_CHILD_CLEARTID), and the child registers its robust mutex list
 * again, which the kernel does not carry over a fork.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawner.h"
#include "worker.h"
#include "xmalloc.h"

/* Descriptors in the spawner (0 to 2 are /dev/null) and in its children,
 * which keep only the first three and the doorbell. */
#define FD_BELL 3 /* the doorbell's write end */
#define FD_REQ 4  /* requests in, answers out */

struct req_arg {
	bool is_str;
	int64_t i;
};

/* A global's value at the start, or that it has none (set 0). */
struct req_val {
	int64_t v;
	int64_t set;
};

/* A start request. Its payload follows: the cells (nglobals pointers),
 * the cells' values (nglobals req_vals), the lock indexes (nlocks), the
 * argument words (each NUL-terminated), then the task's text. */
struct req {
	uint32_t size; /* bytes of payload */
	uint32_t id;
	int32_t slot;
	uint32_t epoch0;
	int32_t argc;
	uint32_t nglobals, nlocks, textlen;
	struct ev_sink sink;
	struct shm *shm;
	char name[WORKER_NAME_MAX + 1];
	struct req_arg args[AST_MAX_PARAMS];
};

/* Reads or writes exactly N bytes; -1 at an error or the end. */
static int
full_io(int fd, void *p, size_t n, bool out)
{
	char *c = p;

	while (n > 0) {
		ssize_t k = out ? send(fd, c, n, MSG_NOSIGNAL) : read(fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The child's side */

/* What the spawner learnt at its birth: where its thread's descriptor
 * keeps the tid, and its robust mutex list. */
static int *tid_addr;
static void *robust_head;
static size_t robust_len;

/* A new worker, in its process: filled in from the request, then run.
 * On a page of its own: each page the child writes costs it a fault. */
static struct worker child __attribute__((aligned(4096)));

static bool
in_shm(const struct shm *shm, const cell_t *c)
{
	return c >= shm->cells && c < shm->cells + SHM_CELLS;
}

/* In the child: dies with weft, keeps nothing open but /dev/null and the
 * doorbell, then runs the worker's task. Its signals are as the spawner
 * left them: every action the default, none blocked. */
static _Noreturn void
child_run(pid_t weft, const struct req *rq, char *payload, const struct task *t)
{
	cell_t **cells = (cell_t **)payload;
	const struct req_val *values =
		(const struct req_val *)(cells + rq->nglobals);
	int *lockmap = (int *)(values + rq->nglobals);
	char *word = (char *)(lockmap + rq->nlocks);
	struct worker *w = &child;

	/* Each page of code a new process runs costs it a page fault: these
	 * calls all go through syscall(), whose page it has run already. */
	syscall(SYS_set_robust_list, robust_head, robust_len);
	syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (syscall(SYS_getppid) != weft) /* weft died before prctl */
		_exit(1);
	syscall(SYS_close_range, FD_BELL + 1, ~0u, 0);

	w->id = rq->id;
	memcpy(w->name, rq->name, sizeof w->name);
	w->kind = WORKER_PROCESS;
	w->be = &process_backend;
	w->slot = rq->slot;
	w->argc = rq->argc;
	for (int i = 0; i < rq->argc; i++) {
		w->argv[i] = word;
		w->args[i].is_str = rq->args[i].is_str;
		w->args[i].i = rq->args[i].i;
		w->args[i].s = rq->args[i].is_str ? word : NULL;
		word += strlen(word) + 1;
	}
	/* Its own copy of a plain variable holds weft's value now (or has
	 * none, whatever the spawner's old copy held), as after a fork of
	 * weft itself. */
	for (uint32_t i = 0; i < rq->nglobals; i++) {
		if (in_shm(rq->shm, cells[i]))
			continue;
		if (values[i].set)
			cell_put(cells[i], values[i].v);
		else
			cell_unset(cells[i]);
	}
	w->cells = cells;
	w->lockmap = lockmap;
	w->shm = rq->shm;
	w->sink = rq->sink;
	w->sink.bell = FD_BELL;
	w->epoch0 = rq->epoch0;
	worker_adopt(w, t->def, t->prog);
	_exit(worker_main(w) & 0xff);
}

/* The spawner's side */

/* Tasks it has parsed, by their text, reused round robin. */
#define TASK_CACHE 16

static struct {
	char *text;
	size_t len;
	struct task t;
} cache[TASK_CACHE];
static size_t cache_next;

/* The task whose text is TEXT, parsed once. NULL when it does not parse or
 * does not match what weft bound (a bug: both sides run one parser). */
static const struct task *
task_for(const char *text, size_t len, const struct req *rq)
{
	struct parse_error perr;
	struct task_def *def;
	size_t used, k;

	for (size_t i = 0; i < TASK_CACHE; i++)
		if (cache[i].text != NULL && cache[i].len == len &&
		    memcmp(cache[i].text, text, len) == 0)
			return &cache[i].t;
	def = parse_task(text, len, &used, &perr);
	if (def == NULL)
		return NULL;
	if (def->nglobals != rq->nglobals || def->nlocks != rq->nlocks ||
	    def->nparams != rq->argc) {
		task_def_free(def);
		return NULL;
	}
	k = cache_next++ % TASK_CACHE;
	if (cache[k].text != NULL) {
		free(cache[k].text);
		task_def_free(cache[k].t.def);
		program_free(cache[k].t.prog);
	}
	cache[k].text = xstrndup(text, len);
	cache[k].len = len;
	cache[k].t.def = def;
	cache[k].t.prog = program_compile(def);
	return &cache[k].t;
}

/* Serves a start: forks weft's child, answers with its pid or -errno. */
static void
serve_start(pid_t weft, const struct req *rq, char *payload)
{
	size_t fixed = (size_t)rq->nglobals *
			       (sizeof(cell_t *) + sizeof(struct req_val)) +
		       (size_t)rq->nlocks * sizeof(int);
	const struct task *t = NULL;
	int32_t answer;
	long pid;

	if (fixed <= rq->size && rq->textlen <= rq->size - fixed &&
	    rq->argc >= 0 && rq->argc <= AST_MAX_PARAMS)
		t = task_for(payload + rq->size - rq->textlen, rq->textlen, rq);
	if (t == NULL) {
		answer = -EPROTO;
	} else if (ev_ring_enable(rq->sink.ring) < 0) {
		answer = -errno;
	} else if ((pid = syscall(SYS_clone,
				  CLONE_PARENT | CLONE_CHILD_SETTID |
					  CLONE_CHILD_CLEARTID | SIGCHLD,
				  NULL, NULL, tid_addr, 0)) < 0) {
		answer = -errno;
	} else if (pid == 0) {
		child_run(weft, rq, payload, t);
	} else {
		answer = (int32_t)pid;
	}
	full_io(FD_REQ, &answer, sizeof answer, true);
}

/* Readies what its children inherit: /dev/null as 0 to 2, the doorbell
 * as FD_BELL, every signal's action the default (weft's handlers and a
 * sanitizer's go), none blocked. Returns 0, or -1. */
static int
spawner_setup(int req, int bell)
{
	struct sigaction sa;
	sigset_t none;
	/* Each out of the way first, then into place: every descriptor up
	 * to FD_REQ is a target, so nothing stays there by chance. */
	int null = fcntl(open("/dev/null", O_RDWR), F_DUPFD, FD_REQ + 1);
	int from[] = { null, null, null, fcntl(bell, F_DUPFD, FD_REQ + 1),
		       fcntl(req, F_DUPFD, FD_REQ + 1) };

	for (int fd = 0; fd <= FD_REQ; fd++)
		if (from[fd] < 0 || dup2(from[fd], fd) < 0)
			return -1;
	close_range(FD_REQ + 1, ~0u, 0);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP &&
		    sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	return sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The spawner's life, from its fork: it says whether it can fork weft's
 * children, then serves until weft closes its end. */
static _Noreturn void
spawner_main(pid_t weft, int req, int bell)
{
	char *payload = NULL;
	size_t cap = 0;
	int32_t hello = 0;
	struct req rq;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != weft)
		_exit(1);
	/* Its own process group, which its children join: Ctrl-C at the
	 * terminal is for weft alone. */
	setpgid(0, 0);
	if (spawner_setup(req, bell) < 0)
		_exit(1);
	worker_init_sync(&child); /* no thread holds them: fine to copy */
	if (prctl(PR_GET_TID_ADDRESS, &tid_addr) < 0 ||
	    syscall(SYS_get_robust_list, 0, &robust_head, &robust_len) < 0)
		hello = -errno;
	if (full_io(FD_REQ, &hello, sizeof hello, true) < 0 || hello < 0)
		_exit(0);
	while (full_io(FD_REQ, &rq, sizeof rq, false) == 0) {
		if (rq.size > cap) {
			cap = rq.size;
			payload = xrealloc(payload, cap);
		}
		if (full_io(FD_REQ, payload, rq.size, false) < 0)
			break;
		serve_start(weft, &rq, payload);
	}
	_exit(0);
}

/* weft's side */

static struct {
	pid_t pid; /* 0: no spawner */
	int req;
	const struct shm *shm; /* the session it was made for */
	int bell;
	bool unable; /* it said it cannot fork: weft forks itself */
} sp = { 0, -1, NULL, -1, false };

/* Makes the spawner for the session whose shared segment is SHM. Returns
 * 0, 1 when it cannot fork weft's children, or -1 with ERR set. */
static int
spawner_open(const struct shm *shm, int bell, char *err, size_t errlen,
	     const char *who)
{
	int sv[2];
	int32_t hello;
	pid_t weft = getpid(), pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "cannot start '%s': socketpair: %s", who,
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
		spawner_main(weft, sv[1], bell);
	close(sv[1]);
	sp.pid = pid;
	sp.req = sv[0];
	sp.shm = shm;
	sp.bell = bell;
	if (full_io(sp.req, &hello, sizeof hello, false) < 0 || hello < 0) {
		spawner_close();
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

/* Sends W's request and reads the answer: the pid, -errno, or 0 when
 * the spawner is gone. */
static int32_t
ask(const struct req *rq, const struct buf *b)
{
	struct iovec iov[2] = { { (void *)rq, sizeof *rq },
				{ b->data, b->len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	size_t left = sizeof *rq + b->len;
	int32_t answer;

	/* One call in all but rare cases: a socket's buffer holds it. */
	while (left > 0) {
		ssize_t k = sendmsg(sp.req, &mh, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return 0;
		left -= (size_t)k;
		while (mh.msg_iovlen > 0 && (size_t)k >= mh.msg_iov->iov_len) {
			k -= (ssize_t)mh.msg_iov->iov_len;
			mh.msg_iov++;
			mh.msg_iovlen--;
		}
		if (mh.msg_iovlen > 0) {
			mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base + k;
			mh.msg_iov->iov_len -= (size_t)k;
		}
	}
	return full_io(sp.req, &answer, sizeof answer, false) < 0 ? 0 : answer;
}

int
spawner_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	struct req rq;
	struct buf b = { 0 };
	int32_t answer = 0;
	int rc;

	if (sp.unable)
		return 1;
	/* A spawner made for another session (tests make several in one
	 * process) knows nothing of this one's memory. */
	if (sp.pid != 0 && (sp.shm != w->shm || sp.bell != evfd))
		spawner_close();
	memset(&rq, 0, sizeof rq);
	rq.id = w->id;
	rq.slot = w->slot;
	rq.epoch0 = w->epoch0;
	rq.sink = w->sink;
	rq.shm = w->shm;
	memcpy(rq.name, w->name, sizeof rq.name);
	start_payload(w, &rq, &b);
	/* A spawner that has gone (killed by someone) is made again, once. */
	for (int tries = 0; tries < 2; tries++) {
		if (sp.pid == 0 && (rc = spawner_open(w->shm, evfd, err, errlen,
						      w->name)) != 0) {
			buf_free(&b);
			return rc;
		}
		if ((answer = ask(&rq, &b)) != 0)
			break;
		spawner_close(); /* reaps what is left of it */
	}
	buf_free(&b);
	if (answer > 0) {
		w->pid = answer;
		return 0;
	}
	/* A clone that this system refuses as such (a seccomp filter may
	 * forbid CLONE_PARENT), not for want of resources: weft forks its
	 * workers itself from now on. */
	if (answer == -EPERM || answer == -ENOSYS || answer == -EINVAL) {
		spawner_close();
		sp.unable = true;
		return 1;
	}
	if (answer == 0)
		snprintf(err, errlen, "cannot start '%s': the spawner is gone",
			 w->name);
	else if (answer == -EPROTO)
		snprintf(err, errlen,
			 "cannot start '%s': internal: the spawner could not "
			 "read its task",
			 w->name);
	else
		snprintf(err, errlen, "cannot start '%s': fork: %s", w->name,
			 strerror(-answer));
	return -1;
}

void
spawner_close(void)
{
	if (sp.pid != 0) {
		/* It leaves when it reads the end of its requests. */
		close(sp.req);
		while (waitpid(sp.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sp.pid = 0;
	sp.req = -1;
	sp.shm = NULL;
	sp.bell = -1;
}
