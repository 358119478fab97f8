#!/bin/sh
# tty-paste.sh: what reaches the prompt other than key by key.
#  1. A bracketed paste of three commands runs them in order, as typed.
#  2. A task pasted whole over two lines is one definition, and one
#     history entry (it comes back whole after a restart).
#  3. On one typed line, the commands after one that fails do not run.
#  4. Keys typed while a command runs are not echoed into the trace: they
#     wait for the next prompt, and run there.
#  5. The tutorial's Python lines pasted as a block run as typed.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

# paste TEXT: pastes TEXT as a terminal does (bracketed, readline asked
# for it), then presses Enter.
paste() {
	tty_tmux set-buffer -b weftpaste "$1"
	tty_tmux paste-buffer -p -d -b weftpaste -t "$tty_target"
	tty_keys Enter
}

tty_start --no-time
paste "$(printf 'spawn thread t1 print_numbers\nstart t1\njoin t1')"
tty_wait_for "main: joined t1" || tty_fail "the pasted commands did not all run"
tty_wait_last "weft>" || tty_fail "no prompt after the paste"
tty_has "no task named" && tty_fail "the paste was taken as one line"

paste "$(printf 'task two {\n    print "pasted"\n}')"
tty_wait_last "weft>" || tty_fail "no prompt after the pasted task"
tty_run "spawn thread t2 two; start t2; join t2"
tty_wait_for "t2 | pasted" || tty_fail "the pasted task was not defined"

tty_run "start nosuch; spawn thread t3 print_letters"
tty_wait_for "error: no worker named 'nosuch'" || tty_fail "no error for nosuch"
tty_run "ps"
tty_all | grep -q '^t3 ' && tty_fail "the command after a failing one ran"

tty_run "spawn thread tk ticker 6 150"
tty_type "start tk; join tk"
tty_keys Enter
tty_wait_tick tk 1 || tty_fail "tk did not tick"
tty_type "ps"
tty_keys Enter
tty_wait_for "main: joined tk" || tty_fail "join tk did not end"
tty_wait_for "tk  " || tty_fail "the typed-ahead ps did not run after join"
tty_all | grep -E -q 'tick [0-9]+.*ps|ps.*tk \|' &&
	tty_fail "typed-ahead text landed in a trace line"
tty_entered "weft> ps" | grep -q '^[1-9]' ||
	tty_fail "the typed-ahead ps was not shown at the next prompt"

paste "$(printf 'import threading\nthread1 = threading.Thread(target=print_numbers)\nthread2 = threading.Thread(target=print_letters)\nthread1.start()\nthread2.start()\nthread1.join()\nthread2.join()')"
tty_wait_for "main: joined thread2" || tty_fail "the pasted Python lines did not all run"
tty_has "thread1 | 5" || tty_fail "thread1 did not print from the pasted Python"

tty_type "quit"
tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "weft did not leave with status 0"
file=$XDG_STATE_HOME/weft/history
awk '/^task two \{$/ { getline n; if (n ~ /^#[0-9]+$/) exit 1; f = 1 }
	END { exit !f }' "$file" || tty_fail "the pasted task is not one history entry"
tty_tmux kill-server

tty_start --no-time
# Up, entry by entry, back to the task
i=0
while [ "$i" -lt 20 ] && ! tty_has 'print "pasted"'; do
	tty_keys Up
	sleep 0.1
	i=$((i + 1))
done
tty_wait_for 'print "pasted"' || tty_fail "history did not bring the task back whole"
tty_has "weft> task two {" || tty_fail "the task came back without its first line"
tty_pass
