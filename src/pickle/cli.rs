//! `py2to3 pickle ...` subcommands: a thin layer of argument parsing and printing over the
//! library. Exit codes: 0 fine, 1 a `--require` condition (or a diff) failed, 2 usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::container::{ContainerOptions, DEFAULT_MAX_DECOMPRESSED};
use super::files::{audit_paths, expand_paths, PathAudit};

/// Audit, disassemble or compare pickle blobs without unpickling them.
#[derive(Debug, clap::Args)]
pub struct PickleArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PickleCommand,
}

/// Output formats of `pickle audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A table and a summary.
    Text,
    /// One JSON object per blob, one per line.
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
    /// No dangerous global.
    Safe,
}

/// The `pickle` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PickleCommand {
    /// Audit blobs (files, folders recursively, or - for stdin).
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
        /// Bound on the decompressed size of a zlib/gzip blob, in bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_DECOMPRESSED)]
        max_decompressed: usize,
    },
    /// List the opcodes of a pickle, like `python -m pickletools`.
    Dis {
        /// The file (or - for stdin).
        file: PathBuf,
    },
    /// Decode two pickles into values and show what differs, as Python 2 and Python 3 see them.
    Diff {
        /// First pickle file.
        a: PathBuf,
        /// Second pickle file.
        b: PathBuf,
        /// How Python 3 decodes py2 str values.
        #[arg(long, value_enum, default_value_t = super::render::Py3Encoding::Latin1)]
        encoding: super::render::Py3Encoding,
    },
}

/// Runs a `pickle` subcommand.
pub fn run(args: PickleArgs) -> ExitCode {
    match args.command {
        PickleCommand::Audit {
            paths,
            output_format,
            require,
            max_decompressed,
        } => run_audit(&paths, output_format, &require, max_decompressed),
        PickleCommand::Dis { file } => run_dis(&file),
        PickleCommand::Diff { a, b, encoding } => run_diff(&a, &b, encoding),
    }
}

fn meets(blob: &PathAudit, requirement: Requirement) -> bool {
    let a = &blob.audit;
    if a.error.is_some() {
        return false;
    }
    match requirement {
        Requirement::Py2 => a.py2_loadable,
        Requirement::Py3 => a.py3_loadable.ascii,
        Requirement::Py3Latin1 => a.py3_loadable.latin1,
        Requirement::Py3Bytes => a.py3_loadable.bytes,
        Requirement::Safe => !a.dangerous,
    }
}

fn run_audit(
    paths: &[PathBuf],
    format: OutputFormat,
    require: &[Requirement],
    max_decompressed: usize,
) -> ExitCode {
    let files = match expand_paths(paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("py2to3 pickle audit: {}", e);
            return ExitCode::from(2);
        }
    };
    let options = ContainerOptions {
        max_decompressed,
        ..Default::default()
    };
    let blobs = audit_paths(&files, options);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let printed = match format {
        OutputFormat::Json => print_json(&mut out, &blobs),
        OutputFormat::Text => print_table(&mut out, &blobs),
    };
    if printed.and_then(|_| out.flush()).is_err() {
        return ExitCode::from(2);
    }
    let failing = blobs
        .iter()
        .filter(|b| require.iter().any(|r| !meets(b, *r)))
        .count();
    if failing > 0 {
        eprintln!("{} blob(s) fail --require", failing);
        return ExitCode::from(1);
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
        "{:<width$} {:>5} {:>4} {:>15} {:>6}  FINDINGS",
        "PATH", "PROTO", "PY2", "PY3 ascii/l1/b", "DANGER"
    )?;
    for blob in blobs {
        let a = &blob.audit;
        let proto = a.protocol.map_or("-".to_string(), |p| p.to_string());
        let py3 = format!(
            "{}/{}/{}",
            yes_no(a.py3_loadable.ascii),
            yes_no(a.py3_loadable.latin1),
            yes_no(a.py3_loadable.bytes)
        );
        let mut notes: Vec<String> = Vec::new();
        for f in &a.findings {
            if !notes.contains(&f.code) {
                notes.push(f.code.clone());
            }
        }
        if let Some(e) = &a.error {
            notes.insert(0, format!("ERROR: {}", e));
        }
        writeln!(
            out,
            "{:<width$} {:>5} {:>4} {:>15} {:>6}  {}",
            blob.path,
            proto,
            yes_no(a.py2_loadable),
            py3,
            yes_no(a.dangerous),
            notes.join(", ")
        )?;
    }
    let count = |f: &dyn Fn(&PathAudit) -> bool| blobs.iter().filter(|b| f(b)).count();
    writeln!(out)?;
    writeln!(
        out,
        "{} blob(s): {} unreadable, {} load in Python 2, {} in Python 3 (ASCII), {} with latin1, {} with bytes, {} dangerous",
        blobs.len(),
        count(&|b| b.audit.error.is_some()),
        count(&|b| b.audit.py2_loadable),
        count(&|b| b.audit.py3_loadable.ascii),
        count(&|b| b.audit.py3_loadable.latin1),
        count(&|b| b.audit.py3_loadable.bytes),
        count(&|b| b.audit.dangerous),
    )?;
    Ok(())
}

/// Reads a file (or stdin) and, when it is zlib/gzip, decompresses it.
fn read_blob(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let data = super::files::read_input(path).map_err(|e| format!("{}: {}", path.display(), e))?;
    match super::container::detect_compression(&data) {
        Some(kind) => super::container::decompress(&data, kind, DEFAULT_MAX_DECOMPRESSED),
        None => Ok(data),
    }
}

fn run_dis(path: &std::path::Path) -> ExitCode {
    match read_blob(path) {
        Ok(data) => {
            print!("{}", super::render::disassemble(&data));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("py2to3 pickle dis: {}", e);
            ExitCode::from(2)
        }
    }
}

fn run_diff(
    a: &std::path::Path,
    b: &std::path::Path,
    encoding: super::render::Py3Encoding,
) -> ExitCode {
    use super::render::{render_value, View};
    use super::simulate::{simulate, Limits};
    let (da, db) = match (read_blob(a), read_blob(b)) {
        (Ok(da), Ok(db)) => (da, db),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("py2to3 pickle diff: {}", e);
            return ExitCode::from(2);
        }
    };
    let (sa, sb) = (
        simulate(&da, 0, Limits::default()),
        simulate(&db, 0, Limits::default()),
    );
    let enc_name = match encoding {
        super::render::Py3Encoding::Ascii => "ASCII",
        super::render::Py3Encoding::Latin1 => "latin1",
        super::render::Py3Encoding::Bytes => "bytes",
    };
    let views = [
        (View::Py2, "Python 2".to_string()),
        (
            View::Py3(encoding),
            format!("Python 3, encoding='{}'", enc_name),
        ),
    ];
    let mut differ = false;
    for (view, label) in views {
        let (ta, tb) = (render_value(&sa, view), render_value(&sb, view));
        if ta == tb {
            println!("same as {} sees them:\n{}", label, ta);
            continue;
        }
        differ = true;
        println!("--- {} ({})", a.display(), label);
        println!("+++ {} ({})", b.display(), label);
        let diff = similar::TextDiff::from_lines(&ta, &tb);
        for change in diff.iter_all_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => '-',
                similar::ChangeTag::Insert => '+',
                similar::ChangeTag::Equal => ' ',
            };
            print!("{}{}", sign, change);
        }
        println!();
    }
    if differ {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
