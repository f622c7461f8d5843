//! py2to3: move Python 2 code, and the data it keeps, to Python 3.
//!
//! - [`source`]: bytes on disk <-> decoded text (encodings, BOM, newlines), atomic writes.
//! - [`tokens`]: a lossless tokenizer that accepts Python 2 and Python 3 alike.
//! - [`engine`]: edits, diagnostics, the per-file fix pipeline and the parallel driver.
//! - [`fixers`]: the fixer catalogue (one file a fixer) and its registry.
//! - [`commands`]: the `fix` and `check` commands (arguments and glue).
//! - [`report`]: output formats for `check`.
//! - [`pickle`]: static pickle auditor (never unpickles).
//! - [`memcache`]: live memcached auditor built on the pickle auditor.
//! - [`redis`]: the same audit and migration for pickles kept in Redis.

pub mod commands;
pub mod config;
pub mod engine;
pub mod exit;
pub mod fixers;
pub mod memcache;
pub mod pickle;
pub mod redis;
pub mod report;
pub mod run;
pub mod source;
pub mod syntax;
pub mod tokens;
