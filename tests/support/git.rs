//! The git CLI for tests that build real repositories: a fixed author, no user or system
//! config, and a failed command fails the test with git's own message.

use std::path::Path;
use std::process::Command;

/// Run `git ARGS` in `dir`; its trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    run(Command::new("git").args(args).current_dir(dir), args)
}

/// [`git`] with author and committer dates fixed, for commits whose ids a test must repeat.
#[allow(dead_code)] // each test binary includes this file and uses what it needs
pub fn git_at(dir: &Path, args: &[&str], date: &str) -> String {
    run(
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date),
        args,
    )
}

fn run(command: &mut Command, args: &[&str]) -> String {
    let out = command
        .env("GIT_AUTHOR_NAME", "Tess Tester")
        .env("GIT_AUTHOR_EMAIL", "tess@example.com")
        .env("GIT_COMMITTER_NAME", "Tess Tester")
        .env("GIT_COMMITTER_EMAIL", "tess@example.com")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
