//! The per-file pipeline: tokens -> grammar fixers -> parse -> AST fixers -> edits, repeated until
//! nothing changes; and the report-mode variant that returns findings in original coordinates.
//!
//! Safety net: a changed result is returned only when it parses as Python 3 and passes the checks
//! CPython's compiler makes after parsing ([`compile_check`]: `True = 1`, `import *` in a
//! function, `return` outside one...); otherwise the caller gets a [`PipelineError`] with the
//! reason and the position (in the original text), and leaves the file untouched.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use rustpython_parser::ast;

use super::apply::{apply_fixes, OffsetMap};
use super::parse::ParseFailure;
use super::{checker, compile_check, verify, Applicability, Diagnostic};
use crate::config::Target;
use crate::fixers::imports::relative_import;
use crate::fixers::{self, FixerSpec, TokenContext};
use crate::tokens::{self, Token, TokenKind};

/// What the pipeline runs with.
#[derive(Clone)]
pub struct Settings {
    /// The fixers that run, in registry order.
    pub enabled: Vec<&'static FixerSpec>,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Rounds before giving up on convergence.
    pub max_rounds: usize,
    /// Always re-parse and re-check the whole text after a round of AST fixes, instead of
    /// proving the edited statements parse (see [`super::verify`]). For tests that compare both.
    pub full_rounds: bool,
    /// What the fixed code must run on: Python 3 only, or Python 2.7 and 3 through `six`.
    /// Fixers read it through [`TokenContext::target`] and [`checker::Checker::target`].
    pub target: Target,
}

impl Settings {
    /// Runs the given fixers with safe fixes only and the default round limit.
    pub fn new(enabled: Vec<&'static FixerSpec>) -> Self {
        Settings {
            enabled,
            unsafe_fixes: false,
            max_rounds: 10,
            full_rounds: false,
            target: Target::Py3,
        }
    }

    fn min_applicability(&self) -> Applicability {
        if self.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }
}

/// Why a file could not be fixed or checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineError {
    pub message: String,
    /// Byte offset in the ORIGINAL text, when known.
    pub offset: Option<usize>,
}

impl PipelineError {
    fn new(message: impl Into<String>, offset: Option<usize>) -> Self {
        PipelineError {
            message: message.into(),
            offset,
        }
    }
}

/// The outcome of fixing one text.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (equal to the input when nothing changed).
    pub text: String,
    /// Fixes applied over all rounds.
    pub fixes: usize,
    /// Findings that had no applicable fix, from the first round (original coordinates).
    pub unfixed: Vec<Diagnostic>,
}

/// CPython's tokenizer rejects deeper bracket nesting (MAXLEVEL).
const MAX_BRACKET_DEPTH: usize = 200;
/// CPython's tokenizer rejects deeper indentation (MAXINDENT).
const MAX_INDENT_DEPTH: usize = 100;

/// Fixes `text` until nothing changes. Never panics: a panic inside a parser or a fixer becomes an
/// error. Call it on a thread with a large stack (the driver does).
pub fn fix_text(text: &str, settings: &Settings) -> Result<FixOutcome, PipelineError> {
    fix_text_at(text, settings, None)
}

/// [`fix_text`] for the text of the file at `path` (fixers may look next to it on disk).
pub fn fix_text_at(
    text: &str,
    settings: &Settings,
    path: Option<&Path>,
) -> Result<FixOutcome, PipelineError> {
    let outcome = guarded(|| fix_text_inner(text, settings, path))?;
    keeps_the_header(text, &outcome.text)?;
    Ok(outcome)
}

/// A fix must not move the `#!` line off the first line, nor the PEP 263 coding line out of
/// the first two (the file would be read as UTF-8, or not run as a script).
fn keeps_the_header(original: &str, fixed: &str) -> Result<(), PipelineError> {
    let first_line = |t: &str| t.split_inclusive('\n').next().unwrap_or("").to_string();
    let moved = if original.starts_with("#!") && first_line(original) != first_line(fixed) {
        Some("the `#!` line")
    } else if crate::source::coding_cookie(original.as_bytes())
        != crate::source::coding_cookie(fixed.as_bytes())
    {
        Some("the coding declaration")
    } else {
        None
    };
    match moved {
        Some(what) => Err(PipelineError::new(
            format!("a fix would move {what} down (a bug in py2to3, please report)"),
            Some(0),
        )),
        None => Ok(()),
    }
}

/// Reports every finding in `text`, at byte ranges of `text` itself.
pub fn check_text(text: &str, settings: &Settings) -> Result<Vec<Diagnostic>, PipelineError> {
    check_text_at(text, settings, None)
}

/// [`check_text`] for the text of the file at `path` (fixers may look next to it on disk).
pub fn check_text_at(
    text: &str,
    settings: &Settings,
    path: Option<&Path>,
) -> Result<Vec<Diagnostic>, PipelineError> {
    guarded(|| check_text_inner(text, settings, path))
}

fn guarded<T>(f: impl FnOnce() -> Result<T, PipelineError>) -> Result<T, PipelineError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(PipelineError::new(
                format!("internal error (a bug in py2to3, please report): {what}"),
                None,
            ))
        }
    }
}

fn fix_text_inner(
    original: &str,
    settings: &Settings,
    path: Option<&Path>,
) -> Result<FixOutcome, PipelineError> {
    check_size(original)?;
    let directives = super::noqa::may_have_directives(original);
    let min = settings.min_applicability();
    let mut current = original.to_string();
    let mut fixes = 0;
    let mut unfixed = Vec::new();
    // Edits of each round, to map positions of later rounds back to the original.
    let mut history: Vec<OffsetMap> = Vec::new();

    // Grammar (token) rounds: one, plus one more for each round that had to leave out a fix
    // overlapping another. Token fixers never create work for each other without overlapping it.
    let mut rounds = 0;
    // The tokens of `current` while no fix has changed it since they were made.
    let mut current_tokens: Option<Vec<Token>>;
    loop {
        let (mut token_diags, tokens) = run_token_fixers(&current, settings, rounds == 0)?;
        if directives {
            drop_suppressed(&current, &mut token_diags);
        }
        if rounds == 0 {
            unfixed.extend(token_diags.iter().filter(|d| !has_fix(d, min)).cloned());
        }
        let applied = apply_fixes(&current, &token_diags, min);
        rounds += 1;
        if applied.fixes > 0 {
            fixes += applied.fixes;
            current = applied.text;
            history.push(OffsetMap::new(&applied.edits));
            current_tokens = None;
        } else {
            current_tokens = Some(tokens);
        }
        if applied.skipped == 0 {
            break;
        }
        if rounds >= settings.max_rounds {
            return Err(not_converged(settings));
        }
    }

    // AST rounds: parse, fix, re-parse until nothing changes. The last parse is the safety net:
    // what is returned parses as Python 3. AST fixers write Python 3, so the grammar fixers do not
    // run again.
    let mut first_ast_round = true;
    // After the first round, the fixers that read only what the author wrote are left out.
    let later_rounds: Vec<&'static FixerSpec> = settings
        .enabled
        .iter()
        .copied()
        .filter(|spec| !reads_only_the_original(spec))
        .collect();
    while rounds < settings.max_rounds {
        let parsed = match current_tokens.take() {
            Some(tokens) => super::parse::parse_module_with(&current, &tokens),
            None => parse(&current),
        };
        let suite = parsed.map_err(|e| {
            let offset = e.offset.map(|o| map_back_all(&history, o));
            let mut message = e.message;
            if let Some(d) = unfixed.first() {
                message.push_str(&format!(" (left unfixed: {} {})", d.code, d.message));
            }
            PipelineError::new(message, offset)
        })?;
        let enabled = if first_ast_round {
            &settings.enabled
        } else {
            &later_rounds
        };
        let mut ast_diags =
            checker::check_module_for(&current, &suite, enabled, path, settings.target);
        if directives {
            drop_suppressed(&current, &mut ast_diags);
        }
        let applied = apply_fixes(&current, &ast_diags, min);
        let enables_more = ast_diags
            .iter()
            .any(|d| has_fix(d, min) && d.fix.as_ref().is_some_and(|f| f.cascades));
        if first_ast_round {
            first_ast_round = false;
            for mut d in ast_diags.into_iter().filter(|d| !has_fix(d, min)) {
                d.start = map_back_all(&history, d.start);
                d.end = map_back_all(&history, d.end).max(d.start);
                unfixed.push(d);
            }
        }
        if applied.fixes == 0 {
            let outcome = FixOutcome {
                text: current,
                fixes,
                unfixed,
            };
            return finish(original, outcome, Some(suite), &history, settings, path);
        }
        fixes += applied.fixes;
        // Done without another full parse when nothing was left out for overlap, no applied fix
        // is marked as creating work for another fixer (`Fix::cascades`), and the edited statements parse on
        // their own: the text parses, and the next round would find nothing.
        // Under `--target six` a round may add an import that needs a `__future__` line
        // (six-future-imports reads the module as a whole): always a full round more.
        let full = settings.full_rounds || settings.target == Target::Six;
        let proof = (!full && applied.skipped == 0 && !enables_more)
            .then(|| verify::edited_statements(&current, &suite, &applied.text, &applied.edits))
            .flatten();
        // The compile check of the new text, from the old tree and the edited statements.
        let verdict = proof
            .as_ref()
            .map(|chunks| compile_check::check_edited(&current, &suite, chunks));
        drop(suite);
        current = applied.text;
        history.push(OffsetMap::new(&applied.edits));
        if let Some(verdict) = verdict {
            let outcome = FixOutcome {
                text: current,
                fixes,
                unfixed,
            };
            return match verdict {
                compile_check::Verdict::Compiles
                    if !may_need_marker(&outcome.text, settings, path) =>
                {
                    Ok(outcome)
                }
                compile_check::Verdict::Compiles => {
                    finish(original, outcome, None, &history, settings, path)
                }
                compile_check::Verdict::Rejected(rejection) => {
                    Err(not_compiled(&outcome, rejection, &history))
                }
                compile_check::Verdict::Unknown => {
                    finish(original, outcome, None, &history, settings, path)
                }
            };
        }
        rounds += 1;
    }
    Err(not_converged(settings))
}

/// The last step of a fix: a changed text must be one CPython 3 compiles, not only parses
/// ([`compile_check`]); `suite` is its tree when the last round parsed it. Then the
/// `absolute_import` marker, when an import the fix wrote would read as an implicit relative
/// import on the next run (see [`relative_import::absolute_import_marker`]).
fn finish(
    original: &str,
    mut outcome: FixOutcome,
    suite: Option<Vec<ast::Stmt>>,
    history: &[OffsetMap],
    settings: &Settings,
    path: Option<&Path>,
) -> Result<FixOutcome, PipelineError> {
    if outcome.text == original {
        return Ok(outcome);
    }
    let suite = match suite {
        Some(suite) => suite,
        None => parse(&outcome.text).map_err(|e| {
            let offset = e.offset.map(|o| map_back_all(history, o));
            PipelineError::new(e.message, offset)
        })?,
    };
    if let Err(rejection) = compile_check::check(&outcome.text, &suite) {
        return Err(not_compiled(&outcome, rejection, history));
    }
    let marker = path
        .filter(|_| may_need_marker(&outcome.text, settings, path))
        .and_then(|path| relative_import::absolute_import_marker(&outcome.text, &suite, path));
    if let Some(edit) = marker {
        outcome.text.insert_str(edit.start, &edit.content);
        outcome.fixes += 1;
    }
    Ok(outcome)
}

/// The fixers that read only what the author wrote, in the first round of AST fixes: never the
/// code other fixes write.
fn reads_only_the_original(spec: &FixerSpec) -> bool {
    spec.code == relative_import::RELATIVE_IMPORT.code
}

/// Whether the fixed `text` of the file at `path` may need the `absolute_import` marker: the
/// relative-import rule runs and the text may import a module named like a sibling.
fn may_need_marker(text: &str, settings: &Settings, path: Option<&Path>) -> bool {
    path.is_some_and(|path| {
        settings.enabled.iter().any(|s| reads_only_the_original(s))
            && relative_import::may_import_a_sibling(text, path)
    })
}

/// The error for a result CPython would not compile (`rejection` at an offset of the result).
fn not_compiled(
    outcome: &FixOutcome,
    rejection: compile_check::Rejection,
    history: &[OffsetMap],
) -> PipelineError {
    let mut message = format!(
        "Python 3 would not compile the result: {}",
        rejection.message
    );
    if let Some(d) = outcome.unfixed.first() {
        message.push_str(&format!(" (left unfixed: {} {})", d.code, d.message));
    }
    PipelineError::new(message, Some(map_back_all(history, rejection.offset)))
}

/// `fix` leaves alone what a `# noqa` comment suppresses (and a `# py2to3: skip-file` file).
/// Called only when the original text may hold a directive (fixes never write one).
fn drop_suppressed(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    if !diagnostics.is_empty() {
        super::noqa::retain_unsuppressed(text, &tokens::tokenize(text), diagnostics);
    }
}

fn not_converged(settings: &Settings) -> PipelineError {
    PipelineError::new(
        format!(
            "fixes did not converge after {} rounds (a bug in py2to3, please report)",
            settings.max_rounds
        ),
        None,
    )
}

fn check_text_inner(
    original: &str,
    settings: &Settings,
    path: Option<&Path>,
) -> Result<Vec<Diagnostic>, PipelineError> {
    check_size(original)?;
    let (mut findings, tokens) = run_token_fixers(original, settings, true)?;
    // Apply the grammar fixes so that the AST fixers can see the rest: more rounds only while
    // overlapping fixes were left out. Python 3 code has none, and its tokens serve the parse.
    let mut current = original.to_string();
    let mut current_tokens = Some(tokens);
    let mut history: Vec<OffsetMap> = Vec::new();
    let mut diags = findings.clone();
    for _ in 0..settings.max_rounds {
        let applied = apply_fixes(&current, &diags, Applicability::DisplayOnly);
        if applied.fixes > 0 {
            current = applied.text;
            history.push(OffsetMap::new(&applied.edits));
            current_tokens = None;
        }
        if applied.skipped == 0 {
            break;
        }
        let (next, tokens) = run_token_fixers(&current, settings, false)?;
        diags = next;
        current_tokens = Some(tokens);
    }
    let parsed = match current_tokens.take() {
        Some(tokens) => super::parse::parse_module_with(&current, &tokens),
        None => parse(&current),
    };
    let suite = parsed.map_err(|e| {
        let offset = e.offset.map(|o| map_back_all(&history, o));
        PipelineError::new(e.message, offset)
    })?;
    let ast_diags =
        checker::check_module_for(&current, &suite, &settings.enabled, path, settings.target);

    for mut d in ast_diags {
        let start = map_back_all(&history, d.start);
        let end = map_back_all(&history, d.end).max(start);
        if !history.is_empty() {
            // The fix was computed on the grammar-fixed text: it does not apply to the original.
            d.fix = d.fix.map(|mut f| {
                f.edits.clear();
                f
            });
        }
        d.start = start;
        d.end = end;
        findings.push(d);
    }
    findings.sort_by_key(|d| (d.start, d.end));
    findings.dedup_by(|a, b| a.code == b.code && a.start == b.start && a.end == b.end);
    Ok(findings)
}

fn has_fix(d: &Diagnostic, min: Applicability) -> bool {
    d.fix
        .as_ref()
        .is_some_and(|f| f.applicability >= min && !f.edits.is_empty())
}

fn map_back_all(history: &[OffsetMap], mut offset: usize) -> usize {
    for map in history.iter().rev() {
        offset = map.map_back(offset);
    }
    offset
}

fn check_size(text: &str) -> Result<(), PipelineError> {
    if text.len() >= u32::MAX as usize {
        return Err(PipelineError::new("file larger than 4 GiB", None));
    }
    Ok(())
}

/// The token fixers' findings on `text`, with its tokens (the parse reuses them when no fix
/// changes the text).
fn run_token_fixers(
    text: &str,
    settings: &Settings,
    first_round: bool,
) -> Result<(Vec<Diagnostic>, Vec<Token>), PipelineError> {
    let tokens = tokens::tokenize(text);
    check_nesting(text, &tokens)?;
    check_indentation(text, &tokens)?;
    let mut cx = TokenContext::new(text, &tokens);
    cx.first_round = first_round;
    cx.target = settings.target;
    let mut out = Vec::new();
    fixers::run_token_fixers(&cx, &settings.enabled, &mut out);
    drop(cx);
    Ok((out, tokens))
}

/// Rejects what CPython's tokenizer rejects before deep recursion can hurt us.
fn check_nesting(text: &str, tokens: &[Token]) -> Result<(), PipelineError> {
    let mut depth = 0usize;
    for t in tokens {
        if t.kind == TokenKind::Op {
            match t.text(text) {
                "(" | "[" | "{" => {
                    depth += 1;
                    if depth > MAX_BRACKET_DEPTH {
                        return Err(PipelineError::new(
                            format!("brackets nested deeper than {MAX_BRACKET_DEPTH} (Python 3 rejects this file: too many nested parentheses)"),
                            Some(t.start()),
                        ));
                    }
                }
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(())
}

/// Rejects what CPython's tokenizer rejects (too deep indentation) before recursion can hurt us.
fn check_indentation(text: &str, tokens: &[Token]) -> Result<(), PipelineError> {
    let mut indents: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut line_start = true;
    let mut width = 0;
    for t in tokens {
        match t.kind {
            TokenKind::Newline => line_start = true,
            TokenKind::Nl if depth == 0 => line_start = true,
            TokenKind::Whitespace if line_start => width = t.text(text).len(),
            TokenKind::Whitespace
            | TokenKind::Nl
            | TokenKind::Comment
            | TokenKind::Continuation => {}
            _ => {
                if line_start && depth == 0 {
                    while indents.last().is_some_and(|&w| w > width) {
                        indents.pop();
                    }
                    if indents.last().is_none_or(|&w| w < width) {
                        indents.push(width);
                        if indents.len() > MAX_INDENT_DEPTH {
                            return Err(PipelineError::new(
                                format!("indentation nested deeper than {MAX_INDENT_DEPTH} levels (Python 3 rejects this file: too many levels of indentation)"),
                                Some(t.start()),
                            ));
                        }
                    }
                }
                line_start = false;
                width = 0;
                if t.kind == TokenKind::Op {
                    match t.text(text) {
                        "(" | "[" | "{" => depth += 1,
                        ")" | "]" | "}" => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
            }
        }
    }
    Ok(())
}

fn parse(text: &str) -> Result<Vec<ast::Stmt>, ParseFailure> {
    super::parse::parse_module(text)
}
