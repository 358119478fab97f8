#!/bin/sh
# sync-stress.sh: 8 producers and 8 consumers, threads and processes
# mixed, pass 100,000 values through a queue of 4 in sched free: every
# value is received exactly once (their count and sum are checked), and
# nothing is left blocked or running at the end.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

per=12500 # values a producer puts: 8 x 12500 = 100,000
if [ -n "${WEFT_SANITIZED:-}" ]; then
	per=1250
fi
{
	echo "queue q 4"
	echo "shared count = 0"
	echo "shared sum = 0"
	echo "task producer(base) {"
	echo "    for i in 1..$per { put q base + i }"
	echo "}"
	echo "task consumer {"
	echo "    repeat $per {"
	echo "        get q v"
	echo "        lock m"
	echo "        count += 1"
	echo "        sum += v"
	echo "        unlock m"
	echo "    }"
	echo "}"
	i=0
	while [ $i -lt 8 ]; do
		kind=thread
		[ $((i % 2)) -eq 1 ] && kind=process
		echo "spawn $kind p$i producer $((i * 1000000))"
		echo "spawn $kind c$i consumer"
		i=$((i + 1))
	done
	echo "start all"
	echo "join all"
	echo "vars"
	echo "sync"
	echo "ps"
} >"$tmp/s.weft"

timeout -k 10 600 "$WEFT" --no-time "$tmp/s.weft" >"$tmp/out" 2>&1
st=$?
fail() {
	echo "FAIL: $*"
	tail -40 "$tmp/out"
	exit 1
}
[ $st -eq 0 ] || fail "weft exited with $st"
n=$((8 * per))
# sum of (k * 1000000 + i) for k in 0..7, i in 1..per
want_sum=$((per * 1000000 * 28 + 8 * per * (per + 1) / 2))
grep -q "^count = $n (shared)\$" "$tmp/out" || fail "count is not $n"
grep -q "^sum = $want_sum (shared)\$" "$tmp/out" || fail "sum is not $want_sum"
grep -q '^q: queue, 0 of 4: \[\]$' "$tmp/out" || fail "the queue is not empty, or has waiters"
if grep -q 'blocked\|running' "$tmp/out"; then
	fail "a worker is left blocked or running"
fi
n_joined=$(grep -c '^main: joined ' "$tmp/out")
[ "$n_joined" -eq 16 ] || fail "$n_joined of 16 workers joined"
exit 0
