//! One build at a time per output folder, and clean recovery after a killed one.
//!
//! A build writes into `.<out>.meshdoc-new-<pid>` beside the output and swaps it in; the lock
//! file `.<out>.meshdoc-lock` beside them holds the owning pid, host and start time. A second
//! build into the same folder waits for it (bounded), then fails with a message that names the
//! owner. A lock whose process is gone on this host is taken over, and the staging folders of
//! dead builds are removed.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use model::error::{Error, Result};

/// How long a build waits for another one into the same folder (override: MESHDOC_LOCK_WAIT,
/// in seconds).
const DEFAULT_WAIT: Duration = Duration::from_secs(120);

/// The output folder's lock, held from the first staged file to the swap.
#[derive(Debug)]
pub struct OutputLock {
    path: PathBuf,
    owner: Owner,
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Owner {
    pid: u32,
    host: String,
    /// Seconds since the epoch.
    started: u64,
}

impl Owner {
    fn this_process() -> Owner {
        Owner {
            pid: std::process::id(),
            host: host_name(),
            started: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    fn to_text(&self) -> String {
        format!(
            "pid={}\nhost={}\nstarted={}\n",
            self.pid, self.host, self.started
        )
    }

    fn parse(text: &str) -> Option<Owner> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
                .map(str::trim)
        };
        Some(Owner {
            pid: field("pid")?.parse().ok()?,
            host: field("host").unwrap_or("").to_string(),
            started: field("started").and_then(|s| s.parse().ok()).unwrap_or(0),
        })
    }

    /// Whether the owner may still be running: its pid lives on this host (a lock from another
    /// host, on a shared disk, is assumed alive).
    fn alive(&self) -> bool {
        if self.host != host_name() {
            return true;
        }
        pid_alive(self.pid)
    }

    fn describe(&self) -> String {
        format!(
            "pid {} on {}, started {}",
            self.pid,
            if self.host.is_empty() {
                "an unknown host"
            } else {
                &self.host
            },
            model::time::format_timestamp(self.started as i64)
        )
    }
}

/// The lock file of an output folder: beside it, named after it.
pub fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.meshdoc-lock"))
}

impl OutputLock {
    /// Take the lock of the folder `name` in `parent`, waiting up to the bound for a live owner;
    /// `waiting` is told once when the wait begins.
    pub fn acquire(parent: &Path, name: &str, waiting: &mut dyn FnMut(&str)) -> Result<OutputLock> {
        let path = lock_path(parent, name);
        let me = Owner::this_process();
        let bound = wait_bound();
        let begun = Instant::now();
        let mut told = false;
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(me.to_text().as_bytes())
                        .map_err(|source| Error::Io {
                            path: path.clone(),
                            source,
                        })?;
                    return Ok(OutputLock { path, owner: me });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(source) => return Err(Error::Io { path, source }),
            }
            let Ok(text) = fs::read_to_string(&path) else {
                continue; // released between our two looks: try again
            };
            let owner = Owner::parse(&text);
            let live = match &owner {
                // Our own pid is a killed earlier process's, reused.
                Some(o) => o.pid != me.pid && o.alive(),
                None => young(&path),
            };
            if !live {
                // Take the lock over. Removal races with other takers; only one `create_new` wins.
                let _ = fs::remove_file(&path);
                continue;
            }
            let who = owner.map_or_else(|| "another process".to_string(), |o| o.describe());
            let out = parent.join(name);
            if begun.elapsed() >= bound {
                return Err(Error::Usage(format!(
                    "another meshdoc build ({who}) is writing into {}; gave up after waiting {}s (MESHDOC_LOCK_WAIT). If no build is running, delete {}",
                    out.display(),
                    bound.as_secs(),
                    path.display()
                )));
            }
            if !told {
                waiting(&format!(
                    "waiting for another meshdoc build ({who}) to finish writing {} (up to {}s)",
                    out.display(),
                    bound.as_secs()
                ));
                told = true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A lock file that cannot be read as one (being written, or foreign) is respected while it is
/// young, and taken over once older than a minute.
fn young(path: &Path) -> bool {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < Duration::from_secs(60))
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Only our own lock: a lock taken over from us (we were thought dead) stays.
        let ours = fs::read_to_string(&self.path)
            .ok()
            .and_then(|t| Owner::parse(&t))
            .is_some_and(|o| o == self.owner);
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}

fn wait_bound() -> Duration {
    std::env::var("MESHDOC_LOCK_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(DEFAULT_WAIT, Duration::from_secs)
}

/// Remove what killed builds into `name` left beside it: staging folders (`-new-<pid>`) and, when
/// the output itself is missing because a build died between its two renames, put the retired
/// previous site (`-old-<pid>`) back first. Only folders of processes that are gone are touched.
pub fn recover(parent: &Path, name: &str) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return removed;
    };
    let out_dir = parent.join(name);
    let mut retired = Vec::new();
    let mut staging = Vec::new();
    let mut journals = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.meshdoc-")) else {
            continue;
        };
        let (kind, pid) = match rest.split_once('-') {
            Some((kind, pid)) => (kind, pid.parse::<u32>().ok()),
            None => continue,
        };
        let Some(pid) = pid else { continue };
        if pid != std::process::id() && pid_alive(pid) {
            continue;
        }
        match kind {
            "new" => staging.push(entry.path()),
            "old" => retired.push(entry.path()),
            "journal" => journals.push((entry.path(), pid)),
            "journaltmp" => {
                let _ = fs::remove_file(entry.path());
            }
            _ => {}
        }
    }
    // A committed patch is finished before its staging folder goes (see `patch`).
    for (journal, pid) in journals {
        let staged = parent.join(format!(".{name}.meshdoc-new-{pid}"));
        let _ = super::patch::apply(&journal, &staged, &out_dir);
    }
    if !out_dir.exists() {
        if let Some(previous) = retired.pop() {
            let _ = fs::rename(&previous, &out_dir);
        }
    }
    for dir in staging.into_iter().chain(retired) {
        if fs::remove_dir_all(&dir).is_ok() {
            removed.push(dir);
        }
    }
    removed
}

/// Whether a process with this id runs on this machine.
fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc_root = Path::new("/proc");
    if proc_root.join("self").exists() {
        return proc_root.join(pid.to_string()).exists();
    }
    // No procfs (macOS, BSD): ask the system; without a way to tell, assume it runs.
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .map_or(true, |s| s.success())
}

/// This machine's name, to tell whose pid a lock names.
fn host_name() -> String {
    for file in ["/proc/sys/kernel/hostname", "/etc/hostname"] {
        if let Ok(text) = fs::read_to_string(file) {
            let name = text.trim();
            if !name.is_empty() {
                return name.to_string();
            }
        }
    }
    std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .unwrap_or_default()
}
