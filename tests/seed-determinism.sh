#!/bin/sh
# seed-determinism.sh: a seeded script prints the same bytes on every run,
# step numbers included, and the same whether its workers are threads or
# processes (but for the kind named in "started" lines); another seed
# gives another interleaving. (t0 ends right after a print: where its
# end falls must not depend on when the OS reports it.)
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# script KIND SEED: a script whose workers print, count under a lock and
# sleep, so every kind of step is in the interleaving.
script() {
	cat <<EOT
sched seed $2
task both(n) {
    for i in 1..n {
        lock m
        incr x
        unlock m
        print "x is now" x
    }
}
task once {
    print "once"
}
shared x = 0
spawn $1 t0 once
spawn $1 t1 print_numbers
spawn $1 t2 print_letters
spawn $1 t3 both 3
spawn $1 t4 ticker 3 5
start t0 t1 t2 t3 t4
join all
vars
EOT
}

run() {
	script "$1" "$2" >"$tmp/script"
	"$WEFT" "$tmp/script" >"$tmp/$3" 2>&1 || {
		echo "FAIL: weft exited with $? for $1 seed $2:"
		cat "$tmp/$3"
		exit 1
	}
}

run thread 7 a
run thread 7 b
run process 7 c
run process 7 d
run thread 8 e
if ! grep -q '^\[#[0-9]\{4\}\] t3 | x is now 3$' "$tmp/a"; then
	echo "FAIL: no step-numbered output in:"
	cat "$tmp/a"
	exit 1
fi
if ! cmp -s "$tmp/a" "$tmp/b"; then
	echo "FAIL: two runs of seed 7 with threads differ:"
	diff "$tmp/a" "$tmp/b"
	exit 1
fi
if ! cmp -s "$tmp/c" "$tmp/d"; then
	echo "FAIL: two runs of seed 7 with processes differ:"
	diff "$tmp/c" "$tmp/d"
	exit 1
fi
sed 's/: started (process)$/: started (thread)/' "$tmp/c" >"$tmp/c2"
if ! cmp -s "$tmp/a" "$tmp/c2"; then
	echo "FAIL: seed 7 interleaves threads and processes differently:"
	diff "$tmp/a" "$tmp/c2"
	exit 1
fi
if cmp -s "$tmp/a" "$tmp/e"; then
	echo "FAIL: seeds 7 and 8 gave the same interleaving:"
	cat "$tmp/a"
	exit 1
fi
exit 0
