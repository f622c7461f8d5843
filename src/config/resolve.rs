//! The effective configuration of a folder ([`Config`]) and the [`ConfigResolver`] that finds
//! the nearest configuration file of each path and caches the result per folder.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use xxhash_rust::xxh3::Xxh3;

use super::file::{self, ConfigFile, ConfigOptions};
use super::select::{self, RuleSelection};
use super::{ConfigError, Overrides, Target};
use crate::engine::folders::Folders;
use crate::fixers::{registry, FixerSpec};

/// Files and folders skipped unless `exclude` replaces this list.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".py2to3_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// One glob of `exclude` or `per-file-ignores`.
///
/// A pattern without `/` matches a file or folder name anywhere (`build`, `*.pyi`); one with `/`
/// matches a path relative to the configuration's folder (`tests/fixtures`, `gen/**/*.py`).
/// Either way a match on a folder covers everything under it.
#[derive(Debug, Clone)]
struct PathPattern {
    glob: Glob,
    matcher: GlobMatcher,
    by_name: bool,
}

impl PathPattern {
    fn new(pattern: &str) -> Result<Self, String> {
        let trimmed = pattern.trim().trim_start_matches("./");
        let glob = Glob::new(trimmed).map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
        Ok(PathPattern {
            matcher: glob.compile_matcher(),
            glob,
            by_name: !trimmed.contains('/'),
        })
    }

    /// Whether `relative` (relative to the configuration's folder) or a folder above it matches.
    fn matches(&self, relative: &Path) -> bool {
        let mut prefix = PathBuf::new();
        for component in relative.components() {
            if matches!(component, Component::CurDir) {
                continue;
            }
            let hit = if self.by_name {
                self.matcher.is_match(Path::new(component.as_os_str()))
            } else {
                prefix.push(component);
                self.matcher.is_match(&prefix)
            };
            if hit {
                return true;
            }
        }
        false
    }
}

/// All `exclude` globs of a configuration compiled into two sets (name globs and path globs),
/// so a path costs two set lookups per component whatever the number of globs: the walker asks
/// for every file and folder of the tree.
#[derive(Debug, Clone)]
struct ExcludeSet {
    /// Name globs without wildcards (`.git`, `build`: every default), looked up directly.
    literal_names: rustc_hash::FxHashSet<std::ffi::OsString>,
    names: GlobSet,
    paths: GlobSet,
}

impl ExcludeSet {
    fn new(patterns: &[PathPattern]) -> Result<Self, String> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        let mut literal_names = rustc_hash::FxHashSet::default();
        for p in patterns {
            let glob = p.glob.glob();
            if p.by_name && !glob.contains(['*', '?', '[', ']', '{', '}', '\\']) {
                literal_names.insert(std::ffi::OsString::from(glob));
            } else if p.by_name {
                names.add(p.glob.clone());
            } else {
                paths.add(p.glob.clone());
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| format!("invalid exclude glob: {e}"));
        Ok(ExcludeSet {
            literal_names,
            names: build(names)?,
            paths: build(paths)?,
        })
    }

    /// Whether `relative` itself (not a folder above it) matches one of the globs: by its last
    /// component for name globs, whole for path globs.
    fn matches_entry(&self, relative: &Path) -> bool {
        let relative = relative.strip_prefix(".").unwrap_or(relative);
        let Some(name) = relative.file_name() else {
            return false;
        };
        self.matches_name(name) || (!self.paths.is_empty() && self.paths.is_match(relative))
    }

    /// Whether the entry name `name` matches one of the name globs.
    fn matches_name(&self, name: &std::ffi::OsStr) -> bool {
        self.literal_names.contains(name)
            || (!self.names.is_empty() && self.names.is_match(Path::new(name)))
    }

    /// Whether `relative` (relative to the configuration's folder) or a folder above it matches
    /// one of the globs; the same answer as asking each [`PathPattern`] in turn.
    fn matches(&self, relative: &Path) -> bool {
        let mut prefix = PathBuf::with_capacity(relative.as_os_str().len());
        for component in relative.components() {
            if matches!(component, Component::CurDir) {
                continue;
            }
            if self.literal_names.contains(component.as_os_str())
                || (!self.names.is_empty() && self.names.is_match(Path::new(component.as_os_str())))
            {
                return true;
            }
            if !self.paths.is_empty() {
                prefix.push(component);
                if self.paths.is_match(&prefix) {
                    return true;
                }
            }
        }
        false
    }
}

/// `per-file-ignores`: files matching `pattern` do not get the rules of `codes`.
#[derive(Debug, Clone)]
struct PerFileIgnore {
    pattern: PathPattern,
    codes: Vec<&'static str>,
}

/// The effective configuration of the files under one configuration file (or of a run without
/// one): CLI overrides already applied.
#[derive(Clone)]
pub struct Config {
    /// The configuration file's folder, or the working directory: relative globs start here,
    /// and the cache lives here.
    pub root: PathBuf,
    /// The configuration file, when there is one.
    pub source: Option<PathBuf>,
    /// The rules that run, in registry order (before per-file ignores).
    pub enabled: Vec<&'static FixerSpec>,
    /// What fixed code targets.
    pub target: Target,
    /// Whether `fix` applies unsafe fixes.
    pub unsafe_fixes: bool,
    /// Per-fixer option tables, by rule code.
    pub fixer_options: BTreeMap<&'static str, toml::Table>,
    /// The working directory relative paths are resolved against.
    cwd: PathBuf,
    /// `cwd` and `root`, absolute and normalized (computed once: every walked entry needs them).
    cwd_abs: PathBuf,
    root_abs: PathBuf,
    exclude: ExcludeSet,
    per_file_ignores: Vec<PerFileIgnore>,
    /// The part of [`Config::fingerprint`] that is the same for every file (computed once).
    settings_fingerprint: std::sync::OnceLock<u64>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("root", &self.root)
            .field("source", &self.source)
            .field(
                "enabled",
                &self.enabled.iter().map(|r| r.code).collect::<Vec<_>>(),
            )
            .field("target", &self.target)
            .field("unsafe_fixes", &self.unsafe_fixes)
            .field("fixer_options", &self.fixer_options)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Builds the configuration from a file (if any) and the command line, resolving every
    /// selector against `rules`. `cwd` is the root when there is no file.
    pub fn build(
        file: Option<&ConfigFile>,
        overrides: &Overrides,
        rules: &[&'static FixerSpec],
        cwd: &Path,
    ) -> Result<Config, ConfigError> {
        let default_options = ConfigOptions::default();
        let options = file.map_or(&default_options, |f| &f.options);
        let in_file = |message: String| match file {
            Some(f) => ConfigError::in_file(&f.path, message),
            None => ConfigError::cli(message),
        };
        let file_layer = RuleSelection {
            select: options.select.clone(),
            extend_select: options.extend_select.clone().unwrap_or_default(),
            ignore: options.ignore.clone().unwrap_or_default(),
        };
        select::resolve(rules, std::slice::from_ref(&file_layer)).map_err(in_file)?;
        let cli_layer = RuleSelection {
            select: overrides.select.clone(),
            extend_select: overrides.extend_select.clone(),
            ignore: overrides.ignore.clone(),
        };
        select::resolve(rules, std::slice::from_ref(&cli_layer)).map_err(ConfigError::cli)?;
        let enabled = select::resolve(rules, &[file_layer, cli_layer]).map_err(in_file)?;

        let mut exclude = Vec::new();
        match &options.exclude {
            Some(list) => {
                for p in list {
                    exclude
                        .push(PathPattern::new(p).map_err(|m| in_file(format!("exclude: {m}")))?);
                }
            }
            None => {
                for p in DEFAULT_EXCLUDE {
                    exclude.push(PathPattern::new(p).map_err(in_file)?);
                }
            }
        }
        for p in options.extend_exclude.iter().flatten() {
            exclude.push(PathPattern::new(p).map_err(|m| in_file(format!("extend-exclude: {m}")))?);
        }
        for p in &overrides.exclude {
            exclude.push(
                PathPattern::new(p).map_err(|m| ConfigError::cli(format!("--exclude: {m}")))?,
            );
        }

        let mut per_file_ignores = Vec::new();
        for (glob, selectors) in options.per_file_ignores.iter().flatten() {
            per_file_ignores.push(
                per_file_ignore(glob, selectors, rules)
                    .map_err(|m| in_file(format!("per-file-ignores: {m}")))?,
            );
        }
        for (glob, selectors) in &overrides.per_file_ignores {
            per_file_ignores.push(
                per_file_ignore(glob, selectors, rules)
                    .map_err(|m| ConfigError::cli(format!("--per-file-ignores: {m}")))?,
            );
        }

        let mut fixer_options = BTreeMap::new();
        for (key, table) in options.fixers.iter().flatten() {
            let spec = rules
                .iter()
                .find(|s| s.name == key || s.code.eq_ignore_ascii_case(key))
                .ok_or_else(|| in_file(format!("fixers: unknown fixer `{key}`")))?;
            fixer_options.insert(spec.code, table.clone());
        }

        let root = file.map_or_else(|| cwd.to_path_buf(), |f| f.root.clone());
        Ok(Config {
            cwd_abs: normalize(cwd),
            root_abs: normalize(&cwd.join(&root)),
            root,
            source: file.map(|f| f.path.clone()),
            enabled,
            target: overrides.target.or(options.target).unwrap_or_default(),
            unsafe_fixes: overrides
                .unsafe_fixes
                .or(options.unsafe_fixes)
                .unwrap_or(false),
            fixer_options,
            cwd: cwd.to_path_buf(),
            exclude: ExcludeSet::new(&exclude).map_err(in_file)?,
            per_file_ignores,
            settings_fingerprint: std::sync::OnceLock::new(),
        })
    }

    /// `path` relative to [`Config::root`] when it is under it (both made absolute and
    /// lexically normalized first, relative ones against the working directory, so `./a` and
    /// `x/../a` work); a path outside the root is taken relative to the working directory, and
    /// one outside both is reduced to its file name.
    fn relative<'a>(&self, path: &'a Path) -> std::borrow::Cow<'a, Path> {
        if let Ok(rel) = path.strip_prefix(&self.root) {
            if rel.components().all(|c| matches!(c, Component::Normal(_))) {
                return rel.into();
            }
        }
        // The common case, a relative path below the working directory that is the root:
        // `./pkg/a.py` as the walker gives it (`.` components are skipped by the matchers).
        if path.is_relative()
            && self.root_abs == self.cwd_abs
            && path
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return path.into();
        }
        let absolute = normalize(&self.cwd.join(path));
        // Outside the root (a `--config` file elsewhere): relative to the working directory.
        match absolute
            .strip_prefix(&self.root_abs)
            .or_else(|_| absolute.strip_prefix(&self.cwd_abs))
        {
            Ok(rel) => rel.to_path_buf().into(),
            // Outside both: only the path's own name can match. Its folders are not ours to
            // judge: `/ci/build/proj/a.py` is not excluded because of a `build` folder above.
            Err(_) => path.file_name().map_or(path, Path::new).into(),
        }
    }

    /// Whether `path` (a file or folder) is excluded: it, or a folder above it up to the root,
    /// matches an `exclude` glob.
    pub fn is_excluded(&self, path: &Path) -> bool {
        let relative = self.relative(path);
        self.exclude.matches(&relative)
    }

    /// [`Config::is_excluded`] for an entry the walk found in a folder it kept, the folder having
    /// this configuration too: the folders above the entry were tested on the way down, so only
    /// the entry's own name and its whole path are left to test (two lookups instead of two per
    /// component). A folder named on the command line is walked even when its own path matches
    /// (as in ruff, whose `exclude` also spares the paths it is given).
    pub fn is_excluded_entry(&self, path: &Path) -> bool {
        if self.exclude.paths.is_empty() {
            // Name globs only: the entry's own name decides, wherever the path is.
            return path
                .file_name()
                .is_some_and(|name| self.exclude.matches_name(name));
        }
        let relative = self.relative(path);
        self.exclude.matches_entry(&relative)
    }

    /// The codes `per-file-ignores` turn off for `path`.
    pub fn ignored_codes(&self, path: &Path) -> Vec<&'static str> {
        let relative = self.relative(path);
        let mut codes: Vec<&'static str> = self
            .per_file_ignores
            .iter()
            .filter(|p| p.pattern.matches(&relative))
            .flat_map(|p| p.codes.iter().copied())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The rules that run on `path`: the enabled ones less its per-file ignores (for `fix`:
    /// an ignored rule is not applied to that file).
    pub fn rules_for(&self, path: &Path) -> Vec<&'static FixerSpec> {
        let ignored = self.ignored_codes(path);
        self.enabled
            .iter()
            .copied()
            .filter(|r| !ignored.contains(&r.code))
            .collect()
    }

    /// Drops the findings of `path` that `per-file-ignores` turn off (for `check`, which runs
    /// every enabled rule, since grammar fixers may be needed to parse the file, and filters
    /// afterwards).
    pub fn retain_reported(
        &self,
        path: &Path,
        findings: &mut Vec<crate::engine::finding::Finding>,
    ) {
        let ignored = self.ignored_codes(path);
        if !ignored.is_empty() {
            findings.retain(|f| !ignored.contains(&f.code.as_str()));
        }
    }

    /// The option table of the fixer with this code, if the configuration has one.
    pub fn fixer_options(&self, code: &str) -> Option<&toml::Table> {
        self.fixer_options.get(code)
    }

    /// A fingerprint of everything that shapes the result for `path` besides its bytes, for the
    /// cache key: the enabled rules, its per-file ignores, the target, unsafe fixes, the fixer
    /// options, `mode` (e.g. `"check"` or `"fix"`), and what the file's folder holds when the
    /// relative-import rule runs (as `folders` lists it).
    pub fn fingerprint(&self, path: &Path, mode: &str, folders: &dyn Folders) -> u64 {
        let settings = *self.settings_fingerprint.get_or_init(|| {
            let mut hasher = Xxh3::new();
            for r in &self.enabled {
                hasher.update(r.code.as_bytes());
                hasher.update(b",");
            }
            hasher.update(b"-");
            hasher.update(self.target.as_str().as_bytes());
            hasher.update(&[u8::from(self.unsafe_fixes)]);
            for (code, table) in &self.fixer_options {
                hasher.update(code.as_bytes());
                hash_table(&mut hasher, table);
            }
            hasher.digest()
        });
        let mut hasher = Xxh3::new();
        hasher.update(mode.as_bytes());
        hasher.update(b"\0");
        hasher.update(&settings.to_le_bytes());
        for code in self.ignored_codes(path) {
            hasher.update(code.as_bytes());
            hasher.update(b",");
        }
        // `relative-import` decides from the file's folder: its modules are part of the key.
        let relative = crate::fixers::imports::relative_import::RELATIVE_IMPORT.code;
        if self.enabled.iter().any(|r| r.code == relative) {
            if let Some(dir) = path.parent() {
                let folder = folders.folder(dir).fingerprint;
                hasher.update(&folder.to_le_bytes());
            }
        }
        hasher.digest()
    }
}

/// Feeds a TOML table to the hasher with keys in sorted order, so the fingerprint does not
/// depend on the order of the file.
fn hash_table(hasher: &mut Xxh3, table: &toml::Table) {
    let mut keys: Vec<&String> = table.keys().collect();
    keys.sort();
    hasher.update(b"{");
    for key in keys {
        hasher.update(key.as_bytes());
        hasher.update(b"=");
        if let Some(value) = table.get(key) {
            hash_value(hasher, value);
        }
        hasher.update(b";");
    }
    hasher.update(b"}");
}

fn hash_value(hasher: &mut Xxh3, value: &toml::Value) {
    match value {
        toml::Value::Table(t) => hash_table(hasher, t),
        toml::Value::Array(items) => {
            hasher.update(b"[");
            for item in items {
                hash_value(hasher, item);
                hasher.update(b",");
            }
            hasher.update(b"]");
        }
        other => hasher.update(other.to_string().as_bytes()),
    }
}

fn per_file_ignore(
    glob: &str,
    selectors: &[String],
    rules: &[&'static FixerSpec],
) -> Result<PerFileIgnore, String> {
    let pattern = PathPattern::new(glob)?;
    let mut codes = Vec::new();
    for s in selectors {
        codes.extend(select::expand(s, rules)?.iter().map(|r| r.code));
    }
    Ok(PerFileIgnore { pattern, codes })
}

/// The configuration of one folder, or why it could not be read.
pub type DirConfig = Result<Arc<Config>, ConfigError>;

/// Finds the configuration of each path (the nearest `py2to3.toml` or `pyproject.toml` with
/// `[tool.py2to3]` from its folder upwards), applies the command line, and caches the result
/// per folder: files of one folder share one [`Config`]. Safe to share between threads.
pub struct ConfigResolver {
    overrides: Overrides,
    rules: Vec<&'static FixerSpec>,
    cwd: PathBuf,
    /// The configuration used when no file is found (or every time, with `--config` /
    /// `--isolated`).
    fallback: Arc<Config>,
    /// Whether to look for files at all.
    discover: bool,
    by_dir: Mutex<HashMap<PathBuf, Result<Arc<Config>, ConfigError>>>,
    /// Answers by folder as given (its bytes, not its components): the walker and the workers
    /// ask for every entry of a folder, and this spares normalizing the path each time.
    as_given: Mutex<rustc_hash::FxHashMap<std::ffi::OsString, DirConfig>>,
}

impl ConfigResolver {
    /// A resolver over the registry's rules, from the working directory. Errors in the command
    /// line (unknown selectors, bad globs) and in a `--config` file are reported here.
    pub fn new(overrides: Overrides) -> Result<Self, ConfigError> {
        let cwd = std::env::current_dir()
            .map_err(|e| ConfigError::cli(format!("cannot read the working directory: {e}")))?;
        Self::with_rules(overrides, registry::all().to_vec(), cwd)
    }

    /// A resolver over `rules`, with `cwd` as the working directory (for tests).
    pub fn with_rules(
        overrides: Overrides,
        rules: Vec<&'static FixerSpec>,
        cwd: PathBuf,
    ) -> Result<Self, ConfigError> {
        let explicit = match &overrides.config {
            Some(path) => Some(file::load(path)?.unwrap_or_else(|| ConfigFile {
                path: path.clone(),
                root: path.parent().map_or_else(|| cwd.clone(), Path::to_path_buf),
                options: ConfigOptions::default(),
            })),
            None => None,
        };
        let fallback = Arc::new(Config::build(explicit.as_ref(), &overrides, &rules, &cwd)?);
        let discover = overrides.config.is_none() && !overrides.isolated;
        Ok(ConfigResolver {
            overrides,
            rules,
            cwd,
            fallback,
            discover,
            by_dir: Mutex::new(HashMap::new()),
            as_given: Mutex::default(),
        })
    }

    /// The configuration used when no file applies (the working directory's defaults plus the
    /// command line, or the `--config` file).
    pub fn fallback(&self) -> Arc<Config> {
        Arc::clone(&self.fallback)
    }

    /// The configuration of file `path` (found from its folder upwards).
    pub fn for_file(&self, path: &Path) -> Result<Arc<Config>, ConfigError> {
        match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => self.for_dir(parent),
            _ => self.for_dir(Path::new(".")),
        }
    }

    /// The configuration of folder `dir` (its own file, else the nearest one above it).
    pub fn for_dir(&self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        if !self.discover {
            return Ok(self.fallback());
        }
        if let Some(known) = self
            .as_given
            .lock()
            .ok()
            .and_then(|m| m.get(dir.as_os_str()).cloned())
        {
            return known;
        }
        let result = self.lookup_dir(dir);
        if let Ok(mut map) = self.as_given.lock() {
            map.insert(dir.as_os_str().to_owned(), result.clone());
        }
        result
    }

    /// [`ConfigResolver::for_dir`] for a folder the walker has listed: without a config file
    /// of its own (`has_config_file` false) it shares `parent`'s configuration, with no file
    /// system lookup; the root of a walk (`parent` `None`) is looked up.
    pub fn for_listed_dir(
        &self,
        dir: &Path,
        parent: Option<&DirConfig>,
        has_config_file: bool,
    ) -> DirConfig {
        match parent {
            Some(inherited) if !has_config_file && self.discover => {
                if let Ok(mut map) = self.as_given.lock() {
                    map.insert(dir.as_os_str().to_owned(), inherited.clone());
                }
                inherited.clone()
            }
            _ => self.for_dir(dir),
        }
    }

    /// [`ConfigResolver::for_dir`] without its memo of folders as given.
    fn lookup_dir(&self, dir: &Path) -> Result<Arc<Config>, ConfigError> {
        let start = normalize(&self.cwd.join(dir));
        let mut visited = Vec::new();
        let mut current = Some(start.as_path());
        let result = loop {
            let Some(folder) = current else {
                break Ok(self.fallback());
            };
            if let Some(known) = self.cached(folder) {
                break known;
            }
            visited.push(folder.to_path_buf());
            match file::find_in_dir(folder) {
                Ok(Some(found)) => {
                    break Config::build(Some(&found), &self.overrides, &self.rules, &self.cwd)
                        .map(Arc::new)
                }
                Ok(None) => current = folder.parent(),
                Err(e) => break Err(e),
            }
        };
        if let Ok(mut map) = self.by_dir.lock() {
            for folder in visited {
                map.insert(folder, result.clone());
            }
        }
        result
    }

    fn cached(&self, folder: &Path) -> Option<Result<Arc<Config>, ConfigError>> {
        self.by_dir.lock().ok()?.get(folder).cloned()
    }
}

/// `path` without `.` components and with `..` applied lexically (no file system access).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::with_capacity(path.as_os_str().len());
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(component);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::config::select::tests::rules;

    fn codes(rules: &[&FixerSpec]) -> Vec<&'static str> {
        rules.iter().map(|r| r.code).collect()
    }

    fn config(toml_text: &str, overrides: &Overrides) -> Result<Config, ConfigError> {
        let file = ConfigFile {
            path: PathBuf::from("/proj/py2to3.toml"),
            root: PathBuf::from("/proj"),
            options: file::parse_py2to3_toml(toml_text).unwrap(),
        };
        Config::build(Some(&file), overrides, &rules(), Path::new("/cwd"))
    }

    #[test]
    fn file_and_command_line_selection() {
        let c = config(
            "select = [\"grammar\"]\nextend-select = [\"six\"]\n",
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(codes(&c.enabled), ["PY001", "PY002", "PY102"]);
        let cli = Overrides {
            ignore: vec!["PY10".into()],
            ..Overrides::default()
        };
        let c = config("select = [\"ALL\"]\n", &cli).unwrap();
        assert_eq!(codes(&c.enabled), ["PY001", "PY002"]);
        let err = config("ignore = [\"PY9\"]\n", &Overrides::default()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some(Path::new("/proj/py2to3.toml")));
        assert!(err.message.contains("`PY9`"));
        let cli = Overrides {
            select: Some(vec!["nope".into()]),
            ..Overrides::default()
        };
        let err = config("", &cli).unwrap_err();
        assert_eq!(err.path, None);
        assert!(err.message.contains("`nope`"));
    }

    #[test]
    fn excludes_by_name_and_by_path() {
        let c = config("", &Overrides::default()).unwrap();
        assert!(c.is_excluded(Path::new("/proj/.venv/lib/x.py")));
        assert!(c.is_excluded(Path::new("/proj/pkg/build")));
        assert!(!c.is_excluded(Path::new("/proj/pkg/builder.py")));
        // Folders above the root and the working directory do not count; the path's own
        // name does.
        assert!(!c.is_excluded(Path::new("/ci/build/proj/a.py")));
        assert!(c.is_excluded(Path::new("/ci/proj/build")));
        let c = config(
            "exclude = [\"tests/fixtures\"]\nextend-exclude = [\"*_pb2.py\"]\n",
            &Overrides {
                exclude: vec!["legacy".into()],
                ..Overrides::default()
            },
        )
        .unwrap();
        assert!(c.is_excluded(Path::new("/proj/tests/fixtures/a.py")));
        assert!(!c.is_excluded(Path::new("/proj/other/tests/fixtures/a.py")));
        assert!(c.is_excluded(Path::new("/proj/gen/api_pb2.py")));
        assert!(c.is_excluded(Path::new("/proj/a/legacy/b.py")));
        // `exclude` replaced the defaults.
        assert!(!c.is_excluded(Path::new("/proj/.venv/x.py")));
        // The walk's test of one entry at a time gives the same answer, folder by folder.
        for path in [
            "/proj/tests/fixtures/a.py",
            "/proj/other/tests/fixtures/a.py",
            "/proj/gen/api_pb2.py",
            "/proj/a/legacy/b.py",
            "/proj/a/legacy",
            "/proj/tests/fixtures",
            "/proj/tests/fixture.py",
            "/proj/x/y/z.py",
        ] {
            let path = Path::new(path);
            let by_entry = path
                .ancestors()
                .take_while(|p| *p != Path::new("/proj"))
                .any(|p| c.is_excluded_entry(p));
            assert_eq!(by_entry, c.is_excluded(path), "{}", path.display());
        }
        let err = config("exclude = [\"a[\"]\n", &Overrides::default()).unwrap_err();
        assert!(err.message.contains("`a[`"), "{}", err.message);
    }

    #[test]
    fn per_file_ignores_and_options() {
        let text =
            "[per-file-ignores]\n\"tests/**\" = [\"PY001\"]\n\"__init__.py\" = [\"grammar\"]\n\
                    [fixers.dict-iter]\nlist-calls = false\n";
        let cli = Overrides {
            per_file_ignores: vec![("*.pyi".into(), vec!["PY101".into()])],
            ..Overrides::default()
        };
        let c = config(text, &cli).unwrap();
        assert_eq!(
            codes(&c.rules_for(Path::new("/proj/tests/a.py"))),
            ["PY002", "PY101"]
        );
        assert_eq!(
            codes(&c.rules_for(Path::new("/proj/pkg/__init__.py"))),
            ["PY101"]
        );
        assert_eq!(
            codes(&c.rules_for(Path::new("/proj/pkg/a.pyi"))),
            ["PY001", "PY002"]
        );
        assert_eq!(
            codes(&c.rules_for(Path::new("/proj/pkg/a.py"))),
            ["PY001", "PY002", "PY101"]
        );
        assert_eq!(
            codes(&c.rules_for(Path::new("/proj/x/../tests/./a.py"))),
            ["PY002", "PY101"]
        );
        assert_eq!(
            c.fixer_options("PY101").and_then(|t| t.get("list-calls")),
            Some(&toml::Value::Boolean(false))
        );
        let err = config("[fixers.nope]\nx = 1\n", &Overrides::default()).unwrap_err();
        assert!(err.message.contains("unknown fixer `nope`"));
        let err = config(
            "[per-file-ignores]\n\"a.py\" = [\"PY77\"]\n",
            &Overrides::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("per-file-ignores") && err.message.contains("`PY77`"));
    }

    #[test]
    fn fingerprint_follows_what_shapes_results() {
        let listings = crate::run::folders::Listings::default();
        let text = "[per-file-ignores]\n\"tests/*\" = [\"PY001\"]\n";
        let base = config(text, &Overrides::default()).unwrap();
        let a = Path::new("/proj/a.py");
        let fp = base.fingerprint(a, "check", &listings);
        assert_eq!(
            fp,
            base.fingerprint(Path::new("/proj/b.py"), "check", &listings)
        );
        assert_ne!(
            fp,
            base.fingerprint(Path::new("/proj/tests/b.py"), "check", &listings)
        );
        assert_ne!(fp, base.fingerprint(a, "fix", &listings));
        let fewer = Overrides {
            ignore: vec!["PY101".into()],
            ..Overrides::default()
        };
        assert_ne!(
            fp,
            config(text, &fewer)
                .unwrap()
                .fingerprint(a, "check", &listings)
        );
        let six = config(&format!("target = \"six\"\n{text}"), &Overrides::default()).unwrap();
        assert_ne!(fp, six.fingerprint(a, "check", &listings));
        let o1 = config(
            "[fixers.PY101]\na = 1\nb = [1, {c = 2}]\n",
            &Overrides::default(),
        )
        .unwrap();
        let o2 = config(
            "[fixers.dict-iter]\nb = [1, {c = 2}]\na = 1\n",
            &Overrides::default(),
        )
        .unwrap();
        let o3 = config(
            "[fixers.dict-iter]\nb = [1, {c = 3}]\na = 1\n",
            &Overrides::default(),
        )
        .unwrap();
        assert_eq!(
            o1.fingerprint(a, "check", &listings),
            o2.fingerprint(a, "check", &listings)
        );
        assert_ne!(
            o1.fingerprint(a, "check", &listings),
            o3.fingerprint(a, "check", &listings)
        );
    }

    #[test]
    fn check_keeps_rules_and_filters_findings() {
        let c = config(
            "[per-file-ignores]\n\"tests/*\" = [\"grammar\"]\n",
            &Overrides::default(),
        )
        .unwrap();
        let finding = |code: &str| crate::engine::finding::Finding {
            code: code.into(),
            name: "n".into(),
            message: "m".into(),
            path: "tests/t.py".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            fixable: true,
            fix: None,
        };
        let mut findings = vec![finding("PY001"), finding("PY101"), finding("PY002")];
        c.retain_reported(Path::new("/proj/tests/t.py"), &mut findings);
        assert_eq!(findings, vec![finding("PY101")]);
        let mut elsewhere = vec![finding("PY001")];
        c.retain_reported(Path::new("/proj/t.py"), &mut elsewhere);
        assert_eq!(elsewhere.len(), 1);
    }

    #[test]
    fn resolver_finds_the_nearest_file_and_caches_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("a/b/c")).unwrap();
        fs::create_dir_all(root.join("other")).unwrap();
        fs::write(
            root.join("pyproject.toml"),
            "[tool.py2to3]\nselect = [\"PY001\"]\n",
        )
        .unwrap();
        fs::write(root.join("a/b/py2to3.toml"), "select = [\"PY101\"]\n").unwrap();
        let resolver =
            ConfigResolver::with_rules(Overrides::default(), rules(), root.to_path_buf()).unwrap();
        let deep = resolver.for_file(Path::new("a/b/c/x.py")).unwrap();
        assert_eq!(codes(&deep.enabled), ["PY101"]);
        assert_eq!(deep.root, root.join("a/b"));
        let again = resolver.for_file(&root.join("a/b/y.py")).unwrap();
        assert!(
            Arc::ptr_eq(&deep, &again),
            "one Config per configuration file"
        );
        let top = resolver.for_file(Path::new("other/z.py")).unwrap();
        assert!(deep.is_excluded(Path::new("a/b/c/build/x.py")));
        assert!(!deep.is_excluded(Path::new("./a/b/c/x.py")));
        assert!(top.is_excluded(Path::new("./other/../a/dist")));
        assert_eq!(codes(&top.enabled), ["PY001"]);
        let same_top = resolver.for_file(Path::new("./a/../t.py")).unwrap();
        assert!(Arc::ptr_eq(&top, &same_top));

        // The command line wins over every file.
        let cli = Overrides {
            select: Some(vec!["PY002".into()]),
            ..Overrides::default()
        };
        let resolver = ConfigResolver::with_rules(cli, rules(), root.to_path_buf()).unwrap();
        assert_eq!(
            codes(&resolver.for_file(Path::new("a/b/c/x.py")).unwrap().enabled),
            ["PY002"]
        );

        // --isolated reads no file; --config reads only that one.
        let isolated = Overrides {
            isolated: true,
            ..Overrides::default()
        };
        let resolver = ConfigResolver::with_rules(isolated, rules(), root.to_path_buf()).unwrap();
        assert_eq!(
            codes(&resolver.for_file(Path::new("a/b/c/x.py")).unwrap().enabled),
            ["PY001", "PY002", "PY101"]
        );
        let explicit = Overrides {
            config: Some(root.join("a/b/py2to3.toml")),
            ..Overrides::default()
        };
        let resolver = ConfigResolver::with_rules(explicit, rules(), root.to_path_buf()).unwrap();
        assert_eq!(
            codes(&resolver.for_file(Path::new("other/z.py")).unwrap().enabled),
            ["PY101"]
        );
    }

    #[test]
    fn a_broken_file_is_an_error_for_the_files_below_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("bad/sub")).unwrap();
        fs::write(
            root.join("bad/py2to3.toml"),
            "select = [\"PY001\"]\nfrobnicate = 1\n",
        )
        .unwrap();
        let resolver =
            ConfigResolver::with_rules(Overrides::default(), rules(), root.to_path_buf()).unwrap();
        let err = resolver.for_file(Path::new("bad/sub/x.py")).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `frobnicate`"),
            "{err}"
        );
        assert_eq!(err.path, Some(root.join("bad/py2to3.toml")));
        assert!(resolver.for_file(Path::new("ok.py")).is_ok());
    }
}
