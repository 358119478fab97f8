/*
 * shell.c: the main loop, and the only place that decides when the terminal
 * is written. One poll() waits on the event queue, the signalfd and (when
 * weft is ready for a command) the input. Commands run one at a time from a
 * queue; a command that waits (join, reset, quit) holds the queue while
 * events keep printing. Input comes from the readline front end on a
 * terminal, or from a pipe, a file or -c through the line splitter.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "ast.h"
#include "cmd.h"
#include "lex.h"
#include "play.h"
#include "pyrun.h"
#include "python.h"
#include "shell.h"
#include "spawner.h"
#include "xmalloc.h"

int
shell_signals_init(struct session *s)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN); /* a closed stdout is an error, not death */
	s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	/* A wait on the spawner, outside the poll loop, hears them too. */
	spawner_signals(s->sigfd);
	/* Never read: polled by waits outside the main loop (a stalled
	 * stdout), which leave the signal for the main loop to serve. */
	sigdelset(&set, SIGCHLD);
	sigdelset(&set, SIGWINCH);
	s->endfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return s->sigfd < 0 || s->endfd < 0 ? -1 : 0;
}

static void
push(struct session *s, struct lex_cmd *c, unsigned lineno)
{
	if (s->cmd_head > 0 && s->cmd_head == s->ncmds)
		s->cmd_head = s->ncmds = 0;
	if (s->ncmds == s->cmd_cap) {
		s->cmd_cap = s->cmd_cap ? s->cmd_cap * 2 : 16;
		s->cmds = xrealloc(s->cmds, s->cmd_cap * sizeof *s->cmds);
	}
	struct cmd_item it = { c->argc, c->argv, lineno, s->feeding_lesson,
			       s->feeding_lesson ? 0 : s->submit_group };
	if (s->feeding_lesson) {
		/* A lesson's commands go before what was queued around it
		 * (the rest of a script that said `lesson`), in order. */
		size_t at = s->cmd_head;
		while (at < s->ncmds && s->cmds[at].from_lesson)
			at++;
		memmove(&s->cmds[at + 1], &s->cmds[at],
			(s->ncmds - at) * sizeof *s->cmds);
		s->cmds[at] = it;
		s->ncmds++;
	} else {
		s->cmds[s->ncmds++] = it;
	}
	free(c->cols);
}

static void submit_commands(struct session *s, const char *line, size_t len,
			    unsigned lineno);

/* Returns the number of newlines in S (NULL: none). */
static int
count_lines(const char *s)
{
	int n = 0;

	for (; s != NULL && *s; s++)
		n += *s == '\n';
	return n;
}

static void
free_words(struct lex_cmd *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
}

/* Adds LINE to the task definition being gathered; once it is whole it is
 * queued as one command, and the rest of its last line as more. */
static void
gather_task(struct session *s, const char *line, size_t len, unsigned lineno)
{
	struct gather *g = &s->pending;
	size_t end;

	if ((end = gather_add(g, line, len, lineno)) == 0)
		return;
	char **argv = xcalloc(3, sizeof *argv);
	argv[0] = xstrdup("task");
	argv[1] = xstrndup(g->text.data, end);
	struct lex_cmd c = { 2, argv, NULL };
	char *rest = xstrndup(g->text.data + end, g->text.len - end);
	if (g->lost) /* already refused when its line was lost */
		free_words(&c);
	else
		push(s, &c, g->first);
	gather_reset(g);
	/* The rest of the line that closed it holds commands; any later line
	 * (after a definition cut short) is input like any other. */
	char *nl = strchr(rest, '\n');
	size_t first = nl ? (size_t)(nl - rest) : strlen(rest);
	unsigned at = lineno - (unsigned)count_lines(nl);
	submit_commands(s, rest, first, at);
	while (nl != NULL) {
		char *next = nl + 1;
		nl = strchr(next, '\n');
		size_t n = nl ? (size_t)(nl - next) : strlen(next);
		shell_submit(s, next, n, ++at);
	}
	free(rest);
}

/* A line of the Python tutorial's own syntax: queued as the native
 * command it stands for. */
static void
submit_python(struct session *s, const char *line, size_t len, unsigned lineno)
{
	char err[200], **argv;
	int argc = 0;

	s->src_line = lineno;
	if (py_translate(line, len, &argv, err, sizeof err) < 0) {
		sh_error(s, "%s", err);
		session_status(s, 1);
		return;
	}
	while (argv[argc] != NULL)
		argc++;
	if (argc == 0) { /* import threading: nothing to run */
		py_free(argv);
		return;
	}
	struct lex_cmd c = { argc, argv, NULL };
	push(s, &c, lineno); /* the command owns the words now */
}

/* Is LINE Python rather than weft's (Python support built, and not
 * given to the one-line bridge)? cmd_python_line says. */
static bool
python_line(struct session *s, const char *line, size_t len)
{
	return !s->bridge && cmd_python_line(s, line, len);
}

/* Queues CODE, a whole Python statement or block from LINENO, as
 * `python -c`. */
static void
queue_python(struct session *s, const char *code, unsigned lineno)
{
	char **argv = xcalloc(4, sizeof *argv);
	struct lex_cmd c = { 3, argv, NULL };

	argv[0] = xstrdup("python");
	argv[1] = xstrdup("-c");
	argv[2] = xstrdup(code);
	push(s, &c, lineno);
}

/* Queues the Python statement gathered as `python -c` and empties the
 * gatherer. */
static void
flush_python(struct session *s)
{
	queue_python(s, buf_str(&s->pyblock), s->pyblock_first);
	s->pyblock_open = false;
	buf_reset(&s->pyblock);
}

/* A line of Python: gathered until its statement is whole (a block ends
 * at a blank line, as at python3's prompt, or at the next statement that
 * is not indented), then run as `python -c`. */
static void
submit_py(struct session *s, const char *line, size_t len, unsigned lineno)
{
	bool blank = true;
	char err[200];
	int st;

	for (size_t i = 0; i < len; i++)
		blank &= line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
	if (s->pyblock_open && !lex_plain(line, len)) {
		s->src_line = lineno;
		if (s->pyblock_first > 0)
			sh_error(s,
				 "a control character or a byte that is not "
				 "UTF-8 in a Python block: the block that began "
				 "on line %u is dropped",
				 s->pyblock_first);
		else
			sh_error(s,
				 "a control character or a byte that is not "
				 "UTF-8 in a Python block: the block is "
				 "dropped");
		session_status(s, 1);
		s->pyblock_open = false;
		buf_reset(&s->pyblock);
		return;
	}
	if (s->pyblock_open && !gather_goes_on(line, len)) {
		/* The block is over if it would be with a blank line (its
		 * lines each end with a newline: one is the blank line). */
		st = pyrun_block(s, buf_str(&s->pyblock), err, sizeof err);
		if (st != 0) {
			flush_python(s);
			shell_submit(s, line, len, lineno);
			return;
		}
	}
	if (!s->pyblock_open) {
		if (blank)
			return;
		s->pyblock_open = true;
		s->pyblock_first = lineno;
		buf_reset(&s->pyblock);
	} else if (blank) {
		/* It ends the block, unless a bracket or a string is still
		 * open (python3's prompt waits for its end, too). */
		if (pyrun_block(s, buf_str(&s->pyblock), err, sizeof err) !=
		    0) {
			flush_python(s);
			return;
		}
	}
	/* As python3's prompt asks: the lines so far, with no newline after
	 * the last (one after it would be a blank line, ending a block). */
	buf_add(&s->pyblock, line, len);
	st = pyrun_block(s, buf_str(&s->pyblock), err, sizeof err);
	buf_puts(&s->pyblock, "\n");
	if (st < 0) {
		s->src_line = lineno;
		sh_error(s, "%s", err);
		session_status(s, 1);
		s->pyblock_open = false;
		buf_reset(&s->pyblock);
		return;
	}
	if (st == 1)
		flush_python(s);
}

bool
shell_gathering(const struct session *s)
{
	return gather_open(&s->pending) || s->pyblock_open;
}

void
shell_drop_gathered(struct session *s)
{
	gather_reset(&s->pending);
	s->pyblock_open = false;
	buf_reset(&s->pyblock);
}

void
shell_submit(struct session *s, const char *line, size_t len, unsigned lineno)
{
	if (s->shutting_down)
		return;
	/* A line typed at the prompt is a group: a command of it that fails
	 * drops the rest (a task being gathered keeps its group). */
	if (s->fe != NULL && lineno == 0 && !shell_gathering(s) &&
	    !s->feeding_lesson)
		s->submit_group = ++s->next_group;
	if (gather_open(&s->pending) || parse_starts_task(line, len))
		gather_task(s, line, len, lineno);
	else if (s->pyblock_open || python_line(s, line, len))
		submit_py(s, line, len, lineno);
	else if (py_looks_like(line, len))
		submit_python(s, line, len, lineno);
	else
		submit_commands(s, line, len, lineno);
}

/* Runs what the player handed over, line by line, as the lesson's own
 * commands (before what was queued around them); its Python statement or
 * block whole, each line ending as the prompt's do. */
static void
feed_lesson(struct session *s, const struct play_feed *feed)
{
	const char *at = feed->text;
	unsigned line = feed->line;

	if (at == NULL)
		return;
	s->feeding_lesson = true;
	if (feed->python) {
		struct buf code = { 0 };
		buf_printf(&code, "%s\n", at);
		queue_python(s, buf_str(&code), line);
		buf_free(&code);
		s->feeding_lesson = false;
		return;
	}
	while (*at != '\0') {
		size_t n = strcspn(at, "\n");
		shell_submit(s, at, n, line);
		line += line != 0;
		at += n + (at[n] == '\n');
	}
	s->feeding_lesson = false;
}

/* Asks the lesson being played for its next item; true when that gave
 * the loop something to do (commands queued, a wait started). */
static bool
play_on(struct session *s)
{
	struct play_feed feed;
	bool busy = play_next(s, &feed);

	feed_lesson(s, &feed);
	return busy;
}

void
shell_typed(struct session *s, const char *line, size_t len)
{
	struct play_feed feed;

	/* A line that goes on what the learner is typing (a task, a Python
	 * block) is theirs, even Enter on an empty line. */
	if (!shell_gathering(s) && play_line(s, line, &feed))
		feed_lesson(s, &feed);
	else
		shell_submit(s, line, len, 0);
}

void
shell_abandon_task(struct session *s)
{
	if (!gather_open(&s->pending))
		return;
	s->src_line = s->pending.first;
	sh_error(s,
		 "task definition never closed: it began on line %u and "
		 "took every line after it (a '}' is missing)",
		 s->pending.first);
	gather_reset(&s->pending);
	session_status(s, 1);
}

static void
submit_commands(struct session *s, const char *line, size_t len,
		unsigned lineno)
{
	struct lex_result r;
	struct lex_error err;

	s->src_line = lineno;
	if (lex_line(line, len, &r, &err) < 0) {
		sh_error(s, "column %d: %s", err.col, err.msg);
		session_status(s, 1);
		return;
	}
	for (size_t i = 0; i < r.n; i++) {
		/* A task after ';' is gathered from its first word on, with
		 * whatever follows it on the line. */
		if (strcmp(r.cmds[i].argv[0], "task") == 0 && i > 0) {
			size_t at = (size_t)(r.cmds[i].cols[0] - 1);
			for (size_t j = i; j < r.n; j++) {
				free_words(&r.cmds[j]);
				free(r.cmds[j].cols);
			}
			free(r.cmds);
			gather_task(s, line + at, len - at, lineno);
			return;
		}
		push(s, &r.cmds[i], lineno);
	}
	free(r.cmds);
}

void
shell_eof(struct session *s)
{
	s->in.eof = true;
}

/* A line past the cap is refused; inside a task definition the whole
 * definition goes with it (its lines are still gathered, so the rest of
 * the body is not run as commands), never a task missing a line. */
static void
too_long(struct session *s, unsigned lineno)
{
	s->src_line = lineno;
	if (gather_open(&s->pending) && !s->pending.lost) {
		sh_error(s,
			 "line too long (more than %d bytes): the task "
			 "definition that began on line %u is not defined",
			 LEX_MAX_LINE, s->pending.first);
		s->pending.lost = true;
	} else if (!gather_open(&s->pending)) {
		sh_error(s, "line too long (more than %d bytes)",
			 LEX_MAX_LINE);
	}
	session_status(s, 1);
}

static void
on_line(const char *line, size_t len, unsigned lineno, bool toolong, void *arg)
{
	struct session *s = arg;

	if (toolong) {
		too_long(s, lineno);
		return;
	}
	shell_submit(s, line, len, lineno);
}

void
shell_feed_text(struct session *s, const char *text)
{
	input_feed(&s->in, text, strlen(text), LEX_MAX_LINE, on_line, s);
	input_feed(&s->in, NULL, 0, LEX_MAX_LINE, on_line, s);
}

static void
free_item(struct cmd_item *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
}

/* Runs queued commands until one waits or none is left. */
static void
run_queue(struct session *s)
{
	while (!s->waiting) {
		/* A lesson started by a command runs before the commands
		 * queued after that one. */
		bool lesson_next = s->cmd_head < s->ncmds &&
				   s->cmds[s->cmd_head].from_lesson;
		if (!lesson_next && s->cmd_head < s->ncmds &&
		    play_feeds_first(s) && play_on(s))
			continue;
		if (s->cmd_head == s->ncmds)
			break;
		struct cmd_item c = s->cmds[s->cmd_head++];
		if (s->shutting_down ||
		    (c.group != 0 && c.group == s->failed_group)) {
			free_item(&c);
			continue;
		}
		s->src_line = c.line;
		s->cur_group = c.group;
		if (s->record != NULL && !c.from_lesson &&
		    strcmp(c.argv[0], "record") != 0)
			s->rec_cmd = cmd_text(c.argc, c.argv);
		int st = cmd_exec(s, c.argc, c.argv);
		free_item(&c);
		if (!s->waiting) {
			st = session_recorded(s, st);
			session_status(s, st);
		}
	}
}

/* Ctrl-C at the prompt while a file is sourced stops the whole file, not
 * only the command it was waiting on: its queued commands are dropped. */
static void
stop_sourcing(struct session *s)
{
	if (!s->interactive || !play_stop_source(s))
		return;
	while (s->cmd_head < s->ncmds && s->cmds[s->cmd_head].from_lesson)
		free_item(&s->cmds[s->cmd_head++]);
}

static void
on_signal(struct session *s, int sig, bool *children)
{
	switch (sig) {
	case SIGCHLD: *children = true; break;
	case SIGWINCH:
		if (s->fe != NULL)
			s->fe->resize(s);
		break;
	case SIGINT:
		if (!s->interactive) {
			/* weft ends. The terminal echoed ^C where the cursor
			 * was: what follows goes below it, not glued to it. */
			if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
				sh_printf(s, "\n");
			play_interrupted(s); /* a lesson says it stops */
		}
		if (s->waiting && s->interactive &&
		    (s->wait.interrupt != NULL || s->wait.interruptible))
			play_command_interrupted(s);
		if (s->waiting && s->interactive &&
		    s->wait.interrupt != NULL) {
			s->wait.interrupt(s, s->wait.arg);
		} else if (s->waiting && s->wait.interruptible) {
			if (s->interactive)
				sh_printf(s, "\n");
			stop_sourcing(s);
			session_end_wait(s, WAIT_INTERRUPTED);
			if (!s->interactive)
				session_shutdown(s, SIGINT);
		} else if (s->fe != NULL && s->prompt_shown) {
			shell_drop_gathered(s); /* a half-typed task, block */
			s->fe->interrupt(s);
		} else if (!s->interactive) {
			session_shutdown(s, SIGINT);
		} else {
			stop_sourcing(s);
		}
		break;
	default: /* SIGTERM, SIGHUP */
		if (s->fe != NULL && s->prompt_shown)
			s->fe->prompt_off(s);
		session_shutdown(s, sig);
		break;
	}
}

static void
read_signals(struct session *s, bool *children)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
		on_signal(s, (int)si.ssi_signo, children);
}

static bool
want_input(const struct session *s)
{
	return !s->waiting && s->cmd_head == s->ncmds && !s->shutting_down &&
	       !s->in.eof && (s->fe == NULL ? s->in.fd >= 0 : s->prompt_shown);
}

static int
poll_timeout(const struct session *s)
{
	uint64_t now;
	int ms, sched_ms;

	if (!s->waiting)
		return -1;
	sched_ms = sched_timeout(s);
	if (s->wait.timeout != NULL) {
		int own = s->wait.timeout(s, s->wait.arg);
		if (own >= 0 && (sched_ms < 0 || own < sched_ms))
			sched_ms = own;
	}
	if (s->wait.deadline == 0)
		return sched_ms;
	now = ev_now();
	if (now >= s->wait.deadline)
		return 0;
	ms = (int)((s->wait.deadline - now + 999999) / 1000000);
	return sched_ms >= 0 && sched_ms < ms ? sched_ms : ms;
}

static void
read_input(struct session *s)
{
	if (s->fe != NULL) {
		s->fe->read_input(s);
		return;
	}
	long n = input_read(&s->in, LEX_MAX_LINE, on_line, s);
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		input_feed(&s->in, NULL, 0, LEX_MAX_LINE, on_line, s);
}

/* Decides what comes next when nothing is running: the prompt, or the end. */
static void
settle(struct session *s)
{
	bool idle = !s->waiting && s->cmd_head == s->ncmds;

	if (!idle || s->shutting_down)
		return;
	if (play_on(s))
		return;
	if (s->in.eof) {
		if (s->pyblock_open) { /* python3 runs a last block too */
			flush_python(s);
			return;
		}
		shell_abandon_task(s);
		if (!s->interactive && !s->drained) {
			s->drained = true;
			if (session_wait_workers(s) && s->waiting)
				return;
		}
		session_shutdown(s, 0);
	} else if (s->fe != NULL && !s->prompt_shown) {
		sh_flush(s);
		s->fe->prompt_on(s);
	}
}

static void
poll_once(struct session *s)
{
	struct pollfd p[3] = { { s->q.rfd, POLLIN, 0 },
			       { s->sigfd, POLLIN, 0 },
			       { -1, POLLIN, 0 } };
	bool children = false, rang;
	int timeout, events;

	if (want_input(s))
		p[2].fd = s->fe != NULL ? STDIN_FILENO : s->in.fd;
	sh_flush(s);
	/* Records already waiting in the rings shorten the sleep. */
	timeout = poll_timeout(s);
	events = evq_sleep(&s->q);
	if (events >= 0 && (timeout < 0 || events < timeout))
		timeout = events;
	if (poll(p, 3, timeout) < 0 && errno != EINTR) {
		evq_wake(&s->q, false);
		return;
	}
	rang = p[0].revents & POLLIN;
	evq_wake(&s->q, rang);
	if (p[1].revents & POLLIN)
		read_signals(s, &children);
	if (rang || events >= 0 || children)
		session_poll_workers(s, children);
	if (children)
		session_sweep(s);
	if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
		read_input(s);
	session_check_wait(s);
}

void
shell_free(struct session *s)
{
	play_free(s);
	for (size_t i = s->cmd_head; i < s->ncmds; i++)
		free_item(&s->cmds[i]);
	free(s->cmds);
	s->cmds = NULL;
	s->cmd_head = s->ncmds = s->cmd_cap = 0;
	gather_free(&s->pending);
	buf_free(&s->pyblock);
	session_free(s);
}

int
shell_run(struct session *s)
{
	while (!s->done) {
		run_queue(s);
		settle(s);
		if (s->done)
			break;
		if (!s->waiting && s->cmd_head < s->ncmds)
			continue; /* settle queued a lesson's commands */
		poll_once(s);
	}
	sh_flush(s);
	if (s->fe != NULL)
		s->fe->finish(s);
	if (s->exit_signal != 0)
		return 128 + s->exit_signal;
	if (s->lesson_failed)
		return 3;
	if (s->out_failed)
		return 1;
	if (s->exit_code != 0 && !s->interactive)
		return s->exit_code;
	return s->failed && !s->interactive ? 1 : 0;
}
