/* lines.c: the raw baseline for tests/bench/throughput.sh.
 *
 *   lines N   write 2N lines to stdout with stdio, N from 'a' and N from
 *             'b', alternating
 *
 * Each line has the shape of a line of weft's trace, "[   0.001] a | line 1",
 * its bracket the seconds since the start, read from CLOCK_MONOTONIC for
 * every line as weft stamps every event; so the file has the same bytes,
 * made with the same work, less everything weft does in between: this is
 * the floor under its tracer. stdout is left as stdio sets it up (fully
 * buffered on a file). It prints nothing else: the benchmark times it from
 * outside, as it times weft. Written for the benchmark, not part of weft. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LINES 1000000000UL

static const char *progname = "lines";

/* Prints "lines: WHAT: strerror(ERR)" and exits 1. */
static _Noreturn void
die_err(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", progname, what, strerror(err));
	exit(1);
}

/* The monotonic clock now, in seconds. */
static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die_err("clock_gettime", errno);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* N from its argument: a whole number from 1 to MAX_LINES, or exit 2. */
static unsigned long
parse_count(const char *arg)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    n < 1 || n > MAX_LINES) {
		fprintf(stderr,
			"%s: N is a whole number from 1 to %lu, not '%s'\n",
			progname, MAX_LINES, arg);
		exit(2);
	}
	return n;
}

int
main(int argc, char **argv)
{
	static const char names[2] = { 'a', 'b' };
	unsigned long n, i;
	double t0;
	int w;

	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", progname);
		return 2;
	}
	n = parse_count(argv[1]);
	t0 = now();
	for (i = 1; i <= n; i++)
		for (w = 0; w < 2; w++)
			if (printf("[%8.3f] %c | line %lu\n", now() - t0,
				   names[w], i) < 0)
				die_err("write", errno);
	if (fflush(stdout) != 0)
		die_err("write", errno);
	return 0;
}
