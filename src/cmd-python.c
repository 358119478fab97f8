/* cmd-python.c: python FILE [ARG...]: run a Python program, its top-level
 * code as the worker main and each threading.Thread it starts as a worker
 * (pyrun.c); the command waits until main ends, the tracer live (under
 * sched step it does not: main waits for the learner's steps). Ctrl-C
 * raises KeyboardInterrupt in main, as under python3. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "play.h"
#include "pyrun.h"
#include "xmalloc.h"

struct pyprog {
	uint32_t main; /* its id */
	bool to_gate;  /* sched step: only until main waits at its gate */
	char stuck[256]; /* why main can never end, when it cannot */
};

/* Done when main has ended, or can never end by itself (a deadlock). */
static bool
main_ended(struct session *s, void *arg)
{
	struct pyprog *p = arg;
	struct worker *w = registry_by_id(&s->reg, p->main);
	struct buf why = { 0 };

	if (w == NULL || (w->state != WS_RUNNING && w->state != WS_NEW))
		return true;
	if (p->to_gate && sched_at_gate(s, w))
		return true;
	if (w->state == WS_RUNNING && sched_stuck(s, w, &why)) {
		snprintf(p->stuck, sizeof p->stuck, "%s", buf_str(&why));
		buf_free(&why);
		return true;
	}
	buf_free(&why);
	return false;
}

/* sched seed: main's steps, and its workers', are granted as the wait
 * goes round. */
static void
python_pump(struct session *s, void *arg)
{
	(void)arg;
	sched_pump(s);
}

static int
python_finish(struct session *s, void *arg, enum wait_end how)
{
	const struct pyprog *p = arg;
	const struct worker *w = registry_by_id(&s->reg, p->main);
	int st = 0;

	/* main's traceback is told when its end is (pyrun.c). */
	if (how == WAIT_INTERRUPTED) {
		pyrun_interrupt();
		st = 1;
	} else if (p->stuck[0] != '\0') {
		sh_error(s, "python: main would wait forever: %s", p->stuck);
		return 1;
	}
	if (w != NULL && w->state == WS_FAILED)
		st = 1;
	/* sys.exit(N) is weft's exit status, as python3's. */
	if (w != NULL && w->state == WS_FINISHED && w->exit_code != 0) {
		s->exit_code = w->exit_code;
		st = 1;
	}
	return st;
}

/* Waits until main (of id ID) ends, the tracer live; under sched step
 * only until main waits at its first line for the learner's step. */
static int
python_wait(struct session *s, uint32_t id)
{
	struct pyprog *p;
	struct wait wait = { .done = main_ended,
			     .finish = python_finish,
			     .pump = python_pump,
			     .interruptible = true };

	struct worker *w = registry_by_id(&s->reg, id);

	p = calloc(1, sizeof *p);
	if (p == NULL)
		abort();
	p->main = id;
	/* Under sched step, main waits at its first line for the learner:
	 * the command waits only until it is there, so that the next step
	 * finds it. */
	p->to_gate = s->sch.mode == SCHED_STEP && (w == NULL || !w->quiet);
	wait.arg = p;
	session_wait(s, &wait);
	return 0;
}

static int
exec_python(struct session *s, int argc, char **argv)
{
	char err[512];
	uint32_t id;

	if (!pyrun_built()) {
		sh_error(s, "%s", PYRUN_NOT_BUILT);
		return 1;
	}
	if (strcmp(argv[1], "-c") == 0) {
		if (argc != 3) {
			sh_error(s, "usage: %s", cmd_python_entry.usage);
			return 1;
		}
		/* A lone name Python does not know is a mistyped command
		 * ("stpe"), told as weft tells one. */
		size_t n = strspn(argv[2], "abcdefghijklmnopqrstuvwxyz"
					   "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
					   "0123456789");
		if (n > 0 && argv[2][n + strspn(argv[2] + n, " \t\n")] == '\0' &&
		    !(argv[2][0] >= '0' && argv[2][0] <= '9')) {
			char *word = xstrndup(argv[2], n);
			int st = -1;
			if (!pyrun_known(s, word))
				st = cmd_exec(s, 1, &word);
			free(word);
			if (st >= 0)
				return st;
		}
		if (pyrun_exec(s, argv[2], s->src_line, &id, err,
			       sizeof err) < 0) {
			sh_error(s, "%s", err);
			return 1;
		}
		return python_wait(s, id);
	}
	/* A lesson's program lies beside it, wherever weft runs from. */
	const char *in = play_file(s), *slash;
	char *path = NULL, *given = argv[1];
	if (argv[1][0] != '/' && access(argv[1], F_OK) != 0 && in != NULL &&
	    (slash = strrchr(in, '/')) != NULL) {
		size_t n = (size_t)(slash - in) + 1;
		path = xmalloc(n + strlen(argv[1]) + 1);
		memcpy(path, in, n);
		strcpy(path + n, argv[1]);
		if (access(path, F_OK) == 0)
			argv[1] = path;
	}
	int rc = pyrun_start(s, argv[1], argc - 1, argv + 1, &id, err,
			     sizeof err);
	argv[1] = given; /* the command's words are freed as they came */
	free(path);
	if (rc < 0) {
		sh_error(s, "%s", err);
		return 1;
	}
	return python_wait(s, id);
}

const struct cmd_entry cmd_python_entry = {
	.name = "python",
	.min_args = 1,
	.max_args = -1,
	.usage = "python FILE [ARG...] | python -c CODE",
	.summary = "run a Python program: its top-level code as the worker "
		   "main, each threading.Thread as a worker",
	.example = "python tutorial.py",
	.words = "f*",
	.exec = exec_python,
};
