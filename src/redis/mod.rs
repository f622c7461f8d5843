//! Redis auditor and migrator: the memcache tools' verdicts and rules for the pickles Python
//! applications keep in Redis (django-redis caches, Celery results and messages, RQ jobs).
//!
//! - [`resp`]: a small pipelined RESP client over `std::net::TcpStream`.
//! - [`scan`]: the read-only walk (SCAN, pipelined GET, HGETALL/LRANGE) and the conventions.
//! - [`audit`]: `redis audit`, reported as `memcache audit` reports.
//! - [`migrate`]: `redis migrate`, a Lua compare-and-set per rewrite.
//! - [`cli`]: `py2to3 redis audit|migrate`.
//!
//! Why our own client rather than the `redis` crate: four commands, pipelined, with replies
//! handed to the auditor straight from the read buffer; the crate would bring an async
//! runtime's worth of dependencies and a copy of every value.

pub mod audit;
pub mod cli;
pub mod migrate;
pub mod rdb;
pub mod rdb_encoding;
pub mod resp;
pub mod scan;
pub mod snapshot;
