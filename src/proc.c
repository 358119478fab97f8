/*
 * proc.c: the process backend. A process worker is a child of weft, forked
 * by the spawner (spawner.c) or, where there can be none, by weft itself,
 * that runs worker_main on its own copy of weft's memory and posts its
 * events to its ring like a thread. As with waitpid in C, an ended child
 * stays a zombie until it is joined: the main loop learns of its end with
 * waitid(WNOWAIT), which leaves it in the process table, and only join (or
 * leaving weft) reaps it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "spawner.h"
#include "worker.h"
#include "xmalloc.h"

/* The child's event descriptor after it has closed everything else. */
#define CHILD_EVFD 3

/* In the child: cut every tie to the terminal and to weft's other
 * descriptors, make sure the child dies with weft, and undo weft's signal
 * setup so the default actions (TERM, SEGV...) apply. */
static void
child_setup(int evfd, pid_t parent, int null, const sigset_t *handled)
{
	sigset_t none;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* weft died before prctl took effect */
		_exit(1);
	/* Its own process group: Ctrl-C at the terminal is for weft only. */
	setpgid(0, 0);
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(handled, sig) == 1)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || dup2(evfd, CHILD_EVFD) < 0)
		_exit(1);
	close_range(CHILD_EVFD + 1, ~0u, 0);
}

/* What every child needs from weft and weft can find out once, not in
 * each child. A fork's cost is mostly page faults: every page of its own
 * that weft writes after a fork is copied (on the machine measured, some
 * 50 us each), so the parent should write as few as it can. Here: the
 * signals whose action is not the default (weft's, and a sanitizer's),
 * and /dev/null. Actions are all set before the first worker starts. */
static sigset_t handled;
static int devnull = -1;

static void
child_needs(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	sigemptyset(&handled);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa;
		if (sig != SIGKILL && sig != SIGSTOP &&
		    sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL)
			sigaddset(&handled, sig);
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
}

/* Forks W as weft's own child, where there can be no spawner. Returns 0,
 * or -1 with ERR set. */
static int
proc_fork(struct worker *w, int evfd, char *err, size_t errlen)
{
	pid_t parent = getpid(), pid;

	child_needs();

	/* No fflush(NULL) first: the child never flushes stdio (it leaves
	 * by _exit or a signal), and walking every FILE would write to
	 * libc's pages, each then copied at its next write (see above). */
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start '%s': fork: %s", w->name,
			 strerror(errno));
		return -1;
	}
	if (pid == 0) {
		child_setup(evfd, parent, devnull, &handled);
		w->sink.bell = CHILD_EVFD;
		_exit(worker_main(w) & 0xff);
	}
	w->pid = pid;
	return 0;
}

/* The spawner forks W when there is one: the start is then under way
 * until its child's pid is known (proc_settle). */
static int
proc_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	int rc = spawner_start(w, evfd, err, errlen);

	if (rc <= 0)
		return rc < 0 ? -1 : 1;
	return proc_fork(w, evfd, err, errlen);
}

static int
proc_settle(struct worker *w, bool give_up, char *err, size_t errlen)
{
	int rc = spawner_settle(w, give_up, err, errlen);

	/* The spawner found it cannot make weft's children: weft does. */
	if (rc == 2)
		return proc_fork(w, w->sink.bell, err, errlen);
	return rc;
}

static bool
proc_on_end(struct worker *w, const struct event *ev, struct event *out)
{
	/* The process's end is what waitid reports; a failure's reason
	 * comes first, in its last record. */
	if (ev->h.flags & EV_F_FAILED) {
		free(w->fail);
		w->fail = xstrndup(ev->text, ev->h.len);
	}
	return false;
}

static void
os_event(struct worker *w, uint16_t type, int64_t a, struct event *out)
{
	memset(out, 0, sizeof *out);
	out->h.worker = w->id;
	out->h.t_ns = ev_now();
	out->h.type = type;
	out->h.a = a;
}

/* Was W stopped or continued since last asked? Those reports are taken
 * (no WNOWAIT), so each is told once; its end, not asked for here, stays
 * for join to reap. */
static bool
stop_changed(struct worker *w, struct event *out)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)w->pid, &si, WSTOPPED | WCONTINUED | WNOHANG) <
		    0 ||
	    si.si_pid != w->pid)
		return false;
	if (si.si_code == CLD_STOPPED)
		os_event(w, EV_STOPPED, si.si_status, out);
	else if (si.si_code == CLD_CONTINUED)
		os_event(w, EV_CONTINUED, 0, out);
	else
		return false;
	return true;
}

static bool
proc_check_end(struct worker *w, struct event *out)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)w->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 ||
	    si.si_pid != w->pid)
		return stop_changed(w, out);
	os_event(w, si.si_code == CLD_EXITED ? EV_EXIT : EV_SIGNAL,
		 si.si_status, out);
	return true;
}

static int
proc_kill(struct worker *w, int sig, char *err, size_t errlen)
{
	if (kill(w->pid, sig ? sig : SIGTERM) < 0) {
		snprintf(err, errlen, "cannot kill '%s': %s", w->name,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void
proc_stop(struct worker *w)
{
	kill(w->pid, SIGKILL);
}

/* Not instrumented: under a sanitizer the store must fault for real
 * (the sanitizer would report it and exit 1 instead). */
__attribute__((no_sanitize("address"), no_sanitize("undefined"))) static void
proc_crash(struct worker *w)
{
	int *volatile nowhere = NULL;

	*nowhere = 1; /* a real segmentation fault */
	raise(SIGSEGV);
}

static uint64_t
tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

/* Reaps W, keeping the CPU time the kernel tells with its end: /proc
 * forgets it then, and this is its last figure. */
static void
proc_reap(struct worker *w)
{
	struct rusage ru;
	pid_t r;

	while ((r = wait4(w->pid, NULL, 0, &ru)) < 0 && errno == EINTR)
		;
	if (r == w->pid) {
		uint64_t ns = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
		w->cpu_ns = ns > w->cpu_ns ? ns : w->cpu_ns;
	}
}

int
proc_stat_parse(const char *line, struct proc_stat *st)
{
	const char *p = strrchr(line, ')');
	uint64_t t[2];

	if (p == NULL || p[1] != ' ' || p[2] == '\0' || p[2] == ' ')
		return -1;
	st->state = p[2];
	p += 3;
	/* Fields 4 to 13 (ppid ... cmajflt), numbers that may be negative
	 * (tty_nr, tpgid), then utime and stime, counts. */
	for (int field = 4; field <= 15; field++) {
		const char *digits, *end;
		if (*p++ != ' ')
			return -1;
		digits = field < 14 && *p == '-' ? p + 1 : p;
		end = digits + strspn(digits, "0123456789");
		if (end == digits || (*end != ' ' && *end != '\n' && *end))
			return -1;
		if (field >= 14) {
			errno = 0;
			t[field - 14] = strtoull(digits, NULL, 10);
			if (errno != 0)
				return -1;
		}
		p = end;
	}
	st->ticks = t[0] + t[1];
	return 0;
}

/* Reads W's /proc/PID/stat into *ST. Returns 0; -1 when it is gone (or
 * cannot be read), -2 when it says what proc_stat_parse cannot read. */
static int
read_stat(const struct worker *w, struct proc_stat *st)
{
	char path[64], text[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)w->pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	return proc_stat_parse(text, st) < 0 ? -2 : 0;
}

/* Reads the state letter from /proc/PID/stat: "R", "S", "Z"... */
static const char *
proc_os_state(const struct worker *w, char *buf, size_t len)
{
	static const struct {
		char c;
		const char *name;
	} names[] = { { 'R', "running" },   { 'S', "sleeping" },
		      { 'D', "disk-wait" }, { 'Z', "zombie" },
		      { 'T', "stopped" },   { 't', "traced" },
		      { 'X', "dead" },	    { 'I', "idle" } };
	struct proc_stat st;
	int r = read_stat(w, &st);

	if (r < 0)
		return r == -1 ? "gone" : "?";
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].c == st.state)
			return names[i].name;
	snprintf(buf, len, "%c", st.state);
	return buf;
}

/* The CPU time in /proc/PID/stat, a zombie's too (until it is reaped). */
static bool
proc_cpu_time(const struct worker *w, uint64_t *ns)
{
	static long hz;
	struct proc_stat st;

	if (hz <= 0 && (hz = sysconf(_SC_CLK_TCK)) <= 0)
		return false;
	if (read_stat(w, &st) < 0)
		return false;
	*ns = st.ticks / (uint64_t)hz * 1000000000u +
	      st.ticks % (uint64_t)hz * 1000000000u / (uint64_t)hz;
	return true;
}

const struct worker_backend process_backend = {
	.start = proc_start,
	.settle = proc_settle,
	.on_end = proc_on_end,
	.check_end = proc_check_end,
	.kill = proc_kill,
	.stop = proc_stop,
	.reap = proc_reap,
	.crash = proc_crash,
	.os_state = proc_os_state,
	.cpu_time = proc_cpu_time,
};

/* Forked by weft itself, not the spawner: a worker whose body needs weft's
 * memory as it is (a Python program's objects). */
static int
proc_fork_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	int rc;

	if (w->around_fork != NULL)
		w->around_fork(true);
	rc = proc_fork(w, evfd, err, errlen);
	if (w->around_fork != NULL)
		w->around_fork(false);
	return rc;
}

const struct worker_backend process_fork_backend = {
	.start = proc_fork_start,
	.on_end = proc_on_end,
	.check_end = proc_check_end,
	.kill = proc_kill,
	.stop = proc_stop,
	.reap = proc_reap,
	.crash = proc_crash,
	.os_state = proc_os_state,
	.cpu_time = proc_cpu_time,
};
