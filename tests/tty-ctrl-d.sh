#!/bin/sh
# tty-ctrl-d.sh: Ctrl-D at an empty prompt leaves weft cleanly while a
# thread and a process worker still run: weft stops both itself (their
# "killed" lines are printed before it ends), exits with 0, and leaves no
# child behind, running or zombie.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start
pid=$(tty_weft_pid)
[ -n "$pid" ] && [ -d "/proc/$pid" ] || tty_fail "cannot find weft's pid"

tty_run "spawn thread t1 ticker 1000 100"
tty_run "spawn process p1 ticker 1000 100"
tty_run "start t1 p1"
tty_wait_tick t1 2 || tty_fail "t1 does not tick"
tty_wait_tick p1 2 || tty_fail "p1 does not tick"

p1pid=$(tty_all | sed -n 's/.*p1: started (process, pid \([0-9][0-9]*\),.*/\1/p')
tid=$(tty_all | sed -n 's/.*t1: started (thread, tid \([0-9][0-9]*\),.*/\1/p')
[ -n "$p1pid" ] || tty_fail "no 'p1: started (process, pid N' line"
[ -n "$tid" ] || tty_fail "no 't1: started (thread, tid N' line"
# p1 is a child of weft, and t1 a thread of weft.
case " $(cat /proc/"$pid"/task/*/children 2>/dev/null) " in
*" $p1pid "*) ;;
*) tty_fail "p1 (pid $p1pid) is not a child of weft (pid $pid)" ;;
esac
[ -d "/proc/$pid/task/$tid" ] || tty_fail "t1 (tid $tid) is not a thread of weft"

tty_wait_last "weft>" || tty_fail "no empty prompt to press Ctrl-D at"
tty_keys C-d
tty_wait_for "EXIT=" || tty_fail "weft did not end on Ctrl-D"
tty_has "EXIT=0" || tty_fail "weft ended with $(tty_all | grep EXIT=), not EXIT=0"

# weft stopped the workers itself (not merely by dying).
tty_has "p1: killed by signal 9 (Killed)" ||
	tty_fail "weft did not stop p1 before leaving"
tty_has "t1: killed (cancelled" ||
	tty_fail "weft did not stop t1 before leaving"
tty_has "error:" && tty_fail "an error was printed"

# weft is gone, and so is p1: it was reaped, not left a zombie. (Checked at
# once: an init that reaps orphans later must not hide a missing waitpid.)
[ -d "/proc/$pid" ] && tty_fail "weft (pid $pid) still exists: state $(tty_proc_state "$pid")"
if [ -d "/proc/$p1pid" ]; then
	tty_fail "p1 (pid $p1pid) outlived weft: state $(tty_proc_state "$p1pid")," \
		"$(cat "/proc/$p1pid/comm" 2>/dev/null)"
fi
tty_pass
