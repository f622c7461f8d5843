#!/usr/bin/env python3
"""Differential fuzzer: Python 2.7 against `py2to3 fix` + python3 (issue 19, behaviour parity).

    python3 scripts/behaviour/fuzz.py --bin target/release/py2to3 --python2 PY2 \\
        [--python3 python3] [--seed N] [--seconds S] [--count N] [--batch N] [--jobs N] \\
        [--save DIR] [--fix-args "..."] [--no-shrink] [--shrink-seconds S] [--strict] [--show N]

Each program is made of a header (maybe `from __future__ import division`/`print_function`) and a few
independent *sections*. A section comes from a statement template (dict views mutated in a loop, sort
with cmp=, exceptions, classes with __cmp__/__nonzero__/next, renamed modules...) whose expressions are
drawn, recursively, from expression templates of the kind it needs (int, text, list of ints, iterator,
dict...), so that fixers meet each other inside one statement. Every choice comes from one seeded
`random.Random`: with a fixed seed the programs are always the same, `--seconds` only says how far the
run gets.

Per batch of programs: Python 2 runs every original (in parallel); ONE `py2to3 fix` converts a copy of
the folder; `py2to3 fix --check` must then find nothing left to change; python3's `compile()` must accept
every converted file; python3 runs the converted copies (in parallel). stdout, the exception type named by
the last line of stderr, and the exit status must be those of Python 2. A program that Python 2 rejects
or that does not finish in time is discarded (and counted).

Every section prints a marker line (`-- N`), so a difference is charged to the section whose output
differs. A mismatch is *allowed* when every differing section used a template listed in ALLOWED below
(differences no tool can remove, or that py2to3 reports without rewriting by design); anything else is
reported with the seed, the template chain, the program, both outputs and the converted program, then
shrunk (sections alone, then lines and blocks deleted while the same difference remains) to a minimal
reproducer, and saved under `--save DIR`. Open defects of py2to3 that the fuzzer keeps meeting are listed
in KNOWN (by the template that triggers them): they are counted as "known defects" and do not fail the
run unless `--strict`; remove an entry when its defect is fixed. Exit status: 1 on any other mismatch
or check failure, 0 otherwise, 2 on usage errors. `--show N` prints program N of the seed and exits.
Standard library only.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# Templates whose differences are expected: tag -> reason. A differing section that used one of these
# templates does not count as a mismatch. Templates avoid these differences wherever they can (ints are
# printed with str(), floats through '%.4f' or repr(), dicts and sets sorted), so the list stays short.
ALLOWED = {
    "hex-decode-text": "'6162'.decode('hex') / .decode('base64') give binary data: py2to3 makes it bytes in "
    "Python 3 (documented on codec-methods), so text operations on it (upper(), str(), + u'', filter()) "
    "differ; which one the program meant only its author knows",
    "classic-int-division": "`/` between ints whose types only run time knows (parameters, results of "
    "calls): PY417 old-division writes `//` only where both operands are certainly ints",
    "exception-message": "e.message is gone in Python 3; py2to3 reports it (PY817) and does not rewrite it",
    "getslice-inconsistent": "__getslice__ is never called by Python 3; py2to3 reports it (PY806) only",
    "exception-escape": "the name bound by `except E, e` is deleted after the handler in Python 3; "
    "py2to3 reports it (PY812) only",
    "comprehension-escape": "list comprehension variables do not leak in Python 3; reported only (PY813)",
    "exception-index": "exceptions are not sequences in Python 3: e[0]; reported only (PY809)",
    "range-lazy": "range(3) handed to other code or kept in a name, in a file without Python 2 grammar "
    "(print_function imported): range-list wraps it only where a list is visibly needed, since it cannot "
    "be told from a converted xrange(3), which must stay lazy (wrapping that could exhaust memory), and "
    "a second run must not change the first one's output (documented on range-list)",
    "shadow-functools": "functools rebound in the scope that needs functools.cmp_to_key: cmp-argument "
    "reports `cmp=` without a fix",
    "str_of_obj": "unicode(obj) on a class defining both __str__ and __unicode__: Python 3 has one text "
    "conversion, so str(obj) and the converted unicode(obj) cannot both keep their Python 2 results; "
    "reported only (PY331 unicode-method)",
    # Documented but never generated (the templates avoid them):
    # unicode repr u'x' vs 'x', long repr 10L vs 10, dict/set iteration order, round() half-even,
    # str(float) with 12 digits in Python 2, messages of exceptions, comparisons between unrelated types.
}

# Open defects of py2to3 that the fuzzer keeps finding: tag -> what goes wrong. A differing section that
# used one of these templates is counted as "known" instead of failing the run (`--strict` fails on them
# too). Remove an entry once its defect is fixed: the fuzzer then guards the fix.
KNOWN: dict = {}
# Tags (in KNOWN) of templates whose defect reaches the other sections of the program too.
KNOWN_PROGRAM: set = set()
# Tags (in KNOWN) of templates that make `py2to3 fix` refuse a file or not reach a fixed point.
KNOWN_FIX: set = set()

TIMEOUT = 10.0
MARK = "-- "


# --------------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------------

EXPR = {}  # kind -> [(weight, leaf, name, function)]
STMT = []  # [(weight, name, function)]


def expr(kind, weight=1.0, leaf=False):
    """Registers an expression template producing a value of `kind` (leaf: uses no sub-expression)."""

    def deco(fn):
        EXPR.setdefault(kind, []).append((weight, leaf, fn.__name__[2:], fn))
        return fn

    return deco


def stmt(weight=1.0):
    """Registers a statement (section) template."""

    def deco(fn):
        STMT.append((weight, fn.__name__[2:], fn))
        return fn

    return deco


class Node:
    """One template use, for the chain printed with a mismatch."""

    def __init__(self, name):
        self.name = name
        self.children = []

    def render(self):
        if not self.children:
            return self.name
        return "%s(%s)" % (self.name, ", ".join(c.render() for c in self.children))


class Gen:
    """Builds one program from seeded random choices."""

    NAMES = ["d", "data", "m", "xs", "ys", "items", "vals", "acc", "res", "out", "seq", "nums",
             "table", "cache", "counts", "pairs", "parts", "memo", "buf", "rows"]
    LOOP = ["k", "v", "x", "i", "n", "key", "item", "elem", "a", "b"]

    def __init__(self, rng):
        self.rng = rng
        self.future_division = rng.random() < 0.25
        self.future_print = rng.random() < 0.08
        self.uid = 0
        self.tags = set()
        self.stack = [Node("section")]
        self.pre = []  # definitions a statement needs, emitted before it
        self.in_function = False

    # -- helpers ---------------------------------------------------------------------------------
    def fresh(self, pool=None):
        self.uid += 1
        base = self.rng.choice(pool or self.NAMES)
        return "%s%d" % (base, self.uid) if self.rng.random() < 0.7 else "%s_%d" % (base, self.uid)

    def loopvar(self):
        return self.fresh(self.LOOP)

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, *options):
        return self.rng.choice(options)

    def tag(self, name):
        if name in ("range-value", "range-argument"):
            # A lazy range differs only where the file shows no Python 2 grammar: with
            # `print_function` imported, a program may have none (see ALLOWED).
            if not self.future_print:
                return
            name = "range-lazy"
        self.tags.add(name)

    def small(self):
        return str(self.rng.randint(0, 9))

    def expr(self, kind, depth):
        """An expression of `kind`; nested templates while depth lasts."""
        options = [t for t in EXPR[kind] if depth > 0 or t[1]]
        weight, _leaf, name, fn = weighted(self.rng, options)
        node = Node("%s:%s" % (kind, name))
        self.stack[-1].children.append(node)
        self.stack.append(node)
        self.tags.add(name)
        try:
            return fn(self, depth - 1)
        finally:
            self.stack.pop()

    def define(self, lines):
        """Adds definitions (a function, a class...) before the current statement."""
        self.pre.extend(lines)

    def p(self, *args, **kw):
        """A print line in the program's style: `print a, b` or print(a, b)."""
        end = kw.get("end")
        if self.future_print:
            extra = ", end=' '" if end == " " else ""
            return "print(%s%s)" % (", ".join(args), extra)
        if self.chance(0.05) and not args:
            return "print"
        if len(args) > 1 and not all(re.match(r"^(\w+|'[^']*'|-?\d+)$", a) for a in args):
            # `print a, b` writes a before it evaluates b, print(a, b) evaluates both first: when b
            # raises, the outputs differ in a way no conversion can help. One value keeps them alike.
            args = ["' '.join(['%%s'] * %d) %% (%s,)" % (len(args), ", ".join(args))]
        line = "print " + ", ".join(args)
        return line + ("," if end == " " else "")

    def note_range(self, code):
        """Tags a bare range(...) (maybe sliced) used as a value that is printed or kept."""
        if code.strip().startswith("range("):
            self.tag("range-value")
        return code

    def sink(self, kind, code):
        """Lines printing a value of `kind` deterministically under both versions."""
        self.note_range(code)
        if kind in ("int", "bool", "intlist", "pairlist"):
            return [self.p(code)]
        if kind == "text":
            return [self.p(code)] if self.chance(0.7) else [self.p("len(%s)" % code)]
        if kind == "float":
            return [self.p(self.pick("'%%.4f' %% (%s)" % code, "repr(%s)" % code))]
        if kind == "intiter":
            return [self.p("list(%s)" % code)] if self.chance(0.5) else [self.p("sum(%s)" % code)]
        if kind == "dict":
            return [self.p("sorted(%s.items())" % code)]
        if kind == "textlist":
            return [self.p("'|'.join(%s)" % code)]
        raise AssertionError(kind)


def scan_known(g, lines):
    """Tags known defects that only the finished code shows (operators met across templates)."""
    for line in lines:
        ops = re.findall(r"(?<!/)//?(?!/)", line.split("#")[0])
        if len(ops) >= 2 and "/" in ops:
            g.tag("nested-division")
        if re.search(r"\b(str|unicode|repr)\(range\(", line):
            g.tag("range-value")


def weighted(rng, options):
    """One of `options` (tuples whose first item is a weight), by weight."""
    r = rng.random() * sum(t[0] for t in options)
    for t in options:
        r -= t[0]
        if r <= 0:
            return t
    return options[-1]


def indent(lines, n=1):
    return ["    " * n + line if line else line for line in lines]


# -- expression templates: int -----------------------------------------------------------------------
@expr("int", 3, leaf=True)
def e_literal(g, d):
    return g.small()


@expr("int", 0.5, leaf=True)
def e_octal(g, d):
    return g.pick("07", "010", "0777 % 100", "017")


@expr("int", 0.5, leaf=True)
def e_long_literal(g, d):
    return g.pick("int(10L)", "int(3L * 2)", "int(long(4))", "int(0x10L)")


@expr("int", 0.3, leaf=True)
def e_maxint(g, d):
    return g.pick("sys.maxint % 1000", "int(sys.maxint > 10)", "len(str(sys.maxint))")


@expr("int", 1)
def e_len(g, d):
    return "len(%s)" % g.expr(g.pick("intlist", "text", "pairlist"), d)


@expr("int", 1)
def e_sum(g, d):
    return "sum(%s)" % g.expr(g.pick("intlist", "intiter"), d)


@expr("int", 0.7)
def e_index(g, d):
    return "%s[%s]" % (g.expr("intlist", d), g.pick("0", "-1", "1"))


@expr("int", 0.6)
def e_floordiv(g, d):
    return "(%s) // %d" % (g.expr("int", d), g.rng.randint(1, 4))


@expr("int", 0.4)
def e_classic_div(g, d):
    if g.future_division:
        return "int(%s / %d)" % (g.expr("int", d), g.rng.randint(1, 4))
    g.tag("classic-int-division")
    inner = g.expr("int", d)
    if "/" in inner:
        g.tag("nested-division")
    return "(%s) / %d" % (inner, g.rng.randint(1, 4))


@expr("int", 0.6)
def e_reduce(g, d):
    return "reduce(lambda a, b: a + b, %s, %s)" % (g.expr("intlist", d), g.small())


@expr("int", 0.5)
def e_apply(g, d):
    f = g.fresh(["f", "add", "combine"])
    g.define(["def %s(a, b=1):" % f, "    return a * 2 + b"])
    if g.chance(0.5):
        return "apply(%s, (%s,))" % (f, g.expr("int", d))
    return "apply(%s, (%s,), {'b': %s})" % (f, g.expr("int", d), g.small())


@expr("int", 0.7)
def e_cmp(g, d):
    a, b = g.expr("int", d), g.expr("int", d)
    if not all(re.match(r"^(\w+|-?\d+)$", x) for x in (a, b)):
        g.tag("cmp-call-args")
    return "cmp(%s, %s)" % (a, b)


@expr("int", 0.4)
def e_next_method(g, d):
    return "iter(%s).next()" % g.expr("intlist", d)


@expr("int", 0.4)
def e_next_default(g, d):
    return "next(%s, -1)" % g.expr("intiter", d)


@expr("int", 0.5)
def e_dict_get(g, d):
    return "%s.get(%s, -1)" % (g.expr("dict", d), g.expr("int", d))


@expr("int", 0.3)
def e_ord(g, d):
    return "ord((%s + 'x')[0])" % g.expr("text", d)


@expr("int", 0.4)
def e_tuple_param(g, d):
    f = g.fresh(["f", "pairsum", "first"])
    g.define(["def %s((a, b), c=0):" % f, "    return a * 10 + b + c"])
    return "%s((%s, %s))" % (f, g.expr("int", d), g.small())


@expr("int", 0.3)
def e_lambda_tuple(g, d):
    return "(lambda (a, b): a - b)((%s, %s))" % (g.expr("int", d), g.small())


@expr("int", 0.4)
def e_conditional(g, d):
    return "(%s if %s else %s)" % (g.expr("int", d), g.expr("bool", d), g.small())


@expr("int", 0.3)
def e_max_cmp_obj(g, d):
    cls = define_cmp_class(g)
    return "max([%s(%s), %s(%s)]).v" % (cls, g.expr("int", d), cls, g.small())


@expr("int", 0.2)
def e_int_of_float(g, d):
    return "int(%s)" % g.expr("float", d)


# -- float -------------------------------------------------------------------------------------------
@expr("float", 2, leaf=True)
def e_float_literal(g, d):
    return g.pick("2.5", "0.5", "3.0", "1.25", "10.0")


@expr("float", 1)
def e_true_div(g, d):
    if g.future_division:
        return "(%s) / %d" % (g.expr("int", d), g.rng.randint(1, 4))
    return "(%s) / %s" % (g.expr("int", d), g.pick("2.0", "4.0", "float(2)"))


@expr("float", 0.6)
def e_float_div_var(g, d):
    return "%s / (%s + 1)" % (g.expr("float", d), g.expr("int", d))


@expr("float", 0.5)
def e_float_call(g, d):
    return "float(%s)" % g.expr("int", d)


# -- bool --------------------------------------------------------------------------------------------
@expr("bool", 1, leaf=True)
def e_bool_leaf(g, d):
    return g.pick("True", "False", "1 <> 2", "{1: 2}.has_key(1)", "callable(len)")


@expr("bool", 1)
def e_has_key(g, d):
    return "%s.has_key(%s)" % (g.expr("dict", d), g.expr("int", d))


@expr("bool", 0.7)
def e_ne(g, d):
    return "%s <> %s" % (g.expr("int", d), g.expr("int", d))


@expr("bool", 0.6)
def e_isinstance_basestring(g, d):
    return "isinstance(%s, basestring)" % g.expr(g.pick("text", "int"), d)


@expr("bool", 0.4)
def e_isinstance_str_unicode(g, d):
    return "isinstance(%s, (str, unicode))" % g.expr("text", d)


@expr("bool", 0.4)
def e_isinstance_long(g, d):
    return "isinstance(%s, (int, long))" % g.expr(g.pick("int", "text"), d)


@expr("bool", 0.4)
def e_callable(g, d):
    return "callable(%s)" % g.pick("len", "42", "'s'", "lambda: 0", g.expr("int", d))


@expr("bool", 0.5)
def e_list_eq(g, d):
    return "%s == %s" % (g.expr("intlist", d), g.expr("intlist", d))


@expr("bool", 0.5)
def e_in_dict_keys(g, d):
    return "%s in %s.keys()" % (g.expr("int", d), g.expr("dict", d))


@expr("bool", 0.4)
def e_nonzero_obj(g, d):
    cls = define_nonzero_class(g)
    return "bool(%s(%s))" % (cls, g.expr("int", d))


@expr("bool", 0.3)
def e_types_check(g, d):
    return "isinstance(%s, types.%s)" % (g.expr("int", d), g.pick("IntType", "StringType", "ListType"))


@expr("bool", 0.3)
def e_gt(g, d):
    return "%s > %s" % (g.expr("int", d), g.expr("int", d))


# -- text --------------------------------------------------------------------------------------------
@expr("text", 2, leaf=True)
def e_text_literal(g, d):
    return g.pick("'abc'", "u'xyz'", "\"hi there\"", "u\"Uni\"", "'a-b-c'", "ur'r\\d'", "''")


@expr("text", 0.8)
def e_unicode_call(g, d):
    return "unicode(%s)" % g.expr(g.pick("int", "text"), d)


@expr("text", 0.8)
def e_str_call(g, d):
    return "str(%s)" % g.expr(g.pick("int", "text", "intlist"), d)


@expr("text", 1)
def e_concat(g, d):
    return "%s + %s" % (g.expr("text", d), g.expr("text", d))


@expr("text", 1)
def e_percent(g, d):
    return "'%%s=%%d' %% (%s, %s)" % (g.expr("text", d), g.expr("int", d))


@expr("text", 0.6)
def e_roundtrip(g, d):
    return "(%s).encode('utf-8').decode('utf-8')" % g.expr("text", d)


@expr("text", 0.3)
def e_literal_decode(g, d):
    return g.pick("'abc'.decode('ascii')", "'xy'.decode('utf-8')")


@expr("text", 0.4, leaf=True)
def e_hex_codec(g, d):
    chosen = g.pick("'ab'.encode('hex')", "'6162'.decode('hex')", "'xyz'.encode('base64').strip()",
                    "'abc'.encode('rot13')")
    if ".decode(" in chosen:
        g.tag("hex-decode-text")
    return chosen


@expr("text", 0.5)
def e_backticks(g, d):
    return "`%s`" % g.expr("int", d)


@expr("text", 0.5, leaf=True)
def e_string_module(g, d):
    return g.pick("string.letters[:5]", "string.lowercase[-3:]", "string.uppercase[:2]",
                  "string.join(['a', 'b'], '-')", "string.upper('abc')", "string.digits[::3]",
                  "'abc'.translate(string.maketrans('ab', 'xy'))")


@expr("text", 0.5)
def e_join(g, d):
    return "%s.join(%s)" % (g.pick("'|'", "u','", "''"), g.expr("textlist", d))


@expr("text", 0.5)
def e_join_map(g, d):
    return "','.join(map(str, %s))" % g.expr(g.pick("intlist", "intiter"), d)


@expr("text", 0.4)
def e_filter_str(g, d):
    return "filter(lambda c: c in 'aeiouxy', %s)" % g.expr("text", d)


@expr("text", 0.3)
def e_intern(g, d):
    return "intern('ab' + %s)" % g.pick("'c'", "str(%s)" % g.expr("int", d))


@expr("text", 0.3)
def e_unichr(g, d):
    return "unichr(97 + (%s) %% 26)" % g.expr("int", d)


@expr("text", 0.4)
def e_repr_int(g, d):
    return "repr(%s)" % g.expr("int", d)


@expr("text", 0.3)
def e_upper(g, d):
    return "(%s).%s()" % (g.expr("text", d), g.pick("upper", "strip", "title", "lower"))


@expr("text", 0.3)
def e_str_of_obj(g, d):
    cls = g.fresh(["Named", "Thing", "Label"])
    g.define(["class %s(object):" % cls,
              "    def __str__(self):",
              "        return 'str-form'",
              "    def __unicode__(self):",
              "        return u'unicode-form'"])
    return "%s(%s())" % (g.pick("str", "unicode", "'%s' % "), cls)


@expr("text", 0.2)
def e_func_name(g, d):
    f = g.fresh(["helper", "fn"])
    g.define(["def %s(a=1, b=2):" % f, "    return a"])
    return g.pick("%s.func_name" % f, "str(%s.func_defaults)" % f, "%s.__name__" % f)


# -- textlist ----------------------------------------------------------------------------------------
@expr("textlist", 1, leaf=True)
def e_textlist_literal(g, d):
    return g.pick("['b', u'a', 'c']", "[u'x', u'y']", "['one']", "[]")


@expr("textlist", 1)
def e_split(g, d):
    return "(%s + ' q r').split()" % g.expr("text", d)


@expr("textlist", 0.6)
def e_map_str(g, d):
    return "map(%s, %s)" % (g.pick("str", "unicode", "lambda v: '<%d>' % v"), g.expr("intlist", d))


@expr("textlist", 0.4)
def e_filter_none_text(g, d):
    return "filter(None, %s)" % g.expr("textlist", d)


@expr("textlist", 0.4)
def e_sorted_text(g, d):
    return "sorted(%s)" % g.expr("textlist", d)


# -- intlist (a list in Python 2) ----------------------------------------------------------------------
@expr("intlist", 2, leaf=True)
def e_list_literal(g, d):
    n = g.rng.randint(0, 5)
    return "[%s]" % ", ".join(str(g.rng.randint(0, 9)) for _ in range(n))


@expr("intlist", 1.2)
def e_range(g, d):
    if g.chance(0.5):
        return "range(%s)" % g.pick("3", "5", "0", "(%s) %% 6" % g.expr("int", d))
    return "range(%s, %s)" % (g.small(), g.pick("7", "12"))


@expr("intlist", 1.2)
def e_map_lambda(g, d):
    return "map(lambda %s: %s * 2, %s)" % ("v", "v", g.expr(g.pick("intlist", "intiter"), d))


@expr("intlist", 0.6)
def e_map_func(g, d):
    f = g.fresh(["double", "inc", "step"])
    g.define(["def %s(v):" % f, "    return v + %s" % g.small()])
    return "map(%s, %s)" % (f, g.expr("intlist", d))


@expr("intlist", 0.4)
def e_map_none(g, d):
    if g.chance(0.5):
        return "map(None, %s)" % g.expr("intlist", d)
    return "[a or 0 for a, b in map(None, %s, %s)]" % (g.expr("intlist", d), g.expr("intlist", d))


@expr("intlist", 0.4)
def e_map_two(g, d):
    return "map(lambda a, b: (a or 0) + (b or 0), %s, %s)" % (g.expr("intlist", d), g.expr("intlist", d))


@expr("intlist", 0.4)
def e_map_ord(g, d):
    return "map(ord, %s)" % g.expr("text", d)


@expr("intlist", 1)
def e_filter_lambda(g, d):
    return "filter(lambda v: v %% 2, %s)" % g.expr(g.pick("intlist", "intiter"), d)


@expr("intlist", 0.6)
def e_filter_none(g, d):
    return "filter(None, %s)" % g.expr("intlist", d)


@expr("intlist", 0.3)
def e_filter_tuple(g, d):
    return "list(filter(None, (0, %s, 2)))" % g.expr("int", d) if g.chance(0.3) else \
        "filter(None, (0, %s, 2))" % g.expr("int", d)


@expr("intlist", 1)
def e_keys(g, d):
    return "%s.%s()" % (g.expr("dict", d), g.pick("keys", "values"))


@expr("intlist", 0.8)
def e_sorted_cmp(g, d):
    return "sorted(%s, %s)" % (g.expr(g.pick("intlist", "intiter"), d), cmp_arg(g))


@expr("intlist", 0.5)
def e_sorted_plain(g, d):
    return "sorted(%s%s)" % (g.expr(g.pick("intlist", "intiter"), d), g.pick("", ", reverse=True"))


@expr("intlist", 0.7)
def e_comprehension(g, d):
    v = g.loopvar()
    return "[%s + 1 for %s in %s]" % (v, v, g.expr(g.pick("intlist", "intiter"), d))


@expr("intlist", 0.6)
def e_list_of_iter(g, d):
    return "list(%s)" % g.expr("intiter", d)


@expr("intlist", 0.7)
def e_list_concat(g, d):
    return "%s + %s" % (g.expr("intlist", d), g.expr("intlist", d))


@expr("intlist", 0.4)
def e_slice(g, d):
    return "%s[%s]" % (g.expr("intlist", d), g.pick("1:", ":2", "::-1"))


@expr("intlist", 0.4)
def e_zip_first(g, d):
    return "[a for a, b in zip(%s, %s)]" % (g.expr("intlist", d), g.expr(g.pick("intlist", "text"), d))


@expr("intlist", 0.3)
def e_unzip(g, d):
    return "[p[0] for p in zip(*[(1, 2), (%s, 4)])]" % g.expr("int", d)


@expr("intlist", 0.4)
def e_imap_list(g, d):
    return "list(itertools.%s)" % g.pick("imap(abs, %s)" % g.expr("intlist", d),
                                         "ifilter(None, %s)" % g.expr("intlist", d),
                                         "ifilterfalse(None, %s)" % g.expr("intlist", d))


@expr("intlist", 0.3)
def e_reduce_list(g, d):
    return "reduce(lambda a, b: a + [b], %s, [])" % g.expr("intlist", d)


@expr("intlist", 0.3)
def e_xrange_list(g, d):
    return "list(xrange(%s))" % g.pick("4", "1, 6, 2")


@expr("intlist", 0.3)
def e_sorted_set(g, d):
    return "sorted(set(%s))" % g.expr(g.pick("intlist", "intiter"), d)


@expr("intlist", 0.3)
def e_repeat(g, d):
    return "[%s] * 3" % g.expr("int", d)


# -- pairlist ----------------------------------------------------------------------------------------
@expr("pairlist", 1)
def e_zip(g, d):
    return "zip(%s, %s)" % (g.expr("intlist", d), g.expr(g.pick("intlist", "intiter"), d))


@expr("pairlist", 1)
def e_items(g, d):
    return "%s.items()" % g.expr("dict", d)


@expr("pairlist", 0.5)
def e_sorted_items(g, d):
    return "sorted(%s.%s())" % (g.expr("dict", d), g.pick("items", "iteritems"))


@expr("pairlist", 0.5)
def e_enumerate(g, d):
    return "list(enumerate(%s))" % g.expr(g.pick("intlist", "intiter"), d)


@expr("pairlist", 0.4)
def e_sorted_items_lambda(g, d):
    return "sorted(%s.items(), key=lambda (k, v): (v, k))" % g.expr("dict", d)


@expr("pairlist", 0.3, leaf=True)
def e_pair_literal(g, d):
    return "[(1, 2), (3, 4)]"


@expr("pairlist", 0.3)
def e_items_concat(g, d):
    return "sorted(%s.items() + %s.items())" % (g.expr("dict", d), g.expr("dict", d))


# -- intiter (an iterator or lazy sequence in Python 2) -------------------------------------------------
@expr("intiter", 1)
def e_iter(g, d):
    return "iter(%s)" % g.expr("intlist", d)


@expr("intiter", 1)
def e_iterkeys(g, d):
    return "%s.%s()" % (g.expr("dict", d), g.pick("iterkeys", "itervalues"))


@expr("intiter", 1, leaf=True)
def e_xrange(g, d):
    return "xrange(%s)" % g.pick("4", "2, 7", "0", "1, 9, 3")


@expr("intiter", 0.5)
def e_xrange_expr(g, d):
    return "xrange((%s) %% 5)" % g.expr("int", d)


@expr("intiter", 0.8)
def e_imap(g, d):
    return "itertools.%s" % g.pick("imap(lambda v: v + 1, %s)" % g.expr("intlist", d),
                                   "ifilter(lambda v: v > 1, %s)" % g.expr("intlist", d),
                                   "imap(max, %s, %s)" % (g.expr("intlist", d), g.expr("intlist", d)))


@expr("intiter", 0.6)
def e_genexp(g, d):
    v = g.loopvar()
    return "(%s * 3 for %s in %s)" % (v, v, g.expr("intlist", d))


@expr("intiter", 0.6)
def e_custom_iter(g, d):
    cls = define_iter_class(g)
    return "%s(%s)" % (cls, g.expr("intlist", d))


@expr("intiter", 0.4)
def e_generator(g, d):
    f = g.fresh(["gen", "produce", "walk"])
    body = ["def %s(seq):" % f, "    for v in seq:", "        yield v"]
    if g.chance(0.3):
        body += ["    raise StopIteration"]
        g.tag("generator-stopiteration")
    g.define(body)
    return "%s(%s)" % (f, g.expr("intlist", d))


@expr("intiter", 0.3)
def e_reversed(g, d):
    return "reversed(%s)" % g.expr("intlist", d)


# -- dict (int -> int, keys in ascending order from 0..7, so both versions iterate alike) ---------------
@expr("dict", 2, leaf=True)
def e_dict_literal(g, d):
    keys = sorted(g.rng.sample(range(8), g.rng.randint(0, 5)))
    return "{%s}" % ", ".join("%d: %d" % (k, g.rng.randint(0, 9)) for k in keys)


@expr("dict", 0.6, leaf=True)
def e_fromkeys(g, d):
    return "dict.fromkeys(range(%s), %s)" % (g.rng.randint(0, 5), g.small())


@expr("dict", 0.6)
def e_dict_zip(g, d):
    return "dict(zip(range(%d), %s))" % (g.rng.randint(0, 6), g.expr("intlist", d))


@expr("dict", 0.5)
def e_dict_genexp(g, d):
    return "dict((k, k * k) for k in range(%d))" % g.rng.randint(0, 6)


@expr("dict", 0.3)
def e_dict_copy(g, d):
    return "%s.copy()" % g.expr("dict", d)


@expr("dict", 0.3)
def e_dict_items_merge(g, d):
    return "dict(%s.items() + [(7, %s)])" % (g.expr("dict", d), g.expr("int", d))


# -- shared definitions -------------------------------------------------------------------------------
def cmp_arg(g):
    """A cmp= argument (maybe positional) for sort/sorted."""
    kind = g.rng.randint(0, 3)
    if kind == 0:
        fn = "lambda a, b: cmp(b, a)"
        g.tag("cmp-in-cmp-lambda")
    elif kind == 1:
        fn = "lambda a, b: cmp(a %% %d, b %% %d) or cmp(a, b)" % ((g.rng.randint(2, 4),) * 2)
        g.tag("cmp-in-cmp-lambda")
    elif kind == 2:
        fn = g.fresh(["by_mod", "compare", "order"])
        g.define(["def %s(a, b):" % fn, "    return cmp(abs(a - 4), abs(b - 4)) or cmp(a, b)"])
        g.tag("cmp-call-args")
    else:
        fn = "lambda a, b: b - a"
    if g.chance(0.2):
        if fn.startswith("lambda"):
            g.tag("cmp-paren-lambda")
            return "(%s)" % fn
        return fn
    return "cmp=%s" % fn + g.pick("", "", ", reverse=True")


def define_cmp_class(g):
    cls = g.fresh(["Version", "Item", "Box"])
    g.define(["class %s(object):" % cls,
              "    def __init__(self, v):",
              "        self.v = v",
              "    def __cmp__(self, other):",
              "        return cmp(self.v, other.v)"])
    return cls


def define_nonzero_class(g):
    cls = g.fresh(["Flag", "Maybe", "Holder"])
    body = ["class %s(object):" % cls,
            "    def __init__(self, v):",
            "        self.v = v",
            "    def __nonzero__(self):",
            "        return self.v % 2 == 1"]
    if g.chance(0.2):
        body += ["    __bool__ = __nonzero__"]
        g.tag("bool-alias")
    if g.chance(0.2):
        body += ["    def __len__(self):", "        return 0"]
    g.define(body)
    return cls


def define_iter_class(g):
    cls = g.fresh(["Countdown", "Walker", "Cursor"])
    g.define(["class %s(object):" % cls,
              "    def __init__(self, seq):",
              "        self.seq = list(seq)",
              "    def __iter__(self):",
              "        return self",
              "    def next(self):",
              "        if not self.seq:",
              "            raise StopIteration",
              "        return self.seq.pop(0)"])
    return cls


# -- statement templates -------------------------------------------------------------------------------
@stmt(3)
def s_print_value(g):
    kind = g.pick("int", "int", "bool", "text", "intlist", "intlist", "pairlist", "float", "dict", "intiter",
                  "textlist")
    return g.sink(kind, g.expr(kind, 3))


@stmt(1)
def s_print_forms(g):
    a, b = g.fresh(["num", "count"]), g.fresh(["label", "word"])
    g.define(["%s = %s" % (a, g.expr("int", 2)), "%s = %s" % (b, g.expr("text", 2))])
    if g.future_print:
        return ["print(%s, %s, sep='/')" % (a, b), "print(%s, end=' ')" % a, "print('tail')"]
    form = g.rng.randint(0, 5)
    if form == 0:
        return ["print %s," % a, "print %s" % b]
    if form == 1:
        return ["print >>sys.stdout, %s, %s" % (a, b)]
    if form == 2:
        out = g.fresh(["out", "buf"])
        return ["import StringIO", "%s = StringIO.StringIO()" % out, "print >>%s, %s, %s" % (out, a, b),
                "print %s.getvalue()," % out, "print"]
    if form == 3:
        return ["print '%%s and %%d' %% (%s, %s)" % (b, a)]
    g.tag("print-tuple")
    if form == 4:
        return ["print(%s, %s)" % (a, g.small())]
    return ["print(%s)" % b, "print()"]


@stmt(2)
def s_consume_twice(g):
    kind = g.pick("intlist", "intlist", "pairlist")
    v = g.fresh()
    lines = ["%s = %s" % (v, g.note_range(g.expr(kind, 3)))]
    uses = ["len(%s)" % v, "list(%s)" % v, "sorted(%s)" % v, "%s[:1]" % v, "%s == %s" % (v, v),
            "bool(%s)" % v]
    if kind == "intlist":
        uses += ["sum(%s)" % v, "max(%s + [0])" % v, "%s.count(2)" % v, "%s + [9]" % v]
    lines.append(g.p(g.rng.choice(uses), g.rng.choice(uses)))
    lines.append(g.p(g.rng.choice(uses)))
    return lines


@stmt(2)
def s_loop(g):
    kind = g.pick("intlist", "intiter", "pairlist")
    v = g.loopvar()
    src = g.expr(kind, 3)
    if kind == "pairlist":
        return ["for %s, w in %s:" % (v, src), "    " + g.p("%s - w" % v, end=" "), g.p()]
    body = g.expr("int", 1).replace("~", "")
    return ["for %s in %s:" % (v, src), "    " + g.p("%s + %s" % (v, body), end=" "), g.p()]


def mutation(g, dv, k, in_func):
    """One statement changing dict `dv` inside a loop over its keys (key variable `k`)."""
    choice = g.rng.randint(0, 6)
    if choice == 0:
        return ["if %s %% 2 == 0:" % k, "    del %s[%s]" % (dv, k)]
    if choice == 1:
        return ["%s.pop(%s, None)" % (dv, k)]
    if choice == 2:
        value = g.expr("int", 1)
        if "(" in value:
            g.tag("dict-loop-call")
        return ["%s[%s] = %s" % (dv, k, value)]
    if choice == 3:
        return ["%s[%s + 10] = 1" % (dv, k)]
    if choice == 4:
        return ["%s.update({%s + 20: 0})" % (dv, k)]
    if choice == 5:
        f = g.fresh(["drop", "forget", "evict"])
        g.define(["def %s(m, key):" % f, "    if key in m:", "        del m[key]"])
        return ["%s(%s, %s)" % (f, dv, k)]
    f = g.fresh(["purge", "clear_one"])
    g.define(["def %s(key):" % f, "    %s.pop(key, None)" % dv])  # the dict reached by name, not passed
    if in_func:
        g.tag("dict-closure-mutation")
    return ["%s(%s)" % (f, k)]


@stmt(3)
def s_dict_mutate(g):
    dv = g.fresh(["d", "table", "cache", "counts"])
    global_style = g.chance(0.2)
    name = "GLOBAL_D" if global_style else dv
    lines = ["%s = %s" % (name, g.expr("dict", 2))]
    if global_style:
        lines = ["global GLOBAL_D"] + lines if g.in_function else lines
    view = g.pick("keys()", "keys()", "items()", "values()", "iterkeys()", "iteritems()", "viewkeys()", "")
    k = g.loopvar()
    if view == "viewkeys()":
        g.tag("viewkeys-loop-mutation")
    if view.startswith(("items", "iteritems")):
        head = "for %s, val in %s.%s:" % (k, name, view)
    elif view.startswith(("values", "itervalues")):
        head = "for %s in %s.%s:" % (k, name, view)
    elif view:
        head = "for %s in %s.%s:" % (k, name, view)
    else:
        head = "for %s in %s:" % (k, name)
    if global_style:
        f = g.fresh(["purge", "discard"])
        g.define(["def %s(key):" % f, "    GLOBAL_D.pop(key, None)"])
        body = ["%s(%s)" % (f, k)]
    else:
        body = mutation(g, name, k, g.in_function)
    lines += [head] + indent(body)
    lines.append(g.p("sorted(%s.items())" % name))
    return lines


@stmt(1)
def s_dict_index(g):
    dv = g.fresh(["d", "table"])
    lines = ["%s = %s" % (dv, g.expr("dict", 2))]
    kv = g.fresh(["keys", "ks", "names"])
    lines.append("%s = %s.%s()" % (kv, dv, g.pick("keys", "values", "items")))
    lines.append("%s[%s] = 100" % (dv, g.small()))
    lines.append(g.p("len(%s)" % kv, "%s[:2]" % kv, "%s[-1:]" % kv))
    if g.chance(0.5):
        lines.append("%s.sort()" % kv)
        lines.append(g.p(kv))
    return lines


@stmt(2)
def s_sort_cmp(g):
    v = g.fresh()
    lines = ["%s = %s" % (v, g.expr("intlist", 2))]
    arg = cmp_arg(g)
    lines.append("%s.sort(%s)" % (v, arg))
    lines.append(g.p(v))
    return lines


@stmt(2)
def s_division(g):
    v = g.fresh(["total", "x", "ratio", "part"])
    lines = []
    if g.chance(0.5):
        lines.append("%s = %s" % (v, g.expr("float", 2)))
        lines.append("%s /= %s" % (v, g.pick("2", "4.0", "(%s + 1)" % g.expr("int", 1))))
        lines.append(g.p("'%%.4f' %% %s" % v))
    else:
        lines.append("%s = %s" % (v, g.expr("int", 2)))
        if g.future_division:
            lines.append("%s /= %s" % (v, g.pick("2", "4")))
            lines.append(g.p("repr(%s)" % v))
        else:
            g.tag("classic-int-division")
            lines.append("%s /= %s" % (v, g.pick("2", "3")))
            lines.append(g.p(v))
    lines.append(g.p("7 // 2", "-7 // 2", "7.0 // 2", "'%%.3f' %% (%s / 8.0)" % g.expr("int", 1)))
    return lines


@stmt(1)
def s_literal_division(g):
    if g.future_division:
        return [g.p("repr(7 / 2)", "repr(-7 / 2)", "repr(1 / 4)")]
    g.tag("classic-int-division")
    return [g.p("7 / 2", "-7 / 2", "1 / 4", "7.0 / 2")]


@stmt(2)
def s_text(g):
    t = g.fresh(["s", "name", "text", "word"])
    lines = ["%s = %s" % (t, g.expr("text", 3))]
    checks = ["isinstance(%s, basestring)" % t, "len(%s)" % t, "%s.upper()" % t,
              "len(%s.encode('utf-8'))" % t, "%s == %s.encode('ascii').decode('ascii')" % (t, t),
              "'%%s!' %% %s" % t, "%s + u'!'" % t, "str(%s)" % t, "unicode(%s)" % t,
              "isinstance(%s, (str, unicode))" % t, "(%s * 2)[1:3]" % t]
    lines.append(g.p(g.rng.choice(checks), g.rng.choice(checks)))
    return lines


@stmt(1)
def s_bytes_io(g):
    return g.pick(
        ["import StringIO", "f = StringIO.StringIO('line1\\nline2\\n')", g.p("f.readline().strip()"),
         g.p("len(f.read())")],
        ["import cStringIO", "f = cStringIO.StringIO()", "f.write('abc')", g.p("f.getvalue()")],
        ["from StringIO import StringIO", "f = StringIO()", "f.write(u'x' + 'y')", g.p("f.getvalue()")],
        ["import hashlib", g.p("hashlib.md5('abc').hexdigest()")],
        ["import base64", g.p("base64.encodestring('hello').strip()"), g.p("base64.b64encode('hi')"),
         g.tag("bytes-result") or "pass"],
        ["import zlib", g.p("len(zlib.compress('aaaa'))")],
        ["import binascii", g.p("binascii.hexlify('ab')"), g.tag("bytes-result") or "pass"])


@stmt(3)
def s_exceptions(g):
    form = g.rng.randint(0, 9)
    err = g.pick("ValueError", "KeyError", "TypeError", "RuntimeError")
    e = g.fresh(["e", "exc", "err"])
    if form == 0:
        return ["try:", "    raise %s, 'boom'" % err, "except %s, %s:" % (err, e),
                "    " + g.p("type(%s).__name__" % e, "len(%s.args)" % e)]
    if form == 1:
        return ["try:", "    raise %s, (1, 2)" % err, "except %s, %s:" % (err, e),
                "    " + g.p("type(%s).__name__" % e, "%s.args" % e)]
    if form == 2:
        return ["try:",
                "    try:",
                "        %s" % g.expr("intlist", 2) + "[10]",
                "    except IndexError:",
                "        tb = sys.exc_info()[2]",
                "        raise %s, 'again', tb" % err,
                "except %s, %s:" % (err, e),
                "    " + g.p("'re-raised'", "type(%s).__name__" % e)]
    if form == 3:
        return ["try:", "    %s" % g.expr("int", 2) + " / 0" if g.chance(0.5) else "    {}[%s]" % g.small(),
                "except (ZeroDivisionError, KeyError), %s:" % e,
                "    " + g.p("sys.exc_info()[0].__name__")]
    if form == 4:
        g.tag("exception-message")
        return ["try:", "    raise %s('msg')" % err, "except Exception, %s:" % e, "    " + g.p("%s.message" % e)]
    if form == 5:
        return ["try:", "    raise StandardError, 'x'", "except StandardError, %s:" % e,
                "    " + g.p("'caught'", "%s.args" % e)]
    if form == 6:
        cls = g.fresh(["AppError", "Oops"])
        g.define(["class %s(Exception):" % cls, "    pass"])
        return ["try:", "    raise %s, %s" % (cls, g.expr("int", 2)), "except %s, %s:" % (cls, e),
                "    " + g.p("%s.args" % e)]
    if form == 7:
        g.tag("exception-escape")
        return ["try:", "    1 / 0", "except Exception, %s:" % e, "    pass", g.p("type(%s).__name__" % e)]
    if form == 8:
        g.tag("exception-index")
        return ["try:", "    raise %s('a', 'b')" % err, "except %s, %s:" % (err, e), "    " + g.p("%s[1]" % e)]
    return ["try:", "    " + g.expr("int", 2), "    raise %s" % err, "except:",
            "    " + g.p("sys.exc_info()[0].__name__", "sys.exc_type.__name__" if g.chance(0.3) else "1")]


@stmt(1)
def s_uncaught(g):
    """An exception that ends the program (checked through stderr and the exit status)."""
    return g.pick(["raise %s, 'fatal'" % g.pick("ValueError", "KeyError")],
                  ["%s[99]" % g.expr("intlist", 2)],
                  ["sys.exit(%s)" % g.pick("3", "'bye'", "0")])


@stmt(2)
def s_cmp_class(g):
    cls = define_cmp_class(g)
    xs = g.fresh()
    lines = ["%s = [%s(%s), %s(%s), %s(%s)]" % (xs, cls, g.expr("int", 1), cls, g.small(), cls, g.small())]
    lines.append(g.p(g.pick("[o.v for o in sorted(%s)]" % xs, "%s[0] == %s[1]" % (xs, xs),
                            "%s[0] < %s[1]" % (xs, xs), "%s[0] >= %s[2]" % (xs, xs),
                            "max(%s).v" % xs, "%s(1) in %s" % (cls, xs),
                            "len(set(%s))" % xs, "%s[0] != %s[1]" % (xs, xs))))
    return lines


@stmt(1)
def s_nonzero_class(g):
    cls = define_nonzero_class(g)
    o = g.fresh(["obj", "flag"])
    return ["%s = %s(%s)" % (o, cls, g.expr("int", 2)),
            "if %s:" % o, "    " + g.p("'yes'"), "else:", "    " + g.p("'no'"),
            g.p("not %s" % o, "len(filter(None, [%s, %s(1), %s(2)]))" % (o, cls, cls))]


@stmt(1)
def s_div_class(g):
    cls = g.fresh(["Money", "Vec", "Frac"])
    g.define(["class %s(object):" % cls,
              "    def __init__(self, v):",
              "        self.v = v",
              "    def __div__(self, n):",
              "        return %s(self.v // n)" % cls,
              "    def __truediv__(self, n):" if g.chance(0.3) else "    def __rdiv__(self, n):",
              "        return %s(self.v // n)" % cls])
    o = g.fresh(["amount", "vec"])
    if g.future_division:
        g.tag("div-method-future")
    return ["%s = %s(%s)" % (o, cls, g.expr("int", 2)), "%s = %s / 2" % (o, o), g.p("%s.v" % o),
            "%s /= 2" % o, g.p("%s.v" % o)]


@stmt(1)
def s_getslice_class(g):
    cls = g.fresh(["Seq", "Window"])
    consistent = g.chance(0.7)
    if not consistent:
        g.tag("getslice-inconsistent")
    g.define(["class %s(object):" % cls,
              "    def __init__(self, data):",
              "        self.data = data",
              "    def __getitem__(self, i):",
              "        return self.data[i]",
              "    def __getslice__(self, i, j):",
              "        return self.data[i:j]" if consistent else "        return ['slice']",
              "    def __len__(self):",
              "        return len(self.data)"])
    g.tag("range-value")
    return [g.p("%s(%s)[1:3]" % (cls, g.expr("intlist", 2)), "%s(range(5))[2]" % cls)]


@stmt(2)
def s_iterator_class(g):
    cls = define_iter_class(g)
    it = g.fresh(["it", "cursor"])
    lines = ["%s = %s(%s)" % (it, cls, g.expr("intlist", 2))]
    lines.append("try:")
    lines.append("    " + g.p("%s.next()" % it, "next(%s)" % it))
    lines.append("except StopIteration:")
    lines.append("    " + g.p("'empty'"))
    lines.append(g.p("list(%s)" % it))
    return lines


@stmt(1)
def s_next_attribute(g):
    cls = g.fresh(["Node", "Link"])
    g.define(["class %s(object):" % cls,
              "    def __init__(self, v, next=None):",
              "        self.v = v",
              "        self.next = next"])
    n = g.fresh(["node", "head"])
    return ["%s = %s(1, %s(2))" % (n, cls, cls), g.p("%s.next.v" % n, "%s.next.next" % n)]


@stmt(1)
def s_metaclass(g):
    meta = g.fresh(["Meta", "Registry"])
    cls = g.fresh(["Model", "Base"])
    g.define(["class %s(type):" % meta,
              "    def __new__(mcs, name, bases, ns):",
              "        ns['tag'] = name.lower()",
              "        return type.__new__(mcs, name, bases, ns)"])
    bases = g.pick("(object)", "", "()")
    return ["class %s%s:" % (cls, bases), "    __metaclass__ = %s" % meta, "    x = %s" % g.small(),
            g.p("%s.tag" % cls, "%s.x" % cls, "type(%s).__name__" % cls)]


@stmt(2)
def s_renamed_module(g):
    form = g.rng.randint(0, 13)
    if form == 0:
        return ["import cPickle", g.p("cPickle.loads(cPickle.dumps(%s))" % g.note_range(g.expr("intlist", 2)))]
    if form == 1:
        return ["import cPickle as pickle", g.p("pickle.loads(pickle.dumps(%s, 2))" % g.expr("pairlist", 2))]
    if form == 2:
        cp = g.fresh(["cfg", "parser"])
        return ["import ConfigParser", "%s = ConfigParser.%s()" % (cp, g.pick("ConfigParser", "RawConfigParser")),
                "%s.add_section('s')" % cp, "%s.set('s', 'k', '%s')" % (cp, g.small()),
                g.p("%s.get('s', 'k')" % cp, "%s.has_section('s')" % cp)]
    if form == 3:
        q = g.fresh(["q", "queue"])
        return ["import Queue", "%s = Queue.Queue()" % q, "%s.put(%s)" % (q, g.expr("int", 2)),
                g.p("%s.get()" % q), "try:", "    %s.get_nowait()" % q, "except Queue.Empty:",
                "    " + g.p("'empty'")]
    if form == 4:
        return ["import urlparse", g.p("urlparse.urlparse('http://h/p?q=%s').query" % g.small(),
                                       "urlparse.urljoin('http://h/a/b', 'c')")]
    if form == 5:
        return ["from urlparse import parse_qs", g.p("sorted(parse_qs('a=1&b=2&a=3').items())")]
    if form == 6:
        return ["import urllib", g.p("urllib.quote('a b/c')", "urllib.urlencode([('k', 'v w')])",
                                     "urllib.unquote('x%20y')")]
    if form == 7:
        return ["from itertools import izip, imap", g.p("list(izip(%s, imap(abs, %s)))"
                                                        % (g.expr("intlist", 2), g.expr("intlist", 2)))]
    if form == 8:
        return ["import itertools",
                g.p("list(itertools.izip_longest(%s, [1], fillvalue=0))" % g.expr("intlist", 2)),
                g.tag("izip-longest-attribute") or "pass"]
    if form == 9:
        return ["import __builtin__", g.p("__builtin__.len(%s)" % g.expr("intlist", 2))]
    if form == 10:
        g.tag("userdict-module")
        return ["import UserDict", "u = UserDict.UserDict({1: 2})", g.p("u[1]", "sorted(u.keys())")]
    if form == 11:
        return ["import htmlentitydefs", g.p("htmlentitydefs.name2codepoint['amp']")]
    if form == 12:
        return ["import httplib", g.p("httplib.responses[404]")]
    g.tag("range-argument")
    return ["import copy_reg", "import repr as reprlib_mod", g.p("reprlib_mod.repr(range(3))")]


@stmt(2)
def s_misc(g):
    form = g.rng.randint(0, 11)
    if form == 0:
        return ["exec \"%s = %s\"" % (g.fresh(["z", "w"]), g.small()), g.p("'exec ok'")]
    if form == 1:
        ns = g.fresh(["ns", "scope"])
        return ["%s = {}" % ns, "exec 'r = %s * 2' in %s" % (g.small(), ns), g.p("%s['r']" % ns)]
    if form == 2:
        return [g.p("10L + %s" % g.expr("int", 2), "str(2 ** 64)", "0777", "0xFFL")]
    if form == 3:
        return [g.p("`%s`" % g.expr("int", 2), "`[1, 2]`", "`'q'`")]
    if form == 4:
        return [g.p("%s <> %s" % (g.expr("int", 2), g.expr("int", 2)))]
    if form == 5:
        return [g.p("callable(%s)" % g.pick("len", "3", "'x'"), "intern('abc')", "sys.maxint > 2 ** 31")]
    if form == 6:
        return [g.p("reduce(lambda a, b: a * b, %s, 1)" % g.expr("intlist", 2))]
    if form == 7:
        f = g.fresh(["f", "calc"])
        g.define(["def %s(*args, **kw):" % f, "    return len(args) + len(kw)"])
        return [g.p("apply(%s, %s, {'z': 1})" % (f, g.pick("(1, 2)", "[1]", "()")))]
    if form == 8:
        return ["import operator", g.p("operator.isCallable(len)", "operator.sequenceIncludes([1], 1)")]
    if form == 9:
        return ["import types", g.p("isinstance('x', types.StringTypes)", "types.NoneType is type(None)")]
    if form == 10:
        g.tag("comprehension-escape")
        return ["[%s for q in range(3)]" % g.small(), g.p("q")]
    v = g.fresh()
    return ["%s = []" % v, "map(%s.append, %s)" % (v, g.expr("intlist", 2)), g.p(v)]


@stmt(1)
def s_map_statement(g):
    out = g.fresh(["out", "seen"])
    return ["%s = []" % out,
            "map(lambda v: %s.append(v * 2), %s)" % (out, g.expr(g.pick("intlist", "intiter"), 2)),
            "filter(%s.append, %s)" % (out, g.expr("intlist", 1)) if g.chance(0.3) else "pass",
            g.p(out)]


@stmt(1)
def s_shadow(g):
    """A local name that a conversion may need as a builtin."""
    name = g.pick("list", "next", "sorted", "functools", "str", "range", "iter")
    v = g.fresh()
    val = {"list": "[5]", "next": "lambda *a: 'mine'", "sorted": "lambda *a, **k: 'mine'",
           "functools": "None", "str": "unicode", "range": "lambda *a: [7]", "iter": "iter"}[name]
    lines = ["%s = %s" % (name, val)]
    if name == "functools":
        g.tag("shadow-functools")
    use = g.pick("%s.keys()" % g.expr("dict", 1), "map(abs, %s)" % g.expr("intlist", 1),
                 "iter(%s).next()" % g.expr("intlist", 1), "sorted([2, 1], cmp=lambda a, b: cmp(a, b))",
                 "zip(%s, %s)" % (g.expr("intlist", 1), g.expr("intlist", 1)), "range(3)")
    lines += ["%s = %s" % (v, use), g.p("%s == %s" % (v, use))]
    return lines


# -- programs ----------------------------------------------------------------------------------------
class Section:
    def __init__(self, index, lines, tags, chain):
        self.index = index
        self.lines = lines
        self.tags = tags
        self.chain = chain


class Program:
    def __init__(self, ident, header, sections):
        self.ident = ident
        self.header = header
        self.sections = sections

    def source(self, only=None):
        secs = self.sections if only is None else [s for s in self.sections if s.index in only]
        out = list(self.header)
        for s in secs:
            out.extend(s.lines)
        return "\n".join(out) + "\n"


def generate(rng, ident):
    g = Gen(rng)
    header = []
    futures = []
    if g.future_division:
        futures.append("division")
    if g.future_print:
        futures.append("print_function")
    if futures:
        header.append("from __future__ import %s" % ", ".join(futures))
    header.append("import sys, string, itertools, types")
    sections = []
    for index in range(rng.randint(2, 6)):
        g.tags = set()
        g.pre = []
        g.stack = [Node("section")]
        weight, name, fn = weighted(rng, STMT)
        wrap = rng.random()
        if name == "shadow":
            wrap *= 0.4  # inside a function: a module-level shadow would reach the other sections
        g.in_function = wrap < 0.4
        g.stack[-1].name = name
        g.tags.add(name)
        body = fn(g)
        scan_known(g, g.pre + body)
        marker = g.p("'%s%d'" % (MARK, index))
        lines = [marker]
        if wrap < 0.4:
            fname = "section_%d" % index
            inner = g.pre + body
            if wrap < 0.2:
                e = "e_%d" % index
                inner = ["try:"] + indent(inner) + [
                    "except Exception, %s:" % e if rng.random() < 0.8 else "except Exception as %s:" % e,
                    "    " + g.p("'!'", "type(%s).__name__" % e)]
            lines += ["def %s():" % fname] + indent(inner) + ["%s()" % fname]
        elif wrap < 0.85:
            e = "e_%d" % index
            lines += g.pre + ["try:"] + indent(body) + [
                "except Exception, %s:" % e, "    " + g.p("'!'", "type(%s).__name__" % e)]
        else:
            lines += g.pre + body
        sections.append(Section(index, lines, set(g.tags), g.stack[0].render()))
    return Program(ident, header, sections)


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------

class Run:
    def __init__(self, status, stdout, stderr):
        self.status = status  # exit status, or "timeout"
        self.stdout = stdout
        self.stderr = stderr

    def last_error(self):
        """The exception type named by the last line of stderr ('' when there is none)."""
        lines = [l for l in self.stderr.splitlines() if l.strip()]
        if not lines:
            return ""
        last = lines[-1].strip()
        head = last.split(":", 1)[0].strip()
        if re.match(r"^[A-Za-z_][\w.]*$", head):
            return head.rsplit(".", 1)[-1]
        return last

    def outcome(self):
        return (normalize(self.stdout), self.last_error(), self.status)


# The folder holding six.py under `--six-cache` (converted programs import six), else None.
SIX_PATH = None


def run_python(interp, path, timeout=TIMEOUT):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               LC_ALL="C")
    env.pop("PYTHONPATH", None)
    if SIX_PATH:
        # `--six-cache`: six must be importable by the converted programs.
        env["PYTHONPATH"] = SIX_PATH
    try:
        p = subprocess.run([interp, "-W", "ignore", os.path.basename(path)], cwd=os.path.dirname(path),
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return Run("timeout", "", "")
    return Run(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


def normalize(stdout):
    """stdout with each line's trailing blanks and the final newlines removed: Python 2's `print x,`
    leaves a pending space (softspace) that the next print drops when it starts a line, and ends the
    line at exit, while print(x, end=' ') writes the space and nothing at exit."""
    return "\n".join(line.rstrip() for line in stdout.split("\n")).rstrip("\n")


def py2_rejected(run):
    return run.status == "timeout" or run.last_error() in ("SyntaxError", "IndentationError", "TabError")


def sections_of(stdout):
    """stdout split at the section markers: {index: text}, -1 for what comes before any marker."""
    out = {-1: []}
    cur = -1
    for line in stdout.split("\n"):
        if line.startswith(MARK) and line[len(MARK):].strip().isdigit():
            cur = int(line[len(MARK):].strip())
            out[cur] = []
        else:
            out.setdefault(cur, []).append(line.rstrip())
    return {k: "\n".join(v) for k, v in out.items()}


def differing_sections(prog, r2, r3):
    """Indexes of the sections whose output differs (the last one started also gets stderr/status)."""
    a, b = sections_of(r2.stdout), sections_of(r3.stdout)
    diff = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
    if (r2.last_error(), r2.status) != (r3.last_error(), r3.status):
        # The run that stopped first stopped in the section to blame; what the other run printed
        # after that section follows from it.
        last = min(max([k for k in a if k >= 0] or [-1]), max([k for k in b if k >= 0] or [-1]))
        diff = {k for k in diff if k <= last}
        diff.add(last)
    return diff


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.fix_args = shlex.split(args.fix_args)
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
        self.known_tags = {}  # KNOWN / ALLOWED tag -> programs it excused
        self.stats = dict(programs=0, discarded=0, compared=0, matched=0, allowed=0, known=0, mismatched=0,
                          check_failures=0, fix_failures=0, compile_failures=0)
        self.failures = []  # reports
        self.discards = []  # (program, why)
        self.shrunk = set()  # signatures of the problems already shrunk
        self.shrink_budget = args.shrink_seconds

    # -- batch machinery -------------------------------------------------------------------------
    def fix(self, folder, extra=()):
        cmd = [self.args.bin, "fix", "--no-cache", "--isolated"] + list(extra) + self.fix_args + [folder]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return p.returncode, p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")

    def compile_failures(self, paths):
        script = ("import sys\nfor p in sys.argv[1:]:\n    try:\n        compile(open(p, 'rb').read(), p, 'exec')\n"
                  "    except Exception as e:\n        print(p + '\\t' + type(e).__name__ + ': ' + str(e))\n")
        out = {}
        for i in range(0, len(paths), 200):
            p = subprocess.run([self.args.python3, "-c", script] + paths[i:i + 200], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
            for line in p.stdout.decode("utf-8", "replace").splitlines():
                path, _, msg = line.partition("\t")
                out[path] = msg
        return out

    def run_many(self, interp, paths):
        return list(self.pool.map(lambda p: run_python(interp, p), paths))

    def evaluate(self, sources):
        """Runs sources {name: text} through the whole pipeline; returns {name: result dict}."""
        work = tempfile.mkdtemp(prefix="py2to3-fuzz-")
        try:
            orig = os.path.join(work, "orig")
            conv = os.path.join(work, "conv")
            os.makedirs(orig)
            os.makedirs(conv)
            names = sorted(sources)
            for n in names:
                for folder in (orig, conv):
                    with open(os.path.join(folder, n + ".py"), "w") as f:
                        f.write(sources[n])
            res = {n: {} for n in names}
            runs2 = self.run_many(self.args.python2, [os.path.join(orig, n + ".py") for n in names])
            live = []
            for n, r in zip(names, runs2):
                res[n]["py2"] = r
                if not py2_rejected(r):
                    live.append(n)
                else:
                    os.remove(os.path.join(conv, n + ".py"))
            if not live:
                return res
            _, fix_out = self.fix(conv)
            for n in live:
                path = os.path.join(conv, n + ".py")
                res[n]["fix_msgs"] = [l for l in fix_out.splitlines() if l.startswith(path + ":")]
                with open(path) as f:
                    res[n]["converted"] = f.read()
            rc, check_out = self.fix(conv, ["--check"])
            if rc != 0:
                _, diff = self.fix(conv, ["--diff"])
                for n in live:
                    path = os.path.join(conv, n + ".py")
                    if path in diff or path in check_out:
                        res[n]["not_fixed_point"] = self.file_diff(diff, path) or check_out
            bad = self.compile_failures([os.path.join(conv, n + ".py") for n in live])
            for n in live:
                path = os.path.join(conv, n + ".py")
                if path in bad:
                    res[n]["compile_error"] = bad[path]
            runs3 = self.run_many(self.args.python3, [os.path.join(conv, n + ".py") for n in live])
            for n, r in zip(live, runs3):
                res[n]["py3"] = r
            return res
        finally:
            shutil.rmtree(work, ignore_errors=True)

    @staticmethod
    def file_diff(diff, path):
        keep, out = False, []
        for line in diff.splitlines():
            if line.startswith("--- "):
                keep = path in line
            if keep:
                out.append(line)
        return "\n".join(out)

    # -- judging ---------------------------------------------------------------------------------
    def problems(self, prog, r):
        """(kind, differing sections, allowed) for one evaluated program; None when it passed."""
        if "py3" not in r:
            return None
        found = []
        if r.get("fix_msgs"):
            found.append(("fix-failed", "\n".join(r["fix_msgs"])))
        if r.get("not_fixed_point"):
            found.append(("not-fixed-point", r["not_fixed_point"]))
        if r.get("compile_error"):
            found.append(("compile", r["compile_error"]))
        if r["py2"].outcome() != r["py3"].outcome():
            found.append(("behaviour", ""))
        return found

    def judge(self, prog, r):
        found = self.problems(prog, r)
        if found is None:
            self.stats["discarded"] += 1
            why = r["py2"].stderr.strip().splitlines()[-1:] or [str(r["py2"].status)]
            self.discards.append((prog.ident, why[0]))
            if self.args.verbose:
                print("discarded %s: %s" % (prog.ident, why[0]))
            return
        self.stats["compared"] += 1
        if not found:
            self.stats["matched"] += 1
            return
        kinds = [k for k, _ in found]
        excused = set(ALLOWED) if self.args.strict else set(ALLOWED) | set(KNOWN)
        tags_of = {s.index: s.tags for s in prog.sections}
        all_tags = set().union(*tags_of.values()) if tags_of else set()
        known = False
        if not self.args.strict and all_tags & KNOWN_PROGRAM:
            self.stats["known"] += 1
            for tag in all_tags & KNOWN_PROGRAM:
                self.known_tags[tag] = self.known_tags.get(tag, 0) + 1
            return
        if not self.args.strict and all_tags & KNOWN_FIX and set(kinds) - {"behaviour"}:
            # A file py2to3 refuses or does not finish converting, with a known trigger of that.
            known = True
            if "fix-failed" in kinds or "compile" in kinds:
                kinds = []  # left unconverted: its behaviour says nothing more
            else:
                kinds = [k for k in kinds if k == "behaviour"]
        diff_secs = set()
        if "behaviour" in kinds:
            diff_secs = differing_sections(prog, r["py2"], r["py3"])
            unexplained = {i for i in diff_secs if not tags_of.get(i, set()) & excused}
            if diff_secs and not unexplained:
                known = known or any(tags_of.get(i, set()) & (set(KNOWN) - set(ALLOWED)) for i in diff_secs)
                kinds = [k for k in kinds if k != "behaviour"]
            diff_secs = unexplained
        if not kinds:
            self.stats["known" if known else "allowed"] += 1
            fired = set().union(*(tags_of.get(i, set()) for i in diff_secs)) if diff_secs else all_tags
            for tag in fired & (set(KNOWN) | set(ALLOWED)):
                self.known_tags[tag] = self.known_tags.get(tag, 0) + 1
            return
        found = [(k, d) for k, d in found if k in kinds]
        for k in kinds:
            key = {"fix-failed": "fix_failures", "not-fixed-point": "check_failures",
                   "compile": "compile_failures", "behaviour": "mismatched"}[k]
            self.stats[key] += 1
        self.report(prog, r, found, diff_secs)

    def report(self, prog, r, found, diff_secs):
        args = self.args
        chains = ["  section %d: %s%s" % (s.index, s.chain, "  <-- differs" if s.index in diff_secs else "")
                  for s in prog.sections]
        text = ["=" * 100, "MISMATCH %s (seed %d): %s" % (prog.ident, args.seed, ", ".join(k for k, _ in found)),
                "template chain:"] + chains
        for k, detail in found:
            if detail:
                text += ["%s:" % k, detail]
        r2, r3 = r["py2"], r["py3"]
        a, b = sections_of(r2.stdout), sections_of(r3.stdout)
        for i in sorted(diff_secs):
            text += ["section %d: Python 2 printed %r, python3 printed %r" % (i, a.get(i), b.get(i))]
        text += ["--- Python 2 program:", prog.source().rstrip()]
        text += ["--- Python 2 output (exit %s, error %r):" % (r2.status, r2.last_error()), r2.stdout.rstrip()]
        text += ["--- python3 output (exit %s, error %r):" % (r3.status, r3.last_error()), r3.stdout.rstrip()]
        if r3.stderr.strip():
            text += ["--- python3 stderr (tail):"] + r3.stderr.strip().splitlines()[-4:]
        text += ["--- converted program:", r.get("converted", "").rstrip()]
        minimal = None
        sig = signature(prog, r, found, diff_secs)
        if not args.no_shrink and sig not in self.shrunk:
            self.shrunk.add(sig)
            minimal = self.shrink(prog, r, found[0][0], diff_secs)
            if minimal:
                src, o2, o3, conv = minimal
                text += ["--- minimal reproducer:", src.rstrip(),
                         "--- its Python 2 outcome (stdout, error, exit): %r" % (o2,),
                         "--- its python3 outcome: %r" % (o3,), "--- it converts to:", conv.rstrip()]
        self.failures.append(prog.ident)
        block = "\n".join(text)
        if args.verbose or len(self.failures) <= args.print_limit:
            print(block, flush=True)
        if args.save:
            os.makedirs(args.save, exist_ok=True)
            base = os.path.join(args.save, prog.ident)
            with open(base + ".py", "w") as f:
                f.write(prog.source())
            with open(base + ".txt", "w") as f:
                f.write(block + "\n")
            if minimal:
                with open(base + ".min.py", "w") as f:
                    f.write(minimal[0])

    # -- shrinking -------------------------------------------------------------------------------
    def shrink(self, prog, r, kind, diff_secs):
        """The smallest program found that still shows the problem `kind`:
        (source, Python 2 outcome, python3 outcome, converted source), or None."""
        start = time.time()
        if self.shrink_budget <= 0:
            return None
        target_err = r["py3"].last_error()
        words2, words3 = error_words(r["py2"]), error_words(r["py3"])

        def still(res):
            if "py3" not in res or error_words(res["py2"]) - words2:
                return False
            if kind == "fix-failed":
                return bool(res.get("fix_msgs"))
            if kind == "not-fixed-point":
                return bool(res.get("not_fixed_point"))
            if kind == "compile":
                return bool(res.get("compile_error"))
            # The same difference: still one, python3 ends the same way, and neither side meets an
            # exception it did not meet before (deleting a definition must not pass for the defect).
            if res.get("fix_msgs"):
                return False
            o2, o3 = res["py2"].outcome(), res["py3"].outcome()
            return o2 != o3 and res["py3"].last_error() == target_err and not error_words(res["py3"]) - words3

        # 1. One section alone (the differing ones first).
        order = sorted(diff_secs) + [s.index for s in prog.sections if s.index not in diff_secs]
        candidates = {"s%03d" % i: prog.source(only={i}) for i in order if i >= 0}
        lines = None
        if candidates:
            res = self.evaluate(candidates)
            for i in order:
                name = "s%03d" % i
                if name in res and still(res[name]):
                    lines = candidates[name].rstrip("\n").split("\n")
                    break
        if lines is None:
            lines = prog.source().rstrip("\n").split("\n")
        # 2. Delete blocks (a line and the lines indented under it), single lines, or simplify a line,
        # keeping the smallest candidate that still shows the problem, to a fixed point.
        changed = True
        while changed and time.time() - start < self.shrink_budget:
            changed = False
            cands = {}
            for i in range(len(lines)):
                j = block_end(lines, i)
                cands["b%04d" % i] = lines[:i] + lines[j:]
                if j != i + 1:
                    cands["l%04d" % i] = lines[:i] + lines[i + 1:]
                simpler = simplify_line(lines[i])
                if simpler != lines[i]:
                    cands["x%04d" % i] = lines[:i] + [simpler] + lines[i + 1:]
            srcs = {k: "\n".join(v) + "\n" for k, v in cands.items()}
            res = self.evaluate(srcs)
            for k in sorted(srcs, key=lambda k: (len(srcs[k]), k)):
                if still(res[k]):
                    lines = cands[k]
                    changed = True
                    break
        self.shrink_budget -= time.time() - start
        final = self.evaluate({"m": "\n".join(lines) + "\n"})["m"]
        if "py3" not in final:
            return None
        return ("\n".join(lines) + "\n", final["py2"].outcome(), final["py3"].outcome(),
                final.get("converted", ""))

    # -- main loop -------------------------------------------------------------------------------
    def run(self):
        args = self.args
        rng = random.Random(args.seed)
        deadline = time.time() + args.seconds if args.seconds else None
        made = 0
        while True:
            if args.count and made >= args.count:
                break
            if deadline and time.time() >= deadline:
                break
            n = args.batch if not args.count else min(args.batch, args.count - made)
            progs = []
            for _ in range(n):
                progs.append(generate(rng, "p%05d" % made))
                made += 1
            self.stats["programs"] += n
            res = self.evaluate({p.ident: p.source() for p in progs})
            for p in progs:
                self.judge(p, res[p.ident])
        self.pool.shutdown()
        s = self.stats
        if self.known_tags:
            print("excused by tag: " + ", ".join(
                "%s %d" % (t, n) for t, n in sorted(self.known_tags.items(), key=lambda x: -x[1])))
        print("fuzz: seed %d, %d programs, %d discarded by Python 2, %d compared: %d matched, %d allowed "
              "differences, %d known defects, %d mismatched, %d not a fixed point, %d fix failures, "
              "%d rejected by compile()"
              % (args.seed, s["programs"], s["discarded"], s["compared"], s["matched"], s["allowed"],
                 s["known"], s["mismatched"], s["check_failures"], s["fix_failures"], s["compile_failures"]))
        return 1 if self.failures else 0


def signature(prog, r, found, diff_secs):
    """What tells two problems apart well enough to shrink only one of each."""
    tops = frozenset(s.chain.split("(")[0] for s in prog.sections if s.index in diff_secs)
    return (tuple(k for k, _ in found), tops, r["py3"].last_error(), frozenset(error_words(r["py3"])))


def error_words(run):
    """Names of exceptions a run printed or ended with."""
    return set(re.findall(r"\b\w*(?:Error|Exception|StopIteration|Exit)\b", run.stdout + " " + run.last_error()))


def block_end(lines, i):
    """Index after line i and the lines indented deeper than it (its block)."""
    ind = len(lines[i]) - len(lines[i].lstrip())
    j = i + 1
    while j < len(lines) and (len(lines[j]) - len(lines[j].lstrip()) > ind or not lines[j].strip()):
        j += 1
    return j


def simplify_line(line):
    """One simpler spelling of a line (for shrinking), or the line itself."""
    m = re.match(r"^(\s*)try:\s*$", line)
    if m:
        return m.group(1) + "if 1:"
    m = re.match(r"^(\s*)(print\s*>>\s*\w+\s*,|print)\s+(.+?),\s*(.+)$", line)
    if m and "(" not in m.group(3) and "%" not in m.group(3):
        return m.group(1) + m.group(2) + " " + m.group(4)
    return line


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the py2to3 binary")
    ap.add_argument("--python2", required=True, help="a Python 2.7 interpreter")
    ap.add_argument("--python3", default="python3")
    ap.add_argument("--seed", type=int, default=None, help="default: random, printed")
    ap.add_argument("--seconds", type=float, default=0, help="time budget (0: none)")
    ap.add_argument("--count", type=int, default=0, help="number of programs (0: until --seconds)")
    ap.add_argument("--batch", type=int, default=40, help="programs per batch (one `fix` each)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--save", help="folder for the mismatching programs")
    ap.add_argument("--fix-args", default="", help="extra options for `py2to3 fix`")
    ap.add_argument("--six-cache", help="convert with `--target six`; six 1.16.0 is fetched into (or found in) "
                    "this folder and put on python3's PYTHONPATH")
    ap.add_argument("--no-shrink", action="store_true", help="do not shrink mismatches")
    ap.add_argument("--shrink-seconds", type=float, default=60.0, help="time for shrinking, all mismatches")
    ap.add_argument("--print-limit", type=int, default=20, help="mismatch reports printed in full")
    ap.add_argument("--strict", action="store_true", help="known defects (KNOWN) fail the run too")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--show", type=int, help="print program N of the seed's sequence and exit")
    args = ap.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randint(0, 2 ** 31)
    if not args.seconds and not args.count and args.show is None:
        args.count = 200
    if args.show is not None:
        rng = random.Random(args.seed)
        for i in range(args.show + 1):
            prog = generate(rng, "p%05d" % i)
        print(prog.source(), end="")
        return 0
    if args.six_cache:
        global SIX_PATH
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from run import ensure_six
        SIX_PATH = ensure_six(args.six_cache)
        args.fix_args = (args.fix_args + " --target six").strip()
    print("fuzz: seed %d" % args.seed, flush=True)
    return Fuzzer(args).run()


if __name__ == "__main__":
    sys.exit(main())
