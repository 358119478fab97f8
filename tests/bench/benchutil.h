/* benchutil.h: what the benchmark's C baselines (life, lines, pingpong)
 * share. Written for the benchmark, not part of weft. */
#ifndef WEFT_BENCHUTIL_H
#define WEFT_BENCHUTIL_H

/* The program's name, for messages: each program defines it. */
extern const char *progname;

/* Prints "PROGNAME: WHAT: strerror(ERR)" and exits 1. */
_Noreturn void die_err(const char *what, int err);

/* The monotonic clock now, in seconds. */
double now(void);

/* The path of this program (for MPI_Comm_spawn of itself): the kernel's
 * name for it when there is one (ARGV0 may be a name found on PATH),
 * else ARGV0. */
const char *self_path(const char *argv0);

/* N from ARG: a whole number from MIN to MAX, or a message and exit 2. */
unsigned long long parse_count(const char *arg, unsigned long long min,
			       unsigned long long max);

#endif
