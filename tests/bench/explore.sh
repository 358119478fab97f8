#!/bin/sh
# explore.sh: how many schedules a second 'explore' runs, beside the floor
# measured in the same run: starting and joining the same workers, with
# the same steps, in seeded mode (issue 17).
#
# Usage: explore.sh WEFT PINGPONG [ROUNDS]
#
# Explore: two workers running the built-in task 'count 2' (9 steps each),
# 'set x = 0; spawn KIND t1 count 2; spawn KIND t2 count 2; explore
# --preemptions all'. Every schedule of them is C(18,9) = 48620 runs, about
# a minute at 1000 a second, so a run stops at '--max N': N = 2000 for
# threads (EXPLORE_THREAD_RUNS) and 200 for processes, much slower as they
# are forked (EXPLORE_PROCESS_RUNS), a few seconds each. These are the
# first N schedules depth-first; every one is a whole run from the start.
# Its output must say "no violation in N schedules"; and before the
# rounds, with 'count 1' (5 steps each), every schedule of both kinds must
# be C(10,5) = 252.
#
# Floor: under 'sched seed 1' and 'trace off', the same number of runs,
# each 'reset; set x = 0; spawn KIND a count 2; spawn KIND b count 2;
# start a b; join a b' (the step count, 9 each, checked with 'ps' first).
# 'reset' is the fair floor: explore too forgets each run's workers and
# keeps no trace of them, where fresh names (a1 b1, a2 b2, ...; measured
# too, as floor-names) leave 2N workers in the registry and their records
# in the trace. The ratio is explore's time a schedule over the floor's
# time a run; target within 2x, for threads and for processes; and at
# least 1000 schedules a second for two threads.
#
# Every weft run is timed whole by 'PINGPONG time' and its start-up is
# subtracted: each script begins with the same lines (sched seed 1, trace
# off, set x = 0, the two workers t1 t2 spawned), and those lines alone
# are timed beside it, in the same round. The measurements alternate round
# by round, in a rotating order; the table gives medians. Any failed run
# aborts with a message and status 1; a missed target does not.
set -u

me=explore.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 2 "WEFT PINGPONG [ROUNDS]" $#
WEFT=$1
PINGPONG=$2
ROUNDS=${3:-5}
check_rounds "$ROUNDS"
TN=${EXPLORE_THREAD_RUNS:-2000}
PN=${EXPLORE_PROCESS_RUNS:-200}
check_count EXPLORE_THREAD_RUNS "$TN"
check_count EXPLORE_PROCESS_RUNS "$PN"
CHECK_RUNS=3 # floor runs in the step-count check
need_exec weft "$WEFT"
need_exec pingpong "$PINGPONG"
make_tmp

# runs_for KIND: the runs (schedules) a measurement of KIND makes.
runs_for() {
	case $1 in
	thread) echo "$TN" ;;
	*) echo "$PN" ;;
	esac
}

# write_script FILE KIND WHAT N [EXTRA]: the script of one measurement:
# the common start, then WHAT (empty, explore, floor or names) for N runs,
# then EXTRA as a last command.
write_script() {
	awk -v kind="$2" -v what="$3" -v n="$4" -v extra="${5:-}" 'BEGIN {
		print "sched seed 1"
		print "trace off"
		print "set x = 0"
		printf "spawn %s t1 count 2\nspawn %s t2 count 2\n", kind, kind
		if (what == "explore")
			printf "explore --preemptions all --max %d\n", n
		else if (what == "floor")
			for (i = 1; i <= n; i++)
				printf "reset\nset x = 0\n" \
					"spawn %s a count 2\nspawn %s b count 2\n" \
					"start a b\njoin a b\n", kind, kind
		else if (what == "names")
			for (i = 1; i <= n; i++)
				printf "set x = 0\n" \
					"spawn %s a%d count 2\nspawn %s b%d count 2\n" \
					"start a%d b%d\njoin a%d b%d\n",
					kind, i, kind, i, i, i, i, i
		if (extra != "")
			print extra
	}' >"$1" || die "cannot write to '$tmp'"
}

# Check that every run does the work it is counted for: explore tries
# every schedule (252 of two 'count 1'), and says it ran N without a
# violation; each floor run's workers take 9 steps each and end joined.
for kind in thread process; do
	c1="spawn $kind t1 count 1; spawn $kind t2 count 1"
	out=$("$WEFT" --no-time -q -c "set x = 0; $c1; explore --preemptions all" \
		</dev/null) ||
		die "weft failed exploring two 'count 1' ${kind}s"
	[ "$out" = "no violation in 252 schedules (every schedule)" ] ||
		die "explore of two 'count 1' ${kind}s: '$out', where 252" \
			"schedules were expected"
	n=$(runs_for $kind)
	for what in empty explore floor names; do
		write_script "$tmp/$what-$kind.weft" $kind $what "$n"
	done
	out=$("$WEFT" --no-time -q "$tmp/explore-$kind.weft" </dev/null) ||
		die "weft failed on the explore run ($kind)"
	case $out in
	"no violation in $n schedules "*) ;;
	*) die "the explore run ($kind) said '$out', not 'no violation in" \
		"$n schedules'" ;;
	esac
	for what in floor names; do
		write_script "$tmp/check.weft" $kind $what $CHECK_RUNS ps
		out=$("$WEFT" --no-time -q "$tmp/check.weft" </dev/null) ||
			die "weft failed on the $what check run ($kind)"
		got=$(printf '%s\n' "$out" | awk '
			$1 == "NAME" {
				for (i = 1; i <= NF; i++) {
					if ($i == "STATE") st = i
					if ($i == "STEPS") sp = i
				}
				next
			}
			st && $1 ~ /^[ab][0-9]*$/ && $st == "joined" { n++; s += $sp }
			END { print n + 0, s + 0 }')
		if [ $what = floor ]; then
			want="2 18" # reset forgets the runs before the last
		else
			want="$((2 * CHECK_RUNS)) $((18 * CHECK_RUNS))"
		fi
		[ "$got" = "$want" ] ||
			die "the $what check run ($kind): '$got' joined workers" \
				"and steps, where '$want' were expected"
	done
done

# measure NAME: one run of NAME (explore-, floor- or floor-names-, then
# KIND) and one of its start alone; records the microseconds a run
# (schedule) costs, start-up left out.
measure() {
	case $1 in
	*-threads) m_kind=thread ;;
	*) m_kind=process ;;
	esac
	case $1 in
	explore-*) m_what=explore ;;
	floor-names-*) m_what=names ;;
	*) m_what=floor ;;
	esac
	timed "$1 (start alone)" "$WEFT" --no-time -q "$tmp/empty-$m_kind.weft"
	m_empty=$secs
	timed "$1" "$WEFT" --no-time -q "$tmp/$m_what-$m_kind.weft"
	m_us=$(awk -v f="$secs" -v e="$m_empty" -v n="$(runs_for $m_kind)" \
		'BEGIN { printf "%.1f\n", (f - e) / n * 1e6 }')
	record "$1" "$m_us"
	line="$line $1 ${m_us}us"
}

header explore
echo "runs:    explore --preemptions all --max N of two workers of" \
	"'count 2' (of 48620 schedules),"
echo "         against N seeded runs of the same two workers after" \
	"'reset' (floor) or"
echo "         under fresh names (floor-names); N = $TN for threads," \
	"$PN for processes;"
echo "         per run = (time - time of the script's start alone) / N;" \
	"$ROUNDS rounds"
echo

names="explore-threads floor-threads floor-names-threads"
names="$names explore-processes floor-processes floor-names-processes"
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
table us/run "%14.1f" $names
echo
for w in threads processes; do
	printf '%-34s = %10s\n' "floor-names / floor, $w" \
		"$(ratio "$(median floor-names-$w)" "$(median floor-$w)")"
done
for w in threads processes; do
	target "explore / floor, $w" \
		"$(ratio "$(median explore-$w)" "$(median floor-$w)")" "<=" 2
done
target "explore threads, schedules/s" \
	"$(awk -v us="$(median explore-threads)" \
		'BEGIN { printf "%.0f\n", 1e6 / us }')" ">=" 1000
