#!/usr/bin/env python3
"""Is `py2to3 fix` linear in the size of one file? Time per MB and peak memory on generated Python 2 files
of 10 MB and 50 MB, each unit of which fix changes (print statements with and without `>>`, `<>`).

    python3 bench/fix_linear.py              # builds the release binary first
    python3 bench/fix_linear.py --runs 5     # best of 5 per size (default 3)

Each run rewrites a fresh copy of the file under `/usr/bin/time -v` with one worker (`-j1`); the figures are
the best of the runs: wall time, CPU time (user + system: what the program itself costs, which a busy
machine does not inflate as much as the wall time) and peak resident memory. The goals (issue 27): time per
MB within 1.5x between the sizes, and peak RSS under 10x the file size. Exit status 1 when a goal is missed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "py2to3")
MB = 1 << 20


def generate(path, megabytes):
    """A Python 2 module of about `megabytes` MB: small functions full of statements fix rewrites."""
    size = 0
    with open(path, "w") as out:
        out.write("import sys\n")
        i = 0
        while size < megabytes * MB:
            unit = (f"def f{i}(x):\n    print 'value', x, {i}\n    print >>sys.stderr, 'err %d' % x\n"
                    f"    if x <> {i}:\n        print x\n    return x\n\n")
            out.write(unit)
            size += len(unit)
            i += 1
    return os.path.getsize(path)


def measure(source, work):
    """One run on a fresh copy of `source`: (wall s, cpu s, peak RSS bytes)."""
    target = os.path.join(work, "module.py")
    shutil.copyfile(source, target)
    proc = subprocess.run(["/usr/bin/time", "-v", BINARY, "fix", "--isolated", "--no-cache", "-j1", target],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if "1 changed" not in proc.stderr:
        sys.exit(f"fix did not change the file:\n{proc.stderr}")

    def field(name):
        return re.search(rf"{re.escape(name)}: (.+)", proc.stderr).group(1).strip()

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) * 1024
    return seconds, cpu, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10,50", help="file sizes in MB, comma-separated")
    args = parser.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("needs GNU time at /usr/bin/time (apt-get install time)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for megabytes in [int(s) for s in args.sizes.split(",")]:
            source = os.path.join(work, f"source{megabytes}.py")
            size = generate(source, megabytes)
            runs = [measure(source, work) for _ in range(args.runs)]
            wall = min(r[0] for r in runs)
            cpu = min(r[1] for r in runs)
            rss = min(r[2] for r in runs)
            rows.append((size, wall, cpu, rss))
            os.remove(source)
    print(f"{'file':>8} {'wall s':>8} {'cpu s':>8} {'wall s/MB':>10} {'cpu s/MB':>9} {'peak RSS':>10} {'RSS/size':>9}")
    for size, wall, cpu, rss in rows:
        print(f"{size / MB:>6.1f}MB {wall:>8.2f} {cpu:>8.2f} {wall / (size / MB):>10.3f} {cpu / (size / MB):>9.3f} "
              f"{rss / MB:>8.0f}MB {rss / size:>8.1f}x")
    ok = True
    per_mb = [cpu / (size / MB) for size, _, cpu, _ in rows]
    spread = max(per_mb) / min(per_mb)
    verdict = "ok" if spread <= 1.5 else "MISSED"
    ok &= spread <= 1.5
    print(f"CPU time per MB: largest / smallest = {spread:.2f} (goal <= 1.5): {verdict}")
    wall_per_mb = [wall / (size / MB) for size, wall, _, _ in rows]
    print(f"wall time per MB: largest / smallest = {max(wall_per_mb) / min(wall_per_mb):.2f} (busy machines inflate it)")
    worst = max(rss / size for size, _, _, rss in rows)
    verdict = "ok" if worst < 10 else "MISSED"
    ok &= worst < 10
    print(f"peak RSS / file size: at most {worst:.1f}x (goal < 10x): {verdict}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
