//! Data contracts beyond reading them: comparing two versions (`diff`).

pub mod changelog_cache;
pub mod diff;
pub mod history;
pub mod refs;
