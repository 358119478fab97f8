#!/bin/sh
# faults.sh: part of the fault matrix. A worker printing a line of over a
# megabyte (a thread and a process) is delivered whole, once; 10,000
# commands pasted at once all run, in order; NUL bytes and invalid UTF-8
# in the input get one clear error each and weft goes on; a thread and a
# process in endless loops are stopped by kill, and nothing is left.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# A 60,000-byte word printed 18 times on one line: 1,080,017 bytes.
word=$(printf '%60000s' '' | tr ' ' 'y')
{
	printf 'task big(s) {\n    print s s s s s s s s s s s s s s s s s s\n}\n'
	printf 'spawn thread b1 big %s\nstart b1\njoin b1\n' "$word"
	printf 'spawn process b2 big %s\nstart b2\njoin b2\n' "$word"
} >"$tmp/big.weft"
"$WEFT" --no-time "$tmp/big.weft" >"$tmp/big.out" 2>&1 || {
	echo "FAIL: the big lines: weft exited with $?"
	fail=1
}
for w in b1 b2; do
	n=$(awk -v w="$w" '$1 == w && $2 == "|" { print length($0) }' "$tmp/big.out")
	if [ "$n" != 1080022 ]; then
		echo "FAIL: $w's megabyte line came out as '$n' bytes"
		fail=1
	fi
done

# 10,000 commands at once, through a pipe.
i=0
while [ $i -lt 10000 ]; do
	echo "set x = $i"
	i=$((i + 1))
done >"$tmp/many.weft"
echo vars >>"$tmp/many.weft"
out=$("$WEFT" --no-time <"$tmp/many.weft" 2>&1)
if [ "$out" != "x = 9999" ]; then
	echo "FAIL: 10,000 commands: '$out'"
	fail=1
fi

# NUL bytes and invalid UTF-8: an error each, and the next line runs.
printf 'set x = 1\nse\000t y = 2\nfoo\377\376 x\nvars\n' >"$tmp/bad.weft"
"$WEFT" --no-time --keep-going "$tmp/bad.weft" >"$tmp/bad.out" 2>&1
st=$?
if [ $st != 1 ] || [ "$(grep -c 'error:' "$tmp/bad.out")" != 2 ] ||
	! grep -q 'NUL byte' "$tmp/bad.out" ||
	[ "$(tail -n 1 "$tmp/bad.out")" != "x = 1" ]; then
	echo "FAIL: bad bytes (status $st):"
	cat "$tmp/bad.out"
	fail=1
fi

# Endless loops: kill stops a thread (cancelled) and a process (a signal).
"$WEFT" --no-time -c 'task spin { while 1 { yield } }
spawn thread t1 spin; spawn process p1 spin; start t1 p1; sleep 50
kill t1; kill p1 KILL; join t1 p1' >"$tmp/spin.out" 2>&1
if [ $? != 0 ] || ! grep -q '^t1: killed (cancelled)$' "$tmp/spin.out" ||
	! grep -q '^p1: killed by signal 9 (Killed)$' "$tmp/spin.out"; then
	echo "FAIL: endless loops:"
	cat "$tmp/spin.out"
	fail=1
fi
pid=$(sed -n 's/^p1: started (process, pid \([0-9]*\),.*/\1/p' "$tmp/spin.out")
if [ -n "$pid" ] && [ -e "/proc/$pid" ]; then
	echo "FAIL: the process worker $pid is still there"
	fail=1
fi
exit $fail
