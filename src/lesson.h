/* lesson.h: lessons: scripts of commands with narration (say), pauses,
 * expectations and exercises. A lesson is parsed whole, and rejected with
 * FILE:LINE before anything runs when it is malformed. */
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
 * -1 with what is wrong in WHY. The lesson parser does not know the
 * commands: whoever loads a lesson passes this check (cmd_check). */
typedef int lesson_check_fn(int argc, char **argv, bool solution, char *why,
			    size_t len);

/* Parses TEXT (LEN bytes) of lesson FILE into L, each command checked by
 * CHECK. Returns 0, or -1 with "FILE:LINE: what is wrong" in ERR (L is
 * then empty). */
int lesson_parse(const char *file, const char *text, size_t len,
		 lesson_check_fn *check, struct lesson *l, char *err,
		 size_t errlen);

/* Reads and parses lesson FILE; -1 with the error in ERR. */
int lesson_load(const char *file, lesson_check_fn *check, struct lesson *l,
		char *err, size_t errlen);

/* The same for a script run with `source`: the title line is optional. */
int lesson_load_script(const char *file, lesson_check_fn *check,
		       struct lesson *l, char *err, size_t errlen);

/* Frees what L holds. */
void lesson_free(struct lesson *l);

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
 * directory that has a number wins; one that does not parse, its commands
 * checked by CHECK, says why). Returns how many. */
size_t lesson_list(const char *const *dirs, lesson_check_fn *check,
		   struct buf *out);

#endif
