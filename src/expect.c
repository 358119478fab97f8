/*
 * expect.c: a lesson's expectations checked against the session as it is
 * now: the workers' kept output, states, tasks and locks taken, the
 * variables, the deadlocks reported. The lesson parser says what an
 * expectation is; the player asks here whether it holds.
 */
#include "config.h"

#include <string.h>

#include "expect.h"
#include "session.h"
#include "suggest.h"

/* Appends "; did you mean 'NAME'?" to SEEN for a worker name TYPED. */
static void
suggest_worker(const struct session *s, const char *typed, struct buf *seen)
{
	struct suggest sg;

	suggest_begin(&sg, typed);
	for (size_t i = 0; i < s->reg.n; i++)
		suggest_offer(&sg, s->reg.v[i]->name);
	suggest_say(&sg, seen);
}

/* The same for a variable name TYPED. */
static void
suggest_variable(const struct session *s, const char *typed, struct buf *seen)
{
	struct suggest sg;

	suggest_begin(&sg, typed);
	for (size_t i = 0; i < s->vars.n; i++)
		suggest_offer(&sg, s->vars.v[i].name);
	suggest_say(&sg, seen);
}

static bool
compare(int64_t v, enum expect_op op, int64_t n)
{
	switch (op) {
	case XOP_EQ: return v == n;
	case XOP_NE: return v != n;
	case XOP_LT: return v < n;
	case XOP_GT: return v > n;
	case XOP_LE: return v <= n;
	default: return v >= n;
	}
}

/* The sequence number of W's first output line TEXT, or 0. */
static uint64_t
first_seen(const struct worker *w, const char *text)
{
	for (size_t i = 0; i < w->log.n; i++)
		if (strcmp(w->log.lines[i], text) == 0)
			return w->log.seq[i];
	return 0;
}

bool
expect_holds(struct session *s, const struct expect *x, struct buf *seen)
{
	struct worker *w = NULL, *w2 = NULL;
	int v;

	if (x->kind == X_OUTPUT || x->kind == X_STATE || x->kind == X_BEFORE ||
	    x->kind == X_RAN || x->kind == X_LOCKED) {
		w = registry_find(&s->reg, x->a);
		w2 = x->b ? registry_find(&s->reg, x->b) : NULL;
		if (w == NULL || (x->b && w2 == NULL)) {
			buf_printf(seen, "no worker named '%s'",
				   w == NULL ? x->a : x->b);
			suggest_worker(s, w == NULL ? x->a : x->b, seen);
			return false;
		}
	}
	switch (x->kind) {
	case X_OUTPUT: {
		struct buf all = { 0 };
		for (size_t i = 0; i < w->log.n; i++)
			buf_printf(&all, "%s%s", i ? " " : "", w->log.lines[i]);
		/* What was not kept makes the whole output longer than this. */
		bool ok = !w->log.full && strcmp(buf_str(&all), x->text_a) == 0;
		buf_printf(seen, "output of %s is \"%s%s\"", w->name,
			   buf_str(&all), w->log.full ? " ..." : "");
		buf_free(&all);
		return ok;
	}
	case X_VAR:
		if ((v = vars_find(&s->vars, x->a)) < 0) {
			buf_printf(seen, "no variable named '%s'", x->a);
			suggest_variable(s, x->a, seen);
			return false;
		}
		int64_t val;
		if (!cell_get(s->vars.v[v].cell, &val)) {
			buf_printf(seen, "'%s' is not set", x->a);
			return false;
		}
		buf_printf(seen, "%s = %lld", x->a, (long long)val);
		return compare(val, x->op, x->n);
	case X_STATE:
		buf_printf(seen, "%s is %s", w->name,
			   worker_state_name(w->state));
		return (int)w->state == x->state;
	case X_BEFORE: {
		uint64_t a = first_seen(w, x->text_a);
		uint64_t b = first_seen(w2, x->text_b);
		if (a == 0 || b == 0) {
			buf_printf(seen, "%s never printed \"%s\"",
				   a == 0 ? w->name : w2->name,
				   a == 0 ? x->text_a : x->text_b);
			return false;
		}
		buf_printf(seen, "%s \"%s\" came %s %s \"%s\"", w->name,
			   x->text_a, a < b ? "before" : "after", w2->name,
			   x->text_b);
		return a < b;
	}
	case X_RAN:
		if (w->state == WS_NEW) {
			buf_printf(seen, "%s was never started", w->name);
			return false;
		}
		buf_printf(seen, "%s ran %s", w->name, w->task->def->name);
		return strcmp(w->task->def->name, x->text_a) == 0;
	case X_LOCKED: {
		int l = locks_find(&s->locks, x->text_a);
		const struct shm_gate *g = &s->shm->gates[w->slot];
		bool took = w->state != WS_NEW && l >= 0 &&
			    (atomic_load(&g->took[l / 64]) >> (l % 64) & 1);
		buf_printf(seen, "%s %s %s", w->name,
			   took ? "took" : "never took", x->text_a);
		return took;
	}
	case X_DEADLOCK:
		buf_puts(seen, s->deadlocks > 0 ? "a deadlock was reported"
						: "no deadlock was reported");
		return s->deadlocks > 0;
	case X_EXPLORE: {
		const struct explored *e = &s->explored;
		if (!e->ran) {
			buf_puts(seen, "no explore has run");
			return false;
		}
		if (e->violation)
			buf_printf(seen, "a violation, schedule %s",
				   e->schedule ? e->schedule : "?");
		else
			buf_printf(seen, "no violation in %llu schedules",
				   (unsigned long long)e->schedules);
		if (strcmp(x->text_a, "violation") == 0)
			return e->violation;
		if (strcmp(x->text_a, "none") == 0)
			return !e->violation;
		return e->violation && e->schedule != NULL &&
		       strcmp(e->schedule, x->text_a) == 0;
	}
	}
	return false;
}
