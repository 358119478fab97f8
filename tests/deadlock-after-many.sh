#!/bin/sh
# deadlock-after-many.sh: the wait-for graph still finds a deadlock once
# joined workers have been forgotten and their gates reused. 600 thread
# workers run one after another (spawn, start, join), far past the 512 at
# which the registry first forgets the oldest joined ones, so a worker's
# gate is no longer its place in the registry; then two workers, stepped
# by hand, take two locks in opposite orders (as deadlock-two.weft does).
# weft says so, stops them at the end of the script and ends by itself
# with status 0 (a bound that only catches a hang, never a time measured).
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

{
	echo 'task quick { x = 1 }'
	awk 'BEGIN {
		for (i = 1; i <= 600; i++)
			printf "spawn thread w%d quick\nstart w%d\njoin w%d\n", i, i, i
	}'
	cat <<'EOT'
task ab { lock m1; lock m2; print "ab has both"; unlock m2; unlock m1 }
task ba { lock m2; lock m1; print "ba has both"; unlock m1; unlock m2 }
sched step
spawn thread t1 ab
spawn process t2 ba
start t1 t2
step t1
step t2
locks
EOT
} >"$tmp/script.weft"

# SIGTERM first: weft ends its workers then; SIGKILL only if it is deaf.
timeout -k 10 60 "$WEFT" --no-time "$tmp/script.weft" >"$tmp/out" 2>&1
status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "FAIL: weft did not end by itself (stopped after 60 s):"
	grep -v '^w[0-9]*[:|]\|^main: joined w' "$tmp/out" | tail -8
	exit 1
fi
if [ "$status" != 0 ]; then
	echo "FAIL: weft exited with $status"
	fail=1
fi
want='deadlock: t1 waits for m2 held by t2; t2 waits for m1 held by t1'
if ! grep -qxF "$want" "$tmp/out"; then
	echo "FAIL: no line '$want'; weft printed:"
	grep -v '^w[0-9]*[:|]\|^main: joined w' "$tmp/out" | tail -8
	fail=1
fi
exit $fail
