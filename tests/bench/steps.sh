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

# Check the step formula against weft's own count ('ps' STEPS column), so
# the rates below divide by the steps weft really took.
for kind in thread process; do
	write_script $kind $CHECK_ITERS ps
	out=$("$WEFT" --no-time -q "$tmp/$kind-$CHECK_ITERS.weft" </dev/null) ||
		die "weft failed on the step-count check ($kind)"
	got=$(printf '%s\n' "$out" | awk '
		$1 == "NAME" { for (i = 1; i <= NF; i++) if ($i == "STEPS") col = i; next }
		col && ($1 == "a" || $1 == "b") { sum += $col; n++ }
		END { if (n == 2) print sum }')
	want=$(steps_for $CHECK_ITERS)
	[ "$got" = "$want" ] ||
		die "weft took '$got' steps with ${kind}s where $want were expected"
done
write_script thread $ITERS
write_script process $ITERS

# measure NAME: one run of NAME; records its rate (round trips, that is
# steps, per second) and prints its seconds.
measure() {
	case $1 in
	weft-threads) timed "$1" "$WEFT" --no-time -q "$tmp/thread-$ITERS.weft" ;;
	weft-processes)
		timed "$1" "$WEFT" --no-time -q "$tmp/process-$ITERS.weft" ;;
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
echo "runs:    $STEPS round trips each (weft: seeded steps), $ROUNDS rounds"
echo

names="weft-threads weft-processes condvar pipe"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the four names
	for name in $(rotated "$r" $names); do
		secs=$(measure "$name") || exit 1
		line="$line $name ${secs}s"
	done
	echo "$line"
	r=$((r + 1))
done

echo
# shellcheck disable=SC2086 # split into the four names
table /s "%14.0f" $names
echo
for w in threads processes; do
	for base in condvar pipe; do
		printf '%-26s = %s\n' "weft $w / $base" \
			"$(ratio "$(median weft-$w)" "$(median $base)")"
	done
done
