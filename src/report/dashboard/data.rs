//! Audit data added to the page with `--data FILE`: the JSON of `py2to3 pickle audit
//! --output-format json` (one object a line, one per blob) or of `py2to3 memcache audit
//! --output-format json` (a summary object, after one `"type": "item"` record a line with
//! `--items`).
//!
//! The records are read as plain JSON values, so a file written by an older or newer
//! py2to3 still shows what it has.

use std::collections::BTreeMap;

use serde_json::Value;

/// One `--data` file, read.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSection {
    Pickle(PickleData),
    Memcache(MemcacheData),
}

/// A pickle audit: one record per blob.
#[derive(Debug, Clone, PartialEq)]
pub struct PickleData {
    /// The file it was read from.
    pub source: String,
    pub blobs: Vec<PickleBlob>,
}

/// One blob of a pickle audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickleBlob {
    pub path: String,
    pub protocol: Option<u64>,
    pub verdict: Verdict,
    pub dangerous: bool,
    /// (code, message) of each finding.
    pub findings: Vec<(String, String)>,
    pub error: Option<String>,
}

/// Where one blob or item stands: the memcache auditor's verdict.
pub use crate::memcache::verdict::Verdict;

/// How the page shows a verdict.
pub trait VerdictView: Copy {
    /// The name the JSON uses.
    fn key(self) -> &'static str;
    /// What the page says.
    fn label(self) -> &'static str;
    /// Whether the page marks it as fine (green), something to act on (amber) or broken (red).
    fn severity(self) -> &'static str;
}

impl VerdictView for Verdict {
    fn key(self) -> &'static str {
        self.name()
    }

    fn label(self) -> &'static str {
        match self {
            Verdict::LoadsOnBoth => "loads on Python 2 and 3",
            Verdict::NeedsLatin1 => "Python 3 needs encoding=\"latin1\"",
            Verdict::NeedsBytes => "Python 3 needs encoding=\"bytes\"",
            Verdict::Py2Only => "Python 2 only",
            Verdict::Py3Only => "Python 3 only",
            Verdict::Unreadable => "unreadable",
            Verdict::NotPickled => "not a pickle",
            Verdict::UnknownFlags => "unknown client flags",
        }
    }

    fn severity(self) -> &'static str {
        match self {
            Verdict::LoadsOnBoth | Verdict::NotPickled | Verdict::Py3Only => "ok",
            Verdict::NeedsLatin1 | Verdict::NeedsBytes | Verdict::UnknownFlags => "warn",
            Verdict::Py2Only | Verdict::Unreadable => "bad",
        }
    }
}

fn verdict_from_key(key: &str) -> Option<Verdict> {
    Verdict::ALL.into_iter().find(|v| v.key() == key)
}

/// The verdict of a pickle audit record, decided as the memcache auditor decides it
/// (`memcache::verdict::pickle_verdict`).
fn verdict_of_blob(py2: bool, ascii: bool, latin1: bool, bytes: bool, error: bool) -> Verdict {
    if error {
        Verdict::Unreadable
    } else if py2 && ascii {
        Verdict::LoadsOnBoth
    } else if py2 && latin1 {
        Verdict::NeedsLatin1
    } else if py2 && bytes {
        Verdict::NeedsBytes
    } else if py2 {
        Verdict::Py2Only
    } else if ascii || latin1 || bytes {
        Verdict::Py3Only
    } else {
        Verdict::Unreadable
    }
}

/// A memcache audit: the summary and, with `--items`, the item records.
#[derive(Debug, Clone, PartialEq)]
pub struct MemcacheData {
    pub source: String,
    /// Items scanned.
    pub items_scanned: u64,
    /// Pickled items.
    pub pickled: u64,
    /// Pickles that would run code or import unusual modules.
    pub dangerous: u64,
    /// Some items were not scanned.
    pub partial: bool,
    /// The client library the flags point to.
    pub client: String,
    /// Items by verdict.
    pub verdicts: BTreeMap<Verdict, u64>,
    /// Per server: (address, items scanned, items by verdict).
    pub servers: Vec<(String, u64, BTreeMap<Verdict, u64>)>,
    /// Per key prefix: (prefix, items scanned, items by verdict).
    pub prefixes: Vec<(String, u64, BTreeMap<Verdict, u64>)>,
    /// Sample keys by problem.
    pub samples: Vec<(String, Vec<String>)>,
    /// Errors and notes of the scan.
    pub notes: Vec<String>,
    /// Item records (`--items`): (server, key, verdict), the ones not fine only.
    pub problem_items: Vec<(String, String, Verdict)>,
}

/// Reads one `--data` file's text (`source` names it on the page).
pub fn parse(source: &str, text: &str) -> Result<DataSection, String> {
    let mut values = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        values.push(value.map_err(|e| format!("{source}: not JSON: {e}"))?);
    }
    let summary = values
        .iter()
        .find(|v| v.get("items_scanned").is_some() && v.get("type").is_none());
    if let Some(summary) = summary {
        return Ok(DataSection::Memcache(memcache(source, summary, &values)));
    }
    let blobs: Vec<PickleBlob> = values.iter().filter_map(pickle_blob).collect();
    if blobs.is_empty() || blobs.len() != values.len() {
        return Err(format!(
            "{source}: neither `pickle audit --output-format json` nor `memcache audit \
             --output-format json` output"
        ));
    }
    Ok(DataSection::Pickle(PickleData {
        source: source.to_string(),
        blobs,
    }))
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn number(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// One record of `pickle audit --output-format json`, or `None` if it is not one.
fn pickle_blob(v: &Value) -> Option<PickleBlob> {
    let path = text(v, "path")?;
    let py2 = v.get("py2_loadable")?.as_bool()?;
    let py3 = v.get("py3_loadable")?;
    let error = text(v, "error");
    let findings = v
        .get("findings")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|f| {
                    (
                        text(f, "code").unwrap_or_default(),
                        text(f, "message").unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Some(PickleBlob {
        path,
        protocol: v.get("protocol").and_then(Value::as_u64),
        verdict: verdict_of_blob(
            py2,
            flag(py3, "ascii"),
            flag(py3, "latin1"),
            flag(py3, "bytes"),
            error.is_some(),
        ),
        dangerous: flag(v, "dangerous"),
        findings,
        error,
    })
}

/// Items by verdict from a counts object (the summary's verdict fields).
fn verdict_counts(v: &Value) -> BTreeMap<Verdict, u64> {
    Verdict::ALL
        .into_iter()
        .map(|verdict| (verdict, number(v, verdict.key())))
        .collect()
}

fn memcache(source: &str, summary: &Value, values: &[Value]) -> MemcacheData {
    let servers = summary
        .get("servers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|s| {
                    (
                        text(s, "server").unwrap_or_default(),
                        number(s, "items_scanned"),
                        verdict_counts(s),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let prefixes = summary
        .get("by_prefix")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(prefix, c)| {
                    (
                        prefix.clone(),
                        number(c, "items_scanned"),
                        verdict_counts(c),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let samples = summary
        .get("samples")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(problem, keys)| {
                    let keys = keys
                        .as_array()
                        .map(|k| {
                            k.iter()
                                .filter_map(|k| k.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    (problem.clone(), keys)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut notes = Vec::new();
    for key in ["errors", "notes"] {
        if let Some(list) = summary.get(key).and_then(Value::as_array) {
            notes.extend(list.iter().filter_map(|n| n.as_str().map(str::to_string)));
        }
    }
    let problem_items = values
        .iter()
        .filter(|v| v.get("type").and_then(Value::as_str) == Some("item"))
        .filter_map(|v| {
            let verdict = verdict_from_key(v.get("verdict")?.as_str()?)?;
            (verdict.severity() != "ok").then(|| {
                (
                    text(v, "server").unwrap_or_default(),
                    text(v, "key").unwrap_or_default(),
                    verdict,
                )
            })
        })
        .collect();
    MemcacheData {
        source: source.to_string(),
        items_scanned: number(summary, "items_scanned"),
        pickled: number(summary, "pickled"),
        dangerous: number(summary, "dangerous"),
        partial: flag(summary, "partial"),
        client: text(summary, "client_detected").unwrap_or_default(),
        verdicts: verdict_counts(summary),
        servers,
        prefixes,
        samples,
        notes,
        problem_items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pickle_audit_lines() {
        let text = r#"{"path":"a.pkl","protocol":2,"py2_loadable":true,"py3_loadable":{"ascii":false,"latin1":true,"bytes":true},"dangerous":false,"globals":[],"findings":[{"code":"PY3-NONASCII-STR","message":"m"}],"error":null}
{"path":"b.pkl","protocol":null,"py2_loadable":false,"py3_loadable":{"ascii":false,"latin1":false,"bytes":false},"dangerous":false,"globals":[],"findings":[],"error":"truncated"}
"#;
        let DataSection::Pickle(data) = parse("audit.json", text).unwrap() else {
            panic!("not a pickle audit")
        };
        assert_eq!(data.blobs.len(), 2);
        assert_eq!(data.blobs[0].verdict, Verdict::NeedsLatin1);
        assert_eq!(data.blobs[0].protocol, Some(2));
        assert_eq!(data.blobs[0].findings[0].0, "PY3-NONASCII-STR");
        assert_eq!(data.blobs[1].verdict, Verdict::Unreadable);
        assert!(parse("x", "[1, 2]").is_err());
        assert!(parse("x", "{").is_err());
        assert!(parse("x", "").is_err());
    }

    #[test]
    fn reads_memcache_summary_after_item_lines() {
        let text = r#"{"type":"item","server":"s:1","key":"k1","verdict":"py2_only"}
{"type":"item","server":"s:1","key":"k2","verdict":"loads_on_both"}
{"partial":false,"items_scanned":2,"pickled":2,"loads_on_both":1,"py2_only":1,"dangerous":0,"by_prefix":{"k":{"items_scanned":2,"loads_on_both":1,"py2_only":1}},"samples":{"py2_only":["k1"]},"client_detected":"python-memcached","errors":[],"notes":["n"],"servers":[{"server":"s:1","items_scanned":2,"loads_on_both":1,"py2_only":1}]}
"#;
        let DataSection::Memcache(data) = parse("mc.json", text).unwrap() else {
            panic!("not a memcache audit")
        };
        assert_eq!(data.items_scanned, 2);
        assert_eq!(data.verdicts[&Verdict::Py2Only], 1);
        assert_eq!(data.verdicts[&Verdict::NeedsBytes], 0);
        assert_eq!(data.servers[0].0, "s:1");
        assert_eq!(data.prefixes[0].1, 2);
        assert_eq!(
            data.samples,
            [("py2_only".to_string(), vec!["k1".to_string()])]
        );
        assert_eq!(data.notes, ["n"]);
        assert_eq!(
            data.problem_items,
            [("s:1".to_string(), "k1".to_string(), Verdict::Py2Only)]
        );
    }
}
