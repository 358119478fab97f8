/*
 * cmd.c: the command table, lookup, argument counts and completion. Each
 * command lives in its own cmd-NAME.c and is known to the rest of weft only
 * through its cmd_entry here.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "help-topics.h"
#include "lesson.h"
#include "lex.h"
#include "pyrun.h"
#include "suggest.h"
#include "task.h"
#include "xmalloc.h"

static const struct cmd_entry *const table[] = {
	&cmd_spawn_entry,  &cmd_start_entry,  &cmd_join_entry,
	&cmd_ps_entry,	   &cmd_kill_entry,   &cmd_sleep_entry,
	&cmd_reset_entry,  &cmd_task_entry,   &cmd_tasks_entry,
	&cmd_show_entry,   &cmd_vars_entry,   &cmd_set_entry,
	&cmd_shared_entry, &cmd_locks_entry,  &cmd_semaphore_entry,
	&cmd_condition_entry, &cmd_barrier_entry, &cmd_queue_entry,
	&cmd_sync_entry, &cmd_sched_entry,
	&cmd_step_entry,   &cmd_run_entry,    &cmd_pause_entry,
	&cmd_pace_entry,   &cmd_trace_entry,  &cmd_record_entry,
	&cmd_lesson_entry, &cmd_source_entry, &cmd_timeline_entry,
	&cmd_export_entry, &cmd_pyattr_entry, &cmd_python_entry,
	&cmd_explore_entry, &cmd_replay_entry,
	&cmd_help_entry,
	&cmd_quit_entry,
};

size_t
cmd_count(void)
{
	return sizeof table / sizeof table[0];
}

const struct cmd_entry *
cmd_at(size_t i)
{
	return i < cmd_count() ? table[i] : NULL;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	for (size_t i = 0; i < cmd_count(); i++)
		if (strcmp(table[i]->name, name) == 0 ||
		    (table[i]->alias && strcmp(table[i]->alias, name) == 0))
			return table[i];
	return NULL;
}

int
cmd_exec(struct session *s, int argc, char **argv)
{
	const struct cmd_entry *c = cmd_find(argv[0]);
	int nargs = argc - 1;

	if (c == NULL) {
		struct buf hint = { 0 };
		if (!cmd_suggest(s, 'c', argv[0], &hint))
			buf_puts(&hint, " (try 'help')");
		sh_error(s, "unknown command '%s'%s", argv[0], buf_str(&hint));
		buf_free(&hint);
		return 1;
	}
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args)) {
		sh_error(s, "usage: %s", c->usage);
		return 1;
	}
	return c->exec(s, argc, argv);
}

struct worker *
cmd_worker(struct session *s, const char *name)
{
	struct worker *w = registry_find(&s->reg, name);

	if (w == NULL)
		cmd_no_such(s, 'w', name);
	return w;
}

struct worker *
cmd_worker_for(struct session *s, const char *name, enum worker_op op)
{
	struct worker *w = cmd_worker(s, name);
	char why[AST_NAME_MAX + 64];

	if (w != NULL && worker_refuse(w, op, why, sizeof why)) {
		sh_error(s, "%s", why);
		return NULL;
	}
	return w;
}

int
cmd_workers(struct session *s, int argc, char **argv, int first,
	    enum worker_op op, bool once, struct cmd_workers *l)
{
	size_t n0 = l->n;

	for (int i = first; i < argc; i++) {
		struct worker *w = cmd_worker_for(s, argv[i], op);
		size_t k = 0;
		if (w == NULL)
			goto refused;
		while (k < l->n && l->v[k] != w)
			k++;
		if (k < l->n && once) {
			sh_error(s, "'%s' is named twice", argv[i]);
			goto refused;
		}
		if (k < l->n)
			continue;
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = w;
	}
	return 0;
refused:
	l->n = n0;
	return -1;
}

int
cmd_hold(struct session *s, int argc, char **argv, enum worker_op op,
	 enum hold_override hold)
{
	struct cmd_workers l = { 0 };
	int rc = cmd_workers(s, argc, argv, 1, op, false, &l);

	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		l.v[i]->hold_over = hold;
		sched_apply(s, l.v[i]);
	}
	free(l.v);
	return rc < 0 ? 1 : 0;
}

char *
cmd_text(int argc, char **argv)
{
	struct buf b = { 0 };

	if (argc == 2 && strcmp(argv[0], "task") == 0)
		return xstrdup(argv[1]); /* the definition as typed */
	for (int i = 0; i < argc; i++) {
		if (i > 0)
			buf_puts(&b, " ");
		lex_quote(argv[i], false, &b);
	}
	char *text = xstrdup(buf_str(&b));
	buf_free(&b);
	return text;
}

/* Is TEXT a whole number from MIN to MAX, digits only (no sign, no
 * blank)? Its value goes to *OUT. */
static bool
number_in(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (text == NULL || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int
cmd_parse_number(const char *text, const char *what, const char *unit,
		 uint64_t min, uint64_t max, uint64_t *out, struct buf *why)
{
	if (number_in(text, min, max, out))
		return 0;
	buf_printf(why, "%s takes %s from %llu to %llu", what, unit,
		   (unsigned long long)min, (unsigned long long)max);
	if (text != NULL)
		buf_printf(why, ", not '%s'", text);
	return -1;
}

int
cmd_number(struct session *s, const char *text, const char *what,
	   const char *unit, uint64_t min, uint64_t max, uint64_t *out)
{
	struct buf why = { 0 };
	int rc = cmd_parse_number(text, what, unit, min, max, out, &why);

	if (rc < 0)
		sh_error(s, "%s", buf_str(&why));
	buf_free(&why);
	return rc;
}

struct list {
	char **v;
	size_t n;
	const char *prefix;
};

static void offer(struct list *l, const char *word);

/* Offers WORD unless it is offered already. */
static void
offer_once(struct list *l, const char *word)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], word) == 0)
			return;
	offer(l, word);
}

static void
offer(struct list *l, const char *word)
{
	if (strncmp(word, l->prefix, strlen(l->prefix)) != 0)
		return;
	l->v = xrealloc(l->v, (l->n + 2) * sizeof *l->v);
	l->v[l->n++] = xstrdup(word);
	l->v[l->n] = NULL;
}

/* Lessons by name and by number ("04", "race"). */
static void
offer_lessons(struct list *l)
{
	for (const char *const *d = lesson_dirs; *d != NULL; d++) {
		DIR *dir = opendir(*d);
		struct dirent *e;
		if (dir == NULL)
			continue;
		while ((e = readdir(dir)) != NULL) {
			const char *dash = strchr(e->d_name, '-');
			size_t n = strlen(e->d_name);
			if (dash == NULL || n < 6 ||
			    strcmp(e->d_name + n - 5, ".weft") != 0 ||
			    e->d_name[0] < '0' || e->d_name[0] > '9')
				continue;
			char num[8], name[NAME_MAX + 1];
			snprintf(num, sizeof num, "%.*s",
				 (int)(dash - e->d_name), e->d_name);
			snprintf(name, sizeof name, "%.*s",
				 (int)(n - 5 - (size_t)(dash - e->d_name) - 1),
				 dash + 1);
			offer_once(l, num);
			offer_once(l, name);
		}
		closedir(dir);
	}
}

/* File names: the entries of the prefix's directory that start with the
 * rest of it; a directory ends in '/', so completion can go on in it. */
static void
offer_files(struct list *l)
{
	const char *slash = strrchr(l->prefix, '/');
	char dir[PATH_MAX];
	const char *base = slash ? slash + 1 : l->prefix;
	DIR *d;
	struct dirent *e;

	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == l->prefix)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - l->prefix),
			 l->prefix);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct buf full = { 0 };
		struct stat st;
		if (strncmp(e->d_name, base, strlen(base)) != 0 ||
		    strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    (e->d_name[0] == '.' && base[0] != '.'))
			continue;
		buf_printf(&full, "%.*s%s", (int)(base - l->prefix), l->prefix,
			   e->d_name);
		if (stat(slash ? buf_str(&full) : e->d_name, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			buf_puts(&full, "/");
		offer(l, buf_str(&full));
		buf_free(&full);
	}
	closedir(d);
}

/* Offers every word of kind K (a letter of cmd_entry.words). */
static void
offer_kind(const struct session *s, struct list *l, char k)
{
	switch (k) {
	case 'c':
		for (size_t i = 0; i < cmd_count(); i++)
			offer(l, table[i]->name);
		break;
	case 'h':
		offer_kind(s, l, 'c');
		for (size_t i = 0; i < help_topic_count(); i++)
			offer_once(l, help_topic_at(i)->name);
		break;
	case 'a':
		offer(l, "all");
		offer_kind(s, l, 'w');
		break;
	case 'w':
		for (size_t i = 0; i < s->reg.n; i++)
			offer(l, s->reg.v[i]->name);
		break;
	case 'k':
		offer(l, "thread");
		offer(l, "process");
		offer(l, "node");
		break;
	case 't':
		for (size_t i = 0; i < s->tasks.n; i++)
			offer(l, s->tasks.v[i]->def->name);
		break;
	case 'v':
		for (size_t i = 0; i < s->vars.n; i++)
			offer(l, s->vars.v[i].name);
		break;
	case 'm':
		for (size_t i = 0; i < locks_count(&s->locks); i++)
			offer(l, locks_name(&s->locks, (int)i));
		break;
	case 's': offer(l, "task"); break;
	case 'l': offer_lessons(l); break;
	case 'f': offer_files(l); break;
	default: break;
	}
}

/* Offers each word of the space-separated list CHOICES. */
static void
offer_choices(struct list *l, const char *choices)
{
	char word[32];

	while (choices != NULL && *choices != '\0') {
		size_t n = strcspn(choices, " ");
		if (n > 0 && n < sizeof word) {
			memcpy(word, choices, n);
			word[n] = '\0';
			offer(l, word);
		}
		choices += n + (choices[n] == ' ');
	}
}

/* What word INDEX (0: the command name) of command CMD can be. */
static void
offer_for(const struct session *s, struct list *l, const char *cmd, int index)
{
	const struct cmd_entry *c = index > 0 ? cmd_find(cmd) : NULL;
	size_t n;

	if (index == 0) {
		offer_kind(s, l, 'c');
		return;
	}
	if (c == NULL || c->words == NULL || (n = strlen(c->words)) == 0)
		return;
	char k = '-';

	if ((size_t)index <= n && c->words[index - 1] != '*')
		k = c->words[index - 1];
	else if (n >= 2 && c->words[n - 1] == '*')
		k = c->words[n - 2];
	if (k == 'x')
		offer_choices(l, c->choices);
	else
		offer_kind(s, l, k);
}

char **
cmd_complete(const struct session *s, const char *line, size_t start,
	     const char *prefix)
{
	struct list l = { xcalloc(1, sizeof(char *)), 0, prefix };
	struct lex_result r;
	struct lex_error err;
	const char *from = line;

	/* Only the command the word is in counts: look after the last ';'. */
	for (size_t i = 0; i < start; i++)
		if (line[i] == ';')
			from = line + i + 1;
	if (lex_line(from, (size_t)(line + start - from), &r, &err) < 0)
		return l.v;
	if (r.n == 0)
		offer_for(s, &l, "", 0);
	else
		offer_for(s, &l, r.cmds[r.n - 1].argv[0], r.cmds[r.n - 1].argc);
	lex_free(&r);
	return l.v;
}

bool
cmd_suggest(const struct session *s, char k, const char *typed, struct buf *out)
{
	struct list l = { xcalloc(1, sizeof(char *)), 0, "" };
	struct suggest sg;

	if (k == 'c') /* no session needed: the table alone */
		for (size_t i = 0; i < cmd_count(); i++) {
			offer(&l, table[i]->name);
			if (table[i]->alias != NULL)
				offer(&l, table[i]->alias);
		}
	else
		offer_kind(s, &l, k);
	suggest_begin(&sg, typed);
	for (size_t i = 0; i < l.n; i++)
		suggest_offer(&sg, l.v[i]);
	bool said = suggest_say(&sg, out);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return said;
}

int
cmd_declare(struct session *s, const char *name, enum sync_kind kind,
	    int64_t n, const char *lock)
{
	char why[160];
	int l = -1;

	if (!lock_name_valid(name)) {
		sh_error(s, "invalid name '%.40s' (a letter or _, then letters, "
			    "digits or _, at most %d)",
			 name, AST_NAME_MAX);
		return 1;
	}
	if (locks_find(&s->locks, name) >= 0 ||
	    vars_find(&s->vars, name) >= 0) {
		sh_error(s, "'%s' is already a %s", name,
			 locks_find(&s->locks, name) >= 0 ? "lock"
							  : "variable");
		return 1;
	}
	if (lock != NULL) {
		int o = sync_find(s->shm, lock);
		if (!lock_name_valid(lock)) {
			sh_error(s, "invalid lock name '%.40s'", lock);
			return 1;
		}
		if (o >= 0 || vars_find(&s->vars, lock) >= 0) {
			sh_error(s, "'%s' is a %s, not a lock", lock,
				 o >= 0 ? sync_kind_name((enum sync_kind)s->shm
								->syncs[o]
								.kind)
					: "variable");
			return 1;
		}
		if (sync_find(s->shm, name) < 0 &&
		    (l = locks_intern(&s->locks, lock)) < 0) {
			sh_error(s, "cannot make lock '%s': there are %d locks "
				    "already",
				 lock, SHM_LOCKS);
			return 1;
		}
	}
	if (sync_make(s->shm, name, kind, n, l, why, sizeof why) < 0) {
		sh_error(s, "%s", why);
		return 1;
	}
	return 0;
}

int
cmd_check(int argc, char **argv, bool solution, char *why, size_t len)
{
	const struct cmd_entry *c = cmd_find(argv[0]);
	int words = argc - 1;
	struct buf hint = { 0 };

	if (c == NULL) {
		cmd_suggest(NULL, 'c', argv[0], &hint);
		snprintf(why, len, "unknown command '%s'%s", argv[0],
			 buf_str(&hint));
		buf_free(&hint);
		return -1;
	}
	if (solution && strcmp(c->name, "quit") == 0) {
		/* check mode would end with status 0, unchecked */
		snprintf(why, len,
			 "%s in a solution would end the lesson before its "
			 "goals are checked",
			 argv[0]);
		return -1;
	}
	if (words < c->min_args || (c->max_args >= 0 && words > c->max_args)) {
		snprintf(why, len, "usage: %s", c->usage);
		return -1;
	}
	return 0;
}

bool
cmd_python_line(struct session *s, const char *line, size_t len)
{
	size_t i = 0, w, after;
	char word[32];

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len || line[i] == '#' || line[i] == ';' || !pyrun_built() ||
	    !lex_plain(line, len))
		return false;
	for (w = i; w < len && line[w] != ' ' && line[w] != '\t' &&
		    line[w] != ';';
	     w++)
		;
	if (w - i < sizeof word) {
		memcpy(word, line + i, w - i);
		word[w - i] = '\0';
		if (cmd_find(word) != NULL)
			return false;
	}
	after = w;
	while (after < len && (line[after] == ' ' || line[after] == '\t'))
		after++;
	/* "nope; ps": weft's line of commands, its first mistyped, unless
	 * Python knows the name. Only a bare name can be a command's:
	 * "x=1; y=2" and "t1.start(); t2.start()" are Python's to judge. */
	if (after < len && line[after] == ';' && w - i < sizeof word &&
	    lex_name_valid(word, sizeof word - 1))
		return pyrun_known(s, word);
	char *text = xstrndup(line, len);
	bool py = pyrun_is_python(s, text);
	free(text);
	return py;
}

/* A lesson_python_fn: CTX is the session. */
static enum lesson_py
lang_python(void *ctx, const char *line, size_t len)
{
	struct session *s = ctx;
	size_t i = strspn(line, " \t"), n;
	char err[200];

	if (s->bridge || !cmd_python_line(s, line, len))
		return LPY_NO;
	n = strspn(line + i, "abcdefghijklmnopqrstuvwxyz"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
	if (n > 0 && i + n == len && !(line[i] >= '0' && line[i] <= '9')) {
		char *word = xstrndup(line + i, n);
		bool known = pyrun_known(s, word);
		free(word);
		if (!known)
			return LPY_NO;
	}
	char *text = xstrndup(line, len);
	int st = pyrun_block(s, text, err, sizeof err);
	free(text);
	return st == 0 ? LPY_BLOCK : LPY_LINE;
}

/* A lesson_compile_fn: CTX is the session. */
static int
lang_compile(void *ctx, const char *src, unsigned *line, char *why,
	     size_t len)
{
	return pyrun_compile(ctx, src, line, why, len);
}

struct lesson_lang
cmd_lang(struct session *s)
{
	struct lesson_lang lang = { .command = cmd_check };

	if (s != NULL) {
		lang.python = lang_python;
		lang.compile = lang_compile;
		lang.ctx = s;
	}
	return lang;
}

void
cmd_no_such(struct session *s, char k, const char *name)
{
	struct buf hint = { 0 };
	const char *noun = k == 'w'   ? "worker"
			   : k == 't' ? "task"
			   : k == 'v' ? "variable"
			   : k == 'm' ? "lock"
				      : "command";

	cmd_suggest(s, k, name, &hint);
	sh_error(s, "no %s named '%s'%s", noun, name, buf_str(&hint));
	buf_free(&hint);
}
