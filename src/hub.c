/*
 * hub.c: weft's MPI hub (SPEC 12), weft-node started by weft with
 * `--hub FD`. It is the MPI singleton: at the first node it calls
 * MPI_Init_thread, and for each node MPI_Comm_spawn of weft-node itself,
 * on this machine or on the hosts of weft's --hostfile. Then it relays,
 * unchanged, every message between a node's socket to weft and that
 * node's intercommunicator (node-proto.h), notices a node whose process
 * ended without a word, and at its end leaves no MPI process behind.
 *
 * It is a process of its own, not a thread of weft's, because Open MPI's
 * runtime (orted, which the singleton forks) inherits the standard
 * streams: here they are a file of the hub's, never the learner's
 * terminal, and weft's stdin is never read by MPI's forwarding.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "interp.h"
#include "node-main.h"
#include "node-mpi.h"
#include "xmalloc.h"

/* How often the hub looks whether a node's process on this machine still
 * exists, in ms: MPI 4.1 does not tell of a peer that died. */
#define ALIVE_EVERY_MS 100
/* How long an MPI process may take to end once asked, in ms. */
#define END_WAIT_MS 2000

struct pending {
	MPI_Request req;
	char *bytes;
};

struct hnode {
	int64_t id;
	int fd;		/* weft's socket for it; -1 once weft closed it */
	MPI_Comm comm;	/* valid while LINKED */
	bool linked;	/* spawned, and not disconnected nor abandoned */
	bool ending;	/* it ends after the sends pending: disconnect */
	bool abandoned; /* its process died: its comm is left as it is */
	/* It waits for weft's answer (a grant, a reply): nothing comes
	 * from it until weft writes, so MPI need not be polled for it. */
	bool waits;
	pid_t pid;	/* from its hello, 0 before */
	bool local;	/* on this machine: its pid can be looked at */
	struct pending *sends;
	size_t nsends, capsends;
	/* What is on its way to weft, written as its socket takes it: an
	 * agent slow to read (its tracer behind) never stops the hub. */
	struct buf outq;
	size_t outq_at; /* bytes of outq written already */
};

/* Bytes on their way to an agent above which its node is not read from
 * until they are written: MPI holds the rest (NODE_OUT_WINDOW bounds
 * it). */
#define OUTQ_HIGH (1u << 20)

static struct {
	struct hnode *v;
	size_t n, cap;
	bool mpi_up;
	bool unclean; /* a node was abandoned: MPI_Finalize could hang */
	char host[256];
	char self[4096];
	int log; /* the file orted and MPI write to */
} hub;

static void signal_children(int sig);
struct hnode;
static void flush(struct hnode *n);

static volatile sig_atomic_t stop_signal;
/* In a call MPI may not return from for minutes (a spawn on a host that
 * does not answer): a signal to stop ends the hub at once, and orted, its
 * singleton gone, ends its own. */
static volatile sig_atomic_t in_long_call;
static volatile pid_t orted_pid; /* the singleton's orted, once known */

static void
on_stop(int sig)
{
	if (in_long_call) {
		if (orted_pid > 0) {
			kill(orted_pid, SIGKILL);
			waitpid(orted_pid, NULL, 0);
		}
		_exit(1);
	}
	if (sig != SIGUSR1) /* USR1: only a long call is cut short */
		stop_signal = sig;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Open MPI's settings, set before MPI_Init: the one place that knows
 * which version it talks to. Only those the user did not set. */
static void
mpi_env(void)
{
	/* 4.x: more nodes than cores on a laptop. (5.x: PRTE's
	 * PRTE_MCA_rmaps_default_mapping_policy=:oversubscribe.) */
	setenv("OMPI_MCA_rmaps_base_oversubscribe", "1", 0);
	setenv("PRTE_MCA_rmaps_default_mapping_policy", ":oversubscribe", 0);
	/* Open MPI refuses root unless told; CI and containers run as
	 * root, and weft starts nothing but itself. */
	if (geteuid() == 0) {
		setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
		setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
	}
	/* orted looks up a spawned node's port for MPI_Comm_spawn's
	 * connect within 2 s by default (4.x): on a busy machine (two
	 * cores, a class's sessions, make -j2 check) that fails the start
	 * with "A request has timed out". */
	setenv("OMPI_MCA_pmix_server_max_wait", "60", 0);
	setenv("OMPI_MCA_pmix_base_exchange_timeout", "60", 0);
	/* A node waits for its grant by polling with sleeps (node-mpi.c),
	 * not by MPI's busy wait. */
	setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
}

/* The last line Open MPI wrote to the hub's log, for an error. */
static void
last_log_line(char *out, size_t len)
{
	char buf[4096];
	off_t end = lseek(hub.log, 0, SEEK_END);
	off_t from = end > (off_t)sizeof buf - 1 ? end - (off_t)sizeof buf + 1
						 : 0;
	ssize_t k = pread(hub.log, buf, sizeof buf - 1, from);
	char *line = NULL;

	out[0] = '\0';
	if (k <= 0)
		return;
	buf[k] = '\0';
	for (char *p = strtok(buf, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && *p != '-' && *p != '*')
			line = p;
	}
	if (line != NULL)
		snprintf(out, len, "%s", line);
}

static struct hnode *
find(int64_t id)
{
	for (size_t i = 0; i < hub.n; i++)
		if (hub.v[i].id == id)
			return &hub.v[i];
	return NULL;
}

static void
reply(int fd, uint32_t type, int64_t v0, const char *text)
{
	int64_t v[NODE_VALS] = { v0 };

	node_send_fd(fd, type, v, 0, text, text ? strlen(text) : 0);
}

/* Takes (or lets go of) the machine's spawn lock: Open MPI 4.1's
 * singletons, each with its own orted, lose a spawn's port lookup now
 * and then when they spawn at the same moment (seen with three weft
 * sessions at once: the spawn hangs, or fails "A request has timed
 * out"), so the weft sessions of a user spawn one at a time. */
static void
spawn_lock(bool take)
{
	static int fd = -1;
	char path[300];

	if (fd < 0) {
		const char *tmp = getenv("TMPDIR");

		snprintf(path, sizeof path, "%s/weft-spawn-%d.lock",
			 tmp != NULL && *tmp ? tmp : "/tmp", (int)getuid());
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	}
	if (fd >= 0)
		while (flock(fd, take ? LOCK_EX : LOCK_UN) < 0 && errno == EINTR)
			;
}

/* Spawns node ID, whose socket to weft is FD, on the hosts of HOSTFILE
 * ("": this machine). */
static void
spawn(int64_t id, int fd, const char *hostfile)
{
	char *args[] = { "--node", NULL };
	char why[512], said[300];
	MPI_Info info = MPI_INFO_NULL;
	struct hnode *n;
	int err = MPI_SUCCESS, rc;
	MPI_Comm comm;

	if (!hub.mpi_up) {
		int got, rc0;

		mpi_env();
		in_long_call = 1;
		rc0 = MPI_Init_thread(NULL, NULL, MPI_THREAD_SINGLE, &got);
		in_long_call = 0;
		if (rc0 != MPI_SUCCESS) {
			last_log_line(said, sizeof said);
			snprintf(why, sizeof why, "MPI_Init_thread failed%s%s",
				 said[0] ? ": " : "", said);
			reply(fd, NM_SPAWNED, -1, why);
			close(fd);
			return;
		}
		MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
		MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
		hub.mpi_up = true;
		signal_children(0);
	}
	if (hostfile[0] != '\0') {
		MPI_Info_create(&info);
		MPI_Info_set(info, "hostfile", hostfile);
	}
	in_long_call = 1;
	spawn_lock(true);
	rc = stop_signal ? MPI_ERR_OTHER
			 : MPI_Comm_spawn(hub.self, args, 1, info, 0,
					  MPI_COMM_SELF, &comm, &err);
	spawn_lock(false);
	in_long_call = 0;
	if (info != MPI_INFO_NULL)
		MPI_Info_free(&info);
	if (rc != MPI_SUCCESS || err != MPI_SUCCESS) {
		char msg[MPI_MAX_ERROR_STRING];
		int len = 0;

		MPI_Error_string(rc != MPI_SUCCESS ? rc : err, msg, &len);
		last_log_line(said, sizeof said);
		snprintf(why, sizeof why, "MPI_Comm_spawn: %.200s%s%.250s",
			 msg, said[0] ? ": " : "", said);
		reply(fd, NM_SPAWNED, -1, why);
		close(fd);
		return;
	}
	MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
	if (hub.n == hub.cap) {
		hub.cap = hub.cap ? hub.cap * 2 : 8;
		hub.v = xrealloc(hub.v, hub.cap * sizeof *hub.v);
	}
	n = &hub.v[hub.n++];
	*n = (struct hnode){ .id = id, .fd = fd, .comm = comm, .linked = true };
	reply(fd, NM_SPAWNED, 0, NULL);
}

/* Sends what weft wrote for node N on, without waiting for the node. */
static void
relay_to_node(struct hnode *n, const struct node_msg_buf *m)
{
	size_t len = sizeof m->h + m->h.len;
	char *bytes = xmalloc(len);
	struct pending *p;

	if (!n->linked || n->ending)
		return free(bytes);
	memcpy(bytes, &m->h, sizeof m->h);
	memcpy(bytes + sizeof m->h, m->text.data, m->h.len);
	if (n->nsends == n->capsends) {
		n->capsends = n->capsends ? n->capsends * 2 : 4;
		n->sends = xrealloc(n->sends, n->capsends * sizeof *n->sends);
	}
	p = &n->sends[n->nsends];
	if (MPI_Isend(bytes, (int)len, MPI_BYTE, 0, 0, n->comm, &p->req) !=
	    MPI_SUCCESS)
		return free(bytes);
	p->bytes = bytes;
	n->nsends++;
	n->waits = false;
	if (m->h.type == NM_STOP)
		n->ending = true;
}

/* Node N's process is gone: weft hears of it, MPI is left alone. */
static void
abandon(struct hnode *n)
{
	if (!n->linked)
		return;
	n->linked = false;
	n->abandoned = true;
	hub.unclean = true;
	if (n->fd >= 0) { /* after what it said before it went */
		struct node_hdr h = { .type = NM_GONE };

		buf_add(&n->outq, &h, sizeof h);
		flush(n);
	}
}

/* Completes N's sends that are done; disconnects N once it ends and has
 * them all. Returns true when something happened. */
static bool
progress_sends(struct hnode *n)
{
	bool moved = false;

	if (n->abandoned) /* MPI is not asked about a dead peer */
		return false;
	for (size_t i = 0; i < n->nsends;) {
		int flag = 0;

		if (MPI_Test(&n->sends[i].req, &flag, MPI_STATUS_IGNORE) !=
			    MPI_SUCCESS ||
		    flag) {
			free(n->sends[i].bytes);
			n->sends[i] = n->sends[--n->nsends];
			moved = true;
		} else {
			i++;
		}
	}
	if (n->linked && n->ending && n->nsends == 0) {
		MPI_Comm_disconnect(&n->comm);
		n->linked = false;
	}
	return moved;
}

/* Writes what N's socket takes of N's queue to weft. */
static void
flush(struct hnode *n)
{
	while (n->fd >= 0 && n->outq_at < n->outq.len) {
		ssize_t k = send(n->fd, n->outq.data + n->outq_at,
				 n->outq.len - n->outq_at,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (k <= 0) { /* weft closed it: forgotten below */
			n->outq_at = n->outq.len;
			break;
		}
		n->outq_at += (size_t)k;
	}
	buf_reset(&n->outq);
	n->outq_at = 0;
}

/* Passes a message from node N to weft. Returns true when there was one. */
static bool
relay_from_node(struct hnode *n, struct node_msg_buf *m)
{
	MPI_Status st;
	int flag = 0;

	if (n->outq.len - n->outq_at > OUTQ_HIGH)
		return false;
	if (!n->linked ||
	    MPI_Iprobe(0, MPI_ANY_TAG, n->comm, &flag, &st) != MPI_SUCCESS ||
	    !flag)
		return false;
	if (nmpi_take(n->comm, &st, m) < 0) {
		abandon(n);
		return true;
	}
	if (m->h.type == NM_HELLO) {
		n->pid = (pid_t)m->h.v[0];
		n->local = strcmp(m->text.data, hub.host) == 0;
	}
	/* A request: it waits for weft now (NM_OUT needs no answer). */
	n->waits = m->h.type != NM_OUT;
	/* Its last word: it disconnects after it. */
	if (m->h.type == NM_BAD ||
	    (m->h.type == NM_DONE && m->h.v[0] != STEP_MORE))
		n->ending = true;
	if (n->fd >= 0) {
		buf_add(&n->outq, &m->h, sizeof m->h);
		buf_add(&n->outq, m->text.data, m->text.len);
		flush(n);
	}
	return true;
}

/* Is node N's process gone? Only known of a process on this machine. */
static bool
gone(const struct hnode *n)
{
	char path[64], st[512];
	FILE *f;
	char *p;
	bool z = false;

	if (!n->local || n->pid <= 0)
		return false;
	if (kill(n->pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)n->pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	if (fgets(st, sizeof st, f) != NULL && (p = strrchr(st, ')')) != NULL)
		z = p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
	fclose(f);
	return z;
}

/* Node N is forgotten by weft (its socket closed): its process must not
 * outlive it. */
static void
forget(struct hnode *n)
{
	/* One that said its last word, or was told to stop, is ending. */
	if (n->linked && n->ending) {
	} else if (n->linked && n->local && n->pid > 0) {
		kill(n->pid, SIGKILL);
		abandon(n);
	} else if (n->linked && n->pid == 0) {
		/* Given up before it said hello: it waits for its setup. */
		struct node_msg_buf stop = { .h = { .type = NM_STOP } };

		relay_to_node(n, &stop);
	}
	close(n->fd);
	n->fd = -1;
}

/* Serves a message on the control socket. False when weft is gone. */
static bool
control(int ctl, struct node_msg_buf *m)
{
	int fd = -1;
	struct hnode *n;

	if (node_recv_with_fd(ctl, m, &fd) != 0)
		return false;
	switch (m->h.type) {
	case NM_SPAWN:
		if (fd >= 0)
			spawn(m->h.v[0], fd, m->text.data);
		return true;
	case NM_KILL:
		if ((n = find(m->h.v[0])) != NULL && n->local && n->pid > 0) {
			kill(n->pid, SIGKILL);
			abandon(n);
		}
		break;
	default: break;
	}
	if (fd >= 0)
		close(fd);
	return true;
}

/* The hub's children: orted, which the singleton forked. SIG 0 only
 * notes orted's pid for on_stop. */
static void
signal_children(int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[300], st[512], *p;
		FILE *f;
		int ppid = 0;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(st, sizeof st, f) != NULL &&
		    (p = strrchr(st, ')')) != NULL &&
		    sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == getpid()) {
			if (sig == 0)
				orted_pid = atoi(e->d_name);
			else
				kill(atoi(e->d_name), sig);
		}
		fclose(f);
	}
	closedir(d);
}

/* Waits up to MS for every child to end. True when none is left. */
static bool
reap_children(unsigned ms)
{
	uint64_t until = now_ms() + ms;

	for (;;) {
		pid_t p = waitpid(-1, NULL, WNOHANG);

		if (p < 0 && errno == ECHILD)
			return true;
		if (p > 0)
			continue;
		if (now_ms() >= until)
			return false;
		usleep(10000);
	}
}

/* Waits up to MS for every node process of this machine to be gone,
 * reaped by orted: killed first, orted would leave it a zombie. */
static void
wait_nodes_gone(unsigned ms)
{
	uint64_t until = now_ms() + ms;

	for (size_t i = 0; i < hub.n; i++) {
		struct hnode *n = &hub.v[i];

		while (n->local && n->pid > 0 && now_ms() < until &&
		       !(kill(n->pid, 0) < 0 && errno == ESRCH))
			usleep(5000);
	}
}

static void
shutdown_all(void)
{
	for (size_t i = 0; i < hub.n; i++) {
		struct hnode *n = &hub.v[i];

		if (n->linked && n->local && n->pid > 0) {
			kill(n->pid, SIGKILL);
			hub.unclean = true;
		} else if (n->linked) {
			hub.unclean = true;
		}
	}
	wait_nodes_gone(END_WAIT_MS);
	/* Finalize only when every node said goodbye: with one gone, MPI
	 * may wait for it for ever. */
	if (hub.mpi_up && !hub.unclean)
		MPI_Finalize();
	/* orted: with every node gone it has nothing left to do, but takes
	 * seconds to see it; with a node it could not reach (another host),
	 * it is asked to end its own first. */
	if (hub.unclean) {
		signal_children(SIGTERM);
		if (reap_children(END_WAIT_MS))
			return;
	}
	signal_children(SIGKILL);
	reap_children(END_WAIT_MS);
}

/* The hub's standard streams: /dev/null in, a file of its own out, so
 * that orted's and MPI's messages never reach the terminal. The file is
 * $WEFT_HUB_LOG when set (kept, for a look at what Open MPI said), else
 * a temporary file removed at once. */
static void
quiet_streams(void)
{
	char path[] = "/tmp/weft-hub-XXXXXX";
	int null = open("/dev/null", O_RDONLY);
	const char *tmp = getenv("TMPDIR"), *keep = getenv("WEFT_HUB_LOG");
	char *p = NULL;

	if (keep != NULL && *keep != '\0' &&
	    (hub.log = open(keep, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
			    0600)) >= 0) {
	} else if (tmp != NULL && asprintf(&p, "%s/weft-hub-XXXXXX", tmp) > 0 &&
	    (hub.log = mkstemp(p)) >= 0)
		unlink(p);
	else if ((hub.log = mkstemp(path)) >= 0)
		unlink(path);
	free(p);
	if (hub.log < 0)
		hub.log = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(hub.log, 1);
	dup2(hub.log, 2);
}

int
hub_main(int ctl)
{
	struct node_msg_buf m = { 0 };
	struct sigaction sa = { .sa_handler = on_stop };
	unsigned idle = 0;
	uint64_t alive_at = 0, drain_until = 0;
	ssize_t k;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	quiet_streams();
	gethostname(hub.host, sizeof hub.host - 1);
	if ((k = readlink("/proc/self/exe", hub.self, sizeof hub.self - 1)) <=
	    0)
		return 1;
	hub.self[k] = '\0';
	/* weft went before we could see it go. */
	if (getppid() == 1)
		return 0;
	/* When weft is gone (or says so by closing the control socket), the
	 * nodes it stopped are let end for a while: their goodbyes are
	 * relayed, then MPI is finalized cleanly. */
	while (!stop_signal) {
		struct pollfd *pf = xcalloc(hub.n + 1, sizeof *pf);
		bool busy = false, live = false, spin = false;
		int r;

		pf[0].fd = drain_until ? -1 : ctl;
		pf[0].events = POLLIN;
		for (size_t i = 0; i < hub.n; i++) {
			pf[i + 1].fd = hub.v[i].fd;
			pf[i + 1].events = POLLIN;
			if (hub.v[i].outq.len > hub.v[i].outq_at)
				pf[i + 1].events |= POLLOUT;
			live |= hub.v[i].linked;
			spin |= hub.v[i].linked &&
				(!hub.v[i].waits || hub.v[i].nsends > 0);
		}
		if (drain_until && (!live || now_ms() > drain_until)) {
			free(pf);
			break;
		}
		/* With no node to poll MPI for, sleep in poll itself. */
		/* Polled busily only while a node may speak: when every
		 * node waits for weft, the hub sleeps until weft writes, and
		 * leaves the core to weft's agent, which has the next word. */
		r = poll(pf, hub.n + 1,
			 spin ? 0 : live ? ALIVE_EVERY_MS / 10 : ALIVE_EVERY_MS);
		if (r > 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (!control(ctl, &m))
				drain_until = now_ms() + END_WAIT_MS;
			busy = true;
		}
		for (size_t i = 0; r > 0 && i < hub.n; i++) {
			struct hnode *n = &hub.v[i];

			if (n->fd >= 0 && (pf[i + 1].revents & POLLOUT))
				flush(n);
			if (n->fd < 0 || n->fd != pf[i + 1].fd ||
			    !(pf[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			busy = true;
			if (node_recv_fd(n->fd, &m) != 0)
				forget(n);
			else
				relay_to_node(n, &m);
		}
		free(pf);
		for (size_t i = 0; i < hub.n; i++) {
			busy |= progress_sends(&hub.v[i]);
			busy |= relay_from_node(&hub.v[i], &m);
		}
		if (now_ms() >= alive_at) {
			alive_at = now_ms() + ALIVE_EVERY_MS;
			for (size_t i = 0; i < hub.n; i++)
				if (hub.v[i].linked && gone(&hub.v[i]))
					abandon(&hub.v[i]);
		}
		/* Nodes weft forgot, MPI is done with, and whose process is
		 * gone (shutdown_all waits for those of this machine). */
		for (size_t i = 0; i < hub.n;) {
			struct hnode *n = &hub.v[i];

			if (n->fd < 0 && !n->linked && n->nsends == 0 &&
			    (!n->local ||
			     (kill(n->pid, 0) < 0 && errno == ESRCH))) {
				free(n->sends);
				buf_free(&n->outq);
				hub.v[i] = hub.v[--hub.n];
			} else {
				i++;
			}
		}
		idle = busy ? 0 : idle + 1;
		if (spin)
			nmpi_backoff(idle);
	}
	shutdown_all();
	return 0;
}
