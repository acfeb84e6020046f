//! The ground floor of meshdoc: the catalog model types, ids and slugs, the located YAML tree,
//! diagnostics, measurement and time. It imports nothing of the project; every stage builds on it.

pub mod cache_form;
pub mod codes;
pub mod diagnostics;
pub mod display;
pub mod entity;
pub mod error;
pub mod measure;
pub mod narrative;
pub mod redact;
pub mod slug;
pub mod source;
pub mod time;
pub mod yaml;

pub use codes::Code;
pub use diagnostics::{Diagnostic, Severity};
pub use entity::*;
pub use error::{Error, Result};
pub use source::SourceFile;
