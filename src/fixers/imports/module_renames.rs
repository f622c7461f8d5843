//! The logic shared by `module-renames` and `module-renames2`: a table of Python 2 module names
//! and the Python 3 names they became, applied to imports and to the uses of a module bound by
//! `import module`.

use rustc_hash::FxHashMap;
use std::path::Path;

use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use super::two_version;
use super::util::{from_module_range, is_only_module};
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::{Edit, Fix};
use crate::fixers::lint::util::is_python3_builtin;
use crate::fixers::FixerSpec;

/// A `[modules]` table: Python 2 module -> Python 3 module, with the optional `[members]`,
/// `[removed]` and `[dropped]` tables of `fixers/imports/modules_extra.toml`.
#[derive(serde::Deserialize, Default)]
pub struct ModuleTable {
    /// The renames, by Python 2 name.
    pub modules: FxHashMap<String, String>,
    /// `"old_module.member"` -> the member's name in the new module, when it differs.
    #[serde(default)]
    pub members: FxHashMap<String, String>,
    /// `"old_module.member"` -> why the new module has no sound equivalent: a file that reads
    /// the member keeps its import of the old module (reported without a fix).
    #[serde(default)]
    pub removed: FxHashMap<String, String>,
    /// Modules of another table left out of the renames, with the reason.
    #[serde(default)]
    pub dropped: FxHashMap<String, String>,
}

impl ModuleTable {
    /// Parses an embedded table. The tables are part of the binary: the unit tests of the
    /// fixers that embed one fail when it does not parse.
    pub fn parse(source: &str) -> Self {
        toml::from_str(source).expect("an embedded module table parses (checked by unit tests)")
    }

    /// The Python 3 name of `module`, if it was renamed.
    pub fn get(&self, module: &str) -> Option<&str> {
        self.modules.get(module).map(String::as_str)
    }

    /// The new name of `module.member` in the new module, when it was renamed.
    pub fn member(&self, module: &str, member: &str) -> Option<&str> {
        self.members
            .get(&format!("{module}.{member}"))
            .map(String::as_str)
    }

    /// Why `module.member` has no sound equivalent in the new module, if it has none.
    pub fn removed_member(&self, module: &str, member: &str) -> Option<&str> {
        self.removed
            .get(&format!("{module}.{member}"))
            .map(String::as_str)
    }

    /// The members of `module` in the `[members]` (`renamed`) or `[removed]` table.
    fn members_of<'a>(&'a self, module: &'a str, renamed: bool) -> impl Iterator<Item = &'a str> {
        let keys = if renamed {
            self.members.keys()
        } else {
            self.removed.keys()
        };
        keys.filter_map(move |k| k.strip_prefix(module)?.strip_prefix('.'))
    }
}

/// Why the file's uses of `module` cannot follow it to its new name: it reads a member of
/// `module` that the new module lacks (`UserDict.DictMixin`), or, when the uses keep their
/// name (`aliased`: `import UserDict as UD`, `import collections as UserDict`), one that has
/// another name there (`IterableUserDict`). Any `x.member` in the file counts.
fn blocking_member(
    checker: &Checker,
    table: &ModuleTable,
    module: &str,
    aliased: bool,
) -> Option<String> {
    let semantic = checker.semantic();
    if let Some(member) = table
        .members_of(module, false)
        .find(|m| semantic.mentions_attribute(m))
    {
        let why = table.removed_member(module, member).unwrap_or_default();
        return Some(format!(
            "`{module}.{member}` has no Python 3 equivalent: {why}"
        ));
    }
    if aliased {
        if let Some(member) = table
            .members_of(module, true)
            .find(|m| semantic.mentions_attribute(m))
        {
            return Some(format!(
                "`{module}.{member}` is renamed in Python 3 and the uses of `{module}` keep another name"
            ));
        }
    }
    None
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
    u32::try_from(imports).ok() == Some(semantic.bindings(top))
}

/// Whether the file has a sibling module named like the first component of `module`.
fn beside(checker: &Checker, module: &str) -> bool {
    let (Some(dir), Some(folders)) = (checker.path().and_then(Path::parent), checker.folders())
    else {
        return false;
    };
    super::relative_import::has_sibling_module(folders, dir, module)
}

/// Statement hook: renames the module in `import old`, `import old as x`, `from old import y`.
pub fn check_import(stmt: &Stmt, checker: &mut Checker, table: &ModuleTable, spec: &FixerSpec) {
    // A branch of the two-version import `--target six` writes: the block runs on Python 3
    // (`six-imports` keeps the Python 3 branch alone).
    if two_version::is_branch(checker, stmt) {
        return;
    }
    if checker.six() {
        check_import_six(stmt, checker, table, spec);
        return;
    }
    match stmt {
        Stmt::Import(import) => {
            let mut edits = Vec::new();
            let mut blocked = None;
            for alias in &import.names {
                let old = alias.name.as_str();
                let Some(new) = table.get(old) else { continue };
                // `import Queue` beside a `Queue.py` imported that module (relative-import's).
                if beside(checker, old) {
                    continue;
                }
                let start = alias.range.start().to_usize();
                // `import old` renames the uses too: both names must be safe to touch. When
                // they are not (`old` is also bound by `import thread as dummy`), the import
                // keeps its name: `import _thread as thread`, and the uses stay.
                // Beside a `pickle.py`, `import cPickle` becomes `import pickle as cPickle`: the
                // name `pickle` may stand for the sibling.
                let uses_renamed = alias.asname.is_none()
                    && is_only_module(checker, old, old)
                    && new_name_is_free(checker, new)
                    && !beside(checker, new);
                if let Some(why) = blocking_member(checker, table, old, !uses_renamed) {
                    blocked = Some(why);
                    continue;
                }
                if alias.asname.is_none() && !uses_renamed {
                    if old.contains('.') {
                        blocked = Some(REBOUND.to_string());
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
            if beside(checker, old) {
                return;
            }
            let mut edits = from_module_range(checker.text, stmt, old)
                .map(|(start, end)| vec![Edit::replace(start, end, new)])
                .unwrap_or_default();
            let mut blocked = edits.is_empty().then(|| REBOUND.to_string());
            for alias in &import.names {
                let name = alias.name.as_str();
                if let Some(why) = table.removed_member(old, name) {
                    blocked = Some(format!("`{old}.{name}` has no Python 3 equivalent: {why}"));
                } else if name == "*" && table.members_of(old, true).next().is_some() {
                    blocked = Some(format!(
                        "`from {old} import *` binds other names in Python 3"
                    ));
                } else if let Some(member) = table.member(old, name) {
                    // `from UserDict import IterableUserDict` -> `... import UserDict as IterableUserDict`.
                    let start = alias.range.start().to_usize();
                    let kept = if alias.asname.is_some() {
                        member.to_string()
                    } else {
                        format!("{member} as {name}")
                    };
                    edits.push(Edit::replace(start, start + name.len(), kept));
                }
            }
            if blocked.is_some() {
                edits.clear();
            }
            report(checker, spec, stmt, edits, blocked);
        }
        _ => {}
    }
}

/// A line of the imports `--target six` writes for an `import` statement: a plain import, or
/// the two-version block ([`two_version::block`]) of a Python 2 import and its Python 3 fallback.
enum Line {
    Plain(String),
    Try(String, String),
}

/// `--target six`: the import goes through `six.moves` and keeps the name it bound, so the uses
/// stay: `import Queue` -> `from six.moves import queue as Queue`, `from urlparse import
/// urljoin` -> `from six.moves.urllib.parse import urljoin`, `from cStringIO import StringIO`
/// -> `from six.moves import cStringIO as StringIO`. `import cStringIO`, when the file reads
/// only members six carries, goes away and the uses become `six.moves.cStringIO`. A module or
/// member six does not carry is imported in two versions where the Python 3 module offers what
/// the file reads ([`two_version`]): `import anydbm` -> `try: import anydbm` / `except
/// ImportError: import dbm as anydbm`; anything else is reported and left.
fn check_import_six(stmt: &Stmt, checker: &mut Checker, table: &ModuleTable, spec: &FixerSpec) {
    use crate::fixers::six::moves;
    let text = checker.text;
    match stmt {
        Stmt::Import(import) => {
            let mut kept = Vec::new();
            let mut moved = Vec::new();
            let mut blocked = None;
            // The uses rewritten when a module six carries only members of goes away.
            let mut use_edits = Vec::new();
            for alias in &import.names {
                let old = alias.name.as_str();
                let original = text
                    .get(alias.range.start().to_usize()..alias.range.end().to_usize())
                    .unwrap_or(old);
                if table.get(old).is_none() || beside(checker, old) {
                    kept.push(original.to_string());
                    continue;
                }
                let bound = alias.asname.as_ref().map_or(old, |a| a.as_str());
                let Some(path) = moves::module(old) else {
                    if member_uses(checker, old, bound, &mut use_edits, &mut moved).is_some() {
                        continue;
                    }
                    if let Some(fallback) = module_fallback(checker, old, bound) {
                        moved.push(Line::Try(format!("import {original}"), fallback));
                        continue;
                    }
                    blocked = Some(format!(
                        "`six.moves` has no two-version name for `{old}`{}",
                        if moves::fallback_module(old).is_some() {
                            ", and the Python 3 module lacks a member read here"
                        } else if moves::has_members(old) {
                            " (only for some of its members, as `six.moves.X`)"
                        } else {
                            ""
                        }
                    ));
                    continue;
                };
                let (package, name) = match path.rsplit_once('.') {
                    Some((package, name)) => (format!("six.moves.{package}"), name),
                    None => ("six.moves".to_string(), path),
                };
                moved.push(Line::Plain(if name == bound {
                    format!("from {package} import {name}")
                } else {
                    format!("from {package} import {name} as {bound}")
                }));
            }
            if blocked.is_some() || (moved.is_empty() && use_edits.is_empty()) {
                report(checker, spec, stmt, Vec::new(), blocked);
                return;
            }
            let two_versions = moved.iter().any(|l| matches!(l, Line::Try(..)));
            let indent = if two_versions {
                two_version::own_line_indent(text, stmt)
            } else {
                super::util::statement_indent(text, stmt)
            };
            let Some(indent) = indent else {
                if two_versions {
                    report_shared_line(checker, spec, stmt);
                }
                return;
            };
            let nl = crate::fixers::semantics::util::newline_of(text);
            let mut lines = Vec::new();
            if !kept.is_empty() {
                lines.push(format!("import {}", kept.join(", ")));
            }
            lines.extend(moved.into_iter().map(|line| match line {
                Line::Plain(line) => line,
                Line::Try(first, second) => two_version::block(indent, nl, &first, &second),
            }));
            let r = stmt.range();
            let edit = if lines.is_empty() {
                checker.remove_statement(stmt)
            } else {
                Edit::replace(
                    r.start().to_usize(),
                    r.end().to_usize(),
                    lines.join(&format!("{nl}{indent}")),
                )
            };
            use_edits.push(edit);
            report(checker, spec, stmt, use_edits, None);
        }
        Stmt::ImportFrom(import) if import.level.map_or(0, |l| l.to_u32()) == 0 => {
            let Some(old) = import.module.as_ref().map(|m| m.as_str()) else {
                return;
            };
            if table.get(old).is_none() || beside(checker, old) {
                return;
            }
            if let Some(path) = moves::module(old) {
                let edits = from_module_range(text, stmt, old)
                    .map(|(start, end)| {
                        vec![Edit::replace(start, end, format!("six.moves.{path}"))]
                    })
                    .unwrap_or_default();
                let blocked = edits.is_empty().then(|| REBOUND.to_string());
                report(checker, spec, stmt, edits, blocked);
                return;
            }
            // A member six carries alone: `from cStringIO import StringIO`.
            let members: Option<Vec<String>> = import
                .names
                .iter()
                .map(|alias| {
                    let name = alias.name.as_str();
                    let six_name = moves::member(old, name)?;
                    let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
                    Some(if six_name == bound {
                        six_name.to_string()
                    } else {
                        format!("{six_name} as {bound}")
                    })
                })
                .collect();
            if let Some(members) = members.filter(|m| !m.is_empty()) {
                let r = stmt.range();
                let edit =
                    Edit::replace_range(r, format!("from six.moves import {}", members.join(", ")));
                report(checker, spec, stmt, vec![edit], None);
                return;
            }
            // Members the Python 3 module offers: `from UserDict import IterableUserDict`.
            let names = import.names.iter().map(|a| {
                let name = a.name.as_str();
                (name, a.asname.as_ref().map_or(name, |n| n.as_str()))
            });
            let Some(fallback) = two_version::from_fallback(old, names) else {
                let why =
                    format!("`six.moves` has no two-version name for what `{old}` gives here");
                report(checker, spec, stmt, Vec::new(), Some(why));
                return;
            };
            let Some(indent) = two_version::own_line_indent(text, stmt) else {
                report_shared_line(checker, spec, stmt);
                return;
            };
            let nl = crate::fixers::semantics::util::newline_of(text);
            let block = two_version::block(indent, nl, checker.source(stmt), &fallback);
            report(
                checker,
                spec,
                stmt,
                vec![Edit::replace_range(stmt.range(), block)],
                None,
            );
        }
        _ => {}
    }
}

/// Why a two-version import is not written: the statement shares its line.
const SHARED_LINE: &str =
    "the two-version import (`try:` / `except ImportError:`) needs the statement on lines of its own";

/// Reports `stmt`, not fixed: it shares its line, so a two-version block cannot replace it.
fn report_shared_line(checker: &mut Checker, spec: &FixerSpec, stmt: &Stmt) {
    report(
        checker,
        spec,
        stmt,
        Vec::new(),
        Some(SHARED_LINE.to_string()),
    );
}

/// `--target six`, `import old [as bound]` of a module with a two-version fallback: the Python 3
/// import (`import dbm as anydbm`) when every read of the name `bound` in the file is
/// `bound.member` with a member the Python 3 module offers under the same name (`anydbm.open`,
/// not `commands.mkarg`, nor `f(commands)`).
fn module_fallback(checker: &Checker, old: &str, bound: &str) -> Option<String> {
    use crate::engine::checker::has_parameter;
    use crate::engine::checker::nodes::{flatten, NO_PARENT};
    let fallback = two_version::module_fallback(old, bound)?;
    if checker.declared_global(bound) {
        return None;
    }
    let entries = flatten(checker.module(), |_, _| {});
    // Whether a function or lambda holding entry `i` has `bound` as its own name (`def f():
    // from StringIO import StringIO`): reads there are not of the module.
    let shadowed = |mut i: usize| loop {
        let Some(entry) = entries.get(i) else {
            return false;
        };
        let own = match entry.node {
            NodeRef::Stmt(Stmt::FunctionDef(f)) => binds_locally(checker, &f.args, &f.body, bound),
            NodeRef::Stmt(Stmt::AsyncFunctionDef(f)) => {
                binds_locally(checker, &f.args, &f.body, bound)
            }
            NodeRef::Expr(Expr::Lambda(l)) => has_parameter(&l.args, bound),
            _ => false,
        };
        if own {
            return true;
        }
        if entry.parent == NO_PARENT {
            return false;
        }
        i = entry.parent as usize;
    };
    for (i, entry) in entries.iter().enumerate() {
        let NodeRef::Expr(name @ Expr::Name(n)) = entry.node else {
            continue;
        };
        if n.id.as_str() != bound || !matches!(n.ctx, ExprContext::Load) || shadowed(i) {
            continue;
        }
        let parent = entries.get(entry.parent as usize).map(|e| e.node);
        let member = match parent {
            Some(NodeRef::Expr(Expr::Attribute(a))) if std::ptr::eq(a.value.as_ref(), name) => {
                matches!(a.ctx, ExprContext::Load).then_some(a.attr.as_str())
            }
            _ => None,
        };
        let same_name = member.is_some_and(|m| {
            crate::fixers::six::moves::fallback_member(old, m).is_some_and(|(_, new)| new == m)
        });
        if !same_name {
            return None;
        }
    }
    Some(fallback)
}

/// Whether a function with `args` and `body` binds `name` in its own scope.
fn binds_locally<'a>(
    checker: &Checker<'a>,
    args: &rustpython_ast::Arguments,
    body: &'a [Stmt],
    name: &str,
) -> bool {
    crate::engine::checker::has_parameter(args, name)
        || checker
            .names_in_scope(body)
            .iter()
            .any(|site| site.store && site.name == name)
}

/// `--target six`, `import cStringIO` where six carries members of the module but not the
/// module: when every use of the name `bound` is `bound.member` with a `six.moves` name
/// (`cStringIO.StringIO` -> `six.moves.cStringIO`), pushes the edits rewriting them (and adding
/// `import six`) to `edits`; `None` otherwise (the name is bound by something else too, read
/// alone, or one member has no two-version name). A member whose Python 3 name differs
/// (`UserDict.IterableUserDict`) is read through its own name, imported in two versions in
/// place of the statement (pushed to `lines`): `IterableUserDict`, when nothing but `from
/// UserDict import IterableUserDict` binds that name in the file.
fn member_uses(
    checker: &Checker,
    old: &str,
    bound: &str,
    edits: &mut Vec<Edit>,
    lines: &mut Vec<Line>,
) -> Option<()> {
    use crate::engine::checker::nodes::{self, flatten};
    if !is_only_module(checker, old, bound) {
        return None;
    }
    let semantic = checker.semantic();
    let entries = flatten(checker.module(), |_, _| {});
    let mut uses = Vec::new();
    let mut own_names = Vec::new();
    for entry in &entries {
        let NodeRef::Expr(node @ Expr::Attribute(attr)) = entry.node else {
            continue;
        };
        if !matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == bound) {
            continue;
        }
        if !matches!(attr.ctx, ExprContext::Load) {
            return None;
        }
        let member = attr.attr.as_str();
        let Some(six_name) = crate::fixers::six::moves::member(old, member) else {
            let (new, new_name) = crate::fixers::six::moves::FALLBACK_MEMBERS
                .iter()
                .find(|(m, n, _, _)| *m == old && *n == member)
                .map(|(_, _, new, name)| (*new, *name))?;
            if !name_is_own(checker, old, member) {
                return None;
            }
            uses.push((attr.range, member));
            if !own_names.iter().any(|(m, _)| *m == member) {
                own_names.push((member, format!("from {new} import {new_name} as {member}")));
            }
            continue;
        };
        // `StringIO.StringIO(data)` holding bytes is `io.BytesIO` (stringio-bytes' reading):
        // the same class on both versions.
        let parent =
            |e: &nodes::Entry<'_>| usize::try_from(e.parent).ok().and_then(|i| entries.get(i));
        let bytes = matches!(six_name, "StringIO" | "cStringIO")
            && parent(entry).is_some_and(|call_entry| {
                let NodeRef::Expr(call @ Expr::Call(c)) = call_entry.node else {
                    return false;
                };
                std::ptr::eq(c.func.as_ref(), node)
                    && crate::fixers::objects::stringio_bytes::holds_bytes(
                        checker,
                        call,
                        parent(call_entry).map(|e| e.node),
                    )
            });
        uses.push((attr.range, if bytes { "io.BytesIO" } else { six_name }));
    }
    // Every read of the name is one of these attributes.
    if uses.is_empty() || u32::try_from(uses.len()).ok() != Some(semantic.name_use(bound).loads) {
        return None;
    }
    let mut found = Vec::new();
    for (range, six_name) in uses {
        let new = if own_names.iter().any(|(m, _)| *m == six_name) {
            six_name.to_string()
        } else if six_name == "io.BytesIO" {
            checker
                .importer()
                .push_module("io", &mut found)
                .then(|| six_name.to_string())?
        } else {
            crate::fixers::six::six_attr(checker, &format!("moves.{six_name}"), &mut found)?
        };
        found.push(Edit::replace(
            range.start().to_usize(),
            range.end().to_usize(),
            new,
        ));
    }
    for edit in found {
        if !edits.contains(&edit) {
            edits.push(edit);
        }
    }
    for (member, fallback) in own_names {
        lines.push(Line::Try(format!("from {old} import {member}"), fallback));
    }
    Some(())
}

/// Whether the name `member` may stand for `old.member` in the whole file: not a builtin, and
/// bound by nothing but `from old import member` (a statement binding the same object).
fn name_is_own(checker: &Checker, old: &str, member: &str) -> bool {
    let semantic = checker.semantic();
    let imports = semantic
        .imports()
        .iter()
        .filter(|i| i.from == Some(old) && i.name == member && i.asname.is_none() && i.level == 0)
        .count();
    !is_python3_builtin(member) && u32::try_from(imports).ok() == Some(semantic.bindings(member))
}

/// Why an import is not fixed when a name it binds or needs is bound by something else.
const REBOUND: &str = "a name it binds or needs is rebound in this file";

fn report(
    checker: &mut Checker,
    spec: &FixerSpec,
    stmt: &Stmt,
    edits: Vec<Edit>,
    blocked: Option<String>,
) {
    if edits.is_empty() && blocked.is_none() {
        return;
    }
    let message = match &blocked {
        Some(why) => format!("a Python 2 module renamed in Python 3 (not fixed: {why})"),
        None => "a Python 2 module renamed in Python 3".to_string(),
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
        && semantic.bindings(old) == 0
        && semantic
            .imports()
            .iter()
            .any(|i| i.from.is_none() && i.asname.is_none() && i.name == new && i.level == 0)
        && new_name_is_free(checker, new)
}

/// Expression hook: renames `old` where it means the module bound by `import old`.
pub fn check_use(expr: &Expr, checker: &mut Checker, table: &ModuleTable, spec: &FixerSpec) {
    // Under `--target six` the imports keep their names (see `check_import_six`).
    if checker.six() {
        return;
    }
    let Expr::Name(name) = expr else { return };
    let old = name.id.as_str();
    let Some(new) = table.get(old) else { return };
    if !matches!(name.ctx, ExprContext::Load) {
        return;
    }
    if beside(checker, old) || beside(checker, new) {
        return;
    }
    let renamed_module = is_only_module(checker, old, old) && new_name_is_free(checker, new);
    if !renamed_module && !is_leftover_use(checker, old, new)
        || blocking_member(checker, table, old, false).is_some()
    {
        return;
    }
    // `UserDict.IterableUserDict` -> `collections.UserDict`: the member is renamed too.
    let (node, text) = match checker.parent() {
        Some(NodeRef::Expr(parent @ Expr::Attribute(attr)))
            if std::ptr::eq(attr.value.as_ref(), expr) =>
        {
            match table.member(old, attr.attr.as_str()) {
                Some(member) => (parent.range(), format!("{new}.{member}")),
                None => (expr.range(), new.to_string()),
            }
        }
        _ => (expr.range(), new.to_string()),
    };
    let fix = Fix::safe(vec![Edit::replace_range(node, text)]);
    let message = format!("the module `{old}` is `{new}` in Python 3");
    checker.report(spec, expr, message, Some(fix));
}
