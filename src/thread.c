/*
 * thread.c: the thread backend. A thread worker is a pthread inside weft
 * running worker_main; it shares weft's memory. It cannot be sent a signal
 * the way a process can (a signal is for the whole process), so `kill`
 * cancels it cooperatively: it stops before its next step, or at once if it
 * is sleeping.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sig.h"
#include "worker.h"

/* Small stacks: a class can spawn thousands of workers. */
#define THREAD_STACK (256 * 1024)

/* glibc gives each new thread that allocates an arena of its own, 64 MB
 * of address space reserved: a dozen printing workers then run weft out
 * of memory under `ulimit -v 1000000` with next to nothing in use. Two
 * arenas are shared by all; the workers take little memory each. */
static void
few_arenas(void)
{
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 2);
#endif
}

static void *
thread_main(void *arg)
{
	worker_main(arg);
	return NULL;
}

static int
thread_start(struct worker *w, int evfd, char *err, size_t errlen)
{
	pthread_attr_t attr;
	int e;

	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, few_arenas);
	w->sink.bell = evfd;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	e = pthread_create(&w->thread, &attr, thread_main, w);
	pthread_attr_destroy(&attr);
	if (e != 0) {
		snprintf(err, errlen, "cannot start '%s': pthread_create: %s",
			 w->name, strerror(e));
		return -1;
	}
	return 0;
}

static bool
thread_on_end(struct worker *w, const struct event *ev, struct event *out)
{
	worker_end_of_record(ev, out);
	return true;
}

static bool
thread_check_end(struct worker *w, struct event *out)
{
	return false; /* a thread's end arrives as its EV_END record */
}

static int
thread_kill(struct worker *w, int sig, char *err, size_t errlen)
{
	if (sig != 0 && sig != SIGTERM && sig != SIGKILL && sig != SIGINT) {
		char name[24];
		snprintf(err, errlen,
			 "cannot send %s to thread '%s': a thread can only be "
			 "cancelled (kill %s)",
			 sig_name(sig, name, sizeof name), w->name, w->name);
		return -1;
	}
	worker_request_cancel(w);
	return 0;
}

static void
thread_stop(struct worker *w)
{
	worker_request_cancel(w);
}

static void
thread_crash(struct worker *w)
{
	/* A real segfault here would kill weft and every thread in it. */
}

static void
thread_reap(struct worker *w)
{
	pthread_join(w->thread, NULL);
}

static const char *
thread_os_state(const struct worker *w, char *buf, size_t len)
{
	return "-";
}

/* The thread's own clock while it runs. Once its end is told it may be
 * gone, and its clock with it (a tid the kernel may give another
 * thread): its last reading, which its EV_END record carries, stands. */
static bool
thread_cpu_time(const struct worker *w, uint64_t *ns)
{
	struct timespec ts;
	clockid_t clock;

	if (w->state != WS_RUNNING ||
	    pthread_getcpuclockid(w->thread, &clock) != 0 ||
	    clock_gettime(clock, &ts) < 0)
		return false;
	*ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return true;
}

const struct worker_backend thread_backend = {
	.start = thread_start,
	.on_end = thread_on_end,
	.check_end = thread_check_end,
	.kill = thread_kill,
	.stop = thread_stop,
	.reap = thread_reap,
	.crash = thread_crash,
	.os_state = thread_os_state,
	.cpu_time = thread_cpu_time,
};
