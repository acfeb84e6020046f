//! Remote repositories: cloned once into the cache with the system `git` (which brings the user's
//! credentials, SSH keys and proxies exactly as their CI has them), then fetched on later runs.

use model::Code;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Condvar, Mutex};

use model::diagnostics::Diagnostic;
use model::slug::{fnv1a, slug};

/// Bounds how many clones and fetches run at once.
pub struct FetchSlots {
    free: Mutex<usize>,
    released: Condvar,
}

impl FetchSlots {
    pub fn new(n: usize) -> Self {
        FetchSlots {
            free: Mutex::new(n.max(1)),
            released: Condvar::new(),
        }
    }

    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
            while *free == 0 {
                free = self.released.wait(free).unwrap_or_else(|e| e.into_inner());
            }
            *free -= 1;
        }
        let result = f();
        *self.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.released.notify_one();
        result
    }
}

/// Where a URL's clone lives in the cache: readable, and unique per URL.
pub fn cache_path(cache_dir: &Path, url: &str) -> PathBuf {
    let tail = url
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repo");
    cache_dir.join("git").join(format!(
        "{}-{:016x}.git",
        slug(tail.trim_end_matches(".git")),
        fnv1a(url)
    ))
}

/// What happened to a remote on this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    Cloned,
    Updated,
    /// The fetch failed; the copy from an earlier run is used (with a warning).
    Stale,
}

/// Make sure the cache holds an up-to-date bare clone of `url`.
pub fn ensure(
    url: &str,
    cache_dir: &Path,
    slots: &FetchSlots,
    source: &str,
) -> Result<(PathBuf, Fetched, Option<Diagnostic>), Box<Diagnostic>> {
    let path = cache_path(cache_dir, url);
    if path.join("HEAD").is_file() {
        let out = slots.run(|| {
            git(&[
                "-C",
                &path.to_string_lossy(),
                "fetch",
                "--quiet",
                "--prune",
                "--force",
                url,
                "+refs/heads/*:refs/heads/*",
                "+refs/tags/*:refs/tags/*",
            ])
        });
        return Ok(match out {
            Ok(()) => (path, Fetched::Updated, None),
            Err(e) => {
                let warning = Diagnostic::warning(Code::FetchFailed, format!("cannot fetch {url}: {e}; using the copy from an earlier run"))
                    .at_file(source, "")
                    .hint("check the URL, the network and your git credentials (`git ls-remote <url>` should work)");
                (path, Fetched::Stale, Some(warning))
            }
        });
    }
    let parent = path.parent().unwrap_or(cache_dir);
    std::fs::create_dir_all(parent).map_err(|e| {
        Box::new(
            Diagnostic::error(
                Code::SourceUnreadable,
                format!("cannot create the cache folder {}: {e}", parent.display()),
            )
            .at_file(source, "")
            .hint("set [build] cache_dir or MESHDOC_CACHE_DIR to a writable folder"),
        )
    })?;
    // Clone beside the final place and rename, so an interrupted clone never looks complete.
    let partial = parent.join(format!(".partial-{}-{}", std::process::id(), fnv1a(url)));
    let _ = std::fs::remove_dir_all(&partial);
    slots
        .run(|| git(&["clone", "--bare", "--quiet", url, &partial.to_string_lossy()]))
        .map_err(|e| {
            let _ = std::fs::remove_dir_all(&partial);
            Box::new(
                Diagnostic::error(Code::CloneFailed, format!("cannot clone {url}: {e}"))
                    .at_file(source, "")
                    .hint("check the URL, the network and your git credentials (`git ls-remote <url>` should work)"),
            )
        })?;
    std::fs::rename(&partial, &path).map_err(|e| {
        Diagnostic::error(
            Code::SourceUnreadable,
            format!("cannot move the clone into {}: {e}", path.display()),
        )
        .at_file(source, "")
        .hint("check the cache folder's permissions")
    })?;
    Ok((path, Fetched::Cloned, None))
}

/// Run git without a terminal prompt; the error is git's last line of output.
fn git(args: &[&str]) -> Result<(), String> {
    let output = Command::new("git")
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .output()
        .map_err(|e| format!("cannot run git ({e}); is git installed?"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(stderr
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("git failed")
        .trim()
        .to_string())
}
