//! `py2to3 memcache audit` when things go wrong: server down, killed mid-scan, items vanishing,
//! huge items, odd keys, servers that are not memcached, old servers without metadump.

#[path = "support/memcached.rs"]
mod memcached;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use memcached::{free_port, Memcached};
use serde_json::{json, Value};

/// A protocol-0 pickle of a Python 2 dict, ASCII only: loads on both.
const PY2_DICT: &[u8] = b"(dp0\nS'k'\np1\nI1\ns.";

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

fn audit(server: &str, extra: &[&str]) -> (Value, String, i32) {
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
    let last = stdout.lines().last().unwrap_or_default().to_owned();
    let json = if extra.contains(&"--items") {
        serde_json::from_str(&last)
    } else {
        serde_json::from_str(&stdout)
    }
    .unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}\nstderr: {stderr}"));
    (json, stderr, code)
}

/// Loads `count` items `load:<i>` (a small py2 pickle each) with pipelined noreply sets.
fn load_items(server: &Memcached, count: usize) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut buf = Vec::new();
    for i in 0..count {
        buf.extend_from_slice(
            format!("set load:{i} 1 0 {} noreply\r\n", PY2_DICT.len()).as_bytes(),
        );
        buf.extend_from_slice(PY2_DICT);
        buf.extend_from_slice(b"\r\n");
    }
    stream.write_all(&buf).unwrap();
    // A reply to a normal command means every set before it was processed.
    stream.write_all(b"version\r\n").unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    assert!(line.starts_with("VERSION"));
}

#[test]
fn server_down_is_a_clear_error_and_a_partial_result() {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let (summary, stderr, code) = audit(&addr, &[]);
    assert_eq!(code, 2, "an unreachable server is an I/O error");
    assert_eq!(summary["partial"], json!(true));
    assert_eq!(summary["items_scanned"], json!(0));
    let message =
        format!("memcached {addr}: connection refused (is memcached running and listening there?)");
    assert_eq!(summary["servers"][0]["errors"], json!([message]));
    assert!(stderr.contains(&message), "{stderr}");
}

#[test]
fn one_server_down_keeps_the_other_servers_results() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    load_items(&server, 10);
    let down = format!("127.0.0.1:{}", free_port());
    let (stdout, _, code) = py2to3(&[
        "memcache",
        "audit",
        "--server",
        &server.addr(),
        "--server",
        &down,
        "--output-format",
        "json",
    ]);
    assert_eq!(code, 2, "an unreachable server is an I/O error");
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["partial"], json!(true));
    assert_eq!(summary["items_scanned"], json!(10));
    assert_eq!(summary["loads_on_both"], json!(10));
    assert_eq!(summary["servers"][0]["partial"], json!(false));
    assert_eq!(summary["servers"][1]["partial"], json!(true));
}

#[test]
fn server_killed_mid_scan_keeps_what_was_counted() {
    let Some(mut server) = Memcached::start(&[]) else {
        return;
    };
    let total = 20_000;
    load_items(&server, total);
    let mut child = Command::new(env!("CARGO_BIN_EXE_py2to3"))
        .args([
            "memcache",
            "audit",
            "--server",
            &server.addr(),
            "--output-format",
            "json",
            "--items",
            "--connections",
            "1",
            "--batch-size",
            "5",
            "--timeout",
            "5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let mut seen = 0;
    while seen < 200 {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "output ended early"
        );
        seen += 1;
    }
    server.kill();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(
        status.code(),
        Some(2),
        "a server gone mid-scan is an I/O error: {stderr}"
    );
    let summary: Value = serde_json::from_str(rest.lines().last().unwrap()).unwrap();
    let scanned = summary["items_scanned"].as_u64().unwrap();
    let records = seen + rest.lines().count() - 1;
    assert_eq!(scanned, records as u64);
    assert!(scanned >= 200 && scanned < total as u64, "{scanned}");
    assert_eq!(summary["partial"], json!(true));
    assert_eq!(summary["loads_on_both"], json!(scanned));
    let listed = summary["items_listed"].as_u64().unwrap();
    let not_fetched = summary["items_not_fetched"].as_u64().unwrap();
    assert_eq!(scanned + not_fetched, listed);
    let errors = summary["errors"].to_string();
    assert!(
        errors.contains("closed the connection") || errors.contains("connection refused"),
        "{errors}"
    );
    assert!(stderr.contains("stopped"), "{stderr}");
}

#[test]
fn item_gone_between_listing_and_fetch_is_counted_not_fatal() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    // Fetched one key a round trip: the victim, listed last, is fetched long after the
    // listing ends and the test deletes it.
    let total = 20_000;
    load_items(&server, total);
    let order = server.metadump_keys();
    assert_eq!(order.len(), total);
    let victim = order.last().unwrap().clone();
    let mut child = Command::new(env!("CARGO_BIN_EXE_py2to3"))
        .args([
            "memcache",
            "audit",
            "--server",
            &server.addr(),
            "--output-format",
            "json",
            "--items",
            "--connections",
            "1",
            "--batch-size",
            "1",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    // The listing is over (the victim was listed); fetching, one key a round trip, is not.
    server.wait_crawler_idle();
    let reply = server.raw(format!("delete {victim}\r\n").as_bytes(), b"\r\n");
    assert_eq!(reply, b"DELETED\r\n");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let summary: Value = serde_json::from_str(rest.lines().last().unwrap()).unwrap();
    assert_eq!(summary["items_listed"], json!(total));
    assert_eq!(summary["items_scanned"], json!(total - 1));
    assert_eq!(summary["items_gone"], json!(1));
    assert_eq!(summary["partial"], json!(false));
    assert!(!rest.contains(&format!("\"key\":\"{victim}\"")));
}

#[test]
fn one_megabyte_item_is_audited_and_the_size_cap_is_reported() {
    let Some(server) = Memcached::start(&["-I", "2m"]) else {
        return;
    };
    let mut value = b"S'".to_vec();
    value.resize(1024 * 1024 - 3, b'x');
    value.extend_from_slice(b"'\n.");
    assert_eq!(value.len(), 1024 * 1024);
    let mut request = format!("set big:1 1 0 {}\r\n", value.len()).into_bytes();
    request.extend_from_slice(&value);
    request.extend_from_slice(b"\r\n");
    assert_eq!(server.raw(&request, b"\r\n"), b"STORED\r\n");
    load_items(&server, 3);

    let (summary, _, code) = audit(&server.addr(), &[]);
    assert_eq!(code, 0);
    assert_eq!(summary["items_scanned"], json!(4));
    assert_eq!(summary["loads_on_both"], json!(4));

    let (stdout, _, code) = py2to3(&[
        "memcache",
        "audit",
        "--server",
        &server.addr(),
        "--max-value-size",
        "100000",
        "--output-format",
        "json",
        "--items",
    ]);
    assert_eq!(
        code, 1,
        "an item over --max-value-size is not audited: unreadable"
    );
    let big: Value = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["key"] == json!("big:1"))
        .unwrap();
    assert_eq!(big["verdict"], json!("unreadable"));
    assert_eq!(big["size"], json!(1024 * 1024));
    assert_eq!(
        big["error"],
        json!("value of 1048576 bytes is over the audit's size cap")
    );
    let summary: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["loads_on_both"], json!(3));
}

#[test]
fn keys_with_spaces_and_binary_bytes_are_fetched_and_purged() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    // Meta set with a base64 key: "sp ace\x01\xff" and "odd%key\tx".
    for b64 in ["c3AgYWNlAf8=", "b2RkJWtleQl4"] {
        let request = format!("ms {b64} {} b F1\r\n", PY2_DICT.len());
        let mut request = request.into_bytes();
        request.extend_from_slice(PY2_DICT);
        request.extend_from_slice(b"\r\n");
        assert_eq!(server.raw(&request, b"\r\n"), b"HD\r\n");
    }
    load_items(&server, 2);
    let (stdout, _, code) = py2to3(&[
        "memcache",
        "audit",
        "--server",
        &server.addr(),
        "--output-format",
        "json",
        "--items",
    ]);
    assert_eq!(code, 0);
    let mut keys: Vec<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| r["type"] == json!("item"))
        .map(|r| {
            assert_eq!(r["verdict"], json!("loads_on_both"));
            r["key"].as_str().unwrap().to_owned()
        })
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["load:0", "load:1", "odd%25key%09x", "sp%20ace%01%FF"]
    );

    let (_, _, code) = py2to3(&[
        "memcache",
        "purge",
        "--server",
        &server.addr(),
        "--only",
        "loads-on-both",
        "--yes",
    ]);
    assert_eq!(code, 0);
    assert_eq!(server.stats()["curr_items"], "0");
}

/// A fake server: answers each request line with `reply(line)`.
fn fake_server(reply: fn(&str) -> Option<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    match reply(line.trim_end()) {
                        Some(bytes) => {
                            if writer.write_all(&bytes).is_err() {
                                return;
                            }
                        }
                        None => std::thread::sleep(Duration::from_secs(30)),
                    }
                    line.clear();
                }
            });
        }
    });
    addr
}

#[test]
fn a_server_that_is_not_memcached_is_named_as_such() {
    let addr = fake_server(|_| Some(b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec()));
    let (summary, _, code) = audit(&addr, &[]);
    assert_eq!(code, 2);
    assert_eq!(
        summary["servers"][0]["errors"],
        json!([format!(
            "memcached {addr}: answered \"HTTP/1.1 400 Bad Request\" to `version`: not a \
             memcached text-protocol server?"
        )])
    );
}

#[test]
fn a_silent_server_times_out() {
    let addr = fake_server(|_| None);
    let (summary, _, code) = audit(&addr, &["--timeout", "0.3"]);
    assert_eq!(code, 2);
    assert_eq!(
        summary["servers"][0]["errors"],
        json!([format!("memcached {addr}: no answer within 0.3s")])
    );
}

#[test]
fn old_server_falls_back_to_cachedump_and_says_it_is_partial() {
    let addr = fake_server(|line| {
        let reply: &[u8] = match line {
            "version" => b"VERSION 1.4.20\r\n",
            "lru_crawler metadump all" => b"ERROR\r\n",
            "stats items" => b"STAT items:1:number 3\r\nSTAT items:1:age 10\r\nEND\r\n",
            "stats cachedump 1 0" => b"ITEM a:1 [18 b; 0 s]\r\nITEM a:2 [2 b; 0 s]\r\nEND\r\n",
            "get a:1 a:2" => b"VALUE a:1 1 18\r\n(dp0\nS'k'\np1\nI1\ns.\r\nEND\r\n",
            _ => b"ERROR\r\n",
        };
        Some(reply.to_vec())
    });
    let (summary, _, code) = audit(&addr, &[]);
    assert_eq!(code, 1);
    assert_eq!(summary["partial"], json!(true));
    let server = &summary["servers"][0];
    assert_eq!(server["listing"], json!("cachedump"));
    assert_eq!(server["items_listed"], json!(2));
    assert_eq!(server["items_scanned"], json!(1));
    assert_eq!(server["loads_on_both"], json!(1));
    assert_eq!(server["items_gone"], json!(1));
    let notes = server["notes"].to_string();
    assert!(
        notes.contains("refused `lru_crawler metadump all`"),
        "{notes}"
    );
    assert!(
        notes.contains("slab class 1: cachedump listed 2 of 3 items"),
        "{notes}"
    );
}

#[test]
fn unix_socket_servers_are_audited() {
    let Some(program) = memcached::find_program("memcached") else {
        memcached::missing::<()>("memcached");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("mc.sock");
    let mut child = Command::new(program)
        .args(["-s", socket.to_str().unwrap(), "-u", "root"])
        .spawn()
        .unwrap();
    for _ in 0..250 {
        if socket.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stream = std::os::unix::net::UnixStream::connect(&socket).unwrap();
    stream.write_all(b"set u:1 16 0 2\r\nhi\r\n").unwrap();
    let mut reply = [0u8; 8];
    stream.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"STORED\r\n");
    let addr = format!("unix:{}", socket.display());
    let (summary, _, code) = audit(&addr, &[]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["items_scanned"], json!(1));
    assert_eq!(summary["not_pickled"], json!(1));
    assert_eq!(summary["servers"][0]["server"], json!(addr));
}

#[test]
fn server_without_hash_walk_is_listed_by_lru_and_says_so() {
    let addr = fake_server(|line| {
        let reply: &[u8] = match line {
            "version" => b"VERSION 1.5.22\r\n",
            "stats" => b"STAT curr_items 2\r\nEND\r\n",
            "lru_crawler metadump hash" => b"CLIENT_ERROR bad command line format\r\n",
            "lru_crawler metadump all" => {
                b"key=a%3A1 exp=-1 la=1 cas=1 fetch=no cls=1 size=70\nkey=a%3A2 exp=-1 la=1 \
                  cas=2 fetch=no cls=1 size=70\nEND\r\n"
            }
            "get a:1 a:2" => b"VALUE a:1 0 1\r\nx\r\nVALUE a:2 2 2\r\n42\r\nEND\r\n",
            _ => b"ERROR\r\n",
        };
        Some(reply.to_vec())
    });
    let (summary, _, code) = audit(&addr, &[]);
    assert_eq!(code, 0, "{summary}");
    let server = &summary["servers"][0];
    assert_eq!(server["listing"], json!("metadump"));
    assert_eq!(server["items_scanned"], json!(2));
    assert_eq!(server["not_pickled"], json!(2));
    assert_eq!(server["by_prefix"]["a"]["items_scanned"], json!(2));
    let notes = server["notes"].to_string();
    assert!(notes.contains("cannot walk its hash table"), "{notes}");
}

#[test]
fn prefix_delimiter_is_configurable() {
    let Some(server) = Memcached::start(&[]) else {
        return;
    };
    for key in ["app.users:1", "app.users:2", "app.pages", "plain"] {
        let request = format!("set {key} 0 0 1\r\nx\r\n");
        assert_eq!(server.raw(request.as_bytes(), b"\r\n"), b"STORED\r\n");
    }
    let (summary, _, code) = audit(&server.addr(), &["--prefix-delimiter", "."]);
    assert_eq!(code, 0);
    let prefixes: Vec<(String, u64)> = summary["by_prefix"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["items_scanned"].as_u64().unwrap()))
        .collect();
    assert_eq!(prefixes, [("".to_owned(), 1), ("app".to_owned(), 3)]);
}
