#!/bin/sh
# tty-nodes.sh: nodes (SPEC 12) at a terminal. A node's lines arrive
# above the prompt while a command is half typed, and the half line stays;
# nothing of Open MPI's own (orted's messages, its banners of dashes)
# reaches the screen, even when a node is killed from outside; Ctrl-C
# during `join` of a node stops the waiting, not the node; Ctrl-C during
# a node's start gives the prompt back; quit leaves no MPI process.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

if "$WEFT" -c "spawn node n print_numbers" 2>&1 | grep -q "were not built"; then
	echo "$0: SKIP: weft was built without nodes (Open MPI)"
	exit 77
fi

# Open MPI's own text, which must never be on the screen.
no_mpi_text() {
	if tty_all | grep -E -q 'Open MPI|orted|ORTE|PMIX|pmix|^-{20,}$|MPI_'; then
		tty_fail "Open MPI's own text reached the screen ($1)"
	fi
}

tty_start
pid=$(tty_weft_pid)
tty_run "spawn node n1 ticker 60 100"
tty_run "start n1"
tty_wait_for "n1: started (node, host " || tty_fail "n1 did not start"

# A half-typed line while the node ticks.
half="spawn thr"
tty_type "$half"
tty_wait_last "weft> $half" || tty_fail "'$half' was not echoed"
n=$(tty_last_tick n1)
tty_wait_tick n1 $((n + 3)) || tty_fail "no ticks of n1 while '$half' was typed"
[ "$(tty_last_line)" = "weft> $half" ] ||
	tty_fail "after n1's ticks the last line is '$(tty_last_line)'"
tty_run "ead t1 print_letters" "${half}ead t1 print_letters"
tty_run "ps"
tty_all | grep -E -q "^n1 +node +(running|blocked:sleep) +[0-9]+ +- .* rank 0$" ||
	tty_fail "ps does not show n1 as a running node with host and rank"
tty_all | grep -E -q '^t1 +thread +new ' || tty_fail "the half-typed spawn did not run"
no_mpi_text "while n1 runs"

# Ctrl-C during join stops the waiting; n1 goes on.
tty_type "join n1"
tty_keys Enter
n=$(tty_last_tick n1)
tty_wait_tick n1 $((n + 2)) || tty_fail "n1 does not tick during join"
tty_keys C-c
tty_wait_for "main: stopped waiting; still running: 'n1'" ||
	tty_fail "Ctrl-C during join of a node: no 'stopped waiting'"
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C during join"
n=$(tty_last_tick n1)
tty_wait_tick n1 $((n + 2)) || tty_fail "n1 stopped ticking after Ctrl-C"

# Killed from outside: told as weft's own line, nothing of Open MPI's.
node=$(tty_all | sed -n 's/.*n1: started (node, .* pid \([0-9]*\)).*/\1/p' | head -1)
[ -n "$node" ] || tty_fail "no pid in n1's started line"
kill -9 "$node"
tty_wait_for "n1: killed (its process ended)" || tty_fail "n1's end not told"
tty_wait_last "weft>" || tty_fail "no prompt after n1 was killed"
tty_run "join n1"
no_mpi_text "after a node was killed"

# Ctrl-C while a node starts: the prompt comes back (the node started, or
# its start was given up), and weft goes on.
tty_run "spawn node n2 print_numbers"
tty_type "start n2"
tty_keys Enter
tty_keys C-c
tty_wait_last "weft>" || tty_fail "no prompt after Ctrl-C during a node's start"
[ -d "/proc/$pid" ] || tty_fail "weft died on Ctrl-C during a node's start"
tty_run "spawn node n3 print_numbers"
tty_run "start n3"
tty_run "join n3"
tty_wait_for "n3 | 5" || tty_fail "no node ran after a start was cut short"

# quit: weft, its hub, orted and every node are gone.
hub=$(ps -o pid= --ppid "$pid" | tr -d ' ')
mpi="$hub $(for h in $hub; do ps -o pid= --ppid "$h"; done)"
tty_type "quit"
tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "quit did not end weft with status 0"
no_mpi_text "at quit"
for p in $mpi; do
	st=$(tty_proc_state "$p")
	case $st in '' | Z) ;; *) tty_fail "MPI process $p left after quit" ;; esac
done
tty_pass
