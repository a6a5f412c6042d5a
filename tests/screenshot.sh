#!/bin/sh
# Takes the README's screenshot: the demo data's overview in headless Chromium.
# Usage: sh tests/screenshot.sh OUT.png
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/docs/overview.png}
TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'kill $pid 2> /dev/null; rm -rf "$TMP"' EXIT
"$ROOT/build/paybackd" -q -c "$ROOT/config/demo/payback.yaml" --db "$TMP/demo.db" ingest
"$ROOT/build/paybackd" -q -c "$ROOT/config/demo/payback.yaml" --db "$TMP/demo.db" \
	serve --listen "127.0.0.1:$PORT" &
pid=$!
for i in $(seq 50); do
	python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz')" 2> /dev/null && break
	sleep 0.1
done
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--hide-scrollbars --user-data-dir="$TMP/chromium" --window-size=1200,1000 \
	--screenshot="$OUT" "http://127.0.0.1:$PORT/" 2> /dev/null
echo "wrote $OUT"
