/* node.h: node workers (SPEC 12), weft's side: node_backend (worker.h)
 * and the hub it talks to (hub.c, in weft-node). */
#ifndef WEFT_NODE_H
#define WEFT_NODE_H

#include <stddef.h>

#include "vars.h"

struct worker;

/* NULL when nodes can be spawned; else why not, as the one-line error
 * `spawn node` gives ("nodes were not built (install ...)"). */
const char *node_unavailable(void);

/* Returns 0 when W, a node about to start, can run its task: one that
 * uses a shared variable of VS or takes a lock cannot (a node shares no
 * memory with weft); -1 then, with the whole error in ERR. */
int node_refuse(const struct worker *w, const struct vars *vs, char *err,
		size_t len);

/* Nodes start on the hosts of PATH (Open MPI's hostfile format) from now
 * on; NULL: on this machine. Returns 0, or -1 with why in ERR (PATH
 * cannot be read). */
int node_set_hostfile(const char *path, char *err, size_t len);

/* Ends the hub, and with it every MPI process weft made (orted, nodes),
 * waiting at most a few seconds. Every node must have been stopped.
 * Nothing when there is no hub. */
void node_shutdown(void);

#endif
