//! The `meshdoc` command line: parse arguments, call the library, print diagnostics, exit.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use meshdoc::config::{Config, SourceConfig, STARTER};
use meshdoc::diagnostics::{self, Diagnostic, Severity};
use meshdoc::{Error, Options};

mod impact;
mod repo_paths;
use repo_paths::RepoPaths;

#[derive(Parser)]
#[command(
    name = "meshdoc",
    version,
    about = "Render the data products and contracts of a data mesh into one static catalog site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Crawl every source and render the site (into public/ by default).
    Build {
        #[command(flatten)]
        input: InputArgs,
        /// Output folder (replaces [build] out_dir).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Fail (exit 1) when any error diagnostic is found; the site is still written.
        #[arg(long)]
        strict: bool,
        /// Render and write even when nothing changed since the last build into this folder.
        #[arg(long)]
        force: bool,
        /// Fail (exit 2, nothing built) unless every source matches meshdoc.lock; the lock is
        /// left as it is (without it, a build with bundle sources or a lock rewrites the lock).
        #[arg(long)]
        locked: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Crawl and validate only; exit 1 when there are errors (for CI on every merge request).
    Check {
        #[command(flatten)]
        input: InputArgs,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also validate every data contract against this JSON Schema (JSON or YAML).
        #[arg(long, value_name = "FILE")]
        schema: Option<PathBuf>,
        /// Also validate every data product against this JSON Schema (JSON or YAML).
        #[arg(long, value_name = "FILE")]
        product_schema: Option<PathBuf>,
        #[command(flatten)]
        impact: ImpactArgs,
    },
    /// Compare two versions of a data contract; exit 1 when any change is breaking.
    Diff {
        /// The earlier version of the contract file (with --against: the file to compare).
        old: PathBuf,
        /// The later version of the contract file.
        #[arg(required_unless_present = "against")]
        new: Option<PathBuf>,
        /// Compare FILE as it is now with FILE at this git revision (branch, tag, commit).
        #[arg(long, value_name = "REF", conflicts_with = "new")]
        against: Option<String>,
        /// How to print the changes (json: one object on stdout).
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
    },
    /// Write one self-describing, checksummed bundle of this repository's documents, provenance
    /// and diagnostics, for a central build to read as a `bundle` source (federation).
    Bundle {
        #[command(flatten)]
        input: InputArgs,
        /// The repository folder to bundle (its meshdoc.toml if it has one, else the folder;
        /// default: the current folder, through ./meshdoc.toml when there is one).
        #[arg(long, value_name = "DIR", conflicts_with_all = ["config", "sources"])]
        dir: Option<PathBuf>,
        /// The bundle file (default: SOURCE.bundle.json.gz in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Build, serve the site on 127.0.0.1, rebuild on every save and reload open pages.
    Serve {
        #[command(flatten)]
        input: InputArgs,
        /// Port to listen on (0: any free port; the address is printed on stdout).
        #[arg(long, default_value_t = 4040)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Output folder (replaces [build] out_dir).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Write a commented starter meshdoc.toml and an example product and contract (with
    /// --theme: the default theme, to edit).
    Init {
        /// Folder to initialise.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write every template and static file of the default theme into DIR, under the folder
        /// (default: theme, which `build` reads when it is beside meshdoc.toml).
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "theme")]
        theme: Option<PathBuf>,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Serve a built site to assistants over the Model Context Protocol (stdio): search,
    /// products, contracts, teams, terms, lineage, owners, failing objectives, access.
    Mcp {
        /// The site: a folder `build` wrote, or a hosted site's base URL (http or https).
        #[arg(long, value_name = "DIR_OR_URL")]
        site: String,
    },
}

#[derive(Args)]
struct InputArgs {
    /// Config file (default: ./meshdoc.toml).
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// A folder to read instead of the configured sources (repeatable; `repos/*` = one per sub-folder).
    #[arg(long = "source", short, value_name = "PATH")]
    sources: Vec<PathBuf>,
    /// Also print info-level diagnostics.
    #[arg(long, short)]
    verbose: bool,
    /// Time metric compliance is counted back from: an RFC 3339 timestamp, `clock` (the time of
    /// the build) or `latest` (the newest snapshot; the default). Also read from MESHDOC_NOW.
    #[arg(long, value_name = "TIME")]
    now: Option<String>,
}

/// `check --base`: what a merge request changes in its contracts, and whom it breaks.
#[derive(Args)]
struct ImpactArgs {
    /// Compare each contract with its version at the merge base of REF and HEAD (a branch, tag
    /// or commit); exit 1 on a breaking change.
    #[arg(long, value_name = "REF")]
    base: Option<String>,
    /// A built site's catalog.json (a path or an http(s) URL, or the site folder holding it):
    /// name the products, teams and owners that read what each breaking change touches.
    #[arg(long, value_name = "PATH_OR_URL", requires = "base")]
    catalog: Option<String>,
    /// Also write a markdown summary for a merge-request comment to FILE (with --base; it is
    /// appended to $GITHUB_STEP_SUMMARY when that is set).
    #[arg(long, value_name = "FILE", requires = "base")]
    summary: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable lines with hints.
    Human,
    /// One JSON array on stdout.
    Json,
    /// GitHub Actions annotations, shown inline on the pull request.
    Github,
}

/// The build allocates many short-lived strings and maps across two threads; mimalloc roughly
/// halves the time glibc's allocator spends on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Build {
            input,
            out,
            strict,
            force,
            locked,
            format,
        } => build(&input, out, strict, force, locked, format),
        Command::Bundle { input, dir, out } => bundle(&input, dir, out),
        Command::Check {
            input,
            format,
            schema,
            product_schema,
            impact,
        } => {
            let started = Instant::now();
            let config = load_config(&input)?;
            let schemas = meshdoc::validate::user::UserSchemas {
                contract: schema
                    .as_deref()
                    .map(meshdoc::validate::user::UserSchema::load)
                    .transpose()?,
                product: product_schema
                    .as_deref()
                    .map(meshdoc::validate::user::UserSchema::load)
                    .transpose()?,
            };
            let catalog = meshdoc::load_catalog_with(&config, &schemas);
            let changes = match &impact.base {
                Some(base) => Some(
                    impact::assess(&config, &catalog, base, impact.catalog.as_deref())
                        .map_err(Error::Usage)?,
                ),
                None => None,
            };
            match &changes {
                Some(changes) => print_impact(
                    &catalog.diagnostics,
                    changes,
                    format,
                    &input,
                    &config,
                    &impact,
                )?,
                None => print_diagnostics(&catalog.diagnostics, format, input.verbose, &config),
            }
            let breaking = changes.as_ref().map_or(0, impact::Impact::breaking);
            let counts = diagnostics::count(&catalog.diagnostics);
            eprintln!(
                "checked {} products and {} contracts from {} sources in {:.2}s: {} errors, {} warnings",
                catalog.products.len(),
                catalog.contracts.len(),
                catalog.sources.len(),
                started.elapsed().as_secs_f64(),
                counts.errors,
                counts.warnings,
            );
            Ok(if counts.errors > 0 || breaking > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Diff {
            old,
            new,
            against,
            format,
        } => match (new, against) {
            (Some(new), _) => diff(&old, &new, format),
            (None, Some(rev)) => diff_against(&old, &rev, format),
            (None, None) => Err(Error::Usage(
                "give two files, or one file and --against REF".into(),
            )),
        },
        Command::Serve {
            input,
            port,
            open,
            out,
        } => {
            let options = serve::ServeOptions {
                port,
                open,
                out,
                config_file: serve::config_file(input.config.as_deref()),
            };
            serve::run(Box::new(move || load_config(&input)), options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init {
            dir,
            theme: None,
            force,
        } => init(&dir, force).map(|()| ExitCode::SUCCESS),
        Command::Init {
            dir,
            theme: Some(theme),
            force,
        } => init_theme(&dir, &theme, force).map(|()| ExitCode::SUCCESS),
        // stdout carries the protocol: messages go to stderr only.
        Command::Mcp { site } => Ok(match meshdoc::mcp::serve(&site) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        }),
    }
}

/// `meshdoc build`: 0, or 1 with `--strict` and errors.
fn build(
    input: &InputArgs,
    out: Option<PathBuf>,
    strict: bool,
    force: bool,
    locked: bool,
    format: Format,
) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let config = load_config(input)?;
    let options = Options {
        out_dir: out,
        progress: std::io::stderr().is_terminal(),
        force,
        locked,
    };
    let report = meshdoc::build(&config, &options)?;
    let catalog = &report.catalog;
    print_diagnostics(&catalog.diagnostics, format, input.verbose, &config);
    if input.verbose {
        for (stage, took) in &report.timings {
            // CPU beside wall time: on a loaded machine only the CPU time compares runs.
            match report.cpu_timings.iter().find(|(s, _)| s == stage) {
                Some((_, cpu)) => eprintln!(
                    "  {stage}: {:.3}s (CPU {:.2}s)",
                    took.as_secs_f64(),
                    cpu.as_secs_f64()
                ),
                None => eprintln!("  {stage}: {:.3}s", took.as_secs_f64()),
            }
        }
        if !report.up_to_date {
            eprintln!(
                "  lineage neighbourhoods hashed afresh: {} of {} products",
                report.neighbourhoods_walked, report.counts.products
            );
        }
        for t in meshdoc::render::page_times() {
            eprintln!(
                "    {}: {} pages, {:.3}s across threads ({:.3}s CPU)",
                t.kind,
                t.pages,
                t.wall_micros as f64 / 1e6,
                t.cpu_micros as f64 / 1e6
            );
        }
    }
    let counts = diagnostics::count(&catalog.diagnostics);
    let c = report.counts;
    let s = report.stats;
    let what = if report.up_to_date {
        "up to date, nothing rendered".to_string()
    } else {
        format!(
            "{} written, {} unchanged; {} of {} sources from cache, {} cloned, {} fetched",
            report.written, report.unchanged, s.cached, s.sources, s.cloned, s.fetched
        )
    };
    eprintln!(
        "built {} pages ({} products, {} contracts, {} teams, {} domains from {} sources) into {} in {:.2}s: {what}; {} errors, {} warnings",
        c.pages,
        c.products,
        c.contracts,
        c.teams,
        c.domains,
        catalog.sources.len(),
        report.out_dir.display(),
        started.elapsed().as_secs_f64(),
        counts.errors,
        counts.warnings,
    );
    // The process ends next: freeing the catalog (hundreds of MB in millions of allocations at
    // 10,000 products) one value at a time would cost a few tenths of a second for nothing.
    std::mem::forget(report);
    Ok(if strict && counts.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `meshdoc bundle`: 0 once the bundle is written (its diagnostics travel inside it; the
/// repository's own `check` is what fails its CI).
fn bundle(
    input: &InputArgs,
    dir: Option<PathBuf>,
    out: Option<PathBuf>,
) -> Result<ExitCode, Error> {
    let here =
        input.config.is_none() && input.sources.is_empty() && !Path::new("meshdoc.toml").exists();
    let dir = dir.or_else(|| here.then(|| PathBuf::from(".")));
    let config = match &dir {
        Some(dir) if dir.join("meshdoc.toml").is_file() => Config::load(&dir.join("meshdoc.toml"))?,
        Some(dir) => {
            let mut config = Config::empty(dir);
            config.sources = vec![SourceConfig::dir(dir.clone())];
            config
        }
        None => load_config(input)?,
    };
    let written = meshdoc::federation::bundle(&config)?;
    let out = out.unwrap_or_else(|| {
        PathBuf::from(format!(
            "{}{}",
            meshdoc::model::slug::slug(&written.source),
            meshdoc::crawl::bundle::EXTENSION
        ))
    });
    // Written beside its final name, then renamed: a reader never sees half a bundle.
    let partial = out.with_extension("partial");
    std::fs::write(&partial, &written.bytes)
        .and_then(|()| std::fs::rename(&partial, &out))
        .map_err(|e| Error::Io {
            path: out.clone(),
            source: e,
        })?;
    let p = &written.provenance;
    eprintln!(
        "bundled {} files of source {} ({} diagnostics; repository {}{}{}) into {} ({} bytes)",
        written.files,
        written.source,
        written.diagnostics,
        p.repository,
        p.commit
            .as_deref()
            .map(|c| format!(", commit {}", &c[..c.len().min(12)]))
            .unwrap_or_default(),
        if p.dirty {
            ", with uncommitted changes"
        } else {
            ""
        },
        out.display(),
        written.bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// `--config`, else ./meshdoc.toml, else (with `--source`) the defaults.
fn load_config(input: &InputArgs) -> Result<Config, Error> {
    let default = Path::new("meshdoc.toml");
    let mut config = match &input.config {
        Some(file) => Config::load(file)?,
        None if default.exists() => Config::load(default)?,
        None if !input.sources.is_empty() => Config::empty(Path::new(".")),
        None => {
            return Err(Error::Usage(
                "no meshdoc.toml in this folder: run `meshdoc init` to write one, or pass --config FILE or --source PATH".into(),
            ))
        }
    };
    if !input.sources.is_empty() {
        let cwd = std::env::current_dir().map_err(|e| Error::Io {
            path: PathBuf::from("."),
            source: e,
        })?;
        config.sources = input
            .sources
            .iter()
            .map(|s| source_from_argument(s, &cwd))
            .collect();
    }
    let now = input
        .now
        .clone()
        .or_else(|| std::env::var("MESHDOC_NOW").ok().filter(|v| !v.is_empty()));
    if let Some(now) = now {
        config.metrics.now = Some(now);
        config
            .metrics
            .settings()
            .map_err(|message| Error::Usage(format!("--now / MESHDOC_NOW: {message}")))?;
    }
    Ok(config)
}

/// `--source`: a URL or a git repository path becomes a git source, anything else a folder.
fn source_from_argument(arg: &Path, cwd: &Path) -> SourceConfig {
    let text = arg.to_string_lossy();
    if text.contains("://") || text.starts_with("git@") {
        return SourceConfig::git(text.into_owned());
    }
    let path = if arg.is_absolute() {
        arg.to_path_buf()
    } else {
        cwd.join(arg)
    };
    if meshdoc::crawl::git::looks_like_repository(&path)
        || text.ends_with(".git")
        || text.ends_with(".git/*")
    {
        SourceConfig::git(path.to_string_lossy().into_owned())
    } else {
        SourceConfig::dir(path)
    }
}

/// Print the diagnostics with each file's path from its repository root (see `repo_paths`):
/// the one path GitHub annotates and an editor opens. JSON keeps `source` and `file` (the path
/// inside the source) and adds that path as `path`.
fn print_diagnostics(all: &[Diagnostic], format: Format, verbose: bool, config: &Config) {
    let paths = RepoPaths::new(config);
    let shown = all
        .iter()
        .filter(|d| verbose || d.severity != Severity::Info);
    match format {
        Format::Human => eprint!(
            "{}",
            diagnostics::render_human(&shown.map(|d| paths.rooted(d)).collect::<Vec<_>>())
        ),
        Format::Github => print!(
            "{}",
            diagnostics::render_github(&shown.map(|d| paths.rooted(d)).collect::<Vec<_>>())
        ),
        Format::Json => match serde_json::to_string_pretty(&diagnostics_json(shown, &paths)) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("error: cannot print diagnostics: {e}"),
        },
    }
}

/// The diagnostics as JSON values, each with its path from the repository root.
fn diagnostics_json<'a>(
    shown: impl Iterator<Item = &'a Diagnostic>,
    paths: &RepoPaths,
) -> Vec<serde_json::Value> {
    shown
        .map(|d| {
            let mut v = serde_json::to_value(d).unwrap_or_default();
            if let (Some(path), serde_json::Value::Object(map)) = (paths.path(d), &mut v) {
                map.insert("path".into(), path.into());
            }
            v
        })
        .collect()
}

/// `check --base`: the diagnostics and the contract changes with their consumers. JSON is one
/// object (`diagnostics`, `differences`: MetadataDifference documents, `warnings`); the markdown
/// summary goes to `--summary` and `$GITHUB_STEP_SUMMARY`.
fn print_impact(
    all: &[Diagnostic],
    changes: &impact::Impact,
    format: Format,
    input: &InputArgs,
    config: &Config,
    args: &ImpactArgs,
) -> Result<(), Error> {
    match format {
        Format::Json => {
            let paths = RepoPaths::new(config);
            let shown = all
                .iter()
                .filter(|d| input.verbose || d.severity != Severity::Info);
            let value = serde_json::json!({
                "diagnostics": diagnostics_json(shown, &paths),
                "differences": impact::json(changes),
                "catalog": changes.catalog,
                "warnings": changes.warnings,
            });
            let text = serde_json::to_string_pretty(&value)
                .map_err(|e| Error::Usage(format!("cannot print the report: {e}")))?;
            println!("{text}");
        }
        Format::Github => {
            print_diagnostics(all, format, input.verbose, config);
            print!("{}", impact::github(changes));
        }
        Format::Human => {
            print_diagnostics(all, format, input.verbose, config);
            print!("{}", impact::human(changes));
        }
    }
    let summary = impact::markdown(changes);
    if let Some(file) = &args.summary {
        std::fs::write(file, &summary).map_err(|e| Error::Io {
            path: file.clone(),
            source: e,
        })?;
    }
    if let Some(step) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|v| !v.is_empty()) {
        use std::io::Write as _;
        let path = PathBuf::from(step);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(summary.as_bytes()))
            .map_err(|e| Error::Io { path, source: e })?;
    }
    Ok(())
}

/// `meshdoc diff`: 0 = no breaking change, 1 = breaking changes, 2 = a file could not be read.
fn diff(old: &Path, new: &Path, format: DiffFormat) -> Result<ExitCode, Error> {
    use meshdoc::contracts::diff;
    let (a, _) = diff::load(old).map_err(Error::Usage)?;
    let (b, _) = diff::load(new).map_err(Error::Usage)?;
    report_diff(
        &a,
        &b,
        &old.display().to_string(),
        &new.display().to_string(),
        format,
    )
}

/// `meshdoc diff FILE --against REF`: the file at a git revision against the file as it is.
fn diff_against(file: &Path, rev: &str, format: DiffFormat) -> Result<ExitCode, Error> {
    use meshdoc::contracts::diff;
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("{} is not a file", file.display())))?;
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("{rev}:./{name}"))
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git ({e}); is git installed?")))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(Error::Usage(format!(
            "cannot read {} at {rev}: {why}",
            file.display()
        )));
    }
    let old_name = format!("{}@{rev}", file.display());
    let (a, _) = diff::load_bytes(&old_name, output.stdout).map_err(Error::Usage)?;
    let (b, _) = diff::load(file).map_err(Error::Usage)?;
    report_diff(&a, &b, &old_name, &file.display().to_string(), format)
}

fn report_diff(
    a: &meshdoc::model::DataContract,
    b: &meshdoc::model::DataContract,
    old_name: &str,
    new_name: &str,
    format: DiffFormat,
) -> Result<ExitCode, Error> {
    use meshdoc::contracts::diff;
    let report = diff::diff(a, b);
    match format {
        DiffFormat::Human => print!("{}", diff::render_human(&report, old_name, new_name)),
        DiffFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return Err(Error::Usage(format!("cannot print the report: {e}"))),
        },
    }
    Ok(if report.breaking() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

const EXAMPLE_PRODUCT: &str = include_str!("../themes/init/example.odps.yaml");
const EXAMPLE_CONTRACT: &str = include_str!("../themes/init/example.odcs.yaml");

fn init(dir: &Path, force: bool) -> Result<(), Error> {
    let files = [
        (dir.join("meshdoc.toml"), STARTER.as_bytes()),
        (
            dir.join("mesh/example.odps.yaml"),
            EXAMPLE_PRODUCT.as_bytes(),
        ),
        (
            dir.join("mesh/example.odcs.yaml"),
            EXAMPLE_CONTRACT.as_bytes(),
        ),
    ];
    write_new(&files, force)?;
    eprintln!("next: `meshdoc build` renders the site into public/");
    Ok(())
}

/// `meshdoc init --theme`: the default theme, as files to edit, in `theme` under `dir`.
fn init_theme(dir: &Path, theme: &Path, force: bool) -> Result<(), Error> {
    let files: Vec<(PathBuf, Vec<u8>)> = meshdoc::render::theme::default_files()
        .into_iter()
        .map(|(path, bytes)| (dir.join(theme).join(path), bytes))
        .collect();
    let files: Vec<(PathBuf, &[u8])> = files.iter().map(|(p, b)| (p.clone(), &b[..])).collect();
    write_new(&files, force)?;
    let how = if theme == Path::new("theme") {
        "reads theme/ beside meshdoc.toml".to_string()
    } else {
        format!(
            "reads them once meshdoc.toml has [theme] dir = {:?}",
            theme.display().to_string()
        )
    };
    eprintln!("next: edit these files (delete those you keep as they are); `meshdoc build` {how}");
    Ok(())
}

/// Write each file, refusing (without `force`) when any already exists.
fn write_new(files: &[(PathBuf, &[u8])], force: bool) -> Result<(), Error> {
    if !force {
        if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
            return Err(Error::Usage(format!(
                "{} already exists; use --force to overwrite",
                path.display()
            )));
        }
    }
    for (path, bytes) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::Io {
                path: parent.to_path_buf(),
                source: e,
            })?;
        }
        std::fs::write(path, bytes).map_err(|e| Error::Io {
            path: path.clone(),
            source: e,
        })?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
