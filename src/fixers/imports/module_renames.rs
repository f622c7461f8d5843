//! The logic shared by `module-renames` and `module-renames2`: a table of Python 2 module names
//! and the Python 3 names they became, applied to imports and to the uses of a module bound by
//! `import module`.

use rustc_hash::FxHashMap;

use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use super::util::{from_module_range, is_only_module};
use crate::engine::checker::Checker;
use crate::engine::{Edit, Fix};
use crate::fixers::lint::util::is_python3_builtin;
use crate::fixers::FixerSpec;

/// A `[modules]` table: Python 2 module -> Python 3 module.
#[derive(serde::Deserialize, Default)]
pub struct ModuleTable {
    /// The renames, by Python 2 name.
    pub modules: FxHashMap<String, String>,
}

impl ModuleTable {
    /// Parses an embedded table (empty when it does not parse: a unit test guards it).
    pub fn parse(source: &str) -> Self {
        toml::from_str(source).unwrap_or_default()
    }

    /// The Python 3 name of `module`, if it was renamed.
    pub fn get(&self, module: &str) -> Option<&str> {
        self.modules.get(module).map(String::as_str)
    }
}

/// Whether the name a rename would bind (`urllib` for `urllib.parse`) is free for it: bound in
/// the file by nothing but imports of that module.
fn new_name_is_free(checker: &Checker, new: &str) -> bool {
    let top = new.split('.').next().unwrap_or(new);
    let semantic = checker.semantic();
    let imports = semantic
        .imports()
        .iter()
        .filter(|i| i.from.is_none() && i.asname.is_none() && i.bound_name() == top)
        .count();
    u32::try_from(imports).ok() == Some(semantic.name_use(top).bindings)
}

/// Statement hook: renames the module in `import old`, `import old as x`, `from old import y`.
pub fn check_import(stmt: &Stmt, checker: &mut Checker, table: &ModuleTable, spec: &FixerSpec) {
    match stmt {
        Stmt::Import(import) => {
            let mut edits = Vec::new();
            let mut blocked = false;
            for alias in &import.names {
                let old = alias.name.as_str();
                let Some(new) = table.get(old) else { continue };
                let start = alias.range.start().to_usize();
                // `import old` renames the uses too: both names must be safe to touch. When
                // they are not (`old` is also bound by `import dummy_thread as thread`), the
                // import keeps its name: `import _thread as thread`, and the uses stay.
                if alias.asname.is_none()
                    && (!is_only_module(checker, old, old) || !new_name_is_free(checker, new))
                {
                    if old.contains('.') {
                        blocked = true;
                    } else {
                        let kept = format!("{new} as {old}");
                        edits.push(Edit::replace(start, start + old.len(), kept));
                    }
                    continue;
                }
                edits.push(Edit::replace(start, start + old.len(), new));
            }
            report(checker, spec, stmt, edits, blocked);
        }
        Stmt::ImportFrom(import) if import.level.map_or(0, |l| l.to_u32()) == 0 => {
            let Some(old) = import.module.as_ref().map(|m| m.as_str()) else {
                return;
            };
            let Some(new) = table.get(old) else { return };
            let edits = from_module_range(checker.text, stmt, old)
                .map(|(start, end)| vec![Edit::replace(start, end, new)])
                .unwrap_or_default();
            let blocked = edits.is_empty();
            report(checker, spec, stmt, edits, blocked);
        }
        _ => {}
    }
}

fn report(checker: &mut Checker, spec: &FixerSpec, stmt: &Stmt, edits: Vec<Edit>, blocked: bool) {
    if edits.is_empty() && !blocked {
        return;
    }
    let message = if blocked {
        "a Python 2 module renamed in Python 3 (not fixed: a name it binds or needs is rebound in this file)"
    } else {
        "a Python 2 module renamed in Python 3"
    };
    let fix = (!edits.is_empty()).then(|| Fix::safe(edits));
    checker.report(spec, stmt, message, fix);
}

/// Whether `old` is a use left behind by an earlier round: bound nowhere in the file, while
/// `import new` is there. This happens when another fixer's edit covered the use in the round
/// that renamed the import (`Cookie.Morsel._reserved.has_key(k)` is rewritten by has-key while
/// `import Cookie` becomes `import http.cookies`); as it stands the name is a NameError.
fn is_leftover_use(checker: &Checker, old: &str, new: &str) -> bool {
    let semantic = checker.semantic();
    // `repr` is a builtin too: in a file that imports reprlib, a bare `repr` is that builtin.
    !is_python3_builtin(old)
        && semantic.name_use(old).bindings == 0
        && semantic
            .imports()
            .iter()
            .any(|i| i.from.is_none() && i.asname.is_none() && i.name == new && i.level == 0)
        && new_name_is_free(checker, new)
}

/// Expression hook: renames `old` where it means the module bound by `import old`.
pub fn check_use(expr: &Expr, checker: &mut Checker, table: &ModuleTable, spec: &FixerSpec) {
    let Expr::Name(name) = expr else { return };
    let old = name.id.as_str();
    let Some(new) = table.get(old) else { return };
    if !matches!(name.ctx, ExprContext::Load) {
        return;
    }
    let renamed_module = is_only_module(checker, old, old) && new_name_is_free(checker, new);
    if !renamed_module && !is_leftover_use(checker, old, new) {
        return;
    }
    let r = expr.range();
    let fix = Fix::safe(vec![Edit::replace(
        r.start().to_usize(),
        r.end().to_usize(),
        new,
    )]);
    let message = format!("the module `{old}` is `{new}` in Python 3");
    checker.report(spec, expr, message, Some(fix));
}
