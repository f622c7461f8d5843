//! A connection to one memcached server speaking the text protocol, over TCP or a unix socket,
//! with timeouts and errors that say what went wrong in words an operator understands.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

/// Longest reply line accepted. Real lines are a few hundred bytes; a longer one means the peer
/// is not memcached.
const MAX_LINE_LEN: usize = 64 * 1024;

/// Where a server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerAddr {
    /// `host:port` (port 11211 when omitted).
    Tcp(String),
    /// A unix socket path, written `/path`, `./path` or `unix:path`.
    Unix(PathBuf),
}

impl ServerAddr {
    /// Parses `host[:port]`, `[v6]:port`, `/socket/path` or `unix:/socket/path`.
    pub fn parse(text: &str) -> Result<ServerAddr, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty server address".into());
        }
        if let Some(path) = text.strip_prefix("unix:") {
            return Ok(ServerAddr::Unix(PathBuf::from(path)));
        }
        if text.starts_with('/') || text.starts_with("./") {
            return Ok(ServerAddr::Unix(PathBuf::from(text)));
        }
        let has_port = match text.rsplit_once(':') {
            Some((host, port)) => {
                !port.is_empty()
                    && port.bytes().all(|b| b.is_ascii_digit())
                    && (!host.contains(':') || host.ends_with(']'))
            }
            None => false,
        };
        if has_port {
            Ok(ServerAddr::Tcp(text.to_owned()))
        } else if text.contains(':') && !text.starts_with('[') {
            Ok(ServerAddr::Tcp(format!("[{text}]:11211")))
        } else {
            Ok(ServerAddr::Tcp(format!("{text}:11211")))
        }
    }
}

impl fmt::Display for ServerAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerAddr::Tcp(addr) => f.write_str(addr),
            ServerAddr::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

/// What kind of failure happened, for callers that react differently (retry, fall back, stop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McErrorKind {
    /// Could not connect (refused, unreachable, no such socket, name not resolved).
    Connect,
    /// The server did not answer within the timeout.
    Timeout,
    /// The server closed the connection.
    Closed,
    /// The server answered something that is not memcached's protocol.
    Protocol,
    /// The server answered `ERROR`, `CLIENT_ERROR ...` or `SERVER_ERROR ...`.
    Server,
    /// Any other I/O error.
    Io,
}

/// A failure talking to one server, with the server's address in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McError {
    /// What kind of failure.
    pub kind: McErrorKind,
    /// The server it happened on.
    pub server: String,
    /// What happened, in words.
    pub message: String,
}

impl McError {
    /// Builds an error for `server`.
    pub fn new(kind: McErrorKind, server: &str, message: impl Into<String>) -> McError {
        McError {
            kind,
            server: server.to_owned(),
            message: message.into(),
        }
    }

    fn from_io(server: &str, err: &io::Error, timeout: Duration, connecting: bool) -> McError {
        use io::ErrorKind as K;
        let (kind, message) = match err.kind() {
            K::ConnectionRefused => (
                McErrorKind::Connect,
                "connection refused (is memcached running and listening there?)".to_owned(),
            ),
            K::TimedOut | K::WouldBlock => (
                McErrorKind::Timeout,
                format!(
                    "no answer within {:.1}s{}",
                    timeout.as_secs_f64(),
                    if connecting { " while connecting" } else { "" }
                ),
            ),
            K::NotFound if connecting => (McErrorKind::Connect, "no such socket".to_owned()),
            K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => (
                McErrorKind::Closed,
                "the server closed the connection (restarted or killed?)".to_owned(),
            ),
            _ if connecting => (McErrorKind::Connect, format!("cannot connect: {err}")),
            _ => (McErrorKind::Io, err.to_string()),
        };
        McError::new(kind, server, message)
    }
}

impl fmt::Display for McError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "memcached {}: {}", self.server, self.message)
    }
}

impl std::error::Error for McError {}

/// The socket under a connection.
#[derive(Debug)]
enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn try_clone(&self) -> io::Result<Stream> {
        Ok(match self {
            Stream::Tcp(s) => Stream::Tcp(s.try_clone()?),
            Stream::Unix(s) => Stream::Unix(s.try_clone()?),
        })
    }

    fn set_timeouts(&self, timeout: Duration) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => {
                s.set_read_timeout(Some(timeout))?;
                s.set_write_timeout(Some(timeout))?;
                s.set_nodelay(true)
            }
            Stream::Unix(s) => {
                s.set_read_timeout(Some(timeout))?;
                s.set_write_timeout(Some(timeout))
            }
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Unix(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.flush(),
            Stream::Unix(s) => s.flush(),
        }
    }
}

/// One open connection: requests are written whole, replies read through a buffer.
#[derive(Debug)]
pub struct Connection {
    server: String,
    timeout: Duration,
    writer: Stream,
    reader: BufReader<Stream>,
    /// Version string from the `version` handshake, e.g. `1.6.18`.
    version: String,
}

impl Connection {
    /// Connects, sets timeouts and checks with `version` that the peer speaks memcached.
    pub fn open(addr: &ServerAddr, timeout: Duration) -> Result<Connection, McError> {
        let server = addr.to_string();
        let io_err = |e: io::Error| McError::from_io(&server, &e, timeout, true);
        let stream = match addr {
            ServerAddr::Tcp(hostport) => {
                let addrs = hostport.to_socket_addrs().map_err(|e| {
                    McError::new(
                        McErrorKind::Connect,
                        &server,
                        format!("cannot resolve address: {e}"),
                    )
                })?;
                let mut last = None;
                let mut connected = None;
                for sockaddr in addrs {
                    match TcpStream::connect_timeout(&sockaddr, timeout) {
                        Ok(s) => {
                            connected = Some(s);
                            break;
                        }
                        Err(e) => last = Some(e),
                    }
                }
                match (connected, last) {
                    (Some(s), _) => Stream::Tcp(s),
                    (None, Some(e)) => return Err(io_err(e)),
                    (None, None) => {
                        return Err(McError::new(
                            McErrorKind::Connect,
                            &server,
                            "address resolves to nothing",
                        ))
                    }
                }
            }
            ServerAddr::Unix(path) => Stream::Unix(UnixStream::connect(path).map_err(io_err)?),
        };
        stream.set_timeouts(timeout).map_err(io_err)?;
        let reader = BufReader::with_capacity(256 * 1024, stream.try_clone().map_err(io_err)?);
        let mut conn = Connection {
            server,
            timeout,
            writer: stream,
            reader,
            version: String::new(),
        };
        conn.send(b"version\r\n")?;
        let mut line = Vec::new();
        conn.read_line(&mut line)?;
        match line.strip_prefix(b"VERSION ") {
            Some(v) => conn.version = String::from_utf8_lossy(v).trim().to_owned(),
            None => {
                return Err(conn.protocol_error(format!(
                    "answered {} to `version`: not a memcached text-protocol server?",
                    quote_reply(&line)
                )))
            }
        }
        Ok(conn)
    }

    /// The server's address as given.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The server's version string.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The server's version as numbers (`1.6.18` -> `(1, 6, 18)`); zeros where unreadable.
    pub fn version_numbers(&self) -> (u32, u32, u32) {
        let mut parts = self.version.split(|c: char| !c.is_ascii_digit());
        let mut next = || parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
        (next(), next(), next())
    }

    /// True when the server understands the meta commands (`mg`, `md`, `mn`): 1.6 and later.
    pub fn has_meta_commands(&self) -> bool {
        self.version_numbers() >= (1, 6, 0)
    }

    /// Writes a whole request.
    pub fn send(&mut self, request: &[u8]) -> Result<(), McError> {
        self.writer
            .write_all(request)
            .map_err(|e| McError::from_io(&self.server, &e, self.timeout, false))
    }

    /// Reads one reply line into `line`, without its `\r\n` (or bare `\n`, as metadump ends
    /// its lines).
    pub fn read_line(&mut self, line: &mut Vec<u8>) -> Result<(), McError> {
        line.clear();
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(McError::from_io(&self.server, &e, self.timeout, false)),
            };
            if buf.is_empty() {
                return Err(McError::new(
                    McErrorKind::Closed,
                    &self.server,
                    "the server closed the connection (restarted or killed?)",
                ));
            }
            if let Some(pos) = memchr::memchr(b'\n', buf) {
                line.extend_from_slice(&buf[..pos]);
                self.reader.consume(pos + 1);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(());
            }
            let len = buf.len();
            if line.len().saturating_add(len) > MAX_LINE_LEN {
                return Err(self.protocol_error(format!(
                    "sent a line longer than {MAX_LINE_LEN} bytes: not memcached?"
                )));
            }
            line.extend_from_slice(buf);
            self.reader.consume(len);
        }
    }

    /// Reads exactly `len` bytes of a value followed by `\r\n`, into `out` (replacing it).
    /// Memory grows with the bytes actually received, not with the announced length.
    pub fn read_value(&mut self, len: usize, out: &mut Vec<u8>) -> Result<(), McError> {
        out.clear();
        out.reserve(len.min(1 << 20));
        let got = (&mut self.reader)
            .take(len as u64)
            .read_to_end(out)
            .map_err(|e| McError::from_io(&self.server, &e, self.timeout, false))?;
        if got != len {
            return Err(McError::new(
                McErrorKind::Closed,
                &self.server,
                "the server closed the connection in the middle of a value",
            ));
        }
        self.expect_crlf()
    }

    /// Reads a value of `len` bytes followed by `\r\n` and hands it to `use_value`: straight
    /// from the read buffer when it is all there (no copy), else through `scratch`.
    pub fn with_value<R>(
        &mut self,
        len: usize,
        scratch: &mut Vec<u8>,
        use_value: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, McError> {
        if let Some(total) = len.checked_add(2) {
            let buffered = self.reader.buffer();
            if let (Some(value), Some(end)) = (buffered.get(..len), buffered.get(len..total)) {
                if end != b"\r\n" {
                    return Err(self.protocol_error("a value was not followed by \\r\\n"));
                }
                let result = use_value(value);
                self.reader.consume(total);
                return Ok(result);
            }
        }
        self.read_value(len, scratch)?;
        Ok(use_value(scratch))
    }

    /// Reads and throws away `len` bytes of a value followed by `\r\n`.
    pub fn skip_value(&mut self, len: u64) -> Result<(), McError> {
        let copied = io::copy(&mut (&mut self.reader).take(len), &mut io::sink())
            .map_err(|e| McError::from_io(&self.server, &e, self.timeout, false))?;
        if copied != len {
            return Err(McError::new(
                McErrorKind::Closed,
                &self.server,
                "the server closed the connection in the middle of a value",
            ));
        }
        self.expect_crlf()
    }

    fn expect_crlf(&mut self) -> Result<(), McError> {
        let mut end = [0u8; 2];
        self.reader
            .read_exact(&mut end)
            .map_err(|e| McError::from_io(&self.server, &e, self.timeout, false))?;
        if &end != b"\r\n" {
            return Err(self.protocol_error("a value was not followed by \\r\\n"));
        }
        Ok(())
    }

    /// An error for a reply that does not fit the protocol.
    pub fn protocol_error(&self, message: impl Into<String>) -> McError {
        McError::new(McErrorKind::Protocol, &self.server, message)
    }

    /// Turns an `ERROR` / `CLIENT_ERROR` / `SERVER_ERROR` line into an error, if it is one.
    pub fn check_error_line(&self, line: &[u8], request: &str) -> Result<(), McError> {
        if line == b"ERROR"
            || line.starts_with(b"CLIENT_ERROR")
            || line.starts_with(b"SERVER_ERROR")
        {
            return Err(McError::new(
                McErrorKind::Server,
                &self.server,
                format!("`{request}` failed: {}", quote_reply(line)),
            ));
        }
        Ok(())
    }

    /// Sends a command answered by `STAT name value` lines and `END`; returns the pairs.
    pub fn stats(&mut self, command: &str) -> Result<Vec<(String, String)>, McError> {
        self.send(format!("{command}\r\n").as_bytes())?;
        let mut out = Vec::new();
        let mut line = Vec::new();
        loop {
            self.read_line(&mut line)?;
            if line == b"END" {
                return Ok(out);
            }
            self.check_error_line(&line, command)?;
            let text = String::from_utf8_lossy(&line);
            let mut parts = text.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("STAT"), Some(name), value) => {
                    out.push((name.to_owned(), value.unwrap_or("").to_owned()))
                }
                _ => {
                    return Err(self.protocol_error(format!(
                        "unexpected reply to `{command}`: {}",
                        quote_reply(&line)
                    )))
                }
            }
        }
    }
}

/// A reply line shown in an error message: quoted, escaped, and cut at 80 characters.
pub fn quote_reply(line: &[u8]) -> String {
    let cut = &line[..line.len().min(80)];
    let mut text = format!("{:?}", String::from_utf8_lossy(cut));
    if line.len() > 80 {
        text.push_str("...");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses() {
        assert_eq!(
            ServerAddr::parse("localhost").unwrap(),
            ServerAddr::Tcp("localhost:11211".into())
        );
        assert_eq!(
            ServerAddr::parse("10.0.0.1:11311").unwrap(),
            ServerAddr::Tcp("10.0.0.1:11311".into())
        );
        assert_eq!(
            ServerAddr::parse("[::1]:1").unwrap(),
            ServerAddr::Tcp("[::1]:1".into())
        );
        assert_eq!(
            ServerAddr::parse("::1").unwrap(),
            ServerAddr::Tcp("[::1]:11211".into())
        );
        assert_eq!(
            ServerAddr::parse("unix:/tmp/mc.sock").unwrap(),
            ServerAddr::Unix("/tmp/mc.sock".into())
        );
        assert_eq!(
            ServerAddr::parse("/tmp/mc.sock").unwrap(),
            ServerAddr::Unix("/tmp/mc.sock".into())
        );
        assert!(ServerAddr::parse(" ").is_err());
    }
}
