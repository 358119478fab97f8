#!/bin/sh
# tty-resize.sh: the terminal is resized (narrower, then wider) while a
# worker's lines stream above a half-typed command: the ticks go on, the
# half line and the cursor stay as they were, and the command then runs as
# typed; weft does not die of SIGWINCH.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start
pid=$(tty_weft_pid)
tty_run "spawn thread t1 ticker 40 100"
tty_run "start t1"
half="spawn thread t2 print_"
tty_type "$half"
tty_wait_last "weft> $half" || tty_fail "'$half' was not echoed"
n=$(tty_last_tick t1)
tty_tmux resize-window -t "$tty_target" -x 60 -y 20 ||
	tty_fail "tmux cannot resize the window"
tty_wait_tick t1 $((n + 3)) || tty_fail "no ticks after the resize to 60x20"
n=$(tty_last_tick t1)
tty_tmux resize-window -t "$tty_target" -x 120 -y 30 ||
	tty_fail "tmux cannot resize the window"
tty_wait_tick t1 $((n + 3)) || tty_fail "no ticks after the resize to 120x30"
[ -d "/proc/$pid" ] || tty_fail "weft died on a resize"
tty_wait_last "weft> $half" ||
	tty_fail "after the resizes the last line is '$(tty_last_line)'"
want="weft> $half"
tty_poll tty_cursor_at ${#want} || tty_fail "the cursor moved off the end of the half line"
tty_run "letters" "${half}letters"
tty_run "ps"
tty_all | grep -E -q '^t2 +thread +new ' ||
	tty_fail "the half line, finished after the resizes, did not run"
tty_pass
