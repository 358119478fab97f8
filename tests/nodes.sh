#!/bin/sh
# nodes.sh: node workers (SPEC 12) as the OS sees them, which a transcript
# cannot show (tests/transcripts/nodes.weft has the rest): a node's
# started line and ps row, with its host, rank and pid; a node killed from
# outside (SIGKILL), by `kill NAME` and by `kill NAME KILL`, weft going on
# after each; a seeded script that prints the same with nodes as with
# processes, but for the started lines; and no MPI process (weft's hub,
# orted, a node) left after quit, after SIGTERM, and after a script ends.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
fail=0
weft_pid=
cleanup() {
	[ -n "$weft_pid" ] && kill -9 "$weft_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

if "$WEFT" -c "spawn node n print_numbers" 2>&1 | grep -q "were not built"; then
	echo "SKIP: weft was built without nodes (Open MPI)"
	exit 77
fi

bad() {
	echo "FAIL: $*"
	fail=1
}

# poll SECONDS COMMAND...: until COMMAND succeeds, at most SECONDS.
poll() {
	n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.05
		n=$((n - 1))
	done
	"$@"
}

has() { grep -Fq -e "$1" "$tmp/out"; }

# alive PID: it exists and is not a zombie.
alive() {
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	case $st in Z*) return 1 ;; esac
	return 0
}

# The MPI processes of the weft in $weft_pid: its hub, the hub's children
# (orted), and the nodes whose pids weft printed.
mpi_pids() {
	hub=$(ps -o pid= --ppid "$weft_pid" 2>/dev/null)
	for h in $hub; do
		echo "$h"
		ps -o pid= --ppid "$h" 2>/dev/null
	done
	sed -n 's/.*started (node, host [^,]*, rank [0-9]*, pid \([0-9]*\)).*/\1/p' \
		"$tmp/out"
}

none_alive() {
	for p in $1; do
		alive "$p" && return 1
	done
	return 0
}

# start_weft: weft reading commands from a FIFO (fd 3), output in
# $tmp/out, its pid in weft_pid.
start_weft() {
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo" || exit 99
	"$WEFT" -q --no-time <"$tmp/fifo" >"$tmp/out" 2>&1 &
	weft_pid=$!
	exec 3>"$tmp/fifo"
}

say() { printf '%s\n' "$@" >&3; }

# ended_clean WHAT: weft is gone, and so is every MPI process it made.
ended_clean() {
	poll 20 sh -c "! kill -0 $weft_pid 2>/dev/null" ||
		bad "$1: weft did not end"
	poll 2 none_alive "$pids" || {
		bad "$1: MPI processes left: $(for p in $pids; do
			alive "$p" && ps -o pid=,comm= -p "$p"
		done)"
	}
	weft_pid=
}

# A node prints and is joined; ps shows its host and rank while it runs.
start_weft
say "spawn node n ticker 1000 50" "start n"
poll 30 has "n | tick 2" || bad "the node printed nothing"
grep -Eq '^n: started \(node, host [^,]+, rank 0, pid [0-9]+\)$' "$tmp/out" ||
	bad "no started line with host, rank and pid"
say "ps"
poll 10 sh -c "grep -Eq '^n +node +[a-z:]+ +[0-9]+ +- .* $(hostname) rank 0\$' '$tmp/out'" ||
	bad "ps shows no host and rank for the node"
pids=$(mpi_pids)
[ -n "$pids" ] || bad "no MPI process found for the node"

# Killed from outside: reported, and weft goes on with another node.
node=$(sed -n 's/^n: started (node, .* pid \([0-9]*\))$/\1/p' "$tmp/out")
kill -9 "$node"
poll 20 has "n: killed (its process ended)" || bad "SIGKILL from outside not reported"
say "join n" "spawn node m print_numbers" "start m" "join m"
poll 30 has "main: joined m" || bad "no node ran after one was killed"

# kill NAME stops it at its next step; kill NAME KILL ends its process.
say "spawn node k1 ticker 1000 50" "spawn node k2 ticker 1000 50" "start k1 k2"
poll 30 has "k2 | tick 1" || bad "k1 and k2 did not run"
say "kill k1" "kill k2 KILL" "join k1 k2"
poll 20 has "k1: killed (cancelled)" || bad "kill k1 did not cancel it"
poll 20 has "k2: killed (its process ended)" || bad "kill k2 KILL did not end it"
poll 20 has "main: joined k2" || bad "k1 and k2 were not joined"

# Quit with a node running: nothing of MPI is left.
say "spawn node q ticker 1000 50" "start q"
poll 30 has "q | tick 1" || bad "q did not run"
pids=$(mpi_pids)
say "quit"
exec 3>&-
ended_clean "quit"

# SIGTERM while a node runs.
start_weft
say "spawn node t ticker 1000 50" "start t"
poll 30 has "t | tick 1" || bad "t did not run"
pids=$(mpi_pids)
kill -TERM "$weft_pid"
ended_clean "SIGTERM"
exec 3>&-

# A script that ends with a node running (stopped at the end, as with
# a process).
printf 'spawn node s ticker 1000 50\nstart s\nsleep 200\nkill s\n' >"$tmp/end.weft"
"$WEFT" -q --no-time "$tmp/end.weft" >"$tmp/out" 2>&1 &
weft_pid=$!
poll 30 has "s | tick 1" || bad "s did not run"
pids=$(mpi_pids)
ended_clean "the end of a script"

# Seeded: nodes print what processes print, but for the started lines.
cat >"$tmp/seed.weft" <<'EOS'
set x = 0
queue q 2
task prod(n) {
    for i in 1..n {
        put q i
        incr x
    }
}
task cons(n) {
    repeat n {
        get q v
        print "got" v
    }
}
spawn KIND p1 prod 3
spawn KIND p2 prod 3
spawn thread c cons 6
start p1 p2 c
join p1 p2 c
vars
EOS
for kind in node process; do
	sed "s/KIND/$kind/" "$tmp/seed.weft" >"$tmp/$kind.weft"
	timeout 60 "$WEFT" -q --seed 11 "$tmp/$kind.weft" >"$tmp/$kind.out" 2>&1 ||
		bad "seeded $kind script failed: $(cat "$tmp/$kind.out")"
	grep -v ': started (' "$tmp/$kind.out" >"$tmp/$kind.rest"
done
cmp -s "$tmp/node.rest" "$tmp/process.rest" || {
	bad "seeded nodes and processes differ:"
	diff "$tmp/process.rest" "$tmp/node.rest"
}
grep -q '^\[#[0-9]*\] p1: started (node)$' "$tmp/node.out" ||
	bad "no seeded started line for node p1"
timeout 60 "$WEFT" -q --seed 11 "$tmp/node.weft" >"$tmp/again.out" 2>&1
cmp -s "$tmp/node.out" "$tmp/again.out" || bad "two seeded runs with nodes differ"

[ "$fail" -eq 0 ] || { echo "--- weft's last output:"; cat "$tmp/out"; }
exit $fail
