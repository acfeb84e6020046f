//! `meshdoc mcp`: a Model Context Protocol server over a site that `meshdoc build` wrote.
//!
//! It needs no catalog and no rebuild: it reads what the site publishes for machines —
//! `catalog.json` (the compact index), each entity's `index.json` beside its page and the
//! search index under `search/` — from a folder or a hosted base URL, and answers assistants'
//! questions with the page URL a person can check.
//!
//! - [`source`]: where files come from (folder or HTTP), and the guard that keeps reads inside.
//! - [`site`]: the loaded index (ids → records), a bounded cache of fetched files.
//! - [`search`]: the site's own search ranking (a port of `static/search.js`).
//! - [`lineage`]: neighbours up and down N hops, bounded.
//! - [`answers`]: what each tool answers, as plain functions (tested without a client).
//! - [`server`]: the MCP tool router over stdio.

pub mod answers;
pub mod lineage;
pub mod search;
pub mod server;
pub mod site;
pub mod source;

pub use site::Site;

/// The `catalog.json` format this server reads (render's `catalog_json::FORMAT_VERSION`).
pub const FORMAT_VERSION: u64 = 4;

/// Why the site or one of its files could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site as a whole is unusable (wrong folder, HTML instead of JSON, other format).
    #[error("{0}")]
    Site(String),
    #[error("{0}: refused, the path leads outside the site")]
    Outside(String),
    #[error("{0}: not found in the site ({1})")]
    Missing(String, String),
    #[error("{0}: larger than {max} MiB, not read", max = source::MAX_FILE_BYTES >> 20)]
    TooLarge(String),
    #[error("{0}: could not be fetched: {1}")]
    Unreachable(String, String),
    /// A file of the site that is not what meshdoc writes there.
    #[error("{0}: {1}")]
    Format(String, String),
    #[error("the MCP transport failed: {0}")]
    Transport(String),
}

/// Serve the site at `site` (folder or URL) over stdio until the client closes the connection.
/// The site is opened and checked first, so a wrong folder or URL fails here, before serving.
pub fn serve(site: &str) -> Result<(), Error> {
    let site = Site::open(site)?;
    // One thread: stdio is read on tokio's blocking pool, and the tools' reads are short.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| Error::Transport(e.to_string()))?;
    runtime.block_on(server::run(site))
}
