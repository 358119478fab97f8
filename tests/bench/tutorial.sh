#!/bin/sh
# tutorial.sh: the Python tutorial's two examples, whole, as weft scripts
# and as the tutorial's own Python programs, measured in the same run.
#
# Usage: tutorial.sh WEFT PINGPONG [ROUNDS]
#
# The examples: two threads, print_numbers (1 to 5) and print_letters (a to
# e), started and joined; then the same with two processes. weft runs each
# as a script of the plain commands the tutorial's lines stand for
# (lessons 01 and 02), with its built-in tasks; python3 runs
# tests/bench/tutorial_threads.py and tutorial_processes.py. Neither side
# sleeps: the tutorial's sleeps are left out of the Python programs, as
# weft's built-in tasks have none, so what is measured is the tools. Each
# program is one launch, timed whole by 'PINGPONG time' (start-up
# included: it is what a learner waits for), TUT_REPS (5) times a round,
# and a round's figure is their mean; the whole tutorial is the two
# examples' sum. The measurements alternate round by round, in a rotating
# order; the table gives medians over the rounds and weft's ratio to
# Python beside the target issue 8 sets. Any failed run aborts with a
# message and status 1; a missed target does not.

set -u

me=tutorial.sh
here=$(dirname "$0")
# shellcheck source-path=SCRIPTDIR source=benchlib.sh
. "$here/benchlib.sh"

check_args 2 "WEFT PINGPONG [ROUNDS]" $#
WEFT=$1
PINGPONG=$2
ROUNDS=${3:-5}
check_rounds "$ROUNDS"
REPS=${TUT_REPS:-5}
check_count TUT_REPS "$REPS"
need_exec weft "$WEFT"
need_exec pingpong "$PINGPONG"
make_tmp

# The tutorial's lines, one for one, as weft's commands.
for kind in thread process; do
	{
		echo "spawn $kind ${kind}1 print_numbers"
		echo "spawn $kind ${kind}2 print_letters"
		echo "start ${kind}1"
		echo "start ${kind}2"
		echo "join ${kind}1"
		echo "join ${kind}2"
	} >"$tmp/$kind.weft" || die "cannot write to '$tmp'"
done

if have_python; then
	py=yes
	for f in tutorial_threads.py tutorial_processes.py; do
		[ -r "$here/$f" ] || die "cannot read '$here/$f'"
	done
else
	py=no
fi

# Check once that each program prints what the tutorial's does: 1 to 5
# and a to e, each in order (the two may interleave).
for kind in thread process; do
	out=$("$WEFT" -q "$tmp/$kind.weft" </dev/null) ||
		die "weft failed on the check run ($kind)"
	got=$(printf '%s\n' "$out" | awk -v k="$kind" '
		$0 ~ "\\] " k "[12] \\| " { w = $(NF - 2); s[w] = s[w] " " $NF }
		END { print s[k "1"] "," s[k "2"] }')
	[ "$got" = " 1 2 3 4 5, a b c d e" ] ||
		die "weft's $kind example printed '$got'"
	if [ $py = yes ]; then
		case $kind in
		thread) prog=tutorial_threads.py ;;
		process) prog=tutorial_processes.py ;;
		esac
		out=$("$PYTHON" "$here/$prog" </dev/null) ||
			die "python failed on the check run ($kind)"
		# print() writes the value and the newline apart, so two
		# threads' lines can even mix ("1a", a lone newline): look at
		# the characters alone.
		got="$(printf '%s' "$out" | tr -cd '[:digit:]'),$(printf '%s' \
			"$out" | tr -cd '[:lower:]')"
		[ "$got" = "12345,abcde" ] ||
			die "python's $kind example printed '$got'"
	fi
done

# measure NAME: REPS launches of NAME; records their mean in ms.
measure() {
	m_sum=0
	m_k=0
	while [ $m_k -lt "$REPS" ]; do
		case $1 in
		weft-threading) timed "$1" "$WEFT" -q "$tmp/thread.weft" ;;
		weft-multiprocessing) timed "$1" "$WEFT" -q "$tmp/process.weft" ;;
		python-threading)
			timed "$1" "$PYTHON" "$here/tutorial_threads.py" ;;
		python-multiprocessing)
			timed "$1" "$PYTHON" "$here/tutorial_processes.py" ;;
		esac
		m_sum=$(awk -v a="$m_sum" -v b="$secs" 'BEGIN { print a + b }')
		m_k=$((m_k + 1))
	done
	m_ms=$(awk -v s="$m_sum" -v n="$REPS" \
		'BEGIN { printf "%.3f\n", s / n * 1000 }')
	record "$1" "$m_ms"
	line="$line $1 ${m_ms}ms"
	eval "ms_$(echo "$1" | tr - _)=\$m_ms"
}

header "tutorial"
echo "runs:    the threading and the multiprocessing example, each one" \
	"launch, start-up"
echo "         included; no sleeps on either side (the tasks only print);"
echo "         $REPS launches a round, $ROUNDS rounds"
names="weft-threading weft-multiprocessing"
if [ $py = yes ]; then
	python_line
	names="$names python-threading python-multiprocessing"
else
	echo "$PYTHON not found: the Python baselines are skipped"
fi
echo

r=1
while [ "$r" -le "$ROUNDS" ]; do
	line="round $r/$ROUNDS:"
	# shellcheck disable=SC2086 # split into the names
	for name in $(rotated "$r" $names); do
		measure "$name"
	done
	# shellcheck disable=SC2154 # set by measure's eval
	record weft-tutorial "$(awk -v a="$ms_weft_threading" \
		-v b="$ms_weft_multiprocessing" 'BEGIN { printf "%.3f\n", a + b }')"
	if [ $py = yes ]; then
		# shellcheck disable=SC2154 # set by measure's eval
		record python-tutorial "$(awk -v a="$ms_python_threading" \
			-v b="$ms_python_multiprocessing" \
			'BEGIN { printf "%.3f\n", a + b }')"
	fi
	echo "$line"
	r=$((r + 1))
done

echo
if [ $py = yes ]; then
	# shellcheck disable=SC2086 # split into the names
	table ms "%14.2f" $names weft-tutorial python-tutorial
	echo
	for ex in threading multiprocessing; do
		w=$(median weft-$ex)
		p=$(median python-$ex)
		printf '%-34s = %10s   (no target)  %s\n' "weft / python, $ex" \
			"$(ratio "$w" "$p")" "$(times_note "$w" "$p")"
	done
	w=$(median weft-tutorial)
	p=$(median python-tutorial)
	target "weft / python, the tutorial" "$(ratio "$w" "$p")" "<=" \
		"$(ratio 1 10)" "$(times_note "$w" "$p")"
else
	# shellcheck disable=SC2086 # split into the names
	table ms "%14.2f" $names weft-tutorial
fi
