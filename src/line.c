/*
 * line.c: the terminal front end, and the only file that includes readline.
 * readline runs in callback mode: the main loop hands it a key at a time
 * when stdin is readable, and it calls on_line with each finished line.
 * While a command runs the handler is removed, so no prompt is shown; when
 * weft is ready again it is installed, which draws a fresh prompt. Trace
 * lines that arrive while the learner types are printed above the prompt,
 * and the half-typed line and cursor are redrawn as they were.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmd.h"
#include "line.h"
#include "play.h"
#include "shell.h"
#include "xmalloc.h"

#define HISTORY_MAX 1000

static struct session *sess;
static char *history_path;
static char **matches; /* candidates of the completion in progress */
static size_t match_next;

static void
on_line(char *line)
{
	rl_callback_handler_remove();
	sess->prompt_shown = false;
	if (line == NULL) { /* Ctrl-D: readline has ended the line */
		shell_eof(sess);
		return;
	}
	if (line[0] != '\0') {
		add_history(line);
		if (history_path != NULL)
			append_history(1, history_path);
	}
	if (!play_line(sess, line))
		shell_submit(sess, line, strlen(line), 0);
	free(line);
}

static void
prompt_on(struct session *s)
{
	/* "...> " while a task definition goes on over several lines */
	const char *word = s->pending.len > 0 ? "...>" : "weft>";
	char prompt[32];

	if (s->ro.color)
		snprintf(prompt, sizeof prompt,
			 "\001\033[1m\002%s\001\033[0m\002 ", word);
	else
		snprintf(prompt, sizeof prompt, "%s ", word);
	rl_callback_handler_install(prompt, on_line);
	s->prompt_shown = true;
	if (s->prefill != NULL) { /* a lesson's command, as if typed */
		rl_insert_text(s->prefill);
		rl_redisplay();
		free(s->prefill);
		s->prefill = NULL;
	}
}

static void
prompt_off(struct session *s)
{
	rl_clear_visible_line();
	rl_callback_handler_remove();
	s->prompt_shown = false;
}

static void
read_input(struct session *s)
{
	rl_callback_read_char();
}

static void
print(struct session *s, const char *text, size_t len)
{
	rl_clear_visible_line();
	fwrite(text, 1, len, stdout);
	fflush(stdout);
	rl_on_new_line();
	rl_redisplay();
}

static void
interrupt(struct session *s)
{
	/* Mark the abandoned line where it ends, as a shell does, before
	 * readline resets the terminal (which may move the cursor). */
	rl_point = rl_end;
	rl_redisplay();
	fputs("^C\n", stdout);
	fflush(stdout);
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_cleanup_after_signal();
	rl_replace_line("", 0);
	rl_callback_handler_remove();
	s->prompt_shown = false; /* the main loop draws a fresh prompt */
}

static void
resize(struct session *s)
{
	rl_resize_terminal();
}

static void
finish(struct session *s)
{
	if (s->prompt_shown)
		prompt_off(s);
	if (history_path != NULL)
		history_truncate_file(history_path, HISTORY_MAX);
	free(history_path);
	history_path = NULL;
	clear_history();
}

static char *
next_match(const char *text, int state)
{
	if (matches == NULL || matches[match_next] == NULL)
		return NULL;
	return matches[match_next++];
}

static char **
complete(const char *text, int start, int end)
{
	char **found;

	rl_attempted_completion_over = 1; /* never fall back to file names */
	matches = cmd_complete(sess, rl_line_buffer, (size_t)start, text);
	match_next = 0;
	found = rl_completion_matches(text, next_match);
	/* A directory: no space after it, so the name can go on. */
	if (found != NULL && found[1] == NULL && found[0][0] != '\0' &&
	    found[0][strlen(found[0]) - 1] == '/')
		rl_completion_suppress_append = 1;
	free(matches); /* the strings now belong to readline */
	matches = NULL;
	return found;
}

/* Makes DIR and its parents, like mkdir -p. */
static void
make_dirs(char *dir)
{
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	mkdir(dir, 0700);
}

static void
history_init(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;

	if (state != NULL && state[0] == '/')
		dir = xasprintf("%s/weft", state);
	else if (home != NULL && home[0] != '\0')
		dir = xasprintf("%s/.local/state/weft", home);
	else
		return;
	make_dirs(dir);
	history_path = xasprintf("%s/history", dir);
	free(dir);
	stifle_history(HISTORY_MAX);
	if (read_history(history_path) == ENOENT)
		write_history(history_path); /* so append_history has a file */
}

static const struct frontend readline_frontend = {
	prompt_on, prompt_off, read_input, print, interrupt, resize, finish,
};

const struct frontend *
line_init(struct session *s)
{
	sess = s;
	rl_readline_name = "weft";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = complete;
	history_init();
	return &readline_frontend;
}
