//! How `fix` writes files and survives faults (README, "What a run writes"): killed at random
//! moments it leaves each file original or converted and no stray file; an edit made while it
//! runs is never overwritten; owner, group, links, special bits and read-only files are kept or
//! refused with a reason; bad inputs (FIFOs, devices, link loops, odd names, huge or deep files,
//! binary files, a full disk) each get a clear message while the run goes on.

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::py2to3;

/// `py2to3 fix` with no configuration and no cache, in `dir`.
fn fix_in(dir: &Path) -> Command {
    let mut cmd = py2to3();
    cmd.current_dir(dir)
        .args(["fix", "--isolated", "--no-cache"]);
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether this process runs as root (tests of owners and devices need it).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

/// Skips a test that needs root outside CI (CI runs as root: there it must not skip).
fn require_root(what: &str) -> bool {
    if is_root() {
        return true;
    }
    assert!(!support::in_ci(), "{what} needs root under CI=true");
    eprintln!("skipped: {what} needs root");
    false
}

/// Every file and symbolic link under `root` (paths relative to it): a file's bytes, or
/// `-> target` for a link.
/// Whether `path` is named as `fix` names its temporaries: `.py2to3-<pid>-<n>.tmp`.
fn is_our_temporary(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let Some(middle) = name
        .strip_prefix(".py2to3-")
        .and_then(|n| n.strip_suffix(".tmp"))
    else {
        return false;
    };
    let mut parts = middle.split('-');
    let numbers = parts
        .by_ref()
        .take(2)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .count();
    numbers == 2 && parts.next().is_none()
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if kind.is_dir() {
                walk(root, &path, out);
            } else if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Copies the folder `from` to `to` (files and folders; links are copied as links).
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &dest);
        } else if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Django 1.3.7's `django/` package from the corpus (`../shared/corpus/get.sh`); `None` (skip)
/// outside CI when it is missing.
fn django() -> Option<PathBuf> {
    let corpus = std::env::var_os("PY2_CORPUS")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/py2-corpus")))?;
    let django = corpus.join("Django-1.3.7/django");
    if django.is_dir() {
        return Some(django);
    }
    assert!(
        !support::in_ci(),
        "the corpus is required under CI=true: run ../shared/corpus/get.sh"
    );
    eprintln!("skipped: no Django 1.3.7 in the corpus");
    None
}

/// A small xorshift generator: the kill moments and edit orders are random, and the seed is
/// printed so that a failure can be replayed (`PY2TO3_FAULT_SEED`).
struct Rng(u64);

impl Rng {
    fn from_env() -> Rng {
        let seed = std::env::var("PY2TO3_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            })
            | 1;
        eprintln!("seed: PY2TO3_FAULT_SEED={seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Copies of Django's `django/` in the killed tree: 10, about a million lines, as the issue
/// asks (about 80 s under CI's debug build on 2 cores). Between kills one copy is put back to
/// its original bytes (as a `git checkout` would), so that every run has files to write from its
/// start to its end. `PY2TO3_FAULT_COPIES=N` runs another size.
fn copies() -> usize {
    std::env::var("PY2TO3_FAULT_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(10)
}

/// Kills: 20 random moments, as the issue asks.
const KILLS: usize = 20;

#[test]
fn sigkill_at_random_moments_leaves_each_file_original_or_converted_and_nothing_else() {
    let Some(django) = django() else { return };
    let work = tempfile::tempdir().unwrap();
    let original = snapshot(&django);

    // The converted bytes, from a clean run on one copy.
    let clean_root = work.path().join("clean");
    copy_tree(&django, &clean_root);
    let out = fix_in(&clean_root).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let converted = snapshot(&clean_root);
    assert_eq!(
        converted.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>()
    );
    let changed = original
        .iter()
        .filter(|(p, b)| converted[*p] != **b)
        .count();
    assert!(
        changed > 300,
        "only {changed} files changed in the clean run"
    );

    let tree = work.path().join("tree");
    for k in 0..copies() {
        copy_tree(&django, &tree.join(format!("copy{k}")));
    }
    let check_tree = |when: &str| {
        let mut in_flight = 0;
        for k in 0..copies() {
            let copy = snapshot(&tree.join(format!("copy{k}")));
            // A kill that lands in the instant a new file has its temporary name (or the old
            // one, just swapped out, still has it) leaves that temporary: the documented limit
            // (src/source/write.rs). Anything else is a stray file; the final run below must
            // remove the temporaries too.
            let foreign: Vec<_> = copy
                .keys()
                .filter(|p| !original.contains_key(*p) && !is_our_temporary(p))
                .collect();
            assert!(
                foreign.is_empty(),
                "{when}: files not of the tree: {foreign:?}"
            );
            let missing: Vec<_> = original.keys().filter(|p| !copy.contains_key(*p)).collect();
            assert!(missing.is_empty(), "{when}: files gone: {missing:?}");
            for (path, bytes) in copy.iter().filter(|(p, _)| original.contains_key(*p)) {
                let ok = *bytes == original[path] || *bytes == converted[path];
                assert!(
                    ok,
                    "{when}: copy{k}/{} is neither original nor converted",
                    path.display()
                );
                in_flight += usize::from(*bytes != original[path]);
            }
        }
        in_flight
    };

    let restore = |copy: &Path| {
        for (path, bytes) in &original {
            if fs::read(copy.join(path)).unwrap() != *bytes {
                fs::write(copy.join(path), bytes).unwrap();
            }
        }
    };
    // Kill moments are drawn over the time a whole run over the tree takes, measured once.
    let started = Instant::now();
    let out = fix_in(&tree).output().unwrap();
    let span = started.elapsed().as_micros() as u64;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    for k in 0..copies() {
        restore(&tree.join(format!("copy{k}")));
    }
    let mut rng = Rng::from_env();
    for kill in 0..KILLS {
        let mut child = fix_in(&tree)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let moment = Duration::from_micros(rng.below(span));
        std::thread::sleep(moment);
        // SIGKILL: nothing of py2to3 runs after it.
        let _ = child.kill();
        let status = child.wait().unwrap();
        let done = check_tree(&format!("after kill {kill} at {moment:?}"));
        eprintln!("kill {kill} at {moment:?} ({status}): {done} files converted");
        restore(&tree.join(format!("copy{}", kill % copies())));
    }

    let out = fix_in(&tree).output().unwrap();
    assert!(out.status.code().is_some(), "{}", stderr(&out));
    for k in 0..copies() {
        let copy = snapshot(&tree.join(format!("copy{k}")));
        assert!(
            copy == converted,
            "copy{k} differs from the clean run's tree"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn edits_made_while_fix_runs_all_survive() {
    use rustix::fs::inotify;
    use std::sync::atomic::{AtomicBool, Ordering};

    let Some(django) = django() else { return };
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("django");
    copy_tree(&django, &root);
    let files: Vec<PathBuf> = snapshot(&root)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .map(|p| root.join(p))
        .collect();
    // The second thread learns from inotify when fix has read a file (it closes it), and saves
    // an edit to that file at once: the edit lands while fix converts what it read, before fix
    // writes. Half of the saves write in place (truncate and write), half write a new file and
    // rename it over the old one, as editors do. Every edit must survive, byte for byte.
    let watcher =
        inotify::init(inotify::CreateFlags::NONBLOCK | inotify::CreateFlags::CLOEXEC).unwrap();
    let mut by_watch = std::collections::HashMap::new();
    for path in &files {
        let wd = inotify::add_watch(&watcher, path, inotify::WatchFlags::CLOSE_NOWRITE).unwrap();
        by_watch.insert(wd, path.clone());
    }

    let mut child = fix_in(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let running = AtomicBool::new(true);
    let edits: BTreeMap<PathBuf, String> = std::thread::scope(|scope| {
        let editor = scope.spawn(|| {
            let mut edits = BTreeMap::new();
            let mut buf = vec![std::mem::MaybeUninit::<u8>::uninit(); 1 << 16];
            let mut events = inotify::Reader::new(&watcher, &mut buf);
            loop {
                let wd = match events.next() {
                    Ok(event) => event.wd(),
                    Err(rustix::io::Errno::AGAIN) if running.load(Ordering::Relaxed) => {
                        std::thread::sleep(Duration::from_micros(100));
                        continue;
                    }
                    Err(_) => break,
                };
                let Some(path) = by_watch.remove(&wd) else {
                    continue;
                };
                let text = format!("edited = {}  # while fix ran\n", edits.len());
                if edits.len() % 2 == 0 {
                    fs::write(&path, &text).unwrap();
                } else {
                    let temp = path.with_extension("editor-save");
                    fs::write(&temp, &text).unwrap();
                    fs::rename(&temp, &path).unwrap();
                }
                edits.insert(path, text);
            }
            edits
        });
        child.wait().unwrap();
        running.store(false, Ordering::Relaxed);
        editor.join().unwrap()
    });
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    let refused = err.matches("changed on disk since py2to3 read it").count();
    eprintln!(
        "{} of {} files edited just after fix read them; {refused} writes refused",
        edits.len(),
        files.len()
    );
    let lost: Vec<_> = edits
        .iter()
        .filter(|(path, text)| fs::read_to_string(path).unwrap() != **text)
        .map(|(path, _)| path)
        .collect();
    assert!(lost.is_empty(), "edits lost: {lost:?}\n{err}");
    assert_eq!(edits.len(), files.len(), "files fix did not read:\n{err}");
    // About a third of Django's files need changes: fix read each, then found it edited.
    assert!(refused > 100, "only {refused} writes refused:\n{err}");
}

/// A folder holding `files` (name, text).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_owner_and_group() {
    use std::os::unix::fs::MetadataExt;
    if !require_root("changing a file's owner") {
        return;
    }
    let dir = folder(&[("a.py", "print 1\n")]);
    let path = dir.path().join("a.py");
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    set_mode(&path, 0o640);
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&path).unwrap(), "print(1)\n");
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid(), mode(&path)), (65534, 65534, 0o640));
}

#[cfg(unix)]
#[test]
fn setuid_and_setgid_files_are_refused_with_a_reason() {
    let dir = folder(&[("u.py", "print 1\n"), ("g.py", "print 2\n")]);
    set_mode(&dir.path().join("u.py"), 0o4755);
    set_mode(&dir.path().join("g.py"), 0o2755);
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("./u.py: not written: setuid/setgid file (mode 4755): a new file would drop those bits or grant them anew; convert it by hand"), "{err}");
    assert!(
        err.contains("./g.py: not written: setuid/setgid file (mode 2755)"),
        "{err}"
    );
    assert!(err.contains("0 changed, 0 unchanged, 2 failed"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("u.py")).unwrap(),
        "print 1\n"
    );
    assert_eq!(mode(&dir.path().join("u.py")), 0o4755);
}

#[cfg(unix)]
#[test]
fn files_with_hard_links_are_reported_once_and_left_whole() {
    use std::os::unix::fs::MetadataExt;
    let dir = folder(&[("a.py", "print 1\n"), ("other.py", "print 2\n")]);
    fs::hard_link(dir.path().join("a.py"), dir.path().join("b.py")).unwrap();
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("./a.py: not written: the file has 2 hard links: replacing it would split them (the other names would keep the old code); convert it by hand or break the links first"),
        "{err}"
    );
    // The same file under its second name is not processed again.
    assert!(!err.contains("b.py"), "{err}");
    assert!(
        err.contains("2 files seen, 1 changed, 0 unchanged, 1 failed"),
        "{err}"
    );
    assert_eq!(fs::metadata(dir.path().join("b.py")).unwrap().nlink(), 2);
    assert_eq!(
        fs::read_to_string(dir.path().join("b.py")).unwrap(),
        "print 1\n"
    );
}

#[cfg(unix)]
#[test]
fn read_only_files_are_skipped_unless_forced() {
    let dir = folder(&[("ro.py", "print 1\n")]);
    let path = dir.path().join("ro.py");
    set_mode(&path, 0o444);
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "./ro.py: not written: read-only file (mode 0444); --force-readonly rewrites it"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "print 1\n");

    let out = fix_in(dir.path()).arg("--force-readonly").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 changed"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&path).unwrap(), "print(1)\n");
    assert_eq!(mode(&path), 0o444);
}

#[cfg(unix)]
#[test]
fn a_symlink_is_written_through_once_and_stays_a_link() {
    let dir = folder(&[]);
    fs::create_dir(dir.path().join("pkg")).unwrap();
    fs::write(dir.path().join("pkg/target.py"), "print 1\n").unwrap();
    std::os::unix::fs::symlink("pkg/target.py", dir.path().join("link.py")).unwrap();
    std::os::unix::fs::symlink("pkg/target.py", dir.path().join("link2.py")).unwrap();
    // The link, a second link and the target itself: one file, fixed once.
    let out = fix_in(dir.path())
        .args(["link.py", "link2.py", "pkg/target.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 files seen, 1 changed"),
        "{}",
        stderr(&out)
    );
    let link = fs::symlink_metadata(dir.path().join("link.py")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        fs::read_to_string(dir.path().join("pkg/target.py")).unwrap(),
        "print(1)\n"
    );
    let names: Vec<_> = snapshot(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        [
            Path::new("link.py"),
            Path::new("link2.py"),
            Path::new("pkg/target.py")
        ]
    );
}

#[test]
fn more_jobs_than_files_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..8 {
        fs::write(dir.path().join(format!("m{i}.py")), "print 1\n").unwrap();
    }
    let mut child = fix_in(dir.path())
        .args(["-j", "5000"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("fix -j 5000 on 8 files still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        stderr(&out).contains("8 files seen, 8 changed"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_link_loops_get_a_message_and_never_block() {
    let dir = folder(&[("ok.py", "print 1\n")]);
    let p = dir.path();
    let made = Command::new("mkfifo")
        .arg(p.join("fifo.py"))
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("loop2.py", p.join("loop1.py")).unwrap();
    std::os::unix::fs::symlink("loop1.py", p.join("loop2.py")).unwrap();
    std::os::unix::fs::symlink("/dev/null", p.join("null.py")).unwrap();
    let mut child = fix_in(p)
        .args(["fifo.py", "loop1.py", "null.py", "ok.py", "."])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("fix blocked on a FIFO or a device");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for line in [
        "py2to3: error: fifo.py: not a regular file or folder (a FIFO): skipped",
        "py2to3: error: loop1.py: cannot follow the symbolic link: Too many levels of symbolic links (os error 40)",
        "py2to3: error: null.py: not a regular file or folder (a device): skipped",
        // In a folder, links and special files are not followed nor read.
        "py2to3: 1 files seen, 1 changed, 0 unchanged, 3 failed, 0 skipped",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    assert_eq!(fs::read_to_string(p.join("ok.py")).unwrap(), "print(1)\n");
}

#[cfg(unix)]
#[test]
fn a_fifo_swapped_in_after_the_walk_is_refused_without_blocking() {
    // The walk saw a regular file; by the time it is read it is a FIFO. The read must not wait
    // for a writer.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("swap.py");
    assert!(Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let err = py2to3::source::read_regular(&path, Some(10)).unwrap_err();
    assert_eq!(err.to_string(), "not a regular file (a FIFO)");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported_and_the_run_goes_on() {
    // Root reads everything: run as `nobody` when root (setpriv), as ourselves otherwise.
    let dir = folder(&[("ok.py", "print 1\n"), ("secret.py", "print 2\n")]);
    let p = dir.path();
    fs::create_dir(p.join("closed")).unwrap();
    fs::write(p.join("closed/inner.py"), "print 3\n").unwrap();
    set_mode(p, 0o777);
    set_mode(&p.join("ok.py"), 0o666);
    if is_root() {
        // Run as `nobody` below, who can keep only its own files' owner.
        std::os::unix::fs::chown(p.join("ok.py"), Some(65534), Some(65534)).unwrap();
    }
    set_mode(&p.join("secret.py"), 0o000);
    set_mode(&p.join("closed"), 0o000);
    let mut cmd = if is_root() {
        let setpriv = Command::new("setpriv").arg("--version").output();
        if setpriv.is_err() {
            assert!(!support::in_ci(), "setpriv is needed under CI=true");
            eprintln!("skipped: no setpriv to drop root");
            return;
        }
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_py2to3"));
        cmd
    } else {
        py2to3()
    };
    let out = cmd
        .current_dir(p)
        .args(["fix", "--isolated", "--no-cache", "."])
        .output()
        .unwrap();
    set_mode(&p.join("closed"), 0o755);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for line in [
        "py2to3: error: ./closed: Permission denied (os error 13)",
        "py2to3: error: ./secret.py: cannot read: Permission denied (os error 13)",
        "py2to3: 2 files seen, 1 changed, 0 unchanged, 2 failed, 0 skipped",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    assert_eq!(fs::read_to_string(p.join("ok.py")).unwrap(), "print(1)\n");
}

#[cfg(unix)]
#[test]
fn names_with_newlines_and_bytes_outside_utf8_are_fixed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let odd = [
        OsStr::from_bytes(b"new\nline.py"),
        OsStr::from_bytes(b"caf\xe9.py"),
    ];
    for name in odd {
        fs::write(dir.path().join(name), "print 1\n").unwrap();
    }
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("2 files seen, 2 changed"),
        "{}",
        stderr(&out)
    );
    for name in odd {
        assert_eq!(
            fs::read_to_string(dir.path().join(name)).unwrap(),
            "print(1)\n"
        );
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn binary_and_deeply_nested_files_get_a_message() {
    let deep = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    let dir = folder(&[
        ("bin.py", "print 1\n\0\x01\x02"),
        ("deep.py", &deep),
        ("ok.py", "print 1\n"),
    ]);
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "./bin.py: skipped: binary file (contains a NUL byte)",
        "./deep.py:1:205: brackets nested deeper than 200 (Python 3 rejects this file: too many nested parentheses)",
        "py2to3: 3 files seen, 1 changed, 0 unchanged, 1 failed, 1 skipped",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    assert_eq!(
        fs::read(dir.path().join("deep.py")).unwrap(),
        deep.as_bytes()
    );
}

#[test]
fn a_50_mb_file_is_fixed() {
    // 50 MB of Python 2: a function fix changes every 8 kB, comments between them (all code,
    // it takes minutes in the tests' debug build; the benchmark `bench/fix_linear.py` times
    // all-code files in a release build).
    let comments = format!("# {}\n", "x".repeat(77)).repeat(100);
    let unit = format!("def f(x):\n    print 'value', x\n    if x <> 1:\n        print >>sys.stderr, x\n    return x\n\n{comments}");
    let units = (50 << 20) / unit.len();
    let text = format!("import sys\n{}", unit.repeat(units));
    let dir = folder(&[("big.py", &text)]);
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let fixed = fs::read_to_string(dir.path().join("big.py")).unwrap();
    let unit3 = format!("def f(x):\n    print('value', x)\n    if x != 1:\n        print(x, file=sys.stderr)\n    return x\n\n{comments}");
    assert!(fixed == format!("import sys\n{}", unit3.repeat(units)));
}

/// Mounts a tmpfs of `size` at `at`; false when this machine does not allow it.
#[cfg(target_os = "linux")]
fn mount_tmpfs(at: &Path, size: &str) -> bool {
    if !is_root() {
        return false;
    }
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_original_intact_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("disk");
    fs::create_dir(&mount).unwrap();
    if !mount_tmpfs(&mount, "1m") {
        // A loop device needs root as well; without either there is no full disk to make.
        assert!(
            !support::in_ci(),
            "mounting a tmpfs must work under CI=true (root)"
        );
        eprintln!("skipped: cannot mount a tmpfs here (not root, or no permission)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mount);
    // 400 kB of Python 2 whose fixed form is larger; the rest of the disk filled up.
    let text = "print 'x'\n".repeat(40_000);
    fs::write(mount.join("big.py"), &text).unwrap();
    let filler = fs::File::create(mount.join("filler")).unwrap();
    let mut filler = std::io::BufWriter::new(filler);
    while std::io::Write::write_all(&mut filler, &[0u8; 4096]).is_ok() {}
    drop(filler);
    let out = fix_in(&mount).arg("big.py").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(
            "big.py: cannot write: No space left on device (os error 28) (the file is as it was)"
        ),
        "{err}"
    );
    assert_eq!(fs::read_to_string(mount.join("big.py")).unwrap(), text);
    let mut names: Vec<_> = fs::read_dir(&mount)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["big.py", "filler"]);
}

#[test]
fn temporaries_left_by_a_crash_are_removed_by_the_next_run_and_nothing_else() {
    let dir = folder(&[
        ("a.py", "print 1\n"),
        // Ours, from a process that is gone (an id above the kernel's limit) and earlier runs.
        (".py2to3-4999999-3.tmp", "half"),
        (".py2to3-Ab12Cd.tmp", "half"),
        // Not ours: a look-alike and a user's file.
        (".py2to3-notes.tmp", "keep"),
        ("notes.tmp", "keep"),
    ]);
    let old = std::time::SystemTime::now() - Duration::from_secs(60);
    for name in [
        ".py2to3-4999999-3.tmp",
        ".py2to3-Ab12Cd.tmp",
        ".py2to3-notes.tmp",
        "notes.tmp",
    ] {
        let file = fs::File::options()
            .write(true)
            .open(dir.path().join(name))
            .unwrap();
        file.set_modified(old).unwrap();
    }
    // A folder with nothing left to write: a kill just after a swap leaves the old file under
    // a temporary name there, next to the converted one.
    fs::create_dir(dir.path().join("done")).unwrap();
    fs::write(dir.path().join("done/b.py"), "print(2)\n").unwrap();
    fs::write(dir.path().join("done/.py2to3-4999999-9.tmp"), "print 2\n").unwrap();
    let file = fs::File::options()
        .write(true)
        .open(dir.path().join("done/.py2to3-4999999-9.tmp"))
        .unwrap();
    file.set_modified(old).unwrap();
    let out = fix_in(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let names: Vec<_> = snapshot(dir.path()).into_keys().collect();
    assert_eq!(
        names,
        [
            Path::new(".py2to3-notes.tmp"),
            Path::new("a.py"),
            Path::new("done/b.py"),
            Path::new("notes.tmp")
        ]
    );
}
