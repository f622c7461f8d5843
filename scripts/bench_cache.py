#!/usr/bin/env python3
"""Benchmarks `py2to3 redis audit` and `py2to3 memcache migrate` on local servers, one run.

    python3 scripts/bench_cache.py [--items N] [--binary target/release/py2to3]

Starts its own redis-server and memcached on random ports (both must be installed; redis-py
and pymemcache importable), fills them, and prints:

- redis audit: wall time of `py2to3 redis audit`, of the same scan with no analysis (the
  identical SCAN + pipelined GET, `--no-analysis`), of a bare redis-py SCAN + pipelined GET,
  and of the Python baseline (redis-py SCAN + pipelined GET + pickletools over each value).
  Targets: >= 10x the Python baseline, within 1.5x of the bare SCAN + GET.
  Then `redis audit --snapshot` (SYNC: the server saves and streams its snapshot), with and
  without analysis, whether its report equals the SCAN audit's, and `redis audit --rdb` on
  the dump file the server saved for it.
- memcache migrate: items/s of `py2to3 memcache migrate --apply` when every item needs a
  rewrite (Python 2 pickles with non-ASCII str). Target: >= 100,000 items/s.
"""

import argparse
import json
import os
import pickle
import pickletools
import socket
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port):
    for _ in range(250):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return
        except OSError:
            time.sleep(0.02)
    raise SystemExit("server did not start on %d" % port)


def py2_pickle(i):
    """What Python 2.7 writes for pickle.dumps({'name': 'caf\\xc3\\xa9 <i>', 'n': i,
    'tags': ['a', 'b']}, 2): needs encoding='latin1' on Python 3."""
    s = ("caf\u00e9 %d" % i).encode("utf-8")
    return (
        b"\x80\x02}q\x00(U\x04nameq\x01U" + bytes([len(s)]) + s
        + b"q\x02U\x01nq\x03J" + struct.pack("<i", i)
        + b"U\x04tagsq\x04]q\x05(U\x01aU\x01beu."
    )


def value_for(i):
    """A mix of what django-redis keeps: Python 2 and Python 3 pickles, and integers."""
    kind = i % 4
    if kind == 0:
        return py2_pickle(i)
    if kind == 1:
        return pickle.dumps({"user": i, "name": "n%d" % i, "roles": ["a", "b"]}, 5)
    if kind == 2:
        return pickle.dumps(["x" * 20, i, 1.5, None], 2)
    return str(i).encode()


def timed(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    return time.perf_counter() - t, out


def python_baseline(r, audit):
    """redis-py SCAN + pipelined GET; with `audit`, pickletools over every pickle."""
    counts = {}
    for keys in batches(r.scan_iter(count=1000), 1000):
        pipe = r.pipeline(transaction=False)
        for k in keys:
            pipe.get(k)
        for v in pipe.execute():
            if not audit or v is None:
                continue
            verdict = "not_pickled"
            if v[:1] == b"\x80":
                verdict = "loads_on_both"
                for op, arg, _ in pickletools.genops(v):
                    if op.proto > 2:
                        verdict = "py3_only"
                        break
                    if op.name in ("STRING", "BINSTRING", "SHORT_BINSTRING"):
                        if isinstance(arg, bytes) and max(arg, default=0) > 127:
                            verdict = "needs_latin1"
            counts[verdict] = counts.get(verdict, 0) + 1
    return counts


def batches(it, n):
    batch = []
    for x in it:
        batch.append(x)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def bench_redis(binary, n):
    import redis
    import tempfile

    workdir = tempfile.mkdtemp(prefix="bench-redis-")

    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
        r = redis.Redis(port=port)
        pipe = r.pipeline(transaction=False)
        for i in range(n):
            pipe.set(":1:k%d:%d" % (i % 50, i), value_for(i))
            if i % 10000 == 9999:
                pipe.execute()
        pipe.execute()
        url = "redis://127.0.0.1:%d/0" % port
        audit = [binary, "redis", "audit", "--url", url, "--output-format", "json"]
        runs = {}
        for name, cmd in [("bare", audit + ["--no-analysis"]), ("audit", audit),
                          ("snapshot_bare", audit + ["--snapshot", "--no-analysis"]),
                          ("snapshot", audit + ["--snapshot"])]:
            best = None
            for _ in range(3):
                seconds, out = timed(cmd)
                best = seconds if best is None else min(best, seconds)
            runs[name] = best
        # A server that starts a diskless transfer at once (repl-diskless-sync-delay 0): the
        # snapshot is read while the server writes it.
        r.config_set("repl-diskless-sync-delay", 0)
        best = None
        for _ in range(3):
            seconds, _ = timed(audit + ["--snapshot"])
            best = seconds if best is None else min(best, seconds)
        runs["snapshot_diskless"] = best
        r.config_set("repl-diskless-sync-delay", 5)
        summary = json.loads(out.stdout)
        scan_summary = json.loads(timed(audit)[1].stdout)
        same = all(summary[k] == scan_summary[k] for k in
                   ("items_scanned", "items_listed", "by_prefix", "loads_on_both",
                    "needs_latin1", "py3_only", "not_pickled"))
        # The snapshot the server wrote for SYNC, audited offline.
        dump = os.path.join(workdir, "dump.rdb")
        best = None
        for _ in range(3):
            seconds, _ = timed([binary, "redis", "audit", "--rdb", dump,
                                "--output-format", "json"])
            best = seconds if best is None else min(best, seconds)
        runs["rdb"] = best
        for name, audit_it in [("python_bare", False), ("python_audit", True)]:
            best = None
            for _ in range(3):
                t = time.perf_counter()
                python_baseline(r, audit=audit_it)
                seconds = time.perf_counter() - t
                best = seconds if best is None else min(best, seconds)
            runs[name] = best
        print("redis audit, %d keys (best of 3 runs each):" % n)
        print("  py2to3 redis audit            %.3fs  (%d items/s)"
              % (runs["audit"], n / runs["audit"]))
        print("  same SCAN+MGET, no analysis   %.3fs  -> audit / bare = %.2fx (target <= 1.5x)"
              % (runs["bare"], runs["audit"] / runs["bare"]))
        print("  redis-py SCAN+GET (bare)      %.3fs" % runs["python_bare"])
        print("  redis-py + pickletools        %.3fs  -> speedup %.1fx (target >= 10x)"
              % (runs["python_audit"], runs["python_audit"] / runs["audit"]))
        print("  redis audit --snapshot        %.3fs  -> speedup %.1fx; same report as SCAN: %s"
              % (runs["snapshot"], runs["python_audit"] / runs["snapshot"], same))
        print("  same SYNC, no analysis        %.3fs  -> snapshot / bare = %.2fx"
              % (runs["snapshot_bare"], runs["snapshot"] / runs["snapshot_bare"]))
        print("  --snapshot, diskless at once  %.3fs  -> speedup %.1fx (repl-diskless-sync-delay 0)"
              % (runs["snapshot_diskless"], runs["python_audit"] / runs["snapshot_diskless"]))
        print("  redis audit --rdb dump.rdb    %.3fs  (offline, %d bytes)"
              % (runs["rdb"], os.path.getsize(dump)))
        print("  verdicts: %s" % {k: summary[k] for k in
              ("loads_on_both", "needs_latin1", "py3_only", "not_pickled")})
    finally:
        server.kill()
        server.wait()
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)


def bench_memcache(binary, n):
    port = free_port()
    server = subprocess.Popen(
        ["memcached", "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-u", "root",
         "-m", "2048"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
        sock = socket.create_connection(("127.0.0.1", port))
        buf = []
        for i in range(n):
            v = py2_pickle(i)
            buf.append(b"set m%d:%d 1 0 %d noreply\r\n%s\r\n" % (i % 50, i, len(v), v))
            if len(buf) == 5000:
                sock.sendall(b"".join(buf))
                buf = []
        sock.sendall(b"".join(buf) + b"mn\r\n")
        got = b""
        while not got.endswith(b"MN\r\n"):
            got += sock.recv(65536)
        addr = "127.0.0.1:%d" % port
        base = [binary, "memcache", "migrate", "--server", addr, "--output-format", "json"]
        seconds, out = timed(base + ["--apply"])
        summary = json.loads(out.stdout.splitlines()[-1])
        total = summary["total"]
        print("memcache migrate --apply, %d items all needing a rewrite:" % n)
        print("  %.3fs wall, %d rewritten, %d changed, %d left -> %d items/s (target >= 100,000)"
              % (seconds, total["rewritten"], total["changed"], total["left"],
                 total["rewritten"] / seconds))
        seconds, out = timed([binary, "memcache", "audit", "--server", addr,
                              "--output-format", "json"])
        after = json.loads(out.stdout)
        print("  audit afterwards: loads_on_both %d of %d"
              % (after["loads_on_both"], after["items_scanned"]))
    finally:
        server.kill()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200000)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/py2to3"))
    parser.add_argument("--redis-only", action="store_true", help="skip the memcache part")
    args = parser.parse_args()
    bench_redis(args.binary, args.items)
    if not args.redis_only:
        bench_memcache(args.binary, args.items)


if __name__ == "__main__":
    sys.exit(main())
