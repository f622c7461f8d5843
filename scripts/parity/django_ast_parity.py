#!/usr/bin/env python3
"""AST parity of `py2to3 fix --select 2to3` with 2to3 on Django 1.3.7's `django/` package.

    python3 scripts/parity/django_ast_parity.py [--binary PATH] [--show FILE] [--json]

Copies the package twice, runs `python3 -m lib2to3 -w -n -j2` on one copy and `py2to3 fix --select 2to3`
on the other, and compares, for every file that either tool changed, `ast.dump()` of the two results.
Prints the share of those files whose trees are equal (issue 3's acceptance asks for >= 95%) and the
files that differ, each with the first differing line of a unified diff of the two outputs.
"""
import argparse
import ast
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def corpus_django():
    out = subprocess.run(["bash", os.path.join(ROOT, "..", "shared", "corpus", "get.sh")],
                         check=True, capture_output=True, text=True).stdout
    return os.path.join(out.strip().splitlines()[-1], "Django-1.3.7", "django")


def dump(path):
    try:
        with open(path, "rb") as f:
            return ast.dump(ast.parse(f.read(), path))
    except (SyntaxError, ValueError) as e:
        return f"<does not parse: {e}>"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "py2to3"))
    parser.add_argument("--source", help="the django/ package (default: from the corpus)")
    parser.add_argument("--show", action="append", default=[], help="print the diff of this file")
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")
    args = parser.parse_args()
    src = args.source or corpus_django()
    work = tempfile.mkdtemp(prefix="py2to3-parity-")
    try:
        theirs, ours = os.path.join(work, "lib2to3"), os.path.join(work, "py2to3")
        shutil.copytree(src, theirs)
        shutil.copytree(src, ours)
        subprocess.run([sys.executable, "-m", "lib2to3", "-w", "-n", "-j2", theirs],
                       check=True, capture_output=True)
        subprocess.run([args.binary, "fix", "--select", "2to3", ours], capture_output=True)
        changed, same, differ = 0, 0, []
        for dirpath, _, names in os.walk(src):
            for name in sorted(names):
                if not name.endswith(".py"):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), src)
                original = read(os.path.join(src, rel))
                a, b = read(os.path.join(theirs, rel)), read(os.path.join(ours, rel))
                if a == original and b == original:
                    continue
                changed += 1
                if dump(os.path.join(theirs, rel)) == dump(os.path.join(ours, rel)):
                    same += 1
                    continue
                diff = list(difflib.unified_diff(a.decode("utf-8", "replace").splitlines(),
                                                 b.decode("utf-8", "replace").splitlines(),
                                                 "2to3/" + rel, "py2to3/" + rel, lineterm="", n=0))
                first = next((l for l in diff[2:] if l[:1] in "+-"), "")
                differ.append((rel, first, diff))
        rate = same / changed if changed else 1.0
        if args.json:
            print(json.dumps({"changed": changed, "same_ast": same, "rate": rate,
                              "differ": [d[0] for d in differ]}))
        else:
            print(f"files changed by either tool: {changed}; same AST: {same} ({rate:.1%}; goal 95%)")
            for rel, first, diff in differ:
                print(f"  {rel}: {first[:150]}")
            for show in args.show:
                for rel, _, diff in differ:
                    if rel == show or rel.endswith(show):
                        print("\n".join(diff))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
