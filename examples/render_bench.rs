//! Render benchmark: load a site's catalog once, then render the planned pages of one kind (or
//! every kind) on one thread, so a profiler (perf, callgrind) sees only rendering.
//!
//! ```sh
//! cargo run --release --example render_bench -- path/to/meshdoc.toml product.html [repeats]
//! ```

use std::path::Path;
use std::time::Instant;

// The binary's allocator, so that allocation costs are the ones a build pays.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(config_path) = args.first() else {
        eprintln!("usage: render_bench meshdoc.toml [page kind label|all] [repeats]");
        std::process::exit(2);
    };
    let kind = args.get(1).map(String::as_str).unwrap_or("all");
    let repeats: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(1);
    let config = meshdoc::Config::load(Path::new(config_path)).expect("config");
    let started = Instant::now();
    let catalog = meshdoc::load_catalog(&config);
    eprintln!("catalog loaded in {:.2?}", started.elapsed());
    let dirs = meshdoc::theme_dirs(&config).expect("theme");
    let theme = meshdoc::render::Theme::load(&dirs).expect("theme");
    let plan = meshdoc::render::registry::plan(&catalog, &config, &theme);
    let site =
        meshdoc::render::registry::Site::new(&catalog, &config, &theme, &plan).expect("site");
    let pages: Vec<_> = plan
        .pages
        .iter()
        .filter(|p| kind == "all" || p.kind.label() == kind)
        .collect();
    let started = Instant::now();
    let cpu_started = thread_cpu();
    let mut bytes = 0usize;
    for _ in 0..repeats {
        for page in &pages {
            bytes += site.render(page).expect("render").bytes.len();
        }
    }
    let elapsed = started.elapsed();
    let cpu = thread_cpu().zip(cpu_started).map(|(now, then)| now - then);
    // Where a product page's time goes: its context (facts, then lineage) against the rest.
    let products: Vec<usize> = pages
        .iter()
        .filter_map(|p| match p.kind {
            meshdoc::render::PageKind::Product(i) => Some(i),
            _ => None,
        })
        .collect();
    if !products.is_empty() {
        let t = Instant::now();
        for _ in 0..repeats {
            for &i in &products {
                std::hint::black_box(meshdoc::render::pages::product_page(
                    &catalog,
                    i,
                    None,
                    "../../",
                    theme.native,
                ));
            }
        }
        let context = t.elapsed();
        let t = Instant::now();
        // MESHDOC_BENCH_LINEAGE=N: the lineage block N times more, for a profile of it alone.
        let lineage_repeats: usize = std::env::var("MESHDOC_BENCH_LINEAGE")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1);
        for _ in 0..repeats * lineage_repeats {
            for &i in &products {
                std::hint::black_box(meshdoc::render::lineage_pages::product(
                    &catalog, i, "../../",
                ));
            }
        }
        let lineage = t.elapsed();
        let t = Instant::now();
        for _ in 0..repeats {
            for &i in &products {
                std::hint::black_box(meshdoc::render::lineage_explore::fallback(&catalog, i));
            }
        }
        let fallback = t.elapsed();
        let n = (products.len() * repeats) as f64;
        eprintln!(
            "product context {:.1} µs a page, of which lineage {:.1} µs (fallback {:.1} µs)",
            context.as_micros() as f64 / n,
            lineage.as_micros() as f64 / n / lineage_repeats as f64,
            fallback.as_micros() as f64 / n
        );
    }
    eprintln!(
        "{} pages x {repeats}: {:.2?}, {:.1} µs a page, {bytes} bytes",
        pages.len(),
        elapsed,
        elapsed.as_micros() as f64 / (pages.len() * repeats).max(1) as f64
    );
    if let Some(cpu) = cpu {
        // On a shared machine the wall time above includes waiting for a core; this does not.
        eprintln!(
            "thread CPU {cpu:.2} s, {:.1} µs a page",
            cpu * 1e6 / (pages.len() * repeats).max(1) as f64
        );
    }
}

/// Seconds this thread has run on a CPU (Linux: `/proc/thread-self/schedstat`), if known.
fn thread_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}
