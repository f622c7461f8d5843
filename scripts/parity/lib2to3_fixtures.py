#!/usr/bin/env python3
"""Runs lib2to3 over the fixtures' inputs and compares its output with ours (`.expected`).

    python3 scripts/parity/lib2to3_fixtures.py [--show CASE] [FIXTURES_DIR]

Reads `fixtures/lib2to3.toml`: `[fixers]` maps a fixture folder to the lib2to3 fixers that do
the same job (`"-"`: 2to3 has none), `[differs]` lists the cases (`folder/file.py`) whose result is
knowingly not lib2to3's, with the reason. For every mapped case, lib2to3 (in this process, one
RefactoringTool per fixer set) converts the input and `ast.dump()` of its output is compared with
that of the `.expected` file (of the case itself when it has none: `fix` leaves it unchanged).
Prints one JSON object: `compared` (number of cases), `differing`
(each case whose trees differ: `{"case", "lib2to3"}` with lib2to3's output, or `null` when
lib2to3 failed or wrote invalid Python 3), `unmapped` (folders missing from `[fixers]`).
`--show CASE` prints lib2to3's output for one case instead.
"""
import ast
import json
import os
import sys
import tomllib
import warnings

warnings.simplefilter("ignore")
from lib2to3.refactor import RefactoringTool, get_fixers_from_package  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fixer_modules(names):
    if names == ["default"]:
        return [
            m for m in get_fixers_from_package("lib2to3.fixes")
            if m.rsplit(".fix_", 1)[1] not in {"buffer", "idioms", "set_literal", "ws_comma"}
        ]
    return ["lib2to3.fixes.fix_" + n for n in names]


def dump(source):
    try:
        return ast.dump(ast.parse(source))
    except (SyntaxError, ValueError):
        return None


def run_lib2to3(tools, names, source, path):
    key = tuple(names)
    if key not in tools:
        modules = fixer_modules(names)
        tools[key] = RefactoringTool(modules, explicit=modules)
    try:
        tree = tools[key].refactor_string(source if source.endswith("\n") else source + "\n", path)
    except Exception as e:  # lib2to3's parser rejects some inputs: that case differs
        return None, f"lib2to3 failed: {type(e).__name__}: {e}"
    return str(tree), None


def main():
    args = sys.argv[1:]
    show = None
    if args[:1] == ["--show"]:
        show, args = args[1], args[2:]
    fixtures = args[0] if args else os.path.join(ROOT, "fixtures")
    with open(os.path.join(fixtures, "lib2to3.toml"), "rb") as f:
        table = tomllib.load(f)
    mapping = table.get("fixers", {})
    tools = {}
    compared, differing, unmapped = 0, [], []
    for folder in sorted(os.listdir(fixtures)):
        folder_path = os.path.join(fixtures, folder)
        if not os.path.isdir(folder_path):
            continue
        cases = sorted(n for n in os.listdir(folder_path) if n.endswith(".py"))
        if not cases:
            continue
        names = mapping.get(folder)
        if names is None:
            unmapped.append(folder)
            continue
        if names == "-":
            continue
        names = names.split()
        for name in cases:
            case = f"{folder}/{name}"
            if show is not None and case != show:
                continue
            path = os.path.join(folder_path, name)
            with open(path, encoding="utf-8") as f:
                source = f.read()
            # A case `fix` leaves unchanged has no `.expected`: our output is the case itself.
            ours = source
            if os.path.exists(path + ".expected"):
                with open(path + ".expected", encoding="utf-8") as f:
                    ours = f.read()
            theirs, error = run_lib2to3(tools, names, source, path)
            if show is not None:
                print(theirs if error is None else error)
                return
            compared += 1
            theirs_tree = dump(theirs) if theirs is not None else None
            if theirs_tree is None or theirs_tree != dump(ours):
                differing.append({"case": case, "lib2to3": theirs if error is None else error})
    json.dump({"compared": compared, "differing": differing, "unmapped": unmapped}, sys.stdout,
              indent=1)
    print()


if __name__ == "__main__":
    main()
