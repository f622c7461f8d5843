//! The queue of key batches between the listing connection and the fetching connections.
//!
//! The listing must never stop reading: memcached's LRU crawler writes the metadump while
//! holding item locks, so a crawler blocked on a full socket can block the very `mg` requests
//! that would let the fetchers catch up (a deadlock that ends in timeouts). So pushing never
//! blocks: batches wait in memory up to a byte cap, and beyond it in an unnamed temporary file.
//! Memory stays bounded whatever the number of keys.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::keys::KeyBatch;

/// Default bytes of keys held in memory before spilling to disk.
pub const DEFAULT_MEMORY_CAP: usize = 32 * 1024 * 1024;

/// A multi-producer, multi-consumer queue of key batches that spills to disk.
#[derive(Debug)]
pub struct KeySpool {
    state: Mutex<SpoolState>,
    ready: Condvar,
    memory_cap: usize,
}

#[derive(Debug, Default)]
struct SpoolState {
    memory: VecDeque<KeyBatch>,
    memory_bytes: usize,
    disk: Option<DiskQueue>,
    closed: bool,
    consumers: usize,
}

/// Batches written to a temporary file, read back in the same order through a second handle
/// with its own offset.
#[derive(Debug)]
struct DiskQueue {
    writer: BufWriter<File>,
    reader: BufReader<File>,
    pending: usize,
    _file: tempfile::NamedTempFile,
}

impl KeySpool {
    /// An empty spool for `consumers` consumers, holding up to `memory_cap` bytes of keys in
    /// memory.
    pub fn new(consumers: usize, memory_cap: usize) -> KeySpool {
        KeySpool {
            state: Mutex::new(SpoolState {
                consumers,
                ..Default::default()
            }),
            ready: Condvar::new(),
            memory_cap,
        }
    }

    fn lock(&self) -> MutexGuard<'_, SpoolState> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Adds a batch without blocking. Returns Ok(false) when no consumer is left.
    pub fn push(&self, batch: KeyBatch) -> io::Result<bool> {
        let mut state = self.lock();
        if state.consumers == 0 {
            return Ok(false);
        }
        let size = batch.byte_size();
        let fits = state.disk.as_ref().is_none_or(|d| d.pending == 0)
            && state.memory_bytes.saturating_add(size) <= self.memory_cap;
        if fits || state.memory.is_empty() {
            state.memory_bytes += size;
            state.memory.push_back(batch);
        } else {
            if state.disk.is_none() {
                state.disk = Some(DiskQueue::new()?);
            }
            if let Some(disk) = state.disk.as_mut() {
                disk.write(&batch)?;
            }
        }
        drop(state);
        self.ready.notify_one();
        Ok(true)
    }

    /// Says no more batches will come.
    pub fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// Takes the next batch, waiting for one; None once closed and empty (or on a disk error,
    /// returned as Err).
    pub fn pop(&self) -> io::Result<Option<KeyBatch>> {
        let mut state = self.lock();
        loop {
            if let Some(batch) = state.memory.pop_front() {
                state.memory_bytes = state.memory_bytes.saturating_sub(batch.byte_size());
                return Ok(Some(batch));
            }
            if let Some(disk) = state.disk.as_mut().filter(|d| d.pending > 0) {
                return disk.read().map(Some);
            }
            if state.closed {
                return Ok(None);
            }
            state = match self.ready.wait(state) {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
        }
    }

    /// A consumer stops for good; once all have, pushes return Ok(false).
    pub fn consumer_done(&self) {
        let mut state = self.lock();
        state.consumers = state.consumers.saturating_sub(1);
    }
}

impl DiskQueue {
    fn new() -> io::Result<DiskQueue> {
        let file = tempfile::NamedTempFile::new()?;
        let writer = BufWriter::new(file.reopen()?);
        let reader = BufReader::new(file.reopen()?);
        Ok(DiskQueue {
            writer,
            reader,
            pending: 0,
            _file: file,
        })
    }

    /// Appends one batch: key count, then each key as length + bytes.
    fn write(&mut self, batch: &KeyBatch) -> io::Result<()> {
        let count = u32::try_from(batch.len()).map_err(|_| invalid("batch too large"))?;
        self.writer.write_all(&count.to_le_bytes())?;
        for key in batch.iter() {
            let len = u32::try_from(key.len()).map_err(|_| invalid("key too large"))?;
            self.writer.write_all(&len.to_le_bytes())?;
            self.writer.write_all(key)?;
        }
        self.writer.flush()?;
        self.pending += 1;
        Ok(())
    }

    /// Reads the oldest batch back (only called when a whole batch was flushed).
    fn read(&mut self) -> io::Result<KeyBatch> {
        let count = read_u32(&mut self.reader)? as usize;
        let mut batch = KeyBatch::with_capacity(count.min(100_000));
        let mut key = Vec::with_capacity(256);
        for _ in 0..count {
            let len = read_u32(&mut self.reader)? as usize;
            if len > 4 * super::keys::MAX_KEY_LEN {
                return Err(invalid("key spool file is corrupt"));
            }
            key.resize(len, 0);
            self.reader.read_exact(&mut key)?;
            batch.push(&key);
        }
        self.pending -= 1;
        Ok(batch)
    }
}

fn read_u32(reader: &mut impl Read) -> io::Result<u32> {
    let mut bytes = [0u8; 4];
    reader.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(keys: &[&str]) -> KeyBatch {
        let mut b = KeyBatch::default();
        for k in keys {
            b.push(k.as_bytes());
        }
        b
    }

    fn keys(b: &KeyBatch) -> Vec<String> {
        b.iter()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .collect()
    }

    #[test]
    fn spills_to_disk_past_the_cap_and_gives_everything_back() {
        let spool = KeySpool::new(1, 10);
        for i in 0..5 {
            assert!(spool.push(batch(&[&format!("key:{i}"), "x"])).unwrap());
        }
        spool.close();
        let mut got = Vec::new();
        while let Some(b) = spool.pop().unwrap() {
            got.extend(keys(&b));
        }
        assert_eq!(
            got,
            ["key:0", "x", "key:1", "x", "key:2", "x", "key:3", "x", "key:4", "x"]
        );
    }

    #[test]
    fn push_reports_when_no_consumer_is_left() {
        let spool = KeySpool::new(1, 1000);
        assert!(spool.push(batch(&["a"])).unwrap());
        spool.consumer_done();
        assert!(!spool.push(batch(&["b"])).unwrap());
    }
}
