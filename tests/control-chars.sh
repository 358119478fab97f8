#!/bin/sh
# control-chars.sh: text from a lesson (its title, say, exercise and hint
# lines, an expectation's report) and input echoed in error messages reach
# the terminal with control characters made visible (ESC as ^[, BEL as
# ^G), as worker output does: a lesson cannot clear the screen, set the
# window title or write the clipboard (OSC 52).
set -u
: "${WEFT:?}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

esc=$(printf '\033')
bel=$(printf '\007')
# raw FILE: FILE holds an ESC or a BEL byte.
raw() { grep -q -e "$esc" -e "$bel" "$1"; }

printf '%s\n' "# title: Tricks ${esc}]0;pwned${bel}" \
	"say clear ${esc}[2J now" \
	'spawn thread t1 print_numbers' 'start t1' 'join t1' \
	"exercise in ${esc}[31mred" 'goal state t2 = joined' \
	"hint ${esc}]52;c;aGk=${bel}" \
	'solution' 'spawn thread t2 print_numbers' 'start t2' 'join t2' \
	'end' >"$tmp/l.weft"
"$WEFT" --no-time --lesson "$tmp/l.weft" --mode auto --delay 0 \
	>"$tmp/out" 2>&1
if raw "$tmp/out" || ! grep -qxF '== Tricks ^[]0;pwned^G' "$tmp/out" ||
	! grep -qxF -- '-- clear ^[[2J now' "$tmp/out" ||
	! grep -qxF 'exercise: in ^[[31mred' "$tmp/out"; then
	echo "FAIL: a lesson's text reached the terminal raw:"
	cat -v "$tmp/out"
	fail=1
fi

"$WEFT" --no-time -c "nope${esc}[2J" >"$tmp/out" 2>&1
if raw "$tmp/out" ||
	! grep -qF "error: unknown command 'nope^[[2J'" "$tmp/out"; then
	echo "FAIL: an error echoed its input raw:"
	cat -v "$tmp/out"
	fail=1
fi
[ "$fail" = 0 ] && echo "control-chars.sh: PASS"
exit "$fail"
