/* mpi_pingpong.c: the raw baseline for the message round trip of
 * tests/bench/nodes.sh (issue 18).
 *
 *   mpi_pingpong N   an MPI singleton (run without mpirun) spawns one copy
 *                    of this program with MPI_Comm_spawn, then sends it a
 *                    small message (one 8-byte integer) N times, each
 *                    answered before the next is sent: N round trips of
 *                    MPI_Send and MPI_Recv over the intercommunicator
 *
 * The spawned copy knows itself by its parent (MPI_Comm_get_parent) and
 * answers each value with the value plus one, so the parent checks that
 * every round trip was made. Both then leave with MPI_Comm_disconnect and
 * MPI_Finalize. This is the floor under a node's step in weft, where the
 * node asks and weft grants: one round trip a step.
 *
 * Prints "mpi_pingpong <N> <seconds>", the seconds of the round trips
 * alone (CLOCK_MONOTONIC), for a reader's check; the benchmark times the
 * whole program from outside at two values of N, as it times weft, so
 * that MPI's start-up and the spawn fall out of the difference on both
 * sides alike. As root, Open MPI wants OMPI_ALLOW_RUN_AS_ROOT=1 and
 * OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 in the environment (nodes.sh sets
 * them). Written for the benchmark, not part of weft. */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "benchutil.h"

#define MAX_ROUNDS 1000000000ULL
#define TAG 18

const char *progname = "mpi_pingpong";


/* The spawned copy: answers N values, each with the value plus one. */
static void
child(MPI_Comm parent, unsigned long long n)
{
	unsigned long long k;
	long long v;

	for (k = 0; k < n; k++) {
		MPI_Recv(&v, 1, MPI_LONG_LONG, 0, TAG, parent,
			 MPI_STATUS_IGNORE);
		v++;
		MPI_Send(&v, 1, MPI_LONG_LONG, 0, TAG, parent);
	}
}

/* The singleton: spawns the copy and makes N round trips with it; returns
 * their seconds. */
static double
parent(const char *argv0, const char *count, unsigned long long n)
{
	char *child_argv[] = { (char *)count, NULL };
	MPI_Comm inter;
	unsigned long long k;
	long long v = 0, back;
	double t0, t1;
	int err = MPI_SUCCESS;

	MPI_Comm_spawn(self_path(argv0), child_argv, 1, MPI_INFO_NULL, 0,
		       MPI_COMM_SELF, &inter, &err);
	if (err != MPI_SUCCESS) {
		fprintf(stderr, "%s: MPI_Comm_spawn failed (error %d)\n",
			progname, err);
		exit(1);
	}
	t0 = now();
	for (k = 0; k < n; k++) {
		MPI_Send(&v, 1, MPI_LONG_LONG, 0, TAG, inter);
		MPI_Recv(&back, 1, MPI_LONG_LONG, 0, TAG, inter,
			 MPI_STATUS_IGNORE);
		if (back != v + 1) {
			fprintf(stderr, "%s: round trip %llu came back %lld, "
				"not %lld\n", progname, k + 1, back, v + 1);
			exit(1);
		}
		v = back;
	}
	t1 = now();
	MPI_Comm_disconnect(&inter);
	return t1 - t0;
}

int
main(int argc, char **argv)
{
	unsigned long long n;
	MPI_Comm up;
	double secs;

	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", progname);
		return 2;
	}
	n = parse_count(argv[1], 0, MAX_ROUNDS);
	MPI_Init(&argc, &argv);
	MPI_Comm_get_parent(&up);
	if (up != MPI_COMM_NULL) {
		child(up, n);
		MPI_Comm_disconnect(&up);
		MPI_Finalize();
		return 0;
	}
	secs = parent(argv[0], argv[1], n);
	MPI_Finalize();
	printf("%s %llu %.6f\n", progname, n, secs);
	return fflush(stdout) == 0 ? 0 : 1;
}
