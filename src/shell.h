/* shell.h: the main loop. */
#ifndef WEFT_SHELL_H
#define WEFT_SHELL_H

#include <stddef.h>

#include "session.h"

/* Blocks the signals weft reads from a signalfd (INT, CHLD, WINCH, TERM,
 * HUP) and opens it. Call before any thread exists. Returns 0 or -1. */
int shell_signals_init(struct session *s);

/* Lexes LINE (LINENO in its source, 0 for the terminal) and queues its
 * commands; a lexing error is reported and fails like a command. */
void shell_submit(struct session *s, const char *line, size_t len,
		  unsigned lineno);

/* A line the learner typed at the prompt (NUL-terminated, LEN bytes, no
 * newline): the lesson being presented takes it, or it is submitted. */
void shell_typed(struct session *s, const char *line, size_t len);

/* Is a task definition or a Python block being typed (the prompt is
 * "...> ")? */
bool shell_gathering(const struct session *s);

/* Forgets a half-typed task definition or Python block (Ctrl-C). */
void shell_drop_gathered(struct session *s);

/* Queues the commands of TEXT (the -c option), line by line, as the whole
 * input. */
void shell_feed_text(struct session *s, const char *text);

/* Reports and drops a task definition left unclosed at end of input. */
void shell_abandon_task(struct session *s);

/* Input has ended (end of file, Ctrl-D): leave once queued work is done. */
void shell_eof(struct session *s);

/* Runs S until it is done and returns weft's exit status. */
int shell_run(struct session *s);

/* Frees what the shell keeps in S (the queued commands, a task being
 * gathered, the lessons being played), then S itself (session_free). */
void shell_free(struct session *s);

#endif
