#!/usr/bin/env bash
# Benchmark of `py2to3 memcache audit` on a local memcached holding N items (default 1,000,000:
# mixed Python 2 / Python 3 pickles of 100-2000 bytes).
#
# Measures, in one run against the same server:
#   - the audit (release build): items/s and peak memory (/usr/bin/time -v);
#   - a bare fetch of the same keys with no analysis (`--no-analysis`): the server's ceiling;
#   - the Python way (metadump + pymemcache get_many + pickletools.genops) on BASELINE_LIMIT
#     items (default 200,000; 0 = all): items/s.
# Each is run RUNS times (default 3), taking turns, and the best rate kept: the machine is
# shared, and the best run is the one least disturbed by other processes.
# Prints items/s, the two ratios, and PASS/FAIL against the targets: peak memory < 100 MB,
# >= 10x the Python rate, audit within 1.5x of the bare fetch.
#
# Usage: scripts/memcache/bench.sh          (env: N, BASELINE_LIMIT, CONNECTIONS, RUNS;
#        the binary is built in CARGO_TARGET_DIR when set)
set -euo pipefail

N=${N:-1000000}
BASELINE_LIMIT=${BASELINE_LIMIT:-200000}
CONNECTIONS=${CONNECTIONS:-4}
RUNS=${RUNS:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d)

command -v memcached >/dev/null || { echo "memcached not found" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (apt-get install time)" >&2; exit 2; }

(cd "$ROOT" && cargo build --release --quiet)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/py2to3"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
USER_ARGS=()
[ "$(id -u)" = 0 ] && USER_ARGS=(-u root)
memcached -l 127.0.0.1 -p "$PORT" -m 4096 -U 0 -c 1024 "${USER_ARGS[@]}" &
MC_PID=$!
cleanup() { kill "$MC_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" 2>/dev/null && break
  sleep 0.05
done
SERVER="127.0.0.1:$PORT"

echo "== loading $N items into memcached $SERVER"
python3 "$HERE/load_bench_items.py" "$SERVER" "$N"

json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

best() { python3 -c "import sys; print(max(float(x) for x in sys.argv[1:]))" "$@"; }

# The three measurements take turns within each run (bare, audit, Python), so that a burst of
# other load on the shared machine does not fall on one of them only.
BARE_RATES=()
AUDIT_RATES=()
PY_RATES=()
PEAK_KB=0
AUDIT_ITEMS=$N
for run in $(seq "$RUNS"); do
  echo "== run $run of $RUNS"
  "$BIN" memcache audit --server "$SERVER" --no-analysis --no-progress --connections "$CONNECTIONS" \
    --output-format json > "$WORK/bare.json"
  BARE_RATES+=("$(json_field "$WORK/bare.json" items_per_second)")
  echo "bare fetch (no analysis): items=$(json_field "$WORK/bare.json" items_scanned) items/s=${BARE_RATES[-1]}"

  /usr/bin/time -v "$BIN" memcache audit --server "$SERVER" --no-progress --connections "$CONNECTIONS" \
    --output-format json > "$WORK/audit.json" 2> "$WORK/time.txt"
  AUDIT_RATES+=("$(json_field "$WORK/audit.json" items_per_second)")
  ITEMS=$(json_field "$WORK/audit.json" items_scanned)
  [ "$ITEMS" = "$N" ] || AUDIT_ITEMS=$ITEMS
  KB=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")
  [ "$KB" -gt "$PEAK_KB" ] && PEAK_KB=$KB
  echo "py2to3 memcache audit: items=$ITEMS items/s=${AUDIT_RATES[-1]} peak_rss=$((KB / 1024)) MB"

  PY_LINE=$(python3 "$HERE/baseline_audit.py" "$SERVER" "$BASELINE_LIMIT")
  echo "python baseline (metadump + pymemcache get_many + pickletools.genops, $BASELINE_LIMIT items): $PY_LINE"
  PY_RATES+=("$(echo "$PY_LINE" | sed -E 's/.*items_per_second=([0-9.]+).*/\1/')")
done
BARE_RATE=$(best "${BARE_RATES[@]}")
AUDIT_RATE=$(best "${AUDIT_RATES[@]}")
python3 - "$WORK/audit.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("verdicts: " + ", ".join("%s=%d" % (k, s[k]) for k in
      ["loads_on_both", "needs_latin1", "needs_bytes", "py2_only", "py3_only", "unreadable",
       "not_pickled", "dangerous"]))
PY
PY_RATE=$(best "${PY_RATES[@]}")

python3 - "$N" "$AUDIT_ITEMS" "$AUDIT_RATE" "$BARE_RATE" "$PY_RATE" "$PEAK_KB" <<'EOF'
import sys
n, items, audit, bare, py, peak_kb = (float(x) for x in sys.argv[1:])
vs_python = audit / py if py else float("inf")
vs_bare = bare / audit if audit else float("inf")
peak_mb = peak_kb / 1024
print("== result")
print("audit %.0f items/s, bare fetch %.0f items/s, python %.0f items/s" % (audit, bare, py))
print("audit / python = %.1fx (target >= 10x)" % vs_python)
print("bare / audit   = %.2fx (target <= 1.5x)" % vs_bare)
print("peak memory    = %.1f MB (target < 100 MB)" % peak_mb)
ok = items == n and vs_python >= 10 and vs_bare <= 1.5 and peak_mb < 100
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
EOF
