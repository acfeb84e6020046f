//! Render: plan every file of the site (the page registry) and turn each into bytes, in parallel.

pub mod access;
pub mod browse;
pub mod catalog_json;
pub mod charts;
pub mod context;
pub mod contrast;
pub mod escape;
pub mod glossary_pages;
mod json_record;
pub mod lineage_explore;
pub mod lineage_pages;
pub mod lineage_svg;
pub mod llms;
pub mod markdown;
pub mod markdown_twin;
pub mod metrics;
pub mod native;
pub mod onboard;
pub mod pages;
pub mod parts;
pub mod people_pages;
pub mod quality_history;
pub mod registry;
pub mod search;
pub mod search_docs;
mod search_terms;
pub mod theme;
pub mod versions;
pub mod views;
pub mod whitespace;

use rayon::prelude::*;

use catalog::Catalog;
use config::Config;
use model::error::Result;

pub use registry::{Ids, Named, Page, PageKind, Plan, Read, Reads};
pub use theme::{Theme, ThemeDirs};

/// One output file: its path relative to the site root and its bytes.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

fn describe_tera_error(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Time spent per template (or kind of file), summed over pages (shown by `build -v`).
static PAGE_TIMES: std::sync::Mutex<Vec<PageTime>> = std::sync::Mutex::new(Vec::new());

/// What rendering one kind of file cost, summed over its pages and threads.
#[derive(Debug, Clone, Copy)]
pub struct PageTime {
    pub kind: &'static str,
    pub pages: usize,
    /// Wall time while rendering (grows when the thread waits for a core).
    pub wall_micros: u128,
    /// CPU time of the rendering threads: comparable between runs on a loaded machine.
    pub cpu_micros: u128,
}

struct PageTimer(&'static str, std::time::Instant, u128);

impl PageTimer {
    fn start(kind: &'static str) -> PageTimer {
        PageTimer(kind, std::time::Instant::now(), thread_cpu_micros())
    }
}

impl Drop for PageTimer {
    fn drop(&mut self) {
        let wall = self.1.elapsed().as_micros();
        let cpu = thread_cpu_micros().saturating_sub(self.2);
        let mut times = PAGE_TIMES.lock().unwrap_or_else(|e| e.into_inner());
        match times.iter_mut().find(|t| t.kind == self.0) {
            Some(entry) => {
                entry.wall_micros += wall;
                entry.cpu_micros += cpu;
                entry.pages += 1;
            }
            None => times.push(PageTime {
                kind: self.0,
                pages: 1,
                wall_micros: wall,
                cpu_micros: cpu,
            }),
        }
    }
}

/// CPU time of the calling thread in microseconds (0 where the platform has no such clock).
fn thread_cpu_micros() -> u128 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime only writes the timespec it is given, which lives on this stack.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.tv_sec as u128 * 1_000_000 + ts.tv_nsec as u128 / 1_000;
        }
    }
    0
}

/// Per kind of file: what its pages cost, largest CPU time first.
pub fn page_times() -> Vec<PageTime> {
    let mut times = PAGE_TIMES.lock().unwrap_or_else(|e| e.into_inner()).clone();
    times.sort_by_key(|t| std::cmp::Reverse((t.cpu_micros, t.wall_micros)));
    times
}

/// Files rendered (in parallel) before they are handed on to be written: bounds memory.
const BATCH: usize = 2048;

/// What a render produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct RenderStats {
    /// HTML pages.
    pub pages: usize,
    /// Every file, pages included.
    pub files: usize,
}

/// Render every planned file of the site batch by batch, handing each batch to `sink` (the site
/// writer).
pub fn render_into(
    catalog: &Catalog,
    config: &Config,
    theme: &Theme,
    sink: &mut dyn FnMut(Vec<OutputFile>) -> Result<()>,
) -> Result<RenderStats> {
    let plan = registry::plan(catalog, config, theme);
    let site = registry::Site::new(catalog, config, theme, &plan)?;
    let mut stats = RenderStats::default();
    for chunk in plan.pages.chunks(BATCH) {
        let batch = chunk
            .par_iter()
            .map(|page| site.render(page))
            .collect::<Result<Vec<_>>>()?;
        stats.pages += chunk.iter().filter(|p| p.kind.is_html()).count();
        stats.files += batch.len();
        sink(batch)?;
    }
    Ok(stats)
}
