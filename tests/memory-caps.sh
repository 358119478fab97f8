#!/bin/sh
# memory-caps.sh: what weft keeps is bounded in bytes, not only in count.
# Under `ulimit -v 1000000` (about 1 GB of address space) one print of
# 10,000 references to a 60 KB word is cut at 4 MiB with a marker that
# says how long it was, and twelve threads that each print a 60 KB word
# 2,000 times (1.4 GB in all) end, are joined and leave weft with status
# 0: the lines kept for a lesson's expectations stop at 64 KiB a worker,
# and the threads share two malloc arenas, not 64 MB of address space
# each.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# A sanitizer maps terabytes of shadow memory at start: no address-space
# cap can hold it, so the test says so and is skipped.
if [ -n "${WEFT_SANITIZED:-}" ]; then
	echo "memory-caps.sh: SKIP: a sanitizer's shadow memory cannot live under ulimit -v"
	exit 77
fi

word=$(head -c 60000 /dev/zero | tr '\0' w)
refs=$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf " s" }')

# run NAME: runs $tmp/NAME.weft under the address-space cap, each run of
# w squeezed to one, and notes its status.
run() {
	(
		ulimit -v 1000000 || exit 99
		"$WEFT" --no-time "$tmp/$1.weft" 2>&1
		echo "status $?"
	) | tr -s w >"$tmp/$1.out"
}

# check NAME PATTERN: one line of NAME's output matches PATTERN.
check() {
	if ! grep -q -e "$2" "$tmp/$1.out"; then
		echo "FAIL: $1: no line matches: $2; it printed:"
		head -40 "$tmp/$1.out"
		fail=1
	fi
}

cat >"$tmp/wide.weft" <<EOT
task wide(s) { print$refs }
spawn thread t wide $word
start t
join t
EOT
run wide
check wide '\.\.\. \[cut: 600009999 bytes in all\]$'
check wide '^main: joined t$'
check wide '^status 0$'

{
	echo 'task chatty(s) { repeat 2000 { print s } }'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "spawn thread t$i chatty $word"
	done
	echo 'start all'
	echo 'join all'
	echo 'ps'
} >"$tmp/many.weft"
run many
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	check many "^main: joined t$i\$"
done
check many '^status 0$'

exit $fail
