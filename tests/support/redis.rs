//! Test harness: a real redis-server on 127.0.0.1, on a free port, no persistence, stopped when
//! dropped. Uses the memcached harness' helpers (skip or fail under CI, free ports).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::memcached::{find_program, free_port, missing};

/// A running redis-server, killed on drop.
pub struct Redis {
    child: Option<Child>,
    /// The port it listens on.
    pub port: u16,
}

impl Redis {
    /// Starts `redis-server --port <free port> --save "" --appendonly no`, or skips.
    pub fn start() -> Option<Redis> {
        Redis::start_with(&[])
    }

    /// Starts it with its working directory (where a SYNC or SAVE writes dump.rdb) in `dir`.
    pub fn start_in(dir: &std::path::Path) -> Option<Redis> {
        Redis::start_with(&["--dir", &dir.display().to_string()])
    }

    /// Starts it with these extra arguments.
    pub fn start_with(extra: &[&str]) -> Option<Redis> {
        let Some(program) = find_program("redis-server") else {
            return missing("redis-server");
        };
        for _attempt in 0..5 {
            let port = free_port();
            let mut child = Command::new(&program)
                .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
                .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
                .args(extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("redis-server starts");
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(Redis {
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
        panic!("redis-server did not start");
    }

    /// `redis://127.0.0.1:<port>/0`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Sends one command (RESP array of bulk strings) and returns the raw reply.
    pub fn command(&self, args: &[&[u8]]) -> Vec<u8> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut request = format!("*{}\r\n", args.len()).into_bytes();
        for arg in args {
            request.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
            request.extend_from_slice(arg);
            request.extend_from_slice(b"\r\n");
        }
        stream.write_all(&request).unwrap();
        read_reply(&mut BufReader::new(stream))
    }

    /// `INFO commandstats` as command name -> calls.
    pub fn command_calls(&self) -> BTreeMap<String, u64> {
        let reply = self.command(&[b"INFO", b"commandstats"]);
        String::from_utf8_lossy(&reply)
            .lines()
            .filter_map(|l| l.strip_prefix("cmdstat_"))
            .filter_map(|l| {
                let (name, rest) = l.split_once(':')?;
                let calls = rest.strip_prefix("calls=")?.split(',').next()?;
                Some((name.to_owned(), calls.parse().ok()?))
            })
            .collect()
    }
}

/// Reads one whole RESP reply (raw bytes, nested arrays included).
fn read_reply(reader: &mut impl BufRead) -> Vec<u8> {
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).expect("reply");
    let mut out = line.clone();
    let n: i64 = std::str::from_utf8(&line[1..line.len().saturating_sub(2)])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(-1);
    match line.first() {
        Some(b'$') if n >= 0 => {
            let mut body = vec![0; n as usize + 2];
            reader.read_exact(&mut body).expect("bulk");
            out = body[..n as usize].to_vec();
        }
        Some(b'*') if n > 0 => {
            for _ in 0..n {
                out.extend(read_reply(reader));
            }
        }
        _ => {}
    }
    out
}

impl Drop for Redis {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
