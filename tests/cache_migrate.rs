//! `py2to3 memcache migrate`, `redis audit` and `redis migrate` against a real memcached and a
//! real redis-server, filled by Python 2.7 and Python 3 clients and read back by both.

mod support;

#[path = "support/memcached.rs"]
mod memcached;
#[path = "support/redis.rs"]
mod redis;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use memcached::{missing, python_with, Memcached};
use redis::Redis;
use serde_json::{json, Value};

fn items_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/cache/migrate_items.py")
}

/// Python 2.7 and Python 3, each with the clients the script needs, or skip.
fn pythons() -> Option<(PathBuf, PathBuf)> {
    let py3 = python_with(&["memcache", "pymemcache", "redis"])?;
    let py2 = support::python2()?;
    let ok = Command::new(&py2)
        .args(["-c", "import memcache, redis, Cookie"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return missing("Python 2.7 with python-memcached and redis (pip install python-memcached==1.59 redis==3.5.3)");
    }
    Some((py2, py3))
}

/// Runs the items script; returns its JSON output.
fn script(python: &Path, args: &[&str]) -> Value {
    let out = Command::new(python)
        .arg(items_script())
        .args(args)
        .output()
        .expect("run the items script");
    assert!(
        out.status.success(),
        "{} {args:?} failed: {}",
        python.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.stdout.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(&out.stdout).expect("script JSON")
}

/// Runs the binary; returns (stdout, stderr, exit code).
fn py2to3(args: &[&str]) -> (String, String, i32) {
    let out = support::py2to3().args(args).output().expect("run py2to3");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// JSON lines output: (item records, summary).
fn json_lines(stdout: &str) -> (Vec<Value>, Value) {
    let mut lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let summary = lines.pop().expect("summary line");
    (lines, summary)
}

/// Sorts dict entries and set items, so that two canonical forms compare regardless of order.
fn normalize(v: &Value) -> Value {
    let Some([tag, body]) = v.as_array().map(|a| a.as_slice()) else {
        return v.clone();
    };
    let Some(tag) = tag.as_str() else {
        return v.clone();
    };
    match (tag, body) {
        ("list" | "tuple" | "odict" | "dict" | "set" | "frozenset", Value::Array(items)) => {
            let mut items: Vec<Value> = items
                .iter()
                .map(|i| match i {
                    Value::Array(pair) if tag.ends_with("dict") => {
                        Value::Array(pair.iter().map(normalize).collect())
                    }
                    other => normalize(other),
                })
                .collect();
            if matches!(tag, "dict" | "set" | "frozenset") {
                items.sort_by_key(|i| i.to_string());
            }
            json!([tag, items])
        }
        _ => v.clone(),
    }
}

/// What Python 3 reads for a value Python 2 read as `py2` (policy `bytes`): ASCII `str`s are
/// text, other `str`s bytes.
fn py3_image(v: &Value) -> Value {
    match v.as_array().map(|a| a.as_slice()) {
        Some([tag, Value::String(hex)]) if tag == "bytes" => {
            let bytes: Vec<u8> = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            if bytes.is_ascii() {
                json!(["text", String::from_utf8(bytes).unwrap()])
            } else {
                v.clone()
            }
        }
        Some([Value::String(tag), Value::Array(items)]) => {
            json!([tag, items.iter().map(py3_image).collect::<Vec<_>>()])
        }
        // A dict entry [key, value].
        Some(pair) if pair.iter().all(Value::is_array) => {
            Value::Array(pair.iter().map(py3_image).collect())
        }
        _ => v.clone(),
    }
}

/// Reads `keys` with both Pythons: (Python 2's canonical values, Python 3's).
fn read_both(py2: &Path, py3: &Path, backend: &str, addr: &str, keys: &[String]) -> (Value, Value) {
    let mut args = vec!["read", backend, addr];
    args.extend(keys.iter().map(String::as_str));
    (script(py2, &args), script(py3, &args))
}

/// Checks what each Python reads after a migration against what the writer wrote.
fn check_reads(items: &[(String, Value, String)], after2: &Value, after3: &Value) {
    for (key, written, origin) in items {
        let (own, other) = if origin == "py2" {
            (&after2[key], &after3[key])
        } else {
            (&after3[key], &after2[key])
        };
        // The writer's own Python reads exactly what it wrote, types included.
        assert_eq!(
            normalize(own),
            normalize(written),
            "{key}: read by its writer"
        );
        let expected_other = if origin == "py2" {
            py3_image(written)
        } else {
            written.clone()
        };
        assert_eq!(
            normalize(other),
            normalize(&expected_other),
            "{key}: read by the other Python"
        );
    }
}

/// The items both writers put, as (key, canonical value, origin), with their expectations.
fn write_all(
    py2: &Path,
    py3: &Path,
    backend: &str,
    addr: &str,
) -> Vec<(String, Value, String, String)> {
    let mut all = Vec::new();
    for (python, origin) in [(py2, "py2"), (py3, "py3")] {
        let written = script(python, &["write", backend, addr]);
        for item in written["items"].as_array().unwrap() {
            all.push((
                item["key"].as_str().unwrap().to_owned(),
                item["value"].clone(),
                origin.to_owned(),
                item["expect"].as_str().unwrap().to_owned(),
            ));
        }
    }
    all
}

fn keys_expecting(all: &[(String, Value, String, String)], expect: &str) -> Vec<String> {
    let mut keys: Vec<String> = all
        .iter()
        .filter(|i| i.3 == expect)
        .map(|i| i.0.clone())
        .collect();
    keys.sort();
    keys
}

fn keys_with_action(records: &[Value], action: &str) -> Vec<String> {
    let mut keys: Vec<String> = records
        .iter()
        .filter(|r| r["action"] == action)
        .map(|r| r["key"].as_str().unwrap().to_owned())
        .collect();
    keys.sort();
    keys
}

#[test]
fn memcache_migrate_makes_every_item_read_alike_on_python_2_and_3() {
    let Some((py2, py3)) = pythons() else {
        return;
    };
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    let addr = server.addr();
    let all = write_all(&py2, &py3, "memcache", &addr);
    let keys: Vec<String> = all.iter().map(|i| i.0.clone()).collect();
    let to_rewrite = keys_expecting(&all, "rewrite");
    let to_leave = keys_expecting(&all, "left");
    let ttl_before = server.raw(b"mg py2:ttl t\r\n", b"\r\n");

    // Dry run: lists, writes nothing.
    let before = server.write_stats();
    let args = [
        "memcache",
        "migrate",
        "--server",
        &addr,
        "--output-format",
        "json",
    ];
    let (stdout, stderr, code) = py2to3(&args);
    assert_eq!(code, 0, "{stderr}");
    let (records, summary) = json_lines(&stdout);
    assert_eq!(keys_with_action(&records, "would-rewrite"), to_rewrite);
    assert_eq!(keys_with_action(&records, "left"), to_leave);
    assert_eq!(summary["total"]["would_rewrite"], json!(to_rewrite.len()));
    assert_eq!(summary["total"]["rewritten"], json!(0));
    assert_eq!(server.write_stats(), before);

    // Apply.
    let mut apply = args.to_vec();
    apply.push("--apply");
    let (stdout, stderr, code) = py2to3(&apply);
    assert_eq!(code, 0, "{stderr}");
    let (records, summary) = json_lines(&stdout);
    assert_eq!(keys_with_action(&records, "rewrite"), to_rewrite);
    assert_eq!(summary["total"]["rewritten"], json!(to_rewrite.len()));
    assert_eq!(summary["total"]["left"], json!(to_leave.len()));
    assert_eq!(summary["total"]["changed"], json!(0));

    // Both Pythons read every rewritten and kept item; items left are untouched.
    let (after2, after3) = read_both(&py2, &py3, "memcache", &addr, &keys);
    let readable: Vec<(String, Value, String)> = all
        .iter()
        .filter(|i| i.3 != "left")
        .map(|i| (i.0.clone(), i.1.clone(), i.2.clone()))
        .collect();
    check_reads(&readable, &after2, &after3);
    for (key, written, origin, expect) in &all {
        if expect == "left" {
            let own = if origin == "py2" {
                &after2[key]
            } else {
                &after3[key]
            };
            assert_eq!(normalize(own), normalize(written), "{key} left untouched");
        }
    }

    // Flags (compression) and expiry kept.
    let z = String::from_utf8_lossy(&server.raw(b"mg py2:z f\r\n", b"\r\n")).into_owned();
    assert_eq!(z.trim(), "HD f9");
    let ttl = |reply: &[u8]| -> i64 {
        let text = String::from_utf8_lossy(reply);
        text.trim().strip_prefix("HD t").unwrap().parse().unwrap()
    };
    let (t0, t1) = (
        ttl(&ttl_before),
        ttl(&server.raw(b"mg py2:ttl t\r\n", b"\r\n")),
    );
    assert!(t0 > 990 && t1 <= t0 && t1 > t0 - 30, "ttl {t0} -> {t1}");

    // The audit now finds only the items left.
    let (stdout, _, code) = py2to3(&[
        "memcache",
        "audit",
        "--server",
        &addr,
        "--output-format",
        "json",
    ]);
    assert_eq!(code, 0);
    let audit: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(audit["needs_latin1"], json!(1), "py2:cookie");
    assert_eq!(audit["py3_only"], json!(2), "py3:path, py3:collide");
    assert_eq!(audit["needs_bytes"], json!(0));
    assert_eq!(audit["py2_only"], json!(0));

    // A second run has nothing left to rewrite.
    let (stdout, _, _) = py2to3(&apply);
    let (_, summary) = json_lines(&stdout);
    assert_eq!(summary["total"]["rewritten"], json!(0));
    assert_eq!(summary["total"]["left"], json!(to_leave.len()));
}

#[test]
fn memcache_migrate_never_overwrites_a_concurrent_write() {
    let Some((py2, _py3)) = pythons() else {
        return;
    };
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    let addr = server.addr();
    const N: usize = 20;
    script(&py2, &["write-many", "memcache", &addr, &N.to_string()]);
    let value_of = |i: usize| server.raw(format!("mg many:{i} v\r\n").as_bytes(), b"\r\n");
    let originals: Vec<Vec<u8>> = (0..N).map(value_of).collect();
    // 20 writes a second: the migration reads everything first, then writes for a second.
    let mut child = support::py2to3()
        .args([
            "memcache", "migrate", "--server", &addr, "--apply", "--rate", "20",
        ])
        .args(["--output-format", "json", "--connections", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // As soon as one item is rewritten, the application writes every item not yet rewritten.
    let deadline = Instant::now() + Duration::from_secs(10);
    while (0..N).all(|i| value_of(i) == originals[i]) {
        assert!(Instant::now() < deadline, "nothing was rewritten");
        std::thread::sleep(Duration::from_millis(2));
    }
    let app_value = b"\x80\x02U\x03newq\x00.";
    let mut set_by_app = Vec::new();
    for (i, original) in originals.iter().enumerate() {
        if value_of(i) == *original {
            let mut request = format!("set many:{i} 1 0 {}\r\n", app_value.len()).into_bytes();
            request.extend_from_slice(app_value);
            request.extend_from_slice(b"\r\n");
            server.raw(&request, b"STORED\r\n");
            set_by_app.push(i);
        }
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(child.wait().unwrap().success());
    let (_, summary) = json_lines(&stdout);
    assert!(!set_by_app.is_empty());
    for &i in &set_by_app {
        let reply = server.raw(format!("mg many:{i} v\r\n").as_bytes(), b"\r\n");
        assert!(
            reply.ends_with(b"\x80\x02U\x03newq\x00.\r\n"),
            "many:{i} was overwritten: {reply:?}"
        );
    }
    let (rewritten, changed) = (
        summary["total"]["rewritten"].as_u64().unwrap(),
        summary["total"]["changed"].as_u64().unwrap(),
    );
    assert_eq!(rewritten + changed, N as u64, "{summary}");
    // A set can land between our check and the migration's write: then the migration
    // wrote first and the application's value still won.
    assert!(
        changed >= 1 && changed <= set_by_app.len() as u64,
        "{summary}"
    );
}

/// Celery and RQ keys as Python 2 writes them: a result pickle, a broker message (JSON
/// envelope, base64 pickle body), an RQ job hash; and a set (a type no convention uses).
const PY2_CELERY_RQ: &str = r#"
import base64, json, pickle, sys, zlib
import redis
r = redis.Redis.from_url(sys.argv[1])
r.set('celery-task-meta-abc', pickle.dumps({'status': 'SUCCESS', 'result': 'caf\xc3\xa9', 'task_id': 'abc'}, 2))
body = base64.b64encode(pickle.dumps(((1, '\xe9'), {}, {}), 2))
r.lpush('celery', json.dumps({'body': body, 'content-type': 'application/x-python-serialize',
                              'content-encoding': 'binary', 'headers': {},
                              'properties': {'body_encoding': 'base64'}}))
r.hset('rq:job:abc', 'data', zlib.compress(pickle.dumps(('app.f', None, ('\xe9',), {}), 2)))
r.hset('rq:job:abc', 'result', pickle.dumps(u'ok', 2))
r.hset('rq:job:abc', 'status', 'finished')
r.sadd('myset', 'a')
"#;

fn redis_json(args: &[&str]) -> (Vec<Value>, Value, i32) {
    let (stdout, stderr, code) = py2to3(args);
    assert!(code == 0 || code == 1, "{stderr}");
    if args.contains(&"--items") || args.contains(&"migrate") {
        let (records, summary) = json_lines(&stdout);
        (records, summary, code)
    } else {
        let summary = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
        (Vec::new(), summary, code)
    }
}

/// Writes the Celery and RQ keys of [`PY2_CELERY_RQ`] with Python 2.7's redis-py.
fn write_celery_rq(py2: &std::path::Path, url: &str) {
    let out = Command::new(py2)
        .args(["-c", PY2_CELERY_RQ, url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn redis_audit_reads_every_convention_and_changes_nothing() {
    let Some((py2, py3)) = pythons() else {
        return;
    };
    let Some(server) = Redis::start() else {
        return;
    };
    let url = server.url();
    let all = write_all(&py2, &py3, "redis", &url);
    write_celery_rq(&py2, &url);

    let before = server.command_calls();
    let (records, summary, code) = redis_json(&[
        "redis",
        "audit",
        "--url",
        &url,
        "--output-format",
        "json",
        "--items",
        "--count",
        "5",
    ]);
    let after = server.command_calls();
    assert_eq!(code, 0, "{summary}");
    // Read-only: only these commands ran (the harness' own INFO included).
    for (command, calls) in &after {
        if before.get(command) != Some(calls) {
            assert!(
                ["scan", "mget", "type", "hgetall", "lrange", "info", "ping"]
                    .contains(&command.as_str()),
                "the audit ran {command}"
            );
        }
    }
    assert!(after["scan"] > 1, "several SCAN batches of 5");

    let verdict_of = |name: &str| -> String {
        records
            .iter()
            .find(|r| r["key"] == name)
            .unwrap_or_else(|| panic!("no record for {name}"))["verdict"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    for (key, _, origin, expect) in &all {
        let verdict = verdict_of(key);
        match (origin.as_str(), expect.as_str()) {
            (_, "keep") if key.ends_with(":int") => assert_eq!(verdict, "not_pickled", "{key}"),
            (_, "keep") => assert_eq!(verdict, "loads_on_both", "{key}"),
            ("py2", _) => assert_eq!(verdict, "needs_latin1", "{key}"),
            _ => assert_eq!(verdict, "py3_only", "{key}"),
        }
    }
    assert_eq!(verdict_of("celery-task-meta-abc"), "needs_latin1");
    assert_eq!(verdict_of("celery[0]"), "needs_latin1");
    assert_eq!(verdict_of("rq:job:abc#data"), "needs_latin1");
    assert_eq!(verdict_of("rq:job:abc#result"), "loads_on_both");
    // The status field holds no pickle: not an item.
    assert_eq!(records.len(), all.len() + 4);
    assert_eq!(summary["items_scanned"], json!(all.len() + 4));
    assert_eq!(summary["items_listed"], json!(all.len() + 4));
    assert_eq!(summary["compressed"], json!(3), "py2:z, py3:z, rq data");
    assert_eq!(summary["by_prefix"][":1:py2"]["needs_latin1"], json!(7));
    assert_eq!(
        summary["by_prefix"]["celery-task-meta-"]["needs_latin1"],
        json!(1)
    );
    assert_eq!(summary["by_prefix"]["rq"]["items_scanned"], json!(2));
    let notes = summary["servers"][0]["notes"].to_string();
    assert!(notes.contains("set 1"), "{notes}");
    assert!(notes.contains("django-redis integer 2"), "{notes}");
    assert!(notes.contains("celery message 1"), "{notes}");
}

#[test]
fn redis_migrate_makes_every_value_read_alike_and_a_concurrent_write_wins() {
    let Some((py2, py3)) = pythons() else {
        return;
    };
    let Some(server) = Redis::start() else {
        return;
    };
    let url = server.url();
    let all = write_all(&py2, &py3, "redis", &url);
    let keys: Vec<String> = all.iter().map(|i| i.0.clone()).collect();
    let to_rewrite = keys_expecting(&all, "rewrite");
    let to_leave = keys_expecting(&all, "left");
    server.command(&[b"EXPIRE", b":1:py2:ttl", b"1000"]);

    let args = ["redis", "migrate", "--url", &url, "--output-format", "json"];
    let before = server.command_calls();
    let (records, summary, code) = redis_json(&args);
    assert_eq!(code, 0);
    assert_eq!(keys_with_action(&records, "would-rewrite"), to_rewrite);
    assert_eq!(keys_with_action(&records, "left"), to_leave);
    assert_eq!(summary["total"]["would_rewrite"], json!(to_rewrite.len()));
    assert!(
        !server.command_calls().contains_key("evalsha")
            && before.get("set") == server.command_calls().get("set")
    );

    let mut apply = args.to_vec();
    apply.push("--apply");
    let (records, summary, code) = redis_json(&apply);
    assert_eq!(code, 0);
    assert_eq!(keys_with_action(&records, "rewrite"), to_rewrite);
    assert_eq!(summary["total"]["rewritten"], json!(to_rewrite.len()));
    assert_eq!(summary["total"]["left"], json!(to_leave.len()));

    let (after2, after3) = read_both(&py2, &py3, "redis", &url, &keys);
    let readable: Vec<(String, Value, String)> = all
        .iter()
        .filter(|i| i.3 != "left")
        .map(|i| (i.0.clone(), i.1.clone(), i.2.clone()))
        .collect();
    check_reads(&readable, &after2, &after3);
    // The TTL is kept (PTTL in milliseconds).
    let ttl = String::from_utf8_lossy(&server.command(&[b"PTTL", b":1:py2:ttl"])).into_owned();
    let ttl: i64 = ttl.trim().trim_start_matches(':').parse().unwrap();
    assert!(ttl > 900_000 && ttl <= 1_000_000, "{ttl}");
    let (_, audit, _) = redis_json(&["redis", "audit", "--url", &url, "--output-format", "json"]);
    assert_eq!(audit["needs_latin1"], json!(1), "cookie");
    assert_eq!(audit["py3_only"], json!(2), "path, collide");

    // A concurrent writer wins.
    const N: usize = 20;
    script(&py2, &["write-many", "redis", &url, &N.to_string()]);
    let value_of = |i: usize| server.command(&[b"GET", format!(":1:many:{i}").as_bytes()]);
    let originals: Vec<Vec<u8>> = (0..N).map(value_of).collect();
    let mut child = support::py2to3()
        .args(["redis", "migrate", "--url", &url, "--apply", "--rate", "20"])
        .args(["--match", ":1:many:*", "--output-format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while (0..N).all(|i| value_of(i) == originals[i]) {
        assert!(Instant::now() < deadline, "nothing was rewritten");
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut set_by_app = Vec::new();
    for (i, original) in originals.iter().enumerate() {
        if value_of(i) == *original {
            server.command(&[
                b"SET",
                format!(":1:many:{i}").as_bytes(),
                b"\x80\x02U\x03newq\x00.",
            ]);
            set_by_app.push(i);
        }
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(child.wait().unwrap().success());
    let (_, summary) = json_lines(&stdout);
    assert!(!set_by_app.is_empty());
    for &i in &set_by_app {
        assert_eq!(
            value_of(i),
            b"\x80\x02U\x03newq\x00.",
            "many:{i} was overwritten"
        );
    }
    let (rewritten, changed) = (
        summary["total"]["rewritten"].as_u64().unwrap(),
        summary["total"]["changed"].as_u64().unwrap(),
    );
    assert_eq!(rewritten + changed, N as u64, "{summary}");
    assert!(
        changed >= 1 && changed <= set_by_app.len() as u64,
        "{summary}"
    );
}

/// The report without what differs by nature between two runs or two sources: timings, the
/// source's name, notes on where the values came from, and the sample keys (the first seen).
fn comparable(summary: &Value) -> Value {
    let mut s = summary.clone();
    let strip = |v: &mut Value| {
        if let Some(o) = v.as_object_mut() {
            for k in [
                "elapsed_seconds",
                "listing_seconds",
                "items_per_second",
                "server",
                "samples",
            ] {
                o.remove(k);
            }
            if let Some(Value::Array(notes)) = o.get_mut("notes") {
                notes.retain(|n| {
                    let n = n.as_str().unwrap_or_default();
                    !n.starts_with("values read from") && !n.contains("expired keys")
                });
            }
        }
    };
    strip(&mut s);
    for server in s["servers"].as_array_mut().into_iter().flatten() {
        strip(server);
    }
    s
}

/// Item records sorted, without the source's name.
fn comparable_items(records: &[Value]) -> Vec<String> {
    let mut items: Vec<String> = records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("server");
            r.to_string()
        })
        .collect();
    items.sort();
    items
}

#[test]
fn redis_snapshot_and_dump_file_give_the_scan_audits_report() {
    let Some((py2, py3)) = pythons() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let Some(server) = Redis::start_in(dir.path()) else {
        return;
    };
    let url = server.url();
    let all = write_all(&py2, &py3, "redis", &url);
    write_celery_rq(&py2, &url);
    // Keys the audit of database 0 must not count: another database, an expired key; and
    // other types, a stream with a consumer group.
    let port = server.port.to_string();
    let extra = r#"
import pickle, sys, time, redis
r = redis.Redis(port=int(sys.argv[1]))
redis.Redis(port=int(sys.argv[1]), db=1).set(':1:py3:other-db', pickle.dumps(1, 2))
r.set(':1:py3:soon-gone', pickle.dumps(2, 2), px=1)
r.set(':1:py3:ttl', pickle.dumps(3, 4), ex=3600)
r.zadd('scores', {'a': 1.5})
r.xadd('events', {'a': '1'})
r.xgroup_create('events', 'workers', id='0')
r.rpush('biglist', *[pickle.dumps(i, 2) for i in range(300)])
time.sleep(0.01)
"#;
    let out = Command::new(&py3)
        .args(["-c", extra, &port])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let base = ["redis", "audit", "--output-format", "json", "--items"];
    for pattern in ["*", ":1:py2*"] {
        let with = |more: &[&str]| {
            let mut args: Vec<&str> = base.to_vec();
            args.extend_from_slice(&["--match", pattern]);
            args.extend_from_slice(more);
            redis_json(&args)
        };
        let (scan_items, scan, code) = with(&["--url", &url]);
        assert_eq!(code, 0, "{scan}");
        let before = server.command_calls();
        let (snap_items, snap, code) = with(&["--url", &url, "--snapshot"]);
        assert_eq!(code, 0, "{snap}");
        let after = server.command_calls();
        for (command, calls) in &after {
            if before.get(command) != Some(calls) {
                assert!(
                    ["sync", "replconf", "config|get", "ping", "info"].contains(&command.as_str()),
                    "the snapshot audit ran {command}"
                );
            }
        }
        assert_eq!(
            after.get("sync"),
            Some(&(before.get("sync").unwrap_or(&0) + 1))
        );
        // The file the server saved for SYNC (disk-based: the default configuration).
        let dump = dir.path().join("dump.rdb");
        assert!(dump.is_file(), "the server saved its snapshot");
        let (rdb_items, rdb, code) = with(&["--rdb", dump.to_str().unwrap()]);
        assert_eq!(code, 0, "{rdb}");

        assert_eq!(
            comparable(&snap),
            comparable(&scan),
            "--snapshot, {pattern}"
        );
        assert_eq!(comparable(&rdb), comparable(&scan), "--rdb, {pattern}");
        let scan_items = comparable_items(&scan_items);
        assert_eq!(comparable_items(&snap_items), scan_items);
        assert_eq!(comparable_items(&rdb_items), scan_items);
        if pattern == "*" {
            // py2 + py3 items, Celery/RQ's 4, the TTL key, 300 list items.
            assert_eq!(scan["items_scanned"], json!(all.len() + 4 + 1 + 300));
            let notes = snap["servers"][0]["notes"].to_string();
            assert!(
                notes.contains("values read from a snapshot (SYNC)"),
                "{notes}"
            );
            assert!(notes.contains("stream 1"), "{notes}");
        } else {
            assert!(scan["items_scanned"].as_u64().unwrap() >= 7, "{scan}");
        }
    }

    // A server that starts a diskless transfer at once: read as it is written ($EOF: form).
    server.command(&[b"CONFIG", b"SET", b"repl-diskless-sync-delay", b"0"]);
    let args = [
        "redis",
        "audit",
        "--output-format",
        "json",
        "--items",
        "--url",
        &url,
    ];
    let (scan_items, scan, _) = redis_json(&args);
    let (snap_items, snap, code) = redis_json(&[&args[..], &["--snapshot"]].concat());
    assert_eq!(code, 0, "{snap}");
    let notes = snap["servers"][0]["notes"].to_string();
    assert!(notes.contains("(SYNC, diskless)"), "{notes}");
    assert_eq!(comparable(&snap), comparable(&scan));
    assert_eq!(comparable_items(&snap_items), comparable_items(&scan_items));

    // redis-cli --rdb, audited offline.
    if let Some(cli) = memcached::find_program("redis-cli") {
        let file = dir.path().join("cli.rdb");
        let status = Command::new(cli)
            .args(["-p", &port, "--rdb", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let (_, scan, _) =
            redis_json(&["redis", "audit", "--output-format", "json", "--url", &url]);
        let (_, rdb, code) = redis_json(&[
            "redis",
            "audit",
            "--output-format",
            "json",
            "--rdb",
            file.to_str().unwrap(),
        ]);
        assert_eq!(code, 0);
        assert_eq!(comparable(&rdb), comparable(&scan));
        // Database 1 through --db and through the URL.
        let (_, db1, _) = redis_json(&[
            "redis",
            "audit",
            "--output-format",
            "json",
            "--rdb",
            file.to_str().unwrap(),
            "--db",
            "1",
        ]);
        assert_eq!(db1["items_scanned"], json!(1));
        let url1 = url.replace("/0", "/1");
        let (_, snap1, _) = redis_json(&[
            "redis",
            "audit",
            "--output-format",
            "json",
            "--url",
            &url1,
            "--snapshot",
        ]);
        assert_eq!(
            comparable(&snap1)["by_prefix"],
            comparable(&db1)["by_prefix"]
        );
    }
}

#[test]
fn redis_snapshot_errors_are_clear_and_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let Some(server) = Redis::start_in(dir.path()) else {
        return;
    };
    let url = server.url();
    for i in 0..200 {
        let key = format!(":1:k:{i}");
        let value = format!("\u{80}\u{2}K{}.", char::from(b'a' + (i % 26) as u8));
        server.command(&[b"SET", key.as_bytes(), value.as_bytes()]);
    }
    server.command(&[b"SAVE"]);
    let dump = std::fs::read(dir.path().join("dump.rdb")).unwrap();

    // A user whose ACL does not allow SYNC: exit 2, saying so.
    server.command(&[
        b"ACL", b"SETUSER", b"reader", b"on", b">pw", b"~*", b"+@read", b"+ping", b"+info",
    ]);
    let limited = url.replace("redis://", "redis://reader:pw@");
    let (stdout, stderr, code) = py2to3(&["redis", "audit", "--url", &limited, "--snapshot"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("SYNC") && stderr.contains("NOPERM"),
        "{stderr}"
    );
    // The same user can still SCAN.
    let (_, _, code) = py2to3(&["redis", "audit", "--url", &limited]);
    assert_eq!(code, 0);

    // No file, not an RDB file: exit 2.
    let missing = dir.path().join("nothing.rdb");
    let (_, stderr, code) = py2to3(&["redis", "audit", "--rdb", missing.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot open"), "{stderr}");
    let text = dir.path().join("text.rdb");
    std::fs::write(&text, "hello, world\n").unwrap();
    let (_, stderr, code) = py2to3(&["redis", "audit", "--rdb", text.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not an RDB file"), "{stderr}");

    // Truncated anywhere, or damaged: exit 1, a partial report, an error naming the place.
    let bad = dir.path().join("bad.rdb");
    let step = (dump.len() / 97).max(1);
    for cut in (10..dump.len()).step_by(step) {
        std::fs::write(&bad, &dump[..cut]).unwrap();
        let (stdout, stderr, code) = py2to3(&["redis", "audit", "--rdb", bad.to_str().unwrap()]);
        assert_eq!(code, 1, "cut at {cut}: {stdout}{stderr}");
        assert!(stderr.contains("truncated"), "cut at {cut}: {stderr}");
        assert!(stdout.contains("items scanned"), "a report: {stdout}");
    }
    for at in (10..dump.len()).step_by(step) {
        let mut damaged = dump.clone();
        damaged[at] ^= 0x5a;
        std::fs::write(&bad, &damaged).unwrap();
        let (stdout, stderr, code) = py2to3(&["redis", "audit", "--rdb", bad.to_str().unwrap()]);
        assert_eq!(code, 1, "damage at {at}: {stdout}{stderr}");
        assert!(stderr.contains("RDB data"), "damage at {at}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
