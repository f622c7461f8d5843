//! Helpers of the objects family: attribute rename tables, adding an `import module` line,
//! and the pieces of a string literal (prefixes, quotes, bodies) taken from the source text.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

use rustpython_ast::{Expr, ExprContext, Ranged, Stmt};

use crate::engine::checker::{Checker, NodeRef, Semantic};
use crate::engine::{Edit, Fix};
use crate::fixers::util::attribute_name_start;
use crate::fixers::FixerSpec;

/// The attribute rename tables of `fixers/objects/renames.toml`, by table name. The table is
/// part of the binary: a unit test (`embedded_tables_parse`) fails when it does not parse.
static RENAMES: LazyLock<FxHashMap<String, FxHashMap<String, String>>> = LazyLock::new(|| {
    toml::from_str(include_str!("../../../fixers/objects/renames.toml"))
        .expect("fixers/objects/renames.toml parses (checked by a unit test)")
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
    #[test]
    fn embedded_tables_parse() {
        assert!(!super::RENAMES.is_empty());
    }

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
        Target::Name(n) => checker.semantic().bindings(n),
        Target::Attribute(a) => checker.semantic().name_use(a).attribute_stores,
    };
    // Cheap test first: the scan below reads the whole module.
    if use_ != 1 {
        return None;
    }
    let suite = checker.module();
    let values = assigned_values(suite, target);
    match values.as_slice() {
        [value] if use_ == 1 => Some(value),
        _ => None,
    }
}
