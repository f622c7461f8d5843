//! The pickle auditor's finding codes, with a short title (printed next to the code in the
//! text output) and an explanation (`py2to3 explain CODE`).

/// One finding code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeDoc {
    /// The code, e.g. `PY3-NONASCII-STR`.
    pub code: &'static str,
    /// A few words, shown after the code in text output.
    pub title: &'static str,
    /// What it means and what to do.
    pub text: &'static str,
}

macro_rules! codes {
    ($($code:literal, $title:literal, $text:literal;)*) => {
        /// Every code the pickle auditor reports.
        pub const CODES: &[CodeDoc] = &[$(CodeDoc { code: $code, title: $title, text: $text }),*];
    };
}

codes! {
    "DANGEROUS-GLOBAL", "known gadget: runs code or touches the system",
        "The pickle names a global that is known to run code or touch the system when the \
         unpickler imports and calls it (os.system, subprocess, eval, timeit.timeit, pdb.run, ...). \
         Loading it with pickle.loads lets whoever wrote it run code. The message says why the \
         name is dangerous. Fails `--require safe`; `pickle audit` exits 1 on it.";
    "UNKNOWN-GLOBAL", "global outside the allow-list",
        "The pickle names a global that is not on the allow-list (builtin containers and \
         scalars, datetime, decimal, collections, copyreg reconstructors). Loading it imports \
         that module and may call the name with arguments from the pickle: it is only as safe as \
         the code behind it. Fails `--require safe`. Add names you trust to \
         `[tool.py2to3.pickle] allow = [\"mypkg.Model\", \"mypkg.models.*\"]` in pyproject.toml \
         (or py2to3.toml), or pass `--allow`.";
    "BLOB-TOO-LARGE", "decompressed size over the limit",
        "A compressed blob inflates to more than `--max-blob-size` bytes (64 MiB by default), \
         or more than that came from a pipe. It is not audited (unreadable), so memory stays \
         bounded on a decompression bomb. Raise `--max-blob-size` for legitimate large blobs.";
    "TRAILING-DATA", "bytes after STOP",
        "Bytes follow the pickle's STOP opcode. pickle.loads ignores them.";
    "NEEDS-MODULE", "needs a module outside the standard library",
        "A global lives in a module outside both standard libraries (application code, numpy, \
         ...). Whether it loads depends on that module being importable, under the same name, \
         by the reader; the auditor does not judge it.";
    "PY2-PROTOCOL", "protocol 3+: Python 2 cannot load it",
        "Pickle protocols 3, 4 and 5 are Python 3's. Python 2 raises `ValueError: unsupported \
         pickle protocol`. Write with protocol=2 for data Python 2 must read.";
    "PY2-OPCODE", "opcode unknown to Python 2.7",
        "An opcode of protocols 3-5 (bytes, frames, memoize, ...) that Python 2.7's unpickler \
         does not know.";
    "PY2-MISSING-GLOBAL", "global missing from Python 2",
        "The global does not exist in Python 2.7 (a Python 3-only module such as pathlib, or a \
         name added later).";
    "PY3-MISSING-GLOBAL", "global missing from Python 3",
        "Python 3 cannot find the global, even after `_compat_pickle` renames Python 2 names \
         (a module removed in Python 3, or a name such as `__builtin__.basestring`).";
    "PY3-NONASCII-STR", "non-ASCII py2 str: fails with the default encoding",
        "A Python 2 `str` holds bytes over 127. Python 3's `pickle.loads` decodes py2 str with \
         encoding='ASCII' by default and raises UnicodeDecodeError. Load with encoding='latin1' \
         (str) or encoding='bytes' (bytes).";
    "PY3-BYTES-CLASS", "under encoding='bytes', depends on the class",
        "An object of a class outside the allow-list gets py2 strs in its state or arguments. \
         Under encoding='bytes' they arrive as bytes, where Python 2 gave the class str: \
         Cookie.SimpleCookie raises CookieError, a plain class loads with bytes keys in its \
         __dict__ (its attributes are not found). The verdict for encoding='bytes' is `dep` \
         (depends on the class) and fails `--require py3-bytes`; load with encoding='latin1' \
         or convert the data (see `memcache migrate`).";
    "PY3-BYTES-ARG", "argument becomes bytes under encoding='bytes'",
        "A py2 str passed to a constructor (Decimal, Fraction, getattr, bytearray) becomes \
         bytes under encoding='bytes', which that constructor rejects.";
    "PY3-DATETIME-STATE", "invalid datetime state",
        "A datetime/date/time state is not the byte string of the right size and range: a \
         TypeError in Python 2 and 3.";
    "PY3-DATETIME-LATIN1", "Python 2 datetime: needs encoding='latin1' or 'bytes'",
        "Python 2 pickles datetime values with a binary py2 str state; Python 3 must load them \
         with encoding='latin1' or 'bytes'.";
    "PY3-BYTEARRAY-STR", "bytearray of a py2 str",
        "bytearray() of a py2 str: under encoding='ASCII'/'latin1' it gets a str without an \
         encoding (TypeError). Load with encoding='bytes'.";
    "MEANING-PY2-STR", "py2 str: str or bytes in Python 3",
        "Python 2 `str` values load in Python 3 as `str` (encoding='ASCII'/'latin1': right for \
         text, wrong for binary data) or as `bytes` (encoding='bytes': right for binary data, \
         breaks text).";
    "MEANING-BINARY-AS-STR", "binary data in a py2 str",
        "A py2 str holds bytes that are not UTF-8 text: encoding='latin1' makes it a str, so code \
         expecting bytes breaks; encoding='bytes' keeps it bytes.";
    "MEANING-UTF8-AS-LATIN1", "UTF-8 text read as latin1 (mojibake)",
        "A py2 str holds UTF-8 text; encoding='latin1' decodes it byte by byte into mojibake \
         (`café` becomes `cafÃ©`).";
    "MEANING-STR-KEYS", "py2 str dict keys",
        "Dict keys that are py2 str become bytes under encoding='bytes', so `d['key']` no longer \
         finds them.";
    "MEANING-MIXED-KEYS", "dict mixes str and unicode keys",
        "A dict holds py2 str and unicode keys: equal in Python 2 when ASCII, distinct under \
         encoding='bytes'.";
    "MEANING-KEY-COLLISION", "str and unicode keys collide",
        "A dict holds a py2 str key and a unicode key with the same text: Python 3 \
         (ASCII/latin1) keeps only the last.";
    "MEANING-UNICODE-IN-PY2", "Python 3 str is unicode in Python 2",
        "Python 3 `str` values load in Python 2 as `unicode`.";
    "MEANING-BYTES-IN-PY2", "bytes are str in Python 2",
        "Python 3 `bytes` values load in Python 2 as `str`.";
    "NUMPY-PY2", "numpy array from Python 2",
        "numpy arrays written by Python 2 carry their data as py2 str: load with \
         encoding='latin1' (numpy's documented choice).";
    "UNHASHABLE", "unhashable dict key or set item",
        "A list, dict, set or bytearray is used as a dict key or set item: TypeError on load.";
    "NOT-CALLABLE", "REDUCE on something not callable",
        "REDUCE or NEWOBJ applies a value that is not a class or function: the load fails.";
    "BAD-APPEND", "APPEND on something not a list",
        "APPEND/APPENDS on a value without append/extend: the load fails.";
    "BAD-SETITEM", "SETITEM on something not a dict",
        "SETITEM/SETITEMS on a value without item assignment: the load fails.";
    "BAD-ADDITEMS", "ADDITEMS on something not a set",
        "ADDITEMS on a value that is not a set: the load fails.";
    "BAD-BUILD", "BUILD on a value without state",
        "BUILD sets the state of a value that has none (an int, a str): the load fails.";
    "BAD-REDUCE", "REDUCE arguments are not a tuple",
        "REDUCE needs a tuple of arguments: the load fails.";
    "BAD-BUFFER", "buffer opcode on a non-buffer",
        "READONLY_BUFFER or NEXT_BUFFER on a value that is not a buffer: the load fails.";
    "OUT-OF-BAND", "out-of-band buffer",
        "Protocol 5 NEXT_BUFFER needs the buffers passed to pickle.loads(buffers=...).";
    "PROTOCOL", "unsupported protocol",
        "The PROTO opcode names a protocol the reader does not support.";
    "EXTENSION", "extension code",
        "EXT1/EXT2/EXT4 need the code registered with copyreg.add_extension in the reader.";
    "PERSISTENT-ID", "persistent id",
        "PERSID/BINPERSID need a persistent_load function in the reader (pickle.Unpickler \
         subclass); plain pickle.loads fails.";
    "STACK-GLOBAL", "STACK_GLOBAL on non-str",
        "STACK_GLOBAL needs two str values (module, name): the load fails.";
}

/// The documentation of `code` (case-insensitive).
pub fn find(code: &str) -> Option<&'static CodeDoc> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// The few words shown after a code in text output (the code itself when unknown).
pub fn title(code: &str) -> &'static str {
    find(code).map_or("", |c| c.title)
}

/// What `py2to3 explain CODE` prints for a pickle finding code.
pub fn explain_text(doc: &CodeDoc) -> String {
    format!(
        "# {} (pickle audit finding)\n\n{}.\n\n{}\n",
        doc.code, doc.title, doc.text
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the auditor's sources write is documented, and nothing else is.
    #[test]
    fn every_code_is_documented() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pickle");
        let mut used = std::collections::BTreeSet::new();
        for name in ["simulate.rs", "verdict.rs", "container.rs", "files.rs"] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            // Codes appear as the first argument of `finding(` / `fail_both(` or as
            // `code: "..."`.
            for piece in text.split('"').skip(1).step_by(2) {
                let looks_like_code = piece.len() > 4
                    && piece
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
                    && piece.chars().any(|c| c.is_ascii_uppercase());
                if looks_like_code && piece != "ASCII" {
                    used.insert(piece.to_string());
                }
            }
        }
        let documented: std::collections::BTreeSet<String> =
            CODES.iter().map(|c| c.code.to_string()).collect();
        let missing: Vec<_> = used.difference(&documented).collect();
        assert!(missing.is_empty(), "undocumented codes: {missing:?}");
        assert_eq!(documented.len(), CODES.len(), "a code is listed twice");
        assert_eq!(
            find("py3-nonascii-str").map(|c| c.code),
            Some("PY3-NONASCII-STR")
        );
    }
}
