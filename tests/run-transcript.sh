#!/bin/sh
# run-transcript.sh: runs one transcript test. The .weft script is fed to
# weft through a pipe (no terminal) with --no-time, and everything weft
# prints, stdout and stderr, plus its exit status, is compared with the
# .out file beside it. A first line "# args: ..." adds options; a line
# "# sorted" anywhere compares the lines in sorted order (for scripts whose
# workers end in an order the OS decides).
# Numbers that change from run to run (pids, tids, cpus, CPU times) are
# replaced by N first. Under `make check-valgrind` ($VALGRIND set) weft
# runs in memcheck and any error or leak fails the test.
set -u
script=$1
expected=${script%.weft}.out
: "${WEFT:?WEFT must name the weft binary}"
# A transcript that starts nodes ("# needs: nodes") runs alone among the
# tests that do (see run-script.sh).
if grep -qx '# needs: nodes' "$script" && [ -z "${WEFT_NODES_LOCKED:-}" ] &&
	command -v flock >/dev/null 2>&1; then
	WEFT_NODES_LOCKED=1 exec flock -o "${TMPDIR:-/tmp}/weft-check-nodes.lock" \
		sh "$0" "$@"
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

args=$(sed -n '1s/^# args: //p' "$script")
# "# no-valgrind: WHY" anywhere: under memcheck the test is skipped, saying
# why (valgrind changes what the test is about, not weft).
why=$(sed -n 's/^# no-valgrind: //p' "$script")
if [ -n "${VALGRIND:-}" ] && [ -n "$why" ]; then
	echo "SKIP under valgrind: $why"
	exit 77
fi
# "# needs: python": skipped when weft was built without Python. Under
# memcheck, CPython allocates with malloc, and what it reports of its own
# insides is suppressed (Debian's python3.supp and valgrind-python.supp).
if grep -qx '# needs: python' "$script"; then
	if "$WEFT" -c "python /dev/null" 2>&1 | grep -q "was not built"; then
		echo "SKIP: weft was built without Python"
		exit 77
	fi
	PYTHONMALLOC=malloc
	export PYTHONMALLOC
fi
# "# needs: nodes": skipped when weft was built without Open MPI.
if grep -qx '# needs: nodes' "$script" &&
	"$WEFT" -c "spawn node n print_numbers" 2>&1 | grep -q "were not built"; then
	echo "SKIP: weft was built without nodes (Open MPI)"
	exit 77
fi
set -- "$WEFT"
if [ -n "${VALGRIND:-}" ]; then
	for supp in /usr/lib/valgrind/python3.supp \
		"$(dirname "$0")/valgrind-python.supp"; do
		if [ -r "$supp" ]; then set -- --suppressions="$supp" "$@"; fi
	done
	set -- "$VALGRIND" --tool=memcheck --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		--child-silent-after-fork=yes --error-exitcode=99 \
		--log-file="$tmp/vg.%p" "$@"
fi

# shellcheck disable=SC2086 # args holds several options on purpose
cat "$script" | "$@" --no-time $args >"$tmp/raw" 2>&1
status=$?
if [ "$status" -eq 99 ]; then
	echo "valgrind found errors:"
	cat "$tmp"/vg.*
	exit 1
fi
echo "exit status: $status" >>"$tmp/raw"

# A ps table's columns are found by name in its header, so a column added
# or moved changes no masking here: PID, TID and CPU (seconds, two
# decimals) differ from run to run, and so does whether a live process is
# running or sleeping at that instant. A node's host is H (its OS column,
# "HOST rank R", is the last).
sed -E 's/(tid|pid) [0-9]+/\1 N/g; s/cpu [0-9]+/cpu N/g;
	s/\(node, host [^,]*, /(node, host H, /' "$tmp/raw" |
awk '$1 == "NAME" && $2 == "KIND" {
	ncol = NF; pid = tid = cpu = os = 0
	for (i = 1; i <= NF; i++) {
		if ($i == "PID") pid = i
		if ($i == "TID") tid = i
		if ($i == "CPU") cpu = i
		if ($i == "OS") os = i
	}
	$1 = $1; print; next
}
ncol && ($2 == "thread" || $2 == "process") && NF == ncol {
	if (pid && $pid ~ /^[0-9]+$/) $pid = "N"
	if (tid && $tid ~ /^[0-9]+$/) $tid = "N"
	if (cpu && $cpu ~ /^[0-9]+\.[0-9][0-9]$/) $cpu = "N"
	if (os && ($os == "running" || $os == "sleeping")) $os = "alive"
	$1 = $1; print; next
}
ncol && $2 == "node" && NF >= ncol {
	if (pid && $pid ~ /^[0-9]+$/) $pid = "N"
	if (cpu && $cpu ~ /^[0-9]+\.[0-9][0-9]$/) $cpu = "N"
	if (os && NF == ncol + 2) { $os = "H"; NF = ncol + 2 }
	$1 = $1; print; next
}
{ print }' >"$tmp/normal"
if grep -qx '# sorted' "$script"; then
	LC_ALL=C sort "$tmp/normal" >"$tmp/actual"
else
	mv "$tmp/normal" "$tmp/actual"
fi

if [ ! -f "$expected" ]; then
	echo "no expected output $expected; this run printed:"
	cat "$tmp/actual"
	exit 1
fi
if ! diff -u "$expected" "$tmp/actual"; then
	echo "FAIL: $script differs from $expected (- expected, + actual)"
	exit 1
fi
exit 0
