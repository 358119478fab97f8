/* testlib.h: what the Check tests that run a real session share. */
#ifndef WEFT_TESTLIB_H
#define WEFT_TESTLIB_H

#include "session.h"

/* Returns a new string made like printf. */
char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens S as the tests use it: output and errors captured (s->out,
 * s->err), no colour, no time, weft's signals read from a signalfd. */
void open_session(struct session *s);
void close_session(struct session *s);

/* Runs SCRIPT (under 4 KiB) in S's main loop as weft runs a piped
 * script, to its end (which stops and reaps every worker); returns the
 * exit status. */
int run_script(struct session *s, const char *script);

#endif
