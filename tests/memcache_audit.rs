//! `py2to3 memcache audit` and `purge` against a real memcached filled by real Python clients.

#[path = "support/memcached.rs"]
mod memcached;

use std::collections::BTreeMap;
use std::process::Command;

use memcached::{python_with, script, Memcached};
use serde_json::{json, Map, Value};

const COUNT_FIELDS: [&str; 16] = [
    "items_scanned",
    "py2_loadable",
    "py3_loadable",
    "py3_loadable_latin1",
    "py3_loadable_bytes",
    "unreadable",
    "dangerous",
    "not_pickled",
    "loads_on_both",
    "needs_latin1",
    "needs_bytes",
    "py2_only",
    "py3_only",
    "unknown_flags",
    "compressed",
    "pickled",
];

/// Items the writer put in the server, as it describes them.
fn write_items(server: &Memcached, extra: &[&str]) -> Option<Vec<Value>> {
    let python = python_with(&["memcache", "pymemcache"])?;
    let out = Command::new(python)
        .arg(script("write_test_items.py"))
        .arg(server.addr())
        .args(extra)
        .output()
        .expect("run writer");
    assert!(
        out.status.success(),
        "writer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("writer JSON");
    Some(parsed["items"].as_array().expect("items").clone())
}

/// Runs the binary; returns (stdout, stderr, exit code).
fn py2to3(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_py2to3"))
        .args(args)
        .output()
        .expect("run py2to3");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn audit_json(server: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![
        "memcache",
        "audit",
        "--server",
        server,
        "--output-format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (stdout, stderr, code) = py2to3(&args);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}\nstderr: {stderr}"));
    (json, code)
}

/// The counts the audit must report for `items`.
fn expected_counts<'a>(items: impl IntoIterator<Item = &'a Value>) -> Map<String, Value> {
    let mut counts: BTreeMap<&str, u64> = COUNT_FIELDS.iter().map(|f| (*f, 0)).collect();
    for item in items {
        let verdict = item["verdict"].as_str().unwrap();
        *counts.get_mut("items_scanned").unwrap() += 1;
        *counts.get_mut(verdict).unwrap() += 1;
        if item["dangerous"].as_bool().unwrap() {
            *counts.get_mut("dangerous").unwrap() += 1;
        }
        let key = item["key"].as_str().unwrap();
        if key.contains("zlib") || key.contains(":z") {
            *counts.get_mut("compressed").unwrap() += 1;
        }
        if !matches!(verdict, "not_pickled" | "unknown_flags") {
            *counts.get_mut("pickled").unwrap() += 1;
        }
        if verdict != "unreadable" {
            if item["py2"] == json!(true) {
                *counts.get_mut("py2_loadable").unwrap() += 1;
            }
            for (enc, field) in [
                ("ascii", "py3_loadable"),
                ("latin1", "py3_loadable_latin1"),
                ("bytes", "py3_loadable_bytes"),
            ] {
                if item["py3"][enc] == json!(true) {
                    *counts.get_mut(field).unwrap() += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect()
}

fn counts_of(summary: &Value) -> Map<String, Value> {
    COUNT_FIELDS
        .iter()
        .map(|f| (f.to_string(), summary[*f].clone()))
        .collect()
}

fn by_prefix_of(summary: &Value) -> BTreeMap<String, Map<String, Value>> {
    summary["by_prefix"]
        .as_object()
        .expect("by_prefix")
        .iter()
        .map(|(k, v)| (k.clone(), counts_of(v)))
        .collect()
}

fn expected_by_prefix(items: &[Value], field: &str) -> BTreeMap<String, Map<String, Value>> {
    let mut groups: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for item in items {
        groups
            .entry(item[field].as_str().unwrap().to_owned())
            .or_default()
            .push(item);
    }
    groups
        .into_iter()
        .map(|(prefix, items)| (prefix, expected_counts(items)))
        .collect()
}

#[test]
fn audit_counts_equal_what_was_written_and_change_nothing() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    let Some(items) = write_items(&server, &[]) else {
        return;
    };
    let before = server.write_stats();
    let (summary, code) = audit_json(&server.addr(), &[]);
    // The data set holds dangerous and unreadable items: exit 1 (the one rule of every command).
    assert_eq!(code, 1, "{summary}");
    assert_eq!(counts_of(&summary), expected_counts(&items));
    assert_eq!(by_prefix_of(&summary), expected_by_prefix(&items, "prefix"));
    assert_eq!(summary["partial"], json!(false));
    assert_eq!(summary["items_listed"], json!(items.len()));
    assert_eq!(summary["items_gone"], json!(0));
    assert_eq!(summary["errors"], json!([]));
    assert_eq!(summary["servers"][0]["listing"], json!("metadump"));
    assert_eq!(summary["samples"]["dangerous"], json!(["evil:1"]));
    assert_eq!(
        summary["client_detected"],
        json!("some items carry flags no supported Python client writes")
    );
    assert_eq!(summary["flags_seen"]["256"], json!(1));
    // Read-only: nothing was set, touched or deleted.
    assert_eq!(server.write_stats(), before);

    // Django key format: grouped by KEY_PREFIX:VERSION:first-segment.
    let (summary, code) = audit_json(&server.addr(), &["--client", "django"]);
    assert_eq!(code, 1, "dangerous and unreadable items");
    assert_eq!(counts_of(&summary), expected_counts(&items));
    assert_eq!(
        by_prefix_of(&summary),
        expected_by_prefix(&items, "django_prefix")
    );
    assert_eq!(server.write_stats(), before);
}

#[test]
fn items_mode_writes_one_record_per_item_then_the_summary() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    let Some(items) = write_items(&server, &[]) else {
        return;
    };
    let (stdout, stderr, code) = py2to3(&[
        "memcache",
        "audit",
        "--server",
        &server.addr(),
        "--output-format",
        "json",
        "--items",
        "--connections",
        "2",
        "--batch-size",
        "7",
    ]);
    assert_eq!(code, 1, "{stderr}\n{}", stdout.lines().last().unwrap_or(""));
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let (summary, records) = lines.split_last().expect("lines");
    assert_eq!(summary["items_scanned"], json!(items.len()));
    let got: BTreeMap<String, &Value> = records
        .iter()
        .map(|r| (r["key"].as_str().unwrap().to_owned(), r))
        .collect();
    assert_eq!(got.len(), items.len());
    for item in &items {
        let key = item["key"].as_str().unwrap();
        let record = got
            .get(key)
            .unwrap_or_else(|| panic!("no record for {key}"));
        assert_eq!(record["verdict"], item["verdict"], "{key}");
        assert_eq!(record["type"], json!("item"));
        assert!(record["flags"].is_u64() && record["size"].is_u64());
        for field in [
            "protocol",
            "py2_loadable",
            "py3_loadable",
            "dangerous",
            "globals",
        ] {
            assert!(record.get(field).is_some(), "{key} lacks {field}");
        }
    }
    assert_eq!(got["evil:1"]["globals"], json!(["os.system"]));
    assert_eq!(got["py2raw:long"]["kind"], json!("long"));
    assert_eq!(got["pm3:ztext"]["compressed"], json!(true));
}

#[test]
fn bytearray_of_py2_str_needs_bytes() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    let Some(items) = write_items(&server, &["--with-bytearray"]) else {
        return;
    };
    let (summary, _) = audit_json(&server.addr(), &[]);
    assert_eq!(counts_of(&summary), expected_counts(&items));
}

#[test]
fn several_servers_are_reported_each_and_together() {
    let (Some(a), Some(b)) = (Memcached::start(&[]), Memcached::start(&[])) else {
        return;
    };
    let Some(items) = write_items(&a, &[]) else {
        return;
    };
    b.raw(b"set only:1 0 0 1\r\nx\r\n", b"STORED\r\n");
    let (stdout, _, code) = py2to3(&[
        "memcache",
        "audit",
        "--server",
        &a.addr(),
        "--server",
        &b.addr(),
        "--output-format",
        "json",
    ]);
    assert_eq!(code, 1, "dangerous and unreadable items");
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["items_scanned"], json!(items.len() + 1));
    assert_eq!(
        summary["not_pickled"],
        json!(expected_counts(&items)["not_pickled"].as_u64().unwrap() + 1)
    );
    let servers = summary["servers"].as_array().unwrap();
    assert_eq!(servers[0]["server"], json!(a.addr()));
    assert_eq!(servers[0]["items_scanned"], json!(items.len()));
    assert_eq!(servers[1]["server"], json!(b.addr()));
    assert_eq!(servers[1]["items_scanned"], json!(1));
    assert_eq!(servers[1]["by_prefix"]["only"]["not_pickled"], json!(1));
}

#[test]
fn text_report_names_the_problems() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    if write_items(&server, &[]).is_none() {
        return;
    }
    let (stdout, _, code) = py2to3(&["memcache", "audit", "--server", &server.addr()]);
    assert_eq!(code, 1, "dangerous and unreadable items");
    assert!(
        stdout.contains("keys from lru_crawler metadump"),
        "{stdout}"
    );
    assert!(stdout.contains("e.g. dangerous: evil:1"), "{stdout}");
    assert!(stdout.contains("e.g. py2_only: py2:sets"), "{stdout}");
}

#[test]
fn purge_deletes_exactly_the_selected_items() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    let Some(items) = write_items(&server, &[]) else {
        return;
    };
    let doomed: Vec<&str> = items
        .iter()
        .filter(|i| {
            matches!(
                i["verdict"].as_str().unwrap(),
                "needs_latin1" | "needs_bytes" | "py2_only" | "unreadable"
            )
        })
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert!(doomed.len() >= 8);

    // Without --yes: lists them, deletes nothing.
    let before = server.write_stats();
    let (stdout, stderr, code) = py2to3(&[
        "memcache",
        "purge",
        "--server",
        &server.addr(),
        "--only",
        "py3-unloadable",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let mut listed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("would delete "))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    listed.sort_unstable();
    let mut expected = doomed.clone();
    expected.sort_unstable();
    assert_eq!(listed, expected);
    assert!(stderr.contains(&format!("{} items would be deleted", doomed.len())));
    assert_eq!(server.write_stats(), before);

    // With --yes: exactly those are gone, everything else is still there.
    let (stdout, stderr, code) = py2to3(&[
        "memcache",
        "purge",
        "--server",
        &server.addr(),
        "--only",
        "py3-unloadable",
        "--yes",
        "--output-format",
        "json",
    ]);
    assert_eq!(code, 1, "it found what it deleted: {stderr}");
    let summary: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        summary["deletes"],
        json!({"deleted": doomed.len(), "changed": 0, "gone": 0})
    );
    let stats = server.stats();
    assert_eq!(stats["delete_hits"], doomed.len().to_string());
    assert_eq!(
        stats["curr_items"],
        (items.len() - doomed.len()).to_string()
    );
    let mut remaining = server.metadump_keys();
    remaining.sort_unstable();
    let mut kept: Vec<String> = items
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .filter(|k| !doomed.contains(k))
        .map(str::to_owned)
        .collect();
    kept.sort_unstable();
    assert_eq!(remaining, kept);
}
