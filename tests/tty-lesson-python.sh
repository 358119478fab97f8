#!/bin/sh
# tty-lesson-python.sh: Python in a lesson in present mode. At a pause the
# learner's own block goes on until their blank line, which does not move
# the lesson on; a lesson's block is shown above the prompt (a blank line
# of it too) and runs whole on Enter, not before, and not on Ctrl-C; a
# one-line statement waits at the prompt as a command does; the learner
# reaches an exercise's goal with Python lines of their own; `skip` shows
# a solution's block; and the lesson goes on to its end. Skipped when weft
# was built without Python.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

if "$WEFT" -c "python /dev/null" 2>&1 | grep -q "was not built"; then
	echo "SKIP: weft was built without Python"
	exit 77
fi

cat >"$tty_tmp/l.weft" <<'EOT'
# title: Python at the prompt
say A block, shown and run on Enter.
pause
def work(n):
    for i in range(n):

        print("work", i)

print("one line")
work(3)
exercise Run work(2) in a thread t2 and join it.
goal output t2 = "work 0 work 1"
solution
import threading
t2 = threading.Thread(target=work, args=(2,))
t2.start()
t2.join()
end
exercise Print the squares of 0, 1 and 2.
goal output main = "0 1 4"
solution
for i in range(3):
    print(i * i)
end
say The end.
EOT

tty_start --no-time --lesson "$tty_tmp/l.weft"
tty_wait_for "-- press Enter to go on" || tty_fail "no pause"

# The learner's own block at the pause: its blank line ends it, and the
# lesson still waits.
tty_type "def g():"
tty_keys Enter
tty_wait_last "...>" || tty_fail "no '...>' prompt for the learner's block"
tty_type "    return 5 * 7"
tty_keys Enter
tty_wait_last "...>" || tty_fail "the learner's block ended too soon"
tty_keys Enter
tty_wait_last "weft>" || tty_fail "a blank line did not end the learner's block"
tty_has "def work(n):" && tty_fail "the blank line moved the lesson on"
tty_run "g()"
tty_wait_for "main | 35" || tty_fail "the learner's block did not run"

# Enter at the pause: the lesson's block is shown, whole, and waits.
tty_keys Enter
tty_wait_for "-- press Enter to run it" || tty_fail "the block does not say to press Enter"
tty_has "weft> def work(n):" || tty_fail "the block's first line is not shown"
tty_has "...>     for i in range(n):" || tty_fail "the block's lines are not shown"
tty_has '...>         print("work", i)' ||
	tty_fail "the block's lines after its blank one are not shown"
tty_wait_last "weft>" || tty_fail "no prompt under the block"
# Ctrl-C does not run it; the lesson still waits for Enter.
tty_keys C-c
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C at the block"
tty_keys Enter
tty_wait_last 'weft> print("one line")' ||
	tty_fail "the one-line statement is not shown at the prompt"
tty_has "error" && tty_fail "the block did not run whole"
tty_keys Enter
tty_wait_for "main | one line" || tty_fail "the one-line statement did not run"
tty_wait_last "weft> work(3)" || tty_fail "work(3) is not shown at the prompt"
tty_keys Enter
tty_wait_for "main | work 2" || tty_fail "the function the block defined did not run"

# An exercise done with Python lines of the learner's own.
tty_wait_for "exercise: Run work(2) in a thread t2" || tty_fail "no exercise"
tty_wait_last "weft>" || tty_fail "the prompt is not handed to the learner"
tty_run "import threading"
tty_run "t2 = threading.Thread(target=work, args=(2,))"
tty_run "t2.start()"
tty_type "t2.join()"
tty_keys Enter
tty_wait_for "ok: the goal is reached" || tty_fail "the goal was not seen to hold"

# skip shows a solution's block, not run.
tty_wait_for "exercise: Print the squares" || tty_fail "no second exercise"
tty_wait_last "weft>" || tty_fail "no prompt for the second exercise"
tty_type "skip"
tty_keys Enter
tty_wait_for "-- skipped; a solution would be:" || tty_fail "skip did not say so"
tty_wait_for "    for i in range(3):" || tty_fail "skip did not show the block"
tty_has "        print(i * i)" || tty_fail "skip did not show the block's body"
tty_has "main | 4" && tty_fail "skip ran the solution"
tty_wait_for "-- The end." || tty_fail "the lesson did not go on to its end"
tty_wait_for "-- the end of the lesson; the shell is yours" ||
	tty_fail "the lesson did not end"
tty_pass
