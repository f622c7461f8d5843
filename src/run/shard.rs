//! `--shard K/N`: split the files of a run between the N jobs of a CI matrix, so that together
//! they check every file exactly once.
//!
//! A file goes to the shard given by a stable hash (xxh3, fixed seed) of its path relative to
//! the run root, with forward slashes: every job computes the same split without talking to the
//! others, whatever order it found the files in and whatever machine it runs on.

use std::fmt;
use std::path::{Component, Path};
use std::str::FromStr;

/// One shard: the `index`-th (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// The `index`-th (1-based) of `count` shards, if `1 <= index <= count`.
    pub fn new(index: u64, count: u64) -> Option<Self> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// The 1-based index K.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The number of shards N.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether the file with this run-relative key (see [`shard_key`]) belongs to this shard.
    pub fn contains_key(&self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }

    /// Whether `path` (under `root`, or relative to it) belongs to this shard.
    pub fn contains(&self, path: &Path, root: &Path) -> bool {
        self.contains_key(&shard_key(path, root))
    }

    /// Keeps the paths of this shard, in their order.
    pub fn filter<P: AsRef<Path>>(&self, paths: Vec<P>, root: &Path) -> Vec<P> {
        paths
            .into_iter()
            .filter(|p| self.contains(p.as_ref(), root))
            .collect()
    }
}

/// The 1-based shard (of `count`) a run-relative key falls in; `count` 0 is treated as 1.
pub fn shard_of(key: &str, count: u64) -> u64 {
    let hash = xxhash_rust::xxh3::xxh3_64_with_seed(key.as_bytes(), 0);
    hash % count.max(1) + 1
}

/// The path a shard is computed from: `path` relative to `root` when it is under it, with `.`
/// components dropped, and `/` between components on every platform.
pub fn shard_key(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/").replace('\\', "/")
}

impl FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with `1 <= K <= N`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("invalid shard `{s}`: expected K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count).ok_or_else(bad)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard::new(2, 4).unwrap()));
        assert_eq!(
            " 1 / 1 ".parse::<Shard>().map(|s| s.to_string()),
            Ok("1/1".into())
        );
        for bad in [
            "0/4",
            "5/4",
            "1/0",
            "a/b",
            "3",
            "",
            "-1/2",
            "1/2/3",
            "99999999999999999999/1",
        ] {
            let err = bad.parse::<Shard>().unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{err}");
        }
    }

    #[test]
    fn keys_are_relative_with_forward_slashes() {
        let root = Path::new("/repo");
        assert_eq!(shard_key(Path::new("/repo/pkg/a.py"), root), "pkg/a.py");
        assert_eq!(
            shard_key(Path::new("./pkg/./a.py"), Path::new(".")),
            "pkg/a.py"
        );
        assert_eq!(shard_key(Path::new("pkg/a.py"), root), "pkg/a.py");
    }

    /// Every file lands in exactly one shard, for every N, and the union of the shards is the
    /// whole list.
    #[test]
    fn shards_partition_the_files() {
        let root = PathBuf::from("/repo");
        let files: Vec<PathBuf> = (0..500)
            .map(|i| root.join(format!("pkg{}/mod_{i}.py", i % 7)))
            .collect();
        for n in 1..=9 {
            let mut union = BTreeSet::new();
            let mut total = 0;
            for k in 1..=n {
                let shard = Shard::new(k, n).unwrap();
                let part = shard.filter(files.clone(), &root);
                total += part.len();
                union.extend(part);
            }
            assert_eq!(total, files.len(), "N={n}: a file in two shards");
            assert_eq!(union, files.iter().cloned().collect(), "N={n}");
        }
    }

    #[test]
    fn split_is_stable_and_balanced_enough() {
        // The hash is part of the CI contract: a job must compute the same split on any machine.
        assert_eq!(
            [
                shard_of("pkg/a.py", 1_000_003),
                shard_of("pkg/b.py", 1_000_003)
            ],
            [915085, 309274]
        );
        let counts: Vec<usize> = (1..=4)
            .map(|k| {
                (0..1000)
                    .filter(|i| shard_of(&format!("f{i}.py"), 4) == k)
                    .count()
            })
            .collect();
        assert!(
            counts.iter().all(|&c| (200..300).contains(&c)),
            "{counts:?}"
        );
        // The order files are listed in does not matter.
        let shard = Shard::new(1, 3).unwrap();
        let forward: Vec<&str> = ["a.py", "b.py", "c.py", "d.py"]
            .into_iter()
            .filter(|k| shard.contains_key(k))
            .collect();
        let mut backward: Vec<&str> = ["d.py", "c.py", "b.py", "a.py"]
            .into_iter()
            .filter(|k| shard.contains_key(k))
            .collect();
        backward.reverse();
        assert_eq!(forward, backward);
    }
}
