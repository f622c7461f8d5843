//! Token fixers for Python 2 only grammar: after them, the Python 3 parser can read the file.
//!
//! Each fixer reads the lossless tokens through [`statements::Code`] (significant tokens grouped
//! into statements) and returns diagnostics whose fixes edit only the bytes that must change.

use std::ops::Range;

use super::FixerSpec;
use crate::engine::{Diagnostic, Edit, Fix};
use crate::tokens::statements;
use crate::tokens::Token;

pub mod backticks;
pub mod bytes_non_ascii;
pub mod except_comma;
pub mod exec_statement;
pub mod keyword_names;
pub mod list_comp_tuple;
pub mod ne_operator;
pub mod number_literals;
pub mod print_statement;
pub mod raise_comma;
pub mod str_unicode_escapes;
pub mod tab_indent;
pub mod tuple_params;
pub mod unicode_raw_strings;
pub mod ws_comma;

/// The grammar fixers, in the order they run.
pub static FIXERS: &[&FixerSpec] = &[
    &print_statement::PRINT_STATEMENT,
    &exec_statement::EXEC_STATEMENT,
    &except_comma::EXCEPT_COMMA,
    &raise_comma::RAISE_COMMA,
    &backticks::BACKTICKS,
    &ne_operator::NE_OPERATOR,
    &number_literals::NUMBER_LITERALS,
    &unicode_raw_strings::UNICODE_RAW_STRINGS,
    &str_unicode_escapes::STR_UNICODE_ESCAPES,
    &tuple_params::TUPLE_PARAMS,
    &tab_indent::TAB_INDENT,
    &keyword_names::KEYWORD_NAMES,
    &bytes_non_ascii::BYTES_NON_ASCII,
    &list_comp_tuple::LIST_COMP_TUPLE,
    &ws_comma::WS_COMMA,
];

/// Every name in the file ([`statements::Code::names`]), owned: the names a fresh name must
/// not clash with. A segment of a big file cannot see the others' names: it is fixed whole
/// instead.
pub fn taken_names(code: &statements::Code) -> std::collections::HashSet<String> {
    crate::engine::segments::note(crate::engine::segments::Flag::NamesRead);
    code.names().into_iter().map(str::to_string).collect()
}

/// Whether the file has `from __future__ import <feature>` in any of its forms (parenthesised,
/// with `as`, among several names, on several lines).
pub fn has_future_import(text: &str, tokens: &[Token], feature: &str) -> bool {
    statements::has_future_import(&statements::Code::new(text, tokens), feature)
}

/// A diagnostic of `spec` over `span`, with a safe fix made of `edits` when given.
pub(crate) fn finding(
    spec: &FixerSpec,
    message: impl Into<String>,
    span: Range<usize>,
    edits: Option<Vec<Edit>>,
) -> Diagnostic {
    Diagnostic {
        code: spec.code,
        name: spec.name,
        message: message.into(),
        start: span.start,
        end: span.end,
        fix: edits.map(Fix::safe),
    }
}

/// Runs one fixer over `text`: (text of each finding's span, whether it has a fix).
#[cfg(test)]
pub(crate) fn findings_of(spec: &'static FixerSpec, text: &str) -> Vec<(String, bool)> {
    let tokens = crate::tokens::tokenize(text);
    let cx = crate::fixers::TokenContext::new(text, &tokens);
    let mut out = Vec::new();
    crate::engine::spec::run_token_fixers(&cx, &[spec], &mut out);
    out.iter()
        .map(|d| (text[d.start..d.end].to_string(), d.fix.is_some()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported_only(spec: &'static FixerSpec, text: &str) {
        let found = findings_of(spec, text);
        assert!(
            !found.is_empty() && found.iter().all(|(_, fix)| !fix),
            "{text:?}: {found:?}"
        );
    }

    #[test]
    fn invalid_python2_is_reported_without_fix() {
        reported_only(&print_statement::PRINT_STATEMENT, "print >>\n");
        reported_only(&print_statement::PRINT_STATEMENT, "print >>f,, x\n");
        reported_only(&print_statement::PRINT_STATEMENT, "print a,,b\n");
        reported_only(&exec_statement::EXEC_STATEMENT, "exec code in\n");
        reported_only(&exec_statement::EXEC_STATEMENT, "exec code in a, b, c\n");
        reported_only(&raise_comma::RAISE_COMMA, "raise E, V, T, X\n");
        reported_only(&raise_comma::RAISE_COMMA, "raise 'old'\n");
        reported_only(&bytes_non_ascii::BYTES_NON_ASCII, "x = br'\u{e9}'\n");
        reported_only(&keyword_names::KEYWORD_NAMES, "x.async = 1\nasync = 2\n");
    }

    fn future(text: &str) -> bool {
        let tokens = crate::tokens::tokenize(text);
        has_future_import(text, &tokens, "print_function")
    }

    #[test]
    fn future_import_forms() {
        assert!(future("from __future__ import print_function\n"));
        assert!(future(
            "'''doc'''\nfrom __future__ import (division,\n    print_function)\n"
        ));
        assert!(future(
            "from __future__ import print_function as pf, division\n"
        ));
        assert!(future("from __future__ import division, print_function"));
        assert!(!future("from __future__ import division\n"));
        assert!(!future(
            "from __future__ import division as print_function\n"
        ));
        assert!(!future("from future import print_function\n"));
        assert!(!future("# from __future__ import print_function\n"));
    }
}
