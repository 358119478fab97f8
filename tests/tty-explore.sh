#!/bin/sh
# tty-explore.sh: explore at a terminal: it finds the lost update of two
# counting threads, prints the schedule, and the prompt comes back with
# the workers new again; replay queues that schedule and three steps
# follow it, one line each. A long exploration redraws one progress line
# (schedules, per second, depth) in place, and Ctrl-C stops it, saying
# how many schedules it tried, with weft alive and the workers new.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start --no-time
pid=$(tty_weft_pid)
tty_run "set x = 0; spawn thread t1 count 1; spawn thread t2 count 1"
tty_run "explore --expect var x = 2"
tty_has "explore: violation after 7 schedules: var x = 2 does not hold (saw: x = 1)" ||
	tty_fail "explore did not find the lost update"
tty_has "schedule: t1*3 t2*5 t1*2" || tty_fail "no schedule printed"
tty_run "replay t1*3 t2*5 t1*2"
tty_has "replay: 10 steps queued (t1*3 t2*5 t1*2): step takes the next" ||
	tty_fail "replay did not queue the schedule"
tty_run "step"
tty_run "step"
tty_run "step"
tty_all | grep -F -x -q "t1 > incr x (compute 1)" ||
	tty_fail "three steps did not follow the schedule"
tty_all | sed -n '/^replay: /,$p' | grep -q '^t2 >' &&
	tty_fail "a step of t2 came before the schedule's"

# A long exploration: one progress line, redrawn in place; Ctrl-C.
tty_run "reset"
tty_run "set x = 0; spawn thread t1 count 3; spawn thread t2 count 3"
tty_type "explore --preemptions all"
tty_keys Enter
tty_wait_for "exploring: " || tty_fail "no progress line"
sleep 1
n=$(tty_all | grep -c "exploring: ")
[ "$n" -eq 1 ] || tty_fail "the progress line is not redrawn in place ($n)"
tty_keys C-c
tty_wait_for "explore: stopped: no violation in " ||
	tty_fail "Ctrl-C did not stop explore"
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C during explore"
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C during explore"
tty_has "exploring: " && tty_fail "the progress line was left on the screen"
tty_run "ps"
tty_all | grep -E -q '^t2 +thread +new ' ||
	tty_fail "the workers are not new after Ctrl-C"
tty_pass
