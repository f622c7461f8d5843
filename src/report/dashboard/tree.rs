//! The folder tree: files grouped by folder, each folder with the totals of everything under
//! it, and the worst folders first.

use std::path::{Component, Path};

use super::{FileRecord, Totals};

/// One folder: its own files and sub-folders, and the totals of everything under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Folder {
    /// What the page shows: the last component, or several joined when a chain of folders
    /// holds nothing but the next one (`django/contrib` for a tree whose root holds only those).
    pub name: String,
    /// The folder's path, as the files' paths start (`django/contrib`); empty for a root above
    /// several paths.
    pub path: String,
    /// Sub-folders, worst first (see [`Folder::sort_worst_first`]).
    pub folders: Vec<Folder>,
    /// Indices of its own files in the list the tree was built from, most findings first.
    pub files: Vec<usize>,
    /// Counts over every file under the folder.
    pub totals: Totals,
}

impl Folder {
    fn new(name: String, path: String) -> Self {
        Folder {
            name,
            path,
            folders: Vec::new(),
            files: Vec::new(),
            totals: Totals::default(),
        }
    }

    /// Builds the tree of `files` (their paths split at `/`; `.` components dropped). The root's
    /// chain of single sub-folders is folded into it, so the root is the deepest folder holding
    /// every file.
    pub fn build(files: &[FileRecord]) -> Folder {
        let mut root = Folder::new(String::new(), String::new());
        for (index, file) in files.iter().enumerate() {
            let parts = folder_parts(&file.path);
            let mut folder = &mut root;
            folder.totals.add(file);
            let mut path = String::new();
            for part in parts {
                if !path.is_empty() && !path.ends_with('/') {
                    path.push('/');
                }
                path.push_str(&part);
                let position = folder.folders.iter().position(|f| f.name == part);
                let at = match position {
                    Some(at) => at,
                    None => {
                        folder.folders.push(Folder::new(part.clone(), path.clone()));
                        folder.folders.len() - 1
                    }
                };
                folder = &mut folder.folders[at];
                folder.totals.add(file);
            }
            folder.files.push(index);
        }
        while root.files.is_empty() && root.folders.len() == 1 {
            let only = root.folders.remove(0);
            let name = if root.name.is_empty() || root.name == "/" {
                format!("{}{}", root.name, only.name)
            } else {
                format!("{}/{}", root.name, only.name)
            };
            root = Folder { name, ..only };
        }
        root.sort_worst_first(files);
        root
    }

    /// Orders sub-folders worst first: lowest share of migrated files, then most findings,
    /// then name; and files by most findings, then not compiling as Python 3, then path.
    pub fn sort_worst_first(&mut self, files: &[FileRecord]) {
        self.folders.sort_by(|a, b| {
            a.totals
                .progress()
                .total_cmp(&b.totals.progress())
                .then_with(|| b.totals.findings.cmp(&a.totals.findings))
                .then_with(|| a.name.cmp(&b.name))
        });
        self.files.sort_by(|&a, &b| {
            let (a, b) = (&files[a], &files[b]);
            b.findings()
                .len()
                .cmp(&a.findings().len())
                .then_with(|| a.migrated().cmp(&b.migrated()))
                .then_with(|| a.path.cmp(&b.path))
        });
        for folder in &mut self.folders {
            folder.sort_worst_first(files);
        }
    }
}

/// The folders of a file's path, outermost first (`/` for the root of an absolute path).
fn folder_parts(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            Component::RootDir => Some("/".to_string()),
            Component::Prefix(p) => Some(p.as_os_str().to_string_lossy().into_owned()),
            Component::CurDir => None,
        })
        .collect();
    parts.pop();
    parts
}

/// The name of a file in its folder.
pub fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::super::tests::checked;
    use super::*;

    fn names(folder: &Folder) -> Vec<(&str, &str, usize)> {
        folder
            .folders
            .iter()
            .map(|f| (f.name.as_str(), f.path.as_str(), f.totals.files))
            .collect()
    }

    #[test]
    fn folds_the_common_chain_and_puts_the_worst_first() {
        let files = vec![
            checked("./pkg/a.py", 1, &[], true),
            checked("./pkg/good/b.py", 2, &[], true),
            checked("./pkg/bad/c.py", 3, &[("PY001", true)], false),
            checked(
                "./pkg/bad/deep/d.py",
                4,
                &[("PY001", true), ("PY200", false)],
                false,
            ),
            checked("./pkg/half/e.py", 1, &[("PY001", true)], false),
            checked("./pkg/half/f.py", 1, &[], true),
        ];
        let root = Folder::build(&files);
        assert_eq!(root.name, "pkg");
        assert_eq!(root.path, "pkg");
        assert_eq!(root.totals.files, 6);
        assert_eq!(root.totals.findings, 4);
        assert_eq!(root.files, [0]);
        assert_eq!(
            names(&root),
            [
                ("bad", "pkg/bad", 2),
                ("half", "pkg/half", 2),
                ("good", "pkg/good", 1)
            ]
        );
        assert_eq!(names(&root.folders[0]), [("deep", "pkg/bad/deep", 1)]);
        assert_eq!(root.folders[1].files, [4, 5]);
    }

    #[test]
    fn absolute_paths_and_several_roots() {
        let files = vec![
            checked("/x/y/a.py", 1, &[], true),
            checked("/x/y/z/b.py", 1, &[("PY001", true)], true),
        ];
        let root = Folder::build(&files);
        assert_eq!(root.name, "/x/y");
        assert_eq!(root.path, "/x/y");
        assert_eq!(names(&root), [("z", "/x/y/z", 1)]);
        let files = vec![
            checked("a/m.py", 1, &[], true),
            checked("b/n.py", 1, &[], true),
        ];
        let root = Folder::build(&files);
        assert_eq!((root.name.as_str(), root.path.as_str()), ("", ""));
        assert_eq!(names(&root), [("a", "a", 1), ("b", "b", 1)]);
        assert_eq!(file_name("a/m.py"), "m.py");
        assert_eq!(Folder::build(&[]).totals.files, 0);
    }
}
