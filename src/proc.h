/* proc.h: what the process backend (proc.c) offers beyond its table in
 * worker.h: reading a process's line in /proc. */
#ifndef WEFT_PROC_H
#define WEFT_PROC_H

#include <stdint.h>

/* What /proc/PID/stat says of a process that weft shows. */
struct proc_stat {
	char state;	/* its state letter: R, S, Z... */
	uint64_t ticks; /* CPU time used, user and system, in clock ticks */
};

/* Reads LINE, the text of /proc/PID/stat ("PID (COMM) S PPID ...", COMM
 * holding any bytes, spaces and parentheses too, so the fields are
 * counted from the last ')'), into *ST. Returns 0, or -1 when LINE is
 * not such a line or ends before the CPU times (fields 14 and 15). */
int proc_stat_parse(const char *line, struct proc_stat *st);

#endif
