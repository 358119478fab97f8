/* cmd-sync.c: sync: every semaphore, condition, barrier and queue, with
 * its value or holder, its waiters in the order they would be woken, a
 * queue's values, and the workers whose next step would wait on it. */
#include "config.h"

#include "cmd.h"

/* The name of the worker in registry slot SLOT, or "?". */
static const char *
slot_name(struct session *s, int slot)
{
	struct worker *w = registry_by_slot(&s->reg, slot);

	return w != NULL ? w->name : "?";
}

/* What object V is now, after its name. */
static void
describe(struct session *s, int obj, const struct sync_view *v, struct buf *b)
{
	struct sync_value x;

	switch (v->kind) {
	case SYNC_SEMAPHORE:
		buf_printf(b, "semaphore, value %lld", (long long)v->value);
		break;
	case SYNC_CONDITION: {
		int64_t h = lock_holder(s->shm, v->lock);
		struct worker *w =
			h < 0 ? NULL : registry_by_id(&s->reg, (uint32_t)h);
		buf_printf(b, "condition on lock %s (%s%s)",
			   locks_name(&s->locks, v->lock),
			   h < 0 ? "free" : "held by ",
			   h < 0 ? "" : w ? w->name : "?");
		break;
	}
	case SYNC_BARRIER:
		buf_printf(b, "barrier, %lld of %lld arrived",
			   (long long)v->value, (long long)v->limit);
		break;
	default:
		buf_printf(b, "queue, %lld of %lld: [", (long long)v->value,
			   (long long)v->limit);
		for (int64_t i = 0; i < v->value; i++) {
			sync_queue_at(s->shm, obj, (size_t)i, &x);
			if (i > 0)
				buf_puts(b, ", ");
			if (x.is_word)
				buf_printf(b, "\"%s\"", x.word);
			else
				buf_printf(b, "%lld", (long long)x.i);
		}
		buf_puts(b, "]");
		break;
	}
}

/* Appends the workers held at their gate whose next step would wait on
 * object OBJ (in sched step and seed such a step is not granted, so they
 * are not on its list yet). */
static void
held_at_gate(struct session *s, int obj, struct buf *b)
{
	bool any = false;

	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (sched_waits_on(s, w) != obj ||
		    sync_waiting(s->shm, w->slot) == obj)
			continue;
		buf_printf(b, "%s%s", any ? ", " : "; its next step would wait: ",
			   w->name);
		any = true;
	}
}

static int
exec_sync(struct session *s, int argc, char **argv)
{
	struct sync_view v;
	struct buf b = { 0 };
	size_t n = sync_count(s->shm);

	if (n == 0)
		sh_printf(s, "no semaphore, condition, barrier or queue yet "
			     "(declare one: semaphore s 1)\n");
	for (size_t i = 0; i < n; i++) {
		sync_view(s->shm, (int)i, &v);
		buf_reset(&b);
		buf_printf(&b, "%s: ", v.name);
		describe(s, (int)i, &v, &b);
		for (size_t j = 0; j < v.nwaiters && j < 64; j++)
			buf_printf(&b, "%s%s", j ? ", " : "; waiting: ",
				   slot_name(s, v.waiters[j]));
		if (v.nwaiters > 64)
			buf_printf(&b, " and %zu more", v.nwaiters - 64);
		held_at_gate(s, (int)i, &b);
		sh_printf(s, "%s\n", buf_str(&b));
	}
	buf_free(&b);
	return 0;
}

const struct cmd_entry cmd_sync_entry = {
	.name = "sync",
	.min_args = 0,
	.max_args = 0,
	.usage = "sync",
	.summary = "list the semaphores, conditions, barriers and queues: "
		   "value, waiters, contents",
	.example = "sync",
	.exec = exec_sync,
};
