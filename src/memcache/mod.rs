//! Memcache auditor: enumerates every item of live memcached servers (read-only) and runs each
//! pickled value through [`crate::pickle`].
//!
//! - [`conn`]: the text-protocol connection (TCP or unix socket), timeouts, errors.
//! - [`listing`]: key enumeration (`lru_crawler metadump`, or `stats cachedump` on old servers).
//! - [`fetch`]: batched value fetches (`mg` pipelines, or multi-key `get`).
//! - [`convention`]: what the flags mean for each Python client library.
//! - [`verdict`]: one item's verdict (decompress, pickle audit).
//! - [`tally`]: counts, per key prefix, with sample keys.
//! - [`scan`]: the per-server pipeline (listing thread, fetch threads).
//! - [`spool`]: the never-blocking, disk-spilling queue of key batches between them.
//! - [`purge`]: selecting items by verdict for deletion.
//! - [`migrate`]: rewriting incompatible pickles in place (compare-and-set).
//! - [`report`]: JSON and text output.
//! - [`cli`]: `py2to3 memcache audit|purge`.

pub mod cli;
pub mod conn;
pub mod convention;
pub mod fetch;
pub mod keys;
pub mod listing;
pub mod meta;
pub mod migrate;
pub mod purge;
pub mod report;
pub mod scan;
pub mod spool;
pub mod tally;
pub mod verdict;

use indicatif::ProgressBar;

pub use conn::ServerAddr;
pub use scan::{ItemVisitor, ScanOptions, ServerScan};

/// Scans several servers at once, one thread group each; results in the order given.
pub fn scan_servers(
    servers: &[ServerAddr],
    options: &ScanOptions,
    visitor: &dyn ItemVisitor,
    progress: Option<&ProgressBar>,
) -> Vec<ServerScan> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = servers
            .iter()
            .map(|addr| scope.spawn(move || scan::scan_server(addr, options, visitor, progress)))
            .collect();
        handles
            .into_iter()
            .zip(servers)
            .map(|(handle, addr)| {
                handle.join().unwrap_or_else(|_| ServerScan {
                    server: addr.to_string(),
                    partial: true,
                    errors: vec!["the scan thread crashed".into()],
                    ..Default::default()
                })
            })
            .collect()
    })
}
