/*
 * check_interp.c: unit tests of the task interpreter. Tasks are parsed,
 * compiled and run one step at a time against a fake task_io that keeps
 * what was printed, records every sleep and plays the locks, with globals
 * in a plain array of cells. They pin down how many steps each statement
 * takes (incr is read, compute, write), what interp_next announces, what
 * every statement and operator does, and every runtime error's message.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "buf.h"
#include "interp.h"
#include "lock.h"

/* The fake io */

#define FAKE_LOCKS 8

struct fake_io {
	struct task_io io; /* first, so that a task_io * is a fake_io * */
	struct buf out;	   /* every line printed, each with a '\n' */
	int nprint;
	int64_t slept[64];
	int nsleep;
	int sleep_result;      /* what sleep returns */
	bool held[FAKE_LOCKS]; /* by this worker */
	int nlock, nunlock;    /* calls */
	int lock_result;       /* when >= 0: what lock returns instead */
	char named[FAKE_LOCKS / 2][32]; /* locks named by a variable */
	int nnamed;
	char last_name[32]; /* the last of them locked or unlocked */
};

static int
fake_print(struct task_io *io, const char *text, size_t len)
{
	struct fake_io *f = (struct fake_io *)io;

	buf_add(&f->out, text, len);
	buf_puts(&f->out, "\n");
	f->nprint++;
	return 0;
}

static int
fake_sleep(struct task_io *io, int64_t ms)
{
	struct fake_io *f = (struct fake_io *)io;

	ck_assert_int_lt(f->nsleep, 64);
	f->slept[f->nsleep++] = ms;
	return f->sleep_result;
}

/* As a real lock would answer for one worker alone. */
/* The fake's number for lock I of the task, or for the lock NAME (I < 0):
 * such locks are numbered from FAKE_LOCKS / 2 as they come. */
static int
fake_index(struct fake_io *f, int i, const char *name)
{
	int k;

	if (i >= 0)
		return i;
	snprintf(f->last_name, sizeof f->last_name, "%s", name);
	for (k = 0; k < f->nnamed; k++)
		if (strcmp(f->named[k], name) == 0)
			break;
	if (k == f->nnamed) {
		ck_assert_int_lt(f->nnamed, FAKE_LOCKS / 2);
		snprintf(f->named[f->nnamed++], sizeof f->named[0], "%s", name);
	}
	return FAKE_LOCKS / 2 + k;
}

static int
fake_lock(struct task_io *io, int i, const char *name)
{
	struct fake_io *f = (struct fake_io *)io;

	i = fake_index(f, i, name);
	ck_assert_int_lt(i, FAKE_LOCKS);
	f->nlock++;
	if (f->lock_result >= 0)
		return f->lock_result;
	if (f->held[i])
		return LOCK_SELF;
	f->held[i] = true;
	return LOCK_OK;
}

static int
fake_unlock(struct task_io *io, int i, const char *name)
{
	struct fake_io *f = (struct fake_io *)io;

	i = fake_index(f, i, name);
	ck_assert_int_lt(i, FAKE_LOCKS);
	f->nunlock++;
	if (!f->held[i])
		return LOCK_NOT_HELD;
	f->held[i] = false;
	return LOCK_OK;
}

/* A task being run */

#define RUN_GLOBALS 16

struct run {
	struct task_def *def;
	struct program *prog;
	struct interp in;
	cell_t cells[RUN_GLOBALS];
	cell_t *globals[RUN_GLOBALS];
	struct fake_io f;
};

/* The run a test has open: closed after the test even when the test fails
 * (under CK_FORK=no a failed test does not reach its own run_close). */
static struct run *open_run;

static void run_close(struct run *r);

static void
no_run(void)
{
	open_run = NULL;
}

static void
close_open_run(void)
{
	if (open_run != NULL)
		run_close(open_run);
}

/* Parses TEXT, compiles it and readies R to run it with ARGS. */
static void
run_open_args(struct run *r, const char *text, const struct value *args)
{
	struct parse_error err;
	size_t used;

	ck_assert_ptr_null(open_run);
	memset(r, 0, sizeof *r);
	r->def = parse_task(text, strlen(text), &used, &err);
	ck_assert_msg(r->def != NULL, "'%s': %d:%d: %s", text, err.line,
		      err.col, err.msg);
	ck_assert_uint_le(r->def->nglobals, RUN_GLOBALS);
	r->prog = program_compile(r->def);
	for (size_t i = 0; i < RUN_GLOBALS; i++) {
		cell_put(&r->cells[i], 0); /* most tests want 0 to start */
		r->globals[i] = &r->cells[i];
	}
	r->f.io.print = fake_print;
	r->f.io.sleep = fake_sleep;
	r->f.io.lock = fake_lock;
	r->f.io.unlock = fake_unlock;
	r->f.lock_result = -1;
	interp_init(&r->in, r->def, r->prog, args, r->globals);
	open_run = r;
}

static void
run_open(struct run *r, const char *text)
{
	run_open_args(r, text, NULL);
}

static void
run_close(struct run *r)
{
	interp_free(&r->in);
	program_free(r->prog);
	task_def_free(r->def);
	buf_free(&r->f.out);
	open_run = NULL;
}

static enum step_result
step(struct run *r)
{
	return interp_step(&r->in, &r->f.io);
}

/* Steps R until it stops; *STEPS (when not NULL) gets how many steps. */
static enum step_result
finish(struct run *r, int *steps)
{
	enum step_result res;
	int n = 0;

	do {
		ck_assert_int_lt(n, 100000);
		res = step(r);
		n++;
	} while (res == STEP_MORE);
	if (steps != NULL)
		*steps = n;
	return res;
}

/* The cell of global NAME, which the task must use. */
static cell_t *
cell(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->def->nglobals; i++)
		if (strcmp(r->def->globals[i], name) == 0)
			return r->globals[i];
	ck_abort_msg("the task has no global '%s'", name);
	return NULL;
}

static int64_t
get(struct run *r, const char *name)
{
	int64_t v = 0;

	ck_assert_msg(cell_get(cell(r, name), &v), "'%s' is not set", name);
	return v;
}

static void
set(struct run *r, const char *name, int64_t v)
{
	cell_put(cell(r, name), v);
}

static const char *
out(struct run *r)
{
	return buf_str(&r->f.out);
}

/* Runs TEXT to its end, which must be STEP_DONE, and checks its output. */
static void
check_output(const char *text, const char *want)
{
	static struct run r;

	run_open(&r, text);
	ck_assert_msg(finish(&r, NULL) == STEP_DONE, "'%s': %s", text,
		      r.in.error);
	ck_assert_msg(strcmp(out(&r), want) == 0, "'%s' printed '%s', not '%s'",
		      text, out(&r), want);
	run_close(&r);
}

/* Runs TEXT, which must fail with the message WANT. */
static void
check_fails(const char *text, const char *want)
{
	static struct run r;

	run_open(&r, text);
	ck_assert_msg(finish(&r, NULL) == STEP_FAIL, "'%s' did not fail", text);
	ck_assert_str_eq(r.in.error, want);
	run_close(&r);
}

/* Step counts */

START_TEST(test_for_range_steps)
{
	static struct run r;

	run_open(&r, "task t { for i in 1..5 { print i } }");
	/* for-init, then print and for-next five times. */
	for (int i = 1; i <= 10; i++)
		ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_str_eq(out(&r), "1\n2\n3\n4\n5\n");
	ck_assert_int_eq(r.in.exit_code, 0);
	run_close(&r);
}
END_TEST

START_TEST(test_incr_three_steps)
{
	static struct run r;

	run_open(&r, "task t { incr x; yield }");
	set(&r, "x", 41);
	ck_assert_int_eq(step(&r), STEP_MORE); /* read */
	ck_assert_int_eq(get(&r, "x"), 41);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]);
	ck_assert_int_eq(step(&r), STEP_MORE); /* compute */
	ck_assert_int_eq(get(&r, "x"), 41);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]);
	ck_assert_int_eq(step(&r), STEP_MORE); /* write */
	ck_assert_int_eq(get(&r, "x"), 42);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[1]);
	run_close(&r);
}
END_TEST

START_TEST(test_incr_loses_update)
{
	static struct run r;

	run_open(&r, "task t { incr x }");
	ck_assert_int_eq(step(&r), STEP_MORE); /* reads 0 */
	set(&r, "x", 100);		       /* another worker's update */
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(get(&r, "x"), 1); /* the 100 is lost */
	run_close(&r);
}
END_TEST

START_TEST(test_decr_three_steps)
{
	static struct run r;

	run_open(&r, "task t { decr x }");
	set(&r, "x", 10);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(get(&r, "x"), 10);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(get(&r, "x"), 10);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(get(&r, "x"), 9);
	run_close(&r);
}
END_TEST

START_TEST(test_add_assign_three_steps)
{
	static struct run r;

	run_open(&r, "task t { x += 5 }");
	set(&r, "x", 7);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(get(&r, "x"), 7);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(get(&r, "x"), 7);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(get(&r, "x"), 12);
	run_close(&r);
}
END_TEST

START_TEST(test_add_assign_evaluates_at_compute)
{
	static struct run r;

	/* The read is of x only; y is read by the compute step. */
	run_open(&r, "task t { x += y * 2 }");
	set(&r, "x", 1);
	set(&r, "y", 3);
	ck_assert_int_eq(step(&r), STEP_MORE);
	set(&r, "y", 10);
	ck_assert_int_eq(step(&r), STEP_MORE);
	set(&r, "y", 1000);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(get(&r, "x"), 21);
	run_close(&r);
}
END_TEST

START_TEST(test_incr_local)
{
	struct value args[1] = { value_num(5) };
	static struct run r;
	int steps;

	run_open_args(&r,
		      "task t(n) { incr n; decr n; decr n; n += 10; "
		      "print n }",
		      args);
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 13);
	ck_assert_str_eq(out(&r), "14\n");
	run_close(&r);
}
END_TEST

START_TEST(test_one_step_statements)
{
	static struct run r;
	int steps;

	/* print, sleep, =, lock, unlock, yield: one step each. */
	run_open(&r, "task t { print 1; sleep 1; x = 2; lock m; unlock m; "
		     "yield }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 6);
	run_close(&r);
}
END_TEST

START_TEST(test_empty_task)
{
	static struct run r;

	run_open(&r, "task t { }");
	ck_assert_ptr_null(interp_next(&r.in));
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(r.in.exit_code, 0);
	run_close(&r);
}
END_TEST

START_TEST(test_step_after_done)
{
	static struct run r;

	run_open(&r, "task t { print 1 }");
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_str_eq(out(&r), "1\n");
	run_close(&r);
}
END_TEST

/* interp_next */

START_TEST(test_next_in_order)
{
	static struct run r;
	const struct stmt *loop, *pr;

	run_open(&r, "task t {\n"
		     "    x = 1\n"
		     "    for i in 1..2 {\n"
		     "        print i\n"
		     "    }\n"
		     "}");
	loop = r.def->body[1];
	pr = loop->body[0];
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]);
	step(&r);
	ck_assert_ptr_eq(interp_next(&r.in), loop); /* for-init */
	step(&r);
	ck_assert_ptr_eq(interp_next(&r.in), pr);
	step(&r);
	ck_assert_ptr_eq(interp_next(&r.in), loop); /* for-next */
	step(&r);
	ck_assert_ptr_eq(interp_next(&r.in), pr);
	step(&r);
	ck_assert_ptr_eq(interp_next(&r.in), loop);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_ptr_null(interp_next(&r.in));
	run_close(&r);
}
END_TEST

START_TEST(test_next_skips_jumps)
{
	static struct run r;

	/* After the then-branch, the jump over the else costs nothing: the
	 * next statement is the one after the if. */
	run_open(&r, "task t { if 1 { yield } else { crash }; print 9 }");
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]->body[0]);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[1]);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_str_eq(out(&r), "9\n");
	run_close(&r);
}
END_TEST

START_TEST(test_next_does_not_step)
{
	static struct run r;

	run_open(&r, "task t { print 1 }");
	for (int i = 0; i < 3; i++)
		ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]);
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
}
END_TEST

/* Statements */

START_TEST(test_print_values)
{
	struct value args[1] = { value_word("word") };
	static struct run r;

	run_open_args(&r, "task t(w) { print \"a b\" 1 (-2) w x \"\" }", args);
	set(&r, "x", 9223372036854775807);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_str_eq(out(&r), "a b 1 -2 word 9223372036854775807 \n");
	run_close(&r);
}
END_TEST

START_TEST(test_print_escapes)
{
	check_output("task t { print \"tab\\there\" \"q\\\"\" }",
		     "tab\there q\"\n");
}
END_TEST

START_TEST(test_sleep)
{
	static struct run r;

	run_open(&r, "task t { sleep 25; sleep 0; sleep 3600000 }");
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_int_eq(r.f.nsleep, 3);
	ck_assert_int_eq(r.f.slept[0], 25);
	ck_assert_int_eq(r.f.slept[1], 0);
	ck_assert_int_eq(r.f.slept[2], 3600000);
	run_close(&r);
}
END_TEST

START_TEST(test_sleep_stopped)
{
	static struct run r;

	run_open(&r, "task t { sleep 1000; print 1 }");
	r.f.sleep_result = 1;
	ck_assert_int_eq(step(&r), STEP_STOP);
	ck_assert_int_eq(r.f.nsleep, 1);
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
}
END_TEST

START_TEST(test_assign)
{
	static struct run r;

	run_open(&r, "task t { x = 3 * 4; y = x - 20 }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(get(&r, "x"), 12);
	ck_assert_int_eq(get(&r, "y"), 0);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(get(&r, "y"), -8);
	run_close(&r);
}
END_TEST

START_TEST(test_assign_string_to_local)
{
	struct value args[1] = { value_num(1) };
	static struct run r;

	/* A local can hold a string; a global cannot (see the errors). */
	check_output("task t { for w in a { }; w = \"b\"; print w }", "b\n");
	run_open_args(&r, "task t(p) { p = \"s\"; print p p == \"s\" }", args);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_str_eq(out(&r), "s 1\n");
	run_close(&r);
}
END_TEST

START_TEST(test_if_then)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { if x == 1 { print \"then\" } else { print "
		     "\"else\" } }");
	set(&r, "x", 1);
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 2); /* the test, then the print */
	ck_assert_str_eq(out(&r), "then\n");
	run_close(&r);
}
END_TEST

START_TEST(test_if_else)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { if x == 1 { print \"then\" } else { print "
		     "\"else\" } }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 2);
	ck_assert_str_eq(out(&r), "else\n");
	run_close(&r);
}
END_TEST

START_TEST(test_if_without_else)
{
	check_output("task t { if 0 { print 1 }; print 2 }", "2\n");
	check_output("task t { if -3 { print 1 }; print 2 }", "1\n2\n");
}
END_TEST

START_TEST(test_else_if)
{
	static const char *const text =
		"task t { if x == 1 { print 1 } else if x == 2 { print 2 } "
		"else { print 3 } }";
	static struct run r;
	int steps;

	for (int x = 1; x <= 3; x++) {
		char want[8];
		run_open(&r, text);
		set(&r, "x", x);
		ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
		snprintf(want, sizeof want, "%d\n", x);
		ck_assert_str_eq(out(&r), want);
		/* One test per condition looked at, and the print. */
		ck_assert_int_eq(steps, x == 1 ? 2 : 3);
		run_close(&r);
	}
}
END_TEST

START_TEST(test_while)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { while x < 3 { incr x } }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(get(&r, "x"), 3);
	/* Four tests and three incr of three steps. */
	ck_assert_int_eq(steps, 4 + 9);
	run_close(&r);
}
END_TEST

START_TEST(test_while_at_any_size)
{
	/* The loop must go round however many steps come before and in it
	 * (the program grows as it is compiled: its jumps must survive). */
	for (int before = 0; before < 80; before++)
		for (int inside = 0; inside < 6; inside++) {
			static struct run r;
			struct buf b = { 0 };
			buf_puts(&b, "task t { ");
			for (int i = 0; i < before; i++)
				buf_puts(&b, "yield; ");
			buf_puts(&b, "while x < 2 { incr x; ");
			for (int i = 0; i < inside; i++)
				buf_puts(&b, "yield; ");
			buf_puts(&b, "} }");
			run_open(&r, buf_str(&b));
			buf_free(&b);
			ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
			ck_assert_msg(get(&r, "x") == 2,
				      "%d steps before, %d inside: x = %lld",
				      before, inside, (long long)get(&r, "x"));
			run_close(&r);
		}
}
END_TEST

START_TEST(test_while_false)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { while 0 { crash } }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 1);
	run_close(&r);
}
END_TEST

START_TEST(test_repeat)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { repeat 3 { print \"r\" } }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 7);
	ck_assert_str_eq(out(&r), "r\nr\nr\n");
	run_close(&r);
}
END_TEST

START_TEST(test_repeat_zero)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { repeat 0 { print 1 }; print 2 }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[1]);
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 1);
	ck_assert_str_eq(out(&r), "2\n");
	run_close(&r);
}
END_TEST

START_TEST(test_repeat_count_once)
{
	static struct run r;

	/* The count is read once, when the loop begins. */
	run_open(&r, "task t { repeat n { incr n; incr k } }");
	set(&r, "n", 2);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_int_eq(get(&r, "k"), 2);
	ck_assert_int_eq(get(&r, "n"), 4);
	run_close(&r);
}
END_TEST

START_TEST(test_for_empty_range)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { for i in 5..1 { print i } }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 1);
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
}
END_TEST

START_TEST(test_for_single_and_negative)
{
	check_output("task t { for i in 3..3 { print i } }", "3\n");
	check_output("task t { for i in -2..0 { print i } }", "-2\n-1\n0\n");
}
END_TEST

START_TEST(test_for_bounds_once)
{
	static struct run r;

	/* The bounds are read once, when the loop begins. */
	run_open(&r, "task t { for i in 1..n { n = 1; print i } }");
	set(&r, "n", 3);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_str_eq(out(&r), "1\n2\n3\n");
	run_close(&r);
}
END_TEST

START_TEST(test_for_words)
{
	static struct run r;
	int steps;

	run_open(&r, "task t { for w in a \"x y\" \"007\" z { print w } }");
	ck_assert_int_eq(finish(&r, &steps), STEP_DONE);
	ck_assert_int_eq(steps, 1 + 4 * 2);
	ck_assert_str_eq(out(&r), "a\nx y\n007\nz\n");
	run_close(&r);
}
END_TEST

START_TEST(test_for_numeric_words)
{
	static struct run r;

	/* Words that read as integers are integers; "007" is not. */
	run_open(&r, "task t { for w in 12 \"-3\" 0 { s += w; print w == 12 "
		     "} }");
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_int_eq(get(&r, "s"), 9);
	ck_assert_str_eq(out(&r), "1\n0\n0\n");
	run_close(&r);
	check_fails("task t { for w in \"007\" { s += w } }",
		    "task 't', line 1, col 32: 'w' holds the word \"007\", not "
		    "a number");
}
END_TEST

START_TEST(test_for_big_numeric_word)
{
	/* Too large for 64 bits: it can only stay a word. */
	check_output("task t { for w in \"99999999999999999999\" { print w } }",
		     "99999999999999999999\n");
}
END_TEST

START_TEST(test_lock_unlock)
{
	static struct run r;

	run_open(&r, "task t { lock a; lock b; unlock a; unlock b }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert(r.f.held[0]);
	ck_assert(!r.f.held[1]);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert(r.f.held[1]);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert(!r.f.held[0]);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert(!r.f.held[1]);
	ck_assert_int_eq(r.f.nlock, 2);
	ck_assert_int_eq(r.f.nunlock, 2);
	run_close(&r);
}
END_TEST

START_TEST(test_lock_recovered_goes_on)
{
	static struct run r;

	run_open(&r, "task t { lock m; print 1 }");
	r.f.lock_result = LOCK_RECOVERED;
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_str_eq(out(&r), "1\n");
	run_close(&r);
}
END_TEST

START_TEST(test_lock_cancelled_stops)
{
	static struct run r;

	run_open(&r, "task t { lock m; print 1 }");
	r.f.lock_result = LOCK_CANCELLED;
	ck_assert_int_eq(step(&r), STEP_STOP);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[0]);
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
}
END_TEST

START_TEST(test_yield)
{
	static struct run r;

	run_open(&r, "task t { yield; yield }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	run_close(&r);
}
END_TEST

START_TEST(test_exit_code)
{
	static struct run r;

	run_open(&r, "task t { print 1; exit 7; print 2 }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert_int_eq(r.in.exit_code, 7);
	ck_assert_str_eq(out(&r), "1\n");
	run_close(&r);
}
END_TEST

START_TEST(test_exit_limits)
{
	static const struct {
		const char *text;
		int code;
	} ok[] = {
		{ "task t { exit }", 0 },
		{ "task t { exit 0 }", 0 },
		{ "task t { exit 255 }", 255 },
		{ "task t { for i in 1..9 { if i == 4 { exit i * 10 } } }",
		  40 },
	};

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		static struct run r;
		run_open(&r, ok[i].text);
		ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
		ck_assert_int_eq(r.in.exit_code, ok[i].code);
		run_close(&r);
	}
}
END_TEST

START_TEST(test_exit_out_of_range)
{
	check_fails("task t {\n    exit 300\n}",
		    "task 't', line 2, col 5: exit code 300 (it must be from 0 "
		    "to 255)");
	check_fails("task t {\n    exit 256\n}",
		    "task 't', line 2, col 5: exit code 256 (it must be from 0 "
		    "to 255)");
	check_fails("task t {\n    exit -1\n}",
		    "task 't', line 2, col 5: exit code -1 (it must be from 0 "
		    "to 255)");
}
END_TEST

START_TEST(test_crash)
{
	static struct run r;

	run_open(&r, "task t { print 1; crash; print 2 }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_CRASH);
	/* Still at the crash: that is where it happened. */
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[1]);
	ck_assert_str_eq(out(&r), "1\n");
	run_close(&r);
}
END_TEST

START_TEST(test_globals_are_the_cells)
{
	static struct run r;
	cell_t mine;
	int64_t v = 0;

	cell_put(&mine, 5);
	run_open(&r, "task t { x = x * 3 }");
	r.globals[0] = &mine;
	ck_assert_int_eq(step(&r), STEP_DONE);
	ck_assert(cell_get(&mine, &v));
	ck_assert_int_eq(v, 15);
	ck_assert(cell_get(&r.cells[0], &v)); /* its own cell: untouched */
	ck_assert_int_eq(v, 0);
	run_close(&r);
}
END_TEST

/* Expressions */

START_TEST(test_arithmetic)
{
	check_output("task t { print 1 + 2 * 3 (1 + 2) * 3 10 - 4 - 3 }",
		     "7 9 3\n");
	check_output("task t { print 7 / 2 (-7) / 2 7 % 3 (-7) % 3 }",
		     "3 -3 1 -1\n");
	check_output("task t { print 9223372036854775807 - 1 + 1 }",
		     "9223372036854775807\n");
}
END_TEST

START_TEST(test_comparisons)
{
	check_output("task t { print 1 < 2 (2 < 2) (2 <= 2) (3 <= 2) }",
		     "1 0 1 0\n");
	check_output("task t { print 3 > 2 (2 > 2) (2 >= 2) (1 >= 2) }",
		     "1 0 1 0\n");
	check_output("task t { print 2 == 2 (2 == 3) (2 != 3) (2 != 2) }",
		     "1 0 1 0\n");
}
END_TEST

START_TEST(test_unary)
{
	check_output("task t { x = 5; print -x !x !0 !!7 (- -x) }",
		     "-5 0 1 1 5\n");
}
END_TEST

START_TEST(test_strings_compared)
{
	check_output("task t { print \"a\" == \"a\" (\"a\" == \"b\") "
		     "(\"a\" != \"b\") (\"a\" != \"a\") }",
		     "1 0 1 0\n");
	/* A string is never equal to a number. */
	check_output("task t { print \"1\" == 1 (\"1\" != 1) }", "0 1\n");
}
END_TEST

START_TEST(test_word_argument_compared)
{
	struct value args[2] = { value_word("yes"), value_num(3) };
	static struct run r;

	run_open_args(&r,
		      "task t(a, b) { print a == \"yes\" (a != \"no\") "
		      "(b == 3) }",
		      args);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_str_eq(out(&r), "1 1 1\n");
	run_close(&r);
}
END_TEST

START_TEST(test_and_or)
{
	check_output("task t { print 5 && 7 (0 && 7) (5 && 0) (0 || 0) "
		     "(0 || 3) (4 || 0) }",
		     "1 0 0 0 1 1\n");
}
END_TEST

START_TEST(test_and_short_circuit)
{
	/* The right side is not evaluated: 1 / 0 does not fail. */
	check_output("task t { print 0 && 1 / 0 }", "0\n");
	check_output("task t { if x != 0 && 10 / x > 1 { crash }; print 1 }",
		     "1\n");
}
END_TEST

START_TEST(test_or_short_circuit)
{
	check_output("task t { print 1 || 1 / 0 }", "1\n");
	check_output("task t { print 1 || \"s\" }", "1\n");
}
END_TEST

START_TEST(test_and_evaluates_right)
{
	check_fails("task t { print 1 && 1 / 0 }",
		    "task 't', line 1, col 23: division by zero");
	check_fails("task t { print 0 || 1 % 0 }",
		    "task 't', line 1, col 23: modulo by zero");
}
END_TEST

/* Runtime errors */

START_TEST(test_fail_division_by_zero)
{
	check_fails("task div {\n    x = 1 / 0\n}",
		    "task 'div', line 2, col 11: division by zero");
}
END_TEST

START_TEST(test_fail_modulo_by_zero)
{
	check_fails("task mod {\n    print 7 % x\n}",
		    "task 'mod', line 2, col 13: modulo by zero");
}
END_TEST

START_TEST(test_fail_overflow_add)
{
	check_fails("task t {\n    x = 9223372036854775807 + 1\n}",
		    "task 't', line 2, col 29: integer overflow (results must "
		    "fit in 64 bits)");
	check_fails("task t {\n    x = -9223372036854775807 - 2\n}",
		    "task 't', line 2, col 30: integer overflow (results must "
		    "fit in 64 bits)");
}
END_TEST

START_TEST(test_fail_overflow_mul)
{
	check_fails("task t {\n    x = 4611686018427387904 * 2\n}",
		    "task 't', line 2, col 29: integer overflow (results must "
		    "fit in 64 bits)");
}
END_TEST

START_TEST(test_fail_overflow_negate)
{
	static struct run r;

	run_open(&r, "task t {\n    x = -y\n}");
	set(&r, "y", INT64_MIN);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 9: integer "
				     "overflow");
	ck_assert_int_eq(get(&r, "x"), 0);
	run_close(&r);
}
END_TEST

START_TEST(test_fail_overflow_min_div)
{
	static struct run r;

	run_open(&r, "task t {\n    x = y / -1\n}");
	set(&r, "y", INT64_MIN);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 11: integer "
				     "overflow (results must fit in 64 bits)");
	run_close(&r);
}
END_TEST

START_TEST(test_fail_overflow_incr)
{
	static struct run r;

	run_open(&r, "task t {\n    incr x\n}");
	set(&r, "x", INT64_MAX);
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 5: integer "
				     "overflow");
	ck_assert_int_eq(get(&r, "x"), INT64_MAX);
	run_close(&r);
}
END_TEST

START_TEST(test_fail_string_in_arithmetic)
{
	check_fails("task t {\n    print \"a\" + 1\n}",
		    "task 't', line 2, col 15: this operator needs numbers, "
		    "not strings");
	check_fails("task t {\n    x = 1 < \"b\"\n}",
		    "task 't', line 2, col 11: this operator needs numbers, "
		    "not strings");
	check_fails("task t {\n    print -\"a\"\n}",
		    "task 't', line 2, col 12: expected a number, got the "
		    "string \"a\"");
	check_fails("task t {\n    if \"yes\" { }\n}",
		    "task 't', line 2, col 8: expected a number, got the "
		    "string \"yes\"");
	check_fails("task t {\n    print \"x\" && 1\n}",
		    "task 't', line 2, col 11: expected a number, got the "
		    "string \"x\"");
}
END_TEST

START_TEST(test_words)
{
	struct value args[2] = { value_word("fork1"), value_word("fork2") };
	static struct run r;

	/* A word prints as itself; == and != compare words by their text,
	 * and a word never equals a number. */
	run_open_args(&r,
		      "task t(a, b) { print a b; print a == \"fork1\" a != b "
		      "a == b a == 1 }",
		      args);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_str_eq(out(&r), "fork1 fork2\n1 1 0 0\n");
	run_close(&r);
	/* Arithmetic or ordering on a word names the variable holding it. */
	run_open_args(&r, "task t(a, b) {\n    print 1 + b\n}", args);
	ck_assert_int_eq(finish(&r, NULL), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 15: 'b' holds the "
				     "word \"fork2\", not a number");
	run_close(&r);
	check_fails("task t {\n    for c in x y { print c < 2 }\n}",
		    "task 't', line 2, col 26: 'c' holds the word \"x\", not a "
		    "number");
	check_fails("task t {\n    for c in x { print -c }\n}",
		    "task 't', line 2, col 25: 'c' holds the word \"x\", not a "
		    "number");
}
END_TEST

START_TEST(test_lock_named_by_value)
{
	struct value args[2] = { value_word("fork1"), value_word("fork2") };
	static struct run r;

	/* A parameter holding a word names the lock: phil is written once. */
	run_open_args(&r,
		      "task phil(left, right) { lock left; lock right; print "
		      "\"eat\"; unlock right; unlock left }",
		      args);
	ck_assert_int_eq(r.def->nlocks, 0);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_int_eq(r.f.nnamed, 2);
	ck_assert_str_eq(r.f.named[0], "fork1");
	ck_assert_str_eq(r.f.named[1], "fork2");
	ck_assert_int_eq(r.f.nlock, 2);
	ck_assert_int_eq(r.f.nunlock, 2);
	run_close(&r);
	/* So does a loop variable; any other name is the lock's own. */
	run_open(&r, "task t { for f in a b { lock f; unlock f }; lock m }");
	ck_assert_int_eq(r.def->nlocks, 1);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_int_eq(r.f.nnamed, 2);
	ck_assert_str_eq(r.f.named[1], "b");
	ck_assert(r.f.held[0]);
	run_close(&r);
	/* Errors name the lock the variable holds. */
	run_open_args(&r, "task t(a, b) {\n    lock a\n    lock a\n}", args);
	ck_assert_int_eq(finish(&r, NULL), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 3, col 5: 'fork1' is "
				     "already held by this worker: locking it "
				     "again would wait forever");
	run_close(&r);
	run_open_args(&r, "task t(a, b) {\n    unlock b\n}", args);
	ck_assert_int_eq(finish(&r, NULL), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 5: unlock of "
				     "'fork2', which this worker does not "
				     "hold");
	run_close(&r);
}
END_TEST

START_TEST(test_fail_lock_by_bad_value)
{
	struct value args[1] = { value_num(3) };
	static struct run r;

	run_open_args(&r, "task t(a) {\n    lock a\n}", args);
	ck_assert_int_eq(finish(&r, NULL), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 5: 'a' holds 3, "
				     "not the name of a lock");
	ck_assert_int_eq(r.f.nlock, 0);
	run_close(&r);
	check_fails("task t {\n    for w in \"a b\" { lock w }\n}",
		    "task 't', line 2, col 22: 'w' holds \"a b\", which cannot "
		    "name a lock");
	check_fails("task t {\n    unlock w\n    for w in a { }\n}",
		    "task 't', line 2, col 5: 'w' was never given a value");
}
END_TEST

START_TEST(test_fail_string_in_local_arithmetic)
{
	struct value args[1] = { value_word("word") };
	static struct run r;

	run_open_args(&r, "task t(w) {\n    incr w\n}", args);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 5: 'w' holds the "
				     "word \"word\", not a number");
	run_close(&r);
	/* A loop variable made a word inside its loop is now refused by
	 * the parser (see check_parse), so it cannot fail here. */
}
END_TEST

START_TEST(test_fail_never_set)
{
	static struct run r;

	/* A global nobody gave a value: the read fails, naming it, and
	 * nothing is printed or stored. */
	run_open(&r, "task t {\n    print \"sum\" yy + 1\n    x = 1\n}");
	cell_unset(cell(&r, "yy"));
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 17: 'yy' was "
				     "never given a value");
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
	/* incr reads: its first step fails. */
	run_open(&r, "task t {\n    incr n\n}");
	cell_unset(cell(&r, "n"));
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 5: 'n' was never "
				     "given a value");
	run_close(&r);
	/* Once written (by anyone), it reads. */
	run_open(&r, "task t { print v }");
	cell_unset(cell(&r, "v"));
	set(&r, "v", 4);
	ck_assert_int_eq(finish(&r, NULL), STEP_DONE);
	ck_assert_str_eq(out(&r), "4\n");
	run_close(&r);
	/* A loop variable before its loop has no value either. */
	check_fails("task t {\n    print i\n    for i in 1..2 { }\n}",
		    "task 't', line 2, col 11: 'i' was never given a value");
	check_fails("task t { decr w; for w in a { } }",
		    "task 't', line 1, col 10: 'w' was never given a value");
}
END_TEST

START_TEST(test_fail_sleep_range)
{
	check_fails("task t {\n    sleep 3600001\n}",
		    "task 't', line 2, col 5: sleep of 3600001 ms (it must be "
		    "from 0 to 3600000)");
	check_fails("task t {\n    sleep -1\n}",
		    "task 't', line 2, col 5: sleep of -1 ms (it must be from "
		    "0 to 3600000)");
	check_fails("task t {\n    sleep \"soon\"\n}",
		    "task 't', line 2, col 11: expected a number, got the "
		    "string \"soon\"");
}
END_TEST

START_TEST(test_fail_negative_repeat)
{
	static struct run r;

	run_open(&r, "task t {\n    repeat n { print 1 }\n}");
	set(&r, "n", -2);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 2, col 5: repeat count -2 "
				     "is negative");
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
}
END_TEST

START_TEST(test_fail_string_to_global)
{
	static struct run r;

	run_open(&r, "task t {\n    x = 1\n    x = \"hi\"\n}");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_str_eq(r.in.error, "task 't', line 3, col 5: global 'x' can "
				     "only hold a number");
	ck_assert_int_eq(get(&r, "x"), 1);
	run_close(&r);
}
END_TEST

START_TEST(test_fail_unlock_not_held)
{
	check_fails("task t {\n    lock a\n    unlock b\n}",
		    "task 't', line 3, col 5: unlock of 'b', which this worker "
		    "does not hold");
}
END_TEST

START_TEST(test_fail_lock_twice)
{
	check_fails("task t {\n    lock m\n    lock m\n}",
		    "task 't', line 3, col 5: 'm' is already held by this "
		    "worker: locking it again would wait forever");
}
END_TEST

START_TEST(test_fail_stays_put)
{
	static struct run r;

	run_open(&r, "task t { print 1; x = 1 / 0; print 2 }");
	ck_assert_int_eq(step(&r), STEP_MORE);
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_ptr_eq(interp_next(&r.in), r.def->body[1]);
	ck_assert_str_eq(out(&r), "1\n");
	run_close(&r);
}
END_TEST

START_TEST(test_fail_print_prints_nothing)
{
	static struct run r;

	run_open(&r, "task t { print 1 2 / 0 }");
	ck_assert_int_eq(step(&r), STEP_FAIL);
	ck_assert_int_eq(r.f.nprint, 0);
	run_close(&r);
}
END_TEST

static Suite *
interp_suite(void)
{
	Suite *s = suite_create("interp");
	TCase *tc;

	tc = tcase_create("steps");
	tcase_add_checked_fixture(tc, no_run, close_open_run);
	tcase_add_test(tc, test_for_range_steps);
	tcase_add_test(tc, test_incr_three_steps);
	tcase_add_test(tc, test_incr_loses_update);
	tcase_add_test(tc, test_decr_three_steps);
	tcase_add_test(tc, test_add_assign_three_steps);
	tcase_add_test(tc, test_add_assign_evaluates_at_compute);
	tcase_add_test(tc, test_incr_local);
	tcase_add_test(tc, test_one_step_statements);
	tcase_add_test(tc, test_empty_task);
	tcase_add_test(tc, test_step_after_done);
	suite_add_tcase(s, tc);

	tc = tcase_create("next");
	tcase_add_checked_fixture(tc, no_run, close_open_run);
	tcase_add_test(tc, test_next_in_order);
	tcase_add_test(tc, test_next_skips_jumps);
	tcase_add_test(tc, test_next_does_not_step);
	suite_add_tcase(s, tc);

	tc = tcase_create("statements");
	/* test_while_at_any_size compiles and runs 480 tasks: under
	 * valgrind on a busy machine the default 4 s (x20) is too short. */
	tcase_set_timeout(tc, 15);
	tcase_add_checked_fixture(tc, no_run, close_open_run);
	tcase_add_test(tc, test_print_values);
	tcase_add_test(tc, test_print_escapes);
	tcase_add_test(tc, test_sleep);
	tcase_add_test(tc, test_sleep_stopped);
	tcase_add_test(tc, test_assign);
	tcase_add_test(tc, test_assign_string_to_local);
	tcase_add_test(tc, test_if_then);
	tcase_add_test(tc, test_if_else);
	tcase_add_test(tc, test_if_without_else);
	tcase_add_test(tc, test_else_if);
	tcase_add_test(tc, test_while);
	tcase_add_test(tc, test_while_at_any_size);
	tcase_add_test(tc, test_while_false);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_repeat_zero);
	tcase_add_test(tc, test_repeat_count_once);
	tcase_add_test(tc, test_for_empty_range);
	tcase_add_test(tc, test_for_single_and_negative);
	tcase_add_test(tc, test_for_bounds_once);
	tcase_add_test(tc, test_for_words);
	tcase_add_test(tc, test_for_numeric_words);
	tcase_add_test(tc, test_for_big_numeric_word);
	tcase_add_test(tc, test_lock_unlock);
	tcase_add_test(tc, test_lock_recovered_goes_on);
	tcase_add_test(tc, test_lock_cancelled_stops);
	tcase_add_test(tc, test_yield);
	tcase_add_test(tc, test_exit_code);
	tcase_add_test(tc, test_exit_limits);
	tcase_add_test(tc, test_exit_out_of_range);
	tcase_add_test(tc, test_crash);
	tcase_add_test(tc, test_globals_are_the_cells);
	suite_add_tcase(s, tc);

	tc = tcase_create("expressions");
	tcase_add_checked_fixture(tc, no_run, close_open_run);
	tcase_add_test(tc, test_arithmetic);
	tcase_add_test(tc, test_comparisons);
	tcase_add_test(tc, test_unary);
	tcase_add_test(tc, test_strings_compared);
	tcase_add_test(tc, test_word_argument_compared);
	tcase_add_test(tc, test_and_or);
	tcase_add_test(tc, test_and_short_circuit);
	tcase_add_test(tc, test_or_short_circuit);
	tcase_add_test(tc, test_and_evaluates_right);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, no_run, close_open_run);
	tcase_add_test(tc, test_fail_division_by_zero);
	tcase_add_test(tc, test_fail_modulo_by_zero);
	tcase_add_test(tc, test_fail_overflow_add);
	tcase_add_test(tc, test_fail_overflow_mul);
	tcase_add_test(tc, test_fail_overflow_negate);
	tcase_add_test(tc, test_fail_overflow_min_div);
	tcase_add_test(tc, test_fail_overflow_incr);
	tcase_add_test(tc, test_fail_string_in_arithmetic);
	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_lock_named_by_value);
	tcase_add_test(tc, test_fail_lock_by_bad_value);
	tcase_add_test(tc, test_fail_string_in_local_arithmetic);
	tcase_add_test(tc, test_fail_never_set);
	tcase_add_test(tc, test_fail_sleep_range);
	tcase_add_test(tc, test_fail_negative_repeat);
	tcase_add_test(tc, test_fail_string_to_global);
	tcase_add_test(tc, test_fail_unlock_not_held);
	tcase_add_test(tc, test_fail_lock_twice);
	tcase_add_test(tc, test_fail_stays_put);
	tcase_add_test(tc, test_fail_print_prints_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(interp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
