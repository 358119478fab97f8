#!/bin/sh
# startup.sh: how long weft takes to start and stop, beside python3 doing
# nothing, and how much memory it holds, idle and with 1000 live thread
# workers, measured in the same run.
#
# Usage: startup.sh WEFT PINGPONG [ROUNDS]
#
# Start-up: 'weft -c quit' against 'python3 -c pass', each launched
# START_REPS (10) times a round and timed whole by 'PINGPONG time'; a
# round's figure is the mean launch.
#
# Memory: weft runs with its commands on a pipe (no terminal, so readline
# is not set up) and its output on another; once it has answered 'ps',
# VmRSS (resident now) and VmHWM (resident at most, so far) are read from
# /proc/PID/status. Idle, it has run nothing else; loaded, it has first
# spawned and started MEM_WORKERS (1000) thread workers that each sleep 10
# minutes, and the status must show them all as threads. Its input then
# ends, which stops every worker and ends weft. python3 tests/bench/hold.py
# gives a reference, not a target: the interpreter idle, and holding as
# many threading.Thread threads (default stacks) waiting on an Event.
#
# The measurements alternate round by round, in a rotating order; the
# tables give medians over the rounds beside the targets issue 8 sets. Any
# failed run aborts with a message and status 1; a missed target does not.

set -u

me=startup.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 2 "WEFT PINGPONG [ROUNDS]" $#
WEFT=$1
PINGPONG=$2
ROUNDS=${3:-5}
check_rounds "$ROUNDS"
REPS=${START_REPS:-10}
WORKERS=${MEM_WORKERS:-1000}
check_count START_REPS "$REPS"
check_count MEM_WORKERS "$WORKERS"
need_exec weft "$WEFT"
need_exec pingpong "$PINGPONG"
[ -r /proc/self/status ] || die "no /proc/PID/status to read memory from"
make_tmp

if have_python; then
	py=yes
	[ -r "$here/hold.py" ] || die "cannot read '$here/hold.py'"
else
	py=no
fi

# The commands weft is fed: nothing but 'ps', or the workers first.
echo ps >"$tmp/idle.feed" || die "cannot write to '$tmp'"
awk -v n="$WORKERS" 'BEGIN {
	print "task hold { sleep 600000 }"
	for (i = 1; i <= n; i++)
		printf "spawn thread w%d hold\nstart w%d\n", i, i
	print "ps"
}' >"$tmp/load.feed" || die "cannot write to '$tmp'"
: >"$tmp/none.feed" || die "cannot write to '$tmp'"

# launch NAME: REPS launches of NAME; records their mean in ms.
launch() {
	l_sum=0
	l_k=0
	while [ $l_k -lt "$REPS" ]; do
		case $1 in
		weft) timed "$1" "$WEFT" -c quit ;;
		python) timed "$1" "$PYTHON" -c pass ;;
		esac
		l_sum=$(awk -v a="$l_sum" -v b="$secs" 'BEGIN { print a + b }')
		l_k=$((l_k + 1))
	done
	l_ms=$(awk -v s="$l_sum" -v n="$REPS" \
		'BEGIN { printf "%.3f\n", s / n * 1000 }')
	record "$1" "$l_ms"
	line="$line $1 ${l_ms}ms"
}

# probe NAME FEED READY THREADS CMD...: runs CMD with its stdin and stdout
# on two FIFOs, writes the file FEED to its stdin and reads its stdout up
# to a line that starts with READY; then reads VmRSS and VmHWM from its
# status, which must show at least THREADS threads, and records them in
# MiB as NAME-rss and NAME-hwm. Then its stdin ends, and it must end well.
probe() {
	p_name=$1
	p_feed=$2
	p_ready=$3
	p_threads=$4
	shift 4
	rm -f "$tmp/in" "$tmp/out"
	mkfifo "$tmp/in" "$tmp/out" || die "cannot make FIFOs in '$tmp'"
	"$@" <"$tmp/in" >"$tmp/out" &
	p_pid=$!
	# In the order the child opens them, or both sides would wait.
	exec 4>"$tmp/in" 5<"$tmp/out"
	# The feeding goes on beside the reading, so that neither pipe can
	# fill while the other side waits.
	cat "$p_feed" >&4 &
	p_cat=$!
	p_ok=no
	while IFS= read -r p_l <&5; do
		case $p_l in
		"$p_ready"*)
			p_ok=yes
			break
			;;
		esac
	done
	p_got=
	if [ $p_ok = yes ]; then
		p_got=$(awk '$1 == "VmRSS:" { rss = $2 } $1 == "VmHWM:" { hwm = $2 }
			$1 == "Threads:" { th = $2 }
			END { if (rss && hwm && th) print rss, hwm, th }' \
			"/proc/$p_pid/status")
	fi
	wait "$p_cat"
	# weft waits for its workers at the end of its input, as Python
	# does: its sleeping workers are stopped by a quit instead.
	case $p_name in weft-*) printf 'quit\n' >&4 ;; esac
	exec 4>&-
	cat <&5 >/dev/null
	exec 5<&-
	wait "$p_pid" || die "the $p_name run failed (status $?)"
	[ $p_ok = yes ] || die "the $p_name run ended before it was ready"
	[ -n "$p_got" ] || die "no VmRSS, VmHWM and Threads for the $p_name run"
	# shellcheck disable=SC2086 # split into the three numbers
	set -- $p_got
	[ "$3" -ge "$p_threads" ] ||
		die "the $p_name run had $3 threads, not $p_threads or more"
	record "$p_name-rss" "$(awk -v k="$1" 'BEGIN { printf "%.2f\n", k / 1024 }')"
	record "$p_name-hwm" "$(awk -v k="$2" 'BEGIN { printf "%.2f\n", k / 1024 }')"
	line="$line $p_name $(awk -v k="$1" 'BEGIN { printf "%.2f\n", k / 1024 }')MiB"
}

# measure NAME: one memory run of NAME.
measure() {
	case $1 in
	weft-idle) probe "$1" "$tmp/idle.feed" NAME 1 "$WEFT" -q ;;
	weft-"$WORKERS"-threads)
		probe "$1" "$tmp/load.feed" NAME $((WORKERS + 1)) "$WEFT" -q ;;
	python-idle)
		probe "$1" "$tmp/none.feed" ready 1 "$PYTHON" "$here/hold.py" 0 ;;
	python-"$WORKERS"-threads)
		probe "$1" "$tmp/none.feed" ready $((WORKERS + 1)) \
			"$PYTHON" "$here/hold.py" "$WORKERS" ;;
	esac
}

header "start-up and memory"
echo "runs:    start-up: $REPS launches a round; memory: weft fed on a pipe" \
	"(no readline),"
echo "         idle and with $WORKERS sleeping thread workers; $ROUNDS rounds"
if [ $py = yes ]; then
	python_line
	snames="weft python"
	mnames="weft-idle weft-$WORKERS-threads python-idle python-$WORKERS-threads"
else
	echo "$PYTHON not found: the Python baselines are skipped"
	snames="weft"
	mnames="weft-idle weft-$WORKERS-threads"
fi

echo
echo "start-up:"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $snames); do
		launch "$name"
	done
	echo "$line"
	r=$((r + 1))
done
echo
# shellcheck disable=SC2086 # split into the names
table ms "%14.2f" $snames
if [ $py = yes ]; then
	echo
	w=$(median weft)
	p=$(median python)
	target "weft -c quit / python3 -c pass" "$(ratio "$w" "$p")" "<" \
		"$(ratio 1 10)" "$(times_note "$w" "$p")"
fi

echo
echo "memory:"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $mnames); do
		measure "$name"
	done
	echo "$line"
	r=$((r + 1))
done
echo
tnames=
for name in $mnames; do
	tnames="$tnames $name-rss $name-hwm"
done
# shellcheck disable=SC2086 # split into the names
table MiB "%14.2f" $tnames
echo
target "weft idle, VmRSS MiB" "$(median weft-idle-rss)" "<" 4
target "weft $WORKERS threads, VmRSS MiB" \
	"$(median "weft-$WORKERS-threads-rss")" "<" 100
if [ $py = yes ]; then
	echo "(python: a reference, no target)"
fi
