#!/usr/bin/env bash
# Browser end-to-end check of the dashboard, against `breachwatch demo` (offline samples).
#
#   tests/e2e/dashboard.sh path/to/breachwatch [screenshot.png]
#
# Builds nothing: pass a built binary (e.g. target/debug/breachwatch). Needs `chromium` and
# `curl`. Runs the demo on a free loopback port with a temporary database, loads the
# dashboard and an incident page in headless Chromium, checks that the chart SVG, the
# incident list and the incident page render without console errors, and saves a
# screenshot (default /tmp/dashboard.png; the incident page goes next to it as
# *-incident.png). Exits non-zero on any failure.
set -euo pipefail

BIN=${1:?usage: $0 path/to/breachwatch [screenshot.png]}
SHOT=${2:-/tmp/dashboard.png}
SHOT_INCIDENT="${SHOT%.png}-incident.png"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -x "$BIN" ] || { echo "FAIL: $BIN is not an executable" >&2; exit 2; }
command -v chromium >/dev/null || { echo "FAIL: chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }

WORK=$(mktemp -d)
DEMO_PID=""
cleanup() {
  if [ -n "$DEMO_PID" ] && kill -0 "$DEMO_PID" 2>/dev/null; then
    kill -INT "$DEMO_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$DEMO_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$DEMO_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; echo "--- demo output ---" >&2; cat "$WORK/demo.log" >&2 || true; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 ))
}

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
# Run from the work dir so nothing is written into the checkout.
(cd "$WORK" && exec "$BIN" --db "$WORK/demo.db" demo --listen "127.0.0.1:$PORT") >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!

for _ in $(seq 1 150); do
  grep -q "Dashboard: " "$WORK/demo.log" 2>/dev/null && curl -fsS -o /dev/null "$BASE/" 2>/dev/null && break
  kill -0 "$DEMO_PID" 2>/dev/null || fail "the demo exited early"
  sleep 0.2
done
curl -fsS -o /dev/null "$BASE/" || fail "the dashboard did not come up on $BASE"
echo "demo is serving $BASE"

# Headless Chromium with a fresh profile per run; `timeout` guards against hangs.
chrome() {
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$WORK")" --hide-scrollbars \
    --enable-logging=stderr --v=0 "$@"
}

check_console() { # $1 = chromium stderr log
  if grep -E "Uncaught|CONSOLE\(|console\.error|Refused to|Failed to load resource" "$1" >/dev/null; then
    grep -E "Uncaught|CONSOLE\(|console\.error|Refused to|Failed to load resource" "$1" >&2
    fail "console errors on the page"
  fi
}

# The dashboard: chart SVG and incident list in the rendered DOM.
chrome --dump-dom "$BASE/" >"$WORK/dashboard.html" 2>"$WORK/chrome1.log" || fail "chromium could not load $BASE/"
check_console "$WORK/chrome1.log"
grep -q "<svg" "$WORK/dashboard.html" || fail "no chart <svg> on the dashboard"
grep -q 'id="trends"' "$WORK/dashboard.html" || fail "no trends section"
grep -q 'id="incidents"' "$WORK/dashboard.html" || fail "no incident list"
ROWS=$(grep -o 'class="incident"' "$WORK/dashboard.html" | wc -l)
[ "$ROWS" -ge 1 ] || fail "the incident list is empty"
if grep -Eo '<(script|link|img)[^>]+(src|href)="https?://[^"]+' "$WORK/dashboard.html" | grep -v "127.0.0.1" >/dev/null; then
  fail "the dashboard loads an external asset"
fi
echo "dashboard: chart and $ROWS incident row(s) rendered"

chrome --screenshot="$SHOT" --window-size=1280,1600 "$BASE/" 2>"$WORK/chrome2.log" >/dev/null || fail "screenshot failed"
[ -s "$SHOT" ] || fail "no screenshot written"
echo "screenshot: $SHOT"

# An incident page, found from the list.
INCIDENT=$(grep -o 'href="/incidents/[^"]*"' "$WORK/dashboard.html" | head -1 | sed 's/href="//; s/"$//')
[ -n "$INCIDENT" ] || fail "no incident link on the dashboard"
chrome --dump-dom "$BASE$INCIDENT" >"$WORK/incident.html" 2>"$WORK/chrome3.log" || fail "chromium could not load $INCIDENT"
check_console "$WORK/chrome3.log"
grep -q 'id="sources"' "$WORK/incident.html" || fail "no sources on $INCIDENT"
grep -q 'id="timeline"' "$WORK/incident.html" || fail "no timeline on $INCIDENT"
grep -q '<h1>' "$WORK/incident.html" || fail "no heading on $INCIDENT"
chrome --screenshot="$SHOT_INCIDENT" --window-size=1280,1600 "$BASE$INCIDENT" 2>/dev/null >/dev/null || fail "incident screenshot failed"
echo "incident page $INCIDENT rendered; screenshot: $SHOT_INCIDENT"

# The other pages answer.
curl -fsS "$BASE/sources" | grep -q 'id="source-health"' || fail "/sources did not render"
curl -fsS "$BASE/feeds/incidents.atom" | grep -q "<feed" || fail "no Atom feed"
curl -fsS "$BASE/api/incidents" | grep -q '"id"' || fail "no incidents from the API"

echo "PASS"
