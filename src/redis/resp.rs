//! A small Redis client: RESP2 over one TCP connection, pipelined (requests are appended to a
//! buffer and sent together; replies are read back in order). Enough for SCAN, GET, TYPE,
//! HGETALL, LRANGE, INFO, SCRIPT LOAD and EVALSHA; no dependency beyond `std`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Longest status or length line accepted.
const MAX_LINE: usize = 64 * 1024;
/// Deepest nesting of arrays accepted.
const MAX_DEPTH: usize = 8;

/// Where a server is: `redis://[[user]:password@]host[:port][/db]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisUrl {
    /// `host:port`.
    pub hostport: String,
    /// Database number.
    pub db: u32,
    /// ACL user name, if any.
    pub user: Option<String>,
    /// Password, if any.
    pub password: Option<String>,
}

impl RedisUrl {
    /// Parses a `redis://` URL (port 6379 and db 0 when omitted).
    pub fn parse(text: &str) -> Result<RedisUrl, String> {
        let rest = text
            .trim()
            .strip_prefix("redis://")
            .ok_or("the URL must start with redis://")?;
        let (auth, rest) = match rest.rsplit_once('@') {
            Some((auth, rest)) => (Some(auth), rest),
            None => (None, rest),
        };
        let (hostport, db) = match rest.split_once('/') {
            Some((h, "")) => (h, 0),
            Some((h, db)) => (
                h,
                db.parse()
                    .map_err(|_| format!("bad database number {db:?}"))?,
            ),
            None => (rest, 0),
        };
        if hostport.is_empty() {
            return Err("no host in the URL".into());
        }
        let has_port = hostport.rsplit_once(':').is_some_and(|(h, p)| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (!h.contains(':') || h.ends_with(']'))
        });
        let hostport = if has_port {
            hostport.to_owned()
        } else {
            format!("{hostport}:6379")
        };
        let (user, password) = match auth {
            Some(auth) => match auth.split_once(':') {
                Some((u, p)) => ((!u.is_empty()).then(|| u.to_owned()), Some(p.to_owned())),
                None => (None, Some(auth.to_owned())),
            },
            None => (None, None),
        };
        Ok(RedisUrl {
            hostport,
            db,
            user,
            password,
        })
    }

    /// The URL without its password, for messages.
    pub fn display(&self) -> String {
        format!("redis://{}/{}", self.hostport, self.db)
    }
}

/// One reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A null bulk string or array.
    Nil,
    /// `+OK` and the like.
    Status(Vec<u8>),
    /// `-ERR ...`.
    Error(String),
    /// `:n`.
    Int(i64),
    /// A bulk string.
    Bulk(Vec<u8>),
    /// An array.
    Array(Vec<Reply>),
}

impl Reply {
    /// The bytes of a bulk or status reply.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Reply::Bulk(b) | Reply::Status(b) => Some(b),
            _ => None,
        }
    }
}

/// One connection.
#[derive(Debug)]
pub struct RedisConn {
    writer: TcpStream,
    reader: BufReader<TcpStream>,
    server: String,
    /// Requests appended by [`RedisConn::push`], not yet sent.
    pending: Vec<u8>,
    line: Vec<u8>,
}

impl RedisConn {
    /// Connects, authenticates and selects the database.
    pub fn open(url: &RedisUrl, timeout: Duration) -> Result<RedisConn, String> {
        let server = url.display();
        let err = |e: io::Error| format!("{server}: cannot connect: {e}");
        let mut last = None;
        let mut stream = None;
        for addr in url.hostport.to_socket_addrs().map_err(err)? {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let stream = match (stream, last) {
            (Some(s), _) => s,
            (None, Some(e)) => return Err(err(e)),
            (None, None) => return Err(format!("{server}: address resolves to nothing")),
        };
        stream.set_read_timeout(Some(timeout)).map_err(err)?;
        stream.set_write_timeout(Some(timeout)).map_err(err)?;
        stream.set_nodelay(true).map_err(err)?;
        let reader = BufReader::with_capacity(256 * 1024, stream.try_clone().map_err(err)?);
        let mut conn = RedisConn {
            writer: stream,
            reader,
            server,
            pending: Vec::new(),
            line: Vec::new(),
        };
        if let Some(password) = &url.password {
            let reply = match &url.user {
                Some(user) => conn.command(&[b"AUTH", user.as_bytes(), password.as_bytes()])?,
                None => conn.command(&[b"AUTH", password.as_bytes()])?,
            };
            conn.expect_ok(reply, "AUTH")?;
        }
        if url.db != 0 {
            let reply = conn.command(&[b"SELECT", url.db.to_string().as_bytes()])?;
            conn.expect_ok(reply, "SELECT")?;
        }
        let reply = conn.command(&[b"PING"])?;
        match reply {
            Reply::Status(s) if s == b"PONG" => Ok(conn),
            other => Err(format!(
                "{}: answered {other:?} to PING: not a Redis server?",
                conn.server
            )),
        }
    }

    /// The connection's reader, for a reply that is not RESP (the snapshot after `SYNC`).
    /// Sends nothing pending.
    pub fn into_reader(self) -> BufReader<TcpStream> {
        self.reader
    }

    /// The server as shown in messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    fn expect_ok(&self, reply: Reply, what: &str) -> Result<(), String> {
        match reply {
            Reply::Status(_) => Ok(()),
            Reply::Error(e) => Err(format!("{}: {what} failed: {e}", self.server)),
            other => Err(format!(
                "{}: unexpected reply to {what}: {other:?}",
                self.server
            )),
        }
    }

    /// Appends a command to the pipeline (sent by [`RedisConn::flush`] or the next read).
    pub fn push(&mut self, args: &[&[u8]]) {
        let out = &mut self.pending;
        out.push(b'*');
        out.extend_from_slice(args.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        for arg in args {
            out.push(b'$');
            out.extend_from_slice(arg.len().to_string().as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(arg);
            out.extend_from_slice(b"\r\n");
        }
    }

    /// Sends every command pushed.
    pub fn flush(&mut self) -> Result<(), String> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let result = self.writer.write_all(&self.pending);
        self.pending.clear();
        result.map_err(|e| self.io_error(&e))
    }

    /// Sends one command and reads its reply.
    pub fn command(&mut self, args: &[&[u8]]) -> Result<Reply, String> {
        self.push(args);
        self.read()
    }

    /// Reads the next reply (sending what is pending first).
    pub fn read(&mut self) -> Result<Reply, String> {
        self.flush()?;
        self.read_at(0)
    }

    /// Reads the next reply, handing a bulk string to `use_bulk` straight from the read buffer
    /// when it is all there (no copy). Other replies are returned as read.
    pub fn read_bulk_with<R>(
        &mut self,
        use_bulk: impl FnOnce(&[u8]) -> R,
    ) -> Result<Result<R, Reply>, String> {
        self.flush()?;
        self.read_line()?;
        if self.line.first() != Some(&b'$') {
            let reply = self.parse_line(0)?;
            return Ok(Err(reply));
        }
        let len = self.number()?;
        let Ok(len) = usize::try_from(len) else {
            return Ok(Err(Reply::Nil));
        };
        let total = len.saturating_add(2);
        let buffered = self.reader.buffer();
        if let (Some(body), Some(b"\r\n")) = (buffered.get(..len), buffered.get(len..total)) {
            let r = use_bulk(body);
            self.reader.consume(total);
            return Ok(Ok(r));
        }
        let body = self.read_body(len)?;
        Ok(Ok(use_bulk(&body)))
    }

    /// Reads the header of an array reply: its length (None for a nil array). Its items are
    /// then read one by one ([`RedisConn::read_bulk_with`]). An error reply is an error.
    pub fn read_array_len(&mut self) -> Result<Option<usize>, String> {
        self.flush()?;
        self.read_line()?;
        match self.line.first() {
            Some(b'*') => Ok(usize::try_from(self.number()?).ok()),
            Some(b'-') => Err(format!(
                "{}: {}",
                self.server,
                String::from_utf8_lossy(self.line.get(1..).unwrap_or_default())
            )),
            _ => Err(self.protocol("an array was expected")),
        }
    }

    fn read_at(&mut self, depth: usize) -> Result<Reply, String> {
        self.read_line()?;
        self.parse_line(depth)
    }

    fn parse_line(&mut self, depth: usize) -> Result<Reply, String> {
        let Some((&kind, rest)) = self.line.split_first() else {
            return Err(self.protocol("an empty line"));
        };
        match kind {
            b'+' => Ok(Reply::Status(rest.to_vec())),
            b'-' => Ok(Reply::Error(String::from_utf8_lossy(rest).into_owned())),
            b':' => Ok(Reply::Int(self.number()?)),
            b'$' => {
                let len = self.number()?;
                match usize::try_from(len) {
                    Ok(len) => Ok(Reply::Bulk(self.read_body(len)?)),
                    Err(_) => Ok(Reply::Nil),
                }
            }
            b'*' => {
                let n = self.number()?;
                let Ok(n) = usize::try_from(n) else {
                    return Ok(Reply::Nil);
                };
                if depth >= MAX_DEPTH {
                    return Err(self.protocol("arrays nested too deep"));
                }
                let mut items = Vec::with_capacity(n.min(4096));
                for _ in 0..n {
                    items.push(self.read_at(depth + 1)?);
                }
                Ok(Reply::Array(items))
            }
            _ => Err(self.protocol(&format!("a line starting with {:?}", char::from(kind)))),
        }
    }

    fn number(&self) -> Result<i64, String> {
        std::str::from_utf8(self.line.get(1..).unwrap_or_default())
            .ok()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| self.protocol("a malformed length"))
    }

    /// Reads `len` bytes and the `\r\n` after them; memory grows with what arrives.
    fn read_body(&mut self, len: usize) -> Result<Vec<u8>, String> {
        let mut body = Vec::with_capacity(len.min(1 << 20));
        let got = (&mut self.reader)
            .take(len as u64)
            .read_to_end(&mut body)
            .map_err(|e| self.io_error(&e))?;
        let mut end = [0u8; 2];
        if got != len || self.reader.read_exact(&mut end).is_err() || end != *b"\r\n" {
            return Err(format!(
                "{}: the connection ended inside a value",
                self.server
            ));
        }
        Ok(body)
    }

    fn read_line(&mut self) -> Result<(), String> {
        self.line.clear();
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.io_error(&e)),
            };
            if buf.is_empty() {
                return Err(format!("{}: the server closed the connection", self.server));
            }
            if let Some(pos) = memchr::memchr(b'\n', buf) {
                self.line.extend_from_slice(&buf[..pos]);
                self.reader.consume(pos + 1);
                if self.line.last() == Some(&b'\r') {
                    self.line.pop();
                }
                return Ok(());
            }
            let n = buf.len();
            self.line.extend_from_slice(buf);
            self.reader.consume(n);
            if self.line.len() > MAX_LINE {
                return Err(self.protocol("a line too long"));
            }
        }
    }

    fn protocol(&self, what: &str) -> String {
        format!("{}: not Redis' protocol ({what})", self.server)
    }

    fn io_error(&self, e: &io::Error) -> String {
        match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                format!("{}: no answer in time", self.server)
            }
            _ => format!("{}: {e}", self.server),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let u = RedisUrl::parse("redis://127.0.0.1:7000/3").unwrap();
        assert_eq!((u.hostport.as_str(), u.db), ("127.0.0.1:7000", 3));
        let u = RedisUrl::parse("redis://:secret@cache").unwrap();
        assert_eq!(u.hostport, "cache:6379");
        assert_eq!(u.password.as_deref(), Some("secret"));
        assert_eq!(u.user, None);
        assert_eq!(u.display(), "redis://cache:6379/0");
        assert!(RedisUrl::parse("http://x").is_err());
        assert!(RedisUrl::parse("redis://x/y").is_err());
    }
}
