/* shm.h: the segment of memory shared with process workers. */
#ifndef WEFT_SHM_H
#define WEFT_SHM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define SHM_CELLS 1024 /* shared variables */
#define SHM_LOCKS 256
#define SHM_SLOTS 4096 /* one per worker, by registry slot */

/* A variable's value. Loads and stores are relaxed atomics: two workers
 * can lose each other's updates (the lesson), but there is no C data
 * race (no undefined behaviour, and ThreadSanitizer stays quiet). */
typedef _Atomic int64_t cell_t;

struct shm_lock {
	pthread_mutex_t mu;	 /* process-shared and robust */
	_Atomic uint32_t holder; /* worker id + 1, 0 when free */
};

struct shm {
	cell_t cells[SHM_CELLS];
	struct shm_lock locks[SHM_LOCKS];
	_Atomic uint32_t waiting[SHM_SLOTS]; /* lock index + 1, or 0 */
};

/* Maps a new zeroed segment (MAP_SHARED, so every process forked after
 * this sees the same memory). Returns NULL with errno set. */
struct shm *shm_map(void);

/* Unmaps SHM. */
void shm_unmap(struct shm *shm);

#endif
