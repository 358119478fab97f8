#!/bin/sh
# throughput.sh: how many lines per second weft's tracer carries from its
# workers to a file, beside plain stdio writing the same lines, measured in
# the same run.
#
# Usage: throughput.sh WEFT LINES PINGPONG [ROUNDS]
#
# Two workers run 'for i in 1..n { print "line" i }', TPUT_LINES / 2
# (500,000) each, once as threads and once as processes, with weft's stdout
# on a file: every line goes worker -> event pipe -> main loop -> trace ->
# stdout. The baseline, LINES (tests/bench/lines.c), writes the same lines
# ("[   0.001] a | line 1", the same bytes) with stdio to a file of its own.
# Each run is timed whole by 'PINGPONG time' (start-up included: a few ms
# on each side, under 1% here), through 'sh -c exec' so that stdout goes to
# the file; each run's file is checked for all its lines. The three
# measurements alternate round by round, in a rotating order; the table
# gives medians of lines per second over the rounds, and the targets issue 8
# sets. Any failed run aborts with a message and status 1; a missed target
# does not.

set -u

me=throughput.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 3 "WEFT LINES PINGPONG [ROUNDS]" $#
WEFT=$1
LINES=$2
PINGPONG=$3
ROUNDS=${4:-5}
check_rounds "$ROUNDS"
TOTAL=${TPUT_LINES:-1000000}
check_count TPUT_LINES "$TOTAL"
[ $((TOTAL % 2)) = 0 ] || die "TPUT_LINES is even (two workers), not $TOTAL"
HALF=$((TOTAL / 2))
CHECK_HALF=2000 # lines per worker in the run that checks every line
need_exec weft "$WEFT"
need_exec lines "$LINES"
need_exec pingpong "$PINGPONG"
make_tmp

# write_script KIND HALF: two workers of KIND printing HALF lines each.
write_script() {
	{
		echo 'task lines(n) { for i in 1..n { print "line" i } }'
		echo "spawn $1 a lines $2"
		echo "spawn $1 b lines $2"
		echo "start a b"
		echo "join a b"
	} >"$tmp/$1-$2.weft" || die "cannot write to '$tmp'"
}

# payload FILE: how many "a | line K" and "b | line K" lines FILE holds.
payload() {
	grep -c '^\[[ 0-9.]*\] [ab] | line [0-9]*$' "$1"
}

# Check once, on a small run, that each worker's lines are all there and in
# order (1, 2, ... for a, and the same for b), from weft and from LINES.
for kind in thread process; do
	write_script $kind $CHECK_HALF
	"$WEFT" -q "$tmp/$kind-$CHECK_HALF.weft" </dev/null \
		>"$tmp/check-$kind.out" ||
		die "weft failed on the check run ($kind)"
	write_script $kind $HALF
done
"$LINES" $CHECK_HALF >"$tmp/check-stdio.out" </dev/null ||
	die "lines failed on the check run"
for src in thread process stdio; do
	bad=$(awk -v n=$CHECK_HALF '
		match($0, /\] [ab] \| line [0-9]+$/) {
			w = substr($0, RSTART + 2, 1)
			if ($NF != ++seen[w]) bad++
		}
		END { print bad + 0, seen["a"] + 0, seen["b"] + 0 }' \
		"$tmp/check-$src.out")
	[ "$bad" = "0 $CHECK_HALF $CHECK_HALF" ] ||
		die "the $src check run's lines are wrong (out of order, a, b: $bad)"
done

# measure NAME: one run of NAME with its stdout on a file; records its lines
# per second.
measure() {
	m_name=$1
	case $1 in
	weft-threads) set -- "$WEFT" -q "$tmp/thread-$HALF.weft" ;;
	weft-processes) set -- "$WEFT" -q "$tmp/process-$HALF.weft" ;;
	stdio) set -- "$LINES" $HALF ;;
	esac
	rm -f "$tmp/run.out"
	# shellcheck disable=SC2016 # expanded by that sh
	timed "$m_name" sh -c 'o=$1; shift; exec "$@" >"$o"' sh "$tmp/run.out" \
		"$@"
	m_got=$(payload "$tmp/run.out")
	[ "$m_got" = "$TOTAL" ] ||
		die "the $m_name run wrote $m_got lines, not $TOTAL"
	m_rate=$(awk -v n="$TOTAL" -v s="$secs" 'BEGIN { printf "%.0f\n", n / s }')
	record "$m_name" "$m_rate"
	line="$line $m_name ${secs}s"
}

header "tracer throughput"
echo "runs:    $TOTAL lines each, two workers of $HALF, stdout on a file" \
	"in ${TMPDIR:-/tmp};"
echo "         stdio: one C program writing the same lines; $ROUNDS rounds"
echo

names="weft-threads weft-processes stdio"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $names); do
		measure "$name"
	done
	echo "$line"
	r=$((r + 1))
done

echo
# shellcheck disable=SC2086 # split into the names
table "lines/s" "%14.0f" $names
echo
wt=$(median weft-threads)
wp=$(median weft-processes)
st=$(median stdio)
target "weft threads, lines/s" "$wt" ">=" 2000000
target "weft processes, lines/s" "$wp" ">=" 1000000
# Rates, so the time ratio weft / stdio is stdio's rate over weft's.
target "weft threads / stdio (time)" "$(ratio "$st" "$wt")" "<=" 3
target "weft processes / stdio (time)" "$(ratio "$st" "$wp")" "<=" 3
