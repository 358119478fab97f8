#!/bin/sh
# long-lines.sh: a line past the input cap (64 KiB) is refused with one
# error naming it. Inside a task definition the whole definition is
# refused with it: the task is not defined without the line, and the rest
# of its body is not run as commands.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
fail=0

long=$(head -c 70000 /dev/zero | tr '\0' x)
{
	echo 'task a {'
	echo '    print 1'
	echo "    # $long"
	echo '    print 2'
	echo '} ; tasks'
	echo 'show task a'
	echo "# $long"
	echo 'task b { print 3 }'
	echo 'show task b'
} >t.weft
cat >want <<'END'
t.weft:3: error: line too long (more than 65536 bytes): the task definition that began on line 1 is not defined
print_numbers          prints 1 to 5, one line each
print_letters          prints a to e, one line each
ticker(n, ms)          prints tick 1 .. tick n, one every ms milliseconds
count(n)               adds 1 to the global x (set it first), n times: incr reads, adds, writes
count_locked(n)        like count, but each incr holds the lock m
t.weft:6: error: no task named 'a'
t.weft:7: error: line too long (more than 65536 bytes)
task b {
    print 3
}
END
"$WEFT" --no-time --keep-going t.weft >out 2>&1
st=$?
if [ "$st" != 1 ] || ! cmp -s out want; then
	echo "FAIL: a long line in a task gave status $st (want 1):"
	diff want out
	fail=1
fi
exit $fail
