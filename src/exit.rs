//! The exit statuses every command shares, so that CI reads them alike: 0 when all is clean,
//! 1 when the run found something (findings, files a fix would change, data another Python
//! cannot load, a dangerous pickle), 2 when it could not do its job (bad arguments or
//! configuration, unreadable input, a server that does not answer).

use std::process::ExitCode;

/// Nothing found.
pub const CLEAN: ExitCode = ExitCode::SUCCESS;

/// Something found: findings, changes, incompatible or dangerous data.
pub const FOUND: ExitCode = ExitCode::FAILURE;

/// The run could not do its job: usage, configuration or I/O errors.
pub fn trouble() -> ExitCode {
    ExitCode::from(TROUBLE)
}

/// [`trouble`] as a number, for code that computes a status.
pub const TROUBLE: u8 = 2;

/// [`FOUND`] when `found`, else [`CLEAN`].
pub fn found_if(found: bool) -> ExitCode {
    if found {
        FOUND
    } else {
        CLEAN
    }
}
