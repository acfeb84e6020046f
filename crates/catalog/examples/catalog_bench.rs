//! Catalog benchmark: read a mesh once (from its parse cache), then run `catalog::build` on the
//! same documents several times, with the wall and CPU time of each run, so that a change to the
//! catalog stage can be measured (and profiled) without the crawl around it.
//!
//! ```sh
//! cargo run --release -p meshdoc-catalog --example catalog_bench -- path/to/meshdoc.toml [runs] [cache folder]
//! ```
//! The documents are read through the parse cache in `cache folder` (a scratch one without it). The
//! first run derives every contract changelog, as a cold build does; the later ones read them from
//! the changelog cache the first one stored, as a build after a one-repository change does.
//! Only this crate and the crawl are compiled, so a change to the catalog is measured in a minute.

use std::path::Path;
use std::time::Instant;

use meshdoc_catalog::contracts::changelog_cache::ChangelogCache;

// The binary's allocator, so that allocation costs are the ones a build pays.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../../../examples/support/laps.rs"]
mod laps;
use laps::cpu;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(config_path) = args.first() else {
        eprintln!("usage: catalog_bench meshdoc.toml [runs] [cache folder]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut config = config::Config::load(Path::new(config_path)).expect("config");
    // The documents are read through a scratch parse cache unless a cache folder is given.
    let scratch = tempfile::tempdir().expect("temporary folder");
    config.build.cache_dir = Some(
        args.get(2)
            .map(Into::into)
            .unwrap_or_else(|| scratch.path().to_path_buf()),
    );
    let (sources, mut diagnostics) = crawl::resolve_sources(&config);
    let options = crawl::CrawlOptions::from_config(&config);
    let hidden = indicatif::ProgressBar::hidden();
    let prepared = crawl::prepare(&sources, &options, &hidden);
    let schemas = formats::validate::user::UserSchemas::default();
    let (per_source, _) = crawl::read(&prepared, &options, &hidden, &schemas);
    let mut documents = Vec::new();
    for source in per_source {
        diagnostics.extend(source.diagnostics);
        for file in source.files {
            documents.extend(file.documents);
            diagnostics.extend(file.diagnostics);
        }
    }
    let names: Vec<String> = prepared
        .iter()
        .map(|p| p.source.name().to_string())
        .collect();
    let settings = config.metrics.settings().expect("metric settings");
    let changelog_dir = tempfile::tempdir().expect("temporary folder");
    for run in 0..runs {
        let (names, documents, diagnostics) =
            (names.clone(), documents.clone(), diagnostics.clone());
        let changelogs = ChangelogCache::open(changelog_dir.path());
        let (wall, cpu_before) = (Instant::now(), cpu());
        let catalog =
            meshdoc_catalog::build_cached(names, documents, diagnostics, settings, 0, &changelogs);
        changelogs.store();
        eprintln!(
            "run {run}: {:.3} s wall {:.3} s CPU ({} products, {} contracts, {} diagnostics)",
            wall.elapsed().as_secs_f64(),
            (cpu() - cpu_before).as_secs_f64(),
            catalog.products.len(),
            catalog.contracts.len(),
            catalog.diagnostics.len()
        );
    }
}
