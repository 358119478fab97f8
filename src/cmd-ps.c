/* cmd-ps.c: ps: one line per worker, with what the OS says of processes
 * (an ended process that nobody joined is a zombie). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "sig.h"
#include "xmalloc.h"

static const char *
id_or_dash(char *buf, size_t len, long id)
{
	if (id <= 0)
		return "-";
	snprintf(buf, len, "%ld", id);
	return buf;
}

static const char *
exit_text(const struct worker *w, char *buf, size_t len)
{
	if (w->t_end == 0)
		snprintf(buf, len, "-");
	else if (w->fail != NULL)
		snprintf(buf, len, "error");
	else if (w->signal > 0)
		sig_name(w->signal, buf, len);
	else if (w->cancelled)
		snprintf(buf, len, "cancel");
	else
		snprintf(buf, len, "%d", w->exit_code);
	return buf;
}

/* A running worker waiting shows what for: a lock, its step gate (paused,
 * or held in sched step), or the end of a sleep. */
/* In sched seed every gate is held: a worker not taking the one granted
 * step waits at its gate (or is on its way there), as in sched step;
 * saying so whether or not it has arrived keeps ps the same every run. */
static bool
seed_held(const struct session *s, const struct worker *w)
{
	return s->sch.mode == SCHED_SEED && w->hold_over != HOLD_RUNS &&
	       s->sch.inflight != w->id + 1 &&
	       atomic_load(&s->shm->gates[w->slot].next_pc) >= 0;
}

static const char *
state_text(struct session *s, const struct worker *w)
{
	static char buf[64];
	const struct worker *o;
	int l;

	if (w->state != WS_RUNNING)
		return worker_state_name(w->state);
	if (w->stopped)
		return "stopped";
	if ((l = sched_blocked_on(s, w)) >= 0) {
		snprintf(buf, sizeof buf, "blocked:%s",
			 locks_name(&s->locks, l));
		return buf;
	}
	if ((l = sched_waits_on(s, w)) >= 0) {
		snprintf(buf, sizeof buf, "blocked:%s", s->shm->syncs[l].name);
		return buf;
	}
	if ((o = sched_joins(s, w)) != NULL) {
		snprintf(buf, sizeof buf, "blocked:join %s", o->name);
		return buf;
	}
	if (sched_at_gate(s, w) || seed_held(s, w))
		return "blocked:step";
	if (atomic_load(&s->shm->gates[w->slot].sleeping))
		return "blocked:sleep";
	return "running";
}

/* Steps taken so far: the worker publishes its count at its gate after
 * every step, so a busy loop that prints nothing still shows progress;
 * the count from events covers a worker whose gate is gone. */
static uint64_t
steps_taken(const struct session *s, const struct worker *w)
{
	uint64_t n = w->steps;

	if (w->state == WS_RUNNING) {
		uint64_t t = atomic_load_explicit(&s->shm->gates[w->slot].taken,
						  memory_order_relaxed);
		n = t > n ? t : n;
	}
	return n;
}

/* The CPU time W has used, in seconds with two decimals (cut, not
 * rounded, as ps(1) cuts its TIME); "-" before it started. */
static void
cpu_text(struct worker *w, char *buf, size_t len)
{
	uint64_t ns;

	if (w->state == WS_NEW) {
		snprintf(buf, len, "-");
		return;
	}
	ns = worker_cpu_ns(w);
	snprintf(buf, len, "%llu.%02llu",
		 (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u / 10000000u));
}

struct ps_row {
	char state[64];
	char cpu[24];
};

static int
exec_ps(struct session *s, int argc, char **argv)
{
	struct ps_row *rows = xcalloc(s->reg.n + 1, sizeof *rows);
	int width = 4, swidth = 8;

	/* Read every state and CPU time once, so the table is one moment. */
	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		int n = (int)strlen(w->name);
		width = n > width ? n : width;
		snprintf(rows[i].state, sizeof rows[i].state, "%s",
			 state_text(s, w));
		n = (int)strlen(rows[i].state);
		swidth = n > swidth ? n : swidth;
		cpu_text(w, rows[i].cpu, sizeof rows[i].cpu);
	}
	sh_printf(s, "%-*s  %-7s  %-*s  %7s  %7s  %6s  %6s  %7s  %6s  %s\n",
		  width, "NAME", "KIND", swidth, "STATE", "PID", "TID", "STEPS",
		  "LINES", "CPU", "EXIT", "OS");
	for (size_t i = 0; i < s->reg.n; i++) {
		const struct worker *w = s->reg.v[i];
		char pid[24], tid[24], ex[24], os[96];
		bool node = w->kind == WORKER_NODE;
		long p = w->kind == WORKER_PROCESS || node ? (long)w->pid
			 : w->state != WS_NEW		  ? (long)getpid()
							  : 0;
		bool alive = w->kind != WORKER_THREAD && w->state != WS_NEW &&
			     w->state != WS_JOINED;
		sh_printf(s,
			  "%-*s  %-7s  %-*s  %7s  %7s  %6llu  %6llu  %7s  %6s  "
			  "%s\n",
			  width, w->name, worker_kind_name(w->kind), swidth,
			  rows[i].state, id_or_dash(pid, sizeof pid, p),
			  id_or_dash(tid, sizeof tid, node ? 0 : (long)w->tid),
			  (unsigned long long)steps_taken(s, w),
			  (unsigned long long)w->lines, rows[i].cpu,
			  exit_text(w, ex, sizeof ex),
			  alive ? w->be->os_state(w, os, sizeof os) : "-");
	}
	/* Said, not hidden: the registry forgets old joined workers. */
	if (s->reg.forgotten > 0)
		sh_printf(s, "... and %llu joined workers not shown\n",
			  (unsigned long long)s->reg.forgotten);
	free(rows);
	return 0;
}

const struct cmd_entry cmd_ps_entry = {
	.name = "ps",
	.min_args = 0,
	.max_args = 0,
	.usage = "ps",
	.summary = "list workers: kind, state, pid, tid, steps, lines, CPU "
		   "time, exit, OS state",
	.example = "ps",
	.exec = exec_ps,
};
