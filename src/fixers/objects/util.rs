//! Helpers of the objects family: attribute rename tables, adding an `import module` line,
//! and the pieces of a string literal (prefixes, quotes, bodies) taken from the source text.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use crate::engine::checker::{Checker, NodeRef, Semantic};
use crate::engine::{Edit, Fix};
use crate::fixers::util::attribute_name_start;
use crate::fixers::FixerSpec;

/// The attribute rename tables of `fixers/objects/renames.toml`, by table name.
static RENAMES: LazyLock<FxHashMap<String, FxHashMap<String, String>>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../fixers/objects/renames.toml")).unwrap_or_default()
});

/// The new name for `old` in the rename table `table` of `fixers/objects/renames.toml`.
pub fn renamed(table: &str, old: &str) -> Option<&'static str> {
    RENAMES
        .get(table)
        .and_then(|t| t.get(old))
        .map(String::as_str)
}

/// Whether the module has an attribute named like an old name of the rename table `table`
/// (the hooks of [`rename_attribute`] cannot fire otherwise).
pub fn mentions_renamed_attribute(semantic: &Semantic, table: &str) -> bool {
    RENAMES
        .get(table)
        .is_some_and(|t| t.keys().any(|old| semantic.mentions_attribute(old)))
}

/// Reports `value.old` (any receiver) when `old` is in the rename table `table`, with a fix
/// that rewrites the attribute name. Skipped when a function or method named `old` is defined
/// in the module (the attribute is then the user's own).
pub fn rename_attribute(checker: &mut Checker, spec: &FixerSpec, expr: &Expr, table: &str) {
    let Expr::Attribute(attr) = expr else { return };
    let old = attr.attr.as_str();
    let Some(new) = renamed(table, old) else {
        return;
    };
    if checker.semantic().defines_function(old) {
        return;
    }
    // `x.im_class = ...` cannot become `x.__self__.__class__ = ...` safely: report only.
    let fixable = !new.contains('.') || matches!(attr.ctx, ExprContext::Load);
    let fix = attribute_name_start(attr)
        .filter(|_| fixable)
        .map(|start| Fix::safe(vec![Edit::replace(start, attr.range.end().to_usize(), new)]));
    let message = format!("`.{old}` is `.{new}` in Python 3");
    checker.report(spec, expr, message, fix);
}

/// Whether the node being visited, the name `expr`, is read (not assigned) and can only be the
/// builtin `name`: it is not bound anywhere in the module.
pub fn is_builtin_read(checker: &Checker, expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name && matches!(n.ctx, ExprContext::Load))
        && checker.is_builtin(name)
}

/// The module-level statements of the file being checked.
pub fn module_suite<'a>(checker: &Checker<'a>) -> Option<&'a [Stmt]> {
    let top = checker
        .ancestors()
        .filter_map(NodeRef::as_stmt)
        .last()
        .or_else(|| checker.current_statement())?;
    checker.enclosing_block(top)
}

/// What it takes for `module` to be imported at the top of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportNeed {
    /// A module-level `import module` is already there.
    Present,
    /// This edit adds it.
    Add(Edit),
}

/// Whether `module` can be used by its plain name: an `import module` at module level, or an
/// edit that inserts one after the module docstring and `from __future__` imports. `None` when
/// the name is bound to something else in the module, or no safe place for the line exists.
///
/// Two fixes of a round that add the same import make identical edits, which the engine
/// applies once; the next round finds the import present.
pub fn import_module(checker: &Checker, module: &str) -> Option<ImportNeed> {
    let suite = module_suite(checker)?;
    let present = suite.iter().any(|s| match s {
        Stmt::Import(i) => i
            .names
            .iter()
            .any(|a| a.name.as_str() == module && a.asname.is_none()),
        _ => false,
    });
    let imports_binding = checker
        .semantic()
        .imports()
        .iter()
        .filter(|i| i.bound_name() == module)
        .count();
    let bindings = checker.semantic().name_use(module).bindings;
    if u32::try_from(imports_binding).ok() != Some(bindings)
        || checker
            .semantic()
            .imports()
            .iter()
            .any(|i| i.bound_name() == module && (i.from.is_some() || i.name != module))
    {
        return None;
    }
    if present {
        return Some(ImportNeed::Present);
    }
    let text = checker.text;
    // Skip the docstring and the `from __future__` imports.
    let mut after: Option<&Stmt> = None;
    for (index, stmt) in suite.iter().enumerate() {
        let docstring = index == 0
            && matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::Constant(c)
                if matches!(c.value, rustpython_ast::Constant::Str(_))));
        let future = matches!(stmt, Stmt::ImportFrom(f)
            if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
        if docstring || future {
            after = Some(stmt);
        } else {
            break;
        }
    }
    let nl = crate::fixers::semantics::util::newline_of(text);
    let line = format!("import {module}{nl}");
    match after {
        None => {
            let first = suite.first()?;
            let start = first.range().start().to_usize();
            let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
            // The first statement must start its line.
            if !text.get(line_start..start)?.trim().is_empty() || line_start != start {
                return None;
            }
            Some(ImportNeed::Add(Edit::insert(start, line)))
        }
        Some(stmt) => {
            let end = stmt.range().end().to_usize();
            let rest = text.get(end..)?;
            let newline = rest.find('\n');
            let tail = rest.get(..newline.unwrap_or(rest.len()))?;
            // Only blanks or a comment may follow on the line (no `; more`).
            let tail = tail.trim_start_matches([' ', '\t', '\r', '\x0c']);
            if !(tail.is_empty() || tail.starts_with('#')) {
                return None;
            }
            match newline {
                Some(n) => Some(ImportNeed::Add(Edit::insert(end + n + 1, line))),
                None => Some(ImportNeed::Add(Edit::insert(
                    text.len(),
                    format!("{nl}{line}"),
                ))),
            }
        }
    }
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

/// Appends to `edits` what makes `module` importable; false when that is not possible.
pub fn push_import(checker: &Checker, module: &str, edits: &mut Vec<Edit>) -> bool {
    match import_module(checker, module) {
        Some(ImportNeed::Present) => true,
        Some(ImportNeed::Add(edit)) => {
            add_import_edit(edits, edit);
            true
        }
        None => false,
    }
}

/// One literal of a (possibly implicitly concatenated) string constant, as byte offsets into
/// the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringPiece {
    /// Start of the prefix (`u`, `b`, `r` ...), or of the quote when there is none.
    pub start: usize,
    /// Start of the opening quote(s).
    pub quote: usize,
    /// Length of the quote: 1 or 3.
    pub quote_len: usize,
    /// End of the piece (after the closing quote).
    pub end: usize,
}

impl StringPiece {
    /// The prefix letters, lower-cased.
    pub fn prefix(&self, text: &str) -> String {
        text.get(self.start..self.quote)
            .unwrap_or("")
            .to_ascii_lowercase()
    }

    /// The text between the quotes.
    pub fn body<'t>(&self, text: &'t str) -> &'t str {
        let from = self.quote.saturating_add(self.quote_len);
        let to = self.end.saturating_sub(self.quote_len);
        text.get(from..to).unwrap_or("")
    }
}

/// The literals that make up the string constant spanning `start..end` of `text`; `None` when
/// the text does not read as string literals (say, an f-string part).
pub fn string_pieces(text: &str, start: usize, end: usize) -> Option<Vec<StringPiece>> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut i = start;
    while i < end {
        let c = *bytes.get(i)?;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\\' | b'(' | b')' => i += 1,
            b'#' => {
                while i < end && *bytes.get(i)? != b'\n' {
                    i += 1;
                }
            }
            _ => {
                let piece_start = i;
                while i < end && bytes.get(i)?.is_ascii_alphabetic() {
                    i += 1;
                }
                let prefix = text.get(piece_start..i)?.to_ascii_lowercase();
                if prefix.len() > 2 || prefix.contains('f') {
                    return None;
                }
                let quote_char = *bytes.get(i)?;
                if quote_char != b'\'' && quote_char != b'"' {
                    return None;
                }
                let triple = bytes.get(i..i + 3) == Some(&[quote_char; 3][..]);
                let quote_len = if triple { 3 } else { 1 };
                let quote = i;
                i += quote_len;
                loop {
                    let b = *bytes.get(i)?;
                    if b == b'\\' {
                        i += 2;
                    } else if b == quote_char
                        && (!triple || bytes.get(i..i + 3) == Some(&[quote_char; 3][..]))
                    {
                        i += quote_len;
                        break;
                    } else {
                        i += 1;
                    }
                }
                pieces.push(StringPiece {
                    start: piece_start,
                    quote,
                    quote_len,
                    end: i,
                });
            }
        }
    }
    if pieces.is_empty() {
        None
    } else {
        Some(pieces)
    }
}

/// The pieces of the string constant `expr` (a `str` or `bytes` constant), from the source.
pub fn constant_pieces(text: &str, expr: &Expr) -> Option<Vec<StringPiece>> {
    if !matches!(expr, Expr::Constant(_)) {
        return None;
    }
    let r = expr.range();
    string_pieces(text, r.start().to_usize(), r.end().to_usize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_concatenated_literals() {
        let text = "x = (u'a\\'' # c\n  rb\"\"\"q\"\"\" 'z')";
        let pieces = string_pieces(text, 5, text.len() - 1).unwrap_or_default();
        let shown: Vec<(String, &str)> = pieces
            .iter()
            .map(|p| (p.prefix(text), p.body(text)))
            .collect();
        assert_eq!(
            shown,
            [
                ("u".to_string(), "a\\'"),
                ("rb".to_string(), "q"),
                (String::new(), "z")
            ]
        );
    }

    #[test]
    fn finds_assigned_values_paired_in_tuples() {
        use rustpython_parser::{ast, Parse};
        let source = "a = 1\nb, (c, a) = 2, (3, 4)\nclass K:\n    a: int = 5\n    def f(self):\n        self.a = 6\n        x, y = z\n";
        let suite = ast::Suite::parse(source, "<test>").expect("parses");
        let shown = |target| -> Vec<String> {
            assigned_values(&suite, target)
                .iter()
                .map(|e| {
                    let r = e.range();
                    source[r.start().to_usize()..r.end().to_usize()].to_string()
                })
                .collect()
        };
        assert_eq!(shown(Target::Name("a")), ["1", "4", "5"]);
        assert_eq!(shown(Target::Attribute("a")), ["6"]);
        assert_eq!(shown(Target::Name("x")), Vec::<String>::new());
    }

    #[test]
    fn rejects_unterminated_and_f_strings() {
        assert_eq!(string_pieces("'abc", 0, 4), None);
        assert_eq!(string_pieces("f'abc'", 0, 6), None);
    }

    #[test]
    fn reads_the_rename_tables() {
        assert_eq!(
            renamed("unittest_aliases", "assertEquals"),
            Some("assertEqual")
        );
        assert_eq!(
            renamed("method_attributes", "im_class"),
            Some("__self__.__class__")
        );
        assert_eq!(renamed("function_attributes", "func_nope"), None);
    }
}

/// What [`assigned_values`] looks for: a plain name, or an attribute of any object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'n> {
    /// `name = value`.
    Name(&'n str),
    /// `anything.attr = value`.
    Attribute(&'n str),
}

impl Target<'_> {
    fn matches(&self, expr: &Expr) -> bool {
        match (self, expr) {
            (Target::Name(n), Expr::Name(e)) => e.id.as_str() == *n,
            (Target::Attribute(a), Expr::Attribute(e)) => e.attr.as_str() == *a,
            _ => false,
        }
    }
}

/// Every value the module assigns to `target` with a plain assignment (`x = v`, `x: T = v`,
/// `a, x = u, v` paired element by element), anywhere in `suite` (functions and classes
/// included). A module-wide scan: call it only on a rare trigger.
///
/// Compare the count with the semantic facts (`bindings` of a name, `attribute_stores` of an
/// attribute) to know whether these are ALL the bindings.
pub fn assigned_values<'a>(suite: &'a [Stmt], target: Target) -> Vec<&'a Expr> {
    let mut values = Vec::new();
    let entries = crate::engine::checker::nodes::flatten(suite, |_, _| {});
    for entry in &entries {
        match entry.node {
            NodeRef::Stmt(Stmt::Assign(a)) => {
                for t in &a.targets {
                    paired_values(t, &a.value, target, &mut values);
                }
            }
            NodeRef::Stmt(Stmt::AnnAssign(a)) => {
                if let Some(value) = &a.value {
                    paired_values(&a.target, value, target, &mut values);
                }
            }
            _ => {}
        }
    }
    values
}

/// Pushes the value `target` gets from `lhs = rhs`, pairing tuple/list elements.
fn paired_values<'a>(lhs: &Expr, rhs: &'a Expr, target: Target, out: &mut Vec<&'a Expr>) {
    if target.matches(lhs) {
        out.push(rhs);
        return;
    }
    let (Some(left), Some(right)) = (sequence_elements(lhs), sequence_elements(rhs)) else {
        return;
    };
    if left.len() != right.len()
        || left
            .iter()
            .chain(right)
            .any(|e| matches!(e, Expr::Starred(_)))
    {
        return;
    }
    for (l, r) in left.iter().zip(right) {
        paired_values(l, r, target, out);
    }
}

/// The elements of a tuple or list display.
pub fn sequence_elements(expr: &Expr) -> Option<&[Expr]> {
    match expr {
        Expr::Tuple(t) => Some(&t.elts),
        Expr::List(l) => Some(&l.elts),
        _ => None,
    }
}

/// The only value the module gives `target`: exactly one plain assignment and no other
/// binding of it (by the semantic counts); `None` otherwise.
pub fn only_assigned_value<'a>(checker: &Checker<'a>, target: Target) -> Option<&'a Expr> {
    let use_ = match target {
        Target::Name(n) => checker.semantic().name_use(n).bindings,
        Target::Attribute(a) => checker.semantic().name_use(a).attribute_stores,
    };
    // Cheap test first: the scan below reads the whole module.
    if use_ != 1 {
        return None;
    }
    let suite = module_suite(checker)?;
    let values = assigned_values(suite, target);
    match values.as_slice() {
        [value] if use_ == 1 => Some(value),
        _ => None,
    }
}
