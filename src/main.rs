//! The `meshdoc` command line: parse arguments, call the library, print diagnostics, exit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use meshdoc::config::{Config, SourceConfig, STARTER};
use meshdoc::diagnostics::{self, Diagnostic, Severity};
use meshdoc::{Error, Options};

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
    },
    /// Write a commented starter meshdoc.toml and an example product and contract.
    Init {
        /// Folder to initialise.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
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
            format,
        } => {
            let started = Instant::now();
            let config = load_config(&input)?;
            let report = meshdoc::build(&config, &Options { out_dir: out })?;
            let catalog = &report.catalog;
            print_diagnostics(&catalog.diagnostics, format, input.verbose);
            if input.verbose {
                for (stage, took) in &report.timings {
                    eprintln!("  {stage}: {:.3}s", took.as_secs_f64());
                }
            }
            let counts = diagnostics::count(&catalog.diagnostics);
            eprintln!(
                "built {} pages ({} products, {} contracts, {} teams, {} domains from {} sources) into {} in {:.2}s: {} written, {} unchanged; {} errors, {} warnings",
                report.pages,
                catalog.products.len(),
                catalog.contracts.len(),
                catalog.teams.len(),
                catalog.domains.len(),
                catalog.sources.len(),
                report.out_dir.display(),
                started.elapsed().as_secs_f64(),
                report.written,
                report.unchanged,
                counts.errors,
                counts.warnings,
            );
            Ok(if strict && counts.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Check { input, format } => {
            let started = Instant::now();
            let config = load_config(&input)?;
            let catalog = meshdoc::load_catalog(&config);
            print_diagnostics(&catalog.diagnostics, format, input.verbose);
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
            Ok(if counts.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Init { dir, force } => init(&dir, force).map(|()| ExitCode::SUCCESS),
    }
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
            .map(|s| SourceConfig {
                name: None,
                dir: if s.is_absolute() {
                    s.clone()
                } else {
                    cwd.join(s)
                },
            })
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

fn print_diagnostics(all: &[Diagnostic], format: Format, verbose: bool) {
    let shown: Vec<Diagnostic> = all
        .iter()
        .filter(|d| verbose || d.severity != Severity::Info)
        .cloned()
        .collect();
    match format {
        Format::Human => eprint!("{}", diagnostics::render_human(&shown)),
        Format::Github => print!("{}", diagnostics::render_github(&shown)),
        Format::Json => match serde_json::to_string_pretty(&shown) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("error: cannot print diagnostics: {e}"),
        },
    }
}

const EXAMPLE_PRODUCT: &str = include_str!("../themes/init/example.odps.yaml");
const EXAMPLE_CONTRACT: &str = include_str!("../themes/init/example.odcs.yaml");

fn init(dir: &Path, force: bool) -> Result<(), Error> {
    let files = [
        (dir.join("meshdoc.toml"), STARTER),
        (dir.join("mesh/example.odps.yaml"), EXAMPLE_PRODUCT),
        (dir.join("mesh/example.odcs.yaml"), EXAMPLE_CONTRACT),
    ];
    if !force {
        if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
            return Err(Error::Usage(format!(
                "{} already exists; use --force to overwrite",
                path.display()
            )));
        }
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::Io {
                path: parent.to_path_buf(),
                source: e,
            })?;
        }
        std::fs::write(path, text).map_err(|e| Error::Io {
            path: path.clone(),
            source: e,
        })?;
        eprintln!("wrote {}", path.display());
    }
    eprintln!("next: `meshdoc build` renders the site into public/");
    Ok(())
}
