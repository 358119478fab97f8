#!/bin/sh
# tty-complete.sh: Tab completes on the prompt line: a command name, a
# task name, the name of a worker spawned earlier, a command's own words
# (sched's modes, trace's levels), a lesson's name and file names; the
# completed line then runs as typed out in full.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

# try_complete TYPED WANT: types TYPED and Tab; the line must then read
# "weft> WANT" with the cursor at its end. WANT ends in a space when the
# completion is unique (tmux drops it from the screen, the cursor shows it).
try_complete() {
	tty_type "$1"
	tty_keys Tab
	shown=${2% }
	tty_wait_last "weft> $shown" ||
		tty_fail "'$1' + Tab did not give 'weft> $shown'"
	want="weft> $2"
	tty_poll tty_cursor_at ${#want} ||
		tty_fail "'$1' + Tab: the cursor is not at the end of '$want'"
}

tty_start

# A command name; Ctrl-U clears the line for the next one.
try_complete "spa" "spawn "
tty_keys C-u
tty_wait_last "weft>" || tty_fail "Ctrl-U did not clear the line"

# A task name, in the middle of a command that is then run.
try_complete "spawn thread alpha1 print_n" "spawn thread alpha1 print_numbers "
tty_run "" "spawn thread alpha1 print_numbers"
tty_has "error:" && tty_fail "the completed spawn failed"

# A worker name.
try_complete "start al" "start alpha1 "
tty_run "" "start alpha1"
tty_wait_for "alpha1: started (thread," ||
	tty_fail "'start alpha1' (completed) did not start alpha1"
tty_wait_for "alpha1: finished (exit 0)" || tty_fail "alpha1 did not finish"
tty_has "alpha1 | 5" || tty_fail "alpha1 did not print 5"

# A command's own words: the modes of sched, the levels of trace.
try_complete "sched se" "sched seed "
tty_keys C-u
tty_wait_last "weft>" || tty_fail "Ctrl-U did not clear the line"
try_complete "trace ou" "trace output "
tty_run "" "trace output"
tty_run "trace" "trace"
tty_wait_for "trace output" || tty_fail "the completed 'trace output' did not run"

# A lesson's name, and file names (a directory ends in '/', no space).
try_complete "lesson ra" "lesson race "
tty_keys C-u
tty_wait_last "weft>" || tty_fail "Ctrl-U did not clear the line"
mkdir -p "$tty_tmp/cf/subdir" && : >"$tty_tmp/cf/setup.weft"
try_complete "source $tty_tmp/cf/se" "source $tty_tmp/cf/setup.weft "
tty_keys C-u
tty_wait_last "weft>" || tty_fail "Ctrl-U did not clear the line"
try_complete "export $tty_tmp/cf/su" "export $tty_tmp/cf/subdir/"
tty_keys C-u
tty_wait_last "weft>" || tty_fail "Ctrl-U did not clear the line"
tty_pass
