/* play.h: running a lesson in the main loop, item by item: the shell asks
 * for the next item, runs the commands the player hands it like typed
 * ones, and the player checks expectations when the commands before them
 * are done. */
#ifndef WEFT_PLAY_H
#define WEFT_PLAY_H

#include <stdbool.h>

#include "lesson.h"

struct session;

enum play_mode {
	PLAY_CHECK, /* no terminal needed; exit 3 at the first failed expect */
	PLAY_AUTO,  /* commands shown as typed, with a delay between items */
	PLAY_PRESENT, /* each command waits at the prompt for Enter */
};

#define PLAY_DELAY_MAX_MS 60000

/* Plays lesson L (taken over) in S, after the one before, if any; when
 * one is still running (a nested source), L runs first, then the rest of
 * the one that sourced it. */
void play_start(struct session *s, struct lesson *l, enum play_mode mode,
		unsigned delay_ms);

/* Commands the player hands the shell to run as if typed: TEXT's lines,
 * numbered from LINE (0: typed, not from a file); TEXT NULL: none. TEXT
 * stays valid until the player's next call. PYTHON: TEXT is one Python
 * statement or block, run whole (`python -c`), not line by line. */
struct play_feed {
	const char *text;
	unsigned line;
	bool python;
};

/* Moves the lesson on when S is idle: hands its next commands to the
 * shell in FEED, or starts a delay, or ends weft after a failed
 * expectation. Returns false when the lesson is over (or there is none)
 * or waits for the learner. */
bool play_next(struct session *s, struct play_feed *feed);

/* Present mode: the line the learner entered (NULL-free, no newline).
 * Returns true when the lesson took it (Enter on a lesson's command, a
 * pause, `skip` in an exercise; FEED then holds any commands to run);
 * false when it is for the shell. */
bool play_line(struct session *s, const char *line, struct play_feed *feed);

/* Ctrl-C with no terminal front end, on its way to ending weft: a lesson
 * playing in auto mode says that it stops there. */
void play_interrupted(struct session *s);

/* Ctrl-C ended the command that ran (present mode): the lesson does not
 * check it, saying so once, in place of the expectations that follow it
 * up to its next command. */
void play_command_interrupted(struct session *s);

/* Ctrl-C at the prompt while a file is sourced: the file (and those that
 * sourced it) stops here, saying so. Returns false when no sourced file
 * is running (a lesson presented to a learner goes on). */
bool play_stop_source(struct session *s);

/* Is a lesson being played (not over yet)? */
bool play_running(const struct session *s);

/* Do the lesson's next commands go before those queued now? (Not in
 * present mode, where the learner's own commands come in between.) */
bool play_feeds_first(const struct session *s);

/* Puts in FILES (up to MAX) the files being played, innermost first, the
 * ones that sourced it after; returns how many there are, or -1 when one
 * of them is not in check mode (a lesson presented to a learner). */
int play_files(const struct session *s, const char **files, int max);

/* The file being played (a lesson, a script), innermost; NULL: none. */
const char *play_file(const struct session *s);

/* Frees what play_start took. */
void play_free(struct session *s);

#endif
