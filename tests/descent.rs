//! The recursive-descent parser (`src/engine/descent`) against rustpython's own parser: wherever
//! it answers, the tree (ranges included) must be rustpython's, on the whole Python 3 standard
//! library, the fixtures, mutated snippets and hand-written tricky or invalid inputs; and it must
//! answer on most real files.

#[path = "support/stdlib.rs"]
mod stdlib;
mod support;

use std::path::{Path, PathBuf};

use py2to3::syntax::parse::parse_descent;
use rustpython_parser::{ast, Mode};

/// rustpython's tree for `text`, as its Debug string, or `None` when it rejects the text.
fn rustpython(text: &str) -> Option<String> {
    match rustpython_parser::parse(text, Mode::Module, "<file>") {
        Ok(ast::Mod::Module(m)) => Some(format!("{:?}", m.body)),
        _ => None,
    }
}

/// Ours as a Debug string, if we answer.
fn descent(text: &str) -> Option<String> {
    parse_descent(text).map(|body| format!("{body:?}"))
}

/// The `.py` files of the Python 3 standard library and the fixtures' outputs, or `None`
/// (skip) when python3 is missing outside CI.
fn corpus_files() -> Option<Vec<PathBuf>> {
    if !support::python3_available() {
        return None;
    }
    let stdlib = stdlib::stdlib_dir();
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(&stdlib)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.extend(support::fixture_outputs());
    Some(files)
}

/// The decoded text of a file, if it decodes.
fn read_text(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .and_then(|b| py2to3::source::SourceFile::decode(&b).ok())
        .map(|s| s.text)
}

/// A pool with big stacks: rustpython's parser recurses deeply on some files.
fn pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .stack_size(256 << 20)
        .build()
        .unwrap()
}

#[test]
fn descent_trees_equal_rustpython_trees_on_stdlib_and_fixtures() {
    use rayon::prelude::*;

    let Some(files) = corpus_files() else { return };
    let (answered, differ): (usize, Vec<String>) = pool().install(|| {
        let results: Vec<(bool, Option<String>)> = files
            .par_iter()
            .map(|path| {
                let Some(text) = read_text(path) else {
                    return (false, None);
                };
                let Some(ours) = descent(&text) else {
                    return (false, None);
                };
                // A file rustpython rejects is CPython's (the stdlib): nothing to compare with.
                // (Its lexer rejects blank lines holding tabs after an indented block.)
                let same = rustpython(&text).is_none_or(|theirs| theirs == ours);
                (true, (!same).then(|| path.display().to_string()))
            })
            .collect();
        (
            results.iter().filter(|(a, _)| *a).count(),
            results.into_iter().filter_map(|(_, d)| d).collect(),
        )
    });
    eprintln!(
        "descent parser answered on {answered} of {} files ({:.1}%)",
        files.len(),
        answered as f64 * 100.0 / files.len() as f64
    );
    assert!(differ.is_empty(), "trees differ: {differ:#?}");
    assert!(
        answered * 100 >= files.len() * 85,
        "descent parser answered on only {answered} of {} files",
        files.len()
    );
}

/// Asserts that wherever we answer on `text`, rustpython parses it to the same tree.
fn check_agrees(text: &str) {
    if let Some(ours) = descent(text) {
        match rustpython(text) {
            Some(theirs) => assert_eq!(ours, theirs, "trees differ on {text:?}"),
            None => panic!("rustpython rejects what we accept: {text:?}"),
        }
    }
}

/// Asserts that we answer on `text`, with rustpython's tree.
fn check_same(text: &str) {
    let ours = descent(text).unwrap_or_else(|| panic!("descent gave up on {text:?}"));
    let theirs = rustpython(text).unwrap_or_else(|| panic!("rustpython rejects {text:?}"));
    assert_eq!(ours, theirs, "trees differ on {text:?}");
}

#[test]
fn tricky_shapes_match_rustpython() {
    for text in [
        "x = (1, 2)\ny = 1, 2,\nz = ()\nw = (a)\nv = ((a, b),)\n",
        "f(x for x in y)\ng((x for x in y), 1)\nh(*a, **k, b=1)\n",
        "a < b < c\nnot a in b\na is not b\na not in b\nnot not a\n",
        "-x ** 2\n2 ** -1\na ** b ** c\n~a + +b - -c\nawait_ = 1\n",
        "*a, b = c\n[a, *b] = c\na = b = c = d\na.b, c[1] = 1, 2\n",
        "a[1:2, ::3]\na[:]\na[::]\na[1:]\na[:, None]\na[b:=1]\na[1,]\na[*b]\n",
        "x = 'a' 'b'\ny = u'x' 'y'\nz = 'x' u'y'\nw = b'a' rb'\\x'\nv = '\\x41\\n\\u00e9'\n",
        "s = (\n  'a'  # c\n  'b')\nt = r'\\d' '''q\n'''\n",
        "@d\n@e.f(1)\nclass A(B, metaclass=M):\n    x: int = 1\n    y: 'T'\n\n    @property\n    def f(self, a, b=1, *args, c, d=2, **kw) -> int:\n        return a\n",
        "def f(a, /, b, *, c): pass\ndef g(*, a=1, b): pass\ndef h(a: int = 1, *b: str, **c: 'x',): pass\ndef i(): pass\n",
        "f = lambda: 0\ng = lambda a, b=1, *c, d, **e: a\nh = lambda *, a: a\ni = lambda a,: a\n",
        "print(*a, sep='')\nprint(a, file=sys.stderr)\n",
        "global a, b\nnonlocal c\ndel a, b[1], c.d\ndel (a, b), [c]\n",
        "from ..a import (b as c,)\nfrom . import d\nfrom ... import e\nfrom .... a import *\nimport a.b.c as d, e\n",
        "if a:\n    pass\nelif b:\n    x = 1\nelif c: y\nelse:\n    z\n",
        "while x: pass\nelse: y\nfor a, b in c: pass\nfor a in b, c:\n    continue\nelse:\n    break\n",
        "try:\n    a\nexcept (A, B) as e:\n    raise C from e\nexcept D:\n    raise\nexcept:\n    pass\nelse:\n    b\nfinally:\n    c\n",
        "try: a\nfinally: b\nwith a as b, c as (d, e), f: pass\nwith a: pass\n",
        "async def f():\n    await x\n    async for a in b: pass\n    async with c as d: pass\n    return [i async for i in j]\n",
        "def g():\n    x = yield\n    y = yield 1, 2\n    yield from z\n    yield\n    await_ = (yield)\n",
        "x = [a for b in c if d if e for f in g]\ny = {a: b for c in d}\nz = {a for b in c}\nw = (a for b in c)\n",
        "d = {}\nd = {a: b, **c, 'e': f,}\ns = {a, *b}\nl = [*a, b,]\n",
        "x = a if b else c\ny = lambda: a if b else c\nz = a or b or c and d and e\n",
        "if (n := 10) > 5: pass\nwhile (m := f()): pass\n[y := 1, y ** 2]\nf(x := 1)\n",
        "x = 1; y = 2;\nx += 1\nx[0] //= 2\nx.y **= 3\nassert x, 'msg'\nassert y\n",
        "x = 0x1F + 1_000 + 0o17 + 0b1 + 1.5e3 + 2j + 1e-5 + 10**100\nx = ...\nx = True, False, None\n",
        "class A: pass\nclass B(): pass\nclass C(object,): x = 1; y = 2\n",
        "a @ b\na // b % c\na << b >> c & d ^ e | f\n",
        "f(a)(b)[c].d(e=1)\n",
        "x = f'{a}' 'b'\ny = 'a' f'{b!r:>{w}}'\nz = ('a'\n  f'{b}')\n",
        "s = '\\N{EM DASH}'\n",
    ] {
        check_same(text);
    }
}

#[test]
fn invalid_inputs_give_up() {
    for text in [
        "f() = 1\n",
        "x + 1 += 2\n",
        "del 1\n",
        "(a, b) += 1\n",
        "a, b: int\n",
        "*a = b\n",
        "x = *a\n",
        "*a\n",
        "a, *b, *c = d\n",
        "f(a=1, b)\n",
        "f(**a, *b)\n",
        "f(**a, b)\n",
        "f(a=1, a=2)\n",
        "def f(a=1, b): pass\n",
        "def f(a, a): pass\n",
        "def f(a, *, **a): pass\n",
        "def f(*): pass\n",
        "def f(*,): pass\n",
        "def f(/, a): pass\n",
        "def f(a, /, /): pass\n",
        "def f(**a, b): pass\n",
        "lambda a=1, b: 0\n",
        "lambda a, a: 0\n",
        "lambda *: 0\n",
        "x = yield = 1\n",
        "f(yield)\n",
        "yield x = 1\n",
        "x := 1\n",
        "(*a)\n",
        "[*a for a in b]\n",
        "{**a for a in b}\n",
        "for *a in b: pass\n",
        "for f() in b: pass\n",
        "with a as f(): pass\n",
        "[x for f() in y]\n",
        "x = b'a' 'b'\n",
        "x = '\\x4'\n",
        "x = b'\\xe9' b'é'\n",
        "try:\n    pass\n",
        "try:\n    pass\nelse:\n    pass\n",
        "if x:\npass\n",
        "  x = 1\n",
        "x = (1,\n",
        "import\n",
        "from import a\n",
        "from a import b,\n",
        "from a import ()\n",
        "global\n",
        "return *a\n",
        "a[b:=1:2]\n",
        "a.b := 1\n",
        "await await x\n",
        "async x\n",
        "@d\nx = 1\n",
    ] {
        assert!(descent(text).is_none(), "should give up on {text:?}");
    }
}

/// Logical lines of some fixtures and standard-library files (without indentation), mutated
/// deterministically: a token deleted, duplicated, swapped with the next one, or something
/// inserted. Wherever we answer, rustpython must accept the text with the same tree.
#[test]
fn mutated_snippets_agree_with_rustpython() {
    let Some(files) = corpus_files() else { return };
    let mut snippets: Vec<String> = Vec::new();
    for path in files.iter().step_by(47).take(120) {
        let Some(text) = read_text(path) else {
            continue;
        };
        snippets.extend(
            text.lines()
                .filter(|l| {
                    !l.starts_with([' ', '\t', '#']) && !l.trim().is_empty() && !l.ends_with('\\')
                })
                .step_by(5)
                .take(8)
                .map(|l| format!("{l}\n")),
        );
    }
    snippets.extend(
        [
            "x = f(a, b=1)[2:3].c\n",
            "def f(a, b=1, *c, d, **e): return a\n",
            "a, b = c, d = e\n",
            "lambda x, y=2: (x, y)\n",
            "x = {a: b for a, b in c if a}\n",
            "with a as b, c as d: pass\n",
            "class A(B, C, metaclass=D): pass\n",
            "from .a import (b, c as d)\n",
            "del a[1], b.c\n",
            "x = [*a, *b] + (c, *d)\n",
            "assert a not in b, 'x' 'y'\n",
            "y = -a ** b if c else not d\n",
        ]
        .map(String::from),
    );
    assert!(snippets.len() > 200, "only {} snippets", snippets.len());
    let mut checked = 0usize;
    for snippet in &snippets {
        let toks = py2to3::tokens::tokenize(snippet);
        let spans: Vec<(usize, usize)> = toks
            .iter()
            .filter(|t| !matches!(t.kind, py2to3::tokens::TokenKind::Whitespace))
            .map(|t| (t.start(), t.end()))
            .filter(|(s, e)| s < e && snippet[*s..*e].trim() != "")
            .collect();
        for (i, &(s, e)) in spans.iter().enumerate() {
            let mut variants = vec![
                format!("{}{}", &snippet[..s], &snippet[e..]),
                format!("{}{}", &snippet[..e], &snippet[s..]),
            ];
            for insert in ["=", "*", ",", ":", "("] {
                variants.push(format!("{} {insert} {}", &snippet[..s], &snippet[s..]));
            }
            if let Some(&(s2, e2)) = spans.get(i + 1) {
                variants.push(format!(
                    "{}{}{}{}{}",
                    &snippet[..s],
                    &snippet[s2..e2],
                    &snippet[e..s2],
                    &snippet[s..e],
                    &snippet[e2..]
                ));
            }
            for variant in variants {
                check_agrees(&variant);
                checked += 1;
            }
        }
    }
    eprintln!("{checked} mutated variants of {} snippets", snippets.len());
}

/// On the Django corpus (Python 2, so only the files rustpython accepts count), we answer on at
/// least 90% of them, with rustpython's trees. Skipped without the corpus.
#[test]
fn descent_answers_on_django_files_that_parse() {
    use rayon::prelude::*;

    let root = std::env::var_os("HOME")
        .map(|h| Path::new(&h).join(".cache/py2-corpus/Django-1.3.7/django"));
    let Some(root) = root.filter(|r| r.is_dir()) else {
        eprintln!("Django corpus not found: skipping");
        return;
    };
    let files: Vec<PathBuf> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    let results: Vec<(bool, bool)> = pool().install(|| {
        files
            .par_iter()
            .filter_map(|path| {
                let text = read_text(path)?;
                let theirs = rustpython(&text)?;
                let ours = descent(&text);
                Some((ours.is_some(), ours.is_none_or(|o| o == theirs)))
            })
            .collect()
    });
    let answered = results.iter().filter(|(a, _)| *a).count();
    eprintln!(
        "Django: descent answered on {answered} of {} files rustpython parses",
        results.len()
    );
    assert!(results.iter().all(|(_, same)| *same), "trees differ");
    assert!(answered * 10 >= results.len() * 9);
}

/// Whitespace-only lines mixing tabs after the last indented block (ANTLR's generated
/// XPathLexer.py in site-packages ends so).
#[test]
fn trailing_blank_lines_with_tabs_are_accepted() {
    // CPython accepts this; rustpython's lexer does not, so there is no tree to compare with.
    let text = "class A:\n    def f(self):\n        if x:\n            y = 1\n        else:\n            y = 2\n            \t\t\t\t\n     \n\n\n";
    assert!(descent(text).is_some());
    assert!(rustpython(text).is_none());
}
