#!/bin/sh
# python-lessons.sh: Python lines and blocks in a lesson and in a script
# run with source, as at the prompt: a lesson of Python (an assignment,
# a def with a blank line in it, a for block, an expression's value, a
# Thread started and joined, an exercise solved in Python) passes in
# check mode, each expect seeing what the lines before it printed, and
# auto mode echoes a block as typed; a syntax error on a block's third
# line refuses the lesson with FILE:LINE of that line, before anything
# runs; a mistyped command among Python lines is still told as one; a
# sourced script's blocks run whole, in the prompt's namespace, its last
# block too. Skipped when weft was built without Python.
. "${TESTS_SRCDIR:-${0%/*}}/python-lib.sh"

: >"$tmp/in"

# A lesson of Python lines passes in check mode.
feed "check mode" 0 --lesson "$py/lesson.weft" --mode check
has "check mode" "main | k 0" "main | k 1" "t1 | work 2" "main: joined t1" \
	"main | 6" "t2 | work 1" "main: joined t2" "main | counter 5"
hasnt "check mode" "error"
hasnt "check mode" "Traceback"

# Auto mode shows each block as typed: its first line after the prompt,
# the others (a blank one too) after "...> ".
feed "auto mode" 0 --lesson "$py/lesson.weft" --mode auto --delay 0
has "auto mode" "weft> def work(n):" "...>     global counter" "...> " \
	"...>         print(\"work\", i)" "weft> for k in range(2):" \
	"weft> counter * 2" "ok: output main = \"6\" (saw: output of main is \"6\")"

# A syntax error on a block's third line: refused with that line, before
# anything runs.
feed "syntax error" 2 --lesson "$py/lesson-syntax.weft" --mode check
has "syntax error" \
	"weft: $py/lesson-syntax.weft:5: column 22: SyntaxError: expected ':'"
hasnt "syntax error" "nothing runs"

# The same block in a script: source refuses it whole.
printf 'source %s\nprint("after")\n' "$py/lesson-syntax.weft" >"$tmp/in"
feed "source, syntax error" 1
has "source, syntax error" \
	"error: $py/lesson-syntax.weft:5: column 22: SyntaxError: expected ':'"
hasnt "source, syntax error" "nothing runs"

# A mistyped command among Python lines is still a mistyped command.
printf '# title: t\nx = 1\nstpe t1 2\n' >"$tmp/typo.weft"
: >"$tmp/in"
feed "mistyped" 2 --lesson "$tmp/typo.weft" --mode check
has "mistyped" \
	"weft: $tmp/typo.weft:3: unknown command 'stpe'; did you mean 'step'?"

# A sourced script's blocks run whole (a blank line in one does not end
# it), its last block too, in the namespace of the lines typed after it.
printf 'source %s\nprint(twice(total))\n' "$py/block.weft" >"$tmp/in"
feed "source" 0
has "source" "main | i 0" "main | i 3" "main | total 6" "main | 12"
hasnt "source" "error"

exit $fail
