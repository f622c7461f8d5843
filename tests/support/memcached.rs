//! Test harness: a real memcached on 127.0.0.1, on a free port, stopped when dropped.
//!
//! When memcached (or python3 for the data writers) is missing, tests skip with a message, or
//! fail when the environment variable `CI` is `true`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// True when running under CI, where missing tools are failures.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (prints why and returns None) or, under CI, panics.
pub fn missing<T>(what: &str) -> Option<T> {
    if in_ci() {
        panic!("{what} is required when CI=true");
    }
    eprintln!("SKIPPED: {what} not available");
    None
}

/// Finds an executable on PATH (or at /usr/bin, where apt puts memcached).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/local/bin")])
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A running memcached, killed on drop.
pub struct Memcached {
    child: Option<Child>,
    /// The port it listens on.
    pub port: u16,
}

impl Memcached {
    /// Starts `memcached -l 127.0.0.1 -p <free port>` with extra arguments, or skips.
    pub fn start(extra: &[&str]) -> Option<Memcached> {
        let Some(program) = find_program("memcached") else {
            return missing("memcached");
        };
        for _attempt in 0..5 {
            let port = free_port();
            let mut cmd = Command::new(&program);
            cmd.args(["-l", "127.0.0.1", "-p", &port.to_string(), "-U", "0"])
                // Ignored unless running as root, where memcached insists on it.
                .args(["-u", "root"])
                .args(extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            let mut child = cmd.spawn().expect("memcached starts");
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(Memcached {
                        child: Some(child),
                        port,
                    });
                }
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("memcached did not start");
    }

    /// `127.0.0.1:<port>`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Kills the server now (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends raw protocol text and reads until the reply ends with `terminator`.
    pub fn raw(&self, request: &[u8], terminator: &[u8]) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request).unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 65536];
        while !out.ends_with(terminator) {
            let n = stream.read(&mut buf).expect("reply");
            assert!(n > 0, "server closed before {terminator:?}");
            out.extend_from_slice(&buf[..n]);
        }
        out
    }

    /// The server's `stats`.
    pub fn stats(&self) -> HashMap<String, String> {
        let reply = self.raw(b"stats\r\n", b"END\r\n");
        BufReader::new(reply.as_slice())
            .lines()
            .map_while(Result::ok)
            .filter_map(|line| {
                let mut parts = line.trim_end().splitn(3, ' ');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some("STAT"), Some(k), Some(v)) => Some((k.to_owned(), v.to_owned())),
                    _ => None,
                }
            })
            .collect()
    }

    /// Waits (up to 10 s) until no LRU crawler (metadump) runs.
    pub fn wait_crawler_idle(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.stats().get("lru_crawler_running").map(String::as_str) != Some("0") {
            assert!(Instant::now() < deadline, "the LRU crawler never finished");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The counters an audit must not change.
    pub fn write_stats(&self) -> Vec<(String, String)> {
        let stats = self.stats();
        [
            "cmd_set",
            "cmd_touch",
            "delete_hits",
            "delete_misses",
            "curr_items",
        ]
        .iter()
        .map(|k| (k.to_string(), stats.get(*k).cloned().unwrap_or_default()))
        .collect()
    }

    /// Keys in `lru_crawler metadump hash` order (the audit's listing order), decoded (lossily,
    /// for comparisons).
    pub fn metadump_keys(&self) -> Vec<String> {
        let reply = self.raw(b"lru_crawler metadump hash\r\n", b"END\r\n");
        String::from_utf8_lossy(&reply)
            .lines()
            .filter_map(|l| l.strip_prefix("key="))
            .filter_map(|l| l.split(' ').next())
            .map(percent_decode)
            .collect()
    }
}

impl Drop for Memcached {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// python3 with the given modules importable, or skip.
pub fn python_with(modules: &[&str]) -> Option<PathBuf> {
    let Some(python) = find_program("python3") else {
        return missing("python3");
    };
    let check = format!("import {}", modules.join(", "));
    let ok = Command::new(&python)
        .args(["-c", &check])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return missing(&format!("python3 modules {modules:?}"));
    }
    Some(python)
}

/// Path of a script in scripts/memcache.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/memcache")
        .join(name)
}

/// Decodes `%XX` escapes (test helper; malformed escapes are kept).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
