#!/bin/sh
# signals.sh: SIGTERM and SIGHUP end weft in order, with no terminal.
# weft reads its commands from a FIFO the test holds open, so it would wait
# for more; a process worker and a thread worker run long tickers. The
# signal, sent to weft's own pid, must make it stop both workers itself
# (their "killed" lines are printed: a weft killed outright by the signal
# would print nothing, though the shell would report the same 128+N), reap
# the process, and exit with 128 + the signal number: 143 and 129.

name=signals
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

# check SIGNAL STATUS
check() {
	sig=$1
	label="[$sig] "
	want=$2
	rm -f "$tmp/in" "$tmp/out" "$tmp/err"
	mkfifo "$tmp/in" || fail "cannot make a FIFO"
	# A simple command run in the background: $! is weft itself.
	"$WEFT" --no-time <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/in"
	printf '%s\n' "spawn process p1 ticker 1000 100" \
		"spawn thread t1 ticker 1000 100" "start p1 t1" >&3
	poll 10 ticked p1 2 || fail "p1 does not tick"
	poll 10 ticked t1 2 || fail "t1 does not tick"
	[ "$(readlink "/proc/$pid/exe")" = "$(readlink -f "$WEFT")" ] ||
		fail "pid $pid is not weft but $(readlink "/proc/$pid/exe")"
	p1=$(sed -n 's/^p1: started (process, pid \([0-9][0-9]*\),.*/\1/p' "$tmp/out")
	[ -n "$p1" ] || fail "no 'p1: started (process, pid N' line"
	[ "$(proc_ppid "$p1")" = "$pid" ] || fail "p1 (pid $p1) is not weft's child"

	kill -"$sig" "$pid" || fail "cannot send SIG$sig to weft"
	poll 10 ended "$pid" || fail "weft did not end on SIG$sig"
	wait "$pid"
	rc=$?
	pid=
	exec 3>&-
	# At once: an init that reaps orphans later must not hide a zombie.
	if [ -d "/proc/$p1" ]; then
		fail "p1 (pid $p1) outlived weft: state $(proc_state "$p1")," \
			"parent $(proc_ppid "$p1")"
	fi
	has "p1: killed by signal 9 (Killed)" || fail "weft did not stop p1 itself"
	has "t1: killed (cancelled" || fail "weft did not stop t1 itself"
	[ "$rc" -eq "$want" ] || fail "weft exited with $rc, not $want"
	[ -s "$tmp/err" ] && fail "weft wrote to stderr"
	echo "$me: SIG$sig: exit $rc, workers stopped and reaped"
}

# ignored N: signal N was ignored when this shell started (as under nohup);
# weft then inherits that, and sh cannot undo it.
ignored() {
	mask=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$$/status")
	[ -n "$mask" ] && [ $((0x$mask >> ($1 - 1) & 1)) -eq 1 ]
}

checked=0
for case in "TERM 15 143" "HUP 1 129"; do
	set -- $case
	if ignored "$2"; then
		echo "$me: SIG$1 is ignored here (nohup?): not checked"
		continue
	fi
	check "$1" "$3"
	checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || exit 77
echo "$me: PASS"
exit 0
