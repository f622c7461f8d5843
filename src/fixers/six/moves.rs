//! The `six.moves` table (six 1.16.0): which Python 2 standard modules have a two-version name,
//! and the Python 3 module behind each.

/// `(Python 2 module, its path under six.moves, its Python 3 module)` for the modules
/// `six.moves` carries whole (`MovedModule`). A path with a dot (`urllib.parse`) is imported
/// as `from six.moves.urllib import parse`.
pub const MODULES: &[(&str, &str, &str)] = &[
    ("__builtin__", "builtins", "builtins"),
    ("ConfigParser", "configparser", "configparser"),
    ("copy_reg", "copyreg", "copyreg"),
    ("gdbm", "dbm_gnu", "dbm.gnu"),
    ("cookielib", "http_cookiejar", "http.cookiejar"),
    ("Cookie", "http_cookies", "http.cookies"),
    ("htmlentitydefs", "html_entities", "html.entities"),
    ("HTMLParser", "html_parser", "html.parser"),
    ("httplib", "http_client", "http.client"),
    ("BaseHTTPServer", "BaseHTTPServer", "http.server"),
    ("CGIHTTPServer", "CGIHTTPServer", "http.server"),
    ("SimpleHTTPServer", "SimpleHTTPServer", "http.server"),
    ("cPickle", "cPickle", "pickle"),
    ("Queue", "queue", "queue"),
    ("repr", "reprlib", "reprlib"),
    ("SocketServer", "socketserver", "socketserver"),
    ("thread", "_thread", "_thread"),
    ("Tkinter", "tkinter", "tkinter"),
    ("Dialog", "tkinter_dialog", "tkinter.dialog"),
    ("FileDialog", "tkinter_filedialog", "tkinter.filedialog"),
    (
        "ScrolledText",
        "tkinter_scrolledtext",
        "tkinter.scrolledtext",
    ),
    (
        "SimpleDialog",
        "tkinter_simpledialog",
        "tkinter.simpledialog",
    ),
    ("Tix", "tkinter_tix", "tkinter.tix"),
    ("ttk", "tkinter_ttk", "tkinter.ttk"),
    ("Tkconstants", "tkinter_constants", "tkinter.constants"),
    ("Tkdnd", "tkinter_dnd", "tkinter.dnd"),
    (
        "tkColorChooser",
        "tkinter_colorchooser",
        "tkinter.colorchooser",
    ),
    (
        "tkCommonDialog",
        "tkinter_commondialog",
        "tkinter.commondialog",
    ),
    ("tkFileDialog", "tkinter_tkfiledialog", "tkinter.filedialog"),
    ("tkFont", "tkinter_font", "tkinter.font"),
    ("tkMessageBox", "tkinter_messagebox", "tkinter.messagebox"),
    (
        "tkSimpleDialog",
        "tkinter_tksimpledialog",
        "tkinter.simpledialog",
    ),
    ("robotparser", "urllib_robotparser", "urllib.robotparser"),
    ("xmlrpclib", "xmlrpc_client", "xmlrpc.client"),
    ("SimpleXMLRPCServer", "xmlrpc_server", "xmlrpc.server"),
    ("_winreg", "winreg", "winreg"),
    ("urlparse", "urllib.parse", "urllib.parse"),
];

/// `(Python 2 module, member, name under six.moves, Python 3 module)` for single members six
/// carries (`MovedAttribute`): `from StringIO import StringIO` -> `from six.moves import
/// StringIO`.
pub const MEMBERS: &[(&str, &str, &str, &str)] = &[
    ("StringIO", "StringIO", "StringIO", "io"),
    ("cStringIO", "StringIO", "cStringIO", "io"),
    ("UserDict", "UserDict", "UserDict", "collections"),
    ("UserList", "UserList", "UserList", "collections"),
    ("UserString", "UserString", "UserString", "collections"),
    ("itertools", "imap", "map", "builtins"),
    ("itertools", "ifilter", "filter", "builtins"),
    ("itertools", "izip", "zip", "builtins"),
    ("itertools", "ifilterfalse", "filterfalse", "itertools"),
    ("itertools", "izip_longest", "zip_longest", "itertools"),
    ("__builtin__", "raw_input", "input", "builtins"),
    ("__builtin__", "xrange", "range", "builtins"),
    ("__builtin__", "intern", "intern", "sys"),
    ("__builtin__", "reload", "reload_module", "importlib"),
    ("__builtin__", "reduce", "reduce", "functools"),
    ("os", "getcwdu", "getcwd", "os"),
    ("pipes", "quote", "shlex_quote", "shlex"),
];

/// The path under `six.moves` of a Python 2 module six carries whole.
pub fn module(py2: &str) -> Option<&'static str> {
    MODULES
        .iter()
        .find(|(old, _, _)| *old == py2)
        .map(|(_, six, _)| *six)
}

/// The Python 3 module behind a path under `six.moves` (`http_client` -> `http.client`).
pub fn python3_module(six_path: &str) -> Option<&'static str> {
    if let Some(sub) = six_path.strip_prefix("urllib.") {
        return ["parse", "request", "error", "response", "robotparser"]
            .into_iter()
            .find(|m| *m == sub)
            .map(|m| match m {
                "parse" => "urllib.parse",
                "request" => "urllib.request",
                "error" => "urllib.error",
                "response" => "urllib.response",
                _ => "urllib.robotparser",
            });
    }
    MODULES
        .iter()
        .find(|(_, six, _)| *six == six_path)
        .map(|(_, _, py3)| *py3)
}

/// The name under `six.moves` of `module.member`, for a member six carries alone.
pub fn member(module: &str, name: &str) -> Option<&'static str> {
    MEMBERS
        .iter()
        .find(|(m, n, _, _)| *m == module && *n == name)
        .map(|(_, _, six, _)| *six)
}

/// Whether six carries some members of the Python 2 module `module` (`cStringIO`).
pub fn has_members(module: &str) -> bool {
    MEMBERS.iter().any(|(m, _, _, _)| *m == module)
}

/// `(Python 3 module, name)` of a single member under `six.moves` (`cStringIO` -> `("io",
/// "StringIO")`, `range` -> `("builtins", "range")`).
pub fn python3_member(six_name: &str) -> Option<(&'static str, &'static str)> {
    Some(match six_name {
        "cStringIO" | "StringIO" => ("io", "StringIO"),
        "UserDict" => ("collections", "UserDict"),
        "UserList" => ("collections", "UserList"),
        "UserString" => ("collections", "UserString"),
        "map" => ("builtins", "map"),
        "filter" => ("builtins", "filter"),
        "zip" => ("builtins", "zip"),
        "input" => ("builtins", "input"),
        "range" | "xrange" => ("builtins", "range"),
        "filterfalse" => ("itertools", "filterfalse"),
        "zip_longest" => ("itertools", "zip_longest"),
        "intern" => ("sys", "intern"),
        "reload_module" => ("importlib", "reload"),
        "reduce" => ("functools", "reduce"),
        "getcwd" => ("os", "getcwd"),
        "getcwdb" => ("os", "getcwdb"),
        "shlex_quote" => ("shlex", "quote"),
        _ => return None,
    })
}

/// `(Python 3 module, members)` of the modules under `six.moves.urllib` (six 1.16.0): each
/// carries only these names (`six.moves.urllib.parse.splittype` does not exist), where the
/// Python 3 module has more.
pub const URLLIB_MEMBERS: &[(&str, &[&str])] = &[
    (
        "urllib.parse",
        &[
            "ParseResult",
            "SplitResult",
            "parse_qs",
            "parse_qsl",
            "urldefrag",
            "urljoin",
            "urlparse",
            "urlsplit",
            "urlunparse",
            "urlunsplit",
            "quote",
            "quote_plus",
            "unquote",
            "unquote_plus",
            "unquote_to_bytes",
            "urlencode",
            "splitquery",
            "splittag",
            "splituser",
            "splitvalue",
            "uses_fragment",
            "uses_netloc",
            "uses_params",
            "uses_query",
            "uses_relative",
        ],
    ),
    (
        "urllib.error",
        &["URLError", "HTTPError", "ContentTooShortError"],
    ),
    (
        "urllib.request",
        &[
            "urlopen",
            "install_opener",
            "build_opener",
            "pathname2url",
            "url2pathname",
            "getproxies",
            "Request",
            "OpenerDirector",
            "HTTPDefaultErrorHandler",
            "HTTPRedirectHandler",
            "HTTPCookieProcessor",
            "ProxyHandler",
            "BaseHandler",
            "HTTPPasswordMgr",
            "HTTPPasswordMgrWithDefaultRealm",
            "AbstractBasicAuthHandler",
            "HTTPBasicAuthHandler",
            "ProxyBasicAuthHandler",
            "AbstractDigestAuthHandler",
            "HTTPDigestAuthHandler",
            "ProxyDigestAuthHandler",
            "HTTPHandler",
            "HTTPSHandler",
            "FileHandler",
            "FTPHandler",
            "CacheFTPHandler",
            "UnknownHandler",
            "HTTPErrorProcessor",
            "urlretrieve",
            "urlcleanup",
            "URLopener",
            "FancyURLopener",
            "proxy_bypass",
            "parse_http_list",
            "parse_keqv_list",
        ],
    ),
    (
        "urllib.response",
        &["addbase", "addclosehook", "addinfo", "addinfourl"],
    ),
    ("urllib.robotparser", &["RobotFileParser"]),
];

/// Whether `six.moves.<module>.<name>` exists, for a Python 3 module `module` under `urllib`
/// (`urllib.parse`, `quote`).
pub fn urllib_member(module: &str, name: &str) -> bool {
    URLLIB_MEMBERS
        .iter()
        .any(|(m, names)| *m == module && names.contains(&name))
}

/// `(Python 2 module, its Python 3 module, the members a file may read through it)` for modules
/// of the rename tables that `six.moves` does not carry whole, where the Python 3 module offers
/// those members under the same names. `--target six` imports them in two versions (see
/// `fixers/imports/two_version.rs`): `try: import anydbm` / `except ImportError: import dbm as
/// anydbm`. `commands.mkarg` (no Python 3 equivalent) is not listed: a file reading it keeps
/// its import, reported. `subprocess.getstatusoutput` gives the exit code where Python 2's
/// `commands.getstatusoutput` gave the wait status (the same when the command succeeds).
pub const FALLBACKS: &[(&str, &str, &[&str])] = &[
    ("anydbm", "dbm", &["open", "error"]),
    // As `--target py3` writes `import io as StringIO`: text in, text out on Python 3.
    ("StringIO", "io", &["StringIO"]),
    ("whichdb", "dbm", &["whichdb"]),
    ("dumbdbm", "dbm.dumb", &["open", "error"]),
    ("commands", "subprocess", &["getoutput", "getstatusoutput"]),
    (
        "DocXMLRPCServer",
        "xmlrpc.server",
        &[
            "CGIXMLRPCRequestHandler",
            "DocCGIXMLRPCRequestHandler",
            "DocXMLRPCRequestHandler",
            "DocXMLRPCServer",
            "ServerHTMLDoc",
            "SimpleXMLRPCRequestHandler",
            "SimpleXMLRPCServer",
            "XMLRPCDocGenerator",
            "resolve_dotted_attribute",
        ],
    ),
    ("markupbase", "_markupbase", &["ParserBase"]),
    ("UserDict", "collections", &["UserDict"]),
    ("UserList", "collections", &["UserList"]),
    ("UserString", "collections", &["UserString"]),
];

/// `(Python 2 module, member, Python 3 module, Python 3 name)` for members that have another name
/// in the Python 3 module: `from UserDict import IterableUserDict` falls back to `from
/// collections import UserDict as IterableUserDict` (Python 3's `UserDict` iterates over its
/// keys, as `IterableUserDict` did).
pub const FALLBACK_MEMBERS: &[(&str, &str, &str, &str)] =
    &[("UserDict", "IterableUserDict", "collections", "UserDict")];

/// The Python 3 module a two-version import of the Python 2 module `py2` falls back to.
pub fn fallback_module(py2: &str) -> Option<&'static str> {
    FALLBACKS
        .iter()
        .find(|(old, _, _)| *old == py2)
        .map(|(_, new, _)| *new)
}

/// `(Python 3 module, name there)` of `module.member` for a two-version import, when the
/// Python 3 module offers it ([`FALLBACKS`], [`FALLBACK_MEMBERS`]).
pub fn fallback_member(module: &str, member: &str) -> Option<(&'static str, &'static str)> {
    if let Some((_, _, new, name)) = FALLBACK_MEMBERS
        .iter()
        .find(|(m, n, _, _)| *m == module && *n == member)
    {
        return Some((new, name));
    }
    let (_, new, members) = FALLBACKS.iter().find(|(old, _, _)| *old == module)?;
    members
        .iter()
        .find(|m| **m == member)
        .map(|name| (*new, *name))
}
