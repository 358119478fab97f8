#!/bin/sh
# run.sh SECONDS SRCDIR TARGET...: runs each libFuzzer target for SECONDS
# on a corpus seeded with the transcripts and lessons (and, for the task
# target, every task in them), and fails on the first crash, leak or hang
# (the reproducer is left in the current directory, crash-*).
set -u
secs=$1 srcdir=$2
shift 2
status=0
for t in "$@"; do
	corpus=$(mktemp -d) || exit 99
	for f in "$srcdir"/tests/transcripts/*.weft "$srcdir"/lessons/*.weft; do
		cp "$f" "$corpus/$(basename "$f")"
	done
	# each task definition alone, for the task target
	awk -v dir="$corpus" '
		/^task / { n++; out = dir "/task-" n; inside = 1 }
		inside { print > out }
		inside && /^}/ { inside = 0; close(out) }' "$srcdir"/lessons/*.weft \
		"$srcdir"/tests/transcripts/*.weft
	echo "fuzzing $t for $secs s ($(ls "$corpus" | wc -l) seeds)"
	if ! "$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-max_len=4096 "$corpus" >"$corpus.log" 2>&1; then
		echo "FAIL: $t:"
		tail -n 40 "$corpus.log"
		status=1
	else
		grep -E '^(Done|#[0-9]+.*DONE)' "$corpus.log" | tail -n 1
	fi
	rm -rf "$corpus" "$corpus.log"
done
exit $status
