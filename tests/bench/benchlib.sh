# benchlib.sh: what the benchmark scripts in tests/bench share, sourced by
# steps.sh, lifecycle.sh, throughput.sh, tutorial.sh, startup.sh, sync.sh,
# python.sh and explore.sh. The sourcing script sets 'me' (its name, for
# messages) first.
#
# Every measurement is appended to $tmp/NAME.vals, one value a round, and
# the tables give the median, least and greatest of them. The order of the
# measurements rotates round by round, so no measurement always follows the
# same one. A failed run aborts the benchmark with a message and status 1; a
# missed target does not: the benchmark reports, it does not assert.
# shellcheck shell=sh disable=SC2154 # 'me' is the sourcing script's

die() {
	echo "$me: $*" >&2
	exit 1
}

# check_count NAME VALUE: exit 2 unless the setting NAME is a whole number
# from 1.
check_count() {
	case $2 in
	'' | *[!0-9]* | 0 | 0*)
		echo "$me: $1 is a whole number from 1, not '$2'" >&2
		exit 2
		;;
	esac
}

# check_rounds ROUNDS: exit 2 unless it is a whole number from 1.
check_rounds() {
	check_count ROUNDS "$1"
}

# check_args NEED USAGE COUNT: exit 2 with "usage: $me USAGE" unless
# COUNT, the script's number of arguments, is NEED or NEED + 1 (the last,
# ROUNDS, may be left out).
check_args() {
	if [ "$3" -lt "$1" ] || [ "$3" -gt $(($1 + 1)) ]; then
		echo "usage: $me $2" >&2
		exit 2
	fi
}

# need_exec WHAT FILE: dies unless FILE, the program WHAT, can be run.
need_exec() {
	[ -x "$2" ] || die "cannot run $1 '$2'"
}

# make_tmp: a temporary directory in $tmp, removed however the script ends.
make_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench.XXXXXX") ||
		die "cannot make a temporary directory"
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# have_python: whether $PYTHON (python3 unless set) runs; if it does,
# PYTHON becomes the interpreter's own path (sys.executable), so that a
# wrapper in front of it, such as pyenv's shim (a bash script that costs
# more than the interpreter's start-up), is not timed as Python, and
# PYTHON_VERSION its version. Without it the Python baselines are skipped
# and the rest goes on.
PYTHON=${PYTHON:-python3}
PYTHON_VERSION=
have_python() {
	hp_out=$("$PYTHON" -c 'import platform, sys
if sys.version_info[0] != 3 or not sys.executable:
    sys.exit(1)
print(platform.python_version(), sys.executable)' 2>/dev/null) || return 1
	PYTHON_VERSION=${hp_out%% *}
	PYTHON=${hp_out#* }
}

# python_line: which Python the baselines run, for the header.
python_line() {
	echo "python:  $PYTHON (Python $PYTHON_VERSION)"
}

# seconds OUTPUT: the last field of a 'pingpong time' line, if it is a time.
seconds() {
	printf '%s\n' "$1" | awk 'NF && $NF ~ /^[0-9]+\.[0-9]+$/ && $NF > 0 { print $NF; ok = 1 }
		END { exit !ok }'
}

# timed NAME CMD...: runs CMD under 'PINGPONG time' (stdout on /dev/null,
# stdin from /dev/null) and sets 'secs' to its wall time; a failed run or
# one that printed no time ends the benchmark, naming NAME.
timed() {
	timed_name=$1
	shift
	timed_out=$("$PINGPONG" time "$@" </dev/null) ||
		die "the $timed_name run failed (status $?)"
	# shellcheck disable=SC2034 # for the caller
	secs=$(seconds "$timed_out") ||
		die "the $timed_name run printed no time: '$timed_out'"
}

# record NAME VALUE: one round's value of NAME.
record() {
	echo "$2" >>"$tmp/$1.vals" || die "cannot write to '$tmp'"
}

# median NAME / least NAME / most NAME: over the rounds' values.
median() {
	sort -g "$tmp/$1.vals" | awk '{ r[NR] = $1 }
		END { if (NR % 2) print r[(NR + 1) / 2]
		      else print (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
}
least() { sort -g "$tmp/$1.vals" | head -n 1; }
most() { sort -g "$tmp/$1.vals" | tail -n 1; }

# rotated ROUND NAME...: the names rotated left by ROUND - 1.
rotated() {
	rot_k=$((($1 - 1) % ($# - 1)))
	shift
	while [ "$rot_k" -gt 0 ]; do
		rot_first=$1
		shift
		set -- "$@" "$rot_first"
		rot_k=$((rot_k - 1))
	done
	echo "$*"
}

# header TITLE: the title, weft's version, the date and the machine.
header() {
	hdr_cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null ||
		echo '?')
	hdr_model=$(awk -F': *' '/^(model name|Hardware|cpu model)/ { print $2; exit }' \
		/proc/cpuinfo 2>/dev/null)
	echo "weft $1 benchmark: $("$WEFT" --version | head -n 1)"
	echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "machine: $(uname -m), $hdr_cpus CPUs, ${hdr_model:-unknown CPU}"
}

# table UNIT FORMAT NAME...: median, least and greatest of each NAME, each
# printed with the printf FORMAT (a %f of some width).
table() {
	tbl_unit=$1
	tbl_fmt=$2
	shift 2
	printf '%-24s %14s %14s %14s\n' benchmark "median $tbl_unit" \
		"min $tbl_unit" "max $tbl_unit"
	for tbl_name in "$@"; do
		printf "%-24s $tbl_fmt $tbl_fmt $tbl_fmt\n" "$tbl_name" \
			"$(median "$tbl_name")" "$(least "$tbl_name")" \
			"$(most "$tbl_name")"
	done
}

# target LABEL VALUE OP LIMIT [NOTE]: one line, the value beside the target
# the issue sets (OP is <=, <, >= or >) and whether it is met. VALUE is
# printed as given; NOTE follows the verdict.
target() {
	awk -v label="$1" -v v="$2" -v op="$3" -v lim="$4" -v note="${5:-}" '
		BEGIN {
			if (op == "<=") ok = v + 0 <= lim + 0
			else if (op == "<") ok = v + 0 < lim + 0
			else if (op == ">=") ok = v + 0 >= lim + 0
			else ok = v + 0 > lim + 0
			printf "%-34s = %10s   target %-2s %-8s %s", label, v, op,
				lim, ok ? "met" : "NOT met"
			if (note != "")
				printf "%s%s", ok ? "      " : "  ", note
			printf "\n"
		}'
}

# ratio A B: A / B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'
}

# times_note WEFT BASE: "(Nx faster)", how many times weft's time goes into
# the baseline's, so that the reader need not invert a ratio below 1.
times_note() {
	awk -v w="$1" -v b="$2" 'BEGIN { printf "(%.1fx faster)\n", b / w }'
}
