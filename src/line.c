/*
 * line.c: the terminal front end, and the only file that includes readline.
 * readline runs in callback mode: the main loop hands it a key at a time
 * when stdin is readable, and it calls on_line with each finished line.
 * While a command runs the handler is removed, so no prompt is shown; when
 * weft is ready again it is installed, which draws a fresh prompt. Trace
 * lines that arrive while the learner types are printed above the prompt,
 * and the half-typed line and cursor are redrawn as they were.
 *
 * While a command runs the terminal does not echo, so keys typed ahead
 * stay in its input queue for the next prompt instead of landing in the
 * middle of a trace line. A bracketed paste (one line from readline, with
 * newlines in it) goes on as the lines it holds, each as if typed; a task
 * gathered over several lines is one history entry.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "cmd.h"
#include "line.h"
#include "shell.h"
#include "xmalloc.h"

#define HISTORY_MAX 1000

static struct session *sess;
static char *history_path;
static char **matches; /* candidates of the completion in progress */
static size_t match_next;
static struct buf entry;  /* a task's lines so far, for one history entry */
static char *suggestion;  /* the lesson's command shown, untouched yet */
static struct termios tty_orig; /* the terminal as weft found it */
static bool tty_saved;

/* A command runs: keys typed now wait, unechoed, for the next prompt. */
static void
busy(void)
{
	struct termios t = tty_orig;

	if (!tty_saved)
		return;
	t.c_lflag &= (tcflag_t) ~(ECHO | ECHONL | ICANON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

static void
remember(const char *line)
{
	add_history(line);
	if (history_path != NULL)
		append_history(1, history_path);
}

/* Keeps LINE in the history: a task gathered over several lines as one
 * entry, once it is whole. */
static void
history_take(const char *line, size_t len)
{
	if (len == 0 && entry.len == 0)
		return;
	if (entry.len > 0)
		buf_add(&entry, "\n", 1);
	buf_add(&entry, line, len);
	if (shell_gathering(sess))
		return; /* the definition, the block, goes on */
	remember(buf_str(&entry));
	buf_reset(&entry);
}

/* One line, as typed. */
static void
take(const char *line, size_t len)
{
	char *one = xstrndup(line, len);

	shell_typed(sess, one, len);
	history_take(one, len);
	free(one);
}

static void
on_line(char *line)
{
	const char *at = line;

	rl_callback_handler_remove();
	busy();
	sess->prompt_shown = false;
	if (line == NULL) { /* Ctrl-D: readline has ended the line */
		free(suggestion);
		suggestion = NULL;
		shell_eof(sess);
		return;
	}
	free(suggestion);
	suggestion = NULL;
	/* A paste comes as one line: each of its lines goes on by itself
	 * (a last newline only ends the paste). */
	do {
		size_t n = strcspn(at, "\n");
		bool last = at[n] == '\0' || at[n + 1] == '\0';
		take(at, n);
		at += n + (at[n] == '\n');
		if (last)
			break;
	} while (!sess->shutting_down);
	free(line);
}

/* A lesson's suggestion not touched yet goes: what is typed or pasted
 * replaces it instead of going on after it. */
static void
drop_suggestion(void)
{
	if (suggestion != NULL && rl_point == rl_end &&
	    strcmp(rl_line_buffer, suggestion) == 0) {
		rl_delete_text(0, rl_end);
		rl_point = 0;
	}
	free(suggestion);
	suggestion = NULL;
}

static int
insert_key(int count, int key)
{
	drop_suggestion();
	return rl_insert(count, key);
}

static int
paste_key(int count, int key)
{
	drop_suggestion();
	return rl_bracketed_paste_begin(count, key);
}

static void
prompt_on(struct session *s)
{
	/* "...> " while a task definition or a Python block goes on over
	 * several lines */
	const char *word = shell_gathering(s) ? "...>" : "weft>";
	char prompt[32];

	if (s->ro.color)
		snprintf(prompt, sizeof prompt,
			 "\001\033[1m\002%s\001\033[0m\002 ", word);
	else
		snprintf(prompt, sizeof prompt, "%s ", word);
	/* readline echoes only on a terminal that echoed before it took it
	 * over: give it back as it was found. What was typed meanwhile
	 * stays in the input queue. */
	if (tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &tty_orig);
	rl_callback_handler_install(prompt, on_line);
	s->prompt_shown = true;
	free(suggestion);
	suggestion = NULL;
	if (s->prefill != NULL) { /* a lesson's command, as if typed */
		rl_insert_text(s->prefill);
		rl_redisplay();
		suggestion = s->prefill;
		s->prefill = NULL;
	}
}

static void
prompt_off(struct session *s)
{
	rl_clear_visible_line();
	rl_callback_handler_remove();
	busy();
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
	busy();
	buf_reset(&entry); /* a task cut short is not kept */
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
	buf_free(&entry);
	free(suggestion);
	suggestion = NULL;
	if (tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &tty_orig);
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
	struct stat st;
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
	/* A FIFO there would block start-up, deaf to every signal. */
	if (stat(history_path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr,
			"weft: warning: '%s' is not a regular file; no "
			"history this time\n",
			history_path);
		free(history_path);
		history_path = NULL;
		return;
	}
	stifle_history(HISTORY_MAX);
	/* Timestamps mark where an entry begins, so a task of several
	 * lines comes back as one entry. */
	history_comment_char = '#'; /* what a timestamp line starts with */
	history_write_timestamps = 1;
	history_multiline_entries = 1;
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
	for (int c = ' '; c < 127; c++) {
		rl_bind_key_in_map(c, insert_key, emacs_standard_keymap);
		rl_bind_key_in_map(c, insert_key, vi_insertion_keymap);
	}
	rl_bind_keyseq_in_map("\033[200~", paste_key, emacs_standard_keymap);
	rl_bind_keyseq_in_map("\033[200~", paste_key, vi_insertion_keymap);
	tty_saved = tcgetattr(STDIN_FILENO, &tty_orig) == 0;
	history_init();
	return &readline_frontend;
}
