# Shared by the integration scripts: the binaries, a scratch folder, checks.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PAYBACKD=${PAYBACKD:-$ROOT/build/san/paybackd}
LOGGEN=$ROOT/build/loggen
FIXTURES=$ROOT/tests/fixtures
TMP=$(mktemp -d "${TMPDIR:-/tmp}/payback-test.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
export TZ=UTC
unset STATE_DIRECTORY
export XDG_STATE_HOME="$TMP/state"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
	echo "ok: $1"
}

# expect_status WHAT CODE COMMAND...
expect_status() {
	what=$1 want=$2
	shift 2
	"$@" > "$TMP/out" 2> "$TMP/err"
	got=$?
	[ "$got" = "$want" ] || { cat "$TMP/err" >&2; fail "$what: exit status $got, expected $want"; }
	echo "ok: $what"
}

pb() {
	"$PAYBACKD" --db "$TMP/p.db" "$@"
}

# The summary line's number for a word: events, duplicates, rejected, read.
summary_field() {
	sed -n "s/.*[ (]\([0-9,]*\) $2.*/\1/p" "$1" | tr -d ,
}
