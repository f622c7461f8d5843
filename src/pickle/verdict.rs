//! The verdict on one pickle blob (the contract the memcache auditor relies on): whether
//! Python 2.7 and Python 3 (per `encoding=`) can load it, whether the meaning changes on the
//! way, and whether it is dangerous. Built from [`simulate`](super::simulate), never executes.
//!
//! Python 3 loadability follows CPython 3's `pickle.loads` (checked against the live
//! interpreter by `tests/pickle_corpus.rs`). Python 2 loadability follows the Python 2.7
//! `pickle.py` rules: protocol <= 2, only opcodes of protocols 0-2, and globals that exist in
//! Python 2.7 (see [`names`](super::names) for what is knowable about globals).

use super::names::{on_allow_list, Existence, Tables, UserAllowList};
use super::simulate::{self, Ctor, Encodings, Limits, Node, NodeId, Simulation};

pub use super::blob::{BlobAudit, Finding, Py3Loadable, WhyNot};

/// Audits one pickle blob (the first pickle in `data`). Never executes it.
pub fn audit(data: &[u8]) -> BlobAudit {
    let (mut blob, end) = audit_at(data, 0, Limits::default());
    if blob.error.is_none() && end < data.len() {
        blob.findings.push(finding(
            "TRAILING-DATA",
            format!(
                "{} bytes after STOP (ignored by pickle.loads)",
                data.len() - end
            ),
        ));
    }
    blob
}

/// Like [`audit`] but only the verdict: `protocol`, `py2_loadable`, `py3_loadable`,
/// `dangerous`, `safe` and `error` are exactly those [`audit`] gives; `globals`,
/// `unknown_globals` and `findings` stay empty. Faster: no value is kept that the verdict does not look at, and no message is
/// written (for callers that only count verdicts, such as the memcache audit).
pub fn audit_verdict(data: &[u8]) -> BlobAudit {
    // Plain data (most cached values) needs no simulation.
    if let Some(blob) = super::quick::verdict(data) {
        return blob;
    }
    let sim = simulate::simulate_for_verdict_only(data, 0, Limits::default());
    let blob = judge_with(&sim, Detail::VerdictOnly);
    simulate::recycle(sim);
    blob
}

/// Audits the pickle starting at `start`; also returns the offset just past it.
///
/// The verdict never reads the value of a None, bool, int or float, so the simulation
/// keeps none ([`simulate::simulate_for_verdict`]); the result equals [`judge`] of a full
/// [`simulate::simulate`] (checked by the corpus and mutation tests).
pub fn audit_at(data: &[u8], start: usize, limits: Limits) -> (BlobAudit, usize) {
    let sim = simulate::simulate_for_verdict(data, start, limits);
    let end = sim.end;
    let blob = judge(&sim);
    simulate::recycle(sim);
    (blob, end)
}

/// Audits every pickle of a stream of consecutive pickles: (start offset, verdict) each.
/// Stops at the first pickle that cannot be read.
pub fn audit_stream(data: &[u8], limits: Limits) -> Vec<(usize, BlobAudit)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let (blob, end) = audit_at(data, start, limits);
        let failed = blob.error.is_some();
        out.push((start, blob));
        if failed || end <= start {
            break;
        }
        start = end;
    }
    out
}

/// The finding for a global outside the allow-list.
fn unknown_global(written: &str) -> Finding {
    finding(
        "UNKNOWN-GLOBAL",
        format!(
            "{} is not on the allow-list: loading the pickle imports it and may call it (allow it in [tool.py2to3.pickle] allow, or --allow, if you trust it)",
            written
        ),
    )
}

/// Takes the globals the user trusts off a verdict's unknown globals (and their findings),
/// then says again whether the blob is safe. Known gadgets stay dangerous whatever the user
/// allows. Needs a verdict with [`Detail::Full`].
pub fn apply_user_allow(blob: &mut BlobAudit, allow: &UserAllowList) {
    if allow.is_empty() || blob.unknown_globals.is_empty() {
        return;
    }
    let before = blob.unknown_globals.len();
    blob.unknown_globals.retain(|g| !allow.allows(g));
    if blob.unknown_globals.len() == before {
        return;
    }
    blob.findings.retain(|f| f.code != "UNKNOWN-GLOBAL");
    for g in &blob.unknown_globals {
        blob.findings.push(unknown_global(g));
    }
    blob.safe = !blob.dangerous && blob.unknown_globals.is_empty();
}

fn finding(code: &str, message: impl Into<String>) -> Finding {
    Finding {
        code: code.into(),
        message: message.into(),
    }
}

/// How much a verdict says besides the booleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Findings and globals too (what `pickle audit` prints).
    Full,
    /// Only protocol, loadability, danger and error: no message is formatted.
    VerdictOnly,
}

/// Collects the verdict while walking the simulation.
struct Judge<'s, 'a> {
    sim: &'s Simulation<'a>,
    py2_ok: bool,
    py3: Py3Loadable,
    blob: BlobAudit,
    /// False for [`Detail::VerdictOnly`]: findings are neither built nor kept.
    full: bool,
    /// A global is neither allowed nor a known gadget.
    unknown: bool,
}

fn node_at<'s, 'a>(sim: &'s Simulation<'a>, id: NodeId) -> Option<&'s Node<'a>> {
    sim.nodes.get(id as usize)
}

impl Judge<'_, '_> {
    fn fail3(&mut self, encodings: Encodings, f: impl FnOnce() -> Finding) {
        if encodings.ascii {
            self.py3.ascii = false;
        }
        if encodings.latin1 {
            self.py3.latin1 = false;
        }
        if encodings.bytes {
            self.py3.bytes = false;
        }
        if !self.full {
            return;
        }
        let f = f();
        let why = &mut self.blob.why_not;
        for (failed, slot) in [
            (encodings.ascii, &mut why.py3_ascii),
            (encodings.latin1, &mut why.py3_latin1),
            (encodings.bytes, &mut why.py3_bytes),
        ] {
            if failed && slot.is_none() {
                *slot = Some(format!("{}: {}", f.code, f.message));
            }
        }
        self.push(|| f);
    }

    fn fail2(&mut self, f: impl FnOnce() -> Finding) {
        self.py2_ok = false;
        if !self.full {
            return;
        }
        let f = f();
        if self.blob.why_not.py2.is_none() {
            self.blob.why_not.py2 = Some(format!("{}: {}", f.code, f.message));
        }
        self.push(|| f);
    }

    /// Records a finding (built only when findings are wanted), once.
    fn push(&mut self, f: impl FnOnce() -> Finding) {
        if !self.full {
            return;
        }
        let f = f();
        if !self.blob.findings.contains(&f) {
            self.blob.findings.push(f);
        }
    }

    fn globals(&mut self) {
        let tables = Tables::get();
        let mut third_party: Vec<String> = Vec::new();
        let sim = self.sim;
        for id in &sim.global_ids {
            let Some(Node::Global(g)) = node_at(sim, *id) else {
                continue;
            };
            let written = || format!("{}.{}", g.module, g.name);
            if self.full {
                let written = written();
                if !self.blob.globals.contains(&written) {
                    self.blob.globals.push(written);
                }
            }
            let (m3, n3) = g.py3_name();
            let danger = tables
                .danger(&g.module, &g.name)
                .or_else(|| tables.danger(m3, n3));
            if let Some(why) = danger {
                self.blob.dangerous = true;
                self.push(|| {
                    finding(
                        "DANGEROUS-GLOBAL",
                        format!("{} {} (offset {})", written(), why, g.offset),
                    )
                });
            } else if !(on_allow_list(&g.module, &g.name) && on_allow_list(m3, n3)) {
                self.unknown = true;
                if self.full {
                    let written = written();
                    if !self.blob.unknown_globals.contains(&written) {
                        self.blob.findings.push(unknown_global(&written));
                        self.blob.unknown_globals.push(written);
                    }
                }
            }
            match tables.py2_existence(&g.module, &g.name) {
                Existence::Exists => {}
                Existence::Missing(why) => self.fail2(|| {
                    finding(
                        "PY2-MISSING-GLOBAL",
                        format!("Python 2 cannot load {}: {}", written(), why),
                    )
                }),
                Existence::ThirdParty => {
                    if self.full && !third_party.iter().any(|m| *m == g.module) {
                        third_party.push(g.module.to_string());
                    }
                }
            }
            match tables.py3_existence(m3, n3) {
                Existence::Exists => {}
                Existence::Missing(why) => self.fail3(Encodings::ALL, || {
                    finding(
                        "PY3-MISSING-GLOBAL",
                        format!(
                            "Python 3 cannot load {} (looked up as {}.{}): {}",
                            written(),
                            m3,
                            n3,
                            why
                        ),
                    )
                }),
                Existence::ThirdParty => {
                    if self.full && !third_party.iter().any(|m| m == m3) {
                        third_party.push(m3.to_string());
                    }
                }
            }
        }
        for module in third_party {
            self.push(|| {
                finding(
                    "NEEDS-MODULE",
                    format!(
                        "needs module {} importable by the reader (not judged: outside the standard library)",
                        module
                    ),
                )
            });
        }
    }

    /// The class an object is made of, when it is not on the allow-list: `module.name`.
    /// `copy_reg._reconstructor(cls, base, state)` (Python 2's protocol 0 and 1 objects) is
    /// the class in its first argument.
    fn custom_class(&self, obj: &simulate::Object) -> Option<String> {
        let sim = self.sim;
        let mut class = obj.class;
        if let Some(Node::Global(g)) = node_at(sim, class) {
            let (module, name) = g.py3_name();
            if (module, name) == ("copyreg", "_reconstructor") {
                if let Some(Node::Tuple(span)) = node_at(sim, obj.args) {
                    class = *sim.items(*span).first()?;
                }
            }
        }
        let Some(Node::Global(g)) = node_at(sim, class) else {
            return None;
        };
        let (module, name) = g.py3_name();
        (!on_allow_list(module, name)).then(|| format!("{module}.{name}"))
    }

    /// Whether a py2 str is reachable from `roots` (at most 10,000 nodes visited).
    fn holds_py2_str(&self, roots: impl IntoIterator<Item = NodeId>) -> bool {
        let sim = self.sim;
        let mut stack: Vec<NodeId> = roots.into_iter().collect();
        let mut budget = 10_000usize;
        while let Some(id) = stack.pop() {
            budget = match budget.checked_sub(1) {
                Some(b) => b,
                None => return false,
            };
            match node_at(sim, id) {
                Some(Node::Py2Str(_)) => return true,
                Some(Node::Tuple(span)) => stack.extend_from_slice(sim.items(*span)),
                Some(Node::List(items) | Node::Set(items) | Node::FrozenSet(items)) => {
                    stack.extend_from_slice(items)
                }
                Some(Node::Dict(entries)) => {
                    stack.extend(entries.iter().flat_map(|&(k, v)| [k, v]))
                }
                _ => {}
            }
        }
        false
    }

    /// Objects of classes outside the allow-list that get py2 strs (see
    /// [`BlobAudit::bytes_depends_on`]).
    fn classes_given_py2_strs(&mut self) {
        // A detail, like the globals: the verdict-only audit leaves it empty.
        if !self.full {
            return;
        }
        let sim = self.sim;
        for id in &sim.object_ids {
            let Some(Node::Object(obj)) = node_at(sim, *id) else {
                continue;
            };
            let Some(class) = self.custom_class(obj) else {
                continue;
            };
            if self.blob.bytes_depends_on.contains(&class) {
                continue;
            }
            let roots = obj
                .state
                .iter()
                .copied()
                .chain([obj.args])
                .chain(obj.kwargs)
                .chain(obj.items.iter().copied())
                .chain(obj.entries.iter().flat_map(|&(k, v)| [k, v]));
            if self.holds_py2_str(roots) {
                let message = format!(
                    "{class} gets bytes under encoding='bytes' where Python 2 gave it str: whether it loads, and what its objects hold, depends on the class"
                );
                self.push(|| finding("PY3-BYTES-CLASS", message));
                self.blob.bytes_depends_on.push(class);
            }
        }
    }

    fn objects(&mut self) {
        let sim = self.sim;
        if self.py3.bytes {
            self.classes_given_py2_strs();
        }
        for id in &sim.object_ids {
            let Some(Node::Object(obj)) = node_at(sim, *id) else {
                continue;
            };
            if obj.ctor != Ctor::Reduce {
                continue;
            }
            let Some(Node::Global(callable)) = node_at(sim, obj.class) else {
                continue;
            };
            let (module, name) = callable.py3_name();
            let args: &[NodeId] = match node_at(sim, obj.args) {
                Some(Node::Tuple(span)) => sim.items(*span),
                _ => continue,
            };
            if (module, name) == ("builtins", "getattr") {
                if let Some(Node::Py2Str(_)) = args.get(1).and_then(|a| node_at(sim, *a)) {
                    self.fail3(BYTES_ONLY, || {
                        finding(
                            "PY3-BYTES-ARG",
                            "getattr() attribute name becomes bytes under encoding='bytes'",
                        )
                    });
                }
            }
            if (module, name) == ("builtins", "bytearray") {
                self.bytearray_args(args);
            }
            let first = args.first().and_then(|a| node_at(sim, *a));
            let Some(Node::Py2Str(state)) = first else {
                continue;
            };
            match (module, name) {
                ("datetime", "datetime" | "date" | "time") => {
                    let (size, sane) = match name {
                        "datetime" => (10, state.get(2).is_some_and(|m| (1..=12).contains(&(m & 0x7f)))),
                        "date" => (4, state.get(2).is_some_and(|m| (1..=12).contains(m))),
                        _ => (6, state.first().is_some_and(|h| (h & 0x7f) < 24)),
                    };
                    if state.len() != size || !sane {
                        let bad_state = || {
                            finding(
                                "PY3-DATETIME-STATE",
                                format!("datetime.{} state is not a valid {}-byte pickle state: TypeError in Python 2 and 3", name, size),
                            )
                        };
                        if self.py2_ok && self.full {
                            self.blob.why_not.py2 = Some(format!(
                                "PY3-DATETIME-STATE: {}",
                                bad_state().message
                            ));
                        }
                        self.py2_ok = false;
                        self.fail3(Encodings::ALL, bad_state);
                    } else if !state.is_ascii() {
                        self.push(|| {
                            finding(
                                "PY3-DATETIME-LATIN1",
                                format!(
                                    "datetime.{} written by Python 2 (state is a py2 str): Python 3 needs encoding='latin1' or 'bytes'",
                                    name
                                ),
                            )
                        });
                    }
                }
                ("decimal", "Decimal") | ("fractions", "Fraction") => self.fail3(BYTES_ONLY, || {
                    finding(
                        "PY3-BYTES-ARG",
                        format!("{}.{} rejects the bytes that encoding='bytes' makes of its py2 str argument", module, name),
                    )
                }),
                _ => {}
            }
        }
    }

    /// `bytearray(source[, encoding])` as Python 3 runs it on arguments a py2 str became:
    /// a str source needs an encoding, a bytes source must have none, and the encoding must
    /// be a str. A py2 str is a str under 'ASCII'/'latin1' and bytes under 'bytes'. Python 2
    /// itself writes `bytearray(unicode, 'latin-1')`, which fails only under 'bytes'.
    fn bytearray_args(&mut self, args: &[NodeId]) {
        let sim = self.sim;
        let kind = |i: usize| args.get(i).and_then(|a| node_at(sim, *a));
        match (kind(0), kind(1), args.len()) {
            (Some(Node::Py2Str(_)), _, 1) => self.fail3(TEXT_ONLY, || {
                finding(
                    "PY3-BYTEARRAY-STR",
                    "bytearray() of a py2 str: under encoding='ASCII'/'latin1' it gets a str without an encoding (TypeError); load with encoding='bytes'",
                )
            }),
            (Some(Node::Py2Str(_)), Some(Node::Py2Str(_) | Node::Text(_)), 2)
            | (Some(Node::Text(_)), Some(Node::Py2Str(_)), 2) => self.fail3(BYTES_ONLY, || {
                finding(
                    "PY3-BYTES-ARG",
                    "bytearray(str, encoding) with py2 str arguments: under encoding='bytes' they become bytes (TypeError)",
                )
            }),
            _ => {}
        }
    }

    fn strings_and_keys(&mut self) {
        if !self.full {
            // Only one verdict depends on the strings: a non-ASCII py2 str fails under ASCII.
            let non_ascii = self
                .sim
                .nodes
                .iter()
                .any(|n| matches!(n, Node::Py2Str(b) if !b.is_ascii()));
            if non_ascii {
                self.py3.ascii = false;
            }
            return;
        }
        let sim = self.sim;
        let (mut py2_strs, mut non_ascii, mut utf8_text, mut texts, mut bytes) =
            (0usize, 0usize, 0usize, 0usize, 0usize);
        let mut example: Option<String> = None;
        let (mut str_keys, mut mixed_dicts, mut collisions) = (0usize, 0usize, 0usize);
        for node in &sim.nodes {
            match node {
                Node::Py2Str(b) => {
                    py2_strs += 1;
                    if !b.is_ascii() {
                        non_ascii += 1;
                        if let Ok(text) = std::str::from_utf8(b) {
                            utf8_text += 1;
                            if example.is_none() {
                                let mojibake: String =
                                    b.iter().map(|c| char::from(*c)).take(40).collect();
                                example = Some(format!(
                                    "{:?} would read as {:?}",
                                    text.chars().take(20).collect::<String>(),
                                    mojibake
                                ));
                            }
                        }
                    }
                }
                Node::Text(_) => texts += 1,
                Node::Bytes(_) => bytes += 1,
                Node::Dict(entries) => {
                    let (mut strs, mut text_keys) = (0usize, 0usize);
                    for (k, _) in entries {
                        match node_at(sim, *k) {
                            Some(Node::Py2Str(_)) => strs += 1,
                            Some(Node::Text(_)) => text_keys += 1,
                            _ => {}
                        }
                    }
                    str_keys += strs;
                    if strs > 0 && text_keys > 0 {
                        mixed_dicts += 1;
                        // Under ASCII/latin1 a py2 str key decodes to the same str as a
                        // unicode key with the same Latin-1 text.
                        let texts: std::collections::HashSet<String> = entries
                            .iter()
                            .filter_map(|(k, _)| match node_at(sim, *k) {
                                Some(Node::Text(t)) => Some(t.to_string()),
                                _ => None,
                            })
                            .collect();
                        let collide = entries.iter().any(|(k, _)| match node_at(sim, *k) {
                            Some(Node::Py2Str(b)) => texts
                                .contains(&b.iter().map(|c| char::from(*c)).collect::<String>()),
                            _ => false,
                        });
                        if collide {
                            collisions += 1;
                        }
                    }
                }
                _ => {}
            }
        }
        if non_ascii > 0 {
            self.fail3(
                Encodings { ascii: true, latin1: false, bytes: false },
                || finding(
                    "PY3-NONASCII-STR",
                    format!(
                        "{} py2 str value(s) hold non-ASCII bytes: Python 3's default encoding='ASCII' raises UnicodeDecodeError; pass encoding='latin1' or 'bytes'",
                        non_ascii
                    ),
                ),
            );
        }
        if py2_strs > 0 {
            self.push(|| finding(
                "MEANING-PY2-STR",
                format!(
                    "{} py2 str value(s) load in Python 3 as str with encoding='ASCII'/'latin1' (right for text, wrong type for binary data) or as bytes with encoding='bytes' (breaks text)",
                    py2_strs
                ),
            ));
        }
        if non_ascii > utf8_text {
            self.push(|| finding(
                "MEANING-BINARY-AS-STR",
                format!(
                    "{} py2 str value(s) hold binary data (not UTF-8): encoding='latin1' makes them str, so code expecting bytes breaks; encoding='bytes' keeps them bytes",
                    non_ascii - utf8_text
                ),
            ));
        }
        let numpy = self.blob.globals.iter().any(|g| g.starts_with("numpy."));
        if numpy && py2_strs > 0 {
            self.push(|| finding(
                "NUMPY-PY2",
                "numpy arrays written by Python 2 carry their data as py2 str: load with encoding='latin1' (numpy's documented choice)",
            ));
        }
        if utf8_text > 0 {
            self.push(|| finding(
                "MEANING-UTF8-AS-LATIN1",
                format!(
                    "{} py2 str value(s) look like UTF-8 text: encoding='latin1' gives mojibake, e.g. {}",
                    utf8_text,
                    example.unwrap_or_default()
                ),
            ));
        }
        if str_keys > 0 {
            self.push(|| finding(
                "MEANING-STR-KEYS",
                format!("{} dict key(s) are py2 str: with encoding='bytes' they become bytes and d['key'] no longer finds them", str_keys),
            ));
        }
        if mixed_dicts > 0 {
            self.push(|| finding(
                "MEANING-MIXED-KEYS",
                format!("{} dict(s) mix py2 str and unicode keys: equal in Python 2, distinct under encoding='bytes'", mixed_dicts),
            ));
        }
        if collisions > 0 {
            self.push(|| finding(
                "MEANING-KEY-COLLISION",
                format!("{} dict(s) hold a py2 str key and a unicode key with the same text: Python 3 (ASCII/latin1) keeps only the last", collisions),
            ));
        }
        if texts > 0 && py2_strs == 0 {
            self.push(|| {
                finding(
                    "MEANING-UNICODE-IN-PY2",
                    format!(
                        "{} str value(s) load in Python 2 as unicode (u'...')",
                        texts
                    ),
                )
            });
        }
        let codecs_bytes = self.blob.globals.iter().any(|g| g == "_codecs.encode");
        if bytes > 0 || codecs_bytes {
            self.push(|| {
                finding(
                    "MEANING-BYTES-IN-PY2",
                    "bytes values load in Python 2 as str",
                )
            });
        }
    }
}

/// Fails under `encoding='bytes'` only.
const BYTES_ONLY: Encodings = Encodings {
    ascii: false,
    latin1: false,
    bytes: true,
};

/// Fails under `encoding='ASCII'` and `'latin1'` (where a py2 str becomes a str).
const TEXT_ONLY: Encodings = Encodings {
    ascii: true,
    latin1: true,
    bytes: false,
};

/// Turns a simulation into a verdict, with findings and globals.
pub fn judge(sim: &Simulation<'_>) -> BlobAudit {
    judge_with(sim, Detail::Full)
}

/// Turns a simulation into a verdict, with as much detail as asked for.
pub fn judge_with(sim: &Simulation<'_>, detail: Detail) -> BlobAudit {
    let mut j = Judge {
        sim,
        py2_ok: true,
        py3: Py3Loadable {
            ascii: true,
            latin1: true,
            bytes: true,
        },
        blob: BlobAudit::default(),
        full: detail == Detail::Full,
        unknown: false,
    };
    if sim.opcode_count > 0 {
        let proto = sim.proto_opcode.unwrap_or(0).max(sim.max_opcode_proto);
        j.blob.protocol = Some(proto);
    }
    if let Some(p) = sim.proto_opcode.filter(|p| *p > 2) {
        j.fail2(|| {
            finding(
                "PY2-PROTOCOL",
                format!(
                    "protocol {}: Python 2 raises ValueError: unsupported pickle protocol: {}",
                    p, p
                ),
            )
        });
    }
    if let Some((name, offset)) = sim.py3_only_opcode {
        j.fail2(|| {
            finding(
                "PY2-OPCODE",
                format!(
                    "opcode {} (offset {}) is unknown to Python 2.7",
                    name, offset
                ),
            )
        });
    }
    for f in &sim.py2_failures {
        j.fail2(|| f.clone());
    }
    for (enc, f) in &sim.py3_failures {
        j.fail3(*enc, || f.clone());
    }
    j.globals();
    j.objects();
    j.strings_and_keys();
    if let Some(e) = &sim.error {
        j.blob.error = Some(e.to_string());
        j.py2_ok = false;
        j.py3 = Py3Loadable::default();
    }
    j.blob.py2_loadable = j.py2_ok;
    j.blob.py3_loadable = j.py3;
    j.blob.safe = !j.blob.dangerous && !j.unknown;
    j.blob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn py2_non_ascii_str() {
        // Python 2.7: pickle.dumps({'a': '\xe7\x88\xb1'}, 2)
        let blob = b"\x80\x02}q\x00U\x01aq\x01U\x03\xe7\x88\xb1q\x02s.";
        let a = audit(blob);
        assert_eq!(a.protocol, Some(2));
        assert!(a.py2_loadable);
        assert_eq!(
            a.py3_loadable,
            Py3Loadable {
                ascii: false,
                latin1: true,
                bytes: true
            }
        );
        assert!(a.error.is_none());
    }

    #[test]
    fn py3_protocol_4() {
        let blob = b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94.";
        let a = audit(blob);
        assert_eq!(a.protocol, Some(4));
        assert!(!a.py2_loadable);
        assert_eq!(
            a.py3_loadable,
            Py3Loadable {
                ascii: true,
                latin1: true,
                bytes: true
            }
        );
    }

    #[test]
    fn bytearray_of_py2_str() {
        let loads = |blob: &[u8]| {
            let a = audit(blob);
            assert_eq!(audit_verdict(blob).py3_loadable, a.py3_loadable);
            let p = a.py3_loadable;
            (p.ascii, p.latin1, p.bytes)
        };
        // Checked with CPython 3.11's pickle.loads under each encoding.
        assert_eq!(
            loads(b"c__builtin__\nbytearray\n(S'\\xff\\x00'\ntR."),
            (false, false, true)
        );
        assert_eq!(
            loads(b"c__builtin__\nbytearray\n(S'ab'\ntR."),
            (false, false, true)
        );
        // What Python 2.7 writes: bytearray(u'...', 'latin-1').
        assert_eq!(
            loads(b"c__builtin__\nbytearray\n(V\xff\x00\nS'latin-1'\ntR."),
            (true, true, false)
        );
        assert_eq!(
            loads(b"c__builtin__\nbytearray\n(S'ab'\nVlatin-1\ntR."),
            (true, true, false)
        );
        assert_eq!(
            loads(b"c__builtin__\nbytearray\n(I3\ntR."),
            (true, true, true)
        );
    }

    #[test]
    fn os_system_is_dangerous() {
        let a = audit(b"cos\nsystem\n(S'echo hi'\ntR.");
        assert!(a.dangerous);
        assert_eq!(a.globals, vec!["os.system".to_string()]);
    }

    #[test]
    fn errors() {
        assert!(audit(b"").error.is_some());
        assert!(audit(b"0.").error.unwrap().contains("underflow"));
        assert!(audit(b"h\x05.").error.unwrap().contains("memo"));
    }
}
