//! `meshdoc check --base REF [--catalog SITE]`: the contracts a merge request changes, compared
//! with the merge base, and for each breaking change the downstream products (their teams and
//! owners) that read what changed, from a built site's catalog.
//!
//! Consumers are the *direct* readers of a contract (products whose input ports read it): a
//! breaking change fails their reads first; whether it travels further depends on whether they
//! pass the column on, which their own contracts' column lineage says.

mod base;
mod catalog;
mod locate;
mod report;

pub use report::Assessed;

use catalog::{CatalogIndex, Consumer};

/// Everything the printers need.
pub struct Impact {
    pub base: String,
    pub assessed: Vec<Assessed>,
    /// Where consumers were read from, when they could be.
    pub catalog: Option<String>,
    /// Why the impact list is missing or partial (an unreachable catalog, a git source).
    pub warnings: Vec<String>,
}

impl Impact {
    pub fn breaking(&self) -> usize {
        self.assessed
            .iter()
            .map(|a| a.changed.report.breaking())
            .sum()
    }
}

/// Compare with `base` (`now`: the catalog as checked) and look up consumers in `catalog` (a
/// path or URL) when given.
pub fn assess(
    config: &meshdoc::Config,
    now: &meshdoc::Catalog,
    base_ref: &str,
    catalog_at: Option<&str>,
) -> Result<Impact, String> {
    let current = now.contracts.iter().map(|c| (c.id.as_str(), c)).collect();
    let comparison = base::compare(config, base_ref, &current)?;
    let mut warnings = comparison.notes;
    let mut index = match catalog_at {
        None => None,
        Some(at) => match CatalogIndex::load(at) {
            Ok(index) => Some(index),
            Err(e) => {
                warnings.push(format!(
                    "the catalog could not be read ({e}): the check ran without the list of affected consumers"
                ));
                None
            }
        },
    };
    let mut assessed = Vec::new();
    for changed in comparison.changed {
        let consumers: Vec<Consumer> = match (&mut index, changed.report.breaking()) {
            (Some(index), n) if n > 0 => index.consumers(&changed.contract),
            _ => Vec::new(),
        };
        assessed.push(Assessed::new(changed, consumers));
    }
    if let Some(index) = index.as_mut() {
        warnings.append(&mut index.notes);
    }
    Ok(Impact {
        base: base_ref.to_string(),
        assessed,
        catalog: catalog_at.filter(|_| index.is_some()).map(str::to_string),
        warnings,
    })
}

pub use report::{github, human, json, markdown};
