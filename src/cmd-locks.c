/* cmd-locks.c: locks: each lock, who holds it and who waits for it (in
 * its mutex, or held at its gate with `lock` of it as its next step). */
#include "config.h"

#include "cmd.h"

static int
exec_locks(struct session *s, int argc, char **argv)
{
	if (locks_count(&s->locks) == 0) {
		sh_printf(s, "no locks yet (a task's 'lock m' makes m when "
			     "its worker starts)\n");
		return 0;
	}
	for (size_t i = 0; i < locks_count(&s->locks); i++) {
		int64_t h = lock_holder(s->shm, (int)i);
		struct worker *holder =
			h < 0 ? NULL : registry_by_id(&s->reg, (uint32_t)h);
		struct buf waiters = { 0 };
		for (size_t j = 0; j < s->reg.n; j++) {
			struct worker *w = s->reg.v[j];
			if (sched_blocked_on(s, w) == (int)i)
				buf_printf(&waiters, "%s%s",
					   waiters.len ? ", " : "", w->name);
		}
		/* A holder that ended holding it still holds it: say so. */
		bool gone = holder != NULL && holder->state != WS_RUNNING;
		sh_printf(s, "%s: %s%s%s%s%s%s%s\n",
			  locks_name(&s->locks, (int)i),
			  h < 0 ? "free" : "held by ",
			  h < 0	   ? ""
			  : holder ? holder->name
				   : "?",
			  gone ? " (" : "", gone ? worker_end_name(holder) : "",
			  !gone			       ? ""
			  : holder->state == WS_JOINED ? ", joined)"
						       : ")",
			  waiters.len ? "; waiting: " : "",
			  waiters.len ? buf_str(&waiters) : "");
		buf_free(&waiters);
	}
	return 0;
}

const struct cmd_entry cmd_locks_entry = {
	.name = "locks",
	.min_args = 0,
	.max_args = 0,
	.usage = "locks",
	.summary = "list the locks: who holds each, who waits for it",
	.example = "locks",
	.exec = exec_locks,
};
