//! Where the installed CPython's stdlib is (asked of python3; the machine's known location when
//! python3 does not answer). Included with `#[path]` by the tests that read it.
#![allow(dead_code)]

use std::path::PathBuf;

/// The stdlib folder (`.../lib/python3.11`), which may not exist on this machine.
pub fn stdlib_dir() -> PathBuf {
    std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_else(|| PathBuf::from("/root/.pyenv/versions/3.11.7/lib/python3.11"))
}
