#!/bin/sh
# source.sh: `source FILE` and `lesson NAME` inside weft: the file's
# commands run where the command stands, before the commands after it;
# lesson directives work in it; a failed expectation ends a script with
# status 3 and the sourced FILE:LINE; errors are clear; `lesson` lists.
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
fail=0

# check WANT-STATUS NAME: runs script NAME.weft; its output must be
# NAME.want, exactly.
check() {
	"$WEFT" --no-time "$2.weft" >"$2.out" 2>&1
	st=$?
	if [ "$st" != "$1" ] || ! cmp -s "$2.out" "$2.want"; then
		echo "FAIL: $2.weft gave status $st (want $1):"
		diff "$2.want" "$2.out"
		fail=1
	fi
}

printf '%s\n' 'say setting x' 'set x = 2' 'expect var x = 2' >inc.weft
printf '%s\n' 'set x = 1' 'source inc.weft' 'vars' 'set x = 3' \
	'source inc.weft' 'vars' >a.weft
printf '%s\n' '-- setting x' 'x = 2' '-- setting x' 'x = 2' >a.want
check 0 a

printf '%s\n' 'set x = 5' 'expect var x = 6' 'say not reached' >bad.weft
printf '%s\n' 'source bad.weft' 'vars' >b.weft
printf '%s\n' 'bad.weft:2: error: expect failed: var x = 6 (saw: x = 5)' >b.want
check 3 b

printf '%s\n' 'set x = 1' 'frob' >mal.weft
printf '%s\n' 'source none.weft' 'source mal.weft' 'lesson nosuch' >c.weft
printf '%s\n' \
	"c.weft:1: error: cannot open 'none.weft': No such file or directory" \
	"c.weft:2: error: mal.weft:2: unknown command 'frob'" \
	"c.weft:3: error: no lesson 'nosuch' (lesson lists them)" >c.want
"$WEFT" --no-time --keep-going c.weft >c.out 2>&1
if [ $? != 1 ] || ! cmp -s c.out c.want; then
	echo "FAIL: source errors:"
	diff c.want c.out
	fail=1
fi

printf '%s\n' 'lesson 01' >n.weft
printf '%s\n' 'source n.weft' 'ps' >d.weft
"$WEFT" --no-time d.weft >d.out 2>&1
if [ $? != 1 ] || ! grep -q "^n.weft:1: error: a lesson is already running" d.out; then
	echo "FAIL: a lesson within a lesson:"
	cat d.out
	fail=1
fi

printf '%s\n' 'lesson threads' 'ps' >e.weft
"$WEFT" --no-time e.weft >e.out 2>&1
if [ $? != 0 ] || ! grep -q '^thread3  *thread  *joined ' e.out ||
	[ "$(tail -n 4 e.out | head -n 1 | cut -c1-4)" != "NAME" ]; then
	echo "FAIL: lesson threads in a script, then ps:"
	cat e.out
	fail=1
fi
"$WEFT" -c lesson >f.out 2>&1
if ! grep -q '^09  many-workers  *Many workers, one counter$' f.out; then
	echo "FAIL: lesson does not list the lessons:"
	cat f.out
	fail=1
fi
exit $fail
