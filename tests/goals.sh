#!/bin/sh
# goals.sh: an exercise's goals check what the learner did, not only the
# state left behind. Each case is a lesson whose solution is a learner's
# wrong (or right) answer, played in check mode: a wrong one must fail
# its goal (status 3, the goal named), a right one must pass.
#  1. ran: the wrong task in the right worker fails.
#  2. locked: safe_add without the lock fails, with the lock passes.
#  3. a forgotten unlock: the lock stays held by the ended a1 (a real
#     mutex), a2 waits forever, and the exercise fails.
#  4. lesson 04's exercise is not passed by `set x = 3` alone.
#  5. lesson 10's exercise (w waits for p1 and p2 through a semaphore):
#     waiting once, or on a semaphore that starts at 1, lets w print
#     before p2 under the exercise's seed and fails; the lesson's own
#     solution passes.
#  6. lesson 11's exercise (two consumers share one producer's queue):
#     a total that is only set, not shared, misses the process c2's
#     values; one consumer doing all the work has no c2; `set total = 78`
#     alone ran nothing.
#  7. lesson 12's exercise (fix a consumer that waits on a condition
#     without checking count): take left as it is loses a notify under
#     the exercise's seed and c1 sleeps for ever; `if` instead of
#     `while` drives count below 0 (lowest = -1); `while` passes.
#  8. lesson 13's exercise (a fourth stage plus_one in a pipeline): a
#     plus_one that does not pass the stop value on leaves s4 waiting
#     for ever; show reading q2 straight, with no plus_one, fails.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# play NAME WANT-STATUS WANT-TEXT: plays $tmp/NAME.weft in check mode.
play() {
	"$WEFT" --no-time --lesson "$tmp/$1.weft" --mode check >"$tmp/out" 2>&1
	st=$?
	if [ "$st" -ne "$2" ] || ! grep -F -q -e "$3" "$tmp/out"; then
		echo "FAIL: $1: status $st (want $2), or no '$3' in:"
		cat "$tmp/out"
		fail=1
	fi
}

cat >"$tmp/ran.weft" <<'EOT'
# title: ran
exercise Make thread3 print the letters.
goal ran thread3 print_letters
solution
spawn thread thread3 print_numbers
start thread3
join thread3
end
EOT
play ran 3 "goal failed: ran thread3 print_letters (saw: thread3 ran print_numbers)"

exercise() { # exercise NAME BODY: a safe_add exercise whose task is BODY
	cat >"$tmp/$1.weft" <<EOT
# title: $1
shared x = 100
exercise Add 10 twice, under the lock m.
goal var x = 120
goal ran a1 safe_add
goal locked a1 m
goal locked a2 m
goal state a2 = joined
solution
task safe_add(n) { $2 }
spawn thread a1 safe_add 10
spawn thread a2 safe_add 10
start a1 a2
join a1 a2
end
EOT
}
exercise nolock 'x += n'
play nolock 3 "goal failed: locked a1 m (saw: a1 never took m)"
exercise locked 'lock m; x += n; unlock m'
play locked 0 "main: joined a2"
exercise forgot 'lock m; x += n'
play forgot 1 "finished holding m"

sed -n '/^exercise/,$p' "${LESSONS_SRCDIR:?}/04-race.weft" |
	sed '/^solution$/,/^end$/{/^solution$/!{/^end$/!d}}' |
	sed 's/^solution$/solution\nset x = 3/' >"$tmp/body"
{ echo "# title: 04 by set"; echo "set x = 1"; echo "sched step"; cat "$tmp/body"; } >"$tmp/set3.weft"
play set3 3 "goal failed: state u1 = joined (saw: no worker named 'u1')"

# sem NAME SEMAPHORE-DECLARATION ASSEMBLE-BODY: lesson 10's exercise
# (its task part, goals and hints) answered with this assemble.
sem() {
	{
		echo "# title: $1"
		sed -n '/^task part/,/^solution$/p' "$LESSONS_SRCDIR/10-semaphores.weft"
		cat <<EOT
reset
sched seed 18
$2
task assemble { $3 }
spawn thread w assemble
spawn process p1 part p1
spawn thread p2 part p2
start w p1 p2
join w p1 p2
end
EOT
	} >"$tmp/$1.weft"
}
sem onewait 'semaphore ready 0' 'wait ready; print "all parts are here"'
play onewait 3 'goal failed: before p2 "p2 is ready" w "all parts are here"'
sem startone 'semaphore ready 1' 'wait ready; wait ready; print "all parts are here"'
play startone 3 'goal failed: before p2 "p2 is ready" w "all parts are here"'
sem twowaits 'semaphore ready 0' 'wait ready; wait ready; print "all parts are here"'
play twowaits 0 "main: joined p2"

# pc NAME: lesson 11's exercise (its tasks make and take, goals and
# hints) answered with the commands on standard input.
pc() {
	{
		echo "# title: $1"
		sed -n '/^task make/,/^}/p; /^task take/,/^}/p; /^exercise/,/^solution$/p' \
			"$LESSONS_SRCDIR/11-producer-consumer.weft"
		cat
		echo end
	} >"$tmp/$1.weft"
}
pc notshared <<'EOT'
reset
sched seed 7
queue q 3
set total = 0
spawn process p make 1 12
spawn thread c1 take 6
spawn process c2 take 6
start p c1 c2
join all
EOT
play notshared 3 "goal failed: var total = 78"
pc oneconsumer <<'EOT'
reset
sched seed 7
queue q 3
shared total = 0
spawn process p make 1 12
spawn thread c1 take 12
start p c1
join all
EOT
play oneconsumer 3 "goal failed: ran c2 take (saw: no worker named 'c2'"
pc settotal <<'EOT'
set total = 78
EOT
play settotal 3 "goal failed: ran p make"

# cv NAME WAIT: lesson 12's exercise (its tasks take and fill, goals
# and hints) answered with take waiting by WAIT.
cv() {
	{
		echo "# title: $1"
		sed -n '/^task fill/,/^}/p; /^exercise/,/^solution$/p' \
			"$LESSONS_SRCDIR/12-conditions.weft"
		cat <<EOT
reset
sched seed 6
condition filled m
shared count = 0
shared lowest = 0
shared got = 0
task take(n) {
    repeat n {
        lock m
        $2
        decr count
        if count < lowest { lowest = count }
        incr got
        unlock m
    }
}
spawn process c1 take 2
spawn thread c2 take 2
spawn process p fill 4
start c1 c2 p
join all
end
EOT
	} >"$tmp/$1.weft"
}
cv nocheck 'wait filled'
play nocheck 1 "join would wait forever: 'c1' is deadlocked"
cv ifcheck 'if count == 0 { wait filled }'
play ifcheck 3 "goal failed: var lowest = 0"
cv whilecheck 'while count == 0 { wait filled }'
play whilecheck 0 "main: joined p"

# pipe NAME: lesson 13's exercise (its tasks, goals and hints)
# answered with the commands on standard input.
pipe() {
	{
		echo "# title: $1"
		sed -n '/^task numbers/,/^}/p; /^task square(/,/^}/p; /^task show/,/^}/p; /^exercise/,/^solution$/p' \
			"$LESSONS_SRCDIR/13-pipeline.weft"
		echo 'reset; sched seed 5; queue q1 2; queue q2 2; queue q3 2'
		cat
		echo end
	} >"$tmp/$1.weft"
}
pipe nostop <<'EOT'
task plus_one(inq, outq) {
    get inq v
    while v != 0 {
        put outq v + 1
        get inq v
    }
}
spawn process s1 numbers q1 4
spawn process s2 square q1 q2
spawn process s3 plus_one q2 q3
spawn process s4 show q3
start s1 s2 s3 s4
join all
EOT
play nostop 1 "join would wait forever: 's4' is deadlocked"
pipe nostage <<'EOT'
spawn process s1 numbers q1 4
spawn process s2 square q1 q2
spawn process s4 show q2
start s1 s2 s4
join all
EOT
play nostage 3 'goal failed: output s4 = "got 2 got 5 got 10 got 17"'

[ "$fail" -eq 0 ] && echo "goals.sh: PASS"
exit "$fail"
