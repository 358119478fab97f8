/* output.h: writes to stdout and stderr that a stalled reader cannot
 * turn into a wait deaf to signals. */
#ifndef WEFT_OUTPUT_H
#define WEFT_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

/* Writes LEN bytes of P to FD, waiting for room in poll() beside ENDFD
 * (readable when a signal that ends weft is pending; -1: none) until
 * DEADLINE (on the ev_now() clock; 0: none). Returns how many bytes were
 * written; *ERR is 0 when all were, EINTR when such a signal came while FD
 * had no room, ETIMEDOUT at the deadline, or the errno of a failed write. */
size_t out_write(int fd, const void *p, size_t len, int endfd,
		 uint64_t deadline, int *err);

#endif
