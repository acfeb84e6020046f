//! `publish/`: how a producer gets a product onto this site. The standards come from the formats
//! registry (so the page lists what this build really reads), each with a minimal valid example;
//! then the sources this site reads, how merge requests are checked, and each team's health.

use serde_json::{json, Value};

use catalog::Catalog;
use config::Config;
use formats::about;

use crate::views::CatalogRefs;

/// Teams listed with their health (those with the most problems first); the rest are on the
/// teams and health pages.
const TEAMS_SHOWN: usize = 40;

/// The page's context.
pub fn page(catalog: &Catalog, config: &Config) -> Value {
    let mut standards: Vec<Value> = Vec::new();
    for kind in about::kinds() {
        let a = about::about(kind);
        standards.push(json!({
            "standard": a.standard,
            "document": a.document,
            "init": a.example == Some(about::EXAMPLE_PRODUCT) || a.example == Some(about::EXAMPLE_CONTRACT),
            "describes": a.describes,
            "recognised_by": a.recognised_by,
            "url": a.url,
            "example": a.example,
            "anchor": model::slug::slug(&format!("{kind:?}")),
        }));
    }
    let sources: Vec<Value> = config
        .sources
        .iter()
        .map(|s| {
            let location = match (&s.dir, &s.git) {
                (_, Some(git)) => model::redact::url(git),
                (Some(dir), None) => dir.display().to_string(),
                (None, None) => String::new(),
            };
            json!({
                "name": s.name, "kind": if s.git.is_some() { "git" } else { "folder" },
                "location": location, "ref": s.git_ref, "paths": s.paths, "exclude": s.exclude,
            })
        })
        .collect();
    let mut teams: Vec<(usize, usize)> = (0..catalog.teams.len())
        .map(|i| {
            let issues = catalog
                .team_diagnostic_counts
                .get(&catalog.teams[i].id)
                .copied()
                .unwrap_or(0);
            (i, issues)
        })
        .collect();
    teams.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| catalog.teams[a.0].name.cmp(&catalog.teams[b.0].name))
    });
    let team_rows: Vec<Value> = teams
        .iter()
        .take(TEAMS_SHOWN)
        .map(|&(i, issues)| {
            json!({
                "ref": catalog.team_ref(Some(&catalog.teams[i].id)),
                "products": catalog.team_products[i].len(),
                "contracts": catalog.team_contracts[i].len(),
                "issues": issues,
            })
        })
        .collect();
    json!({
        "standards": standards,
        "sources": sources,
        "source_names": catalog.sources.iter().take(TEAMS_SHOWN).collect::<Vec<_>>(),
        "sources_total": catalog.sources.len(),
        "teams": team_rows,
        "teams_total": catalog.teams.len(),
    })
}
