/*
 * play.c: a lesson in the main loop (see play.h). The loop calls play_next
 * whenever no command is queued or waiting; each call does at most one
 * thing that needs the loop (commands to run, a delay), so output keeps
 * streaming between items and an expectation sees everything the commands
 * before it did.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expect.h"
#include "play.h"
#include "sync.h"
#include "session.h"
#include "worker.h"
#include "wrap.h"
#include "xmalloc.h"

/* Narration waits at most this long for the workers before it to settle. */
#define PLAY_SETTLE_MAX_MS 5000

#define SGR_BOLD "\033[1m"
#define SGR_GREEN "\033[32m"
#define SGR_RED "\033[31m"
#define SGR_RESET "\033[0m"

struct play {
	struct lesson l;
	enum play_mode mode;
	unsigned delay_ms;
	size_t next;  /* the next item */
	size_t goals; /* the current exercise's first goal */
	bool delayed; /* the delay before the next item is done */
	bool settled; /* the wait for the workers before it is done */
	/* present mode */
	const struct lesson_item *awaiting; /* shown, waiting for Enter */
	bool exercise; /* the learner works on an exercise */
	bool tried;    /* ... and has run a command since the last look */
	bool over;     /* the end has been said */
	/* Ctrl-C ended the last command: its expectations are not checked
	 * (UNCHECKED_SAID: and the lesson said so). */
	bool unchecked, unchecked_said;
	const char *outer_name; /* the source name to go back to */
	struct buf setup; /* commands that bring the exercise's start back */
	struct play *outer; /* the file that said `source` for this one */
};

/* Lesson text: on a terminal, broken at spaces to its width, the lines
 * after the first under the text (not cut mid-word at the edge). */
static void
styled(struct session *s, const char *sgr, const char *prefix, const char *text)
{
	struct buf line = { 0 }, out = { 0 };
	int width = isatty(STDOUT_FILENO) ? wrap_width() : 0;

	buf_puts(&line, prefix);
	buf_add_visible(&line, text, strlen(text)); /* no escapes reach it */
	wrap_line(&out, line.data, line.len, width, (int)strlen(prefix));
	out.len--; /* the newline goes after the colour's end */
	if (s->ro.color)
		sh_printf(s, "%s%.*s%s\n", sgr, (int)out.len, out.data,
			  SGR_RESET);
	else
		sh_printf(s, "%.*s\n", (int)out.len, out.data);
	buf_free(&line);
	buf_free(&out);
}

void
play_start(struct session *s, struct lesson *l, enum play_mode mode,
	   unsigned delay_ms)
{
	struct play *p = xcalloc(1, sizeof *p);

	p->l = *l;
	memset(l, 0, sizeof *l);
	p->mode = mode;
	p->delay_ms = delay_ms;
	if (play_running(s))
		p->outer = s->play; /* a nested source: this one goes first */
	else
		play_free(s);
	s->play = p;
	p->outer_name = s->src_name;
	s->src_name = p->l.file;
	if (mode != PLAY_CHECK && p->l.title != NULL)
		styled(s, SGR_BOLD, "== ", p->l.title);
}

/* Frees the innermost play and goes back to the one around it. */
static void
pop(struct session *s)
{
	struct play *p = s->play;

	if (s->src_name == p->l.file)
		s->src_name = p->outer_name;
	s->play = p->outer;
	lesson_free(&p->l);
	buf_free(&p->setup);
	free(p);
}

void
play_free(struct session *s)
{
	while (s->play != NULL)
		pop(s);
}

int
play_files(const struct session *s, const char **files, int max)
{
	int n = 0;

	for (const struct play *p = s->play; p != NULL; p = p->outer) {
		if (p->mode != PLAY_CHECK)
			return -1;
		if (n < max)
			files[n] = p->l.file;
		n++;
	}
	return n;
}

const char *
play_file(const struct session *s)
{
	return s->play != NULL ? s->play->l.file : NULL;
}

static bool
never(struct session *s, void *arg)
{
	return false;
}

static int
delay_over(struct session *s, void *arg, enum wait_end how)
{
	return how == WAIT_INTERRUPTED ? 1 : 0;
}

/* auto mode: lets the class read before the next item. */
static bool
delay(struct session *s, struct play *p)
{
	struct wait w = { .done = never,
			  .finish = delay_over,
			  .interruptible = true };

	if (p->mode != PLAY_AUTO || p->delay_ms == 0 || p->delayed) {
		p->delayed = false;
		return false;
	}
	p->delayed = true;
	w.deadline = ev_now() + (uint64_t)p->delay_ms * 1000000u;
	session_wait(s, &w);
	return true;
}

/* Has every worker had its say: ended, or held at its gate, or blocked?
 * (A worker running freely may still print.) */
static bool
workers_quiet(struct session *s, void *arg)
{
	if (!sched_settled(s))
		return false;
	for (size_t i = 0; i < s->reg.n; i++) {
		struct worker *w = s->reg.v[i];
		if (w->state == WS_RUNNING && !w->deadlocked &&
		    !sched_at_gate(s, w) && !sched_blocked(s, w))
			return false;
	}
	return true;
}

static int
settle_over(struct session *s, void *arg, enum wait_end how)
{
	return 0;
}

/* Present and auto modes: narration after a command waits until what the
 * command started has printed (a bounded wait), so the text for the class
 * never lands between a worker's lines. */
static bool
settle(struct session *s, struct play *p)
{
	struct wait w = { .done = workers_quiet,
			  .finish = settle_over,
			  .interruptible = true };

	if (p->mode == PLAY_CHECK || p->settled || workers_quiet(s, NULL)) {
		p->settled = false;
		return false;
	}
	p->settled = true;
	w.deadline = ev_now() + (uint64_t)PLAY_SETTLE_MAX_MS * 1000000u;
	session_wait(s, &w);
	if (s->waiting)
		return true;
	p->settled = false; /* it was over at once */
	return false;
}

/* Shows a lesson's command TEXT line by line, the first after FIRST and
 * the others after MORE, its control characters made visible. */
static void
show_lines(struct session *s, const char *text, const char *first,
	   const char *more)
{
	const char *at = text;
	struct buf b = { 0 };

	while (*at != '\0') {
		size_t n = strcspn(at, "\n");
		buf_puts(&b, at == text ? first : more);
		buf_add_visible(&b, at, n);
		buf_puts(&b, "\n");
		at += n + (at[n] == '\n');
	}
	sh_printf(s, "%s", buf_str(&b));
	buf_free(&b);
}

/* Shows a command as if typed, line by line. */
static void
echo_command(struct session *s, const char *text)
{
	show_lines(s, text, "weft> ", "...> ");
}

/* Hands command or Python item IT to the shell, through FEED. */
static void
submit(const struct lesson_item *it, struct play_feed *feed)
{
	feed->text = it->text;
	feed->line = it->line;
	feed->python = it->kind == L_PYTHON;
}

/* Is IT run at the prompt (a command, Python), and on one line? */
static bool
runs(const struct lesson_item *it)
{
	return it->kind == L_COMMAND || it->kind == L_PYTHON;
}

static bool
one_line(const struct lesson_item *it)
{
	return runs(it) && strchr(it->text, '\n') == NULL;
}

/* Checks an expectation; false (and weft on its way out) when it fails,
 * but in present mode, where a failure is only shown. */
static bool
check(struct session *s, struct play *p, const struct lesson_item *it,
      const char *what)
{
	struct buf seen = { 0 }, text = { 0 };
	bool ok = expect_holds(s, &it->x, &seen);

	expect_format(&it->x, &text);
	s->src_line = it->line;
	if (ok && p->mode != PLAY_CHECK) {
		buf_printf(&text, " (saw: %s)", buf_str(&seen));
		styled(s, SGR_GREEN, "ok: ", buf_str(&text));
	}
	if (!ok && p->mode == PLAY_CHECK && s->interactive) {
		/* `source` at the prompt: say so, and stop the lesson and
		 * every file that sourced it. */
		sh_error(s, "%s failed: %s (saw: %s)", what, buf_str(&text),
			 buf_str(&seen));
		for (struct play *q = p; q != NULL; q = q->outer)
			q->next = q->l.n;
	} else if (!ok && p->mode == PLAY_PRESENT) {
		buf_printf(&text, " (saw: %s)", buf_str(&seen));
		styled(s, SGR_RED, "not ok: ", buf_str(&text));
		ok = true;
	} else if (!ok) {
		sh_error(s, "%s failed: %s (saw: %s)", what, buf_str(&text),
			 buf_str(&seen));
		s->lesson_failed = true;
		session_shutdown(s, 0);
	}
	buf_free(&seen);
	buf_free(&text);
	return ok;
}

/* Do all the current exercise's goals hold? (Quietly.) */
static bool
goals_hold(struct session *s, struct play *p)
{
	for (size_t g = p->goals; g < p->l.n && p->l.v[g].kind != L_SOLUTION;
	     g++) {
		if (p->l.v[g].kind != L_GOAL)
			continue;
		struct buf seen = { 0 };
		bool ok = expect_holds(s, &p->l.v[g].x, &seen);
		buf_free(&seen);
		if (!ok)
			return false;
	}
	return true;
}

/* Present mode: past the exercise's solution, to the item after end. */
static void
leave_exercise(struct play *p)
{
	while (p->next < p->l.n && p->l.v[p->next].kind != L_END)
		p->next++;
	p->next++;
	p->exercise = false;
}

/* Present mode: what to do before the next item. True: wait for the
 * learner (the prompt shows, maybe with the command filled in). */
static bool
present_hold(struct session *s, struct play *p)
{
	const struct lesson_item *it = p->awaiting;

	if (it != NULL) {
		/* A fresh prompt (after Ctrl-C) shows the command again. */
		if (one_line(it) && !s->prompt_shown && s->prefill == NULL)
			s->prefill = xstrdup(it->text);
		return true;
	}
	if (!p->exercise)
		return false;
	if (!p->tried)
		return true;
	p->tried = false;
	if (!goals_hold(s, p))
		return true;
	styled(s, SGR_GREEN, "ok: ", "the goal is reached");
	leave_exercise(p);
	return false;
}

/* Present mode: shows command or Python IT at the prompt, to run on
 * Enter. */
static void
present_command(struct session *s, struct play *p, const struct lesson_item *it)
{
	p->awaiting = it;
	p->unchecked = p->unchecked_said = false;
	free(s->prefill);
	s->prefill = NULL;
	if (one_line(it)) {
		s->prefill = xstrdup(it->text);
		return;
	}
	/* A task or a Python block over several lines: shown above, defined
	 * or run on Enter. */
	echo_command(s, it->text);
	styled(s, SGR_BOLD, "-- ",
	       it->kind == L_PYTHON ? "press Enter to run it"
				    : "press Enter to define it");
}

/* skip: the solution is shown, not run, and the lesson moves on. */
static void
show_solution(struct session *s, struct play *p)
{
	size_t i = p->goals;

	while (i < p->l.n && p->l.v[i].kind != L_SOLUTION)
		i++;
	styled(s, SGR_BOLD, "-- ", "skipped; a solution would be:");
	for (i++; i < p->l.n && p->l.v[i].kind != L_END; i++) {
		if (runs(&p->l.v[i])) /* indented: not run */
			show_lines(s, p->l.v[i].text, "    ", "    ");
	}
}

/* hint: the exercise's hints, or a word that there is none. */
static void
show_hints(struct session *s, struct play *p)
{
	bool any = false;

	for (size_t i = p->goals;
	     i < p->l.n && p->l.v[i].kind != L_SOLUTION; i++)
		if (p->l.v[i].kind == L_HINT) {
			styled(s, SGR_BOLD, "hint: ", p->l.v[i].text);
			any = true;
		}
	if (!any)
		styled(s, SGR_BOLD, "-- ",
		       "this exercise has no hint; its goal is above");
}

/* Keeps, as commands, what again brings back: the variables as the
 * exercise finds them, and its semaphores (with their values),
 * conditions, barriers and queues (empty). */
static void
keep_setup(struct session *s, struct play *p)
{
	buf_reset(&p->setup);
	buf_puts(&p->setup, "reset\n");
	/* The scheduling the exercise began under (a learner's sched step
	 * is undone too). */
	if (s->sch.mode == SCHED_SEED)
		buf_printf(&p->setup, "sched seed %llu\n",
			   (unsigned long long)s->sch.seed);
	else
		buf_puts(&p->setup, s->sch.mode == SCHED_STEP ? "sched step\n"
							      : "sched free\n");
	for (size_t i = 0; i < s->vars.n; i++) {
		const struct var *v = &s->vars.v[i];
		int64_t x;
		if (!cell_get(v->cell, &x)) { /* never set: stays so */
			if (v->shared)
				buf_printf(&p->setup, "shared %s\n", v->name);
			continue;
		}
		buf_printf(&p->setup, "%s %s = %lld\n",
			   v->shared ? "shared" : "set", v->name, (long long)x);
	}
	for (size_t i = 0; i < sync_count(s->shm); i++) {
		struct sync_view o;
		sync_view(s->shm, (int)i, &o);
		buf_printf(&p->setup, "%s %s", sync_kind_name(o.kind), o.name);
		if (o.kind == SYNC_SEMAPHORE)
			buf_printf(&p->setup, " %lld", (long long)o.value);
		else if (o.kind == SYNC_CONDITION)
			buf_printf(&p->setup, " %s",
				   locks_name(&s->locks, o.lock));
		else /* a barrier's parties, a queue's cells (empty again) */
			buf_printf(&p->setup, " %lld", (long long)o.limit);
		buf_puts(&p->setup, "\n");
	}
}

/* again: every worker stopped and forgotten, the variables as the
 * exercise found them (the commands kept, handed to the shell in FEED). */
static void
start_over(struct session *s, struct play *p, struct play_feed *feed)
{
	styled(s, SGR_BOLD, "-- ",
	       "again: the workers are gone and the variables are as the "
	       "exercise found them");
	feed->text = buf_str(&p->setup);
	feed->line = 0;
	feed->python = false;
	p->tried = false;
}

/* The words a learner can say to an exercise. */
static bool
exercise_word(struct session *s, struct play *p, const char *line,
	      struct play_feed *feed)
{
	if (strcmp(line, "skip") == 0) {
		show_solution(s, p);
		leave_exercise(p);
	} else if (strcmp(line, "hint") == 0) {
		show_hints(s, p);
	} else if (strcmp(line, "again") == 0) {
		start_over(s, p, feed);
	} else {
		return false;
	}
	return true;
}

static bool
is_exercise_word(const char *line)
{
	return strcmp(line, "skip") == 0 || strcmp(line, "hint") == 0 ||
	       strcmp(line, "again") == 0;
}

bool
play_line(struct session *s, const char *line, struct play_feed *feed)
{
	struct play *p = s->play;
	const struct lesson_item *it;

	feed->text = NULL;
	feed->python = false;
	if (p == NULL || p->mode != PLAY_PRESENT)
		return false;
	if ((it = p->awaiting) != NULL) {
		if (it->kind == L_PAUSE && line[0] == '\0') {
			p->awaiting = NULL;
			return true;
		}
		if (runs(it) &&
		    (line[0] == '\0' || strcmp(line, it->text) == 0)) {
			p->awaiting = NULL;
			submit(it, feed);
			return true;
		}
		/* Something of the learner's own: it runs, and the lesson
		 * waits on, its command filled in again. */
		if (one_line(it)) {
			free(s->prefill);
			s->prefill = xstrdup(it->text);
		}
	} else if (p->exercise) {
		if (exercise_word(s, p, line, feed))
			return true;
		p->tried = true;
		return false;
	}
	if (!p->over && is_exercise_word(line)) {
		sh_error(s, "'%s' is for an exercise, and this is not one", line);
		return true;
	}
	return false;
}

bool
play_next(struct session *s, struct play_feed *feed)
{
	struct play *p = s->play;

	feed->text = NULL;
	feed->python = false;
	if (p == NULL || s->shutting_down)
		return false;
	if (p->mode == PLAY_PRESENT && present_hold(s, p))
		return false;
	while (p->next < p->l.n) {
		const struct lesson_item *it = &p->l.v[p->next];
		if (delay(s, p))
			return true;
		if ((it->kind == L_SAY || it->kind == L_PAUSE ||
		     it->kind == L_EXERCISE) &&
		    settle(s, p))
			return true;
		p->next++;
		switch (it->kind) {
		case L_COMMAND:
		case L_PYTHON:
			if (p->mode == PLAY_PRESENT) {
				present_command(s, p, it);
				return false;
			}
			if (p->mode == PLAY_AUTO)
				echo_command(s, it->text);
			submit(it, feed);
			return true;
		case L_SAY: styled(s, SGR_BOLD, "-- ", it->text); break;
		case L_PAUSE:
			if (p->mode != PLAY_PRESENT)
				break;
			styled(s, SGR_BOLD, "-- ", "press Enter to go on");
			p->awaiting = it;
			return false;
		case L_EXPECT:
			if (p->unchecked) {
				if (!p->unchecked_said)
					styled(s, SGR_BOLD, "-- ",
					       "Ctrl-C stopped the command: the "
					       "lesson does not check what it "
					       "did");
				p->unchecked_said = true;
				break;
			}
			if (!check(s, p, it, "expect"))
				return true;
			break;
		case L_EXERCISE:
			styled(s, SGR_BOLD, "exercise: ", it->text);
			p->goals = p->next;
			if (p->mode != PLAY_PRESENT)
				break;
			styled(s, SGR_BOLD, "-- ",
			       "your turn: type commands until the goal holds "
			       "(hint, again to start over, skip)");
			keep_setup(s, p);
			p->exercise = true;
			p->tried = false;
			return false;
		case L_GOAL:
		case L_HINT: break;
		case L_SOLUTION:
			if (p->mode == PLAY_AUTO)
				styled(s, SGR_BOLD, "-- ", "a solution:");
			break;
		case L_END:
			for (size_t g = p->goals; g < p->l.n; g++) {
				if (p->l.v[g].kind == L_SOLUTION)
					break;
				if (p->l.v[g].kind != L_GOAL)
					continue;
				if (!check(s, p, &p->l.v[g], "goal"))
					return true;
			}
			break;
		}
	}
	if (!p->over) {
		if (settle(s, p))
			return true;
		p->over = true;
		if (p->mode == PLAY_PRESENT)
			styled(s, SGR_BOLD, "-- ",
			       "the end of the lesson; the shell is yours");
		s->src_name = p->outer_name; /* back to the script's lines */
	}
	if (p->outer != NULL) { /* a nested source is done: on with its outer */
		pop(s);
		return play_next(s, feed);
	}
	return false;
}

void
play_command_interrupted(struct session *s)
{
	struct play *p = s->play;

	/* The lesson's own command: not one the learner typed in its place
	 * (the lesson's comes back) or in an exercise (its goals wait). */
	if (play_running(s) && p->mode == PLAY_PRESENT &&
	    p->awaiting == NULL && !p->exercise)
		p->unchecked = true;
}

void
play_interrupted(struct session *s)
{
	struct play *p = s->play;

	if (!play_running(s) || p->mode != PLAY_AUTO || s->shutting_down)
		return;
	styled(s, SGR_BOLD, "-- ", "Ctrl-C: the lesson stops here");
	p->next = p->l.n;
	p->over = true;
	s->src_name = p->outer_name;
}

bool
play_stop_source(struct session *s)
{
	struct play *p = s->play, *q;
	struct buf text = { 0 };

	if (!play_running(s) || p->mode != PLAY_CHECK)
		return false;
	for (q = p; q->outer != NULL; q = q->outer)
		;
	buf_printf(&text, "Ctrl-C: %s stops here", q->l.file);
	styled(s, SGR_BOLD, "-- ", buf_str(&text));
	buf_free(&text);
	s->src_name = q->outer_name;
	for (q = p; q != NULL; q = q->outer) {
		q->next = q->l.n;
		q->over = true;
	}
	return true;
}

bool
play_feeds_first(const struct session *s)
{
	return play_running(s) && s->play->mode != PLAY_PRESENT;
}

bool
play_running(const struct session *s)
{
	const struct play *p = s->play;

	return p != NULL && !p->over;
}
