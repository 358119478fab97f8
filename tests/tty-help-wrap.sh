#!/bin/sh
# tty-help-wrap.sh: help text is broken at spaces to the terminal's width,
# as it is when help runs, not cut mid-word by the terminal at its edge:
# in a 60-column window no line of 'help incr' is longer than 60 (a line
# the terminal had to wrap would read longer here, as the capture joins
# such lines again); after a resize to 100 columns the same help uses the
# room.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

# tty_help_lines N: the lines of the Nth 'help incr' on the screen.
tty_help_lines() {
	tty_all | awk -v want="$1" '
		$0 == "weft> help incr" { n++; on = n == want; next }
		/^weft>/ { on = 0 }
		on { print }'
}

tty_longest() { awk '{ n = length > n ? length : n } END { print n + 0 }'; }

tty_start
tty_tmux resize-window -t "$tty_target" -x 60 -y 30 ||
	tty_fail "tmux cannot resize the window"
tty_run "help incr"
tty_help_lines 1 | grep -q '^steps: 3$' || tty_fail "no help for incr"
n=$(tty_help_lines 1 | tty_longest)
[ "$n" -le 60 ] || tty_fail "a line of $n columns in a 60-column window"
tty_tmux resize-window -t "$tty_target" -x 100 -y 30 ||
	tty_fail "tmux cannot resize the window"
# The resize reaches weft as a signal, which a slow run (a sanitizer) may
# read after the next command: help is asked again, a few times, until
# one comes after it.
k=1
while [ "$k" -lt 6 ]; do
	k=$((k + 1))
	tty_run "help incr"
	n=$(tty_help_lines $k | tty_longest)
	[ "$n" -gt 60 ] && break
done
[ "$n" -gt 60 ] && [ "$n" -le 100 ] ||
	tty_fail "the longest line at 100 columns has $n"
tty_pass
