#!/bin/sh
# run-script.sh: runs one shell-script test. Under `make check-valgrind-*`
# ($VALGRIND set) these tests are skipped: they check timing-free behaviour
# of the real binary (terminal, signals, stress), which the plain `make
# check` run covers; the valgrind run covers the unit and transcript tests.
if [ -n "${VALGRIND:-}" ]; then
	echo "skipped under valgrind: run by make check"
	exit 77
fi
exec "${SHELL:-/bin/sh}" "$@"
