/* lesson.h: lessons: scripts of commands and Python with narration (say),
 * pauses, expectations and exercises. A lesson is parsed whole, and
 * rejected with FILE:LINE before anything runs when it is malformed. */
#ifndef WEFT_LESSON_H
#define WEFT_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct session;

enum lesson_kind {
	L_COMMAND,  /* text: one command line, or a whole task definition */
	L_PYTHON,   /* text: one Python statement or block, its lines as
		       written (indented), run whole */
	L_SAY,	    /* text: narration */
	L_PAUSE,    /* wait for the teacher (present mode) */
	L_EXPECT,   /* x: a check of the session's state */
	L_EXERCISE, /* text: what the learner is asked to do */
	L_GOAL,	    /* x: what must hold for the exercise to be done */
	L_HINT,	    /* text: shown when the learner asks (hint) */
	L_SOLUTION, /* the commands after it, up to end, solve the exercise */
	L_END,
};

enum expect_kind {
	X_OUTPUT,
	X_VAR,
	X_STATE,
	X_BEFORE,
	X_DEADLOCK,
	X_RAN,
	X_LOCKED,
	X_EXPLORE, /* text_a: "violation", "none", or the schedule found */
};

enum expect_op { XOP_EQ, XOP_NE, XOP_LT, XOP_GT, XOP_LE, XOP_GE };

struct expect {
	enum expect_kind kind;
	/* the worker or variable, and its text; ran: the task; locked: the
	 * lock */
	char *a, *text_a;
	char *b, *text_b; /* before: the second worker and text */
	enum expect_op op;
	int64_t n; /* var */
	int state; /* state: an enum worker_state */
};

struct lesson_item {
	enum lesson_kind kind;
	unsigned line;
	char *text;
	struct expect x;
};

struct lesson {
	char *file;
	char *title;
	struct lesson_item *v;
	size_t n;
};

#define LESSON_MAX_BYTES (1024 * 1024)

/* Checks one command of a lesson before anything runs (ARGC words,
 * ARGV[0] its name), as the shell would look it up; in an exercise's
 * SOLUTION, a command that would end weft is refused too. Returns 0, or
 * -1 with what is wrong in WHY. */
typedef int lesson_check_fn(int argc, char **argv, bool solution, char *why,
			    size_t len);

/* What a line that is none of the directives is, to a lesson_python_fn. */
enum lesson_py {
	LPY_NO,	   /* weft's: a command, or a mistyped one */
	LPY_LINE,  /* a whole Python statement */
	LPY_BLOCK, /* the first line of a Python block that goes on */
};

/* Is LINE (LEN bytes, as written, its leading blanks too) Python rather
 * than weft's? (CTX: the lesson_lang's.) */
typedef enum lesson_py lesson_python_fn(void *ctx, const char *line,
					size_t len);

/* Compiles SRC, a whole Python statement or block, running nothing.
 * Returns 0, or -1 with the error in WHY ("column C: SyntaxError: ...")
 * and the line of SRC it is on in *LINE (1: SRC's first; 0: none). */
typedef int lesson_compile_fn(void *ctx, const char *src, unsigned *line,
			      char *why, size_t len);

/* The languages of a lesson's lines, as whoever loads it knows them (the
 * parser knows neither weft's commands nor Python): cmd_lang gives
 * weft's. Only COMMAND is needed; with no PYTHON, no line is Python. */
struct lesson_lang {
	lesson_check_fn *command;
	lesson_python_fn *python;
	lesson_compile_fn *compile; /* NULL: Python is taken unchecked */
	void *ctx;
};

/* Parses TEXT (LEN bytes) of lesson FILE into L, its lines checked by
 * LANG. A Python block is the line that opens it and every line after
 * that goes on it (gather_goes_on), but blank lines at its end. Returns
 * 0, or -1 with "FILE:LINE: what is wrong" in ERR (L is then empty). */
int lesson_parse(const char *file, const char *text, size_t len,
		 const struct lesson_lang *lang, struct lesson *l, char *err,
		 size_t errlen);

/* Reads and parses lesson FILE; -1 with the error in ERR. */
int lesson_load(const char *file, const struct lesson_lang *lang,
		struct lesson *l, char *err, size_t errlen);

/* The same for a script run with `source`: the title line is optional. */
int lesson_load_script(const char *file, const struct lesson_lang *lang,
		       struct lesson *l, char *err, size_t errlen);

/* Frees what L holds. */
void lesson_free(struct lesson *l);

/* Parses the ARGC words of an expectation (ARGV, after "expect") into X.
 * Returns 0, or -1 with what is wrong in ERR. */
int expect_parse(int argc, char **argv, struct expect *x, char *err,
		 size_t len);
/* Frees what X holds. */
void expect_free(struct expect *x);

/* Writes X as it is written in a lesson, after "expect ". */
void expect_format(const struct expect *x, struct buf *out);

/* Where lessons are looked for: the installed directory, then the source
 * tree's lessons/ (for a weft run from its build tree). */
extern const char *const lesson_dirs[];

/* Finds lesson NAME: a file path, or a lesson in DIRS (NULL-terminated)
 * whose file is NN-name.weft, by number ("03", "3") or name ("race").
 * Returns a new string, or NULL. */
char *lesson_find(const char *name, const char *const *dirs);

/* Appends "NN  title" lines of every lesson in DIRS to OUT (the first
 * directory that has a number wins; one that does not parse, its lines
 * checked by LANG, says why). Returns how many. */
size_t lesson_list(const char *const *dirs, const struct lesson_lang *lang,
		   struct buf *out);

#endif
