//! What the served site is and why: the state that `/__meshdoc/status.json` reports, that the
//! event stream announces, and that the overlay in open pages shows.

use std::path::PathBuf;

use serde::Serialize;

/// The state of the served site after the latest build attempt.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Status {
    /// Counts the builds that changed the served files; a page served at an older number is
    /// stale and reloads.
    pub build: u64,
    pub state: State,
    /// One line for the terminal and the overlay's heading.
    pub summary: String,
    /// Why the last attempt was held back or failed (empty when the site is current).
    pub problems: Vec<Problem>,
    /// Error and warning diagnostics of the site being served (shown by `meshdoc check`).
    pub errors: usize,
    pub warnings: usize,
    /// The output folder being served (that of the last good build).
    #[serde(skip)]
    pub site: PathBuf,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// A build is running.
    Building,
    /// The served site is built from the inputs as they are now.
    Ok,
    /// The latest edit brought new errors: nothing was written, the last good site is served.
    Held,
    /// The latest build could not run at all (config, theme or output folder): the last good
    /// site is served.
    Failed,
}

/// One reason the last attempt did not reach the served site, located where the user edits.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    /// The path to open: from the config's folder when the file is under it.
    pub path: String,
    /// The source (repository) and the file inside it, as `meshdoc check` names them.
    pub source: String,
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    /// `path:line:column: message`, as terminals and editors link it.
    pub fn located(&self) -> String {
        let mut text = self.path.clone();
        if let Some(line) = self.line {
            text.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                text.push_str(&format!(":{column}"));
            }
        }
        if text.is_empty() {
            return self.message.clone();
        }
        format!("{text}: {}", self.message)
    }
}

impl Status {
    pub fn starting(site: PathBuf) -> Status {
        Status {
            site,
            build: 0,
            state: State::Building,
            summary: "building".into(),
            problems: Vec::new(),
            errors: 0,
            warnings: 0,
        }
    }
}
