#!/bin/sh
# record.sh: `record FILE` writes every command that succeeds afterwards
# (a failed one is left out, a task definition is kept whole) into a
# lesson, with the seed in force first; replayed with --lesson, it prints
# the same trace, step numbers included. explore and replay are recorded
# too, and play back to the same schedule, run and steps.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

cat >session.weft <<'EOT'
sched seed 4
record rec.weft
task hi(n) {
    print "hi" n
}
spawn thread t1 print_numbers
spawn process t2 hi 7
bogus
start t1 t2
join t1 t2
set x = 3
record stop
ps
EOT
"$WEFT" --keep-going session.weft >session.out 2>&1
cat >want.weft <<'EOT'
# title: A recorded session
sched seed 4
task hi(n) {
    print "hi" n
}
spawn thread t1 print_numbers
spawn process t2 hi 7
start t1 t2
join t1 t2
set x = 3
EOT
if ! cmp -s rec.weft want.weft; then
	echo "FAIL: the recording is not what was typed and succeeded:"
	diff want.weft rec.weft
	exit 1
fi
if ! "$WEFT" --lesson rec.weft --mode check >replay.out 2>&1; then
	echo "FAIL: the recording does not replay:"
	cat replay.out
	exit 1
fi
grep '^\[#' session.out >a
grep '^\[#' replay.out >b
if [ ! -s a ] || ! cmp -s a b; then
	echo "FAIL: the replay's trace differs from the session's:"
	diff a b
	exit 1
fi

# explore, then replay and steps, recorded and played back the same.
cat >explore.weft <<'EOT'
record rec2.weft
shared x = 0
spawn thread t1 count 1
spawn process t2 count 1
explore --expect var x = 2
replay t1*3 t2*5 t1*2
explore --max 0
step 4
record stop
EOT
"$WEFT" --no-time --keep-going explore.weft >explore.out 2>&1
cat >want.weft <<'EOT'
# title: A recorded session
shared x = 0
spawn thread t1 count 1
spawn process t2 count 1
explore --expect var x = 2
replay t1*3 t2*5 t1*2
step 4
EOT
if ! cmp -s rec2.weft want.weft; then
	echo "FAIL: explore's recording is not what was typed and succeeded:"
	diff want.weft rec2.weft
	exit 1
fi
"$WEFT" --no-time --lesson rec2.weft --mode check >replay2.out 2>&1 ||
	{ echo "FAIL: explore's recording does not replay:"; cat replay2.out; exit 1; }
grep -e ' > ' -e '^explore: ' -e '^schedule: ' explore.out >a
grep -e ' > ' -e '^explore: ' -e '^schedule: ' replay2.out >b
if [ ! -s a ] || ! cmp -s a b; then
	echo "FAIL: explore's replay differs from the session's:"
	diff a b
	exit 1
fi
exit 0
