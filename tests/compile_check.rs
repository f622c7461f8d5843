//! The safety net's compile check (`engine::compile_check`) against CPython: each snippet's
//! verdict (parse and check) must be python3's `compile(source, 'f', 'exec')` verdict, on
//! snippets CPython accepts and on snippets its compiler (not its parser) rejects.

#[path = "support/stdlib.rs"]
mod stdlib;
mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use py2to3::config::select;
use py2to3::engine::compile_check::check_source;

/// python3's verdicts: `None` when it compiles, else its message.
fn python3_verdicts(sources: &[&str]) -> Vec<Option<String>> {
    let script = r#"
import json, sys, warnings
warnings.simplefilter("ignore")
out = []
for src in json.load(sys.stdin):
    try:
        compile(src.encode("utf-8", "surrogatepass"), "f", "exec")
        out.append(None)
    except (SyntaxError, ValueError) as e:
        out.append(f"{type(e).__name__}: {e}")
print(json.dumps(out))
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    let input = serde_json::to_vec(sources).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python3 failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Compares our verdicts with python3's on `sources`; returns the disagreements.
fn disagreements(sources: &[&str]) -> Vec<String> {
    let theirs = python3_verdicts(sources);
    let mut out = Vec::new();
    for (src, theirs) in sources.iter().zip(theirs) {
        let ours = check_source(src);
        if ours.is_ok() != theirs.is_none() {
            out.push(format!(
                "{src:?}\n    python3: {}\n    ours:    {}",
                theirs.as_deref().unwrap_or("compiles"),
                ours.err().as_deref().unwrap_or("compiles")
            ));
        }
    }
    out
}

#[test]
fn verdicts_match_python3_compile() {
    if !support::python3_available() {
        return;
    }
    let bad = disagreements(SNIPPETS);
    assert!(
        bad.is_empty(),
        "{} of {} snippets disagree with python3:\n{}",
        bad.len(),
        SNIPPETS.len(),
        bad.join("\n")
    );
}

/// No false alarm on real code: every file of Python 3's standard library that our parser
/// takes passes the check (python3 compiles them all but the few test files of bad syntax, which
/// do not parse).
#[test]
fn the_standard_library_passes() {
    use rayon::prelude::*;

    if !support::python3_available() {
        return;
    }
    let files: Vec<_> = ignore::WalkBuilder::new(stdlib::stdlib_dir())
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    assert!(files.len() > 1000, "only {} stdlib files", files.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .unwrap();
    let rejected: Vec<(String, String)> = pool.install(|| {
        files
            .par_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(path).ok()?;
                let text = py2to3::source::SourceFile::decode(&bytes).ok()?.text;
                let suite = py2to3::syntax::parse::parse_module(&text).ok()?;
                let rejection = py2to3::engine::compile_check::check(&text, &suite).err()?;
                Some((text, format!("{}: {}", path.display(), rejection.message)))
            })
            .collect()
    });
    // Files of bad syntax on purpose (test_future_stmt/badsyntax_*) are rejected by python3 too.
    let texts: Vec<&str> = rejected.iter().map(|(t, _)| t.as_str()).collect();
    let false_alarms: Vec<&String> = python3_verdicts(&texts)
        .iter()
        .zip(&rejected)
        .filter(|(theirs, _)| theirs.is_none())
        .map(|(_, (_, what))| what)
        .collect();
    assert!(false_alarms.is_empty(), "false alarms: {false_alarms:#?}");
    // The badsyntax_future files, at least, are true alarms.
    assert!(rejected.len() >= 5, "only {} rejected", rejected.len());
}

const SNIPPETS: &[&str] = &[
    // Plain code.
    "x = 1\n",
    "def f():\n    return 1\n",
    "def f():\n    yield 1\n",
    "class A:\n    x = 1\n",
    "def f(a, b=1, *args, c, d=2, **kw): pass\n",
    "def f(a, /, b): pass\n",
    "del x, y[0], z.a\n",
    "with a as (b, c): pass\n",
    "a, *b = c\n",
    "[a, *b] = c\n",
    "for a, *b in c: pass\n",
    "print(*a)\n",
    "x = *a, b\n",
    "x: int = 1\n",
    "a.b: int = 1\n",
    "(a): int = 1\n",
    "a = b = c\n",
    "() = x\n",
    "[] = x\n",
    "a[b:c] = d\n",
    "a[b], c.d = e\n",
    "a.b, *c[0] = d\n",
    "a.b += 1\n",
    "a[0] += 1\n",
    "x = [*a]\nx = {**a}\nx = {*a}\n",
    "f(**a, **b)\nf(**a, b=1)\nf(*a, b)\nf(b=1, *a)\nf(a, b=1, *c, d=2, **e)\n",
    "f(x for x in y)\n",
    "f((x for x in y), 1)\n",
    "f(a for a in b for c in d)\n",
    "x = [i for i in range(3)]\n",
    "lambda: (yield)\n",
    "[lambda: (yield) for i in y]\n",
    "True\nx = True\nx.y = None\n__debug__\nx.__debug__\n",
    "def f() -> True: pass\n",
    "@x\ndef f(): pass\n@x.y(z)\nclass A: pass\n@x[0]\ndef g(): pass\n",
    "print >>f, x\n",
    "if True:\n    pass\nwhile True: pass\n",
    "def f():\n    return\n    yield\n",
    "def f(): yield from x\n",
    "def f():\n    x = (yield from y)\n",
    "def f():\n    return *a, b\n",
    "class A:\n    def f(self):\n        return __class__\n",
    "match x:\n    case [1, 2] if y: pass\n    case {'a': b}: pass\n    case _: pass\n",
    // Literals the parser takes and the compiler may not.
    "x = '\\users'\n",
    "x = '\\N'\n",
    "x = '\\N{EN DASH}'\n",
    "x = '\\N{NOPE NOPE}'\n",
    "x = b'\\u'\n",
    "x = r'\\u'\n",
    "x = '\\x4'\n",
    "x = b'\\x4'\n",
    "x = b'\u{e9}'\n",
    "x = 'a' b'b'\n",
    "x = '\\777'\n",
    "x = '\\q'\n",
    "x = '\\U0010ffff'\n",
    "x = '\\U00110000'\n",
    "x = f'{x!z}'\n",
    "x = f'{}'\n",
    "x = 1_000\n",
    "x = 00\n",
    "x = 09.5\n",
    "x = 09\n",
    "x = 1__0\n",
    "x = 1\x00\n",
    // Assignment to keywords and constants.
    "True = 1\n",
    "False = 1\n",
    "None = 1\n",
    "__debug__ = 1\n",
    "x, True = 1, 2\n",
    "(True) = 1\n",
    "[a, None] = b\n",
    "for True in x: pass\n",
    "for x, None in y: pass\n",
    "with a as True: pass\n",
    "with a as (b, None): pass\n",
    "True += 1\n",
    "__debug__ += 1\n",
    "True: int = 1\n",
    "__debug__: int\n",
    "def f(True): pass\n",
    "def f(__debug__): pass\n",
    "def f(*, __debug__): pass\n",
    "def f(**__debug__): pass\n",
    "def f(*__debug__): pass\n",
    "lambda __debug__: 1\n",
    "f(True=1)\n",
    "f(None=1)\n",
    "f(__debug__=1)\n",
    "class A(__debug__=1): pass\n",
    "del True\n",
    "del __debug__\n",
    "del (a, None)\n",
    "import a as True\n",
    "import a as __debug__\n",
    "from a import b as None\n",
    "from a import __debug__\n",
    "import __debug__\n",
    "x.True = 1\n",
    "x.__debug__ = 1\n",
    "del x.__debug__\n",
    "def __debug__(): pass\n",
    "class __debug__: pass\n",
    "[x for True in y]\n",
    "[x for __debug__ in y]\n",
    "(__debug__ := 1)\n",
    "(True := 1)\n",
    "try:\n    pass\nexcept E as __debug__:\n    pass\n",
    "global __debug__\n",
    // Assignment to other expressions.
    "1 = x\n",
    "f() = 1\n",
    "a + b = 1\n",
    "(a, 1) = x\n",
    "x() += 1\n",
    "[a, b] += 1\n",
    "(a, b) += 1\n",
    "del f()\n",
    "del (a + b)\n",
    "for f() in x: pass\n",
    "with a as f(): pass\n",
    "with a as b.c: pass\n",
    "[x for f() in y]\n",
    "(a.b := 1)\n",
    "(a, b): int = 1\n",
    "[a]: int\n",
    "lambda: 1 = 2\n",
    "x if y else z = 1\n",
    "'s' = 1\n",
    "... = 1\n",
    "not a = 1\n",
    "a < b = 1\n",
    "{a: b} = 1\n",
    "{a} = 1\n",
    "f'{x}' = 1\n",
    "a = yield = 1\n",
    // Starred expressions.
    "*a = 1\n",
    "*a, *b = c\n",
    "a = *b\n",
    "*a\n",
    "print(*a, b)\n",
    "del *a, b\n",
    "for *a in b: pass\n",
    "def f():\n    return *a\n",
    "x = (*a)\n",
    "x = [*a for a in b]\n",
    "x = a[*b]\n",
    // Calls.
    "f(a=1, a=2)\n",
    "f(a=1, **{'a': 2})\n",
    "class A(x=1, x=2): pass\n",
    "f(**a, *b)\n",
    "f(**a, b)\n",
    "f(a=1, b)\n",
    "f(a=1, *b)\n",
    "f(x for x in y, 1)\n",
    "f(1, x for x in y)\n",
    "f((x) for x in y)\n",
    "f((x) for x in y, 1)\n",
    "f(x for x in y, )\n",
    "class A(x for x in y): pass\n",
    "f(x for x in y  # c\n)\n",
    "f(\n    x for x in y\n)\n",
    "f(\n    x for x in y,\n)\n",
    "f(x for x in (y), )\n",
    "class A((x for x in y)): pass\n",
    "@f(x for x in y)\ndef g(): pass\n",
    "f(a)(x for x in y)\n",
    "f((x for x in y), (z for z in w))\n",
    "f(*(x for x in y))\n",
    "f(**(x for x in y))\n",
    "f(a=(x for x in y))\n",
    "f(a=x for x in y)\n",
    // Arguments.
    "def f(*, a, **k): pass\n",
    "def f(a, *, **k): pass\n",
    "def f(a, /, *, **k): pass\n",
    "def f(*,  # c\n **k): pass\n",
    "lambda *, **k: 1\n",
    "def f(*args, **k): pass\n",
    "def f(a, **k): pass\n",
    "def f(a='*', **k): pass\n",
    "def f(a=b*\n    c, **k): pass\n",
    "def f(a, /, **k): pass\n",
    "def f(a, *b, **k): pass\n",
    "def f(*args: *Ts): pass\n",
    "def f(a: *Ts): pass\n",
    "def f(a, a): pass\n",
    "def f(a, *a): pass\n",
    "def f(a, **a): pass\n",
    "def f(a, *, a): pass\n",
    "def f(a, /, a): pass\n",
    "def f(*, a, a=1): pass\n",
    "lambda a, a: 1\n",
    "def f():\n    lambda x, x: 1\n",
    "def f(a, b):\n    def g(a): pass\n",
    "def f(a=1, b): pass\n",
    "def f(*): pass\n",
    "def f(*, **k): pass\n",
    "lambda a=1, b: 0\n",
    // import *
    "from x import *\n",
    "if x:\n    from y import *\n",
    "def f():\n    from x import *\n",
    "class A:\n    from x import *\n",
    "def f():\n    class A:\n        from x import *\n",
    "try:\n    from x import *\nexcept ImportError:\n    pass\n",
    // return, yield, await outside functions.
    "return\n",
    "return 1\n",
    "class A:\n    return\n",
    "def f():\n    class A:\n        return\n",
    "yield\n",
    "x = yield 1\n",
    "class A:\n    yield\n",
    "yield from x\n",
    "x = yield from y\n",
    "x = (yield)\n",
    "[(yield) for x in y]\n",
    "def f():\n    [(yield) for x in y]\n",
    "def f():\n    ((yield) for x in y)\n",
    "def f():\n    {(yield) for x in y}\n",
    "def f():\n    {x: (yield) for x in y}\n",
    "def f():\n    [x for x in (yield)]\n",
    "def f():\n    [x for x in y for z in (yield)]\n",
    "def f():\n    [x for x in y if (yield)]\n",
    "def f():\n    x = [lambda: (yield) for i in y]\n",
    "await x\n",
    "def f():\n    await x\n",
    "async def f():\n    await x\n",
    "async def f():\n    await x\n    return 1\n",
    "async def f():\n    async for a in b: pass\n    async with a as b: pass\n",
    "async def f():\n    yield from x\n",
    "async def f():\n    yield 1\n    return 2\n",
    "async def f():\n    return 2\n    yield 1\n",
    "async def f():\n    yield 1\n    return\n",
    "async def f():\n    (yield)\n    return 1\n",
    "async def f():\n    async def g(): yield\n    return 1\n",
    "async def f():\n    def g(): yield 1\n    return 1\n",
    "async for x in y: pass\n",
    "async with x: pass\n",
    "def f():\n    async with x: pass\n",
    "def f():\n    async for x in y: pass\n",
    "async def f():\n    def g():\n        async for x in y: pass\n",
    "async def f():\n    def g():\n        await x\n",
    "def f():\n    async def g():\n        await x\n",
    "async def f():\n    lambda: await x\n",
    "async def f():\n    class A:\n        await x\n",
    "async def f():\n    [await x for y in z]\n",
    "def f():\n    [await x for y in z]\n",
    "async def f():\n    [x for x in await y]\n",
    "def f():\n    [x for x in await y]\n",
    "async def f():\n    [x async for x in y]\n",
    "def f():\n    [x async for x in y]\n",
    "def f():\n    (x async for x in y)\n",
    "def f():\n    (await x for y in z)\n",
    "async def f():\n    lambda: [await x for y in z]\n",
    "[x async for x in y]\n",
    "(x async for x in y)\n",
    // break and continue.
    "for x in y:\n    break\n",
    "while 1:\n    continue\n",
    "for x in y:\n    try:\n        pass\n    finally:\n        continue\n",
    "for x in y:\n    def g():\n        pass\n    break\n",
    "break\n",
    "continue\n",
    "if x:\n    break\n",
    "while 1:\n    def f():\n        break\n",
    "while 1:\n    class A:\n        break\n",
    "for x in y:\n    pass\nelse:\n    break\n",
    "while 1:\n    pass\nelse:\n    continue\n",
    "while 1:\n    try:\n        pass\n    finally:\n        break\n",
    "while 1:\n    with a:\n        break\n",
    "while 1:\n    try:\n        break\n    except:\n        continue\n",
    "while 1:\n    [x for x in y if (lambda: 1)]\n    break\n",
    "for x in y:\n    while 1:\n        pass\n    else:\n        break\n",
    // try statements.
    "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n",
    "try:\n    pass\nexcept E:\n    pass\nexcept:\n    pass\n",
    "try:\n    pass\nexcept* E:\n    pass\n",
    "for x in y:\n    try:\n        pass\n    except* E:\n        break\n",
    "for x in y:\n    try:\n        pass\n    except* E:\n        for z in w:\n            break\n",
    "def f():\n    try:\n        pass\n    except* E:\n        return\n",
    // global and nonlocal.
    "global x\n",
    "global x\nx = 1\n",
    "x = 1\nglobal x\n",
    "print(x)\nglobal x\n",
    "global x\nx: int = 1\n",
    "def f():\n    global x\n    x = 1\n",
    "def f():\n    x = 1\n    global x\n",
    "def f():\n    print(x)\n    global x\n",
    "def f():\n    global x\n    global x\n",
    "def f():\n    global x, x\n",
    "def f():\n    def g(): pass\n    global g\n",
    "def f():\n    import x\n    global x\n",
    "def f():\n    import x.y\n    global x\n",
    "def f():\n    import y as x\n    global x\n",
    "def f():\n    import x as y\n    global x\n",
    "def f():\n    from a import x\n    global x\n",
    "def f():\n    for x in y: pass\n    global x\n",
    "def f():\n    x: int\n    global x\n",
    "def f():\n    global x\n    x: int = 1\n",
    "def f():\n    global x\n    x: int\n",
    "def f():\n    del x\n    global x\n",
    "def f():\n    global x\n    del x\n",
    "def f():\n    lambda: x\n    global x\n",
    "def f():\n    lambda y=x: 0\n    global x\n",
    "def f():\n    class x: pass\n    global x\n",
    "def f():\n    class A(x): pass\n    global x\n",
    "def f():\n    class A:\n        x\n    global x\n",
    "def f():\n    [x for y in z]\n    global x\n",
    "def f():\n    [y for y in x]\n    global x\n",
    "def f():\n    x.y = 1\n    global x\n",
    "def f():\n    if 0:\n        x\n    global x\n",
    "def f():\n    x += 1\n    global x\n",
    "def f():\n    (x := 1)\n    global x\n",
    "def f():\n    global x\n    (x := 1)\n",
    "def f():\n    with a as x: pass\n    global x\n",
    "def f():\n    try:\n        pass\n    except E as x:\n        pass\n    global x\n",
    "def f():\n    def g(x): pass\n    global x\n",
    "def f():\n    def g(y=x): pass\n    global x\n",
    "def f():\n    @x\n    def g(): pass\n    global x\n",
    "def f():\n    x: y\n    global y\n",
    "def f() -> x:\n    global x\n",
    "def f(a: x):\n    global x\n",
    "def f(x):\n    global x\n",
    "def f(*x):\n    global x\n",
    "def f(x):\n    nonlocal x\n",
    "lambda x: [x for x in y]\n",
    "class A:\n    global x\n    x = 1\n",
    "class A:\n    x = 1\n    global x\n",
    "if x:\n    global x\n",
    "def f():\n    if x:\n        global x\n",
    "nonlocal x\n",
    "class A:\n    nonlocal x\n",
    "def f():\n    nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n",
    "def f():\n    def g():\n        nonlocal x\n    x = 1\n",
    "def f():\n    def g():\n        nonlocal x\n    for x in y: pass\n",
    "def f():\n    def g():\n        nonlocal x\n    import x\n",
    "def f():\n    def g():\n        nonlocal x\n    import x.y\n",
    "def f():\n    def g():\n        nonlocal x\n    [x for x in y]\n",
    "def f():\n    def g():\n        nonlocal x\n    (x := 1)\n",
    "def f():\n    def g():\n        nonlocal x\n    [(x := 1) for y in z]\n",
    "def f():\n    def g():\n        nonlocal x\n    def x(): pass\n",
    "def f():\n    def g():\n        nonlocal x\n    class x: pass\n",
    "def f():\n    def g():\n        nonlocal x\n    del x\n",
    "def f():\n    def g():\n        nonlocal x\n    try: pass\n    except E as x: pass\n",
    "def f():\n    def g():\n        nonlocal x\n    with a as x: pass\n",
    "def f():\n    def g():\n        nonlocal x\n    x += 1\n",
    "def f():\n    def g():\n        nonlocal x\n    x: int\n",
    "def f():\n    def g():\n        nonlocal x\n    x.y = 1\n",
    "def f():\n    def g():\n        nonlocal x\n    x\n",
    "def f():\n    def g():\n        nonlocal x\n    global x\n",
    "def f():\n    def g():\n        def h():\n            nonlocal x\n    x = 1\n",
    "def f(x):\n    def g():\n        nonlocal x\n",
    "def f(*, x):\n    def g():\n        nonlocal x\n",
    "def f(**x):\n    def g():\n        nonlocal x\n",
    "lambda x: lambda: [x for x in y]\n",
    "def f():\n    class A:\n        nonlocal x\n    x = 1\n",
    "def f():\n    x = 1\n    class A:\n        def g(self):\n            nonlocal x\n",
    "class A:\n    x = 1\n    def g(self):\n        nonlocal x\n",
    "x = 1\ndef g():\n    nonlocal x\n",
    "def f():\n    def g():\n        nonlocal x\n        global x\n",
    "def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
    "def f():\n    x = 1\n    nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        x\n        nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n        nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n        def h():\n            nonlocal x\n",
    "def f():\n    global x\n    def g():\n        nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        global x\n        def h():\n            nonlocal x\n",
    "def f():\n    def g():\n        nonlocal x\n    nonlocal x\n",
    "class A:\n    def f(self):\n        nonlocal __class__\n",
    "def f():\n    def g():\n        nonlocal __class__\n",
    // __future__ imports.
    "from __future__ import absolute_import\n",
    "from __future__ import (absolute_import, division)\n",
    "from __future__ import print_function, unicode_literals, with_statement, generators, nested_scopes, generator_stop, annotations\n",
    "from __future__ import division\nfrom __future__ import print_function\n",
    "x = 1\nfrom __future__ import division\n",
    "'''doc'''\nfrom __future__ import division\n",
    "'''doc'''\n'''doc2'''\nfrom __future__ import division\n",
    "b'doc'\nfrom __future__ import division\n",
    "f'doc'\nfrom __future__ import division\n",
    "1\nfrom __future__ import division\n",
    "from __future__ import braces\n",
    "from __future__ import nope\n",
    "import os\nfrom __future__ import division\n",
    "def f():\n    from __future__ import division\n",
    "from __future__ import division as d\n",
    "#c\n\nfrom __future__ import division\n",
    "from __future__ import *\n",
    "if 1:\n    from __future__ import division\n",
    "from __future__ import division; x = 1\n",
    "x = 1; from __future__ import division\n",
    "from .__future__ import x\n",
    "'''doc'''\nfrom __future__ import division\n'''x'''\nfrom __future__ import print_function\n",
    "from __future__ import division\nimport os\nfrom __future__ import print_function\n",
    // Indentation: tabs and spaces as CPython measures them.
    "if x:\n\ta\n        b\n",
    "if x:\n        a\n\tb\n",
    "if x:\n  \ta\n\tb\n",
    "if x:\n \ta\n \tb\n",
    "if x:\n\ta\n\tif y:\n\t\tb\n\t        c\n",
    "if x:\n    a\n\tb\n",
    "if x:\n\x0c    a\n",
    "if x:\n    a\n\x0c    b\n",
    "def f():\n\tif x:\n        pass\n",
    "if x:\n\tif y:\n\t    a\n\tb\n",
    "if x:\n    if y:\n\ta\n    b\n",
    "x = (1,\n  \t2)\n",
    // Files ending in white space, continuations, CRLF.
    "x = 1\n\t  ",
    "x = 1\n \t",
    "def f():\n    return 1\n    ",
    "def f():\n    return 1\n \t",
    "if x:\n\ty = 1\n \t",
    "x = 1\r\n  ",
    "x = 1\r\n\t\r\n",
    "x = 1\n\x0c",
    "x = 1\n\x0c  ",
    "x = 1 + \\\n  2\n",
    "x = 1 + \\\n  2",
    "x = 1\\\n",
    "x = 1\n\\\n",
    "x = 1\n   # c",
    "x = [1,\n  ",
    // Nesting.
    "x = ((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))\n",
];

/// `fix` leaves a file whose result CPython would not compile untouched, and says why, with
/// the position in the original file; both with and without the one-round shortcut.
#[test]
fn fix_leaves_files_python3_would_not_compile() {
    use py2to3::engine::pipeline::{fix_text, Settings};
    use py2to3::fixers::registry;

    let enabled = select::from_flags(&[], &[]).unwrap();
    let shortcut = Settings::new(registry::all(), enabled.clone());
    let mut full = Settings::new(registry::all(), enabled);
    full.full_rounds = true;
    let cases = [
        // mechanize 0.2.5's test_form.py.
        (
            "x = d.has_key(1)\nTrue = 1\n",
            "Python 3 would not compile the result: cannot assign to True (left unfixed: PY011 \
             assignment to `True`: a keyword in Python 3)",
            17,
        ),
        (
            "def f():\n    from os import *\n    return d.keys()\n",
            "Python 3 would not compile the result: import * only allowed at module level (left \
             unfixed: PY808 `import *` is only allowed at module level in Python 3 (SyntaxError))",
            13,
        ),
        (
            "def f():\n    print 'a'\n    from os import *\n",
            "Python 3 would not compile the result: import * only allowed at module level (left \
             unfixed: PY808 `import *` is only allowed at module level in Python 3 (SyntaxError))",
            27,
        ),
        (
            "class A:\n    def f(self):\n        return d.keys()\n    return 1\n",
            "Python 3 would not compile the result: 'return' outside function",
            54,
        ),
        (
            "for x in y:\n    pass\nelse:\n    x = d.keys()\n    break\n",
            "Python 3 would not compile the result: 'break' outside loop",
            48,
        ),
        (
            "def f(x):\n    print x\n    global x\n",
            "Python 3 would not compile the result: name 'x' is parameter and global",
            26,
        ),
    ];
    for (source, message, offset) in cases {
        for settings in [&shortcut, &full] {
            let error = fix_text(source, settings).expect_err(source);
            assert_eq!(error.message, message, "{source:?}");
            assert_eq!(error.offset, Some(offset), "{source:?}");
        }
    }
    // What compiles goes through, with and without a `global` elsewhere.
    for source in [
        "x = d.keys()\n",
        "def f():\n    global y\n    y = d.keys()\n",
        "def f():\n    for x in y:\n        print x\n        break\n",
    ] {
        for settings in [&shortcut, &full] {
            assert!(fix_text(source, settings).is_ok(), "{source:?}");
        }
    }
}

/// A fix that would move the `#!` line or the coding line down leaves the file untouched (the
/// line `reduce` needs went to the top of the file).
#[test]
fn fix_keeps_the_shebang_and_coding_lines_in_place() {
    use py2to3::engine::pipeline::{fix_text, Settings};
    use py2to3::fixers::registry;

    let settings = Settings::new(registry::all(), select::from_flags(&[], &[]).unwrap());
    for source in [
        "#!/usr/bin/env python\nx = reduce(f, y)\n",
        "# -*- coding: latin-1 -*-\nx = reduce(f, y)\n",
    ] {
        let out = fix_text(source, &settings);
        if let Ok(out) = &out {
            assert!(
                out.text.starts_with(source.lines().next().unwrap()),
                "{:?}",
                out.text
            );
        } else {
            assert_eq!(
                out.unwrap_err().message.split(" down ").next(),
                Some(if source.starts_with("#!") {
                    "a fix would move the `#!` line"
                } else {
                    "a fix would move the coding declaration"
                })
            );
        }
    }
}
