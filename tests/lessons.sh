#!/bin/sh
# lessons.sh: every lesson in lessons/ runs as a plain script without a
# terminal and exits 0, and every worker it starts prints its whole output,
# in its own order, then finishes and is joined.
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
	# Each worker's lines, in order, must be one of the tutorial's.
	if ! awk '
		/ \| / { seen[$1] = seen[$1] $3 }
		/: finished \(exit 0\)$/ { fin[substr($1, 1, length($1) - 1)] = 1 }
		/^main: joined / { joined[$3] = 1 }
		END {
			n = 0
			for (w in seen) {
				n++
				if (seen[w] != "12345" && seen[w] != "abcde") {
					print "worker " w " printed " seen[w]; bad = 1
				}
				if (!(w in fin)) { print w " did not finish"; bad = 1 }
				if (!(w in joined)) { print w " was not joined"; bad = 1 }
			}
			if (n == 0) { print "no worker printed anything"; bad = 1 }
			exit bad
		}' "$tmp/out"; then
		echo "FAIL: $lesson"
		cat "$tmp/out"
		fail=1
	fi
done
exit $fail
