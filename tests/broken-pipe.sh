#!/bin/sh
# broken-pipe.sh: when the reader of weft's output goes away (weft | head),
# weft does not die of SIGPIPE in the middle of a write: it stops and reaps
# its workers and leaves with status 141 (128 + SIGPIPE), as a pipeline's
# writer does; no process worker outlives it.  p1 is started on its own
# first, so its "started" line (and pid) is among the first lines whatever
# the thread does.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

"$WEFT" --no-time -c 'spawn process p1 ticker 100000 1
spawn thread t1 ticker 1000000 0
start p1
start t1
join all' 2>"$tmp/err" | {
	head -n 20 >"$tmp/head"
	# keep the pipe open a little after head is done, then close it
	sleep 0.2
}
# POSIX sh has no PIPESTATUS: run again the same way, recording the status.
( "$WEFT" --no-time -c 'spawn process p1 ticker 100000 1
spawn thread t1 ticker 1000000 0
start p1
start t1
join all' 2>>"$tmp/err"; echo $? >"$tmp/status" ) | head -n 20 >/dev/null
status=$(cat "$tmp/status")
if [ "$status" != 141 ]; then
	echo "FAIL: weft exited with status $status, expected 141"
	cat "$tmp/err"
	exit 1
fi
if [ "$(wc -l <"$tmp/head")" -ne 20 ]; then
	echo "FAIL: expected 20 lines before the pipe closed"
	exit 1
fi
pid=$(sed -n 's/^p1: started (process, pid \([0-9]*\),.*/\1/p' "$tmp/head")
if [ -z "$pid" ]; then
	echo "FAIL: no pid for p1 in the output"
	cat "$tmp/head"
	exit 1
fi
if [ -e "/proc/$pid" ]; then
	echo "FAIL: process worker $pid outlived weft"
	exit 1
fi
if [ -s "$tmp/err" ]; then
	echo "FAIL: weft wrote to stderr:"
	cat "$tmp/err"
	exit 1
fi
exit 0
