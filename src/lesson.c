/*
 * lesson.c: the lesson format. A lesson is the shell's own commands plus a
 * few directives, one a line:
 *
 *   # title: TEXT                 first line
 *   say TEXT                      narration
 *   pause                         wait for the teacher (present mode)
 *   expect output NAME = "TEXT"   NAME's output lines joined by spaces
 *   expect var X OP N             OP: = != < > <= >=
 *   expect state NAME = STATE
 *   expect before NAME "TEXT" NAME "TEXT"
 *   expect deadlock
 *   expect ran NAME TASK          NAME was started, running TASK
 *   expect locked NAME LOCK       NAME took LOCK (at least once)
 *   exercise TEXT / goal EXPECT... / hint TEXT... / solution /
 *       COMMANDS... / end
 *
 * The whole file is checked before anything runs: directives, the nesting
 * of exercises, and every command's name, word count and quoting.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ast.h"
#include "cmd.h"
#include "files.h"
#include "lesson.h"
#include "lex.h"
#include "python.h"
#include "session.h"
#include "xmalloc.h"

struct parser {
	const char *file;
	struct lesson *l;
	char *err;
	size_t errlen;
	unsigned line;
	int indent; /* blanks before the line's first word, for columns */
};

static int
bad(struct parser *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static struct lesson_item *
add(struct parser *p, enum lesson_kind kind, const char *text, size_t len)
{
	struct lesson *l = p->l;
	struct lesson_item *it;

	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	it = &l->v[l->n++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->line = p->line;
	it->text = text ? xstrndup(text, len) : NULL;
	return it;
}

static int
parse_op(const char *w, enum expect_op *op)
{
	static const char *const ops[] = { "=", "!=", "<", ">", "<=", ">=" };

	for (int i = 0; i < 6; i++)
		if (strcmp(w, ops[i]) == 0) {
			*op = (enum expect_op)i;
			return 0;
		}
	return -1;
}

static int
parse_state(const char *w)
{
	for (int st = WS_NEW; st <= WS_JOINED; st++)
		if (strcmp(w, worker_state_name((enum worker_state)st)) == 0)
			return st;
	return -1;
}

/* Parses the words of an expectation (after "expect" or "goal"). */
static int
parse_expect(struct parser *p, int argc, char **argv, struct expect *x)
{
	const char *k = argc > 0 ? argv[0] : "";
	char *end;

	memset(x, 0, sizeof *x);
	if (strcmp(k, "output") == 0 && argc == 4 &&
	    strcmp(argv[2], "=") == 0 && worker_name_valid(argv[1])) {
		x->kind = X_OUTPUT;
		x->a = xstrdup(argv[1]);
		x->text_a = xstrdup(argv[3]);
		return 0;
	}
	if (strcmp(k, "var") == 0 && argc == 4) {
		x->kind = X_VAR;
		if (parse_op(argv[2], &x->op) < 0)
			return bad(p,
				   "expect var: '%s' is not one of = != < > "
				   "<= >=",
				   argv[2]);
		errno = 0;
		x->n = strtoll(argv[3], &end, 10);
		if (errno || end == argv[3] || *end)
			return bad(p, "expect var: '%s' is not a number",
				   argv[3]);
		x->a = xstrdup(argv[1]);
		return 0;
	}
	if (strcmp(k, "state") == 0 && argc == 4 && strcmp(argv[2], "=") == 0) {
		x->kind = X_STATE;
		if ((x->state = parse_state(argv[3])) < 0)
			return bad(p,
				   "expect state: no state '%s' (new, running, "
				   "finished, killed, failed, joined)",
				   argv[3]);
		x->a = xstrdup(argv[1]);
		return 0;
	}
	if (strcmp(k, "before") == 0 && argc == 5) {
		x->kind = X_BEFORE;
		x->a = xstrdup(argv[1]);
		x->text_a = xstrdup(argv[2]);
		x->b = xstrdup(argv[3]);
		x->text_b = xstrdup(argv[4]);
		return 0;
	}
	if ((strcmp(k, "ran") == 0 || strcmp(k, "locked") == 0) &&
	    argc == 3 && worker_name_valid(argv[1])) {
		x->kind = k[0] == 'r' ? X_RAN : X_LOCKED;
		x->a = xstrdup(argv[1]);
		x->text_a = xstrdup(argv[2]);
		return 0;
	}
	if (strcmp(k, "deadlock") == 0 && argc == 1) {
		x->kind = X_DEADLOCK;
		return 0;
	}
	return bad(p,
		   "expect what? output NAME = \"TEXT\" | var X OP N | state "
		   "NAME = STATE | before NAME \"TEXT\" NAME \"TEXT\" | "
		   "ran NAME TASK | locked NAME LOCK | deadlock");
}

/* Says the command NAME is unknown, with the one it may have meant. */
static int
unknown_command(struct parser *p, const char *name)
{
	struct buf hint = { 0 };
	int st;

	cmd_suggest(NULL, 'c', name, &hint);
	st = bad(p, "unknown command '%s'%s", name, buf_str(&hint));
	buf_free(&hint);
	return st;
}

/* Checks a command line as the shell would lex and look it up; in an
 * exercise's SOLUTION, quit is refused too. */
static int
check_command(struct parser *p, const char *line, size_t len, bool solution)
{
	struct lex_result r;
	struct lex_error e;
	int st = 0;

	if (lex_line(line, len, &r, &e) < 0)
		return bad(p, "column %d: %s", e.col + p->indent, e.msg);
	for (size_t i = 0; st == 0 && i < r.n; i++) {
		const struct cmd_entry *c = cmd_find(r.cmds[i].argv[0]);
		int words = r.cmds[i].argc - 1;
		if (c == NULL)
			st = unknown_command(p, r.cmds[i].argv[0]);
		else if (solution && strcmp(c->name, "quit") == 0)
			/* check mode would end with status 0, unchecked */
			st = bad(p,
				 "%s in a solution would end the lesson "
				 "before its goals are checked",
				 r.cmds[i].argv[0]);
		else if (words < c->min_args ||
			 (c->max_args >= 0 && words > c->max_args))
			st = bad(p, "usage: %s", c->usage);
	}
	lex_free(&r);
	return st;
}

static bool
starts_word(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(line, word, n) == 0 &&
	       (len == n || line[n] == ' ' || line[n] == '\t');
}

/* Where the text after the first word begins. */
static const char *
rest_of(const char *line, size_t len, size_t *restlen)
{
	size_t i = 0;

	while (i < len && line[i] != ' ' && line[i] != '\t')
		i++;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*restlen = len - i;
	return line + i;
}

/* One directive or command line (LINE has no leading blanks). */
static int
parse_line(struct parser *p, const char *line, size_t len, int *block)
{
	/* block: 0 none, 1 in an exercise, 2 after its goal, 3 solution */
	struct lex_result r;
	struct lex_error e;
	size_t rl;
	const char *rest = rest_of(line, len, &rl);
	struct lesson_item *it;

	if (starts_word(line, len, "say"))
		return add(p, L_SAY, rest, rl), 0;
	if (len == 5 && memcmp(line, "pause", 5) == 0)
		return add(p, L_PAUSE, NULL, 0), 0;
	if (starts_word(line, len, "exercise")) {
		if (*block != 0)
			return bad(p, "an exercise inside an exercise (end the "
				      "first with 'end')");
		if (rl == 0)
			return bad(p,
				   "exercise: say what the learner is to do");
		*block = 1;
		return add(p, L_EXERCISE, rest, rl), 0;
	}
	if (starts_word(line, len, "hint")) {
		if (*block != 1 && *block != 2)
			return bad(p, "hint outside an exercise (before its "
				      "solution)");
		if (rl == 0)
			return bad(p, "hint: say what would help");
		return add(p, L_HINT, rest, rl), 0;
	}
	if (len == 8 && memcmp(line, "solution", 8) == 0) {
		if (*block != 2)
			return bad(p, *block == 1   ? "solution before any goal"
				      : *block == 3 ? "a second 'solution' in "
						      "the exercise"
						    : "solution outside an "
						      "exercise");
		*block = 3;
		return add(p, L_SOLUTION, NULL, 0), 0;
	}
	if (len == 3 && memcmp(line, "end", 3) == 0) {
		if (*block != 3)
			return bad(p, *block == 0 ? "end outside an exercise"
						  : "end before the exercise's "
						    "solution");
		*block = 0;
		return add(p, L_END, NULL, 0), 0;
	}
	bool goal = starts_word(line, len, "goal");
	if (goal || starts_word(line, len, "expect")) {
		if (goal && *block != 1 && *block != 2)
			return bad(p, "goal outside an exercise");
		if (lex_line(rest, rl, &r, &e) < 0)
			return bad(p, "column %d: %s",
				   e.col + (int)(rest - line) + p->indent,
				   e.msg);
		if (r.n != 1) {
			lex_free(&r);
			return bad(p, "%s takes one expectation",
				   goal ? "goal" : "expect");
		}
		it = add(p, goal ? L_GOAL : L_EXPECT, line, len);
		int st =
			parse_expect(p, r.cmds[0].argc, r.cmds[0].argv, &it->x);
		lex_free(&r);
		if (goal && st == 0)
			*block = 2;
		return st;
	}
	if (*block == 1 || *block == 2)
		return bad(p, "a command in an exercise goes after 'solution'");
	if (py_looks_like(line, len)) { /* the tutorial's own syntax */
		char **argv, why[200];
		if (py_translate(line, len, &argv, why, sizeof why) < 0)
			return bad(p, "%s", why);
		py_free(argv);
	} else if (check_command(p, line, len, *block == 3) < 0) {
		return -1;
	}
	add(p, L_COMMAND, line, len);
	return 0;
}

/* Adds a whole task definition, checked by the task language's parser
 * (errors as the shell gives them: LINE:COL within the definition). */
static int
add_task(struct parser *p, const char *text, size_t len, unsigned first)
{
	struct parse_error e;
	size_t used;
	struct task_def *def = parse_task(text, len, &used, &e);
	unsigned here = p->line;

	p->line = first;
	if (def == NULL) {
		bad(p, "%d:%d: %s", e.line, e.col, e.msg);
		p->line = here;
		return -1;
	}
	task_def_free(def);
	add(p, L_COMMAND, text, len);
	p->line = here;
	return 0;
}

static int parse(const char *file, const char *text, size_t len,
		 bool need_title, struct lesson *l, char *err, size_t errlen);

int
lesson_parse(const char *file, const char *text, size_t len, struct lesson *l,
	     char *err, size_t errlen)
{
	return parse(file, text, len, true, l, err, errlen);
}

static int
parse(const char *file, const char *text, size_t len, bool need_title,
      struct lesson *l, char *err, size_t errlen)
{
	struct parser p = { file, l, err, errlen, 0, 0 };
	const char *at = text, *end = text + len;
	int block = 0;
	struct buf task = { 0 };
	unsigned task_line = 0;

	memset(l, 0, sizeof *l);
	l->file = xstrdup(file);
	if (len > LESSON_MAX_BYTES) {
		p.line = 1;
		bad(&p, "a lesson is at most %d bytes", LESSON_MAX_BYTES);
		goto fail;
	}
	while (at < end) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t n = nl ? (size_t)(nl - at) : (size_t)(end - at);
		const char *line = at;
		p.line++;
		at = nl ? nl + 1 : end;
		if (memchr(line, '\0', n) != NULL) {
			bad(&p, "a NUL byte in the line");
			goto fail;
		}
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (task.len > 0) { /* inside a task definition */
			buf_add(&task, "\n", 1);
			buf_add(&task, line, n);
			if (parse_task_end(task.data, task.len) == task.len) {
				if (add_task(&p, task.data, task.len,
					     task_line) < 0)
					goto fail;
				buf_reset(&task);
			}
			continue;
		}
		p.indent = 0;
		while (n > 0 && (*line == ' ' || *line == '\t'))
			line++, n--, p.indent++;
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (p.line == 1 &&
		    (need_title ||
		     (n >= 8 && memcmp(line, "# title:", 8) == 0))) {
			if (n < 9 || memcmp(line, "# title:", 8) != 0) {
				bad(&p, "a lesson begins with '# title: TEXT'");
				goto fail;
			}
			size_t k = 8;
			while (k < n && line[k] == ' ')
				k++;
			l->title = xstrndup(line + k, n - k);
			continue;
		}
		if (n == 0 || line[0] == '#')
			continue;
		if (parse_starts_task(line, n)) {
			if (block == 1 || block == 2) {
				bad(&p, "a task in an exercise goes after "
					"'solution'");
				goto fail;
			}
			task_line = p.line;
			buf_add(&task, line, n);
			if (parse_task_end(task.data, task.len) == task.len) {
				if (add_task(&p, task.data, task.len,
					     task_line) < 0)
					goto fail;
				buf_reset(&task);
			} else if (parse_task_end(task.data, task.len) != 0) {
				bad(&p, "put the commands after a one-line "
					"task on a line of their own");
				goto fail;
			}
			continue;
		}
		if (parse_line(&p, line, n, &block) < 0)
			goto fail;
	}
	if (task.len > 0) {
		p.line = task_line;
		bad(&p, "task definition never closed");
		goto fail;
	}
	if (block != 0) {
		bad(&p, "the last exercise has no 'end'");
		goto fail;
	}
	if (need_title && l->title == NULL) {
		p.line = 1;
		bad(&p, "a lesson begins with '# title: TEXT'");
		goto fail;
	}
	buf_free(&task);
	return 0;
fail:
	buf_free(&task);
	lesson_free(l);
	return -1;
}

static int load(const char *file, bool need_title, struct lesson *l, char *err,
		size_t errlen);

int
lesson_load(const char *file, struct lesson *l, char *err, size_t errlen)
{
	return load(file, true, l, err, errlen);
}

int
lesson_load_script(const char *file, struct lesson *l, char *err, size_t errlen)
{
	return load(file, false, l, err, errlen);
}

static int
load(const char *file, bool need_title, struct lesson *l, char *err,
     size_t errlen)
{
	struct buf b = { 0 };
	char chunk[8192];
	ssize_t n;
	char why[128];
	int fd = file_open_read(file, why, sizeof why);

	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", file, why);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0 &&
	       b.len <= LESSON_MAX_BYTES)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", file,
			 strerror(errno));
		buf_free(&b);
		return -1;
	}
	int st = parse(file, b.data ? b.data : "", b.len, need_title, l, err,
		       errlen);
	buf_free(&b);
	return st;
}

static void
expect_free(struct expect *x)
{
	free(x->a);
	free(x->text_a);
	free(x->b);
	free(x->text_b);
}

void
lesson_free(struct lesson *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].text);
		expect_free(&l->v[i].x);
	}
	free(l->v);
	free(l->file);
	free(l->title);
	memset(l, 0, sizeof *l);
}

/* Expectations */

static const char *const op_names[] = { "=", "!=", "<", ">", "<=", ">=" };

void
expect_format(const struct expect *x, struct buf *out)
{
	switch (x->kind) {
	case X_OUTPUT:
		buf_printf(out, "output %s = ", x->a);
		lex_quote(x->text_a, true, out);
		break;
	case X_VAR:
		buf_printf(out, "var %s %s %lld", x->a, op_names[x->op],
			   (long long)x->n);
		break;
	case X_STATE:
		buf_printf(out, "state %s = %s", x->a,
			   worker_state_name((enum worker_state)x->state));
		break;
	case X_BEFORE:
		buf_printf(out, "before %s ", x->a);
		lex_quote(x->text_a, true, out);
		buf_printf(out, " %s ", x->b);
		lex_quote(x->text_b, true, out);
		break;
	case X_DEADLOCK: buf_puts(out, "deadlock"); break;
	case X_RAN: buf_printf(out, "ran %s %s", x->a, x->text_a); break;
	case X_LOCKED:
		buf_printf(out, "locked %s %s", x->a, x->text_a);
		break;
	}
}

static bool
compare(int64_t v, enum expect_op op, int64_t n)
{
	switch (op) {
	case XOP_EQ: return v == n;
	case XOP_NE: return v != n;
	case XOP_LT: return v < n;
	case XOP_GT: return v > n;
	case XOP_LE: return v <= n;
	default: return v >= n;
	}
}

/* The sequence number of W's first output line TEXT, or 0. */
static uint64_t
first_seen(const struct worker *w, const char *text)
{
	for (size_t i = 0; i < w->log.n; i++)
		if (strcmp(w->log.lines[i], text) == 0)
			return w->log.seq[i];
	return 0;
}

bool
expect_holds(struct session *s, const struct expect *x, struct buf *seen)
{
	struct worker *w = NULL, *w2 = NULL;
	int v;

	if (x->kind == X_OUTPUT || x->kind == X_STATE || x->kind == X_BEFORE ||
	    x->kind == X_RAN || x->kind == X_LOCKED) {
		w = registry_find(&s->reg, x->a);
		w2 = x->b ? registry_find(&s->reg, x->b) : NULL;
		if (w == NULL || (x->b && w2 == NULL)) {
			buf_printf(seen, "no worker named '%s'",
				   w == NULL ? x->a : x->b);
			cmd_suggest(s, 'w', w == NULL ? x->a : x->b, seen);
			return false;
		}
	}
	switch (x->kind) {
	case X_OUTPUT: {
		struct buf all = { 0 };
		for (size_t i = 0; i < w->log.n; i++)
			buf_printf(&all, "%s%s", i ? " " : "", w->log.lines[i]);
		/* What was not kept makes the whole output longer than this. */
		bool ok = !w->log.full && strcmp(buf_str(&all), x->text_a) == 0;
		buf_printf(seen, "output of %s is \"%s%s\"", w->name,
			   buf_str(&all), w->log.full ? " ..." : "");
		buf_free(&all);
		return ok;
	}
	case X_VAR:
		if ((v = vars_find(&s->vars, x->a)) < 0) {
			buf_printf(seen, "no variable named '%s'", x->a);
			cmd_suggest(s, 'v', x->a, seen);
			return false;
		}
		int64_t val;
		if (!cell_get(s->vars.v[v].cell, &val)) {
			buf_printf(seen, "'%s' is not set", x->a);
			return false;
		}
		buf_printf(seen, "%s = %lld", x->a, (long long)val);
		return compare(val, x->op, x->n);
	case X_STATE:
		buf_printf(seen, "%s is %s", w->name,
			   worker_state_name(w->state));
		return (int)w->state == x->state;
	case X_BEFORE: {
		uint64_t a = first_seen(w, x->text_a);
		uint64_t b = first_seen(w2, x->text_b);
		if (a == 0 || b == 0) {
			buf_printf(seen, "%s never printed \"%s\"",
				   a == 0 ? w->name : w2->name,
				   a == 0 ? x->text_a : x->text_b);
			return false;
		}
		buf_printf(seen, "%s \"%s\" came %s %s \"%s\"", w->name,
			   x->text_a, a < b ? "before" : "after", w2->name,
			   x->text_b);
		return a < b;
	}
	case X_RAN:
		if (w->state == WS_NEW) {
			buf_printf(seen, "%s was never started", w->name);
			return false;
		}
		buf_printf(seen, "%s ran %s", w->name, w->task->def->name);
		return strcmp(w->task->def->name, x->text_a) == 0;
	case X_LOCKED: {
		int l = locks_find(&s->locks, x->text_a);
		const struct shm_gate *g = &s->shm->gates[w->slot];
		bool took = w->state != WS_NEW && l >= 0 &&
			    (atomic_load(&g->took[l / 64]) >> (l % 64) & 1);
		buf_printf(seen, "%s %s %s", w->name,
			   took ? "took" : "never took", x->text_a);
		return took;
	}
	case X_DEADLOCK:
		buf_puts(seen, s->deadlocks > 0 ? "a deadlock was reported"
						: "no deadlock was reported");
		return s->deadlocks > 0;
	}
	return false;
}

/* Finding lessons */

const char *const lesson_dirs[] = { LESSONDIR, SRCLESSONDIR, NULL };

/* The number of a lesson file name "NN-name.weft", or -1. */
static int
lesson_number(const char *base, const char **name, size_t *namelen)
{
	size_t n = strlen(base);
	int num = 0, digits = 0;

	if (n < 6 || strcmp(base + n - 5, ".weft") != 0)
		return -1;
	while (base[digits] >= '0' && base[digits] <= '9' && digits < 4)
		num = num * 10 + (base[digits++] - '0');
	if (digits == 0 || base[digits] != '-')
		return -1;
	*name = base + digits + 1;
	*namelen = n - 5 - (size_t)digits - 1;
	return num;
}

static bool
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *
lesson_find(const char *name, const char *const *dirs)
{
	int want = -1;
	char *end;

	if (strchr(name, '/') != NULL || is_file(name))
		return is_file(name) ? xstrdup(name) : NULL;
	if (name[0] >= '0' && name[0] <= '9') {
		long v = strtol(name, &end, 10);
		if (*end == '\0' && v >= 0 && v < 10000)
			want = (int)v;
	}
	for (; *dirs != NULL; dirs++) {
		DIR *d = opendir(*dirs);
		struct dirent *e;
		char *found = NULL;
		if (d == NULL)
			continue;
		while (found == NULL && (e = readdir(d)) != NULL) {
			const char *nm;
			size_t nl;
			int num = lesson_number(e->d_name, &nm, &nl);
			if (num < 0)
				continue;
			size_t stem = strlen(e->d_name) - 5;
			if (num == want ||
			    (strlen(name) == nl && memcmp(nm, name, nl) == 0) ||
			    (strlen(name) == stem &&
			     strncmp(e->d_name, name, stem) == 0)) {
				struct buf b = { 0 };
				buf_printf(&b, "%s/%s", *dirs, e->d_name);
				found = xstrdup(buf_str(&b));
				buf_free(&b);
			}
		}
		closedir(d);
		if (found != NULL)
			return found;
	}
	return NULL;
}

struct found {
	int num;
	char *path;
};

static int
by_number(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return x->num != y->num ? (x->num > y->num) - (x->num < y->num)
				: strcmp(x->path, y->path);
}

size_t
lesson_list(const char *const *dirs, struct buf *out)
{
	struct found *v = NULL;
	size_t n = 0;

	for (; *dirs != NULL; dirs++) {
		DIR *d = opendir(*dirs);
		struct dirent *e;
		size_t before = n; /* numbers of earlier directories win */
		if (d == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			const char *nm;
			size_t nl;
			int num = lesson_number(e->d_name, &nm, &nl);
			bool dup = false;
			if (num < 0)
				continue;
			for (size_t i = 0; i < before; i++)
				dup |= v[i].num == num;
			if (dup)
				continue;
			struct buf b = { 0 };
			buf_printf(&b, "%s/%s", *dirs, e->d_name);
			v = xrealloc(v, (n + 1) * sizeof *v);
			v[n].num = num;
			v[n++].path = xstrdup(buf_str(&b));
			buf_free(&b);
		}
		closedir(d);
	}
	if (n > 0) /* qsort must not see a NULL array */
		qsort(v, n, sizeof *v, by_number);
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(v[i].path, '/') + 1, *nm;
		size_t nl;
		struct lesson l;
		char err[256];
		lesson_number(base, &nm, &nl);
		buf_printf(out, "%02d  %-20.*s ", v[i].num, (int)nl, nm);
		if (lesson_load(v[i].path, &l, err, sizeof err) == 0) {
			buf_add_visible(out, l.title, strlen(l.title));
			buf_puts(out, "\n");
			lesson_free(&l);
		} else {
			buf_printf(out, "(cannot be played: %s)\n", err);
		}
		free(v[i].path);
	}
	free(v);
	return n;
}
