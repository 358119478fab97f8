#!/bin/sh
# tty-lesson.sh: a lesson in present mode on a terminal. Narration shows,
# `pause` waits for Enter, each command appears at the prompt as if typed
# and runs only on Enter (shown again after Ctrl-C), an expectation shows
# its mark, an exercise hands the prompt to the learner and moves on once
# its goal holds, and `skip` leaves an exercise showing its solution
# without running it; `hint` shows the exercise's hint and `again` starts
# it over, with the variables, objects and scheduling the exercise found.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

cat >"$tty_tmp/l.weft" <<'EOT'
# title: Try it
say Hello class.
pause
spawn thread t1 print_numbers
start t1
join t1
expect output t1 = "1 2 3 4 5"
exercise Spawn, start and join a thread t2 running print_letters.
goal state t2 = joined
solution
spawn thread t2 print_letters
start t2
join t2
end
semaphore s 2
exercise Now make x equal 42.
goal var x = 42
hint set changes a variable
solution
set x = 42
end
say The end.
EOT

tty_start --no-time --lesson "$tty_tmp/l.weft"
tty_has "== Try it" || tty_fail "no title"
tty_has "-- Hello class." || tty_fail "no narration"
tty_has "-- press Enter to go on" || tty_fail "pause did not say to press Enter"
tty_has "spawn thread t1" && tty_fail "the lesson went on before Enter"

# Enter after the pause: the first command waits at the prompt, typed.
tty_keys Enter
tty_wait_last "weft> spawn thread t1 print_numbers" ||
	tty_fail "the first command is not shown at the prompt"
sleep 0.3
tty_has "t1: started" && tty_fail "a command ran before Enter"
# Ctrl-C drops the line, but the fresh prompt shows the command again.
tty_keys C-c
tty_wait_last "weft> spawn thread t1 print_numbers" ||
	tty_fail "after Ctrl-C the lesson's command is not shown again"
# A paste replaces the untouched command, as typing does; it runs, and
# the lesson's command comes back.
tty_tmux set-buffer -b weftpaste "vars"
tty_tmux paste-buffer -p -d -b weftpaste -t "$tty_target"
tty_wait_last "weft> vars" || tty_fail "a paste went on after the lesson's command"
tty_keys Enter
tty_wait_last "weft> spawn thread t1 print_numbers" ||
	tty_fail "after a pasted command the lesson's command is not shown again"
tty_keys Enter
tty_wait_last "weft> start t1" || tty_fail "the second command is not shown"
tty_keys Enter
tty_wait_for "t1: started (thread," || tty_fail "start t1 did not run on Enter"
tty_wait_last "weft> join t1" || tty_fail "the third command is not shown"
tty_keys Enter
tty_wait_for "main: joined t1" || tty_fail "join t1 did not run"
tty_wait_for 'ok: output t1 = "1 2 3 4 5"' || tty_fail "no mark for the expect"
tty_wait_for "exercise: Spawn, start and join a thread t2" ||
	tty_fail "the exercise is not shown"
tty_wait_last "weft>" || tty_fail "the prompt is not handed to the learner"

# The learner's own commands; the goal holds after the last one.
tty_run "spawn thread t2 print_letters"
tty_has "ok: the goal is reached" && tty_fail "the goal was reached too soon"
tty_run "start t2"
tty_type "join t2"
tty_keys Enter
tty_wait_for "ok: the goal is reached" || tty_fail "the goal was not seen to hold"
tty_wait_last "weft> semaphore s 2" || tty_fail "the lesson's semaphore is not shown"
tty_keys Enter
tty_wait_for "exercise: Now make x equal 42." || tty_fail "no second exercise"
tty_wait_last "weft>" || tty_fail "no prompt for the second exercise"

# hint shows the hint; again forgets the workers and brings x back.
tty_run "set x = 7"
tty_run "hint"
tty_wait_for "hint: set changes a variable" || tty_fail "hint did not show"
tty_run "again"
tty_wait_for "-- again:" || tty_fail "again was not taken"
tty_run "vars"
tty_all | grep -q "^x = 7" && tty_fail "again kept x, set in the exercise"
tty_run "ps"
tty_all | grep -q '^t2  *thread' && tty_fail "again kept the workers"
tty_run "queue mine 2"
tty_run "again"
tty_run "sync"
tty_wait_for "s: semaphore, value 2" || tty_fail "again lost the lesson's semaphore"
tty_all | grep -q "^mine: queue" && tty_fail "again kept the learner's queue"
# again undoes the learner's sched step: the exercise began free.
tty_run "sched step"
tty_run "again"
tty_run "sched"
tty_wait_last "weft>" && tty_all | tail -3 | grep -qx "sched free" ||
	tty_fail "again kept the learner's sched step"
# skip: the lesson moves on, showing the solution, which did not run.
tty_run "skip"
tty_wait_for "-- skipped; a solution would be:" || tty_fail "skip was not taken"
tty_wait_for "    set x = 42" || tty_fail "skip did not show the solution"
tty_wait_for "-- The end." || tty_fail "the lesson did not go on after skip"
tty_wait_for "the end of the lesson; the shell is yours" ||
	tty_fail "no end of the lesson"
tty_run "vars"
tty_all | grep -q "^x = 42" && tty_fail "skip ran the exercise's solution"
tty_type "quit"
tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "weft did not leave with status 0"
tty_pass
