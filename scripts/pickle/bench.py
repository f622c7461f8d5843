#!/usr/bin/env python3
"""Benchmark `py2to3 pickle audit` against a Python loop of pickletools.genops (and fickling).

    python3 scripts/pickle/bench.py [--mb 100] [--bin target/release/py2to3] [--keep]

Generates about --mb megabytes of mixed pickle blobs into a temp dir (never committed): Python 3
blobs at protocols 0-5 and Python-2-style blobs (written by gen_corpus.Py2Writer), some zlib-
compressed, sizes from a few hundred bytes to a few hundred kilobytes. Then, in the same run:
  1. python3: for every file, iterate pickletools.genops(data) (the "just read the opcodes"
     baseline; its STRING reader is patched to decode latin-1, since stock pickletools stops at
     a py2 str with non-ASCII bytes, so that it reads every opcode as py2to3 does);
  2. py2to3 pickle audit DIR --output-format json > /dev/null (reads, simulates, judges;
     median of 3 runs);
  3. fickling (Pickled.load + check_safety) on a sample, extrapolated per MB, if it imports.
Each runs under /usr/bin/time -v for its peak memory. Prints times, MB/s and the ratio.
"""
import argparse
import datetime
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_corpus  # noqa: E402

GENOPS_LOOP = r"""
import os, sys, pickletools, time, zlib
# pickletools decodes STRING (py2 str, protocol 0) arguments as ASCII and stops at the first
# non-ASCII byte; decode them as latin-1 instead so that the loop reads every opcode of every
# blob, as py2to3 does.
def read_stringnl_latin1(f, decode=True, stripquotes=True):
    data = f.readline()
    if not data.endswith(b"\n"):
        raise ValueError("no newline found when trying to read stringnl")
    data = data[:-1]
    if stripquotes:
        for q in (b'"', b"'"):
            if data.startswith(q) and data.endswith(q):
                data = data[1:-1]
                break
    import codecs
    return codecs.escape_decode(data)[0].decode("latin-1") if decode else data
pickletools.stringnl.reader = read_stringnl_latin1
root = sys.argv[1]
n = ops = failed = 0
start = time.perf_counter()
for dirpath, _, files in os.walk(root):
    for f in files:
        with open(os.path.join(dirpath, f), 'rb') as fh:
            data = fh.read()
        n += 1
        if data[:1] == b"\x78":  # zlib-compressed blob, as py2to3 opens it
            data = zlib.decompress(data)
        try:
            for _ in pickletools.genops(data):
                ops += 1
        except Exception:
            failed += 1
print("files=%d opcodes=%d failed=%d seconds=%.3f" % (n, ops, failed, time.perf_counter() - start))
"""

FICKLING_LOOP = r"""
import os, sys, time
from fickling.fickle import Pickled
from fickling.analysis import check_safety
root, budget = sys.argv[1], int(sys.argv[2])
n = size = failed = 0
start = time.perf_counter()
for dirpath, _, files in sorted(os.walk(root)):
    for f in sorted(files):
        if size >= budget:
            break
        with open(os.path.join(dirpath, f), 'rb') as fh:
            data = fh.read()
        n += 1
        size += len(data)
        try:
            check_safety(Pickled.load(data))
        except Exception:
            failed += 1
print("files=%d bytes=%d failed=%d seconds=%.3f" % (n, size, failed, time.perf_counter() - start))
"""


def make_value(rng, scale):
    """A mixed record like an application caches: text, numbers, dates, nested containers."""
    return {
        "id": rng.randrange(1 << 40),
        "name": "user-%d \u00e9\u7231" % rng.randrange(10**6),
        "score": rng.random(),
        "tags": ["t%d" % rng.randrange(100) for _ in range(rng.randrange(1, 8))],
        "when": datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=rng.randrange(10**8)),
        "blob": bytes(rng.randrange(256) for _ in range(rng.randrange(0, 64))),
        "items": [(i, "x" * (i % 17), i * 1.5) for i in range(scale)],
        "flags": {"a": True, "b": None, "c": {1, 2, 3}},
    }


def make_py2_value(rng, scale):
    S, U = gen_corpus.Py2Str, gen_corpus.Py2Unicode
    return {
        S(b"id"): rng.randrange(1 << 30),
        S(b"name"): S(("user-%d caf\u00e9" % rng.randrange(10**6)).encode("utf-8")),
        S(b"title"): U("\u7231 %d" % rng.randrange(1000)),
        S(b"when"): gen_corpus.Call("datetime", "datetime", [gen_corpus.dt_state(
            datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=rng.randrange(10**8)))]),
        S(b"items"): [(i, S(b"y" * (i % 13)), float(i)) for i in range(scale)],
        S(b"tags"): gen_corpus.Call("__builtin__", "set", [[S(b"a"), S(b"b")]]),
    }


def generate(root, target_bytes, seed=1):
    rng = random.Random(seed)
    total = n = 0
    while total < target_bytes:
        scale = rng.choice([1, 5, 20, 100, 1000, 5000])
        if rng.random() < 0.4:
            proto = rng.choice([0, 1, 2])
            data = gen_corpus.Py2Writer(proto).dump(make_py2_value(rng, scale))
        else:
            proto = rng.choice([0, 1, 2, 3, 4, 5])
            data = pickle.dumps(make_value(rng, scale), proto)
        if rng.random() < 0.1:
            data = zlib.compress(data)
        sub = os.path.join(root, "d%02d" % (n % 50))
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, "b%06d.pkl" % n), "wb") as f:
            f.write(data)
        total += len(data)
        n += 1
    return n, total


CPU_SECONDS = {}


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS MB, stdout text).
    Its CPU seconds (user + system) go to CPU_SECONDS[wall]."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", p.stderr))
    CPU_SECONDS[wall] = cpu
    return wall, rss, p.stdout if stdout == subprocess.PIPE else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "target", "release", "py2to3"))
    ap.add_argument("--fickling-mb", type=float, default=3)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit("build first: cargo build --release (missing %s)" % args.bin)
    root = tempfile.mkdtemp(prefix="pickle-bench-")
    try:
        files, size = generate(root, int(args.mb * 1e6))
        mb = size / 1e6
        print("data: %d files, %.1f MB in %s" % (files, mb, root))
        # Warm the page cache so both sides read from memory.
        timed(["cat"] + [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs][:1])
        subprocess.run("cat %s/*/* > /dev/null" % root, shell=True)

        py_wall, py_rss, py_out = timed([sys.executable, "-c", GENOPS_LOOP, root], subprocess.PIPE)
        print("python pickletools.genops loop: %.2f s wall, %.1f MB/s, peak %.0f MB RSS (%s)"
              % (py_wall, mb / py_wall, py_rss, py_out.strip()))
        # py2to3's run is short, so one burst of other load on the machine weighs more: take
        # the median of three runs (all three are printed).
        runs = sorted(timed([args.bin, "pickle", "audit", "--output-format", "json", root])[:2]
                      for _ in range(3))
        rs_wall, rs_rss = runs[1]
        print("py2to3 pickle audit (median of 3: %s s): %.2f s wall, %.1f MB/s, peak %.0f MB RSS"
              % (", ".join("%.2f" % r[0] for r in runs), rs_wall, mb / rs_wall, rs_rss))
        print("speed-up vs pickletools.genops: %.1fx" % (py_wall / rs_wall))
        # On a shared machine the wall ratio moves with other load; CPU time moves less.
        py_cpu, rs_cpu = CPU_SECONDS[py_wall], CPU_SECONDS[rs_wall]
        print("CPU seconds (user+sys): python %.2f, py2to3 %.2f (median run): CPU ratio %.1fx"
              % (py_cpu, rs_cpu, py_cpu / rs_cpu if rs_cpu else float("inf")))
        try:
            import fickling  # noqa: F401
            budget = int(args.fickling_mb * 1e6)
            fk_wall, fk_rss, fk_out = timed([sys.executable, "-c", FICKLING_LOOP, root, str(budget)], subprocess.PIPE)
            fk_bytes = int(re.search(r"bytes=(\d+)", fk_out).group(1))
            fk_rate = fk_bytes / 1e6 / fk_wall
            print("fickling check_safety on a %.1f MB sample: %.2f s wall, %.2f MB/s, peak %.0f MB RSS (%s)"
                  % (fk_bytes / 1e6, fk_wall, fk_rate, fk_rss, fk_out.strip()))
            print("speed-up vs fickling (per MB): %.1fx" % ((mb / rs_wall) / fk_rate))
        except ImportError:
            print("fickling not installed: skipped")
    finally:
        if args.keep:
            print("kept", root)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
