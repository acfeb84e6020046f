//! `meshdoc serve`: build the site, serve it on 127.0.0.1, watch what it is built from, rebuild
//! on every save and tell open pages to reload.
//!
//! Beside the pipeline, not in it: a rebuild is the ordinary incremental build
//! (`site::build_unless`), and the live script is added to pages as they are served, so the
//! folder on disk is the same site `meshdoc build` writes.

mod builder;
mod files;
mod http;
mod inputs;
mod status;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

pub use builder::LoadConfig;
pub use status::{Problem, State, Status};

use builder::Builder;
use model::Error;

/// How `meshdoc serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// 0: any free port (the address is printed on stdout).
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Replaces the configured output folder.
    pub out: Option<PathBuf>,
    /// The config file whose edits rebuild (it need not exist when sources come from `--source`).
    pub config_file: PathBuf,
}

/// Quiet time after the last file event before a rebuild: an editor's save is several events.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Build, serve and watch until Ctrl-C (or SIGTERM). Errors only when nothing can be served:
/// the config does not load at start, or the port cannot be bound.
pub fn run(load: LoadConfig, options: ServeOptions) -> model::Result<()> {
    let (mut builder, status) = Builder::new(load, options.config_file.clone(), options.out)?;
    report(&builder.rebuild());
    let (events_tx, events) = std::sync::mpsc::channel();
    let debouncer = new_debouncer(DEBOUNCE, None, events_tx)
        .map_err(|e| Error::Usage(format!("cannot watch files: {e}")))?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", options.port))
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| Error::Usage(format!("cannot listen on 127.0.0.1:{}: {e}", options.port)))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("cannot read the bound address: {e}")))?;
    let url = format!("http://{address}/");
    // The first line on stdout is the address: scripts and tests read it (with --port 0).
    println!("serving {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();
    if builder.inputs.remote > 0 {
        eprintln!(
            "note: {} remote repositories are read as fetched; only local sources are watched",
            builder.inputs.remote
        );
    }
    if options.open {
        open_browser(&url);
    }
    std::thread::spawn(move || watch_and_rebuild(builder, debouncer, events));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the server: {e}")))?;
    let served = runtime.block_on(serve(listener, status));
    // File reads run on tokio's blocking pool; its idle threads are not waited for.
    runtime.shutdown_timeout(Duration::from_millis(500));
    served.map_err(|e| Error::Usage(format!("the server stopped: {e}")))?;
    eprintln!("stopped");
    Ok(())
}

async fn serve(
    listener: std::net::TcpListener,
    status: tokio::sync::watch::Receiver<Status>,
) -> std::io::Result<()> {
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, http::router(status, stopping))
        .with_graceful_shutdown(async move {
            interrupted().await;
            let _ = stop.send(true);
        })
        .await
}

/// Ctrl-C, or SIGTERM where there is one.
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The watcher's loop, on its own thread: each batch of events that concerns the site is one
/// rebuild; the watched paths follow the config (sources and theme added or removed).
fn watch_and_rebuild(
    mut builder: Builder,
    mut debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
) {
    let mut watched = Vec::new();
    follow(&mut debouncer, &mut watched, &builder.inputs.watches);
    while let Ok(first) = events.recv() {
        let mut paths = Vec::new();
        for batch in std::iter::once(first).chain(events.try_iter()) {
            match batch {
                Ok(batch) => paths.extend(
                    batch
                        .into_iter()
                        .filter(|e| changes(&e.kind))
                        .flat_map(|e| e.event.paths),
                ),
                Err(errors) => errors
                    .iter()
                    .for_each(|e| eprintln!("warning: file watch: {e}")),
            }
        }
        let Some(changed) = paths.iter().find(|p| builder.inputs.concerns(p)) else {
            continue;
        };
        eprintln!("changed: {}", changed.display());
        report(&builder.rebuild());
        follow(&mut debouncer, &mut watched, &builder.inputs.watches);
    }
}

/// Whether an event can change a file: the build's own reading shows up as access events.
fn changes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watch `wanted` and nothing else (paths that do not exist yet are tried again after the next
/// rebuild).
fn follow(
    debouncer: &mut Debouncer<RecommendedWatcher, RecommendedCache>,
    watched: &mut Vec<(PathBuf, bool)>,
    wanted: &[(PathBuf, bool)],
) {
    for (path, _) in watched.iter().filter(|w| !wanted.contains(w)) {
        let _ = debouncer.unwatch(path);
    }
    watched.retain(|w| wanted.contains(w));
    let new: Vec<&(PathBuf, bool)> = wanted.iter().filter(|w| !watched.contains(w)).collect();
    for (path, recursive) in new {
        let mode = if *recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        match debouncer.watch(path, mode) {
            Ok(()) => watched.push((path.clone(), *recursive)),
            Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
        }
    }
}

/// One line per build on stderr, and the problems that kept it from the served site.
fn report(status: &Status) {
    eprintln!(
        "{} ({} errors, {} warnings in the served site)",
        status.summary, status.errors, status.warnings
    );
    for problem in &status.problems {
        eprintln!("  error: {}", problem.located());
        if let Some(hint) = &problem.hint {
            eprintln!("    hint: {hint}");
        }
    }
}

/// Best effort: the platform's opener; a failure is a note, the server runs on.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(program)
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("note: cannot open a browser ({program}: {e}); open {url}");
    }
}

/// The config file serve watches: `--config`, else meshdoc.toml in the working folder.
pub fn config_file(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("meshdoc.toml"))
}
