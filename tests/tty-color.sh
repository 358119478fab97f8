# tty-color.sh: on a terminal each worker's name has its own colour and a
# deadlock line is bold red, not dim like other events; with --no-color,
# or NO_COLOR in the environment, nothing is coloured.

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

# make_deadlock: two threads stepped into a lock cycle; waits for its line.
make_deadlock() {
	tty_run "task ab { lock m1; lock m2 }"
	tty_run "task ba { lock m2; lock m1 }"
	tty_run "sched step; spawn thread d1 ab; spawn thread d2 ba; start d1 d2"
	tty_run "step d1; step d2"
	tty_wait_for "deadlock: d1 waits for m2 held by d2" ||
		tty_fail "no deadlock line"
}

# deadlock_sgr: the SGR parameters set just before "deadlock:", one a line.
deadlock_sgr() {
	screen_sgr |
		sed -n "s/.*] \\(\\($esc\\[[0-9;]*m\\)*\\)deadlock: .*/\\1/p" |
		head -n 1 | tr "$esc" '\n' | sed -n 's/^\[\([0-9;]*\)m$/\1/p' |
		tr ';' '\n'
}

tty_start
run_two
c1=$(colour_of t1)
c2=$(colour_of t2)
[ -n "$c1" ] || tty_fail "t1's name is not coloured"
[ -n "$c2" ] || tty_fail "t2's name is not coloured"
[ "$c1" != "$c2" ] || tty_fail "t1 and t2 have the same colour"
make_deadlock
sgr=$(deadlock_sgr | tr '\n' ' ')
case " $sgr" in *" 1 "*) ;; *) tty_fail "the deadlock line is not bold (SGR '$sgr')" ;; esac
case " $sgr" in *" 31 "*) ;; *) tty_fail "the deadlock line is not red (SGR '$sgr')" ;; esac
case " $sgr" in *" 2 "*) tty_fail "the deadlock line is dim (SGR '$sgr')" ;; esac
tty_type "quit"; tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "weft did not exit 0"
tty_tmux kill-server

tty_start --no-color
run_two
make_deadlock
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
make_deadlock
screen_sgr | grep -q "$esc\\[" && tty_fail "NO_COLOR=1 still coloured"
tty_pass
