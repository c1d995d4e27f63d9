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
# *-incident.png). Then, driving Chromium over the DevTools protocol (a small client in
# Python's standard library), it enters the admin token on an incident page, sets a figure
# with the correction form, and checks the page and the API show it. Exits non-zero on any
# failure.
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
TOKEN="e2e-$RANDOM-$RANDOM"
(cd "$WORK" && BREACHWATCH_ADMIN_TOKEN="$TOKEN" exec "$BIN" --db "$WORK/demo.db" demo --listen "127.0.0.1:$PORT") >"$WORK/demo.log" 2>&1 &
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

# A correction from the dashboard: Chromium with a DevTools port, driven over its websocket.
DT_PORT=$(free_port)
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d -p "$WORK")" --remote-debugging-port="$DT_PORT" about:blank \
  >"$WORK/chrome4.log" 2>&1 &
CHROME_PID=$!
cat >"$WORK/cdp.py" <<'PY'
import base64, json, os, socket, struct, sys, time, urllib.request

dt_port, base, incident, token = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
for _ in range(100):
    try:
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{dt_port}/json"))
        page = next(t for t in targets if t.get("type") == "page")
        break
    except Exception:
        time.sleep(0.2)
else:
    sys.exit("no DevTools page target")
ws_path = page["webSocketDebuggerUrl"].split(f":{dt_port}", 1)[1]
sock = socket.create_connection(("127.0.0.1", int(dt_port)), timeout=30)
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((f"GET {ws_path} HTTP/1.1\r\nHost: 127.0.0.1:{dt_port}\r\nUpgrade: websocket\r\n"
              f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    head += sock.recv(1)
assert b" 101 " in head.split(b"\r\n")[0], head

def recv_exact(n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

def send(obj):
    payload = json.dumps(obj).encode()
    mask = os.urandom(4)
    n = len(payload)
    header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n))
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

def recv():
    message = b""
    while True:
        b1, b2 = recv_exact(2)
        n = b2 & 0x7F
        if n == 126:
            n = struct.unpack(">H", recv_exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", recv_exact(8))[0]
        message += recv_exact(n)
        if b1 & 0x80:
            return json.loads(message)

next_id = [0]
def call(method, **params):
    next_id[0] += 1
    send({"id": next_id[0], "method": method, "params": params})
    while True:
        m = recv()
        if m.get("id") == next_id[0]:
            if "error" in m:
                raise RuntimeError(f"{method}: {m['error']}")
            return m.get("result", {})
        if m.get("method") == "Runtime.exceptionThrown":
            sys.exit(f"page error: {m['params']}")

def js(expr):
    r = call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
    if "exceptionDetails" in r:
        raise RuntimeError(f"{expr}: {r['exceptionDetails']}")
    return r["result"].get("value")

def wait_for(expr, what):
    for _ in range(100):
        try:
            if js(expr):
                return
        except RuntimeError:
            pass  # the page is navigating
        time.sleep(0.1)
    sys.exit(f"timed out waiting for {what}")

call("Runtime.enable")
call("Page.enable")
call("Page.navigate", url=base + incident)
wait_for("document.readyState === 'complete' && !!document.getElementById('token-form')", "the incident page")
if not js("document.getElementById('forms').hidden"):
    sys.exit("the correction forms show before a token is entered")
js(f"document.getElementById('token').value = {json.dumps(token)};"
   "document.getElementById('token-form').requestSubmit(); true")
wait_for("!document.getElementById('forms').hidden", "the forms after the token")
if js("document.cookie") or token in js("location.href"):
    sys.exit("the token went into a cookie or the URL")
js("document.getElementById('set-field').value = 'affected.count';"
   "document.getElementById('set-value').value = '4242';"
   "document.getElementById('set-reason').value = 'force statement (e2e)';"
   "document.getElementById('set-form').requestSubmit(); true")
wait_for("!!document.getElementById('corrections') && document.readyState === 'complete'", "the corrected page")
text = js("document.body.innerText")
for want in ("Facts set by an analyst: affected.count", "4,242", "force statement (e2e)"):
    if want not in text:
        sys.exit(f"the corrected page does not say {want!r}")
if js("sessionStorage.getItem('breachwatch-admin-token')") != token:
    sys.exit("the token is not kept in sessionStorage")
print(js("location.pathname"))
PY
CORRECTED=$(python3 "$WORK/cdp.py" "$DT_PORT" "$BASE" "$INCIDENT" "$TOKEN") || { kill "$CHROME_PID" 2>/dev/null; fail "the correction from the dashboard"; }
kill "$CHROME_PID" 2>/dev/null || true
curl -fsS "$BASE/api/incidents/${CORRECTED#/incidents/}" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["affected"]["count"] == 4242, d["affected"]
assert d["corrected"] == ["affected.count"], d["corrected"]
assert d["corrections"][0]["reason"] == "force statement (e2e)"
' || fail "the API does not show the dashboard's correction"
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d '{"reason": "x"}' "$BASE/api$CORRECTED/dismiss")
[ "$CODE" = 401 ] || fail "a write without the token answered $CODE, not 401"
echo "correction from the dashboard: $CORRECTED shows the figure set; a write without the token is refused"

echo "PASS"
