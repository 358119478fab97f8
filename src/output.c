/*
 * output.c: writing to weft's stdout and stderr without going deaf. A
 * blocking write() to a pipe whose reader has stopped reading waits until
 * the reader drains it, and the main thread, waiting there, serves no
 * signal: SIGTERM would do nothing for as long as the reader dawdles. So
 * weft waits for room in poll(), beside a signalfd of the signals that
 * end it, and then writes no more than the pipe is sure to take at once
 * (PIPE_BUF bytes: poll's "writable" promises at least that much room).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <unistd.h>

#include "event.h"
#include "output.h"

/* Milliseconds until DEADLINE for poll(): -1 when there is none. */
static int
ms_until(uint64_t deadline)
{
	uint64_t now;

	if (deadline == 0)
		return -1;
	now = ev_now();
	if (now >= deadline)
		return 0;
	return (int)((deadline - now + 999999) / 1000000);
}

/* Waits until FD can take a write. Returns 0, or EINTR (ENDFD became
 * readable first) or ETIMEDOUT. */
static int
wait_room(int fd, int endfd, uint64_t deadline)
{
	for (;;) {
		struct pollfd p[2] = { { fd, POLLOUT, 0 },
				       { endfd, POLLIN, 0 } };
		int n = poll(p, endfd >= 0 ? 2 : 1, ms_until(deadline));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0; /* let write() say what is wrong */
		if (p[0].revents != 0)
			return 0; /* room, or an error write() will tell */
		if (n > 0)
			return EINTR;
		return ETIMEDOUT;
	}
}

size_t
out_write(int fd, const void *p, size_t len, int endfd, uint64_t deadline,
	  int *err)
{
	const char *at = p;
	size_t done = 0;

	*err = 0;
	while (done < len) {
		size_t n = len - done < PIPE_BUF ? len - done : PIPE_BUF;
		ssize_t w;
		if ((*err = wait_room(fd, endfd, deadline)) != 0)
			break;
		w = write(fd, at + done, n);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0) {
			*err = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	return done;
}
