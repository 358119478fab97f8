#!/bin/sh
# explore-long.sh: explore refuses a run that never ends (more than
# 100,000 steps: a worker in an endless loop) with one error line, and
# leaves the workers new and the variables as they were. Not a
# transcript: 100,000 steps would take minutes under valgrind.
set -u
: "${WEFT:?}"
out=$(printf 'task forever { while 1 { yield } }\nset x = 5\nspawn thread f forever\nspawn process g count 1\nexplore\nps\nvars\n' |
	timeout 120 "$WEFT" -q --no-time --keep-going 2>&1)
st=$?
want_err="error: explore: a run took more than 100000 steps: explore needs workers that end"
fail=0
[ "$st" -eq 1 ] || { echo "FAIL: status $st, not 1"; fail=1; }
for line in "$want_err" "x = 5"; do
	printf '%s\n' "$out" | grep -Fqx -e "$line" ||
		{ echo "FAIL: no line '$line'"; fail=1; }
done
printf '%s\n' "$out" | grep -Eq '^f +thread +new ' &&
	printf '%s\n' "$out" | grep -Eq '^g +process +new ' ||
	{ echo "FAIL: the workers are not new after"; fail=1; }
[ "$fail" -eq 0 ] || printf '%s\n' "$out"
exit $fail
