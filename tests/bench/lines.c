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

#include "benchutil.h"

#define MAX_LINES 1000000000UL

const char *progname = "lines";

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
	n = (unsigned long)parse_count(argv[1], 1, MAX_LINES);
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
