//! The impact in four shapes: readable lines, GitHub annotations on the changed lines, a JSON
//! document shaped after Bitol's draft Open Metadata Difference Standard, and a markdown summary
//! for a merge-request comment.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::base::Changed;
use super::catalog::Consumer;
use super::Impact;

/// One changed contract with the consumers each of its changes touches.
pub struct Assessed {
    pub changed: Changed,
    /// Every direct consumer of the contract (looked up for breaking changes only).
    pub consumers: Vec<Consumer>,
    /// Per change (same order as the report's changes): indices into `consumers` it touches.
    pub touched: Vec<Vec<usize>>,
}

impl Assessed {
    pub fn new(changed: Changed, consumers: Vec<Consumer>) -> Assessed {
        let touched = changed
            .report
            .changes
            .iter()
            .map(|c| {
                if !c.breaking() {
                    return Vec::new();
                }
                let path = changed.column_path(&c.path);
                (0..consumers.len())
                    .filter(|&i| consumers[i].reads(path))
                    .collect()
            })
            .collect();
        Assessed {
            changed,
            consumers,
            touched,
        }
    }

    /// Consumers touched by at least one breaking change, in order.
    fn affected(&self) -> Vec<&Consumer> {
        let mut all: Vec<usize> = self.touched.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all.into_iter().map(|i| &self.consumers[i]).collect()
    }

    /// The version the change calls for: major for a breaking change, minor for others.
    fn suggested_version(&self) -> (Option<String>, &'static str) {
        let report = &self.changed.report;
        let bump = if report.breaking() > 0 {
            "major"
        } else if report.changes.is_empty() {
            "none"
        } else {
            "minor"
        };
        let Some(old) = report.old_version.as_deref() else {
            return (None, bump);
        };
        let core = old.trim_start_matches('v');
        let core = core.split(['-', '+']).next().unwrap_or(core);
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        let (Some(Some(major)), minor, _patch) = (parts.next(), parts.next(), parts.next()) else {
            return (None, bump);
        };
        let minor = minor.flatten().unwrap_or(0);
        let next = match bump {
            "major" => format!("{}.0.0", major + 1),
            "minor" => format!("{major}.{}.0", minor + 1),
            _ => old.to_string(),
        };
        (Some(next), bump)
    }
}

/// A consumer as one line: `orders-report (team Sales Analytics; owner Ann <ann@x>) reads a, b`.
fn who(c: &Consumer) -> String {
    let mut s = c.id.clone();
    let mut parts = Vec::new();
    if let Some(team) = c.team_name.as_ref().or(c.team.as_ref()) {
        parts.push(format!("team {team}"));
    }
    if !c.owners.is_empty() {
        parts.push(format!("owner {}", c.owners.join(", ")));
    }
    if !parts.is_empty() {
        let _ = write!(s, " ({})", parts.join("; "));
    }
    s
}

fn reads(c: &Consumer) -> String {
    let mut s = if c.columns.is_empty() {
        "the whole contract".to_string()
    } else {
        c.columns.join(", ")
    };
    if !c.downstream.is_empty() {
        let _ = write!(s, "; read in turn by {}", c.downstream.join(", "));
    }
    s
}

/// Readable lines (stdout).
pub fn human(impact: &Impact) -> String {
    let mut s = String::new();
    if impact.assessed.is_empty() {
        let _ = writeln!(s, "no contract changed since {}", impact.base);
    }
    for a in &impact.assessed {
        let r = &a.changed.report;
        let (next, bump) = a.suggested_version();
        let _ = writeln!(
            s,
            "{} ({}): {} breaking, {} other changes since {}{}",
            a.changed.file,
            a.changed.contract,
            r.breaking(),
            r.changes.len() - r.breaking(),
            impact.base,
            next.map(|v| format!("; suggested version {v} ({bump})"))
                .unwrap_or_default()
        );
        for (i, c) in r.changes.iter().enumerate() {
            let mark = if c.breaking() { "breaking" } else { "ok" };
            let _ = writeln!(
                s,
                "  {}:{}: {mark}: {}",
                a.changed.file, a.changed.lines[i], c.message
            );
            if !c.breaking() {
                continue;
            }
            if impact.catalog.is_none() {
                continue;
            }
            if a.touched[i].is_empty() {
                let _ = writeln!(s, "      affects no known consumer");
            }
            for &k in &a.touched[i] {
                let consumer = &a.consumers[k];
                let _ = writeln!(
                    s,
                    "      affects {} — reads {}",
                    who(consumer),
                    reads(consumer)
                );
            }
        }
    }
    for w in &impact.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// GitHub workflow commands: an error on the line of each breaking change naming who it breaks,
/// a notice for the others, a warning when consumers could not be looked up.
pub fn github(impact: &Impact) -> String {
    let mut s = String::new();
    for a in &impact.assessed {
        for (i, c) in a.changed.report.changes.iter().enumerate() {
            let level = if c.breaking() { "error" } else { "notice" };
            let mut message = c.message.clone();
            if c.breaking() && impact.catalog.is_some() {
                let names: Vec<String> =
                    a.touched[i].iter().map(|&k| who(&a.consumers[k])).collect();
                if names.is_empty() {
                    message.push_str(" — affects no known consumer");
                } else {
                    let _ = write!(message, " — breaks {}", names.join(", "));
                }
            }
            let _ = writeln!(
                s,
                "::{level} file={},line={},title={}::{}",
                property(&a.changed.file),
                a.changed.lines[i],
                property(&format!(
                    "{} change in contract {}",
                    if c.breaking() {
                        "Breaking"
                    } else {
                        "Compatible"
                    },
                    a.changed.contract
                )),
                data(&message)
            );
        }
    }
    for w in &impact.warnings {
        let _ = writeln!(s, "::warning title=meshdoc impact::{}", data(w));
    }
    s
}

fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One `MetadataDifference` document per changed contract.
pub fn json(impact: &Impact) -> Vec<Value> {
    impact
        .assessed
        .iter()
        .map(|a| {
            let r = &a.changed.report;
            let (next, bump) = a.suggested_version();
            let affected = a.affected();
            let mut teams: Vec<&str> = affected
                .iter()
                .filter_map(|c| c.team.as_deref())
                .collect();
            teams.sort_unstable();
            teams.dedup();
            let changes: Vec<Value> = r
                .changes
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    json!({
                        "type": c.code,
                        "path": c.path,
                        "severity": if c.breaking() { "breaking" } else { "nonBreaking" },
                        "description": c.message,
                        "location": { "file": a.changed.file, "line": a.changed.lines[i] },
                        "impact": a.touched[i].iter().map(|&k| &a.consumers[k]).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "kind": "MetadataDifference",
                "apiVersion": "draft",
                "subject": { "kind": "DataContract", "id": a.changed.contract, "file": a.changed.file },
                "base": { "ref": impact.base, "commit": a.changed.base_commit, "version": r.old_version },
                "head": { "version": r.new_version },
                "summary": {
                    "changes": r.changes.len(),
                    "breaking": r.breaking(),
                    "nonBreaking": r.changes.len() - r.breaking(),
                    "impactedProducts": affected.len(),
                    "impactedTeams": teams.len(),
                    "impactKnown": impact.catalog.is_some(),
                },
                "suggestedVersion": next,
                "versionBump": bump,
                "changes": changes,
                "warnings": r.warnings,
            })
        })
        .collect()
}

/// A markdown summary for a merge-request comment (GitHub's step summary).
pub fn markdown(impact: &Impact) -> String {
    let mut s = String::from("## meshdoc: contract changes\n\n");
    let breaking = impact.breaking();
    let _ = writeln!(
        s,
        "Compared with `{}`: {} changed contract(s), {} breaking change(s).\n",
        md(&impact.base),
        impact.assessed.len(),
        breaking
    );
    for a in &impact.assessed {
        let r = &a.changed.report;
        let (next, bump) = a.suggested_version();
        let _ = writeln!(
            s,
            "### `{}` in `{}`\n",
            md(&a.changed.contract),
            md(&a.changed.file)
        );
        let _ = writeln!(
            s,
            "Version {} → {}{}.\n",
            md(r.old_version.as_deref().unwrap_or("none")),
            md(r.new_version.as_deref().unwrap_or("none")),
            next.map(|v| format!("; suggested: **{}** ({bump})", md(&v)))
                .unwrap_or_default()
        );
        s.push_str("| Change | Line | Affected consumers |\n|---|---|---|\n");
        for (i, c) in r.changes.iter().enumerate() {
            let consumers = if !c.breaking() {
                "—".to_string()
            } else if impact.catalog.is_none() {
                "unknown (no catalog)".to_string()
            } else if a.touched[i].is_empty() {
                "none known".to_string()
            } else {
                a.touched[i]
                    .iter()
                    .map(|&k| md(&who(&a.consumers[k])))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                s,
                "| {}{} | {} | {} |",
                if c.breaking() { "**breaking**: " } else { "" },
                md(&c.message),
                a.changed.lines[i],
                consumers
            );
        }
        s.push('\n');
    }
    for w in &impact.warnings {
        let _ = writeln!(s, "> **Warning:** {}\n", md(w));
    }
    s
}

/// Text as literal markdown in a table cell.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_text_cannot_end_the_command_early() {
        assert_eq!(property("a,b:c\nd"), "a%2Cb%3Ac%0Ad");
        assert_eq!(data("50% done\r\n"), "50%25 done%0D%0A");
    }

    #[test]
    fn markdown_from_a_catalog_stays_literal() {
        assert_eq!(md("<script>|x"), "\\<script\\>\\|x");
    }
}
