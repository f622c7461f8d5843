//! Memcache auditor: enumerates every item of live memcached servers (read-only) and runs each
//! pickled value through [`crate::pickle`].

pub mod cli;
