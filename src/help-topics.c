/*
 * help-topics.c: the help text of everything that is not a command, as
 * data beside the command table (SQLite's shell keeps its help so): each
 * statement of the task language with the steps it takes, since a step is
 * what `sched step` grants and the races are made of; expressions; the
 * Python tutorial's lines; nodes; the words an exercise's prompt takes; and
 * notes that `help` adds to a command of the same name. Lookup only here;
 * cmd-help.c lays it out.
 */
#include "config.h"

#include <string.h>

#include "help-topics.h"

static const struct help_topic topics[] = {
	{
		.name = "statements",
		.also = "statement language body",
		.kind = HELP_INDEX,
		.lists = HELP_STATEMENT,
		.summary = "the statements of a task body, one a line or "
			   "separated by ';', and the steps each takes (help "
			   "NAME for one):",
		.text = "A step is what 'step' grants a worker and 'trace "
			"steps' shows; workers interleave between steps, "
			"never inside one. Values: help expressions.",
	},
	{
		.name = "print",
		.kind = HELP_STATEMENT,
		.usage = "print EXPR...",
		.steps = "1",
		.summary = "print one output line: the values, joined by one "
			   "space",
		.text = "The line goes to the tracer as the worker's output "
			"(t1 | 1 2 3); nothing is ever lost or torn.",
		.example = "print \"step\" i",
	},
	{
		.name = "sleep",
		.kind = HELP_STATEMENT,
		.usage = "sleep MS",
		.steps = "1",
		.summary = "wait MS milliseconds (0 to 3600000), blocked",
		.example = "sleep 10",
	},
	{
		.name = "for",
		.kind = HELP_STATEMENT,
		.usage = "for VAR in A..B { BODY }",
		.steps = "rounds + 1",
		.summary = "run BODY for VAR = A, A+1, ... B (both included); "
			   "for VAR in WORD... { BODY }: once for each word",
		.text = "VAR is local to the worker. The loop itself takes "
			"one step before each round and one to leave, besides "
			"its body's steps: for i in 1..3 { print i } is 4 + 3 "
			"= 7 steps.",
		.example = "for i in 1..n { print \"step\" i }",
	},
	{
		.name = "repeat",
		.kind = HELP_STATEMENT,
		.usage = "repeat N { BODY }",
		.steps = "rounds + 1",
		.summary = "run BODY N times (N must not be negative)",
		.text = "The loop itself takes one step before each round "
			"and one to leave, besides its body's steps: repeat 2 "
			"{ yield } is 3 + 2 = 5 steps.",
		.example = "repeat 3 { incr x }",
	},
	{
		.name = "while",
		.kind = HELP_STATEMENT,
		.usage = "while EXPR { BODY }",
		.steps = "1 per test",
		.summary = "run BODY as long as EXPR is not 0",
		.text = "EXPR is tested before each round, one step each time, "
			"the last test (the one that is false) included.",
		.example = "while n > 0 { n = n - 1 }",
	},
	{
		.name = "if",
		.also = "else",
		.kind = HELP_STATEMENT,
		.usage = "if EXPR { BODY } else { BODY }",
		.steps = "1",
		.summary = "run the first BODY when EXPR is not 0, else the "
			   "second",
		.text = "The test is the step; 'else' and its BODY are "
			"optional and cost none. else if goes on testing.",
		.example = "if x % 2 == 0 { print \"even\" } else { print "
			   "\"odd\" }",
	},
	{
		.name = "assign",
		.also = "= assignment",
		.kind = HELP_STATEMENT,
		.usage = "VAR = EXPR",
		.steps = "1",
		.summary = "give VAR the value of EXPR",
		.text = "A parameter or loop variable is local; any other "
			"variable is global, shared by threads and the shell "
			"(a process has its own copy: help shared). A global "
			"holds a number only. Reading and writing are one "
			"step: use incr to see a lost update.",
		.example = "n = n - 1",
	},
	{
		.name = "incr",
		.also = "decr += increment",
		.kind = HELP_STATEMENT,
		.usage = "incr VAR, decr VAR, VAR += EXPR",
		.steps = "3",
		.summary = "add 1 to VAR, take 1 from it, or add EXPR to it",
		.text = "Three steps, as on a real machine: read VAR, compute "
			"the new value, write it back. Another worker may run "
			"between them and write VAR too; then one update is "
			"lost. 'step' shows each of the three; lock around it "
			"to make it safe.",
		.example = "task count(n) { repeat n { incr x } }",
	},
	{
		.name = "lock",
		.also = "mutex",
		.kind = HELP_STATEMENT,
		.usage = "lock M",
		.steps = "1",
		.summary =
			"take the lock M, waiting while another worker holds "
			"it",
		.text = "A lock is a real mutex, in memory shared with "
			"processes, so it orders threads and processes "
			"alike. Taking a lock this worker holds already is "
			"an error (it would wait forever). A worker that ends "
			"holding a lock keeps it held. M may be a parameter "
			"holding the lock's name: task phil(left, right) { "
			"lock left; lock right; ... }. 'locks' shows who "
			"holds and who waits; lesson 06 is about deadlock.",
		.example = "lock m; incr x; unlock m",
	},
	{
		.name = "unlock",
		.kind = HELP_STATEMENT,
		.usage = "unlock M",
		.steps = "1",
		.summary = "release the lock M, which this worker must hold",
		.text = "Unlocking a lock this worker does not hold ends the "
			"worker in state failed.",
		.example = "unlock m",
	},
	{
		.name = "wait",
		.kind = HELP_STATEMENT,
		.usage = "wait S|C|B",
		.steps = "1 (C: 3)",
		.summary = "a semaphore: take one, sleeping while there is none; "
			   "a barrier: arrive and sleep until all have; a "
			   "condition: sleep until notified",
		.text = "On a condition the worker must hold its lock; the "
			"wait is three steps: let go of the lock and join the "
			"waiters, wait for a notify, take the lock again. Test "
			"what you wait for in a while loop, not an if: another "
			"worker may get there first. Declare the object "
			"first: semaphore s 0, barrier b 3, condition c m.",
		.example = "while count == 0 { wait ready }",
	},
	{
		.name = "signal",
		.kind = HELP_STATEMENT,
		.usage = "signal S",
		.steps = "1",
		.summary = "give a semaphore one back; a waiter, if any, gets it "
			   "at once",
		.example = "signal items",
	},
	{
		.name = "notify",
		.also = "notify_all",
		.kind = HELP_STATEMENT,
		.usage = "notify C [N] | notify_all C",
		.steps = "1",
		.summary = "wake one (N, every) worker waiting on condition C; "
			   "the worker must hold C's lock",
		.text = "A notify that finds nobody waiting does nothing, and "
			"the trace says so: 'notify c wakes nobody (lost)'. "
			"A worker that comes to wait after it sleeps on.",
		.example = "lock m; ready = 1; notify_all c; unlock m",
	},
	{
		.name = "put",
		.kind = HELP_STATEMENT,
		.usage = "put Q VALUE",
		.steps = "1",
		.summary = "append a number or word to queue Q, sleeping while "
			   "it is full",
		.example = "for i in 1..5 { put jobs i }",
	},
	{
		.name = "get",
		.kind = HELP_STATEMENT,
		.usage = "get Q VAR",
		.steps = "1",
		.summary = "take the oldest value of queue Q into VAR, the "
			   "task's own, sleeping while Q is empty",
		.example = "get jobs j; print \"working on\" j",
	},
	{
		.name = "yield",
		.kind = HELP_STATEMENT,
		.usage = "yield",
		.steps = "1",
		.summary = "give up the processor for a moment (sched_yield), "
			   "so that another worker may run",
		.example = "repeat 3 { print \"hi\"; yield }",
	},
	{
		.name = "exit",
		.kind = HELP_STATEMENT,
		.usage = "exit [CODE]",
		.steps = "1",
		.summary = "end this worker now, with exit code CODE (0 to "
			   "255; 0 if none)",
		.text = "The code shows in ps and in p1.exitcode.",
		.example = "if n < 0 { exit 2 }",
	},
	{
		.name = "crash",
		.kind = HELP_STATEMENT,
		.usage = "crash",
		.steps = "1",
		.summary = "die as a real crash does",
		.text = "A process really dies of SIGSEGV. A thread ends only "
			"itself, in state failed, with a note: a thread that "
			"really crashed would take all of weft down with it.",
		.example = "print \"before\"; crash",
	},
	{
		.name = "assert",
		.kind = HELP_STATEMENT,
		.usage = "assert CONDITION [, MESSAGE]",
		.steps = "1",
		.summary = "fail this worker unless CONDITION holds",
		.text = "The worker ends failed with MESSAGE (or CONDITION as "
			"written), its task, line and column, as Python's "
			"assert. explore looks for the schedule that makes "
			"one fail.",
		.example = "assert balance >= 0, \"overdrawn\"",
	},
	{
		.name = "expressions",
		.also = "expression expr values operators",
		.kind = HELP_GUIDE,
		.summary = "what an EXPR can be:",
		.text = "values  64-bit integers (42, -7), \"strings\", "
			"variables\n"
			"+ - * / %  integers only; an overflow or a division "
			"by zero ends the worker in state failed\n"
			"== != < <= > >=  1 when true, 0 when false; == and "
			"!= compare strings too\n"
			"&& || !  0 is false, anything else true; && and || "
			"stop at the left when it decides\n"
			"( )  group: (a + b) * 2\n"
			"Reading a variable is part of its statement's step, "
			"not a step of its own.",
	},
	{
		.name = "python",
		.also = "threading multiprocessing Thread Process bridge "
			"is_alive pid exitcode terminate",
		.kind = HELP_GUIDE,
		.summary = "any line that is not a command is Python, run in "
			   "CPython (python -c); the tutorial's page pastes "
			   "as it is:",
		.text = "def f():  a block goes on with the prompt ...> "
			"until a blank line; in a lesson or a sourced file, "
			"until a line that does not go on it\n"
			"t1 = threading.Thread(target=f)  a thread worker "
			"named t1 at start(); a task of weft's is a target "
			"too\n"
			"p1 = multiprocessing.Process(target=f)  a process "
			"worker, forked\n"
			"t1.start(); t1.join()  as in Python; the trace says "
			"main: joined t1\n"
			"lock = threading.Lock()  one of weft's locks "
			"(locks); Semaphore, Barrier, Condition, Event and "
			"queue.Queue are weft's objects (sync)\n"
			"sched step, sched seed N  each line of the program's "
			"own code is a step: step t1\n"
			"sched unit bytecode  each bytecode instruction is a "
			"step: LOAD_GLOBAL counter (0)\n"
			"spawn thread t1 f  a worker, new, that calls the "
			"prompt's function f once started; explore runs it "
			"again from the same variables\n"
			"python FILE [ARG]...  run a program, ARGs its "
			"sys.argv (weft FILE.py ARG... the same); Ctrl-C is "
			"KeyboardInterrupt in main\n"
			"weft --bridge  the one-line bridge instead (as "
			"without Python): t1 = threading.Thread(target="
			"print_numbers) is spawn thread t1 print_numbers, "
			"t1.start() start t1, p1.exitcode pyattr p1 "
			"exitcode; weft's tasks only",
	},
	{
		.name = "nodes",
		.also = "node mpi hostfile hub weft-node",
		.kind = HELP_GUIDE,
		.summary = "a node is a worker whose task runs in another "
			   "program, weft-node, that Open MPI starts on this "
			   "machine or another; it shares no memory with weft, "
			   "only messages:",
		.text = "spawn node n1 TASK  a node, new; start n1 starts "
			"weft-node with MPI_Comm_spawn, which takes most of a "
			"second\n"
			"set x = 5  a node gets a copy of the globals at its "
			"start: its incr x changes its copy only, as a "
			"process's does\n"
			"shared, lock  a task that uses a shared variable or "
			"takes a lock is refused at start: pass values "
			"through a queue\n"
			"condition  a node that waits on or notifies one fails "
			"there: it has no lock to hold\n"
			"queue, semaphore, barrier  work: weft holds them and "
			"serves each put, get, wait and signal of a node as "
			"messages\n"
			"where  the trace says n1: started (node, host H, "
			"rank 0, pid P), P its pid on host H; ps shows P and, "
			"as OS, H rank 0 (each node is an MPI job of its "
			"own)\n"
			"sched step, sched seed N  hold for nodes: a seeded "
			"script prints the same with nodes as with processes, "
			"but for the started lines\n"
			"kill n1  cancels it at its next step; kill n1 KILL "
			"ends its process; a node whose process ends from "
			"outside is killed (its process ended)\n"
			"weft --hostfile FILE  nodes on the hosts of FILE, in "
			"Open MPI's format (a host a line, slots=N), weft-node "
			"at the same path on each\n"
			"WEFT_HUB_LOG=FILE  keep what Open MPI said: its hub, "
			"weft-node --hub, writes there, never to the "
			"terminal\n"
			"A node runs weft's tasks, not Python functions; "
			"explore refuses nodes (replay takes them). Without "
			"Open MPI when weft was configured, spawn node says "
			"that nodes were not built. Lesson 20 shows them.",
		.example = "spawn node n1 ticker 3 100",
	},
	{
		.name = "exercises",
		.also = "exercise prompt-words",
		.kind = HELP_INDEX,
		.lists = HELP_PROMPT,
		.summary =
			"in a lesson's exercise the prompt takes any command, "
			"and these words of its own:",
	},
	{
		.name = "skip",
		.kind = HELP_PROMPT,
		.usage = "skip",
		.summary = "leave the exercise, showing its solution",
	},
	{
		.name = "hint",
		.kind = HELP_PROMPT,
		.usage = "hint",
		.summary = "show the exercise's hint",
	},
	{
		.name = "again",
		.kind = HELP_PROMPT,
		.usage = "again",
		.summary = "start the exercise over, from its set-up",
	},
	{
		.name = "task",
		.kind = HELP_NOTE,
		.text = "A body holds statements, one a line or separated by "
			"';': print, sleep, for, repeat, while, if, VAR = "
			"EXPR, incr, decr, +=, lock, unlock, yield, exit, "
			"crash, assert. help statements lists them with their steps; "
			"help NAME explains one.",
	},
	{
		.name = "shared",
		.kind = HELP_NOTE,
		.text = "A process gets a copy of the globals when it starts, "
			"so what it writes to a plain global stays in its "
			"copy; a shared global is one cell that threads, "
			"processes and the shell all see.",
	},
	{
		.name = "lesson",
		.kind = HELP_NOTE,
		.text = "At an exercise's prompt, skip, hint and again do what "
			"help exercises says.",
	},
};

size_t
help_topic_count(void)
{
	return sizeof topics / sizeof topics[0];
}

const struct help_topic *
help_topic_at(size_t i)
{
	return i < help_topic_count() ? &topics[i] : NULL;
}

/* Is NAME one of the space-separated words of LIST? */
static int
in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list != NULL && *list != '\0') {
		size_t w = strcspn(list, " ");
		if (w == n && strncmp(list, name, n) == 0)
			return 1;
		list += w + (list[w] == ' ');
	}
	return 0;
}

const struct help_topic *
help_topic_find(const char *name)
{
	for (size_t i = 0; i < help_topic_count(); i++)
		if (strcmp(topics[i].name, name) == 0)
			return &topics[i];
	for (size_t i = 0; i < help_topic_count(); i++)
		if (in_list(topics[i].also, name))
			return &topics[i];
	return NULL;
}
