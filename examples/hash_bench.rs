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
use std::time::{Duration, Instant};

// The binary's allocator, so that allocation costs are the ones a build pays.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU time of the process so far (user + system, every thread), from `/proc/self/stat`.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat
        .get(stat.rfind(')').map_or(0, |i| i + 1)..)
        .unwrap_or("");
    let mut fields = after_name.split_whitespace().skip(11);
    let mut ticks = || {
        fields
            .next()
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((ticks() + ticks()) * 10)
}

/// Wall and CPU time since the last lap, printed under a name.
struct Laps {
    wall: Instant,
    cpu: Duration,
}

impl Laps {
    fn lap(&mut self, name: &str) {
        let (wall, cpu_now) = (self.wall.elapsed(), cpu());
        eprintln!(
            "{name:<22} {:>7.3} s wall {:>7.2} s CPU",
            wall.as_secs_f64(),
            (cpu_now - self.cpu).as_secs_f64()
        );
        self.wall = Instant::now();
        self.cpu = cpu_now;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(config_path) = args.first() else {
        eprintln!("usage: hash_bench meshdoc.toml [rounds]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let config = meshdoc::Config::load(Path::new(config_path)).expect("config");
    let mut laps = Laps {
        wall: Instant::now(),
        cpu: cpu(),
    };
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
