#!/bin/sh
# spawner-kill.sh: the spawner (src/spawner.c) dying or stopping at any
# moment costs no worker a double start, leaves no child untracked and
# never makes weft deaf to signals.
#  1. While a script runs SPAWNER_KILL_N (800) process workers one after
#     another, each adding one to a shared counter under a lock, a loop
#     kills the spawner (SIGKILL) every few milliseconds. The counter ends
#     exact, each worker has one "started" line, no error is printed, and
#     once the last is joined weft has no child but a live spawner: no
#     zombie, no stray worker. Then weft ends with status 0.
#  2. The spawner stopped (SIGSTOP), a process start waits on it: SIGTERM
#     ends weft within a few seconds, with status 143, every worker gone.
# Both are skipped where there is no spawner (no tid address: weft forks
# its workers itself).

name=spawner-kill
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

if ! tid_address; then
	echo "$me: SKIP: the kernel does not tell a tid address:" \
		"weft forks its workers itself"
	exit 77
fi
# Fewer under a sanitizer, whose every process start is many times slower
# (a hang guard below, not a timing test).
if [ -n "${WEFT_SANITIZED:-}" ]; then
	n=${SPAWNER_KILL_N:-300}
else
	n=${SPAWNER_KILL_N:-800}
fi
fail_lines=20 # thousands of lines otherwise

# spawner PID: the spawner of weft PID, the child that leads its own
# process group (its workers are in that group, not leaders).
spawner() {
	for c in $(children_of "$1"); do
		[ "$(proc_pgid "$c")" = "$c" ] && echo "$c"
	done
}

# killer PID: kills weft PID's spawner every few ms until $tmp/stop exists
# or weft is gone. The test's end kills it too.
kpid=
trap 'rc=$?; [ -n "$kpid" ] && kill "$kpid" 2>/dev/null; (exit $rc); cleanup' EXIT
killer() {
	while [ ! -e "$tmp/stop" ] && [ -d "/proc/$1" ]; do
		for c in $(spawner "$1"); do
			kill -KILL "$c" 2>/dev/null
		done
		sleep 0.002
	done
}

# strays PID: weft PID's children that are not a live spawner.
strays() {
	for c in $(children_of "$1"); do
		[ "$(proc_pgid "$c")" = "$c" ] && [ "$(proc_state "$c")" != Z ] ||
			echo "$c ($(proc_state "$c"))"
	done
}
no_strays() { [ -z "$(strays "$1")" ]; }

# start_weft: weft in the background reading from the FIFO $tmp/in, which
# fd 3 holds open.
start_weft() {
	rm -f "$tmp/in" "$tmp/out" "$tmp/err"
	mkfifo "$tmp/in" || fail "cannot make a FIFO"
	"$WEFT" --no-time <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/in"
}

# first_worker: starts p0, a ticker, and skips the test when p0 leads its
# own process group: then weft forked it itself (the spawner's clone is
# refused here, by a seccomp filter say), and the killer would kill it.
first_worker() {
	printf '%s\n' "spawn process p0 ticker 1000 100" "start p0" >&3
	poll 10 ticked p0 1 || fail "p0 does not tick"
	p0=$(pid_of p0)
	if [ "$(proc_pgid "$p0")" = "$p0" ]; then
		echo "$me: SKIP: weft forks its workers itself here"
		exit 77
	fi
}

# 1. The spawner killed in a loop.
label="[killed in a loop] "
{
	echo "shared c = 0"
	echo "task s { lock m; incr c; unlock m }"
	echo "kill p0; join p0"
	i=1
	while [ "$i" -le "$n" ]; do
		echo "spawn process p$i s; start p$i; join p$i"
		i=$((i + 1))
	done
	echo vars
} >"$tmp/s.weft"
start_weft
first_worker
killer "$pid" &
kpid=$!
cat "$tmp/s.weft" >&3
poll 300 has "c = " || fail "the script did not end within 300 s"
touch "$tmp/stop"
wait "$kpid"
kpid=
grep -q -x "c = $n (shared)" "$tmp/out" ||
	fail "the counter is not $n: $(grep '^c = ' "$tmp/out")"
twice=$(sed -n 's/^\(p[0-9]*\): started .*/\1/p' "$tmp/out" | sort | uniq -d)
[ -z "$twice" ] || fail "started twice: $twice"
[ -s "$tmp/err" ] && fail "weft printed errors"
poll 5 no_strays "$pid" || fail "children of weft left: $(strays "$pid")"
exec 3>&-
wait_weft
[ "$rc" -eq 0 ] || fail "weft exited with $rc, not 0"
echo "$me: $n workers, the spawner killed in a loop: the counter exact," \
	"no double start, no stray child"

# 2. SIGTERM while a start waits on a stopped spawner.
label="[stopped spawner] "
start_weft
first_worker
sp=$(proc_pgid "$p0")
kill -STOP "$sp" || fail "cannot stop the spawner $sp"
printf '%s\n' "spawn process p1 print_numbers" "start p1" >&3
sleep 0.5 # weft waits on the spawner now
kill -TERM "$pid" || fail "cannot send SIGTERM to weft"
poll 5 ended "$pid" || fail "weft did not end on SIGTERM within 5 s"
wait_weft
[ "$rc" -eq 143 ] || fail "weft exited with $rc, not 143"
[ -d "/proc/$p0" ] && fail "p0 (pid $p0) outlived weft: $(proc_state "$p0")"
exec 3>&-
echo "$me: PASS"
exit 0
