/*
 * check_parse.c: unit tests of the task language's parser. Every statement
 * and expression form parses into the tree it should, with operator
 * precedence, unary operators and string escapes; names resolve to local
 * slots, globals and locks, and parameters used as numbers are marked so;
 * parse_task_end finds where a definition typed over several lines ends;
 * every error is reported with its exact line, column and message; and
 * task_format prints a definition that parses back to the same text.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "buf.h"
#include "task.h"

/* Helpers */

/* Parses the NUL-terminated TEXT, which must succeed. */
static struct task_def *
parse_ok(const char *text)
{
	struct parse_error err;
	size_t used = 0;
	struct task_def *def = parse_task(text, strlen(text), &used, &err);

	ck_assert_msg(def != NULL, "'%s': %d:%d: %s", text, err.line, err.col,
		      err.msg);
	return def;
}

/* Parses LEN bytes of TEXT, which must fail at LINE:COL with MSG. */
static void
check_error_len(const char *text, size_t len, int line, int col,
		const char *msg)
{
	struct parse_error err;
	size_t used = 0;
	struct task_def *def = parse_task(text, len, &used, &err);

	if (def != NULL) {
		task_def_free(def); /* first: a failed test leaks nothing */
		ck_abort_msg("'%.60s' parsed", text);
	}
	ck_assert_msg(strcmp(err.msg, msg) == 0 && err.line == line &&
			      err.col == col,
		      "'%.60s': %d:%d: %s, not %d:%d: %s", text, err.line,
		      err.col, err.msg, line, col, msg);
}

static void
check_error(const char *text, int line, int col, const char *msg)
{
	check_error_len(text, strlen(text), line, col, msg);
}

/* Texts made by repeat_text, freed after each test even when it fails
 * (under CK_FORK=no a failed test does not reach its own free). */
static char *garbage[8];
static int ngarbage;

static void
no_garbage(void)
{
	ngarbage = 0;
}

static void
free_garbage(void)
{
	for (int i = 0; i < ngarbage; i++)
		free(garbage[i]);
	ngarbage = 0;
}

/* Returns COUNT copies of PIECE between HEAD and TAIL, freed after the
 * test. */
static const char *
repeat_text(const char *head, const char *piece, int count, const char *tail)
{
	struct buf b = { 0 };
	char *s;

	ck_assert_int_lt(ngarbage, 8);
	buf_puts(&b, head);
	for (int i = 0; i < count; i++)
		buf_puts(&b, piece);
	buf_puts(&b, tail);
	s = strdup(buf_str(&b));
	ck_assert_ptr_nonnull(s);
	buf_free(&b);
	garbage[ngarbage++] = s;
	return s;
}

/* Returns DEF in canonical form, as a new string. */
static char *
format_def(const struct task_def *def)
{
	struct buf b = { 0 };
	char *s;

	task_format(def, &b);
	s = strdup(buf_str(&b));
	ck_assert_ptr_nonnull(s);
	buf_free(&b);
	return s;
}

/* Returns the index of NAME among DEF's globals, or -1. */
static int
global_of(const struct task_def *def, const char *name)
{
	for (size_t i = 0; i < def->nglobals; i++)
		if (strcmp(def->globals[i], name) == 0)
			return (int)i;
	return -1;
}

/* Checks that E is the variable NAME in slot or ~global VAR. */
static void
check_var(const struct expr *e, const char *name, int var)
{
	ck_assert_int_eq(e->kind, EX_VAR);
	ck_assert_str_eq(e->s, name);
	ck_assert_int_eq(e->var, var);
}

static void
check_int(const struct expr *e, int64_t i)
{
	ck_assert_int_eq(e->kind, EX_INT);
	ck_assert_int_eq(e->i, i);
}

static void
check_bin(const struct expr *e, enum binop op)
{
	ck_assert_int_eq(e->kind, EX_BIN);
	ck_assert_int_eq(e->op, op);
	ck_assert_ptr_nonnull(e->a);
	ck_assert_ptr_nonnull(e->b);
}

/* The expression of "task t { v = EXPR }": parsed from TEXT into *DEF. */
static const struct expr *
assigned(const char *text, struct task_def **def)
{
	*def = parse_ok(text);
	ck_assert_uint_eq((*def)->nbody, 1);
	ck_assert_int_eq((*def)->body[0]->kind, ST_ASSIGN);
	ck_assert_uint_eq((*def)->body[0]->nargs, 1);
	return (*def)->body[0]->args[0];
}

/* The definition */

START_TEST(test_empty_task)
{
	struct task_def *def = parse_ok("task idle { }");

	ck_assert_str_eq(def->name, "idle");
	ck_assert_int_eq(def->nparams, 0);
	ck_assert_uint_eq(def->nbody, 0);
	ck_assert_uint_eq(def->nglobals, 0);
	ck_assert_uint_eq(def->nlocks, 0);
	ck_assert_int_eq(def->nslots, 0);
	ck_assert(!def->builtin);
	task_def_free(def);
}
END_TEST

START_TEST(test_params)
{
	struct task_def *def = parse_ok("task t(a, b_2, C) { }");

	ck_assert_int_eq(def->nparams, 3);
	ck_assert_str_eq(def->params[0], "a");
	ck_assert_str_eq(def->params[1], "b_2");
	ck_assert_str_eq(def->params[2], "C");
	ck_assert_int_eq(def->nslots, 3);
	for (int i = 0; i < 3; i++)
		ck_assert(!def->numeric[i]);
	task_def_free(def);
	def = parse_ok("task t() { }");
	ck_assert_int_eq(def->nparams, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_eight_params)
{
	struct task_def *def =
		parse_ok("task t(a, b, c, d, e, f, g, h) { print h }");

	ck_assert_int_eq(def->nparams, AST_MAX_PARAMS);
	check_var(def->body[0]->args[0], "h", 7);
	task_def_free(def);
}
END_TEST

START_TEST(test_lines_and_separators)
{
	struct task_def *def = parse_ok("task t {\n"
					"    yield; yield\n"
					"\n"
					"    # a comment { with braces }\n"
					"    ;;\n"
					"    crash # after a statement\n"
					"}");

	ck_assert_uint_eq(def->nbody, 3);
	ck_assert_int_eq(def->body[0]->line, 2);
	ck_assert_int_eq(def->body[0]->col, 5);
	ck_assert_int_eq(def->body[1]->line, 2);
	ck_assert_int_eq(def->body[1]->col, 12);
	ck_assert_int_eq(def->body[2]->kind, ST_CRASH);
	ck_assert_int_eq(def->body[2]->line, 6);
	ck_assert_int_eq(def->body[2]->col, 5);
	task_def_free(def);
}
END_TEST

START_TEST(test_used_and_text_after)
{
	struct parse_error err;
	size_t used = 0;
	const char *text = "task t { yield } ; ps @ \"unterminated";
	struct task_def *def = parse_task(text, strlen(text), &used, &err);

	/* What follows the closing brace is the shell's, never looked at. */
	ck_assert_ptr_nonnull(def);
	ck_assert_uint_eq(used, 16);
	ck_assert_int_eq(text[used - 1], '}');
	task_def_free(def);
	text = "task t {\n    yield\n}\nps";
	def = parse_task(text, strlen(text), &used, &err);
	ck_assert_ptr_nonnull(def);
	ck_assert_uint_eq(used, 20);
	task_def_free(def);
	/* Only LEN bytes count. */
	def = parse_task(text, 20, &used, &err);
	ck_assert_ptr_nonnull(def);
	ck_assert_uint_eq(used, 20);
	task_def_free(def);
}
END_TEST

/* Statements */

START_TEST(test_print_values)
{
	struct task_def *def = parse_ok("task t(n) { print \"n is\" n 42 x }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_PRINT);
	ck_assert_int_eq(s->line, 1);
	ck_assert_int_eq(s->col, 13);
	ck_assert_uint_eq(s->nargs, 4);
	ck_assert_int_eq(s->args[0]->kind, EX_STR);
	ck_assert_str_eq(s->args[0]->s, "n is");
	ck_assert_int_eq(s->args[0]->col, 19);
	check_var(s->args[1], "n", 0);
	check_int(s->args[2], 42);
	check_var(s->args[3], "x", ~0);
	ck_assert_ptr_null(s->name);
	task_def_free(def);
}
END_TEST

START_TEST(test_print_parenthesised_values)
{
	struct task_def *def = parse_ok("task t { print (1 + 2) (3) !x }");
	const struct stmt *s = def->body[0];

	ck_assert_uint_eq(s->nargs, 3);
	check_bin(s->args[0], OP_ADD);
	check_int(s->args[1], 3);
	ck_assert_int_eq(s->args[2]->kind, EX_NOT);
	task_def_free(def);
}
END_TEST

START_TEST(test_sleep)
{
	struct task_def *def = parse_ok("task t { sleep 250 }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_SLEEP);
	ck_assert_uint_eq(s->nargs, 1);
	check_int(s->args[0], 250);
	task_def_free(def);
}
END_TEST

START_TEST(test_for_range)
{
	struct task_def *def =
		parse_ok("task t(n) { for i in 1..n * 2 { print i } }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_FOR_RANGE);
	ck_assert_str_eq(s->name, "i");
	ck_assert_int_eq(s->var, 1);
	check_int(s->lo, 1);
	check_bin(s->hi, OP_MUL);
	check_var(s->hi->a, "n", 0);
	ck_assert_uint_eq(s->nbody, 1);
	check_var(s->body[0]->args[0], "i", 1);
	ck_assert_uint_eq(s->nwords, 0);
	ck_assert_int_eq(def->nslots, 2);
	task_def_free(def);
}
END_TEST

START_TEST(test_for_words)
{
	struct task_def *def =
		parse_ok("task t { for w in red 12 \"x y\" if { print w } }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_FOR_WORDS);
	ck_assert_str_eq(s->name, "w");
	ck_assert_int_eq(s->var, 0);
	ck_assert_uint_eq(s->nwords, 4);
	ck_assert_str_eq(s->words[0], "red");
	ck_assert_str_eq(s->words[1], "12");
	ck_assert_str_eq(s->words[2], "x y");
	ck_assert_str_eq(s->words[3], "if");
	ck_assert_ptr_null(s->lo);
	ck_assert_uint_eq(s->nbody, 1);
	ck_assert_int_eq(def->nslots, 1);
	task_def_free(def);
}
END_TEST

START_TEST(test_repeat)
{
	struct task_def *def = parse_ok("task t { repeat 3 { yield; yield } }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_REPEAT);
	ck_assert_uint_eq(s->nargs, 1);
	check_int(s->args[0], 3);
	ck_assert_uint_eq(s->nbody, 2);
	ck_assert_int_eq(s->body[1]->kind, ST_YIELD);
	task_def_free(def);
}
END_TEST

START_TEST(test_while)
{
	struct task_def *def = parse_ok("task t { while x < 3 { incr x } }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_WHILE);
	check_bin(s->args[0], OP_LT);
	ck_assert_uint_eq(s->nbody, 1);
	ck_assert_int_eq(s->body[0]->kind, ST_INCR);
	ck_assert_uint_eq(s->norelse, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_if_else)
{
	struct task_def *def = parse_ok("task t {\n"
					"    if x == 1 {\n"
					"        print 1\n"
					"    } else {\n"
					"        print 2; print 3\n"
					"    }\n"
					"    if y { yield }\n"
					"}");
	const struct stmt *s = def->body[0];

	ck_assert_uint_eq(def->nbody, 2);
	ck_assert_int_eq(s->kind, ST_IF);
	check_bin(s->args[0], OP_EQ);
	ck_assert_uint_eq(s->nbody, 1);
	ck_assert_uint_eq(s->norelse, 2);
	check_int(s->orelse[1]->args[0], 3);
	s = def->body[1];
	ck_assert_int_eq(s->kind, ST_IF);
	ck_assert_uint_eq(s->norelse, 0);
	ck_assert_ptr_null(s->orelse);
	task_def_free(def);
}
END_TEST

START_TEST(test_else_if)
{
	struct task_def *def = parse_ok("task t {\n"
					"    if a { print 1 } else if b {\n"
					"        print 2\n"
					"    } else { print 3 }\n"
					"}");
	const struct stmt *s = def->body[0], *inner;

	ck_assert_uint_eq(def->nbody, 1);
	ck_assert_uint_eq(s->nbody, 1);
	ck_assert_uint_eq(s->norelse, 1);
	inner = s->orelse[0];
	/* else if: an if alone in the else block, at the 'if' word. */
	ck_assert_int_eq(inner->kind, ST_IF);
	ck_assert_int_eq(inner->line, 2);
	ck_assert_int_eq(inner->col, 27);
	check_var(inner->args[0], "b", ~global_of(def, "b"));
	ck_assert_uint_eq(inner->nbody, 1);
	ck_assert_uint_eq(inner->norelse, 1);
	check_int(inner->orelse[0]->args[0], 3);
	task_def_free(def);
}
END_TEST

START_TEST(test_assign)
{
	struct task_def *def = parse_ok("task t { x = 5; y += x }");
	const struct stmt *s = def->body[0];

	ck_assert_int_eq(s->kind, ST_ASSIGN);
	ck_assert_str_eq(s->name, "x");
	ck_assert_int_eq(s->var, ~global_of(def, "x"));
	check_int(s->args[0], 5);
	s = def->body[1];
	ck_assert_int_eq(s->kind, ST_ADD_ASSIGN);
	ck_assert_str_eq(s->name, "y");
	ck_assert_int_eq(s->var, ~global_of(def, "y"));
	check_var(s->args[0], "x", ~global_of(def, "x"));
	ck_assert_uint_eq(def->nglobals, 2);
	task_def_free(def);
}
END_TEST

START_TEST(test_incr_decr)
{
	struct task_def *def = parse_ok("task t(n) { incr x; decr n }");

	ck_assert_int_eq(def->body[0]->kind, ST_INCR);
	ck_assert_str_eq(def->body[0]->name, "x");
	ck_assert_int_eq(def->body[0]->var, ~0);
	ck_assert_uint_eq(def->body[0]->nargs, 0);
	ck_assert_int_eq(def->body[1]->kind, ST_DECR);
	ck_assert_int_eq(def->body[1]->var, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_lock_unlock)
{
	struct task_def *def = parse_ok("task t { lock a; lock b; unlock a; "
					"unlock b }");

	ck_assert_uint_eq(def->nlocks, 2);
	ck_assert_str_eq(def->locks[0], "a");
	ck_assert_str_eq(def->locks[1], "b");
	ck_assert_int_eq(def->body[0]->kind, ST_LOCK);
	ck_assert_str_eq(def->body[0]->name, "a");
	ck_assert_int_eq(def->body[0]->var, 0);
	ck_assert_int_eq(def->body[1]->var, 1);
	ck_assert_int_eq(def->body[2]->kind, ST_UNLOCK);
	ck_assert_int_eq(def->body[2]->var, 0);
	ck_assert_int_eq(def->body[3]->var, 1);
	/* Locks are not variables. */
	ck_assert_uint_eq(def->nglobals, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_yield_crash)
{
	struct task_def *def = parse_ok("task t { yield; crash }");

	ck_assert_int_eq(def->body[0]->kind, ST_YIELD);
	ck_assert_uint_eq(def->body[0]->nargs, 0);
	ck_assert_int_eq(def->body[1]->kind, ST_CRASH);
	ck_assert_uint_eq(def->body[1]->nargs, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_exit)
{
	struct task_def *def =
		parse_ok("task t { exit; exit 3\n exit x + 1\n exit }");

	ck_assert_uint_eq(def->nbody, 4);
	for (size_t i = 0; i < 4; i++)
		ck_assert_int_eq(def->body[i]->kind, ST_EXIT);
	ck_assert_uint_eq(def->body[0]->nargs, 0);
	ck_assert_uint_eq(def->body[1]->nargs, 1);
	check_int(def->body[1]->args[0], 3);
	check_bin(def->body[2]->args[0], OP_ADD);
	ck_assert_uint_eq(def->body[3]->nargs, 0);
	task_def_free(def);
}
END_TEST

/* Expressions */

START_TEST(test_precedence_mul_over_add)
{
	struct task_def *def;
	const struct expr *e = assigned("task t { v = 1 + 2 * 3 }", &def);

	check_bin(e, OP_ADD);
	check_int(e->a, 1);
	check_bin(e->b, OP_MUL);
	check_int(e->b->a, 2);
	check_int(e->b->b, 3);
	/* A binary expression is at its operator. */
	ck_assert_int_eq(e->col, 16);
	ck_assert_int_eq(e->b->col, 20);
	task_def_free(def);
}
END_TEST

START_TEST(test_parentheses)
{
	struct task_def *def;
	const struct expr *e = assigned("task t { v = (1 + 2) * 3 }", &def);

	check_bin(e, OP_MUL);
	check_bin(e->a, OP_ADD);
	check_int(e->b, 3);
	task_def_free(def);
	e = assigned("task t { v = ((((7)))) }", &def);
	check_int(e, 7);
	task_def_free(def);
}
END_TEST

START_TEST(test_left_associative)
{
	struct task_def *def;
	const struct expr *e = assigned("task t { v = 10 - 4 - 3 }", &def);

	check_bin(e, OP_SUB);
	check_bin(e->a, OP_SUB);
	check_int(e->a->a, 10);
	check_int(e->b, 3);
	task_def_free(def);
	e = assigned("task t { v = 20 / 5 % 3 * 2 }", &def);
	check_bin(e, OP_MUL);
	check_bin(e->a, OP_MOD);
	check_bin(e->a->a, OP_DIV);
	task_def_free(def);
}
END_TEST

START_TEST(test_logic_precedence)
{
	struct task_def *def;
	const struct expr *e =
		assigned("task t { v = a || b && c == 1 }", &def);

	check_bin(e, OP_OR);
	check_var(e->a, "a", ~global_of(def, "a"));
	check_bin(e->b, OP_AND);
	check_bin(e->b->b, OP_EQ);
	task_def_free(def);
	e = assigned("task t { v = a < b + 1 && c != d }", &def);
	check_bin(e, OP_AND);
	check_bin(e->a, OP_LT);
	check_bin(e->a->b, OP_ADD);
	check_bin(e->b, OP_NE);
	task_def_free(def);
}
END_TEST

START_TEST(test_all_operators)
{
	static const struct {
		const char *text;
		enum binop op;
	} ops[] = {
		{ "+", OP_ADD }, { "-", OP_SUB }, { "*", OP_MUL },
		{ "/", OP_DIV }, { "%", OP_MOD }, { "==", OP_EQ },
		{ "!=", OP_NE }, { "<", OP_LT },  { "<=", OP_LE },
		{ ">", OP_GT },	 { ">=", OP_GE }, { "&&", OP_AND },
		{ "||", OP_OR },
	};
	char text[64];

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		struct task_def *def;
		const struct expr *e;
		snprintf(text, sizeof text, "task t { v = a %s 2 }",
			 ops[i].text);
		e = assigned(text, &def);
		check_bin(e, ops[i].op);
		check_int(e->b, 2);
		task_def_free(def);
	}
}
END_TEST

START_TEST(test_unary)
{
	struct task_def *def;
	const struct expr *e = assigned("task t { v = -x }", &def);

	ck_assert_int_eq(e->kind, EX_NEG);
	ck_assert_int_eq(e->col, 14);
	check_var(e->a, "x", ~global_of(def, "x"));
	task_def_free(def);
	e = assigned("task t { v = !x }", &def);
	ck_assert_int_eq(e->kind, EX_NOT);
	task_def_free(def);
	/* Unary binds tighter than any binary operator. */
	e = assigned("task t { v = -x * 2 }", &def);
	check_bin(e, OP_MUL);
	ck_assert_int_eq(e->a->kind, EX_NEG);
	task_def_free(def);
	e = assigned("task t { v = !(a && b) }", &def);
	ck_assert_int_eq(e->kind, EX_NOT);
	check_bin(e->a, OP_AND);
	task_def_free(def);
	e = assigned("task t { v = !!-x }", &def);
	ck_assert_int_eq(e->kind, EX_NOT);
	ck_assert_int_eq(e->a->kind, EX_NOT);
	ck_assert_int_eq(e->a->a->kind, EX_NEG);
	task_def_free(def);
}
END_TEST

START_TEST(test_negative_literal)
{
	struct task_def *def;
	const struct expr *e = assigned("task t { v = -5 }", &def);

	/* A minus before a literal makes a negative literal. */
	check_int(e, -5);
	task_def_free(def);
	e = assigned("task t { v = - -5 }", &def);
	check_int(e, 5);
	task_def_free(def);
	e = assigned("task t { v = -(5) }", &def);
	check_int(e, -5);
	task_def_free(def);
	e = assigned("task t { v = 2 - -9223372036854775807 }", &def);
	check_bin(e, OP_SUB);
	check_int(e->b, -INT64_MAX);
	task_def_free(def);
}
END_TEST

START_TEST(test_largest_number)
{
	struct task_def *def;
	const struct expr *e =
		assigned("task t { v = 9223372036854775807 }", &def);

	check_int(e, INT64_MAX);
	task_def_free(def);
	e = assigned("task t { v = 007 }", &def);
	check_int(e, 7);
	task_def_free(def);
}
END_TEST

START_TEST(test_string_escapes)
{
	struct task_def *def = parse_ok(
		"task t { print \"q\\\"b\\\\s\\nn\\tt\\qz\" \"\" \"#{}\" }");
	const struct stmt *s = def->body[0];

	ck_assert_uint_eq(s->nargs, 3);
	ck_assert_int_eq(s->args[0]->kind, EX_STR);
	ck_assert_str_eq(s->args[0]->s, "q\"b\\s\nn\tt"
					"qz");
	ck_assert_str_eq(s->args[1]->s, "");
	ck_assert_str_eq(s->args[2]->s, "#{}");
	task_def_free(def);
}
END_TEST

START_TEST(test_longest_string)
{
	const char *text =
		repeat_text("task t { print \"", "s", AST_MAX_STRING, "\" }");
	struct task_def *def = parse_ok(text);

	ck_assert_uint_eq(strlen(def->body[0]->args[0]->s), AST_MAX_STRING);
	task_def_free(def);
	/* An escape is one byte. */
	text = repeat_text("task t { print \"", "\\n", AST_MAX_STRING, "\" }");
	def = parse_ok(text);
	ck_assert_uint_eq(strlen(def->body[0]->args[0]->s), AST_MAX_STRING);
	task_def_free(def);
}
END_TEST

/* Names */

START_TEST(test_resolve_locals_and_globals)
{
	struct task_def *def = parse_ok("task t(n) {\n"
					"    for i in 1..n {\n"
					"        x = i + y\n"
					"        print n x\n"
					"    }\n"
					"}");
	const struct stmt *loop = def->body[0], *as = loop->body[0];

	ck_assert_int_eq(def->nslots, 2);
	ck_assert_uint_eq(def->nglobals, 2);
	ck_assert_int_ge(global_of(def, "x"), 0);
	ck_assert_int_ge(global_of(def, "y"), 0);
	ck_assert_int_eq(global_of(def, "i"), -1);
	ck_assert_int_eq(global_of(def, "n"), -1);
	ck_assert_int_eq(loop->var, 1);
	ck_assert_int_eq(as->var, ~global_of(def, "x"));
	check_var(as->args[0]->a, "i", 1);
	check_var(as->args[0]->b, "y", ~global_of(def, "y"));
	check_var(loop->body[1]->args[0], "n", 0);
	check_var(loop->body[1]->args[1], "x", ~global_of(def, "x"));
	task_def_free(def);
}
END_TEST

START_TEST(test_resolve_loop_variable_everywhere)
{
	/* A loop variable is local in the whole task, even before its loop,
	 * and two loops with one variable share its slot. */
	struct task_def *def = parse_ok("task t {\n"
					"    print i\n"
					"    for i in 1..2 { yield }\n"
					"    for i in a b { yield }\n"
					"    for j in 1..2 { yield }\n"
					"}");

	ck_assert_int_eq(def->nslots, 2);
	check_var(def->body[0]->args[0], "i", 0);
	ck_assert_int_eq(def->body[1]->var, 0);
	ck_assert_int_eq(def->body[2]->var, 0);
	ck_assert_int_eq(def->body[3]->var, 1);
	ck_assert_uint_eq(def->nglobals, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_resolve_loop_over_param)
{
	struct task_def *def =
		parse_ok("task t(i) { for i in 1..3 { print i } }");

	/* A loop variable named like a parameter uses its slot. */
	ck_assert_int_eq(def->nslots, 1);
	ck_assert_int_eq(def->body[0]->var, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_resolve_globals_once)
{
	struct task_def *def =
		parse_ok("task t { x = x + 1; incr x; y = x; decr y }");

	ck_assert_uint_eq(def->nglobals, 2);
	ck_assert_int_eq(def->body[0]->var, def->body[1]->var);
	ck_assert_int_eq(def->body[0]->var, def->body[0]->args[0]->a->var);
	ck_assert_int_eq(def->body[2]->var, def->body[3]->var);
	ck_assert_int_ne(def->body[0]->var, def->body[2]->var);
	ck_assert_int_lt(def->body[0]->var, 0);
	ck_assert_int_lt(def->body[2]->var, 0);
	task_def_free(def);
}
END_TEST

START_TEST(test_resolve_lock_and_variable_apart)
{
	struct task_def *def = parse_ok("task t { lock m; m = 1; unlock m }");

	ck_assert_uint_eq(def->nlocks, 1);
	ck_assert_str_eq(def->locks[0], "m");
	ck_assert_uint_eq(def->nglobals, 1);
	ck_assert_str_eq(def->globals[0], "m");
	ck_assert_int_eq(def->body[0]->var, 0);
	ck_assert_int_eq(def->body[1]->var, ~0);
	task_def_free(def);
}
END_TEST

/* Checks which of DEF's parameters are numeric: WANT[i] is '1' or '0'. */
static void
check_numeric(const char *text, const char *want)
{
	struct task_def *def = parse_ok(text);

	ck_assert_int_eq(def->nparams, (int)strlen(want));
	for (int i = 0; i < def->nparams; i++)
		ck_assert_msg(def->numeric[i] == (want[i] == '1'),
			      "'%s': parameter %s numeric %d", text,
			      def->params[i], def->numeric[i]);
	task_def_free(def);
}

START_TEST(test_numeric_arithmetic)
{
	check_numeric("task t(a, b, c) { print a + 1 }", "100");
	check_numeric("task t(a, b, c) { x = 2 * c }", "001");
	check_numeric("task t(a, b, c) { print -b !c }", "011");
	check_numeric("task t(a, b, c) { print a < 1 && b }", "110");
}
END_TEST

START_TEST(test_numeric_statements)
{
	check_numeric("task t(a, b, c) { sleep b }", "010");
	check_numeric("task t(a, b, c) { for i in a..c { } }", "101");
	check_numeric("task t(a, b, c) { repeat c { } }", "001");
	check_numeric("task t(a, b, c) { while a { } }", "100");
	check_numeric("task t(a, b, c) { if b { } }", "010");
	check_numeric("task t(a, b, c) { exit c }", "001");
	check_numeric("task t(a, b, c) { incr a; decr b; c += 1 }", "111");
	check_numeric("task t(a, b, c) { x += c }", "001");
}
END_TEST

START_TEST(test_numeric_not_for_words)
{
	/* Printed, assigned, compared for equality: a word will do. */
	check_numeric("task t(a, b, c) { print a b c }", "000");
	check_numeric("task t(a, b, c) { x = a; b = c }", "000");
	check_numeric("task t(a, b, c) { if a == \"yes\" || b != c { } }",
		      "000");
	check_numeric("task t(a, b) { for i in a b { print i } }", "00");
}
END_TEST

/* parse_task_end */

static size_t
task_end(const char *text)
{
	return parse_task_end(text, strlen(text));
}

START_TEST(test_end_incomplete)
{
	ck_assert_uint_eq(task_end("task t {"), 0);
	ck_assert_uint_eq(task_end("task t { print 1"), 0);
	ck_assert_uint_eq(task_end("task t {\n    for i in 1..2 {\n    }"), 0);
	ck_assert_uint_eq(task_end("task t(a) {\n    print a\n\n"), 0);
}
END_TEST

START_TEST(test_end_complete)
{
	const char *text = "task t {\n    repeat 2 {\n    }\n}";

	ck_assert_uint_eq(task_end(text), strlen(text));
	ck_assert_uint_eq(task_end("task t { print 1 }"), 18);
	/* Just after the brace: what follows is left to the shell. */
	ck_assert_uint_eq(task_end("task t { print 1 }; ps"), 18);
	ck_assert_uint_eq(task_end("task t { yield }\nps\n"), 16);
}
END_TEST

START_TEST(test_end_ignores_strings)
{
	const char *text = "task t { print \"}\" \"{\" }";

	ck_assert_uint_eq(task_end(text), strlen(text));
	text = "task t { print \"\\\"}\" }";
	ck_assert_uint_eq(task_end(text), strlen(text));
	ck_assert_uint_eq(task_end("task t { print \"}\""), 0);
}
END_TEST

START_TEST(test_end_ignores_comments)
{
	const char *text = "task t { # } and { are nothing here\n"
			   "    print 1\n"
			   "}";

	ck_assert_uint_eq(task_end(text), strlen(text));
	ck_assert_uint_eq(task_end("task t { # }"), 0);
	ck_assert_uint_eq(task_end("task t # { no\n"), 13);
}
END_TEST

START_TEST(test_end_first_line_without_brace)
{
	/* The '{' belongs on the 'task' line: the definition ends with it,
	 * and the parser says what is missing. */
	ck_assert_uint_eq(task_end("task t\n{ print 1 }"), 6);
	ck_assert_uint_eq(task_end("task t(a,\nb) {"), 9);
	/* A line with no '{' at all is the whole definition. */
	ck_assert_uint_eq(task_end("task t"), 6);
	ck_assert_uint_eq(task_end("task t(a) print a"), 17);
}
END_TEST

START_TEST(test_end_unterminated_string)
{
	const char *text = "task t { print \"abc";
	const char *nl = "task t { print \"abc\n}";

	/* All of it: the parser reports the string. */
	ck_assert_uint_eq(task_end(text), strlen(text));
	ck_assert_uint_eq(task_end(nl), strlen(nl));
}
END_TEST

START_TEST(test_end_too_long)
{
	const char *text = repeat_text("task t {", " ", AST_MAX_BODY, "");

	ck_assert_uint_eq(task_end(text), strlen(text));
}
END_TEST

/* Errors: every one with its line, column and message */

START_TEST(test_error_unterminated_string)
{
	check_error("task t { print \"abc", 1, 16, "unterminated string");
	check_error("task t {\n    print \"abc\n}", 2, 11,
		    "unterminated string");
	check_error("task t { print \"abc\\", 1, 16, "unterminated string");
}
END_TEST

START_TEST(test_error_string_too_long)
{
	const char *text = repeat_text("task t { print \"", "s",
				       AST_MAX_STRING + 1, "\" }");

	check_error(text, 1, 16, "string longer than 1024 bytes");
}
END_TEST

START_TEST(test_error_number_too_large)
{
	check_error("task t { x = 9223372036854775808 }", 1, 14,
		    "number too large (the limit is 9223372036854775807)");
	check_error("task t {\n  x = -99999999999999999999 }", 2, 8,
		    "number too large (the limit is 9223372036854775807)");
}
END_TEST

START_TEST(test_error_name_starts_with_digit)
{
	/* At the first letter. */
	check_error("task t { x = 12ab }", 1, 16,
		    "a name cannot start with a digit");
	check_error("task 1t { }", 1, 7, "a name cannot start with a digit");
}
END_TEST

START_TEST(test_error_unexpected_character)
{
	check_error("task t { x = 1 @ 2 }", 1, 16, "unexpected '@'");
	check_error("task t { x = a & b }", 1, 16, "unexpected '&'");
	check_error("task t { x = a | b }", 1, 16, "unexpected '|'");
	check_error("task t {\n  print $x }", 2, 9, "unexpected '$'");
	check_error("task t { for i in 1.5 { } }", 1, 20, "unexpected '.'");
}
END_TEST

START_TEST(test_error_unexpected_byte)
{
	check_error("task t { x = \x01 }", 1, 14, "unexpected byte 0x01");
	check_error("task t { print \xc3\xa9 }", 1, 16, "unexpected byte 0xc3");
	check_error("task t { x = \x7f }", 1, 14, "unexpected byte 0x7f");
	check_error_len("task t { x = \0 }", 16, 1, 14, "unexpected byte 0x00");
}
END_TEST

START_TEST(test_error_keyword_as_value)
{
	check_error("task t { x = print }", 1, 14,
		    "'print' is a keyword, not a value");
	check_error("task t { print 1 in }", 1, 18,
		    "'in' is a keyword, not a value");
	check_error("task t { sleep 1 + task }", 1, 20,
		    "'task' is a keyword, not a value");
}
END_TEST

START_TEST(test_error_keyword_starts_statement)
{
	check_error("task t { else { } }", 1, 10,
		    "'else' cannot start a statement");
	check_error("task t { in }", 1, 10, "'in' cannot start a statement");
	check_error("task t {\n    task u { }\n}", 2, 5,
		    "'task' cannot start a statement");
	/* An else on a line of its own is not the if's. */
	check_error("task t {\n    if x { }\n    else { }\n}", 3, 5,
		    "'else' cannot start a statement");
}
END_TEST

START_TEST(test_error_unknown_statement)
{
	check_error("task t { foo }", 1, 10, "unknown statement 'foo'");
	check_error("task t { foo bar }", 1, 10, "unknown statement 'foo'");
	check_error("task t {\n  x == 1 }", 2, 3, "unknown statement 'x'");
	check_error("task t { Print 1 }", 1, 10, "unknown statement 'Print'");
}
END_TEST

START_TEST(test_error_expected_statement)
{
	check_error("task t { 5 }", 1, 10,
		    "expected a statement, found a "
		    "number");
	check_error("task t { \"x\" }", 1, 10,
		    "expected a statement, found a string");
	check_error("task t { ( }", 1, 10, "expected a statement, found '('");
	check_error("task t { += 1 }", 1, 10,
		    "expected a statement, found '+='");
}
END_TEST

START_TEST(test_error_expected_brace)
{
	check_error("task t print 1 }", 1, 8, "expected '{', found 'print'");
	check_error("task t\n{ }", 1, 7,
		    "expected '{', found the end of the line");
	check_error("task t", 1, 7,
		    "expected '{', found the end of the definition");
	check_error("task t { repeat 3 print 1 }", 1, 19,
		    "expected '{', found 'print'");
	check_error("task t { while x\n{ } }", 1, 17,
		    "expected '{', found the end of the line");
	check_error("task t { if x { } else print 1 }", 1, 24,
		    "expected '{', found 'print'");
	check_error("task t { for w in a b }", 1, 23,
		    "expected '{', found '}'");
}
END_TEST

START_TEST(test_error_expected_paren)
{
	check_error("task t { x = (1 + 2 }", 1, 21, "expected ')', found '}'");
	check_error("task t { x = (1 + 2\n) }", 1, 20,
		    "expected ')', found the end of the line");
	check_error("task t { print (1 2) }", 1, 19,
		    "expected ')', found a number");
}
END_TEST

START_TEST(test_error_expected_value)
{
	check_error("task t { x = }", 1, 14, "expected a value, found '}'");
	check_error("task t { x = 1 +\n 2 }", 1, 17,
		    "expected a value, found the end of the line");
	check_error("task t { x = ", 1, 14,
		    "expected a value, found the end of the definition");
	check_error("task t { sleep * 2 }", 1, 16,
		    "expected a value, found '*'");
	check_error("task t { x = .. }", 1, 14, "expected a value, found '..'");
	check_error("task t { x = (1 + ) }", 1, 19,
		    "expected a value, found ')'");
	check_error("task t { if { } }", 1, 13, "expected a value, found '{'");
	check_error("task t { for i in ..3 { } }", 1, 19,
		    "expected a value, found '..'");
	check_error("task t { for i in 1.. { } }", 1, 23,
		    "expected a value, found '{'");
}
END_TEST

START_TEST(test_error_expected_value_to_print)
{
	check_error("task t { print }", 1, 16,
		    "expected a value to print, found '}'");
	check_error("task t { print; yield }", 1, 15,
		    "expected a value to print, found ';'");
	check_error("task t {\n    print\n}", 2, 10,
		    "expected a value to print, found the end of the line");
}
END_TEST

START_TEST(test_error_expected_statement_end)
{
	check_error("task t { x = 1 2 }", 1, 16,
		    "expected the end of the statement, found a number");
	check_error("task t { yield now }", 1, 16,
		    "expected the end of the statement, found 'now'");
	check_error("task t { crash \"x\" }", 1, 16,
		    "expected the end of the statement, found a string");
	check_error("task t { exit 1 2 }", 1, 17,
		    "expected the end of the statement, found a number");
	check_error("task t { incr x y }", 1, 17,
		    "expected the end of the statement, found 'y'");
	check_error("task t { repeat 2 { } yield }", 1, 23,
		    "expected the end of the statement, found 'yield'");
	check_error("task t { x = 1 = 2 }", 1, 16,
		    "expected the end of the statement, found '='");
}
END_TEST

START_TEST(test_error_assign_in_condition)
{
	/* `=` where `==` was meant gets a hint, in if, else if and while. */
	check_error("task t { if x = 1 { } }", 1, 15,
		    "expected '{', found '='; did you mean '=='?");
	check_error("task t {\n  while x = 1 { }\n}", 2, 11,
		    "expected '{', found '='; did you mean '=='?");
	check_error("task t { if x { } else if y = 2 { } }", 1, 29,
		    "expected '{', found '='; did you mean '=='?");
	/* Elsewhere an '=' too many is the usual error. */
	check_error("task t { repeat x = 1 { } }", 1, 19,
		    "expected '{', found '='");
}
END_TEST

START_TEST(test_error_never_closed)
{
	check_error("task t {", 1, 8, "this '{' is never closed");
	check_error("task t { print 1;", 1, 8, "this '{' is never closed");
	check_error("task t {\n    print 1\n", 1, 8,
		    "this '{' is never closed");
	/* The one brace that closes closes the inner block. */
	check_error("task t {\n    repeat 2 {\n        print 1\n}\n", 1, 8,
		    "this '{' is never closed");
	check_error("task t { if x { print 1 } else {", 1, 32,
		    "this '{' is never closed");
}
END_TEST

START_TEST(test_error_nested_blocks)
{
	/* The body is one level: 31 blocks in it are allowed, not 32. */
	const char *ok = repeat_text("task t {", " repeat 1 {", 31, "");
	const char *bad = repeat_text("task t {", " repeat 1 {", 32, "");
	struct task_def *def;
	struct buf b = { 0 };

	buf_puts(&b, ok);
	for (int i = 0; i <= 31; i++)
		buf_puts(&b, " }");
	def = parse_ok(buf_str(&b));
	task_def_free(def);
	buf_free(&b);
	check_error(bad, 1, 8 + 11 * 32, "nested too deeply (the limit is 32)");
}
END_TEST

START_TEST(test_error_nested_parentheses)
{
	struct task_def *def;
	const char *bad;
	struct buf b = { 0 };

	buf_puts(&b, "task t { x = ");
	for (int i = 0; i < 31; i++)
		buf_puts(&b, "(");
	buf_puts(&b, "1");
	for (int i = 0; i < 31; i++)
		buf_puts(&b, ")");
	buf_puts(&b, " }");
	def = parse_ok(buf_str(&b));
	task_def_free(def);
	buf_free(&b);
	bad = repeat_text("task t { x = ", "(", 32, "1");
	check_error(bad, 1, 14 + 31, "nested too deeply (the limit is 32)");
}
END_TEST

START_TEST(test_error_nested_unary)
{
	const char *ok = repeat_text("task t { x = ", "!", 31, "1 }");
	const char *bad = repeat_text("task t { x = ", "-", 32, "x }");
	struct task_def *def = parse_ok(ok);

	task_def_free(def);
	check_error(bad, 1, 14 + 31, "nested too deeply (the limit is 32)");
}
END_TEST

START_TEST(test_error_nested_blocks_and_parentheses)
{
	/* Blocks and expressions count against one limit. */
	const char *bad =
		repeat_text("task t {", " repeat 1 {", 30, " x = ((1))");

	check_error(bad, 1, 8 + 11 * 30 + 7,
		    "nested too deeply (the limit is 32)");
}
END_TEST

START_TEST(test_error_too_many_params)
{
	check_error("task t(a, b, c, d, e, f, g, h, i) { }", 1, 32,
		    "more than 8 parameters");
}
END_TEST

START_TEST(test_error_duplicate_param)
{
	check_error("task t(a, b, a) { }", 1, 14,
		    "parameter 'a' appears twice");
}
END_TEST

START_TEST(test_error_expected_param)
{
	check_error("task t(1) { }", 1, 8,
		    "expected a parameter name, found a number");
	check_error("task t(a,) { }", 1, 10,
		    "expected a parameter name, found ')'");
	check_error("task t(if) { }", 1, 8,
		    "expected a parameter name, found 'if'");
	check_error("task t(a b) { }", 1, 10, "expected ',' or ')', found 'b'");
	check_error("task t(a", 1, 9,
		    "expected ',' or ')', found the end of the definition");
}
END_TEST

START_TEST(test_error_chained_comparison)
{
	check_error("task t { x = 1 < 2 < 3 }", 1, 20,
		    "comparisons do not chain: use && between them");
	check_error("task t { x = a == b != c }", 1, 21,
		    "comparisons do not chain: use && between them");
	check_error("task t { x = a + 1 >= b * 2 > c }", 1, 29,
		    "comparisons do not chain: use && between them");
}
END_TEST

START_TEST(test_parenthesised_comparisons_chain)
{
	struct task_def *def;
	const struct expr *e = assigned("task t { v = (1 < 2) < 3 }", &def);

	check_bin(e, OP_LT);
	check_bin(e->a, OP_LT);
	task_def_free(def);
	e = assigned("task t { v = a < b && b < c }", &def);
	check_bin(e, OP_AND);
	task_def_free(def);
}
END_TEST

START_TEST(test_error_definition_too_long)
{
	const char *text = repeat_text("task t {", " ", AST_MAX_BODY - 9, "}");
	struct task_def *def;

	ck_assert_uint_eq(strlen(text), AST_MAX_BODY);
	def = parse_ok(text);
	task_def_free(def);
	text = repeat_text("task t {", " ", AST_MAX_BODY - 8, "}");
	check_error(text, 1, 1, "definition longer than 65536 bytes");
}
END_TEST

START_TEST(test_error_task_too_large)
{
	/* One node for the print, one for each value. */
	const char *ok =
		repeat_text("task t { print", " 1", AST_MAX_NODES - 1, " }");
	const char *bad =
		repeat_text("task t { print", " 1", AST_MAX_NODES, " }");
	struct task_def *def = parse_ok(ok);

	ck_assert_uint_eq(def->body[0]->nargs, AST_MAX_NODES - 1);
	task_def_free(def);
	check_error(bad, 1, 14 + 2 * AST_MAX_NODES,
		    "task too large (more than 20000 parts)");
}
END_TEST

START_TEST(test_error_name_too_long)
{
	const char *ok = repeat_text("task t { incr ", "v", AST_NAME_MAX, " }");
	const char *bad =
		repeat_text("task t { incr ", "v", AST_NAME_MAX + 1, " }");
	struct task_def *def = parse_ok(ok);

	task_def_free(def);
	check_error(bad, 1, 15, "name longer than 31 characters");
	bad = repeat_text("task t { lock ", "m", AST_NAME_MAX + 1, " }");
	check_error(bad, 1, 15, "name longer than 31 characters");
	bad = repeat_text("task t { for ", "i", AST_NAME_MAX + 1,
			  " in 1..2 { } }");
	check_error(bad, 1, 14, "name longer than 31 characters");
}
END_TEST

START_TEST(test_error_name_too_long_assigned)
{
	/* A global's name is kept in 31 characters: a longer one must be
	 * refused wherever it appears, not only after incr and lock. */
	const char *bad =
		repeat_text("task t { ", "v", AST_NAME_MAX + 1, " = 1 }");

	check_error(bad, 1, 10, "name longer than 31 characters");
}
END_TEST

START_TEST(test_error_name_too_long_in_expression)
{
	const char *bad =
		repeat_text("task t { print ", "v", AST_NAME_MAX + 1, " }");

	check_error(bad, 1, 16, "name longer than 31 characters");
}
END_TEST

START_TEST(test_error_task_name_too_long)
{
	const char *ok = repeat_text("task ", "n", AST_NAME_MAX, " { }");
	const char *bad = repeat_text("task ", "n", AST_NAME_MAX + 1, " { }");
	struct task_def *def = parse_ok(ok);

	task_def_free(def);
	check_error(bad, 1, 6, "task name longer than 31 characters");
}
END_TEST

START_TEST(test_error_expected_task)
{
	check_error("tusk t { }", 1, 1, "expected 'task', found 'tusk'");
	check_error("", 1, 1,
		    "expected 'task', found the end of the definition");
	check_error("\n\n  { }", 1, 1,
		    "expected 'task', found the end of the line");
}
END_TEST

START_TEST(test_error_expected_task_name)
{
	check_error("task { }", 1, 6, "expected a task name, found '{'");
	check_error("task print { }", 1, 6,
		    "expected a task name, found 'print'");
	check_error("task \"t\" { }", 1, 6,
		    "expected a task name, found a string");
}
END_TEST

START_TEST(test_error_for)
{
	check_error("task t { for i 1..2 { } }", 1, 16,
		    "expected 'in', found a number");
	check_error("task t { for 1 in a { } }", 1, 14,
		    "expected a loop variable, found a number");
	check_error("task t { for in in a { } }", 1, 14,
		    "expected a loop variable, found 'in'");
	check_error("task t { for i in { } }", 1, 19,
		    "expected a range A..B or words to loop over, found '{'");
	check_error("task t { for i in 1 2..3 { } }", 1, 21,
		    "expected '..', found a number");
}
END_TEST

START_TEST(test_error_expected_variable)
{
	check_error("task t { incr 5 }", 1, 15,
		    "expected a variable, found a number");
	check_error("task t { decr }", 1, 15, "expected a variable, found '}'");
	check_error("task t { incr exit }", 1, 15,
		    "expected a variable, found 'exit'");
}
END_TEST

START_TEST(test_error_expected_lock_name)
{
	check_error("task t { lock }", 1, 15,
		    "expected a lock name, found '}'");
	check_error("task t { unlock 3 }", 1, 17,
		    "expected a lock name, found a number");
	check_error("task t { lock \"m\" }", 1, 15,
		    "expected a lock name, found a string");
}
END_TEST

START_TEST(test_error_position_after_string_with_backslash_newline)
{
	/* A backslash before a newline in a string: either the string ends
	 * unterminated there, or it goes on and the lines after it are still
	 * counted ('@' is on line 4, col 5). Never a position in between. */
	const char *text = "task t {\n    print \"a\\\nb\"\n    @\n}";
	struct parse_error err;
	size_t used;
	struct task_def *def = parse_task(text, strlen(text), &used, &err);

	if (def != NULL) {
		task_def_free(def);
		ck_abort_msg("it parsed");
	}
	ck_assert_msg((err.line == 2 && err.col == 11 &&
		       strcmp(err.msg, "unterminated string") == 0) ||
			      (err.line == 4 && err.col == 5 &&
			       strcmp(err.msg, "unexpected '@'") == 0),
		      "%d:%d: %s", err.line, err.col, err.msg);
}
END_TEST

START_TEST(test_error_clears_err)
{
	struct parse_error err;
	size_t used = 99;
	struct task_def *def;

	memset(&err, 0x5a, sizeof err);
	def = parse_task("task t { }", 10, &used, &err);
	ck_assert_ptr_nonnull(def);
	ck_assert_int_eq(err.line, 0);
	ck_assert_str_eq(err.msg, "");
	task_def_free(def);
}
END_TEST

/* Formatting */

START_TEST(test_format_canonical)
{
	struct task_def *def;
	char *got;

	def = parse_ok(
		"task rich(n, word) {\n"
		"    # a comment { with braces }\n"
		"    print \"hello\" word n; print \"q\\\"b\\\\s\\n\\t\"\n"
		"    sleep (n * 2)\n"
		"    for i in 1..n + 1 { print i }\n"
		"    for w in a 12 \"x y\" \"\" \"007\" { print w }\n"
		"    repeat (3) { yield }\n"
		"    while x < 10 && !done { incr x; decr y }\n"
		"    if a == 1 { exit } else if a != 2 { exit 3 } "
		"else { crash }\n"
		"    if b >= 1 || c <= 2 { total += i % 3 } "
		"else { total = -total }\n"
		"    x = ((1 + 2) * 3 - 4 / 2) - (5 - 6)\n"
		"    y = -(a + 1) - -1 + (1 + (2 * 3))\n"
		"    z = (a < b) == (c > d)\n"
		"    lock m\n"
		"    unlock m\n"
		"}");
	got = format_def(def);
	ck_assert_str_eq(got, "task rich(n, word) {\n"
			      "    print \"hello\" word n\n"
			      "    print \"q\\\"b\\\\s\\n\\t\"\n"
			      "    sleep n * 2\n"
			      "    for i in 1..n + 1 {\n"
			      "        print i\n"
			      "    }\n"
			      "    for w in a 12 \"x y\" \"\" \"007\" {\n"
			      "        print w\n"
			      "    }\n"
			      "    repeat 3 {\n"
			      "        yield\n"
			      "    }\n"
			      "    while x < 10 && !done {\n"
			      "        incr x\n"
			      "        decr y\n"
			      "    }\n"
			      "    if a == 1 {\n"
			      "        exit\n"
			      "    } else if a != 2 {\n"
			      "        exit 3\n"
			      "    } else {\n"
			      "        crash\n"
			      "    }\n"
			      "    if b >= 1 || c <= 2 {\n"
			      "        total += i % 3\n"
			      "    } else {\n"
			      "        total = -total\n"
			      "    }\n"
			      "    x = (1 + 2) * 3 - 4 / 2 - (5 - 6)\n"
			      "    y = -(a + 1) - -1 + (1 + 2 * 3)\n"
			      "    z = (a < b) == (c > d)\n"
			      "    lock m\n"
			      "    unlock m\n"
			      "}\n");
	free(got);
	task_def_free(def);
}
END_TEST

/* Checks that TEXT formats to F, and F parses back to F again. */
static void
check_round_trip(const char *text)
{
	static char why[4096];
	struct task_def *def = parse_ok(text), *again;
	char *first = format_def(def), *second = NULL;
	struct parse_error err;
	size_t used;
	bool same;

	task_def_free(def);
	again = parse_task(first, strlen(first), &used, &err);
	if (again == NULL) {
		snprintf(why, sizeof why, "'%s' does not parse: %d:%d: %s",
			 first, err.line, err.col, err.msg);
	} else {
		second = format_def(again);
		task_def_free(again);
		snprintf(why, sizeof why, "'%s' came back as '%s'", first,
			 second);
	}
	same = second != NULL && strcmp(first, second) == 0;
	free(first);
	free(second);
	ck_assert_msg(same, "%s", why);
}

START_TEST(test_round_trip_rich)
{
	check_round_trip(
		"task rich(n, word) {\n"
		"    print \"hello\" word n; print \"q\\\"b\\\\s\\n\\t\" \"\"\n"
		"    sleep (n * 2)\n"
		"    for i in -1..n + 1 { print i (i) }\n"
		"    for w in a 12 \"x y\" \"\" \"007\" if \"-5\" 0 { print w "
		"}\n"
		"    repeat (3) { yield }\n"
		"    while x < 10 && !done { incr x; decr y }\n"
		"    if a == 1 { exit } else if a != 2 { exit 3 } else if b { "
		"exit -1 } else { crash }\n"
		"    if b >= 1 || c <= 2 { total += i % 3 } "
		"else { total = -total }\n"
		"    x = ((1 + 2) * 3 - 4 / 2) - (5 - 6) * -(7 % 2)\n"
		"    y = -(a + 1) - -1 + (1 + (2 * 3)) - !(a || b && c)\n"
		"    z = ((a < b) == (c > d)) != (1 <= 2)\n"
		"    lock m\n"
		"    unlock m\n"
		"}");
}
END_TEST

START_TEST(test_round_trip_print_negative)
{
	/* Two values, the second negative: printed as "print x -1" it
	 * would read back as one value, x - 1. */
	check_round_trip("task t { print x (-1) }");
}
END_TEST

START_TEST(test_round_trip_print_negation)
{
	check_round_trip("task t { print x (-y) (-y + 1) }");
}
END_TEST

START_TEST(test_round_trip_assert)
{
	/* A message after a comma, as Python's; the condition alone too. */
	check_round_trip("task t { assert x == 1; assert (a || b) && c, "
			 "\"lost \\\"one\\\"\"; assert n > 0, n + 1 }");
}
END_TEST

START_TEST(test_round_trip_big_word)
{
	/* A word of digits too large for a number stays a word. */
	check_round_trip(
		"task t { for w in \"99999999999999999999\" { print w } }");
}
END_TEST

START_TEST(test_stmt_format)
{
	struct task_def *def =
		parse_ok("task t { for i in 1..3 { x += (i) * 2 } }");
	struct buf b = { 0 };

	stmt_format(def->body[0], &b);
	ck_assert_str_eq(buf_str(&b), "for i in 1..3");
	buf_reset(&b);
	stmt_format(def->body[0]->body[0], &b);
	ck_assert_str_eq(buf_str(&b), "x += i * 2");
	buf_free(&b);
	task_def_free(def);
}
END_TEST

/* The built-in tasks, as `show task` prints them. */
static const struct {
	const char *name, *text;
} shown[] = {
	{ "print_numbers", "task print_numbers {\n"
			   "    for i in 1..5 {\n"
			   "        print i\n"
			   "    }\n"
			   "}\n" },
	{ "print_letters", "task print_letters {\n"
			   "    for c in a b c d e {\n"
			   "        print c\n"
			   "    }\n"
			   "}\n" },
	{ "ticker", "task ticker(n, ms) {\n"
		    "    for i in 1..n {\n"
		    "        sleep ms\n"
		    "        print \"tick\" i\n"
		    "    }\n"
		    "}\n" },
	{ "count", "task count(n) {\n"
		   "    repeat n {\n"
		   "        incr x\n"
		   "    }\n"
		   "}\n" },
	{ "count_locked", "task count_locked(n) {\n"
			  "    repeat n {\n"
			  "        lock m\n"
			  "        incr x\n"
			  "        unlock m\n"
			  "    }\n"
			  "}\n" },
};

START_TEST(test_builtins_format)
{
	struct task_table t;

	tasks_init(&t);
	ck_assert_uint_eq(t.n, sizeof shown / sizeof shown[0]);
	for (size_t i = 0; i < t.n; i++) {
		char *got = format_def(t.v[i]->def);
		ck_assert_str_eq(t.v[i]->def->name, shown[i].name);
		ck_assert(t.v[i]->def->builtin);
		ck_assert_str_eq(got, shown[i].text);
		free(got);
	}
	tasks_free(&t);
}
END_TEST

START_TEST(test_builtins_round_trip)
{
	struct task_table t;

	tasks_init(&t);
	for (size_t i = 0; i < t.n; i++) {
		char *text = format_def(t.v[i]->def);
		check_round_trip(text);
		free(text);
	}
	tasks_free(&t);
}
END_TEST

START_TEST(test_error_loop_variable_changed)
{
	const char *owned = "'i' is the loop's variable: it cannot be "
			    "assigned inside the loop";

	check_error("task a { for i in 1..3 { i = 10 } }", 1, 26, owned);
	check_error("task a { for i in x y {\n if 1 { incr i } } }", 2, 9,
		    owned);
	check_error("task a { for i in 1..3 { for i in 1..2 { } } }", 1, 26,
		    "a nested loop cannot reuse 'i'");
}
END_TEST

START_TEST(test_loop_variable_free_after_loop)
{
	struct parse_error err;
	size_t used;
	const char *text = "task a { for i in 1..2 { for j in 1..2 { } }; "
			   "for i in 3..4 { }; i = 5 }";
	struct task_def *def = parse_task(text, strlen(text), &used, &err);

	ck_assert_msg(def != NULL, "%d:%d: %s", err.line, err.col, err.msg);
	task_def_free(def);
}
END_TEST

START_TEST(test_most_negative_number)
{
	struct parse_error err;
	size_t used;
	const char *text = "task a { print -9223372036854775808 }";
	struct task_def *def = parse_task(text, strlen(text), &used, &err);

	ck_assert_msg(def != NULL, "%d:%d: %s", err.line, err.col, err.msg);
	ck_assert_int_eq(def->body[0]->args[0]->kind, EX_INT);
	ck_assert(def->body[0]->args[0]->i == INT64_MIN);
	task_def_free(def);
	check_error("task a { print 9223372036854775808 }", 1, 16,
		    "number too large (the limit is 9223372036854775807)");
	check_error("task a { print 1 -9223372036854775808 }", 1, 19,
		    "number too large (the limit is 9223372036854775807)");
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc;

	tc = tcase_create("definition");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_empty_task);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_eight_params);
	tcase_add_test(tc, test_lines_and_separators);
	tcase_add_test(tc, test_used_and_text_after);
	suite_add_tcase(s, tc);

	tc = tcase_create("statements");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_print_values);
	tcase_add_test(tc, test_print_parenthesised_values);
	tcase_add_test(tc, test_sleep);
	tcase_add_test(tc, test_for_range);
	tcase_add_test(tc, test_for_words);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_while);
	tcase_add_test(tc, test_if_else);
	tcase_add_test(tc, test_else_if);
	tcase_add_test(tc, test_assign);
	tcase_add_test(tc, test_incr_decr);
	tcase_add_test(tc, test_lock_unlock);
	tcase_add_test(tc, test_yield_crash);
	tcase_add_test(tc, test_exit);
	suite_add_tcase(s, tc);

	tc = tcase_create("expressions");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_precedence_mul_over_add);
	tcase_add_test(tc, test_parentheses);
	tcase_add_test(tc, test_left_associative);
	tcase_add_test(tc, test_logic_precedence);
	tcase_add_test(tc, test_all_operators);
	tcase_add_test(tc, test_unary);
	tcase_add_test(tc, test_negative_literal);
	tcase_add_test(tc, test_largest_number);
	tcase_add_test(tc, test_string_escapes);
	tcase_add_test(tc, test_longest_string);
	tcase_add_test(tc, test_parenthesised_comparisons_chain);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_resolve_locals_and_globals);
	tcase_add_test(tc, test_resolve_loop_variable_everywhere);
	tcase_add_test(tc, test_resolve_loop_over_param);
	tcase_add_test(tc, test_resolve_globals_once);
	tcase_add_test(tc, test_resolve_lock_and_variable_apart);
	tcase_add_test(tc, test_numeric_arithmetic);
	tcase_add_test(tc, test_numeric_statements);
	tcase_add_test(tc, test_numeric_not_for_words);
	suite_add_tcase(s, tc);

	tc = tcase_create("task_end");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_end_incomplete);
	tcase_add_test(tc, test_end_complete);
	tcase_add_test(tc, test_end_ignores_strings);
	tcase_add_test(tc, test_end_ignores_comments);
	tcase_add_test(tc, test_end_first_line_without_brace);
	tcase_add_test(tc, test_end_unterminated_string);
	tcase_add_test(tc, test_end_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_error_unterminated_string);
	tcase_add_test(tc, test_error_string_too_long);
	tcase_add_test(tc, test_error_number_too_large);
	tcase_add_test(tc, test_most_negative_number);
	tcase_add_test(tc, test_error_loop_variable_changed);
	tcase_add_test(tc, test_loop_variable_free_after_loop);
	tcase_add_test(tc, test_error_name_starts_with_digit);
	tcase_add_test(tc, test_error_unexpected_character);
	tcase_add_test(tc, test_error_unexpected_byte);
	tcase_add_test(tc, test_error_keyword_as_value);
	tcase_add_test(tc, test_error_keyword_starts_statement);
	tcase_add_test(tc, test_error_unknown_statement);
	tcase_add_test(tc, test_error_expected_statement);
	tcase_add_test(tc, test_error_expected_brace);
	tcase_add_test(tc, test_error_expected_paren);
	tcase_add_test(tc, test_error_expected_value);
	tcase_add_test(tc, test_error_expected_value_to_print);
	tcase_add_test(tc, test_error_expected_statement_end);
	tcase_add_test(tc, test_error_assign_in_condition);
	tcase_add_test(tc, test_error_never_closed);
	tcase_add_test(tc, test_error_nested_blocks);
	tcase_add_test(tc, test_error_nested_parentheses);
	tcase_add_test(tc, test_error_nested_unary);
	tcase_add_test(tc, test_error_nested_blocks_and_parentheses);
	tcase_add_test(tc, test_error_too_many_params);
	tcase_add_test(tc, test_error_duplicate_param);
	tcase_add_test(tc, test_error_expected_param);
	tcase_add_test(tc, test_error_chained_comparison);
	tcase_add_test(tc, test_error_definition_too_long);
	tcase_add_test(tc, test_error_task_too_large);
	tcase_add_test(tc, test_error_name_too_long);
	tcase_add_test(tc, test_error_name_too_long_assigned);
	tcase_add_test(tc, test_error_name_too_long_in_expression);
	tcase_add_test(tc, test_error_task_name_too_long);
	tcase_add_test(tc, test_error_expected_task);
	tcase_add_test(tc, test_error_expected_task_name);
	tcase_add_test(tc, test_error_for);
	tcase_add_test(tc, test_error_expected_variable);
	tcase_add_test(tc, test_error_expected_lock_name);
	tcase_add_test(tc,
		       test_error_position_after_string_with_backslash_newline);
	tcase_add_test(tc, test_error_clears_err);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_checked_fixture(tc, no_garbage, free_garbage);
	tcase_add_test(tc, test_format_canonical);
	tcase_add_test(tc, test_round_trip_rich);
	tcase_add_test(tc, test_round_trip_assert);
	tcase_add_test(tc, test_round_trip_print_negative);
	tcase_add_test(tc, test_round_trip_print_negation);
	tcase_add_test(tc, test_round_trip_big_word);
	tcase_add_test(tc, test_stmt_format);
	tcase_add_test(tc, test_builtins_format);
	tcase_add_test(tc, test_builtins_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
