#!/bin/sh
# python-programs.sh: Python programs run unchanged on weft's workers, in
# CPython embedded (`weft FILE.py`, the `python` command): the tutorial's
# page (threads, then processes) with every worker named, traced and
# joined (each join told before what main prints after it); globals shared
# with a thread and copied into a process; names from name= or the
# variable; weft's own tasks as targets; an exception in a thread (failed,
# with its line; an assert with its message) and in main (the traceback,
# status 1); a syntax error (one line, nothing runs); sys.exit(3) (status
# 3); a thread that outlives main (waited for); one that never ends
# (stopped by quit); input() (refused: the terminal is weft's prompt);
# daemon workers (stopped once the others end); multiprocessing and queue
# imported only when the program imports them (a program of threads does
# not pay for them), and weft's then, and nothing that only stepping
# needs; each program's own sys.argv, own globals, and its directory first
# on sys.path; the shim compiled at build time. Skipped when weft was
# built without Python.
. "${TESTS_SRCDIR:-${0%/*}}/python-lib.sh"

# run NAME WANT-STATUS: runs $py/NAME.py (or NAME, a path); its output
# in $tmp/out, its errors in $tmp/err.
run() {
	case $1 in
	*/*) prog=$1 ;;
	*) prog=$py/$1.py ;;
	esac
	timeout 60 "$WEFT" --no-time "$prog" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -ne "$2" ]; then
		echo "FAIL: $prog: status $st, not $2"
		cat "$tmp/out" "$tmp/err"
		fail=1
	fi
}

# lines_of NAME WORKER WANT: the output lines of WORKER, in order, are WANT.
lines_of() {
	got=$(sed -n "s/^$2 | //p" "$tmp/out" | tr '\n' ' ')
	if [ "$got" != "$3" ]; then
		echo "FAIL: $1: $2 printed '$got', not '$3'"
		cat "$tmp/out"
		fail=1
	fi
}

run tutorial 0
lines_of tutorial thread1 "1 2 3 4 5 "
lines_of tutorial thread2 "a b c d e "
lines_of tutorial process1 "1 2 3 4 5 "
lines_of tutorial process2 "a b c d e "
has tutorial "main | exit codes 0 0" "main | alive False False" \
	"main: finished (exit 0)" "main: joined thread1" \
	"main: joined thread2" "main: joined process1" "main: joined process2"
grep -q "^process1: started (process, pid [0-9]*, cpu" "$tmp/out" ||
	{ echo "FAIL: tutorial: process1 is not a process"; fail=1; }
grep -q "^thread1: started (thread, tid [0-9]*, cpu" "$tmp/out" ||
	{ echo "FAIL: tutorial: thread1 is not a thread"; fail=1; }

# Python's join is told before what main does after it: lesson 17's
# program's main joins t1 and t2, then prints counter.
for i in 1 2 3 4 5 6 7 8 9 10; do
	run "$lessons/17-counter.py" 0
	if ! awk '/^main: joined t[12]$/ { j++ }
		/^main \| counter = / { exit j != 2 }' "$tmp/out"; then
		echo "FAIL: 17-counter.py, run $i: main printed before it was joined t1 and t2:"
		cat "$tmp/out"
		fail=1
		break
	fi
done

run shared 0
has shared "t | sees 1000" "main | after thread 1000" "p | sees 2000" \
	"main | after process 1000"

run names 0
has names "worker_one | I am worker-one" "t | I am Thread-2 (who)" \
	"t_2 | I am Thread-3 (who)" "t_3 | I am Thread-4 (who)" \
	"main: joined t_3"

run tasks 0
lines_of tasks t "1 2 3 4 5 "
lines_of tasks p "a b c d e "
has tasks "main | process exit code 0"
grep -q "^p: started (process" "$tmp/out" ||
	{ echo "FAIL: tasks: p is not a process"; fail=1; }

run failing 1
has failing "t | about to fail" \
	"t: failed (ZeroDivisionError: division by zero (line 8))" \
	"main | main goes on" \
	"main: failed (NameError: name 'undefined_name' is not defined (line 15))" \
	"Traceback (most recent call last):" \
	"NameError: name 'undefined_name' is not defined"

run syntax 1
if [ "$(cat "$tmp/out" "$tmp/err")" != \
	"error: $py/syntax.py:2:12: SyntaxError: invalid syntax" ]; then
	echo "FAIL: syntax.py: not one line with FILE:LINE:COL:"
	cat "$tmp/out" "$tmp/err"
	fail=1
fi

run exit3 3
has exit3 "main | leaving with 3" "main: finished (exit 3)"

# A module beside the program imports, as under python3; each program
# has its own globals (the last one's are gone).
mkdir "$tmp/imp" && printf 'def hello():\n    print("from helper")\n' \
	>"$tmp/imp/helper.py" &&
	printf 'import helper\nhelper.hello()\nx = 1\n' >"$tmp/imp/main.py" &&
	printf 'print(x)\n' >"$tmp/imp/second.py"
timeout 60 "$WEFT" --no-time -c "python $tmp/imp/main.py; python $tmp/imp/second.py" \
	>"$tmp/out" 2>"$tmp/err"
has "beside" "main | from helper" \
	"main: failed (NameError: name 'x' is not defined (line 1))"

run lazy 0
has lazy "main | False" "main | []" "main | _weft_shim _maker.<locals>.make" \
	"main | queue _class_maker.<locals>.Made.__new__"

# The shim comes compiled at build time when configure found a python3
# of the embedded CPython's version (SHIM_PYTHON), not compiled at start.
if [ -n "${SHIM_PYTHON:-}" ]; then
	"$WEFT" --no-time -c "import _weft_shim; print(_weft_shim.precompiled)" \
		>"$tmp/out" 2>&1
	has precompiled "main | True"
fi

run asserts 0
has asserts "t: finished (exit 0)" \
	"u: failed (AssertionError: oversold (line 18))" "main | seats -2"

run late 0
has late "main | main done" "Thread_1_slow | late but here" \
	"Thread_1_slow: finished (exit 0)"

echo "an answer" >"$tmp/answer"
timeout 60 "$WEFT" --no-time "$py/input.py" <"$tmp/answer" >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" -eq 1 ] || { echo "FAIL: input.py: status $st, not 1"; fail=1; }
has input "main: failed (OSError: a worker reads no input: the terminal is the prompt of weft (line 3))"
grep -q "never" "$tmp/out" && { echo "FAIL: input.py read its input"; fail=1; }

run terminate 0
has terminate "main | alive True True" "p: killed by signal 15 (Terminated)" \
	"main | after False -15"

run daemon 0
has daemon "main | main done" "fg | finite done" "fg: finished (exit 0)" \
	"bg: killed (cancelled)" "bgp: killed by signal 9 (Killed)"
# The daemons are stopped only once fg, not a daemon, has ended.
awk '/^fg: finished/ { f = NR } /^bg: killed/ { b = NR }
	END { exit !(f && b && f < b) }' "$tmp/out" ||
	{ echo "FAIL: daemon.py: bg stopped before fg ended"; cat "$tmp/out"; fail=1; }

run many 0
has many "main | done 220 True" "main: joined t_220"

# A thread that never ends: quit stops it; weft leaves at once.
printf 'python %s\nquit\n' "$py/forever.py" |
	timeout 60 "$WEFT" --no-time >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" -eq 0 ] || { echo "FAIL: forever.py then quit: status $st"; fail=1; }
has forever "main | spinning" "spinner: killed (cancelled)"

# reset stops it too, and forgets the program's workers; the next
# program runs afresh.
printf 'python %s\nreset\nps\npython %s\n' "$py/forever.py" "$py/exit3.py" |
	timeout 60 "$WEFT" --no-time >"$tmp/out" 2>"$tmp/err"
has reset "spinner: killed (cancelled)" "main | leaving with 3"
grep -q "^spinner " "$tmp/out" &&
	{ echo "FAIL: reset: ps still lists spinner"; cat "$tmp/out"; fail=1; }

# Each program gets its own arguments as sys.argv, the second as the
# first.
printf 'import sys\nprint(sys.argv[1:])\n' >"$tmp/args.py"
"$WEFT" --no-time -c "python $tmp/args.py 1 2; python $tmp/args.py 3; python $tmp/args.py" \
	>"$tmp/out" 2>&1
got=$(sed -n 's/^main | //p' "$tmp/out" | tr '\n' ' ')
[ "$got" = "['1', '2'] ['3'] [] " ] ||
	{ echo "FAIL: sys.argv of three runs: $got"; cat "$tmp/out"; fail=1; }

# weft FILE.py ARG... gives the program its words as python3 does, each
# whole (a blank, a quote in one); one with a line break is refused.
"$WEFT" --no-time "$tmp/args.py" a "b c" "d'e" >"$tmp/out" 2>&1
got=$(sed -n 's/^main | //p' "$tmp/out")
want="['a', 'b c', \"d'e\"]" # python3's repr of its sys.argv[1:]
[ "$got" = "$want" ] ||
	{ echo "FAIL: weft FILE.py ARG...: $got, not $want"; cat "$tmp/out"; fail=1; }
"$WEFT" --no-time "$tmp/args.py" "$(printf 'a\nb')" >"$tmp/out" 2>&1
st=$?
[ "$st" -eq 2 ] || { echo "FAIL: an argument with a line break: status $st"; fail=1; }
has "line break" "weft: an argument of $tmp/args.py holds a line break, which weft cannot pass on"
"$WEFT" --no-time "$tmp/none.weft" a >"$tmp/out" 2>&1
has "a script's argument" "weft: unexpected argument 'a'"

# A command of the shell: python FILE, refused when FILE is missing.
"$WEFT" --no-time -c "python $tmp/none.py" >"$tmp/out" 2>&1
st=$?
[ "$st" -eq 1 ] || { echo "FAIL: a missing program: status $st"; fail=1; }
has missing "error: cannot open '$tmp/none.py': No such file or directory"
exit $fail
