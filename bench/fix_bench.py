#!/usr/bin/env python3
"""Speed of `py2to3 fix` and `py2to3 check` next to their peers, measured in one run on copies of Django 1.3.7's
`django/` package (908 files, 105k lines).

    python3 bench/fix_bench.py            # builds the release binary first

Peers: `python3 -m lib2to3 -w -n -j2` (what users run today), a bare rustpython-parser parse of the same files
(`examples/bare_parse.rs`, the floor for anything that parses), and `ruff check --select UP --fix` on the
2to3-converted copy (where we are headed): the ruff executable itself, not a shim in front of it. Every
figure is the best of several runs, each `--fix` run on a fresh copy; ours and ruff's runs take turns, so a
slow spell of the machine costs both sides alike.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus_django():
    out = subprocess.run(["bash", os.path.join(ROOT, "..", "shared", "corpus", "get.sh")],
                         check=True, capture_output=True, text=True).stdout
    return os.path.join(out.strip().splitlines()[-1], "Django-1.3.7", "django")


def timed(cmd, **kw):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def best(n, make_cmd, fresh=None, **kw):
    times = []
    for _ in range(n):
        if fresh:
            fresh()
        times.append(timed(make_cmd(), **kw))
    return min(times)


def interleaved(n, a, b):
    """Best of `n` runs of each of two commands (`(make_cmd, fresh, kw)` triples), taken in
    turns, so that a slow spell of the machine costs both sides alike."""
    times_a, times_b = [], []
    for _ in range(n):
        for (make_cmd, fresh, kw), times in ((a, times_a), (b, times_b)):
            if fresh:
                fresh()
            times.append(timed(make_cmd(), **kw))
    return min(times_a), min(times_b)


def real_executable(name):
    """`name`'s executable itself, not a version manager's shim: pyenv's `ruff` on PATH is a
    bash script that starts pyenv before ruff, about 65 ms a run here."""
    try:
        from ruff.__main__ import find_ruff_bin  # the ruff package knows where its binary is
        return find_ruff_bin()
    except Exception:
        pass
    path = shutil.which(name)
    if path is None:
        return None
    with open(path, "rb") as f:
        is_script = f.read(2) == b"#!"
    if is_script and shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "which", name], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    return path


def main():
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "py2to3", "--example", "bare_parse"],
                   cwd=ROOT, check=True)
    binary = os.path.join(ROOT, "target", "release", "py2to3")
    bare = os.path.join(ROOT, "target", "release", "examples", "bare_parse")
    src = corpus_django()
    work = tempfile.mkdtemp(prefix="py2to3-bench-")
    try:
        ours_dir = os.path.join(work, "ours")
        theirs_dir = os.path.join(work, "lib2to3")

        def fresh_ours():
            shutil.rmtree(ours_dir, ignore_errors=True)
            shutil.copytree(src, ours_dir)

        shutil.copytree(src, theirs_dir)
        files = sum(1 for _, _, fs in os.walk(src) for f in fs if f.endswith(".py"))
        lines = sum(sum(1 for _ in open(os.path.join(d, f), "rb"))
                    for d, _, fs in os.walk(src) for f in fs if f.endswith(".py"))
        print(f"corpus: {src} ({files} .py files, {lines} lines), {os.cpu_count()} cores")

        ruff_bin = real_executable("ruff")
        ruff_dir = os.path.join(work, "ruff")

        def fresh_ruff():
            shutil.rmtree(ruff_dir, ignore_errors=True)
            shutil.copytree(theirs_dir, ruff_dir)

        def ruff_cmd(*extra):
            return lambda: [ruff_bin, "check", "--select", "UP", *extra, "--no-cache", "--exit-zero", ruff_dir]

        # lib2to3 first: it makes the 2to3-converted copy that ruff runs on.
        lib2to3 = timed([sys.executable, "-m", "lib2to3", "-w", "-n", "-j2", theirs_dir])
        ours_fix = (lambda: [binary, "fix", ours_dir], fresh_ours, {})
        ruff = None
        if ruff_bin:
            fix, ruff = interleaved(5, ours_fix, (ruff_cmd("--fix"), fresh_ruff, {}))
        else:
            fix = best(5, *ours_fix[:2])
        # The whole catalogue (every fixer, opt-in ones included, safe fixes only).
        fix_all = best(5, lambda: [binary, "fix", "--select", "ALL", ours_dir], fresh_ours)
        parse = best(5, lambda: [bare, theirs_dir])
        # check runs on the untouched Python 2 copy, from inside it, so its cache
        # (.py2to3_cache/, next to the config or in the working directory) stays in the copy.
        fresh_ours()
        ours_check = (lambda: [binary, "check", "--no-cache", "--exit-zero", "."], None, {"cwd": ours_dir})
        if ruff_bin:
            fresh_ruff()
            check, ruff_check = interleaved(7, ours_check, (ruff_cmd(), None, {}))
        else:
            check = best(7, ours_check[0], cwd=ours_dir)
        timed([binary, "check", "--exit-zero", "."], cwd=ours_dir)  # fills the cache
        cached = best(7, lambda: [binary, "check", "--exit-zero", "."], cwd=ours_dir)

        if ruff_bin:
            print(f"ruff: {ruff_bin}")
        print(f"{'py2to3 fix':<40} {fix:8.3f} s")
        print(f"{'python3 -m lib2to3 -w -n -j2':<40} {lib2to3:8.3f} s   py2to3 fix is {lib2to3 / fix:5.1f}x faster (goal: 30x)")
        print(f"{'py2to3 fix --select ALL':<40} {fix_all:8.3f} s   py2to3 fix --select ALL is {lib2to3 / fix_all:5.1f}x faster (goal: 30x)")
        print(f"{'bare rustpython-parser parse':<40} {parse:8.3f} s   py2to3 fix / parse = {fix / parse:5.2f}")
        if ruff is not None:
            print(f"{'ruff check --select UP --fix (2to3 copy)':<40} {ruff:8.3f} s   py2to3 fix / ruff = {fix / ruff:5.2f}")
        print(f"{'py2to3 check --no-cache':<40} {check:8.3f} s")
        print(f"{'py2to3 check (cached re-run)':<40} {cached:8.3f} s   speed-up {check / cached:5.1f}x (goal: 5x)")
        if ruff is not None:
            print(f"{'ruff check --select UP (2to3 copy)':<40} {ruff_check:8.3f} s   py2to3 check / ruff = {check / ruff_check:5.2f} (goal: <= 1)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
