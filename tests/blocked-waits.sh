#!/bin/sh
# blocked-waits.sh: nothing weft's main thread waits on outside its poll
# loop may make it deaf to signals or hang it. A FIFO where a file was
# expected (source, record, export, a lesson) is refused at once; a FIFO
# as the script is read as a pipe, and SIGTERM ends weft while it waits
# for a writer; a stdout reader that stops reading does not stop SIGTERM
# or SIGHUP from ending weft with 128+N, every worker stopped and reaped;
# a process stopped by SIGSTOP at the end of a script is named and
# stopped, not waited for. Every wait is bounded: a hang fails the test.

name=blocked-waits
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

mkfifo "$tmp/f" "$tmp/f.json" || fail "cannot make a FIFO"

# refused COMMAND ERROR: weft -c COMMAND ends by itself with status 1 and
# the error line ERROR (SIGTERM ends it too, should it wait).
refused() {
	label="[$1] "
	"$WEFT" -c "$1" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	if ! poll 5 ended "$pid"; then
		kill -TERM "$pid"
		poll 5 ended "$pid" || fail "weft is deaf to SIGTERM"
		fail "weft waited on the FIFO"
	fi
	wait_weft
	[ "$rc" = 1 ] || fail "exit status $rc, not 1"
	[ "$(cat "$tmp/err")" = "$2" ] || fail "stderr is not '$2'"
}
refused "source $tmp/f" "error: cannot open '$tmp/f': not a regular file"
refused "lesson $tmp/f" "error: no lesson '$tmp/f' (lesson lists them)"
refused "record $tmp/f" "error: cannot record to $tmp/f: not a regular file"
refused "export $tmp/f.json" \
	"error: cannot write '$tmp/f.json': not a regular file"

# term_ends STATUS: SIGTERM makes weft ($pid) end with STATUS.
term_ends() {
	kill -TERM "$pid" || fail "cannot send SIGTERM"
	poll 10 ended "$pid" || fail "weft is deaf to SIGTERM"
	wait "$pid"
	rc=$?
	pid=
	[ "$rc" = "$1" ] || fail "exit status $rc, not $1"
}

# The script is a FIFO nobody writes to yet.
label="[weft FIFO] "
"$WEFT" "$tmp/f" >"$tmp/out" 2>"$tmp/err" &
pid=$!
opened() { ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "$tmp/f"; }
poll 10 opened ||
	fail "weft never opened the FIFO"
term_ends 143

# children PID: the pids of PID's children.
children() {
	for st in /proc/[0-9]*/stat; do
		p=${st#/proc/}
		p=${p%/stat}
		[ "$(proc_ppid "$p")" = "$1" ] && echo "$p"
	done
}
# has_children: weft ($pid) has a child (a command substitution given to
# poll would be read once, not at each try).
has_children() { [ -n "$(children "$pid")" ]; }

# stalled SIGNAL STATUS: weft's output fills a pipe nobody reads; SIGNAL
# must end it with STATUS and leave none of its children behind.
stalled() {
	label="[stalled stdout, SIG$1] "
	rm -f "$tmp/ready" "$tmp/status"
	{
		sh -c 'echo $$ >"$0"; exec "$1" --no-time -c "$2"' "$tmp/pid" \
			"$WEFT" 'spawn process p1 ticker 100000000 0
spawn thread t1 ticker 100000000 0; start p1 t1; join all' 2>"$tmp/err"
		echo $? >"$tmp/status"
	} | { head -c 1 >/dev/null; : >"$tmp/ready"; sleep 30; } &
	reader=$!
	poll 10 test -f "$tmp/ready" || fail "no output"
	pid=$(cat "$tmp/pid")
	poll 10 has_children || fail "no worker process"
	kids=$(children "$pid")
	sleep 1 # the 64 KB pipe fills in far less
	kill -"$1" "$pid" || fail "cannot send SIG$1"
	poll 10 test -s "$tmp/status" || fail "weft is deaf to SIG$1"
	[ "$(cat "$tmp/status")" = "$2" ] ||
		fail "exit status $(cat "$tmp/status"), not $2"
	for k in $kids; do
		[ -d "/proc/$k" ] && fail "child $k outlived weft"
	done
	pid=
	kill "$reader" 2>/dev/null
	wait "$reader" 2>/dev/null
}
stalled TERM 143
stalled HUP 129

# A process stopped by SIGSTOP at the end of a script: named and stopped.
label="[stopped at the end] "
"$WEFT" --no-time -c 'spawn process p1 ticker 1000 100; start p1
kill p1 STOP' >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_weft
has "main: 'p1' can never end by itself ('p1' is stopped by a signal; kill p1 CONT continues it); stopping it" ||
	fail "the stopped p1 was not named"
has "p1: killed by signal 9 (Killed)" || fail "p1 was not stopped"
echo "$me: PASS"
exit 0
