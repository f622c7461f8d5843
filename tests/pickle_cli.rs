//! `py2to3 pickle audit|dis|diff` end to end: output formats, folders, compressed blobs,
//! Django cache files, stdin and exit codes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn py2to3(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_py2to3"))
        .args(args)
        .output()
        .expect("run py2to3")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Python 2.7 `pickle.dumps({'a': '\xe7\x88\xb1'}, 2)`.
const PY2_BLOB: &[u8] = b"\x80\x02}q\x00U\x01aq\x01U\x03\xe7\x88\xb1q\x02s.";
/// Python 3 `pickle.dumps({'a': '\u7231'}, 4)`.
const PY3_BLOB: &[u8] =
    b"\x80\x04\x95\x0e\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94\x8c\x03\xe7\x88\xb1\x94s.";

fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, data).unwrap();
    path.display().to_string()
}

#[test]
fn json_output_has_the_contract_fields() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "py2.pkl", PY2_BLOB);
    let out = py2to3(&["pickle", "audit", "--output-format", "json", &p]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["path"], p.as_str());
    assert_eq!(v["protocol"], 2);
    assert_eq!(v["py2_loadable"], true);
    assert_eq!(
        v["py3_loadable"],
        serde_json::json!({"ascii": false, "latin1": true, "bytes": true})
    );
    assert_eq!(v["dangerous"], false);
    assert_eq!(v["globals"], serde_json::json!([]));
    assert_eq!(v["error"], serde_json::Value::Null);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"PY3-NONASCII-STR"), "{:?}", codes);
    assert!(codes.contains(&"MEANING-STR-KEYS"), "{:?}", codes);
}

#[test]
fn folders_compression_django_and_require() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/py2.pkl", PY2_BLOB);
    write(dir.path(), "a/b/py3.pkl", PY3_BLOB);
    write(dir.path(), "c/py3.zlib", &zlib(PY3_BLOB));
    write(dir.path(), "c/py2.gz", &gzip(PY2_BLOB));
    // Django FileBasedCache: pickle.dump(expiry) then zlib.compress(pickle.dumps(value)).
    let mut django = b"\x80\x05\x95\n\x00\x00\x00\x00\x00\x00\x00GA\xd9T\xfc@ \x00\x00.".to_vec();
    django.extend(zlib(PY3_BLOB));
    write(dir.path(), "django/cache.djcache", &django);
    let root = dir.path().display().to_string();
    let out = py2to3(&["pickle", "audit", "--output-format", "json", &root]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<String> = lines
        .iter()
        .map(|v| {
            v["path"]
                .as_str()
                .unwrap()
                .trim_start_matches(&root)
                .to_string()
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            "/a/b/py3.pkl",
            "/a/py2.pkl",
            "/c/py2.gz:gzip",
            "/c/py3.zlib:zlib",
            "/django/cache.djcache",
            "/django/cache.djcache@21:zlib"
        ]
    );
    assert!(lines.iter().all(|v| v["error"].is_null()));
    // Python 2 cannot read the protocol 4 blobs; Python 3 cannot read the py2 str by default.
    let out = py2to3(&["pickle", "audit", "--require", "py2", &root]);
    assert_eq!(out.status.code(), Some(1));
    let out = py2to3(&["pickle", "audit", "--require", "py3", &root]);
    assert_eq!(out.status.code(), Some(1));
    let out = py2to3(&["pickle", "audit", "--require", "py3-latin1,safe", &root]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&py2to3(&["pickle", "audit", &root]));
    assert!(
        text.contains(
            "6 blob(s): 0 unreadable, 2 load in Python 2, 4 in Python 3 (ASCII), 6 with latin1"
        ),
        "{}",
        text
    );
}

#[test]
fn stdin_and_usage_errors() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_py2to3"))
        .args(["pickle", "audit", "--output-format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"cos\nsystem\n(S'echo hi'\ntR.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(v["path"], "-");
    assert_eq!(v["dangerous"], true);
    assert_eq!(
        py2to3(&["pickle", "audit", "/no/such/file"]).status.code(),
        Some(2)
    );
    assert_eq!(
        py2to3(&["pickle", "audit", "--require", "py9", "-"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(py2to3(&["pickle"]).status.code(), Some(2));
}

#[test]
fn dis_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "py2.pkl", PY2_BLOB);
    let b = write(dir.path(), "py3.pkl", PY3_BLOB);
    let out = py2to3(&["pickle", "dis", &b]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("   17: \\x8c SHORT_BINUNICODE '爱'"),
        "{}",
        stdout(&out)
    );
    let out = py2to3(&["pickle", "diff", &a, &b]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // Python 2 cannot load the protocol 4 pickle: no value is shown for it.
    assert!(
        text.contains("-{'a': '\\xe7\\x88\\xb1'}\n+<cannot load: PY2-PROTOCOL: protocol 4"),
        "{}",
        text
    );
    assert!(text.contains("-{'a': 'ç\\x88±'}\n+{'a': '爱'}"), "{}", text);
    let out = py2to3(&["pickle", "diff", &b, &b]);
    assert_eq!(out.status.code(), Some(0));
}
