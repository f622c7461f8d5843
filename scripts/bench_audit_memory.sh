#!/usr/bin/env bash
# Peak memory of `py2to3 pickle audit` on hostile inputs (issue 26). Not a timed test: it
# prints, for each input, the exit status, the wall time and the peak RSS that
# `/usr/bin/time -v` reports, with 2 worker threads, and fails when a peak is 100 MB or more.
#
#   scripts/bench_audit_memory.sh [path/to/py2to3]     (default: target/release/py2to3)
#
# Inputs, built in a temporary folder (removed at the end):
#   bomb.zlib     a ~1 MB zlib stream that inflates to 1 GiB of zeros
#   bomb.gz       the same as gzip
#   sparse.bin    a 1 GiB sparse file (a hole: zeros, no disk blocks)
#   sparse.pkl    a 1 GiB sparse file holding one pickle: BINBYTES8 of 1 GiB - 20 bytes
#   nest-list.pkl a 1M-deep nesting of lists: EMPTY_LIST x 1M, APPEND x 1M, STOP
#   nest-mark.pkl 1M nested MARKs closed by 1M LISTs: (((...l)l)l
#   len-2-62.pkl  a BINUNICODE8 whose length field says 2^62 bytes (the file is 11 bytes)
#   laughs.pkl    memo and DUP amplification: a list memoized, then a list of 10 references
#                 to it memoized, 30 levels deep (10^30 elements if expanded)
#   all           all of them together in one run (the two threads share them)
set -euo pipefail

BIN=${1:-target/release/py2to3}
LIMIT_KB=$((100 * 1000))
[ -x "$BIN" ] || { echo "no binary at $BIN (cargo build --release)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'EOF'
import gzip, os, sys, zlib
d = sys.argv[1]
gib = 1 << 30
chunk = b"\0" * (16 << 20)
z = zlib.compressobj(9)
with open(os.path.join(d, "bomb.zlib"), "wb") as f:
    for _ in range(gib // len(chunk)):
        f.write(z.compress(chunk))
    f.write(z.flush())
with gzip.open(os.path.join(d, "bomb.gz"), "wb", compresslevel=9) as f:
    for _ in range(gib // len(chunk)):
        f.write(chunk)
with open(os.path.join(d, "sparse.bin"), "wb") as f:
    f.truncate(gib)
with open(os.path.join(d, "sparse.pkl"), "wb") as f:
    n = gib - 20
    f.write(b"\x80\x04\x8e" + n.to_bytes(8, "little"))
    f.seek(11 + n)
    f.write(b"\x94.")
n = 1_000_000
with open(os.path.join(d, "nest-list.pkl"), "wb") as f:
    f.write(b"]" * n + b"a" * (n - 1) + b".")
with open(os.path.join(d, "nest-mark.pkl"), "wb") as f:
    f.write(b"(" * n + b"l" * n + b".")
with open(os.path.join(d, "len-2-62.pkl"), "wb") as f:
    f.write(b"\x80\x04\x8d" + (1 << 62).to_bytes(8, "little"))
with open(os.path.join(d, "laughs.pkl"), "wb") as f:
    out = b"\x80\x02]q\x00"  # [] memo 0
    for level in range(1, 31):
        # a list of ten references to the previous level, memoized as this level
        out += b"(" + b"h" + bytes([level - 1]) + b"2" * 9 + b"lq" + bytes([level])
    f.write(out + b".")
EOF

printf '%-14s %10s %5s %8s %12s\n' INPUT SIZE EXIT SECONDS PEAK_RSS_MB
fail=0
run() {
    local name=$1
    shift
    local size
    size=$(du -ch --apparent-size "$@" | tail -1 | cut -f1)
    local status=0
    RAYON_NUM_THREADS=2 /usr/bin/time -v -o "$dir/time.txt" \
        "$BIN" pickle audit --isolated --output-format json "$@" >"$dir/out.json" 2>/dev/null || status=$?
    local kb secs
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.txt")
    printf '%-14s %10s %5s %8s %12.1f\n' "$name" "$size" "$status" "$secs" "$(echo "$kb / 1000" | bc -l)"
    if [ "$kb" -ge "$LIMIT_KB" ]; then
        echo "  over 100 MB" >&2
        fail=1
    fi
}
inputs="bomb.zlib bomb.gz sparse.bin sparse.pkl nest-list.pkl nest-mark.pkl len-2-62.pkl laughs.pkl"
for f in $inputs; do
    run "$f" "$dir/$f"
done
# shellcheck disable=SC2086
run all $(for f in $inputs; do printf '%s ' "$dir/$f"; done)
exit $fail
