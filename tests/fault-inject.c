/*
 * fault-inject.c: an LD_PRELOAD shim for tests/fork-fail.sh. It makes the
 * first N calls of fork() and of pthread_create() fail with EAGAIN, as they
 * do when the user's process limit is reached: the tests run as root in CI,
 * where `ulimit -u` does not stop fork. N comes from the environment:
 *
 *	WEFT_FAIL_FORK=N	the first N fork() calls fail
 *	WEFT_FAIL_PTHREAD=N	the first N pthread_create() calls fail
 *	WEFT_FAIL_CLONE=N	the first N syscall(SYS_clone, ...) calls fail
 *
 * Unset, empty or 0: no call fails. Every other call goes to the real
 * function (the next definition after this one: libc's, or a sanitizer's
 * interceptor). fork(), pthread_create() and the spawner's raw clone are
 * all weft uses to make a worker (src/spawner.c, src/proc.c, src/thread.c).
 * Each process counts its own calls: the spawner, forked from weft, starts
 * with what weft had left.
 *
 *	WEFT_NO_TID_ADDRESS=1	prctl(PR_GET_TID_ADDRESS) fails with EINVAL,
 *				as on a kernel without CHECKPOINT_RESTORE:
 *				there is no spawner, weft forks itself
 *	WEFT_CLONE_EPERM=1	every syscall(SYS_clone, ...) fails with
 *				EPERM, as under a seccomp filter that
 *				forbids it: weft forks itself
 *
 * Whether the shim really stands in front of the real functions can be
 * asked with WEFT_FAULT_INJECT_CHECK=1: it then says on stderr, once,
 * "fault-inject: active" or "fault-inject: not interposed". A binary that
 * defines these functions itself (clang's static sanitizer runtimes do)
 * would never call the shim, and the test must skip rather than fail.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How many calls are still to fail; -1: not read from the environment. */
struct budget {
	const char *var;
	atomic_long left;
};

static struct budget fork_budget = { "WEFT_FAIL_FORK", -1 };
static struct budget pthread_budget = { "WEFT_FAIL_PTHREAD", -1 };
static struct budget clone_budget = { "WEFT_FAIL_CLONE", -1 };

static long
env_count(const char *var)
{
	const char *s = getenv(var);
	int saved = errno; /* a call that goes through must leave it as is */
	char *end;
	long n;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0)
		n = 0;
	errno = saved;
	return n;
}

/* Takes one failure from B if any is left: true when this call must fail.
 * Atomic, so that threads racing to create threads share one budget. */
static bool
take(struct budget *b)
{
	long n = atomic_load(&b->left);

	if (n < 0) {
		long want = env_count(b->var);
		/* The first to read the environment sets the budget. */
		atomic_compare_exchange_strong(&b->left, &n, want);
		n = atomic_load(&b->left);
	}
	while (n > 0)
		if (atomic_compare_exchange_weak(&b->left, &n, n - 1))
			return true;
	return false;
}

typedef pid_t fork_fn(void);
typedef int pthread_create_fn(pthread_t *, const pthread_attr_t *,
			      void *(*)(void *), void *);
typedef int prctl_fn(int, unsigned long, unsigned long, unsigned long,
		     unsigned long);
typedef long syscall_fn(long, long, long, long, long, long, long);

/* The real functions, once looked up. */
static fork_fn *_Atomic real_fork;
static pthread_create_fn *_Atomic real_pthread_create;
static prctl_fn *_Atomic real_prctl;
static syscall_fn *_Atomic real_syscall;

static void
say(const char *text)
{
	/* write(2): no stdio buffer to be copied into a forked child. */
	ssize_t r = write(2, text, strlen(text));
	(void)r;
}

/* The next definition of NAME after this file's. Looked up when first
 * needed, not in a constructor: another library's constructor may create
 * a thread before this one's has run. A racing second lookup finds the
 * same address, so no lock is needed. */
static void *
next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL) { /* no real call to make: say so, loudly */
		say("fault-inject: no real ");
		say(name);
		say("\n");
		abort();
	}
	return f;
}

/* Is the first definition of NAME in the program's scope this file's?
 * Compared by the object holding it: taking &fork here would itself go
 * through that scope and always agree. */
static bool
ours(const char *name)
{
	Dl_info mine, first;
	void *f = dlsym(RTLD_DEFAULT, name);

	return f != NULL && dladdr((void *)take, &mine) != 0 &&
	       dladdr(f, &first) != 0 && mine.dli_fbase == first.dli_fbase;
}

__attribute__((constructor)) static void
fault_inject_check(void)
{
	const char *check = getenv("WEFT_FAULT_INJECT_CHECK");

	if (check == NULL || strcmp(check, "1") != 0)
		return;
	if (ours("fork") && ours("pthread_create") && ours("prctl") &&
	    ours("syscall"))
		say("fault-inject: active\n");
	else
		say("fault-inject: not interposed\n");
}

pid_t
fork(void)
{
	fork_fn *f = atomic_load(&real_fork);

	if (take(&fork_budget)) {
		errno = EAGAIN;
		return -1;
	}
	if (f == NULL) {
		f = (fork_fn *)next("fork");
		atomic_store(&real_fork, f);
	}
	return f();
}

int
pthread_create(pthread_t *thread, const pthread_attr_t *attr,
	       void *(*start)(void *), void *arg)
{
	pthread_create_fn *f = atomic_load(&real_pthread_create);

	if (take(&pthread_budget))
		return EAGAIN;
	if (f == NULL) {
		f = (pthread_create_fn *)next("pthread_create");
		atomic_store(&real_pthread_create, f);
	}
	return f(thread, attr, start, arg);
}

/* prctl and syscall take what their first argument calls for; like libc,
 * pass on as many as any call can have (unused ones are ignored). */
int
prctl(int option, ...)
{
	prctl_fn *f = atomic_load(&real_prctl);
	unsigned long a[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_GET_TID_ADDRESS &&
	    env_count("WEFT_NO_TID_ADDRESS") > 0) {
		errno = EINVAL;
		return -1;
	}
	if (f == NULL) {
		f = (prctl_fn *)next("prctl");
		atomic_store(&real_prctl, f);
	}
	return f(option, a[0], a[1], a[2], a[3]);
}

long
syscall(long number, ...)
{
	syscall_fn *f = atomic_load(&real_syscall);
	long a[6];
	va_list ap;

	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (number == SYS_clone && take(&clone_budget)) {
		errno = EAGAIN;
		return -1;
	}
	if (number == SYS_clone && env_count("WEFT_CLONE_EPERM") > 0) {
		errno = EPERM;
		return -1;
	}
	if (f == NULL) {
		f = (syscall_fn *)next("syscall");
		atomic_store(&real_syscall, f);
	}
	return f(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
