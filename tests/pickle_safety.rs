//! `py2to3 pickle` on hostile and unusual inputs (issues 26, 27 and 20): bounded memory on
//! bombs and huge files, an allow-list "safe" verdict, protocol-0 pickles that look like zlib,
//! closed pipes, files reached twice, one exit-status rule, honest `pickle diff` views,
//! documented finding codes, JSON output of `dis` and `diff`.
//!
//! Real CPython 2.7 and 3 are the oracles of what loads (they only ever load plain data here;
//! no pickle naming a global is ever loaded). Hostile pickles are built as bytes.

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn py2to3(args: &[&str]) -> Output {
    support::py2to3().args(args).output().expect("run py2to3")
}

fn audit(args: &[&str]) -> Output {
    let mut all = vec!["pickle", "audit", "--isolated"];
    all.extend_from_slice(args);
    py2to3(&all)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path.display().to_string()
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `code` under an interpreter with the blob's path as argv[1]; returns stdout.
fn run_python(python: &Path, code: &str, arg: &str) -> String {
    let out = Command::new(python)
        .args(["-c", code, arg])
        .output()
        .expect("run python");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

// ------------------------------------------------------------------ issue 26: memory

#[test]
fn zlib_bomb_is_a_finding_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    // 256 MiB of zeros: over a 1 MiB cap (and over the 64 MiB default).
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..256 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = write(dir.path(), "bomb.zlib", &enc.finish().unwrap());
    let good = write(dir.path(), "good.pkl", b"N.");
    for args in [
        vec!["--output-format", "json", bomb.as_str(), good.as_str()],
        vec![
            "--max-blob-size",
            "1M",
            "--output-format",
            "json",
            bomb.as_str(),
            good.as_str(),
        ],
    ] {
        let out = audit(&args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 2, "the run goes on after the bomb");
        assert_eq!(lines[0]["path"], format!("{bomb}:zlib"));
        assert_eq!(codes(&lines[0]), vec!["BLOB-TOO-LARGE"]);
        assert!(lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("decompressed size over the limit"));
        assert!(lines[1]["error"].is_null());
    }
    // The text table names the finding in words.
    let out = audit(&[bomb.as_str()]);
    assert!(
        stdout(&out).contains("BLOB-TOO-LARGE      1 blob(s)  decompressed size over the limit"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn huge_sparse_files_are_mapped_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let gib: u64 = 1 << 30;
    let zeros = dir.path().join("sparse.bin");
    std::fs::File::create(&zeros).unwrap().set_len(gib).unwrap();
    // One pickle holding 1 GiB of bytes, almost all of it a hole.
    let pickle = dir.path().join("sparse.pkl");
    {
        let n = gib - 20;
        let mut f = std::fs::File::create(&pickle).unwrap();
        f.write_all(b"\x80\x04\x8e").unwrap();
        f.write_all(&n.to_le_bytes()).unwrap();
        f.set_len(11 + n).unwrap();
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&pickle)
            .unwrap();
        f.write_all(b"\x94.").unwrap();
    }
    let start = std::time::Instant::now();
    let out = audit(&[
        "--output-format",
        "json",
        zeros.to_str().unwrap(),
        pickle.to_str().unwrap(),
    ]);
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .contains("unknown opcode 0x00 at offset 0"));
    assert!(lines[1]["error"].is_null(), "{}", lines[1]);
    assert_eq!(lines[1]["protocol"], 4);
    // The listing shows the start of the 1 GiB value and its length, not 4 GB of escapes.
    let out = py2to3(&["pickle", "dis", pickle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.len() < 8192, "{} bytes", out.stdout.len());
    assert!(
        stdout(&out).contains("...<1073741804 bytes>"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn stdin_is_read_up_to_the_cap() {
    let mut child = support::py2to3()
        .args([
            "pickle",
            "audit",
            "--isolated",
            "--max-blob-size",
            "1K",
            "--output-format",
            "json",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // More than the cap; the writer may see the pipe close early.
    let _ = stdin.write_all(&vec![b'N'; 1 << 20]);
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(codes(&lines[0]), vec!["BLOB-TOO-LARGE"]);
}

// ------------------------------------------------------------------ issue 27.1: safe

/// Every gadget of issue 27, as `module.name`.
const GADGETS: &[&str] = &[
    "timeit.timeit",
    "pdb.run",
    "profile.run",
    "cProfile.run",
    "platform.popen",
    "pydoc.pipepager",
    "distutils.spawn.spawn",
    "uuid._popen",
    "doctest.debug_script",
    "trace.Trace",
    "bdb.Bdb",
    "logging.config.listen",
    "yaml.load",
    "numpy.load",
    "pip.main",
    "zipimport.zipimporter",
    "jinja2.Template",
];

/// `module.name('id')` as protocol 0 (GLOBAL + REDUCE).
fn call_pickle(dotted: &str) -> Vec<u8> {
    let (module, name) = dotted.rsplit_once('.').unwrap();
    format!("c{module}\n{name}\n(S'id'\ntR.").into_bytes()
}

/// `module.name('id')` as protocol 4 (SHORT_BINUNICODE x 2, STACK_GLOBAL, REDUCE).
fn call_pickle4(dotted: &str) -> Vec<u8> {
    let (module, name) = dotted.rsplit_once('.').unwrap();
    let mut out = b"\x80\x04".to_vec();
    for s in [module, name] {
        out.push(0x8c);
        out.push(s.len() as u8);
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(b"\x93\x8c\x02id\x85R.");
    out
}

#[test]
fn every_gadget_fails_require_safe() {
    let dir = tempfile::tempdir().unwrap();
    for (i, gadget) in GADGETS.iter().enumerate() {
        for (j, blob) in [call_pickle(gadget), call_pickle4(gadget)]
            .iter()
            .enumerate()
        {
            let path = write(dir.path(), &format!("g{i}-{j}.pkl"), blob);
            let out = audit(&["--require", "safe", "--output-format", "json", &path]);
            assert_eq!(out.status.code(), Some(1), "{gadget}: {}", stderr(&out));
            let v = &json_lines(&out)[0];
            assert_eq!(v["safe"], false, "{gadget}: {v}");
            assert_eq!(v["dangerous"], true, "{gadget} is a known gadget: {v}");
            assert!(codes(v).contains(&"DANGEROUS-GLOBAL".to_string()), "{v}");
            assert_eq!(v["globals"], serde_json::json!([gadget]));
            // A known gadget stays dangerous whatever the user allows.
            let out = audit(&["--allow", gadget, "--require", "safe", &path]);
            assert_eq!(out.status.code(), Some(1), "{gadget}");
        }
    }
}

#[test]
fn globals_outside_the_allow_list_are_unknown() {
    let dir = tempfile::tempdir().unwrap();
    // Application classes and harmless-looking standard names alike.
    for (i, global) in [
        "mypkg.Model",
        "fractions.Fraction",
        "builtins.type",
        "string.Template",
    ]
    .iter()
    .enumerate()
    {
        let path = write(dir.path(), &format!("u{i}.pkl"), &call_pickle(global));
        let out = audit(&["--output-format", "json", &path]);
        // Unknown is not dangerous: no failure without --require.
        assert_eq!(out.status.code(), Some(0), "{global}: {}", stderr(&out));
        let v = &json_lines(&out)[0];
        assert_eq!(
            (v["safe"].as_bool(), v["dangerous"].as_bool()),
            (Some(false), Some(false)),
            "{v}"
        );
        assert_eq!(v["unknown_globals"], serde_json::json!([global]));
        assert!(codes(v).contains(&"UNKNOWN-GLOBAL".to_string()));
        let out = audit(&["--require", "safe", &path]);
        assert_eq!(out.status.code(), Some(1), "{global}");
        let out = audit(&["--require", "safe", "--allow", global, &path]);
        assert_eq!(out.status.code(), Some(0), "{global}: {}", stderr(&out));
    }
}

#[test]
fn allow_list_in_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let model = write(dir.path(), "model.pkl", &call_pickle("mypkg.models.User"));
    let other = write(dir.path(), "other.pkl", &call_pickle("otherpkg.Thing"));
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.py2to3.pickle]\nallow = [\"mypkg.models.*\"]\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        support::py2to3()
            .current_dir(dir.path())
            .args(["pickle", "audit", "--require", "safe"])
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(run(&[&model]).status.code(), Some(0));
    assert_eq!(run(&[&other]).status.code(), Some(1));
    assert_eq!(run(&["--isolated", &model]).status.code(), Some(1));
    // A config elsewhere, by --config.
    let cfg = write(
        dir.path(),
        "py2to3-other.toml",
        b"[pickle]\nallow = [\"otherpkg.Thing\"]\n",
    );
    assert_eq!(run(&["--config", &cfg, &other]).status.code(), Some(0));
    // A broken configuration is a configuration error.
    let broken = write(dir.path(), "broken.toml", b"[pickle]\nalow = []\n");
    let out = run(&["--config", &broken, &other]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("alow"), "{}", stderr(&out));
}

/// What real interpreters write for plain data is safe: builtins containers and scalars,
/// datetime, decimal, collections, copyreg reconstructors.
#[test]
fn what_python_writes_for_plain_data_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    let values = "[1, 2**70, 1.5, 1j, u'text', b'raw', None, True, (1,), [2], {'k': 'v'}, \
                  set([1]), frozenset([2]), bytearray(b'ab'), \
                  datetime.datetime(2020, 1, 2, 3, 4, 5), datetime.date(2020, 1, 2), \
                  datetime.time(1, 2), datetime.timedelta(3), decimal.Decimal('1.5'), \
                  collections.OrderedDict([('a', 1)]), collections.defaultdict(list), \
                  collections.deque([1]), collections.Counter('aab')]";
    let mut written = 0;
    if support::python3_available() {
        let code = format!(
            "import pickle, sys, datetime, decimal, collections\n\
             for p in range(6):\n\
             \x20   open('%s/py3-%d.pkl' % (sys.argv[1], p), 'wb').write(pickle.dumps({values}, p))\n\
             open(sys.argv[1] + '/py3-tz.pkl', 'wb').write(pickle.dumps(datetime.timezone.utc, 2))"
        );
        let ok = Command::new("python3")
            .args(["-c", &code, dir.path().to_str().unwrap()])
            .status()
            .unwrap();
        assert!(ok.success());
        written += 7;
    }
    if let Some(py2) = support::python2() {
        let code = format!(
            "import pickle, cPickle, sys, datetime, decimal, collections\n\
             for p in range(3):\n\
             \x20   open('%s/py2-%d.pkl' % (sys.argv[1], p), 'wb').write(pickle.dumps({values}, p))\n\
             \x20   open('%s/py2c-%d.pkl' % (sys.argv[1], p), 'wb').write(cPickle.dumps({values}, p))"
        );
        let ok = Command::new(py2)
            .args(["-c", &code, dir.path().to_str().unwrap()])
            .status()
            .unwrap();
        assert!(ok.success());
        written += 6;
    }
    if written == 0 {
        return;
    }
    let out = audit(&[
        "--require",
        "safe",
        "--output-format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), written);
    for v in &lines {
        assert_eq!(v["safe"], true, "{v}");
        assert_eq!(v["unknown_globals"], serde_json::json!([]), "{v}");
    }
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ------------------------------------------------------------------ issue 27.2: (S

#[test]
fn protocol_0_tuples_starting_with_a_str_are_pickles() {
    let dir = tempfile::tempdir().unwrap();
    // Python 2.7's pickle.dumps(('alice', 1), 0), checked below when Python 2 is here.
    let tuple_blob: &[u8] = b"(S'alice'\np0\nI1\ntp1\n.";
    let tuple = write(dir.path(), "tuple.pkl", tuple_blob);
    let system = write(dir.path(), "system.pkl", b"(S'id'\nios\nsystem\n.");
    if let Some(py2) = support::python2() {
        let fresh = dir.path().join("fresh.pkl").display().to_string();
        run_python(
            &py2,
            "import pickle, sys; open(sys.argv[1], 'wb').write(pickle.dumps(('alice', 1), 0))",
            &fresh,
        );
        assert_eq!(std::fs::read(&fresh).unwrap(), tuple_blob);
        let loaded = run_python(
            &py2,
            "import pickle, sys; print(pickle.loads(open(sys.argv[1], 'rb').read()))",
            &tuple,
        );
        assert_eq!(loaded, "('alice', 1)");
    }
    if support::python3_available() {
        let loaded = run_python(
            Path::new("python3"),
            "import pickle, sys; print(pickle.loads(open(sys.argv[1], 'rb').read()))",
            &tuple,
        );
        assert_eq!(loaded, "('alice', 1)");
    }
    let out = audit(&["--output-format", "json", &tuple, &system]);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["path"], tuple.as_str(), "not read as zlib");
    assert!(lines[0]["error"].is_null());
    assert_eq!(lines[0]["py2_loadable"], true);
    assert_eq!(lines[0]["safe"], true);
    assert_eq!(lines[1]["path"], system.as_str());
    assert_eq!(lines[1]["dangerous"], true);
    assert_eq!(lines[1]["globals"], serde_json::json!(["os.system"]));
    assert_eq!(out.status.code(), Some(1));
    let out = py2to3(&["pickle", "dis", &system]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("INST             'os system'"),
        "{}",
        stdout(&out)
    );
}

// ------------------------------------------------------------------ issue 27.6

/// Reads a little of the command's output, then closes the pipe: it must end without a panic.
fn survives_closed_stdout(args: &[&str]) {
    let mut child = support::py2to3()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let _ = stdout.read(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
}

#[test]
fn closed_stdout_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = vec![b'('; 200_000];
    deep.push(b'.');
    let deep = write(dir.path(), "deep.pkl", &deep);
    let list = |n: u32| {
        let mut blob = b"(l".to_vec();
        for i in 0..n {
            blob.extend_from_slice(format!("I{i}\na").as_bytes());
        }
        blob.push(b'.');
        blob
    };
    let a = write(dir.path(), "a.pkl", &list(20_000));
    let b = write(dir.path(), "b.pkl", &list(20_001));
    survives_closed_stdout(&["pickle", "dis", &deep]);
    survives_closed_stdout(&["pickle", "dis", "--output-format", "json", &deep]);
    survives_closed_stdout(&["pickle", "diff", &a, &b]);
    survives_closed_stdout(&["pickle", "diff", "--output-format", "json", &a, &b]);
    let many: Vec<String> = (0..2000)
        .map(|i| write(dir.path(), &format!("n{i}.pkl"), b"N."))
        .collect();
    let mut args = vec!["pickle", "audit", "--isolated"];
    args.extend(many.iter().map(String::as_str));
    survives_closed_stdout(&args);
}

#[test]
fn a_file_reached_twice_is_audited_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.pkl", b"N.");
    std::os::unix::fs::symlink(dir.path().join("a.pkl"), dir.path().join("link.pkl")).unwrap();
    let dotted = dir.path().join(".").join("a.pkl");
    let out = audit(&[
        "--output-format",
        "json",
        &file,
        dotted.to_str().unwrap(),
        dir.path().join("link.pkl").to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    assert_eq!(lines[0]["path"], file.as_str());
}

#[test]
fn dis_output_is_linear_in_mark_depth() {
    let dir = tempfile::tempdir().unwrap();
    let size = |n: usize| {
        let mut blob = vec![b'('; n];
        blob.push(b'.');
        let path = write(dir.path(), &format!("m{n}.pkl"), &blob);
        let out = py2to3(&["pickle", "dis", &path]);
        assert_eq!(out.status.code(), Some(0));
        out.stdout.len()
    };
    let (small, large) = (size(100_000), size(400_000));
    // Four times the MARKs: four times the output (plus one more digit in some offsets).
    assert!(large <= 4 * small + small / 2, "{small} -> {large}");
    // About one line of under 60 bytes per opcode (pickletools' indentation would make it
    // quadratic: 400000 MARKs -> over 300 GB).
    assert!(large < 400_000 * 60, "{large}");
}

// ------------------------------------------------------------------ issue 20.7: exit codes

#[test]
fn exit_codes_follow_one_rule() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write(dir.path(), "clean.pkl", b"\x80\x02]q\x00K\x01a.");
    let garbage = write(dir.path(), "garbage.txt", b"hello world\n");
    let dangerous = write(dir.path(), "os.pkl", b"cos\nsystem\n(S'id'\ntR.");
    let py2_only = write(dir.path(), "sets.pkl", b"csets\nSet\n(]tR.");
    let missing = dir.path().join("missing.pkl").display().to_string();
    let code = |args: &[&str]| py2to3(args).status.code();
    let audit_code = |args: &[&str]| audit(args).status.code();
    // audit
    assert_eq!(audit_code(&[&clean]), Some(0));
    assert_eq!(audit_code(&[&garbage]), Some(1));
    assert_eq!(audit_code(&[&dangerous]), Some(1));
    assert_eq!(
        audit_code(&[&py2_only]),
        Some(1),
        "loads in no Python 3 encoding"
    );
    assert_eq!(audit_code(&[&clean, &missing]), Some(2));
    assert_eq!(audit_code(&["--require", "py2", &clean]), Some(0));
    assert_eq!(audit_code(&["--max-blob-size", "lots", &clean]), Some(2));
    // dis
    assert_eq!(code(&["pickle", "dis", &clean]), Some(0));
    assert_eq!(code(&["pickle", "dis", &garbage]), Some(1));
    assert_eq!(code(&["pickle", "dis", &missing]), Some(2));
    // diff
    assert_eq!(code(&["pickle", "diff", &clean, &clean]), Some(0));
    assert_eq!(code(&["pickle", "diff", &clean, &dangerous]), Some(1));
    assert_eq!(code(&["pickle", "diff", &garbage, &garbage]), Some(1));
    assert_eq!(code(&["pickle", "diff", &clean, &missing]), Some(2));
}

// ------------------------------------------------------------------ issue 20.8: diff views

#[test]
fn diff_shows_no_value_an_interpreter_cannot_load() {
    if !support::python3_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let py3 = Path::new("python3");
    let made = Command::new(py3)
        .args([
            "-c",
            "import pickle, sys\n\
             for p in (3, 4, 5):\n\
             \x20   open('%s/p%d.pkl' % (sys.argv[1], p), 'wb').write(pickle.dumps({'a': [1, 'x']}, p))\n\
             open(sys.argv[1] + '/p2.pkl', 'wb').write(pickle.dumps({'a': [1, 'x']}, 2))",
            dir.path().to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(made.success());
    let p2 = dir.path().join("p2.pkl").display().to_string();
    for p in [3, 4, 5] {
        let path = dir.path().join(format!("p{p}.pkl")).display().to_string();
        if let Some(py2) = support::python2() {
            let loaded = run_python(
                &py2,
                "import pickle, sys\ntry:\n    pickle.loads(open(sys.argv[1], 'rb').read()); print('ok')\nexcept Exception as e:\n    print('fails')",
                &path,
            );
            assert_eq!(loaded, "fails", "Python 2 loads protocol {p}?");
        }
        let out = py2to3(&["pickle", "diff", &p2, &path]);
        let text = stdout(&out);
        assert!(!text.contains("same as Python 2 sees them"), "{text}");
        assert!(
            text.contains(&format!(
                "+<cannot load: PY2-PROTOCOL: protocol {p}: Python 2 raises ValueError"
            )),
            "{text}"
        );
        assert!(
            text.contains("same as Python 3, encoding='latin1' sees them"),
            "{text}"
        );
        assert_eq!(out.status.code(), Some(1));
        // Both unloadable in Python 2: no Python 2 value for either.
        let out = py2to3(&["pickle", "diff", &path, &path]);
        assert!(
            stdout(&out).contains("Python 2 loads neither"),
            "{}",
            stdout(&out)
        );
        assert!(
            !stdout(&out).contains("same as Python 2"),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn diff_with_ascii_encoding_shows_no_value_when_the_load_fails() {
    let dir = tempfile::tempdir().unwrap();
    // Python 2.7: pickle.dumps({'name': 'caf\xc3\xa9'}, 2) and its ASCII twin.
    let cafe = write(
        dir.path(),
        "cafe.pkl",
        b"\x80\x02}q\x00U\x04nameq\x01U\x05caf\xc3\xa9q\x02s.",
    );
    let plain = write(
        dir.path(),
        "plain.pkl",
        b"\x80\x02}q\x00U\x04nameq\x01U\x04cafeq\x02s.",
    );
    if support::python3_available() {
        let code = "import pickle, sys\n\
                    for enc in ('ascii', 'latin1'):\n\
                    \x20   try:\n\
                    \x20       print(enc, repr(pickle.loads(open(sys.argv[1], 'rb').read(), encoding=enc)))\n\
                    \x20   except Exception as e:\n\
                    \x20       print(enc, type(e).__name__)";
        let real = run_python(Path::new("python3"), code, &cafe);
        assert_eq!(real, "ascii UnicodeDecodeError\nlatin1 {'name': 'cafÃ©'}");
    }
    let out = py2to3(&["pickle", "diff", "--encoding", "ascii", &plain, &cafe]);
    let text = stdout(&out);
    assert!(!text.contains("café") && !text.contains("cafÃ©"), "{text}");
    assert!(text.contains("+<cannot load: PY3-NONASCII-STR"), "{text}");
    assert_eq!(out.status.code(), Some(1));
    // latin1 does load it: the (mojibake) value CPython shows.
    let out = py2to3(&["pickle", "diff", "--encoding", "latin1", &plain, &cafe]);
    assert!(
        stdout(&out).contains("+{'name': 'cafÃ©'}"),
        "{}",
        stdout(&out)
    );
}

// ------------------------------------------------------------------ issue 20.9 and JSON

#[test]
fn every_finding_code_is_explained() {
    for doc in py2to3::pickle::codes::CODES {
        let out = py2to3(&["explain", doc.code]);
        assert_eq!(out.status.code(), Some(0), "{}", doc.code);
        let text = stdout(&out);
        assert!(text.starts_with(&format!("# {} (pickle audit finding)", doc.code)));
        assert!(text.contains(doc.title), "{text}");
    }
    assert_eq!(py2to3(&["explain", "NO-SUCH-CODE"]).status.code(), Some(2));
}

#[test]
fn text_output_names_findings_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "m.pkl", &call_pickle("mypkg.Model"));
    let out = audit(&[&path]);
    let text = stdout(&out);
    assert!(
        text.contains("Findings (py2to3 explain CODE for more):"),
        "{text}"
    );
    let legend = text
        .lines()
        .find(|l| l.trim_start().starts_with("UNKNOWN-GLOBAL "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        legend.ends_with("1 blob(s)  global outside the allow-list"),
        "{legend}"
    );
}

#[test]
fn dis_and_diff_speak_json() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.pkl", b"\x80\x02]q\x00K\x01a.N.");
    let b = write(
        dir.path(),
        "b.pkl",
        b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00]\x94K\x02a.",
    );
    let out = py2to3(&["pickle", "dis", "--output-format", "json", &a]);
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    assert_eq!(
        lines[0],
        serde_json::json!({"pickle": 0, "offset": 0, "code": "\\x80", "opcode": "PROTO", "arg": "2", "depth": 0})
    );
    assert_eq!(lines[4]["opcode"], "APPEND");
    assert_eq!(
        lines[6],
        serde_json::json!({"pickle": 0, "start": 0, "end": 9, "highest_protocol": 2, "error": null})
    );
    assert_eq!(lines[7]["pickle"], 1);
    assert_eq!(lines.last().unwrap()["end"], 11);
    let missing = dir.path().join("missing.pkl").display().to_string();
    let out = py2to3(&["pickle", "dis", "--output-format", "json", &missing]);
    assert_eq!(out.status.code(), Some(2));

    let out = py2to3(&["pickle", "diff", "--output-format", "json", &a, &b]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["differ"], true);
    let py2 = &v["views"][0];
    assert_eq!(py2["view"], "Python 2");
    assert_eq!(py2["a"]["value"], "[1]\n");
    assert_eq!(py2["b"]["loads"], false);
    assert!(py2["b"]["error"]
        .as_str()
        .unwrap()
        .starts_with("PY2-PROTOCOL"));
    let py3 = &v["views"][1];
    assert_eq!(py3["view"], "Python 3, encoding='latin1'");
    assert_eq!(py3["same"], false);
    assert!(
        py3["diff"].as_str().unwrap().contains("-[1]\n+[2]\n"),
        "{py3}"
    );
}
