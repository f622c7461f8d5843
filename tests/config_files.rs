//! Configuration files as users write them: discovery from a file's folder upwards, and errors
//! that name the unknown key and the file it is in.

use std::fs;
use std::path::Path;

use py2to3::config::{ConfigResolver, Overrides, Target};
use py2to3::fixers::registry;

fn resolver(root: &Path) -> ConfigResolver {
    ConfigResolver::with_rules(
        Overrides::default(),
        registry::all().to_vec(),
        root.to_path_buf(),
    )
    .expect("no command-line errors")
}

#[test]
fn unknown_key_in_pyproject_names_the_key_and_file() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("proj");
    fs::create_dir_all(project.join("pkg")).unwrap();
    fs::write(
        project.join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.py2to3]\ntarget = \"six\"\nexlcude = [\"vendor\"]\n",
    )
    .unwrap();
    let err = resolver(tmp.path())
        .for_file(Path::new("proj/pkg/a.py"))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("unknown field `exlcude`"), "{text}");
    assert!(text.contains("[tool.py2to3]"), "{text}");
    assert_eq!(err.path, Some(project.join("pyproject.toml")));
}

#[test]
fn unknown_key_in_py2to3_toml_names_the_key_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("py2to3.toml"),
        "target = \"py3\"\n\n[per-file-ignore]\n\"tests/*\" = [\"ALL\"]\n",
    )
    .unwrap();
    let err = resolver(tmp.path())
        .for_file(Path::new("a.py"))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("unknown field `per-file-ignore`"), "{text}");
    assert!(text.contains("line 3"), "{text}");
    assert!(text.contains("py2to3.toml"), "{text}");
}

#[test]
fn nearest_file_wins_and_other_tools_pyproject_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("svc/api")).unwrap();
    fs::write(root.join("py2to3.toml"), "target = \"six\"\n").unwrap();
    // A pyproject.toml without [tool.py2to3] does not stop the search.
    fs::write(
        root.join("svc/pyproject.toml"),
        "[tool.black]\nline-length = 100\n",
    )
    .unwrap();
    let config = resolver(root)
        .for_file(Path::new("svc/api/views.py"))
        .unwrap();
    assert_eq!(config.target, Target::Six);
    assert_eq!(config.root, root);
    assert_eq!(
        config.source.as_deref(),
        Some(root.join("py2to3.toml").as_path())
    );
}
