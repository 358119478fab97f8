/* node-mpi.c: node messages over MPI (node-mpi.h). */
#include "config.h"

#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "node-mpi.h"
#include "xmalloc.h"

/* Polls that spin (yielding) before the first sleep: about as long as a
 * round trip takes on a busy machine, so that a reply on its way is not
 * slept past. */
#define SPIN_POLLS 4000

void
nmpi_backoff(unsigned i)
{
	struct timespec ts = { 0, 0 };

	/* Spinning, it still lets a thread of weft's that waits for a core
	 * run: with a node, the hub and weft's agent on two cores, a spin
	 * that never yields makes every wake-up wait for the scheduler. */
	if (i < SPIN_POLLS) {
		sched_yield();
		return;
	}
	i -= SPIN_POLLS;
	/* 20 us, doubling up to 1 ms; after a second of waiting (a grant
	 * the learner has not given yet), 10 ms: a node that waits costs
	 * next to no CPU, and a grant still comes at once as a learner sees
	 * it. */
	ts.tv_nsec = i >= 1000 ? 10000000 : i >= 6 ? 1000000 : 20000L << i;
	nanosleep(&ts, NULL);
}

int
nmpi_take(MPI_Comm comm, MPI_Status *st, struct node_msg_buf *m)
{
	int n = 0;
	size_t need;

	if (MPI_Get_count(st, MPI_BYTE, &n) != MPI_SUCCESS ||
	    n < (int)sizeof m->h)
		return -1;
	need = (size_t)n - sizeof m->h + 1;
	if (m->text.cap < (size_t)n + 1) {
		m->text.cap = (size_t)n + 1;
		m->text.data = xrealloc(m->text.data, m->text.cap);
	}
	/* The whole message lands in the text buffer, header first. */
	if (MPI_Recv(m->text.data, n, MPI_BYTE, st->MPI_SOURCE, st->MPI_TAG,
		     comm, MPI_STATUS_IGNORE) != MPI_SUCCESS)
		return -1;
	memcpy(&m->h, m->text.data, sizeof m->h);
	if (m->h.len != need - 1)
		return -1;
	memmove(m->text.data, m->text.data + sizeof m->h, m->h.len);
	m->text.data[m->h.len] = '\0';
	m->text.len = m->h.len;
	return 0;
}

int
nmpi_recv(MPI_Comm comm, struct node_msg_buf *m, bool spin)
{
	for (unsigned i = spin ? 0 : SPIN_POLLS;; i++) {
		MPI_Status st;
		int flag = 0;

		if (MPI_Iprobe(0, MPI_ANY_TAG, comm, &flag, &st) !=
		    MPI_SUCCESS)
			return -1;
		if (flag)
			return nmpi_take(comm, &st, m);
		nmpi_backoff(i);
	}
}

int
nmpi_send(MPI_Comm comm, uint32_t type, const int64_t *v, uint64_t cpu_ns,
	  const char *text, size_t len)
{
	struct node_hdr h = { .type = type, .len = (uint32_t)len,
			      .cpu_ns = cpu_ns };
	char small[sizeof h + 256];
	char *p = len <= 256 ? small : xmalloc(sizeof h + len);
	int rc;

	if (v != NULL)
		memcpy(h.v, v, sizeof h.v);
	memcpy(p, &h, sizeof h);
	if (len > 0)
		memcpy(p + sizeof h, text, len);
	rc = MPI_Send(p, (int)(sizeof h + len), MPI_BYTE, 0, 0, comm);
	if (p != small)
		free(p);
	return rc == MPI_SUCCESS ? 0 : -1;
}
