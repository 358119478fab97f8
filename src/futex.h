/*
 * futex.h: the two futex calls, wait and wake, on a 32-bit word. The words
 * weft waits on live in MAP_SHARED memory that a forked worker shares with
 * weft, so these are the shared forms (no FUTEX_PRIVATE_FLAG): a private
 * futex is keyed by address in one process and would never wake the other.
 * A word waited on must therefore be in memory every waiter maps.
 */
#ifndef WEFT_FUTEX_H
#define WEFT_FUTEX_H

#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* futex_wake's N for every waiter. */
#define FUTEX_WAKE_ALL INT_MAX

/* Sleeps while *WORD holds SEEN, until a wake, a signal or, when NS >= 0,
 * NS nanoseconds; returns 0 when woken, or -1 with errno EAGAIN (*WORD was
 * not SEEN), EINTR or ETIMEDOUT. Callers look at the word again either
 * way: a futex wake-up is a hint, never a promise. */
static inline int
futex_wait(_Atomic uint32_t *word, uint32_t seen, int64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000),
			       .tv_nsec = (long)(ns % 1000000000) };

	return (int)syscall(SYS_futex, word, FUTEX_WAIT, seen,
			    ns >= 0 ? &ts : NULL, NULL, 0);
}

/* Wakes up to N of the waiters on WORD (FUTEX_WAKE_ALL: all of them);
 * returns how many it woke, or -1 with errno. */
static inline int
futex_wake(_Atomic uint32_t *word, int n)
{
	return (int)syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
}

#endif
