/* weft-node.c: the MPI side of weft, a program of its own so that weft
 * itself never loads MPI. weft starts it as its hub (--hub FD); the hub
 * starts it again, through MPI_Comm_spawn, as each node. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node-main.h"

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--hub") == 0)
		return hub_main(atoi(argv[2]));
	if (argc == 2 && strcmp(argv[1], "--node") == 0)
		return node_main(argc, argv);
	fprintf(stderr, "weft-node: started by weft, for its nodes "
			"(spawn node NAME TASK)\n");
	return 2;
}
