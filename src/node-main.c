/*
 * node-main.c: a node (SPEC 12), weft-node as MPI_Comm_spawn started it.
 * It shares no memory with weft: it gets its task's source, arguments and
 * globals' values in one message, runs the task with weft's own
 * interpreter in its own memory, and takes each step only when weft
 * grants it. What a step cannot do alone (print a line, work on an
 * object, sleep where weft can wake it) it asks weft for, as messages
 * the hub relays (node-proto.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interp.h"
#include "lock.h"
#include "node-main.h"
#include "node-mpi.h"
#include "task.h"
#include "xmalloc.h"

struct node {
	MPI_Comm parent;
	struct interp in;
	struct task_io io; /* first: the node of an io is found from it */
	struct node_msg_buf m;
	char got[AST_NAME_MAX + 1]; /* the word the last get took */
	bool lost;		    /* weft cannot be reached */
	int unshown;		    /* lines sent, their NM_SHOWN not seen */
	bool spin; /* the answer awaited may come at once: poll busily */
};

static struct node *
node_of(struct task_io *io)
{
	return (struct node *)((char *)io - offsetof(struct node, io));
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sends a message to weft; a node that cannot reach it stops. */
static void
say(struct node *n, uint32_t type, const int64_t *v, const char *text,
    size_t len)
{
	if (!n->lost && nmpi_send(n->parent, type, v, cpu_ns(), text, len) < 0)
		n->lost = true;
}

/* Reads weft's next message but the NM_SHOWN of lines printed. False
 * when weft cannot be reached. */
static bool
next_message(struct node *n)
{
	do {
		if (n->lost || nmpi_recv(n->parent, &n->m, n->spin) != 0)
			return n->lost = true, false;
		if (n->m.h.type == NM_SHOWN && n->unshown > 0)
			n->unshown--;
	} while (n->m.h.type == NM_SHOWN);
	return true;
}

/* Waits for weft's answer of TYPE to the request just sent; false when
 * weft is gone or answered something else (it stops us then). */
static bool
answer(struct node *n, uint32_t type)
{
	return next_message(n) && n->m.h.type == type;
}

static int
nio_print(struct task_io *io, const char *text, size_t len)
{
	struct node *n = node_of(io);
	int64_t v[NODE_VALS] = { n->in.last.pc };

	/* A window full: wait for weft to show one. */
	while (!n->lost && n->unshown >= NODE_OUT_WINDOW) {
		if (nmpi_recv(n->parent, &n->m, n->spin) != 0)
			n->lost = true;
		else if (n->m.h.type == NM_SHOWN)
			n->unshown--;
		else
			n->lost = true; /* nothing else can come now */
	}
	say(n, NM_OUT, v, text, len);
	n->unshown++;
	return n->lost ? -1 : 0;
}

static int
nio_sleep(struct task_io *io, int64_t ms)
{
	struct node *n = node_of(io);
	int64_t v[NODE_VALS] = { ms };

	say(n, NM_SLEEP, v, NULL, 0);
	n->spin = false; /* not before the sleep is over */
	if (!answer(n, NM_SLEPT))
		return n->spin = true, 1;
	n->spin = true;
	return n->m.h.v[0] != 0;
}

/* A node has no lock: start refuses a task that takes one. */
static int
nio_lock(struct task_io *io, int i, const char *name)
{
	return LOCK_FULL;
}

static enum sync_step
nio_sync(struct task_io *io, enum sync_stmt op, const char *name, int phase,
	 struct value *val, int64_t count, char *err, size_t errlen)
{
	struct node *n = node_of(io);
	int64_t v[NODE_VALS] = { op, phase, count, val->is_str, val->i };
	struct buf t = { 0 };
	enum sync_step r;

	buf_add(&t, name, strlen(name) + 1);
	if (op == SYNC_PUT && val->is_str)
		buf_puts(&t, val->s);
	say(n, NM_SYNC, v, t.data, t.len);
	buf_free(&t);
	if (!answer(n, NM_REPLY))
		return SYNC_STEP_STOP;
	r = (enum sync_step)n->m.h.v[0];
	if (r == SYNC_STEP_FAIL) {
		snprintf(err, errlen, "%s", n->m.text.data);
		return r;
	}
	if (op == SYNC_GET && r == SYNC_STEP_DONE) {
		if (n->m.h.v[1]) {
			snprintf(n->got, sizeof n->got, "%s", n->m.text.data);
			*val = value_word(n->got);
		} else {
			*val = value_num(n->m.h.v[2]);
		}
	}
	return r;
}

/* Fills V[4..6] and T with the next step: its instruction, and the
 * statement on an object it is, with the object's name. */
static void
next_step(const struct interp *in, int64_t *v, struct buf *t)
{
	const char *name = NULL;
	int phase = 0, op = interp_next_sync(in, &name, &phase);

	v[4] = interp_next_pc(in);
	v[5] = name != NULL ? op : -1;
	v[6] = phase;
	if (name != NULL && op >= 0)
		buf_puts(t, name);
}

/* Reads the setup: the task, its arguments and its globals. Returns the
 * task, or NULL with why in ERR. */
static struct task *
setup(struct node *n, struct value *args, cell_t ***cells, char *err,
      size_t errlen)
{
	const char *p = n->m.text.data, *end = p + n->m.text.len;
	int64_t nargs = n->m.h.v[0];
	char *argv[AST_MAX_PARAMS];
	struct parse_error pe;
	struct task *t = xcalloc(1, sizeof *t);
	size_t used, slen = strnlen(p, (size_t)(end - p));

	if ((t->def = parse_task(p, slen, &used, &pe)) == NULL) {
		snprintf(err, errlen, "line %d: %s", pe.line, pe.msg);
		free(t);
		return NULL;
	}
	t->prog = program_compile(t->def);
	p += slen + 1;
	for (int64_t i = 0; i < nargs && i < AST_MAX_PARAMS && p < end; i++) {
		argv[i] = xstrdup(p);
		p += strlen(p) + 1;
	}
	if (task_bind(t, (int)nargs, argv, args, err, errlen) < 0)
		return NULL; /* the node ends: nothing to free for */
	*cells = xcalloc(t->def->nglobals + 1, sizeof **cells);
	for (size_t i = 0; i < t->def->nglobals; i++) {
		cell_t *c = xcalloc(1, sizeof *c);
		int64_t x = 0;

		if (p + 9 <= end) {
			memcpy(&x, p + 1, sizeof x);
			if (*p)
				cell_put(c, x);
			p += 9;
		}
		(*cells)[i] = c;
	}
	return t;
}

int
node_main(int argc, char **argv)
{
	struct node n = { .spin = true };
	struct value args[AST_MAX_PARAMS];
	cell_t **cells = NULL;
	struct task *t;
	char err[256], host[256] = "?";
	int64_t v[NODE_VALS] = { 0 };
	struct buf text = { 0 };
	enum step_result r = STEP_MORE;

	MPI_Init(&argc, &argv);
	MPI_Comm_get_parent(&n.parent);
	if (n.parent == MPI_COMM_NULL) {
		fprintf(stderr, "weft-node: run by weft, not by hand\n");
		MPI_Finalize();
		return 2;
	}
	MPI_Comm_set_errhandler(n.parent, MPI_ERRORS_RETURN);
	n.io.print = nio_print;
	n.io.sleep = nio_sleep;
	n.io.lock = nio_lock;
	n.io.unlock = nio_lock;
	n.io.sync = nio_sync;
	if (nmpi_recv(n.parent, &n.m, true) != 0 ||
	    n.m.h.type != NM_SETUP)
		goto out;
	if ((t = setup(&n, args, &cells, err, sizeof err)) == NULL) {
		say(&n, NM_BAD, NULL, err, strlen(err));
		goto out;
	}
	interp_init(&n.in, t->def, t->prog, args, cells);
	gethostname(host, sizeof host - 1);
	v[0] = getpid();
	buf_add(&text, host, strlen(host) + 1);
	next_step(&n.in, v, &text);
	v[1] = v[4], v[2] = v[5], v[3] = v[6];
	v[4] = v[5] = v[6] = 0;
	say(&n, NM_HELLO, v, text.data, text.len);
	if (interp_next_pc(&n.in) < 0)
		r = STEP_DONE;
	while (r == STEP_MORE && !n.lost) {
		if (!next_message(&n) || n.m.h.type != NM_GO)
			break;
		r = interp_step(&n.in, &n.io);
		memset(v, 0, sizeof v);
		v[0] = r;
		v[1] = n.in.last.pc;
		v[2] = (n.in.last.has_value ? 1 : 0) | (n.in.last.done ? 2 : 0);
		v[3] = n.in.last.value;
		v[7] = n.in.exit_code;
		buf_reset(&text);
		if (r == STEP_MORE)
			next_step(&n.in, v, &text);
		else
			v[4] = v[5] = -1;
		if (r == STEP_FAIL)
			buf_puts(&text, n.in.error);
		say(&n, NM_DONE, v, text.data, text.len);
	}
out:
	buf_free(&text);
	if (!n.lost)
		MPI_Comm_disconnect(&n.parent);
	MPI_Finalize();
	return 0;
}
