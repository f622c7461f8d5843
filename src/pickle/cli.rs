//! `py2to3 pickle ...` subcommands: a thin layer of argument parsing and printing over the
//! library.
//!
//! Exit status, the same rule for every subcommand: 0 clean; 1 incompatible, dangerous or
//! unreadable data (for `audit`: a blob that cannot be read, holds a known gadget, loads in no
//! Python 3 encoding, or fails a `--require` condition; for `dis`: input that does not read as
//! a pickle; for `diff`: the pickles differ or one cannot be read); 2 usage, configuration or
//! I/O errors (a missing path, an unreadable file, a broken config). A closed standard output
//! (`| head`) stops the output quietly.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::container::{looks_compressed, ContainerOptions};
use super::files::{audit_paths, expand_paths, open_input, InputError, PathAudit};
use super::names::UserAllowList;
use super::render::Py3Encoding;
use super::verdict::{apply_user_allow, BlobAudit};

/// Audit, disassemble or compare pickle blobs without unpickling them.
#[derive(Debug, clap::Args)]
pub struct PickleArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PickleCommand,
}

/// Output formats of the pickle subcommands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// For people: a table (audit), a listing (dis), a diff (diff).
    Text,
    /// JSON lines (audit: one object per blob; dis: one per opcode, then one per pickle) or
    /// one JSON object (diff).
    Json,
}

/// Conditions `--require` can impose on every blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Requirement {
    /// Python 2.7 can load it.
    Py2,
    /// Python 3 can load it with the default encoding ('ASCII').
    Py3,
    /// Python 3 can load it with encoding='latin1'.
    Py3Latin1,
    /// Python 3 can load it with encoding='bytes'.
    Py3Bytes,
    /// Every global is on the allow-list (or allowed in the config): no known gadget, no
    /// unknown global.
    Safe,
}

/// Parses a size: a number of bytes, or with a suffix K, M, G (KiB, MiB, GiB: powers of 1024).
fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, suffix) = text.split_at(split);
    let number: usize = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size (bytes, or with K, M, G)"))?;
    let unit: usize = match suffix.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("`{text}`: unknown size unit `{suffix}`")),
    };
    number
        .checked_mul(unit)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// The `pickle` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PickleCommand {
    /// Audit blobs (files, folders recursively, or - for stdin).
    ///
    /// Exit status: 0 when every blob reads, holds no known gadget, loads in some Python 3
    /// encoding and meets every --require; 1 otherwise; 2 on a missing path, an unreadable
    /// file or a broken config. Memory: files are memory-mapped, decompression is capped by
    /// --max-blob-size, and each worker thread holds one blob at a time.
    Audit {
        /// Files, folders or `-` (stdin).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        output_format: OutputFormat,
        /// Exit with 1 when a blob fails one of these (comma-separated).
        #[arg(long, value_enum, value_delimiter = ',')]
        require: Vec<Requirement>,
        /// Bound on the decompressed size of a zlib/gzip blob, and on input read from a pipe
        /// (bytes, or with K, M, G).
        #[arg(long, alias = "max-decompressed", value_parser = parse_size, default_value = "64M")]
        max_blob_size: usize,
        /// Also trust this global (`module.name` or `module.*`) for `--require safe`; adds to
        /// `[tool.py2to3.pickle] allow` of the configuration.
        #[arg(long = "allow", value_name = "GLOBAL")]
        allow: Vec<String>,
        /// Read `[tool.py2to3.pickle]` from this file instead of the nearest py2to3.toml or
        /// pyproject.toml from the working directory upwards.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Read no configuration file.
        #[arg(long)]
        isolated: bool,
    },
    /// List the opcodes of a pickle, like `python -m pickletools`.
    ///
    /// Exit status: 0 when the input reads as pickles, 1 when it does not, 2 when it cannot
    /// be opened.
    Dis {
        /// The file (or - for stdin).
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        output_format: OutputFormat,
        /// Bound on the decompressed size of a compressed input (bytes, or with K, M, G).
        #[arg(long, value_parser = parse_size, default_value = "64M")]
        max_blob_size: usize,
    },
    /// Decode two pickles into values and show what differs, as Python 2 and Python 3 see them.
    ///
    /// A view an interpreter cannot load (a protocol 3+ pickle in Python 2, a non-ASCII py2
    /// str under encoding='ASCII') says so instead of showing a value. Exit status: 0 same,
    /// 1 different or unreadable, 2 when a file cannot be opened.
    Diff {
        /// First pickle file.
        a: PathBuf,
        /// Second pickle file.
        b: PathBuf,
        /// How Python 3 decodes py2 str values.
        #[arg(long, value_enum, default_value_t = Py3Encoding::Latin1)]
        encoding: Py3Encoding,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        output_format: OutputFormat,
        /// Bound on the decompressed size of a compressed input (bytes, or with K, M, G).
        #[arg(long, value_parser = parse_size, default_value = "64M")]
        max_blob_size: usize,
    },
}

/// Runs a `pickle` subcommand.
pub fn run(args: PickleArgs) -> ExitCode {
    match args.command {
        PickleCommand::Audit {
            paths,
            output_format,
            require,
            max_blob_size,
            allow,
            config,
            isolated,
        } => {
            let allow = match user_allow_list(allow, config.as_deref(), isolated) {
                Ok(allow) => allow,
                Err(e) => {
                    eprintln!("py2to3 pickle audit: {e}");
                    return crate::exit::trouble();
                }
            };
            run_audit(&paths, output_format, &require, max_blob_size, &allow)
        }
        PickleCommand::Dis {
            file,
            output_format,
            max_blob_size,
        } => run_dis(&file, output_format, max_blob_size),
        PickleCommand::Diff {
            a,
            b,
            encoding,
            output_format,
            max_blob_size,
        } => run_diff(&a, &b, encoding, output_format, max_blob_size),
    }
}

/// The globals the user trusts: `--allow`, plus `[tool.py2to3.pickle] allow` of the
/// configuration (`--config`, else the nearest file from the working directory up).
fn user_allow_list(
    mut entries: Vec<String>,
    config: Option<&Path>,
    isolated: bool,
) -> Result<UserAllowList, String> {
    if !isolated {
        let found = match config {
            Some(path) => crate::config::file::load(path).map_err(|e| e.to_string())?,
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| format!("cannot read the working directory: {e}"))?;
                crate::config::file::find_upwards(&cwd).map_err(|e| e.to_string())?
            }
        };
        if let Some(allow) = found.and_then(|f| f.options.pickle).and_then(|p| p.allow) {
            entries.extend(allow);
        }
    }
    UserAllowList::new(entries)
}

fn meets(a: &BlobAudit, requirement: Requirement) -> bool {
    if a.error.is_some() {
        return false;
    }
    match requirement {
        Requirement::Py2 => a.py2_loadable,
        Requirement::Py3 => a.py3_loadable.ascii,
        Requirement::Py3Latin1 => a.py3_loadable.latin1,
        Requirement::Py3Bytes => a.py3_loadable.bytes && a.bytes_depends_on.is_empty(),
        Requirement::Safe => a.safe,
    }
}

/// What fails a blob without any `--require`: unreadable, a known gadget, or no Python 3
/// encoding loads it.
fn fails_by_default(a: &BlobAudit) -> bool {
    let py3 = a.py3_loadable;
    a.error.is_some() || a.dangerous || !(py3.ascii || py3.latin1 || py3.bytes)
}

/// Ends a write to standard output: a closed pipe (`| head`) is no error, anything else is.
fn output_done(result: std::io::Result<()>, command: &str) -> Result<(), ExitCode> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            eprintln!("py2to3 pickle {command}: cannot write output: {e}");
            Err(crate::exit::trouble())
        }
    }
}

fn run_audit(
    paths: &[PathBuf],
    format: OutputFormat,
    require: &[Requirement],
    max_blob_size: usize,
    allow: &UserAllowList,
) -> ExitCode {
    let files = match expand_paths(paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("py2to3 pickle audit: {}", e);
            return crate::exit::trouble();
        }
    };
    let options = ContainerOptions {
        max_blob_size,
        ..Default::default()
    };
    let mut blobs = audit_paths(&files, options);
    for blob in &mut blobs {
        apply_user_allow(&mut blob.audit, allow);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let printed = match format {
        OutputFormat::Json => print_json(&mut out, &blobs),
        OutputFormat::Text => print_table(&mut out, &blobs),
    };
    if let Err(code) = output_done(printed.and_then(|_| out.flush()), "audit") {
        return code;
    }
    let read_failures = blobs.iter().filter(|b| b.read_failed).count();
    for blob in blobs.iter().filter(|b| b.read_failed) {
        if let Some(e) = &blob.audit.error {
            eprintln!("py2to3 pickle audit: {}: {}", blob.path, e);
        }
    }
    if read_failures > 0 {
        return crate::exit::trouble();
    }
    let failing = blobs
        .iter()
        .filter(|b| fails_by_default(&b.audit) || require.iter().any(|r| !meets(&b.audit, *r)))
        .count();
    if failing > 0 {
        eprintln!(
            "{} blob(s) unreadable, dangerous, loading in no Python 3 encoding or failing --require",
            failing
        );
        return crate::exit::FOUND;
    }
    ExitCode::SUCCESS
}

fn print_json(out: &mut impl Write, blobs: &[PathAudit]) -> std::io::Result<()> {
    for blob in blobs {
        serde_json::to_writer(&mut *out, blob)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn print_table(out: &mut impl Write, blobs: &[PathAudit]) -> std::io::Result<()> {
    let width = blobs
        .iter()
        .map(|b| b.path.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 70);
    writeln!(
        out,
        "{:<width$} {:>5} {:>4} {:>15} {:>6} {:>4}  FINDINGS",
        "PATH", "PROTO", "PY2", "PY3 ascii/l1/b", "DANGER", "SAFE"
    )?;
    // Each code seen, with how many blobs have it, for the legend.
    let mut seen: Vec<(String, usize)> = Vec::new();
    for blob in blobs {
        let a = &blob.audit;
        let proto = a.protocol.map_or("-".to_string(), |p| p.to_string());
        let py3 = format!(
            "{}/{}/{}",
            yes_no(a.py3_loadable.ascii),
            yes_no(a.py3_loadable.latin1),
            if a.py3_loadable.bytes && !a.bytes_depends_on.is_empty() {
                "dep"
            } else {
                yes_no(a.py3_loadable.bytes)
            }
        );
        let mut notes: Vec<String> = Vec::new();
        for f in &a.findings {
            if !notes.contains(&f.code) {
                notes.push(f.code.clone());
                match seen.iter_mut().find(|(c, _)| *c == f.code) {
                    Some((_, n)) => *n += 1,
                    None => seen.push((f.code.clone(), 1)),
                }
            }
        }
        if let Some(e) = &a.error {
            notes.insert(0, format!("ERROR: {}", e));
        }
        writeln!(
            out,
            "{:<width$} {:>5} {:>4} {:>15} {:>6} {:>4}  {}",
            blob.path,
            proto,
            yes_no(a.py2_loadable),
            py3,
            yes_no(a.dangerous),
            yes_no(a.safe && a.error.is_none()),
            notes.join(", ")
        )?;
    }
    let count = |f: &dyn Fn(&PathAudit) -> bool| blobs.iter().filter(|b| f(b)).count();
    writeln!(out)?;
    writeln!(
        out,
        "{} blob(s): {} unreadable, {} load in Python 2, {} in Python 3 (ASCII), {} with latin1, {} with bytes ({} more depending on their classes), {} dangerous, {} with unknown globals",
        blobs.len(),
        count(&|b| b.audit.error.is_some()),
        count(&|b| b.audit.py2_loadable),
        count(&|b| b.audit.py3_loadable.ascii),
        count(&|b| b.audit.py3_loadable.latin1),
        count(&|b| b.audit.py3_loadable.bytes && b.audit.bytes_depends_on.is_empty()),
        count(&|b| b.audit.py3_loadable.bytes && !b.audit.bytes_depends_on.is_empty()),
        count(&|b| b.audit.dangerous),
        count(&|b| !b.audit.unknown_globals.is_empty()),
    )?;
    if !seen.is_empty() {
        writeln!(out)?;
        writeln!(out, "Findings (py2to3 explain CODE for more):")?;
        let code_width = seen.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
        for (code, n) in &seen {
            writeln!(
                out,
                "  {:<code_width$}  {:>5} blob(s)  {}",
                code,
                n,
                super::codes::title(code)
            )?;
        }
    }
    Ok(())
}

/// The bytes `dis` and `diff` read: the input as opened (mapped or read), or its
/// decompressed content.
enum Blob {
    /// A pickle as opened.
    Plain(super::files::Input),
    /// The content of a zlib/gzip stream.
    Inflated(Vec<u8>),
}

impl std::ops::Deref for Blob {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Blob::Plain(input) => input,
            Blob::Inflated(data) => data,
        }
    }
}

/// Opens a file (or stdin) and, when it is not a pickle but a zlib/gzip stream, decompresses
/// it. `Err` carries the message and the exit status (2: cannot open; 1: bad data).
fn read_blob(path: &Path, max: usize) -> Result<Blob, (String, u8)> {
    let input = match open_input(path, max) {
        Ok(input) => input,
        Err(e @ InputError::TooLarge(_)) => return Err((format!("{}: {}", path.display(), e), 1)),
        Err(e) => return Err((format!("{}: {}", path.display(), e), 2)),
    };
    match looks_compressed(&input, 0) {
        Some(kind) => super::container::decompress(&input, kind, max)
            .map(Blob::Inflated)
            .map_err(|e| (format!("{}: {}", path.display(), e), 1)),
        None => Ok(Blob::Plain(input)),
    }
}

fn run_dis(path: &Path, format: OutputFormat, max: usize) -> ExitCode {
    let data = match read_blob(path, max) {
        Ok(data) => data,
        Err((e, code)) => {
            eprintln!("py2to3 pickle dis: {}", e);
            return ExitCode::from(code);
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let listed = super::render::disassemble_to(&data, &mut out, format == OutputFormat::Json);
    let result = listed.and_then(|ok| out.flush().map(|_| ok));
    let readable = match result {
        Ok(readable) => readable,
        Err(e) => {
            return output_done(Err(e), "dis").map_or_else(|code| code, |_| ExitCode::SUCCESS);
        }
    };
    if readable {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "py2to3 pickle dis: {}: does not read as a pickle",
            path.display()
        );
        crate::exit::FOUND
    }
}

/// One side of one view of `pickle diff`.
#[derive(Debug, Serialize, PartialEq)]
struct Side {
    /// Whether that interpreter loads the pickle.
    loads: bool,
    /// The value it loads, as its `repr` shows it.
    value: Option<String>,
    /// Why it does not load.
    error: Option<String>,
}

impl Side {
    fn text(&self) -> String {
        match (&self.value, &self.error) {
            (Some(v), _) => v.clone(),
            (None, Some(e)) => format!("<cannot load: {}>\n", e),
            (None, None) => "<cannot load>\n".into(),
        }
    }
}

/// One view of `pickle diff` (Python 2, or Python 3 with one encoding).
#[derive(Debug, Serialize)]
struct ViewDiff {
    view: String,
    a: Side,
    b: Side,
    same: bool,
    diff: Option<String>,
}

/// `pickle diff --output-format json`.
#[derive(Debug, Serialize)]
struct DiffJson<'p> {
    a: &'p str,
    b: &'p str,
    differ: bool,
    views: Vec<ViewDiff>,
}

fn side(
    sim: &super::simulate::Simulation<'_>,
    audit: &BlobAudit,
    view: super::render::View,
) -> Side {
    use super::render::View;
    let (loads, why) = match view {
        View::Py2 => (audit.py2_loadable, &audit.why_not.py2),
        View::Py3(Py3Encoding::Ascii) => (audit.py3_loadable.ascii, &audit.why_not.py3_ascii),
        View::Py3(Py3Encoding::Latin1) => (audit.py3_loadable.latin1, &audit.why_not.py3_latin1),
        View::Py3(Py3Encoding::Bytes) => (audit.py3_loadable.bytes, &audit.why_not.py3_bytes),
    };
    if loads {
        Side {
            loads,
            value: Some(super::render::render_value(sim, view)),
            error: None,
        }
    } else {
        Side {
            loads,
            value: None,
            error: Some(
                audit
                    .error
                    .clone()
                    .or_else(|| why.clone())
                    .unwrap_or_else(|| "see `py2to3 pickle audit`".into()),
            ),
        }
    }
}

fn run_diff(
    a: &Path,
    b: &Path,
    encoding: Py3Encoding,
    format: OutputFormat,
    max: usize,
) -> ExitCode {
    use super::render::View;
    use super::simulate::{simulate, Limits};
    let (da, db) = match (read_blob(a, max), read_blob(b, max)) {
        (Ok(da), Ok(db)) => (da, db),
        (Err((e, code)), _) | (_, Err((e, code))) => {
            eprintln!("py2to3 pickle diff: {}", e);
            return ExitCode::from(code);
        }
    };
    let (sa, sb) = (
        simulate(&da, 0, Limits::default()),
        simulate(&db, 0, Limits::default()),
    );
    let (audit_a, audit_b) = (super::verdict::judge(&sa), super::verdict::judge(&sb));
    let enc_name = match encoding {
        Py3Encoding::Ascii => "ASCII",
        Py3Encoding::Latin1 => "latin1",
        Py3Encoding::Bytes => "bytes",
    };
    let views = [
        (View::Py2, "Python 2".to_string()),
        (
            View::Py3(encoding),
            format!("Python 3, encoding='{}'", enc_name),
        ),
    ];
    let (name_a, name_b) = (a.display().to_string(), b.display().to_string());
    let mut report = DiffJson {
        a: &name_a,
        b: &name_b,
        differ: false,
        views: Vec::new(),
    };
    let mut text = String::new();
    for (view, label) in views {
        let (side_a, side_b) = (side(&sa, &audit_a, view), side(&sb, &audit_b, view));
        let (ta, tb) = (side_a.text(), side_b.text());
        let same = ta == tb;
        let mut diff = None;
        if same && side_a.loads {
            text.push_str(&format!("same as {} sees them:\n{}", label, ta));
        } else if same {
            text.push_str(&format!("{} loads neither:\n  {}\n", label, ta.trim_end()));
        } else {
            let mut d = format!("--- {} ({})\n+++ {} ({})\n", name_a, label, name_b, label);
            let lines = similar::TextDiff::from_lines(&ta, &tb);
            for change in lines.iter_all_changes() {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                d.push(sign);
                d.push_str(&change.to_string());
            }
            text.push_str(&d);
            text.push('\n');
            diff = Some(d);
        }
        report.differ |= !same;
        report.views.push(ViewDiff {
            view: label,
            a: side_a,
            b: side_b,
            same,
            diff,
        });
    }
    let unreadable = audit_a.error.is_some() || audit_b.error.is_some();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match format {
        OutputFormat::Text => out.write_all(text.as_bytes()),
        OutputFormat::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|_| out.write_all(b"\n")),
    };
    if let Err(code) = output_done(written.and_then(|_| out.flush()), "diff") {
        return code;
    }
    if report.differ || unreadable {
        crate::exit::FOUND
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2KiB"), Ok(2048));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
    }

    #[test]
    fn default_failures() {
        let mut a = BlobAudit {
            py2_loadable: true,
            py3_loadable: crate::pickle::Py3Loadable {
                ascii: false,
                latin1: true,
                bytes: true,
            },
            safe: true,
            ..Default::default()
        };
        assert!(!fails_by_default(&a));
        a.dangerous = true;
        assert!(fails_by_default(&a));
    }
}
