//! `relative-import` (PY219) decides on disk: these tests build a package tree in a temporary
//! folder and fix files inside and outside it (fixtures have no sibling files to look at).

use std::fs;
use std::path::Path;

use py2to3::config::select;
use py2to3::engine::pipeline::{fix_text, fix_text_at, Settings};
use py2to3::fixers::registry;

fn settings() -> Settings {
    Settings::new(
        registry::all(),
        select::from_flags(&["relative-import"], &[]).unwrap(),
    )
    .with_folders(std::sync::Arc::new(
        py2to3::run::folders::Listings::default(),
    ))
}

/// Fixes `source` as if it were the file `path`.
fn fix_at(source: &str, path: &Path) -> String {
    let out = fix_text_at(source, &settings(), Some(path)).unwrap();
    // A fixed point.
    let again = fix_text_at(&out.text, &settings(), Some(path)).unwrap();
    assert_eq!(again.text, out.text, "not a fixed point");
    out.text
}

/// `root/pkg/{__init__,tz,relativedelta}.py`, `root/pkg/sub/__init__.py`, `root/pkg/fast.so`,
/// `root/loose/tz.py` (a folder that is not a package).
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    fs::create_dir_all(pkg.join("sub")).unwrap();
    fs::create_dir_all(dir.path().join("loose")).unwrap();
    for file in [
        "pkg/__init__.py",
        "pkg/tz.py",
        "pkg/relativedelta.py",
        "pkg/sub/__init__.py",
        "pkg/fast.so",
        "loose/tz.py",
    ] {
        fs::write(dir.path().join(file), "").unwrap();
    }
    dir
}

#[test]
fn makes_sibling_imports_explicit() {
    let dir = tree();
    let file = dir.path().join("pkg/parser.py");
    let source = "\
import os
import relativedelta
import tz, sub
import sub.inner as inner
import fast as speedy
from tz import tzutc, tzlocal
from sub.inner import x
from os import path
def f():
    import tz
";
    let want = "\
import os
from . import relativedelta
from . import tz, sub
from .sub import inner as inner
from . import fast as speedy
from .tz import tzutc, tzlocal
from .sub.inner import x
from os import path
def f():
    from . import tz
";
    assert_eq!(fix_at(source, &file), want);
}

#[test]
fn leaves_absolute_and_unprovable_imports_alone() {
    let dir = tree();
    let file = dir.path().join("pkg/parser.py");
    // Mixed and dotted-without-as imports are only reported.
    let source = "import os, tz\nimport sub.inner\nimport json\nfrom __future__ import division\n";
    // Itself and dunder names stay absolute.
    let own = "import parser\nfrom parser import x\nimport __main__\n";
    fs::write(dir.path().join("pkg/__main__.py"), "").unwrap();
    fs::write(&file, "").unwrap();
    assert_eq!(fix_at(own, &file), own);
    assert_eq!(fix_at(source, &file), source);
    // `absolute_import` already makes them absolute.
    let absolute = "from __future__ import absolute_import\nimport tz\nfrom tz import x\n";
    assert_eq!(fix_at(absolute, &file), absolute);
    // Explicit relative imports elsewhere: the module is already absolute-import code.
    let explicit = "from . import relativedelta\nimport tz\n";
    assert_eq!(fix_at(explicit, &file), explicit);
    // Not in a package: no implicit relative import in Python 2 either.
    let loose = dir.path().join("loose/main.py");
    assert_eq!(fix_at("import tz\n", &loose), "import tz\n");
    // No path (text from stdin, fixtures): nothing to look at.
    let out = fix_text("import tz\n", &settings()).unwrap();
    assert_eq!(out.text, "import tz\n");
}

#[test]
fn reports_mixed_imports_without_a_fix() {
    let dir = tree();
    let file = dir.path().join("pkg/parser.py");
    let out = fix_text_at("import os, tz\n", &settings(), Some(&file)).unwrap();
    assert_eq!(out.fixes, 0);
    let codes: Vec<&str> = out.unfixed.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["PY219"]);
}

/// `check`'s cache knows that the answer depends on the folder: a sibling module added after a
/// cached run makes the import relative on the next run.
#[test]
fn the_check_cache_follows_sibling_modules() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    fs::create_dir_all(&pkg).unwrap();
    fs::write(pkg.join("__init__.py"), "").unwrap();
    fs::write(pkg.join("a.py"), "import helpers\n").unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_py2to3"))
            .current_dir(dir.path())
            .args(["check", "--select", "relative-import", "pkg"])
            .output()
            .unwrap()
    };
    assert_eq!(
        run().status.code(),
        Some(0),
        "no sibling yet: nothing to report"
    );
    fs::write(pkg.join("helpers.py"), "").unwrap();
    let out = run();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("PY219"));
}

/// A module rename's output is not an implicit relative import, even next to a sibling module
/// that shares its first part (`from htmlentitydefs import x` next to `html.py`).
#[test]
fn renamed_modules_are_not_made_relative() {
    let dir = tree();
    fs::write(dir.path().join("pkg/html.py"), "").unwrap();
    let all = Settings::new(registry::all(), select::from_flags(&["2to3"], &[]).unwrap())
        .with_folders(std::sync::Arc::new(
            py2to3::run::folders::Listings::default(),
        ));
    let source = "from htmlentitydefs import name2codepoint\nimport Queue\n";
    let out = fix_text_at(source, &all, Some(&dir.path().join("pkg/text.py"))).unwrap();
    assert_eq!(
        out.text,
        "from html.entities import name2codepoint\nimport queue\n"
    );
}

/// The default fixers, as `py2to3 fix` runs them; with the one-round shortcut or full rounds.
fn defaults(full_rounds: bool) -> Settings {
    let mut settings = Settings::new(registry::all(), select::from_flags(&[], &[]).unwrap())
        .with_folders(std::sync::Arc::new(
            py2to3::run::folders::Listings::default(),
        ));
    settings.full_rounds = full_rounds;
    settings
}

/// Fixes `source` as the file `path` with the default fixers, both ways, and checks that a
/// second run changes nothing.
fn fix_defaults_at(source: &str, path: &Path) -> String {
    let out = fix_text_at(source, &defaults(false), Some(path)).unwrap();
    let full = fix_text_at(source, &defaults(true), Some(path)).unwrap();
    assert_eq!(full.text, out.text, "full rounds differ");
    let again = fix_text_at(&out.text, &defaults(false), Some(path)).unwrap();
    assert_eq!(again.text, out.text, "not a fixed point");
    out.text
}

/// An import a fix writes is absolute even when it names a sibling module (Fabric 1.14.0's
/// fabric/network.py next to fabric/io.py): the rule only reads the author's imports, and
/// `from __future__ import absolute_import` tells the next run so.
#[test]
fn imports_the_fix_writes_stay_absolute_on_the_next_run() {
    let dir = tree();
    for sibling in ["io.py", "pickle.py"] {
        fs::write(dir.path().join("pkg").join(sibling), "").unwrap();
    }
    let file = dir.path().join("pkg/network.py");
    let cases = [
        (
            "\"\"\"Doc.\"\"\"\n\nfrom __future__ import with_statement\n\nimport os\nfrom StringIO import StringIO\n",
            "\"\"\"Doc.\"\"\"\n\nfrom __future__ import with_statement\nfrom __future__ import absolute_import\n\nimport os\nfrom io import StringIO\n",
        ),
        (
            "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport cPickle\n",
            "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nfrom __future__ import absolute_import\nimport pickle as cPickle\n",
        ),
        (
            "\"\"\"Doc.\"\"\"\r\nimport cPickle as pickle\r\nx = pickle.loads(s)\r\n",
            "\"\"\"Doc.\"\"\"\r\nfrom __future__ import absolute_import\r\nimport pickle as pickle\r\nx = pickle.loads(s)\r\n",
        ),
        (
            "def f():\n    import os, cPickle\n",
            "from __future__ import absolute_import\ndef f():\n    import os, pickle as cPickle\n",
        ),
        // The author's implicit relative import is made explicit in the same run: the module
        // then reads as absolute-import code, no marker needed.
        (
            "import tz\nimport cPickle\n",
            "from . import tz\nimport pickle as cPickle\n",
        ),
        // The author's own `import io` is the sibling, and made explicit.
        (
            "import io\n",
            "from . import io\n",
        ),
        // Mixed with another module, the rule would report it.
        (
            "import cPickle, os\n",
            "from __future__ import absolute_import\nimport pickle as cPickle, os\n",
        ),
        // Nothing the fix wrote names a sibling.
        ("import Queue\nprint 'x'\n", "import queue\nprint('x')\n"),
    ];
    for (source, want) in cases {
        assert_eq!(fix_defaults_at(source, &file), want, "{source:?}");
    }
    // Outside a package no import is relative: no marker.
    let loose = dir.path().join("loose/main.py");
    fs::write(dir.path().join("loose/io.py"), "").unwrap();
    assert_eq!(
        fix_defaults_at("from StringIO import StringIO\n", &loose),
        "from io import StringIO\n"
    );
}

/// Python 2's implicit relative import of the package's own `__init__.py`.
#[test]
fn imports_of_the_package_init_become_relative() {
    let dir = tree();
    let file = dir.path().join("pkg/parser.py");
    assert_eq!(
        fix_at("from __init__ import VERSION, tz as t\n", &file),
        "from . import VERSION, tz as t\n"
    );
    // `import *` in a function does not compile in Python 3: the file is left alone.
    let error = fix_text_at(
        "def f():\n    from __init__ import *\n",
        &settings(),
        Some(&file),
    )
    .expect_err("import * in a function");
    assert_eq!(
        error.message,
        "Python 3 would not compile the result: import * only allowed at module level"
    );
    // `import __init__`: reported, no fix (`from . import __init__` is the `__init__` method).
    let out = fix_text_at("import __init__\n", &settings(), Some(&file)).unwrap();
    assert_eq!(out.text, "import __init__\n");
    let messages: Vec<&str> = out.unfixed.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`import __init__` imports this package's `__init__.py` as a second module: Python 3 \
          has no relative form of it; import what it needs with `from . import name`"
        ]
    );
    // `__init__.py` itself, and a folder that is no package, stay as they are.
    let init = dir.path().join("pkg/__init__.py");
    assert_eq!(
        fix_at("from __init__ import x\n", &init),
        "from __init__ import x\n"
    );
    let loose = dir.path().join("loose/main.py");
    assert_eq!(
        fix_at("from __init__ import x\n", &loose),
        "from __init__ import x\n"
    );
}

/// Module renames look at the same folder: a Python 2 `import Queue` beside a `Queue.py`
/// imported that file (it stays `Queue`, made relative in a package), and a renamed module
/// whose new name is a sibling (`cPickle` -> `pickle` beside `pickle.py`) keeps its old name as
/// an alias so that the uses cannot reach the sibling.
#[test]
fn module_renames_respect_sibling_modules() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("store");
    fs::create_dir_all(&pkg).unwrap();
    for file in [
        "store/__init__.py",
        "store/pickle.py",
        "store/Queue.py",
        "loose/ConfigParser.py",
    ] {
        fs::create_dir_all(dir.path().join(file).parent().unwrap()).unwrap();
        fs::write(dir.path().join(file), "").unwrap();
    }
    let all = Settings::new(registry::all(), select::from_flags(&[], &[]).unwrap()).with_folders(
        std::sync::Arc::new(py2to3::run::folders::Listings::default()),
    );
    let fix = |source: &str, path: &Path| {
        let out = fix_text_at(source, &all, Some(path)).unwrap().text;
        let again = fix_text_at(&out, &all, Some(path)).unwrap().text;
        assert_eq!(again, out, "not a fixed point");
        out
    };
    let source = "import cPickle\nimport Queue\nx = cPickle.dumps(Queue.Queue())\n";
    let out = fix(source, &pkg.join("db.py"));
    assert!(out.contains("import pickle as cPickle\n"), "{out}");
    assert!(out.contains("from . import Queue\n"), "{out}");
    assert!(out.contains("x = cPickle.dumps(Queue.Queue())"), "{out}");
    let script = "import ConfigParser\nc = ConfigParser.ConfigParser()\n";
    assert_eq!(fix(script, &dir.path().join("loose/main.py")), script);
}
