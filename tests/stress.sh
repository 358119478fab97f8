#!/bin/sh
# stress.sh: 200 thread and 50 process workers, each `ticker 200 0`,
# started by `start` commands of 100 names and joined by `join all`, with
# no terminal. Every
# worker's 200 lines must arrive, each exactly once and in order, framed by
# one "started" before them and one "finished (exit 0)" and one
# "main: joined" after them, with nothing else printed; weft exits 0.

me=${0##*/}
if [ -z "${WEFT:-}" ] || [ ! -x "$WEFT" ]; then
	echo "$me: FAIL: WEFT is not set to the weft binary" >&2
	exit 1
fi

# (soak.sh runs this with 1000 thread and 250 process workers)
THREADS=${STRESS_THREADS:-200}
PROCS=${STRESS_PROCS:-50}
TICKS=${STRESS_TICKS:-200}
LIMIT=120 # seconds before weft is declared hung (it needs about one)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-stress.XXXXXX") || exit 1
pid=
cleanup() {
	rc=$?
	trap - EXIT HUP INT TERM
	trap '' PIPE
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

fail() {
	echo "$me: FAIL: $*" >&2
	if [ -s "$tmp/err" ]; then
		echo "---- weft's stderr ----" >&2
		head -n 20 "$tmp/err" >&2
	fi
	if [ -s "$tmp/out" ]; then
		echo "---- weft's stdout: first and last lines ----" >&2
		head -n 10 "$tmp/out" >&2
		echo "..." >&2
		tail -n 10 "$tmp/out" >&2
	fi
	exit 1
}

awk -v threads="$THREADS" -v procs="$PROCS" -v ticks="$TICKS" 'BEGIN {
	for (i = 1; i <= threads; i++)
		print "spawn thread t" i " ticker " ticks " 0"
	for (i = 1; i <= procs; i++)
		print "spawn process p" i " ticker " ticks " 0"
	# at most 100 names a start (a command has at most 256 words)
	n = 0
	line = "start"
	for (i = 1; i <= threads + procs; i++) {
		line = line (i <= threads ? " t" i : " p" (i - threads))
		if (++n == 100 || i == threads + procs) {
			print line
			n = 0
			line = "start"
		}
	}
	print "join all"
}' >"$tmp/script.weft"

# In the background, so that a hang is a failure, not a stuck test.
"$WEFT" --no-time "$tmp/script.weft" </dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
tries=$((LIMIT * 10))
while [ -d "/proc/$pid" ] &&
	[ "$(sed -n 's/.*) \(.\) .*/\1/p' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
	tries=$((tries - 1))
	[ "$tries" -gt 0 ] || fail "weft did not end within $LIMIT s"
	sleep 0.1
done
wait "$pid"
rc=$?
pid=

[ "$rc" -eq 0 ] || fail "weft exited with $rc, not 0"
[ -s "$tmp/err" ] && fail "weft wrote to stderr"

awk -v threads="$THREADS" -v procs="$PROCS" -v ticks="$TICKS" '
function bad(msg) {
	if (nbad++ < 10)
		print "line " NR ": " msg ": " $0
}
BEGIN {
	for (i = 1; i <= threads; i++)
		kind["t" i] = "thread"
	for (i = 1; i <= procs; i++)
		kind["p" i] = "process"
}
$2 == "|" {
	w = $1
	if (!(w in kind)) {
		bad("output of an unknown worker")
		next
	}
	if (!(w in started) || (w in finished))
		bad("output outside started..finished")
	if ($0 !~ /^[a-z0-9]+ \| tick [1-9][0-9]*$/) {
		bad("not a tick line")
		next
	}
	count[w]++
	if ($4 != next_tick[w] + 1)
		bad("expected tick " next_tick[w] + 1)
	next_tick[w] = $4 + 0 # report each gap once
	next
}
/^[A-Za-z_][A-Za-z0-9_]*: started \((thread, tid|process, pid) [0-9]+, cpu [0-9]+\)$/ {
	w = substr($1, 1, length($1) - 1)
	if (!(w in kind) || $3 != "(" kind[w] ",")
		bad("started: unknown worker or wrong kind")
	else if (w in started)
		bad("started twice")
	started[w] = 1
	nstarted++
	next
}
/^[A-Za-z_][A-Za-z0-9_]*: finished \(exit 0\)$/ {
	w = substr($1, 1, length($1) - 1)
	if (!(w in kind))
		bad("finished: unknown worker")
	else if (w in finished)
		bad("finished twice")
	else if (next_tick[w] != ticks)
		bad("finished after tick " next_tick[w] + 0)
	finished[w] = 1
	nfinished++
	next
}
/^main: joined [A-Za-z_][A-Za-z0-9_]*$/ {
	w = $3
	if (!(w in finished))
		bad("joined before it finished")
	else if (w in joined)
		bad("joined twice")
	joined[w] = 1
	njoined++
	next
}
{ bad("unexpected line") }
END {
	total = threads + procs
	for (w in kind)
		if (count[w] != ticks && nbad++ < 20)
			print w ": " count[w] + 0 " tick lines, expected " ticks
	if (nstarted != total)
		print nstarted + 0 " started lines, expected " total
	if (nfinished != total)
		print nfinished + 0 " \"finished (exit 0)\" lines, expected " total
	if (njoined != total)
		print njoined + 0 " \"main: joined\" lines, expected " total
	if (NR != total * (ticks + 3))
		print NR " lines in all, expected " total * (ticks + 3)
	exit nbad > 0 || nstarted != total || nfinished != total ||
	    njoined != total || NR != total * (ticks + 3)
}' "$tmp/out" >"$tmp/report"
[ $? -eq 0 ] || fail "the trace is wrong:
$(cat "$tmp/report")"
echo "$me: PASS ($((THREADS + PROCS)) workers, $(wc -l <"$tmp/out") lines)"
exit 0
