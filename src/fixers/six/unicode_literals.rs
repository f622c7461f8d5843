use rustpython_ast::Stmt;

use super::{is_first_statement, GROUPS};
use crate::declare_fixer;
use crate::engine::checker::Checker;
use crate::engine::spec::AstHooks;
use crate::engine::Fix;
use crate::fixers::FixerKind;

declare_fixer! {
    /// ## What it does
    /// Under `--target six`, and only when selected (`--extend-select six-unicode-literals`, or
    /// `extend-select = ["PY502"]` in `[tool.py2to3]`): adds `unicode_literals` to the module's
    /// `from __future__` imports, appended to the last `from __future__ import` line when there
    /// is one, else on a line of its own after the docstring.
    ///
    /// ## Why
    /// With it, Python 2 reads `'abc'` as the text Python 3 reads, so a module that handles text
    /// behaves the same on both during the migration. It is off by default because it changes
    /// the type of every plain literal of the file under Python 2: a literal meant as bytes
    /// (a `struct` format, a socket payload, a `hashlib` input, a `__slots__` or `__all__`
    /// entry for old libraries) needs a `b` prefix, and `str(x) == 'abc'` comparisons still hold
    /// but `type('abc') is str` does not. Select it for a module once its literals are known to
    /// be text.
    ///
    /// ## Example
    /// ```python
    /// from __future__ import print_function
    /// print('caf\u00e9')
    /// ```
    /// becomes, with `--target six --extend-select six-unicode-literals`
    /// ```python
    /// from __future__ import print_function, unicode_literals
    /// print('caf\u00e9')
    /// ```
    ///
    /// ## Limits
    /// Literals are not given `b` prefixes: which ones are bytes is for a person to say. Under the
    /// `py3` target this fixer does nothing (`future-imports` removes `from __future__` lines).
    pub SIX_UNICODE_LITERALS = FixerSpec {
        code: "PY502",
        name: "six-unicode-literals",
        summary: "--target six, when selected: from __future__ import unicode_literals",
        groups: GROUPS,
        default_on: false,
        kind: FixerKind::Ast(AstHooks { stmt: Some(check), expr: None, expr_kinds: 0, expr_relevant: None }),
    }
}

fn check(stmt: &Stmt, checker: &mut Checker) {
    if !checker.six()
        || !is_first_statement(checker, stmt)
        || checker.semantic().has_future("unicode_literals")
    {
        return;
    }
    let edit = checker.importer().future_features(&["unicode_literals"]);
    checker.report(
        &SIX_UNICODE_LITERALS,
        stmt,
        "`from __future__ import unicode_literals` was asked for (six-unicode-literals)",
        edit.map(|e| Fix::safe(vec![e])),
    );
}
