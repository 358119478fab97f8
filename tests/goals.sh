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
#  9. lesson 09's exercise (a pool of four summers fed through the queue
#     jobs): summer without the lock m loses updates under the
#     exercise's seed; three stop values for four workers leave one
#     waiting on the empty queue for ever; a total only set, not shared,
#     misses the processes' sums; the lesson's own solution passes.
# 10. lesson 14's exercise (four runners, three laps, a barrier between
#     laps): laps with no barrier, or with one wait before all its laps,
#     lets r1 start lap 2 before r4 has run lap 1; a barrier of 3 for
#     four runners deadlocks; waiting after each lap, or before each
#     lap, passes.
# 11. lesson 15's exercise (three philosophers and a waiter, a semaphore
#     of 2 seats): the plain phil deadlocks under the exercise's seed, so
#     does seated with 3 seats (the waiter turns nobody away) and seated
#     that never gives its seat back; meals only set, not shared, misses
#     the process p2's meals; 2 seats given back pass.
# 12. lesson 16's exercise (step the tutorial's program so that thread2
#     prints a before thread1 prints 1, then run it to its end):
#     thread1 stepped first, or the seed that starts thread1 first,
#     fails; stopping once both have printed leaves the threads' output
#     short; the lesson's own solution passes.
# 13. lesson 17's exercise (lose two updates of counter += 1 by bytecode,
#     by hand): losing only one, stepping by line, or letting t1 finish
#     before t2 begins fails; the lesson's own solution passes.
# 14. lesson 18's exercise (split the primes below 40000 between two
#     threads, each adding its count to total under the lock m): without
#     the lock, with h2 counting from 2 as well (the primes below 20000
#     counted twice), or on processes with total only set, not shared,
#     fails; on processes with total shared, and the lesson's own
#     solution, pass.
# 15. lesson 19's exercise (make c2's assert fail by stepping two
#     buyers of the last seat): c1 stepped to its end first, or the race
#     that fails c1 instead, fails; the right interleaving passes.
# Cases 12 and 13 run Python programs: skipped when weft was built
# without Python.
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

# pool NAME DECLARATIONS DO-JOB STOPS: lesson 09's exercise (its task
# feed, goals and hints) answered with a summer that does DO-JOB with
# each job, and a feeder that puts STOPS stop values.
pool() {
	{
		echo "# title: $1"
		sed -n '/^task feed/,/^}/p; /^exercise/,/^solution$/p' \
			"$LESSONS_SRCDIR/09-many-workers.weft"
		cat <<EOT
reset
sched seed 3
queue jobs 16
$2
task summer {
    get jobs j
    while j != 0 {
        $3
        get jobs j
    }
}
spawn process f feed 10 $4
spawn thread s1 summer
spawn thread s2 summer
spawn process s3 summer
spawn process s4 summer
start f s1 s2 s3 s4
join all
end
EOT
	} >"$tmp/$1.weft"
}
pool poolnolock 'shared total = 0' 'total += j' 4
play poolnolock 3 "goal failed: var total = 55 (saw: total = 26)"
pool poolstops 'shared total = 0' 'lock m; total += j; unlock m' 3
play poolstops 1 "join would wait forever: 's1' is deadlocked"
pool poolset 'set total = 0' 'lock m; total += j; unlock m' 4
play poolset 3 "goal failed: var total = 55"
pool poolright 'shared total = 0' 'lock m; total += j; unlock m' 4
play poolright 0 "main: joined s4"

# laps NAME BARRIER-DECLARATION LAPS-BODY: lesson 14's exercise (its
# goals and hints) answered with this barrier and task laps.
laps() {
	{
		echo "# title: $1"
		sed -n '/^exercise/,/^solution$/p' "$LESSONS_SRCDIR/14-barriers.weft"
		cat <<EOT
reset
sched seed 10
$2
task laps(n) { $3 }
spawn thread r1 laps 3
spawn process r2 laps 3
spawn thread r3 laps 3
spawn process r4 laps 3
start r1 r2 r3 r4
join all
end
EOT
	} >"$tmp/$1.weft"
}
laps nobarrier '' 'for k in 1..n { print "lap" k }'
play nobarrier 3 'goal failed: before r4 "lap 1" r1 "lap 2" (saw: r4 "lap 1" came after r1 "lap 2")'
laps waitonce 'barrier mark 4' 'wait mark; for k in 1..n { print "lap" k }'
play waitonce 3 'goal failed: before r4 "lap 1" r1 "lap 2"'
laps barrier3 'barrier mark 3' 'for k in 1..n { print "lap" k; wait mark }'
play barrier3 1 "join would wait forever: 'r3' and 'r4' are deadlocked"
laps waitafter 'barrier mark 4' 'for k in 1..n { print "lap" k; wait mark }'
play waitafter 0 "main: joined r4"
laps waitbefore 'barrier mark 4' 'for k in 1..n { wait mark; print "lap" k }'
play waitbefore 0 "main: joined r4"

# waiter NAME DECLARATIONS TASK BEFORE AFTER: lesson 15's exercise (its
# task phil, goals and hints) answered with seated doing BEFORE before
# it takes the forks and AFTER once it has put them down, and the three
# philosophers running TASK.
waiter() {
	{
		echo "# title: $1"
		sed -n '/^task phil/,/^}/p; /^exercise/,/^solution$/p' \
			"$LESSONS_SRCDIR/15-philosophers.weft"
		cat <<EOT
reset
sched seed 22
$2
task seated(left, right, n) {
    repeat n {
        print "thinks"
        $4
        lock left
        lock right
        print "eats"
        incr meals
        unlock right
        unlock left
        $5
    }
}
spawn thread p1 $3 f1 f2 2
spawn process p2 $3 f2 f3 2
spawn thread p3 $3 f3 f1 2
start p1 p2 p3
join all
end
EOT
	} >"$tmp/$1.weft"
}
waiter nowaiter 'shared meals = 0' phil '' ''
play nowaiter 1 "join would wait forever: 'p1', 'p2' and 'p3' are deadlocked"
waiter seats3 'semaphore seats 3; shared meals = 0' seated 'wait seats' 'signal seats'
play seats3 1 "join would wait forever: 'p1', 'p2' and 'p3' are deadlocked"
waiter nosignal 'semaphore seats 2; shared meals = 0' seated 'wait seats' ''
play nosignal 1 "join would wait forever: 'p1', 'p2' and 'p3' are deadlocked"
waiter mealsset 'semaphore seats 2; set meals = 0' seated 'wait seats' 'signal seats'
play mealsset 3 "goal failed: var meals = 6 (saw: meals = 4)"
waiter seats2 'semaphore seats 2; shared meals = 0' seated 'wait seats' 'signal seats'
play seats2 0 "main: joined p3"

# solution LESSON: the commands of LESSON's own solution.
solution() {
	sed -n '/^solution$/,/^end$/p' "$LESSONS_SRCDIR/$1" | sed '1d;$d'
}

# py NAME LESSON: LESSON's exercise (its goals and hints) answered with
# the commands on standard input; its programs copied beside it.
py() {
	{
		echo "# title: $1"
		sed -n '/^exercise/,/^solution$/p' "$LESSONS_SRCDIR/$2"
		cat
		echo end
	} >"$tmp/$1.weft"
	cp "$LESSONS_SRCDIR"/*.py "$tmp/"
}
if "$WEFT" -c "python /dev/null" 2>&1 | grep -q "was not built"; then
	echo "SKIP: cases 12 and 13 (weft was built without Python)"
else
	py thread1first 16-tutorial.weft <<'EOT'
reset
sched step
python 16-tutorial.py
step main 10
step thread1 3
step thread2 3
step 100
join main
EOT
	play thread1first 3 'goal failed: before thread2 "a" thread1 "1" (saw: thread2 "a" came after thread1 "1")'
	py seed1 16-tutorial.weft <<'EOT'
reset
sched seed 1
python 16-tutorial.py
join main
EOT
	play seed1 3 'goal failed: before thread2 "a" thread1 "1"'
	py notfinished 16-tutorial.weft <<'EOT'
reset
sched step
python 16-tutorial.py
step main 10
step thread2 3
step thread1 3
EOT
	play notfinished 3 'goal failed: output thread1 = "1 2 3 4 5" (saw: output of thread1 is "1")'
	solution 16-tutorial.weft | py tutorialright 16-tutorial.weft
	play tutorialright 0 "main: joined process2"

	py loseone 17-counter.weft <<'EOT'
reset
sched step
sched unit line
python 17-counter.py
step main 7
sched unit bytecode
step t1 2
step t2 2
step t1 3
step t2 3
sched unit line
step 100
join main
EOT
	play loseone 3 'goal failed: output main = "counter = 4" (saw: output of main is "counter = 5")'
	py byline 17-counter.weft <<'EOT'
reset
sched step
sched unit line
python 17-counter.py
step main 7
step t1 2
step t2 2
step t1 2
step t2 2
step 100
join main
EOT
	play byline 3 'goal failed: output main = "counter = 4" (saw: output of main is "counter = 6")'
	py oneafter 17-counter.weft <<'EOT'
reset
sched step
sched unit bytecode
python 17-counter.py
step main 100
step t1 100
step t2 100
step 100
join main
EOT
	play oneafter 3 'goal failed: output main = "counter = 4" (saw: output of main is "counter = 6")'
	solution 17-counter.weft | py counterright 17-counter.weft
	play counterright 0 "main: joined t2"
fi

# prime NAME KIND DECLARATION H2-FROM UNDER-LOCK: lesson 18's exercise
# (its goals and hints) answered with h1 and h2 of KIND, total declared
# by DECLARATION, h1 counting from 2 and h2 from H2-FROM up to 40000,
# and each adding its count by UNDER-LOCK.
prime() {
	{
		echo "# title: $1"
		sed -n '/^exercise/,/^solution$/p' "$LESSONS_SRCDIR/18-speed.weft"
		cat <<EOT
$3
task primes_in(lo, hi, count, d) {
    for n in lo..hi - 1 {
        d = 2
        while d * d <= n && n % d != 0 {
            d += 1
        }
        if d * d > n {
            incr count
        }
    }
    $5
}
spawn $2 h1 primes_in 2 20000 0 0
spawn $2 h2 primes_in $4 40000 0 0
start h1 h2
join h1 h2
end
EOT
	} >"$tmp/$1.weft"
}
prime primenolock thread 'set total = 0' 20000 'total += count'
play primenolock 3 "goal failed: locked h1 m (saw: h1 never took m)"
prime primewhole thread 'set total = 0' 2 'lock m; total += count; unlock m'
play primewhole 3 "goal failed: var total = 4203 (saw: total = 6465)"
prime primeset process 'set total = 0' 20000 'lock m; total += count; unlock m'
play primeset 3 "goal failed: var total = 4203 (saw: total = 0)"
prime primeshared process 'shared total = 0' 20000 'lock m; total += count; unlock m'
play primeshared 0 "main: joined h2"
solution 18-speed.weft | {
	echo "# title: primeright"
	sed -n '/^exercise/,/^solution$/p' "$LESSONS_SRCDIR/18-speed.weft"
	cat
	echo end
} >"$tmp/primeright.weft"
play primeright 0 "main: joined h2"

# 15: lesson 19's exercise: c2's assert must fail. Stepping c1 to its
# end before c2 checks leaves c2 seeing no seat (finished); the race the
# other way round fails c1, not c2; the lesson's own solution passes.
seats() { # seats NAME STEPS...: lesson 19's exercise, solved by STEPS
	name=$1
	shift
	{
		echo "# title: $name"
		sed -n '/^task book {/,/^}/p' "$LESSONS_SRCDIR/19-explore.weft"
		sed -n '/^exercise/,/^solution$/p' "$LESSONS_SRCDIR/19-explore.weft"
		printf 'set seats = 1\nsched step\nspawn thread c1 book\n'
		printf 'spawn thread c2 book\nstart c1 c2\n'
		for step in "$@"; do
			echo "$step"
		done
		echo end
	} >"$tmp/$name.weft"
}
seats seatsserial 'step c1 5' 'step c2 2'
play seatsserial 3 "goal failed: state c2 = failed (saw: c2 is finished)"
seats seatsother 'step c2' 'step c1' 'step c2 4' 'step c1 4'
play seatsother 3 "goal failed: state c2 = failed (saw: c2 is finished)"
seats seatsright 'step c1' 'step c2' 'step c1 4' 'step c2 4'
play seatsright 0 "c2: failed (task 'book', line 3, col 5: assertion failed: oversold)"

[ "$fail" -eq 0 ] && echo "goals.sh: PASS"
exit "$fail"
