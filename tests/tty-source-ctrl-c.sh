#!/bin/sh
# tty-source-ctrl-c.sh: Ctrl-C while `source` runs a file at the prompt
# stops the whole file, not only the sleep it was waiting in: the rest of
# its commands (and of the file that sourced it) are dropped, weft says
# where it stopped, and the prompt comes back with weft still running.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

inner=$tty_tmp/inner.weft
outer=$tty_tmp/outer.weft
printf '%s\n' 'say inner begins' 'sleep 8000' 'say inner goes on' \
	'set x = 1' >"$inner"
printf '%s\n' 'say outer begins' "source $inner" 'say outer goes on' \
	'set y = 1' >"$outer"

tty_start
pid=$(tty_weft_pid)
tty_type "source $outer"
tty_keys Enter
tty_wait_for "-- inner begins" || tty_fail "the sourced file did not start"
tty_keys C-c
tty_wait_for "-- Ctrl-C: $outer stops here" ||
	tty_fail "Ctrl-C during source: no 'stops here' line"
tty_wait_last "weft>" || tty_fail "Ctrl-C during source: no prompt came back"
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C during source"
tty_run "vars"
tty_run "set z = 2"
tty_run "vars"
tty_wait_for "z = 2" || tty_fail "weft does not take commands after Ctrl-C"
tty_has "goes on" && tty_fail "the sourced files went on after Ctrl-C"
tty_has "x = 1" && tty_fail "the inner file's later commands ran"
tty_has "y = 1" && tty_fail "the outer file's later commands ran"
tty_pass
