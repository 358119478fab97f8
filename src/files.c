/*
 * files.c: opening the files a user names (lessons, sourced scripts,
 * recordings, exports) so that weft never waits forever on one. Opening a
 * FIFO blocks until someone opens its other end, and reading or writing it
 * blocks while that someone dawdles; weft's main thread must not, since
 * then it would hear no signal and print no worker's output. So every
 * open is non-blocking, and what is read whole must be a regular file,
 * and what is written must not be a FIFO or a socket (devices such as
 * /dev/null are fine). Writes are checked to the last byte: a recording
 * that cannot be saved says so.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"

/* Why a file of MODE cannot be read or written whole, or NULL. */
static const char *
refusal(mode_t mode, bool devices_ok)
{
	if (S_ISREG(mode) || (devices_ok && S_ISCHR(mode)))
		return NULL;
	if (S_ISDIR(mode))
		return strerror(EISDIR);
	return "not a regular file";
}

/* Checks FD, opened non-blocking, and makes it blocking again (a device
 * may then wait, as a device should). Returns FD, or -1 with WHY. */
static int
settle_fd(int fd, bool devices_ok, char *why, size_t len)
{
	struct stat st;
	const char *no;
	int fl;

	if (fstat(fd, &st) < 0 || (fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if ((no = refusal(st.st_mode, devices_ok)) != NULL) {
		snprintf(why, len, "%s", no);
		close(fd);
		return -1;
	}
	return fd;
}

int
file_open_read(const char *path, char *why, size_t len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	return settle_fd(fd, false, why, len);
}

FILE *
file_open_write(const char *path, bool append, char *why, size_t len)
{
	int flags = O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC |
		    (append ? O_APPEND : O_TRUNC);
	struct stat st;
	FILE *f;
	int fd;

	/* Look before opening: a FIFO with a reader opens at once, and
	 * that reader may never read. */
	if (stat(path, &st) == 0 && refusal(st.st_mode, true) != NULL) {
		snprintf(why, len, "%s", refusal(st.st_mode, true));
		return NULL;
	}
	/* A FIFO made since, with no reader, fails here (ENXIO). */
	if ((fd = open(path, flags, 0666)) < 0) {
		snprintf(why, len, "%s",
			 errno == ENXIO ? "not a regular file"
					: strerror(errno));
		return NULL;
	}
	if (settle_fd(fd, true, why, len) < 0)
		return NULL;
	if ((f = fdopen(fd, append ? "a" : "w")) == NULL) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
	}
	return f;
}

int
file_flush(FILE *f, char *why, size_t len)
{
	errno = 0;
	if (fflush(f) != 0) {
		snprintf(why, len, "%s", strerror(errno ? errno : EIO));
		return -1;
	}
	if (ferror(f)) { /* an earlier write failed; its errno is gone */
		snprintf(why, len, "%s", strerror(EIO));
		return -1;
	}
	return 0;
}

int
file_close(FILE *f, char *why, size_t len)
{
	int st = file_flush(f, why, len);

	errno = 0;
	if (fclose(f) != 0 && st == 0) {
		snprintf(why, len, "%s", strerror(errno ? errno : EIO));
		st = -1;
	}
	return st;
}
