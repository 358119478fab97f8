# tty-color.sh: on a terminal each worker's name has its own colour; with
# --no-color, or NO_COLOR in the environment, nothing is coloured.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

esc=$(printf '\033')

# The screen with its colour escapes, as tmux keeps them.
screen_sgr() {
	tty_tmux capture-pane -p -e -t "$tty_target"
}

# run_two: two workers print; waits for both to finish.
run_two() {
	tty_run "spawn thread t1 print_numbers; spawn thread t2 print_letters"
	tty_run "start t1; join t1; start t2; join t2"
	tty_wait_for "main: joined t2" || tty_fail "t2 was not joined"
}

# colour_of NAME: the escape sequence just before NAME's output lines.
colour_of() {
	screen_sgr | sed -n "s/.*\\($esc\\[[0-9;]*m\\)$1$esc\\[[0-9;]*m | .*/\\1/p" |
		head -n 1
}

tty_start
run_two
c1=$(colour_of t1)
c2=$(colour_of t2)
[ -n "$c1" ] || tty_fail "t1's name is not coloured"
[ -n "$c2" ] || tty_fail "t2's name is not coloured"
[ "$c1" != "$c2" ] || tty_fail "t1 and t2 have the same colour"
tty_type "quit"; tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "weft did not exit 0"
tty_tmux kill-server

tty_start --no-color
run_two
screen_sgr | grep -q "$esc\\[" && tty_fail "--no-color still coloured"
tty_type "quit"; tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "weft did not exit 0"
tty_tmux kill-server

printf '#!/bin/sh\nNO_COLOR=1 exec %s "$@"\n' "$(tty_quote "$WEFT")" \
	>"$tty_tmp/weft-nocolor"
chmod +x "$tty_tmp/weft-nocolor"
WEFT=$tty_tmp/weft-nocolor
tty_start
run_two
screen_sgr | grep -q "$esc\\[" && tty_fail "NO_COLOR=1 still coloured"
tty_pass
