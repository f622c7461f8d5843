//! Running the engine over a tree: the folder walk ([`walk`]), the parallel driver
//! ([`driver`]), one file read, fixed or checked and written back ([`file`]), the result cache
//! ([`cache`]) and CI sharding ([`shard`]). Everything here does I/O; the engine below does none.

pub mod cache;
pub mod driver;
pub mod file;
pub mod folders;
pub mod shard;
pub mod walk;
