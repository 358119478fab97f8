#!/bin/sh
# cli.sh: weft's command line: --help and --version on stdout with status
# 0, every bad command line with status 2 and a one-line reason, and the
# FILE:LINE that errors in a script file carry.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# expect STATUS PATTERN CMD...: runs CMD, stdout and stderr together, and
# checks its exit status and that one line of its output matches PATTERN.
expect() {
	want=$1 pattern=$2
	shift 2
	"$@" >"$tmp/out" 2>&1 </dev/null
	got=$?
	if [ "$got" != "$want" ] || ! grep -q -e "$pattern" "$tmp/out"; then
		echo "FAIL: $* gave status $got (want $want), output:"
		cat "$tmp/out"
		echo "(wanted a line matching: $pattern)"
		fail=1
	fi
}

expect 0 '^Usage: weft \[OPTION\]... \[FILE\]$' "$WEFT" --help
expect 0 '^  -c, --command=CMDS' "$WEFT" -h
expect 0 '^weft [0-9]' "$WEFT" --version
expect 2 "^Try 'weft --help'" "$WEFT" --frobnicate
expect 2 "unrecognized option '--frobnicate'" "$WEFT" --frobnicate
expect 2 "requires an argument" "$WEFT" -c
expect 2 "^weft: unexpected argument 'b'" "$WEFT" a b
expect 2 "^weft: give either -c or a FILE, not both" "$WEFT" -c ps "$tmp/x"
expect 2 "^weft: cannot open '$tmp/none.weft': No such file" \
	"$WEFT" "$tmp/none.weft"

# -c: commands split at ';' and at newlines; a failure stops them (1).
expect 0 '^NAME  *KIND' "$WEFT" -c 'tasks; ps'
expect 1 "^error: unknown command 'nope'" "$WEFT" -c 'nope; ps'
expect 1 '^NAME  *KIND' "$WEFT" --keep-going -c 'nope
ps'

# A script file: errors name FILE:LINE.
printf '%s\n' 'tasks' '' 'join t1' 'ps' >"$tmp/a.weft"
expect 1 "^$tmp/a.weft:3: error: no worker named 't1'\$" "$WEFT" "$tmp/a.weft"
printf '%s\n' '# a comment' 'task bad {' '    print 1 +' '}' >"$tmp/b.weft"
expect 1 "^$tmp/b.weft:2: error: 2:14: expected a value, found the end of the line" "$WEFT" "$tmp/b.weft"
printf '%s\n' 'ps' 'task open {' '    print 1' >"$tmp/c.weft"
expect 1 "^$tmp/c.weft:2: error: task definition never closed (it began on line 2)\$" \
	"$WEFT" "$tmp/c.weft"
exit $fail
