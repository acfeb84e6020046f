//! One rebuild at a time: build the site, unless the edit brought new errors, in which case the
//! last good site stays in place and the overlay says why.
//!
//! "New" errors are those the served site did not already have (compared by source, file, code
//! and message, so a line moved by an edit above it is not new). A site that had errors when
//! `serve` started is still served: holding back only what an edit broke keeps a mesh with old
//! problems previewable.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use catalog::Catalog;
use config::Config;
use model::{Diagnostic, Severity};
use tokio::sync::watch;

use crate::inputs::Inputs;
use crate::status::{Problem, State, Status};

/// Loads the config anew for each build (the command line's `--config`/`--source` rules).
pub type LoadConfig = Box<dyn Fn() -> model::Result<Config> + Send>;

/// An error diagnostic as compared between builds.
type Key = (String, String, String, String);

fn key(d: &Diagnostic) -> Key {
    (
        d.source.clone(),
        d.file.clone(),
        d.code.as_str().to_string(),
        d.message.clone(),
    )
}

fn errors(catalog: &Catalog) -> impl Iterator<Item = &Diagnostic> {
    catalog
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
}

pub struct Builder {
    load: LoadConfig,
    config_file: PathBuf,
    /// `--out`, else the config's `[build] out_dir`.
    out: Option<PathBuf>,
    /// Error diagnostics of the site being served; `None` until a site was written.
    accepted: Option<HashSet<Key>>,
    status: watch::Sender<Status>,
    /// What the latest config reads, to watch.
    pub inputs: Inputs,
    /// The output folder of the latest config.
    pub out_dir: PathBuf,
}

impl Builder {
    /// Load the config once (an unreadable config at start is an error: there is nothing to
    /// watch or serve yet).
    pub fn new(
        load: LoadConfig,
        config_file: PathBuf,
        out: Option<PathBuf>,
    ) -> model::Result<(Builder, watch::Receiver<Status>)> {
        let config = load()?;
        let out_dir = out_dir(&config, out.as_deref());
        let inputs = Inputs::of(&config, &config_file, &out_dir);
        let (status, receiver) = watch::channel(Status::starting(out_dir.clone()));
        let builder = Builder {
            load,
            config_file,
            out,
            accepted: None,
            status,
            inputs,
            out_dir,
        };
        Ok((builder, receiver))
    }

    /// Build once and publish the outcome; never fails (a failure becomes the status).
    pub fn rebuild(&mut self) -> Status {
        let started = Instant::now();
        self.status.send_modify(|s| s.state = State::Building);
        let config = match (self.load)() {
            Ok(config) => config,
            Err(e) => return self.failed(self.config_problem(&e.to_string())),
        };
        self.out_dir = out_dir(&config, self.out.as_deref());
        self.inputs = Inputs::of(&config, &self.config_file, &self.out_dir);
        let options = site::Options {
            out_dir: Some(self.out_dir.clone()),
            progress: false,
            force: false,
            locked: false,
        };
        let accepted = self.accepted.clone();
        let hold = |catalog: &Catalog| {
            accepted
                .as_ref()
                .is_some_and(|a| errors(catalog).any(|d| !a.contains(&key(d))))
        };
        let took = || format!("{:.2}s", started.elapsed().as_secs_f64());
        let current = self.status.borrow().clone();
        let next = match site::build_unless(&config, &options, &hold) {
            Ok(site::Built::Written(report)) => {
                let counts = model::diagnostics::count(&report.catalog.diagnostics);
                self.accepted = Some(errors(&report.catalog).map(key).collect());
                let changed = report.written > 0 || current.build == 0;
                Status {
                    build: current.build + u64::from(changed),
                    state: State::Ok,
                    summary: if report.up_to_date {
                        format!("up to date ({})", took())
                    } else {
                        format!(
                            "built {} pages in {}: {} files changed",
                            report.pages,
                            took(),
                            report.written
                        )
                    },
                    problems: Vec::new(),
                    errors: counts.errors,
                    warnings: counts.warnings,
                    site: report.out_dir.clone(),
                }
            }
            Ok(site::Built::Held(catalog)) => {
                let accepted = self.accepted.clone().unwrap_or_default();
                let problems: Vec<Problem> = errors(&catalog)
                    .filter(|d| !accepted.contains(&key(d)))
                    .map(|d| self.problem(d, &config))
                    .collect();
                Status {
                    summary: format!(
                        "{} new error{} ({}): still serving the last good site",
                        problems.len(),
                        if problems.len() == 1 { "" } else { "s" },
                        took()
                    ),
                    state: State::Held,
                    problems,
                    ..current
                }
            }
            Err(e) => return self.failed(self.build_problem(&e.to_string())),
        };
        self.status.send_replace(next.clone());
        next
    }

    fn failed(&self, problem: Problem) -> Status {
        let current = self.status.borrow().clone();
        let next = Status {
            state: State::Failed,
            summary: if current.build == 0 {
                "the build failed: no site to serve yet".into()
            } else {
                "the build failed: still serving the last good site".into()
            },
            problems: vec![problem],
            ..current
        };
        self.status.send_replace(next.clone());
        next
    }

    /// A diagnostic, with its file as a path the user can open.
    fn problem(&self, d: &Diagnostic, config: &Config) -> Problem {
        let path = match self.inputs.places.get(&d.source) {
            Some(place) if !d.file.is_empty() => shown(&place.join(&d.file), &config.root),
            _ if d.file.is_empty() => d.source.clone(),
            _ => format!("{}/{}", d.source, d.file),
        };
        Problem {
            path,
            source: d.source.clone(),
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            code: d.code.as_str().to_string(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }

    /// A config that no longer loads: located where its message says (TOML errors name a line
    /// and a column).
    fn config_problem(&self, message: &str) -> Problem {
        let root = self.config_file.parent().unwrap_or(Path::new("."));
        let (line, column) = line_and_column(message);
        Problem {
            path: shown(&self.config_file, root),
            source: String::new(),
            file: self.config_file.to_string_lossy().into_owned(),
            line,
            column,
            code: "config".into(),
            message: message.to_string(),
            hint: Some("fix meshdoc.toml; the site is rebuilt when it is saved".into()),
        }
    }

    fn build_problem(&self, message: &str) -> Problem {
        Problem {
            path: String::new(),
            source: String::new(),
            file: String::new(),
            line: None,
            column: None,
            code: "build".into(),
            message: message.to_string(),
            hint: None,
        }
    }
}

fn out_dir(config: &Config, out: Option<&Path>) -> PathBuf {
    match out {
        Some(out) => site::absolute(out),
        None => site::absolute(&config.resolve(&config.build.out_dir)),
    }
}

/// `path` from `root` when it is below it (what the user typed in the config), else as it is.
fn shown(path: &Path, root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    path.strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// The first "line N" and "column M" of an error message.
fn line_and_column(message: &str) -> (Option<u32>, Option<u32>) {
    let number_after = |word: &str| {
        let at = message.find(word)? + word.len();
        let digits: String = message[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    (number_after("line "), number_after("column "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_are_located() {
        let message = "TOML parse error at line 3, column 9\n  |\n3 | title = \n";
        assert_eq!(line_and_column(message), (Some(3), Some(9)));
        assert_eq!(line_and_column("no such file"), (None, None));
    }
}
