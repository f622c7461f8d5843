//! `fix` on one huge file in segments: memory for one segment at a time, not the whole file.
//!
//! The tokens, the tree and the semantic model of a file take far more memory than its text (70
//! times as much), so a file of at least [`Settings::segment_bytes`] (4 MiB by default, or
//! `PY2TO3_SEGMENT_BYTES`) is cut at top-level `def`, `class` and decorator lines (column 0, at
//! the start of a logical line) into a *head* (everything before the first cut: docstring,
//! imports, top-level code) and segments of about 256 KiB. The head is fixed alone, each segment
//! as `head + segment` (so it sees the imports and `__future__` lines), and the segment's part of
//! each result is kept: the file is held once as it was and once fixed, plus one segment's work.
//!
//! A segmented result is the whole-file result or nothing: any doubt and the file goes the
//! whole-file way ([`fix`] returns `None`). What makes the parts agree with the whole:
//!
//! - **File-wide facts** the pipeline or a fixer derives from the whole text ([`Fact`]): whether
//!   the text shows Python 2 grammar, whether it has `xrange`. Each run takes the value of the
//!   whole file ([`file_fact`]); the value is the OR of the parts' own values, known early in
//!   practice (the first `print` statement); a run made before it was known runs again.
//! - **The head**: every run must make exactly the head-alone run's edits in the head, round by
//!   round ([`applied`]), and no edit may touch the boundary (an insertion there could belong to
//!   either side) or, in a segment that is not the last, the end of the text.
//! - **The semantic model** is module-wide and has no scopes (a name bound anywhere is bound for
//!   every query): each run records the names its fixers asked about ([`queried`]) and, in each
//!   round, every name the segment's own nodes put into the model ([`PartFacts`]). A name one
//!   run asked about that another segment mentions makes the parts disagree with the whole
//!   (`def f(map): ...` in one segment, `map(f, x)` in another): the file goes the whole way.
//!   Likewise `imports()` (the list of every import) asked while another segment imports
//!   something, and `has_u_literals()` while another segment has a `u''` literal.
//! - **Module reads** that a run cannot stand for ([`Flag`]): a fixer that walks the whole module
//!   ([`Checker::module`](super::checker::Checker::module), the module as the block of a
//!   top-level statement), the set of every name of the text (`tuple-params`, `except-comma`
//!   picking fresh names), Python 3 keywords used as names (`keyword-names` renames all uses of a
//!   word together), members of `urllib` found by a text scan.
//! - **Text the scan refuses**: a `from __future__` import after the head, a module-level
//!   `global`, tabs in indentation (`tab-indent` rewrites every line of a file with one bad
//!   line), `# py2to3: skip-file`, a backslash continuation before the code of a line. And a
//!   run's text must have the file's coding declaration and newline conventions.
//! - **Compiling**: every run uses full rounds (the last round re-parses and finds nothing), a
//!   run that fails or panics sends the file the whole way, and when the file changed, each
//!   unchanged segment must pass the compile check too (the whole file's check would see it).
//!
//! Not guarded, by argument: fixers read the text around their own nodes (a line, a statement),
//! never lines before a top-level `def` that are not its own; token fixers other than those above
//! read one statement at a time.

use std::cell::{Cell, RefCell};
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use rustpython_ast::{Ranged, Stmt};

use super::checker::{NodeRef, Semantic};
use super::pipeline::{FixOutcome, Settings};
use super::{compile_check, Diagnostic, Edit};
use crate::tokens::{self, TokenKind};

/// The environment variable that sets the size from which a file is fixed in segments (bytes).
pub const SEGMENT_BYTES_ENV: &str = "PY2TO3_SEGMENT_BYTES";
/// Files of at least this many bytes are fixed in segments, by default.
pub const DEFAULT_SEGMENT_THRESHOLD: usize = 4 << 20;
/// The largest segment size aimed at (a segment holds whole top-level statements: more when one
/// is bigger).
const MAX_SEGMENT: usize = 256 << 10;
/// A bigger head is fixed with every segment at too high a cost: the whole file is fixed at once.
const MAX_HEAD: usize = 1 << 20;

/// A file-wide fact that a part cannot tell from its own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact {
    /// The pipeline's [`FileFacts::python2_original`](super::checker::FileFacts): the first
    /// round's grammar findings show Python 2.
    Python2Original = 0,
    /// `tokens::statements::shows_python2`: the text shows Python 2 (a `print` statement, a
    /// backtick, `<>`, `10L`, `0777`).
    ShowsPython2 = 1,
    /// The text has `xrange` somewhere.
    ConvertsXrange = 2,
}

const FACTS: usize = 3;
/// The facts found by running the parts (an OR over them); `ConvertsXrange` is read directly.
const FOUND: [Fact; 2] = [Fact::Python2Original, Fact::ShowsPython2];

/// Something a fixer read that a part cannot stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// The whole module's statements (a walk, a memo over them, the module as a block).
    ModuleRead,
    /// The set of all names of the text.
    NamesRead,
    /// The module's first statement: the head's, unless the head is empty.
    FirstStatement,
    /// A scan of the whole text.
    WholeText,
    /// [`Semantic::imports`]: every import of the module.
    ImportsListed,
    /// [`Semantic::has_u_literals`].
    ULiteralsQueried,
}

/// Which kind of round an edit list comes from (see [`applied`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// A round of token (grammar) fixes.
    Tokens = 0,
    /// A round of AST fixes.
    Ast = 1,
    /// The `absolute_import` marker added at the end.
    Marker = 2,
}

/// What one run (the head alone, or the head and one segment) records.
#[derive(Default)]
struct Run {
    /// The run fixes the head alone.
    head_only: bool,
    /// The run's segment ends the file.
    last: bool,
    /// The file has nothing before its first segment.
    empty_head: bool,
    /// Where the segment starts in the run's current text.
    boundary: usize,
    /// The length of the run's current text.
    len: usize,
    /// The file-wide values the run must use.
    overrides: [Option<bool>; FACTS],
    /// The run's own values, when it computed them.
    own: [Option<bool>; FACTS],
    /// Rounds with edits so far, by phase.
    rounds: [u32; 3],
    /// The edits of each round in the head: (phase, round, edits).
    head_edits: Vec<(u8, u32, Vec<Edit>)>,
    /// Why the run cannot stand for its part of the whole, if it cannot.
    violation: Option<String>,
    /// Hashes of the names its fixers asked the semantic model about.
    queries: FxHashSet<u64>,
    /// Hashes of the names its fixers asked only about how they are bound.
    binding_queries: FxHashSet<u64>,
    /// Hashes of the names the segment's own nodes put into the semantic model.
    contributions: FxHashSet<u64>,
    /// Hashes of the names the segment's own nodes bind.
    bindings: FxHashSet<u64>,
    imports_listed: bool,
    u_literals_queried: bool,
    contributes_imports: bool,
    contributes_u_literals: bool,
}

thread_local! {
    /// A run is under way on this thread.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static RUN: RefCell<Run> = RefCell::new(Run::default());
    /// What the last [`fix`] on this thread decided, for tests and `PY2TO3_SEGMENT_TRACE`.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Whether a run is recording (cheap: the hooks return at once when not).
#[inline]
fn active() -> bool {
    ACTIVE.with(Cell::get)
}

fn with_run(f: impl FnOnce(&mut Run)) {
    if active() {
        RUN.with(|r| f(&mut r.borrow_mut()));
    }
}

fn hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    name.hash(&mut h);
    h.finish()
}

/// The value of a file-wide fact for the text being fixed: `own` (the value for the text the
/// pipeline sees) outside a segment run, the whole file's value inside one.
pub fn file_fact(fact: Fact, own: bool) -> bool {
    if !active() {
        return own;
    }
    RUN.with(|r| {
        let mut r = r.borrow_mut();
        let i = fact as usize;
        if r.own[i].is_none() {
            r.own[i] = Some(own);
        }
        r.overrides[i].unwrap_or(own)
    })
}

/// A fixer asked the semantic model about `name` (a name, an attribute, a module, a feature).
#[inline]
pub fn queried(name: &str) {
    with_run(|r| {
        r.queries.insert(hash(name));
    });
}

/// A fixer asked how `name` is bound (whether, how often, by imports): only another segment's
/// binding of it can change the answer.
#[inline]
pub fn queried_binding(name: &str) {
    with_run(|r| {
        r.binding_queries.insert(hash(name));
    });
}

/// `f`'s queries are not recorded: for [`AstHooks::expr_relevant`] gates, whose answer only
/// spares the time of a hook that would report nothing (it must say yes whenever the hook could
/// report on a node, and a node that could make it report in the whole file makes it say yes in
/// its own part).
///
/// [`AstHooks::expr_relevant`]: super::spec::AstHooks::expr_relevant
pub fn unrecorded<T>(f: impl FnOnce() -> T) -> T {
    if !active() {
        return f();
    }
    ACTIVE.with(|a| a.set(false));
    let value = f();
    ACTIVE.with(|a| a.set(true));
    value
}

/// A fixer read something a part cannot stand for.
#[inline]
pub fn note(flag: Flag) {
    with_run(|r| match flag {
        Flag::ImportsListed => r.imports_listed = true,
        Flag::ULiteralsQueried => r.u_literals_queried = true,
        Flag::FirstStatement if r.head_only || !r.empty_head => {}
        Flag::ModuleRead | Flag::NamesRead | Flag::WholeText | Flag::FirstStatement => {
            if r.violation.is_none() {
                r.violation = Some(format!("a fixer read the whole file ({flag:?})"));
            }
        }
    });
}

/// The pipeline applies `edits` (sorted, not overlapping, at offsets of its current text) in a
/// round of `phase`.
pub fn applied(phase: Phase, edits: &[Edit]) {
    with_run(|r| {
        let round = r.rounds[phase as usize];
        r.rounds[phase as usize] += 1;
        let mut head = Vec::new();
        let (mut boundary, mut len) = (r.boundary, r.len);
        for e in edits {
            let delta = e.content.len() as isize - (e.end - e.start) as isize;
            let in_head =
                r.head_only || e.end < r.boundary || (e.end == r.boundary && e.start < e.end);
            let in_segment = !r.head_only
                && (e.start > r.boundary || (e.start == r.boundary && e.end > e.start));
            if in_head {
                head.push(e.clone());
                boundary = boundary.saturating_add_signed(delta);
            } else if !in_segment {
                r.violation
                    .get_or_insert_with(|| "an edit at the boundary of a segment".to_string());
            }
            if !r.head_only && !r.last && e.end >= r.len {
                r.violation
                    .get_or_insert_with(|| "an edit at the end of a segment".to_string());
            }
            len = len.saturating_add_signed(delta);
        }
        r.boundary = boundary;
        r.len = len;
        if !head.is_empty() {
            r.head_edits.push((phase as u8, round, head));
        }
    });
}

/// The semantic facts the segment's own statements put into the model, gathered while the
/// checker flattens the module (see the module docs).
pub struct PartFacts<'a> {
    part: Option<Part<'a>>,
}

struct Part<'a> {
    semantic: Semantic<'a>,
    /// The first statement of the segment.
    first: &'a Stmt,
    inside: bool,
}

impl<'a> PartFacts<'a> {
    /// For the module `suite` of the current text; does nothing outside a segment run.
    pub fn new(suite: &'a [Stmt]) -> Self {
        let mut boundary = None;
        with_run(|r| {
            if !r.head_only {
                boundary = Some(r.boundary);
            }
        });
        let part = boundary.and_then(|b| {
            let first = suite.iter().find(|s| s.start().to_usize() >= b)?;
            Some(Part {
                semantic: Semantic::default(),
                first,
                inside: false,
            })
        });
        PartFacts { part }
    }

    /// Called for each node in the checker's pre-order walk.
    #[inline]
    pub fn observe(&mut self, node: NodeRef<'a>, parent: Option<NodeRef<'a>>) {
        let Some(part) = &mut self.part else { return };
        if parent.is_none() {
            if let NodeRef::Stmt(s) = node {
                part.inside |= std::ptr::eq(s, part.first);
            }
        }
        if part.inside {
            part.semantic.observe(node, parent);
        }
    }

    /// Records what the segment put into the model.
    pub fn record(self) {
        let Some(part) = self.part else { return };
        with_run(|r| {
            let (imports, u_literals) = part.semantic.summary(|key, bound| {
                let h = hash(key);
                r.contributions.insert(h);
                if bound {
                    r.bindings.insert(h);
                }
            });
            r.contributes_imports |= imports;
            r.contributes_u_literals |= u_literals;
        });
    }
}

/// What the last [`fix`] on this thread did with a big file: `None` when the file was below the
/// threshold, else "segmented: ..." or "whole file: <why>".
pub fn last_decision() -> Option<String> {
    LAST.with(|l| l.borrow().clone())
}

fn decide(what: String) {
    if std::env::var_os("PY2TO3_SEGMENT_TRACE").is_some() {
        eprintln!("py2to3 segments: {what}");
    }
    LAST.with(|l| *l.borrow_mut() = Some(what));
}

/// The size from which files are fixed in segments.
fn threshold(settings: &Settings) -> usize {
    settings.segment_bytes.unwrap_or_else(|| {
        std::env::var(SEGMENT_BYTES_ENV)
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(DEFAULT_SEGMENT_THRESHOLD)
    })
}

/// Fixes a big `original` in segments, when it can be done exactly (see the module docs);
/// `None`: fix it whole.
pub fn fix(original: &str, settings: &Settings, path: Option<&Path>) -> Option<FixOutcome> {
    if active() {
        return None;
    }
    LAST.with(|l| *l.borrow_mut() = None);
    let threshold = threshold(settings);
    if original.len() < threshold.max(1) || !settings.helpers().is_empty() {
        return None;
    }
    let target = (threshold / 16).min(MAX_SEGMENT);
    let plan = match plan(original, target) {
        Ok(plan) => plan,
        Err(why) => {
            decide(format!("whole file: {why}"));
            return None;
        }
    };
    match Segmented::new(original, settings, path, &plan).and_then(|s| s.finish()) {
        Ok(outcome) => {
            decide(format!(
                "segmented: a head and {} segments",
                plan.starts.len()
            ));
            Some(outcome)
        }
        Err(why) => {
            decide(format!("whole file: {why}"));
            None
        }
    }
}

/// Where the parts of a file are.
struct Plan {
    /// The end of the head.
    head_end: usize,
    /// Where each segment starts (the first is `head_end`); each ends where the next starts.
    starts: Vec<usize>,
}

/// Cuts `text` into a head and segments of about `target` bytes at top-level `def`, `class` and
/// decorator lines, in one pass over its tokens (none kept); `Err` says why it cannot be cut.
fn plan(text: &str, target: usize) -> Result<Plan, String> {
    let mut depth = 0u32;
    // The next significant token starts a logical line, after `width` bytes of indentation.
    let mut line_start = true;
    let mut width = 0usize;
    // The last logical line started with `@`.
    let mut decorator = false;
    // The indentation of each `def` or `class` whose body may go on (a line indented deeper).
    let mut bodies: Vec<usize> = Vec::new();
    let mut after_from = false;
    let mut cuts: Vec<usize> = Vec::new();
    let mut head_end: Option<usize> = None;
    let mut segment_start = 0;
    let bytes = text.as_bytes();
    for t in tokens::stream(text) {
        let in_segment = head_end.is_some();
        match t.kind {
            TokenKind::Whitespace => {
                if line_start {
                    width = t.end() - t.start();
                    if bytes[t.start()..t.end()].contains(&b'\t') {
                        return Err("tabs in indentation".into());
                    }
                }
                continue;
            }
            TokenKind::Comment => {
                if super::noqa::is_skip_file(t.text(text)) {
                    return Err("a skip-file directive".into());
                }
                continue;
            }
            TokenKind::Newline => {
                line_start = true;
                width = 0;
                continue;
            }
            TokenKind::Nl => {
                if depth == 0 {
                    line_start = true;
                    width = 0;
                }
                continue;
            }
            TokenKind::Continuation => {
                if line_start && depth == 0 {
                    return Err("a line that starts with a continuation".into());
                }
                continue;
            }
            _ => {}
        }
        let word = t.text(text);
        if after_from && in_segment && word == "__future__" {
            return Err("a `from __future__` import after the head".into());
        }
        after_from = t.kind == TokenKind::Name && word == "from";
        if line_start && depth == 0 {
            while bodies.last().is_some_and(|&w| w >= width) {
                bodies.pop();
            }
            let opens = (t.kind == TokenKind::Name && (word == "def" || word == "class"))
                || (t.kind == TokenKind::Op && word == "@");
            if opens && width == 0 && !decorator {
                match head_end {
                    None => {
                        head_end = Some(t.start());
                        cuts.push(t.start());
                        segment_start = t.start();
                    }
                    Some(_) if t.start() - segment_start >= target => {
                        cuts.push(t.start());
                        segment_start = t.start();
                    }
                    Some(_) => {}
                }
            }
            if t.kind == TokenKind::Name && (word == "def" || word == "class") {
                bodies.push(width);
            }
            if in_segment
                && bodies.is_empty()
                && t.kind == TokenKind::Name
                && (word == "global" || word == "nonlocal")
            {
                return Err("a module-level `global` statement".into());
            }
            decorator = t.kind == TokenKind::Op && word == "@";
            line_start = false;
        }
        if t.kind == TokenKind::Op && t.end() == t.start() + 1 {
            match bytes[t.start()] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    let Some(head_end) = head_end else {
        return Err("no top-level `def` or `class` to cut at".into());
    };
    if head_end > MAX_HEAD {
        return Err("the code before the first top-level `def` or `class` is too big".into());
    }
    if cuts.len() < 2 {
        return Err("too few top-level `def` or `class` statements to cut at".into());
    }
    Ok(Plan {
        head_end,
        starts: cuts,
    })
}

/// What the fix of one part gave.
struct PartOutcome {
    /// The run's output (the head alone, or the head and the segment).
    text: String,
    /// Where the segment starts in `text`.
    boundary: usize,
    fixes: usize,
    unfixed: Vec<Diagnostic>,
    run: Run,
}

/// One segment's result, kept until the end.
struct Kept {
    /// Where its output is in [`Segmented::out`].
    range: std::ops::Range<usize>,
    /// It changed.
    changed: bool,
    fixes: usize,
    unfixed: Vec<Diagnostic>,
    /// The facts it was checked against the head with.
    facts: [bool; 2],
    queries: Vec<u64>,
    binding_queries: Vec<u64>,
    contributions: Vec<u64>,
    bindings: Vec<u64>,
    imports_listed: bool,
    u_literals_queried: bool,
    contributes_imports: bool,
    contributes_u_literals: bool,
}

/// The state of a segmented fix.
struct Segmented<'a> {
    original: &'a str,
    settings: Settings,
    path: Option<&'a Path>,
    plan: &'a Plan,
    /// The file-wide facts found so far ([`FOUND`] order).
    known: [bool; 2],
    converts_xrange: bool,
    head: PartOutcome,
    /// The segments' outputs, one after the other.
    out: String,
    kept: Vec<Kept>,
}

impl<'a> Segmented<'a> {
    /// Fixes the head, then each segment.
    fn new(
        original: &'a str,
        settings: &Settings,
        path: Option<&'a Path>,
        plan: &'a Plan,
    ) -> Result<Self, String> {
        let mut settings = settings.clone();
        // The last round of each run re-parses and finds nothing (see the module docs).
        settings.full_rounds = true;
        let converts_xrange = original.contains("xrange");
        let placeholder = PartOutcome {
            text: String::new(),
            boundary: 0,
            fixes: 0,
            unfixed: Vec::new(),
            run: Run::default(),
        };
        let mut s = Segmented {
            original,
            settings,
            path,
            plan,
            known: [false; 2],
            converts_xrange,
            head: placeholder,
            out: String::with_capacity(original.len() + original.len() / 8),
            kept: Vec::with_capacity(plan.starts.len()),
        };
        s.run_head()?;
        for i in 0..plan.starts.len() {
            let kept = s.run_segment(i)?;
            let start = s.out.len();
            s.out.push_str(&kept.1);
            let mut kept = kept.0;
            kept.range = start..s.out.len();
            s.kept.push(kept);
        }
        Ok(s)
    }

    fn head_text(&self) -> &'a str {
        &self.original[..self.plan.head_end]
    }

    fn segment_range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.plan.starts[i];
        let end = self
            .plan
            .starts
            .get(i + 1)
            .copied()
            .unwrap_or(self.original.len());
        start..end
    }

    /// The overrides for the current facts.
    fn overrides(&self) -> [Option<bool>; FACTS] {
        let mut o = [None; FACTS];
        for (k, fact) in FOUND.iter().enumerate() {
            if self.known[k] {
                o[*fact as usize] = Some(true);
            }
        }
        o[Fact::ConvertsXrange as usize] = Some(self.converts_xrange);
        o
    }

    /// Adds a run's own values to the known facts; whether they grew.
    fn learn(&mut self, run: &Run) -> bool {
        let mut grew = false;
        for (k, fact) in FOUND.iter().enumerate() {
            if run.own[*fact as usize] == Some(true) && !self.known[k] {
                self.known[k] = true;
                grew = true;
            }
        }
        grew
    }

    /// Fixes the head alone with the known facts, until they stop growing.
    fn run_head(&mut self) -> Result<(), String> {
        loop {
            let text = self.head_text();
            let setup = Run {
                head_only: true,
                last: false,
                boundary: text.len(),
                len: text.len(),
                overrides: self.overrides(),
                ..Run::default()
            };
            let head = self.run(text, setup)?;
            let grew = self.learn(&head.run);
            self.head = head;
            if !grew {
                return Ok(());
            }
        }
    }

    /// Runs the pipeline on `text` with the recording set up as `setup` says.
    fn run(&mut self, text: &str, setup: Run) -> Result<PartOutcome, String> {
        if !text.is_empty()
            && (self.original.contains("\r\n") != text.contains("\r\n")
                || first_newline(self.original) != first_newline(text)
                || crate::source::coding_cookie(self.original.as_bytes())
                    != crate::source::coding_cookie(text.as_bytes()))
        {
            return Err("a part reads with other newlines or another coding line".into());
        }
        RUN.with(|r| *r.borrow_mut() = setup);
        ACTIVE.with(|a| a.set(true));
        let result = catch_unwind(AssertUnwindSafe(|| {
            super::pipeline::fix_text_inner(text, &self.settings, self.path)
        }));
        ACTIVE.with(|a| a.set(false));
        let mut run = RUN.with(|r| std::mem::take(&mut *r.borrow_mut()));
        let outcome = match result {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(e)) => return Err(format!("a part does not fix: {}", e.message)),
            Err(_) => return Err("a part panics".into()),
        };
        if let Some(why) = run.violation.take() {
            return Err(why);
        }
        // A fact the run never asked for is still needed for the whole file's value.
        let shows = Fact::ShowsPython2 as usize;
        if run.own[shows].is_none() && !self.known[1] {
            let tokens = tokens::tokenize(text);
            let code = crate::tokens::statements::Code::new(text, &tokens);
            run.own[shows] = Some(crate::tokens::statements::shows_python2(&code));
        }
        Ok(PartOutcome {
            boundary: run.boundary,
            text: outcome.text,
            fixes: outcome.fixes,
            unfixed: outcome.unfixed,
            run,
        })
    }

    /// Fixes segment `i` (with the head); its record and its part of the output.
    fn run_segment(&mut self, i: usize) -> Result<(Kept, String), String> {
        let range = self.segment_range(i);
        let head = self.head_text();
        let mut text = String::with_capacity(head.len() + range.len());
        text.push_str(head);
        text.push_str(&self.original[range.clone()]);
        let setup = Run {
            head_only: false,
            last: range.end == self.original.len(),
            empty_head: head.is_empty(),
            boundary: head.len(),
            len: text.len(),
            overrides: self.overrides(),
            ..Run::default()
        };
        let mut part = self.run(&text, setup)?;
        drop(text);
        if self.learn(&part.run) {
            self.run_head()?;
        }
        // The run used the facts known now: its head must be the head's.
        if part.run.head_edits != self.head.run.head_edits
            || part.text.get(..part.boundary) != Some(self.head.text.as_str())
        {
            return Err("a segment's fix changes the head differently".into());
        }
        if part.fixes < self.head.fixes {
            return Err("a segment's fix makes fewer fixes than the head alone".into());
        }
        let head_len = self.plan.head_end;
        let unfixed = std::mem::take(&mut part.unfixed)
            .into_iter()
            .filter(|d| d.start >= head_len)
            .map(|mut d| {
                d.start = d.start - head_len + range.start;
                d.end = d.end.max(head_len) - head_len + range.start;
                d
            })
            .collect();
        let output = part.text.split_off(part.boundary);
        let run = part.run;
        let sorted = |set: FxHashSet<u64>| {
            let mut v: Vec<u64> = set.into_iter().collect();
            v.sort_unstable();
            v
        };
        let kept = Kept {
            range: 0..0,
            changed: output != self.original[range],
            fixes: part.fixes - self.head.fixes,
            unfixed,
            facts: self.known,
            queries: sorted(run.queries),
            binding_queries: sorted(run.binding_queries),
            contributions: sorted(run.contributions),
            bindings: sorted(run.bindings),
            imports_listed: run.imports_listed,
            u_literals_queried: run.u_literals_queried,
            contributes_imports: run.contributes_imports,
            contributes_u_literals: run.contributes_u_literals,
        };
        Ok((kept, output))
    }

    /// Runs again the segments checked with facts the file turned out not to have, then checks
    /// the parts against each other and puts the result together.
    fn finish(mut self) -> Result<FixOutcome, String> {
        loop {
            let stale: Vec<usize> = (0..self.kept.len())
                .filter(|&i| self.kept[i].facts != self.known)
                .collect();
            if stale.is_empty() {
                break;
            }
            for i in stale {
                let (mut kept, output) = self.run_segment(i)?;
                let range = self.kept[i].range.clone();
                let shift = output.len() as isize - range.len() as isize;
                self.out.replace_range(range.clone(), &output);
                kept.range = range.start..range.start + output.len();
                self.kept[i] = kept;
                for later in &mut self.kept[i + 1..] {
                    later.range = later.range.start.saturating_add_signed(shift)
                        ..later.range.end.saturating_add_signed(shift);
                }
            }
        }
        self.cross_check()?;
        let changed = self.head.text != self.head_text() || self.kept.iter().any(|k| k.changed);
        if changed {
            self.check_unchanged_segments()?;
        }
        let mut text = std::mem::take(&mut self.out);
        text.insert_str(0, &self.head.text);
        let mut unfixed = std::mem::take(&mut self.head.unfixed);
        let mut fixes = self.head.fixes;
        for kept in &mut self.kept {
            fixes += kept.fixes;
            unfixed.append(&mut kept.unfixed);
        }
        Ok(FixOutcome {
            text,
            fixes,
            unfixed,
        })
    }

    /// No run asked the semantic model about a name another segment puts into it, nor listed
    /// the imports while another segment imports, nor asked for `u''` literals while another
    /// segment has one.
    fn cross_check(&self) -> Result<(), String> {
        /// Which segment puts each name into the model (`MANY`: more than one).
        fn owners<'k>(lists: impl Iterator<Item = &'k [u64]>) -> FxHashMap<u64, u32> {
            let mut by: FxHashMap<u64, u32> = FxHashMap::default();
            for (i, list) in lists.enumerate() {
                let i = i as u32;
                for &h in list {
                    by.entry(h)
                        .and_modify(|k| {
                            if *k != i {
                                *k = MANY
                            }
                        })
                        .or_insert(i);
                }
            }
            by
        }
        const MANY: u32 = u32::MAX;
        let mentioned = owners(self.kept.iter().map(|k| k.contributions.as_slice()));
        let bound = owners(self.kept.iter().map(|k| k.bindings.as_slice()));
        let importers = self.kept.iter().filter(|k| k.contributes_imports).count();
        let u_literals = self
            .kept
            .iter()
            .filter(|k| k.contributes_u_literals)
            .count();
        // Another part than `own` (none for the head) has it.
        let foreign = |by: &FxHashMap<u64, u32>, h: &u64, own: Option<usize>| {
            by.get(h).is_some_and(|&k| own != Some(k as usize))
        };
        let others = |count: usize, own: bool| count > usize::from(own);
        let head = &self.head.run;
        if head.queries.iter().any(|h| foreign(&mentioned, h, None))
            || head
                .binding_queries
                .iter()
                .any(|h| foreign(&bound, h, None))
            || (head.imports_listed && importers > 0)
            || (head.u_literals_queried && u_literals > 0)
        {
            return Err("the head asks about a name a segment binds or uses".into());
        }
        for (i, kept) in self.kept.iter().enumerate() {
            if kept.queries.iter().any(|h| foreign(&mentioned, h, Some(i)))
                || kept
                    .binding_queries
                    .iter()
                    .any(|h| foreign(&bound, h, Some(i)))
                || (kept.imports_listed && others(importers, kept.contributes_imports))
                || (kept.u_literals_queried && others(u_literals, kept.contributes_u_literals))
            {
                return Err(format!(
                    "segment {} asks about a name another segment binds or uses",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    /// The whole file's compile check sees every segment, changed or not.
    fn check_unchanged_segments(&self) -> Result<(), String> {
        for (i, kept) in self.kept.iter().enumerate() {
            if kept.changed {
                continue;
            }
            let mut text = self.head.text.clone();
            text.push_str(&self.out[kept.range.clone()]);
            let suite = crate::syntax::parse::parse_module(&text)
                .map_err(|e| format!("segment {} does not parse: {}", i + 1, e.message))?;
            compile_check::check(&text, &suite)
                .map_err(|e| format!("segment {} does not compile: {}", i + 1, e.message))?;
        }
        Ok(())
    }
}

/// The newline that ends the first line of `text` (`""` when it has none).
fn first_newline(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(text: &str, target: usize) -> Result<(usize, Vec<usize>), String> {
        plan(text, target).map(|p| (p.head_end, p.starts))
    }

    #[test]
    fn cuts_at_top_level_definitions() {
        let text = "import os\n\ndef f():\n    pass\n\n@dec\n# c\n@dec2\ndef g():\n    x = (\ndef)\nclass C:\n    def m(self): pass\n";
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(
            cuts(text, 0),
            Ok((at("def f"), vec![at("def f"), at("@dec\n"), at("class C")]))
        );
        assert_eq!(
            cuts(text, 1000),
            Err("too few top-level `def` or `class` statements to cut at".into())
        );
    }

    #[test]
    fn refuses_what_parts_cannot_stand_for() {
        let refused = |text: &str| cuts(text, 0).unwrap_err();
        assert_eq!(
            refused("def f():\n    pass\ndef g():\n    from __future__ import x\n"),
            "a `from __future__` import after the head"
        );
        assert_eq!(
            refused("def f():\n    pass\ndef g():\n\tpass\n"),
            "tabs in indentation"
        );
        assert_eq!(
            refused("def f():\n    global x\ndef g():\n    pass\nif y:\n    global x\n"),
            "a module-level `global` statement"
        );
        assert_eq!(
            refused("def f():\n    pass\ndef g():\n    pass # py2to3: skip-file\n"),
            "a skip-file directive"
        );
        // A `global` in a function is fine.
        assert!(cuts("def f():\n    global x\ndef g():\n    pass\n", 0).is_ok());
    }

    #[test]
    fn hooks_do_nothing_outside_a_run() {
        assert!(file_fact(Fact::ShowsPython2, true));
        assert!(!file_fact(Fact::ShowsPython2, false));
        queried("x");
        note(Flag::ModuleRead);
        applied(Phase::Ast, &[Edit::replace(0, 1, "y")]);
        assert!(RUN.with(|r| r.borrow().queries.is_empty() && r.borrow().violation.is_none()));
    }
}
