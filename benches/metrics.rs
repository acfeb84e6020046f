//! Benchmark: 10,000 products with a year of daily snapshots each (3.65 M points, mostly CSV).
//!
//! Run: `cargo bench --bench metrics` (optionally `-- PRODUCTS`). Prints the time of each stage
//! (crawl, parse, catalog, metrics evaluation, render, write) and the page weight that the metric
//! section adds per product, by building the same mesh with and without its metric files.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use meshdoc::config::{Config, SourceConfig};

/// The same allocator as the `meshdoc` binary, so the figures are those of the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SOURCES: usize = 20;
const DAYS: i64 = 365;
/// Every 20th product writes its last week as YAML snapshots instead of CSV rows.
const YAML_EVERY: usize = 20;
const YAML_DAYS: i64 = 7;

fn date(day: i64) -> String {
    // Day 0 = 2025-11-26; a year of days up to 2026-11-25.
    let (y, m, d) = civil(20_418 + day);
    format!("{y:04}-{m:02}-{d:02}T06:00:00Z")
}

fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn generate(root: &Path, products: usize, with_metrics: bool) -> usize {
    let points: usize = (0..products)
        .into_par_iter()
        .map(|i| {
            let dir = root.join(format!("repo-{:02}", i % SOURCES));
            let id = format!("product-{i:05}");
            let team = format!("team-{:03}", i % 400);
            fs::create_dir_all(dir.join("metrics")).unwrap();
            fs::write(
                dir.join(format!("{id}.odps.yaml")),
                format!("apiVersion: v1.0.0\nkind: DataProduct\nid: {id}\nname: Product {i}\nstatus: active\ndomain: domain-{}\nteam:\n  name: {team}\noutputPorts:\n  - id: main\n    name: main\n    contractId: {id}-v1\n", i % 40),
            )
            .unwrap();
            fs::write(
                dir.join(format!("{id}.odcs.yaml")),
                format!("apiVersion: v3.0.2\nkind: DataContract\nid: {id}-v1\nname: Contract {i}\nversion: 1.0.0\nstatus: active\nschema:\n  - name: items\n    quality:\n      - metric: rowCount\n        mustBeGreaterThan: 1000\nslaProperties:\n  - property: freshness\n    value: 1\n    unit: h\n  - property: availability\n    value: 99.5\n    unit: percent\n"),
            )
            .unwrap();
            if !with_metrics {
                return 0;
            }
            // One metric a day, rotating, so each product has three series of ~122 points.
            let metric = |d: i64| match d % 3 {
                0 => ("rowCount", format!("{}", 50_000 + (d * 37 + i as i64) % 9_000)),
                1 => ("freshnessMinutes", format!("{}", 10 + (d * 13 + i as i64) % 70)),
                _ => ("availability", format!("0.99{}", 10 + (d * 7 + i as i64) % 90)),
            };
            let yaml = i % YAML_EVERY == 0;
            let csv_days = if yaml { DAYS - YAML_DAYS } else { DAYS };
            let mut csv = String::with_capacity(40 * DAYS as usize);
            csv.push_str("timestamp,metric,value\n");
            for d in 0..csv_days {
                let (name, value) = metric(d);
                let _ = writeln!(csv, "{},{name},{value}", date(d));
            }
            fs::write(dir.join(format!("metrics/{id}.csv")), csv).unwrap();
            if yaml {
                for d in csv_days..DAYS {
                    let (name, value) = metric(d);
                    fs::write(
                        dir.join(format!("metrics/{id}-{d}.yaml")),
                        format!("apiVersion: meshdoc/v1\nkind: MetricSnapshot\nproduct: {id}\noutputPort: main\ntimestamp: {}\nmetrics:\n  {name}: {value}\n", date(d)),
                    )
                    .unwrap();
                }
            }
            DAYS as usize
        })
        .sum();
    points
}

fn config(root: &Path) -> Config {
    let mut config = Config::empty(root);
    config.sources = vec![SourceConfig {
        name: None,
        dir: Some(root.join("*")),
        ..Default::default()
    }];
    config.build.max_file_bytes = 64 * 1024 * 1024;
    config.build.cache_dir = Some(root.join(format!(".cache-{}", std::process::id())));
    config
}

fn product_pages_bytes(out: &Path) -> u64 {
    fs::read_dir(out.join("products"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir() && e.file_name() != "page")
        .map(|e| fs::metadata(e.path().join("index.html")).map_or(0, |m| m.len()))
        .sum()
}

fn main() {
    let products: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    for with_metrics in [true, false] {
        let root = tmp
            .path()
            .join(if with_metrics { "with" } else { "without" });
        let t = Instant::now();
        let points = generate(&root, products, with_metrics);
        eprintln!(
            "\n{} products{}: generated in {:.1}s",
            products,
            if with_metrics {
                format!(", {points} points")
            } else {
                " without metrics".into()
            },
            t.elapsed().as_secs_f64()
        );
        let config = config(&root);

        // The stages of `load_catalog`, timed one by one.
        let t = Instant::now();
        let (sources, mut diagnostics) = meshdoc::crawl::resolve_sources(&config);
        let options = meshdoc::crawl::CrawlOptions::from_config(&config);
        let hidden = indicatif::ProgressBar::hidden();
        let prepared = meshdoc::crawl::prepare(&sources, &options, &hidden);
        let t_crawl = t.elapsed();
        // Read and parse (the parse cache is empty: `cache_dir` is fresh for every run).
        let t = Instant::now();
        let (per_source, stats) = meshdoc::crawl::read(
            &prepared,
            &options,
            &hidden,
            &meshdoc::validate::user::UserSchemas::default(),
        );
        let t_parse = t.elapsed();
        let t = Instant::now();
        let mut documents = Vec::new();
        for source in per_source {
            diagnostics.extend(source.diagnostics);
            for f in source.files {
                documents.extend(f.documents);
                diagnostics.extend(f.diagnostics);
            }
        }
        let names = prepared
            .iter()
            .map(|p| p.source.name().to_string())
            .collect();
        let settings = config.metrics.settings().unwrap();
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        // The same entry point as `meshdoc build`: every pass, metrics merge + evaluation included.
        let catalog = meshdoc::catalog::build(names, documents, diagnostics, settings, clock);
        let t_catalog = t.elapsed();
        let failing = catalog
            .metrics
            .products
            .iter()
            .filter(|m| m.is_failing())
            .count();
        eprintln!(
            "  prepare {:.2}s · read+parse {:.2}s · catalog::build (metrics merge + evaluate included) {:.2}s ({} files, {} diagnostics, {failing} failing)",
            t_crawl.as_secs_f64(),
            t_parse.as_secs_f64(),
            t_catalog.as_secs_f64(),
            stats.files,
            catalog.diagnostics.len(),
        );
        assert!(
            catalog.diagnostics.is_empty(),
            "{:?}",
            &catalog.diagnostics[..3.min(catalog.diagnostics.len())]
        );

        // The whole build, as `meshdoc build` runs it.
        let out = root.join("public");
        let report = meshdoc::build(
            &config,
            &meshdoc::Options {
                out_dir: Some(out.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        let stages: Vec<String> = report
            .timings
            .iter()
            .map(|(s, d)| format!("{s} {:.2}s", d.as_secs_f64()))
            .collect();
        let bytes = product_pages_bytes(&out);
        eprintln!(
            "  full build: {} · product pages {:.1} MB ({:.1} KB each)",
            stages.join(" · "),
            bytes as f64 / 1e6,
            bytes as f64 / products as f64 / 1e3
        );
        let json = fs::metadata(out.join("catalog.json")).map_or(0, |m| m.len());
        eprintln!("  catalog.json {:.1} MB", json as f64 / 1e6);
        sizes.push((bytes, json));
    }
    let (with, without) = (sizes[0], sizes[1]);
    eprintln!(
        "\nadded by metrics: {:.1} KB per product page, {:.0} bytes per product in catalog.json",
        (with.0 as f64 - without.0 as f64) / products as f64 / 1e3,
        (with.1 as f64 - without.1 as f64) / products as f64
    );
}
