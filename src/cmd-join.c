/*
 * cmd-join.c: join NAME...|all [--timeout MS]: wait until workers end, then
 * reap them. The wait runs in the main loop, so output keeps streaming; a
 * timeout or Ctrl-C ends the waiting, never the workers. In sched seed the
 * seeded steps are taken while join waits. A worker that can never end by
 * itself (paused, deadlocked) is not waited for: join says why.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xmalloc.h"

#define JOIN_MAX_TIMEOUT_MS 86400000

struct join {
	int64_t timeout_ms; /* -1: none */
	size_t n;
	uint32_t ids[]; /* workers to join */
};

static bool
join_done(struct session *s, void *arg)
{
	struct join *j = arg;

	struct buf why = { 0 };
	bool done = true;

	/* Done when each has ended or can never end by itself. */
	for (size_t i = 0; done && i < j->n; i++) {
		struct worker *w = registry_by_id(&s->reg, j->ids[i]);
		if (w != NULL && w->state == WS_RUNNING)
			done = sched_stuck(s, w, &why);
	}
	buf_free(&why);
	return done;
}

/* In sched seed the steps are granted while join waits. */
static void
join_pump(struct session *s, void *arg)
{
	sched_pump(s);
}

/* Why join cannot wait, gathered over its workers so that it is said in
 * one line: those deadlocked are named together, other reasons follow. */
struct stuck {
	struct buf dead, other;
	int ndead;
	const char *last_dead; /* the name held back for " and " */
};

static void
stuck_add(struct stuck *st, const struct worker *w, const char *why)
{
	char dead[AST_NAME_MAX + 32];

	snprintf(dead, sizeof dead, "'%s' is deadlocked", w->name);
	if (strcmp(why, dead) != 0) {
		buf_printf(&st->other, "%s%s", st->other.len ? "; " : "", why);
		return;
	}
	if (st->last_dead != NULL)
		buf_printf(&st->dead, "%s'%s'", st->dead.len ? ", " : "",
			   st->last_dead);
	st->last_dead = w->name;
	st->ndead++;
}

/* Prints the one error line; returns whether there was anything to say. */
static bool
stuck_report(struct session *s, struct stuck *st)
{
	bool any = st->ndead > 0 || st->other.len > 0;

	if (st->ndead == 1)
		buf_printf(&st->dead, "'%s' is deadlocked", st->last_dead);
	else if (st->ndead > 1)
		buf_printf(&st->dead, " and '%s' are deadlocked",
			   st->last_dead);
	if (any)
		sh_error(s, "join would wait forever: %s%s%s",
			 buf_str(&st->dead),
			 st->ndead > 0 && st->other.len > 0 ? "; " : "",
			 buf_str(&st->other));
	buf_free(&st->dead);
	buf_free(&st->other);
	return any;
}

static int
join_finish(struct session *s, void *arg, enum wait_end how)
{
	struct join *j = arg;
	struct buf still = { 0 };
	struct stuck st = { 0 };
	bool stuck;

	for (size_t i = 0; i < j->n; i++) {
		struct worker *w = registry_by_id(&s->reg, j->ids[i]);
		if (w == NULL)
			continue;
		if (worker_ended(w)) {
			struct event ev = { .h = { .type = EV_JOINED,
						   .worker = w->id } };
			sh_stamp(s, &ev);
			session_reap(s, w);
			tracer_event(s, &ev);
		} else if (w->state == WS_RUNNING) {
			struct buf why = { 0 };
			if (how == WAIT_DONE && sched_stuck(s, w, &why)) {
				stuck_add(&st, w, buf_str(&why));
			} else {
				buf_printf(&still, "%s'%s'",
					   still.len ? ", " : "", w->name);
			}
			buf_free(&why);
		}
	}
	stuck = stuck_report(s, &st);
	if (still.len > 0 && how == WAIT_TIMEOUT)
		sh_printf(s,
			  "main: join timed out after %lld ms; still "
			  "running: %s\n",
			  (long long)j->timeout_ms, buf_str(&still));
	else if (still.len > 0)
		sh_printf(s, "main: stopped waiting; still running: %s\n",
			  buf_str(&still));
	buf_free(&still);
	return how == WAIT_INTERRUPTED || stuck ? 1 : 0;
}

/* Parses --timeout's TEXT (NULL: none was given) into *MS; 0, or -1. */
static int
parse_timeout(struct session *s, const char *text, int64_t *ms)
{
	uint64_t v;

	if (cmd_number(s, text, "--timeout", "milliseconds", 0,
		       JOIN_MAX_TIMEOUT_MS, &v) < 0)
		return -1;
	*ms = (int64_t)v;
	return 0;
}

/* Adds W to J unless it is there already. */
static void
add_target(struct join *j, const struct worker *w)
{
	for (size_t i = 0; i < j->n; i++)
		if (j->ids[i] == w->id)
			return;
	j->ids[j->n++] = w->id;
}

static int
exec_join(struct session *s, int argc, char **argv)
{
	struct join *j = xmalloc(sizeof *j + (s->reg.n + 1) * sizeof(uint32_t));
	struct cmd_workers named = { 0 };
	bool all = false;
	struct wait wait = { .done = join_done,
			     .finish = join_finish,
			     .pump = join_pump,
			     .arg = j,
			     .interruptible = true };

	j->n = 0;
	j->timeout_ms = -1;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--timeout=", 10) == 0) {
			if (parse_timeout(s, argv[i] + 10, &j->timeout_ms) < 0)
				goto fail;
		} else if (strcmp(argv[i], "--timeout") == 0) {
			if (parse_timeout(s, argv[++i], &j->timeout_ms) < 0)
				goto fail;
		} else if (strcmp(argv[i], "all") == 0) {
			all = true;
		} else if (cmd_workers(s, i + 1, argv, i, WOP_JOIN, false,
				       &named) < 0) {
			goto fail; /* a name, among the options */
		}
	}
	if (!all && named.n == 0) {
		sh_error(s, "usage: %s", cmd_join_entry.usage);
		goto fail;
	}
	for (size_t i = 0; i < named.n; i++)
		add_target(j, named.v[i]);
	for (size_t i = 0; all && i < s->reg.n; i++)
		if (s->reg.v[i]->state != WS_NEW)
			add_target(j, s->reg.v[i]);
	free(named.v);
	if (j->timeout_ms >= 0)
		wait.deadline = ev_now() + (uint64_t)j->timeout_ms * 1000000u;
	session_wait(s, &wait);
	return 0;
fail:
	free(named.v);
	free(j);
	return 1;
}

const struct cmd_entry cmd_join_entry = {
	.name = "join",
	.min_args = 1,
	.max_args = -1,
	.usage = "join NAME...|all [--timeout MS]",
	.summary =
		"wait for workers to end, then reap them; Ctrl-C stops waiting",
	.example = "join t1 t2",
	.words = "a*",
	.exec = exec_join,
};
