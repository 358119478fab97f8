/*
 * node-proto.h: the messages between weft, its MPI hub and its nodes.
 *
 * A node worker (SPEC 12) runs its task in weft-node, a process that MPI
 * started, maybe on another computer. weft never calls MPI itself: the
 * hub, a weft-node process weft starts at the first node start, is the
 * MPI singleton that spawns every node and relays each message between
 * weft and that node. weft speaks to the hub over a control socket, and
 * to each node over a socket of its own whose other end the hub holds; a
 * message is the same bytes on a socket and in MPI: a header and LEN
 * bytes of text.
 *
 * A node's life: weft sends NM_SPAWN on the control socket, with the
 * node's socket; the hub answers NM_SPAWNED on that socket (or why not).
 * weft sends NM_SETUP (the task's source, its arguments, its globals'
 * values); the node answers NM_HELLO (its pid, host and first step) and
 * then waits. Each step: weft grants it (NM_GO); the node runs it,
 * asking weft for what it cannot do alone (NM_OUT a printed line, NM_SYNC
 * a statement on an object, NM_SLEEP a sleep, each answered but the
 * line), and says it is done (NM_DONE, with its next step). NM_STOP in
 * place of a grant ends it. NM_GONE, from the hub: its process ended.
 */
#ifndef WEFT_NODE_PROTO_H
#define WEFT_NODE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum node_msg {
	/* weft -> hub, on the control socket */
	NM_SPAWN = 1, /* v0: node id; text: the hostfile or ""; the node's
			 socket goes with it (SCM_RIGHTS) */
	NM_KILL,      /* v0: node id: end its process now */
	/* hub -> weft, on a node's socket */
	NM_SPAWNED, /* v0: 0 it runs, -1 it could not start: text says why */
	NM_GONE,    /* its process ended without a word */
	/* weft -> node */
	NM_SETUP, /* v0: arguments, v1: globals; text: the task's source,
		     NUL, each argument and NUL, then per global a byte
		     (set or not) and 8 bytes of value */
	NM_GO,	  /* take one step */
	NM_STOP,  /* end now */
	NM_REPLY, /* to NM_SYNC: v0 enum sync_step, v1 is a word, v2 the
		     number; text: the word, or the error */
	NM_SLEPT, /* to NM_SLEEP: v0 1 when woken to stop */
	NM_SHOWN, /* to NM_OUT: the line is weft's (NODE_OUT_WINDOW) */
	/* node -> weft */
	NM_HELLO, /* v0: pid; v1..v3: its first step as NM_DONE's v4..v6;
		     text: its host, NUL, the first step's object */
	NM_BAD,	  /* it cannot run the task: text says why */
	NM_OUT,	  /* v0: the step's instruction; text: the line */
	NM_SYNC,  /* v0: enum sync_stmt, v1: phase, v2: n, v3: is a word,
		     v4: the number; text: the object's name, NUL, word */
	NM_SLEEP, /* v0: milliseconds */
	NM_DONE,  /* v0: enum step_result; v1: pc, v2: has a value (1) and
		     loop done (2), v3: value (interp's step_seen); v4: next
		     pc (-1: none), v5: the next step's statement on an object
		     (-1: none), v6: its phase, v7: exit code; text: the
		     object's name, or why it failed; cpu: its CPU time */
};

/* Lines a node may have sent and not seen shown: a node printing without
 * end waits for weft as a thread does when the tracer is behind, and
 * neither MPI nor the hub piles its lines up. */
#define NODE_OUT_WINDOW 8

#define NODE_VALS 8
/* The most text a message carries: a printed line (INTERP_LINE_MAX) and
 * room for its header's worth of words. */
#define NODE_TEXT_MAX ((4u << 20) + 1024)

struct node_hdr {
	uint32_t type;
	uint32_t len;	 /* bytes of text after the header */
	uint64_t cpu_ns; /* NM_DONE: the node's CPU time so far */
	int64_t v[NODE_VALS];
};

/* A message: its header, and its text in TEXT (kept NUL-terminated). */
struct node_msg_buf {
	struct node_hdr h;
	struct buf text;
};

/* Writes a message of TYPE with values V (NODE_VALS of them, or NULL:
 * all 0) and LEN bytes of TEXT to FD, whole. Returns 0, or -1 (errno
 * set) when FD is closed or fails. */
int node_send_fd(int fd, uint32_t type, const int64_t *v, uint64_t cpu_ns,
		 const char *text, size_t len);

/* Reads one message from FD into M, waiting for it. Returns 0; 1 at the
 * end of FD; -1 on an error or a message that cannot be one (errno). */
int node_recv_fd(int fd, struct node_msg_buf *m);

/* The same, FD_SEND passed along with it (SCM_RIGHTS), and read with it
 * (*FD_RECV: the descriptor, or -1 when none came). */
int node_send_with_fd(int fd, uint32_t type, const int64_t *v,
		      const char *text, size_t len, int fd_send);
int node_recv_with_fd(int fd, struct node_msg_buf *m, int *fd_recv);

#endif
