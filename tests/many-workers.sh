#!/bin/sh
# many-workers.sh: joined workers free their places. 20,000 thread
# workers and then 2,000 process workers run one after another (spawn,
# start, join), far past the 4096 workers alive at once, and weft ends
# with status 0; its resident memory at the end is not much more than
# after the first 1,000 (a loose bound, never a time); ps says how many
# joined workers it no longer shows, and still shows the latest.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0

# workers KIND FIRST LAST: the commands that run them, one at a time.
workers() {
	awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN {
		for (i = a; i <= b; i++)
			printf "spawn %s w%d quick\nstart w%d\njoin w%d\n", k, i, i, i
	}'
}

# mark N: a line weft answers once it has run every command before it.
mark() {
	printf 'set mark = %d\nvars\n' "$1"
}

# wait_mark N: waits until weft has answered mark N (or has ended).
wait_mark() {
	while ! grep -q "^mark = $1\$" "$tmp/out"; do
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
}

rss() {
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status"
}

mkfifo "$tmp/in" || exit 99
"$WEFT" --no-time <"$tmp/in" >"$tmp/out" 2>&1 &
pid=$!
exec 3>"$tmp/in"
{
	echo 'task quick { x = 1 }'
	workers thread 1 1000
	mark 1
} >&3
wait_mark 1 || { echo "FAIL: weft ended early:"; tail -5 "$tmp/out"; exit 1; }
first=$(rss)
{
	workers thread 1001 20000
	workers process 20001 22000
	mark 2
	echo 'ps'
} >&3
wait_mark 2 || { echo "FAIL: weft ended early:"; tail -5 "$tmp/out"; exit 1; }
last=$(rss)
exec 3>&-
wait "$pid"
status=$?
pid=
if [ "$status" != 0 ]; then
	echo "FAIL: weft exited with $status:"
	grep -v '^w[0-9]*[:|]\|^main: joined' "$tmp/out" | tail -5
	fail=1
fi
# Twice as much, and 8 MiB more for the trace, which grows by some 200
# bytes a worker up to its own cap (200,000 events); a worker kept for
# good would take over 1,300 bytes more each, 28 MB in all.
# (Not under a sanitizer: ASan keeps freed memory in quarantine.)
if [ -z "${WEFT_SANITIZED:-}" ] && [ "$last" -gt $((first * 2 + 8192)) ]; then
	echo "FAIL: resident memory grew from ${first} kB (1,000 workers) to ${last} kB (22,000)"
	fail=1
fi
grep -q '^\.\.\. and [0-9]* joined workers not shown$' "$tmp/out" || {
	echo "FAIL: ps does not say what it leaves out"
	fail=1
}
grep -q '^w21999  *process  *joined ' "$tmp/out" || {
	echo "FAIL: ps does not show the latest joined workers:"
	tail -3 "$tmp/out"
	fail=1
}
echo "resident memory: $first kB after 1,000 workers, $last kB after 22,000"
exit $fail
