#!/bin/sh
# tty-live-output.sh: trace lines that arrive while the learner is typing
# are printed above the prompt, and the half-typed line and the cursor stay
# as they were: typing on after the ticks finishes the same command.
# Checked once with a thread worker and once with a process worker.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

# half_typed KIND WORKER HALF REST NEW: starts WORKER (a `ticker 30 150` of
# KIND), types HALF without Enter, lets ticks arrive, checks the prompt
# line, then types REST and Enter, which must spawn NEW.
half_typed() {
	kind=$1 w=$2 half=$3 rest=$4 new=$5
	line="weft> $half"

	tty_run "spawn $kind $w ticker 30 150"
	tty_run "start $w"
	tty_type "$half"
	tty_wait_last "$line" || tty_fail "'$half' was not echoed at the prompt"
	before=$(tty_last_tick "$w")
	[ "$before" -le 25 ] ||
		tty_fail "$w ticked $before times before the half line was up; too slow to test"
	# At least three ticks while the half line is on the screen, then the end.
	tty_wait_tick "$w" $((before + 3)) ||
		tty_fail "no ticks of $w arrived while '$half' was typed"
	tty_wait_for "$w: finished (exit 0)" || tty_fail "$w did not finish"

	# The ticks went above: the last line is still the half line, the
	# cursor is at its end, and it is the only copy of it (a print that
	# did not clear the line would leave "weft> spawn thr[ 0.9] ..." behind).
	last=$(tty_last_line)
	[ "$last" = "$line" ] ||
		tty_fail "after the ticks the last line is '$last', not '$line'"
	n=$(tty_all | awk -v line="$line" '$0 == line { n++ } END { print n + 0 }')
	[ "$n" -eq 1 ] || tty_fail "'$line' shows $n times instead of once"
	mixed=$(tty_all | awk -v half="$half" -v w="$w" '
		index($0, half) && (index($0, w " |") || index($0, w ":"))')
	[ -z "$mixed" ] || tty_fail "trace text mixed into the prompt line: '$mixed'"
	ticks_above=$(tty_screen | awk -v w="$w" -v line="$line" '
		{ sub(/^\[ *[0-9.]+\] /, "") }
		$1 == w && $2 == "|" { t++ }
		$0 == line { print t + 0; exit }')
	[ "${ticks_above:-0}" -ge 3 ] ||
		tty_fail "expected tick lines of $w above '$line' on the screen"
	tty_poll tty_cursor_at ${#line} ||
		tty_fail "the cursor is not at the end of '$line'"

	# Typing on completes the very same command.
	tty_run "$rest" "$half$rest"
	tty_has "weft> spawn $kind $new " ||
		tty_fail "the finished line is not 'spawn $kind $new ...'"
	tty_run "ps"
	tty_all | grep -E -q "^$new +$kind +new " ||
		tty_fail "ps does not list $new as a new $kind: '$half' + '$rest' did not run"
}

tty_start
half_typed thread t1 "spawn thr" "ead t2 print_letters" t2
half_typed process p1 "spawn pro" "cess p3 print_numbers" p3
# The spawned workers work.
tty_run "start t2 p3"
tty_run "join all"
tty_wait_for "t2 | e" || tty_fail "t2 did not print its letters"
tty_wait_for "p3 | 5" || tty_fail "p3 did not print its numbers"
tty_pass
