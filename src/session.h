/* session.h: one weft session: its workers, event queue, output and the
 * wait a command may leave running (the struct every module shares), and
 * the session's own functions: waits, workers' rings, reset and the end. */
#ifndef WEFT_SESSION_H
#define WEFT_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "event.h"
#include "gather.h"
#include "input.h"
#include "lock.h"
#include "output.h" /* the session's output: sh_printf, sh_error... */
#include "schedule.h"
#include "shm.h"
#include "task.h"
#include "trace.h"
#include "vars.h"
#include "worker.h"

struct session;
struct play;

struct render_opts {
	bool color; /* ANSI colour: a terminal and no NO_COLOR */
	bool time;  /* the [   0.412] bracket */
	bool steps; /* ... holds the step number instead: [#0012] */
};

enum wait_end { WAIT_DONE, WAIT_TIMEOUT, WAIT_INTERRUPTED };

/* Something a command waits for while the main loop goes on polling. */
struct wait {
	/* True when the wait is over. */
	bool (*done)(struct session *s, void *arg);
	/* Ends the wait; returns the command's status (0 or 1). */
	int (*finish)(struct session *s, void *arg, enum wait_end how);
	/* When not NULL: called as the loop goes round, to move things on
	 * (grant the next step). */
	void (*pump)(struct session *s, void *arg);
	void *arg;	    /* passed to all three; free()d after finish */
	uint64_t deadline;  /* ev_now() time to give up at, 0 for never */
	bool interruptible; /* Ctrl-C ends it */
	/* When not NULL: Ctrl-C calls it instead (the wait ends when it
	 * can, done saying so). */
	void (*interrupt)(struct session *s, void *arg);
	/* When not NULL: the most milliseconds the loop may sleep before
	 * pump is called again (-1: no limit). */
	int (*timeout)(const struct session *s, void *arg);
};

/* The terminal front end (readline); NULL when not interactive. */
struct frontend {
	void (*prompt_on)(struct session *s);  /* show the prompt, read keys */
	void (*prompt_off)(struct session *s); /* hide it to run commands */
	void (*read_input)(struct session *s); /* stdin is readable */
	void (*print)(struct session *s, const char *text, size_t len);
	void (*interrupt)(struct session *s); /* Ctrl-C at the prompt */
	void (*resize)(struct session *s);
	void (*finish)(struct session *s);
};

struct cmd_item {
	int argc;
	char **argv;
	unsigned line;
	bool from_lesson; /* not typed: never recorded */
	unsigned group;	  /* the typed line it came from, 0: not typed */
};

/* What the last explore found, for a lesson's expectation. */
struct explored {
	bool ran;	    /* an explore has finished in this session */
	bool violation;	    /* it found one */
	uint64_t schedules; /* how many it ran */
	char *schedule;	    /* the violating one, short form, or NULL */
};

struct session {
	bool starting; /* a start command is bringing workers up */
	/* When not NULL: called as the loop goes round, after the rings are
	 * read, to serve the requests of Python programs (pyrun.c); and once
	 * at the end, when no worker runs any more. */
	void (*serve)(struct session *s);
	void (*serve_end)(struct session *s);
	struct registry reg;
	struct task_table tasks;
	struct shm *shm;
	struct vars vars;
	struct locks locks;
	struct evq q;
	struct sched sch;
	struct trace trace; /* every event, for timeline and export */
	uint64_t out_seq;   /* output lines traced so far */
	unsigned deadlocks; /* deadlocks reported so far */
	uint64_t t0;
	struct render_opts ro;

	bool interactive, keep_going;
	/* --bridge: Python lines go to the one-line bridge, not CPython */
	bool bridge;
	const struct frontend *fe;
	bool prompt_shown;

	struct buf out;	    /* output waiting for the next flush */
	bool out_closed;    /* stdout's reader is gone: output is dropped */
	bool out_failed;    /* ... or writing it failed otherwise: exit 1 */
	uint64_t out_grace; /* leaving on a signal: output waits till then */
	bool capture;	    /* tests: keep output in out and errors in err */
	struct buf err;
	/* Called when the output is lost: its reader is gone (SIG: SIGPIPE)
	 * or a write failed (SIG: 0). Starts leaving weft (session_init makes
	 * it session_shutdown: output.c calls nothing above it). */
	void (*out_lost)(struct session *s, int sig);

	/* input and the commands waiting to run */
	struct input in;
	const char *src_name;  /* script file name, NULL for stdin and -c */
	unsigned src_line;     /* line of the command being run */
	struct gather pending; /* a task definition still being typed */
	/* Python lines of a statement still being typed (a block: def,
	 * for, with...), from line pyblock_first; open while pyblock_open. */
	struct buf pyblock;
	unsigned pyblock_first;
	bool pyblock_open;
	struct cmd_item *cmds;
	size_t ncmds, cmd_head, cmd_cap;
	/* At the prompt, a command that fails drops the rest of its line:
	 * each typed line is a group, numbered from 1. */
	unsigned next_group, submit_group, cur_group, failed_group;
	bool drained; /* the end of input has waited for the workers */

	bool waiting;
	struct wait wait;

	struct play *play;   /* the lesson being played, or NULL */
	char *prefill;	     /* the next prompt starts with this text */
	bool feeding_lesson; /* commands submitted now come from a lesson */
	FILE *record;	     /* record FILE: where commands that succeed go */
	char *record_path;
	char *rec_cmd;	    /* the command running, to record on success */
	bool lesson_failed; /* one of its expectations failed: exit 3 */
	struct explored explored;

	bool shutting_down, done;
	int exit_signal; /* SIGTERM or SIGHUP that ended weft */
	bool failed;	 /* a command failed */
	int exit_code;	 /* a Python program's sys.exit(N): weft's status */
	int sigfd;
	int endfd; /* readable while a signal that ends weft is pending */
};

/* Sets up S with its event queue and clock. Returns 0 or -1 (errno). */
int session_init(struct session *s);
/* Frees S (its workers must all be reaped). */
void session_free(struct session *s);

/* The end of a script: waits, as Python waits for its threads and
 * children, until every worker has ended; one that can never end by
 * itself is named (and then stopped by the shutdown that follows).
 * Returns false when there was nothing to wait for. */
bool session_wait_workers(struct session *s);

/* Makes the main loop run W until it is done before the next command. */
void session_wait(struct session *s, const struct wait *w);
/* Ends the current wait (if any) early with HOW. */
void session_end_wait(struct session *s, enum wait_end how);
/* Checks the current wait's condition and deadline, after the tracer has
 * traced what the wait-for graph shows now (tracer_check). */
void session_check_wait(struct session *s);

/* Hands every event in the queue to the tracer, then (when CHILDREN, after
 * SIGCHLD) asks the OS about ended processes and traces their ends: a
 * process's last records are always traced before its end. Then traces
 * new lock waits and deadlocks (tracer_check). */
void session_poll_workers(struct session *s, bool children);

/* After SIGCHLD: reaps every ended child of weft that is no worker it
 * keeps track of (none should be: see spawner.c), rather than leave it a
 * zombie. */
void session_sweep(struct session *s);

/* Gives W a ring to post its events to, before it starts. Returns 0, or
 * -1 with the whole error message in ERR. */
int session_attach(struct session *s, struct worker *w, char *err, size_t len);

/* Starts new worker W: binds its globals and locks, attaches its ring and
 * calls its backend. Returns 0 (it runs), 1 (under way: the backend's
 * settle tells), or -1 with a reason in ERR, W new and unchanged. */
int session_start(struct session *s, struct worker *w, char *err, size_t len);

/* Undoes what session_start bound for W, whose start failed after it. */
void session_unprepare(struct worker *w);

/* Takes W's ring back (after reading what is left in it): W has ended and
 * will never post again, or never started. */
void session_detach(struct session *s, struct worker *w);

/* Releases what the OS keeps of the ended W, and its ring: W is joined. */
void session_reap(struct session *s, struct worker *w);
/* The command being recorded (record FILE) has ended with STATUS: it is
 * written to the record when it succeeded. Returns STATUS, or 1 when that
 * write failed (said why, and recording stopped). */
int session_recorded(struct session *s, int status);
/* Records a command's STATUS: a failure ends a script (unless
 * --keep-going). */
void session_status(struct session *s, int status);

/* Starts leaving weft: every running worker is stopped, then all are
 * reaped and S->done is set. SIG is the signal that asked for it, or 0. */
void session_shutdown(struct session *s, int sig);
/* Stops every worker, then reaps them and forgets them, with every
 * variable and lock (the reset command); a wait. */
void session_reset(struct session *s);

#endif
