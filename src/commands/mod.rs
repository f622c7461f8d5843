//! The `fix` and `check` commands: clap arguments and the glue from them to the engine.

pub mod check;
pub mod fix;

use std::path::PathBuf;

use crate::engine::driver::{self, Candidate};
use crate::engine::pipeline::Settings;
use crate::fixers::registry;

/// Options shared by `fix` and `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// Files and folders (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Run only these fixers: codes, code prefixes, names or groups, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these fixers (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Skip paths matching this glob (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "jobs", default_value_t = 0)]
    pub jobs: usize,
    /// Also apply fixes marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,
}

/// Files and settings resolved from [`CommonArgs`].
pub struct Prepared {
    pub files: Vec<Candidate>,
    pub settings: Settings,
    /// Paths that could not be walked.
    pub walk_errors: Vec<(PathBuf, String)>,
}

impl CommonArgs {
    /// Resolves the selection and finds the files; a usage error is returned as text.
    pub fn prepare(&self) -> Result<Prepared, String> {
        let enabled = registry::resolve_selection(&self.select, &self.ignore)?;
        let exclude = driver::exclude_set(&self.exclude)?;
        let paths = if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        };
        let (files, walk_errors) = driver::discover(&paths, &exclude);
        let mut settings = Settings::new(enabled);
        settings.unsafe_fixes = self.unsafe_fixes;
        Ok(Prepared {
            files,
            settings,
            walk_errors,
        })
    }
}

/// Prints the fixer table for `--list-fixers`.
pub fn list_fixers() -> String {
    let mut out = String::new();
    for spec in registry::all() {
        let default = if spec.default_on { "on " } else { "off" };
        out.push_str(&format!(
            "{:<7} {:<28} {} [{}] {}\n",
            spec.code,
            spec.name,
            default,
            spec.groups.join(","),
            spec.summary
        ));
    }
    out
}
