#!/bin/sh
# tty-history-fifo.sh: a history path that is not a regular file (here a
# FIFO, which would block start-up in open(), deaf to every signal) gets
# one warning line; weft goes on without history, and SIGTERM ends it.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

mkdir -p "$XDG_STATE_HOME/weft" || tty_fail "cannot make the state directory"
mkfifo "$XDG_STATE_HOME/weft/history" || tty_fail "cannot make a FIFO"
tty_start
tty_has "weft: warning: '$XDG_STATE_HOME/weft/history' is not a regular file; no history this time" ||
	tty_fail "no warning about the history file"
tty_run "tasks"
kill -TERM "$(tty_weft_pid)" || tty_fail "cannot send SIGTERM"
tty_wait_for "EXIT=143" || tty_fail "weft did not exit 143 on SIGTERM"
tty_pass
