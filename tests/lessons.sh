#!/bin/sh
# lessons.sh: every lesson in lessons/ runs as a plain script without a
# terminal and exits 0 without an error line; every worker it starts
# finishes with exit 0 (or is killed by the lesson) and is joined, and a
# worker's numbered or lettered output keeps its order.
set -u
: "${WEFT:?}" "${LESSONS_SRCDIR:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
for lesson in "$LESSONS_SRCDIR"/*.weft; do
	if ! "$WEFT" --no-time "$lesson" >"$tmp/out" 2>&1; then
		echo "FAIL: $lesson exited with status $?"
		cat "$tmp/out"
		fail=1
		continue
	fi
	if ! awk '
		/^error:/ { print "an error: " $0; bad = 1 }
		/: started \(/ { n++; started[substr($1, 1, length($1) - 1)] = 1 }
		/: (finished \(exit 0\)|killed \(cancelled\)|killed by signal .*)$/ {
			fin[substr($1, 1, length($1) - 1)] = 1
		}
		/^main: joined / { joined[$3] = 1 }
		/ \| / && NF == 3 { seen[$1] = seen[$1] $3 }
		END {
			if (n == 0) { print "no worker started"; bad = 1 }
			for (w in started) {
				if (!(w in fin)) { print w " did not finish"; bad = 1 }
				if (!(w in joined)) { print w " was not joined"; bad = 1 }
			}
			for (w in seen)
				if (seen[w] ~ /^[0-9]+$/ && seen[w] != "12345" ||
				    seen[w] ~ /^[a-e]+$/ && seen[w] != "abcde") {
					print w " printed " seen[w] " out of order"
					bad = 1
				}
			exit bad
		}' "$tmp/out"; then
		echo "FAIL: $lesson"
		cat "$tmp/out"
		fail=1
	fi
done
exit $fail
