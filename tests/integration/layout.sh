# The #include graph of daemon/ and reports/ has no cycle, and the check
# that says so fails on a tree that has one.
. "$(dirname "$0")/lib.sh"

check() {
	python3 "$ROOT/tests/lint/include_cycles.py" --include "$ROOT/build/gen" "$@"
}

mkdir -p "$TMP/tree/a" "$TMP/tree/b"
printf '#include "../b/low.h"\n' > "$TMP/tree/a/high.c"
printf 'void high(void);\n' > "$TMP/tree/a/high.h"
printf 'void low(void);\n' > "$TMP/tree/b/low.h"
printf '#include "low.h"\n' > "$TMP/tree/b/low.c"
expect_status "an acyclic tree passes" 0 check "$TMP/tree"

printf '#include "low.h"\n#include "../a/high.h"\n' > "$TMP/tree/b/low.c"
expect_status "a cycle through a .c and a header fails" 1 check "$TMP/tree"
grep -q 'a/high.c (#include "../b/low.h") -> .*b/low.c (#include "../a/high.h")' "$TMP/out" ||
	fail "the cycle is named file by file: $(cat "$TMP/out")"
echo "ok: the cycle is named file by file"

cd "$ROOT" || exit 1
expect_status "daemon/ and reports/ have no include cycle" 0 check daemon reports
