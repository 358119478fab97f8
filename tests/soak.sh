#!/bin/sh
# soak.sh: stress.sh at soak size: 1000 thread and 250 process workers,
# each printing 100 lines; every line is delivered exactly once, in its
# worker's order, and no worker is left when weft exits.
STRESS_THREADS=1000 STRESS_PROCS=250 STRESS_TICKS=100
export STRESS_THREADS STRESS_PROCS STRESS_TICKS
exec sh "${TESTS_SRCDIR:-${0%/*}}/stress.sh"
