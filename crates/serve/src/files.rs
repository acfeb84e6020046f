//! The output folder served as files: a request path maps to a file inside the folder or to
//! nothing — `..`, hidden names and links that lead out of the folder are not served.

use std::path::{Path, PathBuf};

/// What a request path names in the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    File(PathBuf),
    /// A folder asked for without its trailing slash: the page's relative links need it.
    AddSlash,
    Missing,
}

/// Decode `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
pub fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file under `root` that `request_path` (already decoded) names.
pub fn find(root: &Path, request_path: &str) -> Found {
    let mut path = root.to_path_buf();
    for part in request_path.split('/').filter(|p| !p.is_empty()) {
        if part.starts_with('.') || part.contains(['\\', '\0', ':']) {
            return Found::Missing;
        }
        path.push(part);
    }
    if path.is_dir() {
        if !request_path.ends_with('/') {
            return Found::AddSlash;
        }
        path.push("index.html");
    }
    // A link inside the folder may point anywhere: only what really lies inside is served.
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(real), Ok(root)) if real.starts_with(&root) && real.is_file() => Found::File(real),
        _ => Found::Missing,
    }
}

/// The media type of a file of the site, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" | "csv" => "text/plain; charset=utf-8",
        "yaml" | "yml" => "application/yaml",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, added to an HTML page before `</head>` (or at its end). `build` is
/// the build the page came from, so a page loaded just before a rebuild still learns of it.
pub fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let tag = format!("<script src=\"/__meshdoc/live.js?build={build}\" defer></script>");
    let at = html
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("public");
        std::fs::create_dir_all(root.join("products/orders")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("products/orders/index.html"), "orders").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        tmp
    }

    #[test]
    fn pages_and_folders_are_found_inside_the_site() {
        let tmp = site();
        let root = tmp.path().join("public");
        let real = root.canonicalize().unwrap();
        assert_eq!(find(&root, "/"), Found::File(real.join("index.html")));
        assert_eq!(
            find(&root, "/products/orders/"),
            Found::File(real.join("products/orders/index.html"))
        );
        assert_eq!(find(&root, "/products/orders"), Found::AddSlash);
        assert_eq!(find(&root, "/products/nothing/"), Found::Missing);
    }

    #[test]
    fn nothing_outside_the_site_is_served() {
        let tmp = site();
        let root = tmp.path().join("public");
        assert_eq!(find(&root, "/../secret.txt"), Found::Missing);
        assert_eq!(find(&root, "/products/../../secret.txt"), Found::Missing);
        assert_eq!(find(&root, "/..%2fsecret.txt"), Found::Missing);
        let decoded = percent_decode("/%2e%2e/secret.txt").unwrap();
        assert_eq!(find(&root, &decoded), Found::Missing);
        assert_eq!(find(&root, "/.meshdoc-state"), Found::Missing);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("leak.txt"))
                .unwrap();
            assert_eq!(find(&root, "/leak.txt"), Found::Missing);
        }
    }

    #[test]
    fn bad_escapes_are_refused() {
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
        assert_eq!(percent_decode("/a%2"), None);
        assert_eq!(percent_decode("/a%zz"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }

    #[test]
    fn the_script_goes_into_the_head() {
        let page = inject(
            b"<html><head><title>x</title></HEAD><body></body></html>",
            3,
        );
        let page = String::from_utf8(page).unwrap();
        assert_eq!(
            page,
            "<html><head><title>x</title><script src=\"/__meshdoc/live.js?build=3\" defer></script></HEAD><body></body></html>"
        );
        let bare = String::from_utf8(inject(b"<p>no head</p>", 1)).unwrap();
        assert!(bare.ends_with("<script src=\"/__meshdoc/live.js?build=1\" defer></script>"));
    }
}
