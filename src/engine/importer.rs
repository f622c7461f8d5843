//! The one way fixers add an import ([`Checker::importer`]): where a new module-level import
//! line goes (after the docstring and the `from __future__` imports, below a `#!` line, a coding
//! cookie and leading comments), written in the file's own newline style, and whether a module
//! is already imported under its own name.
//!
//! Two fixes of a round that add the same import make identical edits, which the engine applies
//! once; the next round finds the import present.

use rustpython_ast::{Constant, Expr, Ranged, Stmt};

use super::checker::Checker;
use super::Edit;

/// What it takes for a module to be usable by its plain name ([`Importer::module`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportNeed {
    /// A module-level `import module` is already there.
    Present,
    /// This edit adds it.
    Add(Edit),
}

/// Adds imports to the module a [`Checker`] is checking.
pub struct Importer<'c, 'a> {
    checker: &'c Checker<'a>,
}

impl<'a> Checker<'a> {
    /// The import toolkit for the module being checked.
    pub fn importer(&self) -> Importer<'_, 'a> {
        Importer { checker: self }
    }
}

impl Importer<'_, '_> {
    /// The edit adding the line `statement` (e.g. `from functools import reduce`); `None` when
    /// the module has no safe place for it.
    pub fn line(&self, statement: &str) -> Option<Edit> {
        line_edit(self.checker.text, self.checker.module(), statement)
    }

    /// Whether `module` can be used by its plain name where the checker stands: a module-level
    /// `import module` is already there, or this edit adds one. `None` when the name means
    /// something else there or at module level (a variable, a function, a `global module`,
    /// `import other as module` or `from x import module` anywhere), or the module has no safe
    /// place for the line. A name bound only inside functions or classes that do not enclose
    /// this point (`def f(): functools = None`) does not stand in the way: the new import
    /// changes nothing there.
    pub fn module(&self, module: &str) -> Option<ImportNeed> {
        let checker = self.checker;
        let semantic = checker.semantic();
        let imports = semantic.imports();
        if imports
            .iter()
            .any(|i| i.bound_name() == module && (i.from.is_some() || i.name != module))
        {
            return None;
        }
        let bound_by_imports = imports.iter().filter(|i| i.bound_name() == module).count();
        let bound_elsewhere =
            u32::try_from(bound_by_imports).ok() != Some(semantic.bindings(module));
        if bound_elsewhere
            && (checker.declared_global(module)
                || checker.bound_in_enclosing_scope(module)
                || bound_at_module_level_otherwise(checker, module))
        {
            return None;
        }
        let present = self.checker.module().iter().any(|s| match s {
            Stmt::Import(i) => i
                .names
                .iter()
                .any(|a| a.name.as_str() == module && a.asname.is_none()),
            _ => false,
        });
        if present {
            return Some(ImportNeed::Present);
        }
        self.line(&format!("import {module}")).map(ImportNeed::Add)
    }

    /// The edit importing `features` from `__future__` (`["unicode_literals"]`): appended to the
    /// last `from __future__ import` of the module's opening statements when there is one (`from
    /// __future__ import division, unicode_literals`), else a line of its own after the
    /// docstring ([`Importer::line`]).
    pub fn future_features(&self, features: &[&str]) -> Option<Edit> {
        let suite = self.checker.module();
        let features = features.join(", ");
        let last_future = suite[..preamble_len(suite)]
            .iter()
            .rev()
            .find_map(|s| match s {
                Stmt::ImportFrom(i) => i.names.last(),
                _ => None,
            });
        match last_future {
            Some(alias) => Some(Edit::insert(
                alias.range().end().to_usize(),
                format!(", {features}"),
            )),
            None => self.line(&format!("from __future__ import {features}")),
        }
    }

    /// Appends to `edits` what makes `module` usable by its plain name ([`Importer::module`]);
    /// `false` when that is not possible.
    pub fn push_module(&self, module: &str, edits: &mut Vec<Edit>) -> bool {
        match self.module(module) {
            Some(ImportNeed::Present) => true,
            Some(ImportNeed::Add(edit)) => {
                add_import_edit(edits, edit);
                true
            }
            None => false,
        }
    }

    /// [`Importer::module`] as the edits to make: none when the import is there.
    pub fn module_edits(&self, module: &str) -> Option<Vec<Edit>> {
        let mut edits = Vec::new();
        self.push_module(module, &mut edits).then_some(edits)
    }
}

/// Whether a module-level statement binds `module` other than `import module` (an assignment,
/// a `def`, a `for` target, an `except ... as`, a comprehension variable that leaks in Python 2).
fn bound_at_module_level_otherwise(checker: &Checker, module: &str) -> bool {
    let suite = checker.module();
    let plain_import_at = |start: usize| {
        suite.iter().any(|s| match s {
            Stmt::Import(i) => {
                i.range.start().to_usize() == start
                    && i.names.iter().any(|a| a.name.as_str() == module)
            }
            _ => false,
        })
    };
    checker
        .names_in_scope(suite)
        .iter()
        .any(|site| site.store && site.name == module && !plain_import_at(site.start))
}

/// Adds the insertion `edit` of an import line to the edits of one fix. Two imports inserted at
/// the same point (`import itertools` and `import six` after the docstring) become one edit:
/// the engine drops a fix whose own edits insert twice at one point.
fn add_import_edit(edits: &mut Vec<Edit>, edit: Edit) {
    let same_point = edits
        .iter_mut()
        .find(|e| e.start == edit.start && e.end == edit.start && edit.end == edit.start);
    match same_point {
        Some(existing)
            if existing
                .content
                .lines()
                .any(|l| l.trim() == edit.content.trim()) => {}
        Some(existing) => {
            let mut line = edit.content.as_str();
            // At the end of a file without a final newline, each line comes after a newline.
            if existing.content.ends_with('\n') {
                line = line.trim_start_matches(['\r', '\n']);
            }
            existing.content.push_str(line);
        }
        None => edits.push(edit),
    }
}

/// The edit adding `from __future__ import FEATURE` to `text` (parsed into `suite`). `None`
/// when no statement would use it (the module holds only a docstring and `__future__` imports)
/// or there is no line to put it on.
pub fn future_import_edit(text: &str, suite: &[Stmt], feature: &str) -> Option<Edit> {
    let preamble = preamble_len(suite);
    if preamble == suite.len() {
        return None;
    }
    line_edit(text, suite, &format!("from __future__ import {feature}"))
}

/// The edit adding the line `statement` to `text` (parsed into `suite`): on the line after the
/// docstring and the `from __future__` imports when only blanks or a comment follow them on
/// their line, else before the first statement when it starts its line (a `#!` line, a coding
/// cookie and comments above it stay above it). `None` when neither place exists.
pub fn line_edit(text: &str, suite: &[Stmt], statement: &str) -> Option<Edit> {
    let nl = crate::source::first_newline(text);
    let line = format!("{statement}{nl}");
    match preamble_len(suite).checked_sub(1).map(|i| &suite[i]) {
        None => {
            let start = suite.first()?.range().start().to_usize();
            let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
            if line_start != start {
                return None;
            }
            Some(Edit::insert(start, line))
        }
        Some(last) => {
            let end = last.range().end().to_usize();
            let rest = text.get(end..)?;
            let newline = rest.find('\n');
            let tail = rest.get(..newline.unwrap_or(rest.len()))?;
            let tail = tail.trim_start_matches([' ', '\t', '\r', '\x0c']);
            if !(tail.is_empty() || tail.starts_with('#')) {
                return None;
            }
            Some(match newline {
                Some(n) => Edit::insert(end + n + 1, line),
                None => Edit::insert(text.len(), format!("{nl}{line}")),
            })
        }
    }
}

/// How many statements open the module before an import may go: the docstring and the
/// `from __future__` imports.
fn preamble_len(suite: &[Stmt]) -> usize {
    suite
        .iter()
        .enumerate()
        .take_while(|(i, stmt)| {
            let docstring = *i == 0
                && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(),
                    Expr::Constant(c) if matches!(c.value, Constant::Str(_))));
            let future = matches!(stmt, Stmt::ImportFrom(f)
                if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
            docstring || future
        })
        .count()
}
