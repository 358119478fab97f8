/*
 * cmd-start.c: start NAME...: run workers (pthread_create or fork). Every
 * name is checked before any worker starts, so an error changes nothing.
 * As Python's Thread.start(), it returns once each worker has really begun
 * (its "started" event has arrived), so what follows sees it running.
 */
#include "config.h"

#include <stdlib.h>

#include "cmd.h"
#include "xmalloc.h"

struct started {
	int status; /* of the start command itself */
	size_t n;
	uint32_t ids[];
};

static bool
all_started(struct session *s, void *arg)
{
	struct started *st = arg;

	for (size_t i = 0; i < st->n; i++) {
		struct worker *w = registry_by_id(&s->reg, st->ids[i]);
		if (w != NULL && w->state == WS_RUNNING && w->t_start == 0)
			return false;
	}
	return true;
}

static int
started_finish(struct session *s, void *arg, enum wait_end how)
{
	struct started *st = arg;

	return how == WAIT_INTERRUPTED ? 1 : st->status;
}

static int
exec_start(struct session *s, int argc, char **argv)
{
	char why[256];

	for (int i = 1; i < argc; i++) {
		struct worker *w = cmd_worker(s, argv[i]);
		if (w == NULL)
			return 1;
		if (worker_refuse(w, WOP_START, why, sizeof why)) {
			sh_error(s, "%s", why);
			return 1;
		}
		for (int j = 1; j < i; j++)
			if (registry_find(&s->reg, argv[j]) == w) {
				sh_error(s, "'%s' is named twice", argv[i]);
				return 1;
			}
	}
	struct started *st =
		xmalloc(sizeof *st + (size_t)argc * sizeof(uint32_t));
	struct wait wait = { all_started, started_finish, st, 0, true };
	st->n = 0;
	st->status = 0;
	for (int i = 1; i < argc; i++) {
		struct worker *w = registry_find(&s->reg, argv[i]);
		if (worker_prepare(w, &s->vars, &s->locks, why, sizeof why) <
			    0 ||
		    w->be->start(w, s->q.wfd, why, sizeof why) < 0) {
			sh_error(s, "%s", why);
			st->status = 1;
			break;
		}
		worker_set_state(w, WS_RUNNING);
		st->ids[st->n++] = w->id;
	}
	/* A failure after some workers started still waits for those. */
	session_wait(s, &wait);
	return 0;
}

const struct cmd_entry cmd_start_entry = {
	.name = "start",
	.min_args = 1,
	.max_args = -1,
	.usage = "start NAME...",
	.summary = "start workers: a thread is created, a process is forked",
	.example = "start t1 t2",
	.words = "w*",
	.exec = exec_start,
};
