/*
 * main.c: weft's command line. Decides where commands come from (terminal,
 * file, pipe or -c), sets up signals before any worker thread exists, and
 * hands over to the main loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "lesson.h"
#include "line.h"
#include "node.h"
#include "play.h"
#include "pyrun.h"
#include "shell.h"

struct options {
	const char *command; /* -c */
	const char *file;
	char **args; /* after a Python FILE: its sys.argv[1:] */
	int nargs;
	bool no_color, no_time, keep_going, quiet, bridge;
	bool seeded;
	uint64_t seed;	    /* --seed */
	const char *lesson; /* --lesson */
	const char *mode;   /* --mode */
	uint64_t delay_ms;  /* --delay */
	bool list_lessons;
	const char *trace_json; /* --trace-json */
};

/* Is PATH a Python program, by its name? */
static bool
is_python_file(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

static void
usage(FILE *f)
{
	fputs("Usage: weft [OPTION]... [FILE [ARG]...]\n"
	      "A classroom shell for threads and processes: spawn, start and "
	      "join\nreal pthreads and fork()ed processes and watch them "
	      "interleave.\n\n"
	      "With no FILE, read commands from the terminal (or a pipe).\n\n"
	      "  -c, --command=CMDS  run CMDS (separated by ';'), then exit\n"
	      "      --lesson=NAME   run lesson NAME (a file, a number or a "
	      "name)\n"
	      "      --mode=MODE     present (each command waits at the "
	      "prompt for\n                      Enter; the default on a "
	      "terminal), auto (the same,\n                      paced, no "
	      "keys) or check (no terminal; exit 3 at\n                      "
	      "the first failed expectation)\n"
	      "      --delay=MS      auto mode: the pause between items "
	      "(default 1000)\n"
	      "      --list-lessons  list the lessons, then exit\n"
	      "      --trace-json=FILE  at exit, write the whole trace to FILE "
	      "as\n                      Chrome trace-event JSON (for "
	      "Perfetto)\n"
	      "      --bridge        Python lines are read by the one-line "
	      "bridge\n                      (weft's tasks only), not run "
	      "in CPython\n"
	      "      --hostfile=FILE start nodes on the hosts of FILE (Open "
	      "MPI's\n                      format), not on this machine\n"
	      "      --keep-going    do not stop a script at a failed command\n"
	      "      --no-color      no colour, even on a terminal\n"
	      "      --no-time       drop the [time] bracket from trace lines\n"
	      "      --seed=N        start in 'sched seed N': the same "
	      "interleaving\n                      on every run\n"
	      "  -q, --quiet         no banner\n"
	      "  -h, --help          show this help and exit\n"
	      "  -V, --version       show the version and exit\n\n"
	      "Exit status: 0 success, 1 a command failed, 2 bad command "
	      "line,\n3 a lesson's expectation failed.\nType 'help' at the "
	      "prompt for the commands.\n",
	      f);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "command", required_argument, NULL, 'c' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "bridge", no_argument, NULL, 'B' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "no-colour", no_argument, NULL, 'C' },
		{ "no-time", no_argument, NULL, 'T' },
		{ "seed", required_argument, NULL, 'S' },
		{ "lesson", required_argument, NULL, 'L' },
		{ "mode", required_argument, NULL, 'M' },
		{ "delay", required_argument, NULL, 'D' },
		{ "list-lessons", no_argument, NULL, 'l' },
		{ "trace-json", required_argument, NULL, 'J' },
		{ "hostfile", required_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct buf why = { 0 };
	char msg[512];
	int c;

	while ((c = getopt_long(argc, argv, "+c:qhV", longs, NULL)) != -1) {
		switch (c) {
		case 'c': o->command = optarg; break;
		case 'k': o->keep_going = true; break;
		case 'B': o->bridge = true; break;
		case 'C': o->no_color = true; break;
		case 'T': o->no_time = true; break;
		case 'S':
			if (cmd_parse_number(optarg, "--seed", "a whole number",
					     0, UINT64_MAX, &o->seed, &why) < 0)
				goto bad_number;
			o->seeded = true;
			break;
		case 'L': o->lesson = optarg; break;
		case 'M':
			if (strcmp(optarg, "check") != 0 &&
			    strcmp(optarg, "auto") != 0 &&
			    strcmp(optarg, "present") != 0) {
				fprintf(stderr,
					"weft: --mode is present, auto or "
					"check, not '%s'\n",
					optarg);
				goto bad;
			}
			o->mode = optarg;
			break;
		case 'D':
			if (cmd_parse_number(optarg, "--delay", "milliseconds",
					     0, PLAY_DELAY_MAX_MS, &o->delay_ms,
					     &why) < 0)
				goto bad_number;
			break;
		case 'l': o->list_lessons = true; break;
		case 'J': o->trace_json = optarg; break;
		case 'H':
			if (node_set_hostfile(optarg, msg, sizeof msg) < 0) {
				fprintf(stderr, "weft: %s\n", msg);
				goto bad;
			}
			break;
		case 'q': o->quiet = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': puts(PACKAGE_STRING); exit(0);
		default: goto bad;
		}
	}
	if (optind < argc)
		o->file = argv[optind++];
	if (optind < argc && is_python_file(o->file)) {
		o->args = argv + optind; /* the program's, as python3's */
		o->nargs = argc - optind;
		for (; optind < argc; optind++)
			if (strpbrk(argv[optind], "\n\r") != NULL) {
				fprintf(stderr, "weft: an argument of %s holds "
					"a line break, which weft cannot pass "
					"on\n", o->file);
				goto bad;
			}
	}
	if (optind < argc) {
		fprintf(stderr, "weft: unexpected argument '%s'\n",
			argv[optind]);
		goto bad;
	}
	if ((o->command != NULL) + (o->file != NULL) + (o->lesson != NULL) >
	    1) {
		fputs("weft: give one of -c, --lesson or a FILE\n", stderr);
		goto bad;
	}
	if (o->lesson == NULL && (o->mode != NULL || o->delay_ms != 1000)) {
		fputs("weft: --mode and --delay go with --lesson\n", stderr);
		goto bad;
	}
	return 0;
bad_number:
	fprintf(stderr, "weft: %s\n", buf_str(&why));
	buf_free(&why);
bad:
	fputs("Try 'weft --help' for more information.\n", stderr);
	return -1;
}


/* Adds WORD to B, quoted so that the lexer gives WORD back whatever it
 * holds (but a line's end: see parse_options). */
static void
add_quoted(struct buf *b, const char *word)
{
	buf_puts(b, " '");
	for (const char *c = word; *c != '\0'; c++)
		if (*c == '\'')
			buf_puts(b, "'\"'\"'"); /* end, a quoted ', go on */
		else
			buf_add(b, c, 1);
	buf_puts(b, "'");
}

/* The command that runs Python program PATH with the NARGS words of ARGS
 * after it: "python 'PATH' 'ARG'...". A new string. */
static char *
python_command(const char *path, int nargs, char **args)
{
	struct buf b = { 0 };

	buf_puts(&b, "python");
	add_quoted(&b, path);
	for (int i = 0; i < nargs; i++)
		add_quoted(&b, args[i]);
	return b.data;
}

/* Points S's input at the file, the -c text or stdin. Returns 0 or -1. */
static int
setup_input(struct session *s, const struct options *o)
{
	if (o->command != NULL) {
		input_init(&s->in, -1);
		return 0;
	}
	if (o->file == NULL) {
		input_init(&s->in, STDIN_FILENO);
		return 0;
	}
	/* A Python program runs in CPython embedded: one command. */
	if (is_python_file(o->file)) {
		if (!pyrun_built()) {
			fprintf(stderr, "weft: %s\n", PYRUN_NOT_BUILT);
			return -1;
		}
		input_init(&s->in, -1);
		return 0;
	}
	/* Non-blocking: a FIFO opens at once, and the main loop reads it
	 * when poll says so, hearing signals while it waits for a writer. */
	int fd = open(o->file, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		fprintf(stderr, "weft: cannot open '%s': %s\n", o->file,
			strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "weft: cannot read '%s': %s\n", o->file,
			strerror(EISDIR));
		close(fd);
		return -1;
	}
	input_init(&s->in, fd);
	s->src_name = o->file;
	return 0;
}

/* Loads the lesson of --lesson and plays it in S; *PRESENT tells whether
 * it is in present mode (on the terminal). Returns 0 or -1. */
static int
start_lesson(struct session *s, const struct options *o, bool *present)
{
	char *path;
	char err[512];
	struct lesson l;
	struct lesson_lang lang = cmd_lang(s);
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	const char *mode = o->mode ? o->mode : tty ? "present" : "check";
	enum play_mode m = strcmp(mode, "present") == 0 ? PLAY_PRESENT
			   : strcmp(mode, "auto") == 0	? PLAY_AUTO
							: PLAY_CHECK;

	if (m == PLAY_PRESENT && !tty) {
		fputs("weft: --mode present needs a terminal (try --mode "
		      "auto or check)\n",
		      stderr);
		return -1;
	}
	*present = m == PLAY_PRESENT;
	path = lesson_find(o->lesson, lesson_dirs);

	if (path == NULL) {
		fprintf(stderr,
			"weft: no lesson '%s' (weft --list-lessons lists "
			"them)\n",
			o->lesson);
		return -1;
	}
	if (lesson_load(path, &lang, &l, err, sizeof err) < 0) {
		fprintf(stderr, "weft: %s\n", err);
		free(path);
		return -1;
	}
	free(path);
	input_init(&s->in, m == PLAY_PRESENT ? STDIN_FILENO : -1);
	play_start(s, &l, m, (unsigned)o->delay_ms);
	if (m != PLAY_PRESENT)
		s->in.eof = true; /* the lesson is the whole input */
	return 0;
}

/* --trace-json: the trace at exit. Returns 0 or -1 (said why). */
static int
write_trace(struct session *s, const char *path)
{
	char why[128];

	if (export_trace(s, path, why, sizeof why) < 0) {
		fprintf(stderr, "weft: cannot write '%s': %s\n", path, why);
		return -1;
	}
	return 0;
}

/* Opens /dev/null on each of descriptors 0, 1 and 2 that is closed, so
 * that no file weft opens later takes its number: a closed stdin would
 * become the event queue's doorbell, and weft would poll itself. stdin
 * reads as empty; stdout and stderr are opened read-only, so that what
 * weft writes there fails and is reported rather than silently lost.
 * Returns 0, or -1 when /dev/null cannot be opened. */
static int
hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lowest free number: FD itself, as those below are
		 * open. */
		if (open("/dev/null", O_RDONLY) != fd)
			return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o = { .delay_ms = 1000 };
	struct session s;
	bool present = false;
	int status;

	if (hold_std_fds() < 0)
		return 70; /* nowhere to say it */
	if (parse_options(argc, argv, &o) < 0)
		return 2;
	if (session_init(&s) < 0 || shell_signals_init(&s) < 0) {
		perror("weft: cannot set up");
		return 70;
	}
	/* Known before a lesson loads: its Python lines are the bridge's. */
	s.bridge = o.bridge;
	if (o.list_lessons) { /* a lesson's Python is asked of the session's */
		struct buf b = { 0 };
		struct lesson_lang lang = cmd_lang(&s);
		if (lesson_list(lesson_dirs, &lang, &b) == 0)
			fputs("weft: no lessons found\n", stderr);
		fputs(buf_str(&b), stdout);
		buf_free(&b);
		shell_free(&s);
		return 0;
	}
	if (o.lesson != NULL ? start_lesson(&s, &o, &present) < 0
			     : setup_input(&s, &o) < 0) {
		shell_free(&s);
		return 2;
	}
	s.keep_going = o.keep_going;
	if (o.seeded)
		sched_set_mode(&s, SCHED_SEED, o.seed);
	s.ro.time = !o.no_time;
	s.interactive =
		(o.lesson != NULL ? present
				  : o.command == NULL && o.file == NULL) &&
		isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	s.ro.color = isatty(STDOUT_FILENO) && !o.no_color &&
		     getenv("NO_COLOR") == NULL;
	if (s.interactive) {
		s.fe = line_init(&s);
		if (!o.quiet && !present)
			printf("%s: threads and processes, live. Type 'help' "
			       "for the commands.\n",
			       PACKAGE_STRING);
	}
	if (o.command != NULL) {
		shell_feed_text(&s, o.command);
	} else if (o.file != NULL && o.lesson == NULL &&
		   is_python_file(o.file)) { /* built: setup_input saw to it */
		char *run = python_command(o.file, o.nargs, o.args);
		shell_feed_text(&s, run);
		free(run);
	}
	status = shell_run(&s);
	if (o.trace_json != NULL && write_trace(&s, o.trace_json) < 0 &&
	    status == 0)
		status = 1;
	shell_free(&s);
	return status;
}
