//! A very wide contract stays within the page budgets a reader and a host care about: a
//! 200-column ODCS contract of over 2,000 lines gives a contract page under 150 KB that still
//! shows every column, a highlighted source page at most 2.2 times the file, a JSON record no
//! larger than the file, and every line the contract page links to (its diagnostics) is an
//! anchor on the source page. A file changed in many commits lists its newest on the page.

#[path = "support/git.rs"]
mod git;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use meshdoc::config::{Config, SourceConfig};

const COLUMNS: usize = 200;
const PAGE_BUDGET: usize = 150 * 1024;

/// Column `i`, ten lines; every 40th has a logical type ODCS does not know (a located
/// diagnostic each), so the page has lines to link to.
fn column(i: usize) -> String {
    let logical = match i % 4 {
        _ if i % 40 == 7 => "money",
        0 => "integer",
        1 => "string",
        2 => "date",
        _ => "number",
    };
    let classification = if i.is_multiple_of(3) {
        "restricted"
    } else {
        "internal"
    };
    format!(
        "      - name: col_{i:03}\n\
         \x20       businessName: Column {i} of the wide table\n\
         \x20       logicalType: {logical}\n\
         \x20       physicalType: varchar({len})\n\
         \x20       required: {required}\n\
         \x20       unique: {unique}\n\
         \x20       primaryKey: {pk}\n\
         \x20       classification: {classification}\n\
         \x20       description: \"Column {i}: what it holds, with `code` and <markup> that must stay text.\"\n\
         \x20       examples: [\"value-{i}-a\", \"value-{i}-b\"]\n",
        len = 16 + i % 64,
        required = i.is_multiple_of(2),
        unique = i.is_multiple_of(7),
        pk = i == 0,
    )
}

fn contract() -> String {
    let mut text = String::from(
        "apiVersion: v3.1.0\nkind: DataContract\nid: wide\nname: Wide table\nversion: 1.0.0\n\
         status: active\ndomain: sales\ndescription:\n  purpose: One very wide table.\n\
         schema:\n  - name: wide_table\n    physicalType: table\n    properties:\n",
    );
    for i in 0..COLUMNS {
        text.push_str(&column(i));
    }
    text
}

/// The line numbers that `html` links to on the source page (`source/index.html#L<n>`).
fn linked_lines(html: &str) -> Vec<usize> {
    html.match_indices("source/index.html#L")
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let end = rest.find(|c: char| !c.is_ascii_digit())?;
            rest[..end].parse().ok()
        })
        .collect()
}

/// The line anchors of a source page (`id=L<n>`).
fn anchors(html: &str) -> BTreeSet<usize> {
    html.match_indices("id=L")
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let end = rest.find(|c: char| !c.is_ascii_digit())?;
            rest[..end].parse().ok()
        })
        .collect()
}

/// Builds a site from the one source `source` (named "repo") into a fresh folder.
fn build_source(root: &Path, source: SourceConfig) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut config = Config::empty(root);
    config.sources = vec![SourceConfig {
        name: Some("repo".into()),
        ..source
    }];
    meshdoc::build(
        &config,
        &meshdoc::Options {
            out_dir: Some(out.path().to_path_buf()),
            ..Default::default()
        },
    )
    .unwrap();
    out
}

#[test]
fn a_wide_contract_stays_within_its_page_budgets() {
    let dir = tempfile::tempdir().unwrap();
    let text = contract();
    assert!(
        text.lines().count() > 2_000,
        "{} lines",
        text.lines().count()
    );
    fs::write(dir.path().join("wide.odcs.yaml"), &text).unwrap();
    let out = build_source(
        dir.path(),
        SourceConfig {
            dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        },
    );
    let read = |path: &str| {
        fs::read_to_string(out.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };

    // The contract page: within budget, and every column is there with its own anchor.
    let page = read("contracts/wide/index.html");
    assert!(
        page.len() <= PAGE_BUDGET,
        "contract page {} bytes",
        page.len()
    );
    for i in 0..COLUMNS {
        let anchor = format!("c-wide_table.col_{i:03}");
        assert!(
            page.contains(&format!("id={anchor}>")),
            "{anchor} has no row"
        );
        assert!(page.contains(&format!("href=#{anchor}>col_{i:03}</a>")));
    }
    assert!(
        page.contains("&lt;markup&gt; that must stay text"),
        "escaped"
    );
    assert!(
        page.contains("Column 199 of the wide table"),
        "business names"
    );
    assert!(page.contains(">restricted</span>"), "classification");

    // The source page: about twice the file at most, one anchor per line.
    let source = read("contracts/wide/source/index.html");
    let ratio = source.len() as f64 / text.len() as f64;
    assert!(
        ratio <= 2.2,
        "source page {} bytes for a {}-byte file ({ratio:.2}x)",
        source.len(),
        text.len()
    );
    let lines = anchors(&source);
    assert_eq!(
        lines,
        (1..=text.lines().count()).collect::<BTreeSet<_>>(),
        "one anchor per line"
    );

    // Every line the contract page links to (its diagnostics, at the bad types) is on the
    // source page, and it is the line of the bad value.
    let linked = linked_lines(&page);
    assert_eq!(
        linked.len(),
        COLUMNS / 40,
        "one link per diagnostic: {linked:?}"
    );
    for n in &linked {
        assert!(
            lines.contains(n),
            "#L{n} is not an anchor of the source page"
        );
        let line = text.lines().nth(n - 1).unwrap();
        assert!(line.contains("money"), "#L{n} is `{line}`");
    }

    // The JSON record leaves out the flags that are false, and is no larger than the file.
    let record = read("contracts/wide/index.json");
    eprintln!(
        "wide contract: {} lines, {} bytes; page {} bytes, source page {} bytes ({ratio:.2}x), \
         record {} bytes",
        text.lines().count(),
        text.len(),
        page.len(),
        source.len(),
        record.len()
    );
    let json: serde_json::Value = serde_json::from_str(&record).unwrap();
    let columns = json["schema"][0]["properties"].as_array().unwrap();
    assert_eq!(columns.len(), COLUMNS);
    assert_eq!(columns[0]["primaryKey"], true);
    assert_eq!(columns[7]["unique"], true);
    assert!(columns[1].get("unique").is_none() && columns[1].get("pii").is_none());
    assert!(
        record.len() <= text.len(),
        "record {} bytes, file {}",
        record.len(),
        text.len()
    );
}

/// A contract file changed in 60 commits: its page lists the newest 50 and says how many there
/// are; its JSON record keeps every one.
#[test]
fn a_long_history_lists_the_newest_commits_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(&repo).unwrap();
    git::git(&repo, &["init", "-q", "-b", "main"]);
    for n in 0..60 {
        let text = format!(
            "apiVersion: v3.1.0\nkind: DataContract\nid: busy\nversion: 1.0.{n}\nstatus: active\n\
             schema:\n  - name: t\n    properties:\n      - name: c{n}\n        logicalType: string\n"
        );
        fs::write(repo.join("busy.odcs.yaml"), text).unwrap();
        git::git(&repo, &["add", "."]);
        git::git(
            &repo,
            &["commit", "-q", "-m", &format!("change number {n}")],
        );
    }
    let out = build_source(
        dir.path(),
        SourceConfig {
            git: Some(repo.display().to_string()),
            ..Default::default()
        },
    );
    let page = fs::read_to_string(out.path().join("contracts/busy/index.html")).unwrap();
    assert!(
        page.contains("The newest 50 of 60 commits that changed this contract's file"),
        "the count of all commits"
    );
    assert!(page.contains("change number 59"), "the newest is listed");
    assert!(
        page.contains("change number 10"),
        "the 50th newest is listed"
    );
    assert!(
        !page.contains("change number 9<"),
        "older ones are counted, not listed"
    );
    let record: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(out.path().join("contracts/busy/index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["history"].as_array().map(Vec::len), Some(60));
}
