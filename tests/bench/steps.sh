#!/bin/sh
# steps.sh: how many seeded steps weft hands out per second, beside two raw
# baselines measured in the same run.
#
# Usage: steps.sh WEFT PINGPONG [ROUNDS]
#
# In 'sched seed' weft's main loop grants one step at a time to a worker the
# PRNG picks; each step is a handoff main -> worker -> main. Two workers run
# 'repeat N { yield }' (2N + 1 steps each), once as threads and once as
# processes, and the whole run is timed by 'PINGPONG time' (start-up
# included; it is a few ms). The baselines make the same number of round
# trips with PINGPONG: two threads on a mutex and condvar, and two
# processes on two pipes, each round trip being two one-way handoffs (a
# signal or a byte there, and one back), as a weft step is. The four
# measurements alternate round by round, in a rotating order, and the
# table gives medians over the rounds and weft's ratio to each baseline.
# Then the same with the objects beyond the lock: two workers pass the turn
# through two semaphores ('signal a; wait b' against 'wait a; signal b'),
# seeded, so that half the grants end at a wait that blocks and weft must
# hold that worker until the other signals. Target: each step within 2x of
# a 'yield' step, as threads and as processes.
# Any failed run aborts the benchmark with a message and status 1.

set -u

ITERS=20000 # repeat count per worker
CHECK_ITERS=1000 # smaller run that checks the step count weft reports

me=steps.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 2 "WEFT PINGPONG [ROUNDS]" $#
WEFT=$1
PINGPONG=$2
ROUNDS=${3:-5}
check_rounds "$ROUNDS"
need_exec weft "$WEFT"
need_exec pingpong "$PINGPONG"

# Steps in one run: per worker, one for the repeat's first count and two
# per iteration (the count step and the yield).
steps_for() {
	echo $((2 * (2 * $1 + 1)))
}
STEPS=$(steps_for $ITERS)
# The semaphore run: per worker, the repeat's first count and three steps
# an iteration (count, signal, wait).
sem_steps_for() {
	echo $((2 * (3 * $1 + 1)))
}
SEM_ITERS=$((ITERS * 2 / 3))
SEM_STEPS=$(sem_steps_for $SEM_ITERS)

make_tmp

# write_script KIND ITERS [EXTRA]: the benchmark script for 'spawn KIND',
# with EXTRA as a last command.
write_script() {
	{
		echo "sched seed 1"
		echo "task spin(n) { repeat n { yield } }"
		echo "spawn $1 a spin $2"
		echo "spawn $1 b spin $2"
		echo "start a b"
		echo "join a b"
		if [ $# -gt 2 ]; then echo "$3"; fi
	} >"$tmp/$1-$2.weft" || die "cannot write to '$tmp'"
}

# write_sem_script KIND ITERS [EXTRA]: the semaphore ping-pong, seeded.
write_sem_script() {
	{
		echo "sched seed 1"
		echo "semaphore sa 0"
		echo "semaphore sb 0"
		echo "task ping(n) { repeat n { signal sa; wait sb } }"
		echo "task pong(n) { repeat n { wait sa; signal sb } }"
		echo "spawn $1 a ping $2"
		echo "spawn $1 b pong $2"
		echo "start a b"
		echo "join a b"
		if [ $# -gt 2 ]; then echo "$3"; fi
	} >"$tmp/sem-$1-$2.weft" || die "cannot write to '$tmp'"
}

# Check the step formula against weft's own count ('ps' STEPS column), so
# the rates below divide by the steps weft really took.
for kind in thread process; do
	write_script $kind $CHECK_ITERS ps
	write_sem_script $kind $CHECK_ITERS ps
	for f in $kind sem-$kind; do
		out=$("$WEFT" --no-time -q "$tmp/$f-$CHECK_ITERS.weft" </dev/null) ||
			die "weft failed on the step-count check ($f)"
		got=$(printf '%s\n' "$out" | awk '
			$1 == "NAME" { for (i = 1; i <= NF; i++) if ($i == "STEPS") col = i; next }
			col && ($1 == "a" || $1 == "b") { sum += $col; n++ }
			END { if (n == 2) print sum }')
		case $f in
		sem-*) want=$(sem_steps_for $CHECK_ITERS) ;;
		*) want=$(steps_for $CHECK_ITERS) ;;
		esac
		[ "$got" = "$want" ] ||
			die "weft took '$got' steps in $f where $want were expected"
	done
done
for kind in thread process; do
	write_script $kind $ITERS
	write_sem_script $kind $SEM_ITERS
done

# measure NAME: one run of NAME; records its rate (round trips, that is
# steps, per second) and prints its seconds.
measure() {
	case $1 in
	weft-threads) timed "$1" "$WEFT" --no-time -q "$tmp/thread-$ITERS.weft" ;;
	weft-processes)
		timed "$1" "$WEFT" --no-time -q "$tmp/process-$ITERS.weft" ;;
	weft-sem-threads | weft-sem-processes)
		case $1 in
		*threads) kind=thread ;;
		*) kind=process ;;
		esac
		timed "$1" "$WEFT" --no-time -q "$tmp/sem-$kind-$SEM_ITERS.weft"
		record "$1" "$(awk -v n="$SEM_STEPS" -v s="$secs" \
			'BEGIN { printf "%.1f\n", n / s }')"
		echo "$secs"
		return ;;
	condvar | pipe)
		out=$("$PINGPONG" "$1" $((2 * STEPS))) ||
			die "the $1 run failed (status $?)"
		secs=$(seconds "$out") ||
			die "the $1 run printed no time: '$out'" ;;
	esac
	record "$1" "$(awk -v n="$STEPS" -v s="$secs" \
		'BEGIN { printf "%.1f\n", n / s }')"
	echo "$secs"
}

header steps
echo "runs:    $STEPS round trips each (weft: seeded steps), $ROUNDS rounds;"
echo "         semaphore ping-pong: $SEM_STEPS seeded steps"
echo

names="weft-threads weft-processes condvar pipe weft-sem-threads weft-sem-processes"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $names); do
		secs=$(measure "$name") || exit 1
		line="$line $name ${secs}s"
	done
	echo "$line"
	r=$((r + 1))
done

echo
# shellcheck disable=SC2086 # split into the names
table /s "%14.0f" $names
echo
for w in threads processes; do
	for base in condvar pipe; do
		printf '%-26s = %s\n' "weft $w / $base" \
			"$(ratio "$(median weft-$w)" "$(median $base)")"
	done
done
# A step's time is the inverse of the rate: yield's rate over the
# semaphore's is how many times longer a step with the objects takes.
for w in threads processes; do
	target "sem step / yield step, $w" \
		"$(ratio "$(median weft-$w)" "$(median weft-sem-$w)")" "<=" 2
done
