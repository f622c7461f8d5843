//! Under `encoding='bytes'`, a class outside the allow-list gets bytes where Python 2 gave it
//! str: the verdict says it depends on the class (`dep`), and `--require py3-bytes` fails,
//! because CPython 3 really fails on `Cookie.SimpleCookie` (checked here with python3).
//! Needs CPython 2.7 to write the pickles (skipped without it outside CI).

mod support;

use std::process::Command;

use support::py2to3;

#[test]
fn a_class_given_py2_strs_depends_on_the_class_under_bytes() {
    let Some(python2) = support::python2() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let program = "import Cookie, datetime, pickle\n\
        c = Cookie.SimpleCookie(); c['k'] = 'v'\n\
        open('cookie.pkl', 'wb').write(pickle.dumps(c, 2))\n\
        open('cookie0.pkl', 'wb').write(pickle.dumps(c, 0))\n\
        open('plain.pkl', 'wb').write(pickle.dumps({'when': datetime.date(2020, 1, 2), u'n': [1, 2]}, 2))\n";
    let out = Command::new(&python2)
        .args(["-c", program])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    if support::python3_available() {
        let check = Command::new("python3")
            .args([
                "-c",
                "import pickle\n\
                 for f in ['cookie.pkl', 'cookie0.pkl']:\n\
                 \x20   try:\n\
                 \x20       pickle.loads(open(f, 'rb').read(), encoding='bytes'); print(f, 'loads')\n\
                 \x20   except Exception as e:\n\
                 \x20       print(f, 'fails')\n",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&check.stdout),
            "cookie.pkl fails\ncookie0.pkl fails\n",
            "what CPython 3 does"
        );
    }

    let out = py2to3()
        .args([
            "pickle",
            "audit",
            "--output-format",
            "json",
            "cookie.pkl",
            "cookie0.pkl",
            "plain.pkl",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let audits: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(audits.len(), 3, "{text}");
    for cookie in &audits[..2] {
        assert_eq!(
            cookie["bytes_depends_on"],
            serde_json::json!(if cookie["path"] == "cookie.pkl" {
                vec!["http.cookies.SimpleCookie", "http.cookies.Morsel"]
            } else {
                vec!["http.cookies.Morsel", "http.cookies.SimpleCookie"]
            }),
            "{cookie}"
        );
        assert!(cookie["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "PY3-BYTES-CLASS"));
    }
    assert!(audits[2].get("bytes_depends_on").is_none(), "{}", audits[2]);

    let required = py2to3()
        .args(["pickle", "audit", "--require", "py3-bytes", "cookie.pkl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(required.status.code(), Some(1));
    let table = String::from_utf8_lossy(&required.stdout);
    assert!(table.contains("yes/yes/dep"), "{table}");
    let plain = py2to3()
        .args(["pickle", "audit", "--require", "py3-bytes", "plain.pkl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        plain.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plain.stdout)
    );
}
