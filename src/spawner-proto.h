/* spawner-proto.h: what weft and its spawner exchange (spawner.c is weft's
 * side, spawner-serve.c the spawner's): the descriptors the spawner and
 * its children keep, the start request, and the board, the page they
 * share that says what came of the request the spawner took up last. */
#ifndef WEFT_SPAWNER_PROTO_H
#define WEFT_SPAWNER_PROTO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "worker.h"

/* Descriptors in the spawner (0 to 2 are /dev/null) and in its children,
 * which keep only the first three and the doorbell. */
#define FD_BELL 3 /* the doorbell's write end */
#define FD_REQ 4  /* requests in; its first word out */

/* What weft and its spawners share, mapped before the first is born: the
 * request the spawner took up last and what came of it. The spawner
 * writes NO before its clone, the kernel writes PID before the clone
 * returns and before the child runs. */
struct board {
	_Atomic uint32_t no; /* its number */
	_Atomic int32_t pid; /* its child, written by the kernel; 0: none */
	_Atomic int32_t err; /* errno when it failed; 0: not (yet) */
};

struct req_arg {
	bool is_str;
	int64_t i;
};

/* A global's value at the start, or that it has none (set 0). */
struct req_val {
	int64_t v;
	int64_t set;
};

/* A start request. Its payload follows: the cells (nglobals pointers),
 * the cells' values (nglobals req_vals), the lock indexes (nlocks), the argument
 * words (each NUL-terminated), then the task's text. */
struct req {
	uint32_t size; /* bytes of payload */
	uint32_t no;   /* the request's number, from 1 */
	uint32_t id;
	int32_t slot;
	uint32_t epoch0;
	int32_t argc;
	uint32_t nglobals, nlocks, textlen;
	struct ev_sink sink;
	struct shm *shm;
	char name[WORKER_NAME_MAX + 1];
	struct req_arg args[AST_MAX_PARAMS];
};

/* The spawner's life, from its fork by weft (pid WEFT): it says on REQ
 * whether it can fork weft's children, then serves the requests it reads
 * there until weft closes its end, saying on BOARD what came of each;
 * its children ring BELL. */
_Noreturn void spawner_main(pid_t weft, int req, int bell, struct board *b);

#endif
