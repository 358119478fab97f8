#!/bin/sh
# python-prompt.sh: Python typed at the prompt, piped in or read from a
# script, as python3's prompt takes it: the tutorial's page and the
# threads-share, processes-copy program, fed line by line, print what
# they print as files; a block goes on until a blank line (or, in a
# file, the next line that is not indented), and a last block runs at
# the end of the input; an expression's value is printed; every line
# shares one namespace; an exception prints Python's traceback and
# stops a script (status 1) unless --keep-going; a syntax error is one
# line with its column and changes nothing; a line whose first word is
# a command is that command (start = 3 too, as weft reads it); a mistyped
# command is still told as one (with its suggestion), not as a
# NameError; --bridge gives the lines to the one-line bridge instead;
# under sched step with sched unit bytecode, the lines typed run at once
# and the threads they start are stepped until both have read counter.
# Skipped when weft was built without Python.
. "${TESTS_SRCDIR:-${0%/*}}/python-lib.sh"

# lines_of NAME WORKER WANT: WORKER's lines, in order, are WANT.
lines_of() {
	got=$(sed -n "s/^$2 | //p" "$tmp/out" | tr '\n' ' ')
	if [ "$got" != "$3" ]; then
		echo "FAIL: $1: $2 printed '$got', not '$3'"
		cat "$tmp/out"
		fail=1
	fi
}

# The tutorial's page, line by line.
cp "$py/tutorial.py" "$tmp/in"
feed tutorial 0
lines_of tutorial thread1 "1 2 3 4 5 "
lines_of tutorial thread2 "a b c d e "
lines_of tutorial process1 "1 2 3 4 5 "
lines_of tutorial process2 "a b c d e "
has tutorial "main | exit codes 0 0" "main | alive False False" \
	"main: joined thread1" "main: joined process2"
# The lines typed run as main, whose start and end are not traced.
hasnt tutorial "main: started"
hasnt tutorial "main: finished"

# Threads share the globals; a process changes its own copy.
cp "$py/shared.py" "$tmp/in"
feed shared 0
has shared "t | sees 1000" "main | after thread 1000" "p | sees 2000" \
	"main | after process 1000"

# Blocks, values, one namespace, commands among the lines.
cat >"$tmp/in" <<'IN'
counter = 0
def work():
    global counter
    counter += 1

work()
counter
for k in range(2):
    print("k", k)
print("after the loop")
if counter:
    print("yes")
else:
    print("no")
start = 3
begin = 3
begin + 1
vars
for k in range(3):
    k * 10
IN
feed blocks 1 --keep-going
has blocks "error: no worker named '='"
has blocks "main | 1" "main | k 0" "main | k 1" "main | after the loop" \
	"main | yes" "main | 4" "main | 0" "main | 10" "main | 20"

# An exception: the traceback, and a script stops there (status 1).
printf 'x = 1\n1/0\nprint("not reached")\n' >"$tmp/in"
feed exception 1
has exception "Traceback (most recent call last):" \
	"ZeroDivisionError: division by zero"
hasnt exception "not reached"
feed "exception, keep going" 1 --keep-going
has "exception, keep going" "main | not reached"

# A syntax error: one line, its column, and nothing changes.
printf 'x = 5\ndef bad(:\nx = = 2\nx\nfor i in range(2):\n    print(i)\n  print(i)\n\nx\n' >"$tmp/in"
feed "syntax error" 1 --keep-going
has "syntax error" "error: column 9: SyntaxError: invalid syntax" \
	"error: column 5: SyntaxError: invalid syntax" \
	"error: line 3, column 11: IndentationError: unindent does not match any outer indentation level" \
	"main | 5"
hasnt "syntax error" "Traceback"

# Mistyped commands stay mistyped commands.
printf 'stpe\nstpe t1 2\nfrobnicate\nnope; ps\nprint_numbers\n' >"$tmp/in"
feed "mistyped" 1 --keep-going
has "mistyped" "error: unknown command 'stpe'; did you mean 'step'?" \
	"error: unknown command 'frobnicate' (try 'help')" \
	"error: unknown command 'nope' (try 'help')" \
	"main | <weft task print_numbers>"
hasnt "mistyped" "NameError"

# A control character or a bad byte: never read by Python, never echoed.
printf 'print("\033[31mred")\nfor i in range(2):\n    print("\377")\n\nprint("ok")\n' >"$tmp/in"
feed "bad bytes" 1 --keep-going
has "bad bytes" "main | ok" \
	"error: a control character or a byte that is not UTF-8 in a Python block: the block that began on line 2 is dropped"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/out"; then
	echo "FAIL: bad bytes: an escape echoed raw"
	fail=1
fi

# The last block of the input runs, as python3 runs it.
printf 'for i in range(2):\n    print("last", i)' >"$tmp/in"
feed "last block" 0
has "last block" "main | last 0" "main | last 1"

# --bridge: the one-line bridge takes the tutorial's lines.
printf 'thread1 = threading.Thread(target=print_numbers)\nps\n' >"$tmp/in"
feed "bridge" 0 --bridge
if ! grep -q "^thread1 *thread *new" "$tmp/out"; then
	echo "FAIL: bridge: no new worker thread1 in:"
	cat "$tmp/out"
	fail=1
fi

# Stepped by bytecode from the prompt: both threads read 0.
cat >"$tmp/in" <<'IN'
sched step
sched unit bytecode
import threading
counter = 0
def work():
    global counter
    counter += 1

t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start()
t2.start()
step t1 3
step t2 3
step t1 4
step t2 4
t1.join()
t2.join()
counter
IN
feed "bytecode" 0
sed 's/^\[#[0-9]*\] //' "$tmp/out" >"$tmp/got"
mv "$tmp/got" "$tmp/out"
has "bytecode" "t1 > LOAD_GLOBAL counter (0)" "t2 > LOAD_GLOBAL counter (0)" \
	"t1 > STORE_GLOBAL counter (1)" "t2 > STORE_GLOBAL counter (1)" \
	"main | 1"
# A second program while main still runs (under sched step it waits at
# its first line) is refused, and nothing of it runs.
printf 'print("first")\n' >"$tmp/first.py"
printf 'print("second")\n' >"$tmp/second.py"
printf '%s\n' 'sched step' "python $tmp/first.py" "python $tmp/second.py" \
	'step main' >"$tmp/in"
feed "a second program" 1 --keep-going
has "a second program" "error: a Python program runs already (main)" \
	"main | first"
hasnt "second" "main | second"
# A blank line ends a block, but not an open bracket or string: python3's
# prompt waits for its end too.
printf '%s\n' 'print(1,' '' '2)' 'x = """a' '' 'b"""' 'print(repr(x))' \
	'def f():' '    return 3' '' 'print(f())' >"$tmp/in"
feed "open brackets" 0
has "open brackets" "main | 1 2" "main | 'a\\n\\nb'" "main | 3"
exit $fail
