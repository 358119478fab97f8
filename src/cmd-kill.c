/* cmd-kill.c: kill NAME [SIGNAL]: a process is sent SIGNAL (default TERM);
 * a thread is cancelled at its next step. */
#include "config.h"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"

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
	if (worker_refuse(w, WOP_KILL, why, sizeof why)) {
		sh_error(s, "%s", why);
		return 1;
	}
	if (w->be->kill(w, sig, why, sizeof why) < 0) {
		sh_error(s, "%s", why);
		return 1;
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
