#!/bin/sh
# ps-steps.sh: ps shows the steps a worker has taken so far, read from the
# count it publishes at its gate, not only from its output: a busy
# `while 1 { }` that prints nothing, thread or process, shows more than 0
# steps, and more later. A stepped Python thread (with Python built)
# shows exactly the steps it was given, those that printed counted once.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

printf '%s\n' 'task busy { while 1 { } }' 'spawn thread t busy' \
	'spawn process p busy' 'start t p' 'sleep 200' 'ps' 'sleep 200' 'ps' \
	'kill t' 'kill p' 'join t p' >s.weft
"$WEFT" --no-time s.weft >out 2>&1
# The STEPS column of each ps row of t and p, in order.
steps=$(awk '($1 == "t" || $1 == "p") && ($2 == "thread" || $2 == "process") {
	print $1, $6 }' out)
fail=0
for w in t p; do
	set -- $(printf '%s\n' "$steps" | awk -v w="$w" '$1 == w { print $2 }')
	if [ $# -ne 2 ] || [ "$1" -le 0 ] || [ "$2" -le "$1" ]; then
		echo "FAIL: $w's steps in ps: ${*:-none} (want > 0, then more)"
		fail=1
	fi
done
[ "$fail" = 0 ] || cat out

if "$WEFT" -c 'python -c 1' >/dev/null 2>&1; then
	printf '%s\n' 'import threading' 'def f():' '    for i in range(3):' \
		'        print(i)' '' 'sched step' \
		't = threading.Thread(target=f)' 't.start()' \
		'step t' 'ps' 'step t' 'ps' 'step t' 'ps' 'step t 2' 'ps' >py.weft
	"$WEFT" --no-time py.weft >out 2>&1
	got=$(awk '$1 == "t" && $2 == "thread" { print $6 }' out | tr '\n' ' ')
	if [ "$got" != "1 2 3 5 " ]; then
		echo "FAIL: a stepped Python thread's steps in ps: $got (want 1 2 3 5)"
		cat out
		fail=1
	fi
fi
exit $fail
