//! Runs every fixture case (the format is described in `fixtures/README.md`).
//!
//! A case is `fixtures/<selector>/<case>.py`, run with only the fixers the folder name selects
//! (a fixer name, a group, `combined-GROUP`, or `combined` for the defaults). Next to it:
//! - `<case>.py.expected`, what `fix` makes of it, present only when `fix` changes the case (a
//!   case without one must come out unchanged); it must be a fixed point;
//! - `<case>.py.findings`, what `check` reports on the case, one finding a line, in
//!   original-text positions (see [`render_findings`]).
//!
//! The output of every case (the `.expected` file, or the case itself) must parse under python3,
//! and under `--target six` compile under Python 2.7 as well.
//! A folder naming one fixer of the `unsafe` group runs it with unsafe fixes allowed (as
//! `--select NAME --unsafe-fixes` does): selecting it alone asks for exactly that.
//!
//! Cases under `fixtures/target-six/<selector>/` run the same way with `--target six`.
//!
//! `UPDATE_FIXTURES=1 cargo test --test fixtures` rewrites the `.expected` and `.findings` files
//! from what the code does now (and deletes an `.expected` the case no longer needs), for review
//! with `git diff`; the normal run fails with a diff wherever they differ.

mod support;

use std::path::{Path, PathBuf};

use py2to3::config::Target;
use py2to3::engine::pipeline::{check_text, fix_text, Settings};
use py2to3::engine::{Applicability, Diagnostic};
use py2to3::fixers::registry;
use py2to3::source::LineIndex;

/// Fixers without a fixture folder, each with where it is tested instead.
const WITHOUT_FIXTURES: &[(&str, &str)] = &[
    (
        "syntax-error",
        "reported by the pipeline, not a fixer (tests/check_cli.rs)",
    ),
    (
        "relative-import",
        "needs the package's files on disk (tests/relative_import.rs)",
    ),
    (
        "six-branches",
        "runs under --target six (tests/behaviour_six.rs, tests/six_corpus.rs)",
    ),
    (
        "six-names",
        "runs under --target six (tests/behaviour_six.rs, tests/six_corpus.rs)",
    ),
];

/// One fixture case: `fixtures/<selector>/<name>.py`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Case {
    selector: String,
    input: PathBuf,
}

impl Case {
    /// `<case>.py.expected`: the fixed text, when fixing changes the case.
    fn expected(&self) -> PathBuf {
        PathBuf::from(format!("{}.expected", self.input.display()))
    }

    /// `<case>.py.findings`: what `check` reports on the case.
    fn findings(&self) -> PathBuf {
        PathBuf::from(format!("{}.findings", self.input.display()))
    }

    /// The file whose text `fix` must give: the `.expected` file, or the case itself.
    fn output(&self) -> PathBuf {
        let expected = self.expected();
        if expected.exists() {
            expected
        } else {
            self.input.clone()
        }
    }
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// `path` relative to the crate, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The folder of cases run under `--target six`: `fixtures/target-six/<selector>/<case>.py`,
/// selector `target-six/<selector>`.
const SIX_FOLDER: &str = "target-six";

/// The case folders with their selectors: `fixtures/<selector>/`, and the selector folders of
/// [`SIX_FOLDER`].
fn case_folders() -> Vec<(String, PathBuf)> {
    let mut folders = Vec::new();
    for folder in std::fs::read_dir(fixtures_root())
        .expect("fixtures/")
        .flatten()
        .filter(|f| f.path().is_dir())
    {
        let name = folder.file_name().to_string_lossy().into_owned();
        if name == SIX_FOLDER {
            for inner in std::fs::read_dir(folder.path()).unwrap().flatten() {
                let selector = inner.file_name().to_string_lossy().into_owned();
                folders.push((format!("{SIX_FOLDER}/{selector}"), inner.path()));
            }
        } else {
            folders.push((name, folder.path()));
        }
    }
    folders
}

/// Every case, sorted by folder and name.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (selector, folder) in case_folders() {
        let Ok(files) = std::fs::read_dir(&folder) else {
            continue;
        };
        for file in files.flatten() {
            let input = file.path();
            if input.extension().is_some_and(|e| e == "py") {
                cases.push(Case {
                    selector: selector.clone(),
                    input,
                });
            }
        }
    }
    cases.sort();
    cases
}

fn settings_for(selector: &str) -> Settings {
    if let Some(inner) = selector.strip_prefix(&format!("{SIX_FOLDER}/")) {
        let mut settings = settings_for(inner);
        settings.target = Target::Six;
        return settings;
    }
    // `combined` runs the defaults, `combined-GROUP` a whole group, anything else names a fixer.
    let select = match selector.strip_prefix("combined") {
        Some("") => vec![],
        Some(group) => vec![group.trim_start_matches('-').to_string()],
        None => vec![selector.to_string()],
    };
    let select: Vec<&str> = select.iter().map(String::as_str).collect();
    let enabled = py2to3::config::select::from_flags(&select, &[])
        .unwrap_or_else(|e| panic!("fixtures/{selector}: the folder name must select fixers: {e}"));
    let unsafe_fixer = matches!(enabled.as_slice(), [one] if one.in_group("unsafe"));
    let mut settings = Settings::new(registry::all(), enabled);
    settings.unsafe_fixes = unsafe_fixer;
    settings
}

/// Whether this run rewrites the `.expected` and `.findings` files (`UPDATE_FIXTURES=1`).
fn updating() -> bool {
    std::env::var("UPDATE_FIXTURES").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The findings of `check` on `text`, one line each, in the order `check` gives them (by
/// position):
///
/// ```text
/// LINE:COL-END_LINE:END_COL CODE NAME [APPLICABILITY] MESSAGE
/// ```
///
/// Lines and columns are 1-based, columns count characters. APPLICABILITY is that of the
/// finding's fix: `safe`, `unsafe`, `display-only`, or `none` when it has no fix. Line breaks in
/// a message are written `\n`.
fn render_findings(text: &str, findings: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in findings {
        let (line, column) = index.line_col(text, d.start);
        let (end_line, end_column) = index.line_col(text, d.end.max(d.start));
        let applicability = match d.fix.as_ref().map(|f| f.applicability) {
            None => "none",
            Some(Applicability::Safe) => "safe",
            Some(Applicability::Unsafe) => "unsafe",
            Some(Applicability::DisplayOnly) => "display-only",
        };
        let message = d.message.replace('\r', "\\r").replace('\n', "\\n");
        out.push_str(&format!(
            "{line}:{column}-{end_line}:{end_column} {} {} [{applicability}] {message}\n",
            d.code, d.name
        ));
    }
    out
}

/// A unified diff of `want` (the file `what`) against `got`.
fn diff(what: &str, want: &str, got: &str) -> String {
    similar::TextDiff::from_lines(want, got)
        .unified_diff()
        .header(what, "actual")
        .to_string()
}

/// Compares `got` with the file at `path` (`None` in `want` when it is missing). When updating,
/// writes `got` there (deletes the file when `got` is `None`) and records it in `updated`;
/// otherwise records the difference in `failures`.
fn compare_file(
    path: &Path,
    want: Option<&str>,
    got: Option<&str>,
    updated: &mut Vec<String>,
    failures: &mut Vec<String>,
) {
    if want == got {
        return;
    }
    if updating() {
        match got {
            Some(text) => std::fs::write(path, text).expect("write fixture file"),
            None => std::fs::remove_file(path).expect("delete fixture file"),
        }
        updated.push(shown(path));
        return;
    }
    let name = shown(path);
    failures.push(match (want, got) {
        (None, Some("")) => format!("{name}: missing; it would be empty"),
        (None, Some(got)) => format!("{name}: missing; it would be:\n{got}"),
        (Some(_), None) => format!("{name}: not needed (fix leaves the case unchanged): delete it"),
        (Some(want), Some(got)) => format!("{name}: differs\n{}", diff(&name, want, got)),
        (None, None) => unreachable!("equal"),
    });
}

#[test]
fn fixtures_match_expected_output_and_findings() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut updated = Vec::new();
    let (mut changed, mut findings) = (0, 0);
    for case in &cases {
        let settings = settings_for(&case.selector);
        let name = shown(&case.input);
        let source = std::fs::read_to_string(&case.input).expect("a case is UTF-8");
        let expected = std::fs::read_to_string(case.expected()).ok();

        // Fix: the output is the `.expected` file, or the case itself when there is none.
        match fix_text(&source, &settings) {
            Ok(out) => {
                let got = (out.text != source).then_some(out.text.as_str());
                compare_file(
                    &case.expected(),
                    expected.as_deref(),
                    got,
                    &mut updated,
                    &mut failures,
                );
                changed += usize::from(got.is_some());
            }
            Err(e) => failures.push(format!("{name}: fix failed: {e:?}")),
        }

        // The expected output is a fixed point.
        if let Ok(want) = std::fs::read_to_string(case.expected()) {
            match fix_text(&want, &settings) {
                Ok(out) if out.text == want => {}
                Ok(out) => failures.push(format!(
                    "{name}.expected is not a fixed point\n{}",
                    diff("expected", &want, &out.text)
                )),
                Err(e) => failures.push(format!("{name}.expected: second run failed: {e:?}")),
            }
        }

        // Check: the findings on the case.
        match check_text(&source, &settings) {
            Ok(diags) => {
                findings += diags.len();
                let want = std::fs::read_to_string(case.findings()).ok();
                let got = render_findings(&source, &diags);
                compare_file(
                    &case.findings(),
                    want.as_deref(),
                    Some(&got),
                    &mut updated,
                    &mut failures,
                );
            }
            Err(e) => failures.push(format!("{name}: check failed: {e:?}")),
        }
    }
    if support::python3_available() {
        let outputs: Vec<PathBuf> = cases.iter().map(Case::output).collect();
        let outputs: Vec<&Path> = outputs.iter().map(PathBuf::as_path).collect();
        for chunk in outputs.chunks(500) {
            failures.extend(
                support::python3_parse_failures(chunk)
                    .into_iter()
                    .map(|f| format!("python3 rejects {f}")),
            );
        }
    }
    // `--target six` outputs must compile under Python 2.7 too.
    let six_outputs: Vec<PathBuf> = cases
        .iter()
        .filter(|c| c.selector.starts_with(SIX_FOLDER))
        .map(Case::output)
        .collect();
    if let Some(python2) = support::python2().filter(|_| !six_outputs.is_empty()) {
        let out = std::process::Command::new(python2)
            .arg("-c")
            .arg(
                "import sys\nfor p in sys.argv[1:]:\n    try: compile(open(p).read(), p, 'exec')\n    \
                 except SyntaxError as e: print('%s:%s: %s' % (p, e.lineno, e.msg))",
            )
            .args(&six_outputs)
            .output()
            .expect("run Python 2.7");
        failures.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| format!("Python 2.7 rejects {l}")),
        );
    }
    for path in &updated {
        eprintln!("updated {path}");
    }
    assert!(
        failures.is_empty(),
        "{} fixture failures (UPDATE_FIXTURES=1 rewrites the .expected and .findings files; review \
         the result with git diff):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "{} cases checked: {changed} changed by fix, {findings} findings",
        cases.len()
    );
}

/// The same cases with CRLF line endings: what the fixers add (imports, lines, arguments on
/// their own line) must follow the file's newline style, so the output is the expected one
/// with CRLF endings, byte for byte; and the findings are the same, at the same lines and
/// columns.
#[test]
fn fixtures_keep_crlf_line_endings() {
    if updating() {
        eprintln!("UPDATE_FIXTURES: the other test is rewriting the files; skipped");
        return;
    }
    let crlf = |s: String| s.replace("\r\n", "\n").replace('\n', "\r\n");
    let mut failures = Vec::new();
    for case in &cases() {
        let settings = settings_for(&case.selector);
        let name = shown(&case.input);
        let source = crlf(std::fs::read_to_string(&case.input).unwrap());
        let want = crlf(std::fs::read_to_string(case.output()).unwrap());
        match fix_text(&source, &settings) {
            Ok(out) if out.text == want => {}
            Ok(out) => failures.push(format!(
                "{name}: CRLF output differs from expected\n{}",
                diff("expected", &want, &out.text)
            )),
            Err(e) => failures.push(format!("{name}: fix failed with CRLF: {e:?}")),
        }
        let want = std::fs::read_to_string(case.findings()).unwrap_or_default();
        match check_text(&source, &settings) {
            Ok(diags) => {
                let got = render_findings(&source, &diags);
                if got != want {
                    failures.push(format!(
                        "{name}: CRLF findings differ\n{}",
                        diff("findings", &want, &got)
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: check failed with CRLF: {e:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} CRLF fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every fixer has a fixture folder with at least one case (but those listed in
/// [`WITHOUT_FIXTURES`]), and every folder selects fixers.
#[test]
fn every_fixer_has_fixtures() {
    let cases = cases();
    let mut missing = Vec::new();
    for spec in registry::all() {
        let listed = WITHOUT_FIXTURES.iter().any(|(name, _)| *name == spec.name);
        let six = format!("{SIX_FOLDER}/{}", spec.name);
        let has = cases
            .iter()
            .any(|c| c.selector == spec.name || c.selector == six);
        if has == listed {
            missing.push(if listed {
                format!(
                    "{}: has fixtures now; remove it from WITHOUT_FIXTURES",
                    spec.name
                )
            } else {
                format!(
                    "{} {}: no case in fixtures/{}/",
                    spec.code, spec.name, spec.name
                )
            });
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    for case in &cases {
        settings_for(&case.selector);
    }
}

/// A fixture folder holds only cases and their `.expected` and `.findings` files: no file is
/// left behind by a renamed or deleted case, and every case has its findings.
#[test]
fn fixture_folders_hold_only_cases() {
    if updating() {
        eprintln!("UPDATE_FIXTURES: the other test is rewriting the files; skipped");
        return;
    }
    let mut stray = Vec::new();
    for (_, folder) in case_folders() {
        let Ok(files) = std::fs::read_dir(&folder) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let name = path.to_string_lossy().into_owned();
            let case = name
                .strip_suffix(".expected")
                .or_else(|| name.strip_suffix(".findings"));
            match case {
                Some(case) if case.ends_with(".py") && Path::new(case).is_file() => {}
                None if name.ends_with(".py") => {
                    if !Path::new(&format!("{name}.findings")).is_file() {
                        stray.push(format!("{}: no .findings file", shown(&path)));
                    }
                }
                _ => stray.push(format!(
                    "{}: not a case, .expected or .findings",
                    shown(&path)
                )),
            }
        }
    }
    assert!(
        stray.is_empty(),
        "{} (UPDATE_FIXTURES=1 writes missing .findings files)",
        stray.join("\n")
    );
}
