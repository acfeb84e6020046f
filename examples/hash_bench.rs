//! Input-hash benchmark: the two stages of an incremental build that decide which pages to
//! render again — the content hash of every entity, and the hash of what each planned page
//! reads — timed on their own, several rounds over one loaded catalog, so that a change to
//! `site::incremental` or to the registry's reads can be measured (and profiled) without a
//! whole build around it.
//!
//! ```sh
//! cargo run --release --example hash_bench -- path/to/meshdoc.toml [rounds]
//! ```
//! The catalog is read as a build reads it (from the parse cache of the config's cache folder
//! when it has one); the lineage neighbourhood hashes are kept in a temporary folder, so the
//! first round walks them (as a cold build does) and the others reuse them (as an incremental
//! build does).

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
        eprintln!("usage: hash_bench meshdoc.toml [rounds]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let config = meshdoc::Config::load(Path::new(config_path)).expect("config");
    let mut laps = Laps::start();
    let catalog = meshdoc::load_catalog(&config);
    laps.lap("read + catalog");
    let theme =
        meshdoc::render::Theme::load(&meshdoc::render::ThemeDirs::default()).expect("theme");
    let plan = meshdoc::render::registry::plan(&catalog, &config, &theme);
    laps.lap("plan");
    let scratch = tempfile::tempdir().expect("temporary folder");
    let kept = scratch.path().join("state.neighbourhoods");
    let mut sum = 0u64;
    for round in 0..rounds {
        let inputs =
            meshdoc::incremental::InputHashes::compute_with(&catalog, 1, Some(kept.as_path()));
        laps.lap(&format!("{round}: entities"));
        let hashes = inputs.pages(&plan, &catalog);
        let (products, contracts) = inputs.search_keys(&catalog);
        laps.lap(&format!("{round}: pages"));
        sum = hashes
            .iter()
            .chain(&products)
            .chain(&contracts)
            .fold(sum, |s, h| s.rotate_left(1) ^ h);
    }
    eprintln!(
        "{} pages, {} products, {} contracts (check {sum:016x})",
        plan.pages.len(),
        catalog.products.len(),
        catalog.contracts.len()
    );
}
