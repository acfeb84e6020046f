//! Errors that stop a command (as opposed to diagnostics, which never do).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: invalid configuration: {message}")]
    Config { file: PathBuf, message: String },
    #[error("template error: {0}")]
    Template(String),
    #[error("{0}")]
    Usage(String),
}

pub type Result<T> = std::result::Result<T, Error>;
