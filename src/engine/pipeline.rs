//! The per-file pipeline: tokens -> grammar fixers -> parse -> AST fixers -> edits, repeated until
//! nothing changes; and the report-mode variant that returns findings in original coordinates.
//!
//! Safety net: a changed result is returned only when it parses as Python 3 and passes the checks
//! CPython's compiler makes after parsing ([`compile_check`]: `True = 1`, `import *` in a
//! function, `return` outside one...); otherwise the caller gets a [`PipelineError`] with the
//! reason and the position (in the original text), and leaves the file untouched.
//!
//! A partial selection (`--select PY101`) on a file that still holds other Python 2 syntax
//! (`print x` with print-statement left out) is read with the help of the grammar fixers it
//! leaves out ([`Settings::helpers`]): they make the Python 3 reading the AST fixers need, and
//! their own edits are never written. Only the selected fixers' edits that fall outside every
//! helper edit are applied to the file. The safety net then compares like with like: the result
//! must read as the input did (through the same helpers, as Python 3), and it must compile when
//! the input's reading did; see [`fix_python2`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use rustpython_parser::ast;

use super::apply::{apply_fixes, edits_well_formed, OffsetMap};
use super::checker::FileFacts;
use super::segments::{self, Fact, Phase};
use super::spec::{FinishHook, FixerKind, FixerSpec, Target, TokenContext};
use super::{checker, compile_check, verify, Applicability, Diagnostic};
use crate::syntax::parse::ParseFailure;
use crate::tokens::{self, Token, TokenKind};

/// What the pipeline runs with.
#[derive(Clone)]
pub struct Settings {
    /// Every fixer there is (the catalogue, `crate::fixers::registry::all()`), in the order
    /// they run: the partial-selection helpers are taken from it.
    pub catalogue: &'static [&'static FixerSpec],
    /// The fixers that run, in catalogue order.
    pub enabled: Vec<&'static FixerSpec>,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Rounds before giving up on convergence.
    pub max_rounds: usize,
    /// Always re-parse and re-check the whole text after a round of AST fixes, instead of
    /// proving the edited statements parse (see [`super::verify`]). For tests that compare both.
    pub full_rounds: bool,
    /// Read a Python 2 file with the grammar fixers the selection leaves out
    /// ([`Settings::helpers`]) when it does not parse as Python 3 without them.
    pub read_python2: bool,
    /// What sits next to each file (the run layer's folder listings), for the fixers that ask
    /// (relative-import, module renames); `None`: they take no folder into account.
    pub folders: Option<std::sync::Arc<dyn super::folders::Folders>>,
    /// What the fixed code must run on: Python 3 only, or Python 2.7 and 3 through `six`.
    /// Fixers read it through [`TokenContext::target`] and [`checker::Checker::target`].
    pub target: Target,
    /// Fix files of at least this many bytes in segments ([`super::segments`]); `None`: the
    /// `PY2TO3_SEGMENT_BYTES` environment variable, else 4 MiB.
    pub segment_bytes: Option<usize>,
}

impl Settings {
    /// Runs the `enabled` fixers of `catalogue` with safe fixes only and the default round
    /// limit.
    pub fn new(catalogue: &'static [&'static FixerSpec], enabled: Vec<&'static FixerSpec>) -> Self {
        Settings {
            catalogue,
            enabled,
            folders: None,
            unsafe_fixes: false,
            max_rounds: 10,
            full_rounds: false,
            read_python2: true,
            target: Target::Py3,
            segment_bytes: None,
        }
    }

    /// These settings with the folder facts of `folders` (see [`Settings::folders`]).
    pub fn with_folders(mut self, folders: std::sync::Arc<dyn super::folders::Folders>) -> Self {
        self.folders = Some(folders);
        self
    }

    /// The default grammar fixers (token fixers) the selection leaves out: needed to read
    /// Python 2 code as Python 3, never written. Empty for a full selection, or when
    /// [`Settings::read_python2`] is off.
    pub fn helpers(&self) -> Vec<&'static FixerSpec> {
        if !self.read_python2 {
            return Vec::new();
        }
        self.catalogue
            .iter()
            .copied()
            .filter(|spec| {
                spec.default_on
                    && spec.groups.contains(&"grammar")
                    && matches!(spec.kind, FixerKind::Tokens(_))
                    && !self.is_enabled(spec)
            })
            .collect()
    }

    /// What the AST fixers learn about the file at `path` (see [`FileFacts`]).
    fn file_facts<'a>(&'a self, path: Option<&'a Path>, python2_original: bool) -> FileFacts<'a> {
        FileFacts {
            path,
            folders: self.folders.as_deref(),
            target: self.target,
            python2_original,
        }
    }

    /// Whether `spec` is one of the selected fixers.
    pub fn is_enabled(&self, spec: &FixerSpec) -> bool {
        self.enabled.iter().any(|s| s.code == spec.code)
    }

    /// The selected fixers and the helpers, in registry order: what reads a Python 2 file.
    fn readers(&self, helpers: &[&'static FixerSpec]) -> Vec<&'static FixerSpec> {
        self.catalogue
            .iter()
            .copied()
            .filter(|spec| self.is_enabled(spec) || helpers.iter().any(|h| h.code == spec.code))
            .collect()
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

pub(super) fn fix_text_inner(
    original: &str,
    settings: &Settings,
    path: Option<&Path>,
) -> Result<FixOutcome, PipelineError> {
    check_size(original)?;
    if let Some(outcome) = segments::fix(original, settings, path) {
        return Ok(outcome);
    }
    let helpers = settings.helpers();
    if !helpers.is_empty() && needs_helpers(original)? {
        return fix_python2(original, settings, &helpers, path);
    }
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
    let mut python2_original = false;
    // The tokens of `current` while no fix has changed it since they were made.
    let mut current_tokens: Option<Vec<Token>>;
    loop {
        let (mut token_diags, tokens) = run_token_fixers(&current, settings, rounds == 0)?;
        if directives {
            drop_suppressed(&current, &mut token_diags);
        }
        if rounds == 0 {
            unfixed.extend(
                token_diags
                    .iter()
                    .filter(|d| !has_fix(d, min))
                    .map(left_unfixed),
            );
            python2_original =
                segments::file_fact(Fact::Python2Original, shows_python2_grammar(&token_diags));
        }
        let applied = apply_fixes(&current, &token_diags, min);
        rounds += 1;
        if applied.fixes > 0 {
            fixes += applied.fixes;
            segments::applied(Phase::Tokens, &applied.edits);
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
            Some(tokens) => crate::syntax::parse::parse_module_with(&current, &tokens),
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
        let facts = settings.file_facts(
            path,
            python2_original
                && (first_ast_round
                    // Under six, xrange becomes `six.moves.range`: every bare `range` call is
                    // still the author's in later rounds.
                    || settings.target == Target::Six
                    || !segments::file_fact(Fact::ConvertsXrange, converts_xrange(original))),
        );
        let mut ast_diags = checker::check_module_with(&current, &suite, enabled, facts);
        if directives {
            drop_suppressed(&current, &mut ast_diags);
        }
        let applied = apply_fixes(&current, &ast_diags, min);
        let enables_more = ast_diags
            .iter()
            .any(|d| has_fix(d, min) && d.fix.as_ref().is_some_and(|f| f.cascades));
        if first_ast_round {
            first_ast_round = false;
            for mut d in ast_diags
                .iter()
                .filter(|d| !has_fix(d, min))
                .map(left_unfixed)
            {
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
        segments::applied(Phase::Ast, &applied.edits);
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
/// import on the next run ([`FixerSpec::finish`]).
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
    if let (Some(path), Some(folders)) = (path, settings.folders.as_deref()) {
        for hook in finish_hooks(settings) {
            if !(hook.may_apply)(&outcome.text, path, folders) {
                continue;
            }
            if let Some(edit) = (hook.edit)(&outcome.text, &suite, path, folders) {
                segments::applied(Phase::Marker, std::slice::from_ref(&edit));
                outcome
                    .text
                    .replace_range(edit.start..edit.end, &edit.content);
                outcome.fixes += 1;
                // The tree no longer matches the text: one last edit only.
                break;
            }
        }
    }
    Ok(outcome)
}

/// The fixers that read only what the author wrote, in the first round of AST fixes: never the
/// code other fixes write.
fn reads_only_the_original(spec: &FixerSpec) -> bool {
    spec.first_round_only
}

/// The enabled fixers' last edits on a whole fixed file ([`FixerSpec::finish`]).
fn finish_hooks(settings: &Settings) -> impl Iterator<Item = FinishHook> + '_ {
    settings.enabled.iter().filter_map(|spec| spec.finish)
}

/// Whether the fixed `text` of the file at `path` may need a finishing edit (e.g. the
/// relative-import rule runs and the text may import a module named like a sibling).
fn may_need_marker(text: &str, settings: &Settings, path: Option<&Path>) -> bool {
    let (Some(path), Some(folders)) = (path, settings.folders.as_deref()) else {
        return false;
    };
    finish_hooks(settings).any(|hook| (hook.may_apply)(text, path, folders))
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
    // The grammar fixers the selection leaves out help read the file; their findings are
    // not reported.
    let helpers = settings.helpers();
    let readers = if helpers.is_empty() {
        settings.enabled.clone()
    } else {
        settings.readers(&helpers)
    };
    let reading = read_python3(original, &readers, settings)?;
    let facts = settings.file_facts(path, shows_python2_grammar(&reading.findings));
    let mut findings = reading.findings;
    if !helpers.is_empty() {
        findings.retain(|d| settings.enabled.iter().any(|s| s.code == d.code));
    }
    let ast_diags =
        checker::check_module_with(&reading.text, &reading.suite, &settings.enabled, facts);
    for mut d in ast_diags {
        let start = map_back_all(&reading.maps, d.start);
        let end = map_back_all(&reading.maps, d.end).max(start);
        if let Some(fix) = &mut d.fix {
            // The fix was computed on the grammar-fixed text: it applies to the original only
            // when no grammar fix wrote into its edits.
            match map_edits_back(&reading.maps, &fix.edits) {
                Some(edits) => fix.edits = edits,
                None => fix.edits.clear(),
            }
        }
        d.start = start;
        d.end = end;
        findings.push(d);
    }
    findings.sort_by_key(|d| (d.start, d.end));
    findings.dedup_by(|a, b| a.code == b.code && a.start == b.start && a.end == b.end);
    Ok(findings)
}

/// The grammar fixers whose findings show Python-2-only syntax (not style: `ws-comma` and
/// `tab-indent` fire on Python 3 code too).
const PYTHON2_GRAMMAR: &[&str] = &[
    "PY001", "PY002", "PY003", "PY004", "PY005", "PY006", "PY007", "PY008", "PY009", "PY013",
];

/// Whether the file may have `xrange` calls a round turns into `range`: then only the first
/// round's `range(...)` calls are all the author's Python 2 lists (a fix left out of the first
/// round for overlapping another, or written by it, runs in a later one).
fn converts_xrange(original: &str) -> bool {
    original.contains("xrange")
}

/// Whether the first round's token findings show Python-2-only grammar with a fix: the file is
/// the author's Python 2 code (see [`FileFacts::python2_original`]).
fn shows_python2_grammar(token_diags: &[Diagnostic]) -> bool {
    token_diags.iter().any(|d| {
        PYTHON2_GRAMMAR.contains(&d.code) && d.fix.as_ref().is_some_and(|f| !f.edits.is_empty())
    })
}

/// A text read as Python 3: the grammar fixers' edits applied (never written), and its tree.
struct Reading {
    /// The text with the grammar fixes applied.
    text: String,
    /// Its tree.
    suite: Vec<ast::Stmt>,
    /// The token fixers' findings on the input, at its own offsets.
    findings: Vec<Diagnostic>,
    /// The edits of each grammar round, to map offsets of [`Reading::text`] back to the input.
    maps: Vec<OffsetMap>,
}

/// Reads `text` as Python 3 with the token fixers of `readers`: their fixes (any applicability)
/// are applied, one more round only while overlapping fixes were left out, then the result is
/// parsed. A parse error is placed in `text`.
fn read_python3(
    text: &str,
    readers: &[&'static FixerSpec],
    settings: &Settings,
) -> Result<Reading, PipelineError> {
    let target = settings.target;
    let (findings, tokens) = token_findings(text, readers, true, target)?;
    let mut current = text.to_string();
    // Python 3 code has no grammar fixes, and its tokens serve the parse.
    let mut current_tokens = Some(tokens);
    let mut maps: Vec<OffsetMap> = Vec::new();
    let mut applied = apply_fixes(&current, &findings, Applicability::DisplayOnly);
    for _ in 0..settings.max_rounds {
        if applied.fixes > 0 {
            current = applied.text;
            maps.push(OffsetMap::new(&applied.edits));
            current_tokens = None;
        }
        if applied.skipped == 0 {
            break;
        }
        let (next, tokens) = token_findings(&current, readers, false, target)?;
        current_tokens = Some(tokens);
        applied = apply_fixes(&current, &next, Applicability::DisplayOnly);
    }
    let parsed = match current_tokens.take() {
        Some(tokens) => crate::syntax::parse::parse_module_with(&current, &tokens),
        None => parse(&current),
    };
    let suite = parsed.map_err(|e| {
        let offset = e.offset.map(|o| map_back_all(&maps, o));
        PipelineError::new(e.message, offset)
    })?;
    Ok(Reading {
        text: current,
        suite,
        findings,
        maps,
    })
}

/// Whether the file needs the helpers to be read: it does not parse as Python 3 as it is (a
/// Python 2 file, to be kept one).
fn needs_helpers(text: &str) -> Result<bool, PipelineError> {
    let tokens = tokens::tokenize(text);
    check_nesting(text, &tokens)?;
    check_indentation(text, &tokens)?;
    Ok(crate::syntax::parse::parse_module_with(text, &tokens).is_err())
}

/// `fix` with a partial selection on a file only the helpers (the grammar fixers the selection
/// leaves out) make readable as Python 3.
///
/// Each round reads the current text through the selected fixers and the helpers, keeps the
/// selected token fixers' findings (at the text's own offsets) and the selected AST fixers'
/// findings mapped back from the reading: a fix whose edits touch text a helper wrote is left
/// for the run that selects that helper (it would write that helper's change too). The fixes
/// are applied to the text itself, and the rounds go on until none is left. The last round's
/// reading is the safety net: the result reads as the input did, and it compiles (CPython's
/// checks after parsing, on the reading) whenever the input's reading did.
///
/// A file that stays Python 2 (it does not parse as Python 3 after the fixes) stays readable by
/// Python 2: when print-statement rewrote a `print` statement, the result gets
/// `from __future__ import print_function` (Python 2 reads `print(x, file=f)` only with it, and
/// prints `print(a, b)` as a tuple without it). That line is the one difference between fixing
/// one fixer at a time and one full run.
fn fix_python2(
    original: &str,
    settings: &Settings,
    helpers: &[&'static FixerSpec],
    path: Option<&Path>,
) -> Result<FixOutcome, PipelineError> {
    let readers = settings.readers(helpers);
    let directives = super::noqa::may_have_directives(original);
    let min = settings.min_applicability();
    // After the first round, the fixers that read only what the author wrote are left out.
    let later_rounds: Vec<&'static FixerSpec> = settings
        .enabled
        .iter()
        .copied()
        .filter(|spec| !reads_only_the_original(spec))
        .collect();
    let mut current = original.to_string();
    let mut history: Vec<OffsetMap> = Vec::new();
    let mut fixes = 0;
    let mut unfixed = Vec::new();
    let mut input_compiles = false;
    // Whether print-statement rewrote a statement.
    let mut prints = false;
    for round in 0..settings.max_rounds {
        let reading = read_python3(&current, &readers, settings).map_err(|e| {
            let offset = e.offset.map(|o| map_back_all(&history, o));
            let message = if round == 0 {
                e.message
            } else {
                format!(
                    "a fix would leave a file that no longer reads as Python 2: {}",
                    e.message
                )
            };
            PipelineError::new(message, offset)
        })?;
        if round == 0 {
            input_compiles = compile_check::check(&reading.text, &reading.suite).is_ok();
        }
        let mut selected: Vec<Diagnostic> = reading
            .findings
            .iter()
            .filter(|d| settings.enabled.iter().any(|s| s.code == d.code))
            .cloned()
            .collect();
        let enabled = if round == 0 {
            &settings.enabled
        } else {
            &later_rounds
        };
        let facts = settings.file_facts(
            path,
            (round == 0 || !converts_xrange(original)) && shows_python2_grammar(&reading.findings),
        );
        for mut d in checker::check_module_with(&reading.text, &reading.suite, enabled, facts) {
            if let Some(fix) = &mut d.fix {
                match map_edits_back(&reading.maps, &fix.edits) {
                    Some(edits) => fix.edits = edits,
                    // Another fixer's edit is in the way: its own run comes first.
                    None if has_fix(&d, min) => continue,
                    None => {}
                }
            }
            d.start = map_back_all(&reading.maps, d.start);
            d.end = map_back_all(&reading.maps, d.end).max(d.start);
            selected.push(d);
        }
        if directives {
            drop_suppressed(&current, &mut selected);
        }
        if round == 0 {
            unfixed.extend(
                selected
                    .iter()
                    .filter(|d| !has_fix(d, min))
                    .map(left_unfixed),
            );
        }
        let applied = apply_fixes(&current, &selected, min);
        if applied.fixes > 0 && !prints {
            let applied_here = |e: &super::Edit| {
                applied
                    .edits
                    .binary_search_by_key(&(e.start, e.end), |a| (a.start, a.end))
                    .is_ok()
            };
            prints = selected.iter().any(|d| {
                python2_future(settings, d) == Some("print_function")
                    && d.fix
                        .as_ref()
                        .and_then(|f| f.edits.first())
                        .is_some_and(applied_here)
            });
        }
        if applied.fixes == 0 {
            if round > 0 && input_compiles {
                if let Err(rejection) = compile_check::check(&reading.text, &reading.suite) {
                    let offset = map_back_all(&reading.maps, rejection.offset);
                    let outcome = FixOutcome {
                        text: current,
                        fixes,
                        unfixed,
                    };
                    let rejection = compile_check::Rejection {
                        offset,
                        ..rejection
                    };
                    return Err(not_compiled(&outcome, rejection, &history));
                }
            }
            // A file the selection made Python 3 is one: it needs no future import.
            if prints && needs_helpers(&current)? {
                let future = print_function_import(&reading.text, &reading.suite)
                    .and_then(|e| map_edits_back(&reading.maps, &[e]));
                if let Some(edits) = future {
                    fixes += 1;
                    current = apply_edits(&current, edits);
                }
            }
            if let (Some(path), Some(folders)) = (path, settings.folders.as_deref()) {
                let marker = finish_hooks(settings)
                    .filter(|hook| (hook.may_apply)(&current, path, folders))
                    .find_map(|hook| (hook.edit)(&reading.text, &reading.suite, path, folders));
                if let Some(edits) = marker.and_then(|e| map_edits_back(&reading.maps, &[e])) {
                    fixes += 1;
                    current = apply_edits(&current, edits);
                }
            }
            return Ok(FixOutcome {
                text: current,
                fixes,
                unfixed,
            });
        }
        fixes += applied.fixes;
        current = applied.text;
        history.push(OffsetMap::new(&applied.edits));
    }
    Err(not_converged(settings))
}

/// `from __future__ import print_function` for `text` (parsed into `suite`), unless it has it.
fn print_function_import(text: &str, suite: &[ast::Stmt]) -> Option<super::Edit> {
    let has_it = suite.iter().any(|stmt| {
        matches!(stmt, ast::Stmt::ImportFrom(f)
            if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__")
                && f.names.iter().any(|a| a.name.as_str() == "print_function"))
    });
    if has_it {
        return None;
    }
    super::importer::future_import_edit(text, suite, "print_function")
}

/// The `__future__` feature a file that stays Python 2 needs once the fix of `d` is applied
/// ([`FixerSpec::python2_future`]).
fn python2_future(settings: &Settings, d: &Diagnostic) -> Option<&'static str> {
    settings
        .enabled
        .iter()
        .find(|spec| spec.code == d.code)
        .and_then(|spec| spec.python2_future)
}

/// `text` with `edits` (sorted, not overlapping) applied.
fn apply_edits(text: &str, edits: Vec<super::Edit>) -> String {
    let fix = Diagnostic {
        code: "",
        name: "",
        message: String::new(),
        start: 0,
        end: 0,
        fix: Some(super::Fix::safe(edits)),
    };
    apply_fixes(text, &[fix], Applicability::Safe).text
}

/// `edits` of a text that `maps` made from another, at offsets of that other text; `None` when
/// one of them touches text the mapped edits wrote.
fn map_edits_back(maps: &[OffsetMap], edits: &[super::Edit]) -> Option<Vec<super::Edit>> {
    edits
        .iter()
        .map(|e| {
            let (mut start, mut end) = (e.start, e.end);
            for map in maps.iter().rev() {
                (start, end) = map.map_range_back(start, end)?;
            }
            Some(super::Edit::replace(start, end, e.content.clone()))
        })
        .collect()
}

fn has_fix(d: &Diagnostic, min: Applicability) -> bool {
    d.fix.as_ref().is_some_and(|f| {
        f.applicability >= min && !f.edits.is_empty() && edits_well_formed(&f.edits)
    })
}

/// A finding `fix` leaves for a person ([`has_fix`] is false), as it is reported: one whose fix
/// a defect made unusable (its own edits overlap) says so instead of offering that fix.
fn left_unfixed(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    if d.fix.as_ref().is_some_and(|f| !edits_well_formed(&f.edits)) {
        d.fix = None;
        d.message.push_str(
            " (not fixed: the fix's own edits overlap, a py2to3 defect; please report it)",
        );
    }
    d
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
    token_findings(text, &settings.enabled, first_round, settings.target)
}

/// The findings of the token fixers among `enabled` on `text`, with its tokens.
fn token_findings(
    text: &str,
    enabled: &[&'static FixerSpec],
    first_round: bool,
    target: Target,
) -> Result<(Vec<Diagnostic>, Vec<Token>), PipelineError> {
    let tokens = tokens::tokenize(text);
    check_nesting(text, &tokens)?;
    check_indentation(text, &tokens)?;
    let mut cx = TokenContext::new(text, &tokens);
    cx.first_round = first_round;
    cx.target = target;
    let mut out = Vec::new();
    super::spec::run_token_fixers(&cx, enabled, &mut out);
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
    crate::syntax::parse::parse_module(text)
}
