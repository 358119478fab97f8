#!/bin/sh
# layers.sh: weft's modules call one way, down: no cycle of calls between
# the files of src/ (tests/layers.py says how they are read).
set -u
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
python3 "$TESTS_SRCDIR/layers.py" "$TESTS_SRCDIR/../src"
