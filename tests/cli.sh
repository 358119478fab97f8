#!/bin/sh
# cli.sh: weft's command line: --help and --version on stdout with status
# 0, every bad command line with status 2 and a one-line reason, and the
# FILE:LINE that errors in a script file carry.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect STATUS PATTERN CMD...: runs CMD, stdout and stderr together, and
# checks its exit status and that one line of its output matches PATTERN.
expect() {
	want=$1 pattern=$2
	shift 2
	"$@" >"$tmp/out" 2>&1 </dev/null
	got=$?
	if [ "$got" != "$want" ] || ! grep -q -e "$pattern" "$tmp/out"; then
		echo "FAIL: $* gave status $got (want $want), output:"
		cat "$tmp/out"
		echo "(wanted a line matching: $pattern)"
		fail=1
	fi
}

expect 0 '^Usage: weft \[OPTION\]... \[FILE \[ARG\]...\]$' "$WEFT" --help
expect 0 '^  -c, --command=CMDS' "$WEFT" -h
expect 0 '^weft [0-9]' "$WEFT" --version
expect 2 "^Try 'weft --help'" "$WEFT" --frobnicate
expect 2 "unrecognized option '--frobnicate'" "$WEFT" --frobnicate
expect 2 "requires an argument" "$WEFT" -c
expect 2 "^weft: unexpected argument 'b'" "$WEFT" a b
expect 2 "^weft: give one of -c, --lesson or a FILE" "$WEFT" -c ps "$tmp/x"
expect 2 "^weft: give one of -c, --lesson or a FILE" "$WEFT" --lesson 01 "$tmp/x"
# --seed N starts in sched seed N: the bracket holds the step number.
expect 0 '^\[#0002\] t2 | a$' "$WEFT" --seed 1 -c 'spawn thread t1 print_numbers
spawn thread t2 print_letters; start t1 t2; join t1 t2'
expect 0 '^sched seed 42$' "$WEFT" --seed=42 -c sched
# --trace-json: a trace that cannot be written makes a clean run fail.
expect 1 "^weft: cannot write '/nonexistent/dir/t.json': No such file or directory$" \
	"$WEFT" --trace-json /nonexistent/dir/t.json -c ps
expect 2 "^weft: --seed takes a whole number from 0 to 18446744073709551615, not '-3'$" \
	"$WEFT" --seed -3 -c ps
expect 2 "^weft: --seed takes a whole number from 0 to 18446744073709551615, not '1x'$" \
	"$WEFT" --seed 1x -c ps
expect 2 "^weft: no lesson 'nosuch' (weft --list-lessons lists them)" \
	"$WEFT" --lesson nosuch
expect 2 "^weft: --mode is present, auto or check, not 'fast'" "$WEFT" --lesson 01 --mode fast
expect 2 "^weft: --mode present needs a terminal" "$WEFT" --lesson 01 --mode present
expect 2 "^weft: --delay takes milliseconds from 0 to 60000, not 'soon'$" \
	"$WEFT" --lesson 01 --delay soon
expect 2 "^weft: --mode and --delay go with --lesson" "$WEFT" --mode check -c ps
expect 2 "^weft: cannot open '$tmp/none.weft': No such file" \
	"$WEFT" "$tmp/none.weft"

# -c: commands split at ';' and at newlines; a failure stops them (1).
expect 0 '^NAME  *KIND' "$WEFT" -c 'tasks; ps'
expect 1 "^error: unknown command 'nope'" "$WEFT" -c 'nope; ps'
expect 1 '^NAME  *KIND' "$WEFT" --keep-going -c 'nope
ps'

# A script file: errors name FILE:LINE.
printf '%s\n' 'tasks' '' 'join t1' 'ps' >"$tmp/a.weft"
expect 1 "^$tmp/a.weft:3: error: no worker named 't1'\$" "$WEFT" "$tmp/a.weft"
printf '%s\n' '# a comment' 'task bad {' '    print 1 +' '}' >"$tmp/b.weft"
expect 1 "^$tmp/b.weft:2: error: 2:14: expected a value, found the end of the line" "$WEFT" "$tmp/b.weft"
printf '%s\n' 'ps' 'task open {' '    print 1' >"$tmp/c.weft"
expect 1 "^$tmp/c.weft:2: error: task definition never closed: it began on line 2 and took every line after it (a '}' is missing)\$" \
	"$WEFT" "$tmp/c.weft"

# Lessons: --list-lessons; a lesson by number or name in check mode; a
# failed expectation exits 3 naming FILE:LINE; a malformed lesson is
# refused (2) before anything runs.
expect 0 '^01  threads  *Threads$' "$WEFT" --list-lessons
expect 0 '^06  deadlock  *Deadlock$' "$WEFT" --list-lessons
expect 0 'main: joined thread2' "$WEFT" --lesson 01 --mode check
expect 0 'x = 6' "$WEFT" --lesson mutex --mode check
# auto mode: each command shown as typed, each expectation with its mark
expect 0 '^weft> spawn thread thread1 print_numbers$' \
	"$WEFT" --no-time --lesson 01 --mode auto --delay 0
expect 0 '^ok: output thread1 = "1 2 3 4 5" (saw: output of thread1 is "1 2 3 4 5")$' \
	"$WEFT" --no-time --lesson 01 --mode auto --delay 0
expect 0 '^exercise: Make a third thread' \
	"$WEFT" --no-time --lesson 01 --mode auto --delay 0
printf '%s\n' '# title: wrong' 'spawn thread t1 print_numbers' 'start t1' \
	'join t1' 'expect output t1 = "1 2 3"' 'say never shown' >"$tmp/w.weft"
expect 3 "^$tmp/w.weft:5: error: expect failed: output t1 = \"1 2 3\" (saw: output of t1 is \"1 2 3 4 5\")\$" \
	"$WEFT" --lesson "$tmp/w.weft"
if grep -q 'never shown' "$tmp/out"; then
	echo "FAIL: the lesson went on after a failed expectation"
	fail=1
fi
# a variable never given a value is not 0
printf '%s\n' '# title: unset' 'shared y' 'expect var y = 0' >"$tmp/v.weft"
expect 3 "^$tmp/v.weft:3: error: expect failed: var y = 0 (saw: 'y' is not set)\$" \
	"$WEFT" --lesson "$tmp/v.weft"
printf '%s\n' '# title: bad' 'spawn thread t1 print_numbers' 'start t1' \
	'expect nothing' >"$tmp/m.weft"
expect 2 "^weft: $tmp/m.weft:4: expect what?" "$WEFT" --lesson "$tmp/m.weft"
printf '%s\n' '# title: bad' 'ps' 'frobnicate t1' >"$tmp/u.weft"
expect 2 "^weft: $tmp/u.weft:3: unknown command 'frobnicate'" "$WEFT" --lesson "$tmp/u.weft"
if grep -q 'NAME' "$tmp/out"; then
	echo "FAIL: a malformed lesson ran its first command"
	fail=1
fi
exit $fail
