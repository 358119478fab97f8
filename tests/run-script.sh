#!/bin/sh
# run-script.sh: runs one shell-script test. Under `make check-valgrind-*`
# ($VALGRIND set) these tests are skipped: they check timing-free behaviour
# of the real binary (terminal, signals, stress), which the plain `make
# check` run covers; the valgrind run covers the unit and transcript tests.
if [ -n "${VALGRIND:-}" ]; then
	echo "skipped under valgrind: run by make check"
	exit 77
fi
# The tests that start nodes run one at a time (make -j2 check runs two
# tests at once): Open MPI 4.1's singletons, one per weft, now and then
# lose a spawn when several run together, and weft then gives that start
# up only after 60 s. weft's own spawn lock makes it rare; this makes the
# suite's verdict not depend on it.
case ${1##*/} in
nodes.sh | tty-nodes.sh | lessons.sh | tty-lesson-prompts.sh)
	# -o: the lock stays flock's own, never a worker's or orted's.
	if command -v flock >/dev/null 2>&1; then
		exec flock -o "${TMPDIR:-/tmp}/weft-check-nodes.lock" \
			"${SHELL:-/bin/sh}" "$@"
	fi
	;;
esac
exec "${SHELL:-/bin/sh}" "$@"
