#!/bin/sh
# tty-lesson-prompts.sh: every lesson, played in present mode as a learner
# plays it, with a command typed at the first prompt of each kind it has:
#  - at a pause: the command runs, and Enter still goes on;
#  - at a lesson's command shown at the prompt: what is typed replaces it,
#    runs, and the lesson's command comes back;
#  - in an exercise: the command runs; hint answers; skip moves on;
#  - at the end: the command runs, and quit leaves with status 0.
# weft must never end on its own (a crash shows as EXIT= on the screen).
# Lessons are given as arguments (default: all of them).

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

srcdir=${TESTS_SRCDIR:-${0%/*}}/..
[ $# -gt 0 ] || set -- "$srcdir"/lessons/[0-9]*.weft

# The screen and scrollback, as one string to compare.
snap() { tty_all | cksum; }

# settled: a prompt is the last line and nothing has moved for 0.2 s.
settled() {
	tty_prompt_is || return 1
	a=$(snap)
	sleep 0.2
	[ "$a" = "$(snap)" ] && tty_prompt_is
}

alive() {
	if tty_has "EXIT="; then
		tty_fail "weft ended by itself in $lesson ($1)"
	fi
}

# The last line that tells what the lesson waits for.
marker() {
	tty_all | awk '
		/^-- press Enter to go on$/ { m = "pause" }
		/^-- press Enter to define it$/ { m = "define" }
		/^-- your turn: / { m = "exercise" }
		/^-- the end of the lesson; the shell is yours$/ { m = "end" }
		/^-- skipped; / { m = "skipped" }
		END { print m }'
}

headers() { tty_all | grep -c '^NAME  *KIND'; }

# typed_ps: types ps at the prompt and waits until its table is shown.
typed_ps() {
	before=$(headers)
	tty_type "ps"
	tty_keys Enter
	tty_poll eval '[ "$(headers)" -gt "$before" ]' ||
		tty_fail "ps typed at a $1 in $lesson did not run"
	tty_poll settled || tty_fail "no prompt after ps at a $1 in $lesson"
	alive "after ps at a $1"
}

for lesson in "$@"; do
	tty_start_lesson --no-time --lesson "$lesson"
	pause= cmd= ex= n=0
	while [ "$n" -lt 400 ]; do
		n=$((n + 1))
		tty_poll settled || { alive "waiting"; tty_fail "no prompt in $lesson"; }
		alive "at a prompt"
		last=$(tty_last_line)
		if [ "$last" != "weft>" ]; then
			if [ -z "$cmd" ]; then
				cmd=1
				typed_ps "lesson's command"
				[ "$(tty_last_line)" = "$last" ] ||
					tty_fail "the lesson's command did not come back: $last"
			fi
			tty_keys Enter
			tty_poll eval '[ "$(tty_last_line)" != "$last" ]' ||
				tty_fail "Enter did not run '$last' in $lesson"
			continue
		fi
		s0=$(snap)
		case $(marker) in
		pause)
			if [ -z "$pause" ]; then
				pause=1
				typed_ps "pause"
				[ "$(marker)" = pause ] || tty_fail "ps at a pause left it"
			fi
			tty_keys Enter
			;;
		define) tty_keys Enter ;;
		exercise)
			if [ -z "$ex" ]; then
				ex=1
				typed_ps "exercise"
				tty_type "hint"
				tty_keys Enter
				tty_poll eval 'tty_has "hint: " || tty_has "has no hint"' ||
					tty_fail "hint did not answer in $lesson"
			fi
			tty_type "skip"
			tty_keys Enter
			tty_poll eval '[ "$(marker)" != exercise ]' ||
				tty_fail "skip did not leave the exercise in $lesson"
			;;
		end)
			typed_ps "the end"
			tty_type "quit"
			tty_keys Enter
			tty_wait_for "EXIT=0" || tty_fail "quit at the end of $lesson"
			break
			;;
		*) tty_fail "cannot tell what $lesson waits for (marker '$(marker)')" ;;
		esac
		# Each answer moves the lesson on: wait until it shows.
		tty_poll eval '[ "$(snap)" != "$s0" ]' ||
			tty_fail "nothing happened after a $(marker) in $lesson"
	done
	[ -n "$pause$ex$cmd" ] || tty_fail "$lesson showed no prompt of any kind"
	tty_has "EXIT=0" || tty_fail "$lesson did not reach its end"
	tty_tmux kill-server
	rm -f "$tty_pidfile"
done
tty_pass
