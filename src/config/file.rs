//! Reading one configuration file: `py2to3.toml` (settings at the top level) or the
//! `[tool.py2to3]` table of `pyproject.toml`. Unknown keys are errors that name the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, Target};

/// Name of the dedicated configuration file.
pub const PY2TO3_TOML: &str = "py2to3.toml";
/// Name of the shared project file, read only when it has a `[tool.py2to3]` table.
pub const PYPROJECT_TOML: &str = "pyproject.toml";

/// Configuration files larger than this are refused.
const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

/// The settings one configuration file can hold (kebab-case keys).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigOptions {
    /// Rules to run (replaces the default set): codes, prefixes, names, groups, `ALL`.
    pub select: Option<Vec<String>>,
    /// Rules to run in addition to the selection.
    pub extend_select: Option<Vec<String>>,
    /// Rules not to run.
    pub ignore: Option<Vec<String>>,
    /// Globs of files and folders to skip (replaces the default list).
    pub exclude: Option<Vec<String>>,
    /// Globs to skip in addition to `exclude`.
    pub extend_exclude: Option<Vec<String>>,
    /// Glob -> rules not reported for matching files.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// What the fixed code targets: `py3` (plain Python 3) or `six` (2 and 3 with six).
    pub target: Option<Target>,
    /// Apply fixes marked unsafe in `fix`.
    pub unsafe_fixes: Option<bool>,
    /// Per-fixer options: `[tool.py2to3.fixers.<name or code>]` tables, read by the fixers.
    pub fixers: Option<BTreeMap<String, toml::Table>>,
    /// `[tool.py2to3.pickle]`: settings of `pickle audit`.
    pub pickle: Option<PickleOptions>,
}

/// `[tool.py2to3.pickle]`: settings of `pickle audit`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PickleOptions {
    /// Globals trusted as safe besides the built-in allow-list: `module.name` or `module.*`.
    pub allow: Option<Vec<String>>,
}

/// The nearest configuration file from `dir` upwards (`py2to3.toml`, or a `pyproject.toml`
/// with `[tool.py2to3]`), as `check` finds it for a file in `dir`.
pub fn find_upwards(dir: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    let mut current = Some(dir);
    while let Some(folder) = current {
        if let Some(found) = find_in_dir(folder)? {
            return Ok(Some(found));
        }
        current = folder.parent();
    }
    Ok(None)
}

/// One configuration file that was found and read.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigFile {
    /// The file.
    pub path: PathBuf,
    /// Its folder: relative globs and the cache live here.
    pub root: PathBuf,
    /// What it says.
    pub options: ConfigOptions,
}

/// Reads the configuration in `path` (a `py2to3.toml`, a `pyproject.toml`, or any other TOML file
/// with the settings at the top level). A `pyproject.toml` without `[tool.py2to3]` gives `None`.
pub fn load(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    let text = read_limited(path)?;
    let is_pyproject = path.file_name().is_some_and(|n| n == PYPROJECT_TOML);
    let options = if is_pyproject {
        match parse_pyproject(&text).map_err(|m| ConfigError::in_file(path, m))? {
            Some(options) => options,
            None => return Ok(None),
        }
    } else {
        parse_py2to3_toml(&text).map_err(|m| ConfigError::in_file(path, m))?
    };
    let root = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(Some(ConfigFile {
        path: path.to_path_buf(),
        root,
        options,
    }))
}

/// The configuration file of folder `dir` itself: `py2to3.toml` first, then a `pyproject.toml`
/// with a `[tool.py2to3]` table.
pub fn find_in_dir(dir: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    for name in [PY2TO3_TOML, PYPROJECT_TOML] {
        let candidate = dir.join(name);
        if candidate.is_file() {
            if let Some(found) = load(&candidate)? {
                return Ok(Some(found));
            }
        }
    }
    Ok(None)
}

/// Parses a `py2to3.toml`: the settings are its top-level keys.
pub fn parse_py2to3_toml(text: &str) -> Result<ConfigOptions, String> {
    toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
}

/// Parses the `[tool.py2to3]` table of a `pyproject.toml`, if it has one.
pub fn parse_pyproject(text: &str) -> Result<Option<ConfigOptions>, String> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
    let Some(section) = table.get("tool").and_then(|tool| tool.get("py2to3")) else {
        return Ok(None);
    };
    section
        .clone()
        .try_into()
        .map(Some)
        .map_err(|e: toml::de::Error| format!("[tool.py2to3]: {}", e.message()))
}

/// Reads a configuration file, refusing huge ones.
fn read_limited(path: &Path) -> Result<String, ConfigError> {
    let meta = std::fs::metadata(path).map_err(|e| ConfigError::in_file(path, e.to_string()))?;
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::in_file(
            path,
            format!("larger than {MAX_CONFIG_BYTES} bytes"),
        ));
    }
    std::fs::read_to_string(path).map_err(|e| ConfigError::in_file(path, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let options = parse_py2to3_toml(
            r#"
select = ["PY0", "iterators"]
extend-select = ["PY102"]
ignore = ["print-statement"]
exclude = ["vendor"]
extend-exclude = ["gen/*.py"]
target = "six"
unsafe-fixes = true
[per-file-ignores]
"tests/*.py" = ["PY001"]
[fixers.print-statement]
keep-trailing-comma = true
[pickle]
allow = ["mypkg.Model"]
"#,
        )
        .unwrap();
        assert_eq!(options.select, Some(vec!["PY0".into(), "iterators".into()]));
        assert_eq!(options.target, Some(Target::Six));
        assert_eq!(options.unsafe_fixes, Some(true));
        let pfi = options.per_file_ignores.unwrap();
        assert_eq!(pfi.get("tests/*.py"), Some(&vec!["PY001".to_string()]));
        assert_eq!(
            options.pickle.unwrap().allow,
            Some(vec!["mypkg.Model".to_string()])
        );
        let fixers = options.fixers.unwrap();
        assert_eq!(
            fixers["print-statement"].get("keep-trailing-comma"),
            Some(&toml::Value::Boolean(true))
        );
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = parse_py2to3_toml("selct = [\"PY001\"]\n").unwrap_err();
        assert!(err.contains("unknown field `selct`"), "{err}");
        assert!(err.contains("line 1"), "{err}");
        let err = parse_pyproject("[tool.py2to3]\nselect = []\nextend_ignore = []\n").unwrap_err();
        assert!(err.contains("unknown field `extend_ignore`"), "{err}");
        assert!(err.starts_with("[tool.py2to3]"), "{err}");
        let err = parse_py2to3_toml("target = \"py4\"\n").unwrap_err();
        assert!(err.contains("py4"), "{err}");
        let err = parse_py2to3_toml("select = \"PY001\"\n").unwrap_err();
        assert!(err.contains("sequence"), "{err}");
    }

    #[test]
    fn pyproject_without_our_table_is_not_a_config() {
        assert_eq!(parse_pyproject("[tool.ruff]\nline-length = 88\n"), Ok(None));
        assert_eq!(parse_pyproject("[project]\nname = \"x\"\n"), Ok(None));
        assert_eq!(
            parse_pyproject("[tool.py2to3]\n"),
            Ok(Some(ConfigOptions::default()))
        );
        assert!(parse_pyproject("[tool.py2to3\n").is_err());
    }

    #[test]
    fn finds_the_file_of_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find_in_dir(dir.path()), Ok(None));
        std::fs::write(dir.path().join(PYPROJECT_TOML), "[tool.black]\n").unwrap();
        assert_eq!(find_in_dir(dir.path()), Ok(None));
        std::fs::write(
            dir.path().join(PYPROJECT_TOML),
            "[tool.py2to3]\ntarget = \"six\"\n",
        )
        .unwrap();
        let found = find_in_dir(dir.path()).unwrap().unwrap();
        assert_eq!(found.options.target, Some(Target::Six));
        assert_eq!(found.root, dir.path());
        std::fs::write(dir.path().join(PY2TO3_TOML), "target = \"py3\"\n").unwrap();
        let found = find_in_dir(dir.path()).unwrap().unwrap();
        assert_eq!(found.options.target, Some(Target::Py3));
        assert!(found.path.ends_with(PY2TO3_TOML));
    }
}
