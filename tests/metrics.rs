//! Metric snapshots end to end: a mesh whose products pass, fail and go stale, built into a site;
//! the badges, compliance figures and health entries are asserted on the pages and in catalog.json.
//! Bad snapshot input costs one located diagnostic each and leaves the rest of the series standing.

#[path = "support/catalog_json.rs"]
mod catalog_json;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use meshdoc::config::{Config, SourceConfig};

/// Day `d` of June 2026 at 06:00 UTC; the reference ("now") is day 30.
fn day(d: u32) -> String {
    format!("2026-06-{d:02}T06:00:00Z")
}
const NOW: &str = "2026-06-30T06:00:00Z";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn product(id: &str, team: &str) -> String {
    format!(
        "apiVersion: v1.0.0\nkind: DataProduct\nid: {id}\nname: Product {id}\nstatus: active\nteam:\n  name: {team}\noutputPorts:\n  - name: main\n    version: 1.0.0\n    contractId: {id}-v1\n"
    )
}

fn contract(id: &str, freshness_minutes: u32) -> String {
    format!(
        "apiVersion: v3.1.0\nkind: DataContract\nid: {id}-v1\nname: Contract {id}\nversion: 1.0.0\nstatus: active\n\
         schema:\n  - name: items\n    quality:\n      - metric: rowCount\n        mustBeGreaterThan: 1000\n\
         slaProperties:\n  - property: freshness\n    value: {freshness_minutes}\n    unit: m\n  - property: availability\n    value: 99.5\n    unit: percent\n"
    )
}

/// Daily CSV rows for days `from..=to` of June: rowCount, freshnessMinutes (from `fresh`) and
/// availability.
fn series(from: u32, to: u32, fresh: impl Fn(u32) -> u32) -> String {
    let mut csv = String::from("timestamp,metric,value\n");
    for d in from..=to {
        csv.push_str(&format!(
            "{t},rowCount,{}\n{t},freshnessMinutes,{}\n{t},availability,0.999\n",
            5000 + d * 10,
            fresh(d),
            t = day(d)
        ));
    }
    csv
}

fn mesh(dir: &Path) {
    // alpha: every snapshot meets every objective.
    write(dir, "a/alpha.odps.yaml", &product("alpha", "team-a"));
    write(dir, "a/alpha.odcs.yaml", &contract("alpha", 60));
    write(dir, "a/metrics/alpha.csv", &series(1, 30, |_| 20));
    // beta: freshness 45 min against 30 min on the last 3 days: failing now.
    write(dir, "a/beta.odps.yaml", &product("beta", "team-a"));
    write(dir, "a/beta.odcs.yaml", &contract("beta", 30));
    write(
        dir,
        "a/metrics/beta.csv",
        &series(1, 30, |d| if d >= 28 { 45 } else { 10 }),
    );
    // gamma: the pipeline stopped five days ago.
    write(dir, "b/gamma.odps.yaml", &product("gamma", "team-b"));
    write(dir, "b/gamma.odcs.yaml", &contract("gamma", 60));
    write(dir, "b/metrics/gamma.csv", &series(1, 25, |_| 5));
    // A YAML snapshot with a metric that matches no objective: shown, not evaluated.
    write(
        dir,
        "b/metrics/gamma-extra.yaml",
        &format!(
            "apiVersion: meshdoc/v1\nkind: MetricSnapshot\nproduct: gamma\noutputPort: main\ntimestamp: {}\nmetrics:\n  checks: {{ passed: 41, failed: 1 }}\n",
            day(25)
        ),
    );
}

fn config(dir: &Path) -> Config {
    let mut config = Config::empty(dir);
    config.sources = vec![
        SourceConfig {
            name: Some("repo-a".into()),
            dir: Some(dir.join("a")),
            ..Default::default()
        },
        SourceConfig {
            name: Some("repo-b".into()),
            dir: Some(dir.join("b")),
            ..Default::default()
        },
    ];
    config.metrics.now = Some(NOW.into());
    config
}

struct Built {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
}

fn site() -> &'static Built {
    static SITE: OnceLock<Built> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        mesh(dir.path());
        let out = dir.path().join("public");
        let report = meshdoc::build(
            &config(dir.path()),
            &meshdoc::Options {
                out_dir: Some(out.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        let problems: Vec<_> = report
            .catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity != meshdoc::Severity::Info)
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
        Built { _dir: dir, out }
    })
}

fn page(path: &str) -> String {
    fs::read_to_string(site().out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `<tr>` of the objective whose label is `label`.
fn row<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html
        .find(&format!("<span class=\"cell-title\">{label}</span>"))
        .unwrap_or_else(|| panic!("no objective row `{label}`"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[test]
fn passing_product_shows_met_objectives_full_compliance_and_sparklines() {
    let html = page("products/alpha/index.html");
    assert!(html.contains("Service levels <span class=\"badge slo slo-pass\""));
    let fresh = row(&html, "freshness ≤ 1 h");
    assert!(fresh.contains("Met") && fresh.contains("20 min"), "{fresh}");
    assert!(
        fresh.contains("<span class=\"c-ratio\">100%</span> <span class=\"c-count\">7/7</span>")
    );
    assert!(fresh.contains("<span class=\"c-count\">30/30</span>"));
    assert!(fresh.contains("metric <code>freshnessMinutes</code>"));
    let rows = row(&html, "row count &gt; 1,000");
    assert!(rows.contains("Met") && rows.contains("5,300"), "{rows}");
    let avail = row(&html, "availability ≥ 99.5%");
    assert!(avail.contains("99.9%"), "{avail}");
    // One sparkline per metric, each with a text equivalent.
    assert_eq!(html.matches("<svg class=\"spark\"").count(), 3);
    assert!(html.contains("<title id=\"spark-1-t\">availability, last 90 days</title>"));
    assert!(html.contains("30 snapshots from 2026-06-01 to 2026-06-30: lowest 20, highest 20, latest 20; 0 of 30 missed the objective."));
    // Latest values with the time of measurement.
    assert!(html.contains("<time datetime=\"2026-06-30T06:00:00Z\">2026-06-30 06:00 UTC</time>"));
    assert!(!html.contains("slo-stale"));
}

#[test]
fn failing_product_shows_missed_objective_and_its_compliance() {
    let html = page("products/beta/index.html");
    assert!(html.contains("Service levels <span class=\"badge slo slo-fail\""));
    let fresh = row(&html, "freshness ≤ 30 min");
    assert!(
        fresh.contains("Missed") && fresh.contains("45 min"),
        "{fresh}"
    );
    // 3 of the last 7 daily snapshots failed; 3 of 30.
    assert!(
        fresh.contains("<span class=\"c-ratio\">57.1%</span> <span class=\"c-count\">4/7</span>")
    );
    assert!(
        fresh.contains("<span class=\"c-ratio\">90%</span> <span class=\"c-count\">27/30</span>")
    );
    assert!(fresh.contains("c-bad") && fresh.contains("c-warn"));
    // The failing points are marked on the sparkline.
    assert_eq!(html.matches("class=\"spark-fail\"").count(), 3);
    assert!(html.contains("3 of 30 missed the objective"));
    let avail = row(&html, "availability ≥ 99.5%");
    assert!(avail.contains("Met"));
}

#[test]
fn stale_product_is_badged_and_unmatched_metrics_are_shown_not_evaluated() {
    let html = page("products/gamma/index.html");
    assert!(html.contains(
        "<span class=\"badge slo slo-stale\"><span aria-hidden=\"true\">◷</span> Stale</span>"
    ));
    assert!(html.contains("is 5 d old; snapshots are expected at least every 2 d"));
    // The objectives still count back from the reference: 25 June is in the 7-day window.
    let fresh = row(&html, "freshness ≤ 1 h");
    assert!(
        fresh.contains("<span class=\"c-count\">2/2</span>"),
        "{fresh}"
    );
    // checks.passed / checks.failed come from the YAML snapshot: shown, not evaluated.
    for metric in ["checks.failed", "checks.passed"] {
        let at = html.find(&format!("<code>{metric}</code>")).unwrap();
        assert!(html[at..at + 200].contains("not evaluated"), "{metric}");
    }
}

#[test]
fn overview_team_and_health_pages_list_failing_and_stale_products() {
    let index = page("index.html");
    let slo = &index[index.find("id=\"service-levels\"").unwrap()..];
    let failing = &slo[slo
        .find("Failing objectives <span class=\"count-badge\">1</span>")
        .unwrap()..];
    assert!(failing.contains("href=\"products/beta/index.html\""));
    assert!(failing.contains("freshness ≤ 30 min (latest 45 min)"));
    let stale = &slo[slo
        .find("Stale metrics <span class=\"count-badge\">1</span>")
        .unwrap()..];
    assert!(stale.contains("href=\"products/gamma/index.html\""));
    assert!(stale.contains("newest snapshot 2026-06-25 06:00 UTC (5 d old)"));
    // Per-team health: team-a measures 2 products, 1 failing; team-b 1 stale.
    let team_a = &slo[slo.find(">team-a</a>").unwrap()..];
    let cells: Vec<&str> = team_a
        .split("<td class=\"num")
        .skip(1)
        .take(4)
        .map(|c| &c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()])
        .collect();
    assert_eq!(cells, vec!["2", "1", "1", "0"]);

    let health = page("health/index.html");
    assert!(health.contains("id=\"slo\""));
    assert!(health.contains("href=\"../products/beta/index.html\""));
    assert!(health.contains("href=\"../products/gamma/index.html\""));
    // Clean files, a failing product: the page does not call the mesh healthy.
    assert!(!health.contains("empty-state healthy"), "{health}");
    assert!(health.contains("No errors or warnings in the manifests"));
    assert!(health.contains("1 data product currently misses a service level"));

    let team = page("teams/team-a/index.html");
    let section = &team[team.find("id=\"service-levels\"").unwrap()..];
    assert!(section.contains("products/beta/index.html") && section.contains("slo-fail"));
    assert!(section.contains("products/alpha/index.html") && section.contains("slo-pass"));
}

#[test]
fn catalog_json_has_latest_values_and_evaluated_objectives() {
    let json = catalog_json::expanded(&site().out);
    assert_eq!(json["metrics"]["asOf"], NOW);
    assert_eq!(json["metrics"]["reference"], "fixed");
    let product = |id: &str| {
        json["products"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    let beta = product("beta");
    let m = &beta["metrics"];
    assert_eq!(m["state"], "failing");
    assert_eq!(m["stale"], false);
    let latest = m["latest"].as_array().unwrap();
    let fresh = latest
        .iter()
        .find(|l| l["metric"] == "freshnessMinutes")
        .unwrap();
    assert_eq!(fresh["value"], 45.0);
    assert_eq!(fresh["timestamp"], NOW);
    let objective = m["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "freshness")
        .unwrap();
    assert_eq!(objective["id"], "beta-v1/slaProperties/freshness");
    assert_eq!(objective["operator"], "mustBeLessOrEqualTo");
    assert_eq!(objective["threshold"], serde_json::json!([1800.0]));
    assert_eq!(objective["unit"], "seconds");
    assert_eq!(objective["status"], "fail");
    assert_eq!(objective["outputPort"], "main");
    assert_eq!(objective["latest"]["pass"], false);
    assert_eq!(objective["compliance"]["7d"]["passed"], 4);
    assert_eq!(objective["compliance"]["7d"]["total"], 7);
    assert_eq!(objective["compliance"]["30d"]["passed"], 27);
    let rows = m["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["source"] == "quality")
        .unwrap();
    assert_eq!(rows["metric"], "rowCount");
    assert_eq!(rows["status"], "pass");
    assert_eq!(product("gamma")["metrics"]["stale"], true);
    assert_eq!(product("alpha")["metrics"]["state"], "ok");
}

#[test]
fn builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    mesh(dir.path());
    let build = |out: &str| {
        let out = dir.path().join(out);
        meshdoc::build(
            &config(dir.path()),
            &meshdoc::Options {
                out_dir: Some(out.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        (
            fs::read(out.join("products/beta/index.html")).unwrap(),
            fs::read(out.join("catalog.json")).unwrap(),
        )
    };
    assert_eq!(build("one"), build("two"));
}

#[test]
fn bad_snapshots_cost_one_located_diagnostic_each_and_the_series_stands() {
    let dir = tempfile::tempdir().unwrap();
    mesh(dir.path());
    // One multi-product file: good rows for alpha between the bad ones.
    let bad = format!(
        "product,timestamp,metric,value\n\
         alpha,{d29},queueDepth,1\n\
         nosuch,{d29},rowCount,5\n\
         alpha,{d29},queueDepth,lots\n\
         alpha,yesterday,queueDepth,3\n\
         alpha,2999-01-01T00:00:00Z,queueDepth,4\n\
         alpha,{d29},queueDepth,5\n\
         alpha,{d30}\n\
         alpha,{d30},queueDepth,7\n",
        d29 = day(29),
        d30 = day(30)
    );
    write(dir.path(), "a/metrics/all.csv", &bad);
    write(
        dir.path(),
        "a/metrics/snap.yaml",
        &format!(
            "apiVersion: meshdoc/v1\nkind: MetricSnapshot\nproduct: alpah\ntimestamp: {}\nmetrics:\n  rowCount: 9\n",
            day(30)
        ),
    );
    write(
        dir.path(),
        "a/metrics/port.yaml",
        &format!(
            "apiVersion: meshdoc/v1\nkind: MetricSnapshot\nproduct: alpha\noutputPort: nope\ntimestamp: {}\nmetrics:\n  rowCount: 9\n",
            day(30)
        ),
    );
    let catalog = meshdoc::load_catalog(&config(dir.path()));
    let mut found: Vec<(String, &str, Option<u32>)> = catalog
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.code.as_str(), d.line))
        .collect();
    found.sort();
    let f = |file: &str, code: &'static str, line: u32| (file.to_string(), code, Some(line));
    assert_eq!(
        found,
        vec![
            f("metrics/all.csv", "metric-csv-row", 8),
            f("metrics/all.csv", "metric-duplicate", 7),
            f("metrics/all.csv", "metric-future-timestamp", 6),
            f("metrics/all.csv", "metric-timestamp", 5),
            f("metrics/all.csv", "metric-unknown-product", 3),
            f("metrics/all.csv", "metric-value", 4),
            f("metrics/port.yaml", "metric-unknown-port", 3),
            f("metrics/snap.yaml", "metric-unknown-product", 3),
        ]
    );
    for d in &catalog.diagnostics {
        assert_eq!(d.source, "repo-a");
        assert!(d.hint.is_some(), "{d:?}");
    }
    let typo = catalog
        .diagnostics
        .iter()
        .find(|d| d.file == "metrics/snap.yaml")
        .unwrap();
    assert!(typo
        .hint
        .as_deref()
        .unwrap()
        .contains("did you mean `alpha`?"));
    // Diagnostics about alpha's series go to alpha's team.
    let dup = catalog
        .diagnostics
        .iter()
        .find(|d| d.code == "metric-duplicate")
        .unwrap();
    assert_eq!(dup.team.as_deref(), Some("team-a"));
    assert!(dup.hint.as_deref().unwrap().contains("metrics/all.csv:2"));
    // The rest of the series stands: 29 June (first value kept) and 30 June.
    let alpha = catalog.product_by_id["alpha"];
    let m = catalog.metrics.product(alpha).unwrap();
    let queue = m.series.iter().find(|s| s.metric == "queueDepth").unwrap();
    let values: Vec<f64> = queue.points.iter().map(|p| p.value).collect();
    assert_eq!(values, vec![1.0, 7.0]);
    // And the good files are untouched.
    assert_eq!(
        m.series
            .iter()
            .find(|s| s.metric == "rowCount")
            .unwrap()
            .points
            .len(),
        30
    );
}

#[test]
fn bad_metrics_config_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("meshdoc.toml");
    fs::write(&file, "[metrics]\nstale_after = \"soon\"\n").unwrap();
    let err = Config::load(&file).unwrap_err().to_string();
    assert!(err.contains("stale_after"), "{err}");
    fs::write(&file, "[metrics]\nstale_after = \"36h\"\nnow = \"clock\"\n").unwrap();
    let config = Config::load(&file).unwrap();
    assert_eq!(config.metrics.settings().unwrap().stale_after, 36 * 3600);
}

#[test]
fn the_shipped_schema_example_is_read_without_problems() {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/metric-snapshot.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let example = &schema["examples"][0];
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a/orders.odps.yaml",
        &product("orders", "team-a").replace("name: main", "name: orders_v1"),
    );
    // JSON is YAML: the example as a pipeline would write it.
    write(dir.path(), "a/metrics/orders.json", &example.to_string());
    let mut config = config(dir.path());
    config.metrics.now = Some("2026-11-25T06:00:00Z".into());
    let catalog = meshdoc::load_catalog(&config);
    let about_snapshot: Vec<_> = catalog
        .diagnostics
        .iter()
        .filter(|d| d.file.starts_with("metrics/") || d.code.as_str().starts_with("metric"))
        .collect();
    assert!(about_snapshot.is_empty(), "{about_snapshot:#?}");
    let m = catalog.metrics.product(0).unwrap();
    let names: Vec<&str> = m.series.iter().map(|s| s.metric.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "availability",
            "checks.failed",
            "checks.passed",
            "completeness",
            "freshnessMinutes",
            "rowCount"
        ]
    );
    assert!(m
        .series
        .iter()
        .all(|s| s.port.as_deref() == Some("orders_v1")));
}
