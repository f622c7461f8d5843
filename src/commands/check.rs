//! `py2to3 check`: report every Python 2 construct with its code and position.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use super::{file_settings, CommonArgs};
use crate::config::Config;
use crate::engine::noqa;
use crate::engine::pipeline::Settings;
use crate::report::{self, FileSources, Finding, OutputFormat, ReportOptions, SourceLines};
use crate::run::cache::{CacheKey, CachedFile, ContentHash, FileStamp};
use crate::run::driver::{self, Candidate};
use crate::run::file::{check_file_text, read_file, FileStatus};
use crate::tokens;

/// Report Python 2 constructs without changing anything.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Print the number of findings of each rule.
    #[arg(long)]
    pub statistics: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Write `# noqa: CODE (backlog)` on the line of every current finding (only comments are
    /// added); `check` is then clean and `fix` still converts the code.
    #[arg(long, conflicts_with_all = ["baseline", "write_baseline"])]
    pub add_noqa: bool,
    /// Report only the findings not recorded in this baseline file (matched by path, code and
    /// the line's text).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<std::path::PathBuf>,
    /// Record the current findings in this baseline file (and report nothing).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<std::path::PathBuf>,
}

/// `--add-noqa`, `--write-baseline` (which end the run: their exit code) and `--baseline`
/// (which drops the findings it records).
fn adopt(args: &CheckArgs, findings: &mut Vec<Finding>) -> Option<ExitCode> {
    let unreadable = |f: &Finding| f.code == report::rules::SYNTAX_ERROR.code;
    let failed = findings.iter().filter(|f| unreadable(f)).count();
    if args.add_noqa || args.write_baseline.is_some() {
        for f in findings.iter().filter(|f| unreadable(f)) {
            eprintln!(
                "{}:{}:{}: {} {}",
                f.path, f.line, f.column, f.code, f.message
            );
        }
    }
    if args.add_noqa {
        let readable: Vec<Finding> = findings
            .iter()
            .filter(|f| !unreadable(f))
            .cloned()
            .collect();
        let summary = super::add_noqa::add_to_files(&readable);
        for e in &summary.errors {
            eprintln!("{e}: error: could not add `# noqa`");
        }
        for l in &summary.left {
            eprintln!(
                "{l}: warning: no place for a `# noqa` comment (the lines end inside a string)"
            );
        }
        eprintln!(
            "py2to3: added `# noqa` for {} finding{} in {} file{}",
            summary.silenced,
            if summary.silenced == 1 { "" } else { "s" },
            summary.files,
            if summary.files == 1 { "" } else { "s" }
        );
        let clean = summary.errors.is_empty() && summary.left.is_empty() && failed == 0;
        return Some(if summary.errors.is_empty() {
            crate::exit::found_if(!clean)
        } else {
            crate::exit::trouble()
        });
    }
    if let Some(path) = &args.write_baseline {
        let baseline = super::baseline::record(findings);
        return Some(match super::baseline::write(path, &baseline) {
            Ok(()) => {
                eprintln!(
                    "py2to3: recorded {} finding{} in {}",
                    findings.len(),
                    if findings.len() == 1 { "" } else { "s" },
                    path.display()
                );
                crate::exit::found_if(failed > 0)
            }
            Err(e) => {
                eprintln!("py2to3: error: {e}");
                crate::exit::trouble()
            }
        });
    }
    if let Some(path) = &args.baseline {
        match super::baseline::read(path) {
            Ok(baseline) => {
                *findings = super::baseline::filter(std::mem::take(findings), &baseline)
            }
            Err(e) => {
                eprintln!("py2to3: error: {e}");
                return Some(crate::exit::trouble());
            }
        }
    }
    None
}

/// What checking one file gave.
enum Outcome {
    Findings(Vec<Finding>),
    /// The file's configuration is broken (unknown key, bad value...): a usage error.
    ConfigError(String),
    Failed(String),
    Skipped(String),
    NotPython,
}

fn check_one(c: &Candidate, prepared: &super::Prepared, no_cache: bool) -> Outcome {
    let path = c.path.display().to_string();
    let (config, settings, cache) = match file_settings(prepared, &c.path, no_cache) {
        Ok(x) => x,
        Err(e) => return Outcome::ConfigError(e),
    };
    // The settings' part of the cache key (a disabled cache needs none).
    let fingerprint = if cache.is_enabled() {
        config.fingerprint(&c.path, "check", &*prepared.folders)
    } else {
        0
    };
    let meta = match c.metadata() {
        Ok(m) => m,
        Err(e) => return Outcome::Failed(format!(" cannot read: {e}")),
    };
    // A file read by an earlier run under the same stamp is known without reading it.
    let stamp = cache.is_enabled().then(|| FileStamp::of(&meta)).flatten();
    if let Some(content) = stamp.and_then(|s| cache.content_by_stamp(&path, &s)) {
        if let Some(hit) = cache.get(CacheKey::for_content(content, fingerprint), &path) {
            return Outcome::Findings(hit.findings);
        }
    }
    let bytes = match read_file(&c.path, meta.len()) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!(" cannot read: {e}")),
    };
    let content = ContentHash::of(&bytes);
    if let Some(stamp) = stamp {
        cache.put_stamp(&path, stamp, content);
    }
    let key = CacheKey::for_content(content, fingerprint);
    if let Some(hit) = cache.get(key, &path) {
        return Outcome::Findings(hit.findings);
    }
    let outcome = check_bytes(c, &bytes, &config, &settings, &path);
    if let Outcome::Findings(findings) = &outcome {
        let _ = cache.put(
            key,
            &CachedFile {
                findings: findings.clone(),
                unchanged: findings.is_empty(),
            },
        );
    }
    outcome
}

/// What `check` reports of the diagnostics of the file `c` (its text `text`, shown as
/// `path`): less what `# noqa` comments and the configuration's per-file ignores silence.
pub(crate) fn reported_findings(
    c: &Candidate,
    text: &str,
    diagnostics: &[crate::engine::Diagnostic],
    config: &Config,
    path: &str,
) -> Vec<Finding> {
    // Only a file that mentions a directive is tokenized again for its comments.
    let tokens = if diagnostics.is_empty() || !noqa::may_have_directives(text) {
        Vec::new()
    } else {
        tokens::tokenize(text)
    };
    let mut findings = noqa::file_findings(diagnostics, path, text, &tokens);
    config.retain_reported(&c.path, &mut findings);
    findings
}

/// Checks the file `c` whose bytes are `bytes`, reported as `path`.
fn check_bytes(
    c: &Candidate,
    bytes: &[u8],
    config: &Config,
    settings: &Settings,
    path: &str,
) -> Outcome {
    match check_file_text(c, bytes, settings) {
        FileStatus::Checked { text, diagnostics } => {
            Outcome::Findings(reported_findings(c, &text, &diagnostics, config, path))
        }
        FileStatus::Failed(reason) => Outcome::Failed(reason),
        FileStatus::Skipped(reason) => Outcome::Skipped(reason),
        _ => Outcome::NotPython,
    }
}

/// Runs `check`; exit 0 when nothing is found, 1 on findings (a file that cannot be read or
/// parsed is one: PY000), 2 on usage errors: a broken configuration file (reported once however
/// many files it covers) or a path that does not exist.
pub fn run(args: CheckArgs) -> ExitCode {
    if !args.common.no_cache && !args.common.reads_stdin() {
        // The cache of a run from a project's root (the common case) loads during the walk.
        if let Ok(cwd) = std::env::current_dir() {
            crate::run::cache::Cache::open(&cwd).prefetch();
        }
    }
    let prepared = match args.common.prepare() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return crate::exit::trouble();
        }
    };
    if args.common.reads_stdin() {
        return check_stdin(&args, &prepared);
    }
    if prepared.files.is_empty() && prepared.walk_errors.is_empty() {
        eprintln!("py2to3: warning: no Python files found under the given paths (or all excluded)");
    }
    let no_cache = args.common.no_cache;
    let results = match driver::run_parallel(&prepared.files, args.common.jobs, |c| {
        check_one(c, &prepared, no_cache)
    }) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return crate::exit::trouble();
        }
    };
    let mut findings = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for (path, reason) in &prepared.walk_errors {
        errors.push(format!("{}: {reason}", path.display()));
    }
    for (c, r) in prepared.files.iter().zip(results) {
        collect(c, r, &mut findings, &mut errors);
    }
    if !no_cache {
        // The cache is only an accelerator: a run whose cache cannot be written still reports.
        let _ = crate::run::cache::flush_all();
    }
    let sources = FileSources::new("");
    report(&args, findings, &errors, &sources)
}

/// Adds what checking `c` gave to `findings` (a file that cannot be checked is a PY000
/// finding) or to `errors` (a broken configuration, once).
fn collect(c: &Candidate, outcome: Outcome, findings: &mut Vec<Finding>, errors: &mut Vec<String>) {
    match outcome {
        Outcome::Findings(f) => findings.extend(f),
        Outcome::ConfigError(e) => {
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
        Outcome::Failed(reason) => findings.push(report::syntax_error_finding(
            &c.path.display().to_string(),
            &reason,
        )),
        Outcome::Skipped(reason) => eprintln!("{}: skipped: {reason}", c.path.display()),
        Outcome::NotPython => {}
    }
}

/// `check -`: the text on standard input, as the file `--stdin-filename` names.
fn check_stdin(args: &CheckArgs, prepared: &super::Prepared) -> ExitCode {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("py2to3: error: cannot read standard input: {e}");
        return crate::exit::trouble();
    }
    let path = args.common.stdin_path();
    let c = Candidate::explicit(path.clone());
    let (config, settings, _) = match file_settings(prepared, &path, true) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            return crate::exit::trouble();
        }
    };
    let name = path.display().to_string();
    let outcome = check_bytes(&c, &bytes, &config, &settings, &name);
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    collect(&c, outcome, &mut findings, &mut errors);
    let mut sources = std::collections::HashMap::new();
    sources.insert(name, String::from_utf8_lossy(&bytes).into_owned());
    report(args, findings, &errors, &sources)
}

/// Prints the findings (and the errors, on stderr) and gives the exit code.
fn report(
    args: &CheckArgs,
    mut findings: Vec<Finding>,
    errors: &[String],
    sources: &dyn SourceLines,
) -> ExitCode {
    for e in errors {
        eprintln!("py2to3: error: {e}");
    }
    report::sort_findings(&mut findings);
    if errors.is_empty() {
        if let Some(code) = adopt(args, &mut findings) {
            return code;
        }
    }
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    // Stdout is line-buffered: one write per finding without a buffer of our own.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let options = ReportOptions {
        color: args.common.color.enabled(terminal),
        show_source: terminal,
        sources,
    };
    let text = args.output_format == OutputFormat::Text;
    if args.statistics {
        let counts = report::statistics(&findings);
        let _ = match args.output_format {
            OutputFormat::Json => report::write_statistics_json(&counts, &mut out),
            _ => report::write_statistics(&counts, &mut out)
                .and_then(|_| report::write_statistics_legend(&counts, &mut out)),
        };
    } else if !(text && findings.is_empty() && !errors.is_empty()) {
        // "All checks passed!" never follows an error.
        let _ = report::write_report(args.output_format, &findings, &options, &mut out);
    }
    let _ = out.flush();
    let unreadable = findings
        .iter()
        .filter(|f| f.code == report::rules::SYNTAX_ERROR.code)
        .count();
    if unreadable > 0 {
        eprintln!(
            "py2to3: {unreadable} file{} could not be checked (PY000)",
            if unreadable == 1 { "" } else { "s" }
        );
    }
    if !errors.is_empty() {
        crate::exit::trouble()
    } else {
        ExitCode::from(report::exit_status(&findings, args.exit_zero))
    }
}
