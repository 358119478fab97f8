/*
 * python.h: the Python bridge. One line of the Python tutorial's own syntax
 * (t1 = threading.Thread(target=print_numbers), t1.start(), t1.join(2.0),
 * p1.exitcode, import threading, ...) becomes the words of one native weft
 * command (spawn, start, join, kill, pyattr), or of none. A pure
 * translator: it knows no session, so worker and task names are checked by
 * the native command it produces.
 */
#ifndef WEFT_PYTHON_H
#define WEFT_PYTHON_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns true when LINE (LEN bytes) has the shape of a Python bridge line
 * (NAME = threading.Thread(..., NAME.IDENT..., import ..., from ...,
 * print(...), if __name__ ...), which no native command line has; such a
 * line is for py_translate, even when it turns out malformed.
 */
bool py_looks_like(const char *line, size_t len);

/*
 * Translates LINE (LEN bytes) into weft command words. Returns 0 with *OUT
 * a NULL-terminated array of new strings (free with py_free), empty
 * (*OUT[0] == NULL) for a line that runs nothing (import, a comment); or -1
 * with *OUT NULL and a one-line error (lowercase, no final period) in ERR.
 */
int py_translate(const char *line, size_t len, char ***out, char *err,
		 size_t errlen);

/* Frees ARGV, from py_translate, and each of its strings; NULL is fine. */
void py_free(char **argv);

#endif
