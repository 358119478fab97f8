/* mpi_spawn.c: the raw baseline for a node's start and join in
 * tests/bench/nodes.sh (issue 18).
 *
 *   mpi_spawn        an MPI singleton (run without mpirun) spawns one copy
 *                    of this program with MPI_Comm_spawn and waits for it
 *                    to leave: MPI_Comm_disconnect on the
 *                    intercommunicator returns once the copy has
 *                    disconnected too; then MPI_Finalize
 *
 * The spawned copy knows itself by its parent (MPI_Comm_get_parent) and
 * does nothing but disconnect and finalize: the trivial child of weft's
 * 'spawn node n count 0; start n; join n'. The benchmark times the whole
 * program from outside, MPI_Init included, as it times weft's whole run.
 * Prints "mpi_spawn <seconds>", the seconds from the spawn to the end of
 * the disconnect (CLOCK_MONOTONIC), for a reader's check. As root, Open
 * MPI wants OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
 * in the environment (nodes.sh sets them). Written for the benchmark, not
 * part of weft. */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "benchutil.h"

const char *progname = "mpi_spawn";


int
main(int argc, char **argv)
{
	MPI_Comm up, inter;
	double t0, t1;
	int err = MPI_SUCCESS;

	if (argc != 1) {
		fprintf(stderr, "usage: %s\n", progname);
		return 2;
	}
	MPI_Init(&argc, &argv);
	MPI_Comm_get_parent(&up);
	if (up != MPI_COMM_NULL) {
		MPI_Comm_disconnect(&up);
		MPI_Finalize();
		return 0;
	}
	t0 = now();
	MPI_Comm_spawn(self_path(argv[0]), MPI_ARGV_NULL, 1, MPI_INFO_NULL, 0,
		       MPI_COMM_SELF, &inter, &err);
	if (err != MPI_SUCCESS) {
		fprintf(stderr, "%s: MPI_Comm_spawn failed (error %d)\n",
			progname, err);
		exit(1);
	}
	MPI_Comm_disconnect(&inter);
	t1 = now();
	MPI_Finalize();
	printf("%s %.6f\n", progname, t1 - t0);
	return fflush(stdout) == 0 ? 0 : 1;
}
