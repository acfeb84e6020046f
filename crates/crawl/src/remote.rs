//! Remote repositories: cloned once into the cache with the system `git` (which brings the user's
//! credentials, SSH keys and proxies exactly as their CI has them), then fetched on later runs.

use model::Code;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Condvar, Mutex};

use model::diagnostics::Diagnostic;
use model::redact;
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

/// The repository's name in a URL (`…/orders.git?x=y` → `orders`): the last path component,
/// never the user-info or query where credentials stand.
pub fn repository_name(url: &str) -> String {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    let after_host = without_query
        .split_once("://")
        .map_or(without_query, |(_, rest)| rest);
    let after_user = after_host.rsplit_once('@').map_or(after_host, |(_, r)| r);
    let tail = after_user
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repo");
    let name = tail.trim_end_matches(".git");
    if name.is_empty() {
        "repo".to_string()
    } else {
        name.to_string()
    }
}

/// Where a URL's clone lives in the cache: readable, and unique per URL.
pub fn cache_path(cache_dir: &Path, url: &str) -> PathBuf {
    cache_dir.join("git").join(format!(
        "{}-{:016x}.git",
        slug(&repository_name(url)),
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

/// Make sure the cache holds an up-to-date bare clone of `url`. Every message shows the URL
/// with its credentials masked, and git's own output scrubbed of them.
pub fn ensure(
    url: &str,
    cache_dir: &Path,
    slots: &FetchSlots,
    source: &str,
) -> Result<(PathBuf, Fetched, Option<Diagnostic>), Box<Diagnostic>> {
    let shown = redact::url(url);
    let secrets = redact::secrets(url);
    // Checked when the config was read; checked again here, right before git runs.
    if let Err(message) = config::git_url::check(url).and_then(|l| match l {
        config::git_url::Location::Remote => Ok(()),
        config::git_url::Location::Path => Err(format!("{shown} is not a URL")),
    }) {
        return Err(Box::new(
            Diagnostic::error(Code::BadSource, message)
                .at_file(source, "")
                .hint("pass credentials through a git credential helper, the SSH agent or the environment, never in the URL"),
        ));
    }
    let path = cache_path(cache_dir, url);
    if path.join("HEAD").is_file() {
        let out = slots.run(|| {
            git(
                &[
                    "-C",
                    &path.to_string_lossy(),
                    "fetch",
                    "--quiet",
                    "--prune",
                    "--force",
                    "--no-recurse-submodules",
                    "--",
                    url,
                    "+refs/heads/*:refs/heads/*",
                    "+refs/tags/*:refs/tags/*",
                ],
                &secrets,
            )
        });
        return Ok(match out {
            Ok(()) => (path, Fetched::Updated, None),
            Err(e) => {
                let warning = Diagnostic::warning(
                    Code::FetchFailed,
                    format!("cannot fetch {shown}: {e}; using the copy from an earlier run"),
                )
                .at_file(source, "")
                .hint(CREDENTIALS_HINT);
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
        .run(|| {
            git(
                &[
                    "clone",
                    "--bare",
                    "--quiet",
                    "--no-recurse-submodules",
                    // No template folder: no hooks copied into the clone.
                    "--template=",
                    "--",
                    url,
                    &partial.to_string_lossy(),
                ],
                &secrets,
            )
        })
        .map_err(|e| {
            let _ = std::fs::remove_dir_all(&partial);
            Box::new(
                Diagnostic::error(Code::CloneFailed, format!("cannot clone {shown}: {e}"))
                    .at_file(source, "")
                    .hint(CREDENTIALS_HINT),
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

const CREDENTIALS_HINT: &str = "check the URL, the network and your git credentials (`git ls-remote <url>` should work); pass credentials through a git credential helper, the SSH agent or the environment, not in the URL";

/// Variables that would point git at another repository than the one named (set when meshdoc
/// runs inside a git hook, say).
const REPOSITORY_VARIABLES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
];

/// Run git without a terminal prompt, over the allowed transports only, with no hooks and no
/// submodules; the error is git's last line of output, scrubbed of `secrets` and of any
/// credential it shows.
fn git(args: &[&str], secrets: &[String]) -> Result<(), String> {
    let mut command = Command::new("git");
    for name in REPOSITORY_VARIABLES {
        command.env_remove(name);
    }
    let output = command
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "submodule.recurse=false",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "protocol.ext.allow=never",
            "-c",
            "protocol.fd.allow=never",
        ])
        .args(args)
        .env("GIT_ALLOW_PROTOCOL", config::git_url::TRANSPORTS.join(":"))
        .env("GIT_PROTOCOL_FROM_USER", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .env("SSH_ASKPASS", "true")
        .env("GCM_INTERACTIVE", "never")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git ({e}); is git installed?"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("git failed")
        .trim();
    Err(redact::scrub(last, secrets))
}
