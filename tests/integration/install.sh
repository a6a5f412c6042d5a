# `make install` into a DESTDIR: the tree, a kept configuration, `make
# uninstall`; the unit checked by systemd-analyze (verify, and a security
# exposure of at most 2.0) where systemd's tools are present; the man pages.
. "$(dirname "$0")/lib.sh"

D="$TMP/dest"
inst() { make -s -C "$ROOT" --no-print-directory "$@" DESTDIR="$D" PREFIX=/usr/local > "$TMP/make.log" 2>&1 || { cat "$TMP/make.log"; fail "make $*"; }; }
inst install
(cd "$D" && find . -type f | sort) > "$TMP/tree"
cat > "$TMP/want" << 'TREE'
./etc/payback/payback.yaml
./etc/sysusers.d/payback.conf
./etc/tmpfiles.d/payback.conf
./usr/local/bin/paybackd
./usr/local/lib/systemd/system/paybackd.service
./usr/local/share/man/man5/payback.yaml.5
./usr/local/share/man/man8/paybackd.8
./usr/local/share/payback/payback.yaml.example
./usr/local/share/payback/pricing.yaml
TREE
diff -u "$TMP/want" "$TMP/tree" || fail "installed tree"
echo "ok: make install puts binary, unit, sysusers, tmpfiles, config, pricing and man pages in place"
[ -x "$D/usr/local/bin/paybackd" ] || fail "binary not executable"
"$D/usr/local/bin/paybackd" -c "$D/etc/payback/payback.yaml" check > /dev/null || fail "installed config does not check"
grep -q "^ExecStart=/usr/local/bin/paybackd -c /etc/payback/payback.yaml serve$" \
	"$D/usr/local/lib/systemd/system/paybackd.service" || fail "unit ExecStart"
echo "# edited by the admin" >> "$D/etc/payback/payback.yaml"
inst install
grep -q "edited by the admin" "$D/etc/payback/payback.yaml" || fail "install overwrote the configuration"
echo "ok: a second install keeps an existing /etc/payback/payback.yaml"

if command -v systemd-analyze > /dev/null; then
	mkdir "$TMP/unit"
	# verify checks that ExecStart exists: point it at the staged binary.
	sed "s|/usr/local/bin/paybackd|$D/usr/local/bin/paybackd|" \
		"$D/usr/local/lib/systemd/system/paybackd.service" > "$TMP/unit/paybackd.service"
	systemd-analyze verify --man=no "$TMP/unit/paybackd.service" > "$TMP/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$TMP/verify")"
	[ ! -s "$TMP/verify" ] || fail "systemd-analyze verify warns: $(cat "$TMP/verify")"
	echo "ok: systemd-analyze verify passes on the unit"
	systemd-analyze security --offline=yes --no-pager "$TMP/unit/paybackd.service" > "$TMP/security" 2>&1
	score=$(sed -n 's/.*Overall exposure level for paybackd.service: \([0-9.]*\).*/\1/p' "$TMP/security")
	[ -n "$score" ] || fail "no exposure score: $(tail -3 "$TMP/security")"
	echo "systemd-analyze security paybackd.service: exposure $score"
	awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || fail "exposure $score is above 2.0"
	echo "ok: exposure $score <= 2.0 (OK)"
else
	echo "skip: systemd-analyze is not installed"
fi
if command -v groff > /dev/null; then
	for page in "$D"/usr/local/share/man/man*/*; do
		groff -mandoc -Tutf8 -ww -z "$page" > "$TMP/groff" 2>&1
		[ ! -s "$TMP/groff" ] || fail "$(basename "$page"): $(cat "$TMP/groff")"
	done
	echo "ok: the man pages format without warnings"
fi

inst uninstall
(cd "$D" && find . -type f) > "$TMP/left"
expect_eq "uninstall keeps only the edited configuration" "./etc/payback/payback.yaml" "$(cat "$TMP/left")"
rm "$D/etc/payback/payback.yaml"
inst install
inst uninstall
expect_eq "uninstall of an unchanged install leaves no file" "" "$(cd "$D" && find . -type f)"
