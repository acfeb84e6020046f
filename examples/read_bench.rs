//! Read benchmark: the cold read of a build without rendering — prepare the sources, read and
//! parse them, build the catalog — with the wall and CPU time of each stage, so that a change to
//! the crawl, the parser or `catalog::build` can be measured (and profiled) on its own.
//!
//! ```sh
//! cargo run --release --example read_bench -- path/to/meshdoc.toml [cache folder]
//! ```
//! Without a cache folder the parse and changelog caches are written to a fresh temporary folder
//! (a cold read, which stores them as a cold build does); with one, they are read from it.

use std::path::Path;

// The binary's allocator, so that allocation costs are the ones a build pays.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/laps.rs"]
mod laps;
use laps::Laps;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(config_path) = args.first() else {
        eprintln!("usage: read_bench meshdoc.toml [cache folder]");
        std::process::exit(2);
    };
    let mut config = meshdoc::Config::load(Path::new(config_path)).expect("config");
    let scratch = tempfile::tempdir().expect("temporary folder");
    config.build.cache_dir = Some(
        args.get(1)
            .map(Into::into)
            .unwrap_or_else(|| scratch.path().to_path_buf()),
    );
    let mut laps = Laps::start();
    let (sources, mut diagnostics) = meshdoc::crawl::resolve_sources(&config);
    let options = meshdoc::crawl::CrawlOptions::from_config(&config);
    let hidden = indicatif::ProgressBar::hidden();
    let prepared = meshdoc::crawl::prepare(&sources, &options, &hidden);
    laps.lap("prepare");
    let schemas = meshdoc::validate::user::UserSchemas::default();
    let (per_source, stats) = meshdoc::crawl::read(&prepared, &options, &hidden, &schemas);
    let mut documents = Vec::new();
    for source in per_source {
        diagnostics.extend(source.diagnostics);
        for file in source.files {
            documents.extend(file.documents);
            diagnostics.extend(file.diagnostics);
        }
    }
    laps.lap("read + parse");
    let names = prepared
        .iter()
        .map(|p| p.source.name().to_string())
        .collect();
    let settings = config.metrics.settings().expect("metric settings");
    let changelogs = meshdoc::contracts::changelog_cache::ChangelogCache::open(&options.cache_dir);
    let catalog =
        meshdoc::catalog::build_cached(names, documents, diagnostics, settings, 0, &changelogs);
    changelogs.store();
    laps.lap("catalog::build");
    eprintln!(
        "{} sources ({} from the cache), {} files, {} products, {} contracts, {} diagnostics",
        stats.sources,
        stats.cached,
        stats.files,
        catalog.products.len(),
        catalog.contracts.len(),
        catalog.diagnostics.len()
    );
}
