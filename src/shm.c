/*
 * shm.c: the shared segment. It is mapped once, when the session begins and
 * before any process worker exists, so that every child forked later shares
 * it: `shared` variables and every lock live here, which is how a lock can
 * order threads and processes alike.
 */
#include "config.h"

#include <sys/mman.h>

#include "shm.h"

struct shm *
shm_map(void)
{
	void *p = mmap(NULL, sizeof(struct shm), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void
shm_unmap(struct shm *shm)
{
	if (shm != NULL)
		munmap(shm, sizeof *shm);
}
