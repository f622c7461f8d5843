use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use super::BEYOND;
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::{expr_kinds, AstHooks};
use crate::engine::{Edit, Fix};
use crate::fixers::util::attribute_name_start;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Renames `base64.encodestring` to `base64.encodebytes` and `base64.decodestring` to
    /// `base64.decodebytes`, also in `from base64 import encodestring` and its uses.
    ///
    /// ## Why
    /// The old names were deprecated aliases and are gone since Python 3.9 (2to3 does not
    /// fix them: python-dateutil's tests, for one, fail on this after 2to3).
    ///
    /// ## Example
    /// ```python
    /// data = base64.decodestring(text)
    /// ```
    /// becomes
    /// ```python
    /// data = base64.decodebytes(text)
    /// ```
    ///
    /// ## Limits
    /// `base64` must be the module (`import base64 [as b]`) bound nowhere else.
    ///
    /// Under `--target six`: `base64.decodestring` -> `base64.b64decode` (it decodes alike on
    /// both versions), `base64.encodestring(x)` -> `(base64.encodestring if six.PY2 else
    /// base64.encodebytes)(x)`, and `from base64 import encodestring` -> a two-version import,
    /// Python 3's name first (Python 2.7's `base64` has no `encodebytes`):
    /// ```python
    /// try:
    ///     from base64 import encodebytes as encodestring
    /// except ImportError:
    ///     from base64 import encodestring
    /// ```
    /// Such a block is left as it is; under the `py3` target `six-imports` keeps its first
    /// branch.
    pub BASE64_ENCODESTRING = FixerSpec {
        code: "PY323",
        name: "base64-encodestring",
        summary: "base64.encodestring/decodestring -> encodebytes/decodebytes",
        groups: BEYOND,
        default_on: true,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check_import), expr: Some(check), expr_kinds: expr_kinds::ATTRIBUTE | expr_kinds::NAME, expr_relevant: None }),
    }
}

/// The Python 3 name of a removed `base64` function.
fn new_name(old: &str) -> Option<&'static str> {
    match old {
        "encodestring" => Some("encodebytes"),
        "decodestring" => Some("decodebytes"),
        _ => None,
    }
}

fn check(expr: &Expr, checker: &mut Checker) {
    let (old, start, end) = match expr {
        Expr::Attribute(attr) if new_name(attr.attr.as_str()).is_some() => {
            let is_module = matches!(attr.value.as_ref(), Expr::Name(m)
                if checker.semantic().is_module_alias("base64", m.id.as_str()));
            let Some(start) = attribute_name_start(attr).filter(|_| is_module) else {
                return;
            };
            if checker.six() {
                check_six(expr, checker, attr.attr.as_str(), start);
                return;
            }
            (attr.attr.as_str(), start, attr.range.end().to_usize())
        }
        Expr::Name(name)
            if matches!(name.ctx, ExprContext::Load) && new_name(name.id.as_str()).is_some() =>
        {
            let id = name.id.as_str();
            let semantic = checker.semantic();
            let imported = semantic
                .imported_from("base64", id)
                .is_some_and(|i| i.asname.is_none());
            // Under `--target six` the import is what changes (see `check_import`).
            if !imported || semantic.bindings(id) != 1 || checker.six() {
                return;
            }
            (
                id,
                name.range.start().to_usize(),
                name.range.end().to_usize(),
            )
        }
        _ => return,
    };
    let Some(new) = new_name(old) else { return };
    let fix = Fix::safe(vec![Edit::replace(start, end, new)]);
    let message = format!("`base64.{old}` is `base64.{new}` in Python 3");
    checker.report(&BASE64_ENCODESTRING, expr, message, Some(fix));
}

fn check_import(stmt: &Stmt, checker: &mut Checker) {
    let Stmt::ImportFrom(import) = stmt else {
        return;
    };
    let from_base64 = import
        .module
        .as_ref()
        .is_some_and(|m| m.as_str() == "base64")
        && import.level.map_or(0, |l| l.to_u32()) == 0;
    // A branch of the two-version import `--target six` writes runs on both versions.
    if !from_base64 || crate::fixers::imports::two_version::is_branch(checker, stmt) {
        return;
    }
    if checker.six() {
        check_import_six(stmt, import, checker);
        return;
    }
    for alias in &import.names {
        let old = alias.name.as_str();
        let Some(new) = new_name(old) else { continue };
        let start = alias.range.start().to_usize();
        let fix = (checker.text.get(start..start + old.len()) == Some(old))
            .then(|| Fix::safe(vec![Edit::replace(start, start + old.len(), new)]));
        let message = format!("`base64.{old}` is `base64.{new}` in Python 3");
        checker.report(&BASE64_ENCODESTRING, alias, message, fix);
    }
}

/// `--target six`, `from base64 import ...`: `decodestring [as d]` -> `b64decode as
/// decodestring` (`b64decode` decodes as `decodestring` did, on both versions); `encodestring
/// [as e]` (no function of both versions breaks lines alike) -> a two-version import, Python 3's
/// name first (Python 2.7's `base64` lacks it):
/// ```python
/// try:
///     from base64 import encodebytes as encodestring
/// except ImportError:
///     from base64 import encodestring
/// ```
/// The statement's other names stay in a `from base64 import` line before the block. A branch
/// of that block is left alone.
fn check_import_six(stmt: &Stmt, import: &rustpython_ast::StmtImportFrom, checker: &mut Checker) {
    use crate::fixers::imports::two_version;
    let mut others = Vec::new();
    let mut encoders = Vec::new();
    let mut decoders = false;
    for alias in &import.names {
        let name = alias.name.as_str();
        let bound = alias.asname.as_ref().map_or(name, |a| a.as_str());
        match name {
            "encodestring" => encoders.push(("encodebytes", bound)),
            "decodestring" => {
                decoders = true;
                others.push(format!("b64decode as {bound}"));
            }
            _ => others.push(checker.source(alias).to_string()),
        }
    }
    if encoders.is_empty() {
        // Only `decodestring`: renamed in place (the statement keeps its layout).
        let edits: Vec<Edit> = import
            .names
            .iter()
            .filter(|a| a.name.as_str() == "decodestring")
            .map(|a| {
                let start = a.range.start().to_usize();
                let end = start + "decodestring".len();
                match a.asname {
                    None => Edit::insert(start, "b64decode as "),
                    Some(_) => Edit::replace(start, end, "b64decode"),
                }
            })
            .collect();
        let written = import.names.iter().all(|a| {
            let start = a.range.start().to_usize();
            a.name.as_str() != "decodestring"
                || checker.text.get(start..start + "decodestring".len()) == Some("decodestring")
        });
        if decoders && written {
            let message =
                "`base64.decodestring` is gone in Python 3: `b64decode` decodes alike on both";
            checker.report(&BASE64_ENCODESTRING, stmt, message, Some(Fix::safe(edits)));
        }
        return;
    }
    let text = checker.text;
    let message = "`base64.encodestring` is `base64.encodebytes` in Python 3: a two-version import";
    let (Some((first, second)), Some(indent)) = (
        two_version::base64_pair(encoders),
        two_version::own_line_indent(text, stmt),
    ) else {
        let message = format!("{message} needs the statement on lines of its own (not fixed)");
        checker.report(&BASE64_ENCODESTRING, stmt, message, None);
        return;
    };
    let nl = crate::fixers::semantics::util::newline_of(text);
    // The comments inside a parenthesized statement go on the first line written.
    let comments: String = two_version::comments(checker.source(stmt))
        .iter()
        .map(|c| format!("  {c}"))
        .collect();
    let mut new = String::new();
    if !others.is_empty() {
        new = format!(
            "from base64 import {}{comments}{nl}{indent}",
            others.join(", ")
        );
    }
    let block = two_version::block(indent, nl, &first, &second);
    match block.split_once(nl) {
        Some((line, rest)) if others.is_empty() && !comments.is_empty() => {
            new.push_str(&format!("{line}{comments}{nl}{rest}"));
        }
        _ => new.push_str(&block),
    }
    let fix = Fix::safe(vec![Edit::replace_range(stmt.range(), new)]);
    checker.report(&BASE64_ENCODESTRING, stmt, message, Some(fix));
}

/// `--target six`: `base64.decodestring` -> `base64.b64decode` (the same decoding on both
/// versions); `base64.encodestring` -> `(base64.encodestring if six.PY2 else
/// base64.encodebytes)`, its Python 2 name kept in a `six.PY2` branch (no function of both
/// versions breaks lines alike). `name_start` is the offset of the attribute's name.
fn check_six(expr: &Expr, checker: &mut Checker, old: &str, name_start: usize) {
    let r = rustpython_ast::Ranged::range(expr);
    if old == "decodestring" {
        let fix = Fix::safe(vec![Edit::replace(
            name_start,
            r.end().to_usize(),
            "b64decode",
        )]);
        let message =
            "`base64.decodestring` is gone in Python 3: `base64.b64decode` decodes alike on both";
        checker.report(&BASE64_ENCODESTRING, expr, message, Some(fix));
        return;
    }
    let in_branch = matches!(checker.parent(), Some(crate::engine::checker::NodeRef::Expr(Expr::IfExp(e)))
        if crate::fixers::six::is_six_attr(checker, &e.test, "PY2"));
    if in_branch {
        return;
    }
    let Some(module) = checker.text.get(r.start().to_usize()..name_start) else {
        return;
    };
    let mut edits = Vec::new();
    let fix = crate::fixers::six::six_attr(checker, "PY2", &mut edits).map(|py2| {
        edits.push(Edit::replace_range(
            r,
            format!("({module}encodestring if {py2} else {module}encodebytes)"),
        ));
        Fix::safe(edits)
    });
    let message =
        "`base64.encodestring` is `base64.encodebytes` in Python 3: a `six.PY2` branch keeps both";
    checker.report(&BASE64_ENCODESTRING, expr, message, fix);
}
