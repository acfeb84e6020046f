//! meshdoc: crawl data-product manifests and data contracts from many repositories and render
//! them into one static, searchable catalog site.
//!
//! The pipeline runs in one direction, one crate per stage, each importing only from the stages
//! below it: model (ground floor) → config → formats → crawl → catalog → render → site. This
//! crate is the command line and re-exports every stage under one name for tests, benches and
//! programs that embed meshdoc.

pub use catalog;
pub use catalog::contracts;
pub use config;
pub use crawl;
pub use formats;
pub use formats::validate;
pub use mcp;
pub use model;
pub use model::{diagnostics, error};
pub use render;
pub use site::*;

pub use catalog::Catalog;
pub use config::Config;
pub use model::{Diagnostic, Error, Result, Severity};
