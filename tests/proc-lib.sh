# proc-lib.sh: helpers for the tests that run weft in the background with
# no terminal (signals.sh, no-orphans.sh, fork-fail.sh, spawner.sh,
# spawner-kill.sh), sourced after the test sets `name` (for its temporary
# directory). weft's output goes to $tmp/out and $tmp/err; $pid is weft's
# pid once the test has started it; fd 3 may hold its input FIFO open.
# Whatever happens, weft is killed and $tmp removed.
# Set `label` to prefix failure messages (e.g. with the signal being tried).

me=${0##*/}
if [ -z "${WEFT:-}" ] || [ ! -x "$WEFT" ]; then
	echo "$me: FAIL: WEFT is not set to the weft binary" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-$name.XXXXXX") || exit 1
pid=
label=
cleanup() {
	rc=$?
	trap - EXIT HUP INT TERM
	trap '' PIPE
	exec 3>&-
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

# fail MESSAGE: says so, shows weft's output (its last $fail_lines lines
# when that is set), and exits 1.
fail() {
	echo "$me: FAIL: $label$*" >&2
	for f in out err; do
		[ -s "$tmp/$f" ] || continue
		echo "---- weft's std$f${fail_lines:+ (its last $fail_lines lines)} ----" >&2
		tail -n "${fail_lines:-+1}" "$tmp/$f" >&2
	done
	exit 1
}

# poll N CMD...: runs CMD every 0.1 s until it succeeds, at most N seconds.
poll() {
	tries=$(($1 * 10))
	shift
	while ! "$@"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

proc_state() {
	sed -n 's/.*) \(.\) .*/\1/p' "/proc/$1/stat" 2>/dev/null
}
proc_ppid() {
	sed -n 's/.*) . \([0-9]*\) .*/\1/p' "/proc/$1/stat" 2>/dev/null
}
ended() { [ ! -d "/proc/$1" ] || [ "$(proc_state "$1")" = Z ]; }

# wait_weft: waits (at most 20 s) for weft, started in the background as
# $pid, to end; its status is in $rc.
wait_weft() {
	poll 20 ended "$pid" || fail "weft did not end"
	wait "$pid"
	rc=$?
	pid=
}

# pid_of NAME: the pid from the "NAME: started (process, pid N" line.
pid_of() {
	sed -n "s/^$1: started (process, pid \([0-9][0-9]*\),.*/\1/p" "$tmp/out"
}
has() { grep -F -q -e "$1" "$tmp/out"; }
ticked() { grep -q "^$1 | tick $2\$" "$tmp/out"; }

# children_of PID: its children's pids, one a line.
children_of() {
	cat "/proc/$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep .
}
# proc_pgid PID: its process group.
proc_pgid() {
	sed -n 's/.*) . [0-9]* \([0-9]*\) .*/\1/p' "/proc/$1/stat" 2>/dev/null
}

# Can this kernel tell a thread's tid address (PR_GET_TID_ADDRESS, 40)?
# Without it there is no spawner (src/spawner.h): weft forks its workers.
tid_address() {
	python3 -c 'import ctypes, sys
p = ctypes.c_void_p()
sys.exit(ctypes.CDLL(None).prctl(40, ctypes.byref(p), 0, 0, 0) != 0)' \
		2>/dev/null
}
