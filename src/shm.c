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
	struct shm *shm = mmap(NULL, sizeof(struct shm), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t a;

	if (shm == MAP_FAILED)
		return NULL;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&shm->lock_names_mu, &a);
	pthread_mutex_init(&shm->sync_mu, &a);
	pthread_mutexattr_destroy(&a);
	return shm;
}

void
shm_unmap(struct shm *shm)
{
	if (shm != NULL)
		munmap(shm, sizeof *shm);
}
