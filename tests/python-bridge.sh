#!/bin/sh
# python-bridge.sh: the Python tutorial's two examples, pasted line by
# line in its own syntax to the one-line bridge (--bridge), give the very
# same trace as the native commands they stand for (under one seed, so
# the interleaving is the same); the attributes print as Python's REPL
# shows them.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/py.weft" <<'EOT'
import threading
import multiprocessing
thread1 = threading.Thread(target=print_numbers)
thread2 = threading.Thread(target=print_letters)
thread1.start()
thread2.start()
thread1.join()
thread2.join()
if __name__ == "__main__":
    process1 = multiprocessing.Process(target=print_numbers)
    process2 = multiprocessing.Process(target=print_letters)
    process1.start()
    process2.start()
    process1.join()
    process2.join()
t3 = Thread(target=ticker, args=(2, 0))
t3.start()
t3.join(2.5)
EOT
cat >"$tmp/native.weft" <<'EOT'
spawn thread thread1 print_numbers
spawn thread thread2 print_letters
start thread1
start thread2
join thread1
join thread2
spawn process process1 print_numbers
spawn process process2 print_letters
start process1
start process2
join process1
join process2
spawn thread t3 ticker 2 0
start t3
join t3 --timeout 2500
EOT
for s in py native; do
	if ! "$WEFT" --bridge --seed 5 "$tmp/$s.weft" >"$tmp/$s.out" 2>&1; then
		echo "FAIL: $s.weft failed:"
		cat "$tmp/$s.out"
		exit 1
	fi
done
if ! cmp -s "$tmp/py.out" "$tmp/native.out"; then
	echo "FAIL: the Python lines and the native commands trace differently:"
	diff "$tmp/native.out" "$tmp/py.out"
	exit 1
fi
grep -q '^\[#[0-9]*\] process2 | e$' "$tmp/py.out" || {
	echo "FAIL: no output from the processes:"
	cat "$tmp/py.out"
	exit 1
}

printf '%s\n' 'set x = 0' \
	'p1 = multiprocessing.Process(target=count, args=(3,))' \
	'p1.pid' 'p1.is_alive()' 'p1.exitcode' 'p1.start()' 'p1.join()' \
	'p1.is_alive()' 'p1.exitcode' 'p1.name' 'print(p1.exitcode)' \
	>"$tmp/attr.weft"
"$WEFT" --bridge --no-time "$tmp/attr.weft" 2>&1 | grep -v ': started\|: finished\|joined' >"$tmp/attr.out"
printf '%s\n' None False None False 0 "'p1'" 0 >"$tmp/attr.want"
if ! cmp -s "$tmp/attr.out" "$tmp/attr.want"; then
	echo "FAIL: attributes:"
	diff "$tmp/attr.want" "$tmp/attr.out"
	exit 1
fi
exit 0
