//! Pages for newcomers (issue 14): where to start, the words explained, how to publish, and the
//! documentation teams keep beside their manifests.

pub mod concepts;
pub mod doc_markdown;
pub mod docs;
pub mod publish;
pub mod start;
