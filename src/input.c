/*
 * input.c: the line splitter for scripts, pipes and -c. stdio is not used
 * for input: its buffering would hide lines from poll(). A line longer than
 * the limit is not kept in memory: its first LIMIT bytes are delivered,
 * marked too long, and the rest is skipped up to the next newline.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "xmalloc.h"

void
input_init(struct input *in, int fd)
{
	memset(in, 0, sizeof *in);
	in->fd = fd;
}

static void
keep(struct input *in, const char *p, size_t n, size_t limit)
{
	size_t room = limit - in->len;

	if (n > room)
		n = room;
	if (in->len + n > in->cap) {
		in->cap = in->len + n + 256;
		in->buf = xrealloc(in->buf, in->cap);
	}
	if (n == 0) /* p may be NULL: memcpy must not see it */
		return;
	memcpy(in->buf + in->len, p, n);
	in->len += n;
}

void
input_feed(struct input *in, const char *data, size_t n, size_t limit,
	   input_fn *fn, void *arg)
{
	const char *p = data, *end = n > 0 ? data + n : data; /* NULL + 0 */

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (!in->overlong) {
			if (in->len + (size_t)(stop - p) > limit) {
				keep(in, p, (size_t)(stop - p), limit);
				in->overlong = true;
				fn(in->buf, in->len, ++in->line, true, arg);
				in->len = 0;
			} else {
				keep(in, p, (size_t)(stop - p), limit);
			}
		}
		if (nl == NULL)
			return;
		if (!in->overlong)
			fn(in->buf ? in->buf : "", in->len, ++in->line, false,
			   arg);
		in->overlong = false;
		in->len = 0;
		p = nl + 1;
	}
	if (n == 0 && !in->eof) {
		in->eof = true;
		if (in->len > 0 && !in->overlong)
			fn(in->buf, in->len, ++in->line, false, arg);
		in->len = 0;
	}
}

long
input_read(struct input *in, size_t limit, input_fn *fn, void *arg)
{
	char chunk[16384];
	ssize_t n = read(in->fd, chunk, sizeof chunk);

	if (n < 0)
		return -1;
	input_feed(in, chunk, (size_t)n, limit, fn, arg);
	return (long)n;
}

void
input_free(struct input *in)
{
	free(in->buf);
	in->buf = NULL;
	in->len = in->cap = 0;
}
