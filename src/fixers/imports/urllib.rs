use std::sync::LazyLock;

use rustpython_ast::{Expr, Ranged, Stmt};

use super::util::{from_module_range, is_only_module, statement_indent};
use super::GROUPS;
use crate::declare_fixer;
use crate::engine::checker::{Checker, NodeRef};
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::six::moves;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// 2to3's `fix_urllib`: the members of Python 2's `urllib` and `urllib2` moved to
    /// `urllib.request`, `urllib.parse` and `urllib.error`. Splits `from urllib import ...` into
    /// one import per new module, rewrites `urllib.urlencode` as `urllib.parse.urlencode`, and
    /// `import urllib` as the imports of the new modules the file uses, and `import urllib as
    /// u` as `import urllib.parse as u` when every `u.member` moved to that one module. The
    /// table is `fixers/imports/urllib.toml`, generated from lib2to3's, with the members it
    /// misses in `fixers/imports/urllib_extra.toml` (`urllib.basejoin` ->
    /// `urllib.parse.urljoin`, `from urllib import basejoin` -> `from urllib.parse import
    /// urljoin as basejoin`, `urllib2.HTTPErrorProcessor` ...).
    ///
    /// Under `--target six` the new modules are spelt `six.moves.urllib.X` (`from
    /// six.moves.urllib.parse import quote`, `six.moves.urllib.parse.quote(s)`), `import
    /// urllib2` goes and `import six` is added. `import urllib2 as u2` goes too when every read
    /// of `u2` is `u2.member`: each becomes `six.moves.urllib.request.member` (one fix with the
    /// removal of the import).
    ///
    /// ## Why
    /// These names do not exist in Python 3's `urllib` package, and `urllib2` is gone.
    ///
    /// ## Example
    /// ```python
    /// import urllib
    /// from urllib2 import urlopen, HTTPError
    /// urllib.urlencode(params)
    /// ```
    /// becomes
    /// ```python
    /// import urllib.parse
    /// from urllib.request import urlopen
    /// from urllib.error import HTTPError
    /// urllib.parse.urlencode(params)
    /// ```
    ///
    /// ## Limits
    /// A member in neither table, `import urllib as u` whose members moved to several modules
    /// (or were renamed), a star import or a rebound `urllib` name are only reported. Splitting a parenthesized import drops the comments
    /// inside its parentheses. Under `--target six`, a member `six.moves.urllib` lacks
    /// (`urllib.splittype`, `urllib2.AbstractHTTPHandler`) and an aliased module read otherwise
    /// than as `u2.member` (passed along, assigned to, bound by something else too) are only
    /// reported, with the reason.
    pub URLLIB = FixerSpec {
        code: "PY203",
        name: "urllib",
        summary: "urllib/urllib2 members moved to urllib.request/parse/error (2to3 fix_urllib)",
        groups: GROUPS,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_stmt), expr: Some(check_expr), expr_kinds: expr_kinds::ATTRIBUTE, expr_relevant: None }),
    }
}

/// One Python 3 module and the members that moved there.
#[derive(serde::Deserialize)]
struct Destination {
    module: String,
    members: Vec<String>,
}

/// `fixers/imports/urllib.toml`: the destinations of each Python 2 module, in lib2to3's order.
#[derive(serde::Deserialize, Default)]
struct UrllibTable {
    urllib: Vec<Destination>,
    urllib2: Vec<Destination>,
}

static TABLE: LazyLock<UrllibTable> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../fixers/imports/urllib.toml")).unwrap_or_default()
});

/// The submodules of Python 3's `urllib`: `urllib.parse` is already Python 3.
const PY3_SUBMODULES: &[&str] = &["request", "parse", "error", "response", "robotparser"];

fn destinations(old: &str) -> &'static [Destination] {
    match old {
        "urllib" => &TABLE.urllib,
        "urllib2" => &TABLE.urllib2,
        _ => &[],
    }
}

/// `fixers/imports/urllib_extra.toml`: `"old.member"` -> `"new.module.new_member"`.
#[derive(serde::Deserialize, Default)]
struct ExtraTable {
    moved: rustc_hash::FxHashMap<String, String>,
}

static EXTRA: LazyLock<ExtraTable> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../fixers/imports/urllib_extra.toml")).unwrap_or_default()
});

/// Where `member` of the Python 2 module `old` lives in Python 3.
fn new_module(old: &str, member: &str) -> Option<&'static str> {
    moved(old, member).map(|(module, _)| module)
}

/// Where `member` of the Python 2 module `old` lives in Python 3, and its new name when it
/// has another one there (`urllib.basejoin` is `urllib.parse.urljoin`).
fn moved(old: &str, member: &str) -> Option<(&'static str, Option<&'static str>)> {
    if let Some(d) = destinations(old)
        .iter()
        .find(|d| d.members.iter().any(|m| m == member))
    {
        return Some((d.module.as_str(), None));
    }
    let target: &'static String = EXTRA.moved.get(&format!("{old}.{member}"))?;
    let (module, name) = target.rsplit_once('.')?;
    Some((module, (name != member).then_some(name)))
}

/// Where the fixed code finds `member` of the Python 2 module `old`: [`moved`], and under
/// `--target six` only when `six.moves.urllib` carries the name (it has no `splittype`).
fn destination(
    checker: &Checker,
    old: &str,
    member: &str,
) -> Option<(&'static str, Option<&'static str>)> {
    let (module, renamed) = moved(old, member)?;
    if checker.six() && !moves::urllib_member(module, renamed.unwrap_or(member)) {
        return None;
    }
    Some((module, renamed))
}

/// Why `old.member` is not spelt `six.moves.urllib.X.member` under `--target six`.
fn no_six_name(old: &str, member: &str) -> String {
    match moved(old, member) {
        Some((module, renamed)) => format!(
            "`{old}.{member}` is `{module}.{}` in Python 3, which `six.moves.urllib` lacks",
            renamed.unwrap_or(member)
        ),
        None => format!("`{old}.{member}` is not in lib2to3's table of moved names"),
    }
}

/// Whether `urllib` is bound in the file only by imports of `urllib` or its submodules.
fn urllib_name_is_free(checker: &Checker) -> bool {
    let semantic = checker.semantic();
    let imports = semantic
        .imports()
        .iter()
        .filter(|i| i.from.is_none() && i.asname.is_none() && i.bound_name() == "urllib")
        .count();
    u32::try_from(imports).ok() == Some(semantic.bindings("urllib"))
}

/// Whether `old` (`urllib` or `urllib2`) names the Python 2 module in this file.
fn is_python2_module(checker: &Checker, old: &str) -> bool {
    match old {
        "urllib" => {
            urllib_name_is_free(checker)
                && checker
                    .semantic()
                    .imports()
                    .iter()
                    .any(|i| i.from.is_none() && i.name == "urllib" && i.asname.is_none())
        }
        "urllib2" => is_only_module(checker, "urllib2", "urllib2") && urllib_name_is_free(checker),
        _ => false,
    }
}

/// The `name.member` reads of the module, by name, in source order (`urllib` ->
/// `urlencode`, `urlopen`): what an `import urllib` is used for. Strings and comments that
/// mention `urllib2.x` do not count.
struct MemberReads(std::collections::HashMap<String, Vec<String>>);

fn member_reads(checker: &Checker) -> MemberReads {
    let mut reads: std::collections::HashMap<String, Vec<String>> = Default::default();
    for entry in &crate::engine::checker::nodes::flatten(checker.module(), |_, _| {}) {
        if let NodeRef::Expr(Expr::Attribute(attr)) = entry.node {
            if let Expr::Name(n) = attr.value.as_ref() {
                reads
                    .entry(n.id.to_string())
                    .or_default()
                    .push(attr.attr.to_string());
            }
        }
    }
    MemberReads(reads)
}

/// The members read from the name `old` ([`member_reads`]).
fn members_used(checker: &Checker, old: &str) -> Vec<String> {
    checker
        .memo(member_reads)
        .0
        .get(old)
        .cloned()
        .unwrap_or_default()
}

fn check_stmt(stmt: &Stmt, checker: &mut Checker) {
    match stmt {
        Stmt::Import(import) => {
            for alias in &import.names {
                let old = alias.name.as_str();
                if old != "urllib" && old != "urllib2" {
                    continue;
                }
                check_import_module(checker, stmt, alias, old);
            }
        }
        Stmt::ImportFrom(import) if import.level.map_or(0, |l| l.to_u32()) == 0 => {
            let Some(old) = import.module.as_ref().map(|m| m.as_str()) else {
                return;
            };
            if old == "urllib" || old == "urllib2" {
                check_from_import(checker, stmt, &import.names, old);
            }
        }
        _ => {}
    }
}

/// `import urllib` -> `import urllib.parse, urllib.request` (the new modules the file uses).
fn check_import_module(
    checker: &mut Checker,
    stmt: &Stmt,
    alias: &rustpython_ast::Alias,
    old: &str,
) {
    if let Some(asname) = &alias.asname {
        check_aliased_import(checker, stmt, alias, old, asname.as_str());
        return;
    }
    let mut wanted: Vec<&str> = Vec::new();
    // The first member read that has no new home (under `--target six`: no six name).
    let mut unknown = None;
    let members = members_used(checker, old);
    for member in &members {
        let member = member.as_str();
        let new = if let Some((new, _)) = destination(checker, old, member) {
            Some(new)
        } else if old == "urllib" && PY3_SUBMODULES.contains(&member) {
            None
        } else {
            unknown = unknown.or(Some(member));
            None
        };
        if let Some(new) = new {
            if !wanted.contains(&new) {
                wanted.push(new);
            }
        }
    }
    if wanted.is_empty() && unknown.is_none() {
        if old == "urllib" {
            // `import urllib` alone is valid Python 3.
            return;
        }
        wanted = destinations(old)
            .iter()
            .map(|d| d.module.as_str())
            .collect();
    }
    // lib2to3's order of the new modules.
    let order = destinations(old);
    wanted.sort_by_key(|w| order.iter().position(|d| d.module == *w));
    let fixable = alias.asname.is_none() && unknown.is_none() && is_python2_module(checker, old);
    let mut message =
        format!("`{old}` was split into `urllib.request`, `urllib.parse` and `urllib.error`");
    if let Some(member) = unknown.filter(|_| checker.six()) {
        message.push_str(&format!(" (not fixed: {})", no_six_name(old, member)));
    }
    let fix = if !fixable {
        None
    } else if checker.six() {
        six_import_fix(checker, stmt, alias)
    } else {
        let r = alias.range;
        Some(Fix::safe(vec![Edit::replace(
            r.start().to_usize(),
            r.end().to_usize(),
            wanted.join(", "),
        )]))
    };
    checker.report(&URLLIB, stmt, message, fix);
}

/// `--target six`: every use is spelt `six.moves.urllib.X.name`, so `import urllib` goes and
/// `import six` is added once at the top (the edit every such fix makes alike: `import urllib`
/// and `import urllib2` do not each leave an `import six`).
fn six_import_fix(checker: &Checker, stmt: &Stmt, alias: &rustpython_ast::Alias) -> Option<Fix> {
    let Stmt::Import(import) = stmt else {
        return None;
    };
    let mut edits = Vec::new();
    if !checker.importer().push_module("six", &mut edits) {
        return None;
    }
    if import.names.len() == 1 {
        edits.push(checker.remove_statement(stmt));
    } else {
        // The other names of `import os, urllib` stay.
        let text = checker.text;
        let others: Option<Vec<&str>> = import
            .names
            .iter()
            .filter(|a| !std::ptr::eq(*a, alias))
            .map(|a| text.get(a.range.start().to_usize()..a.range.end().to_usize()))
            .collect();
        let r = stmt.range();
        edits.push(Edit::replace(
            r.start().to_usize(),
            r.end().to_usize(),
            format!("import {}", others?.join(", ")),
        ));
    }
    Some(Fix::safe(edits))
}

/// `import urllib as u` -> `import urllib.parse as u` when every `u.member` of the file moved
/// to that one module under its own name; reported otherwise. Under `--target six` see
/// [`six_alias_fix`].
fn check_aliased_import(
    checker: &mut Checker,
    stmt: &Stmt,
    alias: &rustpython_ast::Alias,
    old: &str,
    asname: &str,
) {
    let mut wanted: Vec<&str> = Vec::new();
    let mut fixable = is_only_module(checker, old, asname);
    let members = members_used(checker, asname);
    for member in &members {
        let member = member.as_str();
        match moved(old, member) {
            Some((new, None)) => {
                if !wanted.contains(&new) {
                    wanted.push(new);
                }
            }
            None if old == "urllib" && PY3_SUBMODULES.contains(&member) => {}
            _ => fixable = false,
        }
    }
    if old == "urllib" && wanted.is_empty() && fixable {
        // `import urllib as u` with no moved member used is valid Python 3.
        return;
    }
    let mut message =
        format!("`{old}` was split into `urllib.request`, `urllib.parse` and `urllib.error`");
    let fix = match wanted.as_slice() {
        _ if checker.six() => match six_alias_fix(checker, stmt, alias, old, asname) {
            Ok(fix) => Some(fix),
            Err(why) => {
                message.push_str(&format!(" (not fixed: {why})"));
                None
            }
        },
        [new] if fixable => {
            let r = alias.range;
            Some(Fix::safe(vec![Edit::replace_range(
                r,
                format!("{new} as {asname}"),
            )]))
        }
        _ => None,
    };
    checker.report(&URLLIB, stmt, message, fix);
}

/// `--target six`, `import urllib2 as u2`: no two-version import binds `u2` to the module, so
/// when every read of `u2` is `u2.member` with a `six.moves.urllib` name, each becomes
/// `six.moves.urllib.request.member` (`u.basejoin` -> `six.moves.urllib.parse.urljoin`) and the
/// import goes, as [`six_import_fix`] does for `import urllib2`: one fix, so the import never
/// goes without its uses. The error says why not otherwise.
fn six_alias_fix(
    checker: &Checker,
    stmt: &Stmt,
    alias: &rustpython_ast::Alias,
    old: &str,
    asname: &str,
) -> Result<Fix, String> {
    use crate::engine::checker::nodes::flatten;
    use rustpython_ast::ExprContext;
    if !is_only_module(checker, old, asname) {
        return Err(format!("`{asname}` is bound by something else too"));
    }
    let mut edits = Vec::new();
    let mut reads = 0u32;
    for entry in &flatten(checker.module(), |_, _| {}) {
        let NodeRef::Expr(Expr::Attribute(attr)) = entry.node else {
            continue;
        };
        if !matches!(attr.value.as_ref(), Expr::Name(n) if n.id.as_str() == asname) {
            continue;
        }
        let member = attr.attr.as_str();
        if !matches!(attr.ctx, ExprContext::Load) {
            return Err(format!("`{asname}.{member}` is assigned or deleted"));
        }
        let Some((module, renamed)) = destination(checker, old, member) else {
            return Err(no_six_name(old, member));
        };
        reads += 1;
        let name = renamed.unwrap_or(member);
        edits.push(Edit::replace_range(
            attr.range,
            format!("{}.{name}", spelled(checker, module)),
        ));
    }
    if checker.semantic().name_use(asname).loads != reads {
        return Err(format!(
            "`{asname}` is read other than as `{asname}.member`"
        ));
    }
    let mut fix = six_import_fix(checker, stmt, alias)
        .ok_or_else(|| "the name `six` is bound to something else".to_string())?;
    fix.edits.append(&mut edits);
    Ok(fix)
}

/// `from urllib import urlencode, urlopen` -> one `from` import per new module.
fn check_from_import(
    checker: &mut Checker,
    stmt: &Stmt,
    names: &[rustpython_ast::Alias],
    old: &str,
) {
    let message =
        format!("`{old}` was split into `urllib.request`, `urllib.parse` and `urllib.error`");
    if old == "urllib"
        && names
            .iter()
            .all(|a| PY3_SUBMODULES.contains(&a.name.as_str()))
    {
        return;
    }
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    let mut any_renamed = false;
    for alias in names {
        let Some((new, renamed)) = destination(checker, old, alias.name.as_str()) else {
            let message = if checker.six() && moved(old, alias.name.as_str()).is_some() {
                format!("{message} (not fixed: {})", no_six_name(old, &alias.name))
            } else {
                message
            };
            checker.report(&URLLIB, stmt, message, None);
            return;
        };
        // `basejoin` -> `urljoin as basejoin`: the file keeps its name for it.
        let source = match renamed {
            Some(name) => {
                any_renamed = true;
                let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                format!("{name} as {bound}")
            }
            None => checker.source(alias).to_string(),
        };
        match groups.iter_mut().find(|(m, _)| *m == new) {
            Some((_, list)) => list.push(source),
            None => groups.push((new, vec![source])),
        }
    }
    let text = checker.text;
    let edits = match groups.as_slice() {
        [] => None,
        [(new, _)] if !any_renamed => from_module_range(text, stmt, old)
            .map(|(s, e)| vec![Edit::replace(s, e, spelled(checker, new))]),
        _ => {
            let separator = match statement_indent(text, stmt) {
                Some(indent) => format!(
                    "{}{indent}",
                    crate::fixers::semantics::util::newline_of(text)
                ),
                None => "; ".to_string(),
            };
            let lines: Vec<String> = groups
                .iter()
                .map(|(new, list)| {
                    format!("from {} import {}", spelled(checker, new), list.join(", "))
                })
                .collect();
            let r = stmt.range();
            Some(vec![Edit::replace_range(r, lines.join(&separator))])
        }
    };
    checker.report(&URLLIB, stmt, message, edits.map(Fix::safe));
}

/// How the fixed code names the Python 3 module `module` (`urllib.parse`): as it is, or under
/// `--target six` through `six.moves` (`six.moves.urllib.parse`), which runs on both.
fn spelled(checker: &Checker, module: &str) -> String {
    if checker.six() {
        format!("six.moves.{module}")
    } else {
        module.to_string()
    }
}

/// `urllib.urlencode` -> `urllib.parse.urlencode`.
fn check_expr(expr: &Expr, checker: &mut Checker) {
    let Expr::Attribute(attr) = expr else { return };
    let Expr::Name(name) = attr.value.as_ref() else {
        return;
    };
    let old = name.id.as_str();
    if (old != "urllib" && old != "urllib2") || !is_python2_module(checker, old) {
        return;
    }
    let member = attr.attr.as_str();
    if checker.six() && destination(checker, old, member).is_none() {
        if let Some((new, renamed)) = moved(old, member) {
            // `urllib.splittype` -> `urllib.parse.splittype` has no two-version spelling.
            let name = renamed.unwrap_or(member);
            let message = format!(
                "`{old}.{member}` is `{new}.{name}` in Python 3 (not fixed: `six.moves.urllib` lacks it)"
            );
            checker.report(&URLLIB, expr, message, None);
            return;
        }
    }
    if let Some((new, Some(name))) = moved(old, member) {
        // `urllib.basejoin` -> `urllib.parse.urljoin`.
        let r = attr.range;
        let fix = Fix::safe(vec![Edit::replace_range(
            r,
            format!("{}.{name}", spelled(checker, new)),
        )]);
        let message = format!("`{old}.{member}` is `{new}.{name}` in Python 3");
        checker.report(&URLLIB, expr, message, Some(fix));
        return;
    }
    let Some(new) = new_module(old, member) else {
        if old == "urllib2" || !PY3_SUBMODULES.contains(&member) {
            let message = format!("`{old}.{member}` is not in lib2to3's table of moved names");
            checker.report(&URLLIB, expr, message, None);
        }
        return;
    };
    let r = name.range;
    let fix = Fix::safe(vec![Edit::replace_range(r, spelled(checker, new))]);
    let message = format!("`{old}.{member}` is `{new}.{member}` in Python 3");
    checker.report(&URLLIB, expr, message, Some(fix));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_in_lib2to3_order() {
        assert_eq!(new_module("urllib", "urlencode"), Some("urllib.parse"));
        assert_eq!(new_module("urllib2", "urlopen"), Some("urllib.request"));
        assert_eq!(new_module("urllib2", "quote"), Some("urllib.parse"));
        assert_eq!(new_module("urllib2", "HTTPError"), Some("urllib.error"));
        assert_eq!(TABLE.urllib.len(), 3);
        assert_eq!(TABLE.urllib2.len(), 3);
    }

    #[test]
    fn six_carries_some_urllib_members() {
        assert!(moves::urllib_member("urllib.parse", "urljoin"));
        assert!(moves::urllib_member("urllib.request", "HTTPErrorProcessor"));
        assert!(moves::urllib_member("urllib.error", "HTTPError"));
        assert!(!moves::urllib_member("urllib.parse", "splittype"));
        assert!(!moves::urllib_member(
            "urllib.request",
            "AbstractHTTPHandler"
        ));
        assert!(!moves::urllib_member("urllib.request", "HTTPError"));
    }
}
