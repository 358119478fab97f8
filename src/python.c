/*
 * python.c: the Python bridge, a translator from one line of the Python
 * tutorial's syntax to the words of one native command. The line is cut
 * into tokens (names, numbers, strings, punctuation; brackets checked as
 * Python's tokenizer does), then a small recursive descent reads the few
 * statement shapes the tutorial uses. Errors keep Python's meaning in weft's
 * words; each is one line, and the first one found is the one reported.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "python.h"
#include "suggest.h"
#include "xmalloc.h"

#define PY_MAX_TIMEOUT_S 86400 /* join's own limit, in seconds */
#define PY_MAX_DEPTH 32	       /* brackets open at once */
#define PY_SHOW 24	       /* bytes of a token quoted in an error */
#define PY_QUEUE_MAX 1024      /* Queue() unbounded: weft's largest queue */

enum tok_kind { T_NAME, T_NUM, T_STR, T_OP, T_END };

struct tok {
	enum tok_kind kind;
	const char *p; /* its text in the line */
	size_t len;
	int col; /* 1-based */
};

struct py {
	struct tok *t; /* n tokens, then one T_END */
	size_t n, i;   /* i: the next token to read */
	char *err;
	size_t errlen;
	char **argv; /* argc words so far, then NULL */
	size_t argc;
};

/* A token's text for "%.*s". */
#define TXT(t) (int)(t)->len, (t)->p

static const char *const methods[] = { "start", "join",	     "is_alive",
				       "run",	"terminate", "kill" };
static const char *const attrs[] = { "name", "pid", "exitcode" };

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident(char c)
{
	return is_ident_start(c) || is_digit(c);
}

static bool
text_is(const char *p, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(p, word, len) == 0;
}

static bool
is_op(const struct tok *t, const char *op)
{
	return t->kind == T_OP && text_is(t->p, t->len, op);
}

static bool
is_name(const struct tok *t, const char *name)
{
	return t->kind == T_NAME && text_is(t->p, t->len, name);
}

static bool
name_in(const struct tok *t, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_name(t, set[i]))
			return true;
	return false;
}

static int
fail(struct py *p, const char *fmt, ...)
{
	va_list ap;

	if (p->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Writes "; did you mean 'NAME'?" into HINT (SIZE bytes) when token T
 * most likely meant one of the N names of SET, else ""; returns HINT. */
static const char *
did_you_mean(const struct tok *t, const char *const *set, size_t n, char *hint,
	     size_t size)
{
	char typed[SUGGEST_MAX_LEN + 1];
	struct suggest sg;
	const char *best;

	hint[0] = '\0';
	if (t->len >= sizeof typed)
		return hint;
	memcpy(typed, t->p, t->len);
	typed[t->len] = '\0';
	suggest_begin(&sg, typed);
	for (size_t i = 0; i < n; i++)
		suggest_offer(&sg, set[i]);
	if ((best = suggest_result(&sg)) != NULL)
		snprintf(hint, size, "; did you mean '%s'?", best);
	return hint;
}

static const struct tok *
peek(const struct py *p)
{
	return &p->t[p->i];
}

/* Reports the token at the cursor as out of place; returns -1. */
static int
unexpected(struct py *p)
{
	const struct tok *t = peek(p);
	int n = t->len > PY_SHOW ? PY_SHOW : (int)t->len;

	if (t->kind == T_END)
		return fail(p, "unexpected end of line");
	return fail(p, "unexpected '%.*s%s' at column %d", n, t->p,
		    t->len > PY_SHOW ? "..." : "", t->col);
}

static bool
accept(struct py *p, const char *op)
{
	if (!is_op(peek(p), op))
		return false;
	p->i++;
	return true;
}

static int
expect(struct py *p, const char *op)
{
	return accept(p, op) ? 0 : unexpected(p);
}

/* The statement must end here. */
static int
end(struct py *p)
{
	return peek(p)->kind == T_END ? 0 : unexpected(p);
}

static void
push(struct py *p, char *word)
{
	p->argv = xrealloc(p->argv, (p->argc + 2) * sizeof *p->argv);
	p->argv[p->argc++] = word;
	p->argv[p->argc] = NULL;
}

static void
push_tok(struct py *p, const struct tok *t)
{
	push(p, xstrndup(t->p, t->len));
}

/* Checks bracket C at column COL against those open in OPEN[*DEPTH]. */
static int
bracket(struct py *p, char c, int col, char *open, int *opencol, int *depth)
{
	static const char opens[] = "([{", closes[] = ")]}";
	char want;

	if (strchr(opens, c) != NULL) {
		if (*depth == PY_MAX_DEPTH)
			return fail(p, "too many nested brackets at column %d",
				    col);
		open[*depth] = c;
		opencol[(*depth)++] = col;
	} else if (strchr(closes, c) != NULL) {
		if (*depth == 0)
			return fail(p, "unmatched '%c' at column %d", c, col);
		want = closes[strchr(opens, open[*depth - 1]) - opens];
		if (c != want)
			return fail(
				p,
				"closing parenthesis '%c' at column %d does "
				"not match opening parenthesis '%c' at "
				"column %d",
				c, col, open[*depth - 1], opencol[*depth - 1]);
		(*depth)--;
	}
	return 0;
}

/* Cuts LINE into P's tokens; a '#' outside a string ends it. */
static int
tokenize(struct py *p, const char *line, size_t len)
{
	char open[PY_MAX_DEPTH];
	int opencol[PY_MAX_DEPTH], depth = 0;
	size_t i = 0;

	p->t = xmalloc((len + 1) * sizeof *p->t);
	while (i < len && line[i] != '#') {
		struct tok *t = &p->t[p->n];
		char c = line[i];
		size_t j = i + 1;

		if (is_blank(c)) {
			i++;
			continue;
		}
		*t = (struct tok){ T_OP, line + i, 0, (int)i + 1 };
		if (is_ident_start(c)) {
			while (j < len && is_ident(line[j]))
				j++;
			t->kind = T_NAME;
		} else if (is_digit(c) ||
			   (c == '.' && j < len && is_digit(line[j]))) {
			/* Malformed numbers (1e3, 0x1, 2.0.1) are one token,
			 * refused where a number is read. */
			while (j < len && (is_ident(line[j]) || line[j] == '.'))
				j++;
			t->kind = T_NUM;
		} else if (c == '"' || c == '\'') {
			while (j < len && line[j] != c)
				j += line[j] == '\\' ? 2 : 1;
			if (j >= len)
				return fail(p,
					    "unterminated string literal at "
					    "column %d",
					    t->col);
			j++;
			t->kind = T_STR;
		} else if (c == ';') {
			return fail(p,
				    "one statement a line: ';' at column %d is "
				    "not supported here",
				    t->col);
		} else if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e) {
			return fail(p, "unexpected character at column %d",
				    t->col);
		} else if (c == '=' && j < len && line[j] == '=') {
			j++;
		} else if (bracket(p, c, t->col, open, opencol, &depth) < 0) {
			return -1;
		}
		t->len = j - i;
		p->n++;
		i = j;
	}
	if (depth > 0)
		return fail(p, "'%c' at column %d was never closed",
			    open[depth - 1], opencol[depth - 1]);
	p->t[p->n] = (struct tok){ T_END, line + len, 0, (int)len + 1 };
	return 0;
}

/* Returns the value of string token T, without its quotes, escapes read
 * as Python does (an unknown escape keeps its backslash); a new string. */
static char *
str_value(const struct tok *t)
{
	char *s = xmalloc(t->len), *o = s;

	for (size_t i = 1; i + 1 < t->len; i++) {
		char c = t->p[i];
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = t->p[++i];
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case '\\':
		case '\'':
		case '"': *o++ = c; break;
		default: *o++ = '\\'; *o++ = c;
		}
	}
	*o = '\0';
	return s;
}

static bool
all_digits(const struct tok *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (!is_digit(t->p[i]))
			return false;
	return true;
}

/* One item of args=: a whole number (with its sign) or a string. */
static int
args_item(struct py *p)
{
	const struct tok *t = peek(p);
	bool neg = is_op(t, "-");
	char num[32];
	long long v = 0;

	if (t->kind == T_STR) {
		push(p, str_value(t));
		p->i++;
		return 0;
	}
	if (neg || is_op(t, "+"))
		t = &p->t[++p->i];
	if (t->kind != T_NUM || !all_digits(t))
		return fail(p,
			    "args= takes whole numbers and quoted strings, "
			    "not '%.*s'",
			    t->len > PY_SHOW ? PY_SHOW : (int)t->len, t->p);
	errno = 0;
	if (t->len <= 20) {
		snprintf(num, sizeof num, "%s%.*s", neg ? "-" : "", TXT(t));
		v = strtoll(num, NULL, 10);
	}
	if (t->len > 20 || errno == ERANGE)
		return fail(p, "args= number out of range: '%.*s'",
			    t->len > PY_SHOW ? PY_SHOW : (int)t->len, t->p);
	push(p, xasprintf("%lld", v));
	p->i++;
	return 0;
}

/* args=(...) or args=[...]: each item becomes a word. */
static int
parse_args(struct py *p)
{
	const struct tok *open = peek(p), *last = NULL;
	const char *close = is_op(open, "(") ? ")" : "]";
	size_t items = 0;
	bool comma = false;

	if (!is_op(open, "(") && !is_op(open, "["))
		return fail(p, "args= takes a tuple or a list, like "
			       "args=(1, 2)");
	p->i++;
	while (!accept(p, close)) {
		if (args_item(p) < 0)
			return -1;
		items++;
		last = &p->t[p->i - 1];
		if (accept(p, close))
			break;
		if (expect(p, ",") < 0)
			return -1;
		comma = true;
	}
	if (*close == ')' && items == 1 && !comma)
		return fail(p, "args=(%.*s) is not a tuple: write args=(%.*s,)",
			    (int)(last->p + last->len - open[1].p), open[1].p,
			    (int)(last->p + last->len - open[1].p), open[1].p);
	return 0;
}

/* One keyword argument of Thread() or Process() named KW, whose value is
 * at the cursor, for worker NAME. */
static int
ctor_keyword(struct py *p, const char *cls, const struct tok *name,
	     const struct tok *kw, bool seen[3])
{
	static const char *const known[] = { "target", "args", "name" };
	static const char *const unsupported[] = { "group", "kwargs",
						   "daemon" };
	const struct tok *v = peek(p);
	char hint[SUGGEST_MAX_LEN + 32];
	int k = 0;

	while (k < 3 && !is_name(kw, known[k]))
		k++;
	if (k == 3 && name_in(kw, unsupported, 3))
		return fail(p, "keyword argument '%.*s' is not supported here",
			    TXT(kw));
	if (k == 3)
		return fail(p,
			    "%s() got an unexpected keyword argument '%.*s'%s",
			    cls, TXT(kw),
			    did_you_mean(kw, known, 3, hint, sizeof hint));
	if (seen[k])
		return fail(p, "keyword argument repeated: %s", known[k]);
	seen[k] = true;
	if (k == 1)
		return parse_args(p);
	p->i++;
	if (k == 0 && (v->kind != T_NAME || is_name(v, "None")))
		return fail(p, "target= takes a task name, like "
			       "target=print_numbers");
	if (k == 0) {
		free(p->argv[3]);
		p->argv[3] = xstrndup(v->p, v->len);
	} else if (v->kind != T_STR || v->len - 2 != name->len ||
		   memcmp(v->p + 1, name->p, name->len) != 0) {
		return fail(p,
			    "name= must be '%.*s', the variable's name (weft "
			    "names a worker after it)",
			    TXT(name));
	}
	return 0;
}

/* The objects of SPEC 9 a line may make: the module it may be taken
 * from, the class, weft's command, and the keyword of its one argument. */
static const struct {
	const char *module, *cls, *cmd, *kw;
} objects[] = {
	{ "threading", "Semaphore", "semaphore", "value" },
	{ "threading", "Condition", "condition", "lock" },
	{ "threading", "Barrier", "barrier", "parties" },
	{ "queue", "Queue", "queue", "maxsize" },
	{ "multiprocessing", "Queue", "queue", "maxsize" },
};

/* Which of objects[] the tokens at the cursor name ([MODULE.]CLASS), or
 * -1; *SKIP gets how many tokens that takes. */
static int
object_class(const struct py *p, size_t *skip)
{
	const struct tok *t = peek(p);
	bool dotted = t->kind == T_NAME && is_op(&t[1], ".") &&
		      t[2].kind == T_NAME;

	for (size_t i = 0; i < sizeof objects / sizeof *objects; i++) {
		if (dotted && is_name(t, objects[i].module) &&
		    is_name(&t[2], objects[i].cls)) {
			*skip = 3;
			return (int)i;
		}
		if (!dotted && is_name(t, objects[i].cls)) {
			*skip = 1;
			return (int)i;
		}
	}
	return -1;
}

/* NAME = Semaphore(N), Condition(M), Barrier(N), Queue(N), with or
 * without their module; the cursor after the '='. */
static int
parse_object(struct py *p, const struct tok *name, int which)
{
	const char *cls = objects[which].cls, *cmd = objects[which].cmd;
	const struct tok *v;

	if (expect(p, "(") < 0)
		return -1;
	push(p, xstrdup(cmd));
	push_tok(p, name);
	v = peek(p);
	if (v->kind == T_NAME && is_op(&v[1], "=")) {
		if (!is_name(v, objects[which].kw))
			return fail(p, "%s() takes %s=, not '%.*s='", cls,
				    objects[which].kw, TXT(v));
		p->i += 2;
		v = peek(p);
	}
	if (is_op(v, ")")) {
		if (*cmd == 'q') /* Queue(): Python's unbounded queue */
			push(p, xasprintf("%d", PY_QUEUE_MAX));
		if (*cmd == 'c' || *cmd == 'b')
			return fail(p, "%s() needs its %s here, like %s(%s)",
				    cls, *cmd == 'c' ? "lock" : "parties",
				    cls, *cmd == 'c' ? "m" : "3");
	} else if ((*cmd == 'c' && v->kind == T_NAME) ||
		   (*cmd != 'c' && v->kind == T_NUM)) {
		/* Queue(0) is Python's unbounded queue: weft's largest */
		if (*cmd == 'q' && v->len == 1 && v->p[0] == '0')
			push(p, xasprintf("%d", PY_QUEUE_MAX));
		else
			push_tok(p, v);
		p->i++;
	} else {
		return fail(p, "%s() takes %s here, like %s(%s)", cls,
			    *cmd == 'c' ? "a lock's name" : "a whole number",
			    cls, *cmd == 'c' ? "m" : "2");
	}
	if (expect(p, ")") < 0)
		return -1;
	return end(p);
}

/* NAME = [threading.]Thread(...) or [multiprocessing.]Process(...); the
 * cursor is after the '='. */
static int
parse_ctor(struct py *p, const struct tok *name)
{
	const struct tok *t = peek(p);
	bool seen[3] = { false, false, false };
	const char *cls;
	char hint[SUGGEST_MAX_LEN + 32];
	size_t skip;
	int which = object_class(p, &skip);

	if (which >= 0) {
		p->i += skip;
		return parse_object(p, name, which);
	}
	if (is_name(t, "threading") || is_name(t, "multiprocessing")) {
		const struct tok *mod = t;
		cls = is_name(mod, "threading") ? "Thread" : "Process";
		p->i++;
		if (expect(p, ".") < 0)
			return -1;
		t = peek(p);
		if (t->kind != T_NAME)
			return unexpected(p);
		if (!is_name(t, cls))
			return fail(
				p, "module '%.*s' has no attribute '%.*s'%s",
				TXT(mod), TXT(t),
				did_you_mean(t, &cls, 1, hint, sizeof hint));
	} else if (is_name(t, "Thread") || is_name(t, "Process")) {
		cls = is_name(t, "Thread") ? "Thread" : "Process";
	} else {
		return unexpected(p);
	}
	p->i++;
	if (expect(p, "(") < 0)
		return -1;
	push(p, xstrdup("spawn"));
	push(p, xstrdup(*cls == 'T' ? "thread" : "process"));
	push_tok(p, name);
	push(p, xstrdup("")); /* the task, once target= is read */
	while (!accept(p, ")")) {
		const struct tok *kw = peek(p);
		if (kw->kind == T_OP)
			return unexpected(p);
		if (kw->kind != T_NAME || !is_op(&kw[1], "="))
			return fail(p,
				    "%s() takes keyword arguments here, like "
				    "%s(target=TASK)",
				    cls, cls);
		p->i += 2;
		if (ctor_keyword(p, cls, name, kw, seen) < 0)
			return -1;
		if (accept(p, ")"))
			break;
		if (expect(p, ",") < 0)
			return -1;
	}
	if (!seen[0])
		return fail(p, "%s() needs target=TASK", cls);
	return end(p);
}

/* Reads number token T as seconds into *MS (rounded to the millisecond);
 * *NONZERO tells whether any digit is not 0. Returns 0, or -1 when T is
 * not a plain decimal number. */
static int
seconds_ms(const struct tok *t, unsigned long long *ms, bool *nonzero)
{
	unsigned long long whole = 0, frac = 0;
	int nfrac = 0;
	bool dot = false, up = false;

	*nonzero = false;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		if (c == '.' && !dot) {
			dot = true;
			continue;
		}
		if (!is_digit(c))
			return -1;
		*nonzero |= c != '0';
		if (!dot && whole < 1000000000ull)
			whole = whole * 10 + (unsigned)(c - '0');
		else if (dot && nfrac < 3)
			frac = frac * 10 + (unsigned)(c - '0');
		if (dot && nfrac++ == 3)
			up = c >= '5';
	}
	for (; nfrac < 3; nfrac++)
		frac *= 10;
	*ms = whole * 1000 + frac + up;
	return 0;
}

/* The timeout of join(), at the cursor: seconds, or None. */
static int
parse_timeout(struct py *p)
{
	const struct tok *v = peek(p);
	unsigned long long ms;
	bool neg = is_op(v, "-"), nonzero;

	if (is_name(v, "None")) {
		p->i++;
		return 0;
	}
	if (neg || is_op(v, "+"))
		v = &p->t[++p->i];
	if (v->kind != T_NUM || seconds_ms(v, &ms, &nonzero) < 0)
		return fail(p, "join() timeout must be a number of seconds, "
			       "like join(2.0)");
	p->i++;
	if (neg && nonzero)
		return fail(p, "join() timeout cannot be negative");
	if (ms > PY_MAX_TIMEOUT_S * 1000ull)
		return fail(p, "join() timeout is at most %d seconds",
			    PY_MAX_TIMEOUT_S);
	push(p, xstrdup("--timeout"));
	push(p, xasprintf("%llu", ms));
	return 0;
}

/* NAME.join(...), the cursor after its '('. */
static int
parse_join(struct py *p, const struct tok *obj)
{
	const struct tok *v = peek(p);

	push(p, xstrdup("join"));
	push_tok(p, obj);
	if (accept(p, ")"))
		return 0;
	if (v->kind == T_NAME && is_op(&v[1], "=")) {
		if (!is_name(v, "timeout"))
			return fail(p,
				    "join() got an unexpected keyword "
				    "argument '%.*s'",
				    TXT(v));
		p->i += 2;
	}
	if (parse_timeout(p) < 0)
		return -1;
	if (accept(p, ")") || (accept(p, ",") && accept(p, ")")))
		return 0;
	if (is_op(&p->t[p->i - 1], ","))
		return fail(p,
			    "join() takes at most one argument, the timeout");
	return unexpected(p);
}

/* A method's call, the cursor after its '('. */
static int
parse_call(struct py *p, const struct tok *obj, const struct tok *m)
{
	if (is_name(m, "join"))
		return parse_join(p, obj);
	if (is_name(m, "run"))
		return fail(p,
			    "run() would run the task in the shell itself: "
			    "use %.*s.start()",
			    TXT(obj));
	if (!accept(p, ")"))
		return fail(p, "%.*s() takes no arguments", TXT(m));
	if (is_name(m, "start")) {
		push(p, xstrdup("start"));
		push_tok(p, obj);
	} else if (is_name(m, "is_alive")) {
		push(p, xstrdup("pyattr"));
		push_tok(p, obj);
		push(p, xstrdup("is_alive"));
	} else {
		push(p, xstrdup("kill"));
		push_tok(p, obj);
		push(p, xstrdup(is_name(m, "kill") ? "KILL" : "TERM"));
	}
	return 0;
}

/* Reports that OBJ has no method (CALL) or attribute M. */
static int
no_member(struct py *p, const struct tok *obj, const struct tok *m, bool call)
{
	const char *members[sizeof methods / sizeof *methods +
			    sizeof attrs / sizeof *attrs];
	size_t n = 0;
	char hint[SUGGEST_MAX_LEN + 32];

	for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
		members[n++] = methods[i];
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
		members[n++] = attrs[i];
	return fail(p, "'%.*s' has no %s '%.*s'%s", TXT(obj),
		    call ? "method" : "attribute", TXT(m),
		    did_you_mean(m, members, n, hint, sizeof hint));
}

/* NAME.ATTR or NAME.METHOD(...), at the cursor; what follows is not read. */
static int
parse_member(struct py *p)
{
	const struct tok *obj = peek(p), *m;
	bool call, method;

	p->i++;
	if (expect(p, ".") < 0)
		return -1;
	if ((m = peek(p))->kind != T_NAME)
		return unexpected(p);
	p->i++;
	call = accept(p, "(");
	method = name_in(m, methods, sizeof methods / sizeof *methods);
	if (name_in(m, attrs, sizeof attrs / sizeof *attrs)) {
		if (call)
			return fail(p,
				    "'%.*s' is an attribute, not a method: "
				    "write %.*s.%.*s",
				    TXT(m), TXT(obj), TXT(m));
		push(p, xstrdup("pyattr"));
		push_tok(p, obj);
		push_tok(p, m);
		return 0;
	}
	if (!method)
		return no_member(p, obj, m, call);
	if (!call)
		return fail(p, "'%.*s' is a method: write %.*s.%.*s()", TXT(m),
			    TXT(obj), TXT(m));
	return parse_call(p, obj, m);
}

/* print(NAME.ATTR): the attribute, as without print. */
static int
parse_print(struct py *p)
{
	const struct tok *t = &p->t[p->i + 2];

	p->i += 2;
	if (t->kind == T_NAME && is_op(&t[1], ".")) {
		if (parse_member(p) < 0)
			return -1;
		if (strcmp(p->argv[0], "pyattr") == 0)
			return expect(p, ")") < 0 ? -1 : end(p);
	}
	return fail(p, "print() here shows a worker's attribute, like "
		       "print(t1.pid)");
}

/* Checks that T names a module the bridge knows. */
static int
module(struct py *p, const struct tok *t)
{
	static const char *const modules[] = { "threading", "multiprocessing",
					       "queue" };
	char hint[SUGGEST_MAX_LEN + 32];

	if (t->kind != T_NAME)
		return unexpected(p);
	if (!is_name(t, modules[0]) && !is_name(t, modules[1]) &&
	    !is_name(t, modules[2])) {
		if (*did_you_mean(t, modules, 3, hint, sizeof hint) != '\0')
			return fail(p, "no module named '%.*s'%s", TXT(t),
				    hint);
		return fail(p,
			    "no module named '%.*s' (weft knows threading, "
			    "multiprocessing and queue)",
			    TXT(t));
	}
	p->i++;
	if (is_name(peek(p), "as"))
		return fail(p, "import ... as is not supported here: use the "
			       "module's own name");
	return 0;
}

/* Is T a class of objects[] that module MOD has (from MOD import T)? */
static bool
module_has(const struct tok *mod, const struct tok *t)
{
	for (size_t i = 0; i < sizeof objects / sizeof *objects; i++)
		if (is_name(mod, objects[i].module) &&
		    is_name(t, objects[i].cls))
			return true;
	return false;
}

/* import MODULE[, MODULE] and from MODULE import NAME[, NAME]: nothing to
 * run. */
static int
parse_import(struct py *p)
{
	const struct tok *mod, *t;
	const char *cls;
	char hint[SUGGEST_MAX_LEN + 32];

	if (is_name(&p->t[p->i++], "import")) {
		do {
			if (module(p, peek(p)) < 0)
				return -1;
		} while (accept(p, ","));
		return end(p);
	}
	mod = peek(p);
	if (module(p, mod) < 0)
		return -1;
	cls = is_name(mod, "threading") ? "Thread" : "Process";
	if (!is_name(peek(p), "import"))
		return unexpected(p);
	p->i++;
	do {
		t = peek(p);
		if (t->kind != T_NAME && !is_op(t, "*"))
			return unexpected(p);
		if (t->kind == T_NAME && !is_name(t, cls) &&
		    !module_has(mod, t))
			return fail(
				p, "cannot import name '%.*s' from '%.*s'%s",
				TXT(t), TXT(mod),
				did_you_mean(t, &cls, 1, hint, sizeof hint));
		p->i++;
		if (is_name(peek(p), "as"))
			return fail(p, "import ... as is not supported here: "
				       "use the name itself");
	} while (accept(p, ","));
	return end(p);
}

/* if __name__ == "__main__": nothing to run (the lines under it are typed
 * on their own). */
static int
parse_main_guard(struct py *p)
{
	const struct tok *s;
	char *v;
	bool ok;

	p->i++;
	if (!is_name(peek(p), "__name__"))
		return unexpected(p);
	p->i++;
	if (expect(p, "==") < 0)
		return -1;
	if ((s = peek(p))->kind != T_STR)
		return unexpected(p);
	v = str_value(s);
	ok = strcmp(v, "__main__") == 0;
	free(v);
	if (!ok)
		return unexpected(p);
	p->i++;
	if (expect(p, ":") < 0)
		return -1;
	return end(p);
}

/* Is T the start of a Thread or Process made without a variable, as in
 * threading.Thread(target=f).start()? */
static bool
unnamed_worker(const struct tok *t)
{
	if ((is_name(t, "threading") || is_name(t, "multiprocessing")) &&
	    is_op(&t[1], "."))
		t += 2;
	return (is_name(t, "Thread") || is_name(t, "Process")) &&
	       is_op(&t[1], "(");
}

/* weft names a worker after the variable that holds it, so a worker
 * needs one; Python's automatic Thread-1 would be a name the learner
 * never wrote and could not join by. */
static int
refuse_unnamed(struct py *p, const struct tok *t)
{
	bool thread = is_name(t, "threading") || is_name(t, "Thread");
	const char *v = thread ? "t" : "p";
	const struct tok *cls = is_op(&t[1], ".") ? &t[2] : t;

	return fail(p, "give the %s a name: %s = %.*s(...); %s.start()",
		    thread ? "thread" : "process", v,
		    (int)(cls->p + cls->len - t->p), t->p, v);
}

static int
statement(struct py *p)
{
	const struct tok *t = peek(p);

	if (t->kind == T_END)
		return 0;
	if (t->kind != T_NAME)
		return unexpected(p);
	if (is_name(t, "import") || is_name(t, "from"))
		return parse_import(p);
	if (is_name(t, "if"))
		return parse_main_guard(p);
	if (is_name(t, "print") && is_op(&t[1], "("))
		return parse_print(p);
	if (is_op(&t[1], "=")) {
		p->i += 2;
		return parse_ctor(p, t);
	}
	if (unnamed_worker(t))
		return refuse_unnamed(p, t);
	if (is_op(&t[1], ".")) {
		if (parse_member(p) < 0)
			return -1;
		return end(p);
	}
	p->i++;
	return unexpected(p);
}

int
py_translate(const char *line, size_t len, char ***out, char *err,
	     size_t errlen)
{
	struct py p = { .err = err, .errlen = errlen };
	int rc;

	if (errlen > 0)
		err[0] = '\0';
	p.argv = xcalloc(1, sizeof *p.argv);
	rc = tokenize(&p, line, len);
	if (rc == 0)
		rc = statement(&p);
	free(p.t);
	if (rc < 0) {
		py_free(p.argv);
		*out = NULL;
		return -1;
	}
	*out = p.argv;
	return 0;
}

void
py_free(char **argv)
{
	if (argv == NULL)
		return;
	for (char **w = argv; *w != NULL; w++)
		free(*w);
	free(argv);
}

static size_t
skip_blanks(const char *line, size_t len, size_t i)
{
	while (i < len && is_blank(line[i]))
		i++;
	return i;
}

static size_t
skip_ident(const char *line, size_t len, size_t i)
{
	while (i < len && is_ident(line[i]))
		i++;
	return i;
}

bool
py_looks_like(const char *line, size_t len)
{
	static const char *const ctors[] = {
		"threading", "multiprocessing", "Thread",    "Process",
		"queue",     "Semaphore",	"Condition", "Barrier",
		"Queue",
	};
	size_t w = skip_blanks(line, len, 0), i, j, k;

	if (w == len || !is_ident_start(line[w]))
		return false;
	i = skip_ident(line, len, w);
	j = skip_blanks(line, len, i);
	/* NAME.ATTR: the dot right after the name, as no native word has. */
	if (i < len && line[i] == '.') {
		j = skip_blanks(line, len, i + 1);
		return j < len && is_ident_start(line[j]);
	}
	if (text_is(line + w, i - w, "import") ||
	    text_is(line + w, i - w, "from"))
		return j > i && j < len;
	if (text_is(line + w, i - w, "if"))
		return len - j >= 8 && memcmp(line + j, "__name__", 8) == 0;
	if (text_is(line + w, i - w, "print"))
		return j < len && line[j] == '(';
	/* Thread(...) with no variable: Python, refused with a hint */
	if (text_is(line + w, i - w, "Thread") ||
	    text_is(line + w, i - w, "Process"))
		return j < len && line[j] == '(';
	if (j == len || line[j] != '=' || (j + 1 < len && line[j + 1] == '='))
		return false;
	w = skip_blanks(line, len, j + 1);
	k = skip_ident(line, len, w);
	for (size_t n = 0; n < sizeof ctors / sizeof *ctors; n++)
		if (text_is(line + w, k - w, ctors[n]))
			return true;
	return false;
}
