/* pyrun.h: Python programs on weft's workers, in CPython embedded. */
#ifndef WEFT_PYRUN_H
#define WEFT_PYRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "worker.h"

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

/* Where Python lines typed at the prompt (or in a script, a lesson) stand:
 * 1 SRC is a whole statement, to run; 0 a block goes on (the prompt is
 * "...> " until a blank line ends it, as python3's); also 1 when SRC can
 * never be right (running it says why). -1 with why in ERR when Python
 * cannot start. */
int pyrun_block(struct session *s, const char *src, char *err, size_t len);

/* Is LINE, whose first word is none of weft's commands, Python (a
 * statement, or the start of a block), rather than a mistyped command:
 * words that are no Python ("stpe t1 2")? */
bool pyrun_is_python(struct session *s, const char *line);

/* Does Python know NAME now (a variable of the prompt's, a builtin, one
 * of weft's tasks)? A lone unknown name is a mistyped command ("stpe"). */
bool pyrun_known(struct session *s, const char *name);

/* Runs SRC, a statement typed at the prompt (from LINE of a file, 0:
 * typed), as the worker main, in the namespace every such statement
 * shares; an expression's value is printed, as at python3's prompt. Its
 * start and end are not traced. Returns 0 with main's id in *ID, or -1
 * with one line in ERR, nothing run (a syntax error: "column C:
 * SyntaxError: ..."). */
int pyrun_exec(struct session *s, const char *src, unsigned line,
	       uint32_t *id, char *err, size_t len);

/* Compiles SRC, a statement or block as pyrun_exec takes it, without
 * running anything (a lesson's Python, checked as the lesson loads).
 * Returns 0, or -1 with one line in ERR (a syntax error: "column C:
 * SyntaxError: ...") and the line of SRC it is on in *LINE (1: SRC's
 * first; 0: none said). */
int pyrun_compile(struct session *s, const char *src, unsigned *line,
		  char *err, size_t len);

/* Raises KeyboardInterrupt in main, as Ctrl-C does under python3. */
void pyrun_interrupt(void);

/* Is NAME a function (a callable) of the namespace Python lines typed at
 * the prompt share? (False when Python is not built or not started.) */
bool pyrun_callable(struct session *s, const char *name);

/* spawn KIND NAME FUNC [ARG...] for a Python function FUNC of that
 * namespace: a worker NAME, new, that calls FUNC(ARG...) when started
 * (a word that is a whole number is passed as an int, any other as a
 * str): a threading.Thread, or a multiprocessing.Process, made as it
 * starts. Returns 0, or -1 with why in ERR. */
int pyrun_spawn(struct session *s, const char *name, enum worker_kind kind,
		const char *func, int argc, char *const *argv, char *err,
		size_t len);

/* The function a worker spawned so calls, and its words in *ARGC and
 * *ARGV; NULL for any other worker. */
const char *pyrun_spawned(const struct worker *w, int *argc, char ***argv);

/* The values of that namespace, kept (plain data copied: ints, strs,
 * lists, dicts...), for pyrun_restore to give back before each of
 * explore's runs; NULL when Python has not started. Freed by
 * pyrun_saved_free. */
void *pyrun_save(struct session *s);
void pyrun_restore(struct session *s, void *saved);
void pyrun_saved_free(void *saved);

#endif
