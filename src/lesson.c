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
 * Any other line is a command, or Python (as the caller's lesson_lang
 * says): a statement, or a block gathered over the lines that go on it.
 * The whole file is checked before anything runs: directives, the nesting
 * of exercises, every command's name, word count and quoting, and the
 * Python compiled.
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
#include "files.h"
#include "gather.h"
#include "lesson.h"
#include "lex.h"
#include "python.h"
#include "worker.h"
#include "xmalloc.h"

struct parser {
	const char *file;
	struct lesson *l;
	char *err;
	size_t errlen;
	unsigned line;
	int indent; /* blanks before the line's first word, for columns */
	const struct lesson_lang *lang; /* the caller's checks of a line */
	bool need_title;		/* a lesson, not a script */
	int block; /* 0 none, 1 in an exercise, 2 after its goal, 3 solution */
	struct gather task; /* a task definition being gathered */
	/* A Python block being gathered, its lines as written, from line
	 * py_first (0: none); py_blank blank lines after it, which are its
	 * own only when a line of it follows them. */
	struct buf py;
	unsigned py_first, py_blank;
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

/* The comparisons of `expect var`, in the order of enum expect_op. */
static const char *const op_names[] = { "=", "!=", "<", ">", "<=", ">=" };

static int
parse_op(const char *w, enum expect_op *op)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(w, op_names[i]) == 0) {
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

/* Writes what is wrong in ERR; returns -1. */
static int __attribute__((format(printf, 3, 4)))
say(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int
expect_parse(int argc, char **argv, struct expect *x, char *err, size_t len)
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
			return say(err, len,
				   "expect var: '%s' is not one of = != < > "
				   "<= >=",
				   argv[2]);
		errno = 0;
		x->n = strtoll(argv[3], &end, 10);
		if (errno || end == argv[3] || *end)
			return say(err, len, "expect var: '%s' is not a number",
				   argv[3]);
		x->a = xstrdup(argv[1]);
		return 0;
	}
	if (strcmp(k, "state") == 0 && argc == 4 && strcmp(argv[2], "=") == 0) {
		x->kind = X_STATE;
		if ((x->state = parse_state(argv[3])) < 0)
			return say(err, len,
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
	if (strcmp(k, "explore") == 0 && argc == 3 &&
	    strcmp(argv[1], "=") == 0) {
		x->kind = X_EXPLORE;
		x->text_a = xstrdup(argv[2]);
		return 0;
	}
	return say(err, len,
		   "expect what? output NAME = \"TEXT\" | var X OP N | state "
		   "NAME = STATE | before NAME \"TEXT\" NAME \"TEXT\" | "
		   "ran NAME TASK | locked NAME LOCK | deadlock | explore = "
		   "violation|none|SCHEDULE");
}

/* Parses the words of an expectation (after "expect" or "goal"). */
static int
parse_expect(struct parser *p, int argc, char **argv, struct expect *x)
{
	char why[256];

	if (expect_parse(argc, argv, x, why, sizeof why) < 0)
		return bad(p, "%s", why);
	return 0;
}

/* Checks a command line as the shell would lex it, and each command as
 * the caller checks it (in an exercise's SOLUTION, quit is refused too). */
static int
check_command(struct parser *p, const char *line, size_t len, bool solution)
{
	struct lex_result r;
	struct lex_error e;
	char why[256];
	int st = 0;

	if (lex_line(line, len, &r, &e) < 0)
		return bad(p, "column %d: %s", e.col + p->indent, e.msg);
	for (size_t i = 0; st == 0 && i < r.n; i++)
		if (p->lang->command(r.cmds[i].argc, r.cmds[i].argv, solution,
				     why, sizeof why) < 0)
			st = bad(p, "%s", why);
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

/* Adds the Python statement or block gathered in P->py, begun on line
 * P->py_first, once compiled (a syntax error is named on its own line of
 * the file), and empties the gatherer. */
static int
add_python(struct parser *p)
{
	const struct lesson_lang *lang = p->lang;
	unsigned here = p->line, at = 0;
	char why[256];
	int st = 0;

	p->line = p->py_first;
	if (lang->compile != NULL) {
		/* Each line ends with a newline, as the prompt's do. */
		buf_puts(&p->py, "\n");
		st = lang->compile(lang->ctx, buf_str(&p->py), &at, why,
				   sizeof why);
		p->py.len--;
	}
	if (st < 0) {
		p->line += at > 0 ? at - 1 : 0;
		bad(p, "%s", why);
	} else {
		add(p, L_PYTHON, p->py.data, p->py.len);
	}
	p->line = here;
	buf_reset(&p->py);
	p->py_first = p->py_blank = 0;
	return st;
}

/* LINE (LEN bytes, as written) goes on the Python block being gathered;
 * blank lines wait to see whether more of it follows. */
static void
python_more(struct parser *p, const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len) {
		p->py_blank++;
		return;
	}
	for (; p->py_blank > 0; p->py_blank--)
		buf_puts(&p->py, "\n");
	buf_puts(&p->py, "\n");
	buf_add(&p->py, line, len);
}

/* A line of Python (LEN bytes, as written): a statement, added, or the
 * first line of a block (WHAT), gathered with the lines that go on it. */
static int
python_line(struct parser *p, const char *line, size_t len,
	    enum lesson_py what)
{
	buf_reset(&p->py);
	buf_add(&p->py, line, len);
	p->py_first = p->line;
	p->py_blank = 0;
	return what == LPY_BLOCK ? 0 : add_python(p);
}

/* One directive or command line (LINE has no leading blanks). */
static int
parse_line(struct parser *p, const char *line, size_t len)
{
	int *block = &p->block;
	struct lex_result r;
	struct lex_error e;
	size_t rl;
	const char *rest = rest_of(line, len, &rl);
	struct lesson_item *it;

	if (starts_word(line, len, "say")) {
		/* One blank ends the word; more are the text's own
		 * indentation (a line of code quoted). */
		size_t at = len > 3 ? 4 : 3;
		return add(p, L_SAY, line + at, len - at), 0;
	}
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
	/* Python is asked about the line as written, its indentation too. */
	enum lesson_py py =
		p->lang->python == NULL
			? LPY_NO
			: p->lang->python(p->lang->ctx, line - p->indent,
					  len + (size_t)p->indent);
	if (py != LPY_NO)
		return python_line(p, line - p->indent,
				   len + (size_t)p->indent, py);
	if (py_looks_like(line, len)) { /* the tutorial's own syntax */
		char **argv, why[200];
		if (py_translate(line, len, &argv, why, sizeof why) < 0)
			return bad(p, "%s", why);
		py_free(argv);
	} else if (check_command(p, line, len, p->block == 3) < 0) {
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

/* A line of a task definition (its first when none is being gathered):
 * the definition is added once it is closed, and nothing may follow its
 * last '}' on that line. */
static int
task_line(struct parser *p, const char *line, size_t len)
{
	struct gather *g = &p->task;
	bool first = !gather_open(g);
	size_t end;

	if (first && (p->block == 1 || p->block == 2))
		return bad(p, "a task in an exercise goes after 'solution'");
	if ((end = gather_add(g, line, len, p->line)) == 0)
		return 0;
	if (end != g->text.len)
		return bad(p, first ? "put the commands after a one-line task "
				      "on a line of their own"
				    : "put the commands after a task's last "
				      "'}' on a line of their own");
	int st = add_task(p, g->text.data, g->text.len, g->first);
	gather_reset(g);
	return st;
}

/* The title line, "# title: TEXT" (optional in a script). Returns 1 when
 * LINE is it, 0 when it is not, -1 when a lesson lacks it. */
static int
title_line(struct parser *p, const char *line, size_t n)
{
	bool titled = n >= 8 && memcmp(line, "# title:", 8) == 0;

	if (p->line != 1 || (!p->need_title && !titled))
		return 0;
	if (n < 9 || !titled)
		return bad(p, "a lesson begins with '# title: TEXT'");
	size_t k = 8;
	while (k < n && line[k] == ' ')
		k++;
	p->l->title = xstrndup(line + k, n - k);
	return 1;
}

/* One line of the file (N bytes, no newline), whatever it is. */
static int
one_line(struct parser *p, const char *line, size_t n)
{
	int st;

	if (memchr(line, '\0', n) != NULL)
		return bad(p, "a NUL byte in the line");
	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (gather_open(&p->task)) /* inside a task definition */
		return task_line(p, line, n);
	if (p->py_first != 0) { /* inside a Python block */
		if (gather_goes_on(line, n)) {
			python_more(p, line, n);
			return 0;
		}
		if (add_python(p) < 0)
			return -1;
	}
	p->indent = 0;
	while (n > 0 && (*line == ' ' || *line == '\t'))
		line++, n--, p->indent++;
	while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if ((st = title_line(p, line, n)) != 0)
		return st < 0 ? -1 : 0;
	if (n == 0 || line[0] == '#')
		return 0;
	if (parse_starts_task(line, n))
		return task_line(p, line, n);
	return parse_line(p, line, n);
}

/* What must hold once the whole file is read. */
static int
at_end(struct parser *p)
{
	if (p->py_first != 0 && add_python(p) < 0)
		return -1;
	if (gather_open(&p->task)) {
		p->line = p->task.first;
		return bad(p, "task definition never closed");
	}
	if (p->block != 0)
		return bad(p, "the last exercise has no 'end'");
	if (p->need_title && p->l->title == NULL) {
		p->line = 1;
		return bad(p, "a lesson begins with '# title: TEXT'");
	}
	return 0;
}

static int
parse(const char *file, const char *text, size_t len, bool need_title,
      const struct lesson_lang *lang, struct lesson *l, char *err,
      size_t errlen)
{
	struct parser p = { .file = file,
			    .l = l,
			    .err = err,
			    .errlen = errlen,
			    .lang = lang,
			    .need_title = need_title };
	const char *at = text, *end = text + len;
	int st = 0;

	memset(l, 0, sizeof *l);
	l->file = xstrdup(file);
	if (len > LESSON_MAX_BYTES) {
		p.line = 1;
		st = bad(&p, "a lesson is at most %d bytes", LESSON_MAX_BYTES);
	}
	while (st == 0 && at < end) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		size_t n = nl ? (size_t)(nl - at) : (size_t)(end - at);
		const char *line = at;
		p.line++;
		at = nl ? nl + 1 : end;
		st = one_line(&p, line, n);
	}
	if (st == 0)
		st = at_end(&p);
	gather_free(&p.task);
	buf_free(&p.py);
	if (st < 0)
		lesson_free(l);
	return st;
}

int
lesson_parse(const char *file, const char *text, size_t len,
	     const struct lesson_lang *lang, struct lesson *l, char *err,
	     size_t errlen)
{
	return parse(file, text, len, true, lang, l, err, errlen);
}

static int
load(const char *file, bool need_title, const struct lesson_lang *lang,
     struct lesson *l, char *err, size_t errlen)
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
	int st = parse(file, b.data ? b.data : "", b.len, need_title, lang, l,
		       err, errlen);
	buf_free(&b);
	return st;
}

int
lesson_load(const char *file, const struct lesson_lang *lang, struct lesson *l,
	    char *err, size_t errlen)
{
	return load(file, true, lang, l, err, errlen);
}

int
lesson_load_script(const char *file, const struct lesson_lang *lang,
		   struct lesson *l, char *err, size_t errlen)
{
	return load(file, false, lang, l, err, errlen);
}

void
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
	case X_EXPLORE:
		buf_puts(out, "explore = ");
		if (strcmp(x->text_a, "violation") == 0 ||
		    strcmp(x->text_a, "none") == 0)
			buf_puts(out, x->text_a);
		else
			lex_quote(x->text_a, true, out);
		break;
	case X_RAN: buf_printf(out, "ran %s %s", x->a, x->text_a); break;
	case X_LOCKED:
		buf_printf(out, "locked %s %s", x->a, x->text_a);
		break;
	}
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
lesson_list(const char *const *dirs, const struct lesson_lang *lang,
	    struct buf *out)
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
		if (lesson_load(v[i].path, lang, &l, err, sizeof err) == 0) {
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
