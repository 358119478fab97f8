/*
 * node.c: node workers (SPEC 12), weft's side.
 *
 * A node is a worker whose task runs in another process, weft-node, that
 * MPI started on this machine or another one; it shares no memory with
 * weft. On weft's side a node is a thread, its agent, running worker_main
 * as a thread worker would (its gate, its events, its waits on objects),
 * except that each step is taken on the node: the agent grants it with a
 * message and serves what the step asks (a line printed, a statement on a
 * semaphore, barrier or queue, a sleep) with the worker's own task_io,
 * until the node says the step is done. So the scheduler, seeds, stepping,
 * deadlock reports and the trace see a node as they see any worker.
 *
 * The messages go through the hub (hub.c), weft-node started once with
 * --hub, which alone calls MPI: one socket for control, and one socket a
 * node, passed to the hub with its spawn.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "node-proto.h"
#include "node.h"
#include "worker.h"
#include "xmalloc.h"

#ifdef HAVE_MPI

/* How long an agent waits for a node that was asked to stop before it
 * takes the node for lost, in ms. */
#define STOP_WAIT_MS 3000
/* How long MPI may take to start a node, in ms: a spawn that takes
 * longer is lost (Open MPI lost its lookup, or a host does not answer),
 * and its hub is replaced. */
#define START_S "60"
#define START_MS 60000
/* How long a start that is given up (Ctrl-C, quit) may still take, in
 * ms, before weft leaves it to its agent: MPI_Comm_spawn cannot be cut
 * short, and a host that does not answer keeps it for minutes. */
#define GIVE_UP_MS 3000

/* What weft keeps of a node, around its worker_remote. */
struct node_link {
	struct worker_remote r; /* first: W->remote is this */
	struct worker *w;
	int64_t id; /* the hub's name for it */
	int fd;	    /* weft's end of the node's socket */
	struct node_msg_buf m;
	/* How its start went: 0 under way, 1 it runs, -1 it failed (WHY). */
	_Atomic int up;
	char why[300];
	char name[WORKER_NAME_MAX + 1];
	int bell;
	struct buf setup; /* NM_SETUP's text, and its values */
	int64_t setup_v[NODE_VALS];
	/* Under MU: the main loop saw it run (SETTLED), or gave up its
	 * start (ABANDONED: the agent frees the link, W is not its own). */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool settled, abandoned;
	_Atomic bool give_up;
	bool ended; /* it sent its last step, or is gone */
	uint64_t start_by; /* ms by which MPI must have started it */
	uint64_t cancel_at; /* ms when its stop was first seen, 0: not */
};

static struct {
	pthread_mutex_t mu; /* over everything here */
	pid_t pid;	    /* the hub's, 0: none */
	int ctl;	    /* its control socket */
	int64_t next_id;
	char *hostfile;
	bool stale; /* told to end (a lost spawn): the next start makes
		       another, even while this one is still ending */
} hub = { PTHREAD_MUTEX_INITIALIZER, 0, -1, 1, NULL, false };

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *
node_unavailable(void)
{
	return NULL;
}

int
node_set_hostfile(const char *path, char *err, size_t len)
{
	char *real;

	if (path == NULL) {
		free(hub.hostfile);
		hub.hostfile = NULL;
		return 0;
	}
	if (access(path, R_OK) < 0 || (real = realpath(path, NULL)) == NULL) {
		snprintf(err, len, "cannot read hostfile '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	free(hub.hostfile);
	hub.hostfile = real;
	return 0;
}

/* weft-node: beside weft (the build tree, or bindir). */
static int
hub_path(char *out, size_t len)
{
	char self[PATH_MAX - 16];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	char *slash;

	if (k <= 0)
		return -1;
	self[k] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return -1;
	*slash = '\0';
	snprintf(out, len, "%s/weft-node", self);
	return access(out, X_OK);
}

/* Starts the hub unless it runs. Called on the main thread only: the hub
 * dies with the thread that forked it (PR_SET_PDEATHSIG). */
static int
hub_ensure(char *err, size_t len)
{
	char path[PATH_MAX], fdarg[16];
	int sv[2];
	pid_t pid;

	/* A hub that ended (killed from outside) is replaced: its nodes
	 * were lost with it, and their agents said so. */
	if (hub.pid > 0 && !hub.stale && waitpid(hub.pid, NULL, WNOHANG) == 0 &&
	    kill(hub.pid, 0) == 0)
		return 0;
	if (hub.pid > 0) {
		close(hub.ctl);
		hub.ctl = -1;
		hub.pid = 0;
		hub.stale = false;
	}
	if (hub_path(path, sizeof path) < 0) {
		snprintf(err, len,
			 "cannot start a node: weft-node is not beside weft "
			 "(make builds it when Open MPI is found)");
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, len, "cannot start a node: socketpair: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(fdarg, sizeof fdarg, "%d", sv[1]);
	if ((pid = fork()) < 0) {
		snprintf(err, len, "cannot start a node: fork: %s",
			 strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		/* Its own session: the terminal's Ctrl-C is weft's alone. */
		setsid();
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		fcntl(sv[1], F_SETFD, 0);
		execl(path, "weft-node", "--hub", fdarg, (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	hub.pid = pid;
	hub.ctl = sv[0];
	return 0;
}

void
node_shutdown(void)
{
	char c;
	uint64_t until;

	pthread_mutex_lock(&hub.mu);
	if (hub.pid <= 0) {
		pthread_mutex_unlock(&hub.mu);
		return;
	}
	/* The hub ends when its control socket does, and closes its end
	 * last, once every MPI process it made is gone. */
	shutdown(hub.ctl, SHUT_WR);
	/* A hub inside a spawn that waits on a host ends at once. */
	kill(hub.pid, SIGUSR1);
	until = now_ms() + 6000;
	fcntl(hub.ctl, F_SETFL, O_NONBLOCK);
	while (now_ms() < until) {
		ssize_t k = read(hub.ctl, &c, 1);

		if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
			break;
		usleep(10000);
	}
	close(hub.ctl);
	/* Reaped here, unless weft's reaper of unknown children was first;
	 * killed when it does not end (orted ends with it). */
	while (waitpid(hub.pid, NULL, WNOHANG) == 0)
		if (now_ms() >= until) {
			kill(hub.pid, SIGKILL);
			waitpid(hub.pid, NULL, 0);
			break;
		} else {
			usleep(10000);
		}
	hub.ctl = -1;
	hub.pid = 0;
	pthread_mutex_unlock(&hub.mu);
}

/* The agent's side of the messages. */

/* Is the node asked to stop? Before the main loop saw it run, only its
 * start can be given up: W is not to be looked at then. */
static bool
stop_asked(struct node_link *l)
{
	if (atomic_load(&l->give_up))
		return true;
	return atomic_load(&l->up) > 0 && atomic_load(&l->w->cancel);
}

/* Reads the node's next message into L->m, giving up on a node that does
 * not stop when asked. Returns 0; -1 when the node is gone. */
static int
receive(struct node_link *l)
{
	for (;;) {
		struct pollfd pf = { l->fd, POLLIN, 0 };
		int r = poll(&pf, 1, 200);

		if (r > 0) {
			if (node_recv_fd(l->fd, &l->m) != 0 ||
			    l->m.h.type == NM_GONE)
				break;
			return 0;
		}
		if (r < 0 && errno != EINTR)
			break;
		if (atomic_load(&l->up) == 0 && now_ms() > l->start_by)
			break;
		if (!stop_asked(l))
			continue;
		if (atomic_load(&l->give_up))
			break;
		if (l->cancel_at == 0)
			l->cancel_at = now_ms();
		else if (now_ms() - l->cancel_at > STOP_WAIT_MS)
			break;
	}
	l->r.gone = true;
	l->ended = true;
	return -1;
}

static int
send_msg(struct node_link *l, uint32_t type, const int64_t *v,
	 const char *text, size_t len)
{
	return node_send_fd(l->fd, type, v, 0, text, len);
}

/* Reads NM_DONE's (or NM_HELLO's, at V + 1 and TEXT after its NUL) next
 * step into the remote's. */
static void
take_next(struct node_link *l, const int64_t *v, const char *obj)
{
	l->r.next_pc = (int32_t)v[0];
	l->r.next_op = (int)v[1];
	l->r.next_phase = (int)v[2];
	snprintf(l->r.next_obj, sizeof l->r.next_obj, "%s", obj);
}

/* Serves the node's NM_SYNC with the worker's task_io. */
static void
serve_sync(struct node_link *l)
{
	struct worker *w = l->w;
	const int64_t *v = l->m.h.v;
	const char *name = l->m.text.data;
	size_t nlen = strnlen(name, l->m.text.len);
	char word[AST_NAME_MAX + 2] = "", err[256] = "";
	struct value val = value_num(v[4]);
	int64_t out[NODE_VALS] = { 0 };
	enum sync_step r;
	int obj = sync_find(w->shm, name);

	if (v[3] && nlen < l->m.text.len) {
		snprintf(word, sizeof word, "%s", name + nlen + 1);
		val = value_word(word);
	}
	if (obj >= 0 && w->shm->syncs[obj].kind == SYNC_CONDITION) {
		snprintf(err, sizeof err,
			 "condition '%s' needs its lock, and a node shares no "
			 "memory with weft: pass values through a queue",
			 name);
		r = SYNC_STEP_FAIL;
	} else {
		r = w->io.sync(&w->io, (enum sync_stmt)v[0], name, (int)v[1],
			       &val, v[2], err, sizeof err);
	}
	out[0] = r;
	out[1] = val.is_str;
	out[2] = val.i;
	if (r == SYNC_STEP_FAIL)
		send_msg(l, NM_REPLY, out, err, strlen(err));
	else if (val.is_str && v[0] == SYNC_GET)
		send_msg(l, NM_REPLY, out, val.s, strlen(val.s));
	else
		send_msg(l, NM_REPLY, out, NULL, 0);
}

/* worker_remote's step: one step taken on the node. */
static enum step_result
node_step(struct worker *w)
{
	struct node_link *l = (struct node_link *)w->remote;

	if (l->ended || send_msg(l, NM_GO, NULL, NULL, 0) < 0 ||
	    receive(l) < 0)
		return l->ended = true, STEP_STOP;
	for (;;) {
		const int64_t *v = l->m.h.v;
		int64_t out[NODE_VALS] = { 0 };

		atomic_store(&l->r.cpu_ns, l->m.h.cpu_ns);
		switch (l->m.h.type) {
		case NM_OUT:
			w->in.last.pc = (int)v[0];
			w->io.print(&w->io, l->m.text.data, l->m.text.len);
			send_msg(l, NM_SHOWN, NULL, NULL, 0);
			break;
		case NM_SYNC: serve_sync(l); break;
		case NM_SLEEP:
			out[0] = w->io.sleep(&w->io, v[0]);
			send_msg(l, NM_SLEPT, out, NULL, 0);
			break;
		case NM_DONE: {
			enum step_result r = (enum step_result)v[0];

			w->in.last = (struct step_seen){ .pc = (int)v[1],
							 .has_value = v[2] & 1,
							 .done = (v[2] & 2) != 0,
							 .value = v[3] };
			w->in.exit_code = (int)v[7];
			if (r == STEP_FAIL)
				snprintf(w->in.error, sizeof w->in.error, "%s",
					 l->m.text.data);
			take_next(l, v + 4, r == STEP_MORE ? l->m.text.data
							   : "");
			if (r != STEP_MORE)
				l->ended = true;
			return r;
		}
		default: /* not a message of a step's: it is lost to us */
			l->ended = true;
			l->r.gone = true;
			return STEP_STOP;
		}
		if (receive(l) < 0)
			return STEP_STOP;
	}
}

/* Makes the setup of W's node in T: its task, its arguments and its
 * globals' values as weft has them now (at start, on the main thread),
 * the node's copy, as a forked process gets its own. */
static void
make_setup(struct worker *w, struct buf *t)
{
	const struct task_def *d = w->task->def;

	buf_add(t, d->source, d->source_len);
	buf_add(t, "", 1);
	for (int i = 0; i < w->argc; i++)
		buf_add(t, w->argv[i], strlen(w->argv[i]) + 1);
	for (size_t i = 0; i < d->nglobals; i++) {
		int64_t x = 0;
		char set = cell_get(w->cells[i], &x);

		buf_add(t, &set, 1);
		buf_add(t, &x, sizeof x);
	}
}

static void
link_destroy(struct node_link *l)
{
	close(l->fd);
	buf_free(&l->m.text);
	buf_free(&l->setup);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	free(l);
}

/* Says how the start went (UP: 1 it runs, -1 it failed) and wakes the
 * main loop to settle it; when it runs, waits until the main loop saw it
 * (an end told first would find the worker still new). False when the
 * start was given up: the link is freed then, the agent must end. */
static bool
started(struct node_link *l, int up)
{
	char c = 0;
	bool given_up;

	pthread_mutex_lock(&l->mu);
	if (!(given_up = l->abandoned)) {
		atomic_store(&l->up, up);
		if (write(l->bell, &c, 1) < 0) {
			/* full: the main loop wakes anyway */
		}
		while (up > 0 && !l->settled && !l->abandoned)
			pthread_cond_wait(&l->cv, &l->mu);
		given_up = l->abandoned;
	}
	pthread_mutex_unlock(&l->mu);
	if (given_up) {
		/* A node that came up after all is told to end. */
		if (up > 0)
			send_msg(l, NM_STOP, NULL, NULL, 0);
		link_destroy(l);
	}
	return !given_up;
}

/* The start failed: WHY (a format for the worker's name and a text). */
static void *
not_started(struct node_link *l, const char *why, const char *text)
{
	snprintf(l->why, sizeof l->why, why, l->name, text);
	started(l, -1);
	return NULL;
}

static void *
agent_main(void *arg)
{
	struct node_link *l = arg;
	struct worker *w;
	const char *host;

	if (receive(l) < 0 && now_ms() > l->start_by) {
		/* The hub is stuck in MPI_Comm_spawn: a new one will do. */
		pthread_mutex_lock(&hub.mu);
		if (hub.pid > 0) {
			kill(hub.pid, SIGUSR1);
			hub.stale = true;
		}
		pthread_mutex_unlock(&hub.mu);
		return not_started(l,
				   "cannot start '%s': Open MPI did not start "
				   "it in %s s (WEFT_HUB_LOG=FILE keeps what it "
				   "said)",
				   START_S);
	}
	if (l->m.h.type != NM_SPAWNED)
		return not_started(l, "cannot start '%s': the hub ended%s", "");
	if (l->m.h.v[0] != 0)
		return not_started(l, "cannot start '%s': %s", l->m.text.data);
	if (send_msg(l, NM_SETUP, l->setup_v, l->setup.data, l->setup.len) <
		    0 ||
	    receive(l) < 0 ||
	    (l->m.h.type != NM_HELLO && l->m.h.type != NM_BAD))
		return not_started(l,
				   "cannot start '%s': its node ended before "
				   "it began%s",
				   "");
	if (l->m.h.type == NM_BAD)
		return not_started(l, "cannot start '%s': %s", l->m.text.data);
	host = l->m.text.data;
	l->r.pid = (pid_t)l->m.h.v[0];
	l->r.rank = 0;
	snprintf(l->r.host, sizeof l->r.host, "%s", host);
	take_next(l, l->m.h.v + 1,
		  strlen(host) < l->m.text.len ? host + strlen(host) + 1 : "");
	if (!started(l, 1))
		return NULL;
	w = l->w;
	worker_main(w);
	/* Stopped before its end (kill, quit): it waits for a grant. */
	if (!l->ended)
		send_msg(l, NM_STOP, NULL, NULL, 0);
	return NULL;
}

/* The backend. */

static int
node_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	struct node_link *l;
	int sv[2], rc;
	int64_t v[NODE_VALS] = { 0 };
	const char *hf;

	pthread_mutex_lock(&hub.mu);
	if (hub_ensure(err, errlen) < 0) {
		pthread_mutex_unlock(&hub.mu);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "cannot start '%s': socketpair: %s",
			 w->name, strerror(errno));
		pthread_mutex_unlock(&hub.mu);
		return -1;
	}
	v[0] = hub.next_id;
	hf = hub.hostfile != NULL ? hub.hostfile : "";
	rc = node_send_with_fd(hub.ctl, NM_SPAWN, v, hf, strlen(hf), sv[1]);
	pthread_mutex_unlock(&hub.mu);
	close(sv[1]);
	if (rc < 0) {
		snprintf(err, errlen, "cannot start '%s': the hub is gone",
			 w->name);
		close(sv[0]);
		return -1;
	}
	l = xcalloc(1, sizeof *l);
	l->id = hub.next_id++;
	l->w = w;
	l->fd = sv[0];
	l->r.step = node_step;
	l->r.next_pc = -1;
	snprintf(l->name, sizeof l->name, "%s", w->name);
	l->bell = evfd;
	l->start_by = now_ms() + START_MS;
	make_setup(w, &l->setup);
	l->setup_v[0] = w->argc;
	l->setup_v[1] = (int64_t)w->task->def->nglobals;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	w->remote = &l->r;
	w->sink.bell = evfd;
	if ((rc = pthread_create(&w->thread, NULL, agent_main, l)) != 0) {
		snprintf(err, errlen, "cannot start '%s': pthread_create: %s",
			 w->name, strerror(rc));
		link_destroy(l);
		w->remote = NULL;
		return -1;
	}
	return 1;
}

static void
link_free(struct worker *w)
{
	if (w->remote != NULL)
		link_destroy((struct node_link *)w->remote);
	w->remote = NULL;
}

static int
node_settle(struct worker *w, bool give_up, char *err, size_t errlen)
{
	struct node_link *l = (struct node_link *)w->remote;
	uint64_t until = now_ms() + GIVE_UP_MS;
	int up;

	/* A spawn cannot be cut short: insisting waits a while. */
	while ((up = atomic_load(&l->up)) == 0 && give_up && now_ms() < until)
		usleep(10000);
	pthread_mutex_lock(&l->mu);
	up = atomic_load(&l->up);
	if (up == 0 && give_up) {
		/* Left to its agent, which frees the link when MPI is done. */
		l->abandoned = true;
		atomic_store(&l->give_up, true);
		pthread_mutex_unlock(&l->mu);
		pthread_detach(w->thread);
		w->remote = NULL;
		snprintf(err, errlen,
			 "cannot start '%s': given up while MPI was still "
			 "starting it",
			 w->name);
		return -1;
	}
	if (up > 0) {
		l->settled = true;
		pthread_cond_signal(&l->cv);
	}
	pthread_mutex_unlock(&l->mu);
	if (up == 0)
		return 1;
	if (up > 0) {
		w->pid = l->r.pid;
		return 0;
	}
	pthread_join(w->thread, NULL);
	snprintf(err, errlen, "%s", l->why);
	link_free(w);
	return -1;
}

static bool
node_on_end(struct worker *w, const struct event *ev, struct event *out)
{
	worker_end_of_record(ev, out);
	/* Its process ended without a word: killed from outside. */
	if (out->h.type == EV_CANCEL)
		out->h.a = w->remote != NULL && w->remote->gone;
	return true;
}

static bool
node_check_end(struct worker *w, struct event *out)
{
	return false; /* its end arrives as its agent's EV_END record */
}

static int
node_kill(struct worker *w, int sig, char *err, size_t errlen)
{
	struct node_link *l = (struct node_link *)w->remote;
	int64_t v[NODE_VALS] = { 0 };

	/* kill stops it at its next step, as a thread; SIGKILL ends its
	 * process at once. */
	if (sig == SIGKILL && l != NULL && l->r.pid > 0) {
		v[0] = l->id;
		pthread_mutex_lock(&hub.mu);
		if (hub.pid > 0)
			node_send_with_fd(hub.ctl, NM_KILL, v, NULL, 0, -1);
		pthread_mutex_unlock(&hub.mu);
	}
	worker_request_cancel(w);
	return 0;
}

static void
node_stop(struct worker *w)
{
	worker_request_cancel(w);
}

static void
node_crash(struct worker *w)
{
}

static void
node_reap(struct worker *w)
{
	pthread_join(w->thread, NULL);
	link_free(w);
}

static const char *
node_os_state(const struct worker *w, char *buf, size_t len)
{
	if (w->remote == NULL)
		return "-";
	snprintf(buf, len, "%s rank %d", w->remote->host, w->remote->rank);
	return buf;
}

static bool
node_cpu_time(const struct worker *w, uint64_t *ns)
{
	if (w->remote == NULL || w->state != WS_RUNNING)
		return false;
	*ns = atomic_load(&w->remote->cpu_ns);
	return true;
}

const struct worker_backend node_backend = {
	.start = node_start,
	.settle = node_settle,
	.on_end = node_on_end,
	.check_end = node_check_end,
	.kill = node_kill,
	.stop = node_stop,
	.reap = node_reap,
	.crash = node_crash,
	.os_state = node_os_state,
	.cpu_time = node_cpu_time,
};

#else /* !HAVE_MPI */

const char *
node_unavailable(void)
{
	return "nodes were not built (install libopenmpi-dev openmpi-bin and "
	       "configure again)";
}

int
node_set_hostfile(const char *path, char *err, size_t len)
{
	snprintf(err, len, "%s", node_unavailable());
	return -1;
}

void
node_shutdown(void)
{
}

static int
no_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s", node_unavailable());
	return -1;
}

/* Never used: spawn refuses a node first. */
const struct worker_backend node_backend = { .start = no_start };

#endif

/* Does statement list V (N) take a lock by a variable's value? */
static bool
takes_lock(struct stmt *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->kind == ST_LOCK || v[i]->kind == ST_UNLOCK ||
		    takes_lock(v[i]->body, v[i]->nbody) ||
		    takes_lock(v[i]->orelse, v[i]->norelse))
			return true;
	return false;
}

int
node_refuse(const struct worker *w, const struct vars *vs, char *err,
	    size_t len)
{
	const struct task_def *d = w->task->def;

	for (size_t i = 0; i < d->nglobals; i++) {
		int k = vars_find(vs, d->globals[i]);

		if (k >= 0 && vs->v[k].shared) {
			snprintf(err, len,
				 "cannot start '%s': task '%s' uses shared "
				 "variable '%s', and a node shares no memory "
				 "with weft: pass values through a queue",
				 w->name, d->name, d->globals[i]);
			return -1;
		}
	}
	if (d->nlocks > 0 || takes_lock(d->body, d->nbody)) {
		snprintf(err, len,
			 "cannot start '%s': task '%s' takes a lock, and a node "
			 "shares no memory with weft: pass values through a "
			 "queue",
			 w->name, d->name);
		return -1;
	}
	return 0;
}
