/* pyrun.h: Python programs on weft's workers, in CPython embedded. */
#ifndef WEFT_PYRUN_H
#define WEFT_PYRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;

/* What weft says when asked to run Python without it. */
#define PYRUN_NOT_BUILT                                                        \
	"python support was not built (install python3-dev and configure "     \
	"again)"

/* Is Python support built in? */
bool pyrun_built(void);

/* Compiles the program in PATH and starts its top-level code as the worker
 * `main` of S, with sys.argv the ARGC words of ARGV (PATH first). Returns
 * 0 with main's id in *ID, or -1 with one line in ERR, nothing run (a
 * syntax error: "PATH:LINE:COL: SyntaxError: ..."). */
int pyrun_start(struct session *s, const char *path, int argc, char **argv,
		uint32_t *id, char *err, size_t len);

/* Raises KeyboardInterrupt in main, as Ctrl-C does under python3. */
void pyrun_interrupt(void);

#endif
