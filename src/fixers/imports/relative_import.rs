//! The on-disk test behind 2to3's `fix_import` (implicit relative imports), ready for a fixer
//! once the checker knows the path of the file it checks (see the family's report: the engine
//! needs a `path: Option<&Path>` on `Checker`).
//!
//! 2to3 turns `import sibling` into `from . import sibling` and `from sibling import x` into
//! `from .sibling import x` when the file is in a package (its folder has `__init__.py`) and
//! `sibling` is a module next to it: `sibling.py` (or `.pyc`, `.pyd`, `.so`) or a package
//! `sibling/__init__.py`.

use std::path::Path;

/// Extensions 2to3 accepts for a sibling module file.
const MODULE_EXTENSIONS: &[&str] = &["py", "pyc", "pyd", "so", "sl"];

/// Whether `module_dir` is a package folder (holds `__init__.py`).
pub fn is_package(module_dir: &Path) -> bool {
    module_dir.join("__init__.py").is_file()
}

/// Whether the first component of the dotted `module` is a module or package next to the
/// file in `module_dir`, which must itself be a package.
pub fn is_sibling_module(module_dir: &Path, module: &str) -> bool {
    let first = module.split('.').next().unwrap_or(module);
    if first.is_empty() || !is_package(module_dir) {
        return false;
    }
    let package = module_dir.join(first);
    package.join("__init__.py").is_file()
        || MODULE_EXTENSIONS
            .iter()
            .any(|ext| module_dir.join(format!("{first}.{ext}")).is_file())
}

/// The Python 3 text for an implicit relative import of `module` in `module_dir`: the new
/// `from` part for `from module import ...` (`.module`), `None` when it is not relative.
pub fn relative_from_module(module_dir: &Path, module: &str) -> Option<String> {
    is_sibling_module(module_dir, module).then(|| format!(".{module}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_siblings_only_inside_a_package() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("sibling.py"), "").expect("write");
        std::fs::create_dir(root.join("sub")).expect("mkdir");
        std::fs::write(root.join("sub").join("__init__.py"), "").expect("write");
        // Not a package yet: nothing is relative.
        assert!(!is_sibling_module(root, "sibling"));
        std::fs::write(root.join("__init__.py"), "").expect("write");
        assert!(is_sibling_module(root, "sibling"));
        assert!(is_sibling_module(root, "sub.inner"));
        assert!(!is_sibling_module(root, "os"));
        assert!(!is_sibling_module(root, ""));
        assert_eq!(
            relative_from_module(root, "sibling").as_deref(),
            Some(".sibling")
        );
        assert_eq!(relative_from_module(root, "json"), None);
    }
}
