//! `py2to3 report`: the migration dashboard, one self-contained HTML page
//! (see [`crate::report::dashboard`]).
//!
//! Every file goes through the pipeline `check` uses (`check_file_text`, `# noqa` and
//! per-file ignores), so the page's findings are `check --output-format json`'s; the report
//! adds each file's line count and whether CPython 3 would compile it as it is. It reads and
//! writes no cache.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{file_settings, CommonArgs, Prepared};
use crate::engine::compile_check;
use crate::report::dashboard::{
    count_lines, data, history, html, Dashboard, FileRecord, FileState, Totals,
};
use crate::run::driver::{self, Candidate};
use crate::run::file::{check_file_text, read_file, FileStatus};

/// Write an HTML migration dashboard.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Folder to write the page to (`index.html` in it; created if missing).
    #[arg(short = 'o', long = "output", default_value = "py2to3-report")]
    pub output: PathBuf,
    /// JSON of `pickle audit --output-format json` or `memcache audit --output-format json`
    /// to show as a section of its own (repeatable).
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Also check the last N commits (read with git) and chart the progress.
    #[arg(long, value_name = "N")]
    pub history: Option<usize>,
}

/// What checking the files gave.
struct Scan {
    files: Vec<FileRecord>,
    /// Files skipped (binary) and paths that could not be walked: (path, reason).
    skipped: Vec<(String, String)>,
}

/// What one file gave.
enum Outcome {
    Record(FileRecord),
    Skipped(String),
    ConfigError(String),
    NotPython,
}

/// Checks one file as `check --no-cache` does, and adds its line count and whether CPython 3
/// compiles it.
fn record_of(c: &Candidate, prepared: &Prepared) -> Outcome {
    let path = c.path.display().to_string();
    let (config, settings, _) = match file_settings(prepared, &c.path, true) {
        Ok(x) => x,
        Err(e) => return Outcome::ConfigError(e),
    };
    let bytes = match c.metadata().and_then(|m| read_file(&c.path, m.len())) {
        Ok(b) => b,
        Err(e) => {
            return Outcome::Record(FileRecord {
                path,
                lines: 0,
                state: FileState::Failed(format!("cannot read: {e}")),
            })
        }
    };
    let lines = count_lines(&bytes);
    let state = match check_file_text(c, &bytes, &settings) {
        FileStatus::Checked { text, diagnostics } => {
            let findings = super::check::reported_findings(c, &text, &diagnostics, &config, &path);
            FileState::Checked {
                findings,
                python3: compile_check::check_source(&text).is_ok(),
            }
        }
        FileStatus::Failed(reason) => FileState::Failed(reason.trim().to_string()),
        FileStatus::Skipped(reason) => return Outcome::Skipped(reason),
        _ => return Outcome::NotPython,
    };
    Outcome::Record(FileRecord { path, lines, state })
}

/// Finds and checks the files `common` names.
fn scan(common: &CommonArgs) -> Result<Scan, String> {
    let prepared = common.prepare()?;
    let outcomes = driver::run_parallel(&prepared.files, common.jobs, |c| record_of(c, &prepared))?;
    let mut files = Vec::new();
    let mut skipped: Vec<(String, String)> = prepared
        .walk_errors
        .iter()
        .map(|(p, why)| (p.display().to_string(), why.clone()))
        .collect();
    for (c, outcome) in prepared.files.iter().zip(outcomes) {
        match outcome {
            Outcome::Record(record) => files.push(record),
            Outcome::Skipped(why) => skipped.push((c.path.display().to_string(), why)),
            Outcome::ConfigError(e) => return Err(e),
            Outcome::NotPython => {}
        }
    }
    Ok(Scan { files, skipped })
}

/// The counts of the files under `paths`, checked with the options of `common` (for the
/// history: `paths` are a commit's files in a temporary folder; `common` says no cache).
fn totals_of(common: &CommonArgs, paths: &[PathBuf]) -> Result<Totals, String> {
    let mut common = common.clone();
    common.paths = paths.to_vec();
    Ok(Totals::of(&scan(&common)?.files))
}

/// The current time as `YYYY-MM-DD HH:MM UTC`.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Reads the `--data` files.
fn read_data(files: &[PathBuf]) -> Result<Vec<data::DataSection>, String> {
    files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            data::parse(&path.display().to_string(), &text)
        })
        .collect()
}

/// Writes `page` as `index.html` in `dir`, creating the folder.
fn write_page(dir: &Path, page: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let file = dir.join("index.html");
    std::fs::write(&file, page).map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
    Ok(file)
}

/// Runs `report`: exit 0 when the page is written, 2 on a usage error (bad option,
/// configuration, `--data` file, or a page that cannot be written).
pub fn run(args: ReportArgs) -> ExitCode {
    match build_and_write(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("py2to3: error: {e}");
            crate::exit::trouble()
        }
    }
}

fn build_and_write(args: &ReportArgs) -> Result<(), String> {
    let data = read_data(&args.data)?;
    // No cache: neither its folder listings nor its findings (the page is made from the files).
    let mut common = args.common.clone();
    common.no_cache = true;
    let scan = scan(&common)?;
    let paths = if args.common.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.common.paths.clone()
    };
    let title: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut dashboard = Dashboard {
        title: title.join(" "),
        generated: now_utc(),
        files: scan.files,
        skipped: scan.skipped,
        data,
        ..Dashboard::default()
    };
    if let Some(count) = args.history {
        let check = |inside: &[PathBuf]| totals_of(&common, inside);
        match history::collect(&paths, count, &check) {
            Ok(points) => dashboard.history = points,
            Err(e) => dashboard.history_notes.push(format!("No history: {e}")),
        }
        dashboard.history.push(history::HistoryPoint {
            label: "working tree".to_string(),
            date: String::new(),
            subject: "the files as they are now".to_string(),
            totals: Ok(Totals::of(&dashboard.files)),
        });
    }
    for (path, why) in &dashboard.skipped {
        eprintln!("{path}: skipped: {why}");
    }
    let file = write_page(&args.output, &html::render(&dashboard))?;
    let totals = Totals::of(&dashboard.files);
    eprintln!(
        "py2to3 report: {} files, {} lines, {} migrated, {} findings left ({} automatic, {} \
         manual), {} that do not parse: wrote {}",
        totals.files,
        totals.lines,
        totals.migrated_files,
        totals.findings,
        totals.fixable,
        totals.manual,
        totals.failed_files,
        file.display()
    );
    Ok(())
}
