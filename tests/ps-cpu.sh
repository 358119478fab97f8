#!/bin/sh
# ps-cpu.sh: ps's CPU column is CPU time the OS counted, for both kinds of
# worker. A thread and a process spinning in `while 1 { }` show more than
# a sleeping thread and process, while they run and after they were killed
# and joined (a thread's figure from its last record, a process's from
# wait4); a thread and a process that did a fixed amount of work and
# finished keep theirs once joined; a worker not started shows "-".
# Only floors and "busy above idle", with wide margins: the machine is
# shared, so no figure is bounded from above.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99

# 1.5 s of spinning, even on a loaded machine, is far more than the floor
# of 0.05 s; a sleeper uses next to nothing. 3,000,001 steps take about
# 0.1 s of CPU here, and would still reach the floor of 0.02 s on a
# machine five times faster.
printf '%s\n' 'task spin { while 1 { } }' 'task nap { sleep 600000 }' \
	'task work { for i in 1..3000000 { } }' \
	'spawn thread bt spin' 'spawn process bp spin' \
	'spawn thread it nap' 'spawn process ip nap' \
	'spawn thread wt work' 'spawn process wp work' 'spawn thread nw work' \
	'start bt bp it ip wt wp' 'sleep 1500' 'ps' \
	'kill bt' 'kill bp' 'kill it' 'kill ip' 'join bt bp it ip wt wp' \
	'ps' >s.weft
"$WEFT" --no-time s.weft >out 2>&1 || {
	echo "FAIL: weft exited $?"
	cat out
	exit 1
}

# "TABLE NAME CPU" for each row of each ps table, the column found by
# its name in the header.
awk '$1 == "NAME" && $2 == "KIND" {
	t++; cpu = 0
	for (i = 1; i <= NF; i++)
		if ($i == "CPU") cpu = i
	next
}
t && cpu && ($2 == "thread" || $2 == "process") { print t, $1, $cpu }' \
	out >cpu

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
# fig TABLE NAME: NAME's CPU figure in ps table TABLE.
fig() {
	awk -v t="$1" -v w="$2" '$1 == t && $2 == w { print $3 }' cpu
}
# ge A B, gt A B: A >= B, A > B, as decimal numbers.
ge() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'
}
gt() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'
}

[ "$(awk 'END { print $1 }' cpu)" = 2 ] || bad "not two ps tables"
for t in 1 2; do
	for w in bt bp it ip wt wp; do
		f=$(fig $t $w)
		printf '%s\n' "$f" | grep -E -q '^[0-9]+\.[0-9][0-9]$' ||
			bad "ps $t: $w's CPU is '$f', not seconds with two decimals"
	done
	[ "$(fig $t nw)" = "-" ] || bad "ps $t: nw, not started, shows '$(fig $t nw)'"
done
[ "$fail" = 0 ] || { cat out; exit 1; }

for w in bt bp; do
	live=$(fig 1 $w) joined=$(fig 2 $w)
	ge "$live" 0.05 || bad "$w spun 1.5 s but ps shows $live s of CPU"
	ge "$joined" "$live" ||
		bad "$w showed $live s of CPU while it ran, $joined s once joined"
done
for w in it ip; do
	for t in 1 2; do
		ge 0.05 "$(fig $t $w)" ||
			bad "ps $t: $w slept but shows $(fig $t $w) s of CPU"
	done
done
for pair in "bt it" "bp ip"; do
	set -- $pair
	for t in 1 2; do
		gt "$(fig $t "$1")" "$(fig $t "$2")" || bad "ps $t: busy $1" \
			"($(fig $t "$1") s) not above idle $2 ($(fig $t "$2") s)"
	done
done
for w in wt wp; do
	ge "$(fig 2 $w)" 0.02 ||
		bad "$w took 3,000,001 steps, but once joined shows $(fig 2 $w) s"
done

[ "$fail" = 0 ] || cat out
exit $fail
