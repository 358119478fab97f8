#!/bin/sh
# nodes.sh: weft's node workers (issue 18, Open MPI) against raw MPI
# baselines measured in the same run.
#
# Usage: nodes.sh WEFT PINGPONG MPI_PINGPONG MPI_SPAWN [ROUNDS]
#
# 1. A round trip: each step of a node's task is one round trip between
#    weft and the node (the node asks, weft grants). 'weft -q --no-time -c
#    "set x = 0; spawn node n count N; start n; join n"' is timed whole by
#    'PINGPONG time' at N = NODES_COUNT (5000) and at N0 = NODES_COUNT / 10,
#    and a round trip costs (t(N) - t(N0)) / (steps(N) - steps(N0)), the
#    node's steps as weft's ps counts them (a check run finds how many
#    steps an iteration of count takes). MPI_PINGPONG (mpi_pingpong.c: a
#    singleton and the copy it spawned, MPI_Send and MPI_Recv of one 8-byte
#    integer) makes steps(N) and steps(N0) round trips, timed whole the same
#    way, so that start-up, MPI_Init and the spawn fall out of the
#    difference on both sides. Target: weft within 2x.
# 2. A node's start and join: 'weft -q --no-time -c "spawn node n count 0;
#    start n; join n"' against MPI_SPAWN (mpi_spawn.c: a singleton spawns a
#    trivial copy and waits for it to leave, MPI_Comm_disconnect), each
#    timed whole, MPI_Init included. Target: weft within 1.5x.
# 3. Queue throughput through a node: a node puts the integers 1..M into a
#    queue of 1024 that a thread of weft gets and adds up, against the same
#    two tasks with the producer a process worker. A value's time, from
#    two runs of M = NODES_VALUES (4000) and M0 = M / 10 values as in 1
#    (start-up left out; the process moves 100 times as many, its values
#    being that much cheaper); reported as values a second, with the
#    node's time a value over the process's, no target.
#
# The baselines run with OMPI_ALLOW_RUN_AS_ROOT=1,
# OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 (Open MPI refuses root without them) and
# OMPI_MCA_rmaps_base_oversubscribe=1 (a spawn may pass the core count);
# weft is run as it is and sets what it needs itself. Each part's runs
# alternate round by round in a rotating order; the tables give medians
# over the rounds. If weft was built without nodes, or MPI_PINGPONG or
# MPI_SPAWN was not built (configure found no Open MPI), the benchmarks
# are skipped (status 0). Any failed run aborts with a message and status
# 1; a missed target does not.

set -u

me=nodes.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 4 "WEFT PINGPONG MPI_PINGPONG MPI_SPAWN [ROUNDS]" $#
WEFT=$1
PINGPONG=$2
MPI_PINGPONG=$3
MPI_SPAWN=$4
ROUNDS=${5:-5}
check_rounds "$ROUNDS"
COUNT=${NODES_COUNT:-5000}
VALUES=${NODES_VALUES:-4000}
check_count NODES_COUNT "$COUNT"
check_count NODES_VALUES "$VALUES"
[ "$COUNT" -ge 10 ] || die "NODES_COUNT is at least 10, not $COUNT"
[ "$VALUES" -ge 10 ] || die "NODES_VALUES is at least 10, not $VALUES"
COUNT0=$((COUNT / 10))
VALUES0=$((VALUES / 10))
PVALUES=$((VALUES * 100))
PVALUES0=$((PVALUES / 10))
need_exec weft "$WEFT"
need_exec pingpong "$PINGPONG"
for b in "$MPI_PINGPONG" "$MPI_SPAWN"; do
	if ! [ -x "$b" ]; then
		echo "$me: no '$b' (make bench builds it when configure finds" \
			"Open MPI): the node benchmarks are skipped"
		exit 0
	fi
done
make_tmp

# mpi_env: the environment the baselines run in (see above).
mpi_env() {
	OMPI_ALLOW_RUN_AS_ROOT=1
	OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	OMPI_MCA_rmaps_base_oversubscribe=1
	export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
		OMPI_MCA_rmaps_base_oversubscribe
}

# mpi_timed NAME CMD...: 'timed' in the baselines' environment (a
# subshell, so that weft never sees it); prints the seconds.
mpi_timed() {
	(
		mpi_env
		timed "$@"
		echo "$secs"
	)
}

# node_steps N: sets 'steps' to the node's steps in a run of 'count N'
# (ps' STEPS), after a check that it ended joined with exit 0. Skips the
# benchmark if weft has no nodes.
node_steps() {
	ns_out=$("$WEFT" --no-time -q -c "set x = 0; spawn node n count $1;
start n; join n; ps" </dev/null 2>&1) || {
		case $ns_out in
		*"unknown worker kind 'node'"* | *"nodes were not built"*)
			echo "$me: weft was built without nodes:" \
				"the node benchmarks are skipped"
			echo "(weft said: $(printf '%s\n' "$ns_out" | head -n 1))"
			exit 0
			;;
		esac
		die "weft failed on the check run (count $1): $ns_out"
	}
	steps=$(printf '%s\n' "$ns_out" | awk '
		$1 == "NAME" {
			for (i = 1; i <= NF; i++) {
				if ($i == "STATE") st = i
				if ($i == "STEPS") sp = i
				if ($i == "EXIT") ex = i
			}
			next
		}
		st && $1 == "n" && $st == "joined" && $ex == "0" { print $sp; ok = 1 }
		END { exit !ok }') ||
		die "the node did not end joined with exit 0 (count $1): $ns_out"
}

# Steps an iteration of count takes in a node, and before the first: from
# two small runs, so that the time divides by the round trips weft made.
node_steps 10
s10=$steps
node_steps 20
s20=$steps
per=$(((s20 - s10) / 10))
base=$((s10 - 10 * per))
if [ "$per" -lt 1 ] || [ $((base + 20 * per)) -ne "$s20" ]; then
	die "a node's steps are not linear in count: $s10 at 10, $s20 at 20"
fi
STEPS=$((base + COUNT * per))
STEPS0=$((base + COUNT0 * per))

# The baselines run, and say what they did.
out=$(mpi_env && "$MPI_PINGPONG" 10 </dev/null) ||
	die "'$MPI_PINGPONG 10' failed (status $?)"
case $out in
"mpi_pingpong 10 "*) ;;
*) die "'$MPI_PINGPONG 10' printed '$out'" ;;
esac
out=$(mpi_env && "$MPI_SPAWN" </dev/null) ||
	die "'$MPI_SPAWN' failed (status $?)"
case $out in
"mpi_spawn "*) ;;
*) die "'$MPI_SPAWN' printed '$out'" ;;
esac

# write_queue KIND M: the queue run, the producer a worker of KIND; the
# consumer's total is checked once (with 'vars' as a last command).
write_queue() {
	cat >"$tmp/q-$1-$2.weft" <<EOT || die "cannot write to '$tmp'"
trace off
queue q 1024
set total = 0
task prod(n) { for i in 1..n { put q i } }
task cons(n) { t = 0; repeat n { get q v; t = t + v }; total = t }
spawn $1 p prod $2
spawn thread c cons $2
start p c
join p c
EOT
}
for kind in node process; do
	write_queue $kind 100
	echo vars >>"$tmp/q-$kind-100.weft" || die "cannot write to '$tmp'"
	out=$("$WEFT" --no-time -q "$tmp/q-$kind-100.weft" </dev/null 2>&1) ||
		die "weft failed on the queue check run ($kind): $out"
	printf '%s\n' "$out" | grep -q '^total = 5050\( \|$\)' ||
		die "the values through the queue ($kind) do not add up: $out"
done
write_queue node "$VALUES"
write_queue node "$VALUES0"
write_queue process "$PVALUES"
write_queue process "$PVALUES0"

# per_unit LONG SHORT N NAME: the microseconds a unit costs, (LONG -
# SHORT) / N of the seconds; a longer run that took no longer (noise over
# too few units) ends the benchmark, naming NAME.
per_unit() {
	awk -v a="$1" -v b="$2" -v n="$3" \
		'BEGIN { if (a <= b) exit 1; printf "%.2f\n", (a - b) / n * 1e6 }' ||
		die "$4: the longer run took no longer ($1 s against $2 s)"
}

# measure NAME: one round's figure for NAME (microseconds a round trip or
# a value, milliseconds a start and join), recorded and added to 'line'.
measure() {
	case $1 in
	weft-node-trip)
		timed "$1 (count $COUNT0)" "$WEFT" -q --no-time -c \
			"set x = 0; spawn node n count $COUNT0; start n; join n"
		m_short=$secs
		timed "$1 (count $COUNT)" "$WEFT" -q --no-time -c \
			"set x = 0; spawn node n count $COUNT; start n; join n"
		m_val=$(per_unit "$secs" "$m_short" $((STEPS - STEPS0)) "$1") ||
			exit 1
		m_unit=us
		;;
	mpi-pingpong)
		m_short=$(mpi_timed "$1 ($STEPS0)" "$MPI_PINGPONG" "$STEPS0") ||
			exit 1
		m_long=$(mpi_timed "$1 ($STEPS)" "$MPI_PINGPONG" "$STEPS") ||
			exit 1
		m_val=$(per_unit "$m_long" "$m_short" $((STEPS - STEPS0)) "$1") ||
			exit 1
		m_unit=us
		;;
	weft-node-life)
		timed "$1" "$WEFT" -q --no-time -c \
			"spawn node n count 0; start n; join n"
		m_val=$(awk -v s="$secs" 'BEGIN { printf "%.1f\n", s * 1e3 }')
		m_unit=ms
		;;
	mpi-spawn)
		m_secs=$(mpi_timed "$1" "$MPI_SPAWN") || exit 1
		m_val=$(awk -v s="$m_secs" 'BEGIN { printf "%.1f\n", s * 1e3 }')
		m_unit=ms
		;;
	weft-queue-node | weft-queue-process)
		m_kind=${1#weft-queue-}
		if [ "$m_kind" = node ]; then
			m_n=$VALUES m_n0=$VALUES0
		else
			m_n=$PVALUES m_n0=$PVALUES0
		fi
		timed "$1 ($m_n0)" "$WEFT" --no-time -q "$tmp/q-$m_kind-$m_n0.weft"
		m_short=$secs
		timed "$1 ($m_n)" "$WEFT" --no-time -q "$tmp/q-$m_kind-$m_n.weft"
		m_val=$(per_unit "$secs" "$m_short" $((m_n - m_n0)) "$1") ||
			exit 1
		m_unit=us
		;;
	esac
	record "$1" "$m_val"
	line="$line $1 $m_val$m_unit"
}

# part TITLE NAME...: ROUNDS rounds of the NAMEs, rotated.
part() {
	echo
	echo "$1:"
	shift
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		line="round $r/$ROUNDS:"
		# shellcheck disable=SC2086 # split into the names
		for name in $(rotated "$r" "$@"); do
			measure "$name"
		done
		echo "$line"
		r=$((r + 1))
	done
	echo
}

header nodes
echo "runs:    a round trip = (t(count $COUNT) - t(count $COUNT0)) /" \
	"($STEPS - $STEPS0 steps),"
echo "         $per steps an iteration; mpi_pingpong $STEPS and $STEPS0" \
	"round trips, the same difference;"
echo "         start and join timed whole; a queue: $VALUES and $VALUES0" \
	"values from a node, $PVALUES and"
echo "         $PVALUES0 from a process, a value's time the difference;" \
	"$ROUNDS rounds"
echo "mpi:     $(mpirun --version 2>/dev/null | head -n 1 ||
	echo 'mpirun not found')"

part "round trip, weft and a node against MPI_Send+MPI_Recv" \
	weft-node-trip mpi-pingpong
table us "%14.2f" weft-node-trip mpi-pingpong
echo
target "weft node / MPI ping-pong (trip)" \
	"$(ratio "$(median weft-node-trip)" "$(median mpi-pingpong)")" "<=" 2

part "a node's start and join against MPI_Comm_spawn+disconnect" \
	weft-node-life mpi-spawn
table ms "%14.1f" weft-node-life mpi-spawn
echo
target "weft node / MPI spawn (start+join)" \
	"$(ratio "$(median weft-node-life)" "$(median mpi-spawn)")" "<=" 1.5

part "a queue: a node (or a process) puts, a thread gets" \
	weft-queue-node weft-queue-process
table us "%14.2f" weft-queue-node weft-queue-process
echo
for kind in node process; do
	printf '%-34s = %10s\n' "weft queue $kind, values/s" \
		"$(awk -v us="$(median weft-queue-$kind)" \
			'BEGIN { printf "%.0f\n", 1e6 / us }')"
done
printf '%-34s = %10s\n' "weft queue, node / process (time)" \
	"$(ratio "$(median weft-queue-node)" "$(median weft-queue-process)")"
