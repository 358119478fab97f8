#!/bin/sh
# tty-ctrl-c.sh: Ctrl-C during `join` stops the waiting, not the worker:
# the prompt comes back with a "stopped waiting" message and the worker
# goes on ticking. Ctrl-C at the prompt drops the half-typed line (it is
# not run) and gives a fresh prompt, and weft goes on working. Ctrl-C
# during a paced `step` stops granting steps.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start
pid=$(tty_weft_pid)
tty_run "spawn process p1 ticker 100 100"
tty_run "start p1"

# after_join WHAT: how many lines after the "weft> join p1" line are ticks
# of p1 (WHAT=ticks) or prompts (WHAT=prompts).
after_join() {
	tty_all | awk -v what="$1" '
		$0 == "weft> join p1" { seen = 1; ticks = prompts = 0; next }
		seen && / p1 [|] tick / { ticks++ }
		seen && /^weft>/ { prompts++ }
		END { print (what == "ticks" ? ticks : prompts) + 0 }'
}
ticks_during_join() { [ "$(after_join ticks)" -ge 3 ]; }

# join holds the prompt while the ticks stream.
tty_type "join p1"
tty_keys Enter
tty_poll ticks_during_join || tty_fail "p1 does not tick during join"
[ "$(after_join prompts)" -eq 0 ] || tty_fail "a prompt is shown during join"

tty_keys C-c
tty_wait_for "main: stopped waiting; still running: 'p1'" ||
	tty_fail "Ctrl-C during join: no 'stopped waiting' message"
tty_wait_last "weft>" || {
	tty_has "EXIT=" && tty_fail "weft ended on Ctrl-C during join"
	tty_fail "Ctrl-C during join: no prompt came back"
}
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C during join"

# The worker goes on: more ticks, and ps says it runs.
n=$(tty_last_tick p1)
tty_wait_tick p1 $((n + 3)) || tty_fail "p1 stopped ticking after Ctrl-C (was at tick $n)"
tty_run "ps"
tty_all | grep -E -q '^p1 +process +(running|blocked:sleep) +[0-9]+ .* (sleeping|running)$' ||
	tty_fail "ps does not show p1 running after Ctrl-C"

# Ctrl-C at the prompt with a half-typed line.
# A whole, valid command: if Ctrl-C ran it, zz would exist.
half="spawn thread zz print_numbers"
carets() { tty_all | grep -c -F '^C'; }
carets_ge() { [ "$(carets)" -ge "$1" ]; }
n=$(carets)
tty_type "$half"
tty_wait_last "weft> $half" || tty_fail "'$half' was not echoed"
tty_keys C-c
tty_poll carets_ge $((n + 1)) || tty_fail "Ctrl-C at the prompt: no ^C shown"
tty_wait_last "weft>" || {
	tty_has "EXIT=" && tty_fail "weft ended on Ctrl-C at the prompt"
	tty_fail "Ctrl-C at the prompt: no fresh, empty prompt"
}
tty_poll tty_cursor_at 6 ||
	tty_fail "Ctrl-C at the prompt: cursor not just after 'weft> '"
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C at the prompt"

# weft still works, and the dropped line was never run.
tty_run "tasks"
tty_all | grep -q '^ticker(n, ms)  *prints tick 1' ||
	tty_fail "'tasks' after Ctrl-C printed no task list"
tty_run "ps"
tty_all | grep -q '^zz ' && tty_fail "the line dropped by Ctrl-C was run (zz exists)"
tty_all | grep -F -q "error:" && tty_fail "an error was printed"

# The interrupted line stays on the screen as typed, marked with ^C at its
# end (as in bash), and is not overwritten: "^Cft> spawn thread zz ..."
# would mean the ^C was written at the start of the line.
tty_has "weft> $half^C" ||
	tty_fail "the line interrupted by Ctrl-C does not read 'weft> $half^C'"

# Ctrl-C during a slow `step` (pace 3000 between grants): the prompt comes
# back, no more steps are granted, and the worker waits at its gate.
tty_run "sched step"
tty_run "pace 3000"
tty_run "spawn thread s1 print_numbers"
tty_run "start s1"
tty_type "step s1 5"
tty_keys Enter
tty_wait_for "s1 > for i in 1..5 (i = 1)" || tty_fail "step s1 took no step"
tty_keys C-c
tty_wait_last "weft>" || tty_fail "Ctrl-C during step: no prompt came back"
tty_run "ps"
tty_all | grep -E -q '^s1 +thread +blocked:step ' ||
	tty_fail "after Ctrl-C during step, s1 is not held at its gate"
tty_has "s1 | 2" && tty_fail "steps went on after Ctrl-C"
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C during step"
tty_pass
