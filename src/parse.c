/*
 * parse.c: the task language's tokenizer and parser. A definition
 *     task worker(n) {
 *         for i in 1..n { print "step" i; sleep 10 }
 *     }
 * becomes a task_def whose names are already resolved: parameters and loop
 * variables are local slots, every other variable is a global, every lock
 * is numbered. Errors carry LINE:COL, counted from the line holding 'task'.
 * Limits on size, nesting and strings keep a hostile lesson harmless.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "xmalloc.h"

enum tok {
	T_EOF,
	T_NL,
	T_IDENT,
	T_INT,
	T_STR,
	T_LBRACE,
	T_RBRACE,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_SEMI,
	T_DOTDOT,
	T_PLUS,
	T_MINUS,
	T_STAR,
	T_SLASH,
	T_PERCENT,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_AND,
	T_OR,
	T_NOT,
	T_ASSIGN,
	T_PLUSEQ,
};

struct token {
	enum tok t;
	int line, col;
	size_t off, end; /* bytes of the source it came from */
	int64_t i;
	bool edge; /* 9223372036854775808: valid only after a unary minus */
	char *s;   /* T_IDENT, T_STR */
};

struct parser {
	const char *src;
	size_t len;
	struct token *toks;
	size_t ntoks, tokcap, pos;
	int depth, nodes;
	struct parse_error *err;
	bool failed;
};

static const char *const keywords[] = {
	"task", "print", "sleep", "for",  "in",	    "repeat", "while", "if",
	"else", "incr",	 "decr",  "lock", "unlock", "yield",  "exit",  "crash",
	"wait", "signal", "notify", "notify_all", "put", "get", "assert",
};

static bool
is_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(s, keywords[i]) == 0)
			return true;
	return false;
}

static void
fail_at(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	p->err->line = line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
}

/* Tokenizer */

struct scan {
	const char *s, *end, *bol;
	int line;
};

static int
col_of(const struct scan *sc, const char *at)
{
	return (int)(at - sc->bol) + 1;
}

static bool
ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

/* Grows *V (of *CAP elements of SIZE bytes) to hold at least N. */
static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	if (*cap < n)
		*cap = n;
	return xrealloc(v, *cap * size);
}

static void
push_tok(struct parser *p, struct token *t)
{
	p->toks = grow(p->toks, &p->tokcap, p->ntoks + 1, sizeof *p->toks);
	p->toks[p->ntoks++] = *t;
}

/* Reads a string literal at sc->s (the opening quote). */
static bool
scan_string(struct parser *p, struct scan *sc, struct token *t)
{
	struct {
		char *d;
		size_t n;
	} b = { xmalloc(AST_MAX_STRING + 1), 0 };
	const char *q = sc->s + 1;

	for (; q < sc->end && *q != '"' && *q != '\n'; q++) {
		char c = *q;
		if (c == '\\' && q + 1 < sc->end && q[1] != '\n') {
			c = *++q;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (b.n == AST_MAX_STRING) {
			fail_at(p, sc->line, col_of(sc, sc->s),
				"string longer than %d bytes", AST_MAX_STRING);
			free(b.d);
			return false;
		}
		b.d[b.n++] = c;
	}
	if (q >= sc->end || *q != '"') {
		fail_at(p, sc->line, col_of(sc, sc->s), "unterminated string");
		free(b.d);
		return false;
	}
	b.d[b.n] = '\0';
	t->t = T_STR;
	t->s = b.d;
	sc->s = q + 1;
	return true;
}

static void
too_large(struct parser *p, int line, int col)
{
	fail_at(p, line, col, "number too large (the limit is %lld)",
		(long long)INT64_MAX);
}

static bool
scan_number(struct parser *p, struct scan *sc, struct token *t)
{
	const char *q = sc->s;
	int64_t v = 0;

	/* Digits are gathered as a negative number, whose range is one
	 * larger, so that -9223372036854775808 can be written. */
	for (; q < sc->end && *q >= '0' && *q <= '9'; q++) {
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_sub_overflow(v, *q - '0', &v)) {
			too_large(p, sc->line, col_of(sc, sc->s));
			return false;
		}
	}
	if (q < sc->end && ident_char(*q, true)) {
		fail_at(p, sc->line, col_of(sc, q),
			"a name cannot start with "
			"a digit");
		return false;
	}
	t->t = T_INT;
	t->edge = v == INT64_MIN;
	t->i = t->edge ? v : -v;
	sc->s = q;
	return true;
}

/* Operators of one or two characters, longest first. */
static const struct {
	const char *text;
	enum tok t;
} ops[] = {
	{ "..", T_DOTDOT }, { "==", T_EQ },	{ "!=", T_NE },
	{ "<=", T_LE },	    { ">=", T_GE },	{ "&&", T_AND },
	{ "||", T_OR },	    { "+=", T_PLUSEQ }, { "{", T_LBRACE },
	{ "}", T_RBRACE },  { "(", T_LPAREN },	{ ")", T_RPAREN },
	{ ",", T_COMMA },   { ";", T_SEMI },	{ "+", T_PLUS },
	{ "-", T_MINUS },   { "*", T_STAR },	{ "/", T_SLASH },
	{ "%", T_PERCENT }, { "<", T_LT },	{ ">", T_GT },
	{ "!", T_NOT },	    { "=", T_ASSIGN },
};

static bool
scan_op(struct parser *p, struct scan *sc, struct token *t)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].text);
		if ((size_t)(sc->end - sc->s) >= n &&
		    memcmp(sc->s, ops[i].text, n) == 0) {
			t->t = ops[i].t;
			sc->s += n;
			return true;
		}
	}
	if ((unsigned char)*sc->s >= 0x20 && (unsigned char)*sc->s < 0x7f)
		fail_at(p, sc->line, col_of(sc, sc->s), "unexpected '%c'",
			*sc->s);
	else
		fail_at(p, sc->line, col_of(sc, sc->s),
			"unexpected byte 0x%02x", (unsigned char)*sc->s);
	return false;
}

static bool
scan_one(struct parser *p, struct scan *sc, struct token *t)
{
	char c = *sc->s;

	if (c == '\n') {
		t->t = T_NL;
		sc->s++;
		sc->line++;
		sc->bol = sc->s;
		return true;
	}
	if (c == '"')
		return scan_string(p, sc, t);
	if (c >= '0' && c <= '9')
		return scan_number(p, sc, t);
	if (ident_char(c, true)) {
		const char *q = sc->s;
		while (q < sc->end && ident_char(*q, false))
			q++;
		t->t = T_IDENT;
		t->s = xstrndup(sc->s, (size_t)(q - sc->s));
		sc->s = q;
		return true;
	}
	return scan_op(p, sc, t);
}

/* Splits the source into tokens; stops after the brace that closes the
 * first block, so that what follows on the line is left to the shell. */
static bool
tokenize(struct parser *p)
{
	struct scan sc = { p->src, p->src + p->len, p->src, 1 };
	int braces = 0;

	while (sc.s < sc.end) {
		struct token t = { 0 };
		char c = *sc.s;
		if (c == ' ' || c == '\t' || c == '\r') {
			sc.s++;
			continue;
		}
		if (c == '#') {
			while (sc.s < sc.end && *sc.s != '\n')
				sc.s++;
			continue;
		}
		t.line = sc.line;
		t.col = col_of(&sc, sc.s);
		t.off = (size_t)(sc.s - p->src);
		if (!scan_one(p, &sc, &t))
			return false;
		t.end = (size_t)(sc.s - p->src);
		push_tok(p, &t);
		braces += t.t == T_LBRACE ? 1 : t.t == T_RBRACE ? -1 : 0;
		if (t.t == T_RBRACE && braces == 0)
			break;
	}
	struct token eof = { .t = T_EOF,
			     .line = sc.line,
			     .col = col_of(&sc, sc.s),
			     .off = (size_t)(sc.s - p->src),
			     .end = (size_t)(sc.s - p->src) };
	push_tok(p, &eof);
	return true;
}

size_t
parse_task_end(const char *text, size_t len)
{
	int braces = 0;
	bool seen = false;

	if (len > AST_MAX_BODY)
		return len; /* too long: the parser says so */
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n' && !seen)
			return i; /* the '{' belongs on the 'task' line */
		if (c == '#') {
			while (i + 1 < len && text[i + 1] != '\n')
				i++;
		} else if (c == '"') {
			for (i++; i < len && text[i] != '"' && text[i] != '\n';
			     i++)
				if (text[i] == '\\' && i + 1 < len &&
				    text[i + 1] != '\n')
					i++;
			if (i >= len || text[i] == '\n')
				return len; /* unterminated: let it fail */
		} else if (c == '{') {
			braces++;
			seen = true;
		} else if (c == '}' && --braces <= 0) {
			return i + 1;
		}
	}
	return seen ? 0 : len; /* no '{' on the 'task' line: the parser says */
}

/* Parser */

static struct token *
peek(struct parser *p)
{
	return &p->toks[p->pos];
}

static struct token *
next(struct parser *p)
{
	struct token *t = &p->toks[p->pos];
	if (t->t != T_EOF)
		p->pos++;
	return t;
}

static bool
accept(struct parser *p, enum tok t)
{
	if (peek(p)->t != t)
		return false;
	next(p);
	return true;
}

static const char *
describe(const struct token *t)
{
	static char buf[64];

	switch (t->t) {
	case T_EOF: return "the end of the definition";
	case T_NL: return "the end of the line";
	case T_IDENT: snprintf(buf, sizeof buf, "'%.40s'", t->s); return buf;
	case T_INT: return "a number";
	case T_STR: return "a string";
	default: break;
	}
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (ops[i].t == t->t) {
			snprintf(buf, sizeof buf, "'%s'", ops[i].text);
			return buf;
		}
	return "something else";
}

static void
expected(struct parser *p, const char *what)
{
	struct token *t = peek(p);
	fail_at(p, t->line, t->col, "expected %s, found %s", what, describe(t));
}

static bool
expect(struct parser *p, enum tok t, const char *what)
{
	if (accept(p, t))
		return true;
	expected(p, what);
	return false;
}

static bool
name_fits(struct parser *p, const struct token *t)
{
	if (strlen(t->s) <= AST_NAME_MAX)
		return true;
	fail_at(p, t->line, t->col, "name longer than %d characters",
		AST_NAME_MAX);
	return false;
}

static bool
count_node(struct parser *p, const struct token *at)
{
	if (++p->nodes <= AST_MAX_NODES)
		return true;
	fail_at(p, at->line, at->col, "task too large (more than %d parts)",
		AST_MAX_NODES);
	return false;
}

static bool
deeper(struct parser *p, const struct token *at)
{
	if (++p->depth <= AST_MAX_DEPTH)
		return true;
	fail_at(p, at->line, at->col, "nested too deeply (the limit is %d)",
		AST_MAX_DEPTH);
	return false;
}

static struct expr *
new_expr(struct parser *p, enum expr_kind kind, const struct token *at)
{
	struct expr *e;

	if (!count_node(p, at))
		return NULL;
	e = xcalloc(1, sizeof *e);
	e->kind = kind;
	e->line = at->line;
	e->col = at->col;
	return e;
}

static void
expr_free(struct expr *e)
{
	if (e == NULL)
		return;
	expr_free(e->a);
	expr_free(e->b);
	free(e->s);
	free(e);
}

static struct expr *parse_expr(struct parser *p);
static struct expr *parse_value(struct parser *p, bool negated);

static struct expr *
parse_primary(struct parser *p)
{
	struct token *t = peek(p);
	struct expr *e;

	if (t->t == T_LPAREN) {
		next(p);
		if (!deeper(p, t))
			return NULL;
		e = parse_expr(p);
		p->depth--;
		if (e != NULL && !expect(p, T_RPAREN, "')'")) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (t->t == T_MINUS && p->toks[p->pos + 1].edge) {
		next(p); /* the one literal that only fits negated */
		return parse_value(p, true);
	}
	if (t->t == T_NOT || t->t == T_MINUS) {
		next(p);
		if (!deeper(p, t))
			return NULL;
		struct expr *a = parse_primary(p);
		p->depth--;
		if (a == NULL)
			return NULL;
		if (t->t == T_MINUS && a->kind == EX_INT &&
		    a->i != INT64_MIN) { /* a literal; - -9223...808 overflows */
			a->i = -a->i;
			return a;
		}
		if ((e = new_expr(p, t->t == T_NOT ? EX_NOT : EX_NEG, t)) ==
		    NULL) {
			expr_free(a);
			return NULL;
		}
		e->a = a;
		return e;
	}
	return parse_value(p, false);
}

/* A literal or a variable; NEGATED when a unary minus came just before,
 * the only place 9223372036854775808 fits. */
static struct expr *
parse_value(struct parser *p, bool negated)
{
	struct token *t = peek(p);
	struct expr *e;

	if (t->t == T_IDENT && is_keyword(t->s)) {
		fail_at(p, t->line, t->col, "'%s' is a keyword, not a value",
			t->s);
		return NULL;
	}
	if (t->t != T_INT && t->t != T_STR && t->t != T_IDENT) {
		expected(p, "a value");
		return NULL;
	}
	if (t->t == T_IDENT && !name_fits(p, t))
		return NULL;
	if (t->edge && !negated) {
		too_large(p, t->line, t->col);
		return NULL;
	}
	next(p);
	e = new_expr(p,
		     t->t == T_INT   ? EX_INT
		     : t->t == T_STR ? EX_STR
				     : EX_VAR,
		     t);
	if (e != NULL) {
		e->i = t->i;
		e->s = t->s ? xstrdup(t->s) : NULL;
	}
	return e;
}

/* Binary operators by precedence level, loosest first. */
static const struct {
	enum tok t;
	enum binop op;
	int level;
} binops[] = {
	{ T_OR, OP_OR, 1 },	  { T_AND, OP_AND, 2 },	 { T_EQ, OP_EQ, 3 },
	{ T_NE, OP_NE, 3 },	  { T_LT, OP_LT, 3 },	 { T_LE, OP_LE, 3 },
	{ T_GT, OP_GT, 3 },	  { T_GE, OP_GE, 3 },	 { T_PLUS, OP_ADD, 4 },
	{ T_MINUS, OP_SUB, 4 },	  { T_STAR, OP_MUL, 5 }, { T_SLASH, OP_DIV, 5 },
	{ T_PERCENT, OP_MOD, 5 },
};

static int
binop_of(enum tok t, enum binop *op)
{
	for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++)
		if (binops[i].t == t) {
			*op = binops[i].op;
			return binops[i].level;
		}
	return 0;
}

static struct expr *
parse_level(struct parser *p, int level)
{
	struct expr *a =
		level > 5 ? parse_primary(p) : parse_level(p, level + 1);
	enum binop op = OP_ADD;

	while (a != NULL && binop_of(peek(p)->t, &op) == level) {
		struct token *t = next(p);
		struct expr *b = parse_level(p, level + 1), *e;
		if (b == NULL || (e = new_expr(p, EX_BIN, t)) == NULL) {
			expr_free(a);
			expr_free(b);
			return NULL;
		}
		e->op = op;
		e->a = a;
		e->b = b;
		a = e;
		if (level == 3 && binop_of(peek(p)->t, &op) == 3) {
			fail_at(p, peek(p)->line, peek(p)->col,
				"comparisons do not chain: use && between "
				"them");
			expr_free(a);
			return NULL;
		}
	}
	return a;
}

static struct expr *
parse_expr(struct parser *p)
{
	return parse_level(p, 1);
}

static void stmts_free(struct stmt **v, size_t n);

static void
stmt_free(struct stmt *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nargs; i++)
		expr_free(s->args[i]);
	free(s->args);
	expr_free(s->lo);
	expr_free(s->hi);
	for (size_t i = 0; i < s->nwords; i++)
		free(s->words[i]);
	free(s->words);
	stmts_free(s->body, s->nbody);
	stmts_free(s->orelse, s->norelse);
	free(s->name);
	free(s->obj);
	free(s);
}

static void
stmts_free(struct stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		stmt_free(v[i]);
	free(v);
}

static void
add_arg(struct stmt *s, struct expr *e)
{
	/* Powers of two: long print statements stay linear. */
	if ((s->nargs & (s->nargs - 1)) == 0)
		s->args = xrealloc(s->args, (s->nargs ? 2 * s->nargs : 1) *
						    sizeof *s->args);
	s->args[s->nargs++] = e;
}

static bool parse_block(struct parser *p, struct stmt ***v, size_t *n);

/* A name after a keyword: a variable or a lock. */
static bool
parse_name(struct parser *p, struct stmt *s, const char *what)
{
	struct token *t = peek(p);

	if (t->t != T_IDENT || is_keyword(t->s)) {
		expected(p, what);
		return false;
	}
	if (strlen(t->s) > AST_NAME_MAX) {
		fail_at(p, t->line, t->col, "name longer than %d characters",
			AST_NAME_MAX);
		return false;
	}
	s->name = xstrdup(next(p)->s);
	return true;
}

/* The object a wait, signal, notify, put or get works on. */
static bool
parse_object(struct parser *p, struct stmt *s)
{
	struct stmt tmp = { 0 };

	if (!parse_name(p, &tmp,
			"the name of a semaphore, condition, barrier or queue"))
		return false;
	s->obj = tmp.name;
	return true;
}

static bool
parse_one_expr(struct parser *p, struct stmt *s)
{
	struct expr *e = parse_expr(p);
	if (e != NULL)
		add_arg(s, e);
	return e != NULL;
}

static bool
starts_value(enum tok t)
{
	return t == T_INT || t == T_STR || t == T_IDENT || t == T_LPAREN ||
	       t == T_NOT || t == T_MINUS;
}

static bool
parse_print(struct parser *p, struct stmt *s)
{
	if (!starts_value(peek(p)->t)) {
		expected(p, "a value to print");
		return false;
	}
	while (starts_value(peek(p)->t))
		if (!parse_one_expr(p, s))
			return false;
	return true;
}

/* Is there a '..' before the block that the for statement opens? */
static bool
is_range(struct parser *p)
{
	for (size_t i = p->pos; i < p->ntoks; i++) {
		if (p->toks[i].t == T_DOTDOT)
			return true;
		if (p->toks[i].t == T_LBRACE || p->toks[i].t == T_NL ||
		    p->toks[i].t == T_EOF)
			return false;
	}
	return false;
}

static bool
parse_for(struct parser *p, struct stmt *s)
{
	struct token *t;

	if (!parse_name(p, s, "a loop variable"))
		return false;
	t = peek(p);
	if (t->t != T_IDENT || strcmp(t->s, "in") != 0) {
		expected(p, "'in'");
		return false;
	}
	next(p);
	if (is_range(p)) {
		s->kind = ST_FOR_RANGE;
		if ((s->lo = parse_expr(p)) == NULL ||
		    !expect(p, T_DOTDOT, "'..'") ||
		    (s->hi = parse_expr(p)) == NULL)
			return false;
	} else {
		s->kind = ST_FOR_WORDS;
		while ((t = peek(p))->t == T_IDENT || t->t == T_INT ||
		       t->t == T_STR) {
			char num[32];
			if (t->edge) {
				too_large(p, t->line, t->col);
				return false;
			}
			snprintf(num, sizeof num, "%lld", (long long)t->i);
			s->words = xrealloc(s->words,
					    (s->nwords + 1) * sizeof *s->words);
			s->words[s->nwords++] =
				xstrdup(t->t == T_INT ? num : t->s);
			next(p);
		}
		if (s->nwords == 0) {
			expected(p, "a range A..B or words to loop over");
			return false;
		}
	}
	return parse_block(p, &s->body, &s->nbody);
}

static bool parse_if(struct parser *p, struct stmt *s);

static bool
parse_else(struct parser *p, struct stmt *s)
{
	struct token *t = peek(p);
	struct stmt *inner;

	if (t->t != T_IDENT || strcmp(t->s, "else") != 0)
		return true;
	next(p);
	t = peek(p);
	if (t->t != T_IDENT || strcmp(t->s, "if") != 0)
		return parse_block(p, &s->orelse, &s->norelse);
	/* else if: an if statement alone in the else block */
	next(p);
	if (!count_node(p, t))
		return false;
	inner = xcalloc(1, sizeof *inner);
	inner->kind = ST_IF;
	inner->line = t->line;
	inner->col = t->col;
	s->orelse = xmalloc(sizeof *s->orelse);
	s->orelse[0] = inner;
	s->norelse = 1;
	return parse_if(p, inner);
}

/* The condition of if or while and its block. `if x = 1` is a slip for
 * `==` so common that the error says so. */
static bool
parse_cond_block(struct parser *p, struct stmt *s)
{
	struct token *t;

	if (!parse_one_expr(p, s))
		return false;
	t = peek(p);
	if (t->t == T_ASSIGN) {
		fail_at(p, t->line, t->col,
			"expected '{', found '='; did you mean '=='?");
		return false;
	}
	return parse_block(p, &s->body, &s->nbody);
}

static bool
parse_if(struct parser *p, struct stmt *s)
{
	return parse_cond_block(p, s) && parse_else(p, s);
}

static const struct {
	const char *word;
	enum stmt_kind kind;
} stmt_words[] = {
	{ "print", ST_PRINT },	 { "sleep", ST_SLEEP }, { "for", ST_FOR_RANGE },
	{ "repeat", ST_REPEAT }, { "while", ST_WHILE }, { "if", ST_IF },
	{ "incr", ST_INCR },	 { "decr", ST_DECR },	{ "lock", ST_LOCK },
	{ "unlock", ST_UNLOCK }, { "yield", ST_YIELD }, { "exit", ST_EXIT },
	{ "crash", ST_CRASH },	 { "wait", ST_WAIT },	{ "signal", ST_SIGNAL },
	{ "notify", ST_NOTIFY }, { "notify_all", ST_NOTIFY_ALL },
	{ "put", ST_PUT },	 { "get", ST_GET },	{ "assert", ST_ASSERT },
};

/* The statement after its first word, by kind. */
static bool
parse_rest(struct parser *p, struct stmt *s)
{
	switch (s->kind) {
	case ST_PRINT: return parse_print(p, s);
	case ST_SLEEP: return parse_one_expr(p, s);
	case ST_FOR_RANGE: return parse_for(p, s);
	case ST_REPEAT:
		return parse_one_expr(p, s) &&
		       parse_block(p, &s->body, &s->nbody);
	case ST_WHILE: return parse_cond_block(p, s);
	case ST_IF: return parse_if(p, s);
	case ST_INCR:
	case ST_DECR: return parse_name(p, s, "a variable");
	case ST_LOCK:
	case ST_UNLOCK: return parse_name(p, s, "a lock name");
	case ST_EXIT: return !starts_value(peek(p)->t) || parse_one_expr(p, s);
	case ST_WAIT:
	case ST_SIGNAL:
	case ST_NOTIFY_ALL: return parse_object(p, s);
	case ST_NOTIFY:
		return parse_object(p, s) &&
		       (!starts_value(peek(p)->t) || parse_one_expr(p, s));
	case ST_PUT:
		if (!parse_object(p, s))
			return false;
		if (!starts_value(peek(p)->t)) {
			expected(p, "a value to put");
			return false;
		}
		return parse_one_expr(p, s);
	case ST_GET:
		return parse_object(p, s) &&
		       parse_name(p, s, "a variable to get the value into");
	case ST_ASSERT:
		/* As Python's: assert CONDITION [, MESSAGE]. */
		if (!starts_value(peek(p)->t)) {
			expected(p, "a condition to assert");
			return false;
		}
		if (!parse_one_expr(p, s))
			return false;
		if (!accept(p, T_COMMA))
			return true;
		if (!starts_value(peek(p)->t)) {
			expected(p, "a message after ','");
			return false;
		}
		return parse_one_expr(p, s);
	default: return true;
	}
}

/* NAME = EXPR or NAME += EXPR */
static bool
parse_assign(struct parser *p, struct stmt *s, struct token *name)
{
	struct token *op = peek(p);

	if (!name_fits(p, name))
		return false;
	if (op->t != T_ASSIGN && op->t != T_PLUSEQ) {
		fail_at(p, name->line, name->col, "unknown statement '%s'",
			name->s);
		return false;
	}
	next(p);
	s->kind = op->t == T_ASSIGN ? ST_ASSIGN : ST_ADD_ASSIGN;
	s->name = xstrdup(name->s);
	return parse_one_expr(p, s);
}

static struct stmt *
parse_stmt(struct parser *p)
{
	struct token *t = peek(p);
	struct stmt *s;
	bool ok;

	if (t->t != T_IDENT) {
		expected(p, "a statement");
		return NULL;
	}
	if (!count_node(p, t))
		return NULL;
	next(p);
	s = xcalloc(1, sizeof *s);
	s->line = t->line;
	s->col = t->col;
	for (size_t i = 0; i < sizeof stmt_words / sizeof stmt_words[0]; i++)
		if (strcmp(t->s, stmt_words[i].word) == 0) {
			s->kind = stmt_words[i].kind;
			ok = parse_rest(p, s);
			goto done;
		}
	if (is_keyword(t->s)) {
		fail_at(p, t->line, t->col, "'%s' cannot start a statement",
			t->s);
		ok = false;
	} else {
		ok = parse_assign(p, s, t);
	}
done:
	if (!ok) {
		stmt_free(s);
		return NULL;
	}
	return s;
}

/* { statements }, each ended by a newline, ';' or the closing brace. */
static bool
parse_block(struct parser *p, struct stmt ***v, size_t *n)
{
	struct token *open = peek(p);

	if (!expect(p, T_LBRACE, "'{'") || !deeper(p, open))
		return false;
	for (;;) {
		while (accept(p, T_NL) || accept(p, T_SEMI))
			;
		if (accept(p, T_RBRACE))
			break;
		if (peek(p)->t == T_EOF) {
			fail_at(p, open->line, open->col,
				"this '{' is never closed");
			return false;
		}
		struct stmt *s = parse_stmt(p);
		if (s == NULL)
			return false;
		*v = xrealloc(*v, (*n + 1) * sizeof **v);
		(*v)[(*n)++] = s;
		enum tok t = peek(p)->t;
		if (t != T_NL && t != T_SEMI && t != T_RBRACE) {
			expected(p, "the end of the statement");
			return false;
		}
	}
	p->depth--;
	return true;
}

/* Loop variables. A for loop owns its variable: assigning to it inside the
 * loop, or reusing it in a nested loop, would change how often the outer
 * loop runs, which Python hides and a beginner never means. */

struct loops {
	const char *names[AST_MAX_DEPTH + 1];
	int n;
};

static bool
is_loop(const struct stmt *s)
{
	return s->kind == ST_FOR_RANGE || s->kind == ST_FOR_WORDS;
}

static bool
changes_var(const struct stmt *s)
{
	return s->kind == ST_ASSIGN || s->kind == ST_ADD_ASSIGN ||
	       s->kind == ST_INCR || s->kind == ST_DECR;
}

static bool
enclosing(const struct loops *lp, const char *name)
{
	for (int i = 0; i < lp->n; i++)
		if (strcmp(lp->names[i], name) == 0)
			return true;
	return false;
}

static bool check_loop_vars(struct parser *p, struct loops *lp,
			    struct stmt **v, size_t n);

static bool
check_loop_stmt(struct parser *p, struct loops *lp, struct stmt *s)
{
	bool ok;

	if (is_loop(s) && enclosing(lp, s->name)) {
		fail_at(p, s->line, s->col, "a nested loop cannot reuse '%s'",
			s->name);
		return false;
	}
	if (changes_var(s) && enclosing(lp, s->name)) {
		fail_at(p, s->line, s->col,
			"'%s' is the loop's variable: it cannot be assigned "
			"inside the loop",
			s->name);
		return false;
	}
	if (is_loop(s))
		lp->names[lp->n++] = s->name;
	ok = check_loop_vars(p, lp, s->body, s->nbody) &&
	     check_loop_vars(p, lp, s->orelse, s->norelse);
	if (is_loop(s))
		lp->n--;
	return ok;
}

static bool
check_loop_vars(struct parser *p, struct loops *lp, struct stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!check_loop_stmt(p, lp, v[i]))
			return false;
	return true;
}

/* Names */

struct names {
	struct task_def *def;
	char *locals[AST_MAX_NODES / 2 + AST_MAX_PARAMS];
	int nlocals;
};

static int
local_slot(const struct names *nm, const char *name)
{
	for (int i = 0; i < nm->nlocals; i++)
		if (strcmp(nm->locals[i], name) == 0)
			return i;
	return -1;
}

static int
intern(char ***v, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return (int)i;
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n] = xstrdup(name);
	return (int)(*n)++;
}

/* A variable: its local slot, or ~index among the task's globals. */
static int
resolve(struct names *nm, const char *name)
{
	int slot = local_slot(nm, name);
	if (slot >= 0)
		return slot;
	return ~intern(&nm->def->globals, &nm->def->nglobals, name);
}

static void
collect_loop_vars(struct names *nm, struct stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct stmt *s = v[i];
		/* A value got from a queue is the taker's own, as a
		 * function's local in Python: `get q v` makes v a local. */
		if ((s->kind == ST_FOR_RANGE || s->kind == ST_FOR_WORDS ||
		     s->kind == ST_GET) &&
		    local_slot(nm, s->name) < 0)
			nm->locals[nm->nlocals++] = s->name;
		collect_loop_vars(nm, s->body, s->nbody);
		collect_loop_vars(nm, s->orelse, s->norelse);
	}
}

static bool
numeric_op(enum binop op)
{
	return op != OP_EQ && op != OP_NE;
}

static void
resolve_expr(struct names *nm, struct expr *e, bool numeric)
{
	if (e == NULL)
		return;
	if (e->kind == EX_VAR) {
		e->var = resolve(nm, e->s);
		if (numeric && e->var >= 0 && e->var < nm->def->nparams)
			nm->def->numeric[e->var] = true;
		return;
	}
	bool inner = e->kind == EX_NEG || e->kind == EX_NOT ||
		     (e->kind == EX_BIN && numeric_op(e->op));
	resolve_expr(nm, e->a, inner);
	resolve_expr(nm, e->b, inner);
}

static void
resolve_stmts(struct names *nm, struct stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct stmt *s = v[i];
		bool numeric = s->kind != ST_PRINT && s->kind != ST_ASSIGN &&
			       s->kind != ST_PUT;
		for (size_t j = 0; j < s->nargs; j++)
			resolve_expr(nm, s->args[j], numeric);
		resolve_expr(nm, s->lo, true);
		resolve_expr(nm, s->hi, true);
		if ((s->kind == ST_LOCK || s->kind == ST_UNLOCK) &&
		    (s->var = local_slot(nm, s->name)) >= 0)
			s->by_value = true; /* `lock left` in phil(left) */
		else if (s->kind == ST_LOCK || s->kind == ST_UNLOCK)
			s->var = intern(&nm->def->locks, &nm->def->nlocks,
					s->name);
		else if (s->name != NULL)
			s->var = resolve(nm, s->name);
		if (s->obj != NULL) /* `wait s` in worker(s): its word */
			s->obj_var = local_slot(nm, s->obj);
		if ((s->kind == ST_INCR || s->kind == ST_DECR ||
		     s->kind == ST_ADD_ASSIGN) &&
		    s->var >= 0 && s->var < nm->def->nparams)
			nm->def->numeric[s->var] = true;
		resolve_stmts(nm, s->body, s->nbody);
		resolve_stmts(nm, s->orelse, s->norelse);
	}
}

static void
resolve_names(struct task_def *def)
{
	static struct names nm; /* large; the parser runs on the main thread */

	memset(&nm, 0, sizeof nm);
	nm.def = def;
	for (int i = 0; i < def->nparams; i++)
		nm.locals[nm.nlocals++] = def->params[i];
	collect_loop_vars(&nm, def->body, def->nbody);
	def->nslots = nm.nlocals;
	resolve_stmts(&nm, def->body, def->nbody);
}

/* The definition */

static bool
parse_params(struct parser *p, struct task_def *def)
{
	if (!accept(p, T_LPAREN))
		return true;
	if (accept(p, T_RPAREN))
		return true;
	do {
		struct token *t = peek(p);
		if (t->t != T_IDENT || is_keyword(t->s)) {
			expected(p, "a parameter name");
			return false;
		}
		if (!name_fits(p, t))
			return false;
		if (def->nparams == AST_MAX_PARAMS) {
			fail_at(p, t->line, t->col, "more than %d parameters",
				AST_MAX_PARAMS);
			return false;
		}
		for (int i = 0; i < def->nparams; i++)
			if (strcmp(def->params[i], t->s) == 0) {
				fail_at(p, t->line, t->col,
					"parameter '%s' appears twice", t->s);
				return false;
			}
		def->params[def->nparams++] = xstrdup(next(p)->s);
	} while (accept(p, T_COMMA));
	return expect(p, T_RPAREN, "',' or ')'");
}

static bool
parse_head(struct parser *p, struct task_def *def)
{
	struct token *t = peek(p);

	if (t->t != T_IDENT || strcmp(t->s, "task") != 0) {
		expected(p, "'task'");
		return false;
	}
	next(p);
	t = peek(p);
	if (t->t != T_IDENT || is_keyword(t->s)) {
		expected(p, "a task name");
		return false;
	}
	if (strlen(t->s) > AST_NAME_MAX) {
		fail_at(p, t->line, t->col,
			"task name longer than %d characters", AST_NAME_MAX);
		return false;
	}
	def->name = xstrdup(next(p)->s);
	return parse_params(p, def);
}

struct task_def *
parse_task(const char *text, size_t len, size_t *used, struct parse_error *err)
{
	struct parser p = { .src = text, .len = len, .err = err };
	struct task_def *def = xcalloc(1, sizeof *def);
	bool ok = false;

	memset(err, 0, sizeof *err);
	if (len > AST_MAX_BODY)
		fail_at(&p, 1, 1, "definition longer than %d bytes",
			AST_MAX_BODY);
	else if (tokenize(&p) && parse_head(&p, def) &&
		 parse_block(&p, &def->body, &def->nbody) &&
		 check_loop_vars(&p, &(struct loops){ 0 }, def->body,
				 def->nbody))
		ok = true;
	if (ok) {
		*used = p.toks[p.pos - 1].end;
		def->source = xstrndup(text, *used);
		def->source_len = *used;
		resolve_names(def);
	}
	for (size_t i = 0; i < p.ntoks; i++)
		free(p.toks[i].s);
	free(p.toks);
	if (!ok) {
		task_def_free(def);
		return NULL;
	}
	return def;
}

void
task_def_free(struct task_def *def)
{
	if (def == NULL)
		return;
	free(def->source);
	free(def->name);
	for (int i = 0; i < def->nparams; i++)
		free(def->params[i]);
	for (size_t i = 0; i < def->nglobals; i++)
		free(def->globals[i]);
	free(def->globals);
	for (size_t i = 0; i < def->nlocks; i++)
		free(def->locks[i]);
	free(def->locks);
	stmts_free(def->body, def->nbody);
	free(def);
}

bool
parse_starts_task(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return len - i >= 4 && memcmp(line + i, "task", 4) == 0 &&
	       (len - i == 4 || strchr(" \t({", line[i + 4]) != NULL);
}
