#!/bin/sh
# tty-lesson-auto.sh: Ctrl-C during a lesson in auto mode (a demo that
# plays by itself, with no prompt) on a terminal. It must stop the lesson
# and weft with it, as Ctrl-C stops a script: exit 130, every worker
# stopped and reaped, nothing left running. And the screen must read well:
# the ^C the terminal echoes stands on a line of its own, followed by a
# line that says the lesson stopped, not glued to what weft prints next.
#  1. During the lesson's `join`, with a process and a thread running.
#  2. During the delay before the lesson's first item.
#  3. During a plain script's `join` (`weft FILE` on a terminal): no
#     lesson to stop, but the ^C stands alone all the same.
# The workers print nothing while Ctrl-C is pressed (their one tick is
# 100 s away), so no line of theirs can race with the echoed ^C.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

cat >"$tty_tmp/l.weft" <<'EOT'
# title: Two workers
say A process and a thread start, and the lesson waits for both.
spawn process p1 ticker 1 100000
spawn thread t1 ticker 1 100000
start p1 t1
join p1 t1
say This is never reached.
EOT

stopped="-- Ctrl-C: the lesson stops here"
weft_exe=$(readlink -f "$WEFT")

# tty_start waits for weft's first prompt, and auto mode shows none: that
# wait is made to succeed at once (this test waits for what it needs).
tty_wait_last() { :; }

# The pids of this test's weft processes still there: weft, or a worker
# it forked (same binary, and this test's own XDG_STATE_HOME).
left() {
	for d in /proc/[0-9]*; do
		[ "$(readlink "$d/exe" 2>/dev/null)" = "$weft_exe" ] || continue
		tr '\0' '\n' 2>/dev/null <"$d/environ" |
			grep -q -x -F "XDG_STATE_HOME=$XDG_STATE_HOME" &&
			echo "${d#/proc/}"
	done
}

# after_ctrl_c: the screen's lines from the one that holds ^C to EXIT=.
after_ctrl_c() {
	tty_all | awk '/\^C/ { on = 1 } on { print } /^EXIT=/ { exit }'
}

# check_end WORKERS...: after Ctrl-C, the ^C alone on its line, then the
# lesson's last word, then (in any order) what ended the named workers,
# then EXIT=130; and no process of weft's is left.
check_end() {
	tty_wait_for "EXIT=" || tty_fail "weft did not end on Ctrl-C"
	[ "$(tty_all | grep -c -F '^C')" -eq 1 ] ||
		tty_fail "not one ^C on the screen"
	after_ctrl_c >"$tty_tmp/got"
	sed -n 1p "$tty_tmp/got" | grep -q -x -F '^C' ||
		tty_fail "the echoed ^C does not stand on a line of its own"
	sed -n 2p "$tty_tmp/got" | grep -q -x -F -e "$stopped" ||
		tty_fail "the line after ^C is not '$stopped'"
	sed -n '$p' "$tty_tmp/got" | grep -q -x -F "EXIT=130" ||
		tty_fail "weft did not exit with 130 (128 + SIGINT)"
	# The lines in between, sorted: the workers end in either order.
	sed '1,2d;$d' "$tty_tmp/got" | sort >"$tty_tmp/mid"
	: >"$tty_tmp/want"
	[ $# -eq 0 ] || printf '%s\n' "$@" | sort >"$tty_tmp/want"
	cmp -s "$tty_tmp/want" "$tty_tmp/mid" || {
		echo "wanted, in any order:" >&2
		sed 's/^/  /' "$tty_tmp/want" >&2
		tty_fail "the lines between the lesson's end and EXIT= differ"
	}
	tty_has "This is never reached." &&
		tty_fail "the lesson went on after Ctrl-C"
	l=$(left)
	[ -z "$l" ] || tty_fail "weft's processes are left after it ended: $l"
}

# 1. Ctrl-C while the lesson's join waits for a process and a thread.
tty_start --no-time --lesson "$tty_tmp/l.weft" --mode auto --delay 100
tty_wait_for "== Two workers" || tty_fail "no title"
tty_wait_for "weft> join p1 t1" || tty_fail "the lesson did not reach its join"
p1=$(tty_all | sed -n 's/^p1: started (process, pid \([0-9][0-9]*\),.*/\1/p')
[ -n "$p1" ] || tty_fail "no 'p1: started (process, pid N' line"
tty_has "t1: started (thread," || tty_fail "t1 did not start"
tty_has " | tick" && tty_fail "a worker printed: its line may race with ^C"
tty_keys C-c
check_end "main: stopped waiting; still running: 'p1', 't1'" \
	"p1: killed by signal 9 (Killed)" "t1: killed (cancelled)"
# At once: an init that reaps orphans later must not hide a zombie.
[ -d "/proc/$p1" ] && tty_fail "p1 (pid $p1) outlived weft"

# 2. Ctrl-C in the delay before the first item: nothing has run yet.
tty_tmux kill-session -t "$tty_target" || tty_fail "cannot end the first session"
rm -f "$tty_pidfile"
tty_start --no-time --lesson "$tty_tmp/l.weft" --mode auto --delay 60000
tty_wait_for "== Two workers" || tty_fail "no title"
tty_keys C-c
check_end
tty_has "weft> " && tty_fail "a command ran after Ctrl-C in the delay"

# 3. The same for a plain script on a terminal: no lesson, but the ^C
# stands alone all the same, and the script goes no further.
tty_tmux kill-session -t "$tty_target" || tty_fail "cannot end the second session"
rm -f "$tty_pidfile"
cat >"$tty_tmp/s.weft" <<'EOT'
task idle {
    sleep 60000
}
spawn thread t1 idle
start t1
join t1
spawn thread never idle
EOT
tty_start --no-time "$tty_tmp/s.weft"
tty_wait_for "t1: started (thread," || tty_fail "the script's t1 did not start"
tty_keys C-c
tty_wait_for "EXIT=" || tty_fail "weft did not end on Ctrl-C in a script"
after_ctrl_c >"$tty_tmp/got"
sed -n 1p "$tty_tmp/got" | grep -q -x -F '^C' ||
	tty_fail "in a script, the echoed ^C does not stand on a line of its own"
sed -n 2p "$tty_tmp/got" | grep -q -x -F "main: stopped waiting; still running: 't1'" ||
	tty_fail "in a script, the line after ^C is not the join's"
sed -n '$p' "$tty_tmp/got" | grep -q -x -F "EXIT=130" ||
	tty_fail "the script did not exit with 130"
l=$(left)
[ -z "$l" ] || tty_fail "weft's processes are left after the script: $l"
tty_pass
