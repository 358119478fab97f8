/* benchutil.c: see benchutil.h. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchutil.h"

void
die_err(const char *what, int err)
{
	fprintf(stderr, "%s: %s: %s\n", progname, what, strerror(err));
	exit(1);
}

double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die_err("clock_gettime", errno);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

unsigned long long
parse_count(const char *arg, unsigned long long min, unsigned long long max)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    n < min || n > max) {
		fprintf(stderr,
			"%s: N is a whole number from %llu to %llu, not '%s'\n",
			progname, min, max, arg);
		exit(2);
	}
	return n;
}

const char *
self_path(const char *argv0)
{
	static char path[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", path, sizeof path - 1);

	if (len <= 0)
		return argv0;
	path[len] = '\0';
	return path;
}
