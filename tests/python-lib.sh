# python-lib.sh: what the Python test scripts share, sourced first: the
# environment they need, a temporary directory, the skip when weft was
# built without Python, and their checks of weft's output. A failed
# check prints why and sets fail; the script exits with it.
# shellcheck shell=sh disable=SC2034 # py, lessons and fail are the scripts'
set -u
: "${WEFT:?}" "${TESTS_SRCDIR:?}"
py=$TESTS_SRCDIR/python
# The lessons' programs, tested as shipped (17-counter.py's lost update).
lessons=${LESSONS_SRCDIR:-$TESTS_SRCDIR/../lessons}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

if "$WEFT" -c "python /dev/null" 2>&1 | grep -q "was not built"; then
	echo "SKIP: weft was built without Python"
	exit 77
fi

# feed NAME WANT-STATUS [OPTION...]: weft reads $tmp/in on its standard
# input; its output (both streams, no time) in $tmp/out.
feed() {
	name=$1 want=$2
	shift 2
	timeout 60 "$WEFT" --no-time "$@" <"$tmp/in" >"$tmp/out" 2>&1
	st=$?
	if [ "$st" -ne "$want" ]; then
		echo "FAIL: $name: status $st, not $want"
		cat "$tmp/out"
		fail=1
	fi
}

# has_in NAME FILE LINE...: each LINE is a whole line of FILE.
has_in() {
	name=$1 file=$2
	shift 2
	for line in "$@"; do
		if ! grep -Fqx -e "$line" "$file"; then
			echo "FAIL: $name: no line '$line' in:"
			cat "$file"
			fail=1
			return
		fi
	done
}

# has NAME LINE...: each LINE is a whole line of weft's output, $tmp/out
# (and $tmp/err, where a script keeps the errors apart).
has() {
	cat "$tmp/out" >"$tmp/seen"
	[ -f "$tmp/err" ] && cat "$tmp/err" >>"$tmp/seen"
	h_name=$1
	shift
	has_in "$h_name" "$tmp/seen" "$@"
}

# hasnt NAME TEXT: no line of $tmp/out holds TEXT.
hasnt() {
	if grep -Fq -e "$2" "$tmp/out"; then
		echo "FAIL: $1: '$2' in:"
		cat "$tmp/out"
		fail=1
	fi
}
