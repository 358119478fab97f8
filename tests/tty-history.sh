# tty-history.sh: commands typed at the prompt are kept in
# $XDG_STATE_HOME/weft/history, and come back with the Up arrow in the
# next session.

. "${TESTS_SRCDIR:-${0%/*}}/tty-lib.sh"

tty_start
tty_run "spawn thread hist1 print_numbers"
tty_run "tasks"
tty_type "quit"; tty_keys Enter
tty_wait_for "EXIT=0" || tty_fail "weft did not exit 0"
file=$XDG_STATE_HOME/weft/history
[ -f "$file" ] || tty_fail "no history file at $file"
grep -qx "spawn thread hist1 print_numbers" "$file" ||
	tty_fail "the spawn command is not in $file"
grep -qx "tasks" "$file" || tty_fail "'tasks' is not in $file"
tty_tmux kill-server

tty_start
tty_keys Up Up Up
tty_wait_last "weft> spawn thread hist1 print_numbers" ||
	tty_fail "Up did not bring back the spawn command"
tty_pass
