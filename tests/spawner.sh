#!/bin/sh
# spawner.sh: process workers are forked by the spawner (src/spawner.c),
# a small process weft forks for that, and are weft's own children all the
# same.
#  1. A running process worker's parent is weft; the spawner is weft's
#     child too; after weft ends, neither is left.
#  2. The spawner killed from outside between two starts: the next start
#     makes another and works; the worker started before is untouched.
#  3. The spawner's fork failing (tests/fault-inject.so): one error line,
#     the worker stays new and starts later.
# 1 to 3 are skipped on a kernel that cannot tell a thread's tid address,
# where there is no spawner.
#  4. No spawner (the shim makes PR_GET_TID_ADDRESS fail, as on a kernel
#     without it; or makes the spawner's clone fail with EPERM, as under a
#     seccomp filter): weft forks the workers itself, and a seeded script
#     prints exactly what it prints with the spawner.

name=spawner
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

# spawner_of WEFT P...: the one child of WEFT that is none of P.
spawner_of() {
	w=$1
	shift
	for c in $(children_of "$w"); do
		case " $* " in *" $c "*) ;; *) echo "$c" ;; esac
	done
}

# 1 and 2, through a FIFO. Without a tid address (tid_address) there is
# no spawner, and 1 to 3 have nothing to test.
if ! tid_address; then
	echo "$me: SKIP (1 to 3): the kernel does not tell a tid address:" \
		"weft forks its workers itself"
else
	label="[running] "
	mkfifo "$tmp/in" || fail "cannot make a FIFO"
	"$WEFT" --no-time <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	exec 3>"$tmp/in"
	printf '%s\n' "spawn process p1 ticker 1000 100" "start p1" >&3
	poll 10 ticked p1 1 || fail "p1 does not tick"
	p1=$(pid_of p1)
	[ -n "$p1" ] || fail "no 'p1: started (process, pid N' line"
	[ "$(proc_ppid "$p1")" = "$pid" ] || fail "p1 (pid $p1) is not weft's child"
	sp=$(spawner_of "$pid" "$p1")
	[ -n "$sp" ] || fail "weft has no child but p1: where is its spawner?"
	[ "$(echo "$sp" | wc -l)" -eq 1 ] || fail "weft has more children: $sp"
	[ "$(readlink "/proc/$sp/exe")" = "$(readlink "/proc/$pid/exe")" ] ||
		fail "weft's other child $sp is not weft"

	label="[spawner killed] "
	kill -KILL "$sp" || fail "cannot kill the spawner $sp"
	poll 10 ended "$sp" || fail "the spawner $sp did not die"
	printf '%s\n' "spawn process p2 print_numbers" "start p2" "join p2" >&3
	poll 10 has "main: joined p2" || fail "p2 did not run after the spawner died"
	ticked p1 1 || fail "p1 stopped ticking"
	[ -d "/proc/$sp" ] && fail "the killed spawner $sp was not reaped"
	sp2=$(spawner_of "$pid" "$p1")
	[ -n "$sp2" ] && [ "$sp2" != "$sp" ] || fail "no new spawner (children: $sp2)"
	printf 'quit\n' >&3
	exec 3>&-
	wait_weft
	[ "$rc" -eq 0 ] || fail "weft exited with $rc, not 0"
	[ -s "$tmp/err" ] && fail "weft wrote to stderr"
	for p in "$p1" "$(pid_of p2)" "$sp2"; do
		[ -d "/proc/$p" ] && fail "pid $p outlived weft: state $(proc_state "$p")"
	done
fi

# 3 and 4 need the shim before libc's fork, prctl and syscall.
shim=${FAULT_INJECT:-${WEFT%/*}/../tests/fault-inject.so}
[ -f "$shim" ] || fail "no $shim: build it with 'make tests/fault-inject.so'"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
with_shim() {
	env LD_PRELOAD="${LD_PRELOAD:+$LD_PRELOAD:}$shim" "$@"
}
label=
with_shim WEFT_FAULT_INJECT_CHECK=1 "$WEFT" -c ps </dev/null >/dev/null 2>"$tmp/err"
case $(head -n 1 "$tmp/err") in
"fault-inject: active") ;;
"fault-inject: not interposed")
	echo "$me: SKIP (3 and 4): weft defines fork, prctl or syscall itself"
	echo "$me: PASS"
	exit 0
	;;
*) fail "the shim $shim was not loaded into weft" ;;
esac

if tid_address; then
	label="[clone fails] "
	printf '%s\n' "spawn process p1 print_letters" "spawn process p2 print_numbers" \
		"start p1" "ps" "start p1" "join p1" "start p2" "join p2" >"$tmp/s.weft"
	with_shim WEFT_FAIL_CLONE=1 "$WEFT" --no-time --keep-going "$tmp/s.weft" \
		</dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	printf '%s\n' "$tmp/s.weft:3: error: cannot start 'p1': fork: Resource temporarily unavailable" |
		cmp -s - "$tmp/err" || fail "stderr is not the one line expected"
	[ "$rc" -eq 1 ] || fail "weft exited with $rc, not 1"
	grep -E -q '^p1 +process +new ' "$tmp/out" || fail "ps does not show p1 new"
	has "main: joined p1" || fail "p1 did not run when started again"
	has "main: joined p2" || fail "p2 did not run"
fi

label="[no spawner] "
cat >"$tmp/s.weft" <<'EOF'
task add(n) { repeat n { incr x } }
task show { print "y is" y; y = y + 1 }
task crash_me { print "bye"; crash }
set y = 5
spawn process p1 add 20
spawn thread t1 add 20
start p1 t1
join p1 t1
vars
spawn process p2 show
start p2; join p2
vars
spawn process p3 crash_me
start p3; join p3
EOF
# seeded OUT [VAR=VALUE]: the script, seeded, its output and status in
# OUT; with VAR=VALUE, through the shim.
seeded() {
	out=$1
	shift
	if [ $# -gt 0 ]; then
		with_shim "$@" "$WEFT" --no-time --seed 3 "$tmp/s.weft"
	else
		"$WEFT" --no-time --seed 3 "$tmp/s.weft"
	fi </dev/null >"$out" 2>&1
	echo "status $?" >>"$out"
}
seeded "$tmp/with"
# No tid address, or the spawner's clone refused (a seccomp filter, say):
# weft forks itself, from the first start on.
for how in WEFT_NO_TID_ADDRESS=1 WEFT_CLONE_EPERM=1; do
	label="[no spawner, $how] "
	seeded "$tmp/without" "$how"
	cmp -s "$tmp/with" "$tmp/without" || {
		diff "$tmp/with" "$tmp/without" >&2
		fail "the script prints otherwise (diff: - with a spawner, + without)"
	}
done
label=

grep -q "^p3: killed by signal 11" "$tmp/with" ||
	fail "p3 did not die of SIGSEGV: $(cat "$tmp/with")"
grep -q "^p2 | y is 5" "$tmp/with" || fail "p2 did not see y = 5"
echo "$me: PASS"
exit 0
