//! `py2to3 redis migrate`: the rules of `memcache migrate` on Redis. The scan reads values as
//! the audit does; each string value a rewrite fixes is written by a Lua compare-and-set
//! ([`CAS_SCRIPT`], run with `EVALSHA` on a second connection): the new value is stored only
//! if the key still holds exactly the value read, with its remaining time to live. Values in
//! hash fields and list items are listed, not rewritten.

use std::time::Instant;

use super::audit::{analyse_value, member_name, redis_prefix, AuditOptions};
use super::resp::{RedisConn, RedisUrl, Reply};
use super::scan::{scan, Member, Visit};
use crate::memcache::migrate::{plan, MigrateCounts, MigrateLog, Pace, Plan, ServerMigration};
use crate::memcache::tally::Tally;
use crate::memcache::verdict::Verdict;
use crate::pickle::verdict::Detail;
use crate::pickle::write::StrPolicy;

/// Sets KEYS[1] to ARGV[2] only if it holds ARGV[1], keeping its TTL. Returns 1 when written,
/// 0 when the value changed, -1 when the key is gone.
pub const CAS_SCRIPT: &str = "local cur = redis.call('GET', KEYS[1])
if cur == false then return -1 end
if cur ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
else redis.call('SET', KEYS[1], ARGV[2]) end
return 1";

struct Pending {
    key: Vec<u8>,
    old: Vec<u8>,
    new: Vec<u8>,
    verdict: Verdict,
}

struct Migrator<'a> {
    options: &'a AuditOptions,
    policy: StrPolicy,
    server: String,
    writer: Option<(RedisConn, Vec<u8>)>,
    pace: &'a Pace,
    log: &'a dyn MigrateLog,
    tally: Tally,
    counts: MigrateCounts,
    pending: Vec<Pending>,
    scratch: Vec<u8>,
}

impl Visit for Migrator<'_> {
    fn value(&mut self, key: &[u8], member: Member<'_>, value: &[u8]) {
        let Some((flags, analysis, convention)) =
            analyse_value(member, value, &mut self.scratch, Detail::VerdictOnly)
        else {
            return;
        };
        let name = member_name(key, member);
        self.tally.add(
            &name,
            redis_prefix(key, &self.options.prefix_delimiter),
            flags,
            &analysis,
        );
        // The stored bytes: compressed when the pickle was (flags 9), else the pickle itself.
        let stored = value;
        let decision =
            if member == Member::Whole && flags & 1 == 1 && convention != "celery message" {
                plan(&analysis, stored, self.policy)
            } else if crate::memcache::migrate::needs_rewrite(analysis.verdict) {
                Plan::Leave("held in a hash field or list item: not rewritten".into())
            } else {
                Plan::Keep
            };
        match decision {
            Plan::Keep => {}
            Plan::Leave(reason) => {
                self.counts.candidates += 1;
                self.counts.left += 1;
                self.log
                    .item(&self.server, &name, analysis.verdict, "left", &reason);
            }
            Plan::Rewrite(new) => {
                self.counts.candidates += 1;
                self.counts.bytes_before += stored.len() as u64;
                self.counts.bytes_after += new.len() as u64;
                let sizes = format!("size={}->{}", stored.len(), new.len());
                if self.writer.is_some() {
                    self.log
                        .item(&self.server, &name, analysis.verdict, "rewrite", &sizes);
                    self.pending.push(Pending {
                        key: key.to_vec(),
                        old: value.to_vec(),
                        new,
                        verdict: analysis.verdict,
                    });
                } else {
                    self.counts.would_rewrite += 1;
                    self.log.item(
                        &self.server,
                        &name,
                        analysis.verdict,
                        "would-rewrite",
                        &sizes,
                    );
                }
            }
        }
    }

    fn batch_done(&mut self) -> Result<(), String> {
        let Some((conn, sha)) = self.writer.as_mut() else {
            return Ok(());
        };
        let pending = std::mem::take(&mut self.pending);
        let chunk = if self.pace.limited() {
            1
        } else {
            pending.len().max(1)
        };
        for group in pending.chunks(chunk) {
            if self.pace.limited() {
                self.pace.wait();
            }
            for p in group {
                conn.push(&[b"EVALSHA", sha, b"1", &p.key, &p.old, &p.new]);
            }
            for p in group {
                let (action, counted) = match conn.read()? {
                    Reply::Int(1) => ("", &mut self.counts.rewritten),
                    Reply::Int(0) => ("changed", &mut self.counts.changed),
                    Reply::Int(-1) => ("gone", &mut self.counts.gone),
                    other => return Err(format!("unexpected reply to EVALSHA: {other:?}")),
                };
                *counted += 1;
                if !action.is_empty() {
                    self.log.item(
                        &self.server,
                        &p.key,
                        p.verdict,
                        action,
                        "not written: the key changed or went after it was read",
                    );
                }
            }
        }
        Ok(())
    }
}

/// Migrates one database.
pub fn migrate(
    url: &RedisUrl,
    options: &AuditOptions,
    policy: StrPolicy,
    apply: bool,
    pace: &Pace,
    log: &dyn MigrateLog,
) -> ServerMigration {
    let started = Instant::now();
    let mut result = ServerMigration {
        server: url.display(),
        ..Default::default()
    };
    let run = || -> Result<(MigrateCounts, Tally), String> {
        let mut reader = RedisConn::open(url, options.timeout)?;
        let writer = if apply {
            let mut conn = RedisConn::open(url, options.timeout)?;
            let sha = match conn.command(&[b"SCRIPT", b"LOAD", CAS_SCRIPT.as_bytes()])? {
                Reply::Bulk(sha) => sha,
                other => return Err(format!("SCRIPT LOAD failed: {other:?}")),
            };
            Some((conn, sha))
        } else {
            None
        };
        let mut migrator = Migrator {
            options,
            policy,
            server: url.display(),
            writer,
            pace,
            log,
            tally: Tally::default(),
            counts: MigrateCounts::default(),
            pending: Vec::new(),
            scratch: Vec::new(),
        };
        let scanned = scan(&mut reader, &options.pattern, options.count, &mut migrator);
        let Migrator { counts, tally, .. } = migrator;
        scanned.map(|_| (counts, tally))
    };
    match run() {
        Ok((mut counts, tally)) => {
            counts.counts = tally.counts;
            result.counts = counts;
        }
        Err(e) => {
            result.partial = true;
            result.errors.push(e);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    result.elapsed_seconds = seconds;
    result.items_per_second = if seconds > 0.0 {
        (result.counts.counts.items_scanned as f64 / seconds).round()
    } else {
        0.0
    };
    result
}
