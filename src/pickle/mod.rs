//! Static pickle auditor: will this blob load on Python 2, on Python 3, and mean the same thing?
//!
//! Reads pickle opcodes ([`reader`], zero-copy over `&[u8]`) and simulates the unpickler on an
//! abstract stack ([`simulate`]) without ever importing, calling or executing anything. The
//! [`verdict`] turns the simulation into a [`BlobAudit`]. I/O lives only in [`cli`] and
//! [`files`]; [`container`] finds the pickles inside a file (streams, zlib, gzip, Django cache).
//!
//! What is judged, and how:
//! - **Python 2.7**: protocol <= 2, only opcodes of protocols 0-2, and every global in a module
//!   Python 2.7 has (Python 3-only standard modules such as `pathlib` fail).
//! - **Python 3** per `encoding=` ('ASCII' default, 'latin1', 'bytes'), as CPython 3's
//!   `pickle.loads` does (checked against CPython on a generated corpus): py2 `str` with
//!   non-ASCII bytes fails under ASCII; `datetime`/`date`/`time` states are checked as
//!   CPython's constructors check them; `decimal.Decimal`/`fractions.Fraction` reject bytes;
//!   globals are renamed as `_compat_pickle` renames them at protocol < 3, and a renamed
//!   name missing from Python 3 fails.
//! - **Not judged**: modules outside both standard libraries (application code, numpy...) give
//!   a `NEEDS-MODULE` finding and do not change loadability; what arbitrary callables do with
//!   their arguments is not known.
//! - **Meaning**: `MEANING-*` findings for py2 `str` read as `str` or `bytes`, mixed or
//!   colliding dict keys, UTF-8 text that latin1 turns into mojibake, Python 3 `str` read by
//!   Python 2 as `unicode`.
//! - **Safety**: an allow-list ([`names::SAFE_GLOBALS`]: builtin containers and scalars,
//!   datetime, decimal, collections, copyreg reconstructors, plus `[tool.py2to3.pickle] allow`
//!   of the configuration). Any other global is an `UNKNOWN-GLOBAL` and fails
//!   `--require safe`; the block list (`fixers/pickle/dangerous.tsv`) only says why a known
//!   gadget is dangerous (`DANGEROUS-GLOBAL`, `pickle audit` exits 1).
//! - **Memory**: files are memory-mapped ([`files`]); decompression streams with a cap
//!   (`--max-blob-size`, 64 MiB; past it a `BLOB-TOO-LARGE` finding) and measures the size
//!   before keeping anything ([`container`]).
//! - **Limits**: nesting depth, memo size and value count are bounded ([`simulate::Limits`]);
//!   no length read from the input is allocated before it is checked against the bytes left.

pub mod blob;
pub mod cli;
pub mod codes;
pub mod container;
pub mod files;
pub mod names;
pub mod opcodes;
pub mod quick;
pub mod reader;
pub mod render;
pub mod simulate;
pub mod strings;
pub mod verdict;
pub mod write;

pub use verdict::{audit, BlobAudit, Finding, Py3Loadable};
