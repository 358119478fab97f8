# tty-condition-steps.sh: a learner steps a condition's wait by hand at the
# prompt: its three steps are shown one by one (let go of the lock and
# wait; notified; the lock taken again), a step that would wait is refused
# with why, and sync and ps show the waiter meanwhile.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start
tty_run "sched step"
tty_run "condition ready m"
tty_run "shared flag = 0"
tty_run "task waiter { lock m; while flag == 0 { wait ready }; print \"seen\"; unlock m }"
tty_run "task setter { lock m; flag = 1; notify ready; unlock m }"
tty_run "spawn thread w waiter; spawn process s setter; start w s"
tty_run "step w 3"
tty_wait_for "w > wait ready (1 of 3: lock let go, waits)" ||
	tty_fail "the wait's first step was not shown"
tty_run "step w"
tty_wait_for "cannot step 'w': it waits on condition ready (not notified)" ||
	tty_fail "a step that would wait for a notify was granted"
tty_run "sync"
tty_wait_for "ready: condition on lock m (free); waiting: w" ||
	tty_fail "sync did not show w waiting"
tty_run "ps"
tty_wait_for "blocked:ready" || tty_fail "ps did not show w blocked on ready"
tty_run "step s 3"
tty_wait_for "s: notify ready wakes w" || tty_fail "the notify did not wake w"
tty_run "step w"
tty_wait_for "w > wait ready (2 of 3: notified)" ||
	tty_fail "the wait's second step was not shown"
tty_run "step w"
tty_wait_for "cannot step 'w': it waits for lock 'm', held by 's'" ||
	tty_fail "the lock was retaken while s held it"
tty_run "step s"
tty_run "step w"
tty_wait_for "w > wait ready (3 of 3: lock taken again)" ||
	tty_fail "the wait's third step was not shown"
tty_run "run w; join w s"
tty_wait_for "w | seen" || tty_fail "w did not go on after its wait"
tty_pass
