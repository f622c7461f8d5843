//! Configuration: `[tool.py2to3]` in `pyproject.toml` or the top level of `py2to3.toml`, found
//! from each file's folder upwards (the nearest one wins), merged with the command line.
//!
//! - [`file`](mod@file): reading one file ([`ConfigOptions`]); unknown keys are errors naming the key.
//! - [`select`]: rule selectors (codes, prefixes, names, groups, `ALL`) and their layering.
//! - [`resolve`]: the effective [`Config`] of a folder (enabled rules, excludes, per-file
//!   ignores, target, fixer options) and the [`ConfigResolver`] that finds and caches it.
//!
//! ```toml
//! [tool.py2to3]                      # in pyproject.toml; top level in py2to3.toml
//! select = ["ALL"]                   # codes, prefixes (PY1), names, groups; default: rules on by default
//! extend-select = ["six-moves"]
//! ignore = ["PY106"]
//! exclude = ["vendor", "gen/*.py"]   # replaces the defaults (.git, .venv, build, ...)
//! extend-exclude = ["legacy"]
//! target = "py3"                     # or "six"
//! unsafe-fixes = false
//!
//! [tool.py2to3.per-file-ignores]
//! "tests/**" = ["print-statement"]
//!
//! [tool.py2to3.fixers.print-statement]  # options read by that fixer
//!
//! [tool.py2to3.pickle]               # `pickle audit`: globals trusted by --require safe
//! allow = ["mypkg.Model", "mypkg.models.*"]
//! ```
//!
//! Precedence: the nearest file only (no merging of files), then the command line: `--select`
//! replaces `select`, `--extend-select`/`--ignore`/`--exclude`/`--per-file-ignores` add,
//! `--target`/`--unsafe-fixes` replace. `--config FILE` uses one file for every path;
//! `--isolated` reads none.

use std::fmt;
use std::path::{Path, PathBuf};

pub mod file;
pub mod resolve;
pub mod select;

pub use file::{ConfigFile, ConfigOptions, PY2TO3_TOML, PYPROJECT_TOML};
pub use resolve::{Config, ConfigResolver};
pub use select::RuleSelection;

pub use crate::engine::spec::Target;

/// What the command line says about configuration; it wins over the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--config FILE`: use this file for every path, no discovery.
    pub config: Option<PathBuf>,
    /// `--isolated`: read no configuration file.
    pub isolated: bool,
    /// `--select`: replaces the files' selection.
    pub select: Option<Vec<String>>,
    /// `--extend-select`: added to the selection.
    pub extend_select: Vec<String>,
    /// `--ignore`: removed from the selection.
    pub ignore: Vec<String>,
    /// `--exclude`: globs skipped in addition to the files' excludes.
    pub exclude: Vec<String>,
    /// `--per-file-ignores GLOB:SEL[,SEL]`: added to the files' per-file ignores.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    /// `--target`.
    pub target: Option<Target>,
    /// `--unsafe-fixes` (when given).
    pub unsafe_fixes: Option<bool>,
}

/// Parses one `--per-file-ignores` value: `GLOB:SELECTOR[,SELECTOR...]`.
pub fn parse_per_file_ignore(value: &str) -> Result<(String, Vec<String>), String> {
    let (glob, selectors) = value
        .rsplit_once(':')
        .ok_or_else(|| format!("invalid per-file ignore `{value}`: expected GLOB:CODES"))?;
    let selectors: Vec<String> = selectors
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if glob.trim().is_empty() || selectors.is_empty() {
        return Err(format!(
            "invalid per-file ignore `{value}`: expected GLOB:CODES"
        ));
    }
    Ok((glob.trim().to_string(), selectors))
}

/// A configuration problem, with the file it is in when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The configuration file, or `None` for a command-line problem.
    pub path: Option<PathBuf>,
    /// What is wrong (names the key or value).
    pub message: String,
}

impl ConfigError {
    /// A problem in configuration file `path`.
    pub fn in_file(path: &Path, message: impl Into<String>) -> Self {
        ConfigError {
            path: Some(path.to_path_buf()),
            message: message.into(),
        }
    }

    /// A problem in the command-line options.
    pub fn cli(message: impl Into<String>) -> Self {
        ConfigError {
            path: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {}", path.display(), self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_file_ignore_values() {
        assert_eq!(
            parse_per_file_ignore("tests/*.py:PY001, PY1"),
            Ok(("tests/*.py".to_string(), vec!["PY001".into(), "PY1".into()]))
        );
        assert!(parse_per_file_ignore("tests/*.py").is_err());
        assert!(parse_per_file_ignore("tests/*.py:").is_err());
        assert!(parse_per_file_ignore(":PY001").is_err());
    }

    #[test]
    fn errors_name_their_file() {
        let e = ConfigError::in_file(Path::new("a/py2to3.toml"), "unknown field `x`");
        assert_eq!(e.to_string(), "a/py2to3.toml: unknown field `x`");
        assert_eq!(ConfigError::cli("bad").to_string(), "bad");
    }
}
