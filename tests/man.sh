#!/bin/sh
# man.sh: the manual page src/weft.1 renders without a single groff
# warning, and it keeps up with the program: every command that
# 'weft -c help' lists has an entry under COMMANDS, and every long option
# that 'weft --help' lists has one under OPTIONS. A new command or option
# makes this test fail until the page documents it.
# Skipped (77) only when groff is not installed.
set -u
: "${WEFT:?}" "${TESTS_SRCDIR:?}"
page=${WEFT_MAN:-$TESTS_SRCDIR/../src/weft.1}

if ! command -v groff >/dev/null 2>&1; then
	echo "skipped: groff is not installed"
	exit 77
fi
if [ ! -r "$page" ]; then
	echo "FAIL: no manual page at $page"
	exit 1
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# 1. No warnings of any kind, and a clean exit.
groff -man -ww -z "$page" >"$tmp/warn" 2>&1
st=$?
if [ "$st" -ne 0 ] || [ -s "$tmp/warn" ]; then
	echo "FAIL: groff -man -ww -z $page (status $st) says:"
	cat "$tmp/warn"
	fail=1
fi

# 2. The page as plain text (no bold, no underline, ASCII hyphens), and
# the lines of one of its sections: from the heading to the next one.
if ! groff -man -Tascii -P-cbou "$page" >"$tmp/page" 2>/dev/null; then
	echo "FAIL: groff cannot render $page"
	exit 1
fi
section() {
	awk -v want="$1" '
		/^[A-Z]/ { on = ($0 == want); next }
		on { print }
	' "$tmp/page"
}
section COMMANDS >"$tmp/commands"
section OPTIONS >"$tmp/options"

# 3. Every command of 'weft -c help' (the first word of each line that
# does not go on a wrapped one, up to the blank line before the pointers
# to the other topics) starts an entry (a line of its own section, after
# the indent) under COMMANDS.
"$WEFT" -c help </dev/null >"$tmp/help" 2>&1 || {
	echo "FAIL: $WEFT -c help failed:"
	cat "$tmp/help"
	exit 1
}
cmds=$(awk '!NF { exit } /^[^ ]/ { print $1 }' "$tmp/help")
if [ -z "$cmds" ]; then
	echo "FAIL: $WEFT -c help lists no commands"
	fail=1
fi
for c in $cmds; do
	if ! grep -Eq "^ +$c([ ,]|\$)" "$tmp/commands"; then
		echo "FAIL: command '$c' (from 'weft -c help') has no entry" \
			"under COMMANDS in $page"
		fail=1
	fi
done

# 4. Every long option of 'weft --help' starts an entry under OPTIONS,
# alone or after its short form ("-q, --quiet", "-c CMDS, --command=CMDS").
"$WEFT" --help </dev/null >"$tmp/usage" 2>&1 || {
	echo "FAIL: $WEFT --help failed:"
	cat "$tmp/usage"
	exit 1
}
opts=$(sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' \
	"$tmp/usage")
if [ -z "$opts" ]; then
	echo "FAIL: found no long options in $WEFT --help"
	fail=1
fi
for o in $opts; do
	if ! grep -Eq -e "^ +(-[A-Za-z][^,]*, )?$o([=, ]|\$)" "$tmp/options"
	then
		echo "FAIL: option '$o' (from 'weft --help') has no entry" \
			"under OPTIONS in $page"
		fail=1
	fi
done

exit $fail
