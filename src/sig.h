/* sig.h: signal names and numbers, real-time signals included. */
#ifndef WEFT_SIG_H
#define WEFT_SIG_H

#include <stddef.h>

/* Writes SIG's name to BUF ("SIGTERM", "SIGRTMIN+2", "SIGRTMAX-1", as
 * kill -l names them; "SIG32" for one that has none) and returns BUF. */
const char *sig_name(int sig, char *buf, size_t len);

/* Returns the signal TEXT names ("TERM", "SIGKILL", "9", "RTMIN+2"), 0
 * when it names none, or -1 for a number glibc reserves for its threads
 * (32 and 33 on Linux). */
int sig_parse(const char *text);

#endif
