#!/bin/sh
# python-flood.sh: a Python thread printing as fast as it can fills its
# event ring and waits for room. It must not wait holding CPython's GIL:
# weft's main loop, which makes the room, takes the GIL to ask Python
# about a line typed meanwhile (is it Python?) and to stop the thread at
# kill. With a long switch interval (the thread keeps the GIL half a
# second) and weft's output read late, both hung for good. Each run is
# cut at 60 s.
# Skipped when weft was built without Python.
. "${TESTS_SRCDIR:-${0%/*}}/python-lib.sh"

# flood NAME LINE...: a thread t printing for ever, then the LINEs, with
# weft's output read only after 2 s.
flood() {
	name=$1
	shift
	{
		printf 'import sys, threading\n'
		printf 'sys.setswitchinterval(0.5)\n'
		printf 'def f():\n    while True: print(1)\n\n'
		printf 't = threading.Thread(target=f)\n'
		printf 't.start()\n'
		printf 'sleep 200\n'
		printf '%s\n' "$@"
		printf 'ps\n'
	} >"$tmp/in"
	timeout 60 sh -c '"$1" --no-time --keep-going <"$2" 2>&1 | { sleep 2; cat; } >"$3"' \
		sh "$WEFT" "$tmp/in" "$tmp/out" 2>&1
	st=$?
	if [ "$st" -ne 0 ]; then
		echo "FAIL: $name: status $st, not 0"
		tail -5 "$tmp/out"
		fail=1
	elif ! grep -Eq '^t +thread +killed ' "$tmp/out"; then
		echo "FAIL: $name: t was not killed"
		tail -5 "$tmp/out"
		fail=1
	fi
}

flood "a Python line, then kill" "x = 5" "kill t"
flood "kill" "kill t"
flood "a lone name, then kill" "x" "kill t"
exit $fail
