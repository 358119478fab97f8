/* input.h: splitting a byte stream into lines, with a cap on line length. */
#ifndef WEFT_INPUT_H
#define WEFT_INPUT_H

#include <stdbool.h>
#include <stddef.h>

struct input {
	int fd; /* -1: nothing to read */
	bool eof;
	char *buf; /* bytes not yet split */
	size_t len, cap;
	bool overlong; /* dropping the rest of a line that was too long */
	unsigned line; /* number of the last line returned */
};

/* Called by input_split for each line: its text without the newline, and
 * whether it was cut short because it was longer than LIMIT. */
typedef void input_fn(const char *line, size_t len, unsigned lineno,
		      bool toolong, void *arg);

/* Prepares IN to read from FD. */
void input_init(struct input *in, int fd);

/* Appends N bytes and calls FN for each complete line (of at most LIMIT
 * bytes; longer lines are reported once, cut). When N is 0 the stream has
 * ended and a last unterminated line is delivered too. */
void input_feed(struct input *in, const char *data, size_t n, size_t limit,
		input_fn *fn, void *arg);

/* Reads once from IN->fd and feeds what came. Returns bytes read, 0 at end
 * of input, -1 on error (errno; EAGAIN/EINTR mean try again). */
long input_read(struct input *in, size_t limit, input_fn *fn, void *arg);

/* Frees IN's buffer. */
void input_free(struct input *in);

#endif
