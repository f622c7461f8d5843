//! Fuzz the pickle reader, the unpickler simulation, the verdict, the container detection and
//! the renderers: no input may panic, and an unreadable blob never claims to be loadable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use py2to3::pickle::container::{find_blobs, ContainerOptions};
use py2to3::pickle::render::{disassemble, render_value, Py3Encoding, View};
use py2to3::pickle::simulate::{simulate, Limits};

fuzz_target!(|data: &[u8]| {
    let audit = py2to3::pickle::audit(data);
    if audit.error.is_some() {
        assert!(!audit.py2_loadable);
        assert!(
            !audit.py3_loadable.ascii && !audit.py3_loadable.latin1 && !audit.py3_loadable.bytes
        );
    }
    // The verdict-only audit must give exactly the full audit's verdict.
    let quick = py2to3::pickle::verdict::audit_verdict(data);
    assert_eq!(
        (
            quick.protocol,
            quick.py2_loadable,
            quick.py3_loadable,
            quick.dangerous,
            &quick.error
        ),
        (
            audit.protocol,
            audit.py2_loadable,
            audit.py3_loadable,
            audit.dangerous,
            &audit.error
        )
    );
    let sim = simulate(data, 0, Limits::default());
    for view in [
        View::Py2,
        View::Py3(Py3Encoding::Latin1),
        View::Py3(Py3Encoding::Bytes),
    ] {
        let _ = render_value(&sim, view);
    }
    let _ = disassemble(data);
    let options = ContainerOptions {
        max_blob_size: 1 << 20,
        ..ContainerOptions::default()
    };
    let _ = find_blobs(data, options);
});
