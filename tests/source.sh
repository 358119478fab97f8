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

# A sourced file may source another: it runs there, before the rest of
# the file that sourced it; an expectation sees what it did.
printf '%s\n' 'say in c' 'expect var x = 2' >c3.weft
printf '%s\n' 'say in b' 'set x = 2' 'source c3.weft' 'say back in b' >b3.weft
printf '%s\n' 'say in a' 'set x = 1' 'source b3.weft' 'say back in a' 'vars' \
	>a3.weft
printf '%s\n' 'source a3.weft' 'set x = 5' 'vars' >nest.weft
printf '%s\n' '-- in a' '-- in b' '-- in c' '-- back in b' '-- back in a' \
	'x = 2' 'x = 5' >nest.want
check 0 nest

# A file that would source itself, directly or through others, is refused
# with the chain; so is nesting past 16 files.
printf '%s\n' 'say one' 'source loop2.weft' 'say one again' >loop1.weft
printf '%s\n' 'say two' 'source loop1.weft' 'say not reached' >loop2.weft
printf '%s\n' 'source loop1.weft' >loop.weft
printf '%s\n' '-- one' '-- two' \
	'loop2.weft:2: error: source loops: loop1.weft sources loop2.weft sources loop1.weft' \
	>loop.want
check 1 loop
printf '%s\n' 'source self.weft' >self.weft
printf '%s\n' 'self.weft:1: error: source loops: self.weft sources self.weft' \
	>self.want
check 1 self
i=1
while [ $i -le 17 ]; do
	printf '%s\n' "source deep$((i + 1)).weft" >deep$i.weft
	i=$((i + 1))
done
printf '%s\n' 'say bottom' >deep18.weft
chain=deep1.weft
i=2
while [ $i -le 17 ]; do
	chain="$chain sources deep$i.weft"
	i=$((i + 1))
done
printf '%s\n' "deep16.weft:1: error: source nested more than 16 deep: ${chain% sources deep17.weft} sources deep17.weft" >deep.want
printf '%s\n' 'source deep1.weft' >deep.weft
check 1 deep

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
if ! grep -q '^09  many-workers  *Many workers, one queue of jobs$' f.out; then
	echo "FAIL: lesson does not list the lessons:"
	cat f.out
	fail=1
fi
exit $fail
