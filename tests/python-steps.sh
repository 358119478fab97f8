#!/bin/sh
# python-steps.sh: Python workers stepped one line, or one bytecode
# instruction, at a time. Under sched step the learner steps main, a
# thread and a process, each step printing its line and the values it
# read; a join waits as a step of its own that is not granted before the
# joined worker ends (ps: blocked:join). Under sched seed N a run prints
# the same bytes every time, threads and processes alike, by line and by
# bytecode. Two threads doing counter += 1 lose an update by bytecode
# (both read the same value before either writes) and never by line; a
# load shows the value it reads when its step is granted.
# Python's Lock, RLock and multiprocessing.Lock are weft's locks: named
# after their variables, shown by locks, stepped (a step that would wait
# is not granted), a lock-ordering deadlock reported by name, seeded and
# free, and the program's wait for it ends with one error line. So are
# Semaphore, BoundedSemaphore and Barrier (threading's and
# multiprocessing's), Condition, Event and queue.Queue (threading's),
# and multiprocessing's Queue, Value, Condition and Event, shared with
# processes: sync lists them, a wait that can never end is
# reported, a seeded ping-pong prints the same bytes every run.
# Skipped when weft was built without Python.
. "${TESTS_SRCDIR:-${0%/*}}/python-lib.sh"

# The python3 whose library weft embeds, not another one on PATH.
py3=/usr/bin/python3
[ -x "$py3" ] || py3=python3

# weft_in FILE SCRIPT: runs weft in $py on SCRIPT's lines, output in FILE.
weft_in() {
	printf '%s\n' "$2" >"$tmp/script"
	(cd "$py" && timeout 60 "$WEFT" --keep-going "$tmp/script") \
		>"$1" 2>&1
}

# same NAME SCRIPT: three runs of SCRIPT print the same bytes; the first
# in $tmp/run1. (Not the workers a script's end stops: they are stopped
# all at once.)
same() {
	weft_in "$tmp/run1" "$2"
	grep -v ': killed (cancelled)$' "$tmp/run1" >"$tmp/kept1"
	for i in 2 3; do
		weft_in "$tmp/run$i" "$2"
		grep -v ': killed (cancelled)$' "$tmp/run$i" >"$tmp/kept$i"
		if ! cmp -s "$tmp/kept1" "$tmp/kept$i"; then
			echo "FAIL: $1: run $i differs from run 1:"
			diff "$tmp/run1" "$tmp/run$i" | head -20
			fail=1
			return
		fi
	done
}

# ends NAME FILE TEXT: a line of FILE ends with TEXT.
ends() {
	if ! grep -Fq -e "$3" "$2"; then
		echo "FAIL: $1: no line ending '$3' in:"
		cat "$2"
		fail=1
	fi
}

# Stepped by hand: the whole transcript (ps's pids, tids and CPU times
# masked, its columns squeezed).
(cd "$py" && timeout 60 "$WEFT" --keep-going mix-step.weft) >"$tmp/out" \
	2>"$tmp/err"
sed -E '/^\[/!{s/[0-9]+\.[0-9][0-9]/CPU/g; s/[0-9]{3,}/N/g; s/  +/ /g; s/ (sleeping|running)$/ OS/}' \
	"$tmp/out" >"$tmp/got"
if ! diff -u "$py/mix-step.out" "$tmp/got"; then
	echo "FAIL: mix-step.weft: not as in mix-step.out"
	fail=1
fi
has_in "mix-step.weft" "$tmp/err" \
	"mix-step.weft:6: error: cannot step 'main': it waits for 't' to end"

# Seeded: the same bytes every run, by line and by bytecode.
same "seed, lines" "sched seed 3
trace steps
python mix.py"
has_in "seed, lines" "$tmp/run1" "[#0013] t > print(i)   (i = 1)" \
	"[#0014] p > print(letter)   (letter = 'a')" "[#0028] main | done"
same "seed, bytecode" "sched seed 3
sched unit bytecode
trace steps
python mix.py"
has_in "seed, bytecode" "$tmp/run1" "[#0003] main > IMPORT_NAME threading" \
	"[#0009] main > LOAD_CONST <code print_numbers>"

# The lost update: by bytecode, both threads read counter before either
# writes it back; by line, never.
same "lost update" "sched seed 7
sched unit bytecode
trace steps
python $lessons/17-counter.py"
reads=$(sed -n 's/^\[#[0-9]*\] \(t[12]\) > LOAD_GLOBAL counter (\([0-9]*\))$/\2 \1/p' \
	"$tmp/run1" | sort -u | awk '{ n[$1]++ } END { for (v in n)
		if (n[v] > 1) print v }')
if [ -z "$reads" ]; then
	echo "FAIL: lost update: no value of counter read by both threads"
	cat "$tmp/run1"
	fail=1
fi
if grep -q "^\[#[0-9]*\] main | counter = 6$" "$tmp/run1"; then
	echo "FAIL: lost update: no update lost under seed 7 by bytecode"
	fail=1
fi
for seed in 1 2 3 7; do
	weft_in "$tmp/line" "sched seed $seed
python $lessons/17-counter.py"
	if ! grep -q "^\[#[0-9]*\] main | counter = 6$" "$tmp/line"; then
		echo "FAIL: by line, seed $seed: an update lost:"
		cat "$tmp/line"
		fail=1
	fi
done

# A load shows the value it reads when its step is granted, not the one
# there was when the worker came to it: t2 waits at LOAD_GLOBAL counter
# while t1 stores 1, and then reads 1 (and stores 2). Seeded, each
# thread stores one more than its load before showed.
weft_in "$tmp/out" "sched step
python $lessons/17-counter.py
step main 7
sched unit bytecode
step t1 2
step t2
step t1 3
step t2 4"
sed 's/^\[[^]]*\] //' "$tmp/out" >"$tmp/got"
has_in "load when granted" "$tmp/got" "t1 > STORE_GLOBAL counter (1)" \
	"t2 > LOAD_GLOBAL counter (1)" "t2 > STORE_GLOBAL counter (2)"
# A multiprocessing.Value's read and write show the value, as a global's
# do: two threads both read 0 and both write 1.
weft_in "$tmp/out" "import multiprocessing, threading
counter = multiprocessing.Value('i', 0)
def add():
    counter.value += 1

sched step
sched unit bytecode
t1 = threading.Thread(target=add)
t2 = threading.Thread(target=add)
t1.start(); t2.start()
step t1 3
step t2 3
step t1 4
step t2 4
vars"
sed 's/^\[[^]]*\] //' "$tmp/out" >"$tmp/got"
has_in "a Value by bytecode" "$tmp/got" "t1 > LOAD_ATTR value (0)" \
	"t2 > LOAD_ATTR value (0)" "t1 > STORE_ATTR value (1)" \
	"t2 > STORE_ATTR value (1)" "counter = 1 (shared)"
weft_in "$tmp/out" "sched seed 7
sched unit bytecode
trace steps
python $lessons/17-counter.py"
if ! awk '$2 ~ /^t[12]$/ && $4 == "LOAD_GLOBAL" && $5 == "counter" {
		seen[$2] = substr($6, 2, length($6) - 2)
	}
	$2 ~ /^t[12]$/ && $4 == "STORE_GLOBAL" && $5 == "counter" {
		if (substr($6, 2, length($6) - 2) != seen[$2] + 1) {
			print "a store not one more than its load: " $0
			bad = 1
		}
	}
	END { exit bad }' "$tmp/out"; then
	echo "FAIL: seeded loads and stores do not agree:"
	cat "$tmp/out"
	fail=1
fi

# Locks: with one, no update is lost by bytecode.
weft_in "$tmp/out" "sched seed 7
sched unit bytecode
python $lessons/17-counter-locked.py
locks"
has_in "locked" "$tmp/out" "lock: free"
ends "locked" "$tmp/out" "] main | counter = 6"

# The API: names, acquire and release as Python's, an RLock, a lock
# shared by processes, a lock taken twice by one worker.
weft_in "$tmp/out" "python locks.py
locks"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "locks.py" "$tmp/got" \
	"main | <weft lock lock, unlocked> <weft lock lock_2, unlocked>" \
	"main | True True False False" "main | error: release unlocked lock" \
	"main | rlock twice: 2" "main | total 150" \
	"t: failed (RuntimeError: t holds lock already: taking it again would wait for itself for ever (an RLock can be taken again) (line 39))" \
	"lock: free" "rlock: free" "plock: free" "lock_2: free"

# Processes take a multiprocessing.Lock in the seed's order.
same "plock" "sched seed 5
trace steps
python plock.py"
has_in "plock" "$tmp/run1" "[#0014] p2 > with lock:   (takes lock)" \
	"[#0014] p1: waits for lock (held by p2)"

# A lock-ordering deadlock, seeded then free: told by name, and the
# python command says main would wait forever (status 1).
deadline="deadlock: a waits for fork2 held by b; b waits for fork1 held by a"
same "deadlock, seeded" "sched seed 2
python dead.py"
has_in "deadlock, seeded" "$tmp/run1" "[#0016] $deadline"
ends "deadlock, seeded" "$tmp/run1" \
	"error: python: main would wait forever: 'main' waits for 'a' to end; 'a' is deadlocked"
weft_in "$tmp/out" "python dead2.py"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "deadlock, free" "$tmp/got" "$deadline"
ends "deadlock, free" "$tmp/got" \
	"error: python: main would wait forever: 'main' waits for 'a' to end; 'a' is deadlocked"

# Semaphores and barriers: weft's objects, shown by sync; a wait that
# can never end is the deadlock it is; seeded, the same bytes every run.
weft_in "$tmp/out" "python sem.py
sync"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
ends "sem.py" "$tmp/got" ": wait gate wakes 2 workers"
has_in "sem.py" "$tmp/got" \
	"main | <weft semaphore slots, value 2> <weft barrier gate, 0 of 3 arrived>" \
	"main | True False False" \
	"main | error: Semaphore released too many times" \
	"main | took True" "slots: semaphore, value 2" \
	"gate: barrier, 0 of 3 arrived" "ps_sem: semaphore, value 0"
same "ping-pong" "sched seed 4
trace steps
python pingpong.py"
has_in "ping-pong" "$tmp/run1" "[#0017] tb > ping.acquire()   (takes one of ping)" \
	"[#0018] tb | pong 0" "[#0027] tb | pong 1"
for mode in "" "sched seed 1"; do
	weft_in "$tmp/out" "$mode
python stuck.py"
	sed 's/^\[[ .#0-9]*\] //' "$tmp/out" >"$tmp/got"
	has_in "stuck ($mode)" "$tmp/got" \
		"deadlock: all 2 workers are blocked: main waits for t to end; t waits on semaphore never (0)"
	ends "stuck ($mode)" "$tmp/got" \
		"error: python: main would wait forever: 'main' waits for 't' to end; 't' is deadlocked"
done

# Condition and Event: weft's conditions on weft's locks.
weft_in "$tmp/out" "python cond.py
sync"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "cond.py" "$tmp/got" "c | got 42" \
	"main | <weft condition cond on <weft lock cond_lock, unlocked>> <weft event ready, set>" \
	"cond: condition on lock cond_lock (free)" \
	"ready: condition on lock ready_lock (free)"
same "cond.py, seeded" "sched seed 2
trace steps
python cond.py"
has_in "cond.py, seeded" "$tmp/run1" "[#0018] c: waits for cond_lock (held by p)" \
	"[#0024] c | got 42"

# Their errors, in Python's words (or weft's, where weft's object is
# narrower than Python's).
weft_in "$tmp/out" "python sync_errors.py"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "sync_errors.py" "$tmp/got" \
	"main | error: cannot wait on un-acquired lock" \
	"main | error: cannot notify on un-acquired lock" \
	"main | error: weft's conditions wait without a timeout: wait() or wait_for(predicate)" \
	"main | error: weft's barriers are never broken: no abort() or reset()" \
	"main | error: can't specify timeout for non-blocking acquire" \
	"main | error: semaphore initial value must be >= 0"

# queue.Queue: weft's queue; any object goes through it (a short int or
# str as it is, others as '#N'); Empty and Full as Python's; seeded, the
# same bytes every run.
weft_in "$tmp/out" "python queue_threads.py
sync"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "queue" "$tmp/got" \
	"main | [1, 'two', [3, 3], None] <weft queue q, 0 values> <weft queue results, 0 values>" \
	"main | empty" "main | full" "q: queue, 0 of 2: []" \
	"small: queue, 1 of 1: [1]"
same "queue, seeded" "sched seed 5
trace steps
python queue_threads.py"

# A lesson's (a sourced file's) program is found beside it, wherever weft
# runs.
mkdir "$tmp/sub" && printf 'print("found beside")\n' >"$tmp/sub/near.py" &&
	printf 'python near.py\n' >"$tmp/sub/near.weft"
(cd "$tmp" && echo "source sub/near.weft" |
	timeout 60 "$WEFT" --no-time) >"$tmp/out" 2>&1
has_in "beside" "$tmp/out" "main | found beside"
# multiprocessing's Value, Queue, Event and Condition: weft's, shared with
# processes. A Value of an integer type is a shared variable (vars shows
# it; it wraps as its ctypes type; a float stays Python's); a Queue
# carries any picklable object between processes; an Event set by main
# is seen by a process. Each prints what python3 prints, and seeded the
# same bytes every run.
for prog in mp_value mp_queue mp_event; do
	weft_in "$tmp/out" "python $prog.py
vars"
	sed -n 's/^\[[ .0-9]*\] main | //p' "$tmp/out" >"$tmp/got"
	(cd "$py" && timeout 60 "$py3" "$prog.py") >"$tmp/want" 2>&1
	sed -n 's/^\[[ .0-9]*\] c | //p' "$tmp/out" >>"$tmp/got"
	sed -n 's/^\[[ .0-9]*\] w | //p' "$tmp/out" >>"$tmp/got"
	if [ "$(sort "$tmp/want")" != "$(sort "$tmp/got")" ]; then
		echo "FAIL: $prog.py: not as python3 prints it:"
		cat "$tmp/out" "$tmp/want"
		fail=1
	fi
	[ "$prog" = mp_value ] && has_in "$prog vars" "$tmp/out" \
		"counter = 600 (shared)" "small = 4 (shared)" "raw = -5 (shared)"
done
same "mp_queue, seeded" "sched seed 2
python mp_queue.py"
same "mp_event, seeded" "sched seed 4
python mp_event.py"

# A Process's own objects are Python's, and a thread it starts is refused
# at once (only weft's own process serves starts), never a hang.
weft_in "$tmp/out" "python nested.py"
sed 's/^\[[ .0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "nested" "$tmp/got" "p | child's semaphore threading" \
	"p: failed (RuntimeError: a Process cannot start threads or processes of its own in weft: start them from main (line 16))" \
	"main | done 1"

# explore and replay over workers spawned from the prompt's Python
# functions: the check-then-act of the last seat found by line, each run
# from the prompt's variables as they were (seats is 1 again after), and
# replayed; a multiprocessing.Value's lost update between a process and
# a thread, none by line, found by bytecode. Seeded by the schedules,
# the same bytes every run.
weft_in "$tmp/out" "$(cat "$py/explore.weft")"
sed 's/^\[[ .#0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "explore" "$tmp/got" \
	"explore: violation after 4 schedules: b1 failed (AssertionError: oversold (line 5))" \
	"schedule: b1 b2*3 b1*2" "b2 > seats -= 1   (seats = 1)" \
	"main | seats 1" "main | seats -1" \
	"no violation in 2 schedules (every schedule with at most 2 preemptions)" \
	"explore: violation after 20 schedules: var counter = 2 does not hold (saw: counter = 1)" \
	"counter = 0 (shared)"
ends "explore" "$tmp/got" "error: no task named 'seats'"
same "explore, Python" "$(cat "$py/explore.weft")"

# A spawned function gone before its worker starts: the thread and the
# process each fail with Python's NameError, never a hang (the process
# imports nothing in its child).
weft_in "$tmp/out" "$(printf 'def f():\n    print(1)\n\nspawn thread t f\nspawn process p f\ndel f\nstart t p\njoin t p')"
sed 's/^\[[ .#0-9]*\] //' "$tmp/out" >"$tmp/got"
has_in "spawned, gone" "$tmp/got" "t: failed (NameError: name 'f' is not defined)" \
	"p: failed (NameError: name 'f' is not defined)" "main: joined p"

exit $fail
