#!/bin/sh
# python-spin-stop.sh: a Python thread whose loop is all on one line
# ("while True: pass") reaches no next line, where a worker asked to stop
# leaves; kill, reset and quit stop it all the same, at once, without
# waiting or saying that it did not stop. (Each run is cut at 20 s: the
# kill hung there, and reset and quit gave up on it.)
# Skipped when weft was built without Python.
. "${TESTS_SRCDIR:-${0%/*}}/python-lib.sh"

# spin NAME STOP...: a thread t spinning, then the lines STOP.
spin() {
	name=$1
	shift
	{
		printf 'import threading\n'
		printf 'def spin():\n    while True: pass\n\n'
		printf 't = threading.Thread(target=spin)\n'
		printf 't.start()\n'
		printf '%s\n' "$@"
	} >"$tmp/in"
	timeout 20 "$WEFT" --no-time <"$tmp/in" >"$tmp/out" 2>&1
	st=$?
	if [ "$st" -ne 0 ]; then
		echo "FAIL: $name: status $st, not 0"
		cat "$tmp/out"
		fail=1
	fi
}

spin kill "kill t" "print(t.is_alive())"
has kill "t: killed (cancelled)" "main | False"

spin reset "reset" "ps"
has reset "t: killed (cancelled)"
hasnt reset "did not stop"

spin quit "quit"
has quit "t: killed (cancelled)"
hasnt quit "did not stop"

exit "$fail"
