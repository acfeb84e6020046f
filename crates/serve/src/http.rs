//! The HTTP side: the site's files (HTML pages with the live script added), the script and its
//! stylesheet, the status as JSON and the event stream that tells open pages to reload.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream};
use tokio::sync::watch;

use crate::files::{self, Found};
use crate::status::{State as SiteState, Status};

const LIVE_JS: &str = include_str!("assets/live.js");
const LIVE_CSS: &str = include_str!("assets/live.css");

#[derive(Clone)]
struct App {
    status: watch::Receiver<Status>,
    /// Turns true when the server stops: event streams end so the shutdown does not wait on them.
    stopping: watch::Receiver<bool>,
}

pub fn router(status: watch::Receiver<Status>, stopping: watch::Receiver<bool>) -> Router {
    Router::new()
        .route("/__meshdoc/live.js", get(live_js))
        .route("/__meshdoc/live.css", get(live_css))
        .route("/__meshdoc/status.json", get(status_json))
        .route("/__meshdoc/events", get(events))
        .fallback(get(file))
        .layer(axum::middleware::from_fn(loopback_only))
        .with_state(App { status, stopping })
}

/// Requests must name this machine: a page elsewhere that points its own host name at 127.0.0.1
/// (DNS rebinding) would otherwise read the preview from the user's browser.
async fn loopback_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if local_host(host) {
        next.run(request).await
    } else {
        answer(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            "meshdoc serve answers only to 127.0.0.1, localhost and [::1]",
        )
    }
}

/// `127.0.0.1`, `localhost` or `[::1]`, with or without a port.
fn local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "127.0.0.1" | "localhost" | "::1"
    )
}

/// Headers every answer carries: nothing is cached (a reload must fetch the new build).
fn answer(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(body.into())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn live_js() -> Response {
    answer(StatusCode::OK, "text/javascript; charset=utf-8", LIVE_JS)
}

async fn live_css() -> Response {
    answer(StatusCode::OK, "text/css; charset=utf-8", LIVE_CSS)
}

async fn status_json(State(app): State<App>) -> Response {
    let status = app.status.borrow().clone();
    answer(
        StatusCode::OK,
        "application/json",
        serde_json::to_string(&status).unwrap_or_default(),
    )
}

/// A file of the site. HTML gets the live script; a missing file gets the site's 404 page.
async fn file(State(app): State<App>, uri: Uri) -> Response {
    let Some(path) = files::percent_decode(uri.path()) else {
        return answer(StatusCode::BAD_REQUEST, "text/plain", "bad escape in path");
    };
    let (root, build) = {
        let status = app.status.borrow();
        (status.site.clone(), status.build)
    };
    // A build swaps the new folder in with two renames: wait out that instant.
    for _ in 0..20 {
        if root.is_dir() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if !root.is_dir() {
        return no_site(&app.status.borrow());
    }
    let (code, found) = match files::find(&root, &path) {
        Found::File(found) => (StatusCode::OK, found),
        Found::AddSlash => {
            let location = format!("/{}/", uri.path().trim_start_matches('/'));
            return Response::builder()
                .status(StatusCode::PERMANENT_REDIRECT)
                .header(header::LOCATION, location)
                .body(Body::empty())
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
        Found::Missing => match files::find(&root, "/404.html") {
            Found::File(page) => (StatusCode::NOT_FOUND, page),
            _ => return answer(StatusCode::NOT_FOUND, "text/plain", "not found"),
        },
    };
    let bytes = match tokio::fs::read(&found).await {
        Ok(bytes) => bytes,
        Err(_) => return answer(StatusCode::NOT_FOUND, "text/plain", "not found"),
    };
    let content_type = files::content_type(&found);
    let body = if content_type.starts_with("text/html") {
        files::inject(&bytes, build)
    } else {
        bytes
    };
    answer(code, content_type, body)
}

/// Before any build succeeded there is no page to carry the overlay: say why in plain text.
fn no_site(status: &Status) -> Response {
    let mut text = format!("meshdoc serve: no site yet ({})\n", status.summary);
    for problem in &status.problems {
        text.push_str(&format!("\n{}\n", problem.located()));
    }
    text.push_str("\nThe site is built again when a watched file changes.\n");
    answer(
        StatusCode::SERVICE_UNAVAILABLE,
        "text/plain; charset=utf-8",
        text,
    )
}

/// The number after `build=` in a query string.
fn page_build(uri: &Uri) -> Option<u64> {
    uri.query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("build="))?
        .parse()
        .ok()
}

/// What one open page hears, from its own point of view.
struct Feed {
    status: watch::Receiver<Status>,
    stopping: watch::Receiver<bool>,
    /// The build the page shows.
    shown: u64,
    first: bool,
}

/// Server-Sent Events: `reload` when a build newer than the page's is served, `status` (the
/// same JSON as status.json) when the state changes otherwise — an overlay to show or clear.
async fn events(
    State(app): State<App>,
    uri: Uri,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let current = app.status.borrow().build;
    let feed = Feed {
        status: app.status.clone(),
        stopping: app.stopping.clone(),
        shown: page_build(&uri).unwrap_or(current),
        first: true,
    };
    let stream = stream::unfold(feed, |mut feed| async move {
        if !feed.first {
            tokio::select! {
                changed = feed.status.changed() => changed.ok()?,
                _ = feed.stopping.changed() => return None,
            }
        }
        feed.first = false;
        let status = feed.status.borrow_and_update().clone();
        let data = serde_json::to_string(&status).unwrap_or_default();
        let kind = if status.build != feed.shown && status.state != SiteState::Building {
            feed.shown = status.build;
            "reload"
        } else {
            "status"
        };
        Some((Ok(Event::default().event(kind).data(data)), feed))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_answered() {
        for host in [
            "127.0.0.1:4040",
            "localhost:4040",
            "LOCALHOST",
            "[::1]:4040",
            "127.0.0.1",
        ] {
            assert!(local_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example:4040",
            "127.0.0.1.evil.example",
            "localhost.evil",
            "[::2]:1",
        ] {
            assert!(!local_host(host), "{host}");
        }
    }
}
