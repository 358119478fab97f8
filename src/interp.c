/*
 * interp.c: the task interpreter. A task's tree is compiled into a flat list
 * of steps, one per statement (loops add a step to enter and one to go
 * round), and interp_step runs exactly one of them: the unit the scheduler
 * gates and the tracer counts. `incr x`, `decr x` and `x += e` are three
 * steps (read, compute, write), so a lost update can happen between them,
 * as on a real machine. The same code runs in a thread and in a forked
 * child; only task_io differs.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "interp.h"
#include "lock.h"
#include "xmalloc.h"

#define SLEEP_MAX_MS 3600000

/* Compiler */

struct compiler {
	struct program *p;
	int nslots;
};

static int
emit(struct compiler *c, enum opcode code, const struct stmt *s)
{
	struct program *p = c->p;

	p->ops = xrealloc(p->ops, (p->n + 1) * sizeof *p->ops);
	p->ops[p->n] = (struct op){ code, s, -1, -1, 0 };
	return (int)p->n++;
}

static void compile_block(struct compiler *c, struct stmt **v, size_t n);

/* A loop that runs its body zero or more times: INIT (which jumps past the
 * end when there is nothing to do), the body, NEXT (which jumps back). */
static void
compile_loop(struct compiler *c, const struct stmt *s, enum opcode init,
	     enum opcode next)
{
	int hidden = c->nslots++;
	int i = emit(c, init, s);
	c->p->ops[i].hidden = hidden;
	compile_block(c, s->body, s->nbody);
	int n = emit(c, next, s);
	c->p->ops[n].hidden = hidden;
	c->p->ops[n].target = i + 1;
	c->p->ops[i].target = (int)c->p->n;
}

static void
compile_if(struct compiler *c, const struct stmt *s)
{
	int test = emit(c, I_TEST, s);
	compile_block(c, s->body, s->nbody);
	if (s->norelse == 0) {
		c->p->ops[test].target = (int)c->p->n;
		return;
	}
	int skip = emit(c, I_JUMP, s);
	c->p->ops[test].target = (int)c->p->n;
	compile_block(c, s->orelse, s->norelse);
	c->p->ops[skip].target = (int)c->p->n;
}

static void
compile_stmt(struct compiler *c, const struct stmt *s)
{
	static const enum opcode simple[] = {
		[ST_PRINT] = I_PRINT,	[ST_SLEEP] = I_SLEEP,
		[ST_ASSIGN] = I_ASSIGN, [ST_LOCK] = I_LOCK,
		[ST_UNLOCK] = I_UNLOCK, [ST_YIELD] = I_YIELD,
		[ST_EXIT] = I_EXIT,	[ST_CRASH] = I_CRASH,
		[ST_WAIT] = I_SYNC,	[ST_SIGNAL] = I_SYNC,
		[ST_NOTIFY] = I_SYNC,	[ST_NOTIFY_ALL] = I_SYNC,
		[ST_PUT] = I_SYNC,	[ST_GET] = I_SYNC,
		[ST_ASSERT] = I_ASSERT,
	};
	int i, top;

	switch (s->kind) {
	case ST_FOR_RANGE: compile_loop(c, s, I_FOR_INIT, I_FOR_NEXT); break;
	case ST_FOR_WORDS:
		compile_loop(c, s, I_WORDS_INIT, I_WORDS_NEXT);
		break;
	case ST_REPEAT: compile_loop(c, s, I_REPEAT_INIT, I_REPEAT_NEXT); break;
	case ST_IF: compile_if(c, s); break;
	case ST_WHILE:
		top = emit(c, I_TEST, s);
		compile_block(c, s->body, s->nbody);
		i = emit(c, I_JUMP, s); /* may move ops: index after */
		c->p->ops[i].target = top;
		c->p->ops[top].target = (int)c->p->n;
		break;
	case ST_INCR:
	case ST_DECR:
	case ST_ADD_ASSIGN:
		emit(c, I_READ, s);
		i = emit(c, I_COMPUTE, s);
		c->p->ops[i].delta = s->kind == ST_INCR	  ? 1
				     : s->kind == ST_DECR ? -1
							  : 0;
		emit(c, I_WRITE, s);
		break;
	default: emit(c, simple[s->kind], s); break;
	}
}

static void
compile_block(struct compiler *c, struct stmt **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		compile_stmt(c, v[i]);
}

struct program *
program_compile(const struct task_def *def)
{
	struct compiler c = { xcalloc(1, sizeof *c.p), def->nslots };

	compile_block(&c, def->body, def->nbody);
	c.p->nslots = c.nslots;
	return c.p;
}

void
program_free(struct program *p)
{
	if (p == NULL)
		return;
	free(p->ops);
	free(p);
}

/* Running */

void
interp_init(struct interp *in, const struct task_def *def,
	    const struct program *prog, const struct value *args,
	    cell_t **globals)
{
	memset(in, 0, sizeof *in);
	in->def = def;
	in->prog = prog;
	/* Most tasks have a few locals: no allocation for them (a process
	 * worker's every write to a new page costs it a page fault). */
	if ((size_t)prog->nslots + 1 <= INTERP_SMALL)
		in->slots = in->small;
	else
		in->slots =
			xcalloc((size_t)prog->nslots + 1, sizeof *in->slots);
	for (int i = 0; i < def->nparams; i++)
		in->slots[i] = args[i];
	for (int i = def->nparams; i < def->nslots; i++)
		in->slots[i].unset = true; /* loop variables, before the loop */
	in->globals = globals;
}

void
interp_free(struct interp *in)
{
	if (in->slots != in->small)
		free(in->slots);
	in->slots = NULL;
	free(in->got);
	in->got = NULL;
	buf_free(&in->line);
}

/* Skips jumps, which cost no step. */
static void
settle(struct interp *in)
{
	while (in->pc < in->prog->n && in->prog->ops[in->pc].code == I_JUMP)
		in->pc = (size_t)in->prog->ops[in->pc].target;
}

const struct stmt *
interp_next(const struct interp *in)
{
	int pc = interp_next_pc(in);

	return pc < 0 ? NULL : in->prog->ops[pc].s;
}

int
interp_next_pc(const struct interp *in)
{
	struct interp copy = *in;

	settle(&copy);
	return copy.pc < in->prog->n ? (int)copy.pc : -1;
}

/* Notes what the step just taken saw, for the step trace. */
static void
seen(struct interp *in, int64_t value, bool done)
{
	in->last.has_value = !done;
	in->last.value = value;
	in->last.done = done;
}

static bool
fail(struct interp *in, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(in->error, sizeof in->error,
			 "task '%s', line %d, col %d: ", in->def->name, line,
			 col);
	va_start(ap, fmt);
	vsnprintf(in->error + n, sizeof in->error - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static bool eval(struct interp *in, const struct expr *e, struct value *v);

/* Reading a variable nobody gave a value is an error, as Python's
 * NameError: a misspelt name must not quietly read as 0. */
static bool
unset(struct interp *in, int line, int col, const char *name)
{
	return fail(in, line, col, "'%s' was never given a value", name);
}

/* Reads variable VAR (a local slot, or ~global index) called NAME. */
static bool
load(struct interp *in, int var, const char *name, int line, int col,
     struct value *v)
{
	if (var >= 0) {
		if (in->slots[var].unset)
			return unset(in, line, col, name);
		*v = in->slots[var];
		return true;
	}
	*v = value_num(0);
	if (!cell_get(in->globals[~var], &v->i))
		return unset(in, line, col, name);
	return true;
}

/* A word V where a number must be: the error names the variable E when
 * the word came from one (a word in a parameter is the usual case). */
static bool
not_number(struct interp *in, const struct expr *e, const struct value *v)
{
	if (e->kind == EX_VAR)
		return fail(in, e->line, e->col,
			    "'%s' holds the word \"%.40s\", not a number", e->s,
			    v->s);
	return fail(in, e->line, e->col,
		    "expected a number, got the string \"%.40s\"", v->s);
}

static bool
eval_int(struct interp *in, const struct expr *e, int64_t *out)
{
	struct value v;

	if (!eval(in, e, &v))
		return false;
	if (v.is_str) {
		not_number(in, e, &v);
		return false;
	}
	*out = v.i;
	return true;
}

static bool
arith(struct interp *in, const struct expr *e, int64_t a, int64_t b, int64_t *r)
{
	bool over = false;

	switch (e->op) {
	case OP_ADD: over = __builtin_add_overflow(a, b, r); break;
	case OP_SUB: over = __builtin_sub_overflow(a, b, r); break;
	case OP_MUL: over = __builtin_mul_overflow(a, b, r); break;
	case OP_DIV:
	case OP_MOD:
		if (b == 0)
			return fail(in, e->line, e->col, "%s by zero",
				    e->op == OP_DIV ? "division" : "modulo");
		if (a == INT64_MIN && b == -1) { /* the one case that traps */
			over = e->op == OP_DIV;
			*r = 0;
			break;
		}
		*r = e->op == OP_DIV ? a / b : a % b;
		break;
	case OP_LT: *r = a < b; break;
	case OP_LE: *r = a <= b; break;
	case OP_GT: *r = a > b; break;
	case OP_GE: *r = a >= b; break;
	default: *r = 0; break;
	}
	if (over)
		return fail(in, e->line, e->col,
			    "integer overflow (results must fit in 64 bits)");
	return true;
}

static bool
eval_bin(struct interp *in, const struct expr *e, struct value *v)
{
	struct value a, b;
	int64_t x;

	v->is_str = false;
	if (e->op == OP_AND || e->op == OP_OR) {
		if (!eval_int(in, e->a, &x))
			return false;
		if ((e->op == OP_AND) == (x == 0)) { /* decided by the left */
			v->i = e->op == OP_OR;
			return true;
		}
		if (!eval_int(in, e->b, &x))
			return false;
		v->i = x != 0;
		return true;
	}
	if (!eval(in, e->a, &a) || !eval(in, e->b, &b))
		return false;
	if (e->op == OP_EQ || e->op == OP_NE) {
		bool same = a.is_str == b.is_str &&
			    (a.is_str ? strcmp(a.s, b.s) == 0 : a.i == b.i);
		v->i = (e->op == OP_EQ) == same;
		return true;
	}
	if (a.is_str && e->a->kind == EX_VAR)
		return not_number(in, e->a, &a);
	if (b.is_str && e->b->kind == EX_VAR)
		return not_number(in, e->b, &b);
	if (a.is_str || b.is_str)
		return fail(in, e->line, e->col,
			    "this operator needs numbers, not strings");
	return arith(in, e, a.i, b.i, &v->i);
}

static bool
eval(struct interp *in, const struct expr *e, struct value *v)
{
	int64_t x;

	switch (e->kind) {
	case EX_INT: *v = value_num(e->i); return true;
	case EX_STR: *v = value_word(e->s); return true;
	case EX_VAR: return load(in, e->var, e->s, e->line, e->col, v);
	case EX_NOT:
	case EX_NEG:
		if (!eval_int(in, e->a, &x))
			return false;
		if (e->kind == EX_NEG && x == INT64_MIN)
			return fail(in, e->line, e->col, "integer overflow");
		*v = value_num(e->kind == EX_NOT ? !x : -x);
		return true;
	case EX_BIN: return eval_bin(in, e, v);
	}
	return false;
}

/* Stores V in the variable of S (a local slot or a global cell). */
static bool
store(struct interp *in, const struct stmt *s, struct value v)
{
	if (s->var >= 0) {
		in->slots[s->var] = v;
		return true;
	}
	if (v.is_str)
		return fail(in, s->line, s->col,
			    "global '%s' can only hold a number", s->name);
	cell_put(in->globals[~s->var], v.i);
	return true;
}

/* The read of incr, decr and +=: the variable of S, a number. */
static bool
load_int(struct interp *in, const struct stmt *s, int64_t *out)
{
	struct value v;

	if (!load(in, s->var, s->name, s->line, s->col, &v))
		return false;
	if (v.is_str)
		return fail(in, s->line, s->col,
			    "'%s' holds the word \"%.40s\", not a number",
			    s->name, v.s);
	*out = v.i;
	return true;
}

/* Adds piece P (LEN bytes) to LINE while it stays within INTERP_LINE_MAX;
 * *TOTAL counts every byte, kept or not. */
static void
line_add(struct buf *line, const char *p, size_t len, size_t *total)
{
	size_t room = INTERP_LINE_MAX - line->len;

	if (*total == line->len) /* nothing cut yet */
		buf_add(line, p, len < room ? len : room);
	*total += len;
}

static bool
do_print(struct interp *in, const struct stmt *s, struct task_io *io)
{
	struct buf *line = &in->line;
	struct value v;
	char num[24];
	size_t total = 0;

	buf_reset(line); /* one buffer for every print: no malloc a line */
	for (size_t i = 0; i < s->nargs; i++) {
		if (!eval(in, s->args[i], &v))
			return false;
		if (i > 0)
			line_add(line, " ", 1, &total);
		if (v.is_str) {
			line_add(line, v.s, strlen(v.s), &total);
		} else {
			int n = snprintf(num, sizeof num, "%lld", (long long)v.i);
			line_add(line, num, (size_t)n, &total);
		}
	}
	/* Cut, not refused: the learner sees where, and how much was lost. */
	if (total > line->len)
		buf_printf(line, "... [cut: %zu bytes in all]", total);
	io->print(io, buf_str(line), line->len);
	if (line->cap > 64 * 1024) /* a rare long line: not kept for good */
		buf_free(line);
	return true;
}

static struct value
word_value(const char *w)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(w, &end, 10);
	const char *d = *w == '-' ? w + 1 : w; /* the digits */

	if (*d >= '0' && *d <= '9' && *end == '\0' && errno == 0 &&
	    (*d != '0' || d[1] == '\0'))
		return value_num(x);
	return value_word(w);
}

/* The loop instructions; *NEXT is where to go after this step. */
static bool
step_loop(struct interp *in, const struct op *op, size_t *next)
{
	const struct stmt *s = op->s;
	struct value *var = &in->slots[s->var], *h = &in->slots[op->hidden];
	int64_t lo, hi, n;

	switch (op->code) {
	case I_FOR_INIT:
		if (!eval_int(in, s->lo, &lo) || !eval_int(in, s->hi, &hi))
			return false;
		*var = value_num(lo);
		*h = value_num(hi);
		seen(in, lo, lo > hi);
		if (lo > hi)
			*next = (size_t)op->target;
		return true;
	case I_FOR_NEXT:
		if (var->is_str)
			return fail(in, s->line, s->col,
				    "'%s' holds the word \"%.40s\", not a "
				    "number",
				    s->name, var->s);
		if (var->i < h->i) {
			var->i++;
			*next = (size_t)op->target;
		}
		seen(in, var->i, *next != (size_t)op->target);
		return true;
	case I_WORDS_INIT:
		*h = value_num(0);
		*var = word_value(s->words[0]);
		seen(in, 0, false);
		return true;
	case I_WORDS_NEXT:
		if ((size_t)++h->i < s->nwords) {
			*var = word_value(s->words[h->i]);
			*next = (size_t)op->target;
		}
		seen(in, h->i, *next != (size_t)op->target);
		return true;
	case I_REPEAT_INIT:
		if (!eval_int(in, s->args[0], &n))
			return false;
		if (n < 0)
			return fail(in, s->line, s->col,
				    "repeat count %lld is negative",
				    (long long)n);
		*h = value_num(n);
		seen(in, n, n == 0);
		if (n == 0)
			*next = (size_t)op->target;
		return true;
	default: /* I_REPEAT_NEXT */
		if (--h->i > 0)
			*next = (size_t)op->target;
		seen(in, h->i, h->i <= 0);
		return true;
	}
}

/* The lock or object called NAME in S, whose local slot (when a local
 * names it, -1 otherwise) is SLOT: NAME itself, or the word that local
 * holds. WHAT is "a lock" or "an object". False on a runtime error. */
static bool
named_target(struct interp *in, const struct stmt *s, const char *name,
	      int slot, const char *what, const char **out)
{
	const struct value *v;

	*out = name;
	if (slot < 0)
		return true;
	v = &in->slots[slot];
	if (v->unset)
		return unset(in, s->line, s->col, name);
	if (!v->is_str)
		return fail(in, s->line, s->col,
			    "'%s' holds %lld, not the name of %s", name,
			    (long long)v->i, what);
	if (!lock_name_valid(v->s))
		return fail(in, s->line, s->col,
			    "'%s' holds \"%.40s\", which cannot name %s", name,
			    v->s, what);
	*out = v->s;
	return true;
}

/* The lock S names: its own name, or when S names a local (a parameter,
 * a loop variable), the lock whose name that local holds; *I is then -1.
 * False on a runtime error. */
static bool
lock_target(struct interp *in, const struct stmt *s, int *i, const char **name)
{
	*i = s->by_value ? -1 : s->var;
	return named_target(in, s, s->name, s->by_value ? s->var : -1,
			    "a lock", name);
}

static enum step_result
step_lock(struct interp *in, const struct op *op, struct task_io *io)
{
	const struct stmt *s = op->s;
	const char *name;
	int i, r;

	if (!lock_target(in, s, &i, &name))
		return STEP_FAIL;
	r = op->code == I_LOCK ? io->lock(io, i, name)
			       : io->unlock(io, i, name);
	if (r == LOCK_CANCELLED)
		return STEP_STOP;
	if (r == LOCK_SELF)
		fail(in, s->line, s->col,
		     "'%s' is already held by this "
		     "worker: locking it again would wait forever",
		     name);
	else if (r == LOCK_NOT_HELD)
		fail(in, s->line, s->col,
		     "unlock of '%s', which this worker does not hold", name);
	else if (r == LOCK_FULL)
		fail(in, s->line, s->col,
		     "cannot make lock '%s': there are %d locks already", name,
		     SHM_LOCKS);
	else
		return STEP_MORE;
	return STEP_FAIL;
}

int
interp_next_lock(const struct interp *in, const char **name)
{
	int pc = interp_next_pc(in), i;
	const struct op *op;
	struct interp quiet;

	if (pc < 0 || (op = &in->prog->ops[pc])->code != I_LOCK)
		return -2;
	/* A look, not a step: an error is for the step to report. */
	quiet.slots = in->slots;
	quiet.def = in->def;
	if (!lock_target(&quiet, op->s, &i, name))
		*name = NULL;
	return i;
}

static const enum sync_stmt sync_of[] = {
	[ST_WAIT] = SYNC_WAIT,	   [ST_SIGNAL] = SYNC_SIGNAL,
	[ST_NOTIFY] = SYNC_NOTIFY, [ST_NOTIFY_ALL] = SYNC_NOTIFY_ALL,
	[ST_PUT] = SYNC_PUT,	   [ST_GET] = SYNC_GET,
};

/* A word V got into local SLOT, copied into that local's own buffer. */
static struct value
keep_word(struct interp *in, int slot, struct value v)
{
	if (in->got == NULL)
		in->got = xcalloc((size_t)in->prog->nslots + 1,
				  sizeof *in->got);
	snprintf(in->got[slot], sizeof in->got[slot], "%s", v.s);
	return value_word(in->got[slot]);
}

/* One step of a statement on an object; the statement is done when the
 * worker says so (a condition's wait takes three steps). */
static enum step_result
step_sync(struct interp *in, const struct op *op, struct task_io *io,
	  bool *again)
{
	const struct stmt *s = op->s;
	struct value v = { 0 };
	const char *name;
	int64_t n = 1;
	char err[160];

	if (!named_target(in, s, s->obj, s->obj_var, "an object", &name))
		return STEP_FAIL;
	if (s->kind == ST_PUT && !eval(in, s->args[0], &v))
		return STEP_FAIL;
	if (s->kind == ST_NOTIFY && s->nargs > 0) {
		if (!eval_int(in, s->args[0], &n))
			return STEP_FAIL;
		if (n < 1) {
			fail(in, s->line, s->col,
			     "notify of %lld waiters (at least 1)",
			     (long long)n);
			return STEP_FAIL;
		}
	}
	switch (io->sync(io, sync_of[s->kind], name, in->phase, &v, n, err,
			 sizeof err)) {
	case SYNC_STEP_AGAIN:
		/* a condition's wait: which of its three steps this was */
		seen(in, ++in->phase, false);
		*again = true;
		return STEP_MORE;
	case SYNC_STEP_STOP: return STEP_STOP;
	case SYNC_STEP_FAIL:
		fail(in, s->line, s->col, "%s", err);
		return STEP_FAIL;
	case SYNC_STEP_DONE: break;
	}
	if (in->phase > 0)
		seen(in, in->phase + 1, false);
	in->phase = 0;
	if (s->kind != ST_GET)
		return STEP_MORE;
	if (v.is_str && s->var >= 0)
		v = keep_word(in, s->var, v);
	seen(in, v.i, false);
	in->last.has_value = !v.is_str;
	return store(in, s, v) ? STEP_MORE : STEP_FAIL;
}

int
interp_next_sync(const struct interp *in, const char **name, int *phase)
{
	int pc = interp_next_pc(in);
	const struct op *op;
	struct interp quiet;

	if (pc < 0 || (op = &in->prog->ops[pc])->code != I_SYNC)
		return -1;
	quiet.slots = in->slots;
	quiet.def = in->def;
	if (!named_target(&quiet, op->s, op->s->obj, op->s->obj_var,
			  "an object", name))
		*name = NULL;
	*phase = in->phase;
	return (int)sync_of[op->s->kind];
}

/* The one-instruction statements; false on a runtime error. */
static bool
step_simple(struct interp *in, const struct op *op, struct task_io *io,
	    enum step_result *r)
{
	const struct stmt *s = op->s;
	struct value v;
	int64_t x;

	switch (op->code) {
	case I_PRINT: return do_print(in, s, io);
	case I_SLEEP:
		if (!eval_int(in, s->args[0], &x))
			return false;
		if (x < 0 || x > SLEEP_MAX_MS)
			return fail(in, s->line, s->col,
				    "sleep of %lld ms "
				    "(it must be from 0 to %d)",
				    (long long)x, SLEEP_MAX_MS);
		if (io->sleep(io, x))
			*r = STEP_STOP;
		return true;
	case I_ASSIGN:
		if (!eval(in, s->args[0], &v))
			return false;
		seen(in, v.i, false);
		in->last.has_value = !v.is_str;
		return store(in, s, v);
	case I_READ:
		if (!load_int(in, s, &in->tmp))
			return false;
		seen(in, in->tmp, false);
		return true;
	case I_COMPUTE:
		if (op->delta == 0 && !eval_int(in, s->args[0], &x))
			return false;
		if (__builtin_add_overflow(in->tmp, op->delta ? op->delta : x,
					   &in->tmp))
			return fail(in, s->line, s->col, "integer overflow");
		seen(in, in->tmp, false);
		return true;
	case I_WRITE:
		seen(in, in->tmp, false);
		return store(in, s, value_num(in->tmp));
	case I_YIELD: sched_yield(); return true;
	case I_EXIT:
		x = 0;
		if (s->nargs > 0 && !eval_int(in, s->args[0], &x))
			return false;
		if (x < 0 || x > 255)
			return fail(in, s->line, s->col,
				    "exit code %lld (it "
				    "must be from 0 to 255)",
				    (long long)x);
		in->exit_code = (int)x;
		*r = STEP_DONE;
		return true;
	default: return true;
	}
}

/* assert: false when S's condition does not hold (the worker fails with
 * its message, or the condition itself as written), or cannot be told. */
static bool
check_assert(struct interp *in, const struct stmt *s)
{
	struct buf what = { 0 };
	struct value m;
	int64_t c;

	if (!eval_int(in, s->args[0], &c))
		return false;
	seen(in, c != 0, false);
	if (c != 0)
		return true;
	if (s->nargs > 1) {
		if (!eval(in, s->args[1], &m))
			return false;
		if (m.is_str)
			buf_puts(&what, m.s);
		else
			buf_printf(&what, "%lld", (long long)m.i);
	} else {
		expr_format(s->args[0], &what);
	}
	fail(in, s->line, s->col, "assertion failed: %s", buf_str(&what));
	buf_free(&what);
	return false;
}

enum step_result
interp_step(struct interp *in, struct task_io *io)
{
	enum step_result r = STEP_MORE;
	const struct op *op;
	size_t next;

	settle(in);
	if (in->pc >= in->prog->n)
		return STEP_DONE;
	op = &in->prog->ops[in->pc];
	next = in->pc + 1;
	in->last = (struct step_seen){ .pc = (int)in->pc };
	switch (op->code) {
	case I_TEST: {
		int64_t c;
		if (!eval_int(in, op->s->args[0], &c))
			return STEP_FAIL;
		seen(in, c != 0, false);
		if (c == 0)
			next = (size_t)op->target;
		break;
	}
	case I_FOR_INIT:
	case I_FOR_NEXT:
	case I_WORDS_INIT:
	case I_WORDS_NEXT:
	case I_REPEAT_INIT:
	case I_REPEAT_NEXT:
		if (!step_loop(in, op, &next))
			return STEP_FAIL;
		break;
	case I_LOCK:
	case I_UNLOCK:
		if ((r = step_lock(in, op, io)) != STEP_MORE)
			return r;
		break;
	case I_CRASH: return STEP_CRASH;
	case I_ASSERT:
		if (!check_assert(in, op->s))
			return STEP_FAIL;
		break;
	case I_SYNC: {
		bool again = false;
		if ((r = step_sync(in, op, io, &again)) != STEP_MORE)
			return r;
		if (again)
			return STEP_MORE; /* the same statement, its next step */
		break;
	}
	default:
		if (!step_simple(in, op, io, &r))
			return STEP_FAIL;
		break;
	}
	in->pc = next;
	settle(in);
	if (r == STEP_MORE && in->pc >= in->prog->n)
		r = STEP_DONE;
	return r;
}
