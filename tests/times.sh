#!/bin/sh
# times.sh: the bracket of trace lines tells events apart. A quick run, a
# timeline and a lesson in check mode carry milliseconds to the microsecond
# in a bracket of fixed width, so a burst of lines does not read as one
# instant; --no-time drops the bracket and a seed puts the step number in
# it, and "main: stopped after N steps" has it too. Nothing here measures a
# duration: it counts distinct brackets only.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

die() {
	echo "FAIL: $*"
	fail=1
}

cat >"$tmp/burst.weft" <<'EOF'
task burst {
    for i in 1..100 {
        print i
    }
}
spawn thread t1 burst
spawn process p1 burst
start t1 p1
join all
timeline
EOF

# distinct FILE PATTERN: how many different brackets the lines of FILE
# matching PATTERN carry.
distinct() {
	grep -e "$2" "$1" | sed -n 's/^\(\[[^]]*\]\).*/\1/p' | sort -u | wc -l
}

"$WEFT" "$tmp/burst.weft" >"$tmp/out" 2>&1 || die "the burst script failed"
# Every trace line has the bracket, all of one width, so columns align.
n=$(grep -c '^\[ *[0-9]*\.[0-9][0-9][0-9]\] ' "$tmp/out")
[ "$n" -eq 206 ] || die "$n trace lines have a time bracket, not 206"
widths=$(grep '^\[ ' "$tmp/out" | awk '{ print index($0, "]") }' | sort -u)
[ "$widths" = 13 ] || die "brackets of widths '$widths', not all 13"
# A burst of 100 lines of one worker is not one instant.
for w in t1 p1; do
	d=$(distinct "$tmp/out" "^\\[.*\\] $w | ")
	[ "$d" -ge 3 ] || die "the 100 lines of $w carry $d different brackets"
done
grep '^\[' "$tmp/out" | grep -v -q '^\[ *0\.000\]' ||
	die "every bracket reads 0.000"
# The timeline's left column: the same times.
d=$(sed -n '/^ *t1 *p1$/,$p' "$tmp/out" | awk 'NR > 1 { print $1 }' |
	sort -u | wc -l)
[ "$d" -ge 3 ] || die "the timeline's rows carry $d different times"

# A lesson in check mode (no terminal) has real times too.
"$WEFT" --lesson 01 --mode check >"$tmp/lesson" 2>&1 ||
	die "lesson 01 failed in check mode"
d=$(distinct "$tmp/lesson" '^\[')
[ "$d" -ge 3 ] || die "lesson 01 in check mode shows $d different brackets"

# --no-time: no bracket at all; a seed: the step number.
"$WEFT" --no-time "$tmp/burst.weft" >"$tmp/none" 2>&1 ||
	die "the burst script failed with --no-time"
grep -q '^\[' "$tmp/none" && die "--no-time left a bracket"
grep -q '^t1 | 100$' "$tmp/none" || die "--no-time lost t1's lines"
"$WEFT" --seed 3 "$tmp/burst.weft" >"$tmp/seed" 2>&1 ||
	die "the burst script failed with --seed"
n=$(grep -c '^\[#[0-9][0-9][0-9][0-9]*\] ' "$tmp/seed")
[ "$n" -eq 206 ] || die "$n seeded lines carry the step number, not 206"

# "main: stopped after N steps" is a trace line like the others: it has
# the bracket (the step number, or the time), and loses it to --no-time.
cat >"$tmp/stop.weft" <<'EOF'
task hold {
    lock m
    sleep 100
    unlock m
}
task want {
    print "x"
    lock m
    unlock m
}
spawn thread t1 hold
spawn thread t2 want
pause t2
start t1 t2
sleep 20
step t2 3
run t1 t2
join all
EOF
stop="main: stopped after 1 step: cannot step 't2': it waits for lock 'm'"
"$WEFT" "$tmp/stop.weft" >"$tmp/out" 2>&1 || die "stop.weft failed"
grep -q "^\\[ *[0-9]*\\.[0-9][0-9][0-9]\\] $stop" "$tmp/out" ||
	die "no time bracket before '$stop'"
{ echo "sched step"; sed 's/^sleep 20$/step t1/' "$tmp/stop.weft"; } \
	>"$tmp/stop-step.weft"
"$WEFT" "$tmp/stop-step.weft" >"$tmp/out" 2>&1 || die "stop-step.weft failed"
grep -q "^\\[#0002\\] $stop" "$tmp/out" ||
	die "no step bracket [#0002] before '$stop'"
"$WEFT" --no-time "$tmp/stop.weft" >"$tmp/out" 2>&1 ||
	die "stop.weft failed with --no-time"
grep -q "^$stop" "$tmp/out" || die "--no-time: no bare '$stop'"
exit $fail
