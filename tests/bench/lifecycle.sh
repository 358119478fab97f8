#!/bin/sh
# lifecycle.sh: what one worker's whole life costs in weft (spawn, start,
# join), beside raw C and the Python tutorial's classes, measured in the
# same run.
#
# Usage: lifecycle.sh WEFT LIFE PINGPONG [ROUNDS]
#
# A weft script spawns, starts and joins LIFE_WORKERS (1000) workers one
# after the other, each running an empty task; first as threads, then as
# processes. The baselines do the same with LIFE (tests/bench/life.c:
# pthread_create and pthread_join; fork, _exit(0) and waitpid) and with
# python3 tests/bench/life.py (threading.Thread and multiprocessing.Process,
# each start()ed and join()ed). multiprocessing takes tens of ms a process,
# so Python makes only LIFE_PY_PROCESSES (100) of them; the per-worker
# figures compare all the same.
#
# weft is timed from outside by 'PINGPONG time', once with N workers and
# once with none, and its cost per worker is the difference over N, so its
# start-up (startup.sh measures it) is left out. The baselines time their
# own loop with the monotonic clock, which leaves their start-up out too
# without the noise of a difference of two runs (a thread costs tens of
# microseconds, a process launch milliseconds). The measurements alternate
# round by round, in a rotating order; the tables give medians over the
# rounds and weft's ratio to each baseline beside the target issue 8 sets.
# Any failed run aborts with a message and status 1; a missed target does
# not.

set -u

me=lifecycle.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 3 "WEFT LIFE PINGPONG [ROUNDS]" $#
WEFT=$1
LIFE=$2
PINGPONG=$3
ROUNDS=${4:-5}
check_rounds "$ROUNDS"
N=${LIFE_WORKERS:-1000}
PY_PROCS=${LIFE_PY_PROCESSES:-100}
check_count LIFE_WORKERS "$N"
check_count LIFE_PY_PROCESSES "$PY_PROCS"
CHECK_N=10 # workers in the run that checks every one is joined
need_exec weft "$WEFT"
need_exec life "$LIFE"
need_exec pingpong "$PINGPONG"
[ -r "$here/life.py" ] || die "cannot read '$here/life.py'"
make_tmp

# write_script KIND N [EXTRA]: N workers of KIND, spawned, started and
# joined one at a time, as a learner would type them; EXTRA is a last
# command. With N = 0 only the task is defined.
write_script() {
	awk -v kind="$1" -v n="$2" -v extra="${3:-}" 'BEGIN {
		print "task nop { }"
		for (i = 1; i <= n; i++)
			printf "spawn %s w%d nop\nstart w%d\njoin w%d\n",
				kind, i, i, i
		if (extra != "")
			print extra
	}' >"$tmp/$1-$2.weft" || die "cannot write to '$tmp'"
}

# Check that the script does what it says: every worker ends joined, with
# exit 0 (the 'ps' STATE and EXIT columns).
for kind in thread process; do
	write_script $kind $CHECK_N ps
	out=$("$WEFT" --no-time -q "$tmp/$kind-$CHECK_N.weft" </dev/null) ||
		die "weft failed on the check run ($kind)"
	got=$(printf '%s\n' "$out" | awk '
		$1 == "NAME" {
			for (i = 1; i <= NF; i++) {
				if ($i == "STATE") st = i
				if ($i == "EXIT") ex = i
			}
			next
		}
		st && $1 ~ /^w[0-9]+$/ && $st == "joined" && $ex == "0" { n++ }
		END { print n + 0 }')
	[ "$got" = "$CHECK_N" ] ||
		die "$got of $CHECK_N $kind workers ended joined with exit 0"
	write_script $kind 0
	write_script $kind "$N"
done

if have_python; then
	py=yes
else
	py=no
fi

# workers_for NAME: how many workers NAME's full run has.
workers_for() {
	case $1 in
	python-process) echo "$PY_PROCS" ;;
	*) echo "$N" ;;
	esac
}

# measure NAME: one run of NAME; records the microseconds a worker costs.
measure() {
	m_kind=${1#*-}
	m_n=$(workers_for "$1")
	case $1 in
	weft-*)
		timed "$1 (no workers)" "$WEFT" -q "$tmp/$m_kind-0.weft"
		m_empty=$secs
		timed "$1" "$WEFT" -q "$tmp/$m_kind-$m_n.weft"
		m_secs=$(awk -v f="$secs" -v e="$m_empty" \
			'BEGIN { printf "%.6f\n", f - e }')
		;;
	c-*)
		m_out=$("$LIFE" "$m_kind" "$m_n" </dev/null) ||
			die "the $1 run failed (status $?)"
		m_secs=$(seconds "$m_out") ||
			die "the $1 run printed no time: '$m_out'"
		;;
	python-*)
		m_out=$("$PYTHON" "$here/life.py" "$m_kind" "$m_n" </dev/null) ||
			die "the $1 run failed (status $?)"
		m_secs=$(seconds "$m_out") ||
			die "the $1 run printed no time: '$m_out'"
		;;
	esac
	m_us=$(awk -v s="$m_secs" -v n="$m_n" \
		'BEGIN { printf "%.1f\n", s / n * 1e6 }')
	record "$1" "$m_us"
	line="$line $1 ${m_us}us"
}

header "worker lifecycle"
echo "runs:    $N sequential spawn/start/join a run for weft and C;" \
	"$ROUNDS rounds;"
echo "         weft per worker = (time with N workers - time with none) / N;"
echo "         C and Python time their own loop; start-up is left out on" \
	"every side;"
echo "         C threads get weft's 256 KiB stacks"
if [ $py = yes ]; then
	python_line
	echo "         $N threading.Thread, $PY_PROCS multiprocessing.Process" \
		"a run (start method" \
		"$("$PYTHON" -c 'import multiprocessing as m
print(m.get_start_method())'))"
else
	echo "$PYTHON not found: the Python baselines are skipped"
fi

for kind in thread process; do
	names="weft-$kind c-$kind"
	if [ $py = yes ]; then
		names="$names python-$kind"
	fi
	echo
	echo "$kind workers:"
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
	table "us/worker" "%14.1f" $names
	echo
	if [ $kind = thread ]; then
		c_max=1.5
		py_speedup=3
		c_what="pthread_create+join"
		py_what="threading.Thread"
	else
		c_max=1.3
		py_speedup=10
		c_what="fork+waitpid"
		py_what="multiprocessing.Process"
	fi
	w=$(median "weft-$kind")
	target "weft / C $c_what" "$(ratio "$w" "$(median "c-$kind")")" \
		"<=" "$c_max"
	if [ $py = yes ]; then
		p=$(median "python-$kind")
		target "weft / $py_what" "$(ratio "$w" "$p")" "<=" \
			"$(ratio 1 $py_speedup)" "$(times_note "$w" "$p")"
	fi
done
