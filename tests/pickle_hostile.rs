//! Hostile input: the auditor must answer with a clear error or a dangerous flag, never panic,
//! and keep memory bounded. Payloads here are only built as bytes, never unpickled.

use std::time::Instant;

use py2to3::pickle::render::{disassemble, render_value, Py3Encoding, View};
use py2to3::pickle::simulate::{simulate, simulate_for_verdict, simulate_general, Limits};
use py2to3::pickle::verdict::audit_at;
use py2to3::pickle::verdict::judge;
use py2to3::pickle::verdict::{judge_with, Detail};
use py2to3::pickle::{audit, BlobAudit};

fn error_of(data: &[u8]) -> String {
    audit(data)
        .error
        .unwrap_or_else(|| panic!("expected an error for {:?}", &data[..data.len().min(40)]))
}

/// Every view of the blob, so that rendering is exercised too.
fn everything(data: &[u8]) -> BlobAudit {
    let a = audit(data);
    let sim = simulate(data, 0, Limits::default());
    for view in [
        View::Py2,
        View::Py3(Py3Encoding::Latin1),
        View::Py3(Py3Encoding::Bytes),
    ] {
        let _ = render_value(&sim, view);
    }
    let _ = disassemble(data);
    a
}

#[test]
fn truncated_blobs_name_the_offset() {
    let blob = b"\x80\x04\x95\x09\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94.";
    for cut in 0..blob.len() {
        let a = everything(&blob[..cut]);
        let e = a.error.expect("truncated blob must be an error");
        assert!(e.contains("offset"), "{}", e);
        assert!(
            !a.py2_loadable
                && !a.py3_loadable.ascii
                && !a.py3_loadable.latin1
                && !a.py3_loadable.bytes
        );
    }
    assert_eq!(
        error_of(b"\x80\x02U\x05ab"),
        "truncated at offset 2: SHORT_BINSTRING needs 5 bytes, 2 left"
    );
    assert_eq!(
        error_of(b"N"),
        "no STOP opcode before the end of input (offset 1)"
    );
}

#[test]
fn unknown_opcode_and_bad_memo() {
    assert_eq!(error_of(b"N\xff."), "unknown opcode 0xff at offset 1");
    assert_eq!(
        error_of(b"\x80\x02h\x05."),
        "memo value not found at index 5 at offset 2"
    );
    assert_eq!(error_of(b"g-1\n."), "negative GET argument at offset 0");
    assert_eq!(error_of(b"0."), "unpickling stack underflow at offset 0");
    assert_eq!(error_of(b"(a."), "unpickling stack underflow at offset 1");
    assert_eq!(error_of(b"N\x85e."), "could not find MARK at offset 2");
}

#[test]
fn huge_length_fields_are_not_allocated() {
    let len60 = (1u64 << 60).to_le_bytes();
    for opcode in [0x8e_u8, 0x8d, 0x96, 0x95] {
        let mut blob = vec![0x80, 0x05, opcode];
        blob.extend_from_slice(&len60);
        blob.extend_from_slice(b"xyz.");
        let start = Instant::now();
        let e = error_of(&blob);
        assert!(e.contains("1152921504606846976"), "{}", e);
        assert!(start.elapsed().as_millis() < 500);
    }
    // Four-byte lengths: 4 GiB - 1 (BINBYTES, BINUNICODE) and i32::MAX (BINSTRING, LONG4).
    for opcode in [b'B', b'X', b'T', 0x8b] {
        let mut blob = vec![0x80, 0x02, opcode];
        blob.extend_from_slice(if opcode == b'T' || opcode == 0x8b {
            &[0xff, 0xff, 0xff, 0x7f]
        } else {
            &[0xff; 4]
        });
        blob.push(b'.');
        assert!(error_of(&blob).contains("truncated"));
    }
    assert!(error_of(b"T\xff\xff\xff\xff.").contains("negative length -1"));
}

#[test]
fn a_million_nested_lists() {
    let n = 1_000_000;
    // EMPTY_LIST x n, then APPEND x (n - 1): [[[[...]]]]
    let mut blob = vec![b']'; n];
    blob.extend(std::iter::repeat_n(b'a', n - 1));
    blob.push(b'.');
    let start = Instant::now();
    let e = error_of(&blob);
    assert!(e.contains("nesting deeper than 10000"), "{}", e);
    // MARK x n
    let mut blob = vec![b'('; n];
    blob.push(b'.');
    assert!(error_of(&blob).contains("nested MARKs"));
    // LIST around LIST: (((...l)l)l
    let mut blob = vec![b'('; n];
    blob.extend(std::iter::repeat_n(b'l', n));
    blob.push(b'.');
    assert!(error_of(&blob).contains("limit"));
    assert!(start.elapsed().as_secs() < 20);
}

#[test]
fn billion_laughs_stays_small() {
    // Each level is a list of ten references to the previous one: 10^30 leaves if expanded.
    let mut blob = b"\x80\x02]q\x00".to_vec();
    for level in 0..30u8 {
        blob.push(b'(');
        for _ in 0..10 {
            blob.extend_from_slice(&[b'h', level]);
        }
        blob.extend_from_slice(&[b'l', b'q', level + 1]);
    }
    blob.push(b'.');
    let start = Instant::now();
    let a = everything(&blob);
    assert!(a.error.is_none());
    assert!(a.py3_loadable.ascii);
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn memo_and_value_limits() {
    let mut blob = b"\x80\x02N".to_vec();
    for i in 0..100u8 {
        blob.extend_from_slice(&[b'q', i]);
    }
    blob.push(b'.');
    let small = Limits {
        max_memo: 10,
        ..Limits::default()
    };
    let (a, _) = audit_at(&blob, 0, small);
    assert!(a
        .error
        .unwrap()
        .contains("more than 10 memo entries (limit)"));
    let tiny = Limits {
        max_nodes: 5,
        ..Limits::default()
    };
    let (a, _) = audit_at(b"(NNNNNNNNl.", 0, tiny);
    assert!(a.error.unwrap().contains("more than 5 values (limit)"));
}

#[test]
fn code_execution_payloads_are_dangerous() {
    let payloads: &[(&[u8], &str)] = &[
        (b"cos\nsystem\n(S'echo pwned'\ntR.", "os.system"),
        (b"cposix\nsystem\n(S'id'\ntR.", "posix.system"),
        (
            b"\x80\x04\x8c\x02nt\x8c\x06system\x93\x8c\x02id\x85R.",
            "nt.system",
        ),
        (
            b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x0b__import__()\x85R.",
            "builtins.eval",
        ),
        (b"c__builtin__\neval\n(S'1'\ntR.", "__builtin__.eval"),
        (
            b"csubprocess\ncheck_output\n((S'ls'\nltR.",
            "subprocess.check_output",
        ),
        (
            b"\x80\x02}U\x01xcbuiltins\nexec\nU\x011\x85Rs.",
            "builtins.exec",
        ),
        (
            b"c__builtin__\ngetattr\n(c__builtin__\nobject\nS'x'\ntR.",
            "__builtin__.getattr",
        ),
    ];
    for (blob, global) in payloads {
        let a = everything(blob);
        assert!(a.dangerous, "{} not flagged: {:?}", global, a);
        assert!(a.globals.iter().any(|g| g == global), "{:?}", a.globals);
        assert!(a
            .findings
            .iter()
            .any(|f| f.code == "DANGEROUS-GLOBAL" && f.message.contains(global)));
    }
    // A dangerous global seen before a structural error still flags the blob.
    let a = audit(b"cos\nsystem\n\xff");
    assert!(a.dangerous && a.error.is_some());
    assert!(!audit(b"cdatetime\ndate\n.").dangerous);
}

/// Deterministic xorshift generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Property test (the stable-toolchain companion of the cargo-fuzz target): random bytes and
/// mutated corpus blobs never panic, and a verdict with an error never claims loadability.
#[test]
fn random_and_mutated_bytes_never_panic() {
    let corpus_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pickle");
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for sub in ["py2", "py3", "edge"] {
        for entry in std::fs::read_dir(corpus_dir.join(sub)).expect("corpus") {
            let path = entry.expect("entry").path();
            let data = std::fs::read(&path).expect("blob");
            if data.len() < 4096 {
                seeds.push(data);
            }
        }
    }
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let opcodes = b"()0123FGIJKLMNPQRSTUVXabcdeghijlopqrstu}].\x80\x81\x82\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98";
    for round in 0..20_000 {
        let mut data = if round % 4 == 0 {
            // Random opcode soup with random small arguments.
            (0..rng.below(64))
                .map(|_| {
                    if rng.below(2) == 0 {
                        opcodes[rng.below(opcodes.len())]
                    } else {
                        rng.next() as u8
                    }
                })
                .collect()
        } else {
            seeds[rng.below(seeds.len())].clone()
        };
        for _ in 0..1 + rng.below(4) {
            if data.is_empty() {
                break;
            }
            let i = rng.below(data.len());
            match rng.below(4) {
                0 => data[i] = rng.next() as u8,
                1 => data[i] = opcodes[rng.below(opcodes.len())],
                2 => data.truncate(i),
                _ => {
                    let j = rng.below(data.len());
                    let b = data[j];
                    data.insert(i, b);
                }
            }
        }
        let a = everything(&data);
        // The fast path for frequent opcodes must agree with the general path exactly.
        let general = judge(&simulate_general(&data, 0, Limits::default()));
        let fast = judge(&simulate(&data, 0, Limits::default()));
        assert_eq!(fast, general, "fast and general paths differ on {:?}", data);
        let quick = judge_with(
            &simulate_for_verdict(&data, 0, Limits::default()),
            Detail::VerdictOnly,
        );
        let expected = py2to3::pickle::BlobAudit {
            globals: Vec::new(),
            unknown_globals: Vec::new(),
            findings: Vec::new(),
            why_not: Default::default(),
            bytes_depends_on: Vec::new(),
            ..general.clone()
        };
        assert_eq!(quick, expected, "verdict-only audit differs on {:?}", data);
        assert_eq!(
            audit_at(&data, 0, Limits::default()).0,
            general,
            "audit with shared scalars differs on {:?}",
            data
        );
        if a.error.is_some() {
            assert!(
                !a.py2_loadable
                    && !a.py3_loadable.ascii
                    && !a.py3_loadable.latin1
                    && !a.py3_loadable.bytes
            );
        }
    }
}
