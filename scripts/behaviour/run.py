#!/usr/bin/env python3
"""Behaviour parity: a converted program must behave like its Python 2 original.

    python3 scripts/behaviour/run.py --bin target/release/py2to3 --python2 PY2 \\
        [--python3 python3] [--target py3|six] [--fixtures fixtures] \\
        [--declined tests/behaviour/declined] [--known-failures tests/behaviour/known_failures.txt] \\
        [--six-cache DIR] [--round-trip] [--jobs 2] [--only NAME ...] [--verbose] tests/behaviour/cases

For every case (a `NAME.py` file, or a `NAME/` folder with a `main.py`, in the case folders):

1. the original runs under Python 2 (in a copy of its own, stdin empty, with a timeout);
2. another copy is converted with `py2to3 fix` (one invocation for all cases sharing the same options);
3. the converted copy runs under python3 (and, with `--target six`, under Python 2 as well, both
   with six 1.16.0 on PYTHONPATH: `pip download`ed once into `--six-cache`, or found there);
4. stdout, the last line of stderr and the exit status must be those of the original;
5. with `--round-trip` (and `--target six`), the converted copy is converted again with
   `--target py3` (the end of a two-version migration) and must still behave so under python3.

Also: a second `py2to3 fix --check` on the converted copies must find nothing to change (a fixed point),
python3's `compile()` must accept every converted file (with `--target six`, Python 2's too), and a
CRLF file must stay CRLF (an LF one LF).

Header comments in a case (its `main.py` for a folder), in its first 30 lines:
    # py2to3-args: --select X --unsafe-fixes     options for `py2to3 fix`
    # covers: fixer-name, trap-name              what the case exercises (tests/behaviour.rs reads them)
    # expect-report: PY813, PY817                 codes `py2to3 check` must report on the original

A case with `# expect-report:` holds Python 2 code that no tool can convert without knowing the program
(a report-only rule's subject: `e.message`, `round()`, a comprehension variable used after it...): the
behaviour comparison is skipped, and `py2to3 check` on the original must report each listed code instead.
The converted copy must still compile and be a fixed point.

Declined cases (`--declined FOLDER`, same shapes) hold files CPython 3 cannot compile however they are
written (`True = 1`, `import *` in a function): `py2to3 fix` must leave every file byte-identical and
name it in its report.

Fixtures (`--fixtures DIR`): every `DIR/<selector>/*.py` that exits 0 under Python 2 joins as a case
named `fixtures/<selector>/<file>`, converted with the default fixers plus `--extend-select <selector>`
(`combined` adds nothing, `combined-GROUP` adds GROUP) and `--unsafe-fixes` where tests/fixtures.rs
allows them (the selector names one fixer of the `unsafe` group). The others are listed as not runnable.

Known failures (`--known-failures FILE`: `NAME reason...` lines, `#` comments): a listed case that fails
is tolerated, a listed case that passes is an error ("remove it from the list"), as is an unlisted
failing case. Exit status: 0 when every case passed (or failed as listed), 1 otherwise, 2 on usage errors.
Standard library only.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 20.0
HEADER_LINES = 30
SIX_VERSION = "1.16.0"


def ensure_six(cache):
    """A folder holding six.py of SIX_VERSION: `cache` itself once filled, else filled now with the
    wheel `pip download` fetches (six is one pure-Python file, the same for Python 2 and 3)."""
    import zipfile
    os.makedirs(cache, exist_ok=True)
    six_py = os.path.join(cache, "six.py")
    if os.path.isfile(six_py):
        with open(six_py) as f:
            if '__version__ = "%s"' % SIX_VERSION in f.read():
                return cache
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "six==%s" % SIX_VERSION, "-d", cache],
                   check=True, stdout=subprocess.DEVNULL)
    wheel = os.path.join(cache, "six-%s-py2.py3-none-any.whl" % SIX_VERSION)
    with zipfile.ZipFile(wheel) as z:
        data = z.read("six.py")
    with open(six_py + ".tmp", "wb") as f:
        f.write(data)
    os.replace(six_py + ".tmp", six_py)
    return cache


class Case:
    """One program to compare: its source, how to convert it, and what happened to it."""

    def __init__(self, name, kind, source, fix_args, covers=(), expect_report=()):
        self.name = name  # unique: `stem`, or `fixtures/<selector>/<stem>`
        self.expect_report = list(expect_report)  # codes `check` must report (behaviour not compared)
        self.kind = kind  # "case", "declined" or "fixture"
        self.source = source  # a .py file or a folder with main.py
        self.fix_args = tuple(fix_args)
        self.covers = list(covers)
        self.slug = re.sub(r"[^A-Za-z0-9_.-]", "__", name)
        self.entry = "main.py" if os.path.isdir(source) else os.path.basename(source)
        self.orig_dir = None
        self.conv_dir = None
        self.fix_output = []  # lines of `py2to3 fix` output naming this case's files
        self.original = None  # Run of the original under Python 2
        self.converted = {}  # interpreter label -> Run of the converted copy
        self.problems = []  # why it failed (empty: passed)

    def files(self, root):
        """The case's .py files under `root` (its copy), sorted."""
        found = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith(".py"):
                    found.append(os.path.join(dirpath, f))
        return found


class Run:
    """What an interpreter did with a program."""

    def __init__(self, status, stdout, stderr):
        self.status = status  # exit status, or "timeout"
        self.stdout = stdout
        self.stderr = stderr

    def last_stderr_line(self):
        lines = [l for l in self.stderr.splitlines() if l.strip()]
        return lines[-1] if lines else ""

    def key(self):
        return (self.status, self.stdout, self.last_stderr_line())


def read_headers(path):
    """`# py2to3-args:` (a list of options), `# covers:` (a list of names) and `# expect-report:`
    (a list of codes) of a case file."""
    args, covers, reports = [], [], []
    with open(path, "rb") as f:
        head = f.read(8192).decode("latin-1").splitlines()[:HEADER_LINES]
    for line in head:
        m = re.match(r"\s*#\s*py2to3-args:(.*)$", line)
        if m:
            args += shlex.split(m.group(1))
        m = re.match(r"\s*#\s*covers:(.*)$", line)
        if m:
            covers += [c.strip() for c in m.group(1).split(",") if c.strip()]
        m = re.match(r"\s*#\s*expect-report:(.*)$", line)
        if m:
            reports += [c.strip() for c in m.group(1).split(",") if c.strip()]
    return args, covers, reports


def collect_cases(folder, kind):
    cases = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if os.path.isdir(path):
            main = os.path.join(path, "main.py")
            if not os.path.isfile(main):
                continue
            name = entry
        elif entry.endswith(".py"):
            main = path
            name = entry[:-3]
        else:
            continue
        args, covers, reports = read_headers(main)
        if kind == "declined":
            name = "declined/" + name
        cases.append(Case(name, kind, path, args, covers, reports))
    return cases


def fixer_groups(binary):
    """Fixer name -> its groups, from `py2to3 rules`."""
    out = subprocess.run([binary, "rules"], capture_output=True, text=True, check=True).stdout
    groups = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5:
            groups[parts[1]] = parts[4].split(",")
    return groups


def collect_fixtures(folder, binary):
    groups = fixer_groups(binary)
    cases = []
    for selector in sorted(os.listdir(folder)):
        sub = os.path.join(folder, selector)
        if not os.path.isdir(sub):
            continue
        if selector == "combined":
            args = []
        elif selector.startswith("combined-"):
            args = ["--extend-select", selector[len("combined-"):]]
        else:
            args = ["--extend-select", selector]
            if "unsafe" in groups.get(selector, []):
                args.append("--unsafe-fixes")
        for f in sorted(os.listdir(sub)):
            if f.endswith(".py"):
                _, _, reports = read_headers(os.path.join(sub, f))
                cases.append(Case("fixtures/%s/%s" % (selector, f[:-3]), "fixture",
                                  os.path.join(sub, f), args, (), reports))
    return cases


def copy_case(case, root):
    dest = os.path.join(root, case.slug)
    if os.path.isdir(case.source):
        shutil.copytree(case.source, dest,
                        ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    else:
        os.makedirs(dest)
        shutil.copy2(case.source, os.path.join(dest, case.entry))
    return dest


def copy_case_dir(folder, root):
    """A copy of a case's folder under `root`, for one run."""
    dest = os.path.join(root, os.path.basename(folder))
    shutil.copytree(folder, dest)
    return dest


def run_program(interpreter, folder, entry, hash_seed="0", python_path=None):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": hash_seed,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    if python_path:
        env["PYTHONPATH"] = python_path
    cmd = [interpreter, "-W", "ignore::DeprecationWarning", "-W",
           "ignore::PendingDeprecationWarning", entry]
    try:
        p = subprocess.run(cmd, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return Run("timeout", e.stdout or b"", (e.stderr or b"").decode("utf-8", "replace"))
    return Run(p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"))


def run_fix(binary, target, args, paths, extra=()):
    cmd = [binary, "fix", "--no-cache", "--isolated", "--target", target]
    cmd += list(args) + list(extra) + list(paths)
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode == 2:
        raise SystemExit("py2to3 fix failed: %s\n%s" % (shlex.join(cmd), p.stderr))
    return p


def owner_of(line, cases):
    """The case whose copy a line of `py2to3 fix` output names."""
    for case in cases:
        for d in (case.conv_dir, case.orig_dir):
            if d and (line.startswith(d + os.sep) or ("would fix " + d + os.sep) in line):
                return case
    return None


def compile_failures(python, files):
    """File -> error, for the files the interpreter's compile() rejects."""
    script = (
        "import sys\n"
        "for p in sys.argv[1:]:\n"
        "    try:\n"
        "        compile(open(p, 'rb').read(), p, 'exec')\n"
        "    except Exception as e:\n"
        "        print('%s\\t%s: %s' % (p, type(e).__name__, e))\n"
    )
    if not files:
        return {}
    out = subprocess.run([python, "-c", script] + files, capture_output=True, text=True,
                         check=True).stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


def show(data):
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    if not data:
        return "    (empty)\n"
    return "".join("    | " + l + "\n" for l in data.splitlines())


def describe(run):
    return "exit %s, stderr's last line %r\n  stdout:\n%s" % (
        run.status, run.last_stderr_line(), show(run.stdout))


def load_known(path):
    known = {}
    if not path:
        return known
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            known[name] = reason.strip()
    return known


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the py2to3 binary")
    ap.add_argument("--python2", required=True)
    ap.add_argument("--python3", default="python3")
    ap.add_argument("--target", choices=["py3", "six"], default="py3")
    ap.add_argument("--six-cache", default=os.path.join(tempfile.gettempdir(), "py2to3-six-cache"),
                    help="where six %s is downloaded to (--target six)" % SIX_VERSION)
    ap.add_argument("--round-trip", action="store_true",
                    help="--target six, then --target py3 on the result: it must behave too")
    ap.add_argument("--fixtures", help="the fixtures folder")
    ap.add_argument("--declined", action="append", default=[],
                    help="a folder of cases the tool must leave untouched and report")
    ap.add_argument("--known-failures", help="NAME reason lines: failures tolerated")
    ap.add_argument("--jobs", type=int, default=2, help="interpreters run at once")
    ap.add_argument("--only", action="append", default=[], help="run only these cases")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--determinism", action="store_true",
                    help="run each original twice more (different hash seeds) and report the "
                         "cases whose output changes: for writing cases")
    ap.add_argument("--verbose", action="store_true", help="show passing cases too")
    ap.add_argument("folders", nargs="*", help="folders of cases")
    opts = ap.parse_args()
    started = time.time()
    binary = os.path.abspath(opts.bin)

    cases = []
    for folder in opts.folders:
        cases += collect_cases(folder, "case")
    for folder in opts.declined:
        cases += collect_cases(folder, "declined")
    fixtures = collect_fixtures(opts.fixtures, binary) if opts.fixtures else []
    cases += fixtures
    if opts.only:
        cases = [c for c in cases if c.name in opts.only or c.slug in opts.only]
    names = {}
    for c in cases:
        if c.name in names:
            raise SystemExit("two cases named %s: %s and %s" % (c.name, names[c.name], c.source))
        names[c.name] = c.source
    known = load_known(opts.known_failures)

    tmp = tempfile.mkdtemp(prefix="py2to3-behaviour-")
    try:
        code = compare(opts, binary, cases, known, tmp, started)
    finally:
        if opts.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(code)


def compare(opts, binary, cases, known, tmp, started):
    orig_root = os.path.join(tmp, "orig")
    conv_root = os.path.join(tmp, "conv")
    for c in cases:
        c.orig_dir = copy_case(c, orig_root)
        c.conv_dir = copy_case(c, conv_root)
    programs = [c for c in cases if c.kind != "declined"]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs))
    originals = {c.name: pool.submit(run_program, opts.python2, c.orig_dir, c.entry)
                 for c in programs}

    # Convert: one `py2to3 fix` per set of options, while the originals run.
    groups = {}
    for c in cases:
        groups.setdefault(c.fix_args, []).append(c)
    for args, group in sorted(groups.items()):
        p = run_fix(binary, opts.target, args, [c.conv_dir for c in group])
        for line in p.stderr.splitlines() + p.stdout.splitlines():
            owner = owner_of(line, group)
            if owner:
                owner.fix_output.append(line.replace(owner.conv_dir + os.sep, ""))

    for c in programs:
        c.original = originals[c.name].result()
    if opts.determinism:
        # Fresh copies: a case may write files next to itself.
        again = {c.name: [pool.submit(run_program, opts.python2,
                                      copy_case(c, os.path.join(tmp, "again" + seed)), c.entry,
                                      seed)
                          for seed in ("1", "random")] for c in programs}
        for c in programs:
            if any(f.result().key() != c.original.key() for f in again[c.name]):
                c.problems.append("not deterministic: the original's output changes between runs")
    not_runnable = [c for c in cases if c.kind == "fixture" and c.original.status != 0]
    cases = [c for c in cases if c not in not_runnable]
    programs = [c for c in programs if c not in not_runnable]

    interpreters = [("python3", opts.python3)]
    six_path = None
    if opts.target == "six":
        interpreters.append(("python2", opts.python2))
        six_path = ensure_six(opts.six_cache)
    # Each interpreter runs its own copy: a case may write files next to itself (and both run at
    # once), and the round trip copies the converted folder as py2to3 left it.
    converted = {(c.name, label): pool.submit(run_program, exe,
                                              copy_case_dir(c.conv_dir,
                                                            os.path.join(tmp, "run-" + label)),
                                              c.entry, "0", six_path)
                 for c in programs for label, exe in interpreters}

    # Meanwhile: declined cases, the fixed-point check and compile().
    declined = [c for c in cases if c.kind == "declined"]
    for c in declined:
        check_declined(c)
    # A declined case must still be Python 2: the tool declines it for Python 3's sake only.
    py2_files = {f: c for c in declined for f in c.files(c.orig_dir)}
    for f, error in sorted(compile_failures(opts.python2, sorted(py2_files)).items()):
        c = py2_files[f]
        c.problems.append("Python 2 compile() rejects %s: %s" % (
            os.path.relpath(f, c.orig_dir), error))
    for args, group in sorted(groups.items()):
        group = [c for c in group if c.kind != "declined" and c in cases]
        if not group:
            continue
        p = run_fix(binary, opts.target, args, [c.conv_dir for c in group], ["--check"])
        for line in p.stdout.splitlines() + p.stderr.splitlines():
            owner = owner_of(line, group)
            if owner:
                owner.problems.append(
                    "not a fixed point: a second `py2to3 fix` %s" % (
                        "would change it" if line.startswith("would fix") else
                        "says: " + line.replace(owner.conv_dir + os.sep, "")))
    conv_files = {}
    for c in programs:
        for f in c.files(c.conv_dir):
            conv_files[f] = c
            if opts.target == "six":
                with open(f, "rb") as handle:
                    imports = re.findall(rb"^import six[ \t]*\r?$", handle.read(), re.M)
                if len(imports) > 1:
                    c.problems.append("%s: `import six` written %d times" % (
                        os.path.relpath(f, c.conv_dir), len(imports)))
            problem = newline_change(os.path.join(c.orig_dir, os.path.relpath(f, c.conv_dir)), f)
            if problem:
                c.problems.append("%s: %s" % (os.path.relpath(f, c.conv_dir), problem))
    for label, exe in interpreters:
        for f, error in sorted(compile_failures(exe, sorted(conv_files)).items()):
            c = conv_files[f]
            c.problems.append("%s compile() rejects %s: %s" % (
                label, os.path.relpath(f, c.conv_dir), error))

    if opts.round_trip:
        round_trip(opts, binary, programs, groups, tmp, six_path)

    for c in programs:
        if c.expect_report:
            check_reported(binary, c)
        for label, _ in interpreters:
            c.converted[label] = converted[(c.name, label)].result()
            if c.converted[label].key() != c.original.key() and not c.expect_report:
                c.problems.insert(0, "behaves differently under %s" % label)
        if any(l for l in c.fix_output if not l.startswith("would fix")):
            c.problems.append("py2to3 fix said: " + "; ".join(c.fix_output))
    pool.shutdown()

    # Report.
    failed, tolerated, unexpected_pass = [], [], []
    for c in cases:
        if c.problems and c.name in known:
            tolerated.append(c)
        elif c.problems:
            failed.append(c)
        elif c.name in known:
            unexpected_pass.append(c)
    for c in failed + tolerated:
        report(opts, binary, c, known.get(c.name))
    for c in unexpected_pass:
        print("PASSES BUT LISTED %s: remove it from the known failures (%s)" % (
            c.name, known[c.name]))
    ran = {c.name for c in cases}
    # Without --fixtures (or with --only) the list names cases that were not asked for.
    listed_missing = sorted(n for n in known if n not in ran and not opts.only
                            and (opts.fixtures or not n.startswith("fixtures/")))
    for n in listed_missing:
        print("LISTED BUT UNKNOWN %s: no such case ran%s; remove it from the known failures" % (
            n, " (the fixture is not runnable)" if n in {f.name for f in not_runnable} else ""))
    if opts.verbose:
        for c in cases:
            if not c.problems:
                print("ok %s" % c.name)
    fixtures = [c for c in cases if c.kind == "fixture"]
    if opts.fixtures:
        print("fixtures: %d of %d joined (exit 0 under Python 2); %d not runnable:" % (
            len(fixtures), len(fixtures) + len(not_runnable), len(not_runnable)))
        for c in not_runnable:
            print("  %s: %s" % (c.name, c.original.last_stderr_line()[:100] or
                                "exit %s" % c.original.status))
    print("behaviour: %d cases (%d own, %d declined, %d fixtures): %d passed, %d failed, "
          "%d known failures, %d listed but passing, %d listed but unknown, in %.1fs" % (
              len(cases), len([c for c in cases if c.kind == "case"]),
              len([c for c in cases if c.kind == "declined"]), len(fixtures),
              len([c for c in cases if not c.problems]), len(failed), len(tolerated),
              len(unexpected_pass), len(listed_missing), time.time() - started))
    return 1 if failed or unexpected_pass or listed_missing else 0


def round_trip(opts, binary, programs, groups, tmp, six_path):
    """`--round-trip`: each six-converted copy, converted with `--target py3`, must behave as the
    original under python3, compile, and be a fixed point. Counts the copies still importing six."""
    rt_dirs = {}
    for c in programs:
        rt_dirs[c.name] = os.path.join(tmp, "py3", c.slug)
        shutil.copytree(c.conv_dir, rt_dirs[c.name])
    for args, group in sorted(groups.items()):
        group = [c for c in group if c.name in rt_dirs]
        if group:
            dirs = [rt_dirs[c.name] for c in group]
            run_fix(binary, "py3", args, dirs)
            p = run_fix(binary, "py3", args, dirs, ["--check"])
            for line in p.stdout.splitlines() + p.stderr.splitlines():
                for c in group:
                    if line.startswith("would fix " + rt_dirs[c.name] + os.sep) or \
                            line.startswith(rt_dirs[c.name] + os.sep):
                        c.problems.append("after --target py3: not a fixed point (%s)" % line)
    files = {}
    still_six = 0
    for c in programs:
        uses_six = False
        for f in c.files(rt_dirs[c.name]):
            files[f] = c
            with open(f, "rb") as handle:
                if re.search(rb"^\s*(import six|from six)", handle.read(), re.M):
                    uses_six = True
        still_six += uses_six
    for f, error in sorted(compile_failures(opts.python3, sorted(files)).items()):
        files[f].problems.append("after --target py3: python3 compile() rejects %s: %s" % (
            os.path.basename(f), error))
    for c in programs:
        run = run_program(opts.python3, rt_dirs[c.name], c.entry, "0", six_path)
        c.converted["python3 after --target py3"] = run
        if run.key() != c.original.key() and not c.expect_report:
            c.problems.insert(0, "behaves differently under python3 after --target py3")
    print("round trip: %d of %d programs still import six after --target py3" % (
        still_six, len(programs)))


def newline_change(original, converted):
    """Why the converted file's line endings are not the original's (a CRLF file stays CRLF)."""
    if not os.path.exists(original):
        return None
    with open(original, "rb") as a, open(converted, "rb") as b:
        before, after = a.read(), b.read()
    if before.count(b"\n") and before.count(b"\r\n") == before.count(b"\n"):
        if after.count(b"\r\n") != after.count(b"\n"):
            return "a CRLF file now has %d bare LF line endings" % (
                after.count(b"\n") - after.count(b"\r\n"))
    elif b"\r\n" not in before and b"\r\n" in after:
        return "an LF file now has CRLF line endings"
    return None


def check_reported(binary, c):
    """An `# expect-report:` case: `py2to3 check` on the original reports every listed code."""
    select = ["--extend-select", ",".join(c.expect_report)]
    p = subprocess.run([binary, "check", "--isolated", "--no-cache", "--exit-zero"] + select
                       + [c.orig_dir],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
    found = set(re.findall(r":\d+:\d+: (PY\d+) ", p.stdout))
    for code in c.expect_report:
        if code not in found:
            c.problems.append("`py2to3 check` does not report %s (it reports: %s)" % (
                code, ", ".join(sorted(found)) or "nothing"))


def check_declined(c):
    """A declined case: every file byte-identical, and named in the tool's report."""
    for f in c.files(c.orig_dir):
        rel = os.path.relpath(f, c.orig_dir)
        with open(f, "rb") as a, open(os.path.join(c.conv_dir, rel), "rb") as b:
            if a.read() != b.read():
                c.problems.append("%s was changed; it must be left byte-identical" % rel)
    if not c.fix_output:
        c.problems.append("py2to3 fix did not report why it left the case alone")


def report(opts, binary, c, known_reason):
    head = "KNOWN FAILURE" if known_reason is not None else "FAIL"
    print("=" * 78)
    print("%s %s%s" % (head, c.name, " (%s)" % known_reason if known_reason else ""))
    print("  source: %s" % c.source)
    for p in c.problems:
        print("  - %s" % p)
    if known_reason is not None and not opts.verbose:
        return
    for line in c.fix_output:
        print("  fix: %s" % line)
    if c.kind != "declined":
        print("  Python 2 original: " + describe(c.original))
    for label, run in sorted(c.converted.items()):
        print("  converted, under %s: %s" % (label, describe(run)))
        if run.key() != c.original.key() and run.stderr.strip():
            print("  converted's stderr (%s):\n%s" % (label, show("\n".join(
                run.stderr.splitlines()[-8:]))))
    diff = run_fix(binary, opts.target, c.fix_args, [c.orig_dir], ["--diff"]).stdout
    print("  py2to3 fix --diff %s:" % " ".join(c.fix_args))
    print(show(diff.replace(c.orig_dir + os.sep, "")), end="")


if __name__ == "__main__":
    main()
