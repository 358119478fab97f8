#!/bin/sh
# python.sh: Python programs run by weft (CPython embedded) against the
# same programs run by python3, measured in the same run.
#
# Usage: python.sh WEFT PINGPONG [ROUNDS]
#
# The baseline is the interpreter weft embeds: weft's own Python is asked
# for its prefix and version, and PREFIX/bin/pythonX.Y runs the baselines
# (/usr/bin/python3 when that cannot be run; $PYTHON, when set, wins).
#
# 1. The tutorial: tests/bench/tutorial_threads.py and
#    tutorial_processes.py (the tutorial's page without its sleeps),
#    'weft -q FILE.py' against 'python3 FILE.py'. Each launch is timed
#    whole by 'PINGPONG time' (start-up included: it is what a learner
#    waits for), PY_REPS (5) times a round, and a round's figure is their
#    mean; the tutorial is the two programs' sum. Target: weft at most
#    1.2x python3 for each program and for the sum.
# 2. A thread's start and join: tests/bench/py_threads.py starts and joins
#    PY_THREADS (200) threading.Thread one after another, each with a
#    trivial target, and is run again with none, under weft (-c 'python
#    FILE N', the command 'weft FILE.py' runs) and under python3, timed as
#    in 1. A thread's cost is (run(N) - run(0)) / N for each, a round's
#    from that round's means. Target: weft within 1.5x python3.
# 3. Seeded line steps: under 'sched seed 1', tests/bench/py_steps.py runs
#    two threads of 20000 one-line iterations each (80,017 steps in all:
#    every line event of the program's own code is a step; a check run
#    first compares the formula with weft's count in ps), timed whole,
#    start-up included. Target: at least 20,000 steps per second.
#
# Each part's runs alternate round by round in a rotating order; the
# tables give medians over the rounds. If weft was built without Python,
# the benchmarks are skipped (status 0). Any failed run aborts with a
# message and status 1; a missed target does not.

set -u

STEP_ITERS=20000 # iterations per thread in py_steps.py
CHECK_ITERS=1000 # smaller run that checks the step count weft reports

me=python.sh
here=$(dirname "$0")
# Whether the caller chose the baseline's interpreter: benchlib.sh sets
# PYTHON to python3 when it is not set.
user_python=${PYTHON:-}
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 2 "WEFT PINGPONG [ROUNDS]" $#
WEFT=$1
PINGPONG=$2
ROUNDS=${3:-5}
check_rounds "$ROUNDS"
REPS=${PY_REPS:-5}
check_count PY_REPS "$REPS"
THREADS=${PY_THREADS:-200}
check_count PY_THREADS "$THREADS"
need_exec weft "$WEFT"
need_exec pingpong "$PINGPONG"
for f in tutorial_threads.py tutorial_processes.py py_threads.py \
	py_steps.py; do
	[ -r "$here/$f" ] || die "cannot read '$here/$f'"
done
# 'python FILE' in a weft script or -c finds FILE from the current
# directory: the programs by their absolute paths, quoted for weft.
bench_dir=$(cd "$here" && pwd) || die "cannot find the directory of '$0'"
make_tmp
case $bench_dir$tmp in
*"'"*) die "cannot quote '$bench_dir' or '$tmp' for weft" ;;
esac

# Which Python weft embeds, or that it has none.
printf '%s\n' 'import sys' \
	'print("embedded", sys.base_prefix, "%d.%d" % sys.version_info[:2],' \
	'      sys.version.split()[0])' >"$tmp/embedded.py" ||
	die "cannot write to '$tmp'"
out=$("$WEFT" --no-time -q -c "python '$tmp/embedded.py'" </dev/null 2>&1) || {
	case $out in
	*"was not built"*)
		echo "weft was built without Python: the Python benchmarks" \
			"are skipped"
		exit 0
		;;
	esac
	die "weft failed to run a Python program: $out"
}
emb=$(printf '%s\n' "$out" |
	awk '$1 == "main" && $2 == "|" && $3 == "embedded" { print $4, $5, $6 }')
[ -n "$emb" ] || die "weft's Python did not say what it is: '$out'"
# shellcheck disable=SC2086 # split into prefix, X.Y and version
set -- $emb
emb_prefix=$1
emb_version=$3
if [ -z "$user_python" ]; then
	if [ -x "$emb_prefix/bin/python$2" ]; then
		PYTHON=$emb_prefix/bin/python$2
	elif [ -x /usr/bin/python3 ]; then
		PYTHON=/usr/bin/python3
	fi
fi
if have_python; then
	py=yes
else
	py=no
fi

# Steps in one run of py_steps.py with K iterations a thread (its
# docstring says why).
steps_for() {
	echo $((4 * $1 + 17))
}
STEPS=$(steps_for $STEP_ITERS)
# write_steps K [EXTRA]: the seeded script, with EXTRA as a last command.
write_steps() {
	{
		echo "sched seed 1"
		echo "python '$bench_dir/py_steps.py' $1"
		if [ $# -gt 1 ]; then echo "$2"; fi
	} >"$tmp/steps-$1.weft" || die "cannot write to '$tmp'"
}

# Check runs. The tutorial: each program prints 1 to 5 and a to e, each in
# order (the two may interleave), and under weft from its two workers.
for prog in threads processes; do
	case $prog in
	threads) w=thread ;;
	processes) w=process ;;
	esac
	out=$("$WEFT" --no-time -q "$here/tutorial_$prog.py" </dev/null) ||
		die "weft failed on the check run (tutorial_$prog.py)"
	got=$(printf '%s\n' "$out" | awk -v w="$w" '
		$2 == "|" { s[$1] = s[$1] " " $3 }
		END { print s[w "1"] "," s[w "2"] }')
	[ "$got" = " 1 2 3 4 5, a b c d e" ] ||
		die "weft's tutorial_$prog.py printed '$got'"
	if [ $py = yes ]; then
		out=$("$PYTHON" "$here/tutorial_$prog.py" </dev/null) ||
			die "python failed on the check run (tutorial_$prog.py)"
		# print() writes the value and the newline apart, so two
		# threads' lines can mix: the characters alone.
		got="$(printf '%s' "$out" | tr -cd '[:digit:]'),$(printf '%s' \
			"$out" | tr -cd '[:lower:]')"
		[ "$got" = "12345,abcde" ] ||
			die "python's tutorial_$prog.py printed '$got'"
	fi
done
# The threads: all ran, and under weft each was a worker of its own.
out=$("$WEFT" --no-time -q -c "python '$bench_dir/py_threads.py' $THREADS" \
	</dev/null) || die "weft failed on the check run (py_threads.py)"
got=$(printf '%s\n' "$out" | awk '
	$2 == "started" && $3 == "(thread," { n++ }
	$1 == "main" && $2 == "|" && $3 == "ran" { ran = $4 }
	END { print n - 1, ran }')
[ "$got" = "$THREADS $THREADS" ] ||
	die "weft's py_threads.py had '$got' workers and threads, not $THREADS"
if [ $py = yes ]; then
	out=$("$PYTHON" "$here/py_threads.py" "$THREADS" </dev/null) ||
		die "python failed on the check run (py_threads.py)"
	[ "$out" = "ran $THREADS" ] ||
		die "python's py_threads.py printed '$out'"
fi
# The steps: the formula against weft's own count, summed over main and
# the two threads, so that the rate divides by the steps weft took.
write_steps $CHECK_ITERS ps
out=$("$WEFT" --no-time -q "$tmp/steps-$CHECK_ITERS.weft" </dev/null) ||
	die "weft failed on the step-count check"
got=$(printf '%s\n' "$out" | awk '
	$1 == "NAME" { for (i = 1; i <= NF; i++) if ($i == "STEPS") col = i; next }
	col && ($1 == "main" || $1 == "t1" || $1 == "t2") { sum += $col; n++ }
	END { if (n == 3) print sum }')
want=$(steps_for $CHECK_ITERS)
[ "$got" = "$want" ] ||
	die "weft took '$got' steps in py_steps.py where $want were expected"
write_steps $STEP_ITERS

# launch NAME: REPS launches of NAME; records their mean in ms and sets
# ms_NAME (with _ for -) to it.
launch() {
	l_sum=0
	l_k=0
	while [ $l_k -lt "$REPS" ]; do
		case $1 in
		weft-threading) timed "$1" "$WEFT" -q "$here/tutorial_threads.py" ;;
		weft-multiprocessing)
			timed "$1" "$WEFT" -q "$here/tutorial_processes.py" ;;
		python-threading)
			timed "$1" "$PYTHON" "$here/tutorial_threads.py" ;;
		python-multiprocessing)
			timed "$1" "$PYTHON" "$here/tutorial_processes.py" ;;
		weft-threads)
			timed "$1" "$WEFT" -q -c \
				"python '$bench_dir/py_threads.py' $THREADS" ;;
		weft-0-threads)
			timed "$1" "$WEFT" -q -c \
				"python '$bench_dir/py_threads.py' 0" ;;
		python-threads)
			timed "$1" "$PYTHON" "$here/py_threads.py" "$THREADS" ;;
		python-0-threads) timed "$1" "$PYTHON" "$here/py_threads.py" 0 ;;
		esac
		l_sum=$(awk -v a="$l_sum" -v b="$secs" 'BEGIN { print a + b }')
		l_k=$((l_k + 1))
	done
	l_ms=$(awk -v s="$l_sum" -v n="$REPS" \
		'BEGIN { printf "%.3f\n", s / n * 1000 }')
	record "$1" "$l_ms"
	line="$line $1 ${l_ms}ms"
	eval "ms_$(echo "$1" | tr - _)=\$l_ms"
}

# sum_ms A B: A + B, in ms with three decimals.
sum_ms() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a + b }'
}

# per_thread MS_N MS_0: a thread's microseconds, from the means of the
# runs with THREADS threads and with none.
per_thread() {
	awk -v a="$1" -v b="$2" -v n="$THREADS" \
		'BEGIN { printf "%.1f\n", (a - b) / n * 1000 }'
}

# slower_ratio LABEL WEFT BASE LIMIT: the target line for weft's time over
# the baseline's, with how many times faster weft is when it is.
slower_ratio() {
	sr_note=$(awk -v w="$2" -v b="$3" 'BEGIN { if (w < b) printf "(%.1fx faster)", b / w }')
	target "$1" "$(ratio "$2" "$3")" "<=" "$4" "$sr_note"
}

header "Python programs"
echo "embedded: Python $emb_version ($emb_prefix)"
if [ $py = yes ]; then
	python_line
	[ "$PYTHON_VERSION" = "$emb_version" ] ||
		echo "         (not the version weft embeds: the ratios compare" \
			"two Pythons)"
else
	echo "$PYTHON not found: the Python baselines are skipped"
fi
echo "runs:    the tutorial and $THREADS threads: $REPS launches a round" \
	"each, start-up"
echo "         included; seeded steps: $STEPS a run; $ROUNDS rounds"

echo
echo "the tutorial (weft -q FILE.py, python3 FILE.py):"
tnames="weft-threading weft-multiprocessing"
[ $py = yes ] && tnames="$tnames python-threading python-multiprocessing"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $tnames); do
		launch "$name"
	done
	# shellcheck disable=SC2154 # set by launch's eval
	record weft-tutorial "$(sum_ms "$ms_weft_threading" \
		"$ms_weft_multiprocessing")"
	if [ $py = yes ]; then
		# shellcheck disable=SC2154 # set by launch's eval
		record python-tutorial "$(sum_ms "$ms_python_threading" \
			"$ms_python_multiprocessing")"
	fi
	echo "$line"
	r=$((r + 1))
done
echo
if [ $py = yes ]; then
	# shellcheck disable=SC2086 # split into the names
	table ms "%14.2f" $tnames weft-tutorial python-tutorial
	echo
	for ex in threading multiprocessing tutorial; do
		slower_ratio "weft / python, $ex" "$(median weft-$ex)" \
			"$(median python-$ex)" 1.2
	done
else
	# shellcheck disable=SC2086 # split into the names
	table ms "%14.2f" $tnames weft-tutorial
fi

echo
echo "a thread's start and join ($THREADS threading.Thread, one after" \
	"another, less none):"
hnames="weft-threads weft-0-threads"
[ $py = yes ] && hnames="$hnames python-threads python-0-threads"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $hnames); do
		launch "$name"
	done
	# shellcheck disable=SC2154 # set by launch's eval
	record weft-thread "$(per_thread "$ms_weft_threads" "$ms_weft_0_threads")"
	if [ $py = yes ]; then
		# shellcheck disable=SC2154 # set by launch's eval
		record python-thread "$(per_thread "$ms_python_threads" \
			"$ms_python_0_threads")"
	fi
	echo "$line"
	r=$((r + 1))
done
echo
# shellcheck disable=SC2086 # split into the names
table ms "%14.2f" $hnames
echo
if [ $py = yes ]; then
	table us "%14.1f" weft-thread python-thread
	echo
	slower_ratio "weft / python, a thread" "$(median weft-thread)" \
		"$(median python-thread)" 1.5
else
	table us "%14.1f" weft-thread
fi

echo
echo "seeded line steps (sched seed 1, two threads of $STEP_ITERS" \
	"iterations):"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	timed weft-steps "$WEFT" --no-time -q "$tmp/steps-$STEP_ITERS.weft"
	record weft-steps "$(awk -v n="$STEPS" -v s="$secs" \
		'BEGIN { printf "%.1f\n", n / s }')"
	echo "round $r/$ROUNDS: weft-steps ${secs}s"
	r=$((r + 1))
done
echo
table /s "%14.0f" weft-steps
echo
target "weft Python line steps, /s" "$(median weft-steps | awk '{ printf "%.0f\n", $1 }')" ">=" 20000
