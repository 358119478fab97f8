/* cmd.h: the command table. Adding a command: a cmd-NAME.c exporting a
 * cmd_entry, a line in the table in cmd.c, a line in Makefile.am, a
 * transcript test, a line in README.md. */
#ifndef WEFT_CMD_H
#define WEFT_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"
#include "sync.h"
#include "tracer.h" /* join and kill trace what they do */

struct cmd_entry {
	const char *name;
	const char *alias; /* another name, or NULL */
	int min_args;	   /* words after the name */
	int max_args;	   /* -1: no limit */
	const char *usage; /* "join NAME...|all [--timeout MS]" */
	const char *summary;
	const char *example;
	/* What Tab completes, one letter per word after the name: c a
	 * command, w a worker, a a worker or "all", k thread or process,
	 * t a task, v a variable, m a lock, h a command or help topic, s
	 * the word "task", x one of choices, l a lesson, f a file name, -
	 * nothing; a final '*' repeats the letter before it. NULL: nothing. */
	const char *words;
	const char *choices; /* the command's own words: "free step seed" */
	/* Runs the command; ARGV[0] is its name. Returns 0, or 1 after
	 * printing an error. It may start a wait (session_wait). */
	int (*exec)(struct session *s, int argc, char **argv);
};

extern const struct cmd_entry cmd_help_entry, cmd_join_entry, cmd_kill_entry,
	cmd_locks_entry, cmd_ps_entry, cmd_quit_entry, cmd_reset_entry,
	cmd_set_entry, cmd_shared_entry, cmd_show_entry, cmd_sleep_entry,
	cmd_spawn_entry, cmd_start_entry, cmd_task_entry, cmd_tasks_entry,
	cmd_vars_entry, cmd_sched_entry, cmd_step_entry, cmd_run_entry,
	cmd_pause_entry, cmd_pace_entry, cmd_trace_entry, cmd_record_entry,
	cmd_lesson_entry, cmd_source_entry, cmd_timeline_entry,
	cmd_export_entry, cmd_pyattr_entry, cmd_semaphore_entry,
	cmd_condition_entry, cmd_barrier_entry, cmd_queue_entry,
	cmd_sync_entry, cmd_python_entry, cmd_explore_entry, cmd_replay_entry;

/* Returns the command called NAME (or aliased so), or NULL. */
const struct cmd_entry *cmd_find(const char *name);
/* Returns the number of commands and command I in table order. */
size_t cmd_count(void);
const struct cmd_entry *cmd_at(size_t i);

/* Runs one command. Returns its status: 0, or 1 after an error. */
int cmd_exec(struct session *s, int argc, char **argv);

/* A lesson_check_fn (lesson.h): checks a lesson's command ARGV (ARGC
 * words) as cmd_exec would look it up: known, and given as many words as
 * it takes; in a SOLUTION, not quit. Returns 0, or -1 with why in WHY. */
int cmd_check(int argc, char **argv, bool solution, char *why, size_t len);

/* Is LINE (LEN bytes) Python rather than weft's (Python support built)?
 * A line whose first word (up to a blank or a ';', as weft's lexer reads
 * it) is one of weft's commands is that command (`ps`, `start t1`, even
 * `start = 3`); a comment is weft's; any other line is Python
 * (`ps.append(p)`), but for a mistyped command: words that are no Python
 * (pyrun_is_python), or "nope; ps" when Python does not know the name
 * (a lone name is looked at by python -c as it runs). */
bool cmd_python_line(struct session *s, const char *line, size_t len);

/* The lesson_lang (lesson.h) of S: commands checked by cmd_check, Python
 * lines told by cmd_python_line (not under --bridge) and compiled by S's
 * Python. A lone name Python does not know yet is a command (mistyped):
 * nothing of the lesson has run when it loads. S NULL: commands only. */
struct lesson_lang cmd_lang(struct session *s);

/* Returns the worker called NAME, or NULL after printing an error. */
struct worker *cmd_worker(struct session *s, const char *name);
/* Returns the worker called NAME when OP is allowed on it now, or NULL
 * after printing why not (cmd_worker's error, or worker_refuse's). */
struct worker *cmd_worker_for(struct session *s, const char *name,
			      enum worker_op op);

/* Workers a command names, each once, in the order first named. */
struct cmd_workers {
	struct worker **v; /* free it, refused or not */
	size_t n;
};
/* Appends to L the worker of each name of ARGV[FIRST..ARGC) that allows
 * OP (cmd_worker_for), each worker once: a name given again is dropped, or
 * with ONCE refused ("'t1' is named twice"). Returns 0, or -1 after
 * printing the first error, L then as before, so that a command that acts
 * only after this changes nothing when it is refused. */
int cmd_workers(struct session *s, int argc, char **argv, int first,
		enum worker_op op, bool once, struct cmd_workers *l);
/* pause and run: sets the hold of every worker ARGV[1..ARGC) names to
 * HOLD, once each allows OP, and applies it; 0, or 1 after an error. */
int cmd_hold(struct session *s, int argc, char **argv, enum worker_op op,
	     enum hold_override hold);

/* Appends "; did you mean 'NAME'?" to OUT when TYPED, which names
 * nothing of kind K (c a command or alias, w a worker, t a task, v a
 * variable, m a lock), most likely meant NAME; returns whether it did.
 * S may be NULL for commands. */
bool cmd_suggest(const struct session *s, char k, const char *typed,
		 struct buf *out);
/* Prints "no worker named 'NAME'" (a task, variable or lock for K = t, v,
 * m), with the name it may have meant. */
void cmd_no_such(struct session *s, char k, const char *name);
/* Returns the command ARGV (ARGC words) as a line that lexes back to the
 * same words (a task definition as it was given); a new string. */
char *cmd_text(int argc, char **argv);
/* Writes the whole trace of S to PATH as Chrome trace-event JSON (export,
 * --trace-json). Returns 0, or -1 with the reason in WHY. */
int export_trace(struct session *s, const char *path, char *why, size_t len);
/* Parses TEXT, the value of WHAT (a command or an option) in UNIT, as a
 * whole number from MIN to MAX into *OUT; returns 0, or -1 after appending
 * to WHY "WHAT takes UNIT from MIN to MAX, not 'TEXT'" (without ", not
 * ..." when TEXT is NULL, a value not given), the one wording of all. */
int cmd_parse_number(const char *text, const char *what, const char *unit,
		     uint64_t min, uint64_t max, uint64_t *out,
		     struct buf *why);
/* Declares object NAME of KIND (semaphore, condition bound to lock LOCK,
 * barrier, queue) with N (its value, parties or cells), after checking
 * that no lock, variable or other object has the name. Returns 0, or 1
 * after printing the one error line (nothing is made then). */
int cmd_declare(struct session *s, const char *name, enum sync_kind kind,
		int64_t n, const char *lock);

/* As cmd_parse_number, printing the error with sh_error; 0, or -1. */
int cmd_number(struct session *s, const char *text, const char *what,
	       const char *unit, uint64_t min, uint64_t max, uint64_t *out);

/* Returns the candidates to complete the word PREFIX, which starts at byte
 * START of LINE, as a NULL-terminated array of new strings (free each and
 * the array). */
char **cmd_complete(const struct session *s, const char *line, size_t start,
		    const char *prefix);

#endif
