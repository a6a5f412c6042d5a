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

# The notify protocol as systemd speaks it: a datagram socket in NOTIFY_SOCKET.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$TMP/notify.sock" "$TMP/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "w") as out:
    while True:
        msg = s.recv(4096).decode()
        out.write(msg.replace("\n", " ") + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
PY
listener=$!
for i in $(seq 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done
printf 'timezone: UTC\n' > "$TMP/svc.yaml"
NOTIFY_SOCKET="$TMP/notify.sock" WATCHDOG_USEC=2000000 JOURNAL_STREAM=8:1 \
	"$PAYBACKD" -c "$TMP/svc.yaml" --db "$TMP/svc.db" serve --listen "127.0.0.1:$PORT" 2> "$TMP/svc.log" &
pid=$!
for i in $(seq 100); do grep -q "READY=1" "$TMP/notify.log" 2> /dev/null && break; sleep 0.1; done
python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % sys.argv[1])" "$PORT" ||
	fail "READY=1 came before the port was bound"
sleep 1.5
kill -HUP "$pid"
sleep 1
kill -TERM "$pid"
wait "$pid" || fail "exit status after SIGTERM"
wait "$listener"
cat "$TMP/notify.log"
grep -q "^READY=1" "$TMP/notify.log" || fail "no READY=1"
grep -q "^STATUS=serving 127.0.0.1:$PORT: 0 events added" "$TMP/notify.log" || fail "no STATUS"
grep -q "^WATCHDOG=1" "$TMP/notify.log" || fail "no watchdog ping"
grep -q "^RELOADING=1" "$TMP/notify.log" || fail "no RELOADING=1 on SIGHUP"
grep -q "^STOPPING=1" "$TMP/notify.log" || fail "no STOPPING=1"
echo "ok: sd_notify READY after the port is bound, STATUS, WATCHDOG, RELOADING, STOPPING"
grep -q "^<6>serving http://127.0.0.1:$PORT/" "$TMP/svc.log" || fail "journald priority prefixes: $(head -2 "$TMP/svc.log")"
echo "ok: under journald, log lines carry priority prefixes"
