/* output.h: what weft prints: the session's output (command lines,
 * main's notes, errors), and writes to stdout and stderr that a stalled
 * reader cannot turn into a wait deaf to signals. */
#ifndef WEFT_OUTPUT_H
#define WEFT_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct event;
struct session;

/* Writes LEN bytes of P to FD, waiting for room in poll() beside ENDFD
 * (readable when a signal that ends weft is pending; -1: none) until
 * DEADLINE (on the ev_now() clock; 0: none). Returns how many bytes were
 * written; *ERR is 0 when all were, EINTR when such a signal came while FD
 * had no room, ETIMEDOUT at the deadline, or the errno of a failed write. */
size_t out_write(int fd, const void *p, size_t len, int endfd,
		 uint64_t deadline, int *err);

/* Sets EV's time and step number to now. */
void sh_stamp(struct session *s, struct event *ev);
/* Appends command output (a whole line with its newline) to S's output. */
void sh_printf(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "error: ..." for the command being run, with the script's
 * FILE:LINE when there is one, to stderr after the pending output. */
void sh_error(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints LINE (no newline in it) as it is to stderr, after the pending
 * output, as sh_error prints its line: Python's traceback. */
void sh_error_text(struct session *s, const char *line);

/* Appends a line of the main thread, "main: ...", with the bracket of
 * trace lines (the time or step number now), to S's output. */
void sh_note(struct session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* On a terminal, while a command runs (no prompt shown): draws LINE (no
 * newline) over the line the cursor is on, as a progress line; NULL
 * clears it. Nothing elsewhere. */
void sh_progress(struct session *s, const char *line);
/* Writes pending output: above the prompt when one is shown. When the
 * write fails, says why (but when the reader has gone: SIGPIPE's silence)
 * and calls S->out_lost. */
void sh_flush(struct session *s);

#endif
