/* prng.h: the one pseudo-random generator of weft, splitmix64, so that a
 * seed means the same numbers on every machine. The scheduler draws who
 * takes the next step with it, and the objects of sync.c whom to wake. */
#ifndef WEFT_PRNG_H
#define WEFT_PRNG_H

#include <stddef.h>
#include <stdint.h>

/* Returns the next number of the sequence STATE is in, and advances it. */
static inline uint64_t
sched_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Returns a number below N (N > 0) drawn from STATE. */
static inline size_t
sched_pick(uint64_t *state, size_t n)
{
	return (size_t)(sched_rand(state) % n);
}

#endif
