//! Safe rewrites: a new file written beside the old one, then renamed over it.
//!
//! What [`replace_file`] guarantees:
//! - **Atomic**: readers (an editor, a test runner, a build) see the old bytes or the new ones,
//!   never a mix. On Linux the new bytes go to a file without a name (`O_TMPFILE`), named only
//!   for the instant between `linkat` and the swap (and the old file, under that name, for
//!   the instant between the swap and its removal); elsewhere (or on a file system without
//!   `O_TMPFILE`) to a named temporary `.py2to3-<pid>-<n>.tmp`, removed on every error.
//! - **No stray files**: a crash (SIGKILL, power loss) can leave at most a named temporary per
//!   worker, and only when it hits that instant (or, in the fallback, the write itself). The
//!   original is then untouched, so the next run rewrites it, and before its first write in a
//!   folder it removes the temporaries of that folder that are ours (the name above, or the
//!   `.py2to3-XXXXXX.tmp` of earlier versions), older than the run and not held by a running
//!   process. Nothing else is ever removed.
//! - **No lost edits**: just before the swap, the file is read again; if its bytes, inode,
//!   mode or owner differ from what was read (an editor saved, a `git checkout` ran), nothing is
//!   written and the file is reported. On Linux the new file and the old one are then
//!   exchanged (`renameat2(RENAME_EXCHANGE)`) and the old one, now under the temporary name, is
//!   stamped once more (inode, size, time): a save that landed between the check and the swap
//!   is swapped back and reported. What is left: a program that opened the file before and
//!   writes to it after the swap writes to the old file, which is gone (as with any editor
//!   that saves by rename).
//! - **Same identity**: the new file gets the old one's mode bits, owner and group (a run as
//!   root keeps a file owned by `nobody` owned by `nobody`); when the owner cannot be kept,
//!   nothing is written. A symbolic link is written through: its target is replaced, the link
//!   stays. Files that a replacement would betray are refused with a reason: a file with
//!   several hard links (the other names would keep the old bytes), a setuid or setgid file
//!   (its bits would have to be dropped or granted anew), and a read-only file unless the
//!   caller forces it ([`WritePolicy::force_readonly`]).
//!
//! There is no fsync per file: it cost more than all the fixing on a large tree (every changed
//! file waited for the disk), and a rename over an existing file is ordered after its data by the
//! usual Linux file systems (ext4 `auto_da_alloc`, btrfs, xfs), as for editors and formatters
//! that save the same way.

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// What [`replace_file`] may do beyond the safe default.
#[derive(Debug, Clone, Copy, Default)]
pub struct WritePolicy {
    /// Rewrite files whose owner has no write permission (read-only files are refused otherwise).
    pub force_readonly: bool,
}

/// Why [`replace_file`] left a file as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// On purpose: the file changed on disk since it was read, or replacing it would change
    /// something the policy keeps (links, owner, special bits, read-only).
    Refused(String),
    /// An I/O error (full disk, permissions...). The file is as it was.
    Failed(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Refused(why) | Refusal::Failed(why) => f.write_str(why),
        }
    }
}

/// Prefix and suffix of our temporary files' names.
const TEMP_PREFIX: &str = ".py2to3-";
const TEMP_SUFFIX: &str = ".tmp";

/// Replaces the file at `path`, whose bytes were `read` (with metadata `read_meta`, taken from
/// the open file when it was read), with `bytes`: see the module documentation.
pub fn replace_file(
    path: &Path,
    read: &[u8],
    read_meta: &Metadata,
    bytes: &[u8],
    policy: WritePolicy,
) -> Result<(), Refusal> {
    let target = resolve_link(path)?;
    refuse_by_policy(read_meta, policy)?;
    let dir = folder_of(&target);
    sweep_stale_temporaries(dir);
    #[cfg(target_os = "linux")]
    match unnamed::replace(dir, &target, read, read_meta, bytes) {
        Err(unnamed::Error::Unsupported) => {}
        Err(unnamed::Error::Refused(r)) => return Err(r),
        Ok(()) => return Ok(()),
    }
    replace_with_named(dir, &target, read, read_meta, bytes)
}

/// Writes `bytes` to `path` atomically (a new file or a replacement), without the checks of
/// [`replace_file`]: for files py2to3 owns (its cache).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = folder_of(path);
    sweep_stale_temporaries(dir);
    #[cfg(target_os = "linux")]
    if let Some(mut file) = unnamed::create(dir) {
        file.write_all(bytes)?;
        if let Some(temp) = unnamed::name(dir, &file) {
            return temp.rename_to(path);
        }
    }
    let mut temp = NamedTemp::create(dir)?;
    temp.file.write_all(bytes)?;
    temp.rename_to(path)
}

/// The folder `path` is in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// The file a path names: itself, or the final target of a symbolic link (so that the link is
/// written through and stays a link).
fn resolve_link(path: &Path) -> Result<PathBuf, Refusal> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)
            .map_err(|e| Refusal::Failed(format!("cannot follow the symbolic link: {e}"))),
        _ => Ok(path.to_path_buf()),
    }
}

/// Refuses the files a replacement would betray (see the module documentation).
#[cfg(unix)]
fn refuse_by_policy(meta: &Metadata, policy: WritePolicy) -> Result<(), Refusal> {
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode() & 0o7777;
    if !meta.is_file() {
        return Err(Refusal::Refused("not a regular file".into()));
    }
    if mode & 0o6000 != 0 {
        return Err(Refusal::Refused(format!(
            "setuid/setgid file (mode {mode:04o}): a new file would drop those bits or grant them anew; convert it by hand"
        )));
    }
    if meta.nlink() > 1 {
        return Err(Refusal::Refused(format!(
            "the file has {} hard links: replacing it would split them (the other names would keep the old code); convert it by hand or break the links first",
            meta.nlink()
        )));
    }
    if mode & 0o200 == 0 && !policy.force_readonly {
        return Err(Refusal::Refused(format!(
            "read-only file (mode {mode:04o}); --force-readonly rewrites it"
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_by_policy(meta: &Metadata, policy: WritePolicy) -> Result<(), Refusal> {
    if !meta.is_file() {
        return Err(Refusal::Refused("not a regular file".into()));
    }
    if meta.permissions().readonly() && !policy.force_readonly {
        return Err(Refusal::Refused(
            "read-only file; --force-readonly rewrites it".into(),
        ));
    }
    Ok(())
}

/// Gives the new file the old one's owner, group and mode bits; refuses when the owner or
/// group cannot be kept.
#[cfg(unix)]
fn keep_identity(file: &File, old: &Metadata) -> Result<(), Refusal> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let failed = |what: &str, e: std::io::Error| Refusal::Failed(format!("{what}: {e}"));
    let new = file
        .metadata()
        .map_err(|e| failed("cannot read the new file's metadata", e))?;
    if new.uid() != old.uid() || new.gid() != old.gid() {
        // Owner first: a change of owner clears the setuid/setgid bits, which the mode set
        // below would not bring back anyway (such files are refused before).
        std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).map_err(|e| {
            Refusal::Refused(format!(
                "cannot keep its owner and group ({}:{}): {e}",
                old.uid(),
                old.gid()
            ))
        })?;
    }
    file.set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o1777))
        .map_err(|e| failed("cannot set the new file's mode", e))
}

#[cfg(not(unix))]
fn keep_identity(file: &File, old: &Metadata) -> Result<(), Refusal> {
    file.set_permissions(old.permissions())
        .map_err(|e| Refusal::Failed(format!("cannot set the new file's permissions: {e}")))
}

/// Refuses when the file at `target` is no longer what was read: other bytes, another inode, or
/// another mode or owner (an edit made while py2to3 worked would be lost).
fn unchanged_since_read(
    target: &Path,
    read: &[u8],
    read_meta: &Metadata,
) -> Result<Metadata, Refusal> {
    let (now, now_meta) =
        read_regular(target, Some(read.len() as u64)).map_err(|_| changed_on_disk())?;
    // Stamped again after the read: a write landing during it shows in the time or size.
    let after = std::fs::symlink_metadata(target).map_err(|_| changed_on_disk())?;
    if now != read || !same_identity(read_meta, &now_meta) || !same_stamp(&now_meta, &after) {
        return Err(changed_on_disk());
    }
    Ok(after)
}

/// The refusal for a file that changed while py2to3 worked on it.
fn changed_on_disk() -> Refusal {
    Refusal::Refused("changed on disk since py2to3 read it (run fix again)".into())
}

/// Whether two metadata are of the same file, unchanged: identity, size and modification time.
fn same_stamp(a: &Metadata, b: &Metadata) -> bool {
    same_identity(a, b) && a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// Puts the named temporary `temp` in the place of `target`, which was found unchanged with
/// metadata `checked`. On Linux the two are exchanged (`renameat2(RENAME_EXCHANGE)`), and the
/// old file, now under the temporary name, is checked once more: if an editor saved in between
/// (its file is there instead, or the old one was written to), they are exchanged back and the
/// file is reported. Elsewhere, or where the file system cannot exchange, a plain rename.
fn swap_in(temp: NamedTemp, target: &Path, checked: &Metadata) -> Result<(), Refusal> {
    let failed = |e: std::io::Error| {
        Refusal::Failed(format!(
            "cannot replace the file: {e} (the file is as it was)"
        ))
    };
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{RenameFlags, CWD};
        let mut temp = temp;
        match rustix::fs::renameat_with(CWD, &temp.path, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => {}
            Err(
                rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP,
            ) => return temp.rename_to(target).map_err(failed),
            Err(e) => return Err(failed(e.into())),
        }
        // `temp.path` now names the file that was at `target`.
        let old_unchanged =
            std::fs::symlink_metadata(&temp.path).is_ok_and(|m| same_stamp(checked, &m));
        if old_unchanged {
            temp.kept = true;
            let _ = std::fs::remove_file(&temp.path);
            return Ok(());
        }
        match rustix::fs::renameat_with(CWD, &temp.path, CWD, target, RenameFlags::EXCHANGE) {
            // Our file is under the temporary name again: dropping `temp` removes it.
            Ok(()) => Err(changed_on_disk()),
            Err(e) => {
                // The edited file stays under the temporary name rather than be lost.
                temp.kept = true;
                Err(Refusal::Failed(format!(
                    "changed on disk while py2to3 replaced it, and cannot be put back ({e}): the edited file is {}",
                    temp.path.display()
                )))
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = checked;
        temp.rename_to(target).map_err(failed)
    }
}

/// Whether two metadata describe the same file with the same mode and owner.
#[cfg(unix)]
fn same_identity(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino(), a.mode(), a.uid(), a.gid()) == (b.dev(), b.ino(), b.mode(), b.uid(), b.gid())
}

#[cfg(not(unix))]
fn same_identity(a: &Metadata, b: &Metadata) -> bool {
    a.permissions() == b.permissions()
}

/// Opens `path` for reading if it is a regular file, without ever blocking (a FIFO or a device
/// named `.py` is refused, not waited on), and returns its bytes and metadata (from the open
/// file). `size` sizes the first read; a file that grew is read to its end all the same.
pub fn read_regular(path: &Path, size: Option<u64>) -> std::io::Result<(Vec<u8>, Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking: opening a FIFO would wait for a writer; no controlling terminal.
        options.custom_flags(
            rustix::fs::OFlags::NONBLOCK.bits() as i32 | rustix::fs::OFlags::NOCTTY.bits() as i32,
        );
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "not a regular file ({})",
            kind_name(&meta)
        )));
    }
    let size = size.unwrap_or(meta.len());
    let mut bytes = vec![0; usize::try_from(size).unwrap_or(0).min(64 << 20) + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok((bytes, meta))
}

/// A word for the kind of a file that is not a regular file.
pub fn kind_name(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// The fallback: a named temporary beside the file, renamed over it.
fn replace_with_named(
    dir: &Path,
    target: &Path,
    read: &[u8],
    read_meta: &Metadata,
    bytes: &[u8],
) -> Result<(), Refusal> {
    let io = |what: &str, e: std::io::Error| {
        Refusal::Failed(format!("{what}: {e} (the file is as it was)"))
    };
    let mut temp = NamedTemp::create(dir).map_err(|e| io("cannot create a temporary file", e))?;
    temp.file
        .write_all(bytes)
        .map_err(|e| io("cannot write", e))?;
    keep_identity(&temp.file, read_meta)?;
    let checked = unchanged_since_read(target, read, read_meta)?;
    swap_in(temp, target, &checked)
}

/// A named temporary file of ours, removed when dropped unless renamed.
struct NamedTemp {
    file: File,
    path: PathBuf,
    kept: bool,
}

impl NamedTemp {
    /// Creates a new temporary in `dir`, readable and writable by its owner only.
    fn create(dir: &Path) -> std::io::Result<Self> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        loop {
            let path = dir.join(temp_name());
            match options.open(&path) {
                Ok(file) => {
                    return Ok(NamedTemp {
                        file,
                        path,
                        kept: false,
                    })
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Renames the temporary to `target`.
    fn rename_to(mut self, target: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for NamedTemp {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A fresh temporary name: `.py2to3-<pid>-<n>.tmp`, `n` unique in this process.
fn temp_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{TEMP_PREFIX}{}-{n}{TEMP_SUFFIX}", std::process::id())
}

/// When this run started writing: temporaries older than that are not this run's.
fn run_start() -> SystemTime {
    static START: OnceLock<SystemTime> = OnceLock::new();
    *START.get_or_init(SystemTime::now)
}

/// What a name says about a temporary: ours with the process id that made it, ours from an
/// earlier version (no id), or not ours.
#[derive(Debug, PartialEq, Eq)]
enum TempName {
    Ours { pid: Option<u32> },
    Foreign,
}

/// Reads a file name as one of our temporaries': `.py2to3-<pid>-<n>.tmp`, or the
/// `.py2to3-XXXXXX.tmp` (six letters and digits) that earlier versions made.
fn parse_temp_name(name: &str) -> TempName {
    let Some(middle) = name
        .strip_prefix(TEMP_PREFIX)
        .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
    else {
        return TempName::Foreign;
    };
    if let Some((pid, n)) = middle.split_once('-') {
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
        if digits(pid) && digits(n) {
            if let Ok(pid) = pid.parse() {
                return TempName::Ours { pid: Some(pid) };
            }
        }
        return TempName::Foreign;
    }
    if middle.len() == 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return TempName::Ours { pid: None };
    }
    TempName::Foreign
}

/// Whether process `pid` is running (always false for our own id: our temporaries are younger
/// than the run, and an older one with our id belonged to an earlier process).
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        match rustix::process::Pid::from_raw(pid as i32) {
            Some(pid) => !matches!(
                rustix::process::test_kill_process(pid),
                Err(rustix::io::Errno::SRCH)
            ),
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// Temporaries of ours that the walk saw (see [`note_temporary`]).
static NOTED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Whether a file name may be one of our temporaries' (a cheap test for the walk; see
/// [`parse_temp_name`] for the exact one).
pub fn is_temporary_name(name: &std::ffi::OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.starts_with(TEMP_PREFIX.as_bytes()) && name.ends_with(TEMP_SUFFIX.as_bytes())
}

/// Remembers a file the walk found whose name is one of our temporaries', for
/// [`sweep_noted_temporaries`]. A crash can leave one in a folder where the next run has
/// nothing to write (the old file, in the instant after the swap), so writes alone would not
/// find them all.
pub fn note_temporary(path: PathBuf) {
    run_start();
    if let Ok(mut noted) = NOTED.lock() {
        noted.push(path);
    }
}

/// Removes the temporaries the walk saw that are stale (see [`sweep_stale_temporaries`]):
/// `fix` calls it after its writes.
pub fn sweep_noted_temporaries() {
    let noted = match NOTED.lock() {
        Ok(mut noted) => std::mem::take(&mut *noted),
        Err(_) => return,
    };
    let start = run_start();
    for path in noted {
        remove_if_stale(&path, start);
    }
}

/// Removes `path` if it is one of our temporaries, a regular file older than `start` whose
/// process is gone.
fn remove_if_stale(path: &Path, start: SystemTime) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let TempName::Ours { pid } = parse_temp_name(name) else {
        return;
    };
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return;
    };
    let old = meta.modified().is_ok_and(|m| m < start);
    if meta.is_file() && old && !pid.is_some_and(process_alive) {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes the temporaries of `dir` that a crashed earlier run left (see [`parse_temp_name`]):
/// regular files, older than this run, whose process is gone. Once per folder and run.
fn sweep_stale_temporaries(dir: &Path) {
    static SWEPT: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    let start = run_start();
    {
        let Ok(mut swept) = SWEPT.get_or_init(Default::default).lock() else {
            return;
        };
        if !swept.insert(dir.to_path_buf()) {
            return;
        }
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_temporary_name(&entry.file_name()) {
            remove_if_stale(&entry.path(), start);
        }
    }
}

/// Linux: the new bytes in a file without a name (`O_TMPFILE`), named just before the rename.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::fs::{File, Metadata};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, Mode, OFlags, CWD};

    use super::{keep_identity, swap_in, temp_name, unchanged_since_read, NamedTemp, Refusal};

    pub enum Error {
        /// The file system or kernel cannot do it: use the named fallback.
        Unsupported,
        Refused(Refusal),
    }

    impl From<Refusal> for Error {
        fn from(r: Refusal) -> Self {
            Error::Refused(r)
        }
    }

    pub fn replace(
        dir: &Path,
        target: &Path,
        read: &[u8],
        read_meta: &Metadata,
        bytes: &[u8],
    ) -> Result<(), Error> {
        let io = |what: &str, e: std::io::Error| {
            Error::Refused(Refusal::Failed(format!(
                "{what}: {e} (the file is as it was)"
            )))
        };
        // No O_TMPFILE here (old kernel, or a file system without it): the fallback.
        let Some(mut file) = create(dir) else {
            return Err(Error::Unsupported);
        };
        file.write_all(bytes).map_err(|e| io("cannot write", e))?;
        keep_identity(&file, read_meta)?;
        // The check before the name: the name must exist for as short a time as can be.
        let checked = unchanged_since_read(target, read, read_meta)?;
        let Some(temp) = name(dir, &file) else {
            return Err(Error::Unsupported);
        };
        Ok(swap_in(temp, target, &checked)?)
    }

    /// A new file without a name in `dir`, readable and writable by its owner only; `None` when
    /// the kernel or the file system cannot make one.
    pub fn create(dir: &Path) -> Option<File> {
        let flags = OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(0o600)).ok()?;
        Some(File::from(fd))
    }

    /// Gives the unnamed file a temporary name in `dir` (by its descriptor, which needs
    /// CAP_DAC_READ_SEARCH, else through /proc); `None` when neither works.
    pub fn name(dir: &Path, file: &File) -> Option<NamedTemp> {
        let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
        for _ in 0..100 {
            let path = dir.join(temp_name());
            let by_fd = rustix::fs::linkat(file, "", CWD, &path, AtFlags::EMPTY_PATH);
            let linked = by_fd.or_else(|e| match e {
                rustix::io::Errno::EXIST => Err(e),
                _ => {
                    rustix::fs::linkat(CWD, proc_path.as_str(), CWD, &path, AtFlags::SYMLINK_FOLLOW)
                }
            });
            match linked {
                Ok(()) => {
                    let file = file.try_clone().ok()?;
                    return Some(NamedTemp {
                        file,
                        path,
                        kept: false,
                    });
                }
                Err(rustix::io::Errno::EXIST) => continue,
                Err(_) => return None,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> (Vec<u8>, Metadata) {
        read_regular(path, None).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_bits_and_leaves_nothing_else() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("script.py");
        std::fs::write(&path, "print 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        let (bytes, meta) = read(&path);
        replace_file(&path, &bytes, &meta, b"print(1)\n", WritePolicy::default()).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"print(1)\n");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o755
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_edit_made_after_the_read_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "print 1\n").unwrap();
        let (bytes, meta) = read(&path);
        std::fs::write(&path, "print 2\n").unwrap();
        let refused = replace_file(&path, &bytes, &meta, b"print(1)\n", WritePolicy::default());
        assert!(matches!(refused, Err(Refusal::Refused(ref m)) if m.contains("changed on disk")));
        assert_eq!(std::fs::read(&path).unwrap(), b"print 2\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_save_between_the_check_and_the_swap_is_swapped_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        std::fs::write(&path, "print 1\n").unwrap();
        let (bytes, meta) = read(&path);
        let checked = unchanged_since_read(&path, &bytes, &meta).unwrap();
        // An editor saves (by rename) after the check.
        let saved = dir.path().join("editor.tmp");
        std::fs::write(&saved, "print 2\n").unwrap();
        std::fs::rename(&saved, &path).unwrap();
        let mut temp = NamedTemp::create(dir.path()).unwrap();
        temp.file.write_all(b"print(1)\n").unwrap();
        let refused = swap_in(temp, &path, &checked);
        assert_eq!(refused, Err(changed_on_disk()));
        assert_eq!(std::fs::read(&path).unwrap(), b"print 2\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temp_names_are_recognised_strictly() {
        assert_eq!(
            parse_temp_name(&temp_name()),
            TempName::Ours {
                pid: Some(std::process::id())
            }
        );
        assert_eq!(
            parse_temp_name(".py2to3-aB3xY9.tmp"),
            TempName::Ours { pid: None }
        );
        for foreign in [
            ".py2to3-.tmp",
            ".py2to3-abc.tmp",
            ".py2to3-12-x.tmp",
            ".py2to3-aB3xY9.tmp~",
            "py2to3-aB3xY9.tmp",
            ".py2to3-aB3-Y9.tmp",
            ".py2to3-1234567.tmp",
            "module.py",
        ] {
            assert_eq!(parse_temp_name(foreign), TempName::Foreign, "{foreign}");
        }
    }

    #[test]
    fn sweeping_removes_only_old_temporaries_of_ours() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::now() - std::time::Duration::from_secs(3600);
        let make = |name: &str, when: SystemTime| {
            let path = dir.path().join(name);
            std::fs::write(&path, "x").unwrap();
            File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(when)
                .unwrap();
        };
        // A process id that cannot be running (above the kernel's pid_max limit).
        make(".py2to3-4999999-0.tmp", old);
        make(".py2to3-aB3xY9.tmp", old);
        make(".py2to3-notours.tmp", old);
        make("keep.py", old);
        // Our own process: alive, but an older file with our id is an earlier process's.
        make(&format!(".py2to3-{}-77.tmp", std::process::id()), old);
        run_start();
        make(
            ".py2to3-4999998-1.tmp",
            SystemTime::now() + std::time::Duration::from_secs(60),
        );
        sweep_stale_temporaries(dir.path());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [".py2to3-4999998-1.tmp", ".py2to3-notours.tmp", "keep.py"]
        );
    }
}
