#!/bin/sh
# tty-python.sh: a Python program at the prompt (`python FILE`): its
# workers' lines stream while the command waits for main; Ctrl-C raises
# KeyboardInterrupt in main, whose traceback is printed as python3 prints
# it, and the prompt comes back with weft still running; a thread that
# never ends is still there (ps) and `kill` stops it; main blocked in a
# join (of a thread or a Process) or in time.sleep gets its
# KeyboardInterrupt there at once, as under python3. Python typed
# at the prompt: a block shows '...>' until a blank line, Ctrl-C drops a
# half-typed one, and the tutorial's page pasted whole runs to its end.
# Skipped when weft was built without Python.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

if "$WEFT" -c "python /dev/null" 2>&1 | grep -q "was not built"; then
	echo "SKIP: weft was built without Python"
	exit 77
fi

prog=$TESTS_SRCDIR/python/ctrl-c.py
tty_start
pid=$(tty_weft_pid)
tty_type "python $prog"
tty_keys Enter
tty_wait_for "main | still going" || tty_fail "main's lines do not stream"
tty_wait_for "spinner: started" || tty_fail "the thread did not start"
tty_keys C-c
tty_wait_for "main: failed (KeyboardInterrupt" ||
	tty_fail "Ctrl-C did not raise KeyboardInterrupt in main"
tty_wait_for "Traceback (most recent call last):" ||
	tty_fail "no traceback after KeyboardInterrupt"
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C during python"
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C during python"
tty_run "ps"
tty_all | grep -E -q '^spinner +thread +running ' ||
	tty_fail "the thread that never ends is not running after Ctrl-C"
tty_run "kill spinner"
tty_wait_for "spinner: killed (cancelled)" || tty_fail "kill did not stop it"

# main waiting in a join, or a sleep: Ctrl-C raises KeyboardInterrupt
# there at once, as python3 does (the traceback names the join's line),
# and the thread it joined goes on until killed. The same for a
# Process's join and for time.sleep.
tty_run "reset"
tty_type "python $TESTS_SRCDIR/python/join-spin.py"
tty_keys Enter
tty_wait_for "looper: started" || tty_fail "join-spin.py did not start"
tty_keys C-c
tty_wait_for "main: failed (KeyboardInterrupt (line 13))" ||
	tty_fail "Ctrl-C did not raise KeyboardInterrupt in main's join"
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C during a join"
tty_run "ps"
tty_all | grep -E -q '^looper +thread +running ' ||
	tty_fail "the joined thread does not go on after Ctrl-C"
tty_run "kill looper"
tty_wait_for "looper: killed (cancelled)" || tty_fail "kill did not stop it"
printf '%s\n' 'import multiprocessing, time' 'def spin():' \
	'    while True:' '        time.sleep(0.05)' \
	'if __name__ == "__main__":' \
	'    p = multiprocessing.Process(target=spin, name="sleeper")' \
	'    p.start()' '    p.join()' >"$tty_tmp/pjoin.py"
tty_type "python $tty_tmp/pjoin.py"
tty_keys Enter
tty_wait_for "sleeper: started" || tty_fail "pjoin.py did not start"
tty_keys C-c
tty_wait_for "main: failed (KeyboardInterrupt (line 8))" ||
	tty_fail "Ctrl-C did not raise KeyboardInterrupt in a Process's join"
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C during p.join()"
tty_run "kill sleeper"
tty_wait_for "sleeper: killed" || tty_fail "kill did not stop the process"
printf '%s\n' 'import time' 'print("sleeping")' 'time.sleep(600)' \
	>"$tty_tmp/sleep.py"
tty_type "python $tty_tmp/sleep.py"
tty_keys Enter
tty_wait_for "main | sleeping" || tty_fail "sleep.py did not start"
tty_keys C-c
tty_wait_for "main: failed (KeyboardInterrupt (line 3))" ||
	tty_fail "Ctrl-C did not raise KeyboardInterrupt in main's sleep"

# Python typed at the prompt: a block goes on with the prompt '...>'
# until a blank line; Ctrl-C drops a half-typed block; the tutorial's
# page pasted whole runs as python3 runs it.
tty_run "reset"
tty_type "def f():"
tty_keys Enter
tty_wait_last "...>" || tty_fail "no '...>' prompt inside a Python block"
tty_type "    return 6 * 7"
tty_keys Enter
tty_wait_last "...>" || tty_fail "the block ended before its blank line"
tty_keys Enter
tty_wait_last "weft>" || tty_fail "a blank line did not end the block"
tty_run "f()"
tty_wait_for "main | 42" || tty_fail "the function typed at the prompt did not run"
tty_type "for i in range(3):"
tty_keys Enter
tty_wait_last "...>" || tty_fail "no '...>' prompt for a for block"
tty_keys C-c
tty_wait_last "weft>" || tty_fail "Ctrl-C did not drop the half-typed block"
tty_run "print('after the drop')"
tty_wait_for "main | after the drop" || tty_fail "the line after Ctrl-C did not run"
tty_has "main | 0" && tty_fail "the dropped block ran"
tty_tmux set-buffer -b weftpaste "$(cat "$TESTS_SRCDIR/python/tutorial.py")"
tty_tmux paste-buffer -p -d -b weftpaste -t "$tty_target"
tty_keys Enter
# It ends in the if block: a blank line ends that, as at python3's prompt.
tty_wait_for "main: joined thread2" || tty_fail "the pasted threads did not run"
tty_wait_last "...>" || tty_fail "the pasted if block did not wait for its end"
tty_keys Enter
tty_wait_for "main | alive False False" ||
	tty_fail "the tutorial pasted at the prompt did not run to its end"
for w in thread1 process1; do
	got=$(tty_all | sed -n "s/^.*$w | //p" | tr -d ' \n')
	[ "$got" = "12345" ] || tty_fail "$w printed '$got' from the paste"
done
tty_pass
