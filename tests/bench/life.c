/* life.c: the raw baselines for tests/bench/lifecycle.sh.
 *
 *   life thread N    pthread_create and pthread_join N times, one after the
 *                    other; the thread does nothing
 *   life process N   fork and waitpid N times, one after the other; the
 *                    child does _exit(0)
 *
 * This is the floor under weft's `spawn`, `start` and `join`: the same
 * system calls with nothing around them. Prints "life <mode> <N> <seconds>",
 * timed with CLOCK_MONOTONIC around the loop only, so that the program's
 * own start-up is left out as the benchmark leaves out weft's. Written for
 * the benchmark, not part of weft. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

/* weft's thread workers get 256 KiB stacks (src/thread.c); the baseline
 * uses the same, so that neither side pays for a bigger mapping. */
#define THREAD_STACK (256 * 1024)

#define MAX_WORKERS 100000000UL

const char *progname = "life";

static _Noreturn void
usage(void)
{
	fprintf(stderr,
		"usage: %s thread N\n"
		"       %s process N\n",
		progname, progname);
	exit(2);
}

/* The thread's body: nothing, as the benchmark's weft task does nothing. */
static void *
nothing(void *arg)
{
	return arg;
}

/* Creates and joins N threads, one at a time. */
static void
run_threads(unsigned long n)
{
	pthread_attr_t attr;
	pthread_t tid;
	unsigned long k;
	int rc;

	if ((rc = pthread_attr_init(&attr)) != 0)
		die_err("pthread_attr_init", rc);
	if ((rc = pthread_attr_setstacksize(&attr, THREAD_STACK)) != 0)
		die_err("pthread_attr_setstacksize", rc);
	for (k = 0; k < n; k++) {
		if ((rc = pthread_create(&tid, &attr, nothing, NULL)) != 0)
			die_err("pthread_create", rc);
		if ((rc = pthread_join(tid, NULL)) != 0)
			die_err("pthread_join", rc);
	}
	pthread_attr_destroy(&attr);
}

/* Forks and reaps N children, one at a time; a child that does not exit 0
 * means the measurement is wrong, so it ends the run with status 1. */
static void
run_processes(unsigned long n)
{
	unsigned long k;
	pid_t pid;
	int status;

	/* Nothing buffered may be written twice, once by a child. */
	fflush(stdout);
	for (k = 0; k < n; k++) {
		if ((pid = fork()) < 0)
			die_err("fork", errno);
		if (pid == 0)
			_exit(0);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				die_err("waitpid", errno);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "%s: child %ld ended with status %#x\n",
				progname, (long)pid, (unsigned)status);
			exit(1);
		}
	}
}

int
main(int argc, char **argv)
{
	unsigned long n;
	double t0, t1;
	int threads;

	if (argc != 3)
		usage();
	if (strcmp(argv[1], "thread") == 0)
		threads = 1;
	else if (strcmp(argv[1], "process") == 0)
		threads = 0;
	else
		usage();
	n = (unsigned long)parse_count(argv[2], 0, MAX_WORKERS);
	t0 = now();
	if (threads)
		run_threads(n);
	else
		run_processes(n);
	t1 = now();
	printf("life %s %lu %.6f\n", argv[1], n, t1 - t0);
	return fflush(stdout) == 0 ? 0 : 1;
}
