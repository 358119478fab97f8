#!/bin/sh
# sync.sh: weft's semaphores and queues against raw baselines measured in
# the same run.
#
# Usage: sync.sh WEFT PINGPONG [ROUNDS]
#
# 1. Semaphore ping-pong (sched free, the trace off): two workers pass the
#    turn N times through two semaphores (`signal a; wait b` against
#    `wait a; signal b`), as two threads and as two processes, against
#    'pingpong sem': a C parent and child on two process-shared sem_t.
#    Target: within 2x.
# 2. Queue throughput: a producer and a consumer, two process workers,
#    pass the integers 1..M through a queue of 1024, against 'pingpong
#    ints' (one write() and one read() of 8 bytes a value through a pipe;
#    target within 3x) and Python's multiprocessing.Queue (fewer values,
#    compared per value; target at least 10x faster).
# weft's runs are timed whole (start-up included, a few ms); the baselines
# time their hand-offs only. The runs alternate round by round in a
# rotating order; the tables give medians.
set -u

PP=100000   # round trips of the ping-pong: 2 PP hand-offs
Q=1000000   # values through the queue
PYQ=100000  # values through Python's queue

me=sync.sh
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
make_tmp
python=false
have_python && python=true

for kind in thread process; do
	cat >"$tmp/pp-$kind.weft" <<EOT || die "cannot write to '$tmp'"
trace off
semaphore a 0
semaphore b 0
task ping(n) { repeat n { signal a; wait b } }
task pong(n) { repeat n { wait a; signal b } }
spawn $kind x ping $PP
spawn $kind y pong $PP
start x y
join x y
EOT
done
cat >"$tmp/q.weft" <<EOT || die "cannot write to '$tmp'"
trace off
queue q 1024
shared total = 0
task prod(n) { for i in 1..n { put q i } }
task cons(n) { t = 0; repeat n { get q v; t = t + v }; total = t }
spawn process p prod $Q
spawn process c cons $Q
start p c
join p c
vars
EOT
# The queue run must pass every value: its total, once.
out=$("$WEFT" --no-time -q "$tmp/q.weft" </dev/null) ||
	die "weft failed on the queue run"
printf '%s\n' "$out" | grep -q "^total = $((Q * (Q + 1) / 2)) (shared)\$" ||
	die "the values through weft's queue do not add up: $out"

# measure NAME: one run; records its per-unit time (microseconds a round
# trip, or a value) and prints its seconds.
measure() {
	case $1 in
	weft-sem-threads)
		timed "$1" "$WEFT" --no-time -q "$tmp/pp-thread.weft"
		units=$PP ;;
	weft-sem-processes)
		timed "$1" "$WEFT" --no-time -q "$tmp/pp-process.weft"
		units=$PP ;;
	c-sem)
		out=$("$PINGPONG" sem $((2 * PP))) || die "the sem run failed"
		secs=$(seconds "$out") || die "the sem run printed no time"
		units=$PP ;;
	weft-queue)
		timed "$1" "$WEFT" --no-time -q "$tmp/q.weft"
		units=$Q ;;
	c-pipe)
		out=$("$PINGPONG" ints $Q) || die "the ints run failed"
		secs=$(seconds "$out") || die "the ints run printed no time"
		units=$Q ;;
	python-queue)
		out=$("$PYTHON" "$here/mpqueue.py" $PYQ) ||
			die "the Python queue run failed"
		secs=$(seconds "$out") || die "the Python run printed no time"
		units=$PYQ ;;
	esac
	record "$1" "$(awk -v n="$units" -v s="$secs" \
		'BEGIN { printf "%.3f\n", s * 1e6 / n }')"
	echo "$secs"
}

header sync
echo "runs:    $PP semaphore round trips; $Q values through a queue" \
	"(Python: $PYQ); $ROUNDS rounds"
$python && python_line
echo

names="weft-sem-threads weft-sem-processes c-sem weft-queue c-pipe"
$python && names="$names python-queue"
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
table us "%14.3f" $names
echo
for w in threads processes; do
	target "weft sem $w / C sem_t" \
		"$(ratio "$(median weft-sem-$w)" "$(median c-sem)")" "<=" 2
done
target "weft queue / C pipe" \
	"$(ratio "$(median weft-queue)" "$(median c-pipe)")" "<=" 3
if $python; then
	target "weft queue / multiprocessing.Queue" \
		"$(ratio "$(median weft-queue)" "$(median python-queue)")" \
		"<=" 0.10 "$(times_note "$(median weft-queue)" \
			"$(median python-queue)")"
fi
