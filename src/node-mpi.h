/*
 * node-mpi.h: what the hub (hub.c) and a node (node-main.c) share of MPI:
 * a wait for a message that does not keep a core busy, and node messages
 * as MPI messages. Only weft-node includes it; weft never loads MPI.
 */
#ifndef WEFT_NODE_MPI_H
#define WEFT_NODE_MPI_H

#include <mpi.h>
#include <stdbool.h>

#include "node-proto.h"

/* Receives the next message from rank 0 of COMM into M: 0, or -1 when
 * MPI failed. It polls: with SPIN, busily (yielding) for about a round
 * trip first; then sleeping longer and longer, up to a millisecond, and
 * after a second up to 10 ms, so that a node waiting for its next grant
 * costs next to nothing. Without SPIN (the answer cannot come soon: a
 * sleep weft serves), it sleeps from the start. */
int nmpi_recv(MPI_Comm comm, struct node_msg_buf *m, bool spin);

/* Receives a message Iprobe found (STATUS) into M. Returns 0 or -1. */
int nmpi_take(MPI_Comm comm, MPI_Status *status, struct node_msg_buf *m);

/* Sends a message to rank 0 of COMM, waiting until MPI has it. */
int nmpi_send(MPI_Comm comm, uint32_t type, const int64_t *v, uint64_t cpu_ns,
	      const char *text, size_t len);

/* Sleeps for the I-th time in a row of a poll that found nothing. */
void nmpi_backoff(unsigned i);

#endif
