#!/bin/sh
# Runs the unit test binaries given as arguments, then every integration
# script, and ends with one line: "N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
failures=""
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in "$@"; do
	if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures="$failures $t"; fi
done
for t in tests/integration/*.sh; do
	[ "$(basename "$t")" = lib.sh ] && continue
	name=$(basename "$t" .sh)
	start=$(date +%s)
	if sh "$t" > "build/$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "[  PASSED  ] integration/$name ($(($(date +%s) - start)) s)"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "[  FAILED  ] integration/$name; its output:"
		sed 's/^/    /' "build/$name.log" | tail -40
	fi
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
