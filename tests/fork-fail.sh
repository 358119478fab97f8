#!/bin/sh
# fork-fail.sh: fork() and pthread_create() failing, as they do when the
# user's process limit is reached. `ulimit -u` cannot make that happen here
# (CI runs as root, which the limit does not bind), so the shim
# tests/fault-inject.so, preloaded, makes the first call fail with EAGAIN.
# Each time `start` must print one clear error line and change nothing:
# the worker stays `new`, the script goes on (--keep-going) and exits 1,
# and a second `start` runs it as if the first had never been tried.
#  1. -c stops at the failed start, with status 1, having run nothing more.
#  2. A process: fork fails, ps shows it new, start again, join.
#  3. A thread: the same with pthread_create.
#  4. `start t1 p1` where only p1's fork fails: t1 runs, p1 stays new.
# Afterwards no process of these runs is left, not even as a zombie.

name=fork-fail
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

# The shim is built next to the tests, in the build tree (make check).
shim=${FAULT_INJECT:-${WEFT%/*}/../tests/fault-inject.so}
[ -f "$shim" ] || fail "no $shim: build it with 'make tests/fault-inject.so'"
# Under gcc's ASan the runtime wants to come first of all libraries; it
# works as well second, behind the shim. Other sanitizers ignore this.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
# Every process of these runs carries this in its environment (workers
# are forked, not exec'd), so any left behind can be found afterwards.
mark="WEFT_FORK_FAIL_RUN=$$"

# weft_with [VAR=VALUE...] WEFT ARG...: runs weft with the shim preloaded,
# its output in $tmp/out and $tmp/err.
weft_with() {
	env "$mark" LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD:}$shim" "$@" \
		</dev/null >"$tmp/out" 2>"$tmp/err"
}

# A binary that defines fork and pthread_create itself (clang's static
# sanitizer runtimes do) never calls the shim: nothing to test then.
weft_with WEFT_FAULT_INJECT_CHECK=1 "$WEFT" -c ps
case $(head -n 1 "$tmp/err") in
"fault-inject: active") ;;
"fault-inject: not interposed")
	echo "$me: SKIP: weft defines fork and pthread_create itself" \
		"(a static sanitizer runtime?): the shim cannot stand in front"
	exit 77
	;;
*) fail "the shim $shim was not loaded into weft" ;;
esac

eagain="Resource temporarily unavailable"

# one_error LINE: weft's stderr is exactly LINE, one line.
one_error() {
	printf '%s\n' "$1" | cmp -s - "$tmp/err" ||
		fail "stderr is not the one line '$1'"
}

# shape: weft's stdout with the numbers (pids, tids, cpus, steps) left
# out: one word or two a line, for comparing whole runs.
shape() {
	awk '
		$1 == "NAME" && $2 == "KIND" { print "ps"; next }
		NF >= 8 && ($2 == "thread" || $2 == "process") {
			print "row " $1 " " $3; next
		}
		/^[a-z0-9]+: started \((thread|process), / {
			sub(/:$/, "", $1); print "started " $1; next
		}
		/^[a-z0-9]+ \| / { print "out " $1 " " $3; next }
		/^[a-z0-9]+: finished \(exit 0\)$/ {
			sub(/:$/, "", $1); print "finished " $1; next
		}
		/^main: joined / { print "joined " $3; next }
		{ print "other: " $0 }' "$tmp/out"
}

# want_shape LINE...: shape gives exactly these lines.
want_shape() {
	printf '%s\n' "$@" >"$tmp/want"
	shape >"$tmp/got"
	cmp -s "$tmp/want" "$tmp/got" || {
		diff "$tmp/want" "$tmp/got" >&2
		fail "weft's output is not as expected (diff: - wanted, + got)"
	}
}

# The pid from "NAME: started (process, pid N", and that it is gone now.
reaped() {
	p=$(pid_of "$1")
	[ -n "$p" ] || fail "no 'started (process, pid N' line for $1"
	[ -d "/proc/$p" ] &&
		fail "$1 (pid $p) outlived weft: state $(proc_state "$p")"
	return 0
}

# 1. -c stops at the failed start: status 1, the rest is not run.
label="[-c] "
weft_with WEFT_FAIL_FORK=1 "$WEFT" --no-time -c \
	'spawn process p1 print_numbers; start p1; ps'
rc=$?
one_error "error: cannot start 'p1': fork: $eagain"
[ -s "$tmp/out" ] && fail "commands ran after the failed start"
[ "$rc" -eq 1 ] || fail "weft exited with $rc, not 1"

# 2 and 3. start fails; the worker is new; start again runs it.
# once KIND NAME VAR CALL: the shim fails the first CALL (named by VAR).
once() {
	label="[$1] "
	printf '%s\n' "spawn $1 $2 print_numbers" "start $2" ps "start $2" \
		"join $2" ps >"$tmp/s.weft"
	weft_with "$3=1" "$WEFT" --no-time --keep-going "$tmp/s.weft"
	rc=$?
	one_error "$tmp/s.weft:2: error: cannot start '$2': $4: $eagain"
	want_shape ps "row $2 new" "started $2" "out $2 1" "out $2 2" \
		"out $2 3" "out $2 4" "out $2 5" "finished $2" "joined $2" \
		ps "row $2 joined"
	[ "$rc" -eq 1 ] || fail "weft exited with $rc, not 1"
}
once process p1 WEFT_FAIL_FORK fork
reaped p1
once thread t1 WEFT_FAIL_PTHREAD pthread_create

# 4. Of `start t1 p1` only t1 starts: it runs and is waited for; p1 is
# left new, and starts later.
label="[start t1 p1] "
printf '%s\n' "spawn thread t1 print_letters" "spawn process p1 print_numbers" \
	"start t1 p1" "join t1" ps "start p1" "join p1" >"$tmp/s.weft"
weft_with WEFT_FAIL_FORK=1 "$WEFT" --no-time --keep-going "$tmp/s.weft"
rc=$?
one_error "$tmp/s.weft:3: error: cannot start 'p1': fork: $eagain"
want_shape "started t1" "out t1 a" "out t1 b" "out t1 c" "out t1 d" \
	"out t1 e" "finished t1" "joined t1" ps "row t1 joined" "row p1 new" \
	"started p1" "out p1 1" "out p1 2" "out p1 3" "out p1 4" "out p1 5" \
	"finished p1" "joined p1"
[ "$rc" -eq 1 ] || fail "weft exited with $rc, not 1"
reaped p1

# Nothing of any run is left: no process with the mark in its environment
# (a zombie's environment reads empty: those are checked by reaped above).
label=
for e in /proc/[0-9]*/environ; do
	tr '\0' '\n' 2>/dev/null <"$e" | grep -q -x -F "$mark" &&
		fail "a process of these runs is left: ${e%/environ}," \
			"$(tr '\0' ' ' 2>/dev/null <"${e%/environ}/cmdline")"
done
echo "$me: PASS"
exit 0
