#!/bin/sh
# lessons.sh: every lesson in lessons/ has a title, at least one expect
# and one exercise, and passes `weft --lesson FILE --mode check` (exit 0,
# no error line, solutions run and goals met); every worker it starts
# ends (finished, failed, or killed by the lesson) and is joined. (What each
# worker printed, and in which order, is for the lessons' own expects.)
# A lesson that runs Python programs (a 'python FILE' line) ships each
# FILE beside it; when weft was built without Python it is skipped, and
# the others are played. So is a lesson that spawns nodes (a 'spawn node'
# line) when weft was built without Open MPI.
set -u
: "${WEFT:?}" "${LESSONS_SRCDIR:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
nopython=
if "$WEFT" -c "python /dev/null" 2>&1 | grep -q "was not built"; then
	nopython=1
fi
nonodes=
if "$WEFT" -c "spawn node n print_numbers" 2>&1 | grep -q "were not built"; then
	nonodes=1
fi
for lesson in "$LESSONS_SRCDIR"/*.weft; do
	head -n 1 "$lesson" | grep -q '^# title: .' ||
		{ echo "FAIL: $lesson has no '# title:' line"; fail=1; }
	grep -q '^expect ' "$lesson" ||
		{ echo "FAIL: $lesson has no expect"; fail=1; }
	grep -q '^exercise ' "$lesson" ||
		{ echo "FAIL: $lesson has no exercise"; fail=1; }
	for prog in $(sed -n 's/^python \([^ ]*\).*/\1/p' "$lesson" | sort -u); do
		[ -f "$LESSONS_SRCDIR/$prog" ] ||
			{ echo "FAIL: $lesson runs $prog, which is not beside it"; fail=1; }
	done
	# Installed, and in the tarball: Makefile.am lists it and each of its
	# programs.
	if [ -f "$LESSONS_SRCDIR/../Makefile.am" ]; then
		for f in "$lesson" $(sed -n 's/^python \([^ ]*\).*/\1/p' "$lesson"); do
			grep -q "lessons/$(basename "$f")" "$LESSONS_SRCDIR/../Makefile.am" ||
				{ echo "FAIL: Makefile.am does not install lessons/$(basename "$f")"; fail=1; }
		done
	fi
	if [ -n "$nopython" ] && grep -q '^python ' "$lesson"; then
		echo "SKIP: $lesson (weft was built without Python)"
		continue
	fi
	if [ -n "$nonodes" ] && grep -q '^spawn node ' "$lesson"; then
		echo "SKIP: $lesson (weft was built without Open MPI)"
		continue
	fi
	"$WEFT" --no-time --lesson "$lesson" --mode check >"$tmp/out" 2>&1
	status=$?
	if [ "$status" -ne 0 ]; then
		echo "FAIL: $lesson exited with status $status"
		cat "$tmp/out"
		fail=1
		continue
	fi
	if ! awk '
		/(^|:[0-9]+: )error: / { print "an error: " $0; bad = 1 }
		/: started \(/ { n++; started[substr($1, 1, length($1) - 1)] = 1 }
		/: (finished \(exit [0-9]+\)|killed \(cancelled\)|killed by signal .*|failed \(.*\))$/ {
			fin[substr($1, 1, length($1) - 1)] = 1
		}
		/^main: joined / { joined[$3] = 1 }
		END {
			if (n == 0) { print "no worker started"; bad = 1 }
			for (w in started) {
				if (!(w in fin)) { print w " did not finish"; bad = 1 }
				if (!(w in joined)) { print w " was not joined"; bad = 1 }
			}
			exit bad
		}' "$tmp/out"; then
		echo "FAIL: $lesson"
		cat "$tmp/out"
		fail=1
	fi
done
exit $fail
