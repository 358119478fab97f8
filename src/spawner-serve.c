/*
 * spawner-serve.c: the spawner's own side (see spawner.h and spawner.c):
 * its loop, which serves weft's start requests, and a new worker's first
 * moments in its process.
 *
 * A request carries pointers into the session's shared segment and ring
 * pool as they are: the spawner was forked after both were mapped. The
 * task comes as its text, parsed here once and kept; the arguments as
 * words; a plain variable's value as it was at the start, written into
 * the child's own copy of its cell. A start that works is not answered:
 * the board has the child's pid, and the child's own first record ends
 * weft's wait. One that fails is written on the board, and the doorbell
 * rung.
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
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spawner-proto.h"
#include "xmalloc.h"

/* The board weft gave it. */
static struct board *board;

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

/* Tells weft that the request on the board failed with ERR, and wakes
 * its main loop. */
static void
refuse(int err)
{
	char c = 0;

	atomic_store_explicit(&board->err, err, memory_order_release);
	/* Full (EAGAIN): weft has bytes to read and will wake anyway. */
	while (write(FD_BELL, &c, 1) < 0 && errno == EINTR)
		;
}

/* Serves a start: forks weft's child. Says nothing when it worked: the
 * child's pid is on the board, and the child's own first record ends
 * weft's wait. */
static void
serve_start(pid_t weft, const struct req *rq, char *payload)
{
	size_t fixed = (size_t)rq->nglobals *
			       (sizeof(cell_t *) + sizeof(struct req_val)) +
		       (size_t)rq->nlocks * sizeof(int);
	const struct task *t = NULL;
	long pid;

	/* The pid first: the board's page is then mapped and writable, and
	 * the kernel's write of the child's pid cannot fault. */
	atomic_store_explicit(&board->pid, 0, memory_order_relaxed);
	atomic_store_explicit(&board->err, 0, memory_order_relaxed);
	atomic_store_explicit(&board->no, rq->no, memory_order_release);
	if (fixed <= rq->size && rq->textlen <= rq->size - fixed &&
	    rq->argc >= 0 && rq->argc <= AST_MAX_PARAMS)
		t = task_for(payload + rq->size - rq->textlen, rq->textlen, rq);
	if (t == NULL)
		refuse(EPROTO);
	else if (ev_ring_enable(rq->sink.ring) < 0)
		refuse(errno);
	else if ((pid = syscall(SYS_clone,
				CLONE_PARENT | CLONE_PARENT_SETTID |
					CLONE_CHILD_SETTID |
					CLONE_CHILD_CLEARTID | SIGCHLD,
				NULL, &board->pid, tid_addr, 0)) < 0)
		refuse(errno);
	else if (pid == 0)
		child_run(weft, rq, payload, t);
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

_Noreturn void
spawner_main(pid_t weft, int req, int bell, struct board *b)
{
	char *payload = NULL;
	size_t cap = 0;
	int32_t hello = 0;
	struct req rq;

	board = b;
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
