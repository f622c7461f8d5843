//! The folder walk (`run::walk`) against its reference, the `ignore` crate's `WalkBuilder`
//! with `require_git(false)`: on hundreds of generated trees with `.gitignore`, `.ignore`,
//! `.git/info/exclude` files (negations, anchored and folder patterns, nested overrides),
//! hidden names and symbolic links, both must keep exactly the same files.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use py2to3::run::walk::{self, Listing, Visitor};

/// Keeps every file, excludes nothing.
struct All;

impl Visitor for All {
    type Scope = ();
    fn folder(&self, _: &Path, _: Option<&()>, _: &Listing) {}
    fn wants_file(&self, _: &OsStr) -> bool {
        true
    }
    fn consults(&self, _: &OsStr) -> bool {
        false
    }
    fn excluded(&self, _: &(), _: &Path, _: bool) -> bool {
        false
    }
}

fn reference(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .require_git(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn ours(root: &Path) -> Vec<PathBuf> {
    let found = walk::walk(root, &All);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert!(found
        .files
        .iter()
        .all(|f| f.meta.as_ref().is_some_and(|m| m.is_file())));
    found.files.into_iter().map(|f| f.path).collect()
}

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "a.py",
    "b.py",
    "keep.py",
    "top.py",
    "x",
    "data.txt",
    ".hidden.py",
    "build",
    "sub",
    "deep",
    "pkg",
    ".cache",
    "node_modules",
    "a",
    "notes.md",
];

const PATTERNS: &[&str] = &[
    "*.py",
    "!keep.py",
    "build/",
    "/top.py",
    "a*",
    "**/deep",
    "sub/a.py",
    "!sub/",
    "*.txt",
    "x",
    "!.hidden.py",
    "pkg/",
    "!pkg/b.py",
    "/sub",
    "deep/**",
    "*.md",
    "!*.md",
    "node_modules",
    "#comment",
    "",
    "\\!odd",
    "b.py/",
    "**/b.py",
    "!/a.py",
    ".cache/",
    "sub/**/x",
];

fn ignore_file(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..1 + rng.below(4) {
        text.push_str(rng.pick(PATTERNS));
        text.push('\n');
    }
    text
}

fn make_tree(rng: &mut Rng, dir: &Path, depth: usize) {
    fs::create_dir_all(dir).unwrap();
    for _ in 0..2 + rng.below(5) {
        let name = rng.pick(NAMES);
        let path = dir.join(name);
        if path.exists() {
            continue;
        }
        if depth < 3 && rng.below(3) == 0 {
            make_tree(rng, &path, depth + 1);
        } else {
            fs::write(&path, "x = 1\n").unwrap();
        }
    }
    if rng.below(3) == 0 {
        fs::write(dir.join(".gitignore"), ignore_file(rng)).unwrap();
    }
    if rng.below(6) == 0 {
        fs::write(dir.join(".ignore"), ignore_file(rng)).unwrap();
    }
    if rng.below(8) == 0 {
        fs::create_dir_all(dir.join(".git/info")).unwrap();
        fs::write(dir.join(".git/info/exclude"), ignore_file(rng)).unwrap();
    }
    if rng.below(8) == 0 {
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(dir.join("linked.py"), dir.join("link.py"));
            fs::write(dir.join("linked.py"), "y = 2\n").unwrap();
            let _ = std::os::unix::fs::symlink(dir, dir.join("loop"));
        }
    }
}

#[test]
fn keeps_the_same_files_as_the_ignore_crate() {
    for seed in 1..=400u64 {
        let tmp = tempfile::tempdir().unwrap();
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let top = tmp.path().join("top");
        make_tree(&mut rng, &top, 0);
        // Walk the tree itself and a folder inside it (the ignore files above that folder
        // apply to it too).
        let mut roots = vec![top.clone()];
        if let Some(inner) = fs::read_dir(&top)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| e.file_type().is_ok_and(|t| t.is_dir()) && e.file_name() != ".git")
        {
            roots.push(inner.path());
        }
        for root in roots {
            assert_eq!(
                ours(&root),
                reference(&root),
                "seed {seed}, root {}",
                root.display()
            );
        }
    }
}

#[test]
fn reports_an_unreadable_folder_and_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("ok")).unwrap();
    fs::write(root.join("ok/a.py"), "x = 1\n").unwrap();
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("locked/b.py"), "x = 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads everything anyway: only assert the error when the folder is really shut.
        let shut = fs::read_dir(root.join("locked")).is_err();
        let found = walk::walk(root, &All);
        fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
        let mut expected = vec![root.join("ok/a.py")];
        if !shut {
            expected.insert(0, root.join("locked/b.py"));
        }
        let files: Vec<PathBuf> = found.files.into_iter().map(|f| f.path).collect();
        assert_eq!(files, expected);
        assert_eq!(found.errors.len(), usize::from(shut));
    }
}
