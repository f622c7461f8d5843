//! 2to3's `fix_import`: implicit relative imports made explicit, decided by looking on disk
//! for the sibling module next to the file (see [`RELATIVE_IMPORT`]).
//!
//! 2to3 turns `import sibling` into `from . import sibling` and `from sibling import x` into
//! `from .sibling import x` when the file is in a package (its folder has `__init__.py`) and
//! `sibling` is a module next to it: `sibling.py` (or `.pyc`, `.pyd`, `.so`) or a package
//! `sibling/__init__.py`.

use std::path::Path;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;
use rustpython_ast::{Stmt, StmtImport};

use super::util::from_module_range;
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{check_module_with, Checker, FileFacts};
use crate::engine::folders::Folders;
use crate::engine::spec::{AstHooks, FinishHook};
use crate::engine::{Edit, Fix};
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_import`: makes Python 2's implicit relative imports explicit. Inside a
    /// package, `import sibling` becomes `from . import sibling` and `from sibling import x`
    /// becomes `from .sibling import x`, when `sibling` is a module next to the file on disk
    /// (`sibling.py`, `.pyc`, `.pyd`, `.so`, `.sl`, or a package folder `sibling/__init__.py`)
    /// and the file's folder is a package (holds `__init__.py`).
    ///
    /// ## Why
    /// Python 3 imports are absolute: `import sibling` inside a package looks for a top-level
    /// module `sibling` and fails with `ModuleNotFoundError` (or, worse, finds a different
    /// module of the same name).
    ///
    /// ## Example
    /// In `pkg/parser.py`, next to `pkg/__init__.py` and `pkg/tz.py`:
    /// ```python
    /// import tz
    /// from tz import tzutc
    /// ```
    /// becomes
    /// ```python
    /// from . import tz
    /// from .tz import tzutc
    /// ```
    ///
    /// ## Limits
    /// Runs only on files read from disk (it needs the folder); skipped in a module with
    /// `from __future__ import absolute_import`, and (unlike 2to3) in a module that already
    /// has an explicit relative import (`from . import x`): its author writes absolute
    /// imports, as in Python 3 code (`import subprocess` in asyncio, next to its own
    /// `subprocess.py`). Also unlike 2to3, a module never imports itself
    /// this way (`import abc` in `abc.py` stays absolute) nor a dunder module
    /// (`import __main__` stays the running script). Like 2to3, an `import` mixing sibling and
    /// absolute modules (`import os, sibling`) is only reported; so is `import sibling.sub`
    /// without `as` (Python 3 has no relative form of it), while `import sibling.sub as s`
    /// becomes `from .sibling import sub as s`. The package's own `__init__` is no dunder
    /// module here: `from __init__ import x` becomes `from . import x`, while `import __init__`
    /// is only reported (`from . import __init__` would give the package's `__init__` method).
    ///
    /// Only the imports the author wrote are read: the rule runs in the first round of a fix,
    /// never on imports other fixes write (`from io import StringIO` for
    /// `from StringIO import StringIO` is absolute, even next to a sibling `io.py`). When the
    /// result holds such an import, `fix` also adds `from __future__ import absolute_import`
    /// after the docstring and the other `__future__` imports: a later run cannot tell who wrote
    /// the import, and this rule leaves a module with that import alone, so the fix stays a
    /// fixed point (the import is valid and does nothing in Python 3).
    pub RELATIVE_IMPORT = FixerSpec {
        code: "PY219",
        name: "relative-import",
        summary: "implicit relative import -> from . import (2to3 fix_import)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
        first_round_only: true,
        finish: Some(FinishHook { may_apply: may_import_a_sibling, edit: absolute_import_marker }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    if !matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
        return;
    }
    let (Some(path), Some(folders)) = (checker.path(), checker.folders()) else {
        return;
    };
    let Some(dir) = path.parent() else { return };
    let semantic = checker.semantic();
    // Explicit relative imports mean the author already writes absolute-import code.
    if semantic.has_future("absolute_import") || semantic.imports().iter().any(|i| i.level > 0) {
        return;
    }
    match stmt {
        Stmt::ImportFrom(import) => {
            if import.level.map_or(0, |l| l.to_u32()) != 0 {
                return;
            }
            let Some(module) = import.module.as_ref().map(|m| m.as_str()) else {
                return;
            };
            if !is_implicit_relative(folders, path, dir, module) {
                return;
            }
            let range = from_module_range(checker.text, stmt, module);
            let (fix, message) = if module == PACKAGE_MODULE {
                // The package's own `__init__.py`: what it defines is the package's.
                let fix = range.map(|(start, end)| Fix::safe(vec![Edit::replace(start, end, ".")]));
                let message =
                    "`__init__` is this package's own module: Python 3 needs `from . import ...`"
                        .to_string();
                (fix, message)
            } else {
                let fix = range.map(|(start, _)| Fix::safe(vec![Edit::insert(start, ".")]));
                let message = format!(
                    "`{module}` is a module of this package: Python 3 needs `from .{module} import ...`"
                );
                (fix, message)
            };
            checker.report(&RELATIVE_IMPORT, stmt, message, fix);
        }
        Stmt::Import(import) => check_import(import, folders, path, dir, checker),
        _ => {}
    }
}

/// Whether `module`, imported by the file at `path` in the folder `dir`, is a sibling module:
/// not the file itself (`import abc` in `abc.py` means the top-level module: importing
/// oneself is no Python 2 idiom) and not a dunder name (`import __main__` is the running
/// script even in a package with a `__main__.py`).
fn is_implicit_relative(folders: &dyn Folders, path: &Path, dir: &Path, module: &str) -> bool {
    if is_rename_target(module) {
        return false;
    }
    let first = module.split('.').next().unwrap_or(module);
    let is_self = path.file_stem().is_some_and(|stem| stem == first);
    // `__init__` alone is the package's own module (Python 2 imports it again, as a module
    // of that name); `__init__.x` is nothing.
    let dunder = first.starts_with("__") && first.ends_with("__") && module != PACKAGE_MODULE;
    !is_self && !dunder && is_sibling_module(folders, dir, module)
}

/// The module a package's `__init__.py` is, to an implicit relative import inside it.
const PACKAGE_MODULE: &str = "__init__";

/// Whether `module` is a Python 3 name the module renames write (`html.entities` for
/// `htmlentitydefs`, `urllib.parse` ...): such an import comes from a rename in an earlier
/// round, not from the Python 2 code, even when a sibling module shares its first part
/// (`django/utils/html.py` next to `from html.entities import ...`).
/// The table of such names is in `fixers/imports/modules*.toml` (their values).
fn is_rename_target(module: &str) -> bool {
    static TARGETS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
        let tables = [&*super::modules::TABLE, &*super::modules2::TABLE];
        let mut targets: FxHashSet<String> = tables
            .iter()
            .flat_map(|t| t.modules.values().cloned())
            .collect();
        for part in ["request", "parse", "error", "response", "robotparser"] {
            targets.insert(format!("urllib.{part}"));
        }
        targets
    });
    // Targets that were Python 2 modules as well may be the code's own implicit relative
    // import of a sibling with that name.
    const ALSO_PYTHON2: &[&str] = &["collections", "dbm", "io", "pickle", "subprocess"];
    TARGETS.contains(module) && !ALSO_PYTHON2.contains(&module)
}

/// `import a, b as c`: all names must be siblings for a fix.
fn check_import(
    import: &StmtImport,
    folders: &dyn Folders,
    path: &Path,
    dir: &Path,
    checker: &mut Checker,
) {
    let local: Vec<bool> = import
        .names
        .iter()
        .map(|a| is_implicit_relative(folders, path, dir, a.name.as_str()))
        .collect();
    if !local.contains(&true) {
        return;
    }
    let names: Vec<&str> = import.names.iter().map(|a| a.name.as_str()).collect();
    let listed = names.join(", ");
    if names.contains(&PACKAGE_MODULE) {
        // `from . import __init__` would give the module's `__init__` method: no fix.
        let message = format!(
            "`import {listed}` imports this package's `__init__.py` as a second module: Python 3 \
             has no relative form of it; import what it needs with `from . import name`"
        );
        checker.report(&RELATIVE_IMPORT, import, message, None);
        return;
    }
    if local.contains(&false) {
        let message = format!(
            "`import {listed}` mixes modules of this package with absolute ones: split it and \
             use `from . import ...` for the package's own"
        );
        checker.report(&RELATIVE_IMPORT, import, message, None);
        return;
    }
    let message = format!(
        "`import {listed}` imports modules of this package: Python 3 needs `from . import ...`"
    );
    let fix = import_fix(import, checker.text).map(Fix::safe);
    checker.report(&RELATIVE_IMPORT, import, message, fix);
}

/// The edits turning `import a, b as c` (every name a sibling) into `from . import a, b as c`;
/// `import a.b as c` into `from .a import b as c`; `None` for `import a.b` without `as`.
fn import_fix(import: &StmtImport, text: &str) -> Option<Vec<Edit>> {
    let start = import.range.start().to_usize();
    let first = import.names.first()?;
    if let [alias] = import.names.as_slice() {
        if let (Some((parent, last)), Some(asname)) = (alias.name.rsplit_once('.'), &alias.asname) {
            return Some(vec![Edit::replace(
                start,
                import.range.end().to_usize(),
                format!("from .{parent} import {last} as {asname}"),
            )]);
        }
    }
    if import.names.iter().any(|a| a.name.contains('.')) {
        return None;
    }
    let names_start = first.range.start().to_usize();
    if text.get(start..names_start)?.trim_end() != "import" {
        return None;
    }
    Some(vec![Edit::replace(start, names_start, "from . import ")])
}

/// Whether the file at `path`, whose text after a fix is `text`, may hold an import this rule
/// would take for an implicit relative import (which the fix wrote: the author's were made
/// explicit in the first round): a cheap look at the tokens before a parse and
/// [`absolute_import_marker`] decide. Never `false` when such an import is there.
pub fn may_import_a_sibling(text: &str, path: &Path, folders: &dyn Folders) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    let folder = folders.folder(dir);
    if !folder.package {
        return false;
    }
    let is_sibling = |name: &str| folder.modules.contains(name) || folder.folders.contains(name);
    // A look at each line holding `import` (found by a fast substring search, far cheaper
    // than tokens): `import a, b.c as d` and `from a import ...` starting a line; anything less
    // plain (an import after `:` or `;`, continued on the next line, in brackets) says yes.
    let mut line_end = 0;
    for (at, _) in text.match_indices("import") {
        if at < line_end {
            continue;
        }
        let start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        // The line continues another (`from \` then `io import x`).
        let continued = text[..start].trim_end_matches(['\n', '\r']).ends_with('\\');
        if continued || line_may_import_a_sibling(&text[start..line_end], &is_sibling) {
            return true;
        }
    }
    false
}

/// [`may_import_a_sibling`] for one line.
fn line_may_import_a_sibling(line: &str, is_sibling: &impl Fn(&str) -> bool) -> bool {
    let code = line.split('#').next().unwrap_or("").trim();
    if code.contains([':', ';']) && !code.starts_with("from") {
        return true;
    }
    let keyword_then = |word: &str| {
        code.strip_prefix(word)
            .filter(|rest| rest.starts_with([' ', '\t', '\\', '(']))
    };
    if let Some(rest) = keyword_then("import") {
        rest.contains(['\\', '(', ';']) || rest.split(',').any(|part| is_sibling(module(part)))
    } else if let Some(rest) = keyword_then("from") {
        rest.trim_start().starts_with('\\') || rest.contains(';') || is_sibling(module(rest))
    } else {
        false
    }
}

/// The first part of a dotted module name at the start of `s`.
fn module(s: &str) -> &str {
    let s = s.trim_start_matches([' ', '\t', '\x0c']);
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The edit adding `from __future__ import absolute_import` to the text (parsed into `suite`)
/// of the file at `path` when this rule would report one of its imports: after a fix, such an
/// import is one the fix wrote, which must stay absolute on the next run. `None` when no import
/// needs it, or there is no line to put it on (the first statement shares the docstring's line).
pub fn absolute_import_marker(
    text: &str,
    suite: &[Stmt],
    path: &Path,
    folders: &dyn Folders,
) -> Option<Edit> {
    let facts = FileFacts {
        path: Some(path),
        folders: Some(folders),
        ..FileFacts::default()
    };
    let reported = check_module_with(text, suite, &[&RELATIVE_IMPORT], facts);
    if reported.is_empty() {
        return None;
    }
    crate::engine::importer::future_import_edit(text, suite, "absolute_import")
}

/// Whether the first component of the dotted `module` is a module or package next to the
/// file in `module_dir`, which must itself be a package.
pub fn is_sibling_module(folders: &dyn Folders, module_dir: &Path, module: &str) -> bool {
    let first = module.split('.').next().unwrap_or(module);
    let folder = folders.folder(module_dir);
    folder.package && folder.has_module(folders, module_dir, first)
}

/// Whether a module or package named like the first component of `module` sits next to the
/// files in `module_dir`, package or not: Python 2 imported it (implicitly relative in a
/// package, from the script's own folder otherwise) instead of a standard module of that name.
pub fn has_sibling_module(folders: &dyn Folders, module_dir: &Path, module: &str) -> bool {
    let first = module.split('.').next().unwrap_or(module);
    folders
        .folder(module_dir)
        .has_module(folders, module_dir, first)
}

/// The Python 3 text for an implicit relative import of `module` in `module_dir`: the new
/// `from` part for `from module import ...` (`.module`), `None` when it is not relative.
pub fn relative_from_module(
    folders: &dyn Folders,
    module_dir: &Path,
    module: &str,
) -> Option<String> {
    is_sibling_module(folders, module_dir, module).then(|| format!(".{module}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::folders::Listings;

    #[test]
    fn finds_siblings_only_inside_a_package() {
        // Folders are read once per run (and cached): a package and a plain folder side by side.
        let f = Listings::default();
        let dir = tempfile::tempdir().expect("temp dir");
        let plain = dir.path().join("plain");
        std::fs::create_dir(&plain).expect("mkdir");
        std::fs::write(plain.join("sibling.py"), "").expect("write");
        // Not a package: nothing is relative.
        assert!(!is_sibling_module(&f, &plain, "sibling"));
        let root = &dir.path().join("pkg");
        std::fs::create_dir(root).expect("mkdir");
        std::fs::write(root.join("sibling.py"), "").expect("write");
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        std::fs::write(root.join("sub").join("__init__.py"), "").expect("write");
        std::fs::write(root.join("__init__.py"), "").expect("write");
        assert!(is_sibling_module(&f, root, "sibling"));
        assert!(is_sibling_module(&f, root, "sub.inner"));
        assert!(!is_sibling_module(&f, root, "os"));
        assert!(!is_sibling_module(&f, root, ""));
        assert_eq!(
            relative_from_module(&f, root, "sibling").as_deref(),
            Some(".sibling")
        );
        assert_eq!(relative_from_module(&f, root, "json"), None);
    }

    #[test]
    fn the_cheap_look_finds_every_import_of_a_sibling() {
        let f = Listings::default();
        let dir = tempfile::tempdir().expect("temp dir");
        let pkg = dir.path().join("pkg");
        std::fs::create_dir(&pkg).expect("mkdir");
        for file in ["__init__.py", "io.py"] {
            std::fs::write(pkg.join(file), "").expect("write");
        }
        let file = pkg.join("a.py");
        for yes in [
            "import io\n",
            "import os, io.x as y\n",
            "  from io import StringIO\n",
            "try: import io\nexcept ImportError: pass\n",
            "import os; import sys\n",
            "import os, \\\n    io\n",
            "from \\\n io import x\n",
            "x = 1\rimport io\r",
        ] {
            assert!(may_import_a_sibling(yes, &file, &f), "{yes:?}");
        }
        for no in [
            "import os\n",
            "import iox, os.io\n",
            "from os import io\n",
            "from . import io\n",
            "# import io\n",
            "importio = 1\n",
        ] {
            assert!(!may_import_a_sibling(no, &file, &f), "{no:?}");
        }
        // Not a package: never.
        assert!(!may_import_a_sibling(
            "import io\n",
            &dir.path().join("a.py"),
            &f
        ));
    }
}
