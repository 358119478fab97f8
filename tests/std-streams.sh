#!/bin/sh
# std-streams.sh: weft with closed or failing standard streams, and files
# that are not what was expected. stdin closed reads as empty (it must not
# poll its own event pipe for ever); stdout closed or full says why on
# stderr and exits 1; a directory as the script says so and exits 2; the
# trace written to a full disk (export, --trace-json) is an error line and
# status 1. Each weft runs in the background with a bounded wait, so that a
# hang fails the test instead of stalling it.

name=std-streams
. "${TESTS_SRCDIR:-${0%/*}}/proc-lib.sh"

# run WANT-STATUS CMD...: runs CMD in the background, output to $tmp/out
# and $tmp/err (unless CMD redirects them itself), and waits for its end.
run() {
	want=$1
	shift
	label="[$*] "
	"$@" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_weft
	[ "$rc" = "$want" ] || fail "exit status $rc, not $want"
}
err_is() {
	[ "$(cat "$tmp/err")" = "$1" ] || fail "stderr is not '$1'"
}

# stdin closed: nothing to read; before, the event queue's doorbell took
# fd 0 and weft waited on itself.
run 0 sh -c 'exec "$0" <&-' "$WEFT"
[ -s "$tmp/err" ] && fail "weft wrote to stderr"

# stdout closed, stdout on a full disk: the output is lost, and said so.
run 1 sh -c 'exec "$0" -c ps >&-' "$WEFT"
err_is "weft: cannot write the output: Bad file descriptor"
run 1 sh -c 'exec "$0" -c ps >/dev/full' "$WEFT"
err_is "weft: cannot write the output: No space left on device"
# stderr closed: errors have nowhere to go, the status still says it.
run 1 sh -c 'exec "$0" -c nope 2>&-' "$WEFT"

# A directory where a script was expected.
run 2 "$WEFT" "$tmp"
err_is "weft: cannot read '$tmp': Is a directory"

# The trace to a full disk: export FILE.json and --trace-json.
ln -s /dev/full "$tmp/full.json" || fail "cannot make a symbolic link"
run 1 "$WEFT" --no-time -c 'spawn thread t1 print_numbers
start t1; join t1; export '"$tmp/full.json"
err_is "error: cannot write '$tmp/full.json': No space left on device"
has "main: joined t1" || fail "no 'main: joined t1' line"
has "events written" && fail "export said it wrote the trace"
run 1 "$WEFT" --trace-json "$tmp/full.json" -c ps
err_is "weft: cannot write '$tmp/full.json': No space left on device"
echo "$me: PASS"
exit 0
