//! Fixture tests for the grammar fixers (temporary harness until the shared fixture harness lands).
//!
//! For each `fixtures/<fixer-name>/<case>.py` with `<case>.py.expected`: run only that fixer (all
//! grammar fixers for `fixtures/combined-grammar/`) to a fixed point, compare byte for byte, check
//! the expected output is a fixed point, and check with python3 that it parses.

use std::path::{Path, PathBuf};
use std::process::Command;

use py2to3::engine::apply::apply_fixes;
use py2to3::engine::spec::run_token_fixers;
use py2to3::engine::Applicability;
use py2to3::fixers::grammar::FIXERS;
use py2to3::fixers::{FixerSpec, TokenContext};

const MAX_ROUNDS: usize = 10;

/// The diagnostics of `fixers` on `text`.
fn diagnostics(text: &str, fixers: &[&'static FixerSpec]) -> Vec<py2to3::engine::Diagnostic> {
    let tokens = py2to3::tokens::tokenize(text);
    let cx = TokenContext::new(text, &tokens);
    let mut out = Vec::new();
    run_token_fixers(&cx, fixers, &mut out);
    out
}

/// Runs `fixers` once over `text`; returns the new text and how many fixes applied.
fn run_once(text: &str, fixers: &[&'static FixerSpec]) -> (String, usize) {
    let diagnostics = diagnostics(text, fixers);
    let applied = apply_fixes(text, &diagnostics, Applicability::Safe);
    (applied.text, applied.fixes)
}

/// Runs `fixers` to a fixed point; panics if it does not converge.
fn run_to_fixpoint(text: &str, fixers: &[&'static FixerSpec], what: &str) -> String {
    let mut current = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let (next, fixes) = run_once(&current, fixers);
        if fixes == 0 || next == current {
            return current;
        }
        current = next;
    }
    panic!("{what}: fixes did not converge in {MAX_ROUNDS} rounds");
}

fn python3_available() -> bool {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("python3 is required when CI=true");
    }
    ok
}

/// Parses `path` with python3's `ast`; returns the error text on failure.
fn python3_parse(path: &Path) -> Result<(), String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import ast,sys; ast.parse(open(sys.argv[1],'rb').read())",
        ])
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn fixers_for(folder: &str) -> Vec<&'static FixerSpec> {
    if folder == "combined-grammar" {
        return FIXERS.to_vec();
    }
    FIXERS
        .iter()
        .copied()
        .filter(|s| s.name == folder)
        .collect()
}

#[test]
fn grammar_fixtures() {
    let python = python3_available();
    let mut failures = Vec::new();
    let mut cases = 0;
    let mut folders: Vec<String> = FIXERS.iter().map(|s| s.name.to_string()).collect();
    folders.push("combined-grammar".to_string());
    for folder in folders {
        let dir = fixtures_root().join(&folder);
        let fixers = fixers_for(&folder);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            failures.push(format!("{folder}: no fixtures folder"));
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "py"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            failures.push(format!("{folder}: no cases"));
        }
        for input_path in paths {
            cases += 1;
            let name = input_path.display().to_string();
            let expected_path = PathBuf::from(format!("{}.expected", input_path.display()));
            let input = std::fs::read_to_string(&input_path).expect("fixture is UTF-8");
            let Ok(expected) = std::fs::read_to_string(&expected_path) else {
                failures.push(format!("{name}: missing .expected"));
                continue;
            };
            let got = run_to_fixpoint(&input, &fixers, &name);
            if got != expected {
                failures.push(format!(
                    "{name}: output differs\n--- expected\n{expected}\n--- got\n{got}"
                ));
                continue;
            }
            let (again, fixes) = run_once(&expected, &fixers);
            if fixes != 0 || again != expected {
                failures.push(format!(
                    "{name}: expected output is not a fixed point:\n{again}"
                ));
            }
            if python {
                if let Err(e) = python3_parse(&expected_path) {
                    failures.push(format!("{name}: expected does not parse: {e}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every file of Django 1.3.7 must parse with python3 after the grammar fixers.
/// Run with `cargo test --test grammar -- --ignored django --nocapture`; `GRAMMAR_CORPUS=dir`
/// checks another tree, `GRAMMAR_OUT=dir` keeps the fixed files.
#[test]
#[ignore]
fn django_parses_after_grammar_fixers() {
    // GRAMMAR_CORPUS=dir checks another tree.
    let root = match std::env::var("GRAMMAR_CORPUS") {
        Ok(dir) => PathBuf::from(dir),
        Err(_) => std::env::var("HOME")
            .map(|h| PathBuf::from(h).join(".cache/py2-corpus/Django-1.3.7/django"))
            .expect("HOME is set"),
    };
    assert!(python3_available(), "python3 is needed");
    let mut files = Vec::new();
    collect_py(&root, &mut files);
    files.sort();
    let out_dir = tempfile::tempdir().expect("temp dir");
    let mut failures = Vec::new();
    let mut reported = Vec::new();
    let mut list = String::new();
    for (i, path) in files.iter().enumerate() {
        let bytes = std::fs::read(path).expect("readable");
        let Ok(file) = py2to3::source::SourceFile::decode(&bytes) else {
            failures.push(format!("{}: cannot decode", path.display()));
            continue;
        };
        let fixed = run_to_fixpoint(&file.text, FIXERS, &path.display().to_string());
        for d in diagnostics(&fixed, FIXERS) {
            reported.push(format!(
                "{}: {} {} {:?}",
                path.display(),
                d.code,
                d.message,
                fixed.get(d.start..d.end)
            ));
        }
        let Ok(out) = file.encode(&fixed) else {
            failures.push(format!("{}: cannot encode", path.display()));
            continue;
        };
        let dest = out_dir.path().join(format!("{i}.py"));
        std::fs::write(&dest, &out).expect("writable");
        // GRAMMAR_OUT=dir keeps the fixed tree, to compare with other tools.
        if let Ok(keep) = std::env::var("GRAMMAR_OUT") {
            if let Ok(rel) = path.strip_prefix(&root) {
                let kept = Path::new(&keep).join(rel);
                if let Some(parent) = kept.parent() {
                    std::fs::create_dir_all(parent).expect("creatable");
                }
                std::fs::write(kept, &out).expect("writable");
            }
        }
        list.push_str(&format!("{}\t{}\n", dest.display(), path.display()));
    }
    // One python3 process parses every file.
    let list_path = out_dir.path().join("list.txt");
    std::fs::write(&list_path, list).expect("writable");
    let script = "import ast,sys\nfor line in open(sys.argv[1]):\n    out, orig = line.rstrip('\\n').split('\\t')\n    try:\n        ast.parse(open(out,'rb').read())\n    except SyntaxError as e:\n        print(orig, e)\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&list_path)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    failures.extend(stdout.lines().map(str::to_string));
    println!("{} findings left without a fix:", reported.len());
    for r in &reported {
        println!("  {r}");
    }
    println!(
        "{} files, {} do not parse after grammar fixers",
        files.len(),
        failures.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(failures.is_empty());
}

fn collect_py(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_py(&p, out);
        } else if p.extension().is_some_and(|x| x == "py") {
            out.push(p);
        }
    }
}

/// No fixer panics on any prefix of any fixture (unterminated strings, open brackets, headers
/// without bodies ...), nor on a few hostile snippets, and the output of every fix round can be
/// tokenized again.
#[test]
fn no_panic_on_truncated_or_odd_input() {
    let mut inputs: Vec<String> = vec![
        "print >>".into(),
        "print >>f,".into(),
        "raise ,".into(),
        "raise E,,".into(),
        "except , :".into(),
        "except E, :\n".into(),
        "def f((a, b)".into(),
        "def f((a, b)):".into(),
        "lambda (a, b)".into(),
        "lambda (a, (b)): b".into(),
        "def f(True=True".into(),
        "def f(True=True):".into(),
        "async = 1; x.async = 2".into(),
        ")))]]]: print x".into(),
        "`a` `b` ``".into(),
        "\t\n \tif x:\n\t\ty\n        z\n".into(),
        "b'\u{e9}\\".into(),
        "ur'\\".into(),
        "exec in".into(),
        "print\u{c}x".into(),
        "\u{feff}print x".into(),
    ];
    for entry in std::fs::read_dir(fixtures_root())
        .expect("fixtures")
        .flatten()
    {
        for case in std::fs::read_dir(entry.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = case.path();
            if p.extension().is_some_and(|x| x == "py") {
                inputs.push(std::fs::read_to_string(p).expect("UTF-8"));
            }
        }
    }
    for input in &inputs {
        let mut cut = 0;
        while cut <= input.len() {
            if input.is_char_boundary(cut) {
                let text = &input[..cut];
                let (fixed, _) = run_once(text, FIXERS);
                let (_, _) = run_once(&fixed, FIXERS);
            }
            cut += 1;
        }
    }
}

/// Each grammar fixer alone reaches a fixed point on every Django 1.3.7 file (no fix loops).
/// Run with `cargo test --test grammar -- --ignored each_fixer --nocapture`.
#[test]
#[ignore]
fn each_fixer_converges_on_django() {
    let root = std::env::var("GRAMMAR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            std::env::var("HOME")
                .map(|h| PathBuf::from(h).join(".cache/py2-corpus/Django-1.3.7/django"))
                .expect("HOME is set")
        });
    let mut files = Vec::new();
    collect_py(&root, &mut files);
    let mut changed = vec![0usize; FIXERS.len()];
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(file) = py2to3::source::SourceFile::decode(&bytes) else {
            continue;
        };
        for (i, spec) in FIXERS.iter().enumerate() {
            let what = format!("{} on {}", spec.name, path.display());
            if run_to_fixpoint(&file.text, &[*spec], &what) != file.text {
                changed[i] += 1;
            }
        }
    }
    for (spec, n) in FIXERS.iter().zip(&changed) {
        println!(
            "{} {}: changes {n} of {} files",
            spec.code,
            spec.name,
            files.len()
        );
    }
}

/// Random soups of Python 2 fragments: no panic, and the fixers converge.
#[test]
fn random_fragments_converge() {
    const FRAGMENTS: &[&str] = &[
        "print",
        " ",
        ">>",
        "f",
        ",",
        "x",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        ";",
        "\n",
        "\t",
        "    ",
        "`",
        "<>",
        "0777",
        "10L",
        "ur'\\u00e9'",
        "b'\u{e9}'",
        "exec",
        "in",
        "except",
        "raise",
        "E",
        "lambda",
        "def",
        "g",
        "True",
        "=",
        "async",
        "if",
        "else",
        "try",
        "for",
        "\\\n",
        "# c\n",
        "'s'",
        "\"\"\"d\"\"\"",
        "None",
        ".",
        "1",
        "\r\n",
        "except E, (a, b):\n",
        "def f((a, b)):\n",
        "lambda (a, b): a",
        "[x for x in 1, 2]",
        "raise E, V, T",
        "print >>f, x,",
        "def h(x, True=True):",
        "    pass\n",
        "class A:",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..5000 {
        let len = (next() % 40) as usize;
        let text: String = (0..len)
            .map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize])
            .collect();
        run_to_fixpoint(&text, FIXERS, &format!("{text:?}"));
    }
}
