# tty-task.sh: a task definition typed over several lines at the prompt:
# the prompt becomes "...> " until the braces balance, then the task is
# defined; Ctrl-C in the middle drops the half-typed definition.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start
tty_type "task hello(n) {"
tty_keys Enter
tty_wait_last "...>" || tty_fail "no continuation prompt '...> '"
tty_type "for i in 1..n { print \"hi\" i }"
tty_keys Enter
tty_wait_last "...>" || tty_fail "the prompt left '...> ' too early"
tty_type "}"
tty_keys Enter
tty_wait_last "weft>" || tty_fail "no 'weft> ' prompt after the closing brace"
tty_run "spawn thread t1 hello 2; start t1; join t1"
tty_wait_for "t1 | hi 2" || tty_fail "the task typed over three lines did not run"

# Ctrl-C drops a half-typed definition.
tty_type "task broken {"
tty_keys Enter
tty_wait_last "...>" || tty_fail "no continuation prompt for the second task"
tty_keys C-c
tty_wait_last "weft>" || tty_fail "Ctrl-C did not bring back 'weft> '"
tty_run "tasks"
tty_all | grep -q "^broken" && tty_fail "the abandoned task 'broken' was defined"
tty_run "show task hello"
tty_wait_for "        print \"hi\" i" || tty_fail "show task did not print the body"
tty_pass
