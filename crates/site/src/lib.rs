//! meshdoc: crawl data-product manifests and data contracts from many repositories and render
//! them into one static, searchable catalog site.
//!
//! The pipeline runs in one direction: config → crawl → formats → catalog → render → output.

mod cpu;
pub mod federation;
pub mod incremental;
pub mod output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use catalog::Catalog;
use config::Config;
use formats::validate;
use model::measure::{Reference, Settings};
use model::slug::fnv1a;
use model::time::DAY;
use model::{Diagnostic, Result};

/// Options of one run that are not part of the config file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces the configured output folder.
    pub out_dir: Option<PathBuf>,
    /// Show progress bars (when stderr is a terminal).
    pub progress: bool,
    /// Rebuild even when nothing changed since the last build into the same folder.
    pub force: bool,
    /// Fail unless every source matches `meshdoc.lock` (and leave the lock as it is).
    pub locked: bool,
}

/// A catalog and how it was loaded.
pub struct Loaded {
    pub catalog: Catalog,
    pub stats: crawl::CrawlStats,
    /// Wall time of reading (parse cache or parser) and of `catalog::build`.
    pub read_time: Duration,
    pub catalog_time: Duration,
    /// CPU time (all threads) of the same two, where the system tells it.
    pub read_cpu: Option<Duration>,
    pub catalog_cpu: Option<Duration>,
}

fn bar(options: &Options, len: usize, what: &'static str) -> indicatif::ProgressBar {
    if !options.progress {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{prefix:>9} [{bar:30}] {pos}/{len} {elapsed}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(what);
    bar
}

/// Crawl every source and build the catalog; never fails on bad input (that becomes diagnostics).
pub fn load_catalog(config: &Config) -> Catalog {
    load_catalog_with(config, &validate::user::UserSchemas::default())
}

/// Like [`load_catalog`], also validating documents against user-supplied JSON Schemas.
pub fn load_catalog_with(config: &Config, schemas: &validate::user::UserSchemas) -> Catalog {
    let (sources, diagnostics) = crawl::resolve_sources(config);
    let options = crawl::CrawlOptions::from_config(config);
    let prepared = crawl::prepare(&sources, &options, &indicatif::ProgressBar::hidden());
    load_prepared(
        config,
        &options,
        prepared,
        diagnostics,
        &Options::default(),
        schemas,
    )
    .catalog
}

fn load_prepared(
    config: &Config,
    options: &crawl::CrawlOptions,
    prepared: Vec<crawl::Prepared>,
    mut diagnostics: Vec<Diagnostic>,
    run: &Options,
    schemas: &validate::user::UserSchemas,
) -> Loaded {
    let clock = Instant::now();
    let cpu_at_start = cpu::used();
    let progress = bar(run, prepared.len(), "reading");
    // The changelog cache is read while the sources are: it needs nothing they hold.
    let ((per_source, stats), changelogs) = rayon::join(
        || crawl::read(&prepared, options, &progress, schemas),
        || catalog::contracts::changelog_cache::ChangelogCache::open(&options.cache_dir),
    );
    progress.finish_and_clear();
    diagnostics.extend(federation::conflicts(&prepared, &per_source));
    let mut documents = Vec::new();
    for source in per_source {
        diagnostics.extend(source.diagnostics);
        for file in source.files {
            documents.extend(file.documents);
            diagnostics.extend(file.diagnostics);
        }
    }
    let names = prepared
        .iter()
        .map(|p| p.source.name().to_string())
        .collect();
    // Validated when the config is loaded; a config built in code falls back to the defaults.
    let settings = config.metrics.settings().unwrap_or(Settings {
        reference: Reference::Latest,
        stale_after: 2 * DAY,
    });
    let read_time = clock.elapsed();
    let cpu_after_read = cpu::used();
    let clock = Instant::now();
    let catalog = catalog::build_cached(
        names,
        documents,
        diagnostics,
        settings,
        clock_seconds(),
        &changelogs,
    );
    changelogs.store();
    Loaded {
        catalog,
        stats,
        read_time,
        catalog_time: clock.elapsed(),
        read_cpu: cpu_after_read
            .zip(cpu_at_start)
            .map(|(b, a)| b.saturating_sub(a)),
        catalog_cpu: cpu::used()
            .zip(cpu_after_read)
            .map(|(b, a)| b.saturating_sub(a)),
    }
}

/// What every page depends on besides the catalog: meshdoc's own build, the config and the theme
/// overrides (and the wall clock, where metrics are counted back from it).
fn global_inputs(config: &Config, theme: &render::ThemeDirs) -> String {
    let mut text = format!("{}\u{0}{config:?}\u{0}", env!("MESHDOC_BUILD_ID"));
    // Metrics counted back from the wall clock change with time alone: such builds are never
    // "up to date".
    if matches!(
        config.metrics.settings().map(|s| s.reference),
        Ok(Reference::Clock)
    ) {
        text.push_str(&clock_seconds().to_string());
    }
    text.push_str(&render::onboard::start::input_text(config));
    for f in theme.files() {
        text.push_str(&f.to_string_lossy());
        text.push('\u{0}');
        text.push_str(&String::from_utf8_lossy(
            &std::fs::read(&f).unwrap_or_default(),
        ));
    }
    text
}

/// Everything the site depends on, as one hash: the global inputs and the state of every source.
fn fingerprint(
    global: &str,
    options: &crawl::CrawlOptions,
    prepared: &[crawl::Prepared],
) -> String {
    let mut text = global.to_string();
    for p in prepared {
        text.push_str(
            &crawl::cache_key(p, options)
                .unwrap_or_else(|| format!("unreadable:{}", p.source.name())),
        );
        text.push('\u{0}');
        for d in &p.diagnostics {
            text.push_str(&d.message);
        }
    }
    format!(
        "{:016x}{:016x}",
        fnv1a(&text),
        fnv1a(&format!("{text}\u{1}"))
    )
}

/// The site's theme overrides: `templates/` and `static/` of the theme folder (`[theme] dir`,
/// else `theme/` beside the config), then the older `[theme] templates` folder (else `templates/`
/// beside the config), whose templates win.
pub fn theme_dirs(config: &Config) -> Result<render::ThemeDirs> {
    let root = match &config.theme.dir {
        Some(dir) => {
            let dir = config.resolve(dir);
            if !dir.is_dir() {
                return Err(model::Error::Usage(format!(
                    "[theme] dir: {} is not a folder; `meshdoc init --theme {}` writes the default theme there",
                    dir.display(),
                    dir.display()
                )));
            }
            Some(dir)
        }
        None => Some(config.root.join("theme")).filter(|p| p.is_dir()),
    };
    let mut dirs = render::ThemeDirs::default();
    if let Some(root) = root {
        dirs.templates
            .extend(Some(root.join("templates")).filter(|p| p.is_dir()));
        dirs.statics = Some(root.join("static")).filter(|p| p.is_dir());
    }
    match &config.theme.templates {
        Some(t) => dirs.templates.push(config.resolve(t)),
        None => dirs
            .templates
            .extend(Some(config.root.join("templates")).filter(|p| p.is_dir())),
    }
    Ok(dirs)
}

fn clock_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What a build produced.
#[derive(Debug)]
pub struct BuildReport {
    /// The catalog (when the build was skipped as up to date: its sources and diagnostics only).
    pub catalog: Catalog,
    pub out_dir: PathBuf,
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
    /// Files rendered anew; the others kept their previous file because nothing they read
    /// changed (see `incremental`).
    pub rendered: usize,
    /// The paths of the files rendered anew, when some were kept (empty after a full render):
    /// what a change cost, for tests and `--verbose`.
    pub rendered_paths: Vec<String>,
    /// Nothing changed since the last build into this folder: nothing was rendered or written.
    pub up_to_date: bool,
    /// Products whose lineage neighbourhood hash was computed afresh (0 when the last build's
    /// were reused): what an incremental build's input hashes cost.
    pub neighbourhoods_walked: usize,
    pub counts: SiteCounts,
    pub stats: crawl::CrawlStats,
    /// Wall time of each stage, for `--verbose` and the benchmarks.
    pub timings: Vec<(&'static str, Duration)>,
    /// CPU time (all threads, user + system) of the stages of `timings` that have one.
    pub cpu_timings: Vec<(&'static str, Duration)>,
}

/// How much the site holds (kept with the build state, so an up-to-date run can report it).
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct SiteCounts {
    pub products: usize,
    pub contracts: usize,
    pub teams: usize,
    pub domains: usize,
    pub pages: usize,
    pub files: usize,
}

/// Crawl, render and write the site.
pub fn build(config: &Config, run: &Options) -> Result<BuildReport> {
    match build_unless(config, run, &|_| false)? {
        Built::Written(report) => Ok(*report),
        Built::Held(_) => unreachable!("a build that holds nothing back writes its site"),
    }
}

/// The outcome of [`build_unless`].
#[derive(Debug)]
pub enum Built {
    /// The site was written (or was already up to date).
    Written(Box<BuildReport>),
    /// `hold` refused the catalog: the output folder keeps the previous site untouched.
    Held(Box<Catalog>),
}

/// Like [`build`], but asks `hold` about the new catalog before anything is rendered: when it
/// answers true, nothing is written. `meshdoc serve` keeps serving the last good site this way
/// while a save has broken a manifest.
pub fn build_unless(
    config: &Config,
    run: &Options,
    hold: &dyn Fn(&Catalog) -> bool,
) -> Result<Built> {
    let mut watch = Stopwatch::start();
    let out_dir = run
        .out_dir
        .clone()
        .unwrap_or_else(|| config.resolve(&config.build.out_dir));
    output::recover(&out_dir);
    let (sources, diagnostics) = crawl::resolve_sources(config);
    let options = crawl::CrawlOptions::from_config(config);
    let progress = bar(run, sources.len(), "fetching");
    let prepared = crawl::prepare(&sources, &options, &progress);
    progress.finish_and_clear();
    let lock = federation::lock::Lock::of(config, &prepared);
    if run.locked {
        lock.verify()?;
    } else if lock.wanted {
        lock.write()?;
    }
    watch.lap("prepare (fetch, resolve refs)");
    let state = output::BuildState::path(&options.cache_dir, &out_dir);
    let theme_dirs = theme_dirs(config)?;
    // Computed once, before the sources are read: it is both the up-to-date check and the state
    // stored after a build.
    let global = global_inputs(config, &theme_dirs);
    let input_fingerprint = fingerprint(&global, &options, &prepared);
    if !run.force {
        if let Some(previous) = output::BuildState::load(&state, &input_fingerprint, &out_dir) {
            watch.lap("up to date");
            return Ok(Built::Written(Box::new(up_to_date(
                &prepared,
                previous,
                out_dir,
                watch.timings,
            ))));
        }
    }
    // The templates are parsed on a thread of their own while the sources are read: reading
    // waits on the disk, and the catalog is built on one thread.
    let theme = {
        let dirs = theme_dirs.clone();
        std::thread::spawn(move || render::Theme::load(&dirs))
    };
    let loaded = load_prepared(
        config,
        &options,
        prepared,
        diagnostics,
        run,
        &validate::user::UserSchemas::default(),
    );
    watch.lap("read + parse + catalog");
    watch
        .timings
        .push(("  of which read (parse cache or parser)", loaded.read_time));
    watch
        .timings
        .push(("  of which catalog::build", loaded.catalog_time));
    for (stage, cpu) in [
        ("  of which read (parse cache or parser)", loaded.read_cpu),
        ("  of which catalog::build", loaded.catalog_cpu),
    ] {
        watch.cpu_timings.extend(cpu.map(|cpu| (stage, cpu)));
    }
    let catalog = loaded.catalog;
    if hold(&catalog) {
        return Ok(Built::Held(Box::new(catalog)));
    }
    let previous = if run.force {
        None
    } else {
        incremental::PageHashes::load(&state, &out_dir)
    };
    watch.lap("load the last build's page hashes");
    let theme = theme
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    watch.lap("load theme (templates, parsed while reading)");
    let target = RenderTarget {
        out_dir: &out_dir,
        state: &state,
        global: fnv1a(&global),
        previous: previous.as_ref(),
    };
    let (rendered, stats, fresh, neighbourhoods_walked) =
        render_site(&catalog, config, theme, &target, &mut watch)?;
    let pages = rendered.pages;
    let counts = SiteCounts {
        products: catalog.products.len(),
        contracts: catalog.contracts.len(),
        teams: catalog.teams.len(),
        domains: catalog.domains.len(),
        pages,
        files: rendered.files,
    };
    output::BuildState {
        fingerprint: input_fingerprint,
        counts,
        diagnostics: catalog.diagnostics.clone(),
        marker: output::BuildState::marker_of(&out_dir),
    }
    .store(&state);
    watch.lap("store page hashes + build state");
    Ok(Built::Written(Box::new(BuildReport {
        pages,
        catalog,
        out_dir,
        written: stats.written,
        unchanged: stats.unchanged,
        rendered: fresh.len(),
        rendered_paths: if fresh.len() < rendered.files {
            fresh
        } else {
            Vec::new()
        },
        up_to_date: false,
        neighbourhoods_walked,
        counts,
        stats: loaded.stats,
        timings: watch.timings,
        cpu_timings: watch.cpu_timings,
    })))
}

/// Wall and CPU time of each stage of a build.
struct Stopwatch {
    timings: Vec<(&'static str, Duration)>,
    cpu_timings: Vec<(&'static str, Duration)>,
    clock: Instant,
    cpu: Option<Duration>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            timings: Vec::new(),
            cpu_timings: Vec::new(),
            clock: Instant::now(),
            cpu: cpu::used(),
        }
    }

    /// Record the time since the last lap as stage `name`.
    fn lap(&mut self, name: &'static str) {
        self.timings.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
        let cpu = cpu::used();
        if let Some((now, before)) = cpu.zip(self.cpu) {
            self.cpu_timings.push((name, now.saturating_sub(before)));
        }
        self.cpu = cpu;
    }
}

/// The report of a build skipped because nothing changed: what the previous build stored.
fn up_to_date(
    prepared: &[crawl::Prepared],
    previous: output::BuildState,
    out_dir: PathBuf,
    timings: Vec<(&'static str, Duration)>,
) -> BuildReport {
    let stats = crawl::CrawlStats {
        sources: prepared.len(),
        ..Default::default()
    };
    let catalog = Catalog {
        sources: prepared
            .iter()
            .map(|p| p.source.name().to_string())
            .collect(),
        diagnostics: previous.diagnostics,
        ..Catalog::default()
    };
    BuildReport {
        catalog,
        out_dir,
        pages: previous.counts.pages,
        written: 0,
        rendered: 0,
        rendered_paths: Vec::new(),
        unchanged: previous.counts.files,
        up_to_date: true,
        neighbourhoods_walked: 0,
        counts: previous.counts,
        stats,
        timings,
        cpu_timings: Vec::new(),
    }
}

/// Where a render goes and what the last build there was made from.
struct RenderTarget<'a> {
    out_dir: &'a Path,
    /// The build state's file (the page hashes are kept beside it).
    state: &'a Path,
    /// Hash of the inputs every page depends on (config, theme, meshdoc's build).
    global: u64,
    /// Page hashes of the last build into `out_dir`, while the site is as it left it.
    previous: Option<&'a incremental::PageHashes>,
}

/// Files rendered (in parallel) before they are handed on to be written, when a site is patched
/// in place: bounds memory.
const BATCH: usize = 2048;

/// Render the catalog and write it into the output folder: pages whose inputs are unchanged
/// since the last build keep their file, the others are rendered. Pages stream from the renderer
/// to the writer (file by file for a whole site, in batches for a patch): memory stays bounded.
fn render_site(
    catalog: &Catalog,
    config: &Config,
    theme: render::Theme,
    target: &RenderTarget,
    watch: &mut Stopwatch,
) -> Result<(render::RenderStats, output::WriteStats, Vec<String>, usize)> {
    use rayon::prelude::*;
    let inputs = incremental::InputHashes::compute_with(
        catalog,
        target.global,
        Some(&target.state.with_extension("neighbourhoods")),
    );
    watch.lap("input hashes: entities");
    // The search documents of unchanged products and contracts are taken from the last build.
    let (products, contracts) = inputs.search_keys(catalog);
    let search_docs = render::search_docs::Reuse {
        file: target.state.with_extension("search"),
        products: &products,
        contracts: &contracts,
    };
    let plan = render::registry::plan_reusing(catalog, config, &theme, Some(&search_docs));
    let site = render::registry::Site::new(catalog, config, &theme, &plan)?;
    watch.lap("plan");
    let hashes = inputs.pages(&plan, catalog);
    keep_llms_parts(&site, &plan, &hashes, catalog, target.state);
    // catalog.json's records show their entity as other pages read it.
    let kept = |extension: &str, keys: Vec<u64>| render::parts::Kept {
        file: target.state.with_extension(extension),
        keys,
    };
    site.keep_catalog_parts(
        kept(
            "catalog-products",
            (0..catalog.products.len())
                .map(|i| inputs.part_key(&render::Read::Product(i)))
                .collect(),
        ),
        kept(
            "catalog-contracts",
            (0..catalog.contracts.len())
                .map(|i| inputs.part_key(&render::Read::Contract(i)))
                .collect(),
        ),
    );
    watch.lap("input hashes: pages (what each reads)");
    // From here on the stored hashes may no longer describe the folder's files.
    incremental::PageHashes::forget(target.state);
    // A site the last build's hashes describe is patched in place (only changed files move).
    let matched = target.previous.map(|p| p.match_plan(&plan.pages));
    let mut writer = match &matched {
        Some(matched) => output::SiteWriter::begin_patch(target.out_dir, matched.removed.clone())?,
        None => output::SiteWriter::begin(target.out_dir)?,
    };
    let mut stats = render::RenderStats::default();
    let mut fresh = Vec::new();
    let unchanged = |i: usize| {
        matched
            .as_ref()
            .is_some_and(|m| m.previous[i] == Some(hashes[i]))
    };
    // A whole site is written from the threads that render it, file by file, into folders made
    // beforehand: no batch waits for its slowest page before the next starts, none is held.
    let streams = writer.streams();
    if streams {
        if let Err(e) = writer.make_all_dirs(plan.pages.iter().map(|p| p.path.as_str())) {
            writer.abandon();
            return Err(e);
        }
    }
    let batch = if streams {
        plan.pages.len().max(1)
    } else {
        BATCH
    };
    let indexes: Vec<usize> = (0..plan.pages.len()).collect();
    for chunk in indexes.chunks(batch) {
        let (kept, mut todo): (Vec<usize>, Vec<usize>) = chunk.iter().partition(|&&i| unchanged(i));
        let missing = if streams {
            let kept_paths = kept.iter().map(|&i| plan.pages[i].path.clone()).collect();
            match writer.keep(kept_paths) {
                Ok(missing) => missing,
                Err(e) => {
                    writer.abandon();
                    return Err(e);
                }
            }
        } else {
            writer.keep_in_place(kept.len());
            Vec::new()
        };
        if !missing.is_empty() {
            let missing: std::collections::HashSet<String> = missing.into_iter().collect();
            todo.extend(
                kept.iter()
                    .filter(|&&i| missing.contains(&plan.pages[i].path)),
            );
        }
        fresh.extend(todo.iter().map(|&i| plan.pages[i].path.clone()));
        let batch = if streams {
            todo.par_iter()
                .try_for_each(|&i| writer.put(site.render(&plan.pages[i])?))
        } else {
            todo.par_iter()
                .map(|&i| site.render(&plan.pages[i]))
                .collect::<Result<Vec<_>>>()
                .and_then(|batch| writer.write(batch))
        };
        if let Err(e) = batch {
            writer.abandon();
            return Err(e);
        }
        stats.pages += chunk
            .iter()
            .filter(|&&i| plan.pages[i].kind.is_html())
            .count();
        stats.files += chunk.len();
    }
    let written = writer.finish()?;
    watch.lap("render + write");
    incremental::PageHashes::of(&plan.pages, hashes).store(target.state, target.out_dir);
    // Plan, theme and renderer are freed here, in the next lap.
    Ok((stats, written, fresh, inputs.neighbourhoods_walked))
}

/// `llms-full.txt` holds every product's part: each is kept between builds under the hash of the
/// product's markdown twin, which reads what the part shows (see [`render::parts`]).
fn keep_llms_parts(
    site: &render::registry::Site,
    plan: &render::Plan,
    hashes: &[u64],
    catalog: &Catalog,
    state: &Path,
) {
    use render::markdown_twin::Twin;
    let mut keys = vec![None; catalog.products.len()];
    for (page, &hash) in plan.pages.iter().zip(hashes) {
        if let render::PageKind::Markdown(Twin::Product(i)) = page.kind {
            keys[i] = Some(hash);
        }
    }
    if let Some(keys) = keys.into_iter().collect::<Option<Vec<u64>>>() {
        site.keep_llms_parts(render::parts::Kept {
            file: state.with_extension("llms"),
            keys,
        });
    }
}

/// `path` made absolute against the working folder, for keys that must not depend on how a path
/// was spelled (the build state of an output folder).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
