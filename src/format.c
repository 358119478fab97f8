/*
 * format.c: a task definition printed back in canonical form, for
 * `show task` and for step traces: one statement a line, four spaces an
 * indent, and only the parentheses that the precedence of the operators
 * needs. Parsing the output gives the same tree again.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ast.h"
#include "buf.h"

static const struct {
	const char *text;
	int level;
} binops[] = {
	[OP_ADD] = { "+", 4 }, [OP_SUB] = { "-", 4 }, [OP_MUL] = { "*", 5 },
	[OP_DIV] = { "/", 5 }, [OP_MOD] = { "%", 5 }, [OP_EQ] = { "==", 3 },
	[OP_NE] = { "!=", 3 }, [OP_LT] = { "<", 3 },  [OP_LE] = { "<=", 3 },
	[OP_GT] = { ">", 3 },  [OP_GE] = { ">=", 3 }, [OP_AND] = { "&&", 2 },
	[OP_OR] = { "||", 1 },
};

static void
quote(const char *s, struct buf *out)
{
	buf_puts(out, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(out, "\\%c", *s);
		else if (*s == '\n')
			buf_puts(out, "\\n");
		else if (*s == '\t')
			buf_puts(out, "\\t");
		else
			buf_add(out, s, 1);
	}
	buf_puts(out, "\"");
}

/* A loop word stays bare when it reads back as the same word. */
static void
word_out(const char *w, struct buf *out)
{
	bool bare = *w != '\0';

	for (const char *c = w; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      *c == '_' || (*c >= '0' && *c <= '9')))
			bare = false;
	if (*w >= '0' && *w <= '9') { /* a number: it must fit, too */
		for (const char *c = w; *c; c++)
			bare = bare && *c >= '0' && *c <= '9';
		errno = 0;
		(void)strtoll(w, NULL, 10);
		bare = bare && errno == 0;
	}
	if (bare && !(*w == '0' && w[1] != '\0'))
		buf_puts(out, w);
	else
		quote(w, out);
}

static int
level_of(const struct expr *e)
{
	if (e->kind == EX_BIN)
		return binops[e->op].level;
	if (e->kind == EX_INT && e->i < 0)
		return 6;
	return e->kind == EX_NOT || e->kind == EX_NEG ? 6 : 7;
}

/* Writes E; parenthesised when its level is below MIN. */
static void
expr_out(const struct expr *e, int min, struct buf *out)
{
	bool paren = level_of(e) < min;

	if (paren)
		buf_puts(out, "(");
	switch (e->kind) {
	case EX_INT: buf_printf(out, "%lld", (long long)e->i); break;
	case EX_STR: quote(e->s, out); break;
	case EX_VAR: buf_puts(out, e->s); break;
	case EX_NOT:
	case EX_NEG:
		buf_puts(out, e->kind == EX_NOT ? "!" : "-");
		expr_out(e->a, 6, out);
		break;
	case EX_BIN: {
		int l = binops[e->op].level;
		/* Left-associative: a right operand of the same level needs
		 * parentheses; comparisons never chain. */
		expr_out(e->a, l == 3 ? 4 : l, out);
		buf_printf(out, " %s ", binops[e->op].text);
		expr_out(e->b, l + 1, out);
		break;
	}
	}
	if (paren)
		buf_puts(out, ")");
}

void
expr_format(const struct expr *e, struct buf *out)
{
	expr_out(e, 1, out);
}

static void block_out(struct stmt **v, size_t n, int depth, struct buf *out);

static const char *const words[] = {
	[ST_PRINT] = "print",	[ST_SLEEP] = "sleep",	[ST_FOR_RANGE] = "for",
	[ST_FOR_WORDS] = "for", [ST_REPEAT] = "repeat", [ST_WHILE] = "while",
	[ST_IF] = "if",		[ST_INCR] = "incr",	[ST_DECR] = "decr",
	[ST_LOCK] = "lock",	[ST_UNLOCK] = "unlock", [ST_YIELD] = "yield",
	[ST_EXIT] = "exit",	[ST_CRASH] = "crash",   [ST_WAIT] = "wait",
	[ST_SIGNAL] = "signal", [ST_NOTIFY] = "notify",
	[ST_NOTIFY_ALL] = "notify_all", [ST_PUT] = "put", [ST_GET] = "get",
	[ST_ASSERT] = "assert",
};

/* The statement's own line, without its block. */
static void
head_out(const struct stmt *s, struct buf *out)
{
	if (s->kind == ST_ASSIGN || s->kind == ST_ADD_ASSIGN) {
		buf_printf(out, "%s %s ", s->name,
			   s->kind == ST_ASSIGN ? "=" : "+=");
		expr_out(s->args[0], 1, out);
		return;
	}
	buf_puts(out, words[s->kind]);
	if (s->obj != NULL)
		buf_printf(out, " %s", s->obj);
	if (s->name != NULL)
		buf_printf(out, " %s", s->name);
	if (s->kind == ST_FOR_RANGE) {
		buf_puts(out, " in ");
		expr_out(s->lo, 1, out);
		buf_puts(out, "..");
		expr_out(s->hi, 1, out);
	}
	if (s->kind == ST_FOR_WORDS) {
		buf_puts(out, " in");
		for (size_t i = 0; i < s->nwords; i++) {
			buf_puts(out, " ");
			word_out(s->words[i], out);
		}
	}
	if (s->kind == ST_ASSERT) {
		buf_puts(out, " ");
		expr_out(s->args[0], 1, out);
		if (s->nargs > 1) {
			buf_puts(out, ", ");
			expr_out(s->args[1], 1, out);
		}
		return;
	}
	for (size_t i = 0; i < s->nargs; i++) {
		struct buf one = { 0 };
		expr_out(s->args[i], 1, &one);
		/* After the first value, a leading '-' would read back as a
		 * subtraction from the value before: `print x (-1)`. */
		if (i > 0 && one.len > 0 && one.data[0] == '-')
			buf_printf(out, " (%s)", buf_str(&one));
		else
			buf_printf(out, " %s", one.len ? buf_str(&one) : "");
		buf_free(&one);
	}
}

static void
indent(int depth, struct buf *out)
{
	for (int i = 0; i < depth; i++)
		buf_puts(out, "    ");
}

static void
stmt_out(const struct stmt *s, int depth, struct buf *out)
{
	indent(depth, out);
	head_out(s, out);
	if (s->kind == ST_FOR_RANGE || s->kind == ST_FOR_WORDS ||
	    s->kind == ST_REPEAT || s->kind == ST_WHILE || s->kind == ST_IF) {
		buf_puts(out, " {\n");
		block_out(s->body, s->nbody, depth + 1, out);
		indent(depth, out);
		buf_puts(out, "}");
		while (s->kind == ST_IF && s->norelse == 1 &&
		       s->orelse[0]->kind == ST_IF) { /* else if */
			s = s->orelse[0];
			buf_puts(out, " else ");
			head_out(s, out);
			buf_puts(out, " {\n");
			block_out(s->body, s->nbody, depth + 1, out);
			indent(depth, out);
			buf_puts(out, "}");
		}
		if (s->kind == ST_IF && s->norelse > 0) {
			buf_puts(out, " else {\n");
			block_out(s->orelse, s->norelse, depth + 1, out);
			indent(depth, out);
			buf_puts(out, "}");
		}
	}
	buf_puts(out, "\n");
}

static void
block_out(struct stmt **v, size_t n, int depth, struct buf *out)
{
	for (size_t i = 0; i < n; i++)
		stmt_out(v[i], depth, out);
}

void
task_format(const struct task_def *def, struct buf *out)
{
	buf_printf(out, "task %s", def->name);
	if (def->nparams > 0) {
		buf_puts(out, "(");
		for (int i = 0; i < def->nparams; i++)
			buf_printf(out, "%s%s", i ? ", " : "", def->params[i]);
		buf_puts(out, ")");
	}
	buf_puts(out, " {\n");
	block_out(def->body, def->nbody, 1, out);
	buf_puts(out, "}\n");
}

void
stmt_format(const struct stmt *s, struct buf *out)
{
	head_out(s, out);
}
