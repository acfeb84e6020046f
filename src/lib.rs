//! meshdoc: crawl data-product manifests and data contracts from many repositories and render
//! them into one static, searchable catalog site.
//!
//! The pipeline runs in one direction: config → crawl → formats → catalog → render → output.

pub mod catalog;
pub mod config;
pub mod crawl;
pub mod diagnostics;
pub mod error;
pub mod formats;
pub mod output;
pub mod render;

use std::path::PathBuf;

use rayon::prelude::*;

pub use catalog::Catalog;
pub use config::Config;
pub use diagnostics::{Diagnostic, Severity};
pub use error::{Error, Result};

/// Options of one run that are not part of the config file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces the configured output folder.
    pub out_dir: Option<PathBuf>,
}

/// Crawl every source and build the catalog; never fails on bad input (that becomes diagnostics).
pub fn load_catalog(config: &Config) -> Catalog {
    let (sources, mut diagnostics) = crawl::resolve_sources(config);
    let crawled = crawl::crawl(
        &sources,
        crawl::Limits {
            max_file_bytes: config.build.max_file_bytes,
        },
    );
    diagnostics.extend(crawled.diagnostics);
    let parsed: Vec<formats::ParsedFile> =
        crawled.files.par_iter().map(formats::parse_file).collect();
    let mut documents = Vec::new();
    let mut metric_batches = Vec::new();
    for file in parsed {
        for doc in file.documents {
            match doc {
                formats::Document::Metrics(batch) => metric_batches.push(*batch),
                other => documents.push(other),
            }
        }
        diagnostics.extend(file.diagnostics);
    }
    let mut catalog = catalog::resolve::build(crawled.sources, documents, diagnostics);
    // Validated when the config is loaded; a config built in code falls back to the defaults.
    let settings = config
        .metrics
        .settings()
        .unwrap_or(catalog::metrics::Settings {
            reference: catalog::metrics::Reference::Latest,
            stale_after: 2 * catalog::metrics::DAY,
        });
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    catalog::metrics::attach(&mut catalog, metric_batches, settings, clock);
    catalog
}

/// What a build produced.
#[derive(Debug)]
pub struct BuildReport {
    pub catalog: Catalog,
    pub out_dir: PathBuf,
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
    /// Wall time of each stage, for `--verbose` and the benchmarks.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Crawl, render and write the site.
pub fn build(config: &Config, options: &Options) -> Result<BuildReport> {
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let catalog = load_catalog(config);
    lap("crawl+parse+catalog");
    // A `templates/` folder beside the config overrides built-in templates even when not configured.
    let templates = match &config.theme.templates {
        Some(t) => Some(config.resolve(t)),
        None => Some(config.root.join("templates")).filter(|p| p.is_dir()),
    };
    let tera = render::load_templates(templates.as_deref())?;
    let files = render::render(&catalog, config, &tera)?;
    lap("render");
    let out_dir = options
        .out_dir
        .clone()
        .unwrap_or_else(|| config.resolve(&config.build.out_dir));
    let stats = output::write_site(&out_dir, &files)?;
    lap("write");
    Ok(BuildReport {
        timings,
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        catalog,
        out_dir,
        written: stats.written,
        unchanged: stats.unchanged,
    })
}
