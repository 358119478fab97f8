#!/bin/sh
# sync-seed.sh: under sched seed, scripts with semaphores, conditions,
# barriers and queues print the same bytes on every run and the same with
# threads as with processes (but for the kind named in "started" lines):
# a bounded buffer with 2 producers and 2 consumers, and the two-consumer
# bug of a condition tested with `if` instead of `while` (a consumer woken
# finds the buffer emptied by the other). Another seed gives another
# interleaving.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# pc KIND SEED: producers and consumers through a queue of 2, with a
# semaphore and a barrier on the way.
pc() {
	cat <<EOT
sched seed $2
queue q 2
semaphore done 0
barrier meet 4
shared total = 0
task producer(base) {
    for i in 1..4 {
        put q base + i
    }
    wait meet
}
task consumer(name) {
    repeat 4 {
        get q v
        print name "got" v
        lock m
        total += v
        unlock m
    }
    wait meet
    signal done
}
spawn $1 p1 producer 10
spawn $1 p2 producer 20
spawn $1 c1 consumer c1
spawn $1 c2 consumer c2
start p1 p2 c1 c2
join all
sync
vars
EOT
}

# cv KIND SEED: OSTEP's main-two-cvs-if: two consumers wait with `if`,
# not `while`; one producer fills one slot and notifies.
cv() {
	cat <<EOT
sched seed $2
condition fill m
shared count = 0
shared got = 0
task producer {
    repeat 2 {
        lock m
        count = count + 1
        notify fill
        unlock m
    }
}
task consumer(name) {
    lock m
    if count == 0 {
        wait fill
    }
    count = count - 1
    print name "took one, count is now" count
    unlock m
}
spawn $1 c1 consumer c1
spawn $1 c2 consumer c2
spawn $1 p producer
start c1 c2 p
join all
vars
EOT
}

run() { # SCRIPT KIND SEED OUT
	"$1" "$2" "$3" >"$tmp/script"
	"$WEFT" "$tmp/script" >"$tmp/$4" 2>&1 || {
		echo "FAIL: weft exited with $? for $1 $2 seed $3:"
		cat "$tmp/$4"
		exit 1
	}
	sed 's/(thread)/(KIND)/; s/(process)/(KIND)/' "$tmp/$4" >"$tmp/$4.k"
}

same() { # A B WHAT
	if ! cmp -s "$tmp/$1.k" "$tmp/$2.k"; then
		echo "FAIL: $3 differ:"
		diff "$tmp/$1.k" "$tmp/$2.k"
		exit 1
	fi
}

for script in pc cv; do
	run $script thread 5 a
	run $script thread 5 b
	run $script process 5 c
	run $script process 5 d
	same a b "two runs of $script seed 5 with threads"
	same c d "two runs of $script seed 5 with processes"
	same a c "$script seed 5 with threads and with processes"
done

# Every value went through the queue once: 4 x (10+20) + 2 x (1+2+3+4).
run pc thread 5 a
if ! grep -q '^total = 140 (shared)$' "$tmp/a"; then
	echo "FAIL: the values through the queue do not add up:"
	cat "$tmp/a"
	exit 1
fi
# Some seed shows the bug: a consumer woken by a notify finds the count
# taken by the other and drives it below zero.
for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	run cv thread $seed e
	if grep -q 'count is now -1' "$tmp/e"; then
		exit 0
	fi
done
echo "FAIL: no seed from 1 to 16 shows the if-instead-of-while bug"
cat "$tmp/e"
exit 1
