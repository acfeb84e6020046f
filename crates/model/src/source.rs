//! The crawl's output and the formats' input: one file's bytes with where they came from.

use crate::entity::{FileVersion, Origin};

/// The bytes of one candidate manifest, with where they came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub origin: Origin,
    pub bytes: Vec<u8>,
    /// Git sources: the commits that changed the file, newest first.
    pub history: Vec<FileVersion>,
}

impl SourceFile {
    /// A file from a plain folder (no git provenance): handy for tests and tools.
    pub fn new(source: &str, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        SourceFile {
            origin: Origin {
                source: source.to_string(),
                path: path.to_string(),
                ..Origin::default()
            },
            bytes: bytes.into(),
            history: Vec::new(),
        }
    }
}
