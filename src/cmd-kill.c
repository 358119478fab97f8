/* cmd-kill.c: kill NAME [SIGNAL]: a process is sent SIGNAL (default TERM);
 * a thread is cancelled at its next step. When that ends the worker, kill
 * returns once its end has been traced, so the next command sees it; so
 * too for a stop (STOP, TSTP, TTIN, TTOU) and a CONT, which the OS
 * reports. A signal a process ignores by default is traced as ignored, so
 * that no kill passes without a word. A worker that ended (or was joined)
 * holding locks still holds them, as a real mutex would; kill of it frees
 * them. */
#include "config.h"

#include <signal.h>

#include "cmd.h"
#include "sig.h"
#include "xmalloc.h"

/* How long kill waits for the OS to report a stop or a continue. */
#define KILL_WAIT_NS (2ull * 1000000000ull)

/* What SIG does to a process whose handlers are the defaults. */
enum effect { ENDS, STOPS, CONTINUES, IGNORED };

static enum effect
effect(int sig)
{
	switch (sig) {
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU: return STOPS;
	case SIGCONT: return CONTINUES;
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH: return IGNORED;
	default: return ENDS;
	}
}

/* The worker kill waits for, and what for: its end, or its being
 * stopped (STOP) or continued (CONT) as the OS tells it. */
struct kill_wait {
	uint32_t id;
	enum effect what;
};

static bool
has_changed(struct session *s, void *arg)
{
	struct kill_wait *k = arg;
	struct worker *w = registry_by_id(&s->reg, k->id);

	if (w == NULL || w->state != WS_RUNNING)
		return true;
	return k->what == STOPS	      ? w->stopped
	       : k->what == CONTINUES ? !w->stopped
				      : false;
}

static int
kill_finish(struct session *s, void *arg, enum wait_end how)
{
	return how == WAIT_INTERRUPTED ? 1 : 0;
}

/* W has ended (or was joined) holding locks: as with a real mutex only
 * the learner can free them, and kill of their holder does. Returns how
 * many it freed. */
static int
free_left_held(struct session *s, struct worker *w)
{
	int n = 0;

	for (size_t i = 0; i < locks_count(&s->locks); i++) {
		struct buf b = { 0 };
		if (lock_holder(s->shm, (int)i) != w->id ||
		    !lock_ended(s->shm, (int)i))
			continue;
		lock_free_ended(s->shm, (int)i);
		buf_printf(&b, "%s: %s freed by kill", w->name,
			   locks_name(&s->locks, (int)i));
		tracer_note(s, NULL, EV_LOCK_WAIT, b.data, b.len);
		buf_free(&b);
		n++;
	}
	return n;
}

/* Traces that W ignores SIG, as nothing else would show it. */
static void
say_ignored(struct session *s, struct worker *w, int sig)
{
	struct event ev = {
		.h = { .type = EV_IGNORED, .worker = w->id, .a = sig }
	};

	sh_stamp(s, &ev);
	tracer_event(s, &ev);
}

/* Waits until W shows what SIG did to it, so that the next command sees
 * it: ended (and what it held freed), stopped or continued. */
static void
wait_effect(struct session *s, struct worker *w, enum effect e)
{
	struct kill_wait *k = xmalloc(sizeof *k);
	struct wait wait = { .done = has_changed,
			     .finish = kill_finish,
			     .arg = k,
			     .interruptible = true };

	k->id = w->id;
	k->what = e;
	/* A stop or continue the OS never reports (a debugger took it)
	 * must not hold the shell for ever. */
	if (k->what != ENDS)
		wait.deadline = ev_now() + KILL_WAIT_NS;
	session_wait(s, &wait);
}

static int
exec_kill(struct session *s, int argc, char **argv)
{
	struct worker *w = cmd_worker(s, argv[1]);
	char why[256];
	enum effect e;
	int sig = 0;

	if (w == NULL)
		return 1;
	if (argc > 2 && (sig = sig_parse(argv[2])) <= 0) {
		if (sig < 0)
			sh_error(s,
				 "signal %s is reserved for the C library's "
				 "threads (real-time signals start at %d)",
				 argv[2], SIGRTMIN);
		else
			sh_error(s, "unknown signal '%s'", argv[2]);
		return 1;
	}
	if (w->state != WS_RUNNING && w->state != WS_NEW &&
	    free_left_held(s, w) > 0)
		return 0;
	if (worker_refuse(w, WOP_KILL, why, sizeof why)) {
		sh_error(s, "%s", why);
		return 1;
	}
	if (w->be->kill(w, sig, why, sizeof why) < 0) {
		sh_error(s, "%s", why);
		return 1;
	}
	/* A signal that does nothing says so; a stop sent to a stopped
	 * process changes nothing to wait for. */
	e = sig == 0 ? ENDS : effect(sig);
	if (e == IGNORED || (e == CONTINUES && !w->stopped))
		say_ignored(s, w, sig);
	else if (e != STOPS || !w->stopped)
		wait_effect(s, w, e);
	return 0;
}

const struct cmd_entry cmd_kill_entry = {
	.name = "kill",
	.min_args = 1,
	.max_args = 2,
	.usage = "kill NAME [SIGNAL]",
	.summary = "send SIGNAL (default TERM) to a process; cancel a thread "
		   "at its next step",
	.example = "kill p1 KILL",
	.words = "w",
	.exec = exec_kill,
};
