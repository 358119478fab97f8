#!/bin/sh
# tty-lesson-ctrl-c.sh: Ctrl-C during a lesson's command in present mode.
# The command stops and the prompt comes back; the lesson does not check
# what the stopped command did (its expectations would all be wrong: it
# did not finish), says so once, and goes on to its next item, whose
# expectations are checked again. A command the learner typed in place of
# the lesson's, stopped the same way, leaves the lesson's command waiting.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

cat >"$tty_tmp/l.weft" <<'EOT'
# title: Stopped
task forever {
  while 1 {
    sleep 50
  }
}
spawn thread t forever
start t
join t
expect state t = joined
expect output t = "never"
say After the join.
kill t
join t
expect state t = joined
say The end.
EOT

tty_start --no-time --lesson "$tty_tmp/l.weft"
tty_wait_for "-- press Enter to define it" || tty_fail "the task is not shown"
tty_keys Enter
tty_wait_last "weft> spawn thread t forever" || tty_fail "no spawn shown"
tty_keys Enter
tty_wait_last "weft> start t" || tty_fail "no start shown"
tty_keys Enter
tty_wait_last "weft> join t" || tty_fail "the join is not shown at the prompt"
# The learner's own command in its place, stopped: the lesson's comes back.
tty_type "join all"
tty_keys Enter
tty_poll tty_entered_ge "weft> join all" 0
sleep 0.5
tty_keys C-c
tty_wait_last "weft> join t" || tty_fail "the lesson's join is not shown again"
tty_has "Ctrl-C stopped the command" &&
	tty_fail "the learner's own command was taken for the lesson's"
# The lesson's own join, stopped.
tty_keys Enter
sleep 0.5
tty_keys C-c
tty_wait_for "-- Ctrl-C stopped the command: the lesson does not check what it did" ||
	tty_fail "the lesson did not say it leaves the stopped command unchecked"
tty_has "not ok" && tty_fail "the lesson checked a command that was stopped"
[ "$(tty_all | grep -c 'Ctrl-C stopped the command')" -eq 1 ] ||
	tty_fail "the lesson said it more than once"
tty_wait_for "-- After the join." || tty_fail "the lesson did not go on"
tty_wait_last "weft> kill t" || tty_fail "the next command is not shown"
tty_keys Enter
tty_wait_last "weft> join t" || tty_fail "the second join is not shown"
tty_keys Enter
tty_wait_for "ok: state t = joined" ||
	tty_fail "the next command's expectation was not checked"
tty_wait_for "-- The end." || tty_fail "the lesson did not end"
tty_pass
