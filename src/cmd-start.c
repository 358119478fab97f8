/*
 * cmd-start.c: start NAME...: run workers (pthread_create or fork). Every
 * name is checked before any worker starts, so an error changes nothing.
 * As Python's Thread.start(), each returns once the worker has really begun
 * (its "started" event has arrived), so what follows sees it running; they
 * start one after the other, in the order named.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

struct started {
	int status;	/* of the start command itself */
	size_t next, n; /* ids[next] is the next to start */
	bool under_way; /* ids[next - 1] is new, its start not settled */
	uint32_t ids[];
};

/* Has the worker started last posted its "started" event (or ended)? */
static bool
last_up(struct session *s, const struct started *st)
{
	struct worker *w;

	if (st->next == 0)
		return true;
	w = registry_by_id(&s->reg, st->ids[st->next - 1]);
	return w == NULL || w->state != WS_RUNNING || w->t_start != 0;
}

static bool
all_started(struct session *s, void *arg)
{
	struct started *st = arg;

	return st->next == st->n && !st->under_way && last_up(s, st);
}


/* Those started already are waited for; the rest stay new. */
static void
give_up_rest(struct started *st)
{
	st->status = 1;
	st->n = st->next;
}

/* W's start is done: it runs. Its end may have been told already (its
 * SIGCHLD read while it was still new): the OS is asked again. */
static void
running(struct session *s, struct worker *w)
{
	worker_set_state(w, WS_RUNNING);
	session_poll_workers(s, true);
}

/* Asks what came of the start under way (with GIVE_UP, insists). */
static void
settle_last(struct session *s, struct started *st, bool give_up)
{
	struct worker *w = registry_by_id(&s->reg, st->ids[st->next - 1]);
	char why[256];
	int rc = w->be->settle(w, give_up, why, sizeof why);

	if (rc == 1)
		return;
	st->under_way = false;
	if (rc == 0) {
		running(s, w);
		return;
	}
	sh_error(s, "%s", why);
	/* It stays new, and a later start binds it again. */
	session_detach(s, w);
	session_unprepare(w);
	st->next--;
	give_up_rest(st);
}

/* Starts the next worker once the one before is up: one at a time, as
 * Python's start() calls in a row, so "started" lines come in order. */
static void
start_next(struct session *s, void *arg)
{
	struct started *st = arg;
	struct worker *w;
	char why[256];
	int rc;

	if (st->under_way)
		settle_last(s, st, false);
	if (st->under_way || st->next == st->n || !last_up(s, st))
		return;
	w = registry_by_id(&s->reg, st->ids[st->next]);
	if ((rc = session_start(s, w, why, sizeof why)) < 0) {
		sh_error(s, "%s", why);
		goto fail;
	}
	st->next++;
	/* Under way (a process the spawner forks): it stays new until its
	 * pid is known, and a start that fails leaves it new. */
	if (rc == 1)
		st->under_way = true;
	else
		worker_set_state(w, WS_RUNNING);
	return;
fail:
	give_up_rest(st);
}

static int
started_finish(struct session *s, void *arg, enum wait_end how)
{
	struct started *st = arg;

	s->starting = false;
	/* Interrupted (Ctrl-C, a signal): a start under way is known now,
	 * to be stopped with the rest or left new. */
	if (st->under_way)
		settle_last(s, st, true);
	return how == WAIT_INTERRUPTED ? 1 : st->status;
}

/* A list for up to N workers to start, empty. */
static struct started *
started_new(size_t n)
{
	struct started *st = xmalloc(sizeof *st + n * sizeof(uint32_t));

	st->next = st->n = 0;
	st->status = 0;
	st->under_way = false;
	return st;
}

/* Starts ST's workers one at a time: the command waits until all are up. */
static int
start_list(struct session *s, struct started *st)
{
	struct wait wait = { .done = all_started,
			     .finish = started_finish,
			     .pump = start_next,
			     .arg = st,
			     .interruptible = true };

	s->starting = true; /* no "all blocked" while more may come up */
	start_next(s, st);
	session_wait(s, &wait);
	return 0;
}

/* `start all`: every worker that is still new, in spawn order. */
static int
start_all(struct session *s, int argc)
{
	struct started *st;

	if (argc != 2) {
		sh_error(s, "start all: 'all' goes alone");
		return 1;
	}
	st = started_new(s->reg.n);
	for (size_t i = 0; i < s->reg.n; i++)
		if (s->reg.v[i]->state == WS_NEW)
			st->ids[st->n++] = s->reg.v[i]->id;
	if (st->n == 0) {
		free(st);
		sh_error(s, "start all: no worker is new");
		return 1;
	}
	return start_list(s, st);
}

static int
exec_start(struct session *s, int argc, char **argv)
{
	struct cmd_workers l = { 0 };
	struct started *st;
	int all = 1;

	/* "all" goes alone (start_all says so); names before it are
	 * checked first, so that their error is the one said. */
	while (all < argc && strcmp(argv[all], "all") != 0)
		all++;
	if (cmd_workers(s, all, argv, 1, WOP_START, true, &l) < 0) {
		free(l.v);
		return 1;
	}
	if (all < argc) {
		free(l.v);
		return start_all(s, argc);
	}
	st = started_new(l.n);
	for (size_t i = 0; i < l.n; i++)
		st->ids[st->n++] = l.v[i]->id;
	free(l.v);
	return start_list(s, st);
}

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.min_args = 1,
	.max_args = -1,
	.usage = "start NAME...|all",
	.summary = "start workers: a thread is created, a process is forked",
	.example = "start t1 t2",
	.words = "w*", /* "all" is not offered: it would shadow names */
	.exec = exec_start,
};
