//! The `fix` and `check` commands: clap arguments and the glue from them to the engine.

pub mod add_noqa;
pub mod baseline;
pub mod check;
pub mod fix;
pub mod report;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::resolve::DirConfig;
use crate::config::{self, Config, ConfigResolver, Overrides, Target};
use crate::engine::folders::is_module_file_name;
use crate::engine::pipeline::Settings;
use crate::fixers::registry;
use crate::run::cache::Cache;
use crate::run::driver::{self, Candidate};
use crate::run::folders::Listings;
use crate::run::shard::Shard;
use crate::run::walk;

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
    /// Rules to run in addition to the selection (same forms as --select).
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// GLOB:CODES — do not report these rules for matching files (repeatable).
    #[arg(long, value_parser = config::parse_per_file_ignore)]
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    /// What fixed code targets.
    #[arg(long, value_enum)]
    pub target: Option<Target>,
    /// Use this configuration file for every path (no discovery).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Read no configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// Do not read or write the results cache (.py2to3_cache/).
    #[arg(long)]
    pub no_cache: bool,
    /// Process only shard K of N (1-based): N CI jobs with K=1..N cover the tree once.
    #[arg(long)]
    pub shard: Option<Shard>,
    /// With `-` as the path: the name of the file standard input holds (its configuration,
    /// per-file ignores and sibling modules are those of this path; findings carry it).
    #[arg(long)]
    pub stdin_filename: Option<PathBuf>,
    /// Colours: `auto` (on a terminal, unless NO_COLOR is set), `always` or `never`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless the NO_COLOR environment variable is set (and not empty).
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a terminal (`terminal`) or not.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

impl CommonArgs {
    /// Whether the run reads standard input (`-` as the only path).
    pub fn reads_stdin(&self) -> bool {
        self.paths.len() == 1 && self.paths[0] == Path::new("-")
    }

    /// The path standard input stands for: `--stdin-filename`, or `-`.
    pub fn stdin_path(&self) -> PathBuf {
        self.stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"))
    }
}

/// Files and settings resolved from [`CommonArgs`].
pub struct Prepared {
    pub files: Vec<Candidate>,
    pub settings: Settings,
    /// Finds each file's configuration.
    pub resolver: Arc<ConfigResolver>,
    /// Paths that could not be walked.
    pub walk_errors: Vec<(PathBuf, String)>,
    /// What each folder holds, for the relative-import facts: the walk's listings, and those
    /// read later on demand.
    pub folders: Arc<Listings>,
}

impl CommonArgs {
    /// Resolves the selection and finds the files; a usage error is returned as text.
    pub fn prepare(&self) -> Result<Prepared, String> {
        let overrides = Overrides {
            config: self.config.clone(),
            isolated: self.isolated,
            select: (!self.select.is_empty()).then(|| self.select.clone()),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            exclude: self.exclude.clone(),
            per_file_ignores: self.per_file_ignores.clone(),
            target: self.target,
            unsafe_fixes: self.unsafe_fixes.then_some(true),
        };
        let resolver = Arc::new(ConfigResolver::new(overrides).map_err(|e| e.to_string())?);
        if self.paths.len() > 1 && self.paths.iter().any(|p| p == Path::new("-")) {
            return Err("`-` (standard input) must be the only path".to_string());
        }
        if self.stdin_filename.is_some() && !self.reads_stdin() {
            return Err("--stdin-filename needs `-` as the path".to_string());
        }
        let paths = if self.reads_stdin() {
            Vec::new()
        } else if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        };
        let excluded_file = |p: &Path| {
            resolver
                .for_file(p)
                .map(|c| c.is_excluded(p))
                .unwrap_or(false)
        };
        let folders = Arc::new(Listings::default());
        let visitor = ConfigVisitor {
            resolver: &resolver,
            folders: &folders,
        };
        // A cached run reuses the folder listings of the last one: those of the cache of the
        // working directory's configuration (where a run from a project's root keeps its cache).
        let listings = if self.no_cache {
            None
        } else {
            Cache::open(&resolver.fallback().root).folder_listings()
        };
        let store = listings.as_ref().map(|l| l as &dyn walk::ListingStore);
        let (mut files, walk_errors) = driver::discover(&paths, &visitor, excluded_file, store);
        if let Some(shard) = self.shard {
            let root = resolver.fallback().root.clone();
            files.retain(|c| shard.contains(&c.path, &root));
        }
        let fallback = resolver.fallback();
        let mut settings = Settings::new(registry::all(), fallback.enabled.clone());
        settings.unsafe_fixes = fallback.unsafe_fixes;
        settings.target = fallback.target;
        settings.folders = Some(folders.clone());
        Ok(Prepared {
            files,
            settings,
            resolver,
            walk_errors,
            folders,
        })
    }
}

/// The walk's view of the configuration: each folder's configuration (found from the folder's
/// listing: only a folder holding a config file needs a lookup), and the `exclude` globs.
struct ConfigVisitor<'a> {
    resolver: &'a ConfigResolver,
    folders: &'a Listings,
}

impl walk::Visitor for ConfigVisitor<'_> {
    type Scope = DirConfig;

    fn folder(&self, dir: &Path, parent: Option<&DirConfig>, listing: &walk::Listing) -> DirConfig {
        // relative-import asks what each checked file's folder holds: it is listed here already.
        let entries: Vec<(&OsStr, Option<bool>)> = listing
            .entries()
            .iter()
            .map(|(name, kind)| {
                let kind = match kind {
                    walk::Kind::Folder => Some(true),
                    walk::Kind::File => Some(false),
                    walk::Kind::Other => None,
                };
                (name.as_os_str(), kind)
            })
            .collect();
        self.folders.remember(dir, &entries);
        let has_config_file =
            listing.contains(config::PY2TO3_TOML) || listing.contains(config::PYPROJECT_TOML);
        self.resolver.for_listed_dir(dir, parent, has_config_file)
    }

    fn wants_file(&self, name: &OsStr) -> bool {
        driver::is_candidate_name(name)
    }

    fn consults(&self, name: &OsStr) -> bool {
        name == config::PY2TO3_TOML || name == config::PYPROJECT_TOML || is_module_file_name(name)
    }

    fn excluded(&self, scope: &DirConfig, path: &Path, _is_dir: bool) -> bool {
        // A broken configuration excludes nothing: its error is reported for each file.
        scope.as_ref().is_ok_and(|c| c.is_excluded_entry(path))
    }
}

/// `path` as headers and messages show it: without a leading `./` (`fix --diff .` walks
/// `./pkg/a.py`; `git apply` wants `a/pkg/a.py`).
pub fn display_path(path: &Path) -> String {
    let mut p = path;
    while let Ok(rest) = p.strip_prefix(".") {
        if rest.as_os_str().is_empty() {
            break;
        }
        p = rest;
    }
    p.display().to_string()
}

/// The pipeline settings, config and cache of one file.
pub fn file_settings(
    prepared: &Prepared,
    path: &Path,
    no_cache: bool,
) -> Result<(Arc<Config>, Settings, Cache), String> {
    let config = prepared
        .resolver
        .for_file(path)
        .map_err(|e| e.to_string())?;
    // check runs every enabled rule (grammar fixers may be needed to parse) and filters
    // per-file ignores afterwards.
    let mut settings = Settings::new(registry::all(), config.enabled.clone());
    settings.unsafe_fixes = config.unsafe_fixes;
    settings.target = config.target;
    settings.folders = Some(prepared.folders.clone());
    let cache = if no_cache {
        Cache::disabled()
    } else {
        Cache::open(&config.root)
    };
    Ok((config, settings, cache))
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
            spec.all_groups().join(","),
            spec.summary
        ));
    }
    out
}
