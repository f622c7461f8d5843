//! The text of `py2to3 rules` (a table of every rule) and `py2to3 explain CODE` (one rule's
//! documentation), both taken from the registry.

use std::io::{self, Write};

use crate::engine::spec::FixerSpec;
use crate::fixers::registry;
use crate::fixers::{FixerKind, TokenContext};

/// The hook of [`SYNTAX_ERROR`]: the engine reports it, no fixer does.
fn reported_by_the_engine(_: &TokenContext, _: &mut Vec<crate::engine::Diagnostic>) {}

crate::declare_fixer! {
    /// ## What it does
    /// Reports a file that could not be read, decoded or parsed (as Python 2 or 3), at the
    /// position of the error when there is one. Such a file is neither checked nor fixed;
    /// `check` and `fix` report it in every output format and exit 1.
    ///
    /// ## Why
    /// A file no tool can read is a file nobody knows the state of: it must not vanish from a
    /// report that then says all checks passed.
    ///
    /// It is always on and cannot be selected or ignored; it is not in the fixer registry.
    pub SYNTAX_ERROR = FixerSpec {
        code: "PY000",
        name: "syntax-error",
        summary: "file that cannot be read or parsed (always reported)",
        groups: &[],
        default_on: true,
        fixable: false,
        kind: FixerKind::Tokens(reported_by_the_engine),
    }
}

/// Every rule `rules` lists and `explain` knows: [`SYNTAX_ERROR`], then the registry.
pub fn all_rules() -> Vec<&'static FixerSpec> {
    std::iter::once(&SYNTAX_ERROR)
        .chain(registry::all().iter().copied())
        .collect()
}

/// One rule in `rules --output-format json`.
#[derive(Debug, serde::Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub fixable: bool,
    pub default_on: bool,
    pub groups: Vec<&'static str>,
    /// The rule's documentation (what `explain` prints after its header).
    pub doc: String,
}

/// Prints `rules` as a JSON array of [`RuleInfo`].
pub fn write_rules_json(rules: &[&FixerSpec], out: &mut dyn Write) -> io::Result<()> {
    let infos: Vec<RuleInfo> = rules
        .iter()
        .map(|r| RuleInfo {
            code: r.code,
            name: r.name,
            summary: r.summary,
            fixable: r.fixable,
            default_on: r.default_on,
            groups: r.all_groups(),
            doc: doc_text(r),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &infos)?;
    writeln!(out)
}

/// A rule's documentation as written in its doc comment, with the one space rustdoc keeps after
/// `///` removed from each line and surrounding blank lines trimmed.
pub fn doc_text(spec: &FixerSpec) -> String {
    let lines: Vec<&str> = spec
        .doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end())
        .collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// Prints the rules table: code, name, fixable, default on/off, groups, summary.
///
/// A rule shows `yes` under FIX when its spec says it is fixable (`FixerSpec::fixable`) and
/// `fixable` agrees: pass `&|_| true` to print the registry's answer, or narrow it (e.g. to the
/// fixes `--unsafe-fixes` would allow).
pub fn write_rules_table(
    rules: &[&FixerSpec],
    fixable: &dyn Fn(&FixerSpec) -> bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let name_width = rules
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(0)
        .max("NAME".len());
    let code_width = rules
        .iter()
        .map(|r| r.code.len())
        .max()
        .unwrap_or(0)
        .max("CODE".len());
    writeln!(
        out,
        "{:<code_width$}  {:<name_width$}  FIX  DEFAULT  GROUPS  SUMMARY",
        "CODE", "NAME"
    )?;
    for r in rules {
        let fix = if r.fixable && fixable(r) { "yes" } else { "no" };
        let default = if r.default_on { "on" } else { "off" };
        writeln!(
            out,
            "{:<code_width$}  {:<name_width$}  {fix:<3}  {default:<7}  {}  {}",
            r.code,
            r.name,
            r.all_groups().join(","),
            r.summary
        )?;
    }
    Ok(())
}

/// The text `py2to3 explain` prints for one rule: a header, its groups and default, then its
/// documentation. It says `Fixable: yes` when the spec is fixable and `fixable` is true.
pub fn explain_text(spec: &FixerSpec, fixable: bool) -> String {
    format!(
        "# {} ({})\n\n{}\n\nFixable: {}. Default: {}. Groups: {}.\n\n{}\n",
        spec.name,
        spec.code,
        spec.summary,
        if fixable && spec.fixable { "yes" } else { "no" },
        if spec.default_on { "on" } else { "off" },
        if spec.all_groups().is_empty() {
            "none".to_string()
        } else {
            spec.all_groups().join(", ")
        },
        doc_text(spec)
    )
}

/// Finds the rule `py2to3 explain` was asked about (code, case-insensitive, or name), or says
/// that no rule has that code.
pub fn find_rule(code_or_name: &str) -> Result<&'static FixerSpec, String> {
    let syntax_error = (SYNTAX_ERROR.code.eq_ignore_ascii_case(code_or_name)
        || SYNTAX_ERROR.name == code_or_name)
        .then_some(&SYNTAX_ERROR);
    syntax_error
        .or_else(|| registry::find(code_or_name))
        .ok_or_else(|| {
            format!("no rule has the code or name `{code_or_name}` (see `py2to3 rules`)")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::FixerKind;

    fn noop(_: &crate::fixers::TokenContext, _: &mut Vec<crate::engine::Diagnostic>) {}

    crate::declare_fixer! {
        /// ## What it does
        /// Rewrites `a <> b` as `a != b`.
        ///
        /// ## Example
        /// ```python
        /// a <> b
        /// ```
        NE = FixerSpec {
            code: "PY006",
            name: "ne-operator",
            summary: "`<>` is gone in Python 3",
            groups: &["2to3", "grammar"],
            default_on: true,
            kind: FixerKind::Tokens(noop)
        }
    }

    #[test]
    fn doc_text_strips_rustdoc_space() {
        assert_eq!(
            doc_text(&NE),
            "## What it does\nRewrites `a <> b` as `a != b`.\n\n## Example\n```python\na <> b\n```"
        );
    }

    #[test]
    fn table_and_explain() {
        let mut out = Vec::new();
        write_rules_table(&[&NE], &|_| true, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "CODE   NAME         FIX  DEFAULT  GROUPS  SUMMARY\n\
             PY006  ne-operator  yes  on       2to3,grammar  `<>` is gone in Python 3\n"
        );
        let text = explain_text(&NE, true);
        assert!(text.starts_with(
            "# ne-operator (PY006)\n\n`<>` is gone in Python 3\n\n\
             Fixable: yes. Default: on. Groups: 2to3, grammar.\n\n## What it does\n"
        ));
        assert!(find_rule("PY999").err().unwrap().contains("`PY999`"));
    }

    #[test]
    fn report_only_rules_print_no() {
        let report_only = FixerSpec {
            fixable: false,
            ..NE
        };
        let mut out = Vec::new();
        write_rules_table(&[&NE, &report_only], &|_| true, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let fix_column: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().nth(2).unwrap_or(""))
            .collect();
        assert_eq!(fix_column, ["yes", "no"]);
        assert!(explain_text(&report_only, true).contains("Fixable: no."));
        // The registry's lint-only rules print `no`.
        let coerce = find_rule("coerce-builtin").unwrap();
        assert!(!coerce.fixable);
        assert!(find_rule("print-statement").unwrap().fixable);
    }
}
