//! What the auditor says about one blob ([`BlobAudit`]): the data every verdict, the quick
//! path ([`super::quick`]) and the simulation's findings ([`super::simulate`]) share, kept apart
//! from the code that computes it so that those modules do not import each other in a circle.

use serde::Serialize;

/// Whether CPython 3's `pickle.loads(blob, encoding=...)` succeeds, per encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Py3Loadable {
    /// `encoding='ASCII'`, the default.
    pub ascii: bool,
    /// `encoding='latin1'`.
    pub latin1: bool,
    /// `encoding='bytes'`.
    pub bytes: bool,
}

/// One problem or remark about a blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `PY3-NONASCII-STR`.
    pub code: String,
    /// Human explanation.
    pub message: String,
}

/// Everything the auditor says about one blob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlobAudit {
    /// Highest protocol seen (PROTO opcode, or inferred from opcodes for 0/1).
    pub protocol: Option<u8>,
    /// Python 2.7 `pickle.loads` succeeds.
    pub py2_loadable: bool,
    /// Python 3 `pickle.loads` succeeds, per encoding.
    pub py3_loadable: Py3Loadable,
    /// A global is a known gadget: it runs code or touches the system (the block list says
    /// why).
    pub dangerous: bool,
    /// Every global is on the allow-list (builtin containers and scalars, datetime, decimal,
    /// collections, copyreg reconstructors, plus the names the user allows): nothing else is
    /// imported or called on load. False when any global is dangerous or unknown.
    pub safe: bool,
    /// "module.name" of every GLOBAL / STACK_GLOBAL / INST, as written, without duplicates.
    pub globals: Vec<String>,
    /// The globals, as written, that are neither on the allow-list nor known gadgets.
    pub unknown_globals: Vec<String>,
    /// Problems and remarks.
    pub findings: Vec<Finding>,
    /// Why the blob could not be read at all.
    pub error: Option<String>,
    /// Classes (not on the allow-list) whose state or arguments hold py2 strs: under
    /// `encoding='bytes'` they get bytes where Python 2 gave them str, so whether the blob
    /// loads (and what the objects hold) depends on each class: `Cookie.SimpleCookie`
    /// raises `CookieError`, a plain class gets `__dict__` keys its attributes no longer find.
    /// Filled with [`super::verdict::Detail::Full`] only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bytes_depends_on: Vec<String>,
    /// Why each interpreter cannot load it (the first failing finding), for `pickle diff`.
    #[serde(skip)]
    pub why_not: WhyNot,
}

/// The first reason each interpreter (and Python 3 encoding) cannot load a blob, as
/// `CODE: message`. Filled with [`super::verdict::Detail::Full`] only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhyNot {
    /// Python 2.7.
    pub py2: Option<String>,
    /// Python 3, encoding='ASCII'.
    pub py3_ascii: Option<String>,
    /// Python 3, encoding='latin1'.
    pub py3_latin1: Option<String>,
    /// Python 3, encoding='bytes'.
    pub py3_bytes: Option<String>,
}
