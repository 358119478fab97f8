/* node-main.h: the two sides of weft-node (SPEC 12): a node's task,
 * and the hub weft starts (hub.c). */
#ifndef WEFT_NODE_MAIN_H
#define WEFT_NODE_MAIN_H

/* A node, as the hub's MPI_Comm_spawn starts it: runs the task weft sends
 * it, step by step as weft grants. Returns the exit status. */
int node_main(int argc, char **argv);

/* The hub, as weft starts it: `weft-node --hub FD`, FD its control
 * socket to weft. Returns the exit status. */
int hub_main(int fd);

#endif
