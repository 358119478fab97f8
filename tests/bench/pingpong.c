/* pingpong.c: the raw baselines for tests/bench/steps.sh, and its timer.
 *
 *   pingpong condvar N   two threads pass a token N times through one mutex
 *                        and one condition variable
 *   pingpong pipe N      a parent and a fork()ed child pass one byte N times
 *                        over two pipes
 *   pingpong sem N       a parent and a fork()ed child pass the turn N times
 *                        through two process-shared POSIX semaphores
 *   pingpong ints N      a parent writes N 8-byte integers, one write()
 *                        each, into a pipe a fork()ed child reads them from
 *                        one read() each (N handoffs of one value)
 *   pingpong time CMD... run CMD with stdout on /dev/null, time it
 *
 * A handoff is one side giving the turn to the other (one signal, or one
 * byte written and read), so N handoffs are N/2 round trips. The ping-pong
 * modes print "<mode> <N> <seconds>", timed with CLOCK_MONOTONIC around the
 * handoffs only (not the thread or process set-up); time prints
 * "time <seconds>" and exits with the command's status, so the caller sees
 * a failed run. Written for the benchmark, not part of weft. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

#define MAX_HANDOFFS 1000000000000ULL

const char *progname = "pingpong";

static _Noreturn void
usage(void)
{
	fprintf(stderr,
		"usage: %s condvar|pipe|sem|ints N\n"
		"       %s time COMMAND [ARG]...\n",
		progname, progname);
	exit(2);
}

/* ---- condvar ---- */

struct table {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned long long done; /* handoffs made so far */
	unsigned long long total;
	int turn; /* which side holds the token: 0 or 1 */
};

struct side {
	struct table *t;
	int me;
};

/* One player: wait for the token, pass it to the other side, until all
 * handoffs are made. Returns NULL; errors end the process (a worker thread
 * has no one better to tell). */
static void *
player(void *arg)
{
	struct side *sd = arg;
	struct table *t = sd->t;
	int rc;

	if ((rc = pthread_mutex_lock(&t->mu)) != 0)
		die_err("pthread_mutex_lock", rc);
	for (;;) {
		while (t->turn != sd->me && t->done < t->total)
			if ((rc = pthread_cond_wait(&t->cv, &t->mu)) != 0)
				die_err("pthread_cond_wait", rc);
		if (t->done >= t->total)
			break;
		t->done++;
		t->turn = !sd->me;
		/* Only the other player can be waiting, so one wake is enough;
		 * after the last handoff it wakes to see done == total. */
		if ((rc = pthread_cond_signal(&t->cv)) != 0)
			die_err("pthread_cond_signal", rc);
	}
	if ((rc = pthread_mutex_unlock(&t->mu)) != 0)
		die_err("pthread_mutex_unlock", rc);
	return NULL;
}

/* The seconds two threads take to make N handoffs. Both threads are created
 * while main holds the mutex, so the clock starts when main lets go. */
static double
run_condvar(unsigned long long n)
{
	struct table t = { .done = 0, .total = n, .turn = 0 };
	struct side sides[2] = { { &t, 0 }, { &t, 1 } };
	pthread_t tid[2];
	double t0, t1;
	int rc, i;

	if ((rc = pthread_mutex_init(&t.mu, NULL)) != 0)
		die_err("pthread_mutex_init", rc);
	if ((rc = pthread_cond_init(&t.cv, NULL)) != 0)
		die_err("pthread_cond_init", rc);
	if ((rc = pthread_mutex_lock(&t.mu)) != 0)
		die_err("pthread_mutex_lock", rc);
	for (i = 0; i < 2; i++)
		if ((rc = pthread_create(&tid[i], NULL, player, &sides[i])) !=
		    0)
			die_err("pthread_create", rc);
	t0 = now();
	if ((rc = pthread_mutex_unlock(&t.mu)) != 0)
		die_err("pthread_mutex_unlock", rc);
	for (i = 0; i < 2; i++)
		if ((rc = pthread_join(tid[i], NULL)) != 0)
			die_err("pthread_join", rc);
	t1 = now();
	if (t.done != n) {
		fprintf(stderr, "%s: condvar made %llu handoffs, not %llu\n",
			progname, t.done, n);
		exit(1);
	}
	pthread_cond_destroy(&t.cv);
	pthread_mutex_destroy(&t.mu);
	return t1 - t0;
}

/* ---- pipe ---- */

/* Writes the one byte to FD; 0, or -1 with errno set. */
static int
send_byte(int fd)
{
	char c = 'x';
	ssize_t r;

	do
		r = write(fd, &c, 1);
	while (r < 0 && errno == EINTR);
	return r == 1 ? 0 : -1;
}

/* Reads one byte from FD; 0, or -1 with errno set (EPIPE when the other
 * side closed its end early). */
static int
recv_byte(int fd)
{
	char c;
	ssize_t r;

	do
		r = read(fd, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = EPIPE;
	return r == 1 ? 0 : -1;
}

/* Makes handoffs 0..N-1 from one side: side 0 sends on even ones and
 * receives on odd ones, side 1 the other way round. 0, or -1 with errno. */
static int
play_pipe(int side, int in, int out, unsigned long long n)
{
	unsigned long long k;

	for (k = 0; k < n; k++) {
		int mine = (int)(k % 2) == side;

		if ((mine ? send_byte(out) : recv_byte(in)) < 0)
			return -1;
	}
	return 0;
}

/* Waits for PID; returns if it exited 0, else exits 1 saying so. */
static void
reap(pid_t pid, const char *what)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_err("waitpid", errno);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (WIFSIGNALED(status))
		fprintf(stderr, "%s: %s killed by signal %d\n", progname, what,
			WTERMSIG(status));
	else
		fprintf(stderr, "%s: %s exited with status %d\n", progname,
			what, WEXITSTATUS(status));
	exit(1);
}

/* The seconds a parent and its child take to make N handoffs over two
 * pipes. The clock stops after the parent's last handoff; the child is then
 * reaped outside the timing. */
static double
run_pipe(unsigned long long n)
{
	int down[2], up[2]; /* parent -> child, child -> parent */
	double t0, t1;
	pid_t pid;

	if (pipe(down) < 0 || pipe(up) < 0)
		die_err("pipe", errno);
	fflush(stdout);
	if ((pid = fork()) < 0)
		die_err("fork", errno);
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		if (play_pipe(1, down[0], up[1], n) < 0) {
			fprintf(stderr, "%s: pipe child: %s\n", progname,
				strerror(errno));
			_exit(1);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	t0 = now();
	if (play_pipe(0, up[0], down[1], n) < 0)
		die_err("pipe parent", errno);
	t1 = now();
	close(down[1]);
	close(up[0]);
	reap(pid, "pipe child");
	return t1 - t0;
}

/* ---- time ---- */

/* Runs ARGV with stdout on /dev/null and returns its exit status as a shell
 * would give it (128 + N for signal N, 127 when it cannot be run); the wall
 * seconds from fork to reap go in *SECS. */
static int
run_timed(char **argv, double *secs)
{
	double t0;
	pid_t pid;
	int status;

	fflush(stdout);
	t0 = now();
	if ((pid = fork()) < 0)
		die_err("fork", errno);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
			fprintf(stderr, "%s: /dev/null: %s\n", progname,
				strerror(errno));
			_exit(127);
		}
		if (fd != STDOUT_FILENO)
			close(fd);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", progname, argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_err("waitpid", errno);
	*secs = now() - t0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* ---- sem ---- */

/* N handoffs between a parent and its child through two process-shared
 * semaphores in a shared page; returns the seconds they took. */
static double
run_sem(unsigned long long n)
{
	sem_t *s = mmap(NULL, 2 * sizeof *s, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	double t0, t1;
	pid_t pid;
	int st;

	if (s == MAP_FAILED)
		die_err("mmap", errno);
	if (sem_init(&s[0], 1, 0) < 0 || sem_init(&s[1], 1, 0) < 0)
		die_err("sem_init", errno);
	if ((pid = fork()) < 0)
		die_err("fork", errno);
	if (pid == 0) {
		for (unsigned long long i = 1; i < n; i += 2) {
			while (sem_wait(&s[0]) < 0 && errno == EINTR)
				;
			sem_post(&s[1]);
		}
		_exit(0);
	}
	t0 = now();
	for (unsigned long long i = 0; i < n; i += 2) {
		sem_post(&s[0]);
		if (i + 1 < n)
			while (sem_wait(&s[1]) < 0 && errno == EINTR)
				;
	}
	t1 = now();
	if (waitpid(pid, &st, 0) < 0 || st != 0)
		die_err("the sem child", errno ? errno : EIO);
	munmap(s, 2 * sizeof *s);
	return t1 - t0;
}

/* ---- ints ---- */

/* N integers, one write() and one read() each, from a parent to its child
 * through a pipe; returns the seconds until the child has read them all. */
static double
run_ints(unsigned long long n)
{
	int fd[2], st;
	double t0, t1;
	pid_t pid;

	if (pipe(fd) < 0)
		die_err("pipe", errno);
	if ((pid = fork()) < 0)
		die_err("fork", errno);
	if (pid == 0) {
		unsigned long long v, sum = 0;
		close(fd[1]);
		for (unsigned long long i = 0; i < n; i++) {
			if (read(fd[0], &v, sizeof v) != (ssize_t)sizeof v)
				_exit(1);
			sum += v;
		}
		_exit(sum == n * (n + 1) / 2 ? 0 : 1);
	}
	close(fd[0]);
	t0 = now();
	for (unsigned long long i = 1; i <= n; i++)
		if (write(fd[1], &i, sizeof i) != (ssize_t)sizeof i)
			die_err("write", errno);
	close(fd[1]);
	if (waitpid(pid, &st, 0) < 0 || st != 0)
		die_err("the ints child", errno ? errno : EIO);
	t1 = now();
	return t1 - t0;
}

int
main(int argc, char **argv)
{
	unsigned long long n;
	double secs;

	if (argc < 3)
		usage();
	if (strcmp(argv[1], "time") == 0) {
		int rc = run_timed(argv + 2, &secs);

		printf("time %.6f\n", secs);
		if (rc != 0)
			fprintf(stderr, "%s: '%s' exited with status %d\n",
				progname, argv[2], rc);
		return fflush(stdout) == 0 ? rc : 1;
	}
	if (argc != 3)
		usage();
	n = parse_count(argv[2], 1, MAX_HANDOFFS);
	/* A pipe child that dies would end the parent silently on SIGPIPE;
	 * EPIPE from write says what happened instead. */
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "condvar") == 0)
		secs = run_condvar(n);
	else if (strcmp(argv[1], "pipe") == 0)
		secs = run_pipe(n);
	else if (strcmp(argv[1], "sem") == 0)
		secs = run_sem(n);
	else if (strcmp(argv[1], "ints") == 0)
		secs = run_ints(n);
	else
		usage();
	printf("%s %llu %.6f\n", argv[1], n, secs);
	return fflush(stdout) == 0 ? 0 : 1;
}
