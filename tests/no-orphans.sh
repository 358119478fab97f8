#!/bin/sh
# no-orphans.sh: when a script ends, weft stops and reaps every worker
# before it exits, with no terminal.
#  1. `-c` quits while two process workers and a thread worker still run:
#     weft kills them (the "killed" lines show it did so itself), exits 0,
#     and neither process's pid exists afterwards, not even as a zombie.
#     Without `quit`, the end of `-c` waits for them, as Python waits for
#     its threads: they run to their end, and nothing is killed.
#  2. A script (from a pipe) ends with two processes that finished but were
#     never joined, so they are zombies: weft reaps them on the way out.
# The pids are checked at once after weft has ended: an init that reaps
# orphans later must not hide a missing waitpid.

name=orphans
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

# gone NAME PID: PID, the process worker NAME, must not exist any more.
gone() {
	[ -d "/proc/$2" ] || return 0
	fail "$1 (pid $2) outlived weft: state $(proc_state "$2"), parent" \
		"$(sed -n 's/.*) . \([0-9]*\) .*/\1/p' "/proc/$2/stat" 2>/dev/null)"
}

# 1. The script ends while the workers run.
"$WEFT" --no-time -c 'spawn process p1 ticker 1000 100; spawn process p2 ticker 1000 100; spawn thread t1 ticker 1000 100; start p1 p2 t1; quit' \
	</dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_weft
p1=$(pid_of p1)
p2=$(pid_of p2)
[ -n "$p1" ] && [ -n "$p2" ] || fail "no 'started (process, pid N' lines for p1 and p2"
gone p1 "$p1"
gone p2 "$p2"
[ "$rc" -eq 0 ] || fail "weft exited with $rc, not 0"
[ -s "$tmp/err" ] && fail "weft wrote to stderr"
for w in p1 p2; do
	has "$w: killed by signal 9 (Killed)" || fail "weft did not stop $w itself"
done
has "t1: started (thread," || fail "t1 did not start"
has "t1: killed (cancelled" || fail "weft did not stop t1"

"$WEFT" --no-time -c 'spawn process p1 ticker 3 30; spawn thread t1 ticker 3 30; start p1 t1' \
	</dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_weft
p1=$(pid_of p1)
gone p1 "$p1"
[ "$rc" -eq 0 ] || fail "weft exited with $rc, not 0 (end of -c)"
for w in p1 t1; do
	has "$w | tick 3" || fail "the end of -c did not wait for $w"
	has "$w: finished (exit 0)" || fail "$w did not finish by itself"
done
has "killed" && fail "the end of -c killed a worker that would end"

# 2. The script ends with finished, unjoined processes: zombies. The script
# comes through a FIFO, so the test can wait until they have finished.
mkfifo "$tmp/in" || fail "cannot make a FIFO"
"$WEFT" --no-time <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/in"
printf '%s\n' "spawn process z1 print_numbers" "spawn process z2 print_letters" \
	"start z1 z2" >&3
poll 10 has "z1: finished (exit 0)" || fail "z1 did not finish"
poll 10 has "z2: finished (exit 0)" || fail "z2 did not finish"
z1=$(pid_of z1)
z2=$(pid_of z2)
[ -n "$z1" ] && [ -n "$z2" ] || fail "no 'started (process, pid N' lines for z1 and z2"
# Both are zombies of weft now, and weft's ps says so.
for z in "$z1" "$z2"; do
	poll 10 eval '[ "$(proc_state "$z")" = Z ]' ||
		fail "pid $z is not a zombie before the end (state '$(proc_state "$z")')"
done
printf 'ps\n' >&3
poll 10 grep -q '^NAME  *KIND' "$tmp/out" || fail "ps did not run"
poll 10 grep -E -q '^z2 +process ' "$tmp/out" || fail "ps did not list z2"
for z in z1 z2; do
	grep -E -q "^$z +process +finished .* zombie\$" "$tmp/out" ||
		fail "ps does not show $z as a finished zombie"
done
exec 3>&- # the end of the script
wait_weft
gone z1 "$z1"
gone z2 "$z2"
[ "$rc" -eq 0 ] || fail "weft exited with $rc, not 0"
[ -s "$tmp/err" ] && fail "weft wrote to stderr"
has "main: joined" && fail "the zombies were joined, not just reaped"
echo "$me: PASS"
exit 0
