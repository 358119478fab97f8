# tty-lib.sh: helpers for the terminal tests, sourced by tests/tty-*.sh.
#
# weft runs in a detached tmux session on a private socket, in a 100x30
# pane, with its history in a temporary XDG_STATE_HOME and an empty
# inputrc. The tests type into it with send-keys and read the screen with
# capture-pane. Everything waits by polling the screen with a bounded number
# of tries; nothing sleeps blindly. Whatever happens, the tmux server and the
# temporary directory are removed on exit.
#
# The environment gives WEFT (the binary), TESTS_SRCDIR and TMUX_BIN (the
# path of tmux, or empty: then the test is skipped with status 77).
#
# Written for POSIX sh. Functions and variables are prefixed with tty_.

tty_name=${0##*/}

if [ -z "${WEFT:-}" ] || [ ! -x "$WEFT" ]; then
	echo "$tty_name: FAIL: WEFT is not set to the weft binary" >&2
	exit 1
fi
if [ -z "${TMUX_BIN:-}" ] || [ ! -x "$TMUX_BIN" ]; then
	echo "$tty_name: SKIP: tmux is not installed (TMUX_BIN is empty)"
	exit 77
fi

tty_tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-tty.XXXXXX") || {
	echo "$tty_name: FAIL: cannot make a temporary directory" >&2
	exit 1
}
tty_sock=$tty_tmp/sock
tty_pidfile=$tty_tmp/weft.pid
tty_target=weft
TTY_TIMEOUT=${TTY_TIMEOUT:-10} # seconds any single wait may take
XDG_STATE_HOME=$tty_tmp/state
INPUTRC=$tty_tmp/inputrc
export XDG_STATE_HOME INPUTRC
: >"$INPUTRC"

# The tmux client on the private server.
tty_tmux() {
	"$TMUX_BIN" -S "$tty_sock" "$@"
}

tty_cleanup() {
	tty_rc=$?
	trap - EXIT HUP INT TERM
	trap '' PIPE
	tty_pid=
	[ -s "$tty_pidfile" ] && tty_pid=$(cat "$tty_pidfile")
	tty_tmux kill-server >/dev/null 2>&1
	# kill-server hangs weft up; give it a moment to write its history.
	if [ -n "$tty_pid" ]; then
		tty_i=0
		while [ -d "/proc/$tty_pid" ] &&
			[ "$(tty_proc_state "$tty_pid")" != Z ] && [ "$tty_i" -lt 50 ]; do
			sleep 0.1
			tty_i=$((tty_i + 1))
		done
		[ "$(tty_proc_state "$tty_pid")" = Z ] || kill -KILL "$tty_pid" 2>/dev/null
	fi
	rm -rf "$tty_tmp"
	exit "$tty_rc"
}
trap tty_cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

# Single-quotes $1 for sh.
tty_quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# tty_start [WEFT-OPTION...]: runs weft in a new tmux session and waits for
# its first prompt. When weft ends, the pane prints EXIT=<status> and stays
# open, so the status can be read from the screen. The pid of weft itself
# is written to $tty_pidfile (read it with tty_weft_pid).
tty_start() {
	tty_args=
	for tty_a in "$@"; do
		tty_args="$tty_args $(tty_quote "$tty_a")"
	done
	cat >"$tty_tmp/run.sh" <<EOF
XDG_STATE_HOME=$(tty_quote "$XDG_STATE_HOME")
INPUTRC=$(tty_quote "$INPUTRC")
export XDG_STATE_HOME INPUTRC
unset NO_COLOR
# Ctrl-C goes to this shell too: it must outlive weft to print EXIT=. (A
# trap, not an ignore: weft must get SIGINT; exec resets the trap.)
trap : INT
sh -c 'echo \$\$ >"\$0" && exec "\$@"' $(tty_quote "$tty_pidfile") \\
	$(tty_quote "$WEFT")$tty_args
echo "EXIT=\$?"
exec sleep 60
EOF
	tty_tmux -f /dev/null new-session -d -s "$tty_target" -x 100 -y 30 \
		"sh $(tty_quote "$tty_tmp/run.sh")" ||
		tty_fail "cannot start tmux"
	[ -n "${TTY_NO_WAIT:-}" ] && return 0
	tty_wait_last "weft>" || tty_fail "no first prompt 'weft> '"
}

# tty_prompt_is: the last non-blank line is a prompt (perhaps with a
# lesson's command in it).
tty_prompt_is() {
	case $(tty_last_line) in "weft>" | "weft> "*) return 0 ;; esac
	return 1
}

# tty_start_lesson [WEFT-OPTION...]: as tty_start, for a lesson in present
# mode, whose first prompt may hold the lesson's first command.
tty_start_lesson() {
	TTY_NO_WAIT=1 tty_start "$@"
	tty_poll tty_prompt_is || tty_fail "no first prompt"
}

tty_weft_pid() {
	cat "$tty_pidfile" 2>/dev/null
}

# tty_type TEXT: types TEXT literally (no Enter).
tty_type() {
	tty_tmux send-keys -t "$tty_target" -l "$1"
}

# tty_keys KEY...: presses keys by tmux name: Enter, C-c, C-d, Tab...
tty_keys() {
	tty_tmux send-keys -t "$tty_target" "$@"
}

# The visible screen; tmux drops trailing spaces, so the empty prompt
# reads "weft>".
tty_screen() {
	tty_tmux capture-pane -p -t "$tty_target"
}

# The scrollback history and the screen, each wrapped line joined, without
# trailing spaces.
tty_all() {
	tty_tmux capture-pane -p -J -S - -E - -t "$tty_target" | sed 's/  *$//'
}

# The last non-blank line of the screen.
tty_last_line() {
	tty_screen | awk '/[^ ]/ { l = $0 } END { print l }'
}

# The screen row (from 0) of the last non-blank line.
tty_last_row() {
	tty_screen | awk '/[^ ]/ { n = NR } END { print n - 1 }'
}

# "X Y" of the cursor, from 0.
tty_cursor() {
	tty_tmux display-message -p -t "$tty_target" '#{cursor_x} #{cursor_y}'
}

# tty_cursor_at X: the cursor is in column X of the last non-blank line.
# Output may land between the two queries: poll it with tty_poll.
tty_cursor_at() {
	[ "$(tty_cursor)" = "$1 $(tty_last_row)" ]
}

# tty_poll CMD [ARG...]: runs CMD every 0.1 s until it succeeds, at most
# TTY_TIMEOUT seconds. Returns 1 if it never did.
tty_poll() {
	tty_tries=$((TTY_TIMEOUT * 10))
	while [ "$tty_tries" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tty_tries=$((tty_tries - 1))
	done
	"$@"
}

# tty_has TEXT: TEXT is on the screen or in the scrollback.
tty_has() { tty_all | grep -F -q -e "$1"; }
tty_last_is() { [ "$(tty_last_line)" = "$1" ]; }

# tty_wait_for TEXT: until TEXT is on the screen or in the scrollback.
tty_wait_for() { tty_poll tty_has "$1"; }
# tty_wait_last LINE: until the last non-blank screen line is exactly LINE.
tty_wait_last() { tty_poll tty_last_is "$1"; }

# tty_run TEXT [LINE]: types TEXT, presses Enter and waits until the
# command line LINE (by default TEXT: give it when TEXT ends a line typed
# before) is on the screen and a fresh prompt is back. For commands that
# return at once.
tty_run() {
	tty_line="weft> ${2:-$1}"
	tty_n=$(tty_entered "$tty_line")
	tty_type "$1"
	tty_keys Enter
	tty_poll tty_entered_ge "$tty_line" $((tty_n + 1)) ||
		tty_fail "the command line '$tty_line' was not entered"
	tty_wait_last "weft>" || tty_fail "no prompt after '$tty_line'"
}

# tty_entered LINE: how many lines read exactly LINE, the last non-blank
# one (the line being edited) left out.
tty_entered() {
	tty_all | awk -v line="$1" '
		{ l[NR] = $0 } /[^ ]/ { last = NR }
		END { for (i = 1; i < last; i++) n += l[i] == line; print n + 0 }'
}
tty_entered_ge() { [ "$(tty_entered "$1")" -ge "$2" ]; }

# The highest N of "NAME | tick N" so far (0 if none), wherever it is on a
# line (so that ticks mixed into other text count too: other checks see to
# that).
tty_last_tick() {
	tty_all | awk -v w="$1" '
		{
			s = $0
			while (match(s, "(^|[] ])" w " [|] tick [0-9]+")) {
				t = substr(s, RSTART, RLENGTH)
				sub(/.* /, "", t)
				if (t + 0 > n)
					n = t + 0
				s = substr(s, RSTART + RLENGTH)
			}
		}
		END { print n + 0 }'
}
tty_tick_ge() { [ "$(tty_last_tick "$1")" -ge "$2" ]; }
# tty_wait_tick NAME N: until NAME has printed tick N (or later).
tty_wait_tick() { tty_poll tty_tick_ge "$1" "$2"; }

# The state letter of process PID (R, S, Z...), empty if it is gone.
tty_proc_state() {
	sed -n 's/.*) \(.\) .*/\1/p' "/proc/$1/stat" 2>/dev/null
}

tty_dump() {
	echo "---- screen and scrollback, each line after a '|' ----"
	tty_all 2>&1 | awk '{ lines[NR] = $0 } /[^ ]/ { n = NR }
		END { for (i = 1; i <= n; i++) print "|" lines[i] }'
	echo "---- cursor: $(tty_cursor 2>&1) ----"
}

# tty_fail MESSAGE: reports, shows the screen and ends the test with 1.
tty_fail() {
	echo "$tty_name: FAIL: $*" >&2
	tty_dump >&2
	exit 1
}

tty_pass() {
	echo "$tty_name: PASS"
	exit 0
}
