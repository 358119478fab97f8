/* cmd-kill.c: kill NAME [SIGNAL]: a process is sent SIGNAL (default TERM);
 * a thread is cancelled at its next step. When that ends the worker, kill
 * returns once its end has been traced, so the next command sees it. A
 * worker that ended (or was joined) holding locks still holds them, as a
 * real mutex would; kill of it frees them. */
#include "config.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "xmalloc.h"

/* Returns the signal named by TEXT ("TERM", "SIGKILL", "9"), or 0. */
static int
parse_signal(const char *text)
{
	char *end;

	if (isdigit((unsigned char)text[0])) {
		long n = strtol(text, &end, 10);
		return *end == '\0' && n > 0 && n < SIGRTMIN ? (int)n : 0;
	}
	if (strncasecmp(text, "SIG", 3) == 0)
		text += 3;
	for (int sig = 1; sig < SIGRTMIN; sig++) {
		const char *abbrev = sigabbrev_np(sig);
		if (abbrev != NULL && strcasecmp(abbrev, text) == 0)
			return sig;
	}
	return 0;
}

/* Does SIG end a process whose handlers are the defaults? */
static bool
ends_process(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGCONT:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
	case SIGURG:
	case SIGWINCH: return false;
	default: return true;
	}
}

static bool
has_ended(struct session *s, void *arg)
{
	struct worker *w = registry_by_id(&s->reg, *(uint32_t *)arg);

	return w == NULL || w->state != WS_RUNNING;
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
		trace_note(s, NULL, EV_LOCK_WAIT, b.data, b.len);
		buf_free(&b);
		n++;
	}
	return n;
}

static int
exec_kill(struct session *s, int argc, char **argv)
{
	struct worker *w = cmd_worker(s, argv[1]);
	char why[256];
	int sig = 0;

	if (w == NULL)
		return 1;
	if (argc > 2 && (sig = parse_signal(argv[2])) == 0) {
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
	if (ends_process(sig)) {
		/* What follows sees it ended (and what it held freed). */
		uint32_t *id = xmalloc(sizeof *id);
		struct wait wait = { .done = has_ended,
				     .finish = kill_finish,
				     .arg = id,
				     .interruptible = true };
		*id = w->id;
		session_wait(s, &wait);
	}
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
